"""The public SKM pages: the counter tablet (idle -> survey for the right ticket -> thank-you -> idle) and
the ticket's online link (7 days, once), with their refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from mumpuni.queueing.models import Counter, Ticket
from mumpuni.queueing.tests.ticket_fixtures import build_point
from mumpuni.surveys.models import SurveyResponse
from mumpuni.surveys.views.public import online_survey_offer
from mumpuni.testing import BaseTestCase


def make_ticket(
    cls_or_self: Any,
    number: int,
    *,
    counter: Counter | None = None,
    finished_ago: dt.timedelta | None = dt.timedelta(minutes=2),
    status: str = "done",
) -> Ticket:
    now = timezone.now()
    finished = now - finished_ago if finished_ago is not None else None
    issued = (finished or now) - dt.timedelta(minutes=20)
    return Ticket.objects.create(
        point=cls_or_self.point,
        service=cls_or_self.ktp,
        service_date=timezone.localdate(issued),
        group_letter="A",
        sequence=number,
        number=f"A-{number:03d}",
        status=status,
        queue_at=issued,
        issued_at=issued,
        called_at=issued + dt.timedelta(minutes=10),
        started_at=issued + dt.timedelta(minutes=11),
        finished_at=finished,
        counter=counter or cls_or_self.counter1,
        officer=cls_or_self.officer_employee,
    )


ANSWERS = {
    "u1": "4",
    "u2": "3",
    "u5": "2",
    "u7": "4",
    "sex": "P",
    "age_band": "30-39",
    "suggestion": "Ruang tunggu kurang kursi",
}


class TabletTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def setUp(self) -> None:
        cache.clear()
        self.url = reverse("surveys_public:tablet", args=[self.counter1.pk])
        self.check_url = reverse("surveys_public:tablet_check", args=[self.counter1.pk])

    def post(self, ticket: Ticket, data: dict[str, str] | None = None, **extra: str) -> Any:
        payload = {"ticket": str(ticket.pk), "token": ticket.public_token, "action": "submit"}
        payload.update(data if data is not None else ANSWERS)
        payload.update(extra)
        return self.client.post(self.url, payload)

    def test_idle_screen_polls_until_a_ticket_finishes(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Survei Kepuasan Masyarakat — Loket 1")
        self.assertContains(response, 'id="skm-idle"')
        self.assertContains(response, f'hx-get="{self.check_url}?tiket="')
        self.assertNotContains(response, 'id="skm-form"')
        # Nothing yet: the poll answers 204 without a redirect.
        poll = self.client.get(self.check_url, {"tiket": ""})
        self.assertEqual(poll.status_code, 204)
        self.assertNotIn("HX-Redirect", poll)
        # A ticket still being served is not offered.
        make_ticket(self, 1, finished_ago=None, status="serving")
        self.assertNotIn("HX-Redirect", self.client.get(self.check_url, {"tiket": ""}))

        ticket = make_ticket(self, 2)
        poll = self.client.get(self.check_url, {"tiket": ""})
        self.assertEqual(poll["HX-Redirect"], self.url)
        response = self.client.get(self.url)
        self.assertContains(response, 'id="skm-form"')
        self.assertContains(response, "Tiket <strong>A-002</strong> — Perekaman KTP-el")
        self.assertContains(response, f'name="ticket" value="{ticket.pk}"')
        self.assertContains(response, f'name="token" value="{ticket.public_token}"')
        # The nine questions in the regulation's wording, four answers each.
        self.assertContains(response, "kesesuaian persyaratan pelayanan", count=1)
        self.assertContains(response, 'class="btn-check skm-answer" name="u9"', count=4)
        self.assertContains(response, "Dikelola dengan baik")
        # While it shows this ticket the poll stays quiet.
        self.assertNotIn("HX-Redirect", self.client.get(self.check_url, {"tiket": str(ticket.pk)}))

    def test_the_latest_ticket_at_this_counter_is_offered(self) -> None:
        make_ticket(self, 1, finished_ago=dt.timedelta(minutes=5))
        latest = make_ticket(self, 2, finished_ago=dt.timedelta(minutes=1))
        make_ticket(self, 3, counter=self.counter2, finished_ago=dt.timedelta(seconds=10))
        make_ticket(self, 4, finished_ago=dt.timedelta(minutes=40))  # too long ago
        response = self.client.get(self.url)
        self.assertContains(response, f'name="ticket" value="{latest.pk}"')
        poll = self.client.get(self.check_url, {"tiket": str(latest.pk - 1)})
        self.assertEqual(poll["HX-Redirect"], self.url)

    def test_submit_stores_one_answer_for_the_ticket_then_thanks_and_back_to_idle(self) -> None:
        older = make_ticket(self, 1, finished_ago=dt.timedelta(minutes=4))
        ticket = make_ticket(self, 2)
        response = self.post(ticket)
        thanks = reverse("surveys_public:tablet_thanks", args=[self.counter1.pk])
        self.assertRedirects(response, thanks)
        saved = SurveyResponse.objects.get()
        self.assertEqual(saved.ticket, ticket)
        self.assertEqual(saved.channel, "counter")
        self.assertEqual(
            (saved.counter, saved.officer, saved.point), (self.counter1, self.officer_employee, self.point)
        )
        self.assertEqual(
            (saved.u1, saved.u2, saved.u3, saved.u5, saved.u7, saved.u9), (4, 3, None, 2, 4, None)
        )
        self.assertEqual((saved.sex, saved.age_band, saved.education), ("P", "30-39", ""))
        self.assertEqual(saved.suggestion, "Ruang tunggu kurang kursi")

        page = self.client.get(thanks)
        self.assertContains(page, "Terima kasih!")
        self.assertContains(page, f'content="8;url={self.url}"')
        # Back to idle: the answered ticket is gone, and the older unanswered one (its citizen has left)
        # is not offered to the next citizen either.
        self.assertContains(self.client.get(self.url), 'id="skm-idle"')
        self.assertNotIn("HX-Redirect", self.client.get(self.check_url, {"tiket": ""}))
        self.assertFalse(SurveyResponse.objects.filter(ticket=older).exists())
        # The next citizen's ticket finishes: offered.
        nxt = make_ticket(self, 3, finished_ago=dt.timedelta(seconds=5))
        self.assertContains(self.client.get(self.url), f'name="ticket" value="{nxt.pk}"')

    def test_stale_or_mismatched_ticket_is_refused(self) -> None:
        mine = make_ticket(self, 1)
        elsewhere = make_ticket(self, 2, counter=self.counter2)
        cases = [
            {"ticket": str(mine.pk), "token": "x" * 32},  # wrong token
            {"ticket": str(mine.pk), "token": elsewhere.public_token},  # another ticket's token
            {"ticket": str(elsewhere.pk), "token": elsewhere.public_token},  # another counter's ticket
            {"ticket": "abc", "token": mine.public_token},
            {"ticket": "", "token": ""},
        ]
        for case in cases:
            with self.subTest(case=case):
                response = self.client.post(self.url, {**ANSWERS, **case, "action": "submit"})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "sudah tidak berlaku", status_code=400)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_a_page_left_open_long_after_the_ticket_cannot_answer_it(self) -> None:
        ticket = make_ticket(self, 1, finished_ago=dt.timedelta(hours=2))
        response = self.post(ticket)
        self.assertContains(response, "sudah habis", status_code=410)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_validation_errors_are_shown_and_nothing_is_stored(self) -> None:
        ticket = make_ticket(self, 1)
        response = self.post(ticket, {"u1": "5", "u2": "3", "sex": "X"})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Periksa kembali jawaban survei.", status_code=422)
        self.assertContains(response, 'id="u1-errors"', status_code=422)
        self.assertContains(response, "Pilihan tidak dikenal.", status_code=422)
        # What was chosen stays chosen.
        self.assertContains(response, 'id="u2-3" value="3" autocomplete="off" checked', status_code=422)
        response = self.post(ticket, {})
        self.assertContains(response, "Jawab setidaknya satu pertanyaan.", status_code=422)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_second_answer_for_the_same_ticket_is_friendly_409(self) -> None:
        ticket = make_ticket(self, 1)
        self.post(ticket)
        response = self.post(ticket, {"u1": "1"})
        self.assertContains(response, "sudah diisi", status_code=409)
        self.assertEqual(SurveyResponse.objects.get().u1, 4)

    def test_skip_returns_to_idle_without_an_answer(self) -> None:
        ticket = make_ticket(self, 1)
        response = self.post(ticket, {}, action="skip")
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertContains(self.client.get(self.url), 'id="skm-idle"')
        self.assertFalse(SurveyResponse.objects.exists())

    def test_unknown_or_inactive_counter_is_404(self) -> None:
        self.assertEqual(self.client.get(reverse("surveys_public:tablet", args=[99999])).status_code, 404)
        Counter.objects.filter(pk=self.counter2.pk).update(active=False)
        url = reverse("surveys_public:tablet", args=[self.counter2.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_rate_limit_per_device(self) -> None:
        ticket = make_ticket(self, 1)
        statuses = [self.post(ticket, {"u1": "9"}).status_code for _ in range(31)]
        self.assertEqual(statuses[:30], [422] * 30)
        self.assertEqual(statuses[30], 429)


class OnlineSurveyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_point(cls)

    def setUp(self) -> None:
        cache.clear()

    def url(self, ticket: Ticket) -> str:
        return reverse("surveys_public:online", args=[ticket.public_token])

    def test_valid_link_once(self) -> None:
        ticket = make_ticket(self, 1, finished_ago=dt.timedelta(days=6, hours=23))
        response = self.client.get(self.url(ticket))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Robots-Tag"], "noindex")
        self.assertContains(response, "Tiket <strong>A-001</strong> — Perekaman KTP-el")
        self.assertContains(response, "hanya dapat diisi sekali")
        self.assertNotContains(response, 'name="token"')  # the URL names the ticket
        response = self.client.post(self.url(ticket), {"u1": "3", "u9": "4", "education": "s1"})
        thanks = reverse("surveys_public:online_thanks", args=[ticket.public_token])
        self.assertRedirects(response, thanks)
        saved = SurveyResponse.objects.get()
        self.assertEqual(
            (saved.ticket, saved.channel, saved.u1, saved.u9, saved.education), (ticket, "online", 3, 4, "s1")
        )
        self.assertContains(self.client.get(thanks), "Terima kasih!")
        # Once: the link now says so, with 409, and a second post stores nothing.
        response = self.client.get(self.url(ticket))
        self.assertContains(response, "Survei sudah diisi", status_code=409)
        response = self.client.post(self.url(ticket), {"u1": "1"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(SurveyResponse.objects.count(), 1)

    def test_expired_link_is_410(self) -> None:
        ticket = make_ticket(self, 1, finished_ago=dt.timedelta(days=7, minutes=1))
        response = self.client.get(self.url(ticket))
        self.assertContains(response, "7 hari", status_code=410)
        self.assertEqual(self.client.post(self.url(ticket), {"u1": "4"}).status_code, 410)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_unfinished_ticket_is_refused_and_unknown_token_404(self) -> None:
        ticket = make_ticket(self, 1, finished_ago=None, status="waiting")
        self.assertContains(self.client.get(self.url(ticket)), "setelah layanan", status_code=410)
        self.assertEqual(self.client.post(self.url(ticket), {"u1": "4"}).status_code, 410)
        self.assertEqual(self.client.get(reverse("surveys_public:online", args=["nope"])).status_code, 404)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_validation_error_keeps_the_form(self) -> None:
        ticket = make_ticket(self, 1)
        response = self.client.post(self.url(ticket), {"u4": "0"})
        self.assertContains(response, 'id="u4-errors"', status_code=422)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_thanks_page_before_answering_goes_to_the_form(self) -> None:
        ticket = make_ticket(self, 1)
        thanks = reverse("surveys_public:online_thanks", args=[ticket.public_token])
        self.assertRedirects(self.client.get(thanks), self.url(ticket))

    def test_qr_code_and_offer_for_the_ticket_page(self) -> None:
        ticket = make_ticket(self, 1)
        response = self.client.get(reverse("surveys_public:online_qr", args=[ticket.public_token]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/svg+xml")
        self.assertIn(b"<svg", response.content)
        self.assertEqual(self.client.get(reverse("surveys_public:online_qr", args=["nope"])).status_code, 404)

        request = RequestFactory().get("/antrean/tiket/x/")
        offer = online_survey_offer(request, ticket)
        assert offer is not None
        self.assertEqual(offer.url, f"http://testserver{self.url(ticket)}")
        self.assertIn("<svg", offer.qr)
        self.assertEqual(offer.deadline, ticket.finished_at + dt.timedelta(days=7))
        waiting = make_ticket(self, 2, finished_ago=None, status="waiting")
        expired = make_ticket(self, 3, finished_ago=dt.timedelta(days=8))
        self.assertIsNone(online_survey_offer(request, waiting))
        self.assertIsNone(online_survey_offer(request, expired))
        self.client.post(self.url(ticket), {"u1": "4"})
        self.assertIsNone(online_survey_offer(request, ticket))
