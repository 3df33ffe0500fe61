"""Complaint figures per unit and per category, and complaints per 1,000 tickets per point and per officer.

Who: the desk and executives see the whole city; a unit head sees the complaints visible to them
(`access.visible_q`) and the tickets of the service points in their subtree; everyone else is refused.

How (definitions in docs/complaints.md, "Angka pengaduan"): the period selects complaints by the local day
they were *received*. Counts, on-time shares and ratings are SQL aggregates grouped by unit/category. The
medians need every duration, so one narrow values_list (unit, category and three timestamps) is read and
grouped in Python; working days between two days come from a cumulative index over the period, so each
duration costs two dictionary look-ups instead of walking the calendar.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from mumpuni.common.calendar import work_calendar
from mumpuni.common.errors import PermissionDeniedError
from mumpuni.complaints import access
from mumpuni.complaints.models import Complaint
from mumpuni.complaints.services.workflow import overdue_q
from mumpuni.lib.workdays import WorkCalendar
from mumpuni.people.models import Employee, Role, Unit
from mumpuni.people.scopes import scope_for
from mumpuni.queueing.models import ServicePoint, Ticket

DEFAULT_DAYS = 90
NO_UNIT = "Belum diteruskan"
NO_OFFICER_ROWS = 50  # officers shown on the page (all of them are in the XLSX)


def figures_access(user: Any) -> str | None:
    """'all' (desk, executive), 'units' (unit head) or None."""
    scope = scope_for(user)
    if scope.user_id is None:
        return None
    if access.is_desk(user) or scope.city_wide:
        return "all"
    if Role.UNIT_HEAD in scope.roles and scope.manage_unit_paths:
        return "units"
    return None


def _points_q(user: Any, prefix: str = "") -> Q:
    if figures_access(user) == "all":
        return Q()
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    for path in scope_for(user).manage_unit_paths:
        q |= Q(**{f"{prefix}unit__path__startswith": path})
    return q


@dataclass
class GroupFigures:
    key: Any
    label: str
    total: int = 0
    verified: int = 0
    rejected: int = 0
    answered: int = 0
    on_time: int = 0  # answered on or before answer_due
    late_unanswered: int = 0  # not answered, still open, answer_due passed
    open: int = 0
    overdue: int = 0  # open and past the current deadline
    rating_mean: float | None = None
    rating_count: int = 0
    rating_sum: int = 0
    verify_hours: float | None = None  # medians
    verify_days: float | None = None
    answer_hours: float | None = None
    answer_days: float | None = None

    @property
    def deadline_reached(self) -> int:
        return self.answered + self.late_unanswered

    @property
    def on_time_share(self) -> float | None:
        """Answered within the answer deadline ÷ (answered + open past the answer deadline)."""
        return self.on_time / self.deadline_reached if self.deadline_reached else None


@dataclass
class RateRow:
    key: Any
    label: str
    complaints: int
    tickets: int
    unit_label: str = ""

    @property
    def per_thousand(self) -> float | None:
        return self.complaints * 1000 / self.tickets if self.tickets else None


@dataclass
class FiguresReport:
    date_from: dt.date
    date_to: dt.date
    total: GroupFigures
    by_unit: list[GroupFigures] = field(default_factory=list)
    by_category: list[GroupFigures] = field(default_factory=list)
    by_point: list[RateRow] = field(default_factory=list)
    by_officer: list[RateRow] = field(default_factory=list)
    tickets_total: int = 0

    @property
    def per_thousand_tickets(self) -> float | None:
        """Complaints about a service point per 1,000 tickets issued at the points (in the reader's scope)."""
        complaints = sum(r.complaints for r in self.by_point)
        return complaints * 1000 / self.tickets_total if self.tickets_total else None


def _aggregates(today: dt.date) -> dict[str, Any]:
    answered = Q(answered_at__isnull=False)
    return {
        "total": Count("id"),
        "verified": Count("id", filter=Q(verified_at__isnull=False) & ~Q(status=Complaint.Status.REJECTED)),
        "rejected": Count("id", filter=Q(status=Complaint.Status.REJECTED)),
        "answered": Count("id", filter=answered),
        "on_time": Count("id", filter=answered & Q(answered_at__date__lte=F("answer_due"))),
        "late_unanswered": Count(
            "id",
            filter=Q(answered_at__isnull=True, status__in=Complaint.OPEN_STATUSES, answer_due__lt=today),
        ),
        "open": Count("id", filter=Q(status__in=Complaint.OPEN_STATUSES)),
        "overdue": Count("id", filter=overdue_q(today)),
        "rating_sum": Sum("rating"),
        "rating_count": Count("rating"),
    }


COUNTS = (
    "total",
    "verified",
    "rejected",
    "answered",
    "on_time",
    "late_unanswered",
    "open",
    "overdue",
    "rating_count",
)


def _add(target: GroupFigures, row: dict[str, Any]) -> None:
    """Add one (unit, category) row of the grouped aggregate to a group; ratings by sum and count."""
    for name in COUNTS:
        setattr(target, name, getattr(target, name) + int(row.get(name) or 0))
    target.rating_sum += int(row.get("rating_sum") or 0)
    target.rating_mean = target.rating_sum / target.rating_count if target.rating_count else None


class WorkdayIndex:
    """Working days between two dates by a cumulative count from `start` (dates before it are clamped)."""

    def __init__(self, calendar: WorkCalendar, start: dt.date, end: dt.date) -> None:
        self.start = start
        self.cumulative: list[int] = []
        running = 0
        day = start
        while day <= end:
            if calendar.is_working_day(day):
                running += 1
            self.cumulative.append(running)
            day += dt.timedelta(days=1)
        self.calendar = calendar

    def _at(self, day: dt.date) -> int | None:
        offset = (day - self.start).days
        if 0 <= offset < len(self.cumulative):
            return self.cumulative[offset]
        return None

    def between(self, start: dt.date, end: dt.date) -> int:
        a, b = self._at(start), self._at(end)
        if a is None or b is None:
            return self.calendar.working_days_between(start, end)
        return b - a


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _durations(
    qs: QuerySet[Complaint], index: WorkdayIndex
) -> tuple[dict[tuple[str, Any], dict[str, list[float]]], dict[str, list[float]]]:
    """Durations per (dimension, key) and for the total: hours and working days to verify / to answer."""
    grouped: dict[tuple[str, Any], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    total: dict[str, list[float]] = defaultdict(list)
    rows = (
        qs.filter(Q(verified_at__isnull=False) | Q(answered_at__isnull=False))
        .values_list("assigned_unit_id", "category", "received_at", "verified_at", "answered_at")
        .order_by()
    )
    tz = timezone.get_current_timezone()
    for unit_id, category, received, verified, answered in rows.iterator(chunk_size=5000):
        received_day = received.astimezone(tz).date()
        values: dict[str, float] = {}
        if verified is not None:
            values["verify_hours"] = (verified - received).total_seconds() / 3600
            values["verify_days"] = index.between(received_day, verified.astimezone(tz).date())
        if answered is not None:
            values["answer_hours"] = (answered - received).total_seconds() / 3600
            values["answer_days"] = index.between(received_day, answered.astimezone(tz).date())
        for name, value in values.items():
            total[name].append(value)
            grouped[("unit", unit_id)][name].append(value)
            grouped[("category", category)][name].append(value)
    return grouped, total


def _set_medians(target: GroupFigures, durations: dict[str, list[float]]) -> None:
    for name in ("verify_hours", "verify_days", "answer_hours", "answer_days"):
        setattr(target, name, _median(durations.get(name, [])))


def _day_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min), tz)
    return start, end


