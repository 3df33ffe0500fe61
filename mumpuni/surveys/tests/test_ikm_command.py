"""manage.py ikm and the survey services against hand-worked figures."""

from __future__ import annotations

import datetime as dt
import json
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection
from django.test import TransactionTestCase
from django.utils import timezone

from mumpuni.common.errors import ValidationFailed
from mumpuni.queueing.models import Counter, Ticket
from mumpuni.queueing.services.catalogue import catalogue_install
from mumpuni.queueing.tests.points_fixtures import WEDNESDAY, at, make_point
from mumpuni.surveys.models import SurveyResponse
from mumpuni.surveys.services import (
    AlreadyAnswered,
    SurveyClosed,
    pending_ticket_for_counter,
    submit_for_ticket,
)
from mumpuni.testing import BaseTestCase, create_cast


def finished_ticket(
    point, service, counter, officer, number: int, finished: dt.datetime, status: str = "done"
):
    return Ticket.objects.create(
        point=point,
        service=service,
        service_date=finished.date(),
        group_letter="A",
        sequence=number,
        number=f"A-{number:03d}",
        status=status,
        queue_at=finished - dt.timedelta(minutes=30),
        issued_at=finished - dt.timedelta(minutes=30),
        called_at=finished - dt.timedelta(minutes=10),
        started_at=finished - dt.timedelta(minutes=8),
        finished_at=finished,
        counter=counter,
        officer=officer,
    )


class IkmCommandTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        services = catalogue_install()
        cls.point = make_point(cls.tembalang, services)
        cls.service = services["KTP-REKAM"]
        cls.counter = Counter.objects.get(point=cls.point, number=1)
        cls.tickets = [
            finished_ticket(cls.point, cls.service, cls.counter, cls.officer_employee, n, at(WEDNESDAY, 9, n))
            for n in range(1, 6)
        ]

    def run_ikm(self, *args: str) -> dict:
        out = StringIO()
        call_command(
            "ikm",
            "--unit",
            "33.74.10",
            "--from",
            "2026-09-01",
            "--to",
            "2026-09-30",
            "--json",
            *args,
            stdout=out,
        )
        return json.loads(out.getvalue())

    def test_hand_worked_ikm_with_blanks_and_sample_check(self) -> None:
        now = at(WEDNESDAY, 10)
        # U1: 3, 4 → 3.5; U2: 4, blank → 4; U3..U9 blank. IKM = (3.5 + 4) / 2 × 25 = 93.75 → A.
        submit_for_ticket(self.tickets[0], {"u1": "3", "u2": "4"}, channel="counter", now=now)
        submit_for_ticket(
            self.tickets[1], {"u1": 4, "suggestion": "Antrean cepat"}, channel="online", now=now
        )
        data = self.run_ikm()
        self.assertEqual(data["respondents"], 2)
        self.assertEqual(data["nrr"], {"U1": 3.5, "U2": 4.0})
        self.assertEqual(data["ikm"], 93.75)
        self.assertEqual((data["mutu"], data["kinerja"]), ("A", "Sangat Baik"))
        # 5 finished tickets → Krejcie–Morgan needs 5; 2 answered.
        self.assertEqual(data["sample_required"], 5)
        self.assertFalse(data["sample_adequate"])
        self.assertEqual(self.run_ikm("--population", "2")["sample_adequate"], True)

    def test_response_keeps_ticket_context_and_no_identity(self) -> None:
        response = submit_for_ticket(self.tickets[2], {"u7": 4}, channel="counter", now=at(WEDNESDAY, 10))
        self.assertEqual(
            (response.unit, response.point, response.counter, response.officer, response.service_date),
            (self.tembalang, self.point, self.counter, self.officer_employee, WEDNESDAY),
        )

    def test_one_answer_per_ticket(self) -> None:
        submit_for_ticket(self.tickets[3], {"u1": 4}, channel="counter", now=at(WEDNESDAY, 10))
        with self.assertRaises(AlreadyAnswered):
            submit_for_ticket(self.tickets[3], {"u1": 1}, channel="online", now=at(WEDNESDAY, 11))
        self.assertEqual(SurveyResponse.objects.filter(ticket=self.tickets[3]).count(), 1)

    def test_online_link_expires_after_seven_days_and_bad_answers_are_refused(self) -> None:
        with self.assertRaises(SurveyClosed):
            submit_for_ticket(
                self.tickets[4],
                {"u1": 4},
                channel="online",
                now=at(WEDNESDAY, 9, 5) + dt.timedelta(days=7, minutes=1),
            )
        with self.assertRaises(ValidationFailed) as caught:
            submit_for_ticket(self.tickets[4], {"u1": 5, "u2": "x"}, channel="counter", now=at(WEDNESDAY, 10))
        self.assertEqual(set(caught.exception.fields), {"u1", "u2"})
        with self.assertRaises(ValidationFailed):
            submit_for_ticket(self.tickets[4], {}, channel="counter", now=at(WEDNESDAY, 10))
        self.assertFalse(SurveyResponse.objects.exists())

    def test_counter_tablet_offers_the_latest_unanswered_ticket(self) -> None:
        now = at(WEDNESDAY, 9, 10)
        self.assertEqual(pending_ticket_for_counter(self.counter, now), self.tickets[4])
        submit_for_ticket(self.tickets[4], {"u1": 4}, channel="counter", now=now)
        self.assertIsNone(pending_ticket_for_counter(self.counter, now))  # the earlier citizen has left
        self.assertIsNone(pending_ticket_for_counter(self.counter, now + dt.timedelta(hours=1)))

    def test_unknown_unit_and_bad_dates_are_refused(self) -> None:
        with self.assertRaises(CommandError):
            call_command("ikm", "--unit", "99.99", "--from", "2026-09-01", "--to", "2026-09-30")
        with self.assertRaises(CommandError):
            call_command("ikm", "--unit", "33.74.10", "--from", "2026-09-30", "--to", "2026-09-01")


@pytest.mark.postgres
class ConcurrentSubmitTests(TransactionTestCase):
    """Two tablets submitting for one ticket at the same moment: one row, one refusal."""

    def test_concurrent_submits_store_one_answer(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("needs PostgreSQL")
        cast = type("Cast", (), {})
        create_cast(cast)
        services = catalogue_install()
        point = make_point(cast.tembalang, services)
        counter = Counter.objects.get(point=point, number=1)
        ticket = finished_ticket(
            point, services["KTP-REKAM"], counter, None, 1, timezone.now() - dt.timedelta(minutes=1)
        )
        outcomes: list[str] = []
        barrier = threading.Barrier(8)

        def submit() -> None:
            try:
                barrier.wait()
                submit_for_ticket(Ticket.objects.get(pk=ticket.pk), {"u1": 4}, channel="counter")
                outcomes.append("ok")
            except AlreadyAnswered:
                outcomes.append("refused")
            finally:
                close_old_connections()

        threads = [threading.Thread(target=submit) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(outcomes), ["ok"] + ["refused"] * 7)
        self.assertEqual(SurveyResponse.objects.filter(ticket=ticket).count(), 1)
