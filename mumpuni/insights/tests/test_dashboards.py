"""Dashboards (/dasbor/): access per persona, figures against hand-worked planted roll-ups
(dashboard_fixtures.py), constant query counts, drill-down scoping and the XLSX exports."""

from __future__ import annotations

import datetime as dt
import html
import io
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mumpuni.complaints.models import Complaint
from mumpuni.insights.dashboards import selectors as sel
from mumpuni.insights.tests.dashboard_fixtures import PERIOD, plant, plant_more, plant_today
from mumpuni.learning.models import JpEntry
from mumpuni.queueing.tests.stats_factory import at, make_ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse
from mumpuni.testing import Cast, create_cast

D = dt.date
PAGES = ("executive", "bkpp", "unit")


@pytest.fixture
def cast(db: Any) -> Cast:
    instance = Cast()
    create_cast(instance)
    plant(instance)
    return instance


def _get(client: Any, user: Any, name: str, query: str = PERIOD, **kwargs: Any) -> Any:
    if user is not None:
        client.force_login(user)
    return client.get(f"{reverse(f'dashboards:{name}', **kwargs)}?{query}")


def _filter(user: Any, unit: str | None = None) -> sel.Filter:
    return sel.resolve_filter(user, unit_code=unit, start="2026-01", end="2026-11")


# --- access ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*PAGES, "home"])
def test_anonymous_goes_to_login(client: Any, cast: Cast, name: str) -> None:
    response = _get(client, None, name)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_drilldown_goes_to_login(client: Any, cast: Cast) -> None:
    response = client.get(reverse("dashboards:drilldown", args=["tiket"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"executive": 200, "bkpp": 200, "unit": 200}),
        ("executive", {"executive": 200, "bkpp": 403, "unit": 200}),
        ("camat", {"executive": 403, "bkpp": 403, "unit": 200}),
        ("supervisor", {"executive": 403, "bkpp": 403, "unit": 403}),
        ("employee", {"executive": 403, "bkpp": 403, "unit": 403}),
        ("officer", {"executive": 403, "bkpp": 403, "unit": 403}),
    ],
)
def test_access_per_persona(client: Any, cast: Cast, persona: str, expected: dict[str, int]) -> None:
    user = getattr(cast, persona)
    client.force_login(user)
    for name, status in expected.items():
        assert _get(client, None, name).status_code == status, name
    drill = client.get(reverse("dashboards:drilldown", args=["tiket"]))
    assert drill.status_code == (200 if expected["unit"] == 200 else 403)


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("admin", "dashboards:bkpp"),
        ("executive", "dashboards:executive"),
        ("camat", "dashboards:unit"),
        ("supervisor", "development:team"),
        ("employee", "development:my"),
    ],
)
def test_home_redirects_by_role(client: Any, cast: Cast, persona: str, target: str) -> None:
    client.force_login(getattr(cast, persona))
    response = client.get(reverse("dashboards:home"))
    assert response.status_code == 302 and response["Location"] == reverse(target)


def test_executive_is_read_only(client: Any, cast: Cast) -> None:
    client.force_login(cast.executive)
    for name in ("executive", "unit"):
        assert client.post(reverse(f"dashboards:{name}")).status_code == 405
    assert client.post(reverse("dashboards:drilldown", args=["tiket"])).status_code == 405


def test_camat_cannot_pick_another_kecamatan(client: Any, cast: Cast) -> None:
    client.force_login(cast.camat)
    assert _get(client, None, "unit", f"{PERIOD}&unit=33.74.11").status_code == 404
    assert _get(client, None, "unit", f"{PERIOD}&unit=33.74").status_code == 404
    assert _get(client, None, "unit", f"{PERIOD}&unit=33.74.10.1001").status_code == 200  # own kelurahan
    for metric in sel.DRILL_METRICS:
        url = f"{reverse('dashboards:drilldown', args=[metric])}?{PERIOD}&unit=33.74.11"
        assert client.get(url).status_code == 404, metric
    assert _get(client, None, "unit", f"{PERIOD}&unit=NOPE").status_code == 404
    assert client.get(reverse("dashboards:drilldown", args=["nope"])).status_code == 404


# --- figures ---------------------------------------------------------------------------------------------------


