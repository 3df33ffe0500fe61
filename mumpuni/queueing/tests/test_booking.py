"""Booking slots (hours, Friday break, closures, per-slot and per-day quotas), NIK handling, cancel, check-in."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache

from mumpuni.common.errors import ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.lib.nik import mask_nik
from mumpuni.queueing.models import Booking, PointClosure, Ticket
from mumpuni.queueing.services import booking as services
from mumpuni.queueing.tests.points_fixtures import FRIDAY, WEDNESDAY, at, setup_points
from mumpuni.testing import BaseTestCase

NIK = "3374104501900001"
BEFORE = at(WEDNESDAY - dt.timedelta(days=2), 10)  # Monday: both days are bookable


class BookingSlotTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def test_it_offers_slots_within_opening_hours(self) -> None:
        slots = services.available_slots(point=self.point, service=self.sktm, day=WEDNESDAY, now=BEFORE)
        self.assertEqual(slots[0].start, at(WEDNESDAY, 8))
        self.assertEqual(slots[-1].end, at(WEDNESDAY, 15, 30))
        self.assertEqual(len(slots), 15)  # 08:00–15:30 in 30-minute slots

    def test_it_leaves_out_the_friday_break(self) -> None:
        starts = [
            s.start
            for s in services.available_slots(point=self.point, service=self.sktm, day=FRIDAY, now=BEFORE)
        ]
        self.assertIn(at(FRIDAY, 11), starts)
        self.assertNotIn(at(FRIDAY, 11, 30), starts)
        self.assertNotIn(at(FRIDAY, 12), starts)
        self.assertIn(at(FRIDAY, 13), starts)
        self.assertEqual(starts[-1], at(FRIDAY, 14, 30))

    def test_it_offers_nothing_on_a_closure(self) -> None:
        PointClosure.objects.create(point=None, date=WEDNESDAY, reason="Libur")
        self.assertEqual(
            services.available_slots(point=self.point, service=self.sktm, day=WEDNESDAY, now=BEFORE), []
        )

    def test_it_marks_past_slots_full(self) -> None:
        slots = services.available_slots(
            point=self.point, service=self.sktm, day=WEDNESDAY, now=at(WEDNESDAY, 10)
        )
        self.assertTrue(all(s.free == 0 for s in slots if s.start <= at(WEDNESDAY, 10)))
        self.assertTrue(all(s.free == 1 for s in slots if s.start > at(WEDNESDAY, 10)))

    def test_it_fills_a_slot_at_its_capacity(self) -> None:
        start = at(WEDNESDAY, 9)
        services.booking_create(point=self.point, service=self.sktm, slot_start=start, now=BEFORE)
        with self.assertRaises(services.BookingRefused):
            services.booking_create(point=self.point, service=self.sktm, slot_start=start, now=BEFORE)
        self.assertEqual(Booking.objects.count(), 1)

    def test_it_respects_the_daily_booking_quota(self) -> None:
        for hour in (8, 9):
            services.booking_create(
                point=self.point, service=self.ktp, slot_start=at(WEDNESDAY, hour), nik=NIK, now=BEFORE
            )
        slots = services.available_slots(point=self.point, service=self.ktp, day=WEDNESDAY, now=BEFORE)
        self.assertTrue(all(s.free == 0 for s in slots))
        with self.assertRaises(services.BookingRefused):
            services.booking_create(
                point=self.point, service=self.ktp, slot_start=at(WEDNESDAY, 10), nik=NIK, now=BEFORE
            )
        self.assertEqual(Booking.objects.count(), 2)

    def test_it_refuses_a_slot_outside_hours_or_too_far_ahead(self) -> None:
        with self.assertRaises(services.BookingRefused):
            services.booking_create(
                point=self.point, service=self.sktm, slot_start=at(FRIDAY, 12), now=BEFORE
            )
        with self.assertRaises(services.BookingRefused):
            services.booking_create(
                point=self.point,
                service=self.sktm,
                slot_start=at(WEDNESDAY + dt.timedelta(days=21), 9),
                now=BEFORE,
            )
        self.assertFalse(Booking.objects.exists())


class BookingNikTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def test_it_requires_a_valid_nik_where_the_service_asks(self) -> None:
        for nik in ("", "1234"):
            with self.subTest(nik=nik), self.assertRaises(ValidationFailed) as ctx:
                services.booking_create(
                    point=self.point, service=self.ktp, slot_start=at(WEDNESDAY, 9), nik=nik, now=BEFORE
                )
            self.assertIn("nik", ctx.exception.fields)
        self.assertFalse(Booking.objects.exists())

    def test_it_stores_the_nik_and_keeps_it_out_of_the_audit(self) -> None:
        booking = services.booking_create(
            point=self.point, service=self.ktp, slot_start=at(WEDNESDAY, 9), nik=NIK, now=BEFORE
        )
        booking.refresh_from_db()
        self.assertEqual(booking.nik, NIK)
        self.assertEqual(mask_nik(booking.nik), "3374********0001")
        entry = AuditEntry.objects.get(action="create", note__startswith="queueing.booking_create")
        self.assertNotIn(NIK, str(entry.changes) + entry.note + entry.object_repr)

    def test_it_ignores_a_nik_the_service_does_not_ask_for(self) -> None:
        booking = services.booking_create(
            point=self.point, service=self.sktm, slot_start=at(WEDNESDAY, 9), nik=NIK, now=BEFORE
        )
        booking.refresh_from_db()
        self.assertEqual(booking.nik, "")


class BookingCancelAndCheckInTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def setUp(self) -> None:
        cache.clear()
        self.booking = services.booking_create(
            point=self.point, service=self.sktm, slot_start=at(WEDNESDAY, 10), now=BEFORE
        )

    def test_it_cancels_with_the_code_in_any_case(self) -> None:
        services.booking_cancel(code=self.booking.code.lower(), at=BEFORE)
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, Booking.Status.CANCELLED)
        free = services.available_slots(point=self.point, service=self.sktm, day=WEDNESDAY, now=BEFORE)
        self.assertEqual(next(s for s in free if s.start == at(WEDNESDAY, 10)).free, 1)

    def test_it_refuses_to_cancel_after_the_slot_began(self) -> None:
        with self.assertRaises(services.BookingRefused):
            services.booking_cancel(code=self.booking.code, at=at(WEDNESDAY, 10, 5))
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, Booking.Status.BOOKED)

    def test_it_checks_in_ahead_at_its_slot(self) -> None:
        ticket = services.booking_check_in(booking=self.booking, at=at(WEDNESDAY, 9, 40))
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, Booking.Status.CHECKED_IN)
        ticket = Ticket.objects.get(pk=ticket.pk)
        self.assertEqual(ticket.source, Ticket.Source.BOOKING)
        self.assertEqual(ticket.queue_at, at(WEDNESDAY, 10))
        self.assertEqual(ticket.booking_id, self.booking.pk)
        with self.assertRaises(services.BookingRefused):
            services.booking_check_in(booking=self.booking, at=at(WEDNESDAY, 9, 41))
        self.assertEqual(Ticket.objects.count(), 1)

    def test_it_refuses_check_in_too_early_or_too_late(self) -> None:
        for moment in (at(WEDNESDAY, 8, 59), at(WEDNESDAY, 10, 31)):
            with self.subTest(moment=moment), self.assertRaises(services.BookingRefused):
                services.booking_check_in(booking=self.booking, at=moment)
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, Booking.Status.BOOKED)
        self.assertFalse(Ticket.objects.exists())

    def test_it_rate_limits_a_client(self) -> None:
        for minute in range(services.RATE_LIMIT):
            services.booking_create(
                point=self.point,
                service=self.sktm,
                slot_start=at(WEDNESDAY, 11 + minute // 2, 30 * (minute % 2)),
                now=BEFORE,
                client="10.0.0.9",
            )
        with self.assertRaises(services.RateLimited):
            services.booking_create(
                point=self.point,
                service=self.sktm,
                slot_start=at(WEDNESDAY, 14),
                now=BEFORE,
                client="10.0.0.9",
            )
        self.assertEqual(Booking.objects.count(), 1 + services.RATE_LIMIT)
