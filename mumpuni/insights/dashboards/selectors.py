"""Reads behind the dashboards (/dasbor/): the daily roll-ups of `insights.models` and small dimension tables
(units, service points, services, programmes, budgets, class counts, GapRollup), never raw tickets, survey
answers, complaints or JP ledger lines — with two bounded exceptions: the unit dashboard's "queue today"
panel (today's tickets of ONE service point, index point+service_date) and the drill-down pages (`rows_*`),
which list raw rows a page at a time.

Every function takes the scope as unit-path roots (`Filter.paths`; None = the whole city) and issues a fixed
number of queries whatever the data size (asserted in the tests). Results are frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone

from mumpuni.competencies.models import GapRollup
from mumpuni.insights.models import (
    WAIT_BUCKETS,
    ComplaintDay,
    ImpactSnapshot,
    QueueDay,
    QueueMonth,
    SurveyMonth,
    TrainingMonth,
    UnitYear,
)
from mumpuni.learning.models import ANNUAL_JP_TARGET, TrainingClass
from mumpuni.lib.ikm import compute
from mumpuni.people.models import Role, Unit
from mumpuni.people.scopes import Scope, scope_for
from mumpuni.queueing.models import ServicePoint, Ticket

MAX_MONTHS = 36
# Above this many service points in the chosen scope, the per-point table becomes one row per child unit
# (province → kabupaten/kota …) and the per-service month panel drops the per-service histograms.
POINT_LIMIT = 60
UNSUR = tuple(f"u{i}" for i in range(1, 10))


class OutOfScopeError(Exception):
    """A unit (or anything else) the user may not see on a dashboard: the views answer 404."""


# --- access --------------------------------------------------------------------------------------------------


def can_see_executive(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and scope_for(user).city_wide


def can_see_bkpp(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and scope_for(user).city_manager


def can_see_unit(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return scope.city_wide or (scope.has_role(Role.UNIT_HEAD) and bool(scope.manage_unit_paths))


# --- period and unit filter ----------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _parse_month(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        year, month = (int(part) for part in text.strip().split("-")[:2])
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day of the first month
    end: dt.date  # first day of the last month

    @property
    def months(self) -> tuple[dt.date, ...]:
        out = []
        month = self.start
        while month <= self.end:
            out.append(month)
            month = add_months(month, 1)
        return tuple(out)

    @property
    def last_day(self) -> dt.date:
        return add_months(self.end, 1) - dt.timedelta(days=1)

    @property
    def year(self) -> int:
        """The year of JP compliance and budget figures: the period's last year."""
        return self.end.year

    @property
    def query(self) -> str:
        return f"from={self.start:%Y-%m}&to={self.end:%Y-%m}"

    @classmethod
    def parse(cls, start: str | None, end: str | None, *, today: dt.date | None = None) -> Period:
        """from/to as YYYY-MM; default this year to date. Swapped ends are put in order; at most 36 months
        (the start moves up)."""
        today = today or timezone.localdate()
        first = _parse_month(start) or dt.date(today.year, 1, 1)
        last = _parse_month(end) or month_start(today)
        if last < first:
            first, last = last, first
        if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
            first = add_months(last, -(MAX_MONTHS - 1))
        return cls(first, last)


@dataclass(frozen=True)
class Filter:
    period: Period
    unit: Unit | None  # the chosen unit (its subtree); None = everything in scope
    paths: tuple[str, ...] | None  # unit-path roots to filter on; None = the whole city

    def q(self, prefix: str = "unit__") -> Q:
        if self.paths is None:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in self.paths))

    @property
    def query(self) -> str:
        unit = f"&unit={self.unit.code}" if self.unit else ""
        return self.period.query + unit


def resolve_filter(user: Any, *, unit_code: str | None, start: str | None, end: str | None) -> Filter:
    """The period and the unit subtree a dashboard shows: a city-wide user may pick any unit (default: the
    city); a unit head only units under their own (default: their unit). Raises OutOfScopeError."""
    scope = scope_for(user)
    period = Period.parse(start, end)
    unit = None
    if unit_code:
        unit = Unit.objects.filter(code=unit_code.strip()).first()
        if unit is None or not _may_pick(scope, unit):
            raise OutOfScopeError(unit_code)
    if scope.city_wide:
        return Filter(period, unit, (unit.path,) if unit else None)
    roots = scope.manage_unit_paths
    if not roots:
        raise OutOfScopeError("no units")
    if unit is None and len(roots) == 1:
        unit = Unit.objects.filter(path=roots[0]).first()
    return Filter(period, unit, (unit.path,) if unit else roots)


