"""Reads of competency data: required levels per position, an employee's competencies, and gap analysis.

Required level of an employee in a competency (docs/competencies.md):
- an explicit PositionRequirement of their position wins;
- otherwise every active managerial and socio-cultural competency is required at the ManagerialDefault of
  the position's kind and jenjang (exact jenjang first, then the kind's row with an empty jenjang);
- an employee without a position has no requirement.

Gap analysis is a few aggregate queries (employees per unit × position, current levels per unit × position ×
competency × level) combined in Python with the requirements of the ~2,500 positions, never a query per
employee. Results per *own* unit of the employees ("leaf" stats) are rolled up to the rows of a page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery

from mumpuni.competencies.models import (
    Assessment,
    Competency,
    CurrentLevel,
    GapRollup,
    ManagerialDefault,
    PositionRequirement,
)
from mumpuni.people.models import Employee, Position, Unit
from mumpuni.people.scopes import Scope

GENERAL_KINDS = (Competency.Kind.MANAGERIAL, Competency.Kind.SOCIO_CULTURAL)
DEFAULT_ROLLUP_THRESHOLD = 50_000
# Display order of kinds: managerial, socio-cultural, then technical (as the SKJ lists them).
KIND_ORDER: dict[str, int] = {"manajerial": 0, "sosial_kultural": 1, "teknis": 2}


def rollup_threshold() -> int:
    """Above this many active employees in view, city-wide pages read GapRollup instead of computing live."""
    return int(getattr(settings, "MUMPUNI_GAP_ROLLUP_THRESHOLD", DEFAULT_ROLLUP_THRESHOLD))


# --- dictionary ------------------------------------------------------------------------------------


def competency_list(*, active_only: bool = False) -> QuerySet[Competency]:
    qs = Competency.objects.select_related("unit").prefetch_related("levels")
    return qs.filter(active=True) if active_only else qs


def competency_by_code(code: str) -> Competency | None:
    return Competency.objects.filter(code=code.strip().upper()).first()


# --- required levels -------------------------------------------------------------------------------


@dataclass
class RequirementTable:
    """Everything needed to resolve required levels of any position without further queries."""

    defaults: dict[tuple[str, str], int]
    general_ids: list[int]  # active managerial and socio-cultural competencies
    active_ids: set[int]
    explicit: dict[int, dict[int, int]]  # position id -> {competency id: level}

    def default_for(self, kind: str, level: str) -> int | None:
        return self.defaults.get((kind, level or ""), self.defaults.get((kind, "")))

    def for_position(self, position_id: int, kind: str, level: str) -> dict[int, int]:
        required: dict[int, int] = {}
        default = self.default_for(kind, level)
        if default is not None:
            required = dict.fromkeys(self.general_ids, default)
        for competency_id, value in self.explicit.get(position_id, {}).items():
            if competency_id in self.active_ids:
                required[competency_id] = value
        return required


def requirement_table(position_ids: Iterable[int] | QuerySet[Any] | None = None) -> RequirementTable:
    competencies = list(Competency.objects.filter(active=True).values_list("pk", "kind"))
    explicit: dict[int, dict[int, int]] = defaultdict(dict)
    rows = PositionRequirement.objects.all()
    if position_ids is not None:
        rows = rows.filter(position_id__in=position_ids)
    for position_id, competency_id, level in rows.values_list(
        "position_id", "competency_id", "required_level"
    ):
        explicit[position_id][competency_id] = level
    return RequirementTable(
        defaults={
            (k, lv): req
            for k, lv, req in ManagerialDefault.objects.values_list(
                "position_kind", "position_level", "required_level"
            )
        },
        general_ids=[pk for pk, kind in competencies if kind in GENERAL_KINDS],
        active_ids={pk for pk, _kind in competencies},
        explicit=dict(explicit),
    )


def required_by_position(positions: QuerySet[Position]) -> dict[int, dict[int, int]]:
    """{position id: {competency id: required level}} for every position of the queryset."""
    table = requirement_table(positions.values("pk"))
    return {
        pk: table.for_position(pk, kind, level)
        for pk, kind, level in positions.values_list("pk", "kind", "level")
    }


def required_levels(position: Position | None) -> dict[int, int]:
    if position is None:
        return {}
    table = requirement_table([position.pk])
    return table.for_position(position.pk, position.kind, position.level)


# --- one employee ----------------------------------------------------------------------------------


@dataclass
class CompetencyRow:
    competency: Competency
    required: int | None
    current: int | None
    current_assessment: Assessment | None = None

    @property
    def gap(self) -> int:
        if self.required is None or self.current is None:
            return 0
        return max(0, self.required - self.current)

    @property
    def assessed(self) -> bool:
        return self.current is not None

    @property
    def status(self) -> str:
        if self.required is None:
            return "extra"
        if self.current is None:
            return "unassessed"
        return "below" if self.current < self.required else "met"


def employee_competencies(employee: Employee) -> list[CompetencyRow]:
    """The employee's required competencies (with current level and gap), then others they were assessed in."""
    required = required_levels(employee.position)
    current = {
        c.competency_id: c
        for c in CurrentLevel.objects.filter(employee=employee).select_related(
            "assessment", "assessment__assessor"
        )
    }
    ids = set(required) | set(current)
    competencies = {c.pk: c for c in Competency.objects.filter(pk__in=ids)}
    rows = [
        CompetencyRow(
            competency=competencies[pk],
            required=required.get(pk),
            current=current[pk].level if pk in current else None,
            current_assessment=current[pk].assessment if pk in current else None,
        )
        for pk in ids
        if pk in competencies
    ]
    kind_order = KIND_ORDER
    rows.sort(key=lambda r: (r.required is None, kind_order.get(r.competency.kind, 3), r.competency.code))
    return rows


