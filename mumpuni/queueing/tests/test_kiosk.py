"""Kiosk and the citizen's ticket page (public, no login, no personal data)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mumpuni.queueing.models import Booking, PointClosure, PointService, ServicePoint, Ticket
from mumpuni.queueing.services import tickets as svc
from mumpuni.queueing.tests.ticket_fixtures import build_point
from mumpuni.testing import BaseTestCase


class KioskTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def setUp(self) -> None:
        cache.clear()

    def _service_url(self, code: str = "KTP-REKAM") -> str:
        return reverse("queue_public:kiosk_service", args=["33.74.10", code])

    def test_it_shows_the_services_and_their_requirements(self) -> None:
        response = self.client.get(reverse("queue_public:kiosk", args=["33.74.10"]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Perekaman KTP-el")
        self.assertContains(response, "bi-person-vcard")
        response = self.client.get(self._service_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Fotokopi Kartu Keluarga")
        self.assertContains(response, "Lansia")

    def test_it_issues_a_printable_ticket_with_a_qr_code(self) -> None:
        response = self.client.post(self._service_url(), {"priority": "ibu_hamil_menyusui"})
        self.assertEqual(response.status_code, 302)
        ticket = Ticket.objects.get()
        self.assertEqual(
            (ticket.number, ticket.priority, ticket.source), ("A-001", "ibu_hamil_menyusui", "kiosk")
        )
        response = self.client.get(response["Location"])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A-001")
        self.assertContains(response, "<svg")
        self.assertContains(response, 'http-equiv="refresh" content="20;')

    def test_it_needs_csrf(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(self._service_url(), {"priority": ""})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Ticket.objects.exists())

    def test_it_rate_limits_a_client(self) -> None:
        with mock.patch("mumpuni.queueing.views.public.KIOSK_RATE_LIMIT", 2):
            for _ in range(2):
                self.assertEqual(self.client.post(self._service_url(), {"priority": ""}).status_code, 302)
            response = self.client.post(self._service_url(), {"priority": ""})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Ticket.objects.count(), 2)

    def test_it_explains_a_closed_point_and_unknown_choices(self) -> None:
        self.assertEqual(self.client.post(self._service_url(), {"priority": "vip"}).status_code, 400)
        self.assertEqual(self.client.get(self._service_url("NOPE")).status_code, 404)
        self.assertEqual(self.client.get(reverse("queue_public:kiosk", args=["99.99"])).status_code, 404)
        PointClosure.objects.create(point=self.point, date=timezone.localdate(), reason="Libur")
        response = self.client.post(self._service_url(), {"priority": ""})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "tutup", status_code=409)
        self.assertFalse(Ticket.objects.exists())

    def test_it_checks_a_booking_in_ahead_of_walk_ins(self) -> None:
        now = timezone.now()
        walk_in = svc.ticket_issue(point=self.point, service=self.ktp)
        booking = Booking.objects.create(
            point=self.point, service=self.ktp, slot_start=now - dt.timedelta(minutes=10), code="QWERTY23"
        )
        url = reverse("queue_public:kiosk_booking", args=["33.74.10"])
        response = self.client.post(url, {"code": "qwerty23"})
        self.assertEqual(response.status_code, 302, response.content)
        booking.refresh_from_db()
        self.assertEqual(booking.status, Booking.Status.CHECKED_IN)
        ticket = Ticket.objects.get(booking=booking)
        self.assertEqual((ticket.source, ticket.queue_at), ("booking", booking.slot_start))
        called = svc.counter_call_next(counter=self.counter1, actor=self.officer)
        self.assertEqual(called, ticket)
        self.assertNotEqual(called, walk_in)
        response = self.client.post(url, {"code": "NOPE0000"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "tidak ditemukan", status_code=400)

    def test_it_refuses_outsiders(self) -> None:
        # A booking of another point is not checked in here.
        other = ServicePoint.objects.create(unit=self.banyumanik, name="Kantor Kecamatan Banyumanik")
        PointService.objects.create(point=other, service=self.ktp)
        Booking.objects.create(point=other, service=self.ktp, slot_start=timezone.now(), code="ELSEWH01")
        response = self.client.post(
            reverse("queue_public:kiosk_booking", args=["33.74.10"]), {"code": "ELSEWH01"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Ticket.objects.filter(booking__code="ELSEWH01").exists())
        # A ticket of one point is not shown under another point's kiosk address.
        ticket = svc.ticket_issue(point=self.point, service=self.ktp)
        url = reverse("queue_public:kiosk_ticket", args=["33.74.11", ticket.public_token])
        self.assertEqual(self.client.get(url).status_code, 404)


class TicketPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def test_it_shows_position_and_wait_without_personal_data(self) -> None:
        svc.ticket_issue(point=self.point, service=self.ktp)
        booking = Booking.objects.create(
            point=self.point,
            service=self.ktp,
            slot_start=timezone.now(),
            code="BK1",
            name="Ani Rahayu",
            phone="081234567890",
            nik="3374101234567890",
        )
        ticket = svc.ticket_issue(point=self.point, service=self.ktp, booking=booking, source="booking")
        url = reverse("queue_public:ticket", args=[ticket.public_token])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, ticket.number)
        self.assertContains(response, 'hx-trigger="every 5s"')
        self.assertContains(response, '<dd class="col-5 text-end" id="ticket-position">2</dd>', html=False)
        for secret in ("Ani Rahayu", "081234567890", "3374101234567890", "BK1"):
            self.assertNotContains(response, secret)
        fragment = self.client.get(url, headers={"HX-Request": "true"})
        self.assertEqual(fragment.status_code, 200)
        self.assertNotContains(fragment, "<html")
        svc.counter_call_next(counter=self.counter1, actor=self.officer)
        response = self.client.get(url)
        self.assertContains(response, 'id="ticket-position">1</dd>')

    def test_it_says_where_to_go_when_called_and_stops_polling_when_done(self) -> None:
        ticket = svc.ticket_issue(point=self.point, service=self.ktp)
        svc.counter_call_next(counter=self.counter1, actor=self.officer)
        url = reverse("queue_public:ticket", args=[ticket.public_token])
        response = self.client.get(url)
        self.assertContains(response, "Silakan ke Loket 1")
        self.assertEqual(self.client.get(url, headers={"HX-Request": "true"}).status_code, 200)
        svc.ticket_skip(ticket=ticket, actor=self.officer)
        self.assertEqual(self.client.get(url, headers={"HX-Request": "true"}).status_code, 286)

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(reverse("queue_public:ticket", args=["tebakan"])).status_code, 404)
