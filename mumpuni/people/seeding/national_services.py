"""National-scale service data on top of `seed_national`: kecamatan and MPP service points, ~50 million
tickets, ~5 million SKM answers, ~300,000 complaints and a JP ledger for most ASN.

Per synthetic kabupaten/kota: `KECAMATAN_PER_KABKOTA` kecamatan units (codes `11.01.01` …, kind kecamatan,
staffed with the city's kecamatan position templates) and one MPP (`11.01.MPP`), each with a ServicePoint,
the city's service catalogue (`catalogue_install`), PointService rows, opening hours and 3–5 counters (8 at
the MPP). The officer of a ticket is a front-line ASN of that point's own unit.

Big tables are generated column by column with NumPy per kabupaten/kota (Poisson tickets per point and
working day, an hourly arrival shape, log-normal waits and service times, numbers counted per point, day
and letter in issue order) and streamed with PostgreSQL COPY (text format) while the tables' foreign keys,
unique constraints and secondary indexes are dropped; they are rebuilt afterwards (which re-checks every
row). On SQLite the same rows go through executemany (only for small sets: see `SQLITE_MAX_TICKETS`).
Deterministic for a given seed; `today` fixes the 12-month window.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from mumpuni.complaints.models import Complaint
from mumpuni.learning.models import JpEntry
from mumpuni.lib.workdays import WorkCalendar
from mumpuni.people.models import Employee, EmployeeAssignment, Position, Unit
from mumpuni.people.seeding.catalogue import KECAMATAN_HEADCOUNT, MPP_HEADCOUNT, kecamatan_jobs, mpp_jobs
from mumpuni.people.seeding.city import DEFAULT_SEED, UnitPlan
from mumpuni.people.seeding.national import ASSIGNMENT_COLUMNS, EMPLOYEE_COLUMNS, _RowMaker, _Sink
from mumpuni.queueing.models import Counter, OpeningHours, PointService, Service, ServicePoint, Ticket
from mumpuni.queueing.seeding import MPP_EXTRA_HOURS, WEEKDAY_HOURS, _counter_services
from mumpuni.queueing.services.catalogue import (
    BOOKING_QUOTAS,
    CATALOGUE,
    DAILY_QUOTAS,
    DEFAULT_BOOKING_QUOTA,
    KECAMATAN_SERVICES,
    catalogue_install,
)
from mumpuni.surveys.models import SurveyResponse

NATIONAL_TICKETS = 50_000_000
NATIONAL_ANSWERS = 5_000_000
COMPLAINTS_PER_TICKET = 0.006  # 300,000 at 50 M tickets
KECAMATAN_PER_KABKOTA = 14
KECAMATAN_STAFF = KECAMATAN_HEADCOUNT // 2  # synthetic kecamatan are smaller than Semarang's
MPP_STAFF = MPP_HEADCOUNT // 2
MPP_WEIGHT = 4.0  # an MPP issues about four times a kecamatan's tickets
SQLITE_MAX_TICKETS = 200_000
WIB = 7 * 3600  # Asia/Jakarta is UTC+7 all year
NULL = "\\N"

# Arrival shape per hour of the day (08–15 local); Friday has the prayer break (11:30–13:00).
HOURLY = np.array([0.13, 0.19, 0.18, 0.15, 0.10, 0.09, 0.10, 0.06])
HOURLY_FRIDAY = np.array([0.20, 0.26, 0.22, 0.06, 0.0, 0.14, 0.12, 0.0])
# How busy the queue is in each hour (scales the waits).
HOUR_LOAD = np.array([0.8, 1.3, 1.4, 1.2, 0.9, 0.8, 0.8, 0.6])
# How often each service is asked for (the rest share the remainder equally).
SERVICE_WEIGHT = {
    "KTP-REKAM": 6,
    "KTP-CETAK": 5,
    "KK": 8,
    "AKTA-LAHIR": 4,
    "PINDAH": 3,
    "DATANG": 2,
    "KIA": 2,
}
STATUSES = np.array(["done", "no_show", "incomplete", "referred"])
STATUS_P = np.array([0.89, 0.06, 0.04, 0.01])
PRIORITIES = np.array(["", "lansia", "disabilitas", "ibu_hamil_menyusui"])
PRIORITY_P = np.array([0.94, 0.04, 0.01, 0.01])


@dataclass
class ServicesResult:
    points: int = 0
    employees: int = 0
    tickets: int = 0
    answers: int = 0
    complaints: int = 0
    jp_entries: int = 0
    seconds: float = 0.0
    phases: dict[str, tuple[int, float]] = field(default_factory=dict)  # table -> (rows, load seconds)


@dataclass
class _Point:
    point_id: int
    unit_id: int
    is_mpp: bool
    weight: float
    service_ids: np.ndarray
    service_p: np.ndarray
    counter_ids: np.ndarray
    officer_ids: np.ndarray


# --- column helpers ------------------------------------------------------------------------------------


def _columns(model: type[models.Model]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def _check(model: type[models.Model], given: dict[str, Any]) -> None:
    actual = set(_columns(model))
    if actual != set(given):
        raise RuntimeError(f"{model.__name__} columns changed: {sorted(actual ^ set(given))}")


def _ts_text(epoch: np.ndarray, postgres: bool) -> np.ndarray:
    """UTC epoch seconds -> timestamp text in the backend's own format (SQLite: naive UTC with a space)."""
    text = np.datetime_as_string(epoch.astype("datetime64[s]"), unit="s")
    if postgres:
        return np.char.add(text, "+00")
    return np.char.replace(text, "T", " ")


