"""The demo history: replayed from the data, measured from the data, and a rerun adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mumpuni.learning.models import JpEntry
from mumpuni.nudges.models import NudgeLog
from mumpuni.nudges.seeding import seed_demo
from mumpuni.nudges.tests.fixtures import NudgeTestCase


class SeedDemoTests(NudgeTestCase):
    def test_it_replays_the_rules_and_measures_from_the_data(self) -> None:
        today = timezone.localdate()
        for year in (today.year - 1, today.year):  # the 26 weeks may reach into last year
            JpEntry.objects.create(
                employee=self.supervisor_employee,
                occurred_on=dt.date(year, 1, 2),
                year=year,
                jp=Decimal("20"),
                source="import",
            )
        seed_demo(seed=1)
        logs = NudgeLog.objects.filter(kind="jp_behind")
        users = set(logs.values_list("user_id", flat=True))
        self.assertIn(self.employee.pk, users)  # no JP at all this year
        self.assertNotIn(self.supervisor.pk, users)  # 20 JP already in January
        self.assertFalse(
            logs.filter(
                measured_at__isnull=True, created_at__lt=timezone.now() - dt.timedelta(days=14)
            ).exists()
        )
        self.assertFalse(logs.filter(acted=True).exists())  # nobody earned JP after a nudge
        count = NudgeLog.objects.count()
        seed_demo(seed=1)
        self.assertEqual(NudgeLog.objects.count(), count)
