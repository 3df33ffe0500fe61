"""The national decomposition (solver/national.py): feasible plans, honest bounds, limits, bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from mumpuni.planning.solver import InstanceError, solve, solve_problem, validate_instance
from mumpuni.planning.solver.mip import solve_mip
from mumpuni.planning.solver.national import _build_types, national_problem, solve_national
from mumpuni.planning.solver.plan import infeasibility_reasons, objective, violations
from mumpuni.planning.solver.synthetic import city_instance

from .test_solver import _arrays, _brute_force, _tiny


def _check_plan(problem, outcome):
    assert violations(problem, outcome.emp, outcome.prog) == []
    assert outcome.objective == pytest.approx(objective(problem, outcome.emp, outcome.prog))
    assert outcome.bound >= outcome.objective - 1e-6
    if len(problem.mandatory_employee):
        have = set(zip(outcome.emp.tolist(), outcome.prog.tolist(), strict=True))
        need = set(zip(problem.mandatory_employee.tolist(), problem.mandatory_program.tolist(), strict=True))
        assert need <= have


class TestFeasibility:
    @pytest.mark.parametrize("seed", range(1, 7))
    def test_every_plan_on_random_national_instances_is_feasible(self, seed):
        problem = national_problem(employees=3000, programs=60, technical=30, families=6, units=12, seed=seed)
        assert infeasibility_reasons(problem) == []
        outcome = solve_national(problem, time_limit=None, max_iterations=40)
        _check_plan(problem, outcome)
        assert outcome.greedy_objective is not None
        assert outcome.greedy_objective <= outcome.bound + 1e-6

    @pytest.mark.parametrize("seed", [2, 4])
    def test_every_plan_on_city_like_instances_is_feasible(self, seed):
        problem = validate_instance(
            city_instance(employees=600, programs=20, units=4, seed=seed, mandatory=30)
        )
        outcome = solve_national(problem, time_limit=None, max_iterations=60)
        _check_plan(problem, outcome)

    def test_binding_unit_budgets_and_seats_still_hold(self):
        problem = national_problem(employees=2000, programs=40, technical=20, families=4, units=6, seed=9)
        problem.unit_budget = np.where(np.isfinite(problem.unit_budget), problem.unit_budget * 0.3, 5e8)
        problem.seats = np.maximum(problem.seats // 4, 1)
        reasons = infeasibility_reasons(problem)
        if reasons:  # the cut made the mandatory plan itself infeasible: nothing to test on this seed
            pytest.skip(reasons[0])
        outcome = solve_national(problem, time_limit=None, max_iterations=40)
        _check_plan(problem, outcome)
        spent = np.bincount(problem.unit[outcome.emp], weights=problem.cost[outcome.prog], minlength=6)
        assert np.all(spent <= problem.unit_budget + 1e-6)

    def test_a_partly_closing_mandatory_programme_is_not_assigned_twice(self):
        instance = {
            "budget": 10_000_000,
            "max_jp_per_employee": 80,
            "competencies": [{"code": "M.01", "importance": 1.0}],
            "programs": [
                {"code": "A", "cost": 1_000_000, "jp": 8, "seats": 5, "uplift": {"M.01": 1}},
                {"code": "B", "cost": 3_000_000, "jp": 8, "seats": 5, "uplift": {"M.01": 1}},
            ],
            "employees": [
                {"id": "E1", "weight": 1.0, "unit": "U", "gaps": {"M.01": 2}},
                {"id": "E2", "weight": 1.0, "unit": "U", "gaps": {"M.01": 2}},
            ],
            "mandatory": [{"employee": "E1", "program": "A"}],
        }
        problem = validate_instance(instance)
        outcome = solve_national(problem, time_limit=None)
        _check_plan(problem, outcome)  # includes "no duplicate pair"
        assert outcome.objective == pytest.approx(4.0)  # E1: A + B, E2: A + B

    def test_employees_with_equal_profiles_share_one_type(self):
        problem = national_problem(employees=5000, programs=40, technical=12, families=3, units=5, seed=3)
        types = _build_types(problem)
        assert len(types.type_profile) < problem.n_employees
        assert int(types.type_count.sum()) == len(types.employees)
        # Every employee of a type has the representative's gaps and weight.
        for t in range(0, len(types.type_profile), max(1, len(types.type_profile) // 25)):
            members = types.employees[types.type_start[t] : types.type_start[t + 1]]
            q = types.type_profile[t]
            comps = types.prof_comp[types.prof_indptr[q] : types.prof_indptr[q + 1]].tolist()
            for e in members[:5]:
                if e in set(problem.mandatory_employee.tolist()):
                    continue
                lo, hi = problem.gap_indptr[e], problem.gap_indptr[e + 1]
                assert problem.gap_comp[lo:hi].tolist() == comps
                assert problem.weight[e] == types.weights[types.type_weight[t]]


class TestImprovedRepair:
    """The repairs tried without a master and the chunked master (forced on small instances)."""

    def _spy(self, monkeypatch):
        import mumpuni.planning.solver.national as national

        calls = []
        original = national._primal

        def spy(problem, types, pats, *args, **kwargs):
            assigned, value = original(problem, types, pats, *args, **kwargs)
            calls.append(
                (kwargs.get("priority_mode", "net"), value, national._plan_pairs(problem, pats, assigned))
            )
            return assigned, value

        monkeypatch.setattr(national, "_primal", spy)
        return national, calls

    @pytest.mark.parametrize("seed", range(1, 6))
    def test_every_repair_is_feasible_and_the_kept_plan_is_not_below_the_plain_repair(
        self, monkeypatch, seed
    ):
        national, calls = self._spy(monkeypatch)
        monkeypatch.setattr(national, "MASTER_MAX_TYPES", 0)  # no master: the REPAIRS at the best prices
        monkeypatch.setattr(national, "MASTER_MAX_CHUNKS", 0)
        problem = national_problem(employees=3000, programs=60, technical=30, families=6, units=12, seed=seed)
        outcome = solve_national(problem, time_limit=None, max_iterations=40, with_greedy=False)
        _check_plan(problem, outcome)
        modes = {mode for mode, _, _ in calls}
        assert {"net", "reduced"} <= modes
        for _, value, (emp, prog) in calls:
            assert violations(problem, emp, prog) == []
            assert value == pytest.approx(objective(problem, emp, prog))
        plain = max(value for mode, value, _ in calls if mode == "net")
        assert outcome.objective >= plain - 1e-6
        assert outcome.objective == pytest.approx(max(value for _, value, _ in calls))

    @pytest.mark.parametrize("seed", [1, 3, 7])
    def test_a_chunked_master_gives_feasible_plans_and_an_honest_bound(self, monkeypatch, seed):
        national, calls = self._spy(monkeypatch)
        monkeypatch.setattr(national, "MASTER_MAX_TYPES", 40)
        monkeypatch.setattr(national, "MASTER_CHUNK_TYPES", 25)
        monkeypatch.setattr(national, "MASTER_MAX_CHUNKS", 1000)
        problem = national_problem(employees=3000, programs=60, technical=30, families=6, units=12, seed=seed)
        problem.seats = np.maximum(problem.seats // 2, 1)
        if infeasibility_reasons(problem):
            pytest.skip("the cut made the mandatory plan infeasible")
        outcome = solve_national(problem, time_limit=None, max_iterations=40, with_greedy=False)
        _check_plan(problem, outcome)
        assert outcome.stats["master_chunks"] > 1
        for _, _, (emp, prog) in calls:
            assert violations(problem, emp, prog) == []


class TestHonestBound:
    @pytest.mark.parametrize("seed", range(12))
    def test_the_bound_is_never_below_the_brute_force_optimum(self, seed):
        instance = _tiny(seed)
        problem = validate_instance(instance)
        best = _brute_force(problem)
        result = solve(instance, method="national")
        if best is None:
            assert result["status"] == "infeasible"
            return
        assert result["method"] == "national"
        assert violations(problem, *_arrays(problem, result)) == []
        assert result["objective"] <= best + 1e-6
        assert result["bound"] >= best - 1e-6

    @pytest.mark.parametrize("seed", [1, 5])
    def test_the_bound_is_never_below_the_mip_optimum(self, seed):
        problem = national_problem(employees=60, programs=12, technical=6, families=2, units=3, seed=seed)
        mip = solve_mip(problem, time_limit=None, rel_gap=0.0)
        assert mip.optimal and mip.emp is not None
        best = objective(problem, mip.emp, mip.prog)
        outcome = solve_national(problem, time_limit=None)
        _check_plan(problem, outcome)
        assert outcome.objective <= best + 1e-6
        assert outcome.bound >= best - 1e-6


class TestLimitsAndInputs:
    def test_a_tiny_time_limit_still_returns_a_feasible_plan_and_an_honest_gap(self):
        problem = national_problem(employees=8000, programs=60, technical=30, families=6, units=10, seed=4)
        outcome = solve_national(problem, time_limit=0.01)
        _check_plan(problem, outcome)
        assert outcome.gap == pytest.approx((outcome.bound - outcome.objective) / outcome.bound)
        result = solve_problem(problem, method="national", time_limit=0.01, with_explanation=False)
        assert result["method"] == "national"
        assert result["status"] in ("optimal", "feasible")
        assert result["bound"] >= result["objective"] - 1e-6

    def test_an_infeasible_instance_is_reported_with_its_reason(self):
        instance = _tiny(0)
        instance["programs"][0]["seats"] = 0
        result = solve(instance, method="national")
        assert result["status"] == "infeasible"
        assert "kursi program P0" in result["reason"] and "seats of programme P0" in result["reason"]
        assert result["assignments"] == []

    def test_a_malformed_instance_is_refused(self):
        with pytest.raises(InstanceError) as caught:
            solve({"budget": -1, "max_jp_per_employee": 80}, method="national")
        assert any(m.startswith("budget:") for m in caught.value.messages)

    def test_plan_training_runs_the_national_method(self, tmp_path: Path):
        source, target = tmp_path / "in.json", tmp_path / "out.json"
        source.write_text(
            json.dumps(city_instance(employees=300, programs=12, units=3, seed=2, mandatory=10))
        )
        call_command("plan_training", "--input", str(source), "--output", str(target), "--method", "national")
        out = json.loads(target.read_text())
        assert out["method"] == "national"
        problem = validate_instance(json.loads(source.read_text()))
        assert violations(problem, *_arrays(problem, out)) == []
        assert out["bound"] >= out["objective"] - 1e-6

    def test_auto_switches_to_the_national_method_above_the_threshold(self, monkeypatch):
        import mumpuni.planning.solver as solver

        problem = national_problem(employees=1500, programs=30, technical=12, families=3, units=4, seed=6)
        monkeypatch.setattr(solver, "NATIONAL_AUTO_EMPLOYEES", 1000)
        result = solver.solve_problem(problem, method="auto", with_explanation=False)
        assert result["method"] == "national"
        monkeypatch.setattr(solver, "NATIONAL_AUTO_EMPLOYEES", 10_000)
        small = solver.solve_problem(problem, method="auto", time_limit=20, with_explanation=False)
        assert small["method"] != "national"
