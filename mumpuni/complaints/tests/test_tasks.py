"""Background jobs: escalation of overdue complaints (who is notified, once per working day) and the automatic
close after the dispute window."""

from __future__ import annotations

import datetime as dt

from mumpuni.common.models import Notification
from mumpuni.complaints.models import Complaint, ComplaintEvent
from mumpuni.complaints.services import workflow
from mumpuni.complaints.services.workflow import TransitionError
from mumpuni.complaints.tasks import close_answered_after_dispute_window, escalate_overdue
from mumpuni.complaints.tests.desk_fixtures import ComplaintTestCase, at
from mumpuni.people.models import Role
from mumpuni.testing import make_account

D = dt.date
A = ComplaintEvent.Action
# A complaint received Wed 9 Sep 2026 has verify_due Mon 14 Sep; it is overdue from Tue 15 Sep.
TUESDAY_15 = D(2026, 9, 15)


class EscalationTests(ComplaintTestCase):
    def run_task(self, moment: dt.datetime) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            return escalate_overdue(now=moment)

    def recipients(self) -> set[str]:
        return set(Notification.objects.values_list("recipient__username", flat=True))

    def test_it_escalates_to_the_point_unit_head_and_the_desk(self) -> None:
        c = self.received()
        self.assertEqual(self.run_task(at(TUESDAY_15, 8)), 1)
        c.refresh_from_db()
        self.assertEqual(c.escalated_at, at(TUESDAY_15, 8))
        event = c.events.get(action=A.ESCALATED)
        self.assertFalse(event.public)
        self.assertEqual(event.unit, self.tembalang)
        self.assertIn("14-09-2026", event.message)
        # Not forwarded yet: the camat of the point's unit, the BKPP admin and the complaint desk.
        self.assertEqual(self.recipients(), {"camat", "admin", "meja-pengaduan"})
        n = Notification.objects.get(recipient=self.camat)
        self.assertEqual(n.kind, "complaint_overdue")
        self.assertEqual(n.link, f"/meja-pengaduan/{c.tracking_code}/")
        self.assertIn(c.tracking_code, n.title)

    def test_it_notifies_the_assigned_unit_and_its_ancestors(self) -> None:
        sekda = make_account("sekda", [(Role.UNIT_HEAD, self.city)])
        lurah = make_account("lurah-srondol", [(Role.UNIT_HEAD, self.srondol)])
        c = self.forwarded(unit=self.banyumanik)  # followup_due Wed 16 Sep
        self.assertEqual(self.run_task(at(D(2026, 9, 17), 8)), 1)
        users = self.recipients()
        self.assertIn(self.other.username, users)
        self.assertIn(sekda.username, users)
        self.assertNotIn(self.camat.username, users)  # the point is his, the complaint no longer
        self.assertNotIn(lurah.username, users)  # below the unit, not above it
        for outsider in (self.executive, self.supervisor, self.employee, self.officer, self.other_officer):
            self.assertNotIn(outsider.username, users)
        self.assertEqual(c.events.filter(action=A.ESCALATED).count(), 1)

    def test_it_escalates_once_per_day(self) -> None:
        self.received()
        self.assertEqual(self.run_task(at(TUESDAY_15, 8)), 1)
        self.assertEqual(self.run_task(at(TUESDAY_15, 9)), 0)
        self.assertEqual(self.run_task(at(TUESDAY_15, 23, 59)), 0)
        self.assertEqual(Notification.objects.filter(recipient=self.camat).count(), 1)
        # Still overdue on the next working day: escalated again.
        self.assertEqual(self.run_task(at(D(2026, 9, 16), 8)), 1)
        self.assertEqual(Notification.objects.filter(recipient=self.camat).count(), 2)

    def test_it_does_not_escalate_on_days_off_or_before_the_deadline(self) -> None:
        self.received()
        self.assertEqual(self.run_task(at(D(2026, 9, 14), 16)), 0)  # the deadline day itself
        self.assertEqual(self.run_task(at(D(2026, 9, 19), 9)), 0)  # Saturday
        self.assertFalse(Notification.objects.exists())

    def test_it_ignores_answered_and_rejected_complaints(self) -> None:
        self.answered()
        workflow.reject(self.received(), self.desk, reason=Complaint.RejectionReason.UNCLEAR)
        self.assertEqual(self.run_task(at(D(2026, 12, 1), 9)), 0)

    def test_the_service_is_idempotent_on_its_own(self) -> None:
        c = self.received()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(workflow.escalate(c, now=at(TUESDAY_15, 8)))
            self.assertFalse(workflow.escalate(c, now=at(TUESDAY_15, 10)))
        self.assertEqual(c.events.filter(action=A.ESCALATED).count(), 1)

    def test_inactive_users_are_not_notified(self) -> None:
        self.camat.is_active = False
        self.camat.save(update_fields=["is_active"])
        self.received()
        self.run_task(at(TUESDAY_15, 8))
        self.assertNotIn("camat", self.recipients())


