"""Who sees which IKM figures. Built on `people.scopes.scope_for`; nothing else decides.

- BKPP admin and executive (and superusers): every unit, city-wide;
- unit head (camat, kepala dinas/MPP): the units in the subtree of the unit(s) they head;
- everyone else (supervisors, counter officers, employees, trainers, service accounts, anonymous): no IKM
  pages and no report downloads. The SKM answers are anonymous, but figures per officer are personnel
  information that belongs to the head of the unit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mumpuni.people.models import Employee, Role, Unit
from mumpuni.people.scopes import Scope, scope_for
from mumpuni.queueing.models import Counter, ServicePoint

_NOTHING = Q(pk__in=[])


def _paths(scope: Scope) -> tuple[str, ...]:
    return scope.manage_unit_paths if Role.UNIT_HEAD in scope.roles else ()


def is_city_wide(user: Any) -> bool:
    scope = scope_for(user)
    return scope.user_id is not None and scope.city_wide


def ikm_paths(user: Any) -> tuple[str, ...] | None:
    """None: every unit; otherwise the subtree roots whose IKM the user sees (empty: none)."""
    scope = scope_for(user)
    if scope.user_id is None:
        return ()
    if scope.city_wide:
        return None
    return _paths(scope)


def can_see_ikm(user: Any) -> bool:
    paths = ikm_paths(user)
    return paths is None or bool(paths)


def _under_q(paths: tuple[str, ...] | None, prefix: str = "") -> Q:
    if paths is None:
        return Q()
    q = _NOTHING
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def can_view_unit(user: Any, unit: Unit) -> bool:
    paths = ikm_paths(user)
    return paths is None or any(unit.path.startswith(p) for p in paths)


def visible_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(_under_q(ikm_paths(user)))


def report_units(user: Any) -> QuerySet[Unit]:
    """Units worth offering in the unit filter: those holding a service point, their ancestors, and the
    roots of a unit head's scope — all within the user's scope."""
    paths = ikm_paths(user)
    point_paths = list(
        ServicePoint.objects.filter(_under_q(paths, "unit__")).values_list("unit__path", flat=True)
    )
    prefixes: set[str] = set(paths or ())
    for path in point_paths:
        parts = [p for p in path.split("/") if p]
        for i in range(1, len(parts) + 1):
            prefixes.add("/" + "/".join(parts[:i]) + "/")
    if not prefixes:
        return Unit.objects.none()
    return visible_units(user).filter(path__in=prefixes).order_by("path")


def visible_points(user: Any) -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(_under_q(ikm_paths(user), "unit__")).select_related("unit")


def visible_counters(user: Any) -> QuerySet[Counter]:
    return Counter.objects.filter(_under_q(ikm_paths(user), "point__unit__")).select_related("point")


def visible_officers(user: Any) -> QuerySet[Employee]:
    """Officers the user may see IKM figures for: those with answers at a point in scope."""
    from mumpuni.surveys.models import SurveyResponse

    officer_ids = SurveyResponse.objects.filter(
        _under_q(ikm_paths(user), "unit__"), officer__isnull=False
    ).values("officer_id")
    return Employee.objects.filter(pk__in=officer_ids)


def default_unit(user: Any) -> Unit | None:
    """The unit a page opens on: none (all) city-wide, else the first unit the user heads."""
    paths = ikm_paths(user)
    if not paths:
        return None
    return Unit.objects.filter(path__in=paths).order_by("path").first()