def _may_pick(scope: Scope, unit: Unit) -> bool:
    return scope.city_wide or any(unit.path.startswith(root) for root in scope.manage_unit_paths)


def unit_choices(user: Any) -> list[tuple[str, str]]:
    """(code, name) of the units a user may pick: city-wide users the city, OPDs, kecamatan and the MPP; unit
    heads their unit(s) and the units directly below them. One query."""
    scope = scope_for(user)
    if scope.city_wide:
        qs = Unit.objects.filter(
            Q(parent__isnull=True) | Q(parent__parent__isnull=True, active=True)
        ).order_by("path")
    else:
        roots = scope.manage_unit_paths
        if not roots:
            return []
        qs = Unit.objects.filter(
            reduce(or_, (Q(path=r) | Q(parent__path=r) for r in roots)), active=True
        ).order_by("path")
    return [(u.code, u.name) for u in qs.only("code", "name", "path")]


# --- small value types -----------------------------------------------------------------------------------------


def _ratio(part: float | int | None, whole: float | int | None) -> float | None:
    if part is None or not whole:
        return None
    return float(part) / float(whole)


def _percent(part: float | int | None, whole: float | int | None) -> float | None:
    value = _ratio(part, whole)
    return None if value is None else round(100 * value, 1)


def hist_percentile(hist: Sequence[int], q: float) -> float | None:
    """The q-quantile (0..1) of waits from a WAIT_BUCKETS histogram, interpolated linearly inside the
    bucket (0–5, 5–10, …); in the open last bucket (> 180) it answers the bucket's lower edge."""
    total = sum(hist)
    if not total:
        return None
    target = q * total
    cumulative = 0
    edges = (0, *WAIT_BUCKETS)
    for i, count in enumerate(hist):
        if count and cumulative + count >= target:
            if i >= len(WAIT_BUCKETS):
                return float(WAIT_BUCKETS[-1])
            low, high = edges[i], WAIT_BUCKETS[i]
            return round(low + (high - low) * (target - cumulative) / count, 1)
        cumulative += count
    return float(WAIT_BUCKETS[-1])


def _add_hist(into: list[int], hist: Iterable[int] | None) -> None:
    for i, n in enumerate(hist or []):
        if i < len(into):
            into[i] += int(n or 0)


@dataclass(frozen=True)
class QueueFigures:
    issued: int = 0
    served: int = 0
    no_show: int = 0
    wait_count: int = 0
    wait_minutes_sum: float = 0.0
    service_count: int = 0
    service_minutes_sum: float = 0.0
    within_standard: int = 0
    hist: tuple[int, ...] = ()

    @property
    def wait_mean(self) -> float | None:
        return round(self.wait_minutes_sum / self.wait_count, 1) if self.wait_count else None

    @property
    def service_mean(self) -> float | None:
        return round(self.service_minutes_sum / self.service_count, 1) if self.service_count else None

    @property
    def wait_p50(self) -> float | None:
        return hist_percentile(self.hist, 0.5)

    @property
    def wait_p90(self) -> float | None:
        return hist_percentile(self.hist, 0.9)

    @property
    def within_standard_percent(self) -> float | None:
        """Share of served tickets (with a service time) served within the service's standard minutes."""
        return _percent(self.within_standard, self.service_count)


QUEUE_SUMS = (
    "issued",
    "served",
    "no_show",
    "wait_count",
    "wait_minutes_sum",
    "service_count",
    "service_minutes_sum",
    "within_standard",
)


class _QueueAcc:
    def __init__(self) -> None:
        self.sums: dict[str, float] = dict.fromkeys(QUEUE_SUMS, 0)
        self.hist = [0] * (len(WAIT_BUCKETS) + 1)

    def add(self, row: dict[str, Any]) -> None:
        for name in QUEUE_SUMS:
            self.sums[name] += row[name] or 0
        _add_hist(self.hist, row.get("wait_hist"))

    def figures(self) -> QueueFigures:
        s = self.sums
        return QueueFigures(
            issued=int(s["issued"]),
            served=int(s["served"]),
            no_show=int(s["no_show"]),
            wait_count=int(s["wait_count"]),
            wait_minutes_sum=float(s["wait_minutes_sum"]),
            service_count=int(s["service_count"]),
            service_minutes_sum=float(s["service_minutes_sum"]),
            within_standard=int(s["within_standard"]),
            hist=tuple(self.hist),
        )


@dataclass(frozen=True)
class IkmFigure:
    respondents: int
    ikm: Decimal | None
    mutu: str | None
    kinerja: str | None


