"""The ticket/counter API: kiosk keys issue at their point, displays only read, officers act at their
counters; refusals are 4xx with an Indonesian reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mumpuni.people.models import ApiKey, Role, RoleAssignment, User
from mumpuni.people.services import api_key_create, api_key_revoke
from mumpuni.queueing.api import tickets as api
from mumpuni.queueing.models import PointClosure, PointService, ServicePoint, Ticket
from mumpuni.queueing.selectors.tickets import estimated_wait_minutes
from mumpuni.queueing.services import tickets as svc
from mumpuni.queueing.tests.ticket_fixtures import build_point
from mumpuni.testing import BaseTestCase

URL = "/api/v1/queue/"


class TicketApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)
        cls.kiosk_key = api_key_create(
            actor=None, name="kios-tembalang", role=Role.KIOSK, unit=cls.tembalang
        )[1]
        cls.other_kiosk_key = api_key_create(
            actor=None, name="kios-banyumanik", role=Role.KIOSK, unit=cls.banyumanik
        )[1]
        cls.display_key = api_key_create(
            actor=None, name="papan-tembalang", role=Role.DISPLAY, unit=cls.tembalang
        )[1]

    def setUp(self) -> None:
        super().setUp()
        api.forget_wait_estimates()  # ids repeat between tests; an estimate must not carry over

    def _post(self, path: str, body: dict[str, Any] | None = None, key: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return self.client.post(URL + path, body or {}, content_type="application/json", headers=headers)

    def _issue(self, **body: Any) -> Any:
        return self._post("tickets", {"point": "33.74.10", "service": "KTP-REKAM", **body}, self.kiosk_key)

    def test_it_issues_a_ticket_from_a_kiosk_key(self) -> None:
        response = self._issue(priority=False)
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        self.assertEqual(
            (data["number"], data["status"], data["point"], data["service"]),
            ("A-001", "waiting", "33.74.10", "KTP-REKAM"),
        )
        self.assertEqual(data["position"], 1)
        self.assertIn("/antrean/tiket/", data["public_url"])
        ticket = Ticket.objects.get(pk=data["id"])
        self.assertEqual((ticket.source, ticket.priority), ("kiosk", ""))
        self.assertEqual(self._issue(priority=True).json()["priority"], "lansia")
        self.assertEqual(self._issue(priority="disabilitas").json()["priority"], "disabilitas")

    def test_it_refuses_closed_unknown_and_exhausted(self) -> None:
        response = self._post("tickets", {"point": "33.74.10", "service": "NOPE"}, self.kiosk_key)
        self.assertEqual(response.status_code, 422)
        self.assertIn("tidak dikenal", response.json()["detail"])
        PointService.objects.filter(pk=self.ps_ktp.pk).update(daily_quota=1)
        self.assertEqual(self._issue().status_code, 201)
        response = self._issue()
        self.assertEqual(response.status_code, 409)
        self.assertIn("Kuota", response.json()["detail"])
        PointClosure.objects.create(point=self.point, date=timezone.localdate(), reason="Libur")
        response = self._post("tickets", {"point": "33.74.10", "service": "KK"}, self.kiosk_key)
        self.assertEqual(response.status_code, 409)
        self.assertIn("tutup", response.json()["detail"])
        self.assertEqual(Ticket.objects.count(), 1)

    def test_it_runs_a_ticket_through_the_counter(self) -> None:
        ticket_id = self._issue().json()["id"]
        self.client.force_login(self.officer)
        response = self._post(f"counters/{self.counter1.pk}/call-next")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["id"], ticket_id)
        self.assertEqual(self._post(f"tickets/{ticket_id}/start").status_code, 200)
        response = self._post(f"tickets/{ticket_id}/finish", {"outcome": "referred"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "referred")
        self.assertEqual(self._post(f"counters/{self.counter1.pk}/call-next").status_code, 204)
        self.assertEqual(self._post(f"tickets/{ticket_id}/finish", {"outcome": "done"}).status_code, 409)
        self.assertEqual(self._post(f"tickets/{ticket_id}/finish", {"outcome": "x"}).status_code, 422)
        self.assertEqual(Ticket.objects.get(pk=ticket_id).status, "referred")

    def test_it_skips_and_transfers(self) -> None:
        first = self._issue().json()["id"]
        second = self._issue().json()["id"]
        self.client.force_login(self.officer)
        self._post(f"counters/{self.counter1.pk}/call-next")
        self.assertEqual(self._post(f"tickets/{first}/skip").json()["status"], "no_show")
        self._post(f"counters/{self.counter1.pk}/call-next")
        response = self._post(f"tickets/{second}/transfer", {"service": "KK"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["status"], response.json()["service"]), ("waiting", "KK"))
        self._post(f"counters/{self.counter1.pk}/call-next")
        response = self._post(f"tickets/{second}/transfer", {"counter": self.counter2.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Ticket.objects.get(pk=second).target_counter, self.counter2)
        self.assertEqual(self._post(f"tickets/{second}/transfer", {}).status_code, 422)

    def test_it_refuses_outsiders(self) -> None:
        # A kiosk of another point, a display key: no ticket.
        response = self._post("tickets", {"point": "33.74.10", "service": "KTP-REKAM"}, self.other_kiosk_key)
        self.assertEqual(response.status_code, 403)
        response = self._post("tickets", {"point": "33.74.10", "service": "KTP-REKAM"}, self.display_key)
        self.assertEqual(response.status_code, 403)
        ticket_id = self._issue().json()["id"]
        # Keys and the officer of another kecamatan cannot call at this counter.
        self.assertEqual(
            self._post(f"counters/{self.counter1.pk}/call-next", key=self.kiosk_key).status_code, 403
        )
        self.assertEqual(
            self._post(f"counters/{self.counter1.pk}/call-next", key=self.display_key).status_code, 403
        )
        self.client.force_login(self.other_officer)
        self.assertEqual(self._post(f"counters/{self.counter1.pk}/call-next").status_code, 403)
        self.assertEqual(self._post(f"tickets/{ticket_id}/start").status_code, 404)
        self.client.logout()
        self.assertEqual(self._post(f"counters/{self.counter1.pk}/call-next").status_code, 401)
        self.assertEqual(Ticket.objects.get(pk=ticket_id).status, "waiting")

    def test_it_lets_a_display_read_a_ticket(self) -> None:
        ticket_id = self._issue().json()["id"]
        response = self.client.get(
            f"{URL}tickets/{ticket_id}", headers={"Authorization": f"Bearer {self.display_key}"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["number"], "A-001")
        response = self.client.get(
            f"{URL}tickets/{ticket_id}", headers={"Authorization": f"Bearer {self.other_kiosk_key}"}
        )
        self.assertEqual(response.status_code, 404)

    def test_it_documents_the_endpoints(self) -> None:
        paths = self.client.get("/api/openapi.json").json()["paths"]
        for path in [
            "/api/v1/queue/tickets",
            "/api/v1/queue/counters/{counter_id}/call-next",
            "/api/v1/queue/tickets/{ticket_id}/transfer",
        ]:
            self.assertIn(path, paths)

    def test_it_sees_the_service_transition_from_the_api(self) -> None:
        ticket = svc.ticket_issue(point=self.point, service=self.ktp)
        svc.counter_call_next(counter=self.counter1, actor=self.officer)
        self.client.force_login(self.officer)
        self.assertEqual(self._post(f"tickets/{ticket.pk}/recall").json()["status"], "called")
        ticket.refresh_from_db()
        self.assertEqual(ticket.call_count, 2)

    def test_it_estimates_the_wait_like_the_ticket_page(self) -> None:
        for _ in range(3):
            self._issue()
        data = self._issue().json()
        ticket = Ticket.objects.get(pk=data["id"])
        self.assertEqual((data["position"], data["people_ahead"]), (4, 3))
        # 3 ahead × 10 minutes (the service's standard, nothing finished yet) ÷ 2 open counters
        self.assertEqual(data["estimated_wait_minutes"], 15)
        self.assertEqual(data["estimated_wait_minutes"], estimated_wait_minutes(ticket))


class TicketApiKeyTests(BaseTestCase):
    """Keys are checked on every request even though the account and scope are reused between requests:
    a revoked key, a deactivated account or a changed role takes effect on the very next request."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)
        cls.kiosk_record, cls.kiosk_key = api_key_create(
            actor=None, name="kios-tembalang", role=Role.KIOSK, unit=cls.tembalang
        )

    def _issue(self) -> Any:
        return self.client.post(
            f"{URL}tickets",
            {"point": "33.74.10", "service": "KTP-REKAM"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.kiosk_key}"},
        )

    def test_it_refuses_a_revoked_key_at_once(self) -> None:
        self.assertEqual(self._issue().status_code, 201)
        api_key_revoke(actor=self.admin, key=self.kiosk_record)
        response = self._issue()
        self.assertEqual(response.status_code, 401)
        self.assertIn("dicabut", response.json()["detail"])
        self.assertEqual(Ticket.objects.count(), 1)

    def test_it_refuses_a_deactivated_account_at_once(self) -> None:
        self.assertEqual(self._issue().status_code, 201)
        User.objects.filter(pk=self.kiosk_record.user_id).update(is_active=False)
        self.assertEqual(self._issue().status_code, 401)

    def test_it_follows_a_kiosk_moved_to_another_point_at_once(self) -> None:
        self.assertEqual(self._issue().status_code, 201)
        RoleAssignment.objects.filter(user_id=self.kiosk_record.user_id).update(unit=self.banyumanik)
        self.assertEqual(self._issue().status_code, 403)
        RoleAssignment.objects.filter(user_id=self.kiosk_record.user_id).update(unit=self.tembalang)
        self.assertEqual(self._issue().status_code, 201)
        RoleAssignment.objects.filter(user_id=self.kiosk_record.user_id).delete()
        self.assertEqual(self._issue().status_code, 403)
        self.assertEqual(Ticket.objects.count(), 2)

    def test_it_notes_key_use_at_most_once_a_minute(self) -> None:
        self._issue()
        first = ApiKey.objects.get(pk=self.kiosk_record.pk).last_used_at
        self.assertIsNotNone(first)
        self._issue()
        self.assertEqual(ApiKey.objects.get(pk=self.kiosk_record.pk).last_used_at, first)
        ApiKey.objects.filter(pk=self.kiosk_record.pk).update(last_used_at=first - dt.timedelta(minutes=2))
        self._issue()
        self.assertGreater(ApiKey.objects.get(pk=self.kiosk_record.pk).last_used_at, first)

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.post(
            f"{URL}tickets",
            {"point": "33.74.10", "service": "KTP-REKAM"},
            content_type="application/json",
            headers={"Authorization": "Bearer mpn_not-a-key"},
        )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(Ticket.objects.count(), 0)


