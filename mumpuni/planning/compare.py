"""Side-by-side figures of 2–4 finished runs (reads only): gap closed (objective and share of the total
weighted gap), people reached, cost, JP coverage (share of employees in the selection reaching 20 JP with
earned + planned JP), and the same unit by unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum

from mumpuni.planning.models import PlannedAssignment, ScenarioRun


@dataclass
class UnitFigure:
    people: int = 0  # employees of the instance in the unit (with a gap or a mandatory programme)
    weighted_gap: float = 0.0
    reached: int = 0
    assignments: int = 0
    cost: int = 0
    value: float = 0.0
    budget: int | None = None

    @property
    def closed_percent(self) -> float | None:
        return round(self.value * 100 / self.weighted_gap, 1) if self.weighted_gap else None


@dataclass
class RunFigures:
    run: ScenarioRun
    objective: float | None
    closed_percent: float | None
    people_reached: int
    assignments: int
    cost: int
    budget: int
    jp_population: int
    jp_reached: int
    jp_reached_before: int
    units: dict[str, UnitFigure] = field(default_factory=dict)

    @property
    def jp_percent(self) -> float | None:
        return round(self.jp_reached * 100 / self.jp_population, 1) if self.jp_population else None

    @property
    def jp_before_percent(self) -> float | None:
        return round(self.jp_reached_before * 100 / self.jp_population, 1) if self.jp_population else None


@dataclass
class Comparison:
    runs: list[RunFigures]
    unit_rows: list[tuple[str, str, list[UnitFigure | None]]]  # (code, name, one figure per run)


def _unit_gaps(instance: dict[str, Any]) -> dict[str, tuple[int, float]]:
    importance = {c["code"]: float(c["importance"]) for c in instance.get("competencies", [])}
    out: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for e in instance.get("employees", []):
        row = out[e["unit"]]
        row[0] += 1
        row[1] += float(e["weight"]) * sum(importance.get(k, 1.0) * g for k, g in e["gaps"].items())
    return {k: (int(v[0]), v[1]) for k, v in out.items()}


def run_figures(run: ScenarioRun) -> RunFigures:
    instance = run.instance or {}
    meta = run.meta or {}
    result = run.result or {}
    units: dict[str, UnitFigure] = {}
    for code, (people, gap) in _unit_gaps(instance).items():
        units[code] = UnitFigure(
            people=people, weighted_gap=gap, budget=instance.get("unit_budgets", {}).get(code)
        )
    rows = (
        PlannedAssignment.objects.filter(run=run)
        .values("unit_code")
        .annotate(
            n=Count("pk"), people=Count("employee", distinct=True), cost=Sum("cost"), value=Sum("value")
        )
        .order_by()
    )
    for r in rows:
        fig = units.setdefault(r["unit_code"], UnitFigure())
        fig.assignments, fig.reached, fig.cost, fig.value = (
            r["n"],
            r["people"],
            r["cost"] or 0,
            r["value"] or 0.0,
        )
    return RunFigures(
        run=run,
        objective=run.objective,
        closed_percent=run.gap_closed_percent,
        people_reached=int(result.get("people_reached", 0)),
        assignments=sum(u.assignments for u in units.values()),
        cost=int(run.cost or 0),
        budget=int(instance.get("budget", run.scenario.budget)),
        jp_population=int(meta.get("jp_population", 0)),
        jp_reached=int(result.get("jp_reached", meta.get("jp_reached_before", 0))),
        jp_reached_before=int(meta.get("jp_reached_before", 0)),
        units=units,
    )


def compare(runs: list[ScenarioRun]) -> Comparison:
    figures = [run_figures(r) for r in runs]
    names: dict[str, str] = {}
    for r in runs:
        names.update((r.meta or {}).get("units", {}))
    codes = sorted({c for f in figures for c in f.units})
    unit_rows = [(code, names.get(code, code), [f.units.get(code) for f in figures]) for code in codes]
    return Comparison(runs=figures, unit_rows=unit_rows)