def _ikm(row: dict[str, Any] | None) -> IkmFigure:
    if not row or not row.get("responses"):
        return IkmFigure(0, None, None, None)
    sums = {code.upper(): int(row[f"{code}_sum"] or 0) for code in UNSUR}
    counts = {code.upper(): int(row[f"{code}_n"] or 0) for code in UNSUR}
    result = compute(sums, counts, int(row["responses"]))
    return IkmFigure(result.respondents, result.ikm, result.mutu, result.kinerja)


def _survey_sums() -> dict[str, Any]:
    out: dict[str, Any] = {"responses": Sum("responses")}
    for code in UNSUR:
        out[f"{code}_sum"] = Sum(f"{code}_sum")
        out[f"{code}_n"] = Sum(f"{code}_n")
    return out


@dataclass(frozen=True)
class ComplaintFigures:
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    open: int = 0
    open_overdue: int = 0
    answer_days_sum: float = 0.0

    @property
    def on_time_percent(self) -> float | None:
        """Answered on or before the answer deadline, of the complaints whose deadline is settled (answered,
        or open past the deadline) — the definition of the complaint figures and the public page."""
        return _percent(self.answered_on_time, self.answered + self.open_overdue)

    @property
    def answer_days_mean(self) -> float | None:
        return round(self.answer_days_sum / self.answered, 1) if self.answered else None


def _complaints(row: dict[str, Any]) -> ComplaintFigures:
    return ComplaintFigures(
        received=int(row.get("received") or 0),
        answered=int(row.get("answered") or 0),
        answered_on_time=int(row.get("answered_on_time") or 0),
        open=int(row.get("open") or 0),
        open_overdue=int(row.get("open_overdue") or 0),
        answer_days_sum=float(row.get("answer_days_sum") or 0),
    )


COMPLAINT_SUMS = ("received", "answered", "answered_on_time", "open", "open_overdue", "answer_days_sum")


@dataclass(frozen=True)
class MonthPoint:
    month: dt.date
    ikm: Decimal | None = None
    respondents: int = 0
    wait_mean: float | None = None
    tickets: int = 0
    complaints: int = 0
    on_time_percent: float | None = None
    jp: float = 0.0
    completions: int = 0


@dataclass(frozen=True)
class PointRow:
    point_id: int  # the unit's id when `group`
    name: str
    unit_code: str
    figures: QueueFigures
    group: bool = False  # a child unit's points summed (wide scopes), not one point


@dataclass(frozen=True)
class ComplianceRow:
    unit_id: int
    code: str
    name: str
    employees: int
    compliant: int
    jp_sum: float
    with_plan: int
    plan_agreed: int

    @property
    def compliant_percent(self) -> float | None:
        return _percent(self.compliant, self.employees)

    @property
    def plan_percent(self) -> float | None:
        return _percent(self.with_plan, self.employees)

    @property
    def below(self) -> int:
        return self.employees - self.compliant


@dataclass(frozen=True)
class BudgetRow:
    label: str
    amount: int | None
    committed: int
    realised: int

    @property
    def remaining(self) -> int | None:
        return None if self.amount is None else self.amount - self.committed - self.realised

    @property
    def used_percent(self) -> float | None:
        return _percent(self.committed + self.realised, self.amount)


@dataclass(frozen=True)
class ProvenRow:
    program_code: str
    program_name: str
    outcome: str
    effect: float
    ci_low: float
    ci_high: float
    officers_treated: int
    tickets: int

    @property
    def outcome_label(self) -> str:
        from mumpuni.insights.messages import OUTCOME_LABELS

        return str(OUTCOME_LABELS.get(self.outcome, self.outcome))


@dataclass(frozen=True)
class GapRow:
    competency: str
    employees: int
    employees_below: int
    total_gap: int
    unassessed: int

    @property
    def below_percent(self) -> float | None:
        return _percent(self.employees_below, self.employees)


@dataclass(frozen=True)
class ClassFigures:
    planned: int = 0
    open: int = 0
    running: int = 0
    finished: int = 0
    cancelled: int = 0
    seats: int = 0  # capacity of the classes not cancelled


@dataclass(frozen=True)
class ServiceRow:
    service_id: int
    name: str
    figures: QueueFigures


@dataclass(frozen=True)
class TodayFigures:
    point_id: int
    point_name: str
    waiting: int
    in_service: int
    served: int
    issued: int
    wait_mean: float | None


# --- reads shared by the dashboards ------------------------------------------------------------------------


def _unit_q(f: Filter) -> Q:
    return f.q("unit__")


