"""manage.py refresh_rollups [--full] [--only queue,survey,…] [--impact]: refresh the dashboards' roll-ups."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.insights import rollups


class Command(BaseCommand):
    help = (
        "Perbarui rekap harian dasbor (antrean, SKM, pengaduan, pelatihan, JP per unit). Refresh the "
        "dashboards' daily roll-ups: incrementally by default, --full rebuilds everything; --only picks "
        f"some of {', '.join(rollups.ROLLUPS)}; --impact also refreshes the impact snapshots."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="bangun ulang semuanya")
        parser.add_argument("--only", default="", help="daftar dipisah koma, mis. queue,survey")
        parser.add_argument("--impact", action="store_true", help="juga perbarui ringkasan dampak")

    def handle(self, *args: Any, **options: Any) -> None:
        only = [n.strip() for n in options["only"].split(",") if n.strip()] or None
        try:
            figures = rollups.refresh_all(full=options["full"], only=only)
        except ValueError as exc:
            raise CommandError(f"--only: {exc} (pilih dari {', '.join(rollups.ROLLUPS)})") from exc
        self.stdout.write(f"{'rekap':<10} {'mode':<6} {'baris':>9} {'hari':>6} {'bulan':>6} {'detik':>8}")
        for name, f in figures.items():
            if f.get("skipped"):
                self.stdout.write(f"{name:<10} dilewati: pembaruan lain atas rekap ini sedang berjalan")
                continue
            mode = "penuh" if f["full"] else "inkr"
            self.stdout.write(
                f"{name:<10} {mode:<6} {f['rows']:>9,} {f.get('days', 0):>6} {f.get('months', 0):>6} "
                f"{f['seconds']:>8.2f}"
            )
        total = sum(f["seconds"] for f in figures.values())
        self.stdout.write(
            f"{'total':<10} {'':<6} {sum(f['rows'] for f in figures.values()):>9,} "
            f"{'':>6} {'':>6} {total:>8.2f}"
        )
        if options["impact"]:
            impact = rollups.refresh_impact_snapshots()
            self.stdout.write(
                f"dampak: {impact['written']} ringkasan ({impact['refused']} ditolak karena data tipis), "
                f"{impact['seconds']:.2f} s"
            )
