"""Workflow rules added after the privacy review: the second answer's deadline, the rating window and its
privacy, and a public answer that names the complainant."""

from __future__ import annotations

import datetime as dt

from mumpuni.common.errors import ValidationFailed
from mumpuni.complaints.models import ComplaintEvent
from mumpuni.complaints.services import workflow
from mumpuni.complaints.tests.desk_fixtures import WEDNESDAY, ComplaintTestCase, at


class ReviewRuleTests(ComplaintTestCase):
    def test_a_dispute_gives_the_second_answer_a_fresh_deadline(self) -> None:
        c = self.answered()
        original = c.answer_due
        # Disputed six days later, after the original 14-working-day answer deadline? No: make it late.
        c.answer_due = WEDNESDAY  # as if the first answer came at the last moment
        c.save(update_fields=["answer_due"])
        c = workflow.dispute(
            c, secret=c.complainant_secret, reason="Loket tambahan belum ada.", now=at(WEDNESDAY, 15)
        )
        self.assertGreater(c.answer_due, WEDNESDAY)
        self.assertEqual(c.answer_due, c.followup_due)
        self.assertLessEqual(c.answer_due, max(original, c.followup_due))

    def test_rating_is_private_and_closes_with_the_dispute_window(self) -> None:
        c = self.answered()
        workflow.rate(c, secret=c.complainant_secret, rating=2, comment="Masih lama", now=at(WEDNESDAY, 13))
        event = ComplaintEvent.objects.get(complaint=c, action=ComplaintEvent.Action.RATED)
        self.assertFalse(event.public)
        late = at(WEDNESDAY, 12) + dt.timedelta(days=8)
        with self.assertRaises(workflow.TransitionError):
            workflow.rate(c, secret=c.complainant_secret, rating=5, now=late)
        c.refresh_from_db()
        self.assertEqual(c.rating, 2)

    def test_a_public_answer_may_not_name_the_complainant(self) -> None:
        c = self.in_progress(name="Budi Santoso")
        with self.assertRaises(ValidationFailed) as caught:
            workflow.answer(
                c,
                self.camat,
                text="Yth. Bapak Budi Santoso, loket tambahan sudah dibuka.",
                now=at(WEDNESDAY, 12),
            )
        self.assertIn("text", caught.exception.fields)
        c = workflow.answer(
            c, self.camat, text="Yth. Bapak/Ibu Pelapor, loket tambahan sudah dibuka.", now=at(WEDNESDAY, 12)
        )
        self.assertEqual(c.status, "answered")
