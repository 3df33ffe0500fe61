"""Reads of `reports`: the archive (scoped) and the figures of each report, taken from the daily roll-ups
(insights.models: QueueDay, QueueMonth, SurveyMonth, ComplaintDay, TrainingMonth, UnitYear) like the
dashboards — never from raw tickets, answers or the JP ledger. The SKM report is the surveys app's own
(surveys.selectors / report_pdf / report_xlsx), reused as it is.

Roll-up rows carry the unit they belong to (the employee's own unit, the point's unit); a figure for a unit is
the sum over its subtree (`unit__path__startswith`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from mumpuni.insights.dashboards import selectors as dashboard_selectors
from mumpuni.insights.models import (
    WAIT_BUCKETS,
    ComplaintDay,
    QueueDay,
    QueueMonth,
    SurveyMonth,
    TrainingMonth,
    UnitYear,
)
from mumpuni.lib.ikm import IkmResult, compute
from mumpuni.people.models import Unit
from mumpuni.queueing.models import Service, ServicePoint
from mumpuni.reports import access
from mumpuni.reports.models import ReportJob

JP_TARGET = 20  # JP a year every ASN is owed (UnitYear.compliant counts those with >= 20)
UNSUR = tuple(f"u{i}" for i in range(1, 10))


# --- the archive -----------------------------------------------------------------------------------------


def jobs_for(user: Any) -> QuerySet[ReportJob]:
    return (
        ReportJob.objects.filter(access.visible_jobs_q(user))
        .select_related("unit", "point", "requested_by")
        .order_by("-created_at", "-id")
    )


def job_for(user: Any, pk: int) -> ReportJob:
    """One job the user may read; 404 otherwise (outsiders do not learn that it exists)."""
    job = jobs_for(user).filter(pk=pk).first()
    if job is None:
        raise Http404("Laporan tidak ditemukan.")
    return job


def archive(
    user: Any, *, kind: str = "", year: int | None = None, quarter: int | None = None
) -> QuerySet[ReportJob]:
    qs = jobs_for(user)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    if quarter:
        qs = qs.filter(quarter=quarter)
    return qs


# --- periods -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1) if self.quarter else dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if not self.quarter or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    @property
    def months(self) -> list[dt.date]:
        first = self.start.month
        last = self.end.month
        return [dt.date(self.year, m, 1) for m in range(first, last + 1)]

    @property
    def label(self) -> str:
        if self.quarter:
            return f"Triwulan {['I', 'II', 'III', 'IV'][self.quarter - 1]} Tahun {self.year}"
        return f"Tahun {self.year}"


MONTH_NAMES = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def month_label(month: dt.date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def _subtree(unit: Unit | None, prefix: str = "unit__") -> Q:
    return Q() if unit is None else Q(**{f"{prefix}path__startswith": unit.path})


# --- (1) quarterly competency-development report ------------------------------------------------------


@dataclass
class CompetencyRow:
    code: str
    name: str
    employees: int = 0
    compliant: int = 0
    jp_year: Decimal = Decimal(0)
    with_plan: int = 0
    plan_agreed: int = 0
    jp_period: Decimal = Decimal(0)
    completions: int = 0
    spend: Decimal = Decimal(0)

    @property
    def compliance_percent(self) -> float | None:
        return round(100 * self.compliant / self.employees, 1) if self.employees else None

    @property
    def jp_per_employee(self) -> float | None:
        return round(float(self.jp_year) / self.employees, 1) if self.employees else None

    def add(self, other: CompetencyRow) -> None:
        for name in (
            "employees",
            "compliant",
            "jp_year",
            "with_plan",
            "plan_agreed",
            "jp_period",
            "completions",
            "spend",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class MonthTraining:
    month: dt.date
    jp: Decimal
    completions: int
    spend: Decimal


@dataclass
class BudgetRow:
    label: str
    source: str
    amount: int | None
    committed: int
    realised: int

    @property
    def remaining(self) -> int | None:
        return None if self.amount is None else self.amount - self.committed - self.realised

    @property
    def used_percent(self) -> float | None:
        if not self.amount:
            return None
        return round(100 * (self.committed + self.realised) / self.amount, 1)


@dataclass
class CompetencyFigures:
    unit: Unit | None
    period: Period
    rows: list[CompetencyRow]
    total: CompetencyRow
    months: list[MonthTraining]
    budget: list[BudgetRow] = field(default_factory=list)
    budget_note: str = ""


def _row_units(unit: Unit | None) -> tuple[str, list[Unit]]:
    """The base path and the units that get one row each: the children of `unit` (or of the city's single
    root when no unit is given; the roots themselves when there are several)."""
    if unit is not None:
        return unit.path, list(unit.children.order_by("code"))
    roots = list(Unit.objects.filter(parent__isnull=True).order_by("code"))
    if len(roots) == 1:
        return roots[0].path, list(roots[0].children.order_by("code"))
    return "/", roots


def competency_figures(unit: Unit | None, period: Period, *, user: Any = None) -> CompetencyFigures:
    base_path, row_units = _row_units(unit)
    by_id: dict[str, CompetencyRow] = {str(u.pk): CompetencyRow(u.code, u.name) for u in row_units}
    own = CompetencyRow(
        unit.code if unit else "", (unit.name if unit else "Kota Semarang") + " (pegawai langsung)"
    )

    def row_of(path: str) -> CompetencyRow:
        rest = path[len(base_path) :].strip("/")
        head = rest.split("/")[0] if rest else ""
        return by_id.get(head, own)

    scope = Q(unit__path__startswith=base_path)
    for r in (
        UnitYear.objects.filter(scope, year=period.year)
        .values("unit__path")
        .annotate(
            e=Sum("employees"), c=Sum("compliant"), j=Sum("jp_sum"), w=Sum("with_plan"), a=Sum("plan_agreed")
        )
        .order_by()
    ):
        row = row_of(r["unit__path"])
        row.employees += r["e"] or 0
        row.compliant += r["c"] or 0
        row.jp_year += r["j"] or 0
        row.with_plan += r["w"] or 0
        row.plan_agreed += r["a"] or 0
    months: dict[dt.date, MonthTraining] = {
        m: MonthTraining(m, Decimal(0), 0, Decimal(0)) for m in period.months
    }
    for r in (
        TrainingMonth.objects.filter(scope, month__in=period.months)
        .values("unit__path", "month")
        .annotate(j=Sum("jp_sum"), c=Sum("completions"), s=Sum("realised_spend"))
        .order_by()
    ):
        row = row_of(r["unit__path"])
        row.jp_period += r["j"] or 0
        row.completions += r["c"] or 0
        row.spend += r["s"] or 0
        m = months[r["month"]]
        m.jp += r["j"] or 0
        m.completions += r["c"] or 0
        m.spend += r["s"] or 0
    rows = [by_id[str(u.pk)] for u in row_units]
    if own.employees or own.jp_period or own.completions:
        rows.insert(0, own)
    total = CompetencyRow(unit.code if unit else "", "Jumlah")
    for row in rows:
        total.add(row)
    budget, note = budget_rows(unit, period.year, user)
    return CompetencyFigures(unit, period, rows, total, list(months.values()), budget, note)


def budget_rows(unit: Unit | None, year: int, user: Any) -> tuple[list[BudgetRow], str]:
    """Training budget of the year with committed and realised spend, as the budget page shows it to the
    person who asked for the report (planning.selectors.budget_overview, scoped to them)."""
    from mumpuni.common.errors import PermissionDeniedError
    from mumpuni.planning.selectors import budget_overview

    if user is None:
        return [], "Anggaran tidak dicantumkan: peminta laporan tidak lagi terdaftar."
    try:
        overview = budget_overview(user=user, year=year)
    except PermissionDeniedError:
        return [], "Anggaran tidak dicantumkan: peminta laporan tidak berhak melihat anggaran."
    rows: list[BudgetRow] = []
    if unit is None:
        for line in overview.city:
            rows.append(
                BudgetRow(
                    "Kota Semarang",
                    line.source.name,
                    line.amount,
                    line.spend.committed,
                    line.spend.realised,
                )
            )
    for line in overview.units:
        if line.unit is None or (unit is not None and not line.unit.path.startswith(unit.path)):
            continue
        rows.append(
            BudgetRow(
                line.unit.name, line.source.name, line.amount, line.spend.committed, line.spend.realised
            )
        )
    if not rows:
        return [], f"Belum ada pagu anggaran pelatihan tahun {year} untuk cakupan ini."
    return rows, ""


# --- (3) service performance of one point ----------------------------------------------------------------


def percentile_from_hist(hist: list[int], q: float) -> tuple[float | None, bool]:
    """The q-quantile of waits from the WAIT_BUCKETS histogram, interpolated linearly inside its bucket.
    Returns (minutes, open): open=True when it falls in the last, open bucket (> the last edge)."""
    total = sum(hist)
    if not total:
        return None, False
    target = q * total
    seen = 0.0
    lower = 0.0
    for i, count in enumerate(hist):
        upper = WAIT_BUCKETS[i] if i < len(WAIT_BUCKETS) else None
        if count and seen + count >= target:
            if upper is None:
                return float(WAIT_BUCKETS[-1]), True
            return round(lower + (upper - lower) * (target - seen) / count, 1), False
        seen += count
        if upper is not None:
            lower = float(upper)
    return float(WAIT_BUCKETS[-1]), True


@dataclass
class QueueFigures:
    label: str
    issued: int = 0
    served: int = 0
    no_show: int = 0
    wait_count: int = 0
    wait_minutes_sum: float = 0.0
    service_count: int = 0
    service_minutes_sum: float = 0.0
    within_standard: int = 0
    wait_hist: list[int] = field(default_factory=lambda: [0] * (len(WAIT_BUCKETS) + 1))
    target_minutes: int | None = None

    def add_row(self, r: Any) -> None:
        self.issued += r.issued
        self.served += r.served
        self.no_show += r.no_show
        self.wait_count += r.wait_count
        self.wait_minutes_sum += r.wait_minutes_sum
        self.service_count += r.service_count
        self.service_minutes_sum += r.service_minutes_sum
        self.within_standard += r.within_standard
        for i, n in enumerate(r.wait_hist or []):
            if i < len(self.wait_hist):
                self.wait_hist[i] += int(n)

    @property
    def wait_mean(self) -> float | None:
        return round(self.wait_minutes_sum / self.wait_count, 1) if self.wait_count else None

    @property
    def wait_p50(self) -> tuple[float | None, bool]:
        return percentile_from_hist(self.wait_hist, 0.5)

    @property
    def wait_p90(self) -> tuple[float | None, bool]:
        return percentile_from_hist(self.wait_hist, 0.9)

    @property
    def service_mean(self) -> float | None:
        return round(self.service_minutes_sum / self.service_count, 1) if self.service_count else None

    @property
    def within_standard_percent(self) -> float | None:
        return round(100 * self.within_standard / self.service_count, 1) if self.service_count else None

    @property
    def no_show_percent(self) -> float | None:
        return round(100 * self.no_show / self.issued, 1) if self.issued else None


# The dashboards' complaint figures (one definition of "answered on time" for pages and reports).
ComplaintFigures = dashboard_selectors.ComplaintFigures


@dataclass
class PointFigures:
    point: ServicePoint
    period: Period
    total: QueueFigures
    services: list[QueueFigures]
    months: list[tuple[dt.date, QueueFigures, IkmResult]]
    ikm: IkmResult
    complaints: ComplaintFigures


def _ikm_of(rows: list[dict[str, Any]]) -> IkmResult:
    sums = {c.upper(): sum(int(r[f"{c}_sum"]) for r in rows) for c in UNSUR}
    counts = {c.upper(): sum(int(r[f"{c}_n"]) for r in rows) for c in UNSUR}
    return compute(sums, counts, sum(int(r["responses"]) for r in rows))


def point_figures(point: ServicePoint, period: Period) -> PointFigures:
    unit = point.unit
    days = QueueDay.objects.filter(point=point, day__gte=period.start, day__lte=period.end)
    total = QueueFigures("Semua layanan")
    per_service: dict[int, QueueFigures] = {}
    for r in days.only(*[f.name for f in QueueDay._meta.concrete_fields if f.name not in ("point", "unit")]):
        total.add_row(r)
        per_service.setdefault(r.service_id, QueueFigures("")).add_row(r)
    services = Service.objects.in_bulk(list(per_service))
    for sid, figs in per_service.items():
        s = services.get(sid)
        figs.label = f"{s.name} ({s.code})" if s else str(sid)
        figs.target_minutes = s.target_service_minutes if s else None
    survey_rows = list(
        SurveyMonth.objects.filter(_subtree(unit), month__in=period.months).values(
            "month", "responses", *[f"{c}_sum" for c in UNSUR], *[f"{c}_n" for c in UNSUR]
        )
    )
    by_month_survey: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for r in survey_rows:
        by_month_survey[r["month"]].append(r)
    queue_months = {m.month: m for m in QueueMonth.objects.filter(point=point, month__in=period.months)}
    months = []
    for m in period.months:
        figs = QueueFigures(month_label(m))
        if m in queue_months:
            figs.add_row(queue_months[m])
        months.append((m, figs, _ikm_of(by_month_survey.get(m, []))))
    agg = ComplaintDay.objects.filter(_subtree(unit), day__gte=period.start, day__lte=period.end).aggregate(
        received=Sum("received"),
        answered=Sum("answered"),
        answered_on_time=Sum("answered_on_time"),
        open=Sum("open"),
        open_overdue=Sum("open_overdue"),
        answer_days_sum=Sum("answer_days_sum"),
    )
    complaints = ComplaintFigures(**{key: value or 0 for key, value in agg.items()})
    return PointFigures(
        point=point,
        period=period,
        total=total,
        services=sorted(per_service.values(), key=lambda f: (-f.issued, f.label)),
        months=months,
        ikm=_ikm_of(survey_rows),
        complaints=complaints,
    )
