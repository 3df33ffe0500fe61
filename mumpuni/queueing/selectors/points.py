"""Reads of service points for staff pages and the API, scoped by the user's scope.

Who sees a point: the city-wide roles (BKPP, executives) every point; everyone else the points whose unit
lies in a subtree their roles cover (a camat their kecamatan, a counter officer their point, a kiosk or
display key the unit it is bound to). An ASN's own unit alone does not open the point pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from mumpuni.common.calendar import cached_work_calendar, holiday_name
from mumpuni.common.errors import NotFoundError
from mumpuni.lib.workdays import national_holidays
from mumpuni.people.scopes import scope_for
from mumpuni.queueing.models import Counter, CounterShift, PointClosure, PointService, Service, ServicePoint


def _visible_q(user: Any) -> Q:
    scope = scope_for(user)
    if scope.city_wide:
        return Q()
    if not scope.view_unit_paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(unit__path__startswith=p) for p in scope.view_unit_paths))


def can_view_points(user: Any) -> bool:
    scope = scope_for(user)
    return scope.city_wide or bool(scope.view_unit_paths)


def point_list(*, user: Any) -> QuerySet[ServicePoint]:
    return (
        ServicePoint.objects.filter(_visible_q(user))
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "point_services",
                queryset=PointService.objects.filter(active=True).select_related("service"),
                to_attr="active_services",
            ),
            Prefetch(
                "counters",
                queryset=Counter.objects.filter(active=True).prefetch_related("services"),
                to_attr="active_counters",
            ),
        )
        .order_by("unit__code")
    )


def point_get(*, user: Any, code: str) -> ServicePoint:
    point = (
        ServicePoint.objects.filter(_visible_q(user)).select_related("unit").filter(unit__code=code).first()
    )
    if point is None:
        raise NotFoundError("Tempat pelayanan tidak ditemukan.")
    return point


def point_services(point: ServicePoint) -> QuerySet[PointService]:
    return (
        PointService.objects.filter(point=point)
        .select_related("service")
        .order_by("service__group_letter", "service__name")
    )


def point_counters(point: ServicePoint) -> QuerySet[Counter]:
    return Counter.objects.filter(point=point).prefetch_related("services").order_by("number")


def point_shifts(point: ServicePoint, day: dt.date | None = None) -> QuerySet[CounterShift]:
    day = day or timezone.localdate()
    return (
        CounterShift.objects.filter(counter__point=point, date=day)
        .select_related("counter", "officer")
        .order_by("counter__number", "starts_at")
    )


def public_points() -> QuerySet[ServicePoint]:
    """Active points for citizens' pages: names and codes only."""
    return ServicePoint.objects.filter(active=True).select_related("unit").order_by("unit__code")


def service_list(*, active_only: bool = True) -> QuerySet[Service]:
    qs = Service.objects.all()
    return qs.filter(active=True) if active_only else qs


def service_get(code: str) -> Service:
    service = Service.objects.filter(code=code, active=True).first()
    if service is None:
        raise NotFoundError("Layanan tidak ditemukan.")
    return service


@dataclass(frozen=True)
class ClosedDay:
    """A day the point is closed, and why: its own closure (editable by its head), a closure of every
    point, a national holiday or a cuti bersama day."""

    date: dt.date
    reason: str
    source: str  # "point", "city", "national", "leave"
    closure: PointClosure | None = None

    @property
    def editable(self) -> bool:
        return self.source == "point"


def closed_day_rows(
    point: ServicePoint, first: dt.date, last: dt.date, *, language: str | None = None
) -> list[ClosedDay]:
    """Every closed day from `first` to `last` in date order (one query; holidays from memory). A day with
    several reasons is listed once: the point's own closure first, then every point's, then the calendar."""
    rows: dict[dt.date, ClosedDay] = {}
    for closure in PointClosure.objects.filter(
        Q(point__isnull=True) | Q(point=point), date__gte=first, date__lte=last
    ).order_by("date", "id"):
        source = "point" if closure.point_id else "city"
        if closure.date not in rows or source == "point":
            rows[closure.date] = ClosedDay(closure.date, closure.reason, source, closure)
    leave = dict(cached_work_calendar().collective_leave_names)
    day = first
    while day <= last:
        if day not in rows:
            if day in national_holidays(day.year):
                rows[day] = ClosedDay(day, holiday_name(day, language=language) or "", "national")
            elif day in leave:
                rows[day] = ClosedDay(day, leave[day], "leave")
        day += dt.timedelta(days=1)
    return [rows[d] for d in sorted(rows)]


def past_point_closures(point: ServicePoint, before: dt.date, limit: int = 10) -> list[PointClosure]:
    """The point's own closures before `before`, latest first (read-only history)."""
    return list(PointClosure.objects.filter(point=point, date__lt=before).order_by("-date")[:limit])
