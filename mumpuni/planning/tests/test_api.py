"""The planning API: budget lines scoped as the page, run status, asking for a run (BKPP only)."""

from __future__ import annotations

from mumpuni.planning.models import Scenario, ScenarioRun, UnitBudget
from mumpuni.planning.tests.fixtures import PlanningTestCase, enrol


class PlanningApiTests(PlanningTestCase):
    def test_budget_lines_are_scoped(self) -> None:
        enrol(self.class_ply, self.employee_employee, "enrolled")
        UnitBudget.objects.create(year=self.year, unit=self.tembalang, source=self.apbd, amount=4_000_000)
        self.login(self.camat)
        response = self.client.get(f"/api/v1/planning/budget?year={self.year}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json()["lines"],
            [
                {
                    "level": "unit",
                    "unit": "33.74.10",
                    "source": "APBD",
                    "amount": 4_000_000,
                    "committed": 1_000_000,
                    "realised": 0,
                    "remaining": 3_000_000,
                }
            ],
        )
        self.login(self.admin)
        levels = [
            line["level"]
            for line in self.client.get(f"/api/v1/planning/budget?year={self.year}").json()["lines"]
        ]
        self.assertIn("kota", levels)

    def test_run_status_and_request(self) -> None:
        scenario = Scenario.objects.create(
            name="API", year=self.year, budget=3_000_000, max_jp_per_employee=60
        )
        self.login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"/api/v1/planning/scenarios/{scenario.pk}/runs")
        self.assertEqual(response.status_code, 202)
        run_id = response.json()["id"]
        self.login(self.executive)
        body = self.client.get(f"/api/v1/planning/runs/{run_id}").json()
        self.assertEqual((body["status"], body["outcome"], body["progress"]), ("done", "optimal", 100))
        self.assertEqual(body["gap_closed_percent"], 100.0)

    def test_it_refuses_outsiders(self) -> None:
        scenario = Scenario.objects.create(name="API", year=self.year, budget=3_000_000)
        run = ScenarioRun.objects.create(scenario=scenario)
        for user in (self.employee, self.supervisor):
            self.login(user)
            self.assertEqual(self.client.get(f"/api/v1/planning/budget?year={self.year}").status_code, 403)
            self.assertEqual(self.client.get(f"/api/v1/planning/runs/{run.pk}").status_code, 403)
        for user in (self.executive, self.camat, self.employee):
            self.login(user)
            self.assertEqual(
                self.client.post(f"/api/v1/planning/scenarios/{scenario.pk}/runs").status_code, 403
            )
        self.assertEqual(ScenarioRun.objects.count(), 1)
