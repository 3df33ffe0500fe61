"""The demo seeder on the personas' small city: sources, budgets, importances, a scenario that ran."""

from __future__ import annotations

from django.utils import timezone

from mumpuni.planning.models import Budget, FundingSource, Scenario, UnitBudget
from mumpuni.planning.seeding import seed_demo
from mumpuni.planning.tests.fixtures import PlanningTestCase


class SeedingTests(PlanningTestCase):
    def test_it_seeds_once_and_within_the_budgets(self) -> None:
        Budget.objects.all().delete()  # the fixtures' budget; the seeder reuses their sources by code
        summary = seed_demo(seed=1)
        self.assertIn("planning:", summary)
        year = timezone.localdate().year
        for y in (year, year + 1):
            for source in FundingSource.objects.all():
                total = Budget.objects.get(year=y, source=source).amount
                shared = sum(
                    UnitBudget.objects.filter(year=y, source=source).values_list("amount", flat=True)
                )
                self.assertLessEqual(shared, total)
        scenario = Scenario.objects.get()
        self.assertEqual(scenario.year, year + 1)
        self.assertEqual(scenario.runs.get().status, "done")
        again = seed_demo(seed=1)
        self.assertIn("already run", again)
        self.assertEqual(Scenario.objects.count(), 1)
        self.assertEqual(Budget.objects.count(), 6)