def _date_text(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype(str)


class _Writer:
    """Turns a dict of columns (NumPy arrays, lists or a constant) into COPY text or executemany rows."""

    def __init__(self, sink: _Sink) -> None:
        self.sink = sink
        self.postgres = sink.postgres

    def _cell(self, value: Any) -> Any:
        if value is None:
            return NULL if self.postgres else None
        if isinstance(value, bool):
            return ("t" if value else "f") if self.postgres else int(value)
        return str(value)

    def write(self, table: str, data: dict[str, Any], n: int) -> None:
        if n == 0:
            return
        names = list(data)
        lists: list[list[Any]] = []
        for name in names:
            value = data[name]
            if isinstance(value, np.ndarray):
                items = value.tolist()
                if value.dtype == object:  # None marks NULL
                    items = [self._cell(v) for v in items]
                elif value.dtype.kind in "iuf":
                    items = [str(v) for v in items] if self.postgres else items
            elif isinstance(value, list):
                items = value
            else:
                items = [self._cell(value)] * n
            lists.append(items)
        if self.postgres:
            quoted = ", ".join(connection.ops.quote_name(c) for c in names)
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy,
            ):
                step = 50_000
                for start in range(0, n, step):
                    part = [items[start : start + step] for items in lists]
                    copy.write("\n".join(map("\t".join, zip(*part, strict=True))) + "\n")
        else:
            rows = [tuple(None if v == NULL else v for v in row) for row in zip(*lists, strict=True)]
            self.sink.write(table, names, rows)


def _nullable(values: np.ndarray, mask: np.ndarray, postgres: bool) -> np.ndarray:
    """Text values with NULL where mask is False."""
    out = values.astype(object)
    out[~mask] = None
    return out


@contextmanager
def _load_mode(models_: Sequence[type[models.Model]], say: Callable[[str], None]) -> Iterator[None]:
    """Drop foreign keys, unique constraints (not primary keys) and secondary indexes while loading, and
    rebuild them after (PostgreSQL manual, "Populating a Database"); the rebuild re-checks every row.
    SQLite: indexes only. Must run inside a transaction."""
    postgres = connection.vendor == "postgresql"
    restore: list[str] = []
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem TO '1GB'")
            cursor.execute("SET LOCAL max_parallel_maintenance_workers TO 2")
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for model in models_:
            table = model._meta.db_table
            quoted = connection.ops.quote_name(table)
            if postgres:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
                    [table],
                )
                constraints = cursor.fetchall()
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    [table, table],
                )
                indexes = cursor.fetchall()
                for name, definition, kind in constraints:
                    cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
                    sql = (
                        f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                    )
                    if kind == "u":
                        restore.insert(0, sql)
                    else:
                        restore.append(sql)
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL",
                    [table],
                )
                indexes = cursor.fetchall()
            for name, definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                restore.insert(0, definition)
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        for sql in restore:
            cursor.execute(sql)
    say(f"  indeks, unik dan kunci asing dibangun ulang: {len(restore)} ({time.monotonic() - started:.0f} s)")


# --- units, points, counters ------------------------------------------------------------------------


def _working_days(today: dt.date, months: int) -> list[dt.date]:
    calendar = WorkCalendar()
    start = today - dt.timedelta(days=round(months * 365 / 12))
    return [
        start + dt.timedelta(days=i)
        for i in range((today - start).days)  # up to yesterday: today's queue is live
        if calendar.is_working_day(start + dt.timedelta(days=i))
    ]


