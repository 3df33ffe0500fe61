"""The live display board: a citizen takes a ticket at the kiosk, the officer calls it from the console, and
the TV board shows the call within 2 s and says it in Indonesian (speechSynthesis, lang id-ID).

The browser's speech engine is replaced by a recorder (headless Chromium has no voices), so the test reads
exactly what the board asked the browser to say.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse

from mumpuni.queueing.models import Ticket
from mumpuni.queueing.tests.ticket_fixtures import build_point
from mumpuni.testing import PASSWORD
from tests.browser.conftest import screenshot

SPOKEN = "Nomor antrean A satu, silakan ke loket satu"

RECORD_SPEECH = """
window.__spoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; };
Object.defineProperty(window, "speechSynthesis", { value: {
  speak: function (u) { window.__spoken.push({ text: u.text, lang: u.lang }); },
  getVoices: function () { return []; },
  cancel: function () {},
}});
"""


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def make(width: int, height: int, *, speech: bool = False) -> Any:
        context = browser.new_context(locale="id-ID", viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        if speech:
            context.add_init_script(RECORD_SPEECH)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_a_call_appears_and_is_spoken_on_the_board(
    live_server: Any, cast: Any, open_page: Callable[..., Any]
) -> None:
    build_point(cast)
    base = live_server.url
    code = cast.point.code

    # The citizen takes a ticket at the kiosk (portrait touch screen).
    kiosk = open_page(1080, 1920)
    kiosk.goto(f"{base}{reverse('queue_public:kiosk', args=[code])}")
    screenshot(kiosk, "queue-1-kiosk")
    kiosk.get_by_role("link", name="Perekaman KTP-el").click()
    assert "Fotokopi Kartu Keluarga" in kiosk.locator("main").inner_text()
    screenshot(kiosk, "queue-1b-kiosk-service")
    kiosk.get_by_role("button", name="Umum").click()
    kiosk.locator("#ticket-number").wait_for()
    assert kiosk.locator("#ticket-number").inner_text() == "A-001"
    screenshot(kiosk, "queue-2-kiosk-ticket")
    ticket = Ticket.objects.get()

    # Their phone follows the ticket page.
    phone = open_page(390, 844)
    phone.goto(f"{base}{reverse('queue_public:ticket', args=[ticket.public_token])}")
    assert phone.locator("#ticket-position").inner_text() == "1"

    # The TV board, with its sound switched on once (browsers speak only after a gesture).
    board = open_page(1920, 1080, speech=True)
    board.goto(f"{base}{reverse('queue_public:board', args=[code])}")
    board.locator("#board-sound").click()
    assert board.evaluate("window.__spoken.length") == 1  # "Suara papan antrean aktif"

    # The officer calls the next ticket from the console.
    console = open_page(1280, 900)
    console.goto(f"{base}/akun/masuk/")
    console.fill("input[name=username]", "petugas")
    console.fill("input[name=password]", PASSWORD)
    console.click("button[type=submit]")
    console.wait_for_url(f"{base}/")
    console.goto(f"{base}{reverse('queueing:console', args=[cast.counter1.pk])}")
    console.locator("#btn-call").click()
    console.get_by_text("Memanggil A-001").wait_for()
    called_at = time.monotonic()
    screenshot(console, "queue-3-console-called")

    board.wait_for_function(
        "text => document.getElementById('board-caption').dataset.spoken === text", arg=SPOKEN, timeout=2000
    )
    assert time.monotonic() - called_at < 2.0
    assert board.locator("#board-latest-number").inner_text() == "A-001"
    assert board.locator("#board-caption").inner_text() == SPOKEN
    assert board.locator(f".board-counter[data-counter='{cast.counter1.pk}'] .number").inner_text() == "A-001"
    board.wait_for_function("window.__spoken.length >= 2", timeout=2000)
    spoken = board.evaluate("window.__spoken")
    assert spoken[-1] == {"text": SPOKEN, "lang": "id-ID"}
    screenshot(board, "queue-4-board")

    # A recall is announced again.
    console.get_by_role("button", name="Panggil ulang").click()
    board.wait_for_function("window.__spoken.length >= 3", timeout=2000)
    assert board.evaluate("window.__spoken")[-1]["text"] == SPOKEN

    # The phone learns where to go on its next poll (every 5 s).
    phone.locator("#ticket-counter").wait_for(timeout=7000)
    assert "Loket 1" in phone.locator("#ticket-counter").inner_text()
    screenshot(phone, "queue-5-ticket-phone")
