"""Who may ask for and read which official reports. Built on `people.scopes.scope_for`; nothing else decides.

- BKPP admin (and superusers): ask for and read every report, the city's and every unit's;
- executive: reads every report (read-only role: asks BKPP for new ones);
- unit head (camat, kepala dinas/MPP): asks for and reads the reports of the units they head (their subtree)
  and of the service points in it — never the city's, never another unit's;
- everyone else: nothing (the reports hold the figures of whole units).
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from mumpuni.people.models import Role, Unit
from mumpuni.people.scopes import scope_for
from mumpuni.queueing.models import ServicePoint

_NOTHING = Q(pk__in=[])


def _paths(user: Any) -> tuple[str, ...] | None:
    """None: every unit; else the subtree roots the user's reports may cover (empty: none)."""
    scope = scope_for(user)
    if scope.user_id is None:
        return ()
    if scope.city_wide:
        return None
    return scope.manage_unit_paths if Role.UNIT_HEAD in scope.roles else ()


def _q(paths: tuple[str, ...] | None, prefix: str = "") -> Q:
    if paths is None:
        return Q()
    if not paths:
        return _NOTHING
    return reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in paths))


def can_read(user: Any) -> bool:
    paths = _paths(user)
    return paths is None or bool(paths)


def can_request(user: Any) -> bool:
    scope = scope_for(user)
    if scope.user_id is None:
        return False
    return scope.city_manager or (Role.UNIT_HEAD in scope.roles and bool(scope.manage_unit_paths))


def can_request_city(user: Any) -> bool:
    return scope_for(user).city_manager


def can_cover_unit(user: Any, unit: Unit | None) -> bool:
    """May the user ask for a report covering `unit` (None: the whole city)?"""
    if not can_request(user):
        return False
    if unit is None:
        return can_request_city(user)
    paths = _paths(user)
    return paths is None or any(unit.path.startswith(p) for p in paths)


def requestable_units(user: Any) -> QuerySet[Unit]:
    if not can_request(user):
        return Unit.objects.none()
    return Unit.objects.filter(_q(_paths(user))).order_by("path")


def requestable_points(user: Any) -> QuerySet[ServicePoint]:
    if not can_request(user):
        return ServicePoint.objects.none()
    return ServicePoint.objects.filter(_q(_paths(user), "unit__")).select_related("unit").order_by("name")


def visible_jobs_q(user: Any) -> Q:
    """Jobs the user may read: city-wide roles all; a unit head those covering a unit in their subtree."""
    paths = _paths(user)
    if paths is None:
        return Q()
    if not paths:
        return _NOTHING
    return _q(paths, "unit__")
