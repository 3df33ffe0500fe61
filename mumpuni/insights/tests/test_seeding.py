"""The demo seed: real roll-up first, then synthetic history and planted PLY-PRIMA completions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mumpuni.insights import seeding
from mumpuni.insights.models import OfficerMonth
from mumpuni.insights.tests.fixtures import make_program
from mumpuni.learning.models import JpEntry
from mumpuni.queueing.tests.stats_factory import at, make_point, make_service, make_ticket
from mumpuni.testing import BaseTestCase, make_employee


class InsightsSeedingTests(BaseTestCase):
    def test_it_seeds_synthetic_history_once(self) -> None:
        program = make_program()
        point = make_point(self.tembalang, "Kantor Kecamatan Tembalang")
        service = make_service()
        day = timezone.localdate() - dt.timedelta(days=3)
        officers = [make_employee(f"Petugas {i}", self.tembalang) for i in range(12)]
        for i, officer in enumerate(officers):
            make_ticket(point, service, issued=at(day, 8, i), service_minutes=6 + i % 5, officer=officer)
        summary = seeding.seed_demo(seed=3)
        self.assertIn("synthetic officer-months", summary)
        real = OfficerMonth.objects.filter(synthetic=False)
        self.assertEqual(real.count(), 12)
        synthetic = OfficerMonth.objects.filter(synthetic=True)
        self.assertGreater(synthetic.count(), 12 * 18)
        self.assertLess(
            max(synthetic.values_list("month", flat=True)), min(real.values_list("month", flat=True))
        )
        planted = JpEntry.objects.filter(program=program, source=JpEntry.Source.IMPORT)
        self.assertEqual(planted.count(), int(seeding.TREATED_SHARE * 12))
        # Slower officers first: the planted completions favour the slow half.
        slow = {o.pk for i, o in enumerate(officers) if 6 + i % 5 >= 9}
        self.assertGreaterEqual(len(slow & set(planted.values_list("employee_id", flat=True))), 2)
        again = seeding.seed_demo(seed=3)
        self.assertIn("already present", again)
        self.assertEqual(OfficerMonth.objects.filter(synthetic=True).count(), synthetic.count())