def test_executive_figures_match_hand_computed(cast: Cast) -> None:
    d = sel.executive(cast.executive, _filter(cast.executive))
    assert d.ikm.ikm == Decimal("75.00") and d.ikm.mutu == "C" and d.ikm.respondents == 4
    assert d.queue.issued == 19 and d.queue.wait_mean == 12.5
    assert d.queue.within_standard_percent == 58.3
    points = {p.name: p.figures for p in d.points}
    tembalang = points["Kantor Kecamatan Tembalang"]
    assert (tembalang.issued, tembalang.wait_mean) == (14, 8.3)  # 100 min / 12 waits
    assert points["Kantor Kecamatan Banyumanik"].wait_mean == 25.0
    # 3 on time of 4 answered + 1 open past its deadline
    assert d.complaints.received == 6 and d.complaints.on_time_percent == 60.0
    assert d.complaints.open_overdue == 1
    assert d.compliance_total.employees == 30 and d.compliance_total.compliant_percent == 50.0
    by_unit = {r.code: r for r in d.compliance}
    assert by_unit["33.74.10"].employees == 15 and by_unit["33.74.10"].compliant_percent == 60.0
    assert by_unit["33.74.11"].compliant_percent == 10.0
    trend = {p.month: p for p in d.trend}
    assert len(d.trend) == 11
    assert trend[D(2026, 10, 1)].wait_mean == 5.0 and trend[D(2026, 11, 1)].wait_mean == 15.0
    assert trend[D(2026, 11, 1)].ikm == Decimal("75.00") and trend[D(2026, 10, 1)].ikm is None
    assert trend[D(2026, 11, 1)].complaints == 6
    assert [p.program_code for p in d.proven] == ["PLY-PRIMA"]
    assert d.budget_total is not None and d.budget_total.amount == 1_000_000
    assert d.budget_total.remaining == 1_000_000


def test_budget_spend_comes_from_the_spend_rollup(cast: Cast) -> None:
    """The budget panel counts seats from SpendYear, not enrolments: a new seat shows after the refresh."""
    from mumpuni.insights import rollups
    from mumpuni.insights.tests.fixtures import make_program
    from mumpuni.learning.models import Enrollment, TrainingClass

    program = make_program("PLY-BUDGET", cost=250_000)
    klass = TrainingClass.objects.create(
        program=program,
        code="BUD-1",
        name="Kelas anggaran",
        starts_on=D(2026, 11, 5),
        ends_on=D(2026, 11, 6),
        capacity=20,
    )
    Enrollment.objects.create(training_class=klass, employee=cast.employee_employee, status="enrolled")
    before = sel.executive(cast.executive, _filter(cast.executive)).budget_total
    assert before is not None and before.committed == 0
    rollups.refresh_spend(full=True)
    after = sel.executive(cast.executive, _filter(cast.executive)).budget_total
    assert after is not None and after.committed == 250_000 and after.remaining == 750_000


def test_waiting_percentiles_from_the_histogram(cast: Cast) -> None:
    f = sel.resolve_filter(cast.executive, unit_code="33.74.10", start="2026-11", end="2026-11")
    _points, total, _months = sel.queue_by_point(f)
    assert (total.wait_p50, total.wait_p90) == (10.0, 18.0)
    assert sel.hist_percentile([0] * 10 + [5], 0.5) == 180.0  # the open last bucket: its lower edge
    assert sel.hist_percentile([0] * 11, 0.5) is None


def test_camat_figures_are_their_subtree(cast: Cast) -> None:
    f = _filter(cast.camat)
    assert f.unit == cast.tembalang
    d = sel.unit_dashboard(cast.camat, f, today=D(2026, 11, 20))
    assert d.ikm.ikm == Decimal("100.00")
    # 2 on time of 3 answered + 1 open past its deadline
    assert d.complaints.received == 4 and d.complaints.on_time_percent == 50.0
    assert d.compliance_total.employees == 15 and d.compliance_total.compliant_percent == 60.0
    assert d.compliance_total.with_plan == 8 and d.compliance_total.plan_agreed == 6
    rows = {r.code: r for r in d.compliance}
    assert rows["33.74.10"].employees == 10  # the camat's own staff
    assert rows["33.74.10.1001"].employees == 5
    assert [p.name for p in d.points] == ["Kantor Kecamatan Tembalang"]