def _queue_sums() -> dict[str, Any]:
    """Σ of every queue column and of each histogram bucket (JSON array element), computed by the database, so
    a period over thousands of points × months returns one row per group."""
    out: dict[str, Any] = {name: Sum(name) for name in QUEUE_SUMS}
    for i in range(len(WAIT_BUCKETS) + 1):
        out[f"h{i}"] = Sum(Cast(KeyTextTransform(str(i), "wait_hist"), IntegerField()))
    return out


def _queue_figures(row: dict[str, Any]) -> QueueFigures:
    acc = _QueueAcc()
    acc.add({**row, "wait_hist": [row.get(f"h{i}") or 0 for i in range(len(WAIT_BUCKETS) + 1)]})
    return acc.figures()


def queue_by_point(f: Filter) -> tuple[list[PointRow], QueueFigures, dict[dt.date, QueueFigures]]:
    """QueueMonth over the period: per point (or, above POINT_LIMIT points in scope, per child unit of the
    chosen unit: `PointRow.group`), per month and in total, summed in the database. Three queries (four for a
    wide scope)."""
    base = QueueMonth.objects.filter(_unit_q(f), month__gte=f.period.start, month__lte=f.period.end)
    points = list(
        ServicePoint.objects.filter(f.q("unit__"))
        .order_by("name")
        .values_list("pk", "name", "unit__code")[: POINT_LIMIT + 1]
    )
    months = list(base.values("month").annotate(**_queue_sums()).order_by("month"))
    total = _QueueAcc()
    for row in months:
        total.add({**row, "wait_hist": [row.get(f"h{i}") or 0 for i in range(len(WAIT_BUCKETS) + 1)]})
    month_figures = {row["month"]: _queue_figures(row) for row in months}
    if len(points) <= POINT_LIMIT:
        per_point = {r["point_id"]: r for r in base.values("point_id").annotate(**_queue_sums()).order_by()}
        out = [
            PointRow(pk, name, code, _queue_figures(per_point[pk]))
            for pk, name, code in points
            if pk in per_point
        ]
        return out, total.figures(), month_figures
    return _queue_by_group(f, base), total.figures(), month_figures


def _group_case(root: Unit | None, groups: Sequence[Unit], field: str = "unit__path") -> Case:
    """SQL: the id of the shown unit a row's unit sits under (the root's own id, or 0, when under none)."""
    ordered = sorted(groups, key=lambda u: -len(u.path))
    whens = [When(**{f"{field}__startswith": u.path, "then": Value(u.pk)}) for u in ordered]
    return Case(*whens, default=Value(root.pk if root else 0), output_field=IntegerField())


def _queue_by_group(f: Filter, base: QuerySet[QueueMonth]) -> list[PointRow]:
    root, groups = _group_units(f)
    rows = {
        r["g"]: r
        for r in base.annotate(g=_group_case(root, groups)).values("g").annotate(**_queue_sums()).order_by()
    }
    out = [
        PointRow(u.pk, u.name, u.code, _queue_figures(rows[u.pk]), group=True) for u in groups if u.pk in rows
    ]
    out.sort(key=lambda r: r.name)
    if root is not None and root.pk in rows:
        own = PointRow(
            root.pk, f"{root.name} (langsung)", root.code, _queue_figures(rows[root.pk]), group=True
        )
        out.insert(0, own)
    return out


def survey_by_month(f: Filter) -> tuple[IkmFigure, dict[dt.date, IkmFigure]]:
    """IKM over the period and per month from SurveyMonth. One query."""
    rows = list(
        SurveyMonth.objects.filter(_unit_q(f), month__gte=f.period.start, month__lte=f.period.end)
        .values("month")
        .annotate(**_survey_sums())
        .order_by("month")
    )
    total: dict[str, Any] = defaultdict(int)
    for row in rows:
        for key, value in row.items():
            if key != "month":
                total[key] += value or 0
    return _ikm(total), {row["month"]: _ikm(row) for row in rows}


def complaints_by_month(f: Filter) -> tuple[ComplaintFigures, dict[dt.date, ComplaintFigures]]:
    """ComplaintDay over the period (received days), in total and per month. One query."""
    rows = list(
        ComplaintDay.objects.filter(_unit_q(f), day__gte=f.period.start, day__lte=f.period.last_day)
        .annotate(m=TruncMonth("day"))
        .values("m")
        .annotate(**{name: Sum(name) for name in COMPLAINT_SUMS})
        .order_by("m")
    )
    total: dict[str, Any] = defaultdict(int)
    months: dict[dt.date, ComplaintFigures] = {}
    for row in rows:
        for name in COMPLAINT_SUMS:
            total[name] += row[name] or 0
        month = row["m"].date() if isinstance(row["m"], dt.datetime) else row["m"]
        months[month] = _complaints(row)
    return _complaints(total), months


