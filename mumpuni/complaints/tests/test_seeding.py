"""complaints.seeding on the persona cast with the queue's demo points and nine weeks of ticket history:
every seeded complaint must look like one the workflow itself produced."""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from mumpuni.common.calendar import work_calendar
from mumpuni.common.models import CollectiveLeave
from mumpuni.common.seeding import CUTI_BERSAMA
from mumpuni.complaints import seeding
from mumpuni.complaints.models import AnswerTemplate, Complaint, ComplaintEvent, ComplaintPolicy, RoutingRule
from mumpuni.complaints.services.workflow import initial_deadlines
from mumpuni.people.models import Position
from mumpuni.queueing.seeding import seed_demo as seed_queue
from mumpuni.testing import BaseTestCase

S = Complaint.Status
A = ComplaintEvent.Action
STATUS_CHANGES = {
    A.RECEIVED,
    A.VERIFIED,
    A.REJECTED,
    A.FORWARDED,
    A.IN_PROGRESS,
    A.ANSWERED,
    A.CLOSED,
    A.DISPUTED,
}
NOW = timezone.now()


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


class SeededComplaintsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Position.objects.filter(pk=cls.pos_staff.pk).update(is_front_line=True)
        seed_queue(seed=1)
        seeding.seed_configuration()
        cls.result = seeding.seed_complaints(seed=1, count=600, now=NOW)

    def complaints(self) -> list[Complaint]:
        return list(Complaint.objects.select_related("ticket").order_by("pk"))

    def events_by_complaint(self) -> dict[int, list[ComplaintEvent]]:
        grouped: dict[int, list[ComplaintEvent]] = {}
        for event in ComplaintEvent.objects.order_by("at", "id"):
            grouped.setdefault(event.complaint_id, []).append(event)
        return grouped

    def test_it_seeds_the_configuration(self) -> None:
        self.assertEqual(ComplaintPolicy.current().verify_working_days, 3)
        self.assertTrue(6 <= AnswerTemplate.objects.count() <= 10)
        days = set(CollectiveLeave.objects.values_list("date", flat=True))
        self.assertIn(dt.date(2026, 3, 23), days)  # cuti bersama Idul Fitri 1447 H (SKB 3 Menteri)
        self.assertEqual(len(days), len(CUTI_BERSAMA))
        # Idempotent, and an admin's correction of a name is kept.
        CollectiveLeave.objects.filter(date=dt.date(2026, 12, 24)).update(name="Diubah admin")
        self.assertEqual(seeding.seed_configuration(), (0, 0, 0))
        self.assertEqual(CollectiveLeave.objects.get(date=dt.date(2026, 12, 24)).name, "Diubah admin")

    def test_it_seeds_the_asked_number_in_every_state(self) -> None:
        self.assertEqual(Complaint.objects.count(), self.result.complaints)
        self.assertTrue(590 <= self.result.complaints <= 600)
        statuses = Tally(Complaint.objects.values_list("status", flat=True))
        for status in (S.RECEIVED, S.FORWARDED, S.IN_PROGRESS, S.ANSWERED, S.CLOSED, S.REJECTED):
            self.assertGreater(statuses[status], 0, status)
        self.assertGreater(statuses[S.CLOSED], statuses[S.RECEIVED])  # nine weeks: most are done
        categories = Tally(Complaint.objects.values_list("category", flat=True)).most_common()
        self.assertEqual(
            {categories[0][0], categories[1][0]},
            {Complaint.Category.WAITING_TIME, Complaint.Category.SERVICE_QUALITY},
        )
        self.assertEqual(self.result.events, ComplaintEvent.objects.count())

    def test_deadlines_follow_the_work_calendar(self) -> None:
        calendar = work_calendar()
        policy = ComplaintPolicy.current()
        for c in self.complaints():
            expected = initial_deadlines(c.received_at, policy, calendar)
            self.assertEqual(
                (c.verify_due, c.answer_due), (expected["verify_due"], expected["answer_due"]), c
            )
            if c.forwarded_at is not None:
                self.assertEqual(
                    c.followup_due,
                    calendar.add_working_days(_local_day(c.forwarded_at), policy.followup_working_days),
                    c,
                )
            else:
                self.assertIsNone(c.followup_due)

    def test_desk_and_unit_steps_happen_on_working_days_in_office_hours(self) -> None:
        calendar = work_calendar()
        staff_steps = ComplaintEvent.objects.filter(
            action__in=[A.VERIFIED, A.REJECTED, A.FORWARDED, A.IN_PROGRESS, A.ANSWERED, A.NOTE]
        )
        self.assertTrue(staff_steps.exists())
        for event in staff_steps:
            local = timezone.localtime(event.at)
            self.assertTrue(calendar.is_working_day(local.date()), event)
            self.assertTrue(dt.time(8) <= local.time() <= dt.time(15, 30), event)

    def test_events_tell_the_complaints_story_in_order(self) -> None:
        events = self.events_by_complaint()
        for c in self.complaints():
            story = events[c.pk]
            self.assertEqual((story[0].action, story[0].to_status), (A.RECEIVED, S.RECEIVED), c)
            self.assertEqual(story[0].at, c.received_at)
            status = S.RECEIVED
            for event in story[1:]:
                self.assertGreaterEqual(event.at, c.received_at)
                self.assertLessEqual(event.at, NOW)
                self.assertEqual(event.from_status, status, (c, event))
                if event.action in STATUS_CHANGES:
                    self.assertTrue(event.public, event)
                    status = event.to_status
                else:
                    self.assertEqual(event.to_status, status, (c, event))
                if event.action in (A.NOTE, A.ESCALATED, A.REASSIGNED, A.RATED):
                    self.assertFalse(event.public, event)
            self.assertEqual(status, c.status, c)
            if c.verified_at is not None:
                self.assertLessEqual(c.received_at, c.verified_at)
            if c.forwarded_at is not None:
                self.assertLessEqual(c.verified_at, c.forwarded_at)
                self.assertIsNotNone(c.assigned_unit_id)
            if c.answered_at is not None:
                self.assertIsNotNone(c.followed_up_at)
                self.assertLessEqual(c.verified_at, c.followed_up_at)
                self.assertLessEqual(c.followed_up_at, c.answered_at)
                self.assertTrue(len(c.public_answer) >= 20)
            if c.status == S.CLOSED:
                self.assertLessEqual(c.answered_at, c.closed_at)
            if c.status in Complaint.OPEN_STATUSES:
                self.assertIsNone(c.closed_at)
            self.assertEqual(c.updated_at, story[-1].at)

    def test_rejected_complaints_carry_a_reason_and_duplicates_their_original(self) -> None:
        rejected = Complaint.objects.filter(status=S.REJECTED)
        self.assertTrue(rejected.exists())
        for c in rejected:
            self.assertIn(c.rejection_reason, Complaint.RejectionReason.values)
            self.assertIsNotNone(c.closed_at)
            self.assertIsNone(c.rating)
            self.assertIsNone(c.assigned_unit_id)
            event = c.events.get(action=A.REJECTED)
            self.assertTrue(event.message)
            if c.rejection_reason == Complaint.RejectionReason.DUPLICATE:
                self.assertIsNotNone(c.duplicate_of)
                self.assertLess(c.duplicate_of.received_at, c.received_at)
                self.assertEqual(c.duplicate_of.title, c.title)
        self.assertTrue(rejected.filter(rejection_reason=Complaint.RejectionReason.DUPLICATE).exists())
        self.assertFalse(Complaint.objects.exclude(status=S.REJECTED).exclude(rejection_reason="").exists())

    def test_anonymous_complaints_store_no_identity(self) -> None:
        identities = Tally(Complaint.objects.values_list("identity", flat=True))
        total = sum(identities.values())
        self.assertAlmostEqual(identities["public"] / total, 0.60, delta=0.08)
        self.assertAlmostEqual(identities["confidential"] / total, 0.25, delta=0.08)
        self.assertAlmostEqual(identities["anonymous"] / total, 0.15, delta=0.06)
        for c in Complaint.objects.filter(identity=Complaint.Identity.ANONYMOUS):
            self.assertEqual((c.name, c.email, c.phone, c.contact_hash, c.ticket_id), ("", "", "", "", None))
            if c.latitude is not None:  # rounded to ~100 m, as intake stores an anonymous pin
                self.assertEqual(c.latitude, c.latitude.quantize(Decimal("0.001")))
        for c in Complaint.objects.all()[:50]:  # the personal link works for seeded rows too
            self.assertTrue(c.secret_matches(c.complainant_secret))
            self.assertFalse(c.secret_matches(c.complainant_secret[:-1]))
        for c in Complaint.objects.exclude(identity=Complaint.Identity.ANONYMOUS):
            self.assertTrue(c.name and (c.email or c.phone) and c.contact_hash, c)

    def test_ticket_linked_complaints_carry_the_tickets_counter_and_officer(self) -> None:
        # As intake links them: a ticket sent from its own page names its counter and officer, a typed number
        # only the ticket; anonymous complaints keep no ticket (the counter and officer when sent from it).
        with_ticket = list(Complaint.objects.filter(ticket__isnull=False).select_related("ticket"))
        self.assertGreater(len(with_ticket), 0.3 * self.result.complaints)
        named = 0
        for c in with_ticket:
            t = c.ticket
            self.assertNotEqual(c.identity, Complaint.Identity.ANONYMOUS)
            self.assertEqual((c.point_id, c.service_id), (t.point_id, t.service_id), c)
            self.assertIn((c.counter_id, c.officer_id), [(t.counter_id, t.officer_id), (None, None)], c)
            self.assertGreater(c.received_at, t.finished_at)
            named += c.officer_id is not None
        self.assertGreater(named, 0.6 * len(with_ticket))
        officers = Complaint.objects.filter(officer__isnull=False)
        self.assertEqual(officers.count(), self.result.linked)
        self.assertFalse(officers.filter(counter__isnull=True).exists())
        self.assertFalse(officers.exclude(counter__point=models.F("point")).exists())
        anonymous = officers.filter(identity=Complaint.Identity.ANONYMOUS)
        self.assertTrue(anonymous.exists())
        self.assertFalse(
            Complaint.objects.filter(ticket__isnull=True, point__isnull=True, officer__isnull=False).exists()
        )
        # Waiting-time complaints come from tickets that waited longer than the average ticket.
        from mumpuni.queueing.models import Ticket

        def mean_wait(qs: Any) -> float:
            waits = [(t.called_at - t.issued_at).total_seconds() for t in qs]
            return sum(waits) / len(waits)

        waited = Ticket.objects.filter(complaints__category=Complaint.Category.WAITING_TIME)
        self.assertGreater(mean_wait(waited), 1.5 * mean_wait(Ticket.objects.filter(called_at__isnull=False)))

    def test_ratings_only_on_answered_or_closed_complaints(self) -> None:
        rated = Complaint.objects.filter(rating__isnull=False)
        self.assertTrue(rated.exists())
        self.assertFalse(rated.exclude(status__in=[S.ANSWERED, S.CLOSED]).exists())
        for c in rated:
            self.assertTrue(1 <= c.rating <= 5)
            self.assertGreater(c.rated_at, c.answered_at)
            self.assertEqual(c.events.filter(action=A.RATED).count(), 1)
            self.assertIn(f"{c.rating}/5", c.events.get(action=A.RATED).message)
        self.assertFalse(
            Complaint.objects.filter(rating__isnull=True).filter(events__action=A.RATED).exists()
        )

    def test_overdue_complaints_are_escalated_once_per_working_day_after_the_deadline(self) -> None:
        calendar = work_calendar()
        escalations = ComplaintEvent.objects.filter(action=A.ESCALATED).select_related("complaint")
        self.assertTrue(escalations.exists())
        seen: set[tuple[int, dt.date]] = set()
        for event in escalations:
            day = _local_day(event.at)
            self.assertTrue(calendar.is_working_day(day))
            self.assertNotIn((event.complaint_id, day), seen)
            seen.add((event.complaint_id, day))
            self.assertTrue(event.message.startswith("Lewat batas"), event.message)
        today = _local_day(NOW)
        due_field = {S.RECEIVED: "verify_due", S.VERIFIED: "answer_due", S.FORWARDED: "followup_due",
                     S.REOPENED: "followup_due", S.IN_PROGRESS: "answer_due"}  # fmt: skip
        for c in Complaint.objects.filter(status__in=Complaint.OPEN_STATUSES):
            due = getattr(c, due_field[c.status])
            overdue_days = calendar.working_days_between(due, today) if due < today else 0
            if overdue_days > 1:  # late by more than today: the hourly task has run on an earlier day
                self.assertIsNotNone(c.escalated_at, c)
            if c.escalated_at is not None:
                last = c.events.filter(action=A.ESCALATED).order_by("at").last()
                self.assertEqual(last.at, c.escalated_at)

    def test_routing_rules_send_requirements_at_the_mpp_to_disdukcapil(self) -> None:
        from mumpuni.complaints.services.routing import suggest_unit
        from mumpuni.queueing.models import Service, ServicePoint
        from mumpuni.testing import make_unit

        self.assertFalse(RoutingRule.objects.exists())  # the cast has neither Disdukcapil nor an MPP
        dukcapil = make_unit(
            "33.74.DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", self.city
        )
        mpp_unit = make_unit("33.74.MPP", "Mal Pelayanan Publik Kota Semarang", "mpp", self.city)
        mpp = ServicePoint.objects.create(unit=mpp_unit, name="Mal Pelayanan Publik Kota Semarang")
        self.assertEqual(seeding.seed_routing_rules(), 2)  # no Dinas Penataan Ruang in the cast
        self.assertEqual(seeding.seed_routing_rules(), 0)
        kk = Service.objects.get(code="KK")
        fees = Complaint.Category.REQUIREMENTS_FEES
        self.assertEqual(suggest_unit(fees, kk, mpp), dukcapil)
        self.assertEqual(suggest_unit(Complaint.Category.OFFICER_BEHAVIOUR, kk, mpp), mpp_unit)
        tembalang = ServicePoint.objects.get(unit=self.tembalang)
        self.assertEqual(suggest_unit(fees, kk, tembalang), self.tembalang)
        ktp = Service.objects.get(code="KTP-CETAK")
        self.assertEqual(suggest_unit(Complaint.Category.SERVICE_QUALITY, ktp, tembalang), dukcapil)

    def test_trained_officers_weigh_less(self) -> None:
        day = dt.date(2026, 10, 5)
        at = timezone.make_aware(dt.datetime(2026, 10, 5, 9))

        def ticket(officer: int) -> seeding.TicketRow:
            return seeding.TicketRow(officer, 1, 1, day, "A-001", at, at, at, 1, officer, "done", 1.0)

        world = SimpleNamespace(
            tickets=[ticket(1), ticket(2), ticket(3)], trained_since={1: day, 3: day + dt.timedelta(days=1)}
        )
        weights = seeding._ticket_weights(world, {1: 1.0, 2: 1.0, 3: 1.0})  # type: ignore[arg-type]
        for category, values in weights.items():
            self.assertAlmostEqual(values[0], seeding.TRAINED_FACTOR * values[1], msg=category)
            self.assertEqual(values[2], values[1], category)  # trained only after that day


