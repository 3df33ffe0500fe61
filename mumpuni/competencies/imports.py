"""XLSX/CSV imports and exports of competency data: position requirements and assessments.

Both imports are all or nothing: every row is checked first and any error refuses the whole file with the
list of row errors (people.imports' RowError: row number as the spreadsheet shows it, column, message);
only a clean file is written, in one transaction, through the same services as the pages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from mumpuni.common.errors import ApplicationError, PermissionDeniedError
from mumpuni.competencies import services
from mumpuni.competencies.models import Assessment, Competency, PositionRequirement
from mumpuni.lib import tabular
from mumpuni.lib.tabular import ColumnNote
from mumpuni.people.imports.base import Errors, RowError
from mumpuni.people.models import Employee, Position
from mumpuni.people.scopes import scope_for

REQUIREMENT_COLUMNS = ("jabatan_kode", "kompetensi_kode", "level_minimal")
REQUIREMENT_NOTES = (
    ColumnNote("jabatan_kode", True, "Kode jabatan (lihat ekspor jabatan).", "33.74.10-PETUGAS-PEL"),
    ColumnNote("kompetensi_kode", True, "Kode kompetensi dari kamus, misalnya T.ADK atau M.05.", "T.ADK"),
    ColumnNote("level_minimal", True, "Level minimal 1 sampai 5.", "2"),
)
ASSESSMENT_REQUIRED = ("nip", "kompetensi_kode", "level", "sumber", "tanggal")
ASSESSMENT_OPTIONAL = ("catatan",)
SOURCE_WORDS: dict[str, str] = {
    "atasan": Assessment.Source.SUPERVISOR,
    "supervisor": Assessment.Source.SUPERVISOR,
    "penilaian atasan": Assessment.Source.SUPERVISOR,
    "diri": Assessment.Source.SELF,
    "self": Assessment.Source.SELF,
    "penilaian diri": Assessment.Source.SELF,
    "assessment center": Assessment.Source.ASSESSMENT_CENTRE,
    "assessment_centre": Assessment.Source.ASSESSMENT_CENTRE,
    "ac": Assessment.Source.ASSESSMENT_CENTRE,
    "uji": Assessment.Source.TEST,
    "uji kompetensi": Assessment.Source.TEST,
    "test": Assessment.Source.TEST,
}
ASSESSMENT_NOTES = (
    ColumnNote("nip", True, "NIP pegawai yang dinilai, 18 angka (format sel Teks).", "199001012015031001"),
    ColumnNote("kompetensi_kode", True, "Kode kompetensi, misalnya M.03 atau T.PRIMA.", "T.PRIMA"),
    ColumnNote("level", True, "Level 1 sampai 5.", "3"),
    ColumnNote("sumber", True, "atasan, diri, assessment center atau uji kompetensi.", "atasan"),
    ColumnNote("tanggal", True, "Tanggal penilaian TTTT-BB-HH, tidak di masa depan.", "2026-10-01"),
    ColumnNote("catatan", False, "Catatan atau bukti singkat.", "Observasi loket Oktober"),
)


@dataclass
class ImportResult:
    ok: bool
    rows: int = 0
    written: int = 0
    errors: list[RowError] = field(default_factory=list)


def _level(text: str) -> int | None:
    return int(text) if text.strip().isdigit() and 1 <= int(text) <= 5 else None


def _read(
    data: bytes, file_name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tabular.Table | ImportResult:
    try:
        return tabular.read_table(data, file_name, required=required, optional=optional)
    except tabular.TabularError as exc:
        return ImportResult(ok=False, errors=[RowError(0, "", exc.message)])


# --- position requirements ---------------------------------------------------------------------------


def export_requirements() -> bytes:
    rows = (
        PositionRequirement.objects.select_related("position", "competency")
        .order_by("position__code", "competency__code")
        .values_list("position__code", "competency__code", "required_level")
    )
    return tabular.write_xlsx(
        REQUIREMENT_COLUMNS, rows.iterator(), sheet_title="Persyaratan", notes=REQUIREMENT_NOTES
    )


def import_requirements(*, actor: Any, data: bytes, file_name: str) -> ImportResult:
    if actor is not None and not scope_for(actor).city_manager:
        raise PermissionDeniedError("Hanya admin BKPP yang dapat mengimpor persyaratan kompetensi.")
    table = _read(data, file_name, REQUIREMENT_COLUMNS)
    if isinstance(table, ImportResult):
        return table
    positions = {
        p.code: p
        for p in Position.objects.filter(code__in={r.get("jabatan_kode").upper() for r in table.rows})
    }
    competencies = {c.code: c for c in Competency.objects.all()}
    errors = Errors()
    plan: dict[int, dict[int, int | None]] = defaultdict(dict)
    seen: dict[tuple[str, str], int] = {}
    by_pk = {p.pk: p for p in positions.values()}
    for row in table.rows:
        n = row.number
        position = positions.get(row.get("jabatan_kode").upper())
        competency = competencies.get(row.get("kompetensi_kode").upper())
        level = _level(row.get("level_minimal"))
        if position is None:
            errors.add(n, "jabatan_kode", "Kode jabatan tidak ditemukan.")
        if competency is None:
            errors.add(n, "kompetensi_kode", "Kode kompetensi tidak ada di kamus.")
        if level is None:
            errors.add(n, "level_minimal", "Level minimal harus angka 1 sampai 5.")
        if position and competency:
            key = (position.code, competency.code)
            if key in seen:
                errors.add(
                    n,
                    "kompetensi_kode",
                    f"Pasangan jabatan dan kompetensi ini sudah ada di baris {seen[key]}.",
                )
            seen[key] = n
            if level is not None:
                plan[position.pk][competency.pk] = level
    if errors.items:
        return ImportResult(ok=False, rows=len(table.rows), errors=errors.sorted())
    written = 0
    with transaction.atomic():
        for position_id, levels in plan.items():
            written += services.position_requirements_set(
                actor=actor, position=by_pk[position_id], levels=levels
            )
    return ImportResult(ok=True, rows=len(table.rows), written=written)


# --- assessments -----------------------------------------------------------------------------------


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def import_assessments(*, actor: Any, data: bytes, file_name: str) -> ImportResult:
    """Assessments from a file. Each row is checked for the same permission as a single entry (a supervisor
    may only import their team); any problem refuses the file."""
    table = _read(data, file_name, ASSESSMENT_REQUIRED, ASSESSMENT_OPTIONAL)
    if isinstance(table, ImportResult):
        return table
    nips = {r.get("nip") for r in table.rows}
    employees = {e.nip: e for e in Employee.objects.filter(nip__in=nips).select_related("unit")}
    competencies = {c.code: c for c in Competency.objects.all()}
    errors = Errors()
    today = timezone.localdate()
    planned: list[dict[str, Any]] = []
    for row in table.rows:
        n = row.number
        employee = employees.get(row.get("nip"))
        if employee is None:
            message = "NIP tidak terdaftar."
            if "nip" in row.numeric:
                message += " Sel NIP berformat angka sehingga digit terakhirnya hilang; ubah format sel menjadi Teks."
            errors.add(n, "nip", message)
        competency = competencies.get(row.get("kompetensi_kode").upper())
        if competency is None or not competency.active:
            errors.add(n, "kompetensi_kode", "Kode kompetensi tidak ada di kamus atau tidak aktif.")
        level = _level(row.get("level"))
        if level is None:
            errors.add(n, "level", "Level harus angka 1 sampai 5.")
        source = SOURCE_WORDS.get(row.get("sumber").strip().lower())
        if source is None:
            errors.add(
                n, "sumber", "Sumber harus salah satu dari: atasan, diri, assessment center, uji kompetensi."
            )
        day = _date(row.get("tanggal"))
        if day is None:
            errors.add(n, "tanggal", "Tanggal tidak valid; gunakan format TTTT-BB-HH.")
        elif day > today:
            errors.add(n, "tanggal", "Tanggal penilaian tidak boleh di masa depan.")
        if employee is not None and source is not None and not services.can_assess(actor, employee, source):
            errors.add(n, "nip", "Anda tidak berwenang menilai pegawai ini dengan sumber tersebut.")
        if not errors.has(n):
            planned.append(
                {
                    "employee": employee,
                    "competency": competency,
                    "level": level,
                    "source": source,
                    "assessed_on": day,
                    "note": row.get("catatan"),
                }
            )
    if errors.items:
        return ImportResult(ok=False, rows=len(table.rows), errors=errors.sorted())
    try:
        with transaction.atomic():
            for item in planned:
                services.assessment_record(actor=actor, **item)
    except ApplicationError as exc:  # a race with another change: nothing was written
        return ImportResult(ok=False, rows=len(table.rows), errors=[RowError(0, "", exc.message)])
    return ImportResult(ok=True, rows=len(table.rows), written=len(planned))


def assessment_template() -> bytes:
    return tabular.write_xlsx(
        [*ASSESSMENT_REQUIRED, *ASSESSMENT_OPTIONAL],
        [[note.example for note in ASSESSMENT_NOTES]],
        sheet_title="Penilaian",
        notes=ASSESSMENT_NOTES,
    )