def _create_units(
    kabs: list[Unit], per_kab: int, say: Callable[[str], None]
) -> tuple[dict[str, list[tuple[UnitPlan, int]]], dict[str, Unit]]:
    plans: dict[str, list[tuple[UnitPlan, int]]] = {}
    objs: list[Unit] = []
    for kab in kabs:
        plans[kab.code] = []
        for i in range(1, per_kab + 1):
            code = f"{kab.code}.{i:02d}"
            name = f"Sintetis {code}"
            plan = UnitPlan(code, f"Kecamatan {name}", Unit.Kind.KECAMATAN, kab.code, kecamatan_jobs(name))
            plans[kab.code].append((plan, KECAMATAN_STAFF))
            objs.append(Unit(code=code, name=plan.name, kind=plan.kind, parent=kab, path="/"))
        code = f"{kab.code}.MPP"
        plan = UnitPlan(code, f"Mal Pelayanan Publik {kab.name}", Unit.Kind.MPP, kab.code, mpp_jobs())
        plans[kab.code].append((plan, MPP_STAFF))
        objs.append(Unit(code=code, name=plan.name[:200], kind=plan.kind, parent=kab, path="/"))
    Unit.objects.bulk_create(objs, batch_size=2000)
    for obj in objs:
        obj.path = f"{obj.parent.path}{obj.pk}/"  # type: ignore[union-attr]
    Unit.objects.bulk_update(objs, ["path"], batch_size=2000)
    return plans, {u.code: u for u in objs}


def _staff(
    rng: random.Random,
    plans: dict[str, list[tuple[UnitPlan, int]]],
    units: dict[str, Unit],
    sink: _Sink,
) -> tuple[int, dict[int, list[int]]]:
    """Employees of the new units (COPY like seed_national); returns front-line officer ids per unit id."""
    positions = [
        Position(code=f"{p.code}-{j.key}", name=j.name, kind=j.kind, level=j.level, unit=units[p.code],
                 is_front_line=j.front_line)
        for kab_plans in plans.values() for p, _ in kab_plans for j in p.jobs
    ]  # fmt: skip
    Position.objects.bulk_create(positions, batch_size=2000)
    position_ids = {p.code: p.pk for p in positions}
    front_line = {p.pk for p in positions if p.is_front_line}
    sekda = dict(
        Employee.objects.filter(supervisor__isnull=True, unit__code__endswith=".SETDA").values_list(
            "unit__parent__code", "pk"
        )
    )

    def next_id(model: type[models.Model]) -> int:
        return (model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    rows = _RowMaker(rng, sink.tz_suffix, next_id(Employee), next_id(EmployeeAssignment))
    # NIPs stay unique: carry on each (birth date, sex) serial from the ASN already there.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT birth_date, sex, MAX(CAST(SUBSTR(nip, 16, 3) AS INTEGER)) FROM people_employee "
            "GROUP BY birth_date, sex"
        )
        for birth, sex, serial in cursor.fetchall():
            if isinstance(birth, str):
                birth = dt.date.fromisoformat(birth)
            rows.identities._serials[(birth.toordinal(), sex)] = serial
    officers: dict[int, list[int]] = {}
    total = 0
    for kab, kab_plans in plans.items():
        employees: list[tuple[Any, ...]] = []
        assignments: list[tuple[Any, ...]] = []
        for plan, headcount in kab_plans:
            emp, assign = rows.kabkota(kab, [(plan, headcount)], units, position_ids)
            # The unit head (first row, no boss within the unit) answers to the Sekretaris Daerah.
            emp[0] = (*emp[0][:10], sekda.get(kab), *emp[0][11:])
            unit_id = units[plan.code].pk
            officers[unit_id] = [e[0] for e in emp if e[9] in front_line] or [e[0] for e in emp]
            employees += emp
            assignments += assign
        sink.write(Employee._meta.db_table, EMPLOYEE_COLUMNS, employees)
        sink.write(EmployeeAssignment._meta.db_table, ASSIGNMENT_COLUMNS, assignments)
        total += len(employees)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Employee, EmployeeAssignment]):
            cursor.execute(sql)
    return total, officers