def training_by_month(f: Filter) -> dict[dt.date, tuple[float, int, float]]:
    """{month: (JP, completions, realised spend)} from TrainingMonth. One query."""
    rows = (
        TrainingMonth.objects.filter(_unit_q(f), month__gte=f.period.start, month__lte=f.period.end)
        .values("month")
        .annotate(jp=Sum("jp_sum"), n=Sum("completions"), spend=Sum("realised_spend"))
        .order_by("month")
    )
    return {r["month"]: (float(r["jp"] or 0), int(r["n"] or 0), float(r["spend"] or 0)) for r in rows}


def _group_units(f: Filter) -> tuple[Unit | None, list[Unit]]:
    """The units a per-unit table shows: the children of the chosen unit; without one, for a city-wide user the
    children of the single root unit (the city), or the roots themselves when there are several (the nation's
    provinces); for a unit head their roots. One query (two without a chosen unit for a city-wide user)."""
    fields = ("code", "name", "path")
    if f.unit is not None:
        return f.unit, list(Unit.objects.filter(parent=f.unit).order_by("code").only(*fields))
    if f.paths is None:
        roots = list(Unit.objects.filter(parent__isnull=True).order_by("code").only(*fields)[:2])
        if not roots:
            return None, []
        if len(roots) > 1:
            return None, list(Unit.objects.filter(parent__isnull=True).order_by("code").only(*fields))
        root = roots[0]
        return root, list(Unit.objects.filter(parent=root).order_by("code").only(*fields))
    return None, list(Unit.objects.filter(path__in=f.paths).order_by("code").only(*fields))


def compliance_by_unit(f: Filter) -> tuple[ComplianceRow, list[ComplianceRow]]:
    """UnitYear of the period's year summed over each shown unit's subtree (the chosen unit's own staff get a
    row of their own). Two queries."""
    root, groups = _group_units(f)
    rows: Any = UnitYear.objects.filter(_unit_q(f), year=f.period.year).values(
        "unit_id", "unit__path", "employees", "compliant", "jp_sum", "with_plan", "plan_agreed"
    )
    keys = ("employees", "compliant", "jp_sum", "with_plan", "plan_agreed")
    by_group: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    total = dict.fromkeys(keys, 0.0)
    group_ids = {u.pk for u in groups}
    ordered = sorted(groups, key=lambda u: -len(u.path))
    own: dict[str, float] = dict.fromkeys(keys, 0)
    for row in rows:
        for key in keys:
            total[key] += float(row[key] or 0)
        path = row["unit__path"]
        target: int | None = None
        if root is not None and path.startswith(root.path):
            # The child of the root this row sits under: the next id in its path (a dict lookup, not a scan).
            rest = path[len(root.path) :]
            head = rest.split("/", 1)[0]
            target = int(head) if head.isdigit() and int(head) in group_ids else None
        elif root is None:
            target = next((u.pk for u in ordered if path.startswith(u.path)), None)
        acc = by_group[target] if target is not None else own
        for key in keys:
            acc[key] += float(row[key] or 0)

    def make(uid: int, code: str, name: str, acc: dict[str, float]) -> ComplianceRow:
        return ComplianceRow(
            uid,
            code,
            name,
            int(acc["employees"]),
            int(acc["compliant"]),
            round(acc["jp_sum"], 1),
            int(acc["with_plan"]),
            int(acc["plan_agreed"]),
        )

    out = [make(u.pk, u.code, u.name, by_group[u.pk]) for u in groups if by_group[u.pk]["employees"]]
    if own["employees"] and root is not None:
        out.insert(0, make(root.pk, root.code, f"{root.name} (staf langsung)", own))
    label = root.name if root is not None else "Jumlah"
    return make(root.pk if root else 0, root.code if root else "", label, total), out


