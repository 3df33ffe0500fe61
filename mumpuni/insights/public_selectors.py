"""The figures of the public transparency page (/transparansi/): aggregates only, no login, no personal data.

Per service point of a kecamatan office or the MPP: IKM of the current quarter and of the year (surveys
selectors and lib/ikm.py, with the Krejcie–Morgan sample check), median waiting and service minutes over
the last 30 days and the year (the queue statistics' definitions), and complaints answered on time this
year (the complaint figures' definitions). City-wide: the same, and training delivered this year.

Nothing here names a person: every read is a count, a sum, a median or an IKM over a group, and a group
with fewer than MIN_RECORDS underlying records is suppressed (its value becomes None and `suppressed`
is set), so a figure can never describe one citizen's answer, one ticket or one complaint.
The result is a plain dict of numbers and unit names (`as_json`), cached by the views.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from mumpuni.common.calendar import work_calendar
from mumpuni.complaints.models import Complaint, ComplaintPolicy

# The complaint figures page's own definitions (on time, deadline reached, working-day medians), reused so
# the public page and the desk's figures can never disagree. They are module-private there; see the report.
from mumpuni.complaints.selectors.figures import (
    GroupFigures,
    WorkdayIndex,
    _add,
    _aggregates,
    _day_bounds,
    _durations,
    _median,
)
from mumpuni.learning.models import ANNUAL_JP_TARGET, Certificate, Enrollment, JpEntry, TrainingClass
from mumpuni.lib.ikm import compute, sample_required
from mumpuni.people.models import Employee, Unit
from mumpuni.queueing.models import ServicePoint, Ticket
from mumpuni.queueing.selectors.stats import percentile
from mumpuni.surveys import selectors as ikm_sel

MIN_RECORDS = 5  # cells built from fewer records are not shown ("data belum cukup")
RECENT_DAYS = 30
POINT_KINDS = (Unit.Kind.KECAMATAN, Unit.Kind.MPP)
FINISHED = frozenset(Ticket.FINISHED_OUTCOMES)


# --- minutes between two timestamps, in the database --------------------------------------------------


class MinutesBetween(models.Func):
    """(end − start) in minutes as a float, NULL when either is NULL.

    Computed by the database so 80,000 tickets cost 80,000 floats, not 320,000 parsed datetimes (on SQLite
    Django would otherwise parse every timestamp in Python)."""

    output_field = models.FloatField()
    arity = 2

    def as_sql(  # type: ignore[override]  # PostgreSQL and others; no function/template to take
        self, compiler: Any, connection: Any, **extra: Any
    ) -> Any:
        start, end = self._compiled(compiler, connection)
        # EXTRACT returns numeric on PostgreSQL (a Decimal through a plain cursor): cast to a float.
        sql = f"CAST(EXTRACT(EPOCH FROM ({end[0]} - {start[0]})) / 60.0 AS double precision)"
        return sql, [*end[1], *start[1]]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        start, end = self._compiled(compiler, connection)
        # julianday() is a double in days: round to the millisecond so 7 minutes read 7.0, not 6.9999996.
        sql = f"(round((julianday({end[0]}) - julianday({start[0]})) * 86400.0, 3) / 60.0)"
        return sql, [*end[1], *start[1]]

    def _compiled(self, compiler: Any, connection: Any) -> tuple[Any, Any]:
        start, end = self.get_source_expressions()
        return compiler.compile(start), compiler.compile(end)


# --- figures -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IkmCell:
    respondents: int
    ikm: Decimal | None  # None when suppressed or no answers
    mutu: str | None
    kinerja: str | None
    population: int
    sample_required: int
    sample_adequate: bool
    suppressed: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "respondents": self.respondents,
            "ikm": float(self.ikm) if self.ikm is not None else None,
            "mutu": self.mutu,
            "kinerja": self.kinerja,
            "population": self.population,
            "sample_required": self.sample_required,
            "sample_adequate": self.sample_adequate,
            "suppressed": self.suppressed,
        }


def _ikm_cell(
    respondents: int, ikm: Decimal | None, mutu: str | None, kinerja: str | None, pop: int
) -> IkmCell:
    required = sample_required(pop)
    suppressed = respondents < MIN_RECORDS
    return IkmCell(
        respondents=respondents,
        ikm=None if suppressed else ikm,
        mutu=None if suppressed else mutu,
        kinerja=None if suppressed else kinerja,
        population=pop,
        sample_required=required,
        # With no service users in the period there is nothing to sample: not "adequate".
        sample_adequate=pop > 0 and respondents >= required,
        suppressed=suppressed,
    )


@dataclass(frozen=True)
class TimeCell:
    """Median waiting and service minutes; None (suppressed) below MIN_RECORDS tickets."""

    tickets: int  # tickets with a waiting time
    wait_median: float | None
    served: int  # finished tickets with a service time
    service_median: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "tickets_with_wait": self.tickets,
            "wait_median_minutes": _round(self.wait_median),
            "served": self.served,
            "service_median_minutes": _round(self.service_median),
        }


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def _time_cell(waits: list[float], services: list[float]) -> TimeCell:
    waits.sort()
    services.sort()
    return TimeCell(
        tickets=len(waits),
        wait_median=percentile(waits, 0.5) if len(waits) >= MIN_RECORDS else None,
        served=len(services),
        service_median=percentile(services, 0.5) if len(services) >= MIN_RECORDS else None,
    )


@dataclass
class ComplaintCell:
    received: int = 0
    answered: int = 0
    closed: int = 0
    rejected: int = 0
    on_time: int = 0
    deadline_reached: int = 0  # answered + open past the answer deadline
    answer_days_median: float | None = None  # working days from receipt to the answer

    @property
    def on_time_share(self) -> float | None:
        if self.deadline_reached < MIN_RECORDS:
            return None
        return self.on_time / self.deadline_reached

    @property
    def suppressed(self) -> bool:
        return self.deadline_reached < MIN_RECORDS

    def as_json(self) -> dict[str, Any]:
        return {
            "received": _count(self.received),
            "answered": _count(self.answered),
            "closed": _count(self.closed),
            "rejected": _count(self.rejected),
            "on_time": _count(self.on_time) if not self.suppressed else None,
            "deadline_reached": _count(self.deadline_reached),
            "on_time_share": _round(self.on_time_share, 4),
            "answer_working_days_median": _round(self.answer_days_median),
        }


def _count(n: int) -> int | str:
    """Counts below MIN_RECORDS are published as "<5" (the page shows them the same way)."""
    return n if n == 0 or n >= MIN_RECORDS else f"<{MIN_RECORDS}"


@dataclass
class PointRow:
    unit_code: str
    name: str
    kind: str
    ikm_quarter: IkmCell
    ikm_year: IkmCell
    times_recent: TimeCell
    times_year: TimeCell
    complaints: ComplaintCell

    def as_json(self) -> dict[str, Any]:
        return {
            "unit_code": self.unit_code,
            "name": self.name,
            "kind": self.kind,
            "ikm_quarter": self.ikm_quarter.as_json(),
            "ikm_year": self.ikm_year.as_json(),
            "times_last_30_days": self.times_recent.as_json(),
            "times_year": self.times_year.as_json(),
            "complaints_year": self.complaints.as_json(),
        }


@dataclass(frozen=True)
class Training:
    year: int
    completions: int  # classes completed (passed) this year
    jp_total: Decimal  # the JP ledger of the year
    classes_held: int  # running or finished classes that started this year
    certificates: int  # issued this year, not revoked
    asn_active: int
    asn_met: int  # active ASN with ≥ 20 JP this year
    pns_active: int
    pns_met: int

    @property
    def pns_share(self) -> float | None:
        return self.pns_met / self.pns_active if self.pns_active >= MIN_RECORDS else None

    @property
    def asn_share(self) -> float | None:
        return self.asn_met / self.asn_active if self.asn_active >= MIN_RECORDS else None

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "completions": _count(self.completions),
            "jp_total": float(self.jp_total),
            "classes_held": _count(self.classes_held),
            "certificates": _count(self.certificates),
            "asn_active": self.asn_active,
            "asn_with_20_jp": _count(self.asn_met),
            "asn_share_with_20_jp": _round(self.asn_share, 4),
            "pns_active": self.pns_active,
            "pns_with_20_jp": _count(self.pns_met),
            "pns_share_with_20_jp": _round(self.pns_share, 4),
        }


@dataclass
class Transparency:
    generated_at: dt.datetime
    today: dt.date
    quarter: ikm_sel.Quarter
    points: list[PointRow]
    city_ikm_quarter: IkmCell
    city_ikm_year: IkmCell
    city_times_recent: TimeCell
    city_times_year: TimeCell
    city_complaints: ComplaintCell
    training: Training
    answer_working_days: int  # the complaint policy's answer deadline

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def recent_from(self) -> dt.date:
        return self.today - dt.timedelta(days=RECENT_DAYS - 1)

    @property
    def max_wait(self) -> float:
        """The longest median wait on the page (for the bars' scale); at least 1 minute."""
        values = [p.times_recent.wait_median or 0 for p in self.points]
        return max([1.0, *values])

    def as_json(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at.isoformat(),
            "period": {
                "quarter": self.quarter.key,
                "quarter_from": self.quarter.start.isoformat(),
                "quarter_to": min(self.quarter.end, self.today).isoformat(),
                "year": self.year,
                "year_from": dt.date(self.year, 1, 1).isoformat(),
                "year_to": self.today.isoformat(),
                "last_30_days_from": self.recent_from.isoformat(),
                "last_30_days_to": self.today.isoformat(),
            },
            "min_records": MIN_RECORDS,
            "complaint_answer_working_days": self.answer_working_days,
            "city": {
                "ikm_quarter": self.city_ikm_quarter.as_json(),
                "ikm_year": self.city_ikm_year.as_json(),
                "times_last_30_days": self.city_times_recent.as_json(),
                "times_year": self.city_times_year.as_json(),
                "complaints_year": self.city_complaints.as_json(),
            },
            "service_points": [p.as_json() for p in self.points],
            "training": self.training.as_json(),
        }


# --- reads --------------------------------------------------------------------------------------------


def public_points() -> QuerySet[ServicePoint]:
    """Active service points of a kecamatan office or the MPP: the MPP first, then by kecamatan code."""
    return (
        ServicePoint.objects.filter(active=True, unit__kind__in=POINT_KINDS)
        .select_related("unit")
        .order_by(models.Case(models.When(unit__kind=Unit.Kind.MPP, then=0), default=1), "unit__code")
    )


def _ikm(unit_ids: list[int], date_from: dt.date, date_to: dt.date) -> tuple[dict[int, IkmCell], IkmCell]:
    """IKM per unit (answers given for that unit) and city-wide (every answer), each with its population of
    finished tickets for the Krejcie–Morgan check: three queries (answers per unit, all answers, tickets
    per unit; the city's population is the sum of the units')."""
    f = ikm_sel.IkmFilter(date_from=date_from, date_to=date_to)
    results = {g.key: g.result for g in ikm_sel.grouped(f, "unit") if g.key is not None}
    populations = ikm_sel.population_by_unit(f)
    empty = compute({}, {}, 0)
    cells = {}
    for pk in unit_ids:
        r = results.get(pk, empty)
        cells[pk] = _ikm_cell(r.respondents, r.ikm, r.mutu, r.kinerja, populations.get(pk, 0))
    city = ikm_sel.aggregate(ikm_sel.responses(f))
    return cells, _ikm_cell(city.respondents, city.ikm, city.mutu, city.kinerja, sum(populations.values()))


def _times(
    point_ids: list[int], year_from: dt.date, recent_from: dt.date, today: dt.date
) -> tuple[dict[int, TimeCell], dict[int, TimeCell], TimeCell, TimeCell]:
    """Median waits and service times per point and city-wide, last 30 days and the year: one query.

    As the queue statistics define them: wait = (called or started) − issued, for every ticket that was
    called; service = finished − started, for finished tickets (done, incomplete, referred)."""
    qs = (
        Ticket.objects.filter(service_date__gte=year_from, service_date__lte=today)
        .filter(Q(called_at__isnull=False) | Q(started_at__isnull=False))
        .annotate(
            wait=MinutesBetween("issued_at", Coalesce("called_at", "started_at")),
            served=models.Case(
                models.When(status__in=FINISHED, then=MinutesBetween("started_at", "finished_at")),
                default=None,
                output_field=models.FloatField(),
            ),
            recent=models.Case(
                models.When(service_date__gte=recent_from, then=models.Value(1)),
                default=models.Value(0),
                output_field=models.IntegerField(),
            ),
        )
        .values_list("point_id", "recent", "wait", "served")
        .order_by()
    )
    # A year of a city is ~10^5 rows of four numbers: read them with a plain cursor, so Django's per-row
    # converters (a third of a second here) are skipped; every column is already an int or a float.
    sql, params = qs.query.sql_with_params()
    # Lists per (point, in the last 30 days?): one dictionary look-up per row; the year and the city are
    # concatenations of these lists afterwards.
    acc: dict[tuple[int, int], tuple[list[float], list[float]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(20_000):
            for point_id, recent, wait, served in batch:
                lists = acc.get((point_id, recent))
                if lists is None:
                    lists = acc[(point_id, recent)] = ([], [])
                if wait is not None:
                    lists[0].append(wait)
                if served is not None:
                    lists[1].append(served)

    def cell(keys: list[tuple[int, int]]) -> TimeCell:
        waits: list[float] = []
        services: list[float] = []
        for key in keys:
            if key in acc:
                waits += acc[key][0]
                services += acc[key][1]
        return _time_cell(waits, services)

    recent_cells = {pk: cell([(pk, 1)]) for pk in point_ids}
    year_cells = {pk: cell([(pk, 0), (pk, 1)]) for pk in point_ids}
    every = list(acc)
    return (
        recent_cells,
        year_cells,
        cell([key for key in every if key[1] == 1]),
        cell(every),
    )


def _complaints(
    point_units: dict[int, Unit], year_from: dt.date, today: dt.date
) -> tuple[dict[int, ComplaintCell], ComplaintCell]:
    """Complaints received this year, city-wide and per kecamatan/MPP (the unit they were forwarded to,
    its kelurahan included): counts, answered within the deadline, median working days to the answer."""
    start, end = _day_bounds(year_from, today)
    base = Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
    # Each unit of the city, mapped to the kecamatan/MPP whose subtree holds it (None: another unit).
    owner: dict[int, int | None] = {}
    roots = sorted(((u.path, u.pk) for u in point_units.values()), key=lambda pair: -len(pair[0]))
    for pk, path in Unit.objects.values_list("pk", "path"):
        owner[pk] = next((root for prefix, root in roots if path.startswith(prefix)), None)

    city = ComplaintCell()
    cells: dict[int, ComplaintCell] = {pk: ComplaintCell() for pk in point_units}
    for row in (
        base.values("assigned_unit")
        .annotate(**_aggregates(today), closed=Count("id", filter=Q(status=Complaint.Status.CLOSED)))
        .order_by()
    ):
        figures = GroupFigures(None, "")
        _add(figures, row)
        targets = [city]
        root = owner.get(row["assigned_unit"]) if row["assigned_unit"] else None
        if root is not None:
            targets.append(cells[root])
        for cell in targets:
            cell.received += figures.total
            cell.answered += figures.answered
            cell.rejected += figures.rejected
            cell.on_time += figures.on_time
            cell.deadline_reached += figures.deadline_reached
            cell.closed += int(row["closed"] or 0)

    index = WorkdayIndex(work_calendar(), year_from - dt.timedelta(days=1), today)
    grouped, total = _durations(base, index)
    days: dict[int, list[float]] = defaultdict(list)
    for (dimension, key), values in grouped.items():
        root = owner.get(key) if dimension == "unit" and key else None
        if root is not None:
            days[root].extend(values.get("answer_days", []))
    city.answer_days_median = _days_median(total.get("answer_days", []))
    for pk, cell in cells.items():
        cell.answer_days_median = _days_median(days.get(pk, []))
    return cells, city


def _days_median(values: list[float]) -> float | None:
    return _median(values) if len(values) >= MIN_RECORDS else None


def _training(year: int, today: dt.date) -> Training:
    target = Decimal(ANNUAL_JP_TARGET)
    ledger = JpEntry.objects.filter(year=year)
    jp_total = ledger.aggregate(total=Sum("jp"))["total"] or Decimal("0")
    met_by_type: dict[str, int] = defaultdict(int)
    for employment_type, total in (
        ledger.filter(employee__active=True)
        .values("employee_id", "employee__employment_type")
        .annotate(total=Sum("jp"))
        .values_list("employee__employment_type", "total")
        .order_by()
    ):
        if total is not None and total >= target:
            met_by_type[employment_type] += 1
    active = dict(
        Employee.objects.filter(active=True).values_list("employment_type").annotate(n=Count("id")).order_by()
    )
    pns = Employee.EmploymentType.PNS
    return Training(
        year=year,
        completions=Enrollment.objects.filter(
            status=Enrollment.Status.COMPLETED, completed_on__year=year
        ).count(),
        jp_total=jp_total,
        classes_held=TrainingClass.objects.filter(
            starts_on__year=year,
            starts_on__lte=today,
            status__in=(TrainingClass.Status.RUNNING, TrainingClass.Status.FINISHED),
        ).count(),
        certificates=Certificate.objects.filter(issued_on__year=year, revoked_at__isnull=True).count(),
        asn_active=sum(active.values()),
        asn_met=sum(met_by_type.values()),
        pns_active=active.get(pns, 0),
        pns_met=met_by_type.get(pns, 0),
    )


def transparency(*, now: dt.datetime | None = None) -> Transparency:
    """Every figure of the page, computed from the live tables (about a dozen queries)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    quarter = ikm_sel.Quarter.of(today)
    year_from = dt.date(today.year, 1, 1)
    recent_from = today - dt.timedelta(days=RECENT_DAYS - 1)

    points = list(public_points())
    unit_ids = [p.unit_id for p in points]
    ikm_quarter, city_ikm_quarter = _ikm(unit_ids, quarter.start, today)
    ikm_year, city_ikm_year = _ikm(unit_ids, year_from, today)
    recent, year_times, city_recent, city_year = _times([p.pk for p in points], year_from, recent_from, today)
    complaint_cells, city_complaints = _complaints({p.unit_id: p.unit for p in points}, year_from, today)

    rows = [
        PointRow(
            unit_code=p.unit.code,
            name=p.name,
            kind=p.unit.kind,
            ikm_quarter=ikm_quarter[p.unit_id],
            ikm_year=ikm_year[p.unit_id],
            times_recent=recent[p.pk],
            times_year=year_times[p.pk],
            complaints=complaint_cells[p.unit_id],
        )
        for p in points
    ]
    return Transparency(
        generated_at=now,
        today=today,
        quarter=quarter,
        points=rows,
        city_ikm_quarter=city_ikm_quarter,
        city_ikm_year=city_ikm_year,
        city_times_recent=city_recent,
        city_times_year=city_year,
        city_complaints=city_complaints,
        training=_training(today.year, today),
        answer_working_days=ComplaintPolicy.current().answer_working_days,
    )
