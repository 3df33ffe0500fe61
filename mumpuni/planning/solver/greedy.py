"""Greedy baseline: repeatedly take the pair with the best marginal value per rupiah that still fits.

Lazy evaluation is exact here because an employee's value is submodular in their programmes: a pair's
marginal value only falls as the employee gets more programmes, so a stale heap key is an upper bound.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from .candidates import candidate_pairs
from .instance import Problem


def greedy(
    problem: Problem,
    *,
    start: tuple[np.ndarray, np.ndarray] | None = None,
    pairs: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A feasible plan (employee rows, programmes); `start` (default: the mandatory pairs) is kept.

    The instance must be feasible (see plan.infeasibility_reasons).
    """
    if start is None:
        start = (problem.mandatory_employee, problem.mandatory_program)
    emp0 = np.asarray(start[0], dtype=np.int64)
    prog0 = np.asarray(start[1], dtype=np.int64)
    cand_emp, cand_prog = pairs if pairs is not None else candidate_pairs(problem)

    budget_left = problem.budget - float(problem.cost[prog0].sum())
    seats_left = problem.seats - np.bincount(prog0, minlength=problem.n_programs)
    jp_left = problem.max_jp - np.bincount(emp0, weights=problem.jp[prog0], minlength=problem.n_employees)
    unit_left = problem.unit_budget - np.bincount(
        problem.unit[emp0], weights=problem.cost[prog0], minlength=len(problem.unit_codes)
    )
    taken = set((emp0 * problem.n_programs + prog0).tolist())

    # Per employee, pure-Python lists (a few gaps each): faster than NumPy on arrays this small.
    indptr = problem.gap_indptr.tolist()
    comps = problem.gap_comp.tolist()
    need = problem.gap_value.astype(np.int64).tolist()
    gain_all = (problem.weight[problem.gap_rows()] * problem.importance[problem.gap_comp]).tolist()
    uplift = problem.uplift.astype(np.int64).tolist()
    for e, p in zip(emp0.tolist(), prog0.tolist(), strict=True):
        for j in range(indptr[e], indptr[e + 1]):
            need[j] = max(0, need[j] - uplift[p][comps[j]])
    costs = problem.cost.tolist()

    def marginal(e: int, p: int) -> float:
        row = uplift[p]
        total = 0.0
        for j in range(indptr[e], indptr[e + 1]):
            up = row[comps[j]]
            if up and need[j]:
                total += gain_all[j] * min(up, need[j])
        return total

    def key(value: float, p: int) -> float:
        cost = costs[p]
        return -(value / cost) if cost > 0 else -math.inf

    heap: list[tuple[float, float, int, int]] = []
    for e, p in zip(cand_emp.tolist(), cand_prog.tolist(), strict=True):
        if e * problem.n_programs + p in taken:
            continue
        value = marginal(e, p)
        if value > 0:
            heap.append((key(value, p), -value, e, p))
    heapq.heapify(heap)
    seats = seats_left.tolist()
    jp_list = jp_left.tolist()
    units = unit_left.tolist()
    unit_of = problem.unit.tolist()
    jp_of = problem.jp.tolist()

    out_emp, out_prog = [], []
    while heap:
        _, neg_value, e, p = heapq.heappop(heap)
        value = marginal(e, p)
        if value <= 0:
            continue
        if value < -neg_value - 1e-12:
            heapq.heappush(heap, (key(value, p), -value, e, p))
            continue
        cost = costs[p]
        u = unit_of[e]
        if (
            cost > budget_left + 1e-9
            or seats[p] < 1
            or jp_of[p] > jp_list[e] + 1e-9
            or cost > units[u] + 1e-9
        ):
            continue  # resources only shrink, so this pair never fits again
        budget_left -= cost
        seats[p] -= 1
        jp_list[e] -= jp_of[p]
        units[u] -= cost
        row = uplift[p]
        for j in range(indptr[e], indptr[e + 1]):
            need[j] = max(0, need[j] - row[comps[j]])
        out_emp.append(e)
        out_prog.append(p)
    return (
        np.concatenate([emp0, np.array(out_emp, dtype=np.int64)]),
        np.concatenate([prog0, np.array(out_prog, dtype=np.int64)]),
    )