def budget_rows(user: Any, f: Filter) -> tuple[BudgetRow | None, list[BudgetRow], list[BudgetRow]]:
    """The period year's budget from planning (city total, per source, per unit budget): the budget lines
    themselves (small) with the spend counted in the SpendYear roll-up (planning's budget_overview fed by
    `rollup_spend_rows`, so no enrolment is read per request)."""
    from mumpuni.insights.rollups import rollup_spend_rows
    from mumpuni.planning import access as planning_access
    from mumpuni.planning.selectors import budget_overview

    if not planning_access.can_view_budget(user):
        return None, [], []
    overview = budget_overview(user=user, year=f.period.year, spend_source=rollup_spend_rows)

    def row(label: str, line: Any) -> BudgetRow:
        return BudgetRow(label, line.amount, line.spend.committed, line.spend.realised)

    total = overview.city_total
    by_source = [row(line.source.name, line) for line in overview.city]
    units = [
        row(f"{line.unit.name} · {line.source.name}", line)
        for line in overview.units
        if line.unit is not None and (f.unit is None or line.unit.path.startswith(f.unit.path))
    ]
    total_row: BudgetRow | None
    if total is None and units:  # unit heads: the sum of their unit budgets
        total_row = BudgetRow(
            "Jumlah",
            sum(u.amount or 0 for u in units),
            sum(u.committed for u in units),
            sum(u.realised for u in units),
        )
    else:
        total_row = row("Jumlah", total) if total is not None else None
    return total_row, by_source, units


def proven_programmes(limit: int = 20) -> list[ProvenRow]:
    """ImpactSnapshot rows whose 95 % CI excludes zero (`ImpactSnapshot.proven`). One query."""
    rows = (
        ImpactSnapshot.objects.filter(ci_low__isnull=False, ci_high__isnull=False)
        .filter(Q(ci_low__gt=0) | Q(ci_high__lt=0))
        .select_related("program")
        .order_by("program__code", "outcome")[:limit]
    )
    return [
        ProvenRow(
            r.program.code,
            r.program.name,
            r.outcome,
            float(r.effect or 0),
            float(r.ci_low or 0),
            float(r.ci_high or 0),
            r.officers_treated,
            r.tickets,
        )
        for r in rows
    ]


# --- the dashboards ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Executive:
    filter: Filter
    ikm: IkmFigure
    queue: QueueFigures
    points: list[PointRow]
    complaints: ComplaintFigures
    trend: list[MonthPoint]
    compliance_total: ComplianceRow
    compliance: list[ComplianceRow]
    budget_total: BudgetRow | None
    budget_sources: list[BudgetRow]
    proven: list[ProvenRow]


def _trend(
    f: Filter,
    ikm: dict[dt.date, IkmFigure],
    queue: dict[dt.date, QueueFigures],
    complaints: dict[dt.date, ComplaintFigures],
    training: dict[dt.date, tuple[float, int, float]] | None = None,
) -> list[MonthPoint]:
    out = []
    for month in f.period.months:
        i = ikm.get(month)
        q = queue.get(month)
        c = complaints.get(month)
        t = (training or {}).get(month)
        out.append(
            MonthPoint(
                month=month,
                ikm=i.ikm if i else None,
                respondents=i.respondents if i else 0,
                wait_mean=q.wait_mean if q else None,
                tickets=q.issued if q else 0,
                complaints=c.received if c else 0,
                on_time_percent=c.on_time_percent if c else None,
                jp=t[0] if t else 0.0,
                completions=t[1] if t else 0,
            )
        )
    return out


def executive(user: Any, f: Filter) -> Executive:
    ikm, ikm_months = survey_by_month(f)
    points, queue, queue_months = queue_by_point(f)
    complaints, complaint_months = complaints_by_month(f)
    total, compliance = compliance_by_unit(f)
    budget_total, by_source, _units = budget_rows(user, f)
    return Executive(
        filter=f,
        ikm=ikm,
        queue=queue,
        points=points,
        complaints=complaints,
        trend=_trend(f, ikm_months, queue_months, complaint_months),
        compliance_total=total,
        compliance=compliance,
        budget_total=budget_total,
        budget_sources=by_source,
        proven=proven_programmes(),
    )


@dataclass(frozen=True)
class Bkpp:
    filter: Filter
    gaps: list[GapRow]
    classes: ClassFigures
    compliance_total: ComplianceRow
    compliance: list[ComplianceRow]
    trend: list[MonthPoint]
    jp_total: float
    completions: int
    realised_spend: float
    budget_total: BudgetRow | None
    budget_sources: list[BudgetRow]
    budget_units: list[BudgetRow]


def top_gaps(f: Filter, limit: int = 10) -> list[GapRow]:
    """Competencies with the most employees below the required level, from GapRollup. One query."""
    rows = (
        GapRollup.objects.filter(_unit_q(f))
        .values("competency__name")
        .annotate(
            employees_sum=Sum("employees"),
            below=Sum("employees_below"),
            gap=Sum("total_gap"),
            unassessed_sum=Sum("unassessed"),
        )
        .filter(below__gt=0)
        .order_by("-below", "-gap", "competency__name")[:limit]
    )
    return [
        GapRow(
            r["competency__name"],
            int(r["employees_sum"] or 0),
            int(r["below"] or 0),
            int(r["gap"] or 0),
            int(r["unassessed_sum"] or 0),
        )
        for r in rows
    ]


