"""Reads of development plans: one plan with its goals, items, JP and timeline; a supervisor's team with
plan status and progress; BKPP's coverage per unit (who has no agreed plan) in one grouped query."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.development.models import DevelopmentPlan, PlanComment, PlanGoal, PlanItem
from mumpuni.development.services import JP_TARGET
from mumpuni.learning.models import JpEntry
from mumpuni.people.models import Employee, Unit
from mumpuni.people.scopes import Scope, scope_for

_ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=1))


@dataclass
class GoalBlock:
    goal: PlanGoal | None  # None: items without a goal
    items: list[PlanItem]


@dataclass
class PlanView:
    plan: DevelopmentPlan
    blocks: list[GoalBlock]
    goals: list[PlanGoal]
    items: list[PlanItem]
    comments: list[PlanComment]
    planned_jp: Decimal
    jp_done: Decimal  # the year's JP ledger of the employee
    target: Decimal = JP_TARGET

    @property
    def percent(self) -> int:
        return min(100, int(self.planned_jp * 100 / self.target)) if self.target else 100

    @property
    def enough(self) -> bool:
        return self.planned_jp >= self.target

    @property
    def missing(self) -> Decimal:
        return max(Decimal("0"), self.target - self.planned_jp)

    @property
    def done_percent(self) -> int:
        return min(100, int(self.jp_done * 100 / self.target)) if self.target else 100

    @property
    def items_done(self) -> int:
        return sum(1 for i in self.items if i.status == PlanItem.Status.DONE)


def plan_view(plan: DevelopmentPlan) -> PlanView:
    goals = list(plan.goals.select_related("competency"))
    items = list(plan.items.select_related("program", "jp_entry"))
    by_goal: dict[int | None, list[PlanItem]] = {}
    for item in items:
        by_goal.setdefault(item.goal_id, []).append(item)
    blocks = [GoalBlock(goal, by_goal.get(goal.pk, [])) for goal in goals]
    if by_goal.get(None):
        blocks.append(GoalBlock(None, by_goal[None]))
    jp_done = JpEntry.objects.filter(employee_id=plan.employee_id, year=plan.year).aggregate(t=Sum("jp"))[
        "t"
    ] or Decimal("0")
    return PlanView(
        plan=plan,
        blocks=blocks,
        goals=goals,
        items=items,
        comments=list(plan.comments.select_related("author")),
        planned_jp=sum((i.planned_jp for i in items), Decimal("0")),
        jp_done=jp_done,
    )


def plan_of(employee: Employee, year: int) -> DevelopmentPlan | None:
    return (
        DevelopmentPlan.objects.select_related("employee__unit", "employee__position", "employee__supervisor")
        .filter(employee=employee, year=year)
        .first()
    )


# --- the team ----------------------------------------------------------------------------------------


def team_rows(user: Any, year: int) -> QuerySet[Employee]:
    """The user's reports (direct and indirect), each annotated with the year's plan id and status, items
    done/total, planned JP and JP in the ledger — one query, whatever the team size."""
    scope = scope_for(user)
    plans = DevelopmentPlan.objects.filter(employee=OuterRef("pk"), year=year)
    items = (
        PlanItem.objects.filter(plan__employee=OuterRef("pk"), plan__year=year)
        .order_by()
        .values("plan__employee")
    )
    ledger = (
        JpEntry.objects.filter(employee=OuterRef("pk"), year=year)
        .order_by()
        .values("employee")
        .annotate(t=Sum("jp"))
        .values("t")
    )
    return (
        Employee.objects.filter(scope._team_q(), active=True)
        .select_related("unit", "position", "supervisor")
        .annotate(
            plan_id=Subquery(plans.values("pk")[:1]),
            plan_status=Subquery(plans.values("status")[:1]),
            items_total=Coalesce(
                Subquery(items.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
            ),
            items_done=Coalesce(
                Subquery(
                    items.filter(status=PlanItem.Status.DONE).annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            planned_jp=Coalesce(Subquery(items.annotate(t=Sum("planned_jp")).values("t")), _ZERO),
            jp_done=Coalesce(Subquery(ledger), _ZERO),
        )
        .order_by("name", "nip")
    )


# --- coverage ----------------------------------------------------------------------------------------


def can_view_coverage(user: Any) -> bool:
    scope = scope_for(user)
    return scope.city_wide or bool(scope.manage_unit_paths)


def coverage_roots(scope: Scope) -> list[Unit]:
    if scope.city_wide:
        return list(Unit.objects.filter(parent__isnull=True).order_by("code"))
    return list(Unit.objects.filter(path__in=scope.manage_unit_paths).order_by("code"))


@dataclass
class CoverageRow:
    unit: Unit
    employees: int = 0
    no_plan: int = 0
    draft: int = 0
    proposed: int = 0
    agreed: int = 0  # agreed, in progress or completed
    completed: int = 0

    @property
    def share(self) -> float:
        return round(self.agreed * 100 / self.employees, 1) if self.employees else 0.0

    def add(self, other: CoverageRow) -> None:
        for name in ("employees", "no_plan", "draft", "proposed", "agreed", "completed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Coverage:
    year: int
    root: Unit
    rows: list[CoverageRow]
    total: CoverageRow
    roots: list[Unit] = field(default_factory=list)


def coverage(*, user: Any, year: int, unit: Unit | None = None) -> Coverage:
    """Per child unit of `unit` (default: the first root in scope) and its subtree: active employees, how
    many have no plan for the year, a draft, a proposed plan, an agreed one (agreed, in progress or
    completed), and the share agreed. One query grouped by unit, rolled up along the unit paths."""
    scope = scope_for(user)
    if not can_view_coverage(user):
        raise PermissionDeniedError("Halaman cakupan rencana pengembangan hanya untuk BKPP dan kepala unit.")
    roots = coverage_roots(scope)
    if not roots:
        raise PermissionDeniedError("Tidak ada unit dalam cakupan Anda.")
    root = unit or roots[0]
    if not (scope.city_wide or any(root.path.startswith(r.path) for r in roots)):
        raise PermissionDeniedError("Unit ini di luar cakupan Anda.")

    units = {u.pk: u for u in Unit.objects.filter(path__startswith=root.path)}
    counts = (
        Employee.objects.filter(active=True, unit__path__startswith=root.path)
        .annotate(year_plan=FilteredRelation("development_plans", condition=Q(development_plans__year=year)))
        .order_by()
        .values("unit_id")
        .annotate(
            employees=Count("pk"),
            no_plan=Count("pk", filter=Q(year_plan__isnull=True)),
            draft=Count("pk", filter=Q(year_plan__status=DevelopmentPlan.Status.DRAFT)),
            proposed=Count("pk", filter=Q(year_plan__status=DevelopmentPlan.Status.PROPOSED)),
            agreed=Count("pk", filter=Q(year_plan__status__in=DevelopmentPlan.AGREED_STATUSES)),
            completed=Count("pk", filter=Q(year_plan__status=DevelopmentPlan.Status.COMPLETED)),
        )
    )
    groups: dict[int, CoverageRow] = {}
    total = CoverageRow(unit=root)
    prefix = len(root.path)
    for c in counts:
        unit_path = units[c["unit_id"]].path
        rest = unit_path[prefix:].strip("/")
        group_id = int(rest.split("/", 1)[0]) if rest else root.pk
        row = groups.get(group_id)
        if row is None:
            row = groups[group_id] = CoverageRow(unit=units[group_id])
        part = CoverageRow(
            unit=units[c["unit_id"]],
            employees=c["employees"],
            no_plan=c["no_plan"],
            draft=c["draft"],
            proposed=c["proposed"],
            agreed=c["agreed"],
            completed=c["completed"],
        )
        row.add(part)
        total.add(part)
    rows = sorted(groups.values(), key=lambda r: (r.share, r.unit.name))
    return Coverage(year=year, root=root, rows=rows, total=total, roots=roots)


def coverage_people(*, user: Any, year: int, unit: Unit) -> QuerySet[Employee]:
    """For the XLSX export: active employees of the subtree and their plan status (null: no plan)."""
    coverage(user=user, year=year, unit=unit)  # the same access checks
    plans = DevelopmentPlan.objects.filter(employee=OuterRef("pk"), year=year)
    return (
        Employee.objects.filter(active=True, unit__path__startswith=unit.path)
        .select_related("unit", "supervisor")
        .annotate(plan_status=Subquery(plans.values("status")[:1]))
        .order_by("unit__code", "name")
    )
