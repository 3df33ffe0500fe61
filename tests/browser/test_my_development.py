"""The employee's "my development" page in a real browser: the recommendations panel loads with every part
of the score, and a draft made from the recommendations shows each item's reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mumpuni.testing import PASSWORD
from tests.browser.conftest import screenshot


@pytest.fixture
def gaps(cast: Any) -> Any:
    from mumpuni.competencies.models import Competency, PositionRequirement
    from mumpuni.competencies.services import assessment_record
    from mumpuni.learning.models import Program, ProgramCompetency

    arsip = Competency.objects.create(code="T.ARS", name="Kearsipan", kind=Competency.Kind.TECHNICAL)
    adk = Competency.objects.create(
        code="T.ADK", name="Administrasi kependudukan", kind=Competency.Kind.TECHNICAL
    )
    for competency, required, current in ((arsip, 3, 2), (adk, 4, 1)):
        PositionRequirement.objects.create(
            position=cast.pos_staff, competency=competency, required_level=required
        )
        assessment_record(
            actor=cast.admin,
            employee=cast.employee_employee,
            competency=competency,
            level=current,
            source="assessment_centre",
            assessed_on=dt.date(2025, 11, 1),
        )
    for code, jp, competency, uplift in (("ARS-1", "10", arsip, 1), ("ADK-1", "12", adk, 2)):
        program = Program.objects.create(
            code=code, name=f"Program {code}", category="klasikal", form="teknis", jp=Decimal(jp)
        )
        ProgramCompetency.objects.create(program=program, competency=competency, uplift=uplift)
    return cast


def log_in(page: Any, base_url: str, username: str) -> None:
    page.set_default_timeout(60_000)  # a loaded 2-core machine serves the first page slowly
    page.goto(f"{base_url}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_my_development_shows_explained_recommendations_and_drafts_from_them(
    page: Any, live_server: Any, gaps: Any
) -> None:
    log_in(page, live_server.url, "pegawai")
    page.goto(f"{live_server.url}/pengembangan/saya/")
    panel = page.locator("#recommendations-panel")
    panel.wait_for()
    first = panel.locator(".recommendation").first
    assert first.get_attribute("data-code") == "ARS-1"
    assert "Menutup kesenjangan Kearsipan: tingkat 2 dari 3 yang disyaratkan" in first.inner_text()
    assert first.locator(".score-part").count() == 6
    points = sum(float(p.get_attribute("data-points")) for p in first.locator(".score-part").all())
    assert abs(points - float(first.get_attribute("data-score"))) < 0.3
    screenshot(page, "my-development-recommendations")

    page.click("text=Susun draf dari kesenjangan")
    page.wait_for_url("**/pengembangan/saya/?tahun=*")
    reasons = page.locator(".item-reason")
    assert reasons.count() == 2  # ARS-1 (10 JP) and ADK-1 (12 JP) reach 20 JP
    assert "Anda masih kurang 20 JP tahun ini" in reasons.first.inner_text()
    panel = page.locator("#recommendations-panel")
    panel.wait_for()
    assert panel.locator(".recommendation").count() == 0  # both are in the plan now: not proposed again
    screenshot(page, "my-development-draft-with-reasons")


def test_a_colleague_cannot_open_the_employees_recommendations(
    page: Any, live_server: Any, gaps: Any
) -> None:
    log_in(page, live_server.url, "petugas")
    response = page.goto(f"{live_server.url}/pengembangan/rekomendasi/pegawai/{gaps.employee_employee.nip}/")
    assert response is not None and response.status == 404