def class_counts(f: Filter) -> ClassFigures:
    """Classes starting in the period by status, and their seats (city-wide: classes serve every unit).
    One query."""
    rows = (
        TrainingClass.objects.filter(starts_on__gte=f.period.start, starts_on__lte=f.period.last_day)
        .values("status")
        .annotate(n=Count("pk"), seats=Sum("capacity"))
        .order_by()
    )
    counts = {r["status"]: (int(r["n"]), int(r["seats"] or 0)) for r in rows}
    S = TrainingClass.Status
    return ClassFigures(
        planned=counts.get(S.PLANNED, (0, 0))[0],
        open=counts.get(S.OPEN, (0, 0))[0],
        running=counts.get(S.RUNNING, (0, 0))[0],
        finished=counts.get(S.FINISHED, (0, 0))[0],
        cancelled=counts.get(S.CANCELLED, (0, 0))[0],
        seats=sum(seats for status, (_n, seats) in counts.items() if status != S.CANCELLED),
    )


def bkpp(user: Any, f: Filter) -> Bkpp:
    total, compliance = compliance_by_unit(f)
    training = training_by_month(f)
    budget_total, by_source, by_unit = budget_rows(user, f)
    return Bkpp(
        filter=f,
        gaps=top_gaps(f),
        classes=class_counts(f),
        compliance_total=total,
        compliance=compliance,
        trend=_trend(f, {}, {}, {}, training),
        jp_total=round(sum(t[0] for t in training.values()), 1),
        completions=sum(t[1] for t in training.values()),
        realised_spend=sum(t[2] for t in training.values()),
        budget_total=budget_total,
        budget_sources=by_source,
        budget_units=by_unit,
    )


@dataclass(frozen=True)
class UnitDashboard:
    filter: Filter
    today: list[TodayFigures]
    month: dt.date
    month_queue: QueueFigures
    services: list[ServiceRow]
    ikm: IkmFigure
    complaints: ComplaintFigures
    trend: list[MonthPoint]
    compliance_total: ComplianceRow
    compliance: list[ComplianceRow]
    points: list[PointRow] = field(default_factory=list)


TODAY_MAX_POINTS = 1


def queue_today(f: Filter, today: dt.date | None = None) -> list[TodayFigures]:
    """Today's tickets of the subtree's service point, when the subtree holds exactly one (a kecamatan or the
    MPP): the one raw read of the dashboards, bounded by (point, service_date). Two queries."""
    from mumpuni.insights.public_selectors import MinutesBetween

    today = today or timezone.localdate()
    points = list(
        ServicePoint.objects.filter(f.q("unit__"), active=True).values_list("pk", "name")[
            : TODAY_MAX_POINTS + 1
        ]
    )
    if len(points) != 1:
        return []
    point_id, name = points[0]
    waited = Q(called_at__isnull=False) | Q(started_at__isnull=False)
    row = Ticket.objects.filter(point_id=point_id, service_date=today).aggregate(
        issued=Count("pk"),
        waiting=Count("pk", filter=Q(status=Ticket.Status.WAITING)),
        in_service=Count("pk", filter=Q(status__in=(Ticket.Status.CALLED, Ticket.Status.SERVING))),
        served=Count("pk", filter=Q(status__in=Ticket.FINISHED_OUTCOMES)),
        wait_n=Count("pk", filter=waited),
        wait_sum=Sum(MinutesBetween("issued_at", Coalesce("called_at", "started_at")), filter=waited),
    )
    wait_n = int(row["wait_n"] or 0)
    return [
        TodayFigures(
            point_id=point_id,
            point_name=name,
            waiting=int(row["waiting"] or 0),
            in_service=int(row["in_service"] or 0),
            served=int(row["served"] or 0),
            issued=int(row["issued"] or 0),
            wait_mean=round(float(row["wait_sum"] or 0) / wait_n, 1) if wait_n else None,
        )
    ]


