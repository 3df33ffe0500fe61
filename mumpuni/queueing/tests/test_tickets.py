"""The ticket service: issuing (closed point, unknown service, quota, numbering) and the state machine."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.queueing.models import PointClosure, PointService, Service, Ticket, TicketEvent, TicketSequence
from mumpuni.queueing.selectors.tickets import estimated_wait_minutes, people_ahead, spoken_call
from mumpuni.queueing.services import tickets as svc
from mumpuni.queueing.tests.ticket_fixtures import build_point, put_on_shift
from mumpuni.testing import BaseTestCase


class TicketIssueTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def test_it_numbers_per_point_letter_and_day(self) -> None:
        a1 = svc.ticket_issue(point=self.point, service=self.ktp)
        a2 = svc.ticket_issue(point=self.point, service=self.ktp)
        b1 = svc.ticket_issue(point=self.point, service=self.kk)
        self.assertEqual([a1.number, a2.number, b1.number], ["A-001", "A-002", "B-001"])
        self.assertEqual(a1.status, Ticket.Status.WAITING)
        self.assertEqual(a1.service_date, timezone.localdate())
        self.assertTrue(TicketEvent.objects.filter(ticket=a1, kind="issued").exists())
        self.assertEqual(TicketSequence.objects.get(point=self.point, group_letter="A").last_value, 2)

    def test_it_never_reuses_a_number_after_a_ticket_is_gone(self) -> None:
        first = svc.ticket_issue(point=self.point, service=self.ktp)
        first.delete()
        again = svc.ticket_issue(point=self.point, service=self.ktp)
        self.assertEqual(again.number, "A-002")

    def test_it_refuses_a_closed_point(self) -> None:
        PointClosure.objects.create(point=self.point, date=timezone.localdate(), reason="Libur nasional")
        with self.assertRaises(svc.PointClosedError) as caught:
            svc.ticket_issue(point=self.point, service=self.ktp)
        self.assertIn("tutup", caught.exception.message)
        self.assertFalse(Ticket.objects.exists())

    def test_it_opens_with_extended_hours_on_a_closed_day(self) -> None:
        PointClosure.objects.create(point=self.point, date=timezone.localdate(), reason="Libur")
        self.point.extended_until = timezone.now() + dt.timedelta(hours=1)
        self.point.save()
        ticket = svc.ticket_issue(point=self.point, service=self.ktp)
        self.assertEqual(ticket.number, "A-001")

    def test_it_refuses_a_service_the_point_does_not_offer(self) -> None:
        other = Service.objects.create(code="AKTA-MATI", name="Akta kematian", group_letter="C")
        with self.assertRaises(svc.ServiceNotOfferedError):
            svc.ticket_issue(point=self.point, service=other)
        self.ps_kk.active = False
        self.ps_kk.save()
        with self.assertRaises(svc.ServiceNotOfferedError):
            svc.ticket_issue(point=self.point, service=self.kk)

    def test_it_refuses_an_exhausted_quota(self) -> None:
        PointService.objects.filter(pk=self.ps_ktp.pk).update(daily_quota=2)
        svc.ticket_issue(point=self.point, service=self.ktp)
        svc.ticket_issue(point=self.point, service=self.ktp)
        with self.assertRaises(svc.QuotaExhaustedError) as caught:
            svc.ticket_issue(point=self.point, service=self.ktp)
        self.assertIn("Kuota", caught.exception.message)
        self.assertEqual(Ticket.objects.filter(service=self.ktp).count(), 2)
        # The refused attempt used no number: the sequence rolled back with it.
        self.assertEqual(TicketSequence.objects.get(point=self.point, group_letter="A").last_value, 2)

    def test_it_refuses_an_unknown_priority(self) -> None:
        with self.assertRaises(ValidationFailed):
            svc.ticket_issue(point=self.point, service=self.ktp, priority="vip")


class CallOrderTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def _issue(self, service: Service | None = None, **kwargs: object) -> Ticket:
        return svc.ticket_issue(point=self.point, service=service or self.ktp, **kwargs)  # type: ignore[arg-type]

    def _serve_out(self, ticket: Ticket) -> None:
        svc.ticket_skip(ticket=ticket, actor=self.officer)

    def test_it_calls_priority_then_bookings_then_first_come(self) -> None:
        now = timezone.now()
        walk_in = self._issue(at=now - dt.timedelta(minutes=30))
        elderly = self._issue(priority="lansia", at=now - dt.timedelta(minutes=5))
        booked = self._issue(
            source="booking", queue_at=now - dt.timedelta(hours=1), at=now - dt.timedelta(minutes=1)
        )
        order = []
        for _ in range(3):
            ticket = svc.counter_call_next(counter=self.counter1, actor=self.officer)
            assert ticket is not None
            order.append(ticket.pk)
            self._serve_out(ticket)
        self.assertEqual(order, [elderly.pk, booked.pk, walk_in.pk])
        self.assertIsNone(svc.counter_call_next(counter=self.counter1, actor=self.officer))

    def test_it_calls_only_the_counters_services(self) -> None:
        self._issue(service=self.kk)
        put_on_shift(self.counter2, self.officer_employee)
        self.assertIsNone(svc.counter_call_next(counter=self.counter2, actor=self.officer))
        ticket = svc.counter_call_next(counter=self.counter1, actor=self.officer)
        assert ticket is not None
        self.assertEqual(ticket.service, self.kk)

    def test_it_records_call_with_counter_officer_and_time(self) -> None:
        issued = self._issue()
        ticket = svc.counter_call_next(counter=self.counter1, actor=self.officer)
        assert ticket is not None
        ticket.refresh_from_db()
        self.assertEqual(ticket.pk, issued.pk)
        self.assertEqual(ticket.status, Ticket.Status.CALLED)
        self.assertEqual(ticket.counter, self.counter1)
        self.assertEqual(ticket.officer, self.officer_employee)
        self.assertIsNotNone(ticket.called_at)
        event = TicketEvent.objects.get(ticket=ticket, kind="called")
        self.assertEqual(
            (event.counter, event.officer, event.actor), (self.counter1, self.officer_employee, self.officer)
        )

    def test_it_refuses_to_call_while_a_ticket_is_open_or_paused(self) -> None:
        self._issue()
        self._issue()
        svc.counter_call_next(counter=self.counter1, actor=self.officer)
        with self.assertRaises(svc.TransitionError):
            svc.counter_call_next(counter=self.counter1, actor=self.officer)
        svc.ticket_skip(ticket=Ticket.objects.get(status="called"), actor=self.officer)
        svc.counter_set_paused(counter=self.counter1, paused=True, actor=self.officer)
        self.counter1.refresh_from_db()
        self.assertTrue(self.counter1.paused)
        with self.assertRaises(svc.CounterPausedError):
            svc.counter_call_next(counter=self.counter1, actor=self.officer)
        svc.counter_set_paused(counter=self.counter1, paused=False, actor=self.officer)
        self.assertIsNotNone(svc.counter_call_next(counter=self.counter1, actor=self.officer))

    def test_it_refuses_outsiders(self) -> None:
        self._issue()
        # Even when someone put Banyumanik's officer on this counter's roster, they may not call here.
        put_on_shift(self.counter2, self.other_officer_employee)
        for actor, counter in [
            (self.other_officer, self.counter2),
            (self.other, self.counter1),
            (self.employee, self.counter1),
            (self.officer, self.counter2),  # a Tembalang officer, but not on shift at counter 2
            (self.executive, self.counter1),
        ]:
            with (
                self.subTest(actor=actor.username, counter=counter.name),
                self.assertRaises(PermissionDeniedError),
            ):
                svc.counter_call_next(counter=counter, actor=actor)
        self.assertFalse(Ticket.objects.exclude(status="waiting").exists())

    def test_it_lets_the_camat_and_bkpp_stand_in(self) -> None:
        self._issue()
        self._issue()
        self.assertIsNotNone(svc.counter_call_next(counter=self.counter2, actor=self.camat))
        self.assertIsNotNone(svc.counter_call_next(counter=self.counter1, actor=self.admin))


class TransitionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def _called(self) -> Ticket:
        svc.ticket_issue(point=self.point, service=self.ktp)
        ticket = svc.counter_call_next(counter=self.counter1, actor=self.officer)
        assert ticket is not None
        return ticket

    def test_it_walks_called_serving_finished(self) -> None:
        ticket = self._called()
        svc.ticket_recall(ticket=ticket, actor=self.officer)
        ticket.refresh_from_db()
        self.assertEqual(ticket.call_count, 2)
        svc.ticket_start(ticket=ticket, actor=self.officer)
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, Ticket.Status.SERVING)
        self.assertIsNotNone(ticket.started_at)
        svc.ticket_finish(ticket=ticket, outcome="incomplete", actor=self.officer)
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, Ticket.Status.INCOMPLETE)
        self.assertIsNotNone(ticket.finished_at)
        self.assertGreaterEqual(ticket.service_seconds or 0, 0)
        kinds = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
        self.assertEqual(kinds, ["issued", "called", "recalled", "started", "finished"])

    def test_it_refuses_transitions_out_of_order(self) -> None:
        ticket = self._called()
        with self.assertRaises(svc.TransitionError):
            svc.ticket_finish(ticket=ticket, outcome="done", actor=self.officer)
        svc.ticket_start(ticket=ticket, actor=self.officer)
        for action in (svc.ticket_start, svc.ticket_skip, svc.ticket_recall):
            with self.subTest(action=action.__name__), self.assertRaises(svc.TransitionError):
                action(ticket=ticket, actor=self.officer)
        with self.assertRaises(ValidationFailed):
            svc.ticket_finish(ticket=ticket, outcome="lost", actor=self.officer)
        svc.ticket_finish(ticket=ticket, outcome="done", actor=self.officer)
        with self.assertRaises(svc.TransitionError):
            svc.ticket_finish(ticket=ticket, outcome="done", actor=self.officer)
        waiting = svc.ticket_issue(point=self.point, service=self.ktp)
        with self.assertRaises(svc.TransitionError):
            svc.ticket_start(ticket=waiting, actor=self.officer)

    def test_it_marks_a_no_show(self) -> None:
        ticket = svc.ticket_skip(ticket=self._called(), actor=self.officer)
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, Ticket.Status.NO_SHOW)
        self.assertIsNotNone(ticket.finished_at)

    def test_it_transfers_to_another_service_at_raised_priority(self) -> None:
        ticket = self._called()
        svc.ticket_start(ticket=ticket, actor=self.officer)
        svc.ticket_issue(point=self.point, service=self.kk)  # a B ticket already waiting
        svc.ticket_transfer(ticket=ticket, service=self.kk, actor=self.officer)
        ticket.refresh_from_db()
        self.assertEqual((ticket.status, ticket.priority, ticket.service), ("waiting", "alih", self.kk))
        self.assertEqual(ticket.number, "A-001")  # the citizen keeps their slip
        self.assertIsNone(ticket.counter)
        event = TicketEvent.objects.get(ticket=ticket, kind="transferred")
        self.assertEqual(event.data["to_service"], self.kk.code)
        self.assertIsNotNone(event.data["started_at"])
        again = svc.counter_call_next(counter=self.counter1, actor=self.officer)
        self.assertEqual(again, ticket)  # ahead of the B ticket that was already waiting

    def test_it_transfers_to_a_specific_counter(self) -> None:
        ticket = self._called()
        svc.ticket_transfer(ticket=ticket, counter=self.counter2, actor=self.officer)
        ticket.refresh_from_db()
        self.assertEqual(ticket.target_counter, self.counter2)
        put_on_shift(self.counter2, self.supervisor_employee)
        self.assertIsNone(svc.counter_call_next(counter=self.counter1, actor=self.officer))
        called = svc.counter_call_next(counter=self.counter2, actor=self.camat)
        self.assertEqual(called, ticket)

    def test_it_refuses_a_transfer_without_one_target(self) -> None:
        ticket = self._called()
        with self.assertRaises(ValidationFailed):
            svc.ticket_transfer(ticket=ticket, actor=self.officer)
        with self.assertRaises(ValidationFailed):
            svc.ticket_transfer(ticket=ticket, counter=self.counter1, actor=self.officer)

    def test_it_refuses_outsiders(self) -> None:
        ticket = self._called()
        with self.assertRaises(PermissionDeniedError):
            svc.ticket_start(ticket=ticket, actor=self.other_officer)
        with self.assertRaises(PermissionDeniedError):
            svc.counter_set_paused(counter=self.counter1, paused=True, actor=self.other)
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, Ticket.Status.CALLED)


class EstimateTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def test_it_counts_people_ahead_and_estimates_the_wait(self) -> None:
        tickets = [svc.ticket_issue(point=self.point, service=self.ktp) for _ in range(4)]
        self.assertEqual(people_ahead(tickets[0]), 0)
        self.assertEqual(people_ahead(tickets[3]), 3)
        # No history: the standard (10 min), two counters serve KTP → 3 × 10 / 2 = 15.
        self.assertEqual(estimated_wait_minutes(tickets[3]), 15)
        elderly = svc.ticket_issue(point=self.point, service=self.ktp, priority="lansia")
        self.assertEqual(people_ahead(elderly), 0)
        self.assertEqual(people_ahead(tickets[3]), 4)

    def test_it_uses_the_recent_mean_service_time(self) -> None:
        now = timezone.now()
        done = svc.ticket_issue(point=self.point, service=self.ktp)
        Ticket.objects.filter(pk=done.pk).update(
            status="done", started_at=now - dt.timedelta(minutes=4), finished_at=now
        )
        waiting = [svc.ticket_issue(point=self.point, service=self.ktp) for _ in range(3)]
        self.assertEqual(estimated_wait_minutes(waiting[2]), 4)  # 2 ahead × 4 min / 2 counters

    def test_it_speaks_the_call_in_indonesian(self) -> None:
        self.counter2.number = 3
        self.assertEqual(
            spoken_call("A-012", self.counter2), "Nomor antrean A dua belas, silakan ke loket tiga"
        )
