"""The display board page and its JSON: current call per counter, recent calls with their spoken text,
waiting per service; no personal data."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from mumpuni.queueing.models import Booking
from mumpuni.queueing.services import tickets as svc
from mumpuni.queueing.tests.ticket_fixtures import build_point
from mumpuni.testing import BaseTestCase


class DisplayBoardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def test_it_serves_the_board_with_the_latest_call(self) -> None:
        for _ in range(12):
            svc.ticket_issue(point=self.point, service=self.ktp)
        svc.ticket_issue(point=self.point, service=self.kk)
        self.counter1.number = 3
        self.counter1.save()
        for _ in range(12):
            ticket = svc.counter_call_next(counter=self.counter1, actor=self.officer)
            assert ticket is not None
            if ticket.number != "A-012":
                svc.ticket_skip(ticket=ticket, actor=self.officer)
        response = self.client.get(reverse("queue_public:board_data", args=["33.74.10"]))
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["latest"]["number"], "A-012")
        self.assertEqual(data["latest"]["text"], "Nomor antrean A dua belas, silakan ke loket tiga")
        self.assertEqual(data["counters"][1]["ticket"], "A-012")
        self.assertEqual({w["code"]: w["waiting"] for w in data["waiting"]}, {"KTP-REKAM": 0, "KK": 1})
        self.assertEqual(len(data["recent"]), 6)
        page = self.client.get(reverse("queue_public:board", args=["33.74.10"]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'data-spoken="Nomor antrean A dua belas, silakan ke loket tiga"')
        self.assertContains(page, "queueing/board.js")

    def test_it_shows_no_personal_data(self) -> None:
        booking = Booking.objects.create(
            point=self.point,
            service=self.ktp,
            slot_start=timezone.now(),
            code="BK9",
            name="Budi Hartono",
            nik="3374109999999999",
        )
        svc.ticket_issue(point=self.point, service=self.ktp, booking=booking, source="booking")
        svc.counter_call_next(counter=self.counter1, actor=self.officer)
        for name in ("board", "board_data"):
            response = self.client.get(reverse(f"queue_public:{name}", args=["33.74.10"]))
            self.assertNotContains(response, "Budi Hartono")
            self.assertNotContains(response, "3374109999999999")
            self.assertNotContains(response, "Rina Kurniawati")  # nor the officer

    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(reverse("queue_public:board", args=["00.00"])).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("queue_public:board_data", args=["33.74.10"])).status_code, 405
        )
