"""manage.py import_skm FILE --unit CODE --date YYYY-MM-DD [--dry-run]: paper SKM questionnaires, all or
nothing (see mumpuni/surveys/imports.py for the columns)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.common.errors import ApplicationError
from mumpuni.people.models import Unit
from mumpuni.surveys.imports import OPTIONAL, REQUIRED, import_skm


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        # argparse reports it and exits with status 2 (a CommandError here would escape as a traceback).
        raise argparse.ArgumentTypeError(f"tanggal tidak valid: {value!r} (format YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = (
        f"Impor kuesioner SKM kertas dari CSV atau XLSX (kolom {', '.join(REQUIRED)}: 1–4 atau kosong; "
        f"opsional {', '.join(OPTIONAL)}). Kolom tanggal menggantikan --date. Satu baris salah membatalkan "
        "seluruh impor (kode keluar 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas CSV atau XLSX")
        parser.add_argument("--unit", required=True, help="kode unit, mis. 33.74.10")
        parser.add_argument("--date", required=True, type=_date, help="tanggal layanan bawaan (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Unit {options['unit']} tidak dikenal.")
        try:
            result = import_skm(
                path.read_bytes(), path.name, unit, options["date"], None, dry_run=options["dry_run"]
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Impor dibatalkan: {len(result.errors)} kesalahan di {result.error_rows} baris; "
                "tidak ada data yang disimpan."
            )
        if options["dry_run"]:
            self.stdout.write(
                f"Uji coba (--dry-run): {result.total_rows} baris valid, tidak ada yang disimpan."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Impor selesai: {result.created} jawaban SKM untuk {unit.name} (batch {result.batch.pk})."
                    if result.batch
                    else "Impor selesai."
                )
            )
