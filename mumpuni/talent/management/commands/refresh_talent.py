"""manage.py refresh_talent [--year YYYY]: rebuild the 9-box snapshot of a year (default: the latest)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mumpuni.talent.selectors import default_year
from mumpuni.talent.services import placements_refresh


class Command(BaseCommand):
    help = "Hitung ulang penempatan 9-box semua pegawai aktif untuk satu tahun SKP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="tahun SKP (bawaan: tahun terakhir)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or default_year()
        started = time.perf_counter()
        result = placements_refresh(year=year)
        self.stdout.write(
            f"9-box {year}: {result.employees} pegawai, {result.placed} tertempatkan "
            f"({time.perf_counter() - started:.1f} s)."
        )
