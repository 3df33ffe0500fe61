"""The budget page, its XLSX export and BKPP's budget forms, persona by persona."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from mumpuni.planning.models import Budget, UnitBudget
from mumpuni.planning.tests.fixtures import PlanningTestCase, enrol


class BudgetPageTests(PlanningTestCase):
    def setUp(self) -> None:
        super().setUp()
        enrol(self.class_ply, self.employee_employee, "enrolled")
        UnitBudget.objects.create(year=self.year, unit=self.tembalang, source=self.apbd, amount=4_000_000)
        UnitBudget.objects.create(year=self.year, unit=self.banyumanik, source=self.apbd, amount=3_000_000)
        self.url = f"{reverse('planning:budget')}?tahun={self.year}"

    def test_admin_sees_city_lines_unit_lines_and_forms(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-source="APBD" data-remaining="9000000"')
        self.assertContains(response, 'data-unit="33.74.10" data-remaining="3000000"')
        self.assertContains(response, 'data-unit="33.74.11"')
        self.assertContains(response, reverse("planning:budget_set"))

    def test_executive_reads_without_forms(self) -> None:
        self.login(self.executive)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-source="APBD"')
        self.assertNotContains(response, reverse("planning:budget_set"))

    def test_unit_head_sees_only_their_unit(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-unit="33.74.10"')
        self.assertNotContains(response, 'data-unit="33.74.11"')
        self.assertNotContains(response, 'data-source="APBD"')
        self.assertNotContains(response, reverse("planning:unit_budget_set"))

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.employee, self.supervisor, self.officer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.get(reverse("planning:budget_export")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_export_lists_the_lines_the_user_may_see(self) -> None:
        self.login(self.camat)
        response = self.client.get(f"{reverse('planning:budget_export')}?tahun={self.year}")
        self.assertEqual(response.status_code, 200)
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "tingkat")
        self.assertEqual([(r[0], r[1], r[9]) for r in rows[1:]], [("unit", "33.74.10", "3000000")])
        self.login(self.admin)
        rows = list(
            load_workbook(
                io.BytesIO(self.client.get(f"{reverse('planning:budget_export')}?tahun={self.year}").content)
            ).active.iter_rows(values_only=True)
        )
        self.assertIn(("kota", "APBD Kota", "9000000"), [(r[0], r[3], r[9]) for r in rows[1:]])


class BudgetFormTests(PlanningTestCase):
    def test_admin_sets_a_unit_budget(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("planning:unit_budget_set"),
            {"year": self.year, "unit": "33.74.10", "source": self.apbd.pk, "amount": "2500000"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(UnitBudget.objects.get(unit=self.tembalang).amount, 2_500_000)

    def test_too_large_a_unit_budget_is_a_field_error_in_indonesian(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("planning:unit_budget_set"),
            {"year": self.year, "unit": "33.74.10", "source": self.apbd.pk, "amount": "10000001"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(
            response, "Melebihi sisa pagu kota yang belum dibagi (Rp 10.000.000).", status_code=422
        )
        self.assertFalse(UnitBudget.objects.exists())

    def test_a_non_number_is_a_field_error(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("planning:budget_set"), {"year": self.year, "source": self.apbd.pk, "amount": "banyak"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Masukkan bilangan bulat rupiah.", status_code=422)
        self.assertEqual(Budget.objects.get(source=self.apbd).amount, 10_000_000)

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.executive, self.camat, self.employee):
            self.login(user)
            response = self.client.post(
                reverse("planning:budget_set"), {"year": self.year, "source": self.apbd.pk, "amount": "1"}
            )
            self.assertEqual(response.status_code, 403)
            response = self.client.post(
                reverse("planning:unit_budget_set"),
                {"year": self.year, "unit": "33.74.10", "source": self.apbd.pk, "amount": "1"},
            )
            self.assertEqual(response.status_code, 403)
        self.assertEqual(Budget.objects.get(source=self.apbd).amount, 10_000_000)
        self.assertFalse(UnitBudget.objects.exists())


class BudgetQueryCountTests(PlanningTestCase):
    def count_queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.login(self.admin)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(f"{reverse('planning:budget')}?tahun={self.year}")
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def test_the_page_does_not_query_per_line(self) -> None:
        UnitBudget.objects.create(year=self.year, unit=self.tembalang, source=self.apbd, amount=1_000_000)
        enrol(self.class_ply, self.employee_employee, "enrolled")
        few = self.count_queries()
        UnitBudget.objects.create(year=self.year, unit=self.banyumanik, source=self.apbd, amount=1_000_000)
        enrol(self.class_ply, self.other_employee, "completed")
        enrol(self.class_adk, self.officer_employee, "nominated")
        enrol(self.class_keu, self.supervisor_employee, "enrolled")
        self.assertEqual(self.count_queries(), few)
