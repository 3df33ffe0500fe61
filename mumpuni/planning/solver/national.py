"""National scale (issue 8 §2): Lagrangian decomposition over employee *types*, vectorised with NumPy.

Budget and seats are priced out (λ per rupiah, μₚ per seat, all ≥ 0); unit budgets keep the price 0
(any ν ≥ 0 gives a valid bound, ν = 0 included) and are enforced by the repair. The relaxed problem splits
into one subproblem per employee: choose programmes within the residual JP cap maximising
wₑ·V(S) − Σ_{p∈S}(λcₚ + μₚ), V(S) = Σₖ iₖ min(residual gapₖ, Σ_{p∈S} uₚₖ).

That subproblem depends only on the employee's residual gap profile and JP left (its *profile*) and on
wₑ. Employees with equal (profile, weight) form a *type* and share one subproblem, so patterns (sets of
candidate programmes in which each one adds value; colgen.py explains why that set is exhaustive) are
enumerated once per profile and the dual is evaluated per pattern × weight level, never per employee:

    L(λ, μ) = value(mandatory plan) + λB′ + Σₚ μₚ s′ₚ + Σₜ nₜ · max(0, maxₛ (wₜV(S) − λc(S) − μ(S)))

is a proven upper bound for every λ, μ ≥ 0 (weak duality; B′, s′ are what the mandatory pairs leave).
Prices: the duals of a sampled LP (colgen._sample_prices), a few projected Polyak subgradient steps, and
the duals of the restricted master LP, keeping the smallest L. Plan: types with a clear choice at the best
prices are fixed to it; a restricted Dantzig–Wolfe master LP over the other types splits them between
patterns — one LP up to MASTER_MAX_TYPES contested types, above that one LP per random chunk of
MASTER_CHUNK_TYPES types with its share of the budget and seats left (`_shares`); the floor of its solution
(or, without a master, each type's best pattern at the prices) is placed by a vectorised rule that keeps
people in priority order (value net of seat prices per rupiah, or reduced value) while seats, unit budgets
and the budget hold; fill rounds give the people left their best pattern among programmes that still have
seats. Several repairs (REPAIRS) are tried and the best plan is kept. Nothing here is a dense employee ×
programme matrix.
See docs/optimizer.md ("National scale").
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .instance import MAX_LEVEL, Problem
from .synthetic import MANAGERIAL

Progress = Callable[[float, str], None]

MAX_PATTERNS = 60_000_000
# Price factor per fill round: the same prices first (people whose pattern lost its seats take their next
# best), then slowly lower prices so that money left is spent on the next best value per rupiah.
DECAY = (1.0, 1.0, 0.97, 0.94, 0.9, 0.85, 0.8, 0.7, 0.6, 0.45, 0.3, 0.0)
# The finer schedule of the "reduced" repair (people by reduced value at the prices, not per rupiah).
FINE_DECAY: tuple[float, ...] = (1.0, 1.0, 0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.92, 0.9, 0.88, 0.85)
FINE_DECAY += (0.82, 0.78, 0.74, 0.7, 0.6, 0.5, 0.3, 0.0)
# Repairs tried at the best prices without a master, best plan kept: (priority, price schedule).
# "net" with DECAY is the plain repair (value net of seat prices per rupiah); measured at 300,000 ASN
# without the master: net 624,178, shadow 624,490, reduced 631,260, reduced + FINE_DECAY 632,608.
REPAIRS = (("reduced", FINE_DECAY), ("net", DECAY), ("shadow", FINE_DECAY))
MASTER_TOP = 2  # each type's best patterns at the best prices enter the master
FIRST_DUAL_STEPS = 4  # subgradient steps after the sampled-LP prices (mostly to collect master columns)
PRIMAL_EVALS = 8  # time kept for the repair, in dual evaluations
MASTER_MAX_TYPES = 60_000  # master LP size cap (46,000 types ≈ 16–25 s of HiGHS IPM on the 2-core machine)
# Above MASTER_MAX_TYPES contested types the master is solved in chunks of MASTER_CHUNK_TYPES random types
# (at 300,000 ASN: 4 chunks of ≈ 11,500 types take 8.7 s against 16–25 s for one master of 46,135 types).
MASTER_CHUNK_TYPES = 15_000
MASTER_MAX_CHUNKS = 16  # above that many chunks the repair works without a master
MASTER_MARGIN = 0.05  # a type is fixed when its best option beats the next by 5 % of its value
MASTER_METHOD = "highs-ipm"  # measured faster than dual simplex on the type master
SAMPLE_EMPLOYEES = 15_000  # LP relaxation of this many employees gives the starting prices
MIN_THETA = 1e-4


def _log(message: str) -> None:
    if os.environ.get("MUMPUNI_SOLVER_LOG"):
        print(message, flush=True)


class NationalTooLarge(RuntimeError):
    """The profiles have too many patterns for this method (the caller falls back to another)."""


@dataclass
class NationalOutcome:
    emp: np.ndarray
    prog: np.ndarray
    objective: float
    bound: float
    greedy_objective: float | None
    iterations: int
    stats: dict[str, float | int] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return 0.0 if self.bound <= 1e-9 else max(0.0, (self.bound - self.objective) / self.bound)


# --------------------------------------------------------------------------------------------------
# Residual instance, profiles and types
# --------------------------------------------------------------------------------------------------


@dataclass
class _Types:
    base_value: float
    budget: float  # B′ (rupiah)
    seats: np.ndarray  # s′ (P,)
    unit_budget: np.ndarray  # B′ᵤ (U,)
    n_profiles: int
    # Profiles as a CSR of residual needs (profile → competency).
    prof_indptr: np.ndarray
    prof_comp: np.ndarray
    prof_need: np.ndarray
    prof_jp: np.ndarray  # JP left
    # Types: (profile, weight level).
    type_profile: np.ndarray
    type_weight: np.ndarray  # index into weights
    type_count: np.ndarray
    weights: np.ndarray  # distinct weight levels
    # Employees of each type, contiguous: employees[type_start[t]:type_start[t+1]].
    type_start: np.ndarray
    employees: np.ndarray
    forbidden: np.ndarray  # profile·P + programme pairs that are mandatory (already assigned)


def _residual(problem: Problem) -> tuple[np.ndarray, np.ndarray, float]:
    """(residual need per gap entry, JP left per employee, value of the mandatory plan)."""
    m_emp, m_prog = problem.mandatory_employee, problem.mandatory_program
    need = problem.gap_value.astype(np.int8).copy()
    rows = problem.gap_rows()
    base = 0.0
    if len(m_emp):
        # Only employees with mandatory pairs change: a small sparse product.
        who = np.unique(m_emp)
        entries_of = np.isin(rows, who)
        idx = np.flatnonzero(entries_of)
        x = sp.csr_matrix(
            (np.ones(len(m_emp)), (m_emp, m_prog)), shape=(problem.n_employees, problem.n_programs)
        )
        x.sum_duplicates()
        cover = x[rows[idx]]  # (entries, P)
        up = np.asarray(
            (cover @ sp.csr_matrix(problem.uplift.astype(np.float64)))[
                np.arange(len(idx)), problem.gap_comp[idx]
            ]
        ).ravel()
        closed = np.minimum(problem.gap_value[idx].astype(np.float64), up)
        base = float(np.sum(problem.weight[rows[idx]] * problem.importance[problem.gap_comp[idx]] * closed))
        need[idx] = (problem.gap_value[idx] - closed).astype(np.int8)
    jp_left = problem.max_jp - np.bincount(m_emp, weights=problem.jp[m_prog], minlength=problem.n_employees)
    return need, jp_left, base


def _build_types(problem: Problem) -> _Types:
    n_emp, n_comp = problem.n_employees, problem.n_competencies
    need, jp_left, base = _residual(problem)
    rows = problem.gap_rows()
    useful = (need > 0) & (problem.importance[problem.gap_comp] > 0) & (problem.weight[rows] > 0)
    rows_u, comp_u, need_u = rows[useful], problem.gap_comp[useful], need[useful]
    counts = np.bincount(rows_u, minlength=n_emp)
    active = np.flatnonzero(counts > 0)
    # Profile key: the residual (competency, need) codes, padded, plus the JP left.
    n_slots = int(counts.max()) if len(active) else 0
    starts = np.concatenate([[0], np.cumsum(counts)])
    slot = np.arange(len(rows_u)) - starts[rows_u]
    code = comp_u.astype(np.int64) * (MAX_LEVEL + 1) + need_u  # ≥ 1
    jp_values, jp_index = np.unique(jp_left[active], return_inverse=True)
    bits = max(1, int(math.ceil(math.log2(n_comp * (MAX_LEVEL + 1) + 1))))
    jp_bits = max(1, int(math.ceil(math.log2(len(jp_values) + 1))))
    position = np.full(n_emp, -1, dtype=np.int64)
    position[active] = np.arange(len(active))
    if bits * n_slots + jp_bits <= 62:
        mat = np.zeros((len(active), n_slots), dtype=np.int64)
        mat[position[rows_u], slot] = code << (bits * slot + jp_bits)
        key = mat.sum(axis=1) | jp_index.astype(np.int64)  # the fields do not overlap: sum = or
        del mat
        _, prof_of = np.unique(key, return_inverse=True)
    else:  # general case: rows of a padded matrix, compared as bytes
        mat = np.zeros((len(active), n_slots + 1), dtype=np.int64)
        mat[position[rows_u], slot] = code
        mat[:, n_slots] = jp_index
        view = np.ascontiguousarray(mat).view(np.dtype((np.void, mat.dtype.itemsize * mat.shape[1])))
        _, prof_of = np.unique(view.ravel(), return_inverse=True)
    prof_of = prof_of.ravel().astype(np.int64)
    # An employee with mandatory pairs gets a profile of their own: their mandatory programmes are not
    # candidates again (few employees, so few extra profiles).
    m_emp, m_prog = problem.mandatory_employee, problem.mandatory_program
    own = position[np.unique(m_emp)]
    own = own[own >= 0]
    prof_of[own] = prof_of.max(initial=-1) + 1 + np.arange(len(own))
    _, prof_of = np.unique(prof_of, return_inverse=True)
    prof_of = prof_of.ravel().astype(np.int64)
    n_prof = int(prof_of.max(initial=-1)) + 1
    # One representative employee per profile gives the profile's gaps.
    rep = np.full(n_prof, -1, dtype=np.int64)
    rep[prof_of[::-1]] = active[::-1]
    rep_counts = counts[rep]
    prof_indptr = np.concatenate([[0], np.cumsum(rep_counts)]).astype(np.int64)
    take = np.repeat(starts[rep], rep_counts) + (
        np.arange(int(rep_counts.sum())) - np.repeat(prof_indptr[:-1], rep_counts)
    )
    weights, w_index = np.unique(problem.weight[active], return_inverse=True)
    type_key = prof_of.astype(np.int64) * len(weights) + w_index.ravel()
    type_ids, type_of, type_count = np.unique(type_key, return_inverse=True, return_counts=True)
    order = np.argsort(type_of.ravel(), kind="stable")
    has_pos = position[m_emp] >= 0
    forbid = np.unique(prof_of[position[m_emp[has_pos]]] * problem.n_programs + m_prog[has_pos])
    return _Types(
        base_value=base,
        budget=problem.budget - float(problem.cost[m_prog].sum()),
        seats=problem.seats - np.bincount(m_prog, minlength=problem.n_programs),
        unit_budget=problem.unit_budget
        - np.bincount(
            problem.unit[problem.mandatory_employee],
            weights=problem.cost[m_prog],
            minlength=len(problem.unit_codes),
        ),
        n_profiles=n_prof,
        prof_indptr=prof_indptr,
        prof_comp=comp_u[take].astype(np.int32),
        prof_need=need_u[take].astype(np.int8),
        prof_jp=jp_left[rep],
        type_profile=(type_ids // len(weights)).astype(np.int64),
        type_weight=(type_ids % len(weights)).astype(np.int64),
        type_count=type_count.astype(np.int64),
        weights=weights,
        type_start=np.concatenate([[0], np.cumsum(type_count)]).astype(np.int64),
        employees=active[order],
        forbidden=forbid,
    )


# --------------------------------------------------------------------------------------------------
# Patterns per profile
# --------------------------------------------------------------------------------------------------


@dataclass
class _Patterns:
    profile: np.ndarray  # (n,) sorted
    value: np.ndarray  # (n,) Σ iₖ · closed levels (unweighted)
    cost: np.ndarray  # (n,) rupiah
    members: sp.csr_matrix  # (n, P) 0/1
    start: np.ndarray  # (profiles+1,)


def _patterns(problem: Problem, types: _Types) -> _Patterns:
    n_prof = types.n_profiles
    n_prog = problem.n_programs
    counts = np.diff(types.prof_indptr)
    rows = np.repeat(np.arange(n_prof), counts)
    n_slots = max(int(counts.max()) if n_prof else 1, 1)
    slot = np.arange(len(rows)) - types.prof_indptr[rows]
    # Candidate programmes: lift a residual gap, fit the JP left, have a seat and fit the budget.
    gaps = sp.csr_matrix(
        (np.ones(len(rows)), types.prof_comp, types.prof_indptr), shape=(n_prof, problem.n_competencies)
    )
    reach = sp.csr_matrix((problem.uplift > 0).T.astype(np.float64))
    pairs = (gaps @ reach).tocoo()
    pair_prof, pair_prog = pairs.row.astype(np.int64), pairs.col.astype(np.int64)
    keep = (
        (problem.jp[pair_prog] <= types.prof_jp[pair_prof] + 1e-9)
        & (types.seats[pair_prog] >= 1)
        & (problem.cost[pair_prog] <= types.budget + 1e-6)
    )
    key = np.setdiff1d(np.unique(pair_prof[keep] * n_prog + pair_prog[keep]), types.forbidden)
    pair_prof, pair_prog = key // n_prog, key % n_prog
    need = np.zeros((n_prof, n_slots), dtype=np.int8)
    gain = np.zeros((n_prof, n_slots))
    comp = np.zeros((n_prof, n_slots), dtype=np.int64)
    need[rows, slot] = types.prof_need
    gain[rows, slot] = problem.importance[types.prof_comp]
    comp[rows, slot] = types.prof_comp
    up = np.minimum(problem.uplift[pair_prog[:, None], comp[pair_prof]], need[pair_prof]).astype(np.int16)
    pair_start = np.searchsorted(pair_prof, np.arange(n_prof + 1))
    pair_jp = problem.jp[pair_prog]
    pair_cost = problem.cost[pair_prog]
    need16 = need.astype(np.int16)

    # Level by level: a child adds a later candidate that closes more, and is dropped if that makes an
    # earlier member redundant (closing nothing the others do not): a redundant member only adds price.
    owners = np.flatnonzero(np.diff(pair_start) > 0)
    p_prof, p_last = owners, pair_start[owners] - 1
    p_sum = np.zeros((len(owners), n_slots), dtype=np.int16)
    p_jp = np.zeros(len(owners))
    p_val = np.zeros(len(owners))
    p_cost = np.zeros(len(owners))
    p_mem = np.zeros((len(owners), 0), dtype=np.int64)
    out: list[tuple[np.ndarray, ...]] = []
    total = 0
    while len(p_prof):
        n_child = pair_start[p_prof + 1] - (p_last + 1)
        parent = np.repeat(np.arange(len(p_prof)), n_child)
        q = np.repeat(p_last + 1, n_child) + (
            np.arange(len(parent)) - np.repeat(np.cumsum(n_child) - n_child, n_child)
        )
        jp = p_jp[parent] + pair_jp[q]
        ok = jp <= types.prof_jp[pair_prof[q]] + 1e-9
        parent, q, jp = parent[ok], q[ok], jp[ok]
        e = pair_prof[q]
        ne = need16[e]
        old_sum = p_sum[parent]
        new_sum = old_sum + up[q]
        new_c = np.minimum(ne, new_sum)
        g = gain[e]
        delta = np.einsum("ij,ij->i", (new_c - np.minimum(ne, old_sum)).astype(np.float64), g)
        ok = delta > 1e-12
        mem = p_mem[parent]
        for j in range(mem.shape[1]):
            without = np.minimum(ne, new_sum - up[mem[:, j]])
            ok &= np.einsum("ij,ij->i", (new_c - without).astype(np.float64), g) > 1e-12
        parent, q, e, jp, new_sum, delta, mem = (
            parent[ok],
            q[ok],
            e[ok],
            jp[ok],
            new_sum[ok],
            delta[ok],
            mem[ok],
        )
        value = p_val[parent] + delta
        cost = p_cost[parent] + pair_cost[q]
        mem = np.concatenate([mem, q[:, None]], axis=1)
        total += len(q)
        if total > MAX_PATTERNS:
            raise NationalTooLarge(f"more than {MAX_PATTERNS} patterns")
        out.append((e, value, cost, pair_prog[mem].astype(np.int32)))
        p_prof, p_last, p_sum, p_jp, p_val, p_cost, p_mem = e, q, new_sum, jp, value, cost, mem
    del p_sum, p_mem
    if out:
        prof = np.concatenate([o[0] for o in out])
        value = np.concatenate([o[1] for o in out])
        cost = np.concatenate([o[2] for o in out])
        sizes = np.concatenate([np.full(len(o[0]), o[3].shape[1]) for o in out])
        indices = np.concatenate([o[3].ravel() for o in out])
    else:
        prof, value, cost = np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
        sizes, indices = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    del out
    indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    members = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(prof), n_prog))
    order = np.argsort(prof, kind="stable")
    prof, value, cost = prof[order], value[order], cost[order]
    members = members[order]
    return _Patterns(prof, value, cost, members, np.searchsorted(prof, np.arange(n_prof + 1)))


# --------------------------------------------------------------------------------------------------
# Dual
# --------------------------------------------------------------------------------------------------


class _Dual:
    def __init__(self, problem: Problem, types: _Types, pats: _Patterns) -> None:
        self.problem, self.types, self.pats = problem, types, pats
        self.owners = np.flatnonzero(np.diff(pats.start) > 0)
        self.block_start = pats.start[self.owners]
        self.block_len = np.diff(np.append(self.block_start, len(pats.value)))
        self.owner_of = np.full(types.n_profiles, -1, dtype=np.int64)
        self.owner_of[self.owners] = np.arange(len(self.owners))
        self.type_owner = self.owner_of[types.type_profile]
        self.seat_rows = np.flatnonzero(np.isfinite(types.seats))
        self.members_t = pats.members.T.tocsr()
        # Of the last `best` call: each type's best reduced value (may be < 0) and that pattern.
        self.raw_best = np.full(len(types.type_profile), -np.inf)
        self.raw_pattern = np.full(len(types.type_profile), -1, dtype=np.int64)

    def best(
        self, lam: float, mu: np.ndarray, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per type: best reduced value (≥ 0) and its pattern (−1 = nothing) at prices (λ per rupiah, μ)."""
        pats, types = self.pats, self.types
        price = lam * pats.cost + pats.members @ mu
        if allowed is not None:
            price = np.where(allowed, price, np.inf)
        best_t = np.zeros(len(types.type_profile))
        chosen_t = np.full(len(types.type_profile), -1, dtype=np.int64)
        if not len(self.owners):
            return best_t, chosen_t
        for j, w in enumerate(types.weights):
            in_j = (types.type_weight == j) & (self.type_owner >= 0)
            if not in_j.any():
                continue
            reduced = w * pats.value - price
            best = np.maximum.reduceat(reduced, self.block_start)
            hit = np.flatnonzero(reduced == np.repeat(best, self.block_len))
            first = hit[np.searchsorted(hit, self.block_start)]
            owner = self.type_owner[in_j]
            b = best[owner]
            best_t[in_j] = np.maximum(b, 0.0)
            chosen_t[in_j] = np.where(b > 1e-12, first[owner], -1)
            self.raw_best[in_j] = b
            self.raw_pattern[in_j] = first[owner]
        return best_t, chosen_t

    def top(self, lam: float, mu: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(type, pattern, reduced value) of each type's k best patterns at the prices, best first."""
        pats, types = self.pats, self.types
        price = lam * pats.cost + pats.members @ mu
        out_t: list[np.ndarray] = []
        out_p: list[np.ndarray] = []
        out_r: list[np.ndarray] = []
        for j, w in enumerate(types.weights):
            in_j = np.flatnonzero((types.type_weight == j) & (self.type_owner >= 0))
            if not len(in_j):
                continue
            reduced = w * pats.value - price
            for _ in range(k):
                best = np.maximum.reduceat(reduced, self.block_start)
                hit = np.flatnonzero(reduced == np.repeat(best, self.block_len))
                first = hit[np.searchsorted(hit, self.block_start)]
                owner = self.type_owner[in_j]
                ok = best[owner] > -np.inf
                out_t.append(in_j[ok])
                out_p.append(first[owner[ok]])
                out_r.append(best[owner[ok]])
                reduced[first] = -np.inf
        if not out_t:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(out_t), np.concatenate(out_p), np.concatenate(out_r)

    def best_ratio(self, allowed: np.ndarray) -> np.ndarray:
        """Per type: the allowed pattern of best value per rupiah (−1 = none); the weight does not matter."""
        pats = self.pats
        chosen_t = np.full(len(self.types.type_profile), -1, dtype=np.int64)
        if not len(self.owners):
            return chosen_t
        ratio = np.where(pats.cost > 0, pats.value / np.maximum(pats.cost, 1e-9), np.inf)
        ratio = np.where(allowed, ratio, -np.inf)
        best = np.maximum.reduceat(ratio, self.block_start)
        hit = np.flatnonzero(ratio == np.repeat(best, self.block_len))
        first = np.where(best > -np.inf, hit[np.searchsorted(hit, self.block_start)], -1)
        has = self.type_owner >= 0
        chosen_t[has] = first[self.type_owner[has]]
        return chosen_t

    def evaluate(self, lam: float, mu: np.ndarray) -> tuple[float, np.ndarray]:
        types = self.types
        best_t, chosen_t = self.best(lam, mu)
        fin = self.seat_rows
        dual = (
            types.base_value
            + lam * types.budget
            + float(np.sum(mu[fin] * types.seats[fin]))
            + float(np.dot(types.type_count, best_t))
        )
        return dual, chosen_t

    def usage(self, chosen_t: np.ndarray, count: np.ndarray | None = None) -> tuple[float, np.ndarray]:
        """(money, seats per programme) if every employee of a type takes its chosen pattern."""
        count = self.types.type_count if count is None else count
        sel = chosen_t >= 0
        per_pattern = np.bincount(chosen_t[sel], weights=count[sel], minlength=len(self.pats.value))
        return float(per_pattern @ self.pats.cost), self.members_t @ per_pattern


# --------------------------------------------------------------------------------------------------
# Primal: assign, repair, fill
# --------------------------------------------------------------------------------------------------


def top_k_rank(items: np.ndarray) -> np.ndarray:
    """Rank of each item among the earlier equal items (0 for the first occurrence)."""
    order = np.argsort(items, kind="stable")
    sorted_items = items[order]
    first = np.searchsorted(sorted_items, sorted_items)
    rank = np.empty(len(items), dtype=np.int64)
    rank[order] = np.arange(len(items)) - first
    return rank


def _group_prefix_ok(group: np.ndarray, amount: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Items are in priority order; keep those whose running total within their group fits its capacity."""
    if not len(group):
        return np.zeros(0, dtype=bool)
    order = np.argsort(group, kind="stable")
    g = group[order]
    run = np.cumsum(amount[order])
    first = np.searchsorted(g, g)  # first position of each item's group
    before = np.where(first > 0, run[first - 1], 0.0)
    ok_sorted = run - before <= capacity[g] * (1 + 1e-12) + 1e-6
    ok = np.empty(len(group), dtype=bool)
    ok[order] = ok_sorted
    return ok


def _place(
    problem: Problem,
    types: _Types,
    pats: _Patterns,
    emp: np.ndarray,
    pattern: np.ndarray,
    priority: np.ndarray,
    budget: float,
    seats: np.ndarray,
    unit_budget: np.ndarray,
) -> np.ndarray:
    """Which of the proposed (employee, pattern) fit together; proposals in descending priority."""
    order = np.argsort(-priority, kind="stable")
    emp, pattern = emp[order], pattern[order]
    keep = np.ones(len(emp), dtype=bool)
    members = pats.members
    for _ in range(3):  # seats: rank of each proposal among the kept ones using the same programme
        idx = np.flatnonzero(keep)
        sizes = np.diff(members.indptr)[pattern[idx]]
        owner = np.repeat(idx, sizes)
        progs = members[pattern[idx]].indices.astype(np.int64)
        ok = _group_prefix_ok(progs, np.ones(len(progs)), np.where(np.isfinite(seats), seats, np.inf))
        bad = np.unique(owner[~ok])
        if not len(bad):
            break
        keep[bad] = False
    after_seats = int(keep.sum())
    cost = pats.cost[pattern]
    idx = np.flatnonzero(keep)
    ok = _group_prefix_ok(problem.unit[emp[idx]].astype(np.int64), cost[idx], unit_budget)
    keep[idx[~ok]] = False
    after_units = int(keep.sum())
    idx = np.flatnonzero(keep)
    ok = np.cumsum(cost[idx]) <= budget + 1e-6
    keep[idx[~ok]] = False
    _log(
        f"  place: {len(emp)} proposed, {after_seats} after seats, {after_units} after unit budgets, "
        f"{int(keep.sum())} after the budget"
    )
    out = np.zeros(len(emp), dtype=bool)
    out[order] = keep
    return out


def _primal(
    problem: Problem,
    types: _Types,
    pats: _Patterns,
    dual: _Dual,
    lam: float,
    mu: np.ndarray,
    *,
    deadline: float,
    ratio: bool = False,
    initial: tuple[np.ndarray, np.ndarray] | None = None,
    priority_mode: str = "net",
    decay: tuple[float, ...] = DECAY,
) -> tuple[np.ndarray, float]:
    """Pattern per employee row (−1 = none) and the plan's objective.

    Round 0 proposes each type's best pattern at the prices; people are placed by value per rupiah net
    of seat prices while seats, unit budgets and the budget allow (`_place`). Later rounds offer the people
    left their best pattern among programmes that still have seats and fit the money left, at prices
    lowered by DECAY per round so that money left over is spent. With `ratio` (the baseline) every round
    proposes each type's best value-per-rupiah pattern instead.
    """
    n_types = len(types.type_profile)
    assigned = np.full(problem.n_employees, -1, dtype=np.int64)
    budget, seats, unit_budget = types.budget, types.seats.copy(), types.unit_budget.copy()
    pending = np.ones(len(types.employees), dtype=bool)  # position in types.employees not yet placed
    allowed = np.ones(len(pats.value), dtype=bool)
    type_of_pos = np.repeat(np.arange(n_types), types.type_count)
    weight_t = types.weights[types.type_weight]
    seat_fin = np.isfinite(seats)
    seat_price = pats.members @ mu
    rounds = len(decay) + (1 if initial is not None else 0)
    for round_ in range(rounds):
        if initial is not None and round_ == 0:
            pos, pattern = initial
            t = type_of_pos[pos]
            factor = 1.0
        else:
            factor = decay[min(round_ - (1 if initial is not None else 0), len(decay) - 1)]
            if ratio:
                chosen_t = dual.best_ratio(allowed)
            else:
                _, chosen_t = dual.best(lam * factor, mu * factor, allowed)
            pos = np.flatnonzero(pending & (chosen_t[type_of_pos] >= 0))
            if not len(pos):
                continue
            t = type_of_pos[pos]
            pattern = chosen_t[t]
        cost = pats.cost[pattern]
        gross = weight_t[t] * pats.value[pattern]
        if ratio or priority_mode == "net":
            net = gross - (0.0 if ratio else factor * seat_price[pattern])
            priority = np.where(cost > 0, net / np.maximum(cost, 1e-9), np.inf)
        elif priority_mode == "shadow":  # value per priced use of budget and seats
            shadow = factor * (lam * cost + seat_price[pattern])
            priority = np.where(shadow > 0, gross / np.maximum(shadow, 1e-12), np.inf)
        else:  # "reduced": reduced value at the prices
            priority = gross - factor * (lam * cost + seat_price[pattern])
        emp = types.employees[pos]
        ok = _place(problem, types, pats, emp, pattern, priority, budget, seats, unit_budget)
        got = pos[ok]
        assigned[types.employees[got]] = pattern[ok]
        pending[got] = False
        used_cost = pats.cost[pattern[ok]]
        budget -= float(used_cost.sum())
        unit_budget = unit_budget - np.bincount(
            problem.unit[emp[ok]], weights=used_cost, minlength=len(unit_budget)
        )
        per_pattern = np.bincount(pattern[ok], minlength=len(pats.value)).astype(np.float64)
        seats = seats - dual.members_t @ per_pattern
        full = np.flatnonzero(seat_fin & (seats < 1 - 1e-9))
        blocked = np.zeros(len(allowed), dtype=bool)
        if len(full):
            blocked[dual.members_t[full].indices] = True
        allowed = ~blocked & (pats.cost <= budget + 1e-6)
        _log(f"fill round {round_}: placed {int(ok.sum())} of {len(pos)}, budget left {budget:,.0f}")
        if time.perf_counter() > deadline or not allowed.any():
            break
    on = assigned >= 0
    value = types.base_value + float(np.sum(problem.weight[on] * pats.value[assigned[on]]))
    return assigned, value


def _master(
    types: _Types,
    pats: _Patterns,
    col_type: np.ndarray,
    col_pat: np.ndarray,
    scale: float,
    deadline: float,
    budget: float,
    seats: np.ndarray,
) -> tuple[np.ndarray, float, float, np.ndarray] | None:
    """Restricted master LP over type columns: max Σ wₜV(s) zₜₛ, Σₛ zₜₛ ≤ nₜ, budget, seats, z ≥ 0.

    Returns (z, LP value, budget dual λ·scale, seat duals μ) or None (failed / out of time).
    """
    from scipy.optimize import linprog

    n_col = len(col_type)
    if not n_col:
        return None
    used_types, type_row = np.unique(col_type, return_inverse=True)
    seat_rows = np.flatnonzero(np.isfinite(types.seats))
    seat_row_of = np.full(len(types.seats), -1)
    seat_row_of[seat_rows] = np.arange(len(seat_rows))
    sub = pats.members[col_pat]
    col_of_entry = np.repeat(np.arange(n_col), np.diff(sub.indptr))
    rows_prog = seat_row_of[sub.indices]
    fin = rows_prog >= 0
    n_t = len(used_types)
    matrix = sp.vstack(
        [
            sp.csr_matrix((np.ones(n_col), (type_row, np.arange(n_col))), shape=(n_t, n_col)),
            sp.csr_matrix(pats.cost[col_pat][None, :] / scale),
            sp.csr_matrix(
                (np.ones(int(fin.sum())), (rows_prog[fin], col_of_entry[fin])), shape=(len(seat_rows), n_col)
            ),
        ]
    ).tocsr()
    rhs = np.concatenate(
        [types.type_count[used_types].astype(np.float64), [budget / scale], seats[seat_rows]]
    )
    value = types.weights[types.type_weight[col_type]] * pats.value[col_pat]
    options: dict[str, float | bool] = {"presolve": True}
    if math.isfinite(deadline):
        left = deadline - time.perf_counter()
        if left < 0.5:
            return None
        options["time_limit"] = left
    res = linprog(-value, A_ub=matrix, b_ub=rhs, bounds=(0, None), method=MASTER_METHOD, options=options)
    if res.status != 0 or res.x is None:
        return None
    duals = np.maximum(-np.asarray(res.ineqlin.marginals), 0.0)
    mu = np.zeros(len(types.seats))
    mu[seat_rows] = duals[n_t + 1 :]
    return res.x, -float(res.fun), float(duals[n_t]), mu


def _shares(
    dual: _Dual,
    types: _Types,
    proposal: np.ndarray,
    chunk_of: np.ndarray,
    n_chunks: int,
    money_f: float,
    seats_f: np.ndarray,
) -> list[tuple[float, np.ndarray]]:
    """Budget and seats left after the fixed types, split among chunks of types by their proposals' use.

    Seats are floored per chunk (so the chunks together never exceed what is left); a resource none of the
    proposals uses is split evenly.
    """
    budget_left = max(types.budget - money_f, 0.0)
    seats_left = np.maximum(types.seats - seats_f, 0.0)
    use = [dual.usage(np.where(chunk_of == c, proposal, -1)) for c in range(n_chunks)]
    money_all = sum(u[0] for u in use)
    seats_all = np.sum([u[1] for u in use], axis=0)
    out = []
    for money_c, seats_c in use:
        b = budget_left * (money_c / money_all if money_all > 0 else 1.0 / n_chunks)
        frac = np.where(seats_all > 0, seats_c / np.maximum(seats_all, 1e-12), 1.0 / n_chunks)
        s = np.where(
            np.isfinite(seats_left), np.floor(np.where(np.isfinite(seats_left), seats_left, 0) * frac), np.inf
        )
        out.append((b * (1 - 1e-12), s))
    return out


def _round_master(
    types: _Types, col_type: np.ndarray, col_pat: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The integral parts of the master solution as proposals (positions in types.employees, patterns)."""
    k = np.floor(z + 1e-6).astype(np.int64)
    keep = k > 0
    t, p, k = col_type[keep], col_pat[keep], k[keep]
    order = np.lexsort((p, t))
    t, p, k = t[order], p[order], k[order]
    first = np.searchsorted(t, t)
    run = np.cumsum(k)
    offset = run - k - np.where(first > 0, run[first - 1], 0)
    k = np.minimum(k, np.maximum(types.type_count[t] - offset, 0))
    n = int(k.sum())
    col = np.repeat(np.arange(len(t)), k)
    within = np.arange(n) - np.repeat(np.cumsum(k) - k, k)
    pos = types.type_start[t[col]] + offset[col] + within
    return pos, p[col]


def _plan_pairs(problem: Problem, pats: _Patterns, assigned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(assigned >= 0)
    sub = pats.members[assigned[rows]]
    emp = np.repeat(rows, np.diff(sub.indptr))
    return (
        np.concatenate([problem.mandatory_employee, emp]).astype(np.int64),
        np.concatenate([problem.mandatory_program, sub.indices]).astype(np.int64),
    )


# --------------------------------------------------------------------------------------------------
# The solver
# --------------------------------------------------------------------------------------------------


def solve_national(
    problem: Problem,
    *,
    time_limit: float | None = 120.0,
    target_gap: float = 0.01,
    progress: Progress | None = None,
    with_greedy: bool = True,
    max_iterations: int = 500,
) -> NationalOutcome:
    """A feasible plan and a proven bound. The instance must be feasible (plan.infeasibility_reasons)."""
    report = progress or (lambda fraction, message: None)
    started = time.perf_counter()
    deadline = math.inf if time_limit is None else started + time_limit
    stats: dict[str, float | int] = {}
    report(0.02, "types")
    types = _build_types(problem)
    stats["types_seconds"] = time.perf_counter() - started
    stats["profiles"] = types.n_profiles
    stats["types"] = len(types.type_profile)
    report(0.1, "patterns")
    pats = _patterns(problem, types)
    stats["patterns"] = len(pats.value)
    stats["pattern_members"] = int(pats.members.nnz)
    stats["setup_seconds"] = time.perf_counter() - started
    _log(f"national: {stats}")
    dual = _Dual(problem, types, pats)
    n_prog = problem.n_programs
    positive = problem.cost[problem.cost > 0]
    scale = float(np.median(positive)) if len(positive) else 1.0
    seat_rows = dual.seat_rows
    trivial = (
        types.base_value
        + float(
            np.sum(
                types.type_count
                * types.weights[types.type_weight]
                * np.add.reduceat(
                    problem.importance[types.prof_comp] * types.prof_need, types.prof_indptr[:-1]
                )[types.type_profile]
            )
        )
        if types.n_profiles
        else types.base_value
    )

    # Starting prices: the sampled LP's duals (colgen), else λ by bisection.
    mu = np.zeros(n_prog)
    report(0.2, "prices")
    try:
        from .colgen import _sample_prices

        unit_rows = np.flatnonzero(np.isfinite(problem.unit_budget))
        sampled = _sample_prices(
            problem, seat_rows, unit_rows, deadline, size=SAMPLE_EMPLOYEES, share_of_time=0.25
        )
    except Exception:  # noqa: BLE001 - any failure only costs the warm start
        sampled = None
    best_bound, best_lam, best_mu = min(trivial, math.inf), 0.0, mu.copy()
    candidates: list[tuple[float, np.ndarray]] = [(0.0, np.zeros(n_prog))]
    if sampled is not None:
        mu_s = np.zeros(n_prog)
        mu_s[seat_rows] = sampled[1 : 1 + len(seat_rows)]
        candidates.append((float(sampled[0]) / scale, mu_s))
    for lam_c, mu_c in candidates:
        value, chosen = dual.evaluate(lam_c, mu_c)
        if value < best_bound:
            best_bound, best_lam, best_mu = value, lam_c, mu_c.copy()
    if sampled is None:
        lo, hi = 0.0, 1.0 / scale
        for _ in range(40):
            value, chosen = dual.evaluate(hi, mu)
            if dual.usage(chosen)[0] <= types.budget:
                break
            hi *= 4
        for _ in range(10):
            mid = (lo + hi) / 2
            value, chosen = dual.evaluate(mid, mu)
            if value < best_bound:
                best_bound, best_lam, best_mu = value, mid, mu.copy()
            if dual.usage(chosen)[0] > types.budget:
                lo = mid
            else:
                hi = mid
    stats["start_bound"] = best_bound
    _log(f"start bound {best_bound:.2f} at {time.perf_counter() - started:.1f} s")

    setup = time.perf_counter() - started
    # Reserve for the primal: measured ≈ 3× one dual evaluation per fill round, plus the final checks.
    t0 = time.perf_counter()
    dual.evaluate(best_lam, best_mu)
    per_eval = time.perf_counter() - t0
    primal_reserve = max(1.0, PRIMAL_EVALS * per_eval) + 0.05 * setup
    best_value, best_assigned = -math.inf, None
    pi_lam, pi_mu = best_lam, best_mu.copy()
    theta, stall, iterations = 0.25, 0, 0
    target = 0.995 * best_bound  # Polyak target until there is a plan
    rounds = 0
    n_pat = len(pats.value)
    use_master = True
    repair_seconds = 0.0
    repaired_at: tuple[float, np.ndarray] | None = None
    # Chunked master of the last round: (λ, μ it was built at, per chunk (proposals, LP value)).
    chunk_memory: tuple[float, np.ndarray, list] | None = None

    def _columns(chosen: np.ndarray) -> np.ndarray:
        on = np.flatnonzero(chosen >= 0)
        return on * n_pat + chosen[on]

    seen: list[np.ndarray] = [_columns(dual.best(best_lam, best_mu)[1])]
    while True:
        rounds += 1
        # Dual phase: projected Polyak subgradient steps on (λ·scale, μ).
        stop_at = deadline - primal_reserve
        if rounds == 1 and math.isfinite(deadline):
            stop_at = min(stop_at, time.perf_counter() + 0.6 * (stop_at - time.perf_counter()))
        steps = max_iterations if sampled is None or rounds > 1 else min(max_iterations, FIRST_DUAL_STEPS)
        if rounds > 1 and int(stats.get("master_chunks", 1)) > 1:
            # A chunked master's duals are poor prices and the steps rarely lower the bound: a few steps
            # for new columns, then the time goes to a second chunked master (measured 1.01 → 0.78 % at
            # 300,000 ASN).
            steps = min(max_iterations, iterations + FIRST_DUAL_STEPS)
        while iterations < steps and time.perf_counter() + per_eval < stop_at:
            iterations += 1
            value, chosen = dual.evaluate(pi_lam, pi_mu)
            seen.append(_columns(chosen))
            if value < best_bound - 1e-9:
                best_bound, best_lam, best_mu, stall = value, pi_lam, pi_mu.copy(), 0
            else:
                stall += 1
                if stall >= 5:
                    theta, stall = theta / 2, 0
                    pi_lam, pi_mu = best_lam, best_mu.copy()
            if best_bound - best_value <= 0.5 * target_gap * best_bound:
                break
            if theta < MIN_THETA:
                break
            money, used = dual.usage(chosen)
            g_budget = (types.budget - money) / scale
            g_seats = types.seats[seat_rows] - used[seat_rows]
            norm = g_budget**2 + float(g_seats @ g_seats)
            if norm <= 1e-12:
                break
            step = theta * max(value - target, 1e-9 * abs(value)) / norm
            pi_lam = max(0.0, pi_lam - step * g_budget / scale)
            pi_mu = pi_mu.copy()
            pi_mu[seat_rows] = np.maximum(0.0, pi_mu[seat_rows] - step * g_seats)
            if iterations % 10 == 0:
                _log(
                    f"it {iterations}: L {value:.2f} best {best_bound:.2f} θ {theta:.4f} "
                    f"{time.perf_counter() - started:.1f} s"
                )
        report(0.6, "master")
        initial = None
        if use_master:
            _, chosen = dual.evaluate(best_lam, best_mu)
            seen.append(_columns(chosen))
            # Types with a clear choice at the best prices (their best option, a pattern or nothing, beats
            # the next by MASTER_MARGIN of its value) are fixed to it; only the others enter the master LP,
            # with what the fixed ones leave of the budget and seats: a much smaller LP.
            top_t, top_p, top_r = dual.top(best_lam, best_mu, MASTER_TOP)
            n_types = len(types.type_profile)
            r1 = np.full(n_types, -np.inf)
            p1 = np.full(n_types, -1, dtype=np.int64)
            r2 = np.full(n_types, -np.inf)
            first_k = top_k_rank(top_t)
            r1[top_t[first_k == 0]] = top_r[first_k == 0]
            p1[top_t[first_k == 0]] = top_p[first_k == 0]
            r2[top_t[first_k == 1]] = top_r[first_k == 1]
            second = np.where(r1 > 0, np.maximum(r2, 0.0), r1)
            size = types.weights[types.type_weight] * np.where(p1 >= 0, pats.value[np.maximum(p1, 0)], 1.0)
            clear = (np.maximum(r1, 0.0) - second > MASTER_MARGIN * size) | (p1 < 0)
            contested = ~clear
            stats["contested_types"] = int(contested.sum())
            if int(contested.sum()) > max(MASTER_MAX_TYPES, MASTER_CHUNK_TYPES * MASTER_MAX_CHUNKS):
                # Too many chunks for the time limit (and a master over part of the types measured worse
                # than none): the repair works on the Lagrangian choices instead.
                contested[:] = False
            fixed = np.where(~contested & (r1 > 0), p1, -1)
            money_f, seats_f = dual.usage(fixed)
            over = np.flatnonzero(seats_f > types.seats + 1e-9)
            if len(over):  # free the types whose pattern uses an over-subscribed programme (fill rounds)
                hit = np.zeros(len(pats.value), dtype=bool)
                hit[dual.members_t[over].indices] = True
                fixed = np.where((fixed >= 0) & hit[np.maximum(fixed, 0)], -1, fixed)
                money_f, seats_f = dual.usage(fixed)
            if money_f > types.budget:  # free the fixed types of lowest value per rupiah until it fits
                idx = np.flatnonzero(fixed >= 0)
                ratio_f = size[idx] / np.maximum(pats.cost[fixed[idx]], 1e-9)
                idx = idx[np.argsort(-ratio_f, kind="stable")]
                spend = np.cumsum(types.type_count[idx] * pats.cost[fixed[idx]])
                fixed[idx[spend > types.budget]] = -1
                money_f, seats_f = dual.usage(fixed)
            keys = np.unique(np.concatenate(seen + [top_t * n_pat + top_p]))
            seen = [keys]
            keys = keys[contested[keys // n_pat]]
            stats["master_types"] = int(contested.sum())
            col_type, col_pat = keys // n_pat, keys % n_pat
            left = deadline - time.perf_counter() - primal_reserve
            t0 = time.perf_counter()
            # Over MASTER_MAX_TYPES contested types the master is split into chunks of random types, each
            # with the share of the budget and seats left that its types' best patterns would use.
            n_contested = int(contested.sum())
            n_chunks = 1 if n_contested <= MASTER_MAX_TYPES else math.ceil(n_contested / MASTER_CHUNK_TYPES)
            stats["master_chunks"] = n_chunks
            if n_chunks == 1:
                chunk_of = np.zeros(n_types, dtype=np.int64)
                shares = [(types.budget - money_f, types.seats - seats_f)]
            else:
                chunk_of = np.random.default_rng(0).integers(n_chunks, size=n_types)
                shares = _shares(
                    dual, types, np.where(contested, p1, -1), chunk_of, n_chunks, money_f, seats_f
                )
            parts: list[tuple[np.ndarray, np.ndarray]] = []
            master_value, lam_m, mu_m = 0.0, 0.0, np.zeros(n_prog)
            chunk_duals: list[tuple[float, np.ndarray]] = []
            chunk_values: list[float] = []
            same_prices = (
                chunk_memory is not None
                and chunk_memory[0] == best_lam
                and np.array_equal(chunk_memory[1], best_mu)
                and len(chunk_memory[2]) == n_chunks
            )
            failed = False
            for c in range(n_chunks):
                in_c = chunk_of[col_type] == c
                left = deadline - time.perf_counter() - primal_reserve
                master = _master(
                    types,
                    pats,
                    col_type[in_c],
                    col_pat[in_c],
                    scale,
                    time.perf_counter() + 0.9 * left / (n_chunks - c)
                    if math.isfinite(deadline)
                    else math.inf,
                    shares[c][0],
                    shares[c][1],
                )
                if master is None:
                    if same_prices and chunk_memory is not None:
                        # Out of time in a later round: the chunk keeps its result of the last round
                        # (same prices, so the same fixed types, chunks and shares).
                        parts.append(chunk_memory[2][c][0])
                        chunk_values.append(chunk_memory[2][c][1])
                        master_value += chunk_memory[2][c][1]
                        continue
                    failed = True
                    break
                z, value_c, lam_m, mu_m = master
                chunk_duals.append((lam_m, mu_m))
                parts.append(_round_master(types, col_type[in_c], col_pat[in_c], z))
                if same_prices and chunk_memory is not None and value_c < chunk_memory[2][c][1]:
                    parts[-1], value_c = chunk_memory[2][c]  # more columns cannot lower an LP optimum
                chunk_values.append(value_c)
                master_value += value_c
                _log(
                    f"master chunk {c + 1}/{n_chunks}: value {value_c:.2f}, {time.perf_counter() - t0:.1f} s"
                )
            if not failed:
                chunk_memory = (best_lam, best_mu.copy(), list(zip(parts, chunk_values, strict=True)))
            if n_chunks > 1 and chunk_duals:
                # One chunk's duals are poor prices for all types; their mean (the chunks are random
                # samples of the contested types with their share of the resources) is a candidate.
                lam_m = float(np.mean([d[0] for d in chunk_duals]))
                mu_m = np.mean([d[1] for d in chunk_duals], axis=0)
            master_ok = not failed
            stats["master_seconds"] = stats.get("master_seconds", 0.0) + time.perf_counter() - t0
            if master_ok:
                stats["master_columns"] = len(keys)
                stats["master_value"] = master_value
                pos_m = np.concatenate([p[0] for p in parts])
                pat_m = np.concatenate([p[1] for p in parts])
                fixed_types = np.flatnonzero(fixed >= 0)
                counts_f = types.type_count[fixed_types]
                pos_f = np.repeat(types.type_start[fixed_types], counts_f) + (
                    np.arange(int(counts_f.sum())) - np.repeat(np.cumsum(counts_f) - counts_f, counts_f)
                )
                initial = (
                    np.concatenate([pos_f, pos_m]),
                    np.concatenate([np.repeat(fixed[fixed_types], counts_f), pat_m]),
                )
                _log(f"master over {int(contested.sum())} of {n_types} types; {len(pos_f)} people fixed")
                # The master's duals are prices too (any λ, μ ≥ 0 give a bound): a candidate and columns.
                value, chosen = (
                    dual.evaluate(lam_m / scale, mu_m)
                    if chunk_duals
                    else (math.inf, np.zeros(0, dtype=np.int64))
                )
                seen.append(_columns(chosen))
                if value < best_bound:
                    best_bound, best_lam, best_mu = value, lam_m / scale, mu_m.copy()
                    pi_lam, pi_mu = best_lam, best_mu.copy()
                _log(
                    f"master: {len(keys)} columns, value {master_value:.2f}, L at its duals {value:.2f}, "
                    f"{time.perf_counter() - t0:.1f} s"
                )
            else:
                use_master = False
        report(0.7, "repair")
        moved = (
            repaired_at is None or best_lam != repaired_at[0] or not np.array_equal(best_mu, repaired_at[1])
        )
        if initial is not None or best_assigned is None or moved:
            # With a master: its rounded solution, placed. Without: the REPAIRS at the best prices (on
            # later rounds only the first), each while time allows; the best plan is kept.
            if initial is not None:
                repairs: tuple[tuple[str, tuple[float, ...]], ...] = (("net", DECAY), ("reduced", FINE_DECAY))
            else:
                repairs = REPAIRS[: 1 if rounds > 1 else None]
            for mode, decay in repairs:
                if best_assigned is not None and time.perf_counter() + repair_seconds > deadline:
                    break
                t0 = time.perf_counter()
                assigned, value = _primal(
                    problem,
                    types,
                    pats,
                    dual,
                    best_lam,
                    best_mu,
                    deadline=deadline,
                    initial=initial,
                    priority_mode=mode,
                    decay=decay,
                )
                repair_seconds = max(repair_seconds, time.perf_counter() - t0)
                stats[f"repair_{mode}"] = max(value, float(stats.get(f"repair_{mode}", -math.inf)))
                _log(f"repair {mode}: {value:.2f} in {time.perf_counter() - t0:.1f} s")
                if value > best_value:
                    best_value, best_assigned = value, assigned
            repaired_at = (best_lam, best_mu.copy())
            primal_reserve = max(primal_reserve, 1.5 * repair_seconds)
        target = best_value
        gap = (best_bound - best_value) / best_bound if best_bound > 0 else 0.0
        _log(
            f"round {rounds}: plan {best_value:.2f} bound {best_bound:.2f} gap {gap:.4%} "
            f"{time.perf_counter() - started:.1f} s"
        )
        left = deadline - time.perf_counter()
        if gap <= target_gap * 0.5 or theta < MIN_THETA or iterations >= max_iterations:
            break
        if not use_master and rounds >= 2:  # without a master: one more dual phase, then its repair
            break
        if left < primal_reserve + 5 * per_eval:
            break
        theta = max(theta, 0.1)
    stats["iterations"] = iterations
    stats["rounds"] = rounds
    stats["solve_seconds"] = time.perf_counter() - started
    assert best_assigned is not None
    emp, prog = _plan_pairs(problem, pats, best_assigned)
    greedy_value = None
    if with_greedy:
        # The baseline, after the timed solve (its own time in stats): each person's best
        # value-per-rupiah pattern, people by that ratio, while seats, unit budgets and budget last.
        report(0.95, "greedy")
        t0 = time.perf_counter()
        _, greedy_value = _primal(
            problem, types, pats, dual, 0.0, np.zeros(n_prog), deadline=math.inf, ratio=True
        )
        stats["greedy_seconds"] = time.perf_counter() - t0
    report(1.0, "done")
    return NationalOutcome(
        emp, prog, best_value, max(min(best_bound, trivial), best_value), greedy_value, iterations, stats
    )


# --------------------------------------------------------------------------------------------------
# A national instance as arrays (the JSON would be gigabytes)
# --------------------------------------------------------------------------------------------------


def national_problem(
    *,
    employees: int = 4_300_000,
    programs: int = 300,
    technical: int = 110,
    families: int = 20,
    units: int = 600,
    mandatory: int | None = None,
    budget_share: float = 0.25,
    max_jp: int = 80,
    seed: int = 1,
    chunk: int = 1_000_000,
) -> Problem:
    """Synthetic national instance: ASN in job families with managerial and technical gaps.

    10 managerial/socio-cultural competencies shared by everybody and `technical` ones split among job
    families; 40 managerial programmes and the rest technical (each within one family); every employee has
    at most one managerial gap and up to three technical gaps of their family; units (instansi) of uneven
    size, half of them with a budget of 1.3× their head-count share; seats between a third and twice the
    average demand. Generated in chunks so the temporary arrays stay small.
    """
    rng = np.random.default_rng(seed)
    n_man = len(MANAGERIAL)
    codes = MANAGERIAL + [f"T.{i:03d}" for i in range(technical)]
    n_comp = len(codes)
    importance = np.round(rng.choice([1.0, 1.5, 2.0], size=n_comp), 2)
    family_comps = [n_man + np.arange(f, technical, families) for f in range(families)]
    width = max(len(c) for c in family_comps)
    fam_table = np.full((families, width), -1, dtype=np.int64)
    for f, comps in enumerate(family_comps):
        fam_table[f, : len(comps)] = comps
    fam_size = np.array([len(c) for c in family_comps])
    n_man_prog = min(30, programs // 10)
    uplift = np.zeros((programs, n_comp), dtype=np.int8)
    for p in range(programs):
        pool = np.arange(n_man) if p < n_man_prog else family_comps[p % families]
        k = min(len(pool), int(rng.choice([1, 2], p=[0.8, 0.2])))
        comps = rng.choice(pool, size=k, replace=False)
        uplift[p, comps] = rng.choice([1, 2], size=k, p=[0.7, 0.3])
    jp = rng.choice([8, 16, 24, 32, 40], size=programs).astype(np.float64)
    cost = np.round(jp * rng.uniform(80_000, 200_000, size=programs), -3)

    unit_size = rng.lognormal(0.0, 1.0, size=units)
    unit_p = unit_size / unit_size.sum()
    weight = np.empty(employees)
    unit = np.empty(employees, dtype=np.int32)
    counts = np.empty(employees, dtype=np.int64)
    comp_parts, value_parts = [], []
    for lo in range(0, employees, chunk):
        n = min(chunk, employees - lo)
        weight[lo : lo + n] = rng.choice([1.0, 1.5, 2.0], size=n, p=[0.6, 0.3, 0.1])
        unit[lo : lo + n] = rng.choice(units, size=n, p=unit_p)
        fam = rng.integers(families, size=n)
        has_man = rng.random(n) < 0.5
        man = rng.integers(n_man, size=n)
        n_tech = np.minimum(rng.choice([0, 1, 2, 3], size=n, p=[0.25, 0.4, 0.3, 0.05]), fam_size[fam])
        keys = rng.random((n, width), dtype=np.float32)
        keys[fam_table[fam] < 0] = 2.0
        pick = np.argsort(keys, axis=1)[:, :3]
        tech = np.take_along_axis(fam_table[fam], pick, axis=1)  # (n, 3)
        tech_on = np.arange(3)[None, :] < n_tech[:, None]
        comp = np.concatenate([np.where(has_man, man, -1)[:, None], np.where(tech_on, tech, -1)], axis=1)
        level = np.concatenate(
            [
                rng.choice([1, 2], size=(n, 1), p=[0.7, 0.3]),
                rng.choice([1, 2, 3], size=(n, 3), p=[0.6, 0.3, 0.1]),
            ],
            axis=1,
        )
        comp = np.where(comp >= 0, comp, n_comp + 1)  # empty slots sort last
        order = np.argsort(comp, axis=1)
        comp = np.take_along_axis(comp, order, axis=1)
        level = np.take_along_axis(level, order, axis=1)
        on = comp <= n_comp
        counts[lo : lo + n] = on.sum(axis=1)
        comp_parts.append(comp[on].astype(np.int32))
        value_parts.append(level[on].astype(np.int8))
    gap_comp = np.concatenate(comp_parts)
    gap_value = np.concatenate(value_parts)
    gap_indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    seats = rng.integers(max(1, employees // programs // 3), employees // programs * 2 + 20, size=programs)
    total_need = float(gap_value.sum()) * float(cost.mean()) / 1.3
    budget = round(total_need * budget_share, -6)
    head = np.bincount(unit, minlength=units)
    unit_budget = np.full(units, math.inf)
    with_budget = rng.random(units) < 0.5
    unit_budget[with_budget] = np.round(budget * head[with_budget] / employees * 1.3, -6)
    cheap = np.flatnonzero(jp <= 24)
    n_mand = employees // 200 if mandatory is None else mandatory  # 21,500 at national scale
    m_emp = rng.choice(employees, size=min(n_mand, employees), replace=False).astype(np.int64)
    m_prog = rng.choice(cheap, size=len(m_emp)).astype(np.int64)
    order = np.lexsort((m_prog, m_emp))
    return Problem(
        competency_codes=codes,
        importance=importance.astype(np.float64),
        program_codes=[f"PRG-{p:03d}" for p in range(programs)],
        cost=cost,
        jp=jp,
        seats=seats.astype(np.float64),
        uplift=uplift,
        budget=float(budget),
        max_jp=float(max_jp),
        weight=weight,
        unit=unit,
        unit_codes=[f"U{u:04d}" for u in range(units)],
        unit_budget=unit_budget,
        gap_indptr=gap_indptr,
        gap_comp=gap_comp,
        gap_value=gap_value,
        mandatory_employee=m_emp[order],
        mandatory_program=m_prog[order],
        employee_ids=None,
    )
