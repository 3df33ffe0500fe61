"""Each eligibility rule at its boundary (plain library, no database)."""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase

from mumpuni.talent.eligibility import Facts, Rules, add_months, check

ON = dt.date(2026, 12, 31)
FACTS = Facts(
    birth_date=dt.date(1986, 12, 31),  # 40 on ON
    service_start=dt.date(2016, 12, 1),  # 10 years on ON
    grade="III/b",
    box=8,
    bond_until=None,
)


def result(facts: Facts, rules: Rules, code: str) -> bool:
    verdict = check(facts, rules, ON)
    (rule,) = [r for r in verdict.results if r.code == code]
    return rule.passed


class EligibilityTests(SimpleTestCase):
    def test_age_boundary(self) -> None:
        self.assertTrue(result(FACTS, Rules(max_age=40), "age"))
        self.assertFalse(result(FACTS, Rules(max_age=39), "age"))
        day_before_birthday = Facts(**{**FACTS.__dict__, "birth_date": dt.date(1986, 1, 1)})
        self.assertFalse(result(day_before_birthday, Rules(max_age=39), "age"))
        not_yet_41 = Facts(**{**FACTS.__dict__, "birth_date": dt.date(1986, 1, 1)})
        self.assertTrue(result(not_yet_41, Rules(max_age=40), "age"))

    def test_grade_boundary(self) -> None:
        self.assertTrue(result(FACTS, Rules(min_grade="III/b"), "grade"))
        self.assertFalse(result(FACTS, Rules(min_grade="III/c"), "grade"))
        self.assertTrue(result(FACTS, Rules(min_grade="II/d"), "grade"))
        unknown = Facts(**{**FACTS.__dict__, "grade": None})
        verdict = check(unknown, Rules(min_grade="II/a"), ON)
        self.assertFalse(verdict.eligible)
        self.assertIn("belum tercatat", verdict.failed[0].reason)

    def test_years_of_service_boundary(self) -> None:
        self.assertTrue(result(FACTS, Rules(min_years_of_service=10), "service"))
        self.assertFalse(result(FACTS, Rules(min_years_of_service=11), "service"))
        later = Facts(**{**FACTS.__dict__, "service_start": dt.date(2017, 1, 1)})
        self.assertFalse(result(later, Rules(min_years_of_service=10), "service"))

    def test_box_rule(self) -> None:
        self.assertTrue(result(FACTS, Rules(allowed_boxes=(7, 8, 9)), "box"))
        self.assertFalse(result(FACTS, Rules(allowed_boxes=(9,)), "box"))
        unplaced = Facts(**{**FACTS.__dict__, "box": None})
        self.assertFalse(result(unplaced, Rules(allowed_boxes=(7, 8, 9)), "box"))

    def test_bond_boundary(self) -> None:
        on_the_day = Facts(**{**FACTS.__dict__, "bond_until": ON})
        self.assertFalse(result(on_the_day, Rules(), "bond"))
        day_before = Facts(**{**FACTS.__dict__, "bond_until": ON - dt.timedelta(days=1)})
        self.assertTrue(result(day_before, Rules(), "bond"))
        studying = Facts(**{**FACTS.__dict__, "ongoing_study": "S2 Administrasi Publik"})
        self.assertFalse(result(studying, Rules(), "bond"))
        self.assertEqual([r.code for r in check(on_the_day, Rules(no_ongoing_bond=False), ON).results], [])

    def test_reasons_are_indonesian_and_only_set_rules_show(self) -> None:
        verdict = check(FACTS, Rules(max_age=35, min_grade="III/a"), ON)
        self.assertEqual([r.code for r in verdict.results], ["age", "grade", "bond"])
        self.assertFalse(verdict.eligible)
        self.assertEqual(
            verdict.failed[0].reason, "Usia 40 tahun pada 31/12/2026; batas paling tinggi 35 tahun."
        )

    def test_add_months_clamps(self) -> None:
        self.assertEqual(add_months(dt.date(2026, 1, 31), 1), dt.date(2026, 2, 28))
        self.assertEqual(add_months(dt.date(2026, 6, 15), 60), dt.date(2031, 6, 15))
