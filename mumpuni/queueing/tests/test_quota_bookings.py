"""Walk-in tickets may not take the places that today's open bookings hold."""

import datetime as dt

from django.utils import timezone

from mumpuni.queueing.models import Booking, Ticket
from mumpuni.queueing.services.tickets import QuotaExhaustedError, ticket_issue
from mumpuni.queueing.tests.ticket_fixtures import build_point
from mumpuni.testing import BaseTestCase


class BookedPlacesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)
        cls.ps_ktp.daily_quota = 2
        cls.ps_ktp.save(update_fields=["daily_quota"])

    def setUp(self) -> None:
        self.now = timezone.now()
        slot = timezone.localtime(self.now).replace(minute=0, second=0, microsecond=0)
        self.booking = Booking.objects.create(
            point=self.point, service=self.ktp, slot_start=slot, code="BK-TEST1"
        )

    def test_a_walk_in_cannot_take_a_booked_place(self) -> None:
        ticket_issue(point=self.point, service=self.ktp, at=self.now)
        with self.assertRaises(QuotaExhaustedError):
            ticket_issue(point=self.point, service=self.ktp, at=self.now)
        self.assertEqual(Ticket.objects.filter(service=self.ktp).count(), 1)

    def test_the_booking_still_gets_its_place(self) -> None:
        ticket_issue(point=self.point, service=self.ktp, at=self.now)
        ticket = ticket_issue(
            point=self.point,
            service=self.ktp,
            source="booking",
            booking=self.booking,
            queue_at=self.booking.slot_start,
            at=self.now,
        )
        self.assertEqual(ticket.booking, self.booking)

    def test_a_cancelled_booking_frees_its_place(self) -> None:
        self.booking.status = Booking.Status.CANCELLED
        self.booking.save(update_fields=["status"])
        ticket_issue(point=self.point, service=self.ktp, at=self.now)
        ticket_issue(point=self.point, service=self.ktp, at=self.now + dt.timedelta(seconds=1))
        self.assertEqual(Ticket.objects.filter(service=self.ktp).count(), 2)
