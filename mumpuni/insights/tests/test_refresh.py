"""officer_months_refresh: the roll-up from hand-made tickets, SKM answers and complaints."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from mumpuni.complaints.models import Complaint
from mumpuni.insights import services, tasks
from mumpuni.insights.models import OfficerMonth
from mumpuni.queueing.tests.stats_factory import at, make_counter, make_point, make_service, make_ticket
from mumpuni.surveys.models import SurveyResponse
from mumpuni.testing import BaseTestCase

DAY = dt.date(2026, 10, 14)


class OfficerMonthsRefreshTests(BaseTestCase):
    def setUp(self) -> None:
        self.point = make_point(self.tembalang, "Kantor Kecamatan Tembalang")
        self.service = make_service()
        self.counter = make_counter(self.point)
        officer = self.officer_employee
        # Two served tickets in October: waits 4 and 6 minutes, service 8 and 12 minutes.
        self.t1 = make_ticket(
            self.point, self.service, issued=at(DAY, 8), wait=4, service_minutes=8, officer=officer
        )
        self.t2 = make_ticket(
            self.point, self.service, issued=at(DAY, 9), wait=6, service_minutes=12, officer=officer
        )
        # Not counted: a no-show (never started), a ticket without officer, a ticket in November.
        make_ticket(
            self.point, self.service, issued=at(DAY, 10), wait=None, status="no_show", officer=officer
        )
        make_ticket(self.point, self.service, issued=at(DAY, 11), wait=3, service_minutes=5)
        make_ticket(
            self.point,
            self.service,
            issued=at(dt.date(2026, 11, 2), 8),
            wait=1,
            service_minutes=30,
            officer=officer,
        )
        # SKM: one response all 4s (score 100), one with 3,3,2 and the rest blank (mean 8/3 × 25 = 66.67).
        self.answer(self.t1, u1=4, u2=4, u3=4, u4=4, u5=4, u6=4, u7=4, u8=4, u9=4)
        self.answer(self.t2, u1=3, u2=3, u3=2)
        # Complaints: one counted; a rejected one and an aspiration are not.
        for kind, status in (
            (Complaint.Kind.COMPLAINT, Complaint.Status.VERIFIED),
            (Complaint.Kind.COMPLAINT, Complaint.Status.REJECTED),
            (Complaint.Kind.ASPIRATION, Complaint.Status.VERIFIED),
        ):
            Complaint.objects.create(
                kind=kind,
                status=status,
                category="perilaku",
                title="Petugas kurang ramah",
                description="Petugas loket 1 kurang ramah.",
                received_at=at(DAY, 15),
                verify_due=DAY + dt.timedelta(days=3),
                answer_due=DAY + dt.timedelta(days=20),
                officer=officer,
                point=self.point,
            )

    def answer(self, ticket: object, **answers: int) -> SurveyResponse:
        return SurveyResponse.objects.create(
            unit=self.tembalang,
            point=self.point,
            officer=self.officer_employee,
            ticket=ticket,
            service_date=DAY,
            channel=SurveyResponse.Channel.COUNTER,
            **answers,
        )

    def test_it_rolls_up_a_month_by_hand(self) -> None:
        counts = services.officer_months_refresh(months=[DAY])
        self.assertEqual(counts["written"], 1)
        row = OfficerMonth.objects.get()
        self.assertEqual((row.officer_id, row.month), (self.officer_employee.pk, dt.date(2026, 10, 1)))
        self.assertEqual(row.tickets, 2)
        self.assertAlmostEqual(row.service_minutes_sum, 20.0)
        self.assertAlmostEqual(row.wait_minutes_sum, 10.0)
        self.assertAlmostEqual(row.service_minutes or 0, 10.0)
        self.assertEqual(row.skm_count, 2)
        self.assertAlmostEqual(row.skm_sum, 100 + 8 / 3 * 25)
        self.assertEqual(row.complaints, 1)
        self.assertAlmostEqual(row.complaints_per_100 or 0, 50.0)
        self.assertFalse(row.synthetic)

    def test_it_is_idempotent_and_replaces_synthetic_rows(self) -> None:
        OfficerMonth.objects.create(
            officer=self.officer_employee, month=dt.date(2026, 10, 1), tickets=99, synthetic=True
        )
        OfficerMonth.objects.create(  # a synthetic row of an officer without real data stays
            officer=self.employee_employee, month=dt.date(2026, 10, 1), tickets=50, synthetic=True
        )
        services.officer_months_refresh(months=[DAY])
        services.officer_months_refresh(months=[dt.date(2026, 10, 31)])
        rows = {r.officer_id: r for r in OfficerMonth.objects.all()}
        self.assertEqual(rows[self.officer_employee.pk].tickets, 2)
        self.assertFalse(rows[self.officer_employee.pk].synthetic)
        self.assertEqual(rows[self.employee_employee.pk].tickets, 50)

    def test_it_removes_a_real_row_whose_data_are_gone(self) -> None:
        services.officer_months_refresh(months=[DAY])
        from mumpuni.queueing.models import Ticket

        SurveyResponse.objects.all().delete()
        Complaint.objects.all().delete()
        Ticket.objects.filter(service_date=DAY).delete()
        services.officer_months_refresh(months=[DAY])
        self.assertFalse(OfficerMonth.objects.filter(month=dt.date(2026, 10, 1)).exists())

    def test_the_command_refreshes_all_months_with_data(self) -> None:
        call_command("refresh_officer_months", "--since", "2026-10", stdout=_Sink())
        months = sorted(OfficerMonth.objects.values_list("month", flat=True))
        self.assertEqual(months, [dt.date(2026, 10, 1), dt.date(2026, 11, 1)])
        november = OfficerMonth.objects.get(month=dt.date(2026, 11, 1))
        self.assertEqual(november.tickets, 1)
        self.assertAlmostEqual(november.service_minutes_sum, 30.0)

    def test_the_task_refreshes_recent_months(self) -> None:
        result = tasks.refresh_officer_months()
        self.assertIn("written", result)
        self.assertEqual(
            services.recent_months(dt.date(2026, 1, 15)), [dt.date(2025, 12, 1), dt.date(2026, 1, 1)]
        )


class _Sink:
    def write(self, *_: object, **__: object) -> None:
        pass

    def flush(self) -> None:
        pass
