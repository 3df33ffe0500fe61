"""queueing.seeding.seed_demo on the persona cast: catalogue, points, hours, holidays, counters, shifts."""

from __future__ import annotations

from django.utils import timezone

from mumpuni.people.models import Position
from mumpuni.queueing.models import Counter, CounterShift, OpeningHours, PointClosure, Service, ServicePoint
from mumpuni.queueing.seeding import seed_demo
from mumpuni.queueing.services.catalogue import CATALOGUE
from mumpuni.testing import BaseTestCase


class SeedDemoTests(BaseTestCase):
    def test_it_seeds_points_counters_and_the_demo_officers_shift(self) -> None:
        Position.objects.filter(pk=self.pos_staff.pk).update(is_front_line=True)
        summary = seed_demo(seed=1)
        self.assertIn("2 points", summary)
        self.assertEqual(Service.objects.count(), len(CATALOGUE))
        self.assertTrue(all(s.fee == 0 and s.requirements and s.icon for s in Service.objects.all()))
        self.assertEqual(
            set(ServicePoint.objects.values_list("unit__code", flat=True)), {"33.74.10", "33.74.11"}
        )
        point = ServicePoint.objects.get(unit__code="33.74.10")
        self.assertEqual(OpeningHours.objects.filter(point=point, weekday=4).count(), 2)  # Friday break
        # Holidays come from the working-day calendar (holidays package, cuti bersama), not from seeded rows.
        self.assertFalse(PointClosure.objects.exists())
        self.assertTrue(3 <= Counter.objects.filter(point=point).count() <= 5)
        shift = CounterShift.objects.get(date=timezone.localdate(), officer=self.officer_employee)
        self.assertEqual(shift.counter.number, 1)
        self.assertEqual(shift.counter.point, point)

    def test_it_is_idempotent(self) -> None:
        seed_demo(seed=1)
        counts = (Counter.objects.count(), CounterShift.objects.count(), PointClosure.objects.count())
        seed_demo(seed=1)
        self.assertEqual(
            (Counter.objects.count(), CounterShift.objects.count(), PointClosure.objects.count()), counts
        )
