"""manage.py import_tickets FILE [--dry-run]: historical tickets from a queue machine, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.queueing.imports import OPTIONAL, REQUIRED, import_tickets


class Command(BaseCommand):
    help = (
        f"Impor riwayat tiket antrean (kolom {', '.join(REQUIRED)}; opsional {', '.join(OPTIONAL)}) dari CSV "
        "atau XLSX. Waktu tanpa zona dianggap WIB. Satu baris salah membatalkan seluruh impor (kode keluar 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas CSV atau XLSX")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        result = import_tickets(path.read_bytes(), path.name, dry_run=options["dry_run"])
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            rows = len({e.row for e in result.errors})
            raise CommandError(
                f"Impor dibatalkan: {len(result.errors)} kesalahan di {rows} baris; tidak ada data yang diubah."
            )
        if options["dry_run"]:
            self.stdout.write(
                f"Uji coba (--dry-run): {result.total_rows} baris valid, tidak ada yang disimpan."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Impor selesai: {result.created} tiket dari {result.total_rows} baris.")
            )
