"""seed_history: plausible, deterministic, idempotent demo history that the statistics can read."""

from __future__ import annotations

import datetime as dt

from mumpuni.queueing.models import OpeningHours, PointClosure, PointService, Ticket, TicketSequence
from mumpuni.queueing.seeding_history import seed_history
from mumpuni.queueing.selectors import stats as selectors
from mumpuni.queueing.tests.stats_factory import make_counter, make_point, make_service
from mumpuni.testing import BaseTestCase

TODAY = dt.date(2026, 11, 28)  # a Saturday


class SeedHistoryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.point = make_point(cls.tembalang, "Kecamatan Tembalang")
        cls.ktp = make_service("KTP-REKAM", "A", target=10)
        cls.kk = make_service("KK", "B", target=15)
        for service in (cls.ktp, cls.kk):
            PointService.objects.create(point=cls.point, service=service)
        for number in (1, 2, 3):
            make_counter(cls.point, number)
        for weekday in range(5):
            OpeningHours.objects.create(
                point=cls.point, weekday=weekday, opens_at=dt.time(8), closes_at=dt.time(15)
            )
        PointClosure.objects.create(point=None, date=dt.date(2026, 11, 25), reason="Libur")

    def test_it_fills_the_opening_days_with_plausible_tickets(self) -> None:
        summary = seed_history(seed=1, days_back=14, today=TODAY)
        self.assertIn("tickets", summary)
        days = set(Ticket.objects.values_list("service_date", flat=True))
        self.assertEqual(len(days), 9)  # 10 working days in two weeks, minus the holiday
        self.assertNotIn(dt.date(2026, 11, 25), days)
        self.assertTrue(all(d.weekday() < 5 for d in days))
        per_day = Ticket.objects.filter(service_date=dt.date(2026, 11, 24)).count()
        self.assertTrue(40 <= per_day <= 150)
        for t in Ticket.objects.all()[:500]:
            self.assertLessEqual(t.issued_at, t.called_at)
            if t.status != "no_show":
                self.assertTrue(t.called_at <= t.started_at <= t.finished_at)
        seq = TicketSequence.objects.get(
            point=self.point, service_date=dt.date(2026, 11, 24), group_letter="A"
        )
        self.assertEqual(
            seq.last_value,
            Ticket.objects.filter(service_date=dt.date(2026, 11, 24), group_letter="A").count(),
        )

    def test_it_is_deterministic_and_idempotent(self) -> None:
        seed_history(seed=7, days_back=7, today=TODAY)
        first = list(Ticket.objects.order_by("id").values_list("number", "issued_at", "finished_at"))
        self.assertIn("0 tickets", seed_history(seed=7, days_back=7, today=TODAY))
        Ticket.objects.all().delete()
        TicketSequence.objects.all().delete()
        seed_history(seed=7, days_back=7, today=TODAY)
        again = list(Ticket.objects.order_by("id").values_list("number", "issued_at", "finished_at"))
        self.assertEqual(first, again)

    def test_it_feeds_the_statistics_with_a_morning_peak(self) -> None:
        seed_history(seed=3, days_back=28, today=TODAY)
        report = selectors.ticket_stats(
            self.admin, selectors.StatsFilter(date_from=TODAY - dt.timedelta(days=28), date_to=TODAY)
        )
        by_hour = {g.key: g.count for g in report.groups["hour"]}
        self.assertGreater(by_hour[10], by_hour[14])
        self.assertTrue(0 < (report.total.no_show_rate or 0) < 0.15)
        advice = selectors.staffing_by_hour(self.camat, self.point, weekday=0, today=TODAY)
        self.assertTrue(any(h.advice and h.advice.counters >= 1 for h in advice))