def assessment_history(employee: Employee, competency: Competency | None = None) -> QuerySet[Assessment]:
    qs = Assessment.objects.filter(employee=employee).select_related("competency", "assessor")
    if competency is not None:
        qs = qs.filter(competency=competency)
    return qs.order_by("-assessed_on", "-id")


# --- gap analysis ----------------------------------------------------------------------------------


@dataclass
class GapStat:
    required_for: int = 0  # employees whose position requires the competency
    assessed: int = 0  # of those, with a current level
    below: int = 0  # of the assessed, under the required level
    total_gap: int = 0  # sum of (required - current) over those below

    @property
    def unassessed(self) -> int:
        return self.required_for - self.assessed

    @property
    def met(self) -> int:
        return self.assessed - self.below

    @property
    def percent_below(self) -> float:
        """Share of the *assessed* employees below the requirement (unassessed are reported apart)."""
        return 100.0 * self.below / self.assessed if self.assessed else 0.0

    @property
    def mean_gap(self) -> float:
        """How far below, on average, those below are (levels)."""
        return self.total_gap / self.below if self.below else 0.0

    def add(self, other: GapStat) -> None:
        self.required_for += other.required_for
        self.assessed += other.assessed
        self.below += other.below
        self.total_gap += other.total_gap


LeafStats = dict[tuple[int, int], GapStat]  # (own unit id, competency id) -> stat


def gap_employees(scope: Scope, root: Unit | None = None) -> QuerySet[Employee]:
    """Active employees with a position, in the scope (and under `root` when given)."""
    qs = scope.employees(Employee.objects.filter(active=True, position__isnull=False))
    if root is not None:
        qs = qs.filter(unit__path__startswith=root.path)
    elif not scope.city_wide:
        qs = qs.filter(pk__in=scope.team_ids)  # no unit to look at: the supervisor's team
    return qs


