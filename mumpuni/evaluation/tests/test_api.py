"""API under /api/v1/evaluation/: results scoped like the page, L1 and L3 submissions with Indonesian
field errors, and refusals for outsiders."""

from __future__ import annotations

from typing import Any

from mumpuni.evaluation.models import Status
from mumpuni.evaluation.tests.fixtures import ANSWERS, EvaluationTestCase

BASE = "/api/v1/evaluation"


class EvaluationApiTests(EvaluationTestCase):
    def post(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.post(url, data, content_type="application/json")

    def test_results_are_scoped(self) -> None:
        self.open_l1()
        self.login(self.admin)
        body = self.client.get(f"{BASE}/results", {"group_by": "program"}).json()
        self.assertEqual(len(body["rows"]), 2)
        self.assertEqual(body["total"]["participants"], 5)
        ply = next(r for r in body["rows"] if r["key"] == f"p{self.program.pk}")
        self.assertEqual(ply["l2"]["normalised_gain"], 0.375)
        self.assertEqual(ply["l2"]["pass_rate"], 0.5)
        self.assertFalse(ply["l1"]["shown"])
        self.login(self.trainer)
        body = self.client.get(f"{BASE}/results").json()
        self.assertEqual([r["key"] for r in body["rows"]], [f"p{self.program.pk}"])

    def test_a_bad_grouping_is_a_422(self) -> None:
        self.login(self.admin)
        response = self.client.get(f"{BASE}/results", {"group_by": "unit"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("group_by", response.json()["errors"])

    def test_the_trainee_posts_a_reaction_with_field_errors_first(self) -> None:
        self.open_l1()
        self.login(self.employee)
        mine = self.client.get(f"{BASE}/reactions/me").json()
        self.assertEqual([m["status"] for m in mine], ["pending"])
        url = f"{BASE}/reactions/{mine[0]['id']}"
        response = self.post(url, {**ANSWERS, "usefulness": 0})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"]["usefulness"], ["Pilih nilai 1 sampai 5."])
        response = self.post(url, ANSWERS)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], Status.SUBMITTED)
        self.assertEqual(self.post(url, ANSWERS).status_code, 409)

    def test_the_supervisor_posts_an_assessment(self) -> None:
        self.open_l3()
        self.login(self.supervisor)
        items = self.client.get(f"{BASE}/behaviour-requests").json()
        request = next(i for i in items if i["employee_nip"] == self.employee_employee.nip)
        self.assertTrue(request["can_rate"])
        url = f"{BASE}/behaviour-requests/{request['id']}"
        first, second = (r["id"] for r in request["ratings"])
        response = self.post(url, {"ratings": [{"id": first, "change": 4, "observed_level": 3}]})
        self.assertEqual(response.status_code, 422)
        self.assertIn(f"ratings.{second}.change", response.json()["errors"])
        ratings = [{"id": r, "change": 4, "observed_level": 3, "comment": "Sigap"} for r in (first, second)]
        response = self.post(url, {"ratings": ratings})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], Status.SUBMITTED)

    def test_it_refuses_outsiders(self) -> None:
        self.open_l1()
        self.open_l3()
        form = self.form_of(self.employee_employee)
        request = self.request_of(self.employee_employee)
        ratings = [{"id": r.pk, "change": 3, "observed_level": 3} for r in request.ratings.all()]
        for user in (self.officer, self.trainer, self.other, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.post(f"{BASE}/reactions/{form.pk}", ANSWERS).status_code, 404)
        for user in (self.officer, self.trainer, self.other, self.employee):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.post(f"{BASE}/behaviour-requests/{request.pk}", {"ratings": ratings})
                self.assertEqual(response.status_code, 404)
        self.login(self.executive)  # sees, may not rate
        response = self.post(f"{BASE}/behaviour-requests/{request.pk}", {"ratings": ratings})
        self.assertEqual(response.status_code, 403)
        for user in (self.employee, self.supervisor):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(f"{BASE}/results").status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(f"{BASE}/results").status_code, 401)
