"""Plan pages: my plan, one plan with the reviewer's forms, my team, BKPP's coverage — for every persona."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from mumpuni.development import services
from mumpuni.development.models import DevelopmentPlan
from mumpuni.development.tests.fixtures import PlanTestCase
from mumpuni.learning.models import JpEntry
from mumpuni.testing import make_account, make_employee

S = DevelopmentPlan.Status


class MyPlanPageTests(PlanTestCase):
    def test_without_a_plan_it_offers_a_draft_from_the_gaps(self) -> None:
        self.login(self.employee)
        response = self.client.get(reverse("development:my"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Susun draf dari kesenjangan")
        self.assertContains(response, "T.ADK Administrasi kependudukan")
        self.assertContains(response, "Program ADK-1")

    def test_it_generates_a_draft_and_shows_the_jp_against_twenty(self) -> None:
        self.login(self.employee)
        response = self.client.post(reverse("development:create"), {"mode": "gaps", "tahun": self.year})
        self.assertRedirects(response, f"{reverse('development:my')}?tahun={self.year}")
        plan = DevelopmentPlan.objects.get(employee=self.employee_employee, year=self.year)
        self.assertTrue(plan.generated)
        response = self.client.get(reverse("development:my"))
        self.assertContains(response, 'data-planned-jp="22.0"')
        self.assertContains(response, 'aria-valuenow="100"')
        self.assertContains(response, "Ajukan ke atasan")
        self.assertContains(response, "Tambah sasaran")

    def test_an_empty_draft_shows_the_shortfall(self) -> None:
        self.login(self.employee)
        self.client.post(reverse("development:create"), {"mode": "empty"})
        plan = DevelopmentPlan.objects.get(employee=self.employee_employee)
        self.client.post(
            reverse("development:item_add", args=[plan.pk]), {"activity": "Coaching", "planned_jp": "8"}
        )
        response = self.client.get(reverse("development:my"))
        self.assertContains(response, 'aria-valuenow="40"')
        self.assertContains(response, "Kurang 12 JP")

    def test_a_bad_item_is_a_422_with_the_field_error(self) -> None:
        plan = self.draft()
        self.login(self.employee)
        response = self.client.post(
            reverse("development:item_add", args=[plan.pk]), {"activity": "Coaching", "planned_jp": "abc"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "JP harus berupa angka", status_code=422)

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.executive)  # no employee record
        self.assertEqual(self.client.get(reverse("development:my")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("development:my")).status_code, 302)


class PlanPageTests(PlanTestCase):
    def test_who_sees_a_plan(self) -> None:
        plan = self.proposed()
        url = reverse("development:plan", args=[plan.pk])
        for user, status in [
            (self.employee, 200),
            (self.supervisor, 200),
            (self.camat, 200),
            (self.admin, 200),
            (self.executive, 200),
            (self.officer, 404),  # a colleague
            (self.other, 404),  # camat of another kecamatan
            (self.other_officer, 404),
        ]:
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)
        self.assertEqual(Client().get(url).status_code, 302)

    def test_the_supervisor_sees_the_review_form_and_the_executive_does_not(self) -> None:
        plan = self.proposed()
        url = reverse("development:plan", args=[plan.pk])
        self.login(self.supervisor)
        self.assertContains(self.client.get(url), 'id="review-form"')
        self.login(self.executive)
        response = self.client.get(url)
        self.assertNotContains(response, 'id="review-form"')
        self.assertNotContains(response, 'id="actions"')

    def test_the_supervisor_agrees_through_the_page(self) -> None:
        plan = self.proposed()
        self.login(self.supervisor)
        response = self.client.post(reverse("development:step", args=[plan.pk, "setujui"]), {"comment": "Ok"})
        self.assertRedirects(response, reverse("development:plan", args=[plan.pk]))
        self.assertEqual(self.reload(plan).status, S.AGREED)

    def test_a_refused_step_shows_why(self) -> None:
        plan = self.proposed(jp="10")
        self.login(self.supervisor)
        response = self.client.post(reverse("development:step", args=[plan.pk, "setujui"]), follow=True)
        self.assertContains(response, "paling sedikit 20 JP")
        self.assertEqual(self.reload(plan).status, S.PROPOSED)
        response = self.client.post(
            reverse("development:step", args=[plan.pk, "kembalikan"]), {"comment": "Tambah 10 JP"}
        )
        self.assertEqual(self.reload(plan).status, S.DRAFT)

    def test_it_refuses_outsiders(self) -> None:
        plan = self.proposed()
        for user, status in [
            (self.other, 404),
            (self.officer, 404),
            (self.executive, 403),
            (self.employee, 403),
        ]:
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.post(reverse("development:step", args=[plan.pk, "setujui"]))
                self.assertEqual(response.status_code, status)
        self.assertEqual(self.reload(plan).status, S.PROPOSED)
        self.login(self.other)
        response = self.client.post(
            reverse("development:item_add", args=[plan.pk]), {"activity": "x", "planned_jp": "2"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(
            Client().post(reverse("development:step", args=[plan.pk, "setujui"])).status_code, 302
        )

    def test_the_owner_marks_an_item_done_with_a_ledger_line(self) -> None:
        plan = self.agreed()
        entry = JpEntry.objects.create(
            employee=self.employee_employee,
            occurred_on=dt.date(self.year, 1, 5),
            year=self.year,
            jp=Decimal("20"),
            source="import",
            note="Coaching",
        )
        item = plan.items.get()
        self.login(self.employee)
        self.client.post(reverse("development:item_done", args=[plan.pk, item.pk]), {"jp_entry": entry.pk})
        item.refresh_from_db()
        self.assertEqual(item.jp_entry, entry)
        self.assertEqual(self.reload(plan).status, S.IN_PROGRESS)

    def test_a_completed_plan_shows_no_forms(self) -> None:
        self.completed()
        self.login(self.employee)
        response = self.client.get(reverse("development:my"))
        self.assertContains(response, "dikunci")
        self.assertNotContains(response, 'id="actions"')
        self.assertNotContains(response, 'id="item-form"')
        self.assertContains(response, "Tuntas")


class EmployeePlanLinkTests(PlanTestCase):
    def test_it_leads_to_the_plan_of_the_year(self) -> None:
        plan = self.draft()
        url = reverse("development:employee", args=[self.employee_employee.nip])
        self.login(self.supervisor)
        self.assertRedirects(self.client.get(url), reverse("development:plan", args=[plan.pk]))
        self.login(self.employee)
        self.assertRedirects(self.client.get(url), f"{reverse('development:my')}?tahun={self.year}")
        self.login(self.supervisor)
        response = self.client.get(reverse("development:employee", args=[self.officer_employee.nip]))
        self.assertRedirects(response, reverse("employee_detail", args=[self.officer_employee.nip]))

    def test_it_refuses_outsiders(self) -> None:
        self.draft()
        url = reverse("development:employee", args=[self.employee_employee.nip])
        for user in (self.other, self.officer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, 404)


class TeamPageTests(PlanTestCase):
    def test_the_supervisor_sees_the_team_with_status_and_progress(self) -> None:
        plan = self.agreed()
        JpEntry.objects.create(
            employee=self.employee_employee,
            occurred_on=dt.date(self.year, 1, 5),
            year=self.year,
            jp=Decimal("6"),
            source="import",
        )
        services.item_mark_done(actor=self.employee, item=plan.items.get())
        self.login(self.supervisor)
        with self.assertNumQueries(10):
            response = self.client.get(reverse("development:team"))
        self.assertEqual(response.status_code, 200)
        rows = response.context["page"].object_list
        by_name = {e.name: e for e in rows}
        self.assertEqual(set(by_name), {"Agus Prasetyo", "Rina Kurniawati"})
        agus = by_name["Agus Prasetyo"]
        self.assertEqual((agus.plan_status, agus.items_done, agus.items_total), ("in_progress", 1, 1))
        self.assertEqual((agus.planned_jp, agus.jp_done), (Decimal("20"), Decimal("6")))
        self.assertIsNone(by_name["Rina Kurniawati"].plan_status)
        response = self.client.get(reverse("development:team"), {"status": "none"})
        self.assertEqual([e.name for e in response.context["page"].object_list], ["Rina Kurniawati"])

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.employee)  # no reports
        self.assertEqual(self.client.get(reverse("development:team")).status_code, 403)
        self.login(self.other)  # camat elsewhere: their team is not ours
        response = self.client.get(reverse("development:team"))
        self.assertNotContains(response, "Agus Prasetyo", status_code=response.status_code)
        self.assertEqual(Client().get(reverse("development:team")).status_code, 302)


class CoveragePageTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.kel_staff = [make_employee(f"Staf Bulusan {i}", cls.bulusan, None) for i in range(3)]

    def setUp(self) -> None:
        # Tembalang: employee agreed, officer draft, camat+supervisor none; Bulusan: 1 proposed of 3.
        self.agreed()
        self.draft(employee=self.officer_employee, user=self.officer)
        user = make_account("staf-bulusan", [("employee", None)], self.kel_staff[0])
        plan = self.draft(employee=self.kel_staff[0], user=user)
        services.plan_propose(actor=user, plan=plan)

    def test_it_counts_per_unit(self) -> None:
        self.login(self.admin)
        with self.assertNumQueries(11):
            response = self.client.get(reverse("development:coverage"), {"unit": "33.74.10"})
        c = response.context["c"]
        self.assertEqual(
            (c.total.employees, c.total.no_plan, c.total.draft, c.total.proposed, c.total.agreed),
            (7, 4, 1, 1, 1),
        )
        rows = {r.unit.code: r for r in c.rows}
        self.assertEqual(
            (rows["33.74.10"].employees, rows["33.74.10"].agreed, rows["33.74.10"].share), (4, 1, 25.0)
        )
        self.assertEqual((rows["33.74.10.1001"].employees, rows["33.74.10.1001"].proposed), (3, 1))
        city = self.client.get(reverse("development:coverage")).context["c"]
        self.assertEqual(city.root.code, "33.74")
        self.assertEqual(city.total.agreed, 1)
        self.assertEqual({r.unit.code: r.employees for r in city.rows}["33.74.11"], 2)

    def test_the_camat_sees_only_their_kecamatan(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("development:coverage"))
        self.assertEqual(response.context["c"].root.code, "33.74.10")
        self.assertEqual(
            self.client.get(reverse("development:coverage"), {"unit": "33.74.11"}).status_code, 404
        )
        self.assertEqual(self.client.get(reverse("development:coverage"), {"unit": "33.74"}).status_code, 404)

    def test_the_export_lists_everyone_with_their_status(self) -> None:
        self.login(self.executive)
        response = self.client.get(reverse("development:coverage_export"), {"unit": "33.74.10"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(response.content)).active
        rows = {r[1]: r[5] for r in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(rows["Agus Prasetyo"], "Disetujui")
        self.assertEqual(rows["Bambang Susilo"], "belum ada rencana")

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.employee, self.supervisor, self.officer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(reverse("development:coverage")).status_code, 403)
                self.assertEqual(self.client.get(reverse("development:coverage_export")).status_code, 403)
        self.assertEqual(Client().get(reverse("development:coverage")).status_code, 302)
