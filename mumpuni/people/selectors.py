"""Reads of people data, always through the user's scope and already joined."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from mumpuni.people.models import Employee, Position, Unit
from mumpuni.people.scopes import scope_for


def employee_list(
    *,
    user: Any,
    search: str = "",
    unit: Unit | None = None,
    include_subunits: bool = True,
    position_kind: str = "",
    employment_type: str = "",
    active: bool | None = None,
) -> QuerySet[Employee]:
    qs = scope_for(user).employees(Employee.objects.select_related("unit", "position", "supervisor"))
    if search:
        term = search.strip()
        qs = qs.filter(nip__startswith=term) if term.isdigit() else qs.filter(name__icontains=term)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path) if include_subunits else qs.filter(unit=unit)
    if position_kind:
        qs = qs.filter(position__kind=position_kind)
    if employment_type:
        qs = qs.filter(employment_type=employment_type)
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("name", "nip")


def employee_get(*, user: Any, pk: int | None = None, nip: str | None = None) -> Employee | None:
    qs = scope_for(user).employees(
        Employee.objects.select_related("unit", "position__unit", "supervisor", "user")
    )
    if pk is not None:
        return qs.filter(pk=pk).first()
    return qs.filter(nip=nip).first()


def employee_history(*, employee: Employee) -> QuerySet[Any]:
    return employee.assignments.select_related("unit", "position", "changed_by").order_by("-started_at")


def unit_list(*, user: Any, search: str = "", kind: str = "", parent: Unit | None = None) -> QuerySet[Unit]:
    qs = scope_for(user).units(Unit.objects.select_related("parent"))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__startswith=search.upper()))
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs.order_by("code")


def unit_get(*, user: Any, code: str) -> Unit | None:
    return scope_for(user).units(Unit.objects.select_related("parent")).filter(code=code).first()


def unit_tree(*, user: Any) -> list[tuple[Unit, int]]:
    """Visible units in tree order with their depth, each annotated with its active employee count."""
    units = list(
        scope_for(user)
        .units()
        .annotate(active_employees=Count("employees", filter=Q(employees__active=True)))
    )
    children: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for u in units:
        key = u.parent_id if u.parent_id in ids else None
        children.setdefault(key, []).append(u)
    for items in children.values():
        items.sort(key=lambda u: u.code)
    result: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for u in children.get(parent, []):
            result.append((u, depth))
            walk(u.pk, depth + 1)

    walk(None, 0)
    return result


def position_list(
    *, user: Any, search: str = "", unit: Unit | None = None, kind: str = ""
) -> QuerySet[Position]:
    qs = scope_for(user).positions(Position.objects.select_related("unit"))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__startswith=search.upper()))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("unit__code", "kind", "name")


def position_get(*, user: Any, code: str) -> Position | None:
    return scope_for(user).positions(Position.objects.select_related("unit")).filter(code=code).first()
