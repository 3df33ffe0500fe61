"""Browser test in headless Chromium: a citizen submits on a phone (dependent selects, geolocation,
anonymous toggle, a photo), opens the tracking page, the desk answers, the citizen rates through the
personal link. Catches what the Django test client cannot: JavaScript, and the browser's Origin header
on the CSRF-protected POSTs."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

CHROMIUM = os.environ.get("MUMPUNI_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
]


@pytest.fixture
def scene(transactional_db: Any, settings: Any, tmp_path: Path) -> Any:
    from mumpuni.queueing.tests.ticket_fixtures import build_point
    from mumpuni.testing import Cast, create_cast

    settings.MEDIA_ROOT = str(tmp_path / "media")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    cast = Cast()
    create_cast(cast)
    build_point(cast)
    photo = tmp_path / "foto.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 0, 0)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    cast.photo = photo
    return cast


def test_submit_track_answer_rate_on_a_phone(scene: Any, live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    from mumpuni.complaints.models import Complaint
    from mumpuni.complaints.services import workflow

    base = live_server.url
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(
            locale="id-ID",
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            geolocation={"latitude": -7.0543215, "longitude": 110.4387651},
            permissions=["geolocation"],
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
        page.goto(base + "/pengaduan/")
        page.click("a.complaints-cta")
        page.select_option("#f-category", "waktu_tunggu")
        page.select_option("#f-point", "33.74.10")
        services = page.eval_on_selector_all("#f-service option", "os => os.map(o => o.value)")
        assert services == ["", "KK", "KTP-REKAM"]
        page.select_option("#f-service", "KTP-REKAM")
        page.select_option("#f-kecamatan", "33.74.10")
        kelurahan = page.eval_on_selector_all("#f-kelurahan option", "os => os.map(o => o.value)")
        assert kelurahan[1:] and all(code.startswith("33.74.10.") for code in kelurahan[1:])
        page.select_option("#f-kelurahan", "33.74.10.1001")
        page.click("#geo-button")
        page.wait_for_function("document.getElementById('f-latitude').value !== ''")
        assert page.input_value("#f-latitude") == "-7.054322"
        page.fill("#f-title", "Antrean tidak dipanggil dua jam")
        page.fill("#f-description", "Nomor saya dilewati dan petugas tidak menjelaskan apa pun.")
        page.set_input_files("#f-attachments", str(scene.photo))
        page.fill("#f-name", "Nama Yang Akan Dihapus")
        page.check("#identity-anonymous", force=True)
        assert page.is_hidden("#contact-fields")
        assert page.input_value("#f-name") == ""
        page.click("#complaint-form button[type=submit]")
        page.wait_for_url(re.compile(r".*/pengaduan/terkirim/ADU-.*"))
        code = page.inner_text("[data-testid=tracking-code]").strip()
        personal = page.inner_text("#personal-link").strip()

        complaint = Complaint.objects.get(tracking_code=code)
        assert (complaint.identity, complaint.name, complaint.attachments.count()) == ("anonymous", "", 1)
        assert str(complaint.latitude) == "-7.054000"  # anonymous: rounded to ~100 m

        page.goto(f"{base}/pengaduan/lacak/{code}/")
        assert page.inner_text("#complaint-status") == "Diterima"

        workflow.forward(complaint, scene.admin, unit=scene.tembalang)
        workflow.answer(
            complaint, scene.admin, text="Kami menambah satu loket pada jam sibuk mulai pekan depan."
        )
        page.goto(personal)
        page.click("label[for=rating-5]")
        page.fill("#rate-comment", "Terima kasih.")
        page.click("#rate button[type=submit]")
        page.wait_for_selector("#current-rating")
        browser.close()
    complaint.refresh_from_db()
    assert (complaint.rating, complaint.rating_comment) == (5, "Terima kasih.")
    assert outside == []
