"""manage.py staffing: Erlang C staffing advice (counters needed) for an arrival rate and service time."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.lib.erlang import ErlangError, staffing_advice


def parse_service_level(raw: float) -> float:
    """A fraction 0–1, or a percentage above 1 (80 → 0.8) because people say "80 %"."""
    return raw / 100.0 if raw > 1 else raw


class Command(BaseCommand):
    help = (
        "Saran jumlah loket (Erlang C): loket minimum agar tingkat layanan tercapai. "
        "Staffing advice: the smallest number of counters whose service level reaches the target."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--arrivals-per-hour", type=float, required=True, help="kedatangan per jam (λ)")
        parser.add_argument(
            "--mean-service-minutes", type=float, required=True, help="rata-rata waktu layanan (menit)"
        )
        parser.add_argument(
            "--target-wait-minutes", type=float, required=True, help="target waktu tunggu (menit)"
        )
        parser.add_argument(
            "--service-level",
            type=float,
            default=0.8,
            help="target tingkat layanan: pecahan 0–1 (0.8) atau persen (80 → 0.8); bawaan 0.8",
        )
        parser.add_argument("--json", action="store_true", help="cetak JSON saja")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            advice = staffing_advice(
                arrivals_per_hour=options["arrivals_per_hour"],
                mean_service_minutes=options["mean_service_minutes"],
                target_wait_minutes=options["target_wait_minutes"],
                target_service_level=parse_service_level(options["service_level"]),
            )
        except ErlangError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(advice.as_dict()))
            return
        self.stdout.write(
            f"Loket dibutuhkan: {advice.counters}\n"
            f"Tingkat layanan (menunggu ≤ {options['target_wait_minutes']:g} menit): "
            f"{advice.service_level:.1%}\n"
            f"Peluang menunggu: {advice.probability_of_waiting:.1%}\n"
            f"Rata-rata waktu tunggu: {advice.mean_wait_minutes:.1f} menit\n"
            f"Tingkat kesibukan loket: {advice.occupancy:.1%}"
        )
