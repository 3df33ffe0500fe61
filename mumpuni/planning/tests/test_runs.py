"""Scenario runs end to end (the Celery task runs eagerly on commit): feasibility of the returned plan,
an infeasible scenario's message, the explanation page, comparing runs, accepting a plan (nominations
once) and who may do what."""

from __future__ import annotations

import io
from collections import defaultdict

from django.urls import reverse
from openpyxl import load_workbook

from mumpuni.common.errors import ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.learning.models import Enrollment
from mumpuni.planning import services
from mumpuni.planning.models import PlannedAssignment, Scenario, ScenarioRun
from mumpuni.planning.runner import execute_run
from mumpuni.planning.tests.fixtures import PlanningTestCase


class RunTestCase(PlanningTestCase):
    def make_scenario(self, **extra: object) -> Scenario:
        values: dict[str, object] = {
            "actor": self.admin,
            "name": "Uji",
            "year": self.year,
            "budget": 5_000_000,
        }
        values.update(extra)
        return services.scenario_create(**values)  # type: ignore[arg-type]

    def solve(self, scenario: Scenario) -> ScenarioRun:
        with self.captureOnCommitCallbacks(execute=True):
            run = services.run_request(actor=self.admin, scenario=scenario)
        run.refresh_from_db()
        return run

    def assert_feasible(self, run: ScenarioRun) -> None:
        """The stored plan keeps every constraint of its instance."""
        instance = run.instance
        programs = {p["code"]: p for p in instance["programs"]}
        employees = {e["id"]: e for e in instance["employees"]}
        rows = list(run.assignments.select_related("employee", "program"))
        cost = sum(programs[a.program.code]["cost"] for a in rows)
        self.assertLessEqual(cost, instance["budget"])
        self.assertEqual(cost, run.cost)
        seats: dict[str, int] = defaultdict(int)
        jp: dict[str, float] = defaultdict(float)
        unit_cost: dict[str, int] = defaultdict(int)
        for a in rows:
            seats[a.program.code] += 1
            jp[a.employee.nip] += float(programs[a.program.code]["jp"])
            unit_cost[employees[a.employee.nip]["unit"]] += programs[a.program.code]["cost"]
        for code, n in seats.items():
            if "seats" in programs[code]:
                self.assertLessEqual(n, programs[code]["seats"])
        for total in jp.values():
            self.assertLessEqual(total, instance["max_jp_per_employee"])
        for unit, amount in unit_cost.items():
            if unit in instance["unit_budgets"]:
                self.assertLessEqual(amount, instance["unit_budgets"][unit])
        chosen = {(a.employee.nip, a.program.code) for a in rows}
        for pair in instance["mandatory"]:
            self.assertIn((pair["employee"], pair["program"]), chosen)


