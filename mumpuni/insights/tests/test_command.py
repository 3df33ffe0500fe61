"""manage.py impact: the JSON it prints, refusals and unknown programmes."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django.core.management.base import CommandError

from mumpuni.insights.tests.fixtures import make_program, seed_history
from mumpuni.testing import BaseTestCase

KEYS = {"effect", "ci95", "naive_before_after", "officers_treated", "officers_control", "tickets", "method"}


def run(*args: str) -> dict[str, object]:
    out, err = io.StringIO(), io.StringIO()
    call_command("impact", *args, "--json", stdout=out, stderr=err)
    return json.loads(out.getvalue())


class ImpactCommandTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.program = make_program()
        cls.other_program = make_program("ARSIP")
        seed_history(cls.tembalang, cls.program)

    def test_it_prints_the_estimate_with_exactly_the_agreed_keys(self) -> None:
        payload = run("--program", "PLY-PRIMA")
        self.assertEqual(set(payload), KEYS)
        lo, hi = payload["ci95"]  # type: ignore[misc]
        self.assertLessEqual(lo, -1.5)
        self.assertGreaterEqual(hi, -1.5)
        self.assertEqual(payload["method"], "callaway_santanna_2021")
        self.assertGreaterEqual(payload["officers_treated"], 15)  # type: ignore[operator]
        self.assertGreater(payload["tickets"], 0)  # type: ignore[operator]

    def test_it_takes_an_outcome(self) -> None:
        payload = run("--program", "PLY-PRIMA", "--outcome", "skm")
        self.assertEqual(set(payload), KEYS)
        self.assertAlmostEqual(payload["effect"], 0.0, places=6)  # type: ignore[arg-type]

    def test_it_refuses_a_programme_nobody_completed(self) -> None:
        payload = run("--program", "ARSIP")
        self.assertEqual(set(payload), KEYS)
        self.assertIsNone(payload["effect"])
        self.assertEqual(payload["method"], "refused: few_treated")

    def test_it_rejects_an_unknown_programme(self) -> None:
        with self.assertRaises(CommandError):
            run("--program", "NOPE")

    def test_it_combines_programmes(self) -> None:
        payload = run("--program", "PLY-PRIMA,ARSIP")
        self.assertIsNotNone(payload["effect"])
