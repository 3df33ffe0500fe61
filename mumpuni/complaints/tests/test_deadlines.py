"""Deadlines of real complaints: computed from the local day of receipt with the configured calendar
(weekends, national holidays, cuti bersama from the database), and restarted by forwarding."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mumpuni.common.models import CollectiveLeave
from mumpuni.complaints.models import ComplaintPolicy
from mumpuni.complaints.services import workflow
from mumpuni.complaints.tests.desk_fixtures import ComplaintTestCase, at

D = dt.date


class DeadlineTests(ComplaintTestCase):
    def leave_idul_fitri_2026(self) -> None:
        CollectiveLeave.objects.bulk_create(
            [CollectiveLeave(date=D(2026, 3, 18), name="Cuti bersama Nyepi")]
            + [CollectiveLeave(date=D(2026, 3, d), name="Cuti bersama Idul Fitri") for d in (20, 23, 24)]
        )

    def test_received_before_a_weekend(self) -> None:
        c = self.received(D(2026, 9, 11))  # Friday
        self.assertEqual(c.verify_due, D(2026, 9, 16))  # Mon, Tue, Wed
        self.assertEqual(c.answer_due, D(2026, 10, 1))  # 14 working days

    def test_received_on_a_saturday_counts_from_monday(self) -> None:
        c = self.received(D(2026, 9, 12))
        self.assertEqual(c.verify_due, D(2026, 9, 16))

    def test_the_local_day_decides_not_utc(self) -> None:
        # 20:30 UTC on Friday is 03:30 on Saturday in Semarang.
        moment = dt.datetime(2026, 9, 11, 20, 30, tzinfo=dt.UTC)
        self.assertEqual(workflow.local_date(moment), D(2026, 9, 12))
        policy = ComplaintPolicy.current()
        deadlines = workflow.initial_deadlines(moment, policy, workflow.work_calendar())
        self.assertEqual(deadlines["verify_due"], D(2026, 9, 16))

    def test_across_idul_fitri_2026(self) -> None:
        self.leave_idul_fitri_2026()
        c = self.received(D(2026, 3, 17))  # Tuesday before the holidays
        # 18 cuti, 19 Nyepi, 20 cuti, 21–22 Idul Fitri, 23–24 cuti → 25, 26, 27 March.
        self.assertEqual(c.verify_due, D(2026, 3, 27))
        c = workflow.forward(c, self.desk, unit=self.tembalang, now=at(D(2026, 3, 17), 14))
        self.assertEqual(c.followup_due, D(2026, 3, 31))  # 25, 26, 27, 30, 31

    def test_the_calendar_is_read_from_the_configuration(self) -> None:
        c = self.received(D(2026, 3, 17))
        self.assertEqual(c.verify_due, D(2026, 3, 23))  # no cuti bersama configured yet
        self.leave_idul_fitri_2026()
        later = self.received(D(2026, 3, 17))
        self.assertEqual(later.verify_due, D(2026, 3, 27))

    def test_the_policy_sets_the_number_of_days(self) -> None:
        ComplaintPolicy.objects.filter(pk=ComplaintPolicy.current().pk).update(
            verify_working_days=1, answer_working_days=5
        )
        c = self.received(D(2026, 9, 11))
        self.assertEqual((c.verify_due, c.answer_due), (D(2026, 9, 14), D(2026, 9, 18)))

    def test_an_overdue_complaint_is_overdue_from_the_day_after_its_deadline(self) -> None:
        c = self.received(D(2026, 9, 11))  # verify_due Wed 16 Sep
        overdue = lambda day: workflow.overdue_q(day)  # noqa: E731
        qs = type(c).objects.filter(pk=c.pk)
        self.assertFalse(qs.filter(overdue(D(2026, 9, 16))).exists())
        self.assertTrue(qs.filter(overdue(D(2026, 9, 17))).exists())
        self.assertEqual(timezone.localtime(c.received_at).date(), D(2026, 9, 11))