def test_bkpp_figures(cast: Cast) -> None:
    d = sel.bkpp(cast.admin, _filter(cast.admin))
    assert [(g.competency, g.employees_below) for g in d.gaps] == [
        ("Integritas", 7),
        ("Pelayanan kependudukan", 3),
    ]
    assert d.jp_total == 52.5 and d.completions == 3
    assert d.compliance_total.with_plan == 15


def test_period_parsing() -> None:
    today = D(2026, 11, 28)
    default = sel.Period.parse(None, None, today=today)
    assert (default.start, default.end) == (D(2026, 1, 1), D(2026, 11, 1))
    swapped = sel.Period.parse("2026-05", "2026-02", today=today)
    assert (swapped.start, swapped.end) == (D(2026, 2, 1), D(2026, 5, 1))
    assert sel.Period.parse("garbage", "2026-13", today=today).start == D(2026, 1, 1)
    long = sel.Period.parse("2000-01", "2026-11", today=today)
    assert len(long.months) == sel.MAX_MONTHS and long.last_day == D(2026, 11, 30)


def test_unit_queue_today_reads_only_their_point(cast: Cast) -> None:
    today = timezone.localdate()
    for wait in (4, 6):
        make_ticket(cast.point, cast.service, issued=at(today, 8, wait), wait=wait, service_minutes=5)
    make_ticket(
        cast.point, cast.service, issued=at(today, 9, 0), wait=None, service_minutes=None, status="waiting"
    )
    make_ticket(
        cast.other_point,
        cast.service,
        issued=at(today, 9, 0),
        wait=None,
        service_minutes=None,
        status="waiting",
    )
    plant_today(cast, today)
    d = sel.unit_dashboard(cast.camat, _filter(cast.camat), today=today)
    [t] = d.today
    assert (t.point_name, t.waiting, t.served, t.issued, t.wait_mean) == (
        "Kantor Kecamatan Tembalang",
        1,
        2,
        3,
        5.0,
    )
    assert d.month_queue.issued == 7 and d.services[0].figures.wait_mean == 5.0
    # The whole city has two points: no "today" panel (it would read many points' tickets).
    assert sel.unit_dashboard(cast.executive, _filter(cast.executive), today=today).today == []


# --- pages -----------------------------------------------------------------------------------------------------


def test_executive_page_shows_figures_and_charts(client: Any, cast: Cast) -> None:
    response = _get(client, cast.executive, "executive")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="kpi-ikm">75,00<' in html  # (inside its drill-down link)
    assert 'data-testid="kpi-wait">12,5 mnt<' in html
    assert 'data-testid="kpi-ontime">60 %<' in html
    assert 'data-testid="kpi-jp">50 %<' in html
    assert html.count('class="mp-chart d-none d-sm-block"') >= 5
    assert "<?xml" not in html
    assert "PLY-PRIMA" in html and "PLY-DASAR" not in html
    drill = reverse("dashboards:drilldown", args=["pengaduan"])
    assert f'href="{drill}?{PERIOD.replace("&", "&amp;")}"' in html
    assert response.context["d"].compliance_total.compliant_percent == 50.0


def test_unit_page_for_camat(client: Any, cast: Cast) -> None:
    response = _get(client, cast.camat, "unit")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="kpi-ikm">100,00<' in html
    assert "Kantor Kecamatan Banyumanik" not in html
    assert "Kecamatan Banyumanik" not in html  # not even in the unit picker


def test_bkpp_page(client: Any, cast: Cast) -> None:
    response = _get(client, cast.admin, "bkpp")
    assert response.status_code == 200
    assert "Integritas" in response.content.decode()


# --- constant query counts ---------------------------------------------------------------------------------------


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("persona", "name"), [("executive", "executive"), ("admin", "bkpp"), ("camat", "unit")]
)
def test_query_count_does_not_grow_with_data(
    client: Any, cast: Cast, persona: str, name: str, django_assert_max_num_queries: Any
) -> None:
    client.force_login(getattr(cast, persona))
    url = f"{reverse(f'dashboards:{name}')}?{PERIOD}"
    before = _count(client, url)
    plant_more(cast, 6)
    after = _count(client, url)
    assert after == before
    with django_assert_max_num_queries(30):
        client.get(url)


@pytest.mark.parametrize("name", ["executive", "bkpp", "unit"])
def test_selectors_query_count(cast: Cast, name: str, django_assert_max_num_queries: Any) -> None:
    user = cast.admin
    f = _filter(user)
    plant_more(cast, 3)
    fn = {"executive": sel.executive, "bkpp": sel.bkpp, "unit": sel.unit_dashboard}[name]
    with django_assert_max_num_queries(16):
        fn(user, f)


