"""The training-plan optimizer of issue 8 (domain.md, "Training plan model"); pure Python, no Django.

`solve(instance)` takes and returns the JSON exchange format. By default (colgen.py) a Lagrangian bound
over per-employee patterns with prices from a sampled LP relaxation, a restricted master LP and rounding;
then, if the gap is still open and time is left, the exact MIP by HiGHS (mip.py). From
NATIONAL_AUTO_EMPLOYEES employees on (or with method "national"), the decomposition over employee types of
national.py. See docs/optimizer.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from .bounds import fractional_budget_bound
from .candidates import candidate_pairs
from .colgen import solve_colgen
from .decomposition import solve_lagrangian
from .greedy import greedy
from .instance import InstanceError, Problem, validate_instance
from .mip import solve_mip
from .national import NationalTooLarge, solve_national
from .plan import infeasibility_reasons, objective, relative_gap, result_dict

__all__ = ["InstanceError", "Problem", "solve", "solve_problem", "validate_instance", "trivial_bound"]

Progress = Callable[[float, str], None]

# After column generation the MIP runs only if the gap is above this and this much time is left.
MIP_AFTER_GAP = 1e-6  # without a time limit: until proven optimal
MIP_AFTER_GAP_LIMITED = 0.005  # with one: only if the 0.5 % is not yet proven
MIP_MIN_SECONDS = 3.0
EXPLAIN_SHARE = 0.15
GREEDY_SHARE = 0.2
COLGEN_SECONDS_PER_PAIR = 5e-5
# `auto` switches to the national decomposition (national.py) from this many employees on.
NATIONAL_AUTO_EMPLOYEES = 150_000
NATIONAL_DEFAULT_GAP = 0.01


def _remaining(started: float, time_limit: float | None) -> float | None:
    return None if time_limit is None else max(0.1, time_limit - (time.perf_counter() - started))


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
    if method not in ("auto", "colgen", "mip", "lagrangian", "national"):
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
    if method == "national" or (method == "auto" and problem.n_employees >= NATIONAL_AUTO_EMPLOYEES):
        national = _solve_national(problem, started, time_limit, target_gap, report, with_explanation)
        if national is not None:
            return national
        method = "auto" if method == "auto" else "lagrangian"  # too many patterns: the general path
    optimal = False
    bound = trivial_bound(problem)
    greedy_value: float | None = None
    emp, prog = problem.mandatory_employee, problem.mandatory_program
    if method not in ("auto", "colgen"):
        # Column generation makes its own plan; the greedy baseline is only needed as a start elsewhere.
        report(0.05, "greedy")
        emp, prog = greedy(problem)
        greedy_value = objective(problem, emp, prog)
    else:
        report(0.1, "mip")
        left = _remaining(started, time_limit)
        outcome = None
        # The pattern enumeration cannot be interrupted: skip column generation when the limit is too short
        # for the instance (measured ≈ 5·10⁻⁵ s per candidate pair on the 2-core build machine).
        if left is None or left >= COLGEN_SECONDS_PER_PAIR * len(candidate_pairs(problem)[0]):
            outcome = solve_colgen(
                problem,
                # Keep time for the explanation of each assignment.
                time_limit=None if left is None else max(0.1, left - EXPLAIN_SHARE * (time_limit or 0.0)),
                target_gap=target_gap if target_gap is not None else 1e-4,
            )
        if outcome is not None:
            bound = min(bound, outcome.bound)
            emp, prog = outcome.emp, outcome.prog
            method = "colgen"
        else:
            report(0.3, "greedy")  # too many patterns to enumerate: start from the greedy plan
            emp, prog = greedy(problem)
            greedy_value = objective(problem, emp, prog)
            if method == "colgen":
                method = "greedy"
    if method == "lagrangian":
        report(0.1, "lagrangian")
        outcome_l = solve_lagrangian(
            problem,
            time_limit=_remaining(started, time_limit),
            target_gap=target_gap or 0.01,
            progress=report,
            start=(emp, prog),
        )
        emp, prog, bound = outcome_l.emp, outcome_l.prog, min(outcome_l.bound, bound)
    elif method in ("auto", "mip") or (
        method == "colgen"
        and relative_gap(bound, objective(problem, emp, prog))
        > (MIP_AFTER_GAP if time_limit is None else MIP_AFTER_GAP_LIMITED)
    ):
        # The exact MIP with the time left: always for "mip"; after column generation only when the gap
        # is still open and there is time for HiGHS's root LP (none of it counts otherwise).
        left = _remaining(started, time_limit)
        if left is not None and greedy_value is None:
            # Keep time for the greedy baseline and the explanation afterwards.
            left = max(0.1, left - (GREEDY_SHARE + EXPLAIN_SHARE) * (time_limit or 0.0))
        if left is None or left >= MIP_MIN_SECONDS or method == "mip":
            report(0.5, "mip")
            mip = solve_mip(problem, time_limit=left, rel_gap=target_gap if target_gap is not None else 1e-4)
            bound = min(bound, mip.bound)
            if (
                mip.emp is not None
                and mip.prog is not None
                and objective(problem, mip.emp, mip.prog) >= objective(problem, emp, prog)
            ):
                emp, prog, optimal = mip.emp, mip.prog, mip.optimal
            method = "mip" if method in ("auto", "mip") else "colgen+mip"
    value = objective(problem, emp, prog)
    gap = relative_gap(bound, value)
    status = "optimal" if optimal or gap <= 1e-9 else "feasible"
    if greedy_value is None:
        # The greedy baseline for comparison, only when the time limit leaves room for it (≈ 10 % of it).
        left = _remaining(started, time_limit)
        if left is None or left > GREEDY_SHARE * (time_limit or 0.0) + EXPLAIN_SHARE * (time_limit or 0.0):
            report(0.9, "greedy")
            greedy_plan = greedy(problem)
            greedy_value = objective(problem, *greedy_plan)
            if greedy_value > value:
                emp, prog = greedy_plan
                value = greedy_value
                gap = relative_gap(bound, value)
                status = "optimal" if gap <= 1e-9 else "feasible"
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


def _solve_national(
    problem: Problem,
    started: float,
    time_limit: float | None,
    target_gap: float | None,
    report: Progress,
    with_explanation: bool,
) -> dict[str, Any] | None:
    """The national decomposition (national.py); None when its profiles have too many patterns."""
    left = _remaining(started, time_limit)
    if left is not None and with_explanation:
        left = max(0.1, left - EXPLAIN_SHARE * (time_limit or 0.0))
    try:
        outcome = solve_national(
            problem,
            time_limit=left,
            target_gap=target_gap if target_gap is not None else NATIONAL_DEFAULT_GAP,
            progress=report,
        )
    except NationalTooLarge:
        return None
    gap = relative_gap(outcome.bound, outcome.objective)
    result = result_dict(
        problem,
        outcome.emp,
        outcome.prog,
        status="optimal" if gap <= 1e-9 else "feasible",
        bound=outcome.bound,
        seconds=time.perf_counter() - started,
        method="national",
        with_explanation=with_explanation,
    )
    result["greedy_objective"] = outcome.greedy_objective
    report(1.0, "done")
    return result
