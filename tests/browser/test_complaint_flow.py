"""A complaint from the counter to the rating, every step clicked by the person who does it: the citizen's phone
opens the form from their served ticket ("Adukan layanan ini"), submits and tracks it; the complaint desk
(the BKPP admin) forwards it to the kecamatan; the camat answers; the citizen rates the answer 4/5 through the
personal link and sees it kept there; the public tracking page shows the answer — never the citizen's name
or their verdict — and the desk sees the rating.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse

from mumpuni.complaints.models import Complaint, ComplaintEvent
from mumpuni.queueing.services import tickets as ticket_service
from mumpuni.queueing.tests.ticket_fixtures import build_point
from mumpuni.testing import PASSWORD
from tests.browser.conftest import screenshot

CITIZEN = "Rahmawati Susanto"
ANSWER = (
    "Terima kasih atas laporan Ibu. Mulai Senin kami membuka loket kedua untuk perekaman KTP-el pada jam "
    "sibuk, dan petugas loket telah mendapat pembinaan."
)


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Callable[[str | None], Any]]:
    """A page per persona in its own browser context; None is the citizen's phone (no login)."""
    contexts: list[Any] = []

    def login(username: str | None) -> Any:
        if username is None:
            context = browser.new_context(
                locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True
            )
        else:
            context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if username is None:
            return page
        page.goto(f"{live_server.url}/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield login
    for context in contexts:
        context.close()


@pytest.fixture
def served_ticket(cast: Any) -> Any:
    """KTP-el perekaman at Kecamatan Tembalang, called, served and finished at Loket 1 by the officer."""
    build_point(cast)
    ticket = ticket_service.ticket_issue(point=cast.point, service=cast.ktp)
    called = ticket_service.counter_call_next(counter=cast.counter1, actor=cast.officer)
    assert called is not None and called.pk == ticket.pk
    ticket_service.ticket_start(ticket=called, actor=cast.officer)
    return ticket_service.ticket_finish(ticket=called, outcome="done", actor=cast.officer)


def _main(page: Any) -> str:
    return str(page.locator("main").inner_text())


def test_complaint_from_ticket_to_rated_answer(
    live_server: Any, cast: Any, served_ticket: Any, open_as: Callable[[str | None], Any]
) -> None:
    base = live_server.url

    # 1. The citizen's phone opens the form from the ticket: place, service and number are filled in.
    phone = open_as(None)
    phone.goto(f"{base}{reverse('complaints_public:new')}?tiket={served_ticket.public_token}")
    assert phone.input_value("#f-point") == "33.74.10"
    assert phone.input_value("#f-service") == "KTP-REKAM"
    assert phone.input_value("#f-ticket_number") == served_ticket.number
    phone.select_option("#f-category", "waktu_tunggu")
    phone.fill("#f-title", "Antrean perekaman KTP-el lama sekali")
    phone.fill("#f-description", "Saya menunggu hampir dua jam dan hanya satu loket yang melayani perekaman.")
    phone.click("label[for=identity-public]")
    phone.fill("#f-name", CITIZEN)
    phone.fill("#f-phone", "081234567890")
    screenshot(phone, "complaint-1-form")
    phone.click("#complaint-form button[type=submit]")
    phone.wait_for_url(re.compile(r".*/pengaduan/terkirim/ADU-[A-Z0-9]{4}-[A-Z0-9]{4}/$"))
    code = phone.inner_text("[data-testid=tracking-code]").strip()
    personal = phone.inner_text("#personal-link").strip()
    screenshot(phone, "complaint-2-sent")
    complaint = Complaint.objects.get(tracking_code=code)
    assert (complaint.ticket_id, complaint.counter_id, complaint.officer_id) == (
        served_ticket.pk,
        cast.counter1.pk,
        cast.officer_employee.pk,
    )
    assert complaint.suggested_unit == cast.tembalang  # no routing rule: the point's own unit

    # ... and the tracking page shows it received, without the citizen's name.
    phone.get_by_role("link", name="Lihat status laporan").click()
    phone.wait_for_url(f"{base}{reverse('complaints_public:track', args=[code])}")
    assert phone.inner_text("#complaint-status") == "Diterima"
    assert CITIZEN not in _main(phone)

    # 2. The complaint desk (BKPP admin) forwards it to the kecamatan the routing rule suggests.
    desk = open_as("admin")
    desk.goto(f"{base}{reverse('complaints:detail', args=[code])}")
    assert CITIZEN in _main(desk)  # a public identity: the desk sees who complained
    forward = desk.locator("#step-forward")
    assert forward.locator("select[name=forward-unit]").input_value() == str(cast.tembalang.pk)
    forward.locator("textarea[name=forward-message]").fill("Mohon ditindaklanjuti oleh Kecamatan Tembalang.")
    forward.get_by_role("button", name="Teruskan").click()
    desk.wait_for_url(f"{base}{reverse('complaints:detail', args=[code])}")
    screenshot(desk, "complaint-3-forwarded")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.assigned_unit) == (Complaint.Status.FORWARDED, cast.tembalang)

    # 3. The camat of Tembalang answers it.
    camat = open_as("camat")
    camat.goto(f"{base}{reverse('complaints:detail', args=[code])}")
    camat.locator("#step-answer textarea[name=answer-text]").fill(ANSWER)
    camat.locator("#step-answer").get_by_role("button", name="Kirim jawaban").click()
    camat.wait_for_url(f"{base}{reverse('complaints:detail', args=[code])}")
    screenshot(camat, "complaint-4-answered")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED
    assert complaint.public_answer == ANSWER and complaint.answered_by == cast.camat

    # 4. The citizen opens the personal link and rates the answer 4 of 5.
    phone.goto(personal)
    phone.click("label[for=rating-4]")
    phone.fill("#rate-comment", "Sudah ada loket kedua, terima kasih.")
    phone.locator("form", has=phone.locator("input[name=action][value=rate]")).get_by_role(
        "button", name="Kirim penilaian"
    ).click()
    phone.wait_for_selector("#current-rating")
    assert "4 dari 5" in phone.inner_text("#current-rating")
    screenshot(phone, "complaint-5-rated")
    complaint.refresh_from_db()
    assert (complaint.rating, complaint.rating_comment) == (4, "Sudah ada loket kedua, terima kasih.")

    # 5. The public tracking page: answered, the answer in full; neither the name nor the verdict, which is
    #    the complainant's own (workflow.rate keeps the RATED event internal). The desk sees the rating.
    phone.goto(f"{base}{reverse('complaints_public:track', args=[code])}")
    assert phone.inner_text("#complaint-status") == "Dijawab"
    assert phone.inner_text("#public-answer").strip() == ANSWER
    text = _main(phone)
    assert "Dijawab" in text and "tepat waktu" in text
    assert "Nilai 4/5" not in text and "Sudah ada loket kedua" not in text
    assert CITIZEN not in text and "081234567890" not in text
    screenshot(phone, "complaint-6-tracking")
    desk.reload()
    assert "4/5" in _main(desk) and "Sudah ada loket kedua, terima kasih." in _main(desk)
    actions = list(complaint.events.order_by("at", "id").values_list("action", flat=True))
    A = ComplaintEvent.Action
    assert actions == [A.RECEIVED, A.VERIFIED, A.FORWARDED, A.ANSWERED, A.RATED]