class TicketApiQueryCountTests(BaseTestCase):
    """The kiosk and counter calls are the hot path (bench/queue_load.py): each is a handful of queries.
    Counted with keys (as kiosks and counter devices call) after a first request has loaded the key's
    account; the point is open through extended_until so the opening-hours lookup is not counted here."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)
        ServicePoint.objects.filter(pk=cls.point.pk).update(
            extended_until=timezone.now() + dt.timedelta(days=1)
        )
        cls.kiosk_key = api_key_create(actor=None, name="kios", role=Role.KIOSK, unit=cls.tembalang)[1]
        cls.head_key = api_key_create(
            actor=None, name="loket", role=Role.UNIT_HEAD, unit=cls.tembalang, allow_privileged=True
        )[1]

    def setUp(self) -> None:
        super().setUp()
        api.forget_wait_estimates()

    def _post(self, path: str, key: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            URL + path,
            body or {},
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )

    def _cycle(self, *, counted: bool) -> None:
        def check(queries: int) -> Any:
            return self.assertNumQueries(queries) if counted else _NoCount()

        with check(8):  # key, offer, savepoint, number, ticket, event, release, place in the queue
            response = self._post("tickets", self.kiosk_key, {"point": "33.74.10", "service": "KTP-REKAM"})
        self.assertEqual(response.status_code, 201, response.content)
        with check(
            9
        ):  # key, counter, savepoint, counter lock, open ticket?, next ticket, update, event, release
            response = self._post(f"counters/{self.counter1.pk}/call-next", self.head_key)
        self.assertEqual(response.status_code, 200, response.content)
        ticket_id = response.json()["id"]
        with check(7):  # key, ticket, savepoint, ticket lock, update, event, release
            self.assertEqual(self._post(f"tickets/{ticket_id}/start", self.head_key).status_code, 200)
        with check(7):
            response = self._post(f"tickets/{ticket_id}/finish", self.head_key, {"outcome": "done"})
        self.assertEqual(response.status_code, 200)

    def test_it_keeps_each_call_to_a_few_queries(self) -> None:
        self._cycle(counted=False)  # loads the keys' accounts and scopes, notes their use
        self._cycle(counted=True)
        self.assertEqual(Ticket.objects.filter(status="done").count(), 2)


class _NoCount:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