class AutoCloseTests(ComplaintTestCase):
    def answered_at(self) -> tuple[Complaint, dt.datetime]:
        c = self.answered()
        c.refresh_from_db()
        assert c.answered_at is not None
        return c, c.answered_at

    def test_it_closes_after_the_dispute_window(self) -> None:
        c, answered = self.answered_at()
        self.assertEqual(close_answered_after_dispute_window(now=answered + dt.timedelta(days=8)), 1)
        c.refresh_from_db()
        self.assertEqual(c.status, Complaint.Status.CLOSED)
        event = c.events.get(action=A.CLOSED)
        self.assertIsNone(event.actor)
        self.assertIn("masa sanggah 7 hari", event.message)

    def test_the_window_edge(self) -> None:
        c, answered = self.answered_at()
        edge = answered + dt.timedelta(days=7)
        # At the very end of the window the complainant may still dispute, so nothing is closed...
        self.assertEqual(close_answered_after_dispute_window(now=edge), 0)
        c.refresh_from_db()
        self.assertEqual(c.status, Complaint.Status.ANSWERED)
        # ...one second later the window is over: closed, and a dispute is refused.
        self.assertEqual(close_answered_after_dispute_window(now=edge + dt.timedelta(seconds=1)), 1)
        with self.assertRaises(TransitionError):
            workflow.dispute(
                c,
                secret=c.complainant_secret,
                reason="Belum ada perubahan.",
                now=edge + dt.timedelta(seconds=1),
            )

    def test_a_dispute_at_the_edge_keeps_it_open(self) -> None:
        c, answered = self.answered_at()
        edge = answered + dt.timedelta(days=7)
        workflow.dispute(c, secret=c.complainant_secret, reason="Belum ada perubahan sama sekali.", now=edge)
        self.assertEqual(close_answered_after_dispute_window(now=edge + dt.timedelta(days=30)), 0)
        c.refresh_from_db()
        self.assertEqual(c.status, Complaint.Status.REOPENED)

    def test_it_leaves_other_statuses_and_runs_twice_safely(self) -> None:
        self.in_progress()
        c, answered = self.answered_at()
        later = answered + dt.timedelta(days=30)
        self.assertEqual(close_answered_after_dispute_window(now=later), 1)
        self.assertEqual(close_answered_after_dispute_window(now=later), 0)
        self.assertEqual(Complaint.objects.filter(status=Complaint.Status.IN_PROGRESS).count(), 1)


class BeatScheduleTests(ComplaintTestCase):
    def test_both_jobs_are_scheduled(self) -> None:
        from django.conf import settings

        tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        self.assertEqual(tasks.get("complaints.escalate_overdue"), 3600.0)
        self.assertEqual(tasks.get("complaints.close_answered_after_dispute_window"), 24 * 3600.0)
