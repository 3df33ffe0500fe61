"""manage.py import_skp FILE [--dry-run]: SKP predikat per employee and year, all or nothing (columns in
mumpuni/talent/imports.py); the 9-box placements of the years in the file are refreshed afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.talent.imports import import_skp


class Command(BaseCommand):
    help = (
        "Impor predikat SKP dari CSV atau XLSX (kolom nip, year/tahun, predikat; opsional golongan). "
        "Satu baris salah membatalkan seluruh impor (kode keluar 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas CSV atau XLSX")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        result = import_skp(path.read_bytes(), path.name, None, dry_run=options["dry_run"])
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
                    f"Impor selesai: {result.created} predikat baru, {result.updated} diganti; "
                    f"penempatan 9-box tahun {', '.join(str(y) for y in sorted(result.years))} diperbarui."
                )
            )