class ScenarioRunTests(RunTestCase):
    def test_a_run_finds_the_hand_worked_optimum(self) -> None:
        # JP cap 20: each person takes one of PLY (16 JP, Rp 1 jt, T.PLY +2) or ONLINE (10 JP, free, +1).
        # Agus (weight 1): PLY closes T.PLY 2 → 2. Rina (front line, 1.5): T.PLY gap 1 → 1.5. Optimum 3.5.
        run = self.solve(self.make_scenario(max_jp_per_employee=20))
        self.assertEqual((run.status, run.outcome, run.progress), ("done", "optimal", 100))
        self.assertAlmostEqual(run.objective, 3.5)
        self.assertAlmostEqual(run.total_weighted_gap, 1 * 3 + 1.5 * 3)
        self.assert_feasible(run)
        agus = PlannedAssignment.objects.get(run=run, employee=self.employee_employee)
        self.assertEqual((agus.program, agus.closes, agus.value), (self.p_ply, {"T.PLY": 2}, 2.0))
        self.assertEqual(run.result["people_reached"], 2)

    def test_a_generous_run_closes_every_gap_within_the_constraints(self) -> None:
        run = self.solve(self.make_scenario(max_jp_per_employee=60, budget=3_000_000))
        self.assertEqual(run.outcome, "optimal")
        self.assertAlmostEqual(run.objective, run.total_weighted_gap)
        self.assertEqual(run.gap_closed_percent, 100.0)
        self.assert_feasible(run)

    def test_an_infeasible_scenario_says_why(self) -> None:
        scenario = self.make_scenario(budget=1_000_000, mandatory_pairs=f"{self.employee_employee.nip} ADK")
        run = self.solve(scenario)
        self.assertEqual((run.status, run.outcome), ("done", "infeasible"))
        self.assertFalse(run.assignments.exists())
        self.assertTrue(any("anggaran" in reason for reason in run.result["reasons"]))
        self.assertIn("Program wajib saja sudah butuh Rp 2.000.000", run.result["our_reasons"][0])
        self.login(self.admin)
        response = self.client.get(reverse("planning:run", args=[run.pk]))
        self.assertContains(response, 'id="infeasible"')
        self.assertContains(response, "Rp 2.000.000, melebihi anggaran skenario Rp 1.000.000")
        with self.assertRaises(ValidationFailed):
            services.run_accept(actor=self.admin, run=run)

    def test_a_run_is_claimed_once(self) -> None:
        run = self.solve(self.make_scenario())
        count = run.assignments.count()
        execute_run(run.pk)  # a duplicated message: nothing happens
        self.assertEqual(run.assignments.count(), count)
        scenario = self.make_scenario()
        ScenarioRun.objects.create(scenario=scenario, status="running")
        with self.assertRaises(ValidationFailed):
            services.run_request(actor=self.admin, scenario=scenario)


class AcceptTests(RunTestCase):
    def test_accepting_nominates_once(self) -> None:
        run = self.solve(self.make_scenario(max_jp_per_employee=20))
        counts = services.run_accept(actor=self.admin, run=run)
        agus = PlannedAssignment.objects.get(run=run, employee=self.employee_employee)
        self.assertEqual(agus.acceptance, "nominated")
        enrollment = Enrollment.objects.get(employee=self.employee_employee, training_class=self.class_ply)
        self.assertEqual(enrollment.status, Enrollment.Status.NOMINATED)
        self.assertEqual(agus.enrollment, enrollment)
        self.assertEqual(
            counts["nominated"] + counts["needs_class"] + counts["refused"], run.assignments.count()
        )
        for a in run.assignments.filter(program=self.p_online):
            self.assertEqual(a.acceptance, "needs_class")  # no class of the e-learning programme
        before = Enrollment.objects.count()
        self.assertEqual(services.run_accept(actor=self.admin, run=run), {"already": 1})
        self.assertEqual(Enrollment.objects.count(), before)
        run.refresh_from_db()
        self.assertEqual(run.accepted_by, self.admin)
        self.assertTrue(
            AuditEntry.objects.filter(
                object_type="planning.scenariorun", object_id=str(run.pk), action="update"
            ).exists()
        )

    def test_accept_page_is_admin_only(self) -> None:
        run = self.solve(self.make_scenario(max_jp_per_employee=20))
        url = reverse("planning:run_accept", args=[run.pk])
        for user in (self.executive, self.camat, self.employee):
            self.login(user)
            self.assertEqual(self.client.post(url).status_code, 403)
        run.refresh_from_db()
        self.assertIsNone(run.accepted_at)
        self.login(self.admin)
        self.assertEqual(self.client.post(url).status_code, 302)
        self.assertEqual(self.client.post(url).status_code, 302)  # the second click changes nothing
        self.assertEqual(Enrollment.objects.filter(status="nominated").count(), 1 + 0)