# --- drill-down ------------------------------------------------------------------------------------------------


def _complaint(point: Any, unit: Any, day: dt.date, title: str) -> Complaint:
    received = at(day, 9, 0)
    return Complaint.objects.create(
        category=Complaint.Category.choices[0][0], title=title, description="Uraian.", point=point,
        assigned_unit=unit, received_at=received, verify_due=day, answer_due=day + dt.timedelta(days=14),
        name="Warga Rahasia", email="rahasia@example.org", phone="081234567890",
    )  # fmt: skip


def test_drilldown_rows_are_scoped(client: Any, cast: Cast) -> None:
    day = D(2026, 11, 10)
    make_ticket(cast.point, cast.service, issued=at(day, 8, 0), wait=7, service_minutes=5)
    make_ticket(cast.other_point, cast.service, issued=at(day, 8, 0), wait=9, service_minutes=5)
    _complaint(cast.point, cast.tembalang, day, "Antrean lama di Tembalang")
    _complaint(cast.other_point, cast.banyumanik, day, "Loket tutup di Banyumanik")
    for unit in (cast.tembalang, cast.banyumanik):
        SurveyResponse.objects.create(
            unit=unit, service_date=day, channel="counter", **dict.fromkeys(UNSUR_FIELDS, 3)
        )
    JpEntry.objects.create(
        employee=cast.camat_employee, occurred_on=day, year=2026, jp=Decimal(24), source="class"
    )

    client.force_login(cast.camat)

    def rows(metric: str, extra: str = "") -> Any:
        response = client.get(f"{reverse('dashboards:drilldown', args=[metric])}?{PERIOD}{extra}")
        assert response.status_code == 200
        return response

    tickets = rows("tiket")
    assert tickets.context["page"].paginator.count == 1
    assert "Kantor Kecamatan Banyumanik" not in tickets.content.decode()
    complaints = rows("pengaduan")
    html = complaints.content.decode()
    assert "Antrean lama di Tembalang" in html and "Banyumanik" not in html
    assert "Warga Rahasia" not in html and "rahasia@example.org" not in html and "081234567890" not in html
    assert rows("skm").context["page"].paginator.count == 1
    below = rows("jp")
    names = {e.name for e in below.context["page"]}
    assert "Bambang Susilo" not in names  # 24 JP: compliant
    assert {"Dewi Lestari", "Agus Prasetyo", "Rina Kurniawati"} <= names
    assert "Joko Santoso" not in names  # Banyumanik
    # A point of another kecamatan named in the query: still nothing outside the subtree.
    assert rows("tiket", f"&titik={cast.other_point.pk}").context["page"].paginator.count == 0

    client.force_login(cast.executive)
    response = client.get(f"{reverse('dashboards:drilldown', args=['tiket'])}?{PERIOD}")
    assert response.context["page"].paginator.count == 2
    response = client.get(f"{reverse('dashboards:drilldown', args=['pengaduan'])}?{PERIOD}&unit=33.74.11")
    assert [c.title for c in response.context["page"]] == ["Loket tutup di Banyumanik"]


def test_drilldown_paginates(client: Any, cast: Cast) -> None:
    day = D(2026, 11, 11)
    for i in range(55):
        make_ticket(cast.point, cast.service, issued=at(day, 8, 0) + dt.timedelta(minutes=i), wait=1)
    client.force_login(cast.camat)
    url = f"{reverse('dashboards:drilldown', args=['tiket'])}?{PERIOD}"
    first = client.get(url)
    assert len(first.context["page"].object_list) == 50 and first.context["page"].has_next()
    second = client.get(f"{url}&page=2")
    assert len(second.context["page"].object_list) == 5


def test_drilldown_row_count_has_thousands_separators(client: Any, cast: Cast) -> None:
    day = D(2026, 11, 11)
    for i in range(1_001):
        make_ticket(cast.point, cast.service, issued=at(day, 7, 0) + dt.timedelta(seconds=20 * i), wait=1)
    client.force_login(cast.camat)
    url = f"{reverse('dashboards:drilldown', args=['tiket'])}?{PERIOD}"
    assert "1.001 baris" in client.get(url).content.decode()  # Indonesian: dot groups thousands
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "1,001 rows" in client.get(url).content.decode()


