"""The public booking flow: point → service → slot → confirmation with QR; cancel; no personal data shown."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from mumpuni.queueing.models import Booking
from mumpuni.queueing.services import booking as services
from mumpuni.queueing.tests.points_fixtures import setup_points
from mumpuni.testing import BaseTestCase

NIK = "3374104501900001"


class BookingViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        setup_points(cls)

    def setUp(self) -> None:
        cache.clear()

    def _free_slot(self, service: object) -> str:
        for day in services.booking_days(self.point):
            for slot in services.available_slots(point=self.point, service=service, day=day):  # type: ignore[arg-type]
                if slot.free:
                    return timezone.localtime(slot.start).isoformat()
        raise AssertionError("no free slot in the next two weeks")

    def test_it_walks_through_the_booking(self) -> None:
        self.assertEqual(self.client.get(reverse("queue_public:booking_start")).status_code, 200)
        response = self.client.get(reverse("queue_public:booking_point", args=["33.74.10"]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Surat pengantar RT/RW")  # requirements shown before booking
        url = reverse("queue_public:booking_slots", args=["33.74.10", "KTP-REKAM"])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url, {"slot": self._free_slot(self.ktp), "name": "Wati", "phone": "0812", "nik": NIK}
        )
        self.assertEqual(response.status_code, 302)
        booking = Booking.objects.get()
        self.assertEqual(booking.nik, NIK)
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, booking.code)
        self.assertContains(page, "<svg")
        for secret in (NIK, "3374********0001", "Wati", "0812"):
            self.assertNotContains(page, secret)

    def test_it_shows_nik_errors_on_the_form(self) -> None:
        url = reverse("queue_public:booking_slots", args=["33.74.10", "KTP-REKAM"])
        response = self.client.post(url, {"slot": self._free_slot(self.ktp), "nik": "123"})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "NIK tidak valid", status_code=422)
        self.assertFalse(Booking.objects.exists())

    def test_it_cancels_with_the_code(self) -> None:
        url = reverse("queue_public:booking_slots", args=["33.74.10", "SKTM"])
        self.client.post(url, {"slot": self._free_slot(self.sktm)})
        booking = Booking.objects.get()
        response = self.client.post(reverse("queue_public:booking_cancel"), {"code": booking.code})
        self.assertEqual(response.status_code, 200)
        booking.refresh_from_db()
        self.assertEqual(booking.status, Booking.Status.CANCELLED)

    def test_it_rate_limits_booking(self) -> None:
        url = reverse("queue_public:booking_slots", args=["33.74.10", "SKTM"])
        for _ in range(services.RATE_LIMIT):
            self.assertEqual(self.client.post(url, {"slot": self._free_slot(self.sktm)}).status_code, 302)
        response = self.client.post(url, {"slot": self._free_slot(self.sktm)})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Terlalu banyak booking", status_code=429)
        self.assertEqual(Booking.objects.count(), services.RATE_LIMIT)

    def test_it_refuses_outsiders(self) -> None:
        # Without the right code nobody cancels a booking; without the token nobody sees it.
        url = reverse("queue_public:booking_slots", args=["33.74.10", "SKTM"])
        self.client.post(url, {"slot": self._free_slot(self.sktm)})
        booking = Booking.objects.get()
        response = self.client.post(reverse("queue_public:booking_cancel"), {"code": "ZZZZ2222"})
        self.assertEqual(response.status_code, 404)
        booking.refresh_from_db()
        self.assertEqual(booking.status, Booking.Status.BOOKED)
        self.assertEqual(
            self.client.get(reverse("queue_public:booking_done", args=["nope"])).status_code, 404
        )
        # A service the point does not offer cannot be booked there.
        self.assertEqual(
            self.client.get(reverse("queue_public:booking_slots", args=["33.74.10", "KK"])).status_code, 404
        )
