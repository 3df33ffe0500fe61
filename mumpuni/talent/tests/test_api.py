"""Talent API: 9-box counts (scoped), the shortlist (BKPP) and applying with field errors."""

from __future__ import annotations

from mumpuni.talent.models import Application
from mumpuni.talent.tests.fixtures import TalentTestCase

BASE = "/api/v1/talent"


class NineBoxApiTests(TalentTestCase):
    def test_counts_for_the_camat(self) -> None:
        self.login(self.camat)
        response = self.client.get(f"{BASE}/ninebox", {"year": self.year})
        self.assertEqual(response.status_code, 200)
        body = response.json()
        counts = {c["box"]: c["count"] for c in body["cells"]}
        self.assertEqual((counts[8], counts[7], counts[9]), (1, 1, 0))
        self.assertEqual(body["unit_code"], "33.74.10")
        self.assertEqual(body["pool"], 2)

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.other)
        self.assertEqual(self.client.get(f"{BASE}/ninebox", {"unit": "33.74.10"}).status_code, 404)
        counts = {
            c["box"]: c["count"]
            for c in self.client.get(f"{BASE}/ninebox", {"year": self.year}).json()["cells"]
        }
        self.assertEqual(counts[8], 0)
        self.login(self.employee)
        self.assertEqual(self.client.get(f"{BASE}/ninebox").status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(f"{BASE}/ninebox").status_code, 401)


class ShortlistApiTests(TalentTestCase):
    def test_admin_reads_the_ranked_shortlist(self) -> None:
        self.apply()
        self.login(self.admin)
        response = self.client.get(f"{BASE}/programs/{self.program.code}/shortlist")
        self.assertEqual(response.status_code, 200)
        (first,) = response.json()
        self.assertEqual(
            (first["rank"], first["nip"], first["eligible"], first["box"]),
            (1, self.employee_employee.nip, True, 8),
        )

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.camat, self.executive, self.employee):
            self.login(user)
            self.assertEqual(
                self.client.get(f"{BASE}/programs/{self.program.code}/shortlist").status_code, 403
            )


class ApplicationApiTests(TalentTestCase):
    def test_the_employee_applies(self) -> None:
        self.login(self.employee)
        response = self.client.post(
            f"{BASE}/applications",
            {"program": self.program.code, "motivation": "S2"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], "applied")
        self.assertTrue(Application.objects.filter(employee=self.employee_employee).exists())

    def test_field_errors(self) -> None:
        self.login(self.supervisor)
        response = self.client.post(
            f"{BASE}/applications", {"program": self.program.code}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("Golongan", " ".join(response.json()["errors"]["eligibility"]))
        response = self.client.post(
            f"{BASE}/applications", {"program": "TIDAK-ADA"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("program", response.json()["errors"])

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.camat)
        response = self.client.post(
            f"{BASE}/applications",
            {"program": self.program.code, "nip": self.employee_employee.nip},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 404)
        self.login(self.executive)
        response = self.client.post(
            f"{BASE}/applications", {"program": self.program.code}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 403)
