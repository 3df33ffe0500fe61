"""The periodic task that closes bookings nobody checked in for: no-show after the slot and its grace, cancelled
when the point turned out closed; audited once, idempotent, and the places it held are free again."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from mumpuni.common.models import AuditEntry
from mumpuni.queueing import tasks
from mumpuni.queueing.models import Booking, PointClosure
from mumpuni.queueing.services import booking as services
from mumpuni.queueing.services.tickets import QuotaExhaustedError, ticket_issue
from mumpuni.queueing.tests.points_fixtures import WEDNESDAY, at, setup_points
from mumpuni.testing import BaseTestCase

NIK = "3374104501900001"
BEFORE = at(WEDNESDAY - dt.timedelta(days=2), 10)


class BookingNoShowTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def book(self, hour: int, minute: int = 0, service: object = None) -> Booking:
        return services.booking_create(
            point=self.point,
            service=service or self.sktm,  # type: ignore[arg-type]
            slot_start=at(WEDNESDAY, hour, minute),
            nik=NIK,
            now=BEFORE,
        )

    def test_it_marks_a_booking_no_show_after_its_slot_and_the_grace(self) -> None:
        booking = self.book(9)  # slot 09:00–09:30, check-in closes 09:30
        self.assertEqual(
            services.booking_mark_no_shows(now=at(WEDNESDAY, 9, 59)), {"no_show": 0, "cancelled": 0}
        )
        booking.refresh_from_db()
        self.assertEqual(booking.status, Booking.Status.BOOKED)
        self.assertEqual(
            services.booking_mark_no_shows(now=at(WEDNESDAY, 10)), {"no_show": 1, "cancelled": 0}
        )
        booking.refresh_from_db()
        self.assertEqual(booking.status, Booking.Status.NO_SHOW)
        entry = AuditEntry.objects.get(note__startswith="queueing.booking_no_show")
        self.assertEqual(entry.changes, {"status": ["booked", "no_show"]})
        self.assertEqual(entry.actor_label, "sistem")

    def test_it_changes_nothing_twice(self) -> None:
        self.book(9)
        services.booking_mark_no_shows(now=at(WEDNESDAY, 12))
        self.assertEqual(
            services.booking_mark_no_shows(now=at(WEDNESDAY, 13)), {"no_show": 0, "cancelled": 0}
        )
        self.assertEqual(AuditEntry.objects.filter(note__startswith="queueing.booking_no_show").count(), 1)

    def test_it_leaves_checked_in_and_cancelled_bookings_alone(self) -> None:
        checked_in, cancelled, missed = self.book(9), self.book(10), self.book(11)
        services.booking_check_in(booking=checked_in, at=at(WEDNESDAY, 8, 50))
        services.booking_cancel(code=cancelled.code, at=BEFORE)
        services.booking_mark_no_shows(now=at(WEDNESDAY, 15))
        statuses = dict(Booking.objects.values_list("code", "status"))
        self.assertEqual(
            statuses,
            {checked_in.code: "checked_in", cancelled.code: "cancelled", missed.code: "no_show"},
        )

    def test_it_cancels_instead_when_the_point_was_closed_that_day(self) -> None:
        booking = self.book(9)
        PointClosure.objects.create(point=self.point, date=WEDNESDAY, reason="Pemadaman listrik")
        self.assertEqual(
            services.booking_mark_no_shows(now=at(WEDNESDAY, 16)), {"no_show": 0, "cancelled": 1}
        )
        booking.refresh_from_db()
        self.assertEqual(booking.status, Booking.Status.CANCELLED)
        entry = AuditEntry.objects.get(object_id=str(booking.pk), note__startswith="queueing.booking_cancel")
        self.assertIn("Pemadaman listrik", entry.note)

    def test_a_no_show_no_longer_holds_a_booking_place(self) -> None:
        # KTP-REKAM: two bookings a day at most (points_fixtures)
        self.book(8, service=self.ktp)
        self.book(9, service=self.ktp)
        later = services.available_slots(
            point=self.point, service=self.ktp, day=WEDNESDAY, now=at(WEDNESDAY, 10)
        )
        self.assertTrue(all(s.free == 0 for s in later))
        services.booking_mark_no_shows(now=at(WEDNESDAY, 9, 45))  # only the 08:00 booking is over
        later = services.available_slots(
            point=self.point, service=self.ktp, day=WEDNESDAY, now=at(WEDNESDAY, 9, 45)
        )
        self.assertEqual({s.free for s in later if s.start > at(WEDNESDAY, 9, 45)}, {1})
        self.assertEqual(Booking.objects.filter(status=Booking.Status.NO_SHOW).count(), 1)

    def test_a_no_show_frees_its_place_in_the_walk_in_quota_once(self) -> None:
        self.point.point_services.filter(service=self.ktp).update(daily_quota=2)
        self.book(8, service=self.ktp)
        self.book(13, service=self.ktp)
        with self.assertRaises(QuotaExhaustedError):  # both places are held by bookings
            ticket_issue(point=self.point, service=self.ktp, at=at(WEDNESDAY, 9))
        services.booking_mark_no_shows(now=at(WEDNESDAY, 9))
        ticket_issue(point=self.point, service=self.ktp, at=at(WEDNESDAY, 9, 1))
        services.booking_mark_no_shows(now=at(WEDNESDAY, 9, 2))  # a second run frees nothing more
        with self.assertRaises(QuotaExhaustedError):
            ticket_issue(point=self.point, service=self.ktp, at=at(WEDNESDAY, 9, 3))

    def test_the_task_runs_the_service_and_is_scheduled(self) -> None:
        self.book(9)
        result = tasks.mark_booking_no_shows.apply().get()  # eager; "now" is long after 2026-09-09
        self.assertEqual(result, {"no_show": 1, "cancelled": 0})
        schedule = settings.CELERY_BEAT_SCHEDULE["mark-booking-no-shows"]
        self.assertEqual(schedule["task"], "queueing.mark_booking_no_shows")
        self.assertEqual(tasks.mark_booking_no_shows.name, schedule["task"])
