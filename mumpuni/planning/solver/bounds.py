"""Cheap proven upper bounds, used when the solver stops before it has a bound of its own.

Fractional budget bound: an assignment (e, p) adds at most vₑₚ = wₑ Σₖ iₖ min(uₚₖ, gₑₖ) (coverage is
subadditive), so every rupiah spent on employee e buys at most ρₑ = maxₚ vₑₚ / cₚ, and e can gain at most
the value of closing all their remaining gaps. Dropping seats, JP caps and unit budgets only raises the
optimum, so the best fractional allocation of the remaining budget by ρₑ is a proven upper bound.
"""

from __future__ import annotations

import math

import numpy as np

from .candidates import candidate_pairs
from .instance import Problem
from .plan import closed_levels, objective


def fractional_budget_bound(problem: Problem) -> float:
    m_emp, m_prog = problem.mandatory_employee, problem.mandatory_program
    base = objective(problem, m_emp, m_prog)
    budget = problem.budget - float(problem.cost[m_prog].sum())
    # Remaining gaps after the mandatory pairs.
    closed = closed_levels(problem, m_emp, m_prog)
    rows = problem.gap_rows()
    done = np.asarray(closed[rows, problem.gap_comp]).ravel() if len(rows) else np.zeros(0)
    need = problem.gap_value.astype(np.float64) - done
    gain = problem.weight[rows] * problem.importance[problem.gap_comp]
    full = np.bincount(rows, weights=gain * need, minlength=problem.n_employees)

    cand_emp, cand_prog = candidate_pairs(problem)
    lengths = problem.gap_indptr[cand_emp + 1] - problem.gap_indptr[cand_emp]
    pair_of = np.repeat(np.arange(len(cand_emp)), lengths)
    entry = np.repeat(problem.gap_indptr[cand_emp], lengths) + (
        np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    up = problem.uplift[cand_prog[pair_of], problem.gap_comp[entry]].astype(np.float64)
    value = np.bincount(pair_of, weights=gain[entry] * np.minimum(up, need[entry]), minlength=len(cand_emp))
    cost = problem.cost[cand_prog]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cost > 0, value / np.where(cost > 0, cost, 1.0), np.where(value > 0, math.inf, 0.0))
    rho = np.zeros(problem.n_employees)
    np.maximum.at(rho, cand_emp, ratio)
    free = np.isinf(rho)
    total = base + float(full[free].sum())
    order = np.argsort(-rho[~free], kind="stable")
    values = full[~free][order]
    rates = rho[~free][order]
    spend = np.where(rates > 0, values / np.where(rates > 0, rates, 1.0), 0.0)
    cumulative = np.cumsum(spend)
    whole = cumulative <= budget
    total += float(values[whole].sum())
    rest = np.flatnonzero(~whole & (rates > 0))
    if len(rest):
        first = rest[0]
        left = budget - (cumulative[first - 1] if first > 0 else 0.0)
        total += max(0.0, left) * float(rates[first])
    return total
