"""Import of historical completions into the JP ledger (CSV/XLSX; all or nothing, errors per row).

Columns: nip, program_code, completed_on, jp (catatan optional). Each row becomes one JpEntry with
source "import"; a row already in the ledger (same person, programme and date, the model's unique
constraint) is left alone, so importing the same file twice changes nothing. The same key with a different
JP is an error rather than a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.learning.models import JpEntry, Program
from mumpuni.lib.tabular import TabularError, read_table
from mumpuni.people.imports.base import Errors, RowError, load_in_chunks
from mumpuni.people.models import Employee

REQUIRED = ("nip", "program_code", "completed_on", "jp")
OPTIONAL = ("catatan",)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
MAX_JP = Decimal("999")


@dataclass
class ImportResult:
    total_rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def import_completions(
    data: bytes, file_name: str, *, actor: Any = None, dry_run: bool = False
) -> ImportResult:
    result = ImportResult()
    try:
        table = read_table(data, file_name, required=REQUIRED, optional=OPTIONAL)
    except TabularError as exc:
        result.errors = [RowError(0, "", exc.message)]
        return result
    result.total_rows = len(table.rows)
    errors = Errors()
    nips = {row.get("nip").replace(" ", "") for row in table.rows}
    codes = {row.get("program_code").strip().upper() for row in table.rows}
    employees = {
        e.nip: e
        for e in load_in_chunks(nips, lambda part: Employee.objects.filter(nip__in=part).only("pk", "nip"))
    }
    programs = {p.code.upper(): p for p in Program.objects.filter(code__in=codes)}
    today = timezone.localdate()
    planned: dict[tuple[int, int, dt.date], tuple[int, Decimal, str]] = {}
    for row in table.rows:
        nip = row.get("nip").replace(" ", "")
        employee = employees.get(nip)
        if not nip:
            errors.add(row.number, "nip", "NIP wajib diisi.")
        elif "nip" in row.numeric and len(nip) != 18:
            errors.add(row.number, "nip", "NIP terpotong oleh Excel; format kolom nip sebagai Teks.")
        elif employee is None:
            errors.add(row.number, "nip", f"Pegawai dengan NIP {nip} tidak terdaftar.")
        code = row.get("program_code").strip().upper()
        program = programs.get(code)
        if not code:
            errors.add(row.number, "program_code", "Kode program wajib diisi.")
        elif program is None:
            errors.add(row.number, "program_code", f"Program dengan kode {code} tidak ada di katalog.")
        completed_on = _date(row.get("completed_on"))
        if completed_on is None:
            errors.add(row.number, "completed_on", "Tanggal tidak valid; gunakan TTTT-BB-HH atau HH/BB/TTTT.")
        elif completed_on > today:
            errors.add(row.number, "completed_on", "Tanggal selesai tidak boleh di masa depan.")
        elif completed_on.year < 2000:
            errors.add(row.number, "completed_on", "Tanggal sebelum tahun 2000 tidak diterima.")
        jp: Decimal | None
        try:
            jp = Decimal(row.get("jp").replace(",", "."))
            if not jp.is_finite() or jp <= 0 or jp > MAX_JP or jp * 10 != int(jp * 10):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors.add(
                row.number, "jp", f"JP harus angka lebih dari 0 sampai {MAX_JP}, paling banyak satu desimal."
            )
            jp = None
        note = row.get("catatan")
        if len(note) > 255:
            errors.add(row.number, "catatan", "Catatan paling banyak 255 karakter.")
        if (
            errors.has(row.number)
            or employee is None
            or program is None
            or completed_on is None
            or jp is None
        ):
            continue
        key = (employee.pk, program.pk, completed_on)
        if key in planned:
            errors.add(
                row.number,
                "nip",
                f"Baris ganda: sama dengan baris {planned[key][0]} (NIP, program, tanggal).",
            )
            continue
        planned[key] = (row.number, jp, note)

    existing = {
        (e.employee_id, e.program_id, e.occurred_on): e.jp
        for e in JpEntry.objects.filter(
            source=JpEntry.Source.IMPORT,
            employee_id__in={k[0] for k in planned},
            program_id__in={k[1] for k in planned},
        )
    }
    to_create: list[JpEntry] = []
    for key, (number, jp, note) in planned.items():
        if key in existing:
            if existing[key] != jp:
                errors.add(
                    number,
                    "jp",
                    f"Sudah tercatat dengan {existing[key]} JP; koreksi tidak dilakukan lewat impor.",
                )
            else:
                result.unchanged += 1
            continue
        employee_id, program_id, completed_on = key
        to_create.append(
            JpEntry(
                employee_id=employee_id,
                program_id=program_id,
                occurred_on=completed_on,
                year=completed_on.year,
                jp=jp,
                source=JpEntry.Source.IMPORT,
                note=note,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    result.errors = errors.sorted()
    if result.errors:
        result.unchanged = 0
        return result
    result.created = len(to_create)
    if dry_run or not to_create:
        return result
    with transaction.atomic():
        JpEntry.objects.bulk_create(to_create, batch_size=1000)
        # One entry for the whole file (as the people imports do for a job), pointing at its first line.
        audit_entry(
            actor=actor,
            action="import",
            instance=to_create[0],
            note=f"Impor riwayat JP {file_name}: {len(to_create)} baris",
        )
    return result
