"""Measuring effects (acted within 14 days) and the BKPP page /pengingat/efek/ with its XLSX export."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse

from mumpuni.nudges import services
from mumpuni.nudges.models import NudgeLog
from mumpuni.nudges.selectors import effect_rows, effect_totals
from mumpuni.nudges.tests.fixtures import FAKE_RULES, NOON, FakeRule, NudgeTestCase


def log(kind: str, user: object, key: str, at: dt.datetime, **extra: object) -> NudgeLog:
    return NudgeLog.objects.create(kind=kind, user=user, key=key, created_at=at, **extra)


@override_settings(MUMPUNI_NUDGE_RULES=FAKE_RULES)
class MeasureEffectsTests(NudgeTestCase):
    def test_it_measures_acted_pending_and_final(self) -> None:
        acted = log("fake", self.employee, "a", NOON)
        waiting = log("fake", self.supervisor, "a", NOON)
        FakeRule.acted_users = {self.employee.pk: NOON + dt.timedelta(days=3)}
        services.measure_effects(now=NOON + dt.timedelta(days=5))
        acted.refresh_from_db()
        waiting.refresh_from_db()
        self.assertEqual((acted.acted, acted.acted_at), (True, NOON + dt.timedelta(days=3)))
        self.assertIsNotNone(acted.measured_at)
        self.assertIsNone(waiting.acted)  # still inside the window
        self.assertIsNone(waiting.measured_at)
        services.measure_effects(now=NOON + dt.timedelta(days=14))
        waiting.refresh_from_db()
        self.assertIs(waiting.acted, False)
        # final rows are not measured again, even if the rule would now say otherwise
        FakeRule.acted_users = {}
        services.measure_effects(now=NOON + dt.timedelta(days=20))
        acted.refresh_from_db()
        self.assertTrue(acted.acted)

    def test_rows_per_kind_and_month_with_the_comparison_group(self) -> None:
        at = NOON
        log("fake", self.employee, "a", at, acted=True, acted_at=at + dt.timedelta(days=2), measured_at=at)
        log("fake", self.supervisor, "a", at, acted=True, acted_at=at + dt.timedelta(days=6), measured_at=at)
        log("fake", self.camat, "a", at, acted=False, measured_at=at)
        log("fake", self.officer, "a", at)  # pending
        log("fake", self.admin, "a", at, suppressed=True, acted=False, measured_at=at)
        log("fake", self.other, "a", at, suppressed=True, acted=True, acted_at=at, measured_at=at)
        log("fake_other", self.employee, "a", at - dt.timedelta(days=40), recognition=True, measured_at=at)
        rows = {(r.kind, r.month): r for r in effect_rows(year=2026)}
        row = rows[("fake", "2026-11")]
        self.assertEqual((row.sent, row.pending, row.measured, row.acted), (4, 1, 3, 2))
        self.assertAlmostEqual(row.rate or 0, 2 / 3)
        self.assertEqual(row.median_days, 4.0)
        self.assertEqual((row.comparison_measured, row.comparison_acted), (2, 1))
        self.assertEqual(rows[("fake_other", "2026-10")].recognition, 1)
        totals = {r.kind: r for r in effect_totals(list(rows.values()))}
        self.assertEqual(totals["fake"].sent, 4)


@override_settings(MUMPUNI_NUDGE_RULES=FAKE_RULES)
class EffectsPageTests(NudgeTestCase):
    url = reverse("nudges:effects")

    def setUp(self) -> None:
        super().setUp()
        log(
            "fake",
            self.employee,
            "a",
            NOON,
            acted=True,
            acted_at=NOON + dt.timedelta(days=1),
            measured_at=NOON,
        )

    def test_admin_and_executive_see_the_figures(self) -> None:
        for user in (self.admin, self.executive):
            self.login(user)
            response = self.client.get(self.url, {"tahun": 2026})
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Pengingat uji")
            self.assertContains(response, 'data-acted="1"')

    def test_the_export_is_xlsx(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.url, {"tahun": 2026, "format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        self.assertEqual(response.content[:2], b"PK")

    def test_it_refuses_outsiders(self) -> None:
        for user in (
            self.camat,
            self.supervisor,
            self.employee,
            self.officer,
            self.other,
            self.other_officer,
        ):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, user.username)
            self.assertEqual(self.client.get(self.url, {"format": "xlsx"}).status_code, 403, user.username)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)  # anonymous: to the login page
