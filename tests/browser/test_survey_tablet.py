"""The SKM tablet at a counter, in a browser at tablet size (800×1280 portrait): the idle screen notices a
ticket that has just finished, shows the survey for it, the citizen taps answers and submits, the
thank-you screen shows and returns to idle by itself; the answer is stored for that ticket. Also the same
questionnaire online on a phone (the ticket's link)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse

from mumpuni.queueing.tests.ticket_fixtures import build_point
from mumpuni.surveys.models import SurveyResponse
from mumpuni.surveys.tests.test_public_survey import make_ticket
from tests.browser.conftest import SCREENSHOTS, screenshot


def viewport_shot(page: Any, name: str) -> None:
    """What the screen shows (the fixed submit bar where it really is), next to the full-page shot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-screen.png"))


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def make(width: int, height: int, *, mobile: bool = False) -> Any:
        context = browser.new_context(
            locale="id-ID", viewport={"width": width, "height": height}, is_mobile=mobile, has_touch=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_tablet_idle_survey_submit_thanks(live_server: Any, cast: Any, open_page: Callable[..., Any]) -> None:
    build_point(cast)
    tablet_url = f"{live_server.url}{reverse('surveys_public:tablet', args=[cast.counter1.pk])}"
    tablet = open_page(800, 1280)
    tablet.goto(tablet_url)
    tablet.locator("#skm-idle").wait_for()
    assert "Survei Kepuasan Masyarakat — Loket 1" in tablet.locator("h1").inner_text()
    screenshot(tablet, "skm-1-tablet-idle")

    # The officer finishes ticket A-007 at counter 1: the idle screen switches to its survey by itself.
    ticket = make_ticket(cast, 7, finished_ago=dt.timedelta(seconds=5))
    tablet.locator("#skm-form").wait_for(timeout=10_000)
    assert tablet.locator("#skm-ticket").inner_text() == "Tiket A-007 — Perekaman KTP-el"
    screenshot(tablet, "skm-2-tablet-survey")
    viewport_shot(tablet, "skm-2-tablet-survey")

    # Large touch targets.
    box = tablet.locator("label[for=u1-4]").bounding_box()
    assert box["height"] >= 48 and box["width"] >= 48
    assert tablet.locator("#skm-send").bounding_box()["height"] >= 48

    answers = {"u1": 4, "u2": 3, "u3": 3, "u4": 4, "u5": 3, "u6": 4, "u7": 4, "u9": 2}  # u8 left blank
    for field, value in answers.items():
        tablet.locator(f"label[for={field}-{value}]").tap()
    assert tablet.locator("#skm-count").inner_text() == "8"
    # Tapping a chosen answer again clears it; tap it back.
    tablet.locator("label[for=u9-2]").tap()
    assert tablet.locator("#skm-count").inner_text() == "7"
    tablet.locator("label[for=u9-2]").tap()
    tablet.locator(".skm-profile summary").tap()
    tablet.locator("label[for=sex-2]").tap()  # Perempuan
    tablet.fill("#skm-suggestion", "Petugas ramah, antrean cepat.")
    screenshot(tablet, "skm-3-tablet-filled")
    tablet.locator("#skm-send").tap()

    tablet.locator("#skm-thanks").wait_for()
    assert "Terima kasih!" in tablet.locator("#skm-thanks").inner_text()
    screenshot(tablet, "skm-4-tablet-thanks")
    saved = SurveyResponse.objects.get(ticket=ticket)
    assert saved.channel == "counter"
    assert [getattr(saved, f"u{i}") for i in range(1, 10)] == [4, 3, 3, 4, 3, 4, 4, None, 2]
    assert (saved.sex, saved.suggestion, saved.counter_id) == (
        "P",
        "Petugas ramah, antrean cepat.",
        cast.counter1.pk,
    )

    # It resets itself for the next citizen (~8 s).
    tablet.locator("#skm-idle").wait_for(timeout=12_000)
    assert tablet.url == tablet_url


def test_landscape_tablet_and_phone_pages(live_server: Any, cast: Any, open_page: Callable[..., Any]) -> None:
    build_point(cast)
    ticket = make_ticket(cast, 12, finished_ago=dt.timedelta(minutes=1))
    landscape = open_page(1024, 768)
    landscape.goto(f"{live_server.url}{reverse('surveys_public:tablet', args=[cast.counter1.pk])}")
    landscape.locator("#skm-form").wait_for()
    screenshot(landscape, "skm-5-tablet-landscape")
    viewport_shot(landscape, "skm-5-tablet-landscape")

    phone = open_page(390, 844, mobile=True)
    phone.goto(f"{live_server.url}{reverse('surveys_public:online', args=[ticket.public_token])}")
    phone.locator("#skm-form").wait_for()
    # Two answers per row on a phone, still large enough to tap.
    first, second, third = (phone.locator(f"label[for=u1-{v}]").bounding_box() for v in (1, 2, 3))
    assert first["y"] == second["y"] and third["y"] > first["y"]
    assert first["height"] >= 48
    screenshot(phone, "skm-6-phone-survey")
    viewport_shot(phone, "skm-6-phone-survey")
    phone.locator("#skm-send").tap()  # nothing answered
    phone.locator("#skm-error").wait_for()
    assert "Jawab setidaknya satu pertanyaan." in phone.locator("#skm-error").inner_text()
    screenshot(phone, "skm-7-phone-error")
    viewport_shot(phone, "skm-7-phone-error")
    phone.locator("label[for=u7-4]").tap()
    phone.locator("#skm-send").tap()
    phone.locator("#skm-thanks").wait_for()
    screenshot(phone, "skm-8-phone-thanks")
    assert SurveyResponse.objects.get(ticket=ticket).channel == "online"
    phone.goto(f"{live_server.url}{reverse('surveys_public:online', args=[ticket.public_token])}")
    assert "Survei sudah diisi" in phone.locator("#skm-message").inner_text()


def test_paper_import_preview_and_confirm(
    live_server: Any, cast: Any, open_page: Callable[..., Any], tmp_path: Any
) -> None:
    from mumpuni.testing import PASSWORD

    page = open_page(1280, 900)
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", "camat")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{reverse('surveys:import')}")
    screenshot(page, "skm-9-import-form")
    bad = tmp_path / "kuesioner.csv"
    bad.write_text(
        "u1,u2,u3,u4,u5,u6,u7,u8,u9,jenis_kelamin\n4,3,3,4,3,4,4,,3,P\n5,,,,,,,,,X\n", encoding="utf-8"
    )
    page.select_option("#id_unit", label="33.74.10 · Kecamatan Tembalang")
    page.set_input_files("#id_file", str(bad))
    page.locator("#skm-import-form button[type=submit]").click()
    page.locator("#skm-import-errors").wait_for()
    assert "Jawaban harus 1, 2, 3 atau 4" in page.locator("#skm-import-errors").inner_text()
    screenshot(page, "skm-10-import-errors")
    assert not SurveyResponse.objects.exists()

    bad.write_text(
        "u1,u2,u3,u4,u5,u6,u7,u8,u9,jenis_kelamin\n4,3,3,4,3,4,4,,3,P\n2,,,,,,,,,L\n", encoding="utf-8"
    )
    page.goto(f"{live_server.url}{reverse('surveys:import')}")
    page.select_option("#id_unit", label="33.74.10 · Kecamatan Tembalang")
    page.set_input_files("#id_file", str(bad))
    page.locator("#skm-import-form button[type=submit]").click()
    page.locator("#skm-import-confirm").wait_for()
    screenshot(page, "skm-11-import-preview")
    page.locator("#skm-import-confirm").click()
    page.locator("#skm-batch").wait_for()
    screenshot(page, "skm-12-import-done")
    assert SurveyResponse.objects.filter(channel="paper", unit=cast.tembalang).count() == 2
