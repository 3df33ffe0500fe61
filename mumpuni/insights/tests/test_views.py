"""The /dampak/ pages per persona, the estimate, the refusal and the ROI shown on them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mumpuni.insights.models import OfficerMonth
from mumpuni.insights.tests.fixtures import make_program, seed_history
from mumpuni.learning.models import JpEntry
from mumpuni.testing import BaseTestCase


class ImpactPagesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.program = make_program()
        cls.thin_program = make_program("ARSIP")
        seed_history(cls.tembalang, cls.program)
        cls.list_url = reverse("insights:program_list")
        cls.detail_url = reverse("insights:program_detail") + "?kode=PLY-PRIMA"

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.employee, self.officer, self.supervisor, self.other_officer):
            self.client.force_login(user)
            for url in (self.list_url, self.detail_url):
                self.assertEqual(self.client.get(url).status_code, 403, (user.username, url))

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(self.list_url)
        self.assertEqual(response.status_code, 302)

    def test_it_shows_admin_executive_and_unit_heads_the_city_estimates(self) -> None:
        for user in (self.admin, self.executive, self.camat, self.other):
            self.client.force_login(user)
            response = self.client.get(self.list_url)
            self.assertEqual(response.status_code, 200, user.username)
            self.assertContains(response, "PLY-PRIMA")
            self.assertNotContains(response, "Petugas 01")  # never a per-officer row

    def test_it_shows_effect_ci_naive_chart_and_pretrend(self) -> None:
        self.client.force_login(self.executive)
        response = self.client.get(self.detail_url)
        self.assertEqual(response.status_code, 200)
        estimate = response.context["estimate"]
        self.assertLessEqual(estimate.ci95[0], -1.5)
        self.assertGreaterEqual(estimate.ci95[1], -1.5)
        self.assertContains(response, 'data-testid="event-chart"')
        self.assertContains(response, 'data-testid="pretrend"')
        self.assertContains(response, "Sebelum/sesudah naif")
        self.assertEqual(len(response.context["chart"]["points"]), 13)

    def test_it_refuses_with_a_reason_when_data_are_thin(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(reverse("insights:program_detail") + "?kode=ARSIP")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="refusal"')
        self.assertContains(response, "Data terlalu sedikit")
        self.assertNotContains(response, 'data-testid="event-chart"')

    def test_it_computes_roi_with_the_hour_value_given(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(self.detail_url + "&nilai_jam=50000")
        roi = response.context["roi"]
        self.assertEqual(roi.hour_value, 50_000)
        self.assertEqual(roi.cost, roi.participants * 750_000)
        self.assertAlmostEqual(roi.benefit, roi.hours_saved * 50_000)
        estimate = response.context["roi_estimate"]
        self.assertAlmostEqual(roi.hours_saved, -estimate.effect * roi.post_tickets / 60)
        self.assertGreater(roi.hours_saved, 0)

    @override_settings(MUMPUNI_IMPACT_HOUR_VALUE=40_000)
    def test_it_rejects_a_bad_hour_value_and_falls_back_to_the_setting(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(self.detail_url + "&nilai_jam=abc")
        self.assertEqual(response.context["roi"].hour_value, 40_000)
        self.assertContains(response, "Nilai satu jam harus bilangan bulat")

    def test_the_list_takes_the_same_queries_for_more_programmes(self) -> None:
        self.client.force_login(self.admin)
        self.client.get(self.list_url)
        cache.clear()
        with CaptureQueriesContext(connection) as before:
            self.client.get(self.list_url)
        extra = make_program("KOM-MASY")
        people = list(OfficerMonth.objects.values_list("officer_id", flat=True).distinct()[:6])
        JpEntry.objects.bulk_create(
            JpEntry(
                employee_id=pk,
                occurred_on=dt.date(2025, 8, 12),
                year=2025,
                jp=Decimal("16"),
                source=JpEntry.Source.IMPORT,
                program=extra,
            )
            for pk in people
        )
        with CaptureQueriesContext(connection) as after:
            response = self.client.get(self.list_url)  # new completions: the cached list is not used
        self.assertContains(response, "KOM-MASY")
        self.assertEqual(len(after.captured_queries), len(before.captured_queries))

    def test_it_404s_an_unknown_programme(self) -> None:
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(reverse("insights:program_detail") + "?kode=NOPE").status_code, 404)


class ImpactApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.program = make_program()
        make_program("ARSIP")
        seed_history(cls.tembalang, cls.program)

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.employee, self.officer, self.supervisor):
            self.client.force_login(user)
            response = self.client.get("/api/v1/insights/impact?program=PLY-PRIMA")
            self.assertEqual(response.status_code, 403, user.username)
        self.client.logout()
        self.assertEqual(self.client.get("/api/v1/insights/impact?program=PLY-PRIMA").status_code, 401)

    def test_it_returns_the_estimate_and_event_study(self) -> None:
        self.client.force_login(self.camat)
        data = self.client.get("/api/v1/insights/impact?program=PLY-PRIMA").json()
        self.assertLessEqual(data["ci95"][0], -1.5)
        self.assertGreaterEqual(data["ci95"][1], -1.5)
        self.assertEqual([e["event"] for e in data["event_study"]], list(range(-6, 7)))

    def test_it_explains_a_refusal_and_404s_unknown_programmes(self) -> None:
        self.client.force_login(self.admin)
        data = self.client.get("/api/v1/insights/impact?program=ARSIP").json()
        self.assertIsNone(data["effect"])
        self.assertIn("Data terlalu sedikit", data["refusal"])
        self.assertEqual(self.client.get("/api/v1/insights/impact?program=NOPE").status_code, 404)
