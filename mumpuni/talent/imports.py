"""SKP predikat import (`manage.py import_skp FILE` and /talenta/skp/impor/): columns nip, year (or tahun),
predikat; optional golongan.

All or nothing, like the other importers: every row is checked first (unknown NIP, inactive employee, year
out of range, unknown predikat or golongan, the same employee and year twice) and any row error (row
number, column, Indonesian message) refuses the whole file. A valid file creates or replaces the rating of
each (employee, year) with source=import, then refreshes the 9-box placements of the years it touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import PermissionDeniedError
from mumpuni.lib.tabular import ColumnNote, TabularError, read_table
from mumpuni.people.imports.base import RowError
from mumpuni.people.models import Employee
from mumpuni.talent import access
from mumpuni.talent.models import EmployeeGrade, PerformanceRating, TalentSettings
from mumpuni.talent.services import clean_grade, clean_predikat, placements_refresh

REQUIRED = ("nip", "predikat")
OPTIONAL = ("year", "tahun", "golongan")
NOTES = (
    ColumnNote("nip", True, "NIP 18 digit (ketik sebagai teks, bukan angka).", "199001012015031001"),
    ColumnNote("year", True, "Tahun penilaian SKP (boleh juga kolom 'tahun').", "2025"),
    ColumnNote(
        "predikat",
        True,
        "Sangat Baik, Baik, Butuh Perbaikan, Kurang atau Sangat Kurang (PermenPANRB 6/2022).",
        "Baik",
    ),
    ColumnNote("golongan", False, "Golongan/ruang terakhir, mis. III/b (opsional).", "III/b"),
)
PREVIEW_ROWS = 20


@dataclass
class SkpImportResult:
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    years: dict[int, int] = field(default_factory=dict)
    predikats: dict[str, int] = field(default_factory=dict)
    preview: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


def import_skp(
    file_bytes: bytes, file_name: str, actor: Any = None, *, dry_run: bool = False, refresh: bool = True
) -> SkpImportResult:
    """Check every row, then (unless dry_run or any error) write every rating at once. The command passes
    no actor; a web actor must be BKPP admin."""
    if actor is not None and not access.can_import(actor):
        raise PermissionDeniedError("Impor predikat SKP hanya untuk admin BKPP.")
    result = SkpImportResult()
    try:
        table = read_table(file_bytes, file_name, required=REQUIRED, optional=OPTIONAL)
    except TabularError as exc:
        result.errors.append(RowError(0, "", exc.message))
        return result
    year_column = "year" if table.has("year") else "tahun" if table.has("tahun") else None
    if year_column is None:
        result.errors.append(RowError(1, "year", "Kolom year (atau tahun) wajib ada."))
        return result
    if table.has("year") and table.has("tahun"):
        result.errors.append(
            RowError(1, "tahun", "Kolom year dan tahun sama artinya; pakai salah satu saja.")
        )
        return result
    result.total_rows = len(table.rows)
    if not table.rows:
        result.errors.append(RowError(0, "", "Berkas tidak berisi baris data (hanya baris judul)."))
        return result

    nips = {row.get("nip") for row in table.rows}
    employees = {e.nip: e for e in Employee.objects.filter(nip__in=[n for n in nips if len(n) == 18])}
    this_year = timezone.localdate().year
    seen: dict[tuple[str, int], int] = {}
    parsed: list[tuple[Employee, int, str, str | None]] = []
    for row in table.rows:
        errors: list[RowError] = []
        nip = row.get("nip")
        employee = employees.get(nip)
        if "nip" in row.numeric:
            errors.append(
                RowError(
                    row.number,
                    "nip",
                    "NIP diketik sebagai angka dan kehilangan digit; format sel sebagai teks.",
                )
            )
        elif employee is None:
            errors.append(RowError(row.number, "nip", f"NIP {nip!r} tidak terdaftar."))
        elif not employee.active:
            errors.append(RowError(row.number, "nip", f"Pegawai {nip} tidak aktif."))
        text_year = row.get(year_column)
        year = int(text_year) if text_year.isdigit() else None
        if year is None or not 2000 <= year <= this_year:
            errors.append(
                RowError(row.number, year_column, f"Tahun {text_year!r} tidak valid (2000–{this_year}).")
            )
        predikat = clean_predikat(row.get("predikat"))
        if predikat is None:
            errors.append(
                RowError(
                    row.number,
                    "predikat",
                    f"Predikat {row.get('predikat')!r} tidak dikenal; gunakan Sangat Baik, Baik, Butuh Perbaikan, "
                    "Kurang atau Sangat Kurang.",
                )
            )
        grade_text = row.get("golongan")
        grade = clean_grade(grade_text) if grade_text else None
        if grade_text and grade is None:
            errors.append(
                RowError(row.number, "golongan", f"Golongan {grade_text!r} tidak dikenal; contoh III/b.")
            )
        if employee is not None and year is not None:
            key = (nip, year)
            if key in seen:
                errors.append(
                    RowError(row.number, "nip", f"NIP {nip} tahun {year} sudah ada di baris {seen[key]}.")
                )
            seen.setdefault(key, row.number)
        if errors:
            result.errors.extend(errors)
            continue
        assert employee is not None and year is not None and predikat is not None
        parsed.append((employee, year, predikat, grade))
        result.years[year] = result.years.get(year, 0) + 1
        result.predikats[predikat] = result.predikats.get(predikat, 0) + 1
        if len(result.preview) < PREVIEW_ROWS:
            result.preview.append(
                {
                    "nip": nip,
                    "name": employee.name,
                    "year": str(year),
                    "predikat": predikat,
                    "golongan": grade or "",
                }
            )
    if result.errors or dry_run:
        return result

    with transaction.atomic():
        existing = {
            (r.employee_id, r.year): r
            for r in PerformanceRating.objects.filter(
                employee_id__in=[e.pk for e, *_ in parsed], year__in=list(result.years)
            )
        }
        user = actor if getattr(actor, "pk", None) else None
        new, changed = [], []
        for employee, year, predikat, _grade in parsed:
            rating = existing.get((employee.pk, year))
            if rating is None:
                new.append(
                    PerformanceRating(
                        employee=employee, year=year, predikat=predikat, source="import", entered_by=user
                    )
                )
            else:
                rating.predikat, rating.source, rating.entered_by = predikat, "import", user
                rating.updated_at = timezone.now()
                changed.append(rating)
        PerformanceRating.objects.bulk_create(new, batch_size=1000)
        PerformanceRating.objects.bulk_update(
            changed, ["predikat", "source", "entered_by", "updated_at"], batch_size=1000
        )
        grades = {e.pk: g for e, _y, _p, g in parsed if g}
        if grades:
            EmployeeGrade.objects.bulk_create(
                [EmployeeGrade(employee_id=pk, grade=g) for pk, g in grades.items()],
                batch_size=1000,
                update_conflicts=True,
                unique_fields=["employee"],
                update_fields=["grade", "updated_at"],
            )
        result.created, result.updated = len(new), len(changed)
        audit_entry(
            actor=actor,
            action="talent.skp_import",
            instance=TalentSettings.load(),
            note=f"{file_name[:120]}: {len(new)} baru, {len(changed)} diganti",
        )
        if refresh:
            for year in sorted(result.years):
                placements_refresh(year=year, actor=actor)
    return result
