"""The explanation computed from the instance when the solver's answer carries none."""

from __future__ import annotations

from django.test import SimpleTestCase

from mumpuni.planning.explain import explain

INSTANCE = {
    "competencies": [{"code": "A", "importance": 2.0}, {"code": "B", "importance": 1.0}],
    "programs": [
        {"code": "P", "cost": 1, "jp": 8, "uplift": {"A": 2}},
        {"code": "Q", "cost": 1, "jp": 8, "uplift": {"A": 1, "B": 1}},
    ],
    "employees": [{"id": "e1", "weight": 1.5, "unit": "U", "gaps": {"A": 2, "B": 1}}],
}


class ExplainTests(SimpleTestCase):
    def test_programmes_share_a_gap_without_counting_it_twice(self) -> None:
        out = explain(INSTANCE, [{"employee": "e1", "program": "Q"}, {"employee": "e1", "program": "P"}])
        # P alone is worth 1.5 × 2 × 2 = 6, Q alone 1.5 × (2 × 1 + 1) = 4.5: P first takes A's 2 levels,
        # Q is left with B only.
        self.assertEqual(out[("e1", "P")], {"value": 6.0, "closes": {"A": 2}})
        self.assertEqual(out[("e1", "Q")], {"value": 1.5, "closes": {"B": 1}})
        # Together they add up to the employee's part of the objective: 1.5 × (2 × 2 + 1 × 1) = 7.5.
        self.assertEqual(sum(v["value"] for v in out.values()), 7.5)

    def test_a_programme_that_closes_nothing_is_worth_nothing(self) -> None:
        out = explain(INSTANCE, [{"employee": "e1", "program": "P"}, {"employee": "e1", "program": "P2"}])
        self.assertEqual(out[("e1", "P2")], {"value": 0.0, "closes": {}})
