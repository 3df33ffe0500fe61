"""Building import files in tests (CSV and XLSX) from rows of values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mumpuni.lib.tabular import write_csv, write_xlsx

EMPLOYEE_HEADER = ["nip", "nama", "unit_kode", "jabatan_kode", "atasan_nip", "email", "telepon", "status"]
UNIT_HEADER = ["kode", "nama", "jenis", "induk_kode"]
POSITION_HEADER = ["kode", "nama", "jenis", "jenjang", "unit_kode", "pelayanan_langsung"]


def csv_file(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    return write_csv(header, rows)


def xlsx_file(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    return write_xlsx(header, rows)
