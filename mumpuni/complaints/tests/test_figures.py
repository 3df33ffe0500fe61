"""Complaint figures: counts, medians in hours and working days, on-time share, ratings, complaints per 1,000
tickets per point and per officer, the page, the XLSX export and who may read them."""

from __future__ import annotations

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from mumpuni.complaints.models import Complaint
from mumpuni.complaints.selectors.figures import WorkdayIndex, complaint_figures
from mumpuni.complaints.services import workflow
from mumpuni.complaints.tests.desk_fixtures import ComplaintTestCase, at
from mumpuni.lib.workdays import WorkCalendar
from mumpuni.queueing.models import Ticket

D = dt.date
MONDAY = D(2026, 9, 7)
PERIOD = (D(2026, 9, 1), D(2026, 9, 30))
TODAY = D(2026, 10, 15)
ANSWER = "Terima kasih, loket tambahan sudah kami buka mulai besok pagi."


def make_tickets(point, service, officer, n: int, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    Ticket.objects.bulk_create(
        Ticket(
            point=point,
            service=service,
            service_date=day,
            group_letter="A",
            sequence=i + 1,
            number=f"A-{i + 1:03d}",
            queue_at=at(day, 8),
            issued_at=at(day, 8),
            officer=officer,
            status=Ticket.Status.DONE,
        )
        for i in range(n)
    )


class FiguresTests(ComplaintTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        self = cls()
        # Tembalang: received Mon 7 Sep 09:00; verified Tue 10:00 (25 h, 1 working day);
        # answered Wed 16 Sep 09:00 (216 h, 7 working days) — within answer_due (25 Sep).
        a = self.received(MONDAY)
        workflow.verify(a, cls.desk, now=at(D(2026, 9, 8), 10))
        workflow.forward(a, cls.desk, unit=cls.tembalang, now=at(D(2026, 9, 8), 11))
        a = workflow.answer(a, cls.camat, text=ANSWER, now=at(D(2026, 9, 16), 9))
        workflow.rate(a, secret=a.complainant_secret, rating=4, now=at(D(2026, 9, 16), 12))
        # Tembalang: received Fri 11 Sep, verified Mon 14 Sep 09:00 (72 h, 1 working day); answered
        # Fri 2 Oct — after answer_due (1 Oct): late.
        b = self.received(D(2026, 9, 11))
        workflow.forward(b, cls.desk, unit=cls.tembalang, now=at(D(2026, 9, 14), 9))
        b = workflow.answer(b, cls.camat, text=ANSWER, now=at(D(2026, 10, 2), 9))
        workflow.rate(b, secret=b.complainant_secret, rating=2, now=at(D(2026, 10, 2), 12))
        # Tembalang: still open and past answer_due (late, unanswered); officer behaviour.
        c = self.received(D(2026, 9, 2), category=Complaint.Category.OFFICER_BEHAVIOUR)
        Complaint.objects.filter(pk=c.pk).update(officer=cls.officer_employee)
        workflow.forward(c, cls.desk, unit=cls.tembalang, now=at(D(2026, 9, 2), 10))
        # Banyumanik point, rejected.
        d = self.received(D(2026, 9, 3), point=cls.other_point)
        workflow.reject(d, cls.desk, reason=Complaint.RejectionReason.UNCLEAR, now=at(D(2026, 9, 3), 15))
        # Outside the period.
        self.received(D(2026, 8, 20))
        make_tickets(cls.point, cls.ktp, cls.officer_employee, 1500, D(2026, 9, 8))
        make_tickets(cls.other_point, cls.ktp, None, 500, D(2026, 9, 8))
        make_tickets(cls.point, cls.sktm, cls.officer_employee, 100, D(2026, 8, 8))  # outside

    def report(self, user=None):  # type: ignore[no-untyped-def]
        return complaint_figures(user or self.desk, *PERIOD, today=TODAY)

    def test_totals(self) -> None:
        t = self.report().total
        self.assertEqual((t.total, t.rejected, t.answered, t.on_time, t.late_unanswered), (4, 1, 2, 1, 1))
        self.assertAlmostEqual(t.on_time_share or 0, 1 / 3)
        self.assertEqual((t.rating_mean, t.rating_count), (3.0, 2))
        self.assertEqual(t.open, 1)
        self.assertEqual(t.overdue, 1)

    def test_medians_in_hours_and_working_days(self) -> None:
        unit = next(g for g in self.report().by_unit if g.key == self.tembalang.pk)
        self.assertEqual(unit.total, 3)
        # verify: a 25 h / 1 wd, b 72 h / 1 wd, c (forwarded Wed 2 Sep 10:00) 1 h / 0 wd.
        self.assertEqual(unit.verify_hours, 25.0)
        self.assertEqual(unit.verify_days, 1)
        # answer: a 216 h / 7 wd, b (11 Sep → 2 Oct) 504 h / 15 wd.
        self.assertEqual(unit.answer_hours, (216 + 504) / 2)
        self.assertEqual(unit.answer_days, (7 + 15) / 2)

    def test_groups(self) -> None:
        report = self.report()
        self.assertEqual(
            {g.label: g.total for g in report.by_unit}, {"Kecamatan Tembalang": 3, "Belum diteruskan": 1}
        )
        self.assertEqual({g.key: g.total for g in report.by_category}, {"waktu_tunggu": 3, "perilaku": 1})

    def test_complaints_per_thousand_tickets(self) -> None:
        report = self.report()
        points = {r.label: (r.complaints, r.tickets, r.per_thousand) for r in report.by_point}
        self.assertEqual(points[self.point.name], (3, 1500, 2.0))
        self.assertEqual(points[self.other_point.name], (1, 500, 2.0))
        officers = {r.label: (r.complaints, r.tickets) for r in report.by_officer}
        self.assertEqual(officers[self.officer_employee.name], (1, 1500))
        self.assertEqual(report.per_thousand_tickets, 2.0)

    def test_a_camat_sees_his_scope(self) -> None:
        report = self.report(self.camat)
        self.assertEqual(report.total.total, 3)
        self.assertEqual([r.label for r in report.by_point], [self.point.name])
        self.assertEqual(self.report(self.other).total.total, 1)

    def test_query_count_does_not_grow_with_complaints(self) -> None:
        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.report()
            return len(ctx.captured_queries)

        before = count()
        for day in (D(2026, 9, 21), D(2026, 9, 22)):
            workflow.forward(self.received(day, point=self.other_point), self.desk, unit=self.banyumanik)
        self.assertEqual(count(), before)

    def test_workday_index_matches_the_calendar(self) -> None:
        calendar = WorkCalendar.with_leave([D(2026, 3, 18), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24)])
        index = WorkdayIndex(calendar, D(2026, 3, 1), D(2026, 4, 30))
        for start, end in (
            (D(2026, 3, 17), D(2026, 3, 27)),
            (D(2026, 3, 2), D(2026, 4, 30)),
            (D(2026, 3, 17), D(2026, 5, 4)),
        ):
            self.assertEqual(index.between(start, end), calendar.working_days_between(start, end))

    def test_the_page_and_the_export(self) -> None:
        self.login(self.executive)
        url = reverse("complaints:figures")
        response = self.client.get(url, {"date_from": "2026-09-01", "date_to": "2026-09-30"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kecamatan Tembalang")
        self.assertContains(response, "Pengaduan per 1.000 tiket per tempat layanan")
        response = self.client.get(
            url, {"date_from": "2026-09-01", "date_to": "2026-09-30", "format": "xlsx"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertEqual(rows[0][:3], ["kelompok", "nama", "jumlah"])
        self.assertEqual(rows[1][:3], ["total", "Semua", "4"])
        self.assertIn(["tempat", self.point.name, "33.74.10", "3", "1500", "2.00"], [r[:6] for r in rows])

    def test_the_default_period_and_bad_input(self) -> None:
        self.login(self.desk)
        url = reverse("complaints:figures")
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        report = response.context["report"]
        self.assertEqual((report.date_to - report.date_from).days, 89)
        response = self.client.get(url, {"date_from": "2026-10-01", "date_to": "2026-09-01"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["date_from"])

    def test_it_refuses_outsiders(self) -> None:
        url = reverse("complaints:figures")
        for user in (self.supervisor, self.employee, self.officer, self.other_officer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.get(url, {"format": "xlsx"}).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)
