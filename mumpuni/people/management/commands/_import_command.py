"""The shared body of import_employees, import_units and import_positions (all or nothing, like the web)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.people import imports


class ImportCommand(BaseCommand):
    kind: str = ""

    def add_arguments(self, parser: CommandParser) -> None:
        spec = imports.SPECS[self.kind]
        parser.add_argument(
            "file",
            help=f"CSV or XLSX file; columns {', '.join(spec.required)} (optional: {', '.join(spec.optional) or '-'})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report what would change; write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        dry_run = options["dry_run"]
        # actor=None: the system; the audit log records "sistem" as the one who imported.
        plan = imports.import_file(self.kind, path.read_bytes(), path.name, actor=None, dry_run=dry_run)
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Impor dibatalkan: {len(plan.errors)} kesalahan di {len({e.row for e in plan.errors})} baris; "
                "tidak ada data yang diubah."
            )
        counts = f"dibuat {plan.created}, diubah {plan.updated}, tidak berubah {plan.unchanged}"
        if dry_run:
            self.stdout.write(
                f"Uji coba (--dry-run), tidak ada yang disimpan. {plan.total_rows} baris: akan {counts}."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Impor selesai. {plan.total_rows} baris: {counts}."))