def queue_by_service(
    f: Filter, month: dt.date, *, wide: bool = False, month_total: QueueFigures | None = None
) -> tuple[QueueFigures, list[ServiceRow]]:
    """QueueDay of one month per service (the unit's points), summed in the database. One query. For a wide
    scope (`wide`: more than POINT_LIMIT points, up to a million QueueDay rows a month nationally) only the
    counters are summed per service — the histogram buckets are what makes the scan slow — so the services
    have no p50/p90, and the total is `month_total` (the month from QueueMonth) when given."""
    sums = {name: Sum(name) for name in QUEUE_SUMS} if wide else _queue_sums()
    rows = list(
        QueueDay.objects.filter(_unit_q(f), day__gte=month, day__lt=add_months(month, 1))
        .values("service_id", "service__name")
        .annotate(**sums)
        .order_by()
    )
    total = _QueueAcc()
    out = []
    for row in rows:
        total.add({**row, "wait_hist": [row.get(f"h{i}") or 0 for i in range(len(WAIT_BUCKETS) + 1)]})
        out.append(ServiceRow(row["service_id"], row["service__name"], _queue_figures(row)))
    out.sort(key=lambda r: (-r.figures.issued, r.name))
    if wide and month_total is not None:
        return month_total, out
    return total.figures(), out


def unit_dashboard(user: Any, f: Filter, today: dt.date | None = None) -> UnitDashboard:
    today = today or timezone.localdate()
    month = month_start(today)
    ikm, ikm_months = survey_by_month(f)
    points, _queue, queue_months = queue_by_point(f)
    complaints, complaint_months = complaints_by_month(f)
    wide = any(p.group for p in points)
    month_queue, services = queue_by_service(f, month, wide=wide, month_total=queue_months.get(month))
    total, compliance = compliance_by_unit(f)
    return UnitDashboard(
        filter=f,
        today=queue_today(f, today),
        month=month,
        month_queue=month_queue,
        services=services,
        ikm=ikm,
        complaints=complaints,
        trend=_trend(f, ikm_months, queue_months, complaint_months),
        compliance_total=total,
        compliance=compliance,
        points=points,
    )


# --- drill-down rows (raw rows, paginated by the view) ---------------------------------------------------------

DRILL_METRICS = ("tiket", "pengaduan", "skm", "jp")


def rows_tickets(f: Filter, point_id: int | None = None) -> QuerySet[Ticket]:
    """Tickets of the points in scope in the period: no citizen data (number, service, times, status)."""
    qs = Ticket.objects.filter(
        f.q("point__unit__"), service_date__gte=f.period.start, service_date__lte=f.period.last_day
    )
    if point_id:
        qs = qs.filter(point_id=point_id)
    return (
        qs.select_related("point", "service")
        .only(
            "number",
            "service_date",
            "status",
            "issued_at",
            "called_at",
            "started_at",
            "finished_at",
            "point__name",
            "service__name",
        )
        .order_by("-service_date", "-queue_at", "-id")
    )


def rows_complaints(f: Filter, *, overdue: bool = False) -> QuerySet[Any]:
    """Complaints received in the period whose unit (assigned, else point, suggested, kecamatan: the
    roll-up's rule) is in scope; without the complainant's identity."""
    from mumpuni.complaints.models import Complaint

    qs = Complaint.objects.annotate(
        dash_unit=Coalesce("assigned_unit_id", "point__unit_id", "suggested_unit_id", "kecamatan_id")
    ).filter(
        received_at__date__gte=f.period.start,
        received_at__date__lte=f.period.last_day,
    )
    if f.paths is not None:
        units = Unit.objects.filter(f.q("")).values("pk")
        qs = qs.filter(dash_unit__in=units)
    if overdue:
        qs = qs.filter(
            answered_at__isnull=True,
            status__in=Complaint.OPEN_STATUSES,
            answer_due__lt=timezone.localdate(),
        )
    return qs.only(
        "tracking_code", "category", "status", "received_at", "answer_due", "answered_at", "title"
    ).order_by("-received_at", "-id")


def rows_survey(f: Filter) -> QuerySet[Any]:
    """SKM answers in the period for units in scope: the nine unsur, date, unit, service, channel; no
    respondent profile, no suggestion text."""
    from mumpuni.surveys.models import SurveyResponse

    return (
        SurveyResponse.objects.filter(
            f.q("unit__"), service_date__gte=f.period.start, service_date__lte=f.period.last_day
        )
        .select_related("unit", "service")
        .only("service_date", "channel", *UNSUR, "unit__name", "service__name")
        .order_by("-service_date", "-id")
    )


def rows_below_target(f: Filter) -> QuerySet[Any]:
    """Active employees in scope with fewer than 20 JP in the period's year (the UnitYear rule)."""
    from mumpuni.people.models import Employee

    year = f.period.year
    return (
        Employee.objects.filter(f.q("unit__"), active=True)
        .annotate(jp=Coalesce(Sum("jp_entries__jp", filter=Q(jp_entries__year=year)), Decimal(0)))
        .filter(jp__lt=ANNUAL_JP_TARGET)
        .select_related("unit")
        .only("nip", "name", "unit__name", "unit__code")
        .order_by(F("jp").asc(), "name")
    )
