"""`manage.py recommend NIP [--limit 5] [--json]`: an employee's recommendations with every score part —
what the page shows, for BKPP staff answering "why was this proposed to me?" (UU 27/2022: explainable)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from mumpuni.development.recommend import recommendations_of
from mumpuni.people.models import Employee


class Command(BaseCommand):
    help = "Rekomendasi program untuk satu pegawai, dengan rincian skor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("nip")
        parser.add_argument("--limit", type=int, default=5)
        parser.add_argument("--json", action="store_true", help="JSON instead of text")
        parser.add_argument("--language", default="id")

    def handle(self, *args: Any, **options: Any) -> None:
        employee = Employee.objects.filter(nip=options["nip"], active=True).first()
        if employee is None:
            raise CommandError(f"Tidak ada pegawai aktif dengan NIP {options['nip']}.")
        translation.activate(options["language"])
        recs = recommendations_of(employee, limit=options["limit"])
        if options["json"]:
            data = {
                "nip": employee.nip,
                "recommendations": [
                    {
                        "rank": rank,
                        "program": r.code or None,
                        "title": r.title,
                        "form": r.form,
                        "jp": r.jp,
                        "cost": r.cost,
                        "score": r.score,
                        "parts": [
                            {
                                "key": p.key,
                                "label": p.label,
                                "value": round(p.value, 3),
                                "weight": p.weight,
                                "points": p.points,
                                "explanation": p.explanation,
                            }
                            for p in r.parts
                        ],
                    }
                    for rank, r in enumerate(recs, start=1)
                ],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{employee.nip} {employee.name}")
        for rank, r in enumerate(recs, start=1):
            self.stdout.write(f"{rank}. {r.title} ({r.code or r.form}) — skor {r.score}")
            for p in r.parts:
                self.stdout.write(
                    f"   {p.label}: {p.value:.2f} × {p.weight:g} = {p.points} · {p.explanation}"
                )
