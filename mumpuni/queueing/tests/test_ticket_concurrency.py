"""Concurrency on PostgreSQL with real threads (each its own database connection): any number of kiosks
and counters never produce a duplicate number, never call one ticket twice and never lose a ticket.

Skipped on SQLite, which serialises writers (and whose in-memory test database threads cannot share).
"""

from __future__ import annotations

import threading
import unittest
from collections import Counter as Tally
from collections.abc import Callable
from typing import Any

from django.db import connection, connections
from django.test import Client, TransactionTestCase

from mumpuni.people.models import Role
from mumpuni.people.services import api_key_create
from mumpuni.queueing.models import Counter, Ticket, TicketEvent, TicketSequence
from mumpuni.queueing.services import tickets as svc
from mumpuni.queueing.tests.ticket_fixtures import build_point
from mumpuni.testing import Cast, create_cast

KIOSKS = 8
TICKETS_PER_KIOSK = 15
COUNTERS = 4


def run_threads(targets: list[Callable[[], None]]) -> list[BaseException]:
    """Start every target at once (a barrier), each closing its own connection; return their exceptions."""
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def wrap(target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                barrier.wait()
                target()
            except BaseException as exc:  # noqa: BLE001 (reported by the test)
                errors.append(exc)
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@unittest.skipUnless(connection.vendor == "postgresql", "concurrency is proven on PostgreSQL only")
class TicketConcurrencyTests(TransactionTestCase):
    def setUp(self) -> None:
        self.cast: Any = Cast()
        create_cast(self.cast)
        build_point(self.cast)
        self.point = self.cast.point
        self.counters = [self.cast.counter1, self.cast.counter2]
        for number in range(3, COUNTERS + 1):
            counter = Counter.objects.create(point=self.point, number=number, name=f"Loket {number}")
            counter.services.set([self.cast.ktp, self.cast.kk])
            self.counters.append(counter)
        self.counters[1].services.add(self.cast.kk)

    def _kiosk(self, count: int) -> Callable[[], None]:
        def issue() -> None:
            for i in range(count):
                service = self.cast.ktp if i % 3 else self.cast.kk
                svc.ticket_issue(point=self.point, service=service, priority="lansia" if i % 5 == 0 else "")

        return issue

    def test_it_never_duplicates_or_loses_a_number(self) -> None:
        errors = run_threads([self._kiosk(TICKETS_PER_KIOSK) for _ in range(KIOSKS)])
        self.assertEqual(errors, [])
        tickets = list(Ticket.objects.values_list("group_letter", "sequence", "number"))
        self.assertEqual(len(tickets), KIOSKS * TICKETS_PER_KIOSK)
        self.assertEqual(len({t[2] for t in tickets}), len(tickets))  # no duplicate number
        for letter in ("A", "B"):
            numbers = sorted(seq for lt, seq, _ in tickets if lt == letter)
            self.assertEqual(numbers, list(range(1, len(numbers) + 1)))  # no gap: none lost
            sequence = TicketSequence.objects.get(point=self.point, group_letter=letter)
            self.assertEqual(sequence.last_value, len(numbers))

    def test_it_never_calls_a_ticket_twice(self) -> None:
        self._kiosk(60)()
        admin = self.cast.admin  # BKPP may work any counter: no shifts needed for four counters
        called: list[int] = []
        lock = threading.Lock()
        kiosks_done = threading.Event()
        kiosks_left = [2]

        def kiosk() -> None:
            try:
                self._kiosk(20)()
            finally:
                with lock:
                    kiosks_left[0] -= 1
                    if kiosks_left[0] == 0:
                        kiosks_done.set()

        def desk(counter: Counter) -> Callable[[], None]:
            def work() -> None:
                while True:
                    ticket = svc.counter_call_next(counter=counter, actor=admin)
                    if ticket is None:
                        if kiosks_done.is_set():
                            # One more look: a kiosk may have committed after our empty call.
                            ticket = svc.counter_call_next(counter=counter, actor=admin)
                            if ticket is None:
                                return
                        else:
                            continue
                    with lock:
                        called.append(ticket.pk)
                    svc.ticket_start(ticket=ticket, actor=admin)
                    svc.ticket_finish(ticket=ticket, outcome="done", actor=admin)

            return work

        errors = run_threads([kiosk, kiosk, *[desk(c) for c in self.counters]])
        self.assertEqual(errors, [])
        total = 60 + 2 * 20
        self.assertEqual(Ticket.objects.count(), total)
        self.assertEqual(len(called), total)
        self.assertEqual(len(set(called)), total)  # nobody called twice
        self.assertFalse(Ticket.objects.exclude(status="done").exists())  # nobody lost
        calls = Tally(TicketEvent.objects.filter(kind="called").values_list("ticket_id", flat=True))
        self.assertEqual(set(calls.values()), {1})
        self.assertEqual(len(set(Ticket.objects.values_list("number", flat=True))), total)

    def test_it_holds_through_the_api_with_shared_key_caches(self) -> None:
        """The same through HTTP handlers in threads (as gthread workers run them): kiosks and counters share
        one key each, so the per-process key cache serves concurrent requests."""
        kiosk_key = api_key_create(actor=None, name="kios", role=Role.KIOSK, unit=self.cast.tembalang)[1]
        head_key = api_key_create(
            actor=None, name="loket", role=Role.UNIT_HEAD, unit=self.cast.tembalang, allow_privileged=True
        )[1]
        issued: list[str] = []
        called: list[int] = []
        lock = threading.Lock()

        def post(client: Client, path: str, key: str, body: dict[str, Any] | None = None) -> Any:
            return client.post(
                f"/api/v1/queue/{path}",
                body or {},
                content_type="application/json",
                headers={"Authorization": f"Bearer {key}"},
            )

        def counter_with_kiosk(counter: Counter) -> Callable[[], None]:
            def work() -> None:
                client = Client()
                for _ in range(10):
                    response = post(
                        client, "tickets", kiosk_key, {"point": "33.74.10", "service": "KTP-REKAM"}
                    )
                    assert response.status_code == 201, response.content
                    with lock:
                        issued.append(response.json()["number"])
                    response = post(client, f"counters/{counter.pk}/call-next", head_key)
                    assert response.status_code in (200, 204), response.content
                    if response.status_code == 204:
                        continue
                    ticket_id = response.json()["id"]
                    with lock:
                        called.append(ticket_id)
                    assert post(client, f"tickets/{ticket_id}/start", head_key).status_code == 200
                    response = post(client, f"tickets/{ticket_id}/finish", head_key, {"outcome": "done"})
                    assert response.status_code == 200, response.content

            return work

        errors = run_threads([counter_with_kiosk(c) for c in self.counters])
        self.assertEqual(errors, [])
        total = 10 * len(self.counters)
        self.assertEqual(len(issued), total)
        self.assertEqual(len(set(issued)), total)  # no duplicate number
        self.assertEqual(Ticket.objects.count(), total)  # none lost
        self.assertEqual(len(called), len(set(called)))  # nobody handed to two counters
        calls = Tally(TicketEvent.objects.filter(kind="called").values_list("ticket_id", flat=True))
        self.assertEqual(set(calls.values()), {1})  # nobody called twice
        served = Ticket.objects.filter(status="done").count()
        self.assertEqual(served, len(called))
        self.assertEqual(Ticket.objects.filter(status="waiting").count(), total - served)
