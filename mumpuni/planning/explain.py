"""Why an assignment is in a plan: its value and the gap levels it closes, from the instance alone.

Used when the solver's answer carries no explanation. An employee's programmes share their gaps in order
of standalone value (largest first): each takes what the earlier ones left, so the levels closed by an
employee's assignments add up to min(gap, Σ uplift) and their values add up to the employee's part of the
objective Σ wₑ·iₖ·yₑₖ.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def explain(
    instance: dict[str, Any], assignments: list[dict[str, Any]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """{(employee, programme): {"value": float, "closes": {competency: levels}}}."""
    importance = {c["code"]: float(c["importance"]) for c in instance["competencies"]}
    uplifts = {p["code"]: p["uplift"] for p in instance["programs"]}
    employees = {e["id"]: e for e in instance["employees"]}
    by_employee: dict[str, list[str]] = defaultdict(list)
    for a in assignments:
        by_employee[str(a["employee"])].append(str(a["program"]))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for emp_id, codes in by_employee.items():
        employee = employees.get(emp_id, {"weight": 0.0, "gaps": {}})
        weight = float(employee["weight"])
        remaining = {k: int(v) for k, v in employee["gaps"].items()}

        def standalone(code: str, gaps: dict[str, int] = remaining, w: float = weight) -> float:
            return sum(
                w * importance.get(k, 1.0) * min(g, uplifts.get(code, {}).get(k, 0)) for k, g in gaps.items()
            )

        for code in sorted(codes, key=lambda c: (-standalone(c), c)):
            closes: dict[str, int] = {}
            for k, up in sorted(uplifts.get(code, {}).items()):
                take = min(int(up), remaining.get(k, 0))
                if take > 0:
                    closes[k] = take
                    remaining[k] -= take
            value = sum(weight * importance.get(k, 1.0) * n for k, n in closes.items())
            out[(emp_id, code)] = {"value": round(value, 6), "closes": closes}
    return out
