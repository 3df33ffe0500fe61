"""Exports of employees, units and positions, and the import templates, as CSV or XLSX.

Every export has exactly the columns of its import (`imports.SPECS`), so an exported file imports back
unchanged. Rows come from a scoped queryset the caller built (a camat exports only their kecamatan) and
are read with `values_list(...).iterator()`, one query however long the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mumpuni.lib import tabular
from mumpuni.people.imports import EMPLOYEES, POSITIONS, SPECS, UNITS
from mumpuni.people.models import Employee, Position, Unit

CHUNK = 2000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILE_STEMS = {EMPLOYEES: "pegawai", UNITS: "unit", POSITIONS: "jabatan"}
COLUMN_WIDTHS = {
    "nip": 22,
    "atasan_nip": 22,
    "nama": 36,
    "email": 30,
    "unit_kode": 16,
    "induk_kode": 16,
    "jabatan_kode": 22,
    "kode": 22,
}


def employee_rows(queryset: QuerySet[Employee]) -> Iterator[list[Any]]:
    for nip, name, unit, position, supervisor, email, phone, active in queryset.values_list(
        "nip", "name", "unit__code", "position__code", "supervisor__nip", "email", "phone", "active"
    ).iterator(chunk_size=CHUNK):
        yield [
            nip,
            name,
            unit,
            position or "",
            supervisor or "",
            email,
            phone,
            "aktif" if active else "nonaktif",
        ]


def unit_rows(queryset: QuerySet[Unit]) -> Iterator[list[Any]]:
    for code, name, kind, parent in queryset.values_list("code", "name", "kind", "parent__code").iterator(
        chunk_size=CHUNK
    ):
        yield [code, name, kind, parent or ""]


def position_rows(queryset: QuerySet[Position]) -> Iterator[list[Any]]:
    for code, name, kind, level, unit, front_line in queryset.values_list(
        "code", "name", "kind", "level", "unit__code", "is_front_line"
    ).iterator(chunk_size=CHUNK):
        yield [code, name, kind, level, unit, "ya" if front_line else "tidak"]


ROWS: dict[str, Callable[[Any], Iterator[list[Any]]]] = {
    EMPLOYEES: employee_rows,
    UNITS: unit_rows,
    POSITIONS: position_rows,
}


def file_name(kind: str, fmt: str, *, template: bool = False) -> str:
    stem = FILE_STEMS[kind]
    if template:
        return f"templat-impor-{stem}.{fmt}"
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def export_xlsx(kind: str, rows: Iterable[Sequence[Any]]) -> bytes:
    spec = SPECS[kind]
    return tabular.write_xlsx(spec.columns, rows, sheet_title=spec.label, column_widths=COLUMN_WIDTHS)


def export_csv(kind: str, rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    return tabular.iter_csv(SPECS[kind].columns, rows)


def template_file(kind: str, fmt: str) -> bytes:
    """The header row and one example row; the XLSX adds a "Petunjuk" sheet describing each column."""
    spec = SPECS[kind]
    if fmt == "csv":
        return tabular.write_csv(spec.columns, [spec.example])
    return tabular.write_xlsx(
        spec.columns, [spec.example], sheet_title=spec.label, notes=spec.notes, column_widths=COLUMN_WIDTHS
    )
