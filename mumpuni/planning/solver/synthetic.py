"""Synthetic instances for tests and bench/plan.py: a city as JSON, a nation as arrays (never as JSON)."""

from __future__ import annotations

from typing import Any

import numpy as np

MANAGERIAL = ["M.01", "M.02", "M.03", "M.04", "M.05", "M.06", "M.07", "M.08", "M.09", "SK.01"]


def _catalogue(
    rng: np.random.Generator, n_programs: int, n_comp: int
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    codes = MANAGERIAL[:n_comp] + [f"T.{i:03d}" for i in range(max(0, n_comp - len(MANAGERIAL)))]
    importance = np.round(rng.choice([1.0, 1.5, 2.0], size=n_comp), 2)
    uplift = np.zeros((n_programs, n_comp), dtype=np.int8)
    for p in range(n_programs):
        width = rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15])
        comps = rng.choice(n_comp, size=width, replace=False)
        uplift[p, comps] = rng.choice([1, 2], size=width, p=[0.7, 0.3])
    jp = rng.choice([8, 16, 24, 32, 40], size=n_programs).astype(np.float64)
    cost = np.round(jp * rng.uniform(80_000, 200_000, size=n_programs), -3)
    return codes, importance, uplift, jp, cost


def city_instance(
    *,
    employees: int = 15_000,
    programs: int = 60,
    competencies: int = 24,
    seed: int = 1,
    budget_share: float = 0.25,
    mandatory: int = 200,
    units: int = 16,
    max_jp: int = 80,
) -> dict[str, Any]:
    """A city like Kota Semarang; the budget funds about `budget_share` of the cost of closing every gap."""
    rng = np.random.default_rng(seed)
    codes, importance, uplift, jp, cost = _catalogue(rng, programs, competencies)
    seats = rng.integers(employees // programs // 2 + 5, employees // programs * 3 + 20, size=programs)
    unit_codes = [f"33.74.{u + 1:02d}" for u in range(units)]
    emps: list[dict[str, Any]] = []
    gap_total: list[int] = []
    for e in range(employees):
        n_gaps = rng.choice([0, 1, 2, 3, 4], p=[0.1, 0.3, 0.3, 0.2, 0.1])
        comps = rng.choice(competencies, size=n_gaps, replace=False)
        gaps = {codes[k]: int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1])) for k in comps}
        gap_total.append(sum(gaps.values()))
        emps.append(
            {
                "id": f"1990{e:014d}",
                "weight": float(rng.choice([1.0, 1.5, 2.0], p=[0.6, 0.3, 0.1])),
                "unit": unit_codes[int(rng.integers(units))],
                "gaps": gaps,
            }
        )
    program_list = [
        {
            "code": f"PRG-{p:03d}",
            "cost": float(cost[p]),
            "jp": int(jp[p]),
            "seats": int(seats[p]),
            "uplift": {codes[k]: int(uplift[p, k]) for k in np.flatnonzero(uplift[p])},
        }
        for p in range(programs)
    ]
    mean_cost = float(cost.mean())
    total_need = sum(gap_total) * mean_cost / 1.3
    budget = round(total_need * budget_share, -6)
    cheap = np.flatnonzero(jp <= 24)
    mand = []
    for e in rng.choice(employees, size=min(mandatory, employees), replace=False):
        mand.append({"employee": emps[int(e)]["id"], "program": f"PRG-{int(rng.choice(cheap)):03d}"})
    unit_budgets = {u: round(budget / units * 1.3, -6) for u in unit_codes[: units // 2]}
    return {
        "budget": budget,
        "max_jp_per_employee": max_jp,
        "competencies": [{"code": codes[k], "importance": float(importance[k])} for k in range(competencies)],
        "programs": program_list,
        "employees": emps,
        "mandatory": mand,
        "unit_budgets": unit_budgets,
    }
