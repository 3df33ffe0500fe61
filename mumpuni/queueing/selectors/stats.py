"""Queue statistics and staffing advice from the ticket log, scoped by the reader's role.

Who sees what (scope_for): admin/executive (city-wide) every point; a unit head (camat) the points under
their unit(s); a counter officer only the tickets they served themselves; everyone else nothing (403).

Figures are computed in Python over one values_list of the selected tickets' timestamps — a month of a
city is a few hundred thousand short tuples — so one query serves every grouping and the percentiles.
Waiting time = (called_at or started_at) − issued_at; service time = finished_at − started_at.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.lib.erlang import ErlangError, StaffingResult, staffing_advice
from mumpuni.people.models import Employee, Role
from mumpuni.people.scopes import Scope, scope_for
from mumpuni.queueing.models import Counter, Service, ServicePoint, Ticket

FINISHED = frozenset(Ticket.FINISHED_OUTCOMES)
DIMENSIONS = ("point", "service", "counter", "officer", "hour", "day")
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


# --- access -------------------------------------------------------------------------------------------


def stats_access(scope: Scope) -> str | None:
    """ "all", "units" (points under the unit head's units), "own" (an officer's own tickets) or None."""
    if scope.city_wide:
        return "all"
    if scope.manage_unit_paths:
        return "units"
    if scope.has_role(Role.COUNTER_OFFICER) and scope.own_employee_id:
        return "own"
    return None


def can_view_stats(user: Any) -> bool:
    return stats_access(scope_for(user)) is not None


def _scope_q(scope: Scope, prefix: str = "") -> Q:
    access = stats_access(scope)
    if access == "all":
        return Q()
    if access == "units":
        q = Q(pk__in=[])
        for path in scope.manage_unit_paths:
            q |= Q(**{f"{prefix}unit__path__startswith": path})
        return q
    return Q(pk__in=[])


def visible_points(user: Any) -> QuerySet[ServicePoint]:
    """The points whose statistics the user may filter on (an officer: the point they work at)."""
    scope = scope_for(user)
    access = stats_access(scope)
    if access is None:
        raise PermissionDeniedError("Anda tidak berhak melihat statistik antrean.")
    qs = ServicePoint.objects.select_related("unit").order_by("unit__code")
    if access == "own":
        paths = scope.view_unit_paths
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(unit__path__startswith=path)
        return qs.filter(q)
    return qs.filter(_scope_q(scope))


def scoped_tickets(user: Any) -> QuerySet[Ticket]:
    scope = scope_for(user)
    access = stats_access(scope)
    if access is None:
        raise PermissionDeniedError("Anda tidak berhak melihat statistik antrean.")
    if access == "own":
        return Ticket.objects.filter(officer_id=scope.own_employee_id)
    if access == "all":
        return Ticket.objects.all()
    return Ticket.objects.filter(point__in=ServicePoint.objects.filter(_scope_q(scope)).values("pk"))


# --- figures ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatsFilter:
    date_from: dt.date
    date_to: dt.date
    point: ServicePoint | None = None
    service: Service | None = None


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no data."""
    if not sorted_values:
        return None
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass
class _Acc:
    count: int = 0
    no_show: int = 0
    finished: int = 0
    within_target: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class GroupStats:
    """Figures of one group; durations in minutes (None where there is no data)."""

    key: Any
    label: str
    count: int
    finished: int
    no_show: int
    no_show_rate: float | None
    within_target_share: float | None
    wait_mean: float | None
    wait_p50: float | None
    wait_p90: float | None
    service_mean: float | None
    service_p50: float | None
    service_p90: float | None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _figures(key: Any, label: str, acc: _Acc) -> GroupStats:
    waits = sorted(acc.waits)
    services = sorted(acc.services)
    closed = acc.finished + acc.no_show
    return GroupStats(
        key=key,
        label=label,
        count=acc.count,
        finished=acc.finished,
        no_show=acc.no_show,
        no_show_rate=acc.no_show / closed if closed else None,
        within_target_share=acc.within_target / len(services) if services else None,
        wait_mean=_mean(waits),
        wait_p50=percentile(waits, 0.5),
        wait_p90=percentile(waits, 0.9),
        service_mean=_mean(services),
        service_p50=percentile(services, 0.5),
        service_p90=percentile(services, 0.9),
    )


@dataclass(frozen=True)
class StatsReport:
    filters: StatsFilter
    total: GroupStats
    groups: dict[str, list[GroupStats]]


_FIELDS = (
    "point_id",
    "service_id",
    "counter_id",
    "officer_id",
    "status",
    "service_date",
    "issued_at",
    "called_at",
    "started_at",
    "finished_at",
    "service__target_service_minutes",
)


def filtered_tickets(user: Any, filters: StatsFilter) -> QuerySet[Ticket]:
    qs = scoped_tickets(user).filter(service_date__gte=filters.date_from, service_date__lte=filters.date_to)
    if filters.point is not None:
        qs = qs.filter(point=filters.point)
    if filters.service is not None:
        qs = qs.filter(service=filters.service)
    return qs


def _labels(model: Any, ids: Iterable[Any], label: Callable[[Any], str]) -> dict[Any, str]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return {obj.pk: label(obj) for obj in model.objects.filter(pk__in=ids)}


