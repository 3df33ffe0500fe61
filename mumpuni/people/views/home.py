"""Figures of the home page, one builder per role; every figure is read through the user's scope.

Later issues add training (JP, classes) and queue figures: the templates keep an empty, labelled place for
them instead of invented numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from mumpuni.common.models import AuditEntry
from mumpuni.learning.selectors.progress import jp_card
from mumpuni.people import selectors
from mumpuni.people.models import Employee, ImportJob, Position, Unit
from mumpuni.people.scopes import Scope

DATA_QUALITY_SAMPLE = 5


@dataclass(frozen=True)
class LabelledCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class UnitCount:
    unit: Unit
    count: int


def _headcount(employees: QuerySet[Employee]) -> dict[str, int]:
    return employees.aggregate(
        active_total=Count("pk", filter=Q(active=True)),
        inactive_total=Count("pk", filter=Q(active=False)),
        pns=Count("pk", filter=Q(active=True, employment_type=Employee.EmploymentType.PNS)),
        pppk=Count("pk", filter=Q(active=True, employment_type=Employee.EmploymentType.PPPK)),
        male=Count("pk", filter=Q(active=True, sex=Employee.Sex.MALE)),
        female=Count("pk", filter=Q(active=True, sex=Employee.Sex.FEMALE)),
        no_position=Count("pk", filter=Q(active=True, position__isnull=True)),
        # Heads of the city (JPT) report to the mayor, who is not an ASN record: not a data problem.
        no_supervisor=Count("pk", filter=Q(active=True, supervisor__isnull=True) & ~Q(position__kind="jpt")),
        no_contact=Count("pk", filter=Q(active=True, email="", phone="")),
    )


def _by_position_kind(employees: QuerySet[Employee]) -> list[LabelledCount]:
    rows = {
        row["position__kind"]: row["n"]
        for row in employees.filter(active=True).values("position__kind").annotate(n=Count("pk")).order_by()
    }
    result = [LabelledCount(value, str(label), rows.get(value, 0)) for value, label in Position.Kind.choices]
    result.append(LabelledCount("", "Tanpa jabatan", rows.get(None, 0)))
    return result


def _data_quality(employees: QuerySet[Employee]) -> dict[str, list[Employee]]:
    base = employees.filter(active=True).select_related("unit", "position").order_by("name")
    return {
        "no_position": list(base.filter(position__isnull=True)[:DATA_QUALITY_SAMPLE]),
        "no_supervisor": list(
            base.filter(supervisor__isnull=True).exclude(position__kind="jpt")[:DATA_QUALITY_SAMPLE]
        ),
    }


def _top_level_counts(scope: Scope, employees: QuerySet[Employee]) -> list[UnitCount]:
    """Active staff per unit directly below the root(s), kelurahan rolled up into their kecamatan."""
    top_units = {u.pk: u for u in scope.units().filter(parent__isnull=False, parent__parent__isnull=True)}
    totals: dict[int, int] = dict.fromkeys(top_units, 0)
    per_path = employees.filter(active=True).values("unit__path").annotate(n=Count("pk")).order_by()
    for row in per_path:
        ids = [int(p) for p in row["unit__path"].strip("/").split("/") if p]
        if len(ids) >= 2 and ids[1] in totals:
            totals[ids[1]] += row["n"]
    return sorted(
        (UnitCount(top_units[pk], n) for pk, n in totals.items()), key=lambda r: (-r.count, r.unit.code)
    )


def admin_context(scope: Scope) -> dict[str, Any]:
    employees = scope.employees()
    units_by_kind = {
        row["kind"]: row["n"] for row in scope.units().values("kind").annotate(n=Count("pk")).order_by()
    }
    positions_by_kind = {
        row["kind"]: row["n"] for row in scope.positions().values("kind").annotate(n=Count("pk")).order_by()
    }
    return {
        "headcount": _headcount(employees),
        "units_by_kind": [
            LabelledCount(v, str(label), units_by_kind.get(v, 0)) for v, label in Unit.Kind.choices
        ],
        "unit_total": sum(units_by_kind.values()),
        "positions_by_kind": [
            LabelledCount(v, str(label), positions_by_kind.get(v, 0)) for v, label in Position.Kind.choices
        ],
        "position_total": sum(positions_by_kind.values()),
        "quality": _data_quality(employees),
        "recent_imports": list(ImportJob.objects.select_related("created_by").order_by("-created_at")[:5]),
        "recent_audit": list(AuditEntry.objects.order_by("-created_at", "-id")[:8]),
    }


def executive_context(scope: Scope) -> dict[str, Any]:
    employees = scope.employees()
    top = _top_level_counts(scope, employees)
    return {
        "headcount": _headcount(employees),
        "kecamatan_counts": [r for r in top if r.unit.kind == Unit.Kind.KECAMATAN],
        "opd_counts": [r for r in top if r.unit.kind != Unit.Kind.KECAMATAN][:10],
        "by_position_kind": _by_position_kind(employees),
    }


def unit_head_context(scope: Scope, user: Any) -> dict[str, Any]:
    employees = scope.employees()
    tree = selectors.unit_tree(user=user)
    return {
        "headcount": _headcount(employees),
        "by_position_kind": _by_position_kind(employees),
        "unit_rows": tree,
        "head_units": list(scope.units().filter(path__in=scope.manage_unit_paths)),
        "quality": _data_quality(employees),
    }


def supervisor_context(scope: Scope, user: Any) -> dict[str, Any]:
    team = (
        selectors.employee_list(user=user, active=True)
        .filter(pk__in=scope.team_ids)
        .select_related("supervisor")
    )
    own = own_context(scope, user)
    return {"team": list(team), "own": own["own"], "jp_card": own["jp_card"]}


def own_context(scope: Scope, user: Any) -> dict[str, Any]:
    own = selectors.employee_get(user=user, pk=scope.own_employee_id) if scope.own_employee_id else None
    # The employee's JP this year against the 20 owed to every PNS (PP 17/2020).
    return {"own": own, "jp_card": jp_card(own)}