def leaf_stats(employees: QuerySet[Employee], *, unfiltered: bool = False) -> LeafStats:
    """Gap figures per (own unit, competency) for the given employees, in three aggregate queries.

    `unfiltered` says `employees` is every active employee with a position (city-wide): the current levels
    are then filtered by a join instead of an IN (subquery), which SQLite runs faster.
    """
    groups = list(employees.values_list("unit_id", "position_id").annotate(n=Count("pk")).order_by())
    if not groups:
        return {}
    position_ids = {position_id for _unit, position_id, _n in groups}
    positions = Position.objects.filter(pk__in=employees.values("position_id"))
    table = requirement_table(positions.values("pk"))
    required = {
        pk: table.for_position(pk, kind, level)
        for pk, kind, level in positions.values_list("pk", "kind", "level")
        if pk in position_ids
    }
    levels = CurrentLevel.objects.filter(employee__active=True, employee__position__isnull=False)
    if not unfiltered:
        levels = levels.filter(employee__in=employees.values("pk"))
    counts = (
        levels.values_list("employee__unit_id", "employee__position_id", "competency_id", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    stats: LeafStats = defaultdict(GapStat)
    for unit_id, position_id, n in groups:
        for competency_id in required.get(position_id, {}):
            stats[(unit_id, competency_id)].required_for += n
    for unit_id, position_id, competency_id, level, n in counts:
        need = required.get(position_id, {}).get(competency_id)
        if need is None:
            continue  # assessed in something the position does not require: not a gap
        stat = stats[(unit_id, competency_id)]
        stat.assessed += n
        if level < need:
            stat.below += n
            stat.total_gap += (need - level) * n
    return dict(stats)


def rollup_leaf_stats(root: Unit | None = None) -> LeafStats:
    """The same figures as `leaf_stats`, read from the background job's GapRollup rows."""
    qs = GapRollup.objects.all()
    if root is not None:
        qs = qs.filter(unit__path__startswith=root.path)
    return {
        (r.unit_id, r.competency_id): GapStat(
            required_for=r.employees,
            assessed=r.employees - r.unassessed,
            below=r.employees_below,
            total_gap=r.total_gap,
        )
        for r in qs
    }


@dataclass
class GapMatrix:
    """Rows (units) × columns (competencies) of gap figures, with totals per competency."""

    root: Unit | None
    units: list[Unit]
    competencies: list[Competency]
    cells: dict[tuple[int, int], GapStat]
    by_competency: dict[int, GapStat]
    employees: int
    source: str  # "live" or "rollup"
    refreshed_at: Any = None
    breadcrumbs: list[Unit] = field(default_factory=list)

    def cell(self, unit_id: int, competency_id: int) -> GapStat | None:
        return self.cells.get((unit_id, competency_id))

    @property
    def table(self) -> list[tuple[Unit, list[tuple[Competency, GapStat | None]]]]:
        return [(u, [(c, self.cells.get((u.pk, c.pk))) for c in self.competencies]) for u in self.units]

    @property
    def ranked(self) -> list[tuple[Competency, GapStat]]:
        """Competencies by how many people are below, then by how far."""
        items = [(c, self.by_competency[c.pk]) for c in self.competencies if c.pk in self.by_competency]
        return sorted(items, key=lambda i: (-i[1].below, -i[1].total_gap, i[0].code))


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def default_root(scope: Scope) -> Unit | None:
    """The top unit of a scope's gap pages: the city for city-wide users, the (first) managed subtree for
    unit heads, none for supervisors (their team spans the units it works in)."""
    if scope.city_wide:
        return Unit.objects.filter(parent__isnull=True).order_by("code").first()
    paths = sorted(scope.employee_unit_paths, key=len)
    if paths:
        return Unit.objects.filter(path=paths[0]).first()
    return None


def can_view_root(scope: Scope, unit: Unit) -> bool:
    return scope.city_wide or any(unit.path.startswith(p) for p in scope.employee_unit_paths)


def gap_matrix(scope: Scope, root: Unit | None = None, *, force_live: bool = False) -> GapMatrix:
    """Unit × competency gaps within the scope. Rows are the root's children (each with its subtree) plus
    the root itself for people placed directly in it; without a root, the units the employees work in."""
    employees = gap_employees(scope, root)
    use_rollup = False
    refreshed_at = None
    if scope.city_wide and not force_live and GapRollup.objects.exists():
        use_rollup = employees.count() > rollup_threshold()
    if use_rollup:
        leaf = rollup_leaf_stats(root)
        latest = GapRollup.objects.order_by("-refreshed_at").first()
        refreshed_at = latest.refreshed_at if latest else None
    else:
        leaf = leaf_stats(
            employees, unfiltered=scope.city_wide and root is not None and root.parent_id is None
        )
    unit_paths = dict(Unit.objects.filter(pk__in={u for u, _c in leaf}).values_list("pk", "path"))
    root_depth = len(_path_ids(root.path)) if root is not None else 0
    row_of: dict[int, int] = {}
    for unit_id, path in unit_paths.items():
        if root is not None and not path.startswith(root.path):
            continue  # counted by an unfiltered query but outside the page's unit
        ids = _path_ids(path)
        row_of[unit_id] = ids[root_depth] if root is not None and len(ids) > root_depth else ids[-1]
    cells: dict[tuple[int, int], GapStat] = defaultdict(GapStat)
    by_competency: dict[int, GapStat] = defaultdict(GapStat)
    for (unit_id, competency_id), stat in leaf.items():
        if unit_id not in row_of:
            continue
        cells[(row_of[unit_id], competency_id)].add(stat)
        by_competency[competency_id].add(stat)
    competency_ids = {c for _u, c in cells}
    competencies = list(Competency.objects.filter(pk__in=competency_ids).order_by("kind", "code"))
    kind_order = KIND_ORDER
    competencies.sort(key=lambda c: (kind_order.get(c.kind, 3), c.code))
    units = list(Unit.objects.filter(pk__in={u for u, _c in cells}).order_by("code"))
    if root is not None:
        units.sort(key=lambda u: (u.pk != root.pk, u.code))
    breadcrumbs: list[Unit] = []
    if root is not None:
        ancestors = {u.pk: u for u in Unit.objects.filter(pk__in=_path_ids(root.path))}
        breadcrumbs = [
            ancestors[i]
            for i in _path_ids(root.path)
            if i in ancestors and can_view_root(scope, ancestors[i])
        ]
    return GapMatrix(
        root=root,
        units=units,
        competencies=competencies,
        cells=dict(cells),
        by_competency=dict(by_competency),
        employees=employees.count(),
        source="rollup" if use_rollup else "live",
        refreshed_at=refreshed_at,
        breadcrumbs=breadcrumbs,
    )


@dataclass
class PersonGap:
    employee: Employee
    required: int
    current: int | None

    @property
    def gap(self) -> int | None:
        return None if self.current is None else max(0, self.required - self.current)


def people_below(
    scope: Scope, competency: Competency, root: Unit | None = None
) -> tuple[list[PersonGap], list[PersonGap]]:
    """Employees in scope (under root) below the required level of `competency`, and those never assessed."""
    employees = gap_employees(scope, root)
    positions = Position.objects.filter(pk__in=employees.values("position_id"))
    required = {pk: req.get(competency.pk) for pk, req in required_by_position(positions).items()}
    wanted = [pk for pk, level in required.items() if level is not None]
    current = CurrentLevel.objects.filter(employee=OuterRef("pk"), competency=competency).values("level")[:1]
    rows = (
        employees.filter(position_id__in=wanted)
        .select_related("unit", "position")
        .annotate(current_level=Subquery(current))
        .order_by("unit__code", "name")
    )
    below: list[PersonGap] = []
    unassessed: list[PersonGap] = []
    for employee in rows:
        need = required[employee.position_id] if employee.position_id else None
        assert need is not None
        if employee.current_level is None:
            unassessed.append(PersonGap(employee, need, None))
        elif employee.current_level < need:
            below.append(PersonGap(employee, need, employee.current_level))
    below.sort(key=lambda p: (-(p.gap or 0), p.employee.unit.code, p.employee.name))
    return below, unassessed


def team_grid(
    scope: Scope, employees: list[Employee]
) -> tuple[list[Competency], dict[tuple[int, int], int], dict[int, dict[int, int]]]:
    """For the supervisor's grid: the competencies the team's positions require (or that they hold), the
    current levels {(employee, competency): level} and the required levels per employee."""
    position_ids = {e.position_id for e in employees if e.position_id}
    table = requirement_table(position_ids)
    required: dict[int, dict[int, int]] = {}
    for e in employees:
        required[e.pk] = (
            table.for_position(e.position.pk, e.position.kind, e.position.level) if e.position else {}
        )
    current = {
        (employee_id, competency_id): level
        for employee_id, competency_id, level in CurrentLevel.objects.filter(
            employee_id__in=[e.pk for e in employees]
        ).values_list("employee_id", "competency_id", "level")
    }
    ids = {c for req in required.values() for c in req}
    kind_order = KIND_ORDER
    competencies = sorted(
        Competency.objects.filter(pk__in=ids, active=True), key=lambda c: (kind_order.get(c.kind, 3), c.code)
    )
    return competencies, current, required
