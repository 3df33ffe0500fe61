"""Official reports in a browser: the camat asks for the quarterly competency report of Tembalang through the
form, lands on the job page with download links (Celery runs in-process here), the PDF link serves a PDF; the
job page of a running job shows the progress bar that htmx polls; at phone width the archive does not scroll
sideways. Screenshots: var/screenshots/reports-*.png (checked by eye)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mumpuni.insights.models import TrainingMonth, UnitYear
from mumpuni.reports.models import ReportJob
from mumpuni.testing import PASSWORD
from tests.browser.conftest import screenshot


def login(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_camat_requests_and_downloads(
    live_server: Any, cast: Any, page: Any, phone_page: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    TrainingMonth.objects.create(month=dt.date(2025, 8, 1), unit=cast.bulusan, jp_sum=24, completions=3)
    UnitYear.objects.create(year=2025, unit=cast.tembalang, employees=4, compliant=1, jp_sum=30)
    login(page, live_server, "camat")
    page.goto(f"{live_server.url}/laporan/minta/")
    page.select_option("select[name=kind]", "competency_quarterly")
    page.fill("input[name=year]", "2025")
    page.select_option("select[name=quarter]", "3")
    assert page.locator("select[name=unit]").input_value() == str(cast.tembalang.pk)  # own unit preselected
    assert "Banyumanik" not in page.locator("select[name=unit]").inner_text()
    page.click("main form[method=post] button.btn-primary")
    page.wait_for_selector("#downloads")
    job = ReportJob.objects.get()
    assert job.status == "done", job.error
    assert "Selesai" in page.locator("h1").inner_text()
    screenshot(page, "reports-job-done")
    with page.expect_download() as info:
        page.click("#downloads a:has-text('PDF')")
    assert info.value.suggested_filename.endswith(".pdf")

    running = ReportJob.objects.create(
        kind="skm",
        year=2025,
        quarter=3,
        unit=cast.tembalang,
        status="running",
        progress=40,
        message="Menyusun PDF…",
    )
    page.goto(f"{live_server.url}/laporan/{running.pk}/")
    bar = page.get_by_role("progressbar")
    assert bar.get_attribute("aria-valuenow") == "40"
    ReportJob.objects.filter(pk=running.pk).update(progress=70, message="Menyusun XLSX…")
    page.wait_for_selector("[aria-valuenow='70']")  # htmx polled the card
    assert "Menyusun XLSX…" in page.locator("#job-progress").inner_text()
    screenshot(page, "reports-job-running")

    login(phone_page, live_server, "camat")
    phone_page.goto(f"{live_server.url}/laporan/")
    assert phone_page.locator(f"[data-job='{job.pk}']").is_visible()
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, scroll_width
    screenshot(phone_page, "reports-archive-phone")
