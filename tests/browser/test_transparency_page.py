"""The public transparency page in a browser, signed out: at phone width (390 px) the key headings and
figures are visible and nothing scrolls sideways; the same at 1280 px; English through the language link.
Screenshots go to var/screenshots/transparency-*.png (checked by eye)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from mumpuni.queueing.models import Service, ServicePoint
from mumpuni.queueing.tests.stats_factory import at, make_ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse
from tests.browser.conftest import screenshot

HEADINGS = (
    "Ringkasan kota",
    "Per tempat layanan: kantor kecamatan dan Mal Pelayanan Publik",
    "Cara membaca angka ini",
)


def build_figures(cast: Any) -> None:
    """Tembalang: six answers (4,4,4,3,3,3 on every unsur → NRR 3.5 → IKM 87.50, B) and six tickets today
    with waits 2..12 minutes (median 7.0); Banyumanik: a point without data ("data belum cukup")."""
    today = timezone.localdate()
    service = Service.objects.create(code="KTP-REKAM", name="Perekaman KTP-el", group_letter="A")
    point = ServicePoint.objects.create(unit=cast.tembalang, name="Kantor Kecamatan Tembalang")
    ServicePoint.objects.create(unit=cast.banyumanik, name="Kantor Kecamatan Banyumanik")
    for value in (4, 4, 4, 3, 3, 3):
        SurveyResponse.objects.create(
            unit=cast.tembalang,
            point=point,
            service_date=today,
            channel="counter",
            **dict.fromkeys(UNSUR_FIELDS, value),
        )
    for i, wait in enumerate((2, 4, 6, 8, 10, 12)):
        make_ticket(point, service, issued=at(today, 8, i), wait=wait, service_minutes=6)


def test_transparency_page_on_a_phone(live_server: Any, cast: Any, phone_page: Any, page: Any) -> None:
    build_figures(cast)
    cache.clear()
    url = f"{live_server.url}{reverse('transparency:page')}"

    phone_page.goto(url)
    assert phone_page.locator("h1").inner_text() == "Kinerja layanan publik Kota Semarang"
    for heading in HEADINGS:
        assert phone_page.get_by_role("heading", name=heading).is_visible(), heading
    tembalang = phone_page.locator("article", has_text="Kantor Kecamatan Tembalang")
    assert tembalang.locator(".ikm").inner_text() == "87,50"
    assert "B · Baik" in tembalang.inner_text()
    assert "7,0 menit" in tembalang.inner_text()
    banyumanik = phone_page.locator("article", has_text="Kantor Kecamatan Banyumanik")
    assert "IKM: data belum cukup" in banyumanik.inner_text()
    assert phone_page.locator("#data-stamp").is_visible()
    # No PNS has 20 JP: the bar is empty (a localised "0,0%" width would have drawn it full).
    pns_bar = phone_page.locator('[aria-label="PNS dengan minimal 20 JP"] span')
    assert pns_bar.evaluate("e => e.getBoundingClientRect().width") < 1
    # Phone-friendly: nothing wider than the screen.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "transparency-phone")

    page.goto(url)
    for heading in HEADINGS:
        assert page.get_by_role("heading", name=heading).is_visible(), heading
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "transparency-desktop")

    page.get_by_role("link", name="EN").click()
    page.wait_for_url("**/transparansi/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert (
        page.locator("article", has_text="Kantor Kecamatan Tembalang").locator(".ikm").inner_text() == "87.50"
    )
