"""Kelurahan of the city from people/data/semarang_wilayah.csv (Kepmendagri codes), read once."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "people" / "data" / "semarang_wilayah.csv"


@lru_cache(maxsize=1)
def kelurahan_index() -> dict[str, tuple[str, str]]:
    """kelurahan code → (kecamatan code, kelurahan name)."""
    with DATA.open(encoding="utf-8") as fh:
        return {
            row["kelurahan_code"]: (row["kecamatan_code"], row["kelurahan"]) for row in csv.DictReader(fh)
        }


def kelurahan_by_kecamatan() -> dict[str, list[tuple[str, str]]]:
    """kecamatan code → [(kelurahan code, name)] sorted by name (for the form's dependent select)."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for code, (kec, name) in kelurahan_index().items():
        grouped.setdefault(kec, []).append((code, name))
    return {k: sorted(v, key=lambda p: p[1]) for k, v in grouped.items()}
