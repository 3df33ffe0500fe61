"""Recommendation pages: the employee's own (page and panel) and one employee's for their reviewers; every
outsider is refused without learning whether the person exists."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from mumpuni.development.tests.fixtures import PlanTestCase


class MyRecommendationsTests(PlanTestCase):
    def test_it_shows_the_ranked_list_with_every_part_of_the_score(self) -> None:
        self.login(self.employee)
        response = self.client.get(reverse("development:recommendations"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-code="ARS-1"')
        self.assertContains(response, "Menutup kesenjangan Kearsipan: tingkat 2 dari 3 yang disyaratkan")
        self.assertContains(response, "Anda masih kurang 20 JP tahun ini")
        self.assertContains(response, 'data-part="cost"')
        self.assertContains(response, "Cara penilaian")
        recs = response.context["recommendations"]
        self.assertEqual(recs[0].code, "ARS-1")

    def test_the_panel_for_the_my_development_page(self) -> None:
        self.login(self.employee)
        page = self.client.get(reverse("development:my"))
        self.assertContains(page, reverse("development:recommendations_panel"))
        response = self.client.get(reverse("development:recommendations_panel"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="recommendations-panel"')
        self.assertEqual(len(response.context["recommendations"]), 3)

    def test_an_account_without_an_employee_record_is_refused(self) -> None:
        self.login(self.executive)
        self.assertEqual(self.client.get(reverse("development:recommendations")).status_code, 403)

    def test_anonymous_users_go_to_the_login_page(self) -> None:
        response = Client().get(reverse("development:recommendations"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/akun/masuk/", response["Location"])


class EmployeeRecommendationsTests(PlanTestCase):
    def url(self) -> str:
        return reverse("development:recommendations_employee", args=[self.employee_employee.nip])

    def test_reviewers_see_the_employees_recommendations(self) -> None:
        for user in (self.supervisor, self.camat, self.admin, self.employee):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url())
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Agus Prasetyo")
                self.assertContains(response, 'data-code="ARS-1"')

    def test_it_refuses_outsiders(self) -> None:
        # another kecamatan's camat, a colleague at the counter, an executive (no purpose), a partner-less
        # officer elsewhere: all 404, as for a NIP that does not exist
        for user in (self.other, self.officer, self.executive, self.other_officer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.login(self.admin)
        missing = reverse("development:recommendations_employee", args=["199001012015031999"])
        self.assertEqual(self.client.get(missing).status_code, 404)


class RecommendCommandTests(PlanTestCase):
    def test_it_prints_the_parts_as_json(self) -> None:
        import json
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("recommend", self.employee_employee.nip, "--json", stdout=out)
        data = json.loads(out.getvalue())
        first = data["recommendations"][0]
        self.assertEqual(first["program"], "ARS-1")
        self.assertAlmostEqual(first["score"], sum(p["points"] for p in first["parts"]), places=0)
        self.assertEqual(
            first["parts"][0]["explanation"],
            "Menutup kesenjangan Kearsipan: tingkat 2 dari 3 yang disyaratkan",
        )

    def test_an_unknown_nip_is_an_error(self) -> None:
        from django.core.management import call_command
        from django.core.management.base import CommandError

        with self.assertRaises(CommandError):
            call_command("recommend", "199001012015031999")
