"""The demo seeder drafts this year's plans for Tembalang through the real service and moves only plans of
at least 20 JP beyond the draft."""

from __future__ import annotations

from mumpuni.development.models import DevelopmentPlan
from mumpuni.development.seeding import seed_demo
from mumpuni.development.services import JP_TARGET, planned_jp
from mumpuni.people.models import Employee
from mumpuni.testing import BaseTestCase


class SeedingTests(BaseTestCase):
    def test_plans_for_tembalang_staff_except_the_demo_employee(self) -> None:
        summary = seed_demo(seed=1)
        self.assertIn("development:", summary)
        staff = Employee.objects.filter(unit__path__startswith=self.tembalang.path, active=True)
        expected = staff.exclude(user__username="pegawai").count()
        self.assertGreater(expected, 0)
        self.assertEqual(DevelopmentPlan.objects.count(), expected)
        self.assertFalse(DevelopmentPlan.objects.filter(employee__user__username="pegawai").exists())
        self.assertFalse(DevelopmentPlan.objects.exclude(employee__in=staff).exists())
        for plan in DevelopmentPlan.objects.exclude(status="draft"):
            self.assertGreaterEqual(planned_jp(plan), JP_TARGET)
            self.assertTrue(plan.comments.filter(step="proposed").exists())
            self.assertIsNotNone(plan.proposed_at)
