"""The executive dashboard in a browser: the KPI figures and the inline SVG charts render (desktop and 390 px
phone, nothing scrolls sideways), and clicking a figure opens its drill-down rows. Screenshots go to the test's
tmp path and var/screenshots/dashboard-*.png (checked by eye)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from mumpuni.complaints.models import Complaint
from mumpuni.insights.tests.dashboard_fixtures import PERIOD, plant
from mumpuni.queueing.tests.stats_factory import at
from tests.browser.conftest import screenshot
from tests.browser.test_login_and_scope import log_in


def _complaint(cast: Any) -> None:
    day = dt.date(2026, 11, 10)
    Complaint.objects.create(
        category=Complaint.Category.choices[0][0],
        title="Antrean lama di Tembalang",
        description="Uraian.",
        point=cast.point,
        assigned_unit=cast.tembalang,
        received_at=at(day, 9, 0),
        verify_due=day,
        answer_due=day + dt.timedelta(days=14),
    )


def test_executive_dashboard_charts_and_drilldown(
    live_server: Any, cast: Any, page: Any, phone_page: Any, tmp_path: Path
) -> None:
    plant(cast)
    _complaint(cast)
    url = f"{live_server.url}/dasbor/eksekutif/?{PERIOD}"

    log_in(page, live_server.url, "eksekutif")
    page.goto(url)
    assert page.locator("h1").inner_text() == "Dasbor pimpinan"
    assert page.get_by_test_id("kpi-ikm").inner_text() == "75,00"
    assert (
        page.get_by_test_id("kpi-ontime").inner_text() == "60 %"
    )  # 3 on time of 4 answered + 1 open past its deadline
    charts = page.locator("svg.mp-chart.d-sm-block")
    assert charts.count() >= 5
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 40, i
    assert page.locator("svg.mp-chart.d-sm-none").first.is_hidden()
    waits = page.get_by_role("img", name="Rata-rata waktu tunggu per tempat pelayanan").first
    assert "Kec. Banyumanik" in waits.inner_html() and "25 mnt" in waits.inner_html()
    page.screenshot(path=str(tmp_path / "dashboard-executive.png"), full_page=True)
    screenshot(page, "dashboard-executive")

    page.get_by_test_id("kpi-link-complaints").click()
    page.wait_for_url("**/dasbor/rincian/pengaduan/**")
    assert page.get_by_test_id("drilldown-title").inner_text() == "Pengaduan"
    rows = page.get_by_test_id("rows")
    assert "Antrean lama di Tembalang" in rows.inner_text()
    page.screenshot(path=str(tmp_path / "dashboard-drilldown.png"), full_page=True)

    log_in(phone_page, live_server.url, "eksekutif")
    phone_page.goto(url)
    phone_charts = phone_page.locator("svg.mp-chart.d-sm-none")
    assert phone_charts.first.is_visible()
    assert phone_page.locator("svg.mp-chart.d-sm-block").first.is_hidden()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=str(tmp_path / "dashboard-executive-phone.png"), full_page=True)
    screenshot(phone_page, "dashboard-executive-phone")
