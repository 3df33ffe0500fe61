"""manage.py staffing: the exact JSON, the percentage form of the service level, and clear errors."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("staffing", *args, stdout=out)
    return out.getvalue()


BASE = ("--arrivals-per-hour", "30", "--mean-service-minutes", "6", "--target-wait-minutes", "1")


class StaffingCommandTests(SimpleTestCase):
    def test_it_prints_the_exact_json(self) -> None:
        """λ = 30/h, S = 6 → A = 3; target 80 % within 1 min → 5 counters (see lib/tests/test_erlang.py)."""
        data = json.loads(run(*BASE, "--service-level", "0.8", "--json"))
        self.assertEqual(
            list(data),
            ["counters", "service_level", "probability_of_waiting", "mean_wait_minutes", "occupancy"],
        )
        self.assertEqual(data["counters"], 5)
        self.assertAlmostEqual(data["service_level"], 0.8308, places=4)
        self.assertAlmostEqual(data["occupancy"], 0.6)

    def test_it_reads_a_percentage(self) -> None:
        self.assertEqual(
            run(*BASE, "--service-level", "80", "--json"), run(*BASE, "--service-level", "0.8", "--json")
        )

    def test_it_prints_a_readable_summary(self) -> None:
        text = run(*BASE, "--service-level", "80")
        self.assertIn("Loket dibutuhkan: 5", text)
        self.assertIn("Tingkat kesibukan loket: 60.0%", text)

    def test_it_refuses_bad_input(self) -> None:
        with self.assertRaisesMessage(CommandError, "Kedatangan per jam harus bilangan 0 atau lebih."):
            run("--arrivals-per-hour", "-5", "--mean-service-minutes", "6", "--target-wait-minutes", "1")
        with self.assertRaisesMessage(CommandError, "lebih dari 0"):
            run("--arrivals-per-hour", "5", "--mean-service-minutes", "0", "--target-wait-minutes", "1")
        with self.assertRaisesMessage(CommandError, "Target tingkat layanan"):
            run(*BASE, "--service-level", "100")
