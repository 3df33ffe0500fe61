"""Reads of planning: where a programme's money comes from, the budget of a year with its committed and
realised spend (city, per source, per unit budget), scenarios and runs, and the figures to compare runs.

Spend is read from enrolments in classes that start in the year, at the programme's cost per participant:
- committed: nominated, approved by the unit head or enrolled (money promised, not yet spent);
- realised: finished in a seat — completed or not completed (the seat was paid for either way);
requested, waitlisted, cancelled and rejected enrolments cost nothing. Spend of an employee counts against
the nearest unit budget of the same source at or above their unit (unit budgets cover disjoint subtrees,
services.unit_budget_set keeps it so); what no unit budget covers is shown as "not allocated".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.learning.models import Enrollment, Program
from mumpuni.people.models import Unit
from mumpuni.people.scopes import scope_for
from mumpuni.planning import access
from mumpuni.planning.models import (
    Budget,
    FundingSource,
    PlannedAssignment,
    ProgramFunding,
    Scenario,
    ScenarioRun,
    UnitBudget,
)

COMMITTED_STATUSES = (
    Enrollment.Status.NOMINATED,
    Enrollment.Status.UNIT_APPROVED,
    Enrollment.Status.ENROLLED,
)
REALISED_STATUSES = (Enrollment.Status.COMPLETED, Enrollment.Status.NOT_COMPLETED)
FREE_PROVIDERS = (Program.Provider.LAN, Program.Provider.ELEARNING)


# --- funding of programmes -------------------------------------------------------------------------


def sources() -> list[FundingSource]:
    return list(FundingSource.objects.filter(active=True).order_by("kind", "code"))


def _default_of_kind(all_sources: Iterable[FundingSource], kind: str) -> FundingSource | None:
    return next((s for s in all_sources if s.kind == kind and s.active), None)


def program_sources(programs: Iterable[Program]) -> dict[int, FundingSource | None]:
    """{programme id: source}: the explicit ProgramFunding, else free for a programme that costs nothing
    or is e-learning from LAN/a platform, else the APBD source. None when no such source exists."""
    programs = list(programs)
    all_sources = list(FundingSource.objects.all())
    by_id = {s.pk: s for s in all_sources}
    explicit = dict(
        ProgramFunding.objects.filter(program_id__in=[p.pk for p in programs]).values_list(
            "program_id", "source_id"
        )
    )
    apbd = _default_of_kind(all_sources, FundingSource.Kind.APBD)
    free = _default_of_kind(all_sources, FundingSource.Kind.FREE)
    result: dict[int, FundingSource | None] = {}
    for p in programs:
        if p.pk in explicit:
            result[p.pk] = by_id[explicit[p.pk]]
        elif p.cost_per_participant == 0 or (
            p.form == Program.Form.E_LEARNING and p.provider in FREE_PROVIDERS
        ):
            result[p.pk] = free or apbd
        else:
            result[p.pk] = apbd
    return result


# --- spend ------------------------------------------------------------------------------------------


@dataclass
class Spend:
    committed: int = 0
    realised: int = 0
    committed_people: int = 0
    realised_people: int = 0

    def add(self, bucket: str, cost: int, n: int) -> None:
        if bucket == "committed":
            self.committed += cost * n
            self.committed_people += n
        else:
            self.realised += cost * n
            self.realised_people += n

    @property
    def total(self) -> int:
        return self.committed + self.realised


@dataclass
class BudgetLine:
    """A budget (city or unit) with its spend; `amount` None for the 'not allocated' lines."""

    source: FundingSource
    amount: int | None
    spend: Spend = field(default_factory=Spend)
    unit: Unit | None = None

    @property
    def remaining(self) -> int | None:
        return None if self.amount is None else self.amount - self.spend.total

    @property
    def used_percent(self) -> float | None:
        if not self.amount:
            return None
        return round(self.spend.total * 100 / self.amount, 1)

    @property
    def overspent(self) -> bool:
        return self.remaining is not None and self.remaining < 0


@dataclass
class BudgetOverview:
    year: int
    city: list[BudgetLine]  # per source (empty for unit heads)
    units: list[BudgetLine]  # per unit budget in view
    unallocated: list[BudgetLine]  # spend of each source not covered by a unit budget (city view only)
    city_view: bool

    @property
    def city_total(self) -> BudgetLine | None:
        if not self.city:
            return None
        total = BudgetLine(source=FundingSource(code="*", name="Jumlah", kind=""), amount=0)
        for line in self.city:
            total.amount = (total.amount or 0) + (line.amount or 0)
            for name in ("committed", "realised", "committed_people", "realised_people"):
                setattr(total.spend, name, getattr(total.spend, name) + getattr(line.spend, name))
        return total


def _path_ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def spend_rows(year: int, unit_paths: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """One grouped query: counts of committed/realised enrolments per (employee's unit, programme, status)
    in classes starting in `year`; restricted to unit subtrees when given."""
    qs = Enrollment.objects.filter(
        training_class__starts_on__year=year,
        status__in=(*COMMITTED_STATUSES, *REALISED_STATUSES),
    )
    if unit_paths is not None:
        if not unit_paths:
            return []
        qs = qs.filter(reduce(or_, (Q(employee__unit__path__startswith=p) for p in unit_paths)))
    return list(
        qs.values("employee__unit_id", "employee__unit__path", "training_class__program_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )


def budget_overview(
    *, user: Any, year: int, spend_source: Callable[..., list[dict[str, Any]]] = spend_rows
) -> BudgetOverview:
    """The year's budget lines the user may see, each with its committed and realised spend. `spend_source`
    gives the grouped enrolment counts: live by default; the dashboards pass the roll-up's
    (`insights.rollups.rollup_spend_rows`, same keys)."""
    if not access.can_view_budget(user):
        raise PermissionDeniedError("Anggaran pelatihan hanya untuk BKPP, pimpinan dan kepala unit.")
    scope = scope_for(user)
    city_view = scope.city_wide
    unit_budgets = list(
        UnitBudget.objects.filter(year=year).select_related("unit", "source").order_by("unit__code", "source")
    )
    # (unit id, source id) -> line, for every unit budget (spend attribution needs all of them).
    lines = {
        (b.unit_id, b.source_id): BudgetLine(source=b.source, amount=b.amount, unit=b.unit)
        for b in unit_budgets
    }
    city = {
        b.source_id: BudgetLine(source=b.source, amount=b.amount)
        for b in Budget.objects.filter(year=year).select_related("source")
    }
    unallocated: dict[int, BudgetLine] = {}
    rows = spend_source(year, None if city_view else scope.manage_unit_paths)
    programs = {
        p.pk: p for p in Program.objects.filter(pk__in={r["training_class__program_id"] for r in rows})
    }
    funding = program_sources(programs.values())
    for r in rows:
        program = programs[r["training_class__program_id"]]
        source = funding.get(program.pk)
        if source is None:
            continue
        bucket = "committed" if r["status"] in COMMITTED_STATUSES else "realised"
        cost, n = program.cost_per_participant, r["n"]
        if city_view:
            if source.pk not in city:
                city[source.pk] = BudgetLine(source=source, amount=0)
            city[source.pk].spend.add(bucket, cost, n)
        line = None
        for unit_id in reversed(_path_ids(r["employee__unit__path"])):
            line = lines.get((unit_id, source.pk))
            if line is not None:
                break
        if line is not None:
            line.spend.add(bucket, cost, n)
        elif city_view:
            if source.pk not in unallocated:
                unallocated[source.pk] = BudgetLine(source=source, amount=None)
            unallocated[source.pk].spend.add(bucket, cost, n)
    visible = [
        line
        for line in lines.values()
        if line.unit is not None and access.can_view_unit_budget(user, line.unit)
    ]
    return BudgetOverview(
        year=year,
        city=sorted(city.values(), key=lambda x: (x.source.kind, x.source.code)) if city_view else [],
        units=visible,
        unallocated=sorted(unallocated.values(), key=lambda x: x.source.code),
        city_view=city_view,
    )


def remaining_by_source(year: int) -> dict[int, int]:
    """{source id: city budget − committed − realised} of the year (city view, no access check)."""
    lines: dict[int, int] = dict(Budget.objects.filter(year=year).values_list("source_id", "amount"))
    rows = spend_rows(year)
    programs = {
        p.pk: p for p in Program.objects.filter(pk__in={r["training_class__program_id"] for r in rows})
    }
    funding = program_sources(programs.values())
    for r in rows:
        source = funding.get(r["training_class__program_id"])
        if source is not None:
            cost = programs[r["training_class__program_id"]].cost_per_participant * r["n"]
            lines[source.pk] = lines.get(source.pk, 0) - cost
    return lines


def unit_spend(year: int, source: FundingSource) -> dict[int, int]:
    """{unit-budget unit id: committed + realised spend from `source`} of the year."""
    budget_units = set(UnitBudget.objects.filter(year=year, source=source).values_list("unit_id", flat=True))
    rows = spend_rows(year)
    programs = {
        p.pk: p for p in Program.objects.filter(pk__in={r["training_class__program_id"] for r in rows})
    }
    funding = program_sources(programs.values())
    spent: dict[int, int] = defaultdict(int)
    for r in rows:
        if funding.get(r["training_class__program_id"]) != source:
            continue
        for unit_id in reversed(_path_ids(r["employee__unit__path"])):
            if unit_id in budget_units:
                spent[unit_id] += programs[r["training_class__program_id"]].cost_per_participant * r["n"]
                break
    return dict(spent)


def apbd_source() -> FundingSource | None:
    return FundingSource.objects.filter(kind=FundingSource.Kind.APBD, active=True).order_by("code").first()


# --- scenarios and runs -----------------------------------------------------------------------------


def scenario_list() -> QuerySet[Scenario]:
    return (
        Scenario.objects.select_related("base", "created_by")
        .prefetch_related("units")
        .order_by("-year", "-created_at")
    )


def runs_of(scenario: Scenario) -> QuerySet[ScenarioRun]:
    return scenario.runs.defer("instance", "meta").select_related("requested_by", "accepted_by")


def recent_runs(limit: int = 50) -> QuerySet[ScenarioRun]:
    return (
        ScenarioRun.objects.defer("instance", "meta")
        .select_related("scenario")
        .order_by("-created_at", "-id")[:limit]
    )


def run_assignments(run: ScenarioRun) -> QuerySet[PlannedAssignment]:
    return run.assignments.select_related("employee__unit", "program", "enrollment__training_class")
