"""manage.py ikm --unit CODE --from DATE --to DATE [--population N] [--json]

Prints the IKM of a unit (with its subtree) for a period: respondents, NRR per unsur (only those answered),
IKM (×25, 2 decimals), mutu, kinerja and the Krejcie–Morgan sample check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.people.models import Unit
from mumpuni.surveys.selectors import IkmFilter, ikm_report


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"tanggal tidak valid: {value!r} (format YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "IKM of a unit for a period (PermenPANRB 14/2017)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="unit code, e.g. 33.74.10")
        parser.add_argument("--from", dest="date_from", required=True, type=_date)
        parser.add_argument("--to", dest="date_to", required=True, type=_date)
        parser.add_argument("--population", type=int, default=None, help="service users (default: tickets)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Unit {options['unit']} tidak dikenal.")
        if options["date_to"] < options["date_from"]:
            raise CommandError("--to tidak boleh sebelum --from.")
        if options["population"] is not None and options["population"] < 0:
            raise CommandError("--population tidak boleh negatif.")
        report = ikm_report(
            IkmFilter(unit=unit, date_from=options["date_from"], date_to=options["date_to"]),
            given_population=options["population"],
        )
        data = report.as_json()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"{unit.name} ({unit.code}), {options['date_from']} s.d. {options['date_to']}")
        self.stdout.write(f"Responden: {data['respondents']}")
        for code, value in data["nrr"].items():
            self.stdout.write(f"  NRR {code}: {value:.3f}")
        if data["ikm"] is None:
            self.stdout.write("IKM: belum ada jawaban")
        else:
            self.stdout.write(f"IKM: {data['ikm']:.2f} — mutu {data['mutu']} ({data['kinerja']})")
        verdict = "cukup" if data["sample_adequate"] else "belum cukup"
        self.stdout.write(
            f"Sampel minimal (Krejcie–Morgan) untuk {data['population']} pengguna layanan: "
            f"{data['sample_required']} — {verdict}"
        )