def _points(
    rng: random.Random,
    units: dict[str, Unit],
    services: dict[str, Service],
    officers: dict[int, list[int]],
) -> dict[str, list[_Point]]:
    """ServicePoints, opening hours, PointService rows and counters; the generator's view per kab/kota."""
    ordered = sorted(units.values(), key=lambda u: u.code)
    points = [ServicePoint(unit=u, name=u.name, address=f"Kantor {u.name}") for u in ordered]
    ServicePoint.objects.bulk_create(points, batch_size=2000)
    hours = []
    point_services = []
    offered: dict[int, list[str]] = {}
    for point in points:
        is_mpp = point.unit.kind == Unit.Kind.MPP
        for weekday, windows in {**WEEKDAY_HOURS, **(MPP_EXTRA_HOURS if is_mpp else {})}.items():
            hours += [OpeningHours(point=point, weekday=weekday, opens_at=o, closes_at=c) for o, c in windows]
        codes = [c.code for c in CATALOGUE] if is_mpp else list(KECAMATAN_SERVICES)
        offered[point.pk] = codes
        point_services += [
            PointService(
                point=point,
                service=services[code],
                daily_quota=DAILY_QUOTAS.get(code),
                booking_quota=BOOKING_QUOTAS.get(code, DEFAULT_BOOKING_QUOTA),
            )
            for code in codes
        ]
    OpeningHours.objects.bulk_create(hours, batch_size=5000)
    PointService.objects.bulk_create(point_services, batch_size=5000)
    plan: list[tuple[Counter, list[str]]] = []
    for point in points:
        count = 8 if point.unit.kind == Unit.Kind.MPP else rng.randint(3, 5)
        for i, codes in enumerate(_counter_services(count, offered[point.pk]), start=1):
            plan.append((Counter(point=point, number=i, name=f"Loket {i}"), codes))
    Counter.objects.bulk_create([c for c, _ in plan], batch_size=5000)
    through = Counter.services.through
    through.objects.bulk_create(
        [through(counter_id=c.pk, service_id=services[code].pk) for c, codes in plan for code in codes],
        batch_size=5000,
    )
    counters: dict[int, list[int]] = {}
    for counter, _ in plan:
        counters.setdefault(counter.point_id, []).append(counter.pk)
    result: dict[str, list[_Point]] = {}
    for point in points:
        is_mpp = point.unit.kind == Unit.Kind.MPP
        codes = offered[point.pk]
        weights = np.array([SERVICE_WEIGHT.get(c, 1.0) for c in codes])
        result.setdefault(point.unit.code.rsplit(".", 1)[0], []).append(
            _Point(
                point_id=point.pk,
                unit_id=point.unit_id,
                is_mpp=is_mpp,
                weight=MPP_WEIGHT if is_mpp else rng.lognormvariate(0, 0.45),
                service_ids=np.array([services[c].pk for c in codes]),
                service_p=weights / weights.sum(),
                counter_ids=np.array(counters[point.pk]),
                officer_ids=np.array(officers[point.unit_id]),
            )
        )
    return result


# --- the big tables -------------------------------------------------------------------------------------


@dataclass
class _Tickets:
    """Ticket columns of one kab/kota kept for the answers and complaints drawn from them."""

    ids: np.ndarray
    point: np.ndarray  # index into the kab/kota's points
    service: np.ndarray
    day: np.ndarray  # datetime64[D]
    counter: np.ndarray
    officer: np.ndarray
    finished: np.ndarray  # epoch seconds (0 when not served)
    wait: np.ndarray  # minutes
    served: np.ndarray  # bool


