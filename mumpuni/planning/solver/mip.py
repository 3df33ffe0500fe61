"""The exact model of domain.md as one sparse MIP, solved by HiGHS through scipy.optimize.milp.

Only pairs that close a gap (or are mandatory) get an x variable and only positive gaps get a y variable;
the other variables are zero in some optimal plan, so the model stays exact and small.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from .candidates import candidate_pairs
from .instance import Problem


@dataclass
class MipOutcome:
    emp: np.ndarray | None  # None when HiGHS found no plan within the time limit
    prog: np.ndarray | None
    bound: float  # proven upper bound on the objective (inf if none)
    optimal: bool
    message: str


@dataclass
class Model:
    """The MIP of domain.md over candidate pairs: x for the first `n_x` columns, y for the rest."""

    cand_emp: np.ndarray
    cand_prog: np.ndarray
    n_x: int
    c: np.ndarray  # minimised: −Σ w·i·y
    matrix: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def build_model(problem: Problem) -> Model:
    cand_emp, cand_prog = candidate_pairs(problem)
    n_x = len(cand_emp)
    gap_rows = problem.gap_rows()
    n_y = len(gap_rows)
    n = n_x + n_y
    uplift = problem.uplift.astype(np.float64)

    c = np.zeros(n)
    c[n_x:] = -problem.weight[gap_rows] * problem.importance[problem.gap_comp]
    lower = np.zeros(n)
    upper = np.concatenate([np.ones(n_x), problem.gap_value.astype(np.float64)])
    if len(problem.mandatory_employee):
        mand = np.searchsorted(
            cand_emp * problem.n_programs + cand_prog,
            problem.mandatory_employee * problem.n_programs + problem.mandatory_program,
        )
        lower[mand] = 1.0

    blocks = []
    # Coverage: y_ek − Σ_p u_pk x_ep ≤ 0, one row per gap entry. Join each pair with its employee's gaps.
    lengths = problem.gap_indptr[cand_emp + 1] - problem.gap_indptr[cand_emp]
    pair_of = np.repeat(np.arange(n_x), lengths)
    offsets = np.arange(len(pair_of)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    entry = np.repeat(problem.gap_indptr[cand_emp], lengths) + offsets
    # min(u, g): valid for integral x (y ≤ g anyway) and a much tighter LP relaxation than u alone.
    coef = np.minimum(uplift[cand_prog[pair_of], problem.gap_comp[entry]], problem.gap_value[entry])
    nz = coef > 0
    cover = sp.csr_matrix(
        (
            np.concatenate([-coef[nz], np.ones(n_y)]),
            (
                np.concatenate([entry[nz], np.arange(n_y)]),
                np.concatenate([pair_of[nz], n_x + np.arange(n_y)]),
            ),
        ),
        shape=(n_y, n),
    )
    blocks.append((cover, np.full(n_y, -np.inf), np.zeros(n_y)))
    # Rupiah in units of the median cost: HiGHS warns about, and slows down on, coefficients near 1e10.
    positive = problem.cost[problem.cost > 0]
    scale = float(np.median(positive)) if len(positive) else 1.0
    cost = problem.cost[cand_prog] / scale
    budget_row = sp.csr_matrix((cost, (np.zeros(n_x, dtype=np.int64), np.arange(n_x))), shape=(1, n))
    blocks.append((budget_row, np.array([-np.inf]), np.array([problem.budget / scale])))
    limited = np.flatnonzero(np.isfinite(problem.seats))
    if len(limited):
        row_of = np.full(problem.n_programs, -1)
        row_of[limited] = np.arange(len(limited))
        sel = row_of[cand_prog] >= 0
        seats = sp.csr_matrix(
            (np.ones(int(sel.sum())), (row_of[cand_prog[sel]], np.flatnonzero(sel))), shape=(len(limited), n)
        )
        blocks.append((seats, np.full(len(limited), -np.inf), problem.seats[limited]))
    emps, emp_row = np.unique(cand_emp, return_inverse=True)
    jp = sp.csr_matrix((problem.jp[cand_prog], (emp_row, np.arange(n_x))), shape=(len(emps), n))
    blocks.append((jp, np.full(len(emps), -np.inf), np.full(len(emps), problem.max_jp)))
    budgeted = np.flatnonzero(np.isfinite(problem.unit_budget))
    if len(budgeted):
        row_of = np.full(len(problem.unit_codes), -1)
        row_of[budgeted] = np.arange(len(budgeted))
        units = row_of[problem.unit[cand_emp]]
        sel = units >= 0
        unit_rows = sp.csr_matrix((cost[sel], (units[sel], np.flatnonzero(sel))), shape=(len(budgeted), n))
        blocks.append((unit_rows, np.full(len(budgeted), -np.inf), problem.unit_budget[budgeted] / scale))

    matrix = sp.vstack([b[0] for b in blocks]).tocsr()
    return Model(
        cand_emp,
        cand_prog,
        n_x,
        c,
        matrix,
        np.concatenate([b[1] for b in blocks]),
        np.concatenate([b[2] for b in blocks]),
        lower,
        upper,
    )


def solve_mip(
    problem: Problem, *, time_limit: float | None, rel_gap: float = 1e-4, model: Model | None = None
) -> MipOutcome:
    m = model if model is not None else build_model(problem)
    cand_emp, cand_prog, n_x = m.cand_emp, m.cand_prog, m.n_x
    constraint = LinearConstraint(m.matrix, m.row_lower, m.row_upper)
    integrality = np.concatenate([np.ones(n_x), np.zeros(len(m.c) - n_x)])
    # Presolve off: on the city instance HiGHS spent ~55 s in presolve against ~20 s for the root LP.
    options: dict[str, float | bool] = {
        "mip_rel_gap": rel_gap,
        "presolve": False,
        "disp": bool(os.environ.get("MUMPUNI_SOLVER_LOG")),
    }
    if time_limit is not None:
        options["time_limit"] = max(float(time_limit), 0.1)
    res = milp(
        m.c, constraints=constraint, integrality=integrality, bounds=Bounds(m.lower, m.upper), options=options
    )
    dual = getattr(res, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and math.isfinite(dual) else math.inf
    if res.x is None:
        return MipOutcome(None, None, bound, False, str(res.message))
    chosen = res.x[:n_x] > 0.5
    return MipOutcome(cand_emp[chosen], cand_prog[chosen], bound, res.status == 0, str(res.message))
