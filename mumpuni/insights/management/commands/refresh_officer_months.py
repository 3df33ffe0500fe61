"""manage.py refresh_officer_months: rebuild the officer × month roll-up from tickets, SKM and complaints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mumpuni.insights import services


class Command(BaseCommand):
    help = (
        "Perbarui rekap petugas per bulan (tiket, SKM, pengaduan). Rebuild the officer-month roll-up: "
        "by default this month and last month; --since YYYY-MM or --all for history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="bulan pertama, TTTT-BB")
        parser.add_argument("--all", action="store_true", help="semua bulan yang punya data")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            months = services.data_months()
        elif options["since"]:
            try:
                first = dt.datetime.strptime(options["since"], "%Y-%m").date()
            except ValueError as exc:
                raise CommandError("--since harus berbentuk TTTT-BB, mis. 2026-01.") from exc
            months = services.months_between(first, timezone.localdate())
        else:
            months = services.recent_months()
        counts = services.officer_months_refresh(months=months)
        self.stdout.write(
            f"{len(months)} bulan: {counts['written']} baris ditulis, {counts['replaced']} diganti."
        )
