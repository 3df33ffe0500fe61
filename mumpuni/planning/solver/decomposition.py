"""Lagrangian decomposition: budget, seats and unit budgets priced out, one small problem per employee.

With multipliers λ (budget), μ_p (seats) and ν_u (unit budgets), all ≥ 0, the relaxed problem splits into
one subproblem per employee: choose programmes within the JP cap maximising w·V(S) − Σ_{p∈S} price_p.
Each subproblem is solved exactly by enumerating the employee's "patterns" (sets of candidate programmes
in which every programme adds value; any other set is dominated because prices are ≥ 0), so

    L(λ, μ, ν) = λB' + Σ μ_p s'_p + Σ ν_u B'_u + mandatory value + Σ_e max(0, max_S score_e(S))

is a proven upper bound on the optimum for every λ, μ, ν ≥ 0 (weak duality). An employee with more than
PATTERN_CAP patterns is bounded by "every remaining gap closed for free", still a valid upper bound.
The plan itself comes from the patterns chosen at the best multipliers, taken whole while they fit
(repair), then filled up by the greedy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .candidates import candidate_pairs
from .greedy import greedy
from .instance import Problem
from .plan import objective

PATTERN_CAP = 4096


@dataclass
class Patterns:
    employee: np.ndarray  # (n,) employee row of each pattern, sorted
    value: np.ndarray  # (n,) weighted objective gain over the mandatory plan
    cost: np.ndarray  # (n,)
    indptr: np.ndarray  # (n+1,) into programs
    programs: np.ndarray
    capped_value: float  # Σ over capped employees of their whole remaining weighted gap
    capped: np.ndarray  # employee rows whose patterns were not enumerated


def enumerate_patterns(problem: Problem) -> Patterns:
    cand_emp, cand_prog = candidate_pairs(problem)
    mandatory: dict[int, list[int]] = {}
    for e, p in zip(problem.mandatory_employee.tolist(), problem.mandatory_program.tolist(), strict=True):
        mandatory.setdefault(e, []).append(p)
    uplift = problem.uplift.astype(np.int64).tolist()
    jp = problem.jp.tolist()
    cost = problem.cost.tolist()
    importance = problem.importance.tolist()
    indptr = problem.gap_indptr.tolist()
    comps = problem.gap_comp.tolist()
    gaps = problem.gap_value.tolist()
    weight = problem.weight.tolist()
    starts = np.searchsorted(cand_emp, np.arange(problem.n_employees + 1)).tolist()
    cand_list = cand_prog.tolist()

    out_emp: list[int] = []
    out_value: list[float] = []
    out_cost: list[float] = []
    out_len: list[int] = []
    out_prog: list[int] = []
    capped: list[int] = []
    capped_value = 0.0
    for e in range(problem.n_employees):
        lo, hi = starts[e], starts[e + 1]
        if lo == hi:
            continue
        ks = comps[indptr[e] : indptr[e + 1]]
        need = gaps[indptr[e] : indptr[e + 1]]
        jp_left = problem.max_jp
        fixed = mandatory.get(e, [])
        for p in fixed:
            jp_left -= jp[p]
            need = [max(0, n - uplift[p][k]) for n, k in zip(need, ks, strict=True)]
        gain = [weight[e] * importance[k] for k in ks]
        cands = [
            p
            for p in cand_list[lo:hi]
            if p not in fixed
            and jp[p] <= jp_left
            and any(uplift[p][k] and n for k, n in zip(ks, need, strict=True))
        ]
        found = _employee_patterns(cands, ks, need, gain, jp_left, uplift, jp, cost)
        overflow = found is None
        if overflow:
            capped.append(e)
            capped_value += sum(g * n for g, n in zip(gain, need, strict=True))
            continue
        for value, price, pattern in found or []:
            out_emp.append(e)
            out_value.append(value)
            out_cost.append(price)
            out_len.append(len(pattern))
            out_prog.extend(pattern)
    lengths = np.array(out_len, dtype=np.int64)
    return Patterns(
        employee=np.array(out_emp, dtype=np.int64),
        value=np.array(out_value, dtype=np.float64),
        cost=np.array(out_cost, dtype=np.float64),
        indptr=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        programs=np.array(out_prog, dtype=np.int64),
        capped_value=capped_value,
        capped=np.array(capped, dtype=np.int64),
    )


def _employee_patterns(
    cands: list[int],
    ks: list[int],
    need: list[int],
    gain: list[float],
    jp_left: float,
    uplift: list[list[int]],
    jp: list[float],
    cost: list[float],
) -> list[tuple[float, float, tuple[int, ...]]] | None:
    """(value, cost, programmes) of every pattern of one employee; None past PATTERN_CAP."""
    found: list[tuple[float, float, tuple[int, ...]]] = []
    overflow = False

    def dfs(
        start: int, chosen: tuple[int, ...], left: list[int], jp_room: float, value: float, price: float
    ) -> None:
        nonlocal overflow
        for i in range(start, len(cands)):
            if overflow:
                return
            p = cands[i]
            if jp[p] > jp_room:
                continue
            row = uplift[p]
            add = 0.0
            new_left = list(left)
            for j, k in enumerate(ks):
                take = min(row[k], new_left[j])
                if take:
                    add += gain[j] * take
                    new_left[j] -= take
            if add <= 0:
                continue
            pattern = (*chosen, p)
            found.append((value + add, price + cost[p], pattern))
            if len(found) > PATTERN_CAP:
                overflow = True
                return
            if any(new_left):
                dfs(i + 1, pattern, new_left, jp_room - jp[p], value + add, price + cost[p])

    dfs(0, (), need, jp_left, 0.0, 0.0)
    return None if overflow else found


@dataclass
class LagrangianOutcome:
    emp: np.ndarray
    prog: np.ndarray
    bound: float
    iterations: int


class _Dual:
    """Evaluates L(λ, μ, ν) and the subgradient, vectorised over all patterns."""

    def __init__(self, problem: Problem, patterns: Patterns) -> None:
        self.problem = problem
        self.pat = patterns
        m_emp, m_prog = problem.mandatory_employee, problem.mandatory_program
        self.budget_left = problem.budget - float(problem.cost[m_prog].sum())
        self.seats_left = problem.seats - np.bincount(m_prog, minlength=problem.n_programs)
        self.unit_left = problem.unit_budget - np.bincount(
            problem.unit[m_emp], weights=problem.cost[m_prog], minlength=len(problem.unit_codes)
        )
        self.base = objective(problem, m_emp, m_prog) + patterns.capped_value
        self.seat_finite = np.isfinite(self.seats_left)
        self.unit_finite = np.isfinite(self.unit_left)
        self.pat_unit = problem.unit[patterns.employee]
        lengths = np.diff(patterns.indptr)
        self.nonempty = lengths > 0
        self.pat_of_entry = np.repeat(np.arange(len(lengths)), lengths)
        # Patterns are grouped by employee: the first pattern of each employee starts a segment.
        if len(patterns.employee):
            self.seg_start = np.flatnonzero(np.r_[True, patterns.employee[1:] != patterns.employee[:-1]])
        else:
            self.seg_start = np.zeros(0, dtype=np.int64)

    def evaluate(self, lam: float, mu: np.ndarray, nu: np.ndarray) -> tuple[float, np.ndarray]:
        """The dual value and the chosen pattern per employee segment (−1 for none)."""
        pat = self.pat
        price = (lam + nu[self.pat_unit]) * pat.cost
        if len(pat.programs):
            price += np.bincount(self.pat_of_entry, weights=mu[pat.programs], minlength=len(pat.value))
        score = pat.value - price
        value = lam * self.budget_left
        value += float(np.sum(mu[self.seat_finite] * self.seats_left[self.seat_finite]))
        value += float(np.sum(nu[self.unit_finite] * self.unit_left[self.unit_finite]))
        if len(score) == 0:
            return value + self.base, np.zeros(0, dtype=np.int64)
        best = np.maximum.reduceat(score, self.seg_start)
        seg_of = np.repeat(np.arange(len(self.seg_start)), np.diff(np.r_[self.seg_start, len(score)]))
        hit = np.flatnonzero((score >= best[seg_of]) & (best[seg_of] > 0))
        chosen = np.full(len(self.seg_start), -1, dtype=np.int64)
        chosen[seg_of[hit[::-1]]] = hit[::-1]  # the first best pattern wins
        return value + self.base + float(np.sum(np.maximum(best, 0.0))), chosen

    def usage(self, chosen: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        pat = self.pat
        picked = chosen[chosen >= 0]
        cost = float(pat.cost[picked].sum())
        lengths = np.diff(pat.indptr)[picked]
        progs = pat.programs[np.repeat(pat.indptr[picked], lengths) + _ranges(lengths)]
        seats = np.bincount(progs, minlength=self.problem.n_programs).astype(np.float64)
        units = np.bincount(
            self.pat_unit[picked], weights=pat.cost[picked], minlength=len(self.problem.unit_codes)
        )
        return cost, seats, units


def _ranges(lengths: np.ndarray) -> np.ndarray:
    if len(lengths) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def solve_lagrangian(
    problem: Problem,
    *,
    time_limit: float | None,
    target_gap: float = 0.01,
    progress: Callable[[float, str], None] | None = None,
    start: tuple[np.ndarray, np.ndarray] | None = None,
    max_iterations: int = 300,
) -> LagrangianOutcome:
    started = time.perf_counter()
    report = progress or (lambda fraction, message: None)
    patterns = enumerate_patterns(problem)
    dual = _Dual(problem, patterns)
    if start is None:
        start = greedy(problem)
    best_emp, best_prog = start
    lower = objective(problem, best_emp, best_prog)

    n_units = len(problem.unit_codes)
    mu = np.zeros(problem.n_programs)
    nu = np.zeros(n_units)
    # 1. Bisection on λ alone: the budget is the constraint that binds first.
    lam_hi = (
        float(patterns.value.max() / max(patterns.cost[patterns.cost > 0].min(), 1.0))
        if len(patterns.value) and (patterns.cost > 0).any()
        else 0.0
    )
    lam_lo = 0.0
    best_bound, chosen = dual.evaluate(0.0, mu, nu)
    best = (0.0, mu.copy(), nu.copy(), chosen)
    for _ in range(40):
        lam = 0.5 * (lam_lo + lam_hi)
        value, chosen = dual.evaluate(lam, mu, nu)
        if value < best_bound:
            best_bound, best = value, (lam, mu.copy(), nu.copy(), chosen)
        cost, _, _ = dual.usage(chosen)
        if cost > dual.budget_left:
            lam_lo = lam
        else:
            lam_hi = lam
    report(0.3, "lagrangian bound")

    def deadline_passed() -> bool:
        return time_limit is not None and time.perf_counter() - started > 0.8 * time_limit

    # 2. Polyak subgradient steps on all multipliers (projected to ≥ 0), keeping the best bound.
    lam, mu, nu = best[0], best[1].copy(), best[2].copy()
    iterations = 0
    scale = 1.0
    stall = 0
    while iterations < max_iterations and not deadline_passed():
        if (best_bound - lower) / max(best_bound, 1e-9) <= target_gap:
            break
        iterations += 1
        value, chosen = dual.evaluate(lam, mu, nu)
        if value < best_bound - 1e-9:
            best_bound, best = value, (lam, mu.copy(), nu.copy(), chosen)
            stall = 0
        else:
            stall += 1
            if stall >= 10:
                scale, stall = scale / 2, 0
        cost, seats, units = dual.usage(chosen)
        g_lam = dual.budget_left - cost
        g_mu = np.where(dual.seat_finite, np.nan_to_num(dual.seats_left, posinf=0.0) - seats, 0.0)
        g_nu = np.where(dual.unit_finite, np.nan_to_num(dual.unit_left, posinf=0.0) - units, 0.0)
        # Steps where a multiplier is 0 and its constraint has slack cannot move it: leave them out.
        g_mu = np.where((mu <= 0) & (g_mu > 0), 0.0, g_mu)
        g_nu = np.where((nu <= 0) & (g_nu > 0), 0.0, g_nu)
        g_lam = 0.0 if lam <= 0 and g_lam > 0 else g_lam
        norm = g_lam**2 + float(g_mu @ g_mu) + float(g_nu @ g_nu)
        if norm <= 0:
            break
        step = scale * (value - lower) / norm
        lam = max(0.0, lam - step * g_lam)
        mu = np.maximum(0.0, mu - step * g_mu)
        nu = np.maximum(0.0, nu - step * g_nu)
    report(0.7, "repair")

    # 3. Repair: take the chosen patterns whole, best score per rupiah first, while everything fits.
    emp, prog = _repair(problem, dual, best)
    emp, prog = greedy(problem, start=(emp, prog))
    value = objective(problem, emp, prog)
    if value > lower:
        best_emp, best_prog, lower = emp, prog, value
    return LagrangianOutcome(best_emp, best_prog, max(best_bound, lower), iterations)


def _repair(
    problem: Problem, dual: _Dual, best: tuple[float, np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    pat = dual.pat
    chosen = best[3]
    picked = chosen[chosen >= 0]
    ratio = pat.value[picked] / np.maximum(pat.cost[picked], 1e-9)
    order = picked[np.argsort(-ratio, kind="stable")]
    budget = dual.budget_left
    seats = dual.seats_left.copy()
    units = dual.unit_left.copy()
    emp_out = [problem.mandatory_employee]
    prog_out = [problem.mandatory_program]
    for s in order.tolist():
        progs = pat.programs[pat.indptr[s] : pat.indptr[s + 1]]
        c = float(pat.cost[s])
        u = int(dual.pat_unit[s])
        if c > budget + 1e-9 or c > units[u] + 1e-9 or np.any(seats[progs] < 1):
            continue
        budget -= c
        units[u] -= c
        seats[progs] -= 1
        emp_out.append(np.full(len(progs), pat.employee[s], dtype=np.int64))
        prog_out.append(progs)
    return np.concatenate(emp_out), np.concatenate(prog_out)
