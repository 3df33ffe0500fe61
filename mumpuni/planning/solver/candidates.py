"""Candidate pairs: an employee only ever takes a programme that closes one of their gaps (or is mandatory)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .instance import Problem


def candidate_pairs(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """(employee rows, programmes), sorted, unique: pairs with a positive objective effect, plus mandatory.

    A pair outside this set only spends budget, seats and JP, so some optimal plan never uses it.
    """
    useful_comp = problem.importance > 0
    gaps = sp.csr_matrix(
        (np.ones(len(problem.gap_comp)), problem.gap_comp, problem.gap_indptr),
        shape=(problem.n_employees, problem.n_competencies),
    )
    reach = sp.csr_matrix(((problem.uplift > 0) & useful_comp[None, :]).T.astype(np.float64))
    pairs = (gaps @ reach).tocoo()
    emp = pairs.row.astype(np.int64)
    prog = pairs.col.astype(np.int64)
    keep = (problem.weight[emp] > 0) & (problem.jp[prog] <= problem.max_jp) & (problem.seats[prog] >= 1)
    emp, prog = emp[keep], prog[keep]
    if len(problem.mandatory_employee):
        emp = np.concatenate([emp, problem.mandatory_employee])
        prog = np.concatenate([prog, problem.mandatory_program])
    key = np.unique(emp * problem.n_programs + prog)
    return key // problem.n_programs, key % problem.n_programs
