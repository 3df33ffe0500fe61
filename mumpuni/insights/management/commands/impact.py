"""manage.py impact: the effect of completing a programme (or several) on its graduates' service outcomes,
by staggered difference-in-differences (see docs/insights.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.insights import selectors
from mumpuni.insights.messages import OUTCOME_LABELS, refusal_reason
from mumpuni.learning.models import Program
from mumpuni.lib import did


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


class Command(BaseCommand):
    help = (
        "Dampak pelatihan (DiD bertahap): efek lulus program terhadap waktu layanan, waktu tunggu, SKM atau "
        "pengaduan. Training impact by staggered difference-in-differences."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="kode program; beberapa dipisah koma")
        parser.add_argument("--outcome", default="service_minutes", choices=selectors.OUTCOMES)
        parser.add_argument("--json", action="store_true", help="cetak JSON saja")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            programs = selectors.programs_by_codes(options["program"].split(","))
        except Program.DoesNotExist as exc:
            raise CommandError(f"Program tidak dikenal: {exc}") from exc
        impact = selectors.program_impact(programs, options["outcome"])
        result = impact.result
        if result is None:
            raise CommandError("Belum ada data rekap petugas per bulan; jalankan refresh_officer_months.")
        if isinstance(result, did.Estimate):
            payload: dict[str, Any] = {
                "effect": _round(result.effect),
                "ci95": [_round(result.ci95[0]), _round(result.ci95[1])],
                "naive_before_after": _round(result.naive_before_after),
                "officers_treated": result.officers_treated,
                "officers_control": result.officers_control,
                "tickets": result.tickets,
                "method": result.method,
            }
        else:
            reason = refusal_reason(result)
            payload = {
                "effect": None,
                "ci95": None,
                "naive_before_after": _round(result.naive_before_after),
                "officers_treated": result.officers_treated,
                "officers_control": result.officers_control,
                "tickets": 0,
                "method": f"refused: {result.reason}",
            }
            self.stderr.write(reason)
        if options["json"]:
            self.stdout.write(json.dumps(payload))
            return
        self.stdout.write(f"{impact.codes} — {OUTCOME_LABELS[options['outcome']]}")
        for key, value in payload.items():
            self.stdout.write(f"  {key}: {value}")
        if isinstance(result, did.Estimate) and result.pretrend_p is not None:
            self.stdout.write(f"  pretrend_p: {result.pretrend_p:.3f} (df {result.pretrend_df})")
