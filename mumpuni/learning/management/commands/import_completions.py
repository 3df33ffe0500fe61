"""manage.py import_completions FILE [--dry-run]: historical completions into the JP ledger, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.learning.completion_import import OPTIONAL, REQUIRED, import_completions


class Command(BaseCommand):
    help = (
        f"Import historical completions (columns {', '.join(REQUIRED)}; optional {', '.join(OPTIONAL)}) "
        "from CSV or XLSX into the JP ledger; any bad row changes nothing and exits non-zero."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        result = import_completions(path.read_bytes(), path.name, actor=None, dry_run=options["dry_run"])
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Impor dibatalkan: {len(result.errors)} kesalahan di {len({e.row for e in result.errors})} "
                "baris; tidak ada data yang diubah."
            )
        counts = f"{result.created} baris JP baru, {result.unchanged} sudah tercatat"
        if options["dry_run"]:
            self.stdout.write(
                f"Uji coba (--dry-run), tidak ada yang disimpan. {result.total_rows} baris: {counts}."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Impor selesai. {result.total_rows} baris: {counts}."))