class _Generator:
    def __init__(self, seed: int, days: list[dt.date], postgres: bool, letters: dict[int, str]) -> None:
        self.np = np.random.default_rng(seed)
        self.days = np.array(days, dtype="datetime64[D]")
        self.friday = np.array([d.weekday() == 4 for d in days])
        self.day_epoch = self.days.astype("datetime64[s]").astype(np.int64)
        self.postgres = postgres
        self.letters = letters
        self.next_ticket = 1
        self.next_answer = 1
        self.next_complaint = 1

    def _tokens(self, n: int, size: int) -> list[str]:
        raw = self.np.integers(0, 256, size=n * size, dtype=np.uint8).tobytes()
        encoded = base64.urlsafe_b64encode(raw)
        width = size * 4 // 3
        return np.frombuffer(encoded, dtype=f"S{width}").astype(f"U{width}").tolist()

    def tickets(self, points: list[_Point], per_point_day: float) -> tuple[dict[str, Any], int, _Tickets]:
        g = self.np
        n_days = len(self.days)
        weights = np.array([p.weight for p in points])
        lam = np.outer(weights, np.ones(n_days)) * per_point_day
        counts = g.poisson(lam).ravel()  # point-major
        n = int(counts.sum())
        cell = np.repeat(np.arange(counts.size), counts)
        p_idx, d_idx = cell // n_days, cell % n_days
        # Service per ticket: each point has its own catalogue and weights.
        service = np.empty(n, dtype=np.int64)
        counter = np.empty(n, dtype=np.int64)
        officer = np.empty(n, dtype=np.int64)
        for i, point in enumerate(points):
            sel = p_idx == i
            k = int(sel.sum())
            service[sel] = g.choice(point.service_ids, size=k, p=point.service_p)
            counter[sel] = g.choice(point.counter_ids, size=k)
            officer[sel] = g.choice(point.officer_ids, size=k)
        # Issue time: hour by the day's shape, then a uniform minute.
        friday = self.friday[d_idx]
        hour = np.where(
            friday, g.choice(8, size=n, p=HOURLY_FRIDAY / HOURLY_FRIDAY.sum()), g.choice(8, size=n, p=HOURLY)
        )
        local = (8 + hour) * 3600 + g.integers(0, 3600, size=n)
        local = np.minimum(local, 15 * 3600 + 29 * 60)  # last tickets at 15:29
        issued = self.day_epoch[d_idx] + local - WIB
        point_load = np.array([0.7 + 0.6 * p.weight / (MPP_WEIGHT if p.is_mpp else 1.0) for p in points])
        wait = g.lognormal(np.log(9.0), 0.6, size=n) * HOUR_LOAD[hour] * point_load[p_idx]
        wait = np.clip(wait, 0.2, 180.0)
        status = g.choice(STATUSES, size=n, p=STATUS_P)
        served = status != "no_show"
        service_min = np.clip(g.lognormal(np.log(7.5), 0.5, size=n), 1.0, 90.0)
        called = issued + (wait * 60).astype(np.int64)
        started = called + g.integers(20, 120, size=n)
        finished = started + (service_min * 60).astype(np.int64)
        # Numbers per point, day and letter in issue order.
        letter_codes = {sid: ord(letter[0]) for sid, letter in self.letters.items()}
        letter_of = np.vectorize(letter_codes.__getitem__, otypes=[np.int64])(service)
        order = np.lexsort((issued, letter_of, d_idx, p_idx))
        p_idx, d_idx, service, counter, officer, hour = (
            a[order] for a in (p_idx, d_idx, service, counter, officer, hour)
        )
        issued, wait, status, served, called, started, finished, letter_of = (
            a[order] for a in (issued, wait, status, served, called, started, finished, letter_of)
        )
        group = (p_idx * n_days + d_idx) * 256 + letter_of
        first = np.r_[True, group[1:] != group[:-1]]
        starts = np.flatnonzero(first)
        sequence = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n])) + 1
        letters = np.array([chr(c) for c in range(256)], dtype="U1")[letter_of]
        number = np.char.add(np.char.add(letters, "-"), np.char.zfill(sequence.astype(str), 3))
        ids = np.arange(self.next_ticket, self.next_ticket + n)
        self.next_ticket += n
        ts = lambda a: _ts_text(a, self.postgres)  # noqa: E731
        point_ids = np.array([p.point_id for p in points])[p_idx]
        data: dict[str, Any] = {
            "id": ids,
            "point_id": point_ids,
            "service_id": service,
            "service_date": _date_text(self.days[d_idx]),
            "group_letter": letters,
            "sequence": sequence,
            "number": number,
            "priority": g.choice(PRIORITIES, size=n, p=PRIORITY_P),
            "source": "kiosk",
            "status": status,
            "booking_id": None,
            "queue_at": ts(issued),
            "issued_at": ts(issued),
            "called_at": ts(called),
            "started_at": _nullable(ts(started), served, self.postgres),
            "finished_at": _nullable(ts(finished), served, self.postgres),
            "call_count": np.where(served, 1, 3),
            "counter_id": counter,
            "officer_id": officer,
            "transferred_from_id": None,
            "target_counter_id": None,
            "public_token": self._tokens(n, 12),
            "note": "",
        }
        kept = _Tickets(
            ids=ids,
            point=p_idx,
            service=service,
            day=self.days[d_idx],
            counter=counter,
            officer=officer,
            finished=np.where(served, finished, 0),
            wait=wait,
            served=served,
        )
        return data, n, kept

    def answers(self, points: list[_Point], t: _Tickets, share: float) -> tuple[dict[str, Any], int]:
        g = self.np
        pick = np.flatnonzero(t.served & (g.random(t.ids.size) < share))
        n = pick.size
        # Satisfaction falls with the wait: 3 and 4 mostly, more 2s when the wait was long.
        slow = np.clip((t.wait[pick] - 10.0) / 40.0, 0.0, 1.0)
        data: dict[str, Any] = {
            "id": np.arange(self.next_answer, self.next_answer + n),
            "unit_id": np.array([p.unit_id for p in points])[t.point[pick]],
            "point_id": np.array([p.point_id for p in points])[t.point[pick]],
            "service_id": t.service[pick],
            "counter_id": t.counter[pick],
            "officer_id": t.officer[pick],
            "ticket_id": t.ids[pick],
            "service_date": _date_text(t.day[pick]),
            "channel": g.choice(np.array(["online", "counter"]), size=n, p=[0.7, 0.3]),
        }
        for u in range(1, 10):
            base = g.random(n)
            penalty = slow * (0.35 if u == 3 else 0.12)
            score = np.where(base < 0.02 + penalty / 3, 1, np.where(base < 0.10 + penalty, 2, 3))
            score = np.where(g.random(n) < 0.42 - penalty, 4, score)
            data[f"u{u}"] = score
        data.update(
            {
                "age_band": g.choice(np.array(["<20", "20-29", "30-39", "40-49", "50-59", "60+"]), size=n),
                "sex": g.choice(np.array(["L", "P"]), size=n),
                "education": g.choice(np.array(["sd", "smp", "sma", "d3", "s1", "s2"]), size=n),
                "occupation": g.choice(
                    np.array(["pns", "swasta", "wirausaha", "pelajar", "rumah_tangga", "lainnya"]), size=n
                ),
                "suggestion": "",
                "import_batch_id": None,
                "created_at": _ts_text(t.finished[pick] + g.integers(60, 3600, size=n), self.postgres),
            }
        )
        self.next_answer += n
        return data, n

    def complaints(
        self, points: list[_Point], t: _Tickets, share: float, today: dt.date, holidays: np.ndarray
    ) -> tuple[dict[str, Any], int]:
        g = self.np
        pick = np.flatnonzero(t.served & (g.random(t.ids.size) < share))
        n = pick.size
        received = t.finished[pick] + g.integers(600, 3 * 86400, size=n)
        received_day = (received + WIB).astype("datetime64[s]").astype("datetime64[D]")
        answer_due = np.busday_offset(received_day, 14, roll="forward", holidays=holidays)
        verify_due = np.busday_offset(received_day, 3, roll="forward", holidays=holidays)
        followup_due = np.busday_offset(received_day, 5, roll="forward", holidays=holidays)
        # Answered after 1–25 working days (most within the 14); recent ones may still be open.
        answer_after = np.clip(g.gamma(2.2, 4.0, size=n), 0.5, 40.0)
        answered = received + (answer_after * 86400 * 1.4).astype(np.int64)
        now = int(dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC).timestamp())
        is_answered = answered < now
        closed = is_answered & (answered + 7 * 86400 < now)
        status = np.where(closed, "closed", np.where(is_answered, "answered", "in_progress"))
        category = g.choice(
            np.array(["kualitas", "perilaku", "waktu_tunggu", "persyaratan_biaya", "sarana", "lainnya"]),
            size=n,
            p=[0.25, 0.15, 0.3, 0.1, 0.1, 0.1],
        )
        identity = g.choice(np.array(["public", "confidential", "anonymous"]), size=n, p=[0.6, 0.25, 0.15])
        anonymous = identity == "anonymous"
        ids = np.arange(self.next_complaint, self.next_complaint + n)
        self.next_complaint += n
        alphabet = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))
        # Tracking codes: the id written in the 32-letter alphabet (8 characters), so they are unique.
        digits = [alphabet[(ids >> (5 * k)) & 31] for k in range(7, -1, -1)]
        left = np.char.add(np.char.add(np.char.add(digits[0], digits[1]), digits[2]), digits[3])
        right = np.char.add(np.char.add(np.char.add(digits[4], digits[5]), digits[6]), digits[7])
        tracking = np.char.add(np.char.add(np.char.add("ADU-", left), "-"), right)
        units_of = np.array([p.unit_id for p in points])[t.point[pick]]
        kecamatan = np.array([None if p.is_mpp else p.unit_id for p in points], dtype=object)[t.point[pick]]
        ts = lambda a: _ts_text(a, self.postgres)  # noqa: E731
        rated = closed & (g.random(n) < 0.4)
        data: dict[str, Any] = {
            "id": ids,
            "created_at": ts(received),
            "updated_at": ts(np.where(is_answered, answered, received)),
            "tracking_code": tracking,
            "complainant_secret": self._tokens(n, 24),
            "complainant_secret_hash": "",
            "kind": "pengaduan",
            "category": category,
            "source": "web",
            "title": np.char.add("Keluhan layanan: ", category),
            "description": "Data sintetis untuk uji beban nasional.",
            "point_id": np.array([p.point_id for p in points])[t.point[pick]],
            "service_id": t.service[pick],
            "ticket_id": _nullable(t.ids[pick], ~anonymous, self.postgres),
            "counter_id": t.counter[pick],
            "officer_id": t.officer[pick],
            "kecamatan_id": kecamatan,
            "kelurahan_code": "",
            "latitude": None,
            "longitude": None,
            "address_string": "",
            "identity": identity,
            "name": "",
            "email": "",
            "phone": "",
            "contact_hash": "",
            "client_hash": "",
            "status": status,
            "rejection_reason": "",
            "duplicate_of_id": None,
            "suggested_unit_id": None,
            "assigned_unit_id": units_of,
            "received_at": ts(received),
            "verified_at": ts(received + 3600),
            "forwarded_at": ts(received + 7200),
            "followed_up_at": ts(received + 86400),
            "answered_at": _nullable(ts(answered), is_answered, self.postgres),
            "closed_at": _nullable(ts(answered + 7 * 86400), closed, self.postgres),
            "verify_due": _date_text(verify_due),
            "followup_due": _date_text(followup_due),
            "answer_due": _date_text(answer_due),
            "escalated_at": None,
            "public_answer": np.where(is_answered, "Terima kasih, keluhan Anda telah ditindaklanjuti.", ""),
            "answered_by_id": None,
            "rating": _nullable(g.integers(1, 6, size=n), rated, self.postgres),
            "rating_comment": "",
            "rated_at": _nullable(ts(answered + 8 * 86400), rated, self.postgres),
        }
        return data, n


