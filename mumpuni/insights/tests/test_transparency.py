"""The public transparency page (/transparansi/) and its JSON: no login, aggregates only, small cells
suppressed, cached; figures against hand-worked fixture data (the arithmetic is in `build_world`)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mumpuni.complaints.services import workflow
from mumpuni.complaints.tests.desk_fixtures import ComplaintTestCase, at
from mumpuni.insights import public_selectors as sel
from mumpuni.insights import public_views
from mumpuni.learning.models import JpEntry
from mumpuni.people.models import Employee
from mumpuni.queueing.models import ServicePoint
from mumpuni.queueing.tests.stats_factory import at as at_wib
from mumpuni.queueing.tests.stats_factory import make_ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse
from mumpuni.testing import make_unit

D = dt.date
NOW = timezone.make_aware(dt.datetime(2026, 11, 18, 10, 0))  # a Wednesday in TW IV 2026
TODAY = D(2026, 11, 18)
IN_QUARTER = D(2026, 11, 10)
COMPLAINANT = "Warga Pelapor"  # the intake fixture's complainant name


def answers(value: int | None, **overrides: int | None) -> dict[str, int | None]:
    data: dict[str, int | None] = dict.fromkeys(UNSUR_FIELDS, value)
    data.update(overrides)
    return data


def build_world(cls: Any) -> None:
    """Tembalang (point `cls.point`), Banyumanik (`cls.other_point`) and an MPP point without data.

    IKM, Tembalang, TW IV: three answers all 4, one all 3, one all 2 with U9 blank.
      U1..U8 = (12 + 3 + 2)/5 = 3.4; U9 = (12 + 3)/4 = 3.75; mean = (8·3.4 + 3.75)/9 = 3.43888…
      → IKM 85.97 (B, Baik). Population: 6 finished tickets → Krejcie–Morgan minimum 6 → 5 is not enough.
    Banyumanik: two answers → fewer than 5: suppressed.
    Waiting (last 30 days): Tembalang 2, 4, 6, 8, 10, 12 min → median 7.0; service 5 min each → 5.0.
      Banyumanik 20, 20, 20 → three tickets: suppressed. City: 2..12 and 3 × 20 → median 10.0.
    Complaints 2026 (answer deadline 14 working days): Tembalang 4 answered the same day (on time), 1
      answered late, 1 open past its deadline → on time 4 of 6 = 66.7 %, median 0 working days.
      Banyumanik: 1 forwarded → counts below 5 are shown as "<5", no share.
    Training 2026: 5 of the 7 cast employees (all PNS) have 20 JP → 5/7 = 71.4 %; 100 JP in all.
    """
    cls.mpp = make_unit("33.74.MPP", "Mal Pelayanan Publik Kota Semarang", "mpp", cls.city)
    cls.mpp_point = ServicePoint.objects.create(unit=cls.mpp, name="Mal Pelayanan Publik Kota Semarang")

    tembalang = {"unit": cls.tembalang, "point": cls.point, "service_date": IN_QUARTER, "channel": "counter"}
    for _ in range(3):
        SurveyResponse.objects.create(**tembalang, **answers(4), officer=cls.officer_employee)
    SurveyResponse.objects.create(**tembalang, **answers(3))
    SurveyResponse.objects.create(**tembalang, **answers(2, u9=None))
    banyumanik = {"unit": cls.banyumanik, "point": cls.other_point, "service_date": IN_QUARTER}
    SurveyResponse.objects.create(**banyumanik, channel="online", **answers(4))
    SurveyResponse.objects.create(**banyumanik, channel="online", **answers(1))

    for i, wait in enumerate((2, 4, 6, 8, 10, 12)):
        make_ticket(
            cls.point,
            cls.ktp,
            issued=at_wib(IN_QUARTER, 8, i),
            wait=wait,
            service_minutes=5,
            officer=cls.officer_employee,
        )
    for i in range(3):
        make_ticket(cls.other_point, cls.ktp, issued=at_wib(IN_QUARTER, 9, i), wait=20, service_minutes=5)

    employees = list(Employee.objects.order_by("pk"))
    assert len(employees) == 7
    for employee in employees[:5]:
        JpEntry.objects.create(
            employee=employee, occurred_on=D(2026, 3, 2), year=2026, jp=20, source="import"
        )
    JpEntry.objects.create(
        employee=employees[0], occurred_on=D(2025, 3, 2), year=2025, jp=40, source="import"
    )


class TransparencyTestCase(ComplaintTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_world(cls)
        self = cls()
        for _ in range(4):
            self.answered(D(2026, 9, 9))
        late = self.forwarded(D(2026, 9, 1))
        workflow.answer(late, cls.camat, text="Mohon maaf atas keterlambatan.", now=at(D(2026, 10, 5), 9))
        self.forwarded(D(2026, 9, 2))  # never answered; past its deadline by November
        self.forwarded(D(2026, 9, 3), unit=cls.banyumanik, point=cls.other_point)

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        patcher = mock.patch.object(public_views, "_compute", lambda: sel.transparency(now=NOW))
        patcher.start()
        self.addCleanup(patcher.stop)

    def figures(self) -> sel.Transparency:
        return sel.transparency(now=NOW)

    def point_row(self, figures: sel.Transparency, point: ServicePoint) -> sel.PointRow:
        return next(p for p in figures.points if p.unit_code == point.unit.code)


class TransparencyFiguresTests(TransparencyTestCase):
    def test_it_lists_the_mpp_first_then_the_kecamatan(self) -> None:
        codes = [p.unit_code for p in self.figures().points]
        self.assertEqual(codes, ["33.74.MPP", "33.74.10", "33.74.11"])

    def test_ikm_of_a_point_is_hand_worked(self) -> None:
        row = self.point_row(self.figures(), self.point)
        cell = row.ikm_quarter
        self.assertEqual(
            (cell.respondents, cell.ikm, cell.mutu, cell.kinerja), (5, Decimal("85.97"), "B", "Baik")
        )
        self.assertEqual((cell.population, cell.sample_required, cell.sample_adequate), (6, 6, False))
        self.assertFalse(cell.suppressed)
        self.assertEqual(row.ikm_year.ikm, Decimal("85.97"))

    def test_a_point_with_few_answers_is_suppressed(self) -> None:
        figures = self.figures()
        cell = self.point_row(figures, self.other_point).ikm_quarter
        self.assertEqual((cell.respondents, cell.ikm, cell.mutu, cell.suppressed), (2, None, None, True))
        mpp = self.point_row(figures, self.mpp_point)
        self.assertIsNone(mpp.ikm_quarter.ikm)
        self.assertFalse(mpp.ikm_quarter.sample_adequate)  # no service users: nothing to call adequate

    def test_city_ikm_counts_every_answer(self) -> None:
        # 7 answers: U1..U8 = (12+3+2+4+1)/7 = 22/7 ... plus U9 (12+3+4+1)/6 = 20/6.
        city = self.figures().city_ikm_quarter
        expected = (Decimal(8) * Decimal(22) / 7 + Decimal(20) / 6) / 9 * 25
        self.assertEqual(city.respondents, 7)
        self.assertEqual(city.ikm, expected.quantize(Decimal("0.01")))
        self.assertEqual(city.population, 9)

    def test_waiting_and_service_medians(self) -> None:
        figures = self.figures()
        row = self.point_row(figures, self.point)
        self.assertEqual(row.times_recent.wait_median, 7.0)
        self.assertAlmostEqual(row.times_recent.service_median or 0, 5.0, places=3)
        self.assertEqual(row.times_recent.tickets, 6)
        self.assertEqual(row.times_year.wait_median, 7.0)
        other = self.point_row(figures, self.other_point)
        self.assertEqual((other.times_recent.tickets, other.times_recent.wait_median), (3, None))
        self.assertAlmostEqual(figures.city_times_recent.wait_median or 0, 10.0, places=3)

    def test_tickets_older_than_30_days_count_only_for_the_year(self) -> None:
        for wait in (30, 30, 30, 30, 30, 30, 30):
            make_ticket(self.point, self.ktp, issued=at_wib(D(2026, 9, 1), 8), wait=wait, service_minutes=5)
        row = self.point_row(self.figures(), self.point)
        self.assertEqual(row.times_recent.wait_median, 7.0)
        self.assertEqual(row.times_year.tickets, 13)
        self.assertAlmostEqual(row.times_year.wait_median or 0, 30.0, places=3)

    def test_complaints_answered_on_time(self) -> None:
        figures = self.figures()
        row = self.point_row(figures, self.point).complaints
        self.assertEqual((row.received, row.answered, row.on_time, row.deadline_reached), (6, 5, 4, 6))
        self.assertAlmostEqual(row.on_time_share or 0, 4 / 6)
        self.assertEqual(row.answer_days_median, 0.0)
        city = figures.city_complaints
        self.assertEqual((city.received, city.answered, city.on_time, city.deadline_reached), (7, 5, 4, 7))
        self.assertAlmostEqual(city.on_time_share or 0, 4 / 7)

    def test_small_complaint_cells_are_suppressed(self) -> None:
        cell = self.point_row(self.figures(), self.other_point).complaints
        self.assertEqual(cell.received, 1)
        self.assertIsNone(cell.on_time_share)
        self.assertEqual(cell.as_json()["received"], "<5")
        self.assertIsNone(cell.as_json()["on_time"])

    def test_training_this_year(self) -> None:
        t = self.figures().training
        self.assertEqual(t.jp_total, Decimal("100"))
        self.assertEqual((t.asn_active, t.asn_met, t.pns_active, t.pns_met), (7, 5, 7, 5))
        self.assertAlmostEqual(t.pns_share or 0, 5 / 7)

    def test_query_count_does_not_grow_with_points(self) -> None:
        with CaptureQueriesContext(connection) as before:
            self.figures()
        for code in ("33.74.01", "33.74.02"):
            unit = make_unit(code, f"Kecamatan {code}", "kecamatan", self.city)
            ServicePoint.objects.create(unit=unit, name=unit.name)
        with CaptureQueriesContext(connection) as after:
            figures = self.figures()
        self.assertEqual(len(figures.points), 5)
        self.assertEqual(len(after), len(before))


class TransparencyPageTests(TransparencyTestCase):
    url = reverse("transparency:page")

    def test_it_needs_no_login(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kecamatan Tembalang")
        self.assertContains(response, "85,97")  # Indonesian decimal comma
        self.assertContains(response, "66,7%")
        self.assertContains(response, "Data per 18 November 2026, 10.00 WIB")
        # CSS widths are written with a dot whatever the language (a comma would void the rule).
        self.assertContains(response, "width: 57.1%")  # city: 4 of 7 answered on time
        self.assertContains(response, "width: 71.4%")  # 5 of 7 PNS with 20 JP

    def test_it_shows_no_personal_data(self) -> None:
        self.login(self.admin)  # even a signed-in admin gets the same public bytes
        html = self.client.get(self.url).content.decode()
        for employee in Employee.objects.all():
            self.assertNotIn(employee.name, html)
            self.assertNotIn(employee.nip, html)
        self.assertNotIn(COMPLAINANT, html)
        self.assertNotIn("A-001", html)  # ticket numbers
        self.assertNotIn("csrfmiddlewaretoken", html)
        self.assertNotIn(self.admin.username, html)

    def test_small_cells_read_data_belum_cukup(self) -> None:
        html = self.client.get(self.url).content.decode()
        self.assertIn("IKM: data belum cukup", html)
        self.assertIn("&lt;5", html)

    def test_it_is_cached_and_public(self) -> None:
        first = self.client.get(self.url)
        self.assertEqual(first["Cache-Control"], "public, max-age=300")
        self.assertIn("Cookie", first["Vary"])
        with CaptureQueriesContext(connection) as queries:
            second = self.client.get(self.url)
        self.assertEqual(len(queries), 0)
        self.assertEqual(second.content, first.content)

    def test_a_cached_page_does_not_see_new_data_until_it_expires(self) -> None:
        self.client.get(self.url)
        SurveyResponse.objects.filter(unit=self.tembalang).delete()
        self.assertContains(self.client.get(self.url), "85,97")
        cache.clear()
        self.assertNotContains(self.client.get(self.url), "85,97")

    def test_english_through_the_language_link(self) -> None:
        response = self.client.get(self.url, {"lang": "en"})
        self.assertEqual(response["Content-Language"], "en")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "85.97")
        indonesian = self.client.get(self.url)
        self.assertContains(indonesian, '<html lang="id">')

    def test_it_refuses_writes(self) -> None:
        self.assertEqual(self.client.post(self.url).status_code, 405)
        self.assertEqual(self.client.post(reverse("transparency:data")).status_code, 405)


class TransparencyDataTests(TransparencyTestCase):
    url = reverse("transparency:data")

    def test_it_matches_the_page_figures(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "public, max-age=300")
        data = json.loads(response.content)
        points = {p["unit_code"]: p for p in data["service_points"]}
        tembalang = points["33.74.10"]
        self.assertEqual(tembalang["ikm_quarter"]["ikm"], 85.97)
        self.assertEqual(tembalang["ikm_quarter"]["sample_adequate"], False)
        self.assertEqual(tembalang["times_last_30_days"]["wait_median_minutes"], 7.0)
        self.assertEqual(tembalang["complaints_year"]["on_time_share"], 0.6667)
        self.assertIsNone(points["33.74.11"]["ikm_quarter"]["ikm"])
        self.assertEqual(data["training"]["pns_with_20_jp"], 5)
        self.assertEqual(data["period"]["quarter"], "2026-Q4")
        self.assertNotIn(COMPLAINANT, response.content.decode())

    def test_it_is_cached(self) -> None:
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.url)
        self.assertEqual(len(queries), 0)