def _rate_rows(
    complaint_counts: Iterable[tuple[Any, int]], ticket_counts: Iterable[tuple[Any, int]]
) -> dict[Any, list[int]]:
    merged: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    for key, n in complaint_counts:
        merged[key][0] = n
    for key, n in ticket_counts:
        merged[key][1] = n
    return merged


def _sum_by(rows: Iterable[tuple[Any, Any, int]], position: int) -> list[tuple[Any, int]]:
    """Sum grouped (point, officer, n) rows by one of the two keys, leaving out empty keys."""
    sums: dict[Any, int] = defaultdict(int)
    for row in rows:
        if row[position] is not None:
            sums[row[position]] += row[2]
    return list(sums.items())


def complaint_figures(
    user: Any,
    date_from: dt.date,
    date_to: dt.date,
    *,
    today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> FiguresReport:
    scope_kind = figures_access(user)
    if scope_kind is None:
        raise PermissionDeniedError("Anda tidak berhak melihat angka pengaduan.")
    today = today or timezone.localdate()
    calendar = calendar or work_calendar()
    start, end = _day_bounds(date_from, date_to)
    base = access.visible_complaints(user).filter(received_at__gte=start, received_at__lt=end)
    aggregates = _aggregates(today)

    # One grouped aggregate by (unit, category); the unit, category and total figures are its sums.
    total = GroupFigures("total", "Semua")
    units_acc: dict[Any, GroupFigures] = {}
    categories_acc: dict[str, GroupFigures] = {}
    labels = dict(Complaint.Category.choices)
    for row in base.values("assigned_unit", "category").annotate(**aggregates).order_by():
        unit_id, category = row["assigned_unit"], row["category"]
        _add(total, row)
        _add(units_acc.setdefault(unit_id, GroupFigures(unit_id, NO_UNIT)), row)
        _add(
            categories_acc.setdefault(category, GroupFigures(category, str(labels.get(category, category)))),
            row,
        )
    units = Unit.objects.only("name").in_bulk([k for k in units_acc if k is not None])
    for key, group in units_acc.items():
        if key in units:
            group.label = units[key].name
    by_unit = list(units_acc.values())
    by_category = list(categories_acc.values())

    index = WorkdayIndex(calendar, date_from - dt.timedelta(days=1), max(today, date_to))
    grouped, total_durations = _durations(base, index)
    _set_medians(total, total_durations)
    for unit_group in by_unit:
        _set_medians(unit_group, grouped.get(("unit", unit_group.key), {}))
    for category_group in by_category:
        _set_medians(category_group, grouped.get(("category", category_group.key), {}))
    by_unit.sort(key=lambda g: (-g.total, g.label))
    by_category.sort(key=lambda g: (-g.total, g.label))

    # Complaints per 1,000 tickets: tickets issued in the same days (cancelled ones excluded). One grouped
    # count of complaints and one of tickets, each by (point, officer), split in Python.
    tickets = Ticket.objects.filter(
        service_date__gte=date_from,
        service_date__lte=date_to,
        point__in=ServicePoint.objects.filter(_points_q(user)),
    ).exclude(status=Ticket.Status.CANCELLED)
    complaint_pairs = list(
        base.filter(Q(point__isnull=False) | Q(officer__isnull=False))
        .values_list("point", "officer")
        .annotate(n=Count("id"))
        .order_by()
    )
    ticket_pairs = list(tickets.values_list("point", "officer").annotate(n=Count("id")).order_by())
    per_point = _rate_rows(_sum_by(complaint_pairs, 0), _sum_by(ticket_pairs, 0))
    per_officer = _rate_rows(_sum_by(complaint_pairs, 1), _sum_by(ticket_pairs, 1))
    points = ServicePoint.objects.select_related("unit").in_bulk(list(per_point))
    by_point = [
        RateRow(pk, points[pk].name, c, t, points[pk].unit.code)
        for pk, (c, t) in per_point.items()
        if pk in points
    ]
    by_point.sort(key=lambda r: (-(r.per_thousand or 0), -r.complaints, r.label))
    officers = (
        Employee.objects.select_related("unit").only("name", "nip", "unit__name").in_bulk(list(per_officer))
    )
    by_officer = [
        RateRow(pk, officers[pk].name, c, t, officers[pk].unit.name)
        for pk, (c, t) in per_officer.items()
        if pk in officers
    ]
    by_officer.sort(key=lambda r: (-r.complaints, -(r.per_thousand or 0), r.label))

    return FiguresReport(
        date_from=date_from,
        date_to=date_to,
        total=total,
        by_unit=by_unit,
        by_category=by_category,
        by_point=by_point,
        by_officer=by_officer,
        tickets_total=sum(t for _, t in per_point.values()),
    )
