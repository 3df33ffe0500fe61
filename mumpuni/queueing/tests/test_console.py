"""The counter console: only the officer on shift (or the point's head / BKPP) works a counter."""

from __future__ import annotations

from django.urls import reverse

from mumpuni.queueing.models import Counter, Ticket
from mumpuni.queueing.services import tickets as svc
from mumpuni.queueing.tests.ticket_fixtures import build_point, put_on_shift
from mumpuni.testing import BaseTestCase


class ConsoleTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def _act(self, name: str, counter: Counter | None = None, **data: object) -> object:
        url = reverse("queueing:console_action", args=[(counter or self.counter1).pk, name])
        return self.client.post(url, data, headers={"HX-Request": "true"})

    def test_it_lists_the_counters_on_shift(self) -> None:
        self.login(self.officer)
        response = self.client.get(reverse("queueing:console_list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Loket 1")
        self.assertNotContains(response, "Loket 2")

    def test_it_lists_the_points_counters_for_the_camat(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("queueing:console_list"))
        self.assertContains(response, "Loket 1")
        self.assertContains(response, "Loket 2")
        self.login(self.other)
        self.assertNotContains(self.client.get(reverse("queueing:console_list")), "Loket 1")

    def test_it_calls_starts_and_finishes(self) -> None:
        ticket = svc.ticket_issue(point=self.point, service=self.ktp)
        svc.ticket_issue(point=self.point, service=self.kk)
        self.login(self.officer)
        response = self.client.get(reverse("queueing:console", args=[self.counter1.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Panggil berikutnya")
        response = self._act("call")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Memanggil A-001")
        self._act("recall", ticket=ticket.pk)
        self._act("start", ticket=ticket.pk)
        response = self._act("finish", ticket=ticket.pk, outcome="done")
        self.assertContains(response, 'id="figure-served">1</dd>')
        ticket.refresh_from_db()
        self.assertEqual((ticket.status, ticket.call_count), ("done", 2))
        self.assertEqual(ticket.officer, self.officer_employee)

    def test_it_skips_transfers_and_pauses(self) -> None:
        first = svc.ticket_issue(point=self.point, service=self.ktp)
        second = svc.ticket_issue(point=self.point, service=self.ktp)
        self.login(self.officer)
        self._act("call")
        self._act("skip", ticket=first.pk)
        self._act("call")
        response = self._act("transfer", ticket=second.pk, target=f"counter:{self.counter2.pk}")
        self.assertContains(response, "dialihkan")
        response = self._act("pause")
        self.assertContains(response, "Loket dijeda")
        response = self._act("call")
        self.assertContains(response, "sedang dijeda")
        first.refresh_from_db()
        second.refresh_from_db()
        self.counter1.refresh_from_db()
        self.assertEqual(first.status, "no_show")
        self.assertEqual((second.status, second.target_counter), ("waiting", self.counter2))
        self.assertTrue(self.counter1.paused)

    def test_it_shows_errors_in_the_panel(self) -> None:
        ticket = svc.ticket_issue(point=self.point, service=self.ktp)
        self.login(self.officer)
        response = self._act("start", ticket=ticket.pk)  # not at this counter yet
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "alert-danger")
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, "waiting")

    def test_it_refuses_outsiders(self) -> None:
        svc.ticket_issue(point=self.point, service=self.ktp)
        put_on_shift(self.counter2, self.other_officer_employee)
        for user, counter in [
            (self.other_officer, self.counter2),
            (self.other, self.counter1),
            (self.employee, self.counter1),
        ]:
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(
                    self.client.get(reverse("queueing:console", args=[counter.pk])).status_code, 404
                )
                self.assertEqual(self._act("call", counter).status_code, 404)
        self.client.logout()
        response = self.client.post(reverse("queueing:console_action", args=[self.counter1.pk, "call"]))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Ticket.objects.exclude(status="waiting").exists())
