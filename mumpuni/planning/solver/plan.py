"""A plan is a set of (employee row, programme) pairs: its objective, cost, constraint check and explanation.

Used by every solver and by the tests, so "feasible" means the same thing everywhere.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from .instance import Problem

TOL = 1e-6


def _gap_matrix(problem: Problem) -> sp.csr_matrix:
    return sp.csr_matrix(
        (problem.gap_value.astype(np.float64), problem.gap_comp, problem.gap_indptr),
        shape=(problem.n_employees, problem.n_competencies),
    )


def _assignment_matrix(problem: Problem, emp: np.ndarray, prog: np.ndarray) -> sp.csr_matrix:
    ones = np.ones(len(emp), dtype=np.float64)
    x = sp.csr_matrix((ones, (emp, prog)), shape=(problem.n_employees, problem.n_programs))
    x.sum_duplicates()
    return x


def closed_levels(problem: Problem, emp: np.ndarray, prog: np.ndarray) -> sp.csr_matrix:
    """y = min(gap, Σ uplift of the assigned programmes), as an employee × competency sparse matrix."""
    coverage = _assignment_matrix(problem, emp, prog) @ sp.csr_matrix(problem.uplift.astype(np.float64))
    return _gap_matrix(problem).minimum(coverage).tocsr()


def objective(problem: Problem, emp: np.ndarray, prog: np.ndarray) -> float:
    y = closed_levels(problem, emp, prog).tocoo()
    return float(np.sum(problem.weight[y.row] * problem.importance[y.col] * y.data))


def plan_cost(problem: Problem, emp: np.ndarray, prog: np.ndarray) -> float:
    return float(problem.cost[prog].sum())


def violations(problem: Problem, emp: np.ndarray, prog: np.ndarray, *, limit: int = 20) -> list[str]:
    """Every broken constraint of a plan, as Indonesian / English sentences naming the constraint."""
    out: list[str] = []
    emp = np.asarray(emp, dtype=np.int64)
    prog = np.asarray(prog, dtype=np.int64)
    pairs = emp * problem.n_programs + prog
    if len(np.unique(pairs)) != len(pairs):
        out.append("pasangan ganda dalam rencana / duplicate assignment in the plan")
    total = plan_cost(problem, emp, prog)
    if total > problem.budget * (1 + 1e-9) + TOL:
        out.append(
            f"anggaran: biaya {total:,.0f} melebihi {problem.budget:,.0f} / "
            f"budget: cost {total:,.0f} exceeds {problem.budget:,.0f}"
        )
    seats_used = np.bincount(prog, minlength=problem.n_programs)
    for p in np.flatnonzero(seats_used > problem.seats + TOL)[:limit]:
        code = problem.program_codes[p]
        out.append(
            f"kursi program {code}: {seats_used[p]} peserta > {problem.seats[p]:g} kursi / "
            f"seats of programme {code}: {seats_used[p]} participants > {problem.seats[p]:g} seats"
        )
    jp_used = np.bincount(emp, weights=problem.jp[prog], minlength=problem.n_employees)
    for e in np.flatnonzero(jp_used > problem.max_jp + TOL)[:limit]:
        who = problem.employee_id(int(e))
        out.append(
            f"batas JP pegawai {who}: {jp_used[e]:g} JP > {problem.max_jp:g} / "
            f"JP cap of employee {who}: {jp_used[e]:g} JP > {problem.max_jp:g}"
        )
    unit_cost = np.bincount(problem.unit[emp], weights=problem.cost[prog], minlength=len(problem.unit_codes))
    for u in np.flatnonzero(unit_cost > problem.unit_budget * (1 + 1e-9) + TOL)[:limit]:
        code = problem.unit_codes[u]
        out.append(
            f"anggaran unit {code}: {unit_cost[u]:,.0f} > {problem.unit_budget[u]:,.0f} / "
            f"unit budget {code}: {unit_cost[u]:,.0f} > {problem.unit_budget[u]:,.0f}"
        )
    if len(problem.mandatory_employee):
        mandatory = problem.mandatory_employee * problem.n_programs + problem.mandatory_program
        missing = np.setdiff1d(mandatory, pairs)
        for pair in missing[:limit]:
            who = problem.employee_id(int(pair // problem.n_programs))
            code = problem.program_codes[int(pair % problem.n_programs)]
            out.append(f"wajib: {who} – {code} tidak ditugaskan / mandatory: {who} – {code} not assigned")
    return out


def infeasibility_reasons(problem: Problem) -> list[str]:
    """The instance is feasible exactly when the plan of mandatory pairs alone is (all else is ≤ with x ≥ 0)."""
    return violations(problem, problem.mandatory_employee, problem.mandatory_program)


def explain(problem: Problem, emp: np.ndarray, prog: np.ndarray) -> tuple[np.ndarray, list[dict[str, int]]]:
    """Per assignment: its marginal value given the employee's other assignments, and the levels it closes.

    "closes" shares each closed gap among the employee's programmes in plan order, so that the levels
    closed by the assignments of an employee add up to that employee's closed gaps.
    """
    order = np.lexsort((prog, emp))
    values = np.zeros(len(emp), dtype=np.float64)
    closes: list[dict[str, int]] = [{} for _ in range(len(emp))]
    uplift = problem.uplift.astype(np.int64)
    start = 0
    n = len(order)
    while start < n:
        e = int(emp[order[start]])
        end = start
        while end < n and int(emp[order[end]]) == e:
            end += 1
        rows = order[start:end]
        lo, hi = problem.gap_indptr[e], problem.gap_indptr[e + 1]
        comps = problem.gap_comp[lo:hi]
        gaps = problem.gap_value[lo:hi].astype(np.int64)
        gain = problem.weight[e] * problem.importance[comps]
        ups = uplift[prog[rows]][:, comps]  # (programmes of e, gap competencies of e)
        total = ups.sum(axis=0)
        full = float(np.sum(gain * np.minimum(gaps, total)))
        remaining = gaps.copy()
        for i, row in enumerate(rows):
            without = total - ups[i]
            values[row] = full - float(np.sum(gain * np.minimum(gaps, without)))
            take = np.minimum(ups[i], remaining)
            remaining -= take
            closes[row] = {
                problem.competency_codes[int(comps[j])]: int(take[j]) for j in np.flatnonzero(take)
            }
        start = end
    return values, closes


def result_dict(
    problem: Problem,
    emp: np.ndarray,
    prog: np.ndarray,
    *,
    status: str,
    bound: float,
    seconds: float,
    method: str,
    with_explanation: bool = True,
) -> dict[str, Any]:
    emp = np.asarray(emp, dtype=np.int64)
    prog = np.asarray(prog, dtype=np.int64)
    value = objective(problem, emp, prog)
    bound = max(bound, value)
    order = np.lexsort((prog, emp))
    emp, prog = emp[order], prog[order]
    assignments: list[dict[str, Any]] = []
    if with_explanation:
        values, closes = explain(problem, emp, prog)
    for i in range(len(emp)):
        entry: dict[str, Any] = {
            "employee": problem.employee_id(int(emp[i])),
            "program": problem.program_codes[int(prog[i])],
        }
        if with_explanation:
            entry["value"] = round(float(values[i]), 6)
            entry["closes"] = closes[i]
        assignments.append(entry)
    return {
        "status": status,
        "objective": value,
        "bound": bound,
        "gap": relative_gap(bound, value),
        "cost": plan_cost(problem, emp, prog),
        "assignments": assignments,
        "solve_seconds": round(seconds, 3),
        "method": method,
    }


def relative_gap(bound: float, value: float) -> float:
    if bound <= TOL:
        return 0.0
    return max(0.0, (bound - value) / bound)
