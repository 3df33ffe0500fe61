"""Column generation over per-employee patterns (Dantzig–Wolfe): a proven bound and a near-optimal plan.

Only the budget, the seats and the unit budgets couple employees; the JP cap and the coverage are per
employee. A *pattern* is a set of an employee's free candidate programmes that fits their residual JP cap
and in which each programme adds value when added in candidate order (every minimal set is reached this
way, because an employee's value is submodular; a non-minimal set only costs more). Patterns are
enumerated level by level with NumPy for all employees at once.

For prices λ (budget), μₚ (seats), νᵤ (unit budgets), all ≥ 0,

    L(λ, μ, ν) = value(mandatory plan) + λB′ + Σ μₚ s′ₚ + Σ νᵤ B′ᵤ + Σₑ max(0, maxₛ (vₑₛ − priceₑ(S)))

is a proven upper bound on the optimum (weak duality; primes are what the mandatory pairs leave). The
prices come from the LP relaxation of a random sample of employees (capacities scaled alike), refined by a
few subgradient steps; any prices ≥ 0 give a valid bound. The plan comes from a restricted master LP over
the best columns seen (Σ z ≤ 1 per employee plus the coupling rows, HiGHS): its basic solution is integral
except for at most one employee per coupling row, so taking each employee's largest column while
resources allow and filling with the greedy loses little.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from .candidates import candidate_pairs
from .greedy import greedy
from .instance import Problem
from .plan import closed_levels, objective, violations

MAX_PATTERNS = 8_000_000
MASTER_COLUMNS_PER_EMPLOYEE = 3
SAMPLE_EMPLOYEES = 3000
SAMPLED_ITERATIONS = 8
DUAL_SHARE = 0.5  # of the time left after the enumeration; the master LP and the rounding get the rest  # beyond this the enumeration gives up (the caller falls back to the MIP)


def _log(message: str) -> None:
    if os.environ.get("MUMPUNI_SOLVER_LOG"):
        print(message, flush=True)


@dataclass
class Patterns:
    emp: np.ndarray  # (n,) employee row, sorted
    value: np.ndarray  # (n,) weighted gap closed beyond the mandatory plan
    cost: np.ndarray  # (n,) rupiah
    members: sp.csr_matrix  # (n, pairs) 0/1: which free candidate pairs the pattern takes
    pair_emp: np.ndarray  # (pairs,) employee row of each free candidate pair
    pair_prog: np.ndarray  # (pairs,) programme of each free candidate pair
    emp_start: np.ndarray  # (E+1,) patterns of employee e are emp_start[e]:emp_start[e+1]


@dataclass
class ColgenOutcome:
    emp: np.ndarray
    prog: np.ndarray
    bound: float
    rounds: int
    columns: int
    patterns: int
    master_value: float


def enumerate_patterns(problem: Problem) -> Patterns | None:
    """Every useful pattern of every employee (the empty set excluded), or None if there are too many."""
    cand_emp, cand_prog = candidate_pairs(problem)
    n_prog = problem.n_programs
    mandatory_keys = problem.mandatory_employee * n_prog + problem.mandatory_program
    free = ~np.isin(cand_emp * n_prog + cand_prog, mandatory_keys)
    pair_emp, pair_prog = cand_emp[free], cand_prog[free]
    n_emp = problem.n_employees

    # Residual gaps after the mandatory pairs, padded to G slots per employee (levels fit in int8).
    rows = problem.gap_rows()
    closed = closed_levels(problem, problem.mandatory_employee, problem.mandatory_program)
    done = np.asarray(closed[rows, problem.gap_comp]).ravel() if len(rows) else np.zeros(0)
    counts = np.diff(problem.gap_indptr)
    n_slots = max(int(counts.max()) if len(counts) else 0, 1)
    slot = np.arange(len(rows)) - problem.gap_indptr[rows]
    need = np.zeros((n_emp, n_slots), dtype=np.int8)
    gain = np.zeros((n_emp, n_slots))
    comp = np.zeros((n_emp, n_slots), dtype=np.int64)
    need[rows, slot] = problem.gap_value - done.astype(np.int8)
    gain[rows, slot] = problem.weight[rows] * problem.importance[problem.gap_comp]
    comp[rows, slot] = problem.gap_comp
    has_slot = np.zeros_like(need, dtype=bool)
    has_slot[rows, slot] = True
    # What each free pair closes of its employee's residual gaps on its own (min(u, need), int8).
    up = np.where(has_slot[pair_emp], problem.uplift[pair_prog[:, None], comp[pair_emp]], 0).astype(np.int8)
    up = np.minimum(up, need[pair_emp])
    jp_left = problem.max_jp - np.bincount(
        problem.mandatory_employee, weights=problem.jp[problem.mandatory_program], minlength=n_emp
    )
    pair_start = np.searchsorted(pair_emp, np.arange(n_emp + 1))
    local = np.arange(len(pair_emp)) - pair_start[pair_emp]
    if len(local) and int(local.max()) >= 62:
        return None  # bit masks are int64
    pair_jp = problem.jp[pair_prog]

    # Level 0: the empty pattern of every employee with a free pair, "last" = one before its first pair.
    # A pattern's `closed` is min(need, Σ uplift) per slot; a child adds a later pair that closes more.
    owners = np.flatnonzero(np.diff(pair_start) > 0)
    p_emp = owners
    p_last = pair_start[owners] - 1
    p_closed = np.zeros((len(owners), n_slots), dtype=np.int8)
    p_jp = np.zeros(len(owners))
    p_val = np.zeros(len(owners))
    p_mask = np.zeros(len(owners), dtype=np.int64)
    out_emp, out_val, out_mask = [], [], []
    total = 0
    while len(p_emp):
        n_child = pair_start[p_emp + 1] - (p_last + 1)
        parent = np.repeat(np.arange(len(p_emp)), n_child)
        offset = np.arange(len(parent)) - np.repeat(np.cumsum(n_child) - n_child, n_child)
        q = np.repeat(p_last + 1, n_child) + offset
        jp = p_jp[parent] + pair_jp[q]
        ok = jp <= jp_left[pair_emp[q]] + 1e-9
        parent, q, jp = parent[ok], q[ok], jp[ok]
        e = pair_emp[q]
        old = p_closed[parent]
        new = np.minimum(need[e], old + up[q])
        delta = np.einsum("ij,ij->i", (new - old).astype(np.float64), gain[e])
        ok = delta > 1e-12
        parent, q, e, jp, new, delta = parent[ok], q[ok], e[ok], jp[ok], new[ok], delta[ok]
        mask = p_mask[parent] | (np.int64(1) << local[q])
        value = p_val[parent] + delta
        total += len(q)
        if total > MAX_PATTERNS:
            return None
        out_emp.append(e)
        out_val.append(value)
        out_mask.append(mask)
        p_emp, p_last, p_closed, p_jp, p_val, p_mask = e, q, new, jp, value, mask

    emp = np.concatenate(out_emp) if out_emp else np.zeros(0, dtype=np.int64)
    value = np.concatenate(out_val) if out_val else np.zeros(0)
    masks = np.concatenate(out_mask) if out_mask else np.zeros(0, dtype=np.int64)
    order = np.argsort(emp, kind="stable")
    emp, value, masks = emp[order], value[order], masks[order]
    # Members as CSR built directly: bit b of a pattern is its employee's b-th free pair; filling bits in
    # increasing order keeps each row's columns sorted.
    max_local = int(local.max()) + 1 if len(local) else 0
    bits = [((masks >> b) & 1).astype(bool) for b in range(max_local)]
    sizes = np.sum(bits, axis=0, dtype=np.int64) if bits else np.zeros(len(emp), dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    indices = np.zeros(int(indptr[-1]), dtype=np.int64)
    fill = indptr[:-1].copy()
    first_pair = pair_start[emp]
    for b, hit in enumerate(bits):
        where = fill[hit]
        indices[where] = first_pair[hit] + b
        fill[hit] += 1
    members = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(emp), len(pair_emp)))
    cost = members @ problem.cost[pair_prog]
    return Patterns(
        emp, value, cost, members, pair_emp, pair_prog, np.searchsorted(emp, np.arange(n_emp + 1))
    )


class _Pricer:
    """L(λ, μ, ν) and each employee's best pattern at those prices."""

    def __init__(self, problem: Problem, pats: Patterns) -> None:
        self.problem = problem
        self.pats = pats
        m_emp, m_prog = problem.mandatory_employee, problem.mandatory_program
        self.base = objective(problem, m_emp, m_prog)
        self.budget = problem.budget - float(problem.cost[m_prog].sum())
        self.seats = problem.seats - np.bincount(m_prog, minlength=problem.n_programs)
        self.unit_budget = problem.unit_budget - np.bincount(
            problem.unit[m_emp], weights=problem.cost[m_prog], minlength=len(problem.unit_codes)
        )
        self.owners = np.flatnonzero(np.diff(pats.emp_start) > 0)
        self.starts = pats.emp_start[self.owners]
        self.pair_unit = problem.unit[pats.pair_emp]
        self.pair_cost = problem.cost[pats.pair_prog]

    def evaluate(self, lam: float, mu: np.ndarray, nu: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """(L, best reduced value per owner, index of that best pattern or −1 for the empty one)."""
        pats = self.pats
        price = (lam + nu[self.pair_unit]) * self.pair_cost + mu[self.pats.pair_prog]
        reduced = pats.value - pats.members @ price
        if len(reduced):
            best = np.maximum.reduceat(reduced, self.starts)
            # First position of the maximum within each owner's block.
            hit = reduced == np.repeat(best, np.diff(np.append(self.starts, len(reduced))))
            pos = np.flatnonzero(hit)
            first = pos[np.searchsorted(pos, self.starts)]
        else:
            best = np.zeros(0)
            first = np.zeros(0, dtype=np.int64)
        chosen = np.where(best > 0, first, -1)
        best = np.maximum(best, 0.0)
        finite_seats = np.isfinite(self.seats)
        finite_units = np.isfinite(self.unit_budget)
        dual = (
            self.base
            + lam * self.budget
            + float(np.sum(mu[finite_seats] * self.seats[finite_seats]))
            + float(np.sum(nu[finite_units] * self.unit_budget[finite_units]))
            + float(best.sum())
        )
        return dual, best, chosen


def _take(problem: Problem, pats: Patterns, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sub = pats.members[columns].tocoo()
    emp = np.concatenate([problem.mandatory_employee, pats.pair_emp[sub.col]])
    prog = np.concatenate([problem.mandatory_program, pats.pair_prog[sub.col]])
    return emp, prog


def solve_colgen(
    problem: Problem,
    *,
    time_limit: float | None,
    target_gap: float = 1e-4,
    patterns: Patterns | None = None,
    lower: float = 0.0,
    max_iterations: int = 400,
) -> ColgenOutcome | None:
    """None when the instance has too many patterns to enumerate. `lower`: a known plan's objective."""
    started = time.perf_counter()
    deadline = math.inf if time_limit is None else started + time_limit
    pats = patterns if patterns is not None else enumerate_patterns(problem)
    if pats is None:
        return None
    pricer = _Pricer(problem, pats)
    n_prog, n_unit = problem.n_programs, len(problem.unit_codes)
    positive = problem.cost[problem.cost > 0]
    scale = float(np.median(positive)) if len(positive) else 1.0
    # Prices in "value per median programme cost" (λ, ν) and "value per seat" (μ): comparable sizes.
    seat_rows = np.flatnonzero(np.isfinite(pricer.seats))
    unit_rows = np.flatnonzero(np.isfinite(pricer.unit_budget))
    budget = pricer.budget / scale
    seats = pricer.seats[seat_rows]
    units = pricer.unit_budget[unit_rows] / scale

    def unpack(pi: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        mu = np.zeros(n_prog)
        mu[seat_rows] = pi[1 : 1 + len(seat_rows)]
        nu = np.zeros(n_unit)
        nu[unit_rows] = pi[1 + len(seat_rows) :] / scale
        return float(pi[0]) / scale, mu, nu

    def subgradient(chosen: np.ndarray) -> np.ndarray:
        cols = chosen[chosen >= 0]
        used = np.bincount(pats.pair_prog[pats.members[cols].indices], minlength=n_prog)
        unit_cost = np.bincount(problem.unit[pats.emp[cols]], weights=pats.cost[cols], minlength=n_unit)
        return np.concatenate(
            [
                [budget - pats.cost[cols].sum() / scale],
                seats - used[seat_rows],
                units - unit_cost[unit_rows] / scale,
            ]
        )

    pi = np.zeros(1 + len(seat_rows) + len(unit_rows))
    best_bound, best_pi = math.inf, pi.copy()
    # Prices from the LP relaxation of a random sample of employees (capacities scaled down alike): a
    # cheap estimate of the LP duals, which are already close to the best prices.
    sampled = _sample_prices(problem, seat_rows, unit_rows, deadline)
    if sampled is not None:
        best_bound, _, _ = pricer.evaluate(*unpack(sampled))
        best_pi = sampled
        _log(f"sample prices: bound {best_bound:.2f}, {time.perf_counter() - started:.2f} s")
    else:
        # No LP prices: bisection on the budget price alone.
        lo, hi = 0.0, 1.0
        for _ in range(40):
            pi[0] = hi
            _, _, chosen = pricer.evaluate(*unpack(pi))
            if subgradient(chosen)[0] >= 0:
                break
            hi *= 4
        for _ in range(12):
            pi[0] = (lo + hi) / 2
            dual, _, chosen = pricer.evaluate(*unpack(pi))
            if dual < best_bound:
                best_bound, best_pi = dual, pi.copy()
            if subgradient(chosen)[0] < 0:
                lo = pi[0]
            else:
                hi = pi[0]
    # Projected subgradient with Polyak steps towards the best known plan value, θ halved on stalls.
    pi = best_pi.copy()
    theta = 0.25 if sampled is not None else 1.0
    if sampled is not None:
        max_iterations = min(max_iterations, SAMPLED_ITERATIONS)  # a few steps, for columns near π
    stall, iterations = 0, 0
    seen = []
    target = max(lower, 0.98 * best_bound)
    now = time.perf_counter()
    dual_budget = deadline if not math.isfinite(deadline) else now + DUAL_SHARE * (deadline - now)
    while iterations < max_iterations and time.perf_counter() < dual_budget:
        iterations += 1
        dual, _, chosen = pricer.evaluate(*unpack(pi))
        seen.append(chosen[chosen >= 0])
        if dual < best_bound - 1e-9:
            best_bound, best_pi, stall = dual, pi.copy(), 0
        else:
            stall += 1
            if stall >= 8:
                theta, stall = theta / 2, 0
                pi = best_pi.copy()
        if best_bound - target <= target_gap * 0.25 * best_bound or theta < 1e-4:
            break
        g = subgradient(chosen)
        norm = float(g @ g)
        if norm <= 1e-12:
            break
        step = theta * max(dual - target, 1e-9 * abs(dual)) / norm
        pi = np.maximum(0.0, pi - step * g)
    _log(f"dual: {iterations} steps, bound {best_bound:.2f}, {time.perf_counter() - started:.2f} s")

    # Primal: restricted master LP over every pattern seen, then rounding and greedy fill.
    _, _, chosen = pricer.evaluate(*unpack(best_pi))
    seen.append(chosen[chosen >= 0])
    columns = np.unique(np.concatenate(seen)) if seen else np.zeros(0, dtype=np.int64)
    columns = _shortlist(pats, pricer, columns, *unpack(best_pi), keep=MASTER_COLUMNS_PER_EMPLOYEE)
    z, master_value = _master(problem, pats, pricer, columns, scale, deadline)
    _log(f"master: {len(columns)} columns, value {master_value:.2f}, {time.perf_counter() - started:.2f} s")
    if z is None:
        # The master LP ran out of time: the greedy plan (rounding the Lagrangian patterns was measured
        # both better and worse than the greedy; the greedy is the predictable baseline).
        emp, prog = greedy(problem)
    else:
        emp, prog = _round(problem, pats, columns, z)
    return ColgenOutcome(emp, prog, best_bound, iterations, len(columns), len(pats.emp), master_value)


def _sample_prices(
    problem: Problem,
    seat_rows: np.ndarray,
    unit_rows: np.ndarray,
    deadline: float,
    size: int = SAMPLE_EMPLOYEES,
    share_of_time: float = 0.3,
) -> np.ndarray | None:
    """Duals of the LP relaxation on `size` employees (all if few), in solve_colgen's π layout."""
    from .mip import build_model

    n = problem.n_employees
    if n <= 2 * size:
        rows = np.arange(n)  # small enough: the LP relaxation of the whole instance
    else:
        rows = np.sort(np.random.default_rng(0).choice(n, size=size, replace=False))
    share = len(rows) / n
    lengths = problem.gap_indptr[rows + 1] - problem.gap_indptr[rows]
    entries = np.repeat(problem.gap_indptr[rows], lengths) + (
        np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    new_row = np.full(n, -1)
    new_row[rows] = np.arange(len(rows))
    in_sample = new_row[problem.mandatory_employee] >= 0
    sub = Problem(
        competency_codes=problem.competency_codes,
        importance=problem.importance,
        program_codes=problem.program_codes,
        cost=problem.cost,
        jp=problem.jp,
        seats=problem.seats * share,
        uplift=problem.uplift,
        budget=problem.budget * share,
        max_jp=problem.max_jp,
        weight=problem.weight[rows],
        unit=problem.unit[rows],
        unit_codes=problem.unit_codes,
        unit_budget=problem.unit_budget * share,
        gap_indptr=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        gap_comp=problem.gap_comp[entries],
        gap_value=problem.gap_value[entries],
        mandatory_employee=new_row[problem.mandatory_employee[in_sample]],
        mandatory_program=problem.mandatory_program[in_sample],
    )
    model = build_model(sub)
    options: dict[str, float | bool] = {"presolve": True}
    if math.isfinite(deadline):
        options["time_limit"] = max(0.1, share_of_time * (deadline - time.perf_counter()))
    res = linprog(
        model.c,
        A_ub=model.matrix,
        b_ub=model.row_upper,
        bounds=np.c_[model.lower, model.upper],
        method="highs-ds",
        options=options,
    )
    if res.status != 0 or res.x is None:
        return None
    duals = np.maximum(-np.asarray(res.ineqlin.marginals), 0.0)
    # Rows of build_model: coverage (one per gap entry), budget, finite seats, JP caps, finite unit budgets.
    budget_row = len(sub.gap_comp)
    seats = duals[budget_row + 1 : budget_row + 1 + len(seat_rows)]
    units = duals[len(duals) - len(unit_rows) :] if len(unit_rows) else np.zeros(0)
    return np.concatenate([[duals[budget_row]], seats, units])


def _shortlist(
    pats: Patterns,
    pricer: _Pricer,
    columns: np.ndarray,
    lam: float,
    mu: np.ndarray,
    nu: np.ndarray,
    *,
    keep: int,
) -> np.ndarray:
    """Each employee's `keep` columns of best reduced value at the given prices."""
    price = (lam + nu[pricer.pair_unit]) * pricer.pair_cost + mu[pats.pair_prog]
    reduced = pats.value[columns] - pats.members[columns] @ price
    emp = pats.emp[columns]
    order = np.lexsort((-reduced, emp))
    emp_sorted = emp[order]
    first = np.searchsorted(emp_sorted, emp_sorted)
    rank = np.arange(len(order)) - first
    return np.sort(columns[order[rank < keep]])


def _master(
    problem: Problem, pats: Patterns, pricer: _Pricer, columns: np.ndarray, scale: float, deadline: float
) -> tuple[np.ndarray | None, float]:
    """max Σ v z over the columns: Σ z ≤ 1 per employee, budget, seats, unit budgets; z ≥ 0."""
    if not len(columns):
        return None, 0.0
    n_prog, n_unit = problem.n_programs, len(problem.unit_codes)
    seat_rows = np.flatnonzero(np.isfinite(pricer.seats))
    unit_rows = np.flatnonzero(np.isfinite(pricer.unit_budget))
    pair_to_prog = sp.csr_matrix(
        (np.ones(len(pats.pair_prog)), (np.arange(len(pats.pair_prog)), pats.pair_prog)),
        shape=(len(pats.pair_prog), n_prog),
    )
    n_col = len(columns)
    owners, owner_rows = np.unique(pats.emp[columns], return_inverse=True)
    uses = (pats.members[columns] @ pair_to_prog).T.tocsr()[seat_rows]
    col_cost = pats.cost[columns] / scale
    col_unit = problem.unit[pats.emp[columns]]
    unit_row_of = np.full(n_unit, -1)
    unit_row_of[unit_rows] = np.arange(len(unit_rows))
    in_unit = unit_row_of[col_unit] >= 0
    matrix = sp.vstack(
        [
            sp.csr_matrix((np.ones(n_col), (owner_rows, np.arange(n_col))), shape=(len(owners), n_col)),
            sp.csr_matrix(col_cost[None, :]),
            uses,
            sp.csr_matrix(
                (col_cost[in_unit], (unit_row_of[col_unit[in_unit]], np.flatnonzero(in_unit))),
                shape=(len(unit_rows), n_col),
            ),
        ]
    ).tocsr()
    rhs = np.concatenate(
        [
            np.ones(len(owners)),
            [pricer.budget / scale],
            pricer.seats[seat_rows],
            pricer.unit_budget[unit_rows] / scale,
        ]
    )
    options: dict[str, float | bool] = {"presolve": True}
    if math.isfinite(deadline):
        left = deadline - time.perf_counter()
        if left < 0.2:
            return None, 0.0
        options["time_limit"] = left
    res = linprog(
        -pats.value[columns], A_ub=matrix, b_ub=rhs, bounds=(0, None), method="highs-ipm", options=options
    )
    if res.status != 0 or res.x is None:
        return None, 0.0
    return res.x, pricer.base - float(res.fun)


def _round(
    problem: Problem, pats: Patterns, columns: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each employee's largest column, largest z first, while budget, seats and unit budgets allow; then greedy."""
    if not len(columns) or len(z) != len(columns):
        return greedy(problem)
    keep = z > 1e-6
    cols, weight = columns[keep], z[keep]
    order = np.lexsort((-pats.value[cols], -weight))
    cols = cols[order]
    _, first = np.unique(pats.emp[cols], return_index=True)
    cols = cols[np.sort(first)]  # one column per employee, best z first
    emp0, prog0 = problem.mandatory_employee, problem.mandatory_program
    budget = problem.budget - float(problem.cost[prog0].sum())
    seats = problem.seats - np.bincount(prog0, minlength=problem.n_programs)
    units = problem.unit_budget - np.bincount(
        problem.unit[emp0], weights=problem.cost[prog0], minlength=len(problem.unit_codes)
    )
    col_prog = pats.members[cols].tocsr()
    taken = []
    # Integral columns first, all at once when they fit together (they do whenever the master was solved).
    integral = weight[order][np.sort(first)] >= 1 - 1e-6
    idx = np.flatnonzero(integral)
    cost_i = pats.cost[cols[idx]]
    use_i = np.bincount(pats.pair_prog[col_prog[idx].indices], minlength=problem.n_programs)
    unit_i = np.bincount(problem.unit[pats.emp[cols[idx]]], weights=cost_i, minlength=len(units))
    if (
        cost_i.sum() <= budget + 1e-6
        and np.all(use_i <= seats + 1e-9)
        and np.all(unit_i <= units * (1 + 1e-12) + 1e-6)
    ):
        taken.extend(idx.tolist())
        budget -= float(cost_i.sum())
        seats = seats - use_i
        units = units - unit_i
        rest = np.flatnonzero(~integral)
    else:
        rest = np.arange(len(cols))
    for i in rest.tolist():
        progs = pats.pair_prog[col_prog[i].indices]
        cost = float(pats.cost[cols[i]])
        u = int(problem.unit[pats.emp[cols[i]]])
        if cost <= budget + 1e-6 and np.all(seats[progs] >= 1) and cost <= units[u] * (1 + 1e-12) + 1e-6:
            taken.append(i)
            budget -= cost
            seats[progs] -= 1
            units[u] -= cost
    emp, prog = _take(problem, pats, cols[np.array(taken, dtype=np.int64)])
    if violations(problem, emp, prog):
        emp, prog = problem.mandatory_employee, problem.mandatory_program
    # Fill: only pairs that still fit the money left (few once the master's plan is in).
    left = problem.budget - float(problem.cost[prog].sum())
    cand_emp, cand_prog = candidate_pairs(problem)
    fits = problem.cost[cand_prog] <= left + 1e-6
    return greedy(problem, start=(emp, prog), pairs=(cand_emp[fits], cand_prog[fits]))