class SeedAcrossIdulFitriTests(BaseTestCase):
    """Seeded at a moment after Idul Fitri 1447 H: deadlines skip Nyepi, the cuti bersama and the weekend."""

    NOW = timezone.make_aware(dt.datetime(2026, 4, 14, 12))

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed_queue(seed=2)
        seeding.seed_configuration()

    def seed(self) -> list[tuple[Any, ...]]:
        seeding.seed_complaints(seed=5, count=300, days_back=30, now=self.NOW)
        return list(
            Complaint.objects.order_by("pk").values_list(
                "tracking_code", "title", "status", "received_at", "answered_at", "rating", "identity"
            )
        )

    def test_deadlines_cross_idul_fitri(self) -> None:
        self.seed()
        nyepi = Complaint.objects.filter(received_at__date=dt.date(2026, 3, 19))
        self.assertTrue(nyepi.exists())
        for c in nyepi:
            # 20 cuti bersama, 21–22 Idul Fitri (weekend), 23–24 cuti bersama: 25, 26, 27 are the 3 days.
            self.assertEqual(c.verify_due, dt.date(2026, 3, 27))
        calendar = work_calendar()
        for c in Complaint.objects.all():
            self.assertEqual(c.verify_due, calendar.add_working_days(_local_day(c.received_at), 3))
            self.assertLessEqual(c.updated_at, self.NOW)

    def test_same_seed_same_complaints(self) -> None:
        def once() -> list[tuple[Any, ...]]:
            with transaction.atomic():
                rows = self.seed()
                transaction.set_rollback(True)
            return rows

        first = once()
        self.assertEqual(len(first), Complaint.objects.count() + len(first))  # rolled back
        self.assertEqual(once(), first)