class ScenarioPageTests(RunTestCase):
    def test_admin_creates_and_runs_a_scenario_from_the_pages(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("planning:scenarios"),
            {
                "name": "Rencana uji",
                "year": self.year,
                "budget": "4000000",
                "units": [self.tembalang.pk],
                "max_jp_per_employee": "60",
                "default_seats": "30",
                "time_limit_seconds": "10",
                "variant": "optimal",
            },
        )
        scenario = Scenario.objects.get(name="Rencana uji")
        self.assertRedirects(response, reverse("planning:scenario", args=[scenario.pk]))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("planning:scenario_run", args=[scenario.pk]))
        run = scenario.runs.get()
        self.assertRedirects(response, reverse("planning:run", args=[run.pk]))
        response = self.client.get(reverse("planning:run", args=[run.pk]))
        self.assertContains(response, 'data-closed="100.0"')
        progress = self.client.get(reverse("planning:run_progress", args=[run.pk]))
        self.assertContains(progress, "Selesai")
        self.assertNotContains(progress, "hx-trigger")

    def test_a_bad_scenario_form_shows_field_errors(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("planning:scenarios"),
            {
                "name": "X",
                "year": self.year,
                "budget": "1",
                "mandatory_pairs": "199999999999999999 PLY",
                "max_jp_per_employee": "60",
                "default_seats": "30",
                "time_limit_seconds": "10",
                "variant": "optimal",
            },
        )
        self.assertContains(response, "NIP 199999999999999999 tidak dikenal", status_code=422)
        self.assertFalse(Scenario.objects.exists())

    def test_the_explanation_shows_value_closes_and_weight_parts(self) -> None:
        run = self.solve(self.make_scenario(max_jp_per_employee=20))
        self.login(self.executive)
        response = self.client.get(reverse("planning:explain", args=[run.pk, self.officer_employee.nip]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-part="front_line"')
        self.assertContains(response, 'data-weight="1.5"')
        self.assertContains(response, 'data-value="1.5"')
        self.assertContains(response, "T.PLY +1")
        missing = self.client.get(reverse("planning:explain", args=[run.pk, self.other_employee.nip]))
        self.assertEqual(missing.status_code, 404)

    def test_comparing_runs_side_by_side(self) -> None:
        tight = self.solve(self.make_scenario(max_jp_per_employee=20))
        loose = self.solve(self.make_scenario(max_jp_per_employee=60, budget=3_000_000))
        self.login(self.executive)
        url = f"{reverse('planning:compare')}?run={tight.pk}&run={loose.pk}"
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-closed="46.7"')  # 3.5 of 7.5
        self.assertContains(response, 'data-closed="100.0"')
        self.assertContains(response, 'data-unit="33.74.10"')
        export = self.client.get(f"{reverse('planning:compare_export')}?run={tight.pk}&run={loose.pk}")
        rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
        closed = next(r for r in rows if r[0] == "% kesenjangan berbobot tertutup")
        self.assertEqual(closed[1:], ("46.7", "100"))  # the XLSX cells are text

    def test_executive_reads_but_does_not_write(self) -> None:
        scenario = self.make_scenario()
        run = self.solve(scenario)
        self.login(self.executive)
        for name, args in (
            ("scenarios", []),
            ("scenario", [scenario.pk]),
            ("run", [run.pk]),
            ("weights", []),
        ):
            self.assertEqual(self.client.get(reverse(f"planning:{name}", args=args)).status_code, 200)
        self.assertEqual(self.client.get(reverse("planning:run_export", args=[run.pk])).status_code, 200)
        self.assertEqual(
            self.client.post(reverse("planning:scenario_run", args=[scenario.pk])).status_code, 403
        )
        self.assertEqual(
            self.client.post(reverse("planning:scenario_derive", args=[scenario.pk, "plus20"])).status_code,
            403,
        )
        self.assertEqual(self.client.post(reverse("planning:scenarios"), {"name": "x"}).status_code, 403)
        self.assertEqual(self.client.post(reverse("planning:weights"), {"part": "weights"}).status_code, 403)
        self.assertEqual(Scenario.objects.count(), 1)

    def test_it_refuses_outsiders(self) -> None:
        scenario = self.make_scenario()
        run = self.solve(scenario)
        urls = [
            reverse("planning:scenarios"),
            reverse("planning:scenario", args=[scenario.pk]),
            reverse("planning:run", args=[run.pk]),
            reverse("planning:run_progress", args=[run.pk]),
            reverse("planning:run_export", args=[run.pk]),
            reverse("planning:explain", args=[run.pk, self.employee_employee.nip]),
            reverse("planning:compare"),
            reverse("planning:weights"),
        ]
        for user in (self.camat, self.supervisor, self.employee, self.officer):
            self.login(user)
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, 403, (user, url))