def _jp_ledger(writer: _Writer, seed: int, today: dt.date, postgres: bool, say: Callable[[str], None]) -> int:
    """1–3 imported JP lines this year for ~85 % of active ASN (20 JP a year is the target)."""
    g = np.random.default_rng(seed + 7)
    ids = np.array(Employee.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
    start_of_year = np.datetime64(dt.date(today.year, 1, 1))
    span = (np.datetime64(today) - start_of_year).astype(int)
    next_id = (JpEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    total = 0
    step = 500_000
    for start in range(0, ids.size, step):
        chunk = ids[start : start + step]
        lines = g.choice(4, size=chunk.size, p=[0.15, 0.35, 0.32, 0.18])
        employee = np.repeat(chunk, lines)
        n = employee.size
        occurred = start_of_year + g.integers(0, max(span, 1), size=n).astype("timedelta64[D]")
        jp = g.choice(np.array([2, 4, 6, 8, 10, 12, 16, 20, 24, 32]), size=n)
        data = {
            "id": np.arange(next_id, next_id + n),
            "employee_id": employee,
            "occurred_on": _date_text(occurred),
            "year": today.year,
            "jp": np.char.add(jp.astype(str), ".0"),
            "source": "import",
            "program_id": None,
            "enrollment_id": None,
            "activity_id": None,
            "note": "Impor riwayat (data sintetis)",
            "created_by_id": None,
            "created_at": _ts_text(occurred.astype("datetime64[s]").astype(np.int64) + 3 * 3600, postgres),
        }
        if start == 0:
            _check(JpEntry, data)
        writer.write(JpEntry._meta.db_table, data, n)
        next_id += n
        total += n
    return total


def seed_national_services(
    *,
    seed: int = DEFAULT_SEED,
    tickets: int = NATIONAL_TICKETS,
    answers: int = NATIONAL_ANSWERS,
    complaints: int | None = None,
    kecamatan_per_kabkota: int = KECAMATAN_PER_KABKOTA,
    months: int = 12,
    today: dt.date | None = None,
    log: Callable[[str], None] | None = None,
) -> ServicesResult:
    """Seed points, tickets, SKM answers, complaints and the JP ledger on top of `seed_national`.

    Each phase is its own transaction (a failure leaves the earlier phases in place)."""
    started = time.monotonic()
    say = log or (lambda _message: None)
    sink = _Sink()
    postgres = sink.postgres
    if not postgres and tickets > SQLITE_MAX_TICKETS:
        raise ValueError(
            f"{tickets:,} tickets need PostgreSQL (SQLite takes at most {SQLITE_MAX_TICKETS:,}); "
            "pass fewer with --tickets/--answers or set DATABASE_URL."
        )
    complaints = round(tickets * COMPLAINTS_PER_TICKET) if complaints is None else complaints
    today = today or timezone.localdate()
    rng = random.Random(f"national-services-{seed}")
    result = ServicesResult()
    kabs = list(
        Unit.objects.filter(kind=Unit.Kind.CITY, parent__isnull=False)
        .select_related("parent")
        .order_by("code")
    )
    if not kabs:
        raise ValueError("no kabupaten/kota: run seed_national first")
    days = _working_days(today, months)
    with transaction.atomic():
        plans, units = _create_units(kabs, kecamatan_per_kabkota, say)
        result.employees, officers = _staff(rng, plans, units, sink)
        services = catalogue_install(actor=None)
        points = _points(rng, units, services, officers)
        result.points = sum(len(p) for p in points.values())
    say(
        f"unit layanan: {len(units):,}, tempat pelayanan: {result.points:,}, pegawai baru: "
        f"{result.employees:,}, hari kerja: {len(days)} ({time.monotonic() - started:.1f} s)"
    )

    letters = dict(Service.objects.values_list("pk", "group_letter"))
    generator = _Generator(seed, days, postgres, letters)
    generator.next_ticket = (Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    generator.next_answer = (
        SurveyResponse.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    generator.next_complaint = (
        Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    writer = _Writer(sink)
    total_weight = sum(p.weight for kab_points in points.values() for p in kab_points)
    per_point_day = tickets / max(total_weight * len(days), 1e-9)
    answer_share = min(1.0, answers / max(tickets * 0.95, 1))
    complaint_share = min(1.0, complaints / max(tickets * 0.95, 1))
    last = days[-1] if days else today
    holidays = np.array(
        [d for d in (last - dt.timedelta(days=i) for i in range(-120, 500)) if d.weekday() < 5
         and not WorkCalendar().is_working_day(d)],
        dtype="datetime64[D]",
    )  # fmt: skip
    load_started = time.monotonic()
    tables = [Ticket, SurveyResponse, Complaint]
    with transaction.atomic(), _load_mode(tables, say):
        for index, (_kab, kab_points) in enumerate(sorted(points.items()), 1):
            data, n, kept = generator.tickets(kab_points, per_point_day)
            if index == 1:
                _check(Ticket, data)
            writer.write(Ticket._meta.db_table, data, n)
            result.tickets += n
            data, n = generator.answers(kab_points, kept, answer_share)
            if index == 1:
                _check(SurveyResponse, data)
            writer.write(SurveyResponse._meta.db_table, data, n)
            result.answers += n
            data, n = generator.complaints(kab_points, kept, complaint_share, today, holidays)
            if index == 1:
                _check(Complaint, data)
            writer.write(Complaint._meta.db_table, data, n)
            result.complaints += n
            if index % 25 == 0 or index == len(points):
                elapsed = time.monotonic() - load_started
                say(
                    f"kab/kota {index}/{len(points)}: {result.tickets:,} tiket, {result.answers:,} SKM, "
                    f"{result.complaints:,} pengaduan, {elapsed:.0f} s "
                    f"({result.tickets / max(elapsed, 1e-9):,.0f} tiket/s)"
                )
    load_seconds = time.monotonic() - load_started
    result.phases["tickets+answers+complaints"] = (
        result.tickets + result.answers + result.complaints,
        load_seconds,
    )
    jp_started = time.monotonic()
    with transaction.atomic(), _load_mode([JpEntry], say):
        result.jp_entries = _jp_ledger(writer, seed, today, postgres, say)
    result.phases["jp_ledger"] = (result.jp_entries, time.monotonic() - jp_started)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(
            no_style(), [Ticket, SurveyResponse, Complaint, JpEntry]
        ):
            cursor.execute(sql)
        for model in (Ticket, SurveyResponse, Complaint, JpEntry, Employee):
            cursor.execute(
                f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}" if postgres else "ANALYZE"
            )
    say(f"buku JP: {result.jp_entries:,} baris ({time.monotonic() - jp_started:.0f} s)")
    result.seconds = time.monotonic() - started
    return result
