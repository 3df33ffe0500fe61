"""The optimizer as a plain library: feasibility, infeasibility reasons, brute force, time limits."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from mumpuni.planning.solver import InstanceError, solve, validate_instance
from mumpuni.planning.solver.greedy import greedy
from mumpuni.planning.solver.plan import objective, violations
from mumpuni.planning.solver.synthetic import city_instance


def _tiny(seed: int, *, employees: int = 3, programs: int = 3) -> dict:
    rng = random.Random(seed)
    comps = ["M.01", "M.05", "T.ADK"]
    return {
        "budget": rng.choice([3_000_000, 6_000_000, 9_000_000]),
        "max_jp_per_employee": rng.choice([24, 40]),
        "competencies": [{"code": c, "importance": rng.choice([1.0, 1.5, 2.0])} for c in comps],
        "programs": [
            {
                "code": f"P{p}",
                "cost": rng.choice([1_000_000, 2_000_000, 3_000_000]),
                "jp": rng.choice([8, 16, 24]),
                "seats": rng.choice([1, 2, 3]),
                "uplift": {c: rng.randint(0, 2) for c in rng.sample(comps, 2)},
            }
            for p in range(programs)
        ],
        "employees": [
            {
                "id": f"E{e}",
                "weight": rng.choice([1.0, 2.0]),
                "unit": rng.choice(["U1", "U2"]),
                "gaps": {c: rng.randint(0, 3) for c in comps},
            }
            for e in range(employees)
        ],
        "mandatory": [{"employee": "E0", "program": "P0"}] if seed % 3 == 0 else [],
        "unit_budgets": {"U1": rng.choice([2_000_000, 5_000_000])},
    }


def _arrays(problem, result):
    emp_row = {problem.employee_id(i): i for i in range(problem.n_employees)}
    prog_row = {code: i for i, code in enumerate(problem.program_codes)}
    emp = np.array([emp_row[a["employee"]] for a in result["assignments"]], dtype=np.int64)
    prog = np.array([prog_row[a["program"]] for a in result["assignments"]], dtype=np.int64)
    return emp, prog


def _brute_force(problem) -> float | None:
    pairs = [(e, p) for e in range(problem.n_employees) for p in range(problem.n_programs)]
    best = None
    for mask in itertools.product([0, 1], repeat=len(pairs)):
        chosen = [pair for pair, bit in zip(pairs, mask, strict=True) if bit]
        emp = np.array([e for e, _ in chosen], dtype=np.int64)
        prog = np.array([p for _, p in chosen], dtype=np.int64)
        if violations(problem, emp, prog):
            continue
        value = objective(problem, emp, prog)
        best = value if best is None else max(best, value)
    return best


class TestSolveTiny:
    @pytest.mark.parametrize("seed", range(12))
    def test_it_matches_brute_force(self, seed):
        instance = _tiny(seed)
        problem = validate_instance(instance)
        best = _brute_force(problem)
        result = solve(instance)
        if best is None:
            assert result["status"] == "infeasible"
            return
        assert result["status"] == "optimal"
        assert result["objective"] == pytest.approx(best, abs=1e-6)
        assert result["bound"] >= result["objective"] - 1e-6
        assert violations(problem, *_arrays(problem, result)) == []

    def test_it_explains_each_assignment(self):
        instance = _tiny(1)
        problem = validate_instance(instance)
        result = solve(instance)
        emp, prog = _arrays(problem, result)
        closed = {}
        for a in result["assignments"]:
            assert a["value"] >= 0
            for code, levels in a["closes"].items():
                closed[code] = closed.get(code, 0) + levels
        weighted = 0.0
        importance = dict(zip(problem.competency_codes, problem.importance, strict=True))
        for a in result["assignments"]:
            e = int(np.flatnonzero(np.array(problem.employee_ids) == a["employee"])[0])
            weighted += sum(problem.weight[e] * importance[c] * lv for c, lv in a["closes"].items())
        assert weighted == pytest.approx(result["objective"])
        assert result["greedy_objective"] <= result["objective"] + 1e-6


class TestInfeasible:
    def test_it_names_the_budget(self):
        instance = _tiny(0)
        instance["budget"] = 10
        result = solve(instance)
        assert result["status"] == "infeasible"
        assert "budget" in result["reason"] and "anggaran" in result["reason"]

    def test_it_names_the_seats(self):
        instance = _tiny(1)
        instance["budget"], instance["unit_budgets"] = 10**12, {}
        instance["programs"][0]["seats"] = 1
        instance["mandatory"] = [{"employee": "E0", "program": "P0"}, {"employee": "E1", "program": "P0"}]
        result = solve(instance)
        assert result["status"] == "infeasible"
        assert "seats of programme P0" in result["reason"]

    def test_it_names_the_jp_cap(self):
        instance = _tiny(1)
        instance["budget"], instance["unit_budgets"] = 10**12, {}
        instance["max_jp_per_employee"] = 4
        instance["programs"][1]["jp"] = 8
        instance["mandatory"] = [{"employee": "E2", "program": "P1"}]
        result = solve(instance)
        assert result["status"] == "infeasible"
        assert "JP cap of employee E2" in result["reason"]

    def test_it_names_the_unit_budget(self):
        instance = _tiny(1)
        instance["budget"] = 10**12
        instance["employees"][0]["unit"] = "U1"
        instance["unit_budgets"] = {"U1": 1}
        instance["mandatory"] = [{"employee": "E0", "program": "P0"}]
        result = solve(instance)
        assert result["status"] == "infeasible"
        assert "unit budget U1" in result["reason"]


class TestValidate:
    def test_it_lists_every_bad_field_with_its_path(self):
        instance = _tiny(1)
        instance["budget"] = -1
        instance["programs"][0]["uplift"] = {"NOPE": 1}
        instance["employees"][1]["gaps"] = {"M.01": 9}
        instance["mandatory"] = [{"employee": "X", "program": "P0"}]
        with pytest.raises(InstanceError) as caught:
            validate_instance(instance)
        text = "\n".join(caught.value.messages)
        assert "budget:" in text
        assert "programs[0].uplift.NOPE" in text
        assert "employees[1].gaps.M.01" in text
        assert "mandatory[0].employee" in text

    def test_it_refuses_a_non_object(self):
        with pytest.raises(InstanceError):
            validate_instance([1, 2])


class TestCityScale:
    def test_it_returns_a_feasible_plan_with_an_honest_gap_under_a_time_limit(self):
        instance = city_instance(employees=1500, programs=30, units=6, seed=3)
        problem = validate_instance(instance)
        result = solve(instance, time_limit=0.5)
        assert result["status"] in ("optimal", "feasible")
        emp, prog = _arrays(problem, result)
        assert violations(problem, emp, prog) == []
        assert result["objective"] == pytest.approx(objective(problem, emp, prog))
        assert result["bound"] >= result["objective"] - 1e-6
        assert result["gap"] == pytest.approx((result["bound"] - result["objective"]) / result["bound"])

    def test_greedy_is_feasible_and_keeps_mandatory_pairs(self):
        instance = city_instance(employees=800, programs=20, units=4, seed=5, mandatory=40)
        problem = validate_instance(instance)
        emp, prog = greedy(problem)
        assert violations(problem, emp, prog) == []

    def test_the_optimum_is_at_least_the_greedy_plan(self):
        instance = city_instance(employees=300, programs=12, units=3, seed=7, mandatory=10)
        problem = validate_instance(instance)
        result = solve(instance)
        assert violations(problem, *_arrays(problem, result)) == []
        assert result["objective"] >= result["greedy_objective"] - 1e-6
        assert result["gap"] <= 0.005


class TestPlanTrainingCommand:
    def test_it_writes_the_output_format(self, tmp_path: Path):
        source = tmp_path / "in.json"
        target = tmp_path / "out.json"
        source.write_text(json.dumps(_tiny(2)))
        call_command("plan_training", "--input", str(source), "--output", str(target), "--time-limit", "5")
        out = json.loads(target.read_text())
        for key in ("status", "objective", "bound", "gap", "cost", "assignments", "solve_seconds"):
            assert key in out


class TestLagrangian:
    @pytest.mark.parametrize("seed", range(1, 9))
    def test_its_bound_is_proven_and_its_plan_feasible(self, seed):
        instance = _tiny(seed)
        problem = validate_instance(instance)
        best = _brute_force(problem)
        result = solve(instance, method="lagrangian")
        if best is None:
            assert result["status"] == "infeasible"
            return
        assert result["method"] == "lagrangian"
        assert violations(problem, *_arrays(problem, result)) == []
        assert result["objective"] <= best + 1e-6
        assert result["bound"] >= best - 1e-6  # weak duality: never below the true optimum

    def test_it_keeps_a_feasible_plan_on_a_larger_instance(self):
        instance = city_instance(employees=400, programs=15, units=4, seed=11, mandatory=20)
        problem = validate_instance(instance)
        result = solve(instance, method="lagrangian", time_limit=20)
        assert violations(problem, *_arrays(problem, result)) == []
        assert result["bound"] >= result["objective"] - 1e-6
        assert result["objective"] >= result["greedy_objective"] - 1e-6


class TestBounds:
    @pytest.mark.parametrize("seed", range(12))
    def test_the_fractional_budget_bound_is_never_below_the_optimum(self, seed):
        from mumpuni.planning.solver import trivial_bound

        problem = validate_instance(_tiny(seed))
        best = _brute_force(problem)
        if best is not None:
            assert trivial_bound(problem) >= best - 1e-6


class TestColumnGeneration:
    @pytest.mark.parametrize("seed", range(12))
    def test_its_plan_is_feasible_and_its_bound_never_below_the_optimum(self, seed):
        from mumpuni.planning.solver.colgen import solve_colgen

        problem = validate_instance(_tiny(seed, employees=3, programs=3))
        best = _brute_force(problem)
        if best is None:
            return
        outcome = solve_colgen(problem, time_limit=None)
        assert outcome is not None
        assert violations(problem, outcome.emp, outcome.prog) == []
        assert objective(problem, outcome.emp, outcome.prog) <= best + 1e-6
        assert outcome.bound >= best - 1e-6  # weak duality

    def test_the_colgen_method_reports_itself_and_an_honest_gap(self):
        instance = city_instance(employees=600, programs=15, units=4, seed=13, mandatory=20)
        problem = validate_instance(instance)
        result = solve(instance, method="colgen", time_limit=30)
        assert result["method"] in ("colgen", "colgen+mip")
        emp, prog = _arrays(problem, result)
        assert violations(problem, emp, prog) == []
        assert result["objective"] == pytest.approx(objective(problem, emp, prog))
        assert result["bound"] >= result["objective"] - 1e-6
        assert result["gap"] == pytest.approx((result["bound"] - result["objective"]) / result["bound"])
        assert result["status"] == ("optimal" if result["gap"] <= 1e-9 else "feasible")

    def test_its_bound_is_no_worse_than_the_cheap_bound_and_its_gap_small(self):
        from mumpuni.planning.solver import trivial_bound
        from mumpuni.planning.solver.colgen import solve_colgen

        problem = validate_instance(city_instance(employees=800, programs=20, units=4, seed=17, mandatory=30))
        outcome = solve_colgen(problem, time_limit=None)
        assert outcome is not None
        value = objective(problem, outcome.emp, outcome.prog)
        assert violations(problem, outcome.emp, outcome.prog) == []
        assert outcome.bound <= trivial_bound(problem) + 1e-6
        assert (outcome.bound - value) / outcome.bound <= 0.02

    def test_solve_keeps_the_greedy_plan_when_it_is_better(self):
        instance = city_instance(employees=800, programs=20, units=4, seed=17, mandatory=30)
        result = solve(instance, method="colgen", time_limit=60)
        assert result["greedy_objective"] is not None
        assert result["objective"] >= result["greedy_objective"] - 1e-6

    def test_the_sampled_prices_give_a_valid_bound_on_a_larger_instance(self):
        from mumpuni.planning.solver import colgen

        problem = validate_instance(
            city_instance(employees=7000, programs=20, units=4, seed=19, mandatory=30)
        )
        outcome = colgen.solve_colgen(problem, time_limit=None)
        assert outcome is not None
        # Any prices ≥ 0 give an upper bound: at least the MIP's optimum, which is at least any plan's value.
        mip = solve(
            city_instance(employees=7000, programs=20, units=4, seed=19, mandatory=30),
            method="mip",
            time_limit=60,
        )
        assert outcome.bound >= mip["objective"] - 1e-6
        assert violations(problem, outcome.emp, outcome.prog) == []

    def test_the_tightened_mip_still_matches_brute_force_with_larger_uplifts(self):
        # Uplifts above the gap: the min(u, g) coefficients must not cut off any integral plan.
        for seed in range(6):
            instance = _tiny(seed + 100)
            for prog in instance["programs"]:
                prog["uplift"] = dict.fromkeys(prog["uplift"], 4)
            problem = validate_instance(instance)
            best = _brute_force(problem)
            result = solve(instance, method="mip")
            if best is None:
                assert result["status"] == "infeasible"
                continue
            assert result["objective"] == pytest.approx(best, abs=1e-6)