def ticket_stats(user: Any, filters: StatsFilter) -> StatsReport:
    """Counts, means, p50/p90 and shares overall and per point, service, counter, officer, hour and day."""
    rows = filtered_tickets(user, filters).values_list(*_FIELDS)
    # Asia/Jakarta has had no daylight saving since 1964: one offset for every row is exact and much
    # cheaper than astimezone() per row. The day is the ticket's service_date.
    offset = timezone.localtime().utcoffset() or dt.timedelta(0)
    total = _Acc()
    accs: dict[str, dict[Any, _Acc]] = {d: defaultdict(_Acc) for d in DIMENSIONS}
    by_point, by_service, by_counter = accs["point"], accs["service"], accs["counter"]
    by_officer, by_hour, by_day = accs["officer"], accs["hour"], accs["day"]
    for row in rows:
        (
            point_id,
            service_id,
            counter_id,
            officer_id,
            status,
            day,
            issued,
            called,
            started,
            finished,
            target,
        ) = row
        group_accs = (
            total,
            by_point[point_id],
            by_service[service_id],
            by_counter[counter_id],
            by_officer[officer_id],
            by_hour[(issued + offset).hour],
            by_day[day],
        )
        end = called or started
        wait = (end - issued).total_seconds() / 60 if end else None
        service_minutes = (
            (finished - started).total_seconds() / 60 if status in FINISHED and started and finished else None
        )
        for acc in group_accs:
            acc.count += 1
            if status == Ticket.Status.NO_SHOW:
                acc.no_show += 1
            elif status in FINISHED:
                acc.finished += 1
            if wait is not None:
                acc.waits.append(wait)
            if service_minutes is not None:
                acc.services.append(service_minutes)
                if service_minutes <= target:
                    acc.within_target += 1

    labels: dict[str, dict[Any, str]] = {
        "point": _labels(ServicePoint, accs["point"], lambda p: p.name),
        "service": _labels(Service, accs["service"], lambda s: s.name),
        "officer": _labels(Employee, accs["officer"], lambda e: e.name),
    }
    # A counter's name ("Loket 3") repeats across points: show the point with it.
    counter_ids = [k for k in accs["counter"] if k is not None]
    counters = Counter.objects.filter(pk__in=counter_ids).select_related("point") if counter_ids else []
    labels["counter"] = {c.pk: f"{c.name} — {c.point.name}" for c in counters}

    def label_of(dimension: str, key: Any) -> str:
        if key is None:
            return "—"
        if dimension == "hour":
            return f"{key:02d}.00"
        if dimension == "day":
            return f"{WEEKDAYS[key.weekday()]}, {key.isoformat()}"
        return labels[dimension].get(key, str(key))

    groups = {
        d: [
            _figures(k, label_of(d, k), acc)
            for k, acc in sorted(
                accs[d].items(), key=lambda kv: (kv[0] is None, kv[0] if d in ("hour", "day") else 0)
            )
        ]
        for d in DIMENSIONS
    }
    for d in ("point", "service", "counter", "officer"):
        groups[d].sort(key=lambda g: g.label)
    return StatsReport(filters=filters, total=_figures(None, "Semua", total), groups=groups)


# --- staffing advice from a point's own recent data ---------------------------------------------------


@dataclass(frozen=True)
class HourAdvice:
    hour: int
    arrivals_per_hour: float
    mean_service_minutes: float | None
    advice: StaffingResult | None
    error: str = ""


def staffing_by_hour(
    user: Any,
    point: ServicePoint,
    *,
    weekday: int,
    target_wait_minutes: float = 10,
    target_service_level: float = 0.8,
    today: dt.date | None = None,
    weeks: int = 4,
) -> list[HourAdvice]:
    """Per hour of day: arrivals per hour and mean service time over the last `weeks` weeks of that
    weekday at the point, and the Erlang C advice for them. Days without tickets (holidays) don't count."""
    if not visible_points(user).filter(pk=point.pk).exists() or stats_access(scope_for(user)) == "own":
        raise PermissionDeniedError("Anda tidak berhak melihat saran jumlah loket tempat ini.")
    today = today or timezone.localdate()
    start = today - dt.timedelta(weeks=weeks)
    rows = Ticket.objects.filter(
        point=point,
        service_date__gte=start,
        service_date__lt=today,
        service_date__week_day=(weekday + 1) % 7 + 1,
    ).values_list("service_date", "issued_at", "status", "started_at", "finished_at")
    offset = timezone.localtime().utcoffset() or dt.timedelta(0)  # fixed: no DST in Asia/Jakarta
    days: set[dt.date] = set()
    arrivals: dict[int, int] = defaultdict(int)
    services: dict[int, list[float]] = defaultdict(list)
    for service_date, issued, status, started, finished in rows:
        days.add(service_date)
        hour = (issued + offset).hour
        arrivals[hour] += 1
        if status in FINISHED and started and finished:
            services[hour].append((finished - started).total_seconds() / 60)
    n_days = max(len(days), 1)
    result = []
    for hour in sorted(arrivals):
        rate = arrivals[hour] / n_days
        mean_service = _mean(services[hour])
        advice: StaffingResult | None = None
        error = ""
        if mean_service and mean_service > 0:
            try:
                advice = staffing_advice(
                    arrivals_per_hour=rate,
                    mean_service_minutes=mean_service,
                    target_wait_minutes=target_wait_minutes,
                    target_service_level=target_service_level,
                )
            except ErlangError as exc:
                error = str(exc)
        else:
            error = "Belum ada data waktu layanan."
        result.append(HourAdvice(hour, rate, mean_service, advice, error))
    return result
