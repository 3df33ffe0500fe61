"""The training-plan optimizer of issue 8 (domain.md, "Training plan model"); pure Python, no Django.

`solve(instance)` takes and returns the JSON exchange format. Small (city) instances are solved as one
exact MIP by HiGHS; national instances by a Lagrangian decomposition (decomposition.py, docs/optimizer.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from .bounds import fractional_budget_bound
from .decomposition import solve_lagrangian
from .greedy import greedy
from .instance import InstanceError, Problem, validate_instance
from .mip import solve_mip
from .plan import infeasibility_reasons, objective, relative_gap, result_dict

__all__ = ["InstanceError", "Problem", "solve", "solve_problem", "validate_instance", "trivial_bound"]

Progress = Callable[[float, str], None]


def trivial_bound(problem: Problem) -> float:
    """Proven without a solver: every gap closed, or the fractional budget bound (bounds.py) if lower."""
    rows = problem.gap_rows()
    closed_all = float(
        np.sum(problem.weight[rows] * problem.importance[problem.gap_comp] * problem.gap_value)
    )
    return min(closed_all, fractional_budget_bound(problem))


def solve(
    instance: dict[str, Any],
    *,
    time_limit: float | None = None,
    method: str = "auto",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Solve an instance in the exchange format; raises InstanceError on malformed input."""
    problem = validate_instance(instance)
    return solve_problem(problem, time_limit=time_limit, method=method, progress=progress)


def solve_problem(
    problem: Problem,
    *,
    time_limit: float | None = None,
    method: str = "auto",
    progress: Progress | None = None,
    target_gap: float | None = None,
    with_explanation: bool = True,
) -> dict[str, Any]:
    started = time.perf_counter()
    report = progress or (lambda fraction, message: None)
    if method not in ("auto", "mip", "lagrangian"):
        raise InstanceError([f"method: metode tidak dikenal / unknown method {method!r}"])
    reasons = infeasibility_reasons(problem)
    if reasons:
        return {
            "status": "infeasible",
            "reason": reasons[0],
            "reasons": reasons,
            "objective": None,
            "bound": None,
            "gap": None,
            "cost": None,
            "assignments": [],
            "solve_seconds": round(time.perf_counter() - started, 3),
            "method": method,
        }
    if method == "auto":
        # The decomposition is not yet fast enough to be the default at any scale (docs/optimizer.md).
        method = "mip"
    report(0.05, "greedy")
    greedy_plan = greedy(problem)
    greedy_value = objective(problem, *greedy_plan)
    remaining = None if time_limit is None else max(0.1, time_limit - (time.perf_counter() - started))
    optimal = False
    emp, prog = greedy_plan
    if method == "lagrangian":
        report(0.1, "lagrangian")
        outcome = solve_lagrangian(
            problem, time_limit=remaining, target_gap=target_gap or 0.01, progress=report, start=greedy_plan
        )
        emp, prog, bound = outcome.emp, outcome.prog, min(outcome.bound, trivial_bound(problem))
    else:
        report(0.1, "mip")
        mip = solve_mip(problem, time_limit=remaining, rel_gap=target_gap if target_gap is not None else 1e-4)
        # The MIP's dual bound when HiGHS got that far, else "every gap closed": always a proven bound.
        bound = min(mip.bound, trivial_bound(problem))
        if (
            mip.emp is not None
            and mip.prog is not None
            and objective(problem, mip.emp, mip.prog) >= greedy_value
        ):
            emp, prog, optimal = mip.emp, mip.prog, mip.optimal
    value = objective(problem, emp, prog)
    gap = relative_gap(bound, value)
    status = "optimal" if optimal or gap <= 1e-9 else "feasible"
    report(0.95, "explain")
    result = result_dict(
        problem,
        emp,
        prog,
        status=status,
        bound=bound,
        seconds=time.perf_counter() - started,
        method=method,
        with_explanation=with_explanation,
    )
    result["greedy_objective"] = greedy_value
    report(1.0, "done")
    return result
