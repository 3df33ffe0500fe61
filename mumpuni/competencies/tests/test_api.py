"""/api/v1/competencies/: dictionary, requirements, assessments and gaps, scoped, with Indonesian 422s."""

from __future__ import annotations

from mumpuni.competencies.models import Assessment
from mumpuni.competencies.tests.base import CompetencyTestCase

URL = "/api/v1/competencies"


class CompetencyApiTests(CompetencyTestCase):
    def test_it_refuses_outsiders(self) -> None:
        self.assertEqual(self.client.get(f"{URL}/").status_code, 401)
        self.login(self.other)
        self.assertEqual(
            self.client.get(f"{URL}/employees/{self.employee_employee.nip}/gaps").status_code, 404
        )
        self.assertEqual(self.client.get(f"{URL}/units/33.74.10/gaps").status_code, 404)
        self.assertEqual(
            self.client.get(f"{URL}/positions/{self.pos_staff.code}/requirements").status_code, 404
        )
        r = self.client.post(
            f"{URL}/assessments",
            {"nip": self.employee_employee.nip, "competency": "T.ADK", "level": 4},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 404)

    def test_it_lists_and_gets_competencies(self) -> None:
        self.login(self.employee)
        r = self.client.get(f"{URL}/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual({c["code"] for c in r.json()}, {"M.01", "SK.01", "T.ADK"})
        r = self.client.get(f"{URL}/M.01")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(r.json()["levels"]), 5)
        self.assertEqual(self.client.get(f"{URL}/X.99").status_code, 404)

    def test_it_resolves_position_requirements(self) -> None:
        self.login(self.camat)
        r = self.client.get(f"{URL}/positions/{self.pos_kasi.code}/requirements")
        self.assertEqual(r.status_code, 200)
        got = {row["competency"]: (row["required_level"], row["explicit"]) for row in r.json()}
        self.assertEqual(got, {"M.01": (3, True), "SK.01": (2, False)})

    def test_it_gives_employee_and_unit_gaps(self) -> None:
        self.login(self.camat)
        r = self.client.get(f"{URL}/employees/{self.officer_employee.nip}/gaps")
        self.assertEqual(r.status_code, 200)
        rows = {row["competency"]: row for row in r.json()}
        self.assertEqual((rows["T.ADK"]["gap"], rows["M.01"]["gap"]), (2, None))
        r = self.client.get(f"{URL}/units/33.74.10/gaps")
        self.assertEqual(r.status_code, 200)
        first = r.json()[0]
        self.assertEqual((first["competency"], first["below"], first["mean_gap"]), ("T.ADK", 2, 1.5))

    def test_it_lists_and_creates_assessments(self) -> None:
        self.login(self.supervisor)
        r = self.client.get(f"{URL}/employees/{self.employee_employee.nip}/assessments")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["count"], 2)
        r = self.client.post(
            f"{URL}/assessments",
            {"nip": self.employee_employee.nip, "competency": "T.ADK", "level": 3, "note": "API"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json()["source"], "supervisor")
        self.assertTrue(Assessment.objects.filter(note="API", assessor=self.supervisor).exists())

    def test_it_answers_422_in_indonesian(self) -> None:
        self.login(self.supervisor)
        r = self.client.post(
            f"{URL}/assessments",
            {"nip": self.employee_employee.nip, "competency": "T.ADK", "level": 9, "source": "teman"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 422)
        errors = r.json()["errors"]
        self.assertEqual(errors["level"], ["Paling besar 5."])
        self.assertIn("source", errors)
        r = self.client.post(
            f"{URL}/assessments",
            {"nip": self.employee_employee.nip, "competency": "T.NOPE", "level": 2},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"]["competency"], ["Kode kompetensi tidak ada di kamus."])

    def test_it_refuses_an_employee_rating_themselves_as_supervisor(self) -> None:
        self.login(self.employee)
        r = self.client.post(
            f"{URL}/assessments",
            {"nip": self.employee_employee.nip, "competency": "T.ADK", "level": 5, "source": "supervisor"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 403)
        r = self.client.post(
            f"{URL}/assessments",
            {"nip": self.employee_employee.nip, "competency": "T.ADK", "level": 5, "source": "self"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201)

    def test_it_withdraws_only_for_the_assessor_or_bkpp(self) -> None:
        assessment = Assessment.objects.filter(employee=self.employee_employee, competency=self.tadk).first()
        self.login(self.other)
        self.assertEqual(self.client.post(f"{URL}/assessments/{assessment.pk}/withdraw").status_code, 404)
        self.login(self.camat)
        self.assertEqual(self.client.post(f"{URL}/assessments/{assessment.pk}/withdraw").status_code, 403)
        self.login(self.admin)
        r = self.client.post(f"{URL}/assessments/{assessment.pk}/withdraw")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.json()["withdrawn"])
        assessment.refresh_from_db()
        self.assertIsNotNone(assessment.withdrawn_at)
        self.assertEqual(self.client.post(f"{URL}/assessments/{assessment.pk}/withdraw").status_code, 422)
