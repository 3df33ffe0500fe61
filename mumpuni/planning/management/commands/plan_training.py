"""Solve a training-plan instance (domain.md exchange format) from a JSON file into a JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mumpuni.planning.solver import InstanceError, solve


class Command(BaseCommand):
    help = (
        "Optimise a training plan: --input IN.json --output OUT.json [--time-limit S] "
        "[--method auto|colgen|mip|lagrangian|national]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--time-limit", type=float, default=None, dest="time_limit")
        parser.add_argument(
            "--method", choices=["auto", "colgen", "mip", "lagrangian", "national"], default="auto"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            instance = json.loads(options["input"].read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Tidak dapat membaca {options['input']}: {exc}") from exc
        try:
            result = solve(instance, time_limit=options["time_limit"], method=options["method"])
        except InstanceError as exc:
            raise CommandError("Instance tidak valid:\n" + "\n".join(exc.messages)) from exc
        options["output"].write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        if result["status"] == "infeasible":
            self.stdout.write(f"infeasible: {result['reason']}")
        else:
            self.stdout.write(
                f"{result['status']}: objective {result['objective']:.2f}, bound {result['bound']:.2f}, "
                f"gap {result['gap']:.4%}, cost {result['cost']:,.0f}, {len(result['assignments'])} assignments, "
                f"{result['solve_seconds']:.1f} s"
            )