# --- XLSX ----------------------------------------------------------------------------------------------------------


def _xlsx(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _find(ws: Any, label: str) -> list[Any]:
    for row in ws.iter_rows(values_only=True):
        if row and row[0] == label:
            return list(row)
    raise AssertionError(f"{label} not in {ws.title}")


def test_executive_xlsx(client: Any, cast: Cast) -> None:
    wb = _xlsx(_get(client, cast.executive, "executive", f"{PERIOD}&format=xlsx"))
    assert {
        "Ringkasan",
        "Tren bulanan",
        "Waktu tunggu",
        "Kepatuhan 20 JP",
        "Anggaran",
        "Program terbukti",
    } <= set(wb.sheetnames)
    summary = wb["Ringkasan"]
    assert _find(summary, "IKM")[1] == 75.0
    assert _find(summary, "Rata-rata tunggu (menit)")[1] == 12.5
    assert _find(summary, "Dijawab tepat waktu (%)")[1] == 60.0
    waits = wb["Waktu tunggu"]
    assert _find(waits, "Kantor Kecamatan Banyumanik")[3] == 25.0
    assert _find(wb["Program terbukti"], "PLY-PRIMA")[3] == -2.0


def test_unit_xlsx_for_camat_holds_only_their_rows(client: Any, cast: Cast) -> None:
    wb = _xlsx(_get(client, cast.camat, "unit", f"{PERIOD}&format=xlsx"))
    text = " ".join(
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )
    assert "Banyumanik" not in text
    assert _find(wb["Ringkasan"], "IKM")[1] == 100.0


def test_bkpp_xlsx(client: Any, cast: Cast) -> None:
    wb = _xlsx(_get(client, cast.admin, "bkpp", f"{PERIOD}&format=xlsx"))
    assert _find(wb["Kesenjangan"], "Integritas")[2] == 7
    assert _find(wb["Ringkasan"], "JP diberikan")[1] == 52.5


def test_navigation_has_dashboard_link(client: Any, cast: Cast) -> None:
    for persona, url in (
        ("admin", reverse("dashboards:bkpp")),
        ("executive", reverse("dashboards:executive")),
        ("camat", reverse("dashboards:unit")),
    ):
        client.force_login(getattr(cast, persona))
        items = client.get("/").context["nav_items"]
        assert any(item.url == url for item in items), persona
    client.force_login(cast.employee)
    items = client.get("/").context["nav_items"]
    assert not any(item.url.startswith("/dasbor/") for item in items)


@pytest.mark.parametrize("persona", ["executive", "camat"])
def test_drilldown_links_to_detailed_pages_that_open(client: Any, cast: Cast, persona: str) -> None:
    client.force_login(getattr(cast, persona))
    for metric in sel.DRILL_METRICS:
        response = client.get(f"{reverse('dashboards:drilldown', args=[metric])}?{PERIOD}&unit=33.74.10")
        detail = response.context["detail_url"]
        assert client.get(detail).status_code == 200, (metric, detail)


# --- wide scopes (national scale): per child unit instead of per point ------------------------------------------


def _bulusan_point(cast: Cast) -> Any:
    """A third point, in Kelurahan Bulusan (under Tembalang): Nov 2026, 6 issued, waits 6 / 60 min."""
    from mumpuni.insights.models import QueueMonth
    from mumpuni.insights.tests.dashboard_fixtures import hist
    from mumpuni.queueing.models import ServicePoint

    point = ServicePoint.objects.create(unit=cast.bulusan, name="Kantor Kelurahan Bulusan")
    QueueMonth.objects.create(
        month=D(2026, 11, 1), point=point, unit=cast.bulusan, issued=6, served=6, wait_count=6,
        wait_minutes_sum=60, wait_hist=hist(0, 0, 6),
    )  # fmt: skip
    return point


def test_few_points_are_listed_one_by_one(cast: Cast) -> None:
    _bulusan_point(cast)
    points, total, _months = sel.queue_by_point(_filter(cast.executive))
    assert [p.name for p in points] == [
        "Kantor Kecamatan Banyumanik",
        "Kantor Kecamatan Tembalang",
        "Kantor Kelurahan Bulusan",
    ]
    assert not any(p.group for p in points) and total.issued == 25


def test_many_points_are_summed_per_child_unit(cast: Cast, monkeypatch: Any) -> None:
    _bulusan_point(cast)
    monkeypatch.setattr(sel, "POINT_LIMIT", 2)
    points, total, _months = sel.queue_by_point(_filter(cast.executive))
    rows = {p.unit_code: p for p in points}
    assert all(p.group for p in points) and set(rows) == {"33.74.10", "33.74.11"}
    tembalang = rows["33.74.10"].figures  # its own point + Bulusan's
    assert (tembalang.issued, tembalang.wait_count, tembalang.wait_minutes_sum) == (20, 18, 160.0)
    assert tembalang.hist[:3] == (6, 2, 8)
    assert rows["33.74.11"].figures.issued == 5
    assert sum(p.figures.issued for p in points) == total.issued == 25
    # Tembalang chosen (2 points, above a limit of 1): its own point as "(langsung)" and the kelurahan below it.
    monkeypatch.setattr(sel, "POINT_LIMIT", 1)
    points = sel.queue_by_point(_filter(cast.executive, "33.74.10"))[0]
    assert [(p.name, p.figures.issued) for p in points] == [
        ("Kecamatan Tembalang (langsung)", 14),
        ("Kelurahan Bulusan", 6),
    ]


def test_wide_unit_head_rows_stay_in_their_scope(cast: Cast, monkeypatch: Any) -> None:
    _bulusan_point(cast)
    monkeypatch.setattr(sel, "POINT_LIMIT", 1)
    d = sel.unit_dashboard(cast.camat, _filter(cast.camat), today=D(2026, 11, 20))
    assert {p.unit_code for p in d.points} == {"33.74.10", "33.74.10.1001"}
    assert sum(p.figures.issued for p in d.points) == 20
    # An outsider's unit cannot be chosen, so the per-unit links cannot widen the scope.
    with pytest.raises(sel.OutOfScopeError):
        _filter(cast.camat, "33.74.11")


def test_wide_executive_page_links_child_units_to_the_filtered_dashboard(
    client: Any, cast: Cast, monkeypatch: Any
) -> None:
    _bulusan_point(cast)
    monkeypatch.setattr(sel, "POINT_LIMIT", 1)
    body = html.unescape(_get(client, cast.executive, "executive").content.decode())
    assert f'href="?{PERIOD}&unit=33.74.10"' in body and f'href="?{PERIOD}&unit=33.74.11"' in body
    assert "titik=" not in body
    # Following a link shows that unit's subtree: Tembalang's own point and Bulusan.
    body = html.unescape(_get(client, None, "executive", query=f"{PERIOD}&unit=33.74.10").content.decode())
    assert (
        f'href="?{PERIOD}&unit=33.74.10.1001"' in body
        and "unit=33.74.11" not in body.split('data-testid="points"')[1]
    )


def test_wide_month_panel_sums_counters_per_service(cast: Cast, monkeypatch: Any) -> None:
    today = D(2026, 11, 20)
    plant_today(cast, today)
    narrow = sel.unit_dashboard(cast.executive, _filter(cast.executive), today=today)
    assert narrow.services[0].figures.wait_p90 is not None
    monkeypatch.setattr(sel, "POINT_LIMIT", 1)
    wide = sel.unit_dashboard(cast.executive, _filter(cast.executive), today=today)
    [service] = wide.services
    assert (service.figures.issued, service.figures.wait_mean) == (7, 5.0)
    assert service.figures.wait_p90 is None  # no histogram per service at a wide scope
    # The month's total is QueueMonth's November (with its histogram).
    assert wide.month_queue.issued == 15 and wide.month_queue.wait_p90 is not None


def test_several_root_units_are_the_groups_of_a_country(cast: Cast) -> None:
    from mumpuni.insights.models import UnitYear
    from mumpuni.testing import make_unit

    other = make_unit("34", "Provinsi Daerah Istimewa Yogyakarta", "pemda")
    UnitYear.objects.create(year=2026, unit=make_unit("34.71", "Kota Yogyakarta", "pemda", other), employees=4,
                            compliant=3)  # fmt: skip
    total, rows = sel.compliance_by_unit(_filter(cast.admin))
    assert [(r.code, r.employees, r.compliant) for r in rows] == [("33.74", 30, 15), ("34", 4, 3)]
    assert (total.employees, total.compliant) == (34, 18)
