"""Every workflow step: allowed from the right status by the right role; refused otherwise (wrong status →
TransitionError, wrong role → PermissionDeniedError, bad input → ValidationFailed)."""

from __future__ import annotations

import datetime as dt

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.complaints.models import Complaint, ComplaintEvent
from mumpuni.complaints.services import workflow
from mumpuni.complaints.services.workflow import TransitionError
from mumpuni.complaints.tests.desk_fixtures import WEDNESDAY, ComplaintTestCase, at

S = Complaint.Status
A = ComplaintEvent.Action
ANSWER = "Terima kasih, loket tambahan sudah kami buka mulai besok."


def actions(c: Complaint) -> list[str]:
    return list(c.events.order_by("at", "id").values_list("action", flat=True))


class VerifyTests(ComplaintTestCase):
    def test_it_verifies_a_received_complaint(self) -> None:
        c = self.received()
        workflow.verify(c, self.desk, message="Laporan lengkap.", now=at(WEDNESDAY, 10))
        c.refresh_from_db()
        self.assertEqual(c.status, S.VERIFIED)
        self.assertEqual(c.verified_at, at(WEDNESDAY, 10))
        event = c.events.get(action=A.VERIFIED)
        self.assertTrue(event.public)
        self.assertEqual(event.actor, self.desk)
        self.assertEqual((event.from_status, event.to_status), (S.RECEIVED, S.VERIFIED))

    def test_admin_is_desk_too(self) -> None:
        c = workflow.verify(self.received(), self.admin)
        self.assertEqual(c.status, S.VERIFIED)

    def test_it_refuses_a_second_verification(self) -> None:
        c = workflow.verify(self.received(), self.desk)
        with self.assertRaises(TransitionError):
            workflow.verify(c, self.desk)

    def test_it_refuses_outsiders(self) -> None:
        c = self.received()
        for user in (self.camat, self.other, self.executive, self.supervisor, self.employee, self.officer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                workflow.verify(c, user)
        c.refresh_from_db()
        self.assertEqual(c.status, S.RECEIVED)


class RejectTests(ComplaintTestCase):
    def test_it_rejects_from_received_and_verified(self) -> None:
        for verify_first in (False, True):
            with self.subTest(verify_first=verify_first):
                c = self.received()
                if verify_first:
                    c = workflow.verify(c, self.desk)
                workflow.reject(c, self.desk, reason=Complaint.RejectionReason.NOT_OUR_AUTHORITY)
                c.refresh_from_db()
                self.assertEqual(c.status, S.REJECTED)
                self.assertIsNotNone(c.closed_at)
                event = c.events.get(action=A.REJECTED)
                self.assertEqual(event.message, "Bukan kewenangan Pemerintah Kota")
                self.assertTrue(event.public)

    def test_a_duplicate_names_its_original(self) -> None:
        original = self.received()
        c = self.received()
        with self.assertRaises(ValidationFailed) as caught:
            workflow.reject(c, self.desk, reason=Complaint.RejectionReason.DUPLICATE)
        self.assertIn("duplicate_of", caught.exception.fields)
        with self.assertRaises(ValidationFailed):
            workflow.reject(c, self.desk, reason=Complaint.RejectionReason.DUPLICATE, duplicate_of=c)
        workflow.reject(c, self.desk, reason=Complaint.RejectionReason.DUPLICATE, duplicate_of=original)
        c.refresh_from_db()
        self.assertEqual(c.duplicate_of, original)

    def test_it_refuses_an_unknown_reason(self) -> None:
        with self.assertRaises(ValidationFailed):
            workflow.reject(self.received(), self.desk, reason="bosan")

    def test_it_refuses_a_forwarded_complaint(self) -> None:
        with self.assertRaises(TransitionError):
            workflow.reject(self.forwarded(), self.desk, reason=Complaint.RejectionReason.UNCLEAR)

    def test_it_refuses_outsiders(self) -> None:
        c = self.received()
        for user in (self.camat, self.executive, self.officer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                workflow.reject(c, user, reason=Complaint.RejectionReason.UNCLEAR)


class ForwardTests(ComplaintTestCase):
    def test_forwarding_a_received_complaint_verifies_it_first(self) -> None:
        c = self.received()
        workflow.forward(c, self.desk, unit=self.tembalang, now=at(WEDNESDAY, 10))
        c.refresh_from_db()
        self.assertEqual(c.status, S.FORWARDED)
        self.assertEqual(c.assigned_unit, self.tembalang)
        self.assertEqual(c.verified_at, at(WEDNESDAY, 10))
        self.assertEqual(c.followup_due, dt.date(2026, 9, 16))  # Wed + 5 working days
        self.assertEqual(actions(c), [A.RECEIVED, A.VERIFIED, A.FORWARDED])

    def test_it_forwards_a_verified_complaint(self) -> None:
        c = workflow.verify(self.received(), self.desk)
        c = workflow.forward(c, self.desk, unit=self.banyumanik)
        self.assertEqual(c.assigned_unit, self.banyumanik)

    def test_it_refuses_an_inactive_unit(self) -> None:
        self.srondol.active = False
        self.srondol.save(update_fields=["active"])
        with self.assertRaises(ValidationFailed) as caught:
            workflow.forward(self.received(), self.desk, unit=self.srondol)
        self.assertIn("unit", caught.exception.fields)

    def test_it_refuses_a_second_forward(self) -> None:
        with self.assertRaises(TransitionError):
            workflow.forward(self.forwarded(), self.desk, unit=self.banyumanik)

    def test_it_refuses_outsiders(self) -> None:
        c = self.received()
        for user in (self.camat, self.other, self.executive):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                workflow.forward(c, user, unit=self.tembalang)


class ReassignTests(ComplaintTestCase):
    def test_it_moves_the_complaint_and_restarts_the_follow_up_deadline(self) -> None:
        c = self.forwarded()
        friday = dt.date(2026, 9, 11)
        workflow.reassign(c, self.desk, unit=self.banyumanik, now=at(friday, 9))
        c.refresh_from_db()
        self.assertEqual(c.assigned_unit, self.banyumanik)
        self.assertEqual(c.status, S.FORWARDED)
        self.assertEqual(c.followup_due, dt.date(2026, 9, 18))  # Fri + 5 working days
        event = c.events.get(action=A.REASSIGNED)
        self.assertFalse(event.public)

    def test_it_refuses_the_same_unit(self) -> None:
        with self.assertRaises(ValidationFailed):
            workflow.reassign(self.forwarded(), self.desk, unit=self.tembalang)

    def test_it_refuses_a_complaint_not_yet_forwarded(self) -> None:
        with self.assertRaises(TransitionError):
            workflow.reassign(self.received(), self.desk, unit=self.tembalang)

    def test_it_refuses_outsiders(self) -> None:
        c = self.forwarded()
        for user in (self.camat, self.executive):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                workflow.reassign(c, user, unit=self.banyumanik)


class StartProgressTests(ComplaintTestCase):
    def test_the_unit_head_starts_the_follow_up(self) -> None:
        c = workflow.start_progress(self.forwarded(), self.camat, now=at(WEDNESDAY, 11))
        c.refresh_from_db()
        self.assertEqual(c.status, S.IN_PROGRESS)
        self.assertEqual(c.followed_up_at, at(WEDNESDAY, 11))

    def test_it_refuses_twice(self) -> None:
        with self.assertRaises(TransitionError):
            workflow.start_progress(self.in_progress(), self.camat)

    def test_it_refuses_before_forwarding(self) -> None:
        with self.assertRaises(TransitionError):
            workflow.start_progress(self.received(), self.desk)

    def test_it_refuses_outsiders(self) -> None:
        c = self.forwarded()
        for user in (self.other, self.executive, self.supervisor, self.officer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                workflow.start_progress(c, user)
        # The camat sees complaints about his point, but handles only those assigned to his units.
        elsewhere = self.forwarded(unit=self.banyumanik)
        with self.assertRaises(PermissionDeniedError):
            workflow.start_progress(elsewhere, self.camat)


class AnswerTests(ComplaintTestCase):
    def test_the_unit_answers(self) -> None:
        c = self.in_progress()
        workflow.answer(c, self.camat, text=ANSWER, now=at(WEDNESDAY, 15))
        c.refresh_from_db()
        self.assertEqual(c.status, S.ANSWERED)
        self.assertEqual(c.public_answer, ANSWER)
        self.assertEqual(c.answered_by, self.camat)
        self.assertTrue(c.events.get(action=A.ANSWERED).public)

    def test_answering_a_forwarded_complaint_counts_as_follow_up(self) -> None:
        c = workflow.answer(self.forwarded(), self.camat, text=ANSWER, now=at(WEDNESDAY, 15))
        self.assertEqual(c.followed_up_at, at(WEDNESDAY, 15))

    def test_it_refuses_a_short_answer(self) -> None:
        with self.assertRaises(ValidationFailed) as caught:
            workflow.answer(self.in_progress(), self.camat, text="Oke.")
        self.assertIn("text", caught.exception.fields)

    def test_it_refuses_a_complaint_not_forwarded(self) -> None:
        with self.assertRaises(TransitionError):
            workflow.answer(self.received(), self.desk, text=ANSWER)
        with self.assertRaises(TransitionError):
            workflow.answer(self.answered(), self.camat, text=ANSWER)

    def test_it_refuses_outsiders(self) -> None:
        c = self.in_progress()
        for user in (self.other, self.executive, self.employee):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                workflow.answer(c, user, text=ANSWER)


class CloseTests(ComplaintTestCase):
    def test_the_desk_closes_an_answered_complaint(self) -> None:
        c = workflow.close(self.answered(), self.desk)
        self.assertEqual(c.status, S.CLOSED)
        self.assertIsNotNone(c.closed_at)

    def test_the_system_closes_without_an_actor(self) -> None:
        workflow.close(self.answered(), None, message="otomatis")
        event = ComplaintEvent.objects.get(action=A.CLOSED)
        self.assertIsNone(event.actor)
        self.assertEqual(event.actor_label, "Sistem")

    def test_it_refuses_an_unanswered_complaint(self) -> None:
        with self.assertRaises(TransitionError):
            workflow.close(self.in_progress(), self.desk)

    def test_it_refuses_outsiders(self) -> None:
        c = self.answered()
        for user in (self.camat, self.executive):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                workflow.close(c, user)


class DisputeAndRateTests(ComplaintTestCase):
    def test_a_dispute_within_the_window_reopens(self) -> None:
        c = self.answered()
        later = at(WEDNESDAY, 12) + dt.timedelta(days=3)
        workflow.dispute(c, secret=c.complainant_secret, reason="Loket tambahan belum dibuka.", now=later)
        c.refresh_from_db()
        self.assertEqual(c.status, S.REOPENED)
        self.assertEqual(c.followup_due, dt.date(2026, 9, 18))  # Sat 12 Sep + 5 working days
        # The unit follows up again.
        c = workflow.start_progress(c, self.camat)
        self.assertEqual(c.status, S.IN_PROGRESS)

    def test_a_closed_complaint_can_be_disputed_within_the_window(self) -> None:
        c = workflow.close(self.answered(), self.desk, now=at(WEDNESDAY, 13))
        c = workflow.dispute(
            c, secret=c.complainant_secret, reason="Belum ada perubahan sama sekali.", now=at(WEDNESDAY, 14)
        )
        self.assertEqual(c.status, S.REOPENED)
        self.assertIsNone(c.closed_at)

    def test_it_refuses_a_wrong_secret_and_a_late_dispute(self) -> None:
        c = self.answered()
        with self.assertRaises(PermissionDeniedError):
            workflow.dispute(c, secret="salah", reason="Belum ada perubahan sama sekali.")
        late = at(WEDNESDAY, 12) + dt.timedelta(days=7, seconds=1)
        with self.assertRaises(TransitionError):
            workflow.dispute(c, secret=c.complainant_secret, reason="Belum ada perubahan.", now=late)

    def test_it_refuses_to_dispute_a_rejected_or_open_complaint(self) -> None:
        rejected = workflow.reject(self.received(), self.desk, reason=Complaint.RejectionReason.UNCLEAR)
        with self.assertRaises(TransitionError):
            workflow.dispute(
                rejected, secret=rejected.complainant_secret, reason="Saya tidak setuju ditolak."
            )
        open_one = self.in_progress()
        with self.assertRaises(TransitionError):
            workflow.dispute(open_one, secret=open_one.complainant_secret, reason="Saya tidak setuju.")

    def test_the_complainant_rates_the_answer(self) -> None:
        c = self.answered()
        soon = at(WEDNESDAY, 13)  # within the rating (dispute) window
        workflow.rate(c, secret=c.complainant_secret, rating=4, comment="Cepat.", now=soon)
        c.refresh_from_db()
        self.assertEqual((c.rating, c.rating_comment), (4, "Cepat."))
        with self.assertRaises(ValidationFailed):
            workflow.rate(c, secret=c.complainant_secret, rating=6, now=soon)
        with self.assertRaises(PermissionDeniedError):
            workflow.rate(c, secret="salah", rating=5, now=soon)
        with self.assertRaises(TransitionError):
            open_one = self.in_progress()
            workflow.rate(open_one, secret=open_one.complainant_secret, rating=5)


class NoteTests(ComplaintTestCase):
    def test_desk_and_unit_write_internal_notes(self) -> None:
        c = self.forwarded()
        workflow.add_note(c, self.desk, text="Sudah ditelepon.")
        workflow.add_note(c, self.camat, text="Kasi pelayanan menangani.")
        notes = c.events.filter(action=A.NOTE)
        self.assertEqual(notes.count(), 2)
        self.assertFalse(notes.filter(public=True).exists())

    def test_it_refuses_an_empty_note(self) -> None:
        with self.assertRaises(ValidationFailed):
            workflow.add_note(self.forwarded(), self.desk, text="  ")

    def test_it_refuses_outsiders(self) -> None:
        c = self.forwarded()
        for user in (self.other, self.executive, self.officer):
            with self.subTest(user=user.username), self.assertRaises(PermissionDeniedError):
                workflow.add_note(c, user, text="Catatan.")


class CurrentDueTests(ComplaintTestCase):
    def test_the_current_deadline_follows_the_status(self) -> None:
        c = self.received()
        self.assertEqual(workflow.current_due(c), c.verify_due)
        c = workflow.verify(c, self.desk)
        self.assertEqual(workflow.current_due(c), c.answer_due)
        c = workflow.forward(c, self.desk, unit=self.tembalang)
        self.assertEqual(workflow.current_due(c), c.followup_due)
        c = workflow.start_progress(c, self.camat)
        self.assertEqual(workflow.current_due(c), c.answer_due)
        c = workflow.answer(c, self.camat, text=ANSWER)
        self.assertIsNone(workflow.current_due(c))

    def test_overdue_q_matches_current_due(self) -> None:
        received = self.received()
        forwarded = self.forwarded()
        answered = self.answered()
        # verify_due 14 Sep, followup_due 16 Sep (forwarded Wed 9 Sep).
        overdue_on = lambda day: set(  # noqa: E731
            Complaint.objects.filter(workflow.overdue_q(day)).values_list("pk", flat=True)
        )
        self.assertEqual(overdue_on(dt.date(2026, 9, 14)), set())
        self.assertEqual(overdue_on(dt.date(2026, 9, 15)), {received.pk})
        self.assertEqual(overdue_on(dt.date(2026, 9, 17)), {received.pk, forwarded.pk})
        self.assertNotIn(answered.pk, overdue_on(dt.date(2027, 1, 1)))
