"""A BKPP admin and a camat log in through the real login page and see exactly their scope."""

from __future__ import annotations

from typing import Any

from mumpuni.testing import PASSWORD
from tests.browser.conftest import screenshot


def log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/akun/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_bkpp_admin_sees_the_whole_city(page: Any, live_server: Any, cast: Any) -> None:
    log_in(page, live_server.url, "admin")
    screenshot(page, "home-admin")
    page.goto(f"{live_server.url}/pegawai/?status=semua")
    body = page.locator("main").inner_text()
    for name in ("Agus Prasetyo", "Joko Santoso", "Sri Wahyuni"):
        assert name in body
    page.goto(f"{live_server.url}/pegawai/{cast.other_employee.nip}/")
    assert "Joko Santoso" in page.locator("main").inner_text()


def test_camat_sees_only_their_kecamatan(page: Any, live_server: Any, cast: Any) -> None:
    log_in(page, live_server.url, cast.camat_employee.nip)  # the NIP works as a login name
    screenshot(page, "home-camat")
    page.goto(f"{live_server.url}/pegawai/")
    body = page.locator("main").inner_text()
    assert "Agus Prasetyo" in body
    assert "Joko Santoso" not in body
    assert "Sri Wahyuni" not in body
    response = page.goto(f"{live_server.url}/pegawai/{cast.other_employee.nip}/")
    assert response is not None and response.status == 404


def test_wrong_password_shows_an_indonesian_error(page: Any, live_server: Any, cast: Any) -> None:
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "salah-sekali-123")
    page.click("button[type=submit]")
    assert "/akun/masuk/" in page.url
    text = page.locator("main").inner_text().lower()
    assert "salah" in text or "tidak cocok" in text or "tidak valid" in text


def test_employee_list_works_at_phone_width(phone_page: Any, live_server: Any, cast: Any) -> None:
    log_in(phone_page, live_server.url, "camat")
    phone_page.goto(f"{live_server.url}/pegawai/")
    screenshot(phone_page, "employee-list-phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page scrolls sideways at phone width ({width}px)"


def test_admin_navigation_fits_desktop_widths_and_opens_dropdowns(
    browser: Any, live_server: Any, cast: Any
) -> None:
    """The fullest menu (BKPP admin, English is the longest) fits from 1200 px up without sideways scroll, and
    the Pengembangan/Perencanaan dropdowns open with their links."""
    for width in (1200, 1280, 1440):
        for language in ("id", "en"):
            context = browser.new_context(viewport={"width": width, "height": 900})
            if language == "en":
                context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/akun/masuk/")
            page.fill("input[name=username]", "admin")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
            page.goto(f"{live_server.url}/dampak/")  # an active dropdown entry
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{language} at {width}px: the bar scrolls sideways ({scroll}px)"
            assert page.locator("a[href='/notifikasi/']").is_visible()
            if width == 1280 and language == "id":
                page.locator("a.dropdown-toggle", has_text="Perencanaan").click()
                assert page.locator("a.dropdown-item[href='/perencanaan/anggaran/']").is_visible()
                screenshot(page, "navbar-admin-planning-menu")
            context.close()
