"""Historical tickets for the demo: nine weeks of served queues at every point, so the statistics, the charts
and the staffing advice have something to show on day one.

Per point and opening day: 40–150 walk-ins (the MPP twice that), arrivals peaking 09–11, each service's
share of demand weighted (KTP and KK most), a first-come-first-served simulation over the point's counters
(a counter only takes the services it serves), service times drawn around each service's target with an
officer-specific speed, about 6 % no-shows. Officers are those of the point's shifts, else the
front-line employees of its unit. Deterministic for a seed; bulk inserted.

Only the tickets (with all four timestamps) and the day's TicketSequence rows are written — not the
TicketEvent log: the statistics read the ticket timestamps, and four events per ticket would multiply the
seeding time. Days that already have tickets at a point are left alone, so running it twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from mumpuni.common.calendar import holiday_name
from mumpuni.people.models import Employee
from mumpuni.queueing.models import (
    Counter,
    CounterShift,
    OpeningHours,
    PointClosure,
    PointService,
    ServicePoint,
    Ticket,
    TicketSequence,
    new_public_token,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
DAYS_BACK = 63  # nine weeks: six months (~220k tickets) took ~40 s on SQLite, too slow for seed_demo
NO_SHOW_RATE = 0.06
# Relative arrivals per hour of day: a morning peak 09–11, a lull at lunch, a small afternoon bump.
HOUR_WEIGHTS = {7: 3, 8: 8, 9: 14, 10: 15, 11: 11, 12: 5, 13: 7, 14: 6, 15: 3, 16: 2, 17: 1, 18: 1, 19: 1}
# Demand by service code prefix; anything else 1.
DEMAND = {"KTP": 6, "KK": 5, "AKTA": 3, "KIA": 2, "PINDAH": 2, "SK": 2}
BATCH = 5000


def _demand(code: str) -> float:
    for prefix, weight in DEMAND.items():
        if code.startswith(prefix):
            return weight
    return 1.0


def seed_history(*, seed: int, days_back: int = DAYS_BACK, today: dt.date | None = None) -> str:
    """Simulated queue history for every active point up to yesterday; returns a one-line summary."""
    started = time.monotonic()
    rng = random.Random(f"queue-history-{seed}")
    today = today or timezone.localdate()
    first_day = today - dt.timedelta(days=days_back)
    points = list(ServicePoint.objects.filter(active=True).select_related("unit").order_by("unit__code"))
    if not points:
        return "queue history: no service points, nothing seeded"

    hours: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = defaultdict(lambda: defaultdict(list))
    for oh in OpeningHours.objects.filter(point__in=points).order_by("opens_at"):
        hours[oh.point_id][oh.weekday].append((oh.opens_at, oh.closes_at))
    closures = PointClosure.objects.filter(date__gte=first_day, date__lt=today)
    closed_all = {c.date for c in closures if c.point_id is None}
    closed_at = {(c.point_id, c.date) for c in closures if c.point_id is not None}
    busy_days = set(
        Ticket.objects.filter(service_date__gte=first_day, service_date__lt=today)
        .values_list("point_id", "service_date")
        .distinct()
    )
    offered: dict[int, list[tuple[int, str, int, float]]] = defaultdict(list)
    for ps in PointService.objects.filter(point__in=points, active=True).select_related("service"):
        s = ps.service
        offered[ps.point_id].append((s.pk, s.group_letter, s.target_service_minutes, _demand(s.code)))
    counters: dict[int, list[tuple[int, set[int]]]] = defaultdict(list)
    through = Counter.services.through
    served_by: dict[int, set[int]] = defaultdict(set)
    for counter_id, service_id in through.objects.filter(counter__point__in=points).values_list(
        "counter_id", "service_id"
    ):
        served_by[counter_id].add(service_id)
    for c in Counter.objects.filter(point__in=points, active=True).order_by("number"):
        counters[c.point_id].append((c.pk, served_by[c.pk]))
    pools = _officer_pools(points)
    speed = {e: rng.uniform(0.7, 1.35) for pool in pools.values() for e in pool}

    tickets: list[dict[str, Any]] = []
    sequences: list[TicketSequence] = []
    day_count = 0
    created = 0
    with transaction.atomic():
        day = first_day
        while day < today:
            # National holidays and cuti bersama are no PointClosure rows any more (common.calendar).
            if day not in closed_all and holiday_name(day) is None:
                for point in points:
                    windows = hours[point.pk].get(day.weekday())
                    services = offered.get(point.pk)
                    point_counters = counters.get(point.pk)
                    if (
                        not windows
                        or not services
                        or not point_counters
                        or (point.pk, day) in closed_at
                        or (point.pk, day) in busy_days
                    ):
                        continue
                    day_count += 1
                    new, last = _simulate_day(
                        rng, point, day, windows, services, point_counters, pools[point.pk], speed
                    )
                    tickets.extend(new)
                    sequences.extend(
                        TicketSequence(point=point, service_date=day, group_letter=letter, last_value=value)
                        for letter, value in last.items()
                    )
                    if len(tickets) >= BATCH:
                        created += _insert(tickets)
                        tickets = []
            day += dt.timedelta(days=1)
        created += _insert(tickets)
        existing = set(
            TicketSequence.objects.filter(service_date__gte=first_day, service_date__lt=today).values_list(
                "point_id", "service_date", "group_letter"
            )
        )
        TicketSequence.objects.bulk_create(
            [s for s in sequences if (s.point_id, s.service_date, s.group_letter) not in existing],
            batch_size=BATCH,
        )
    return (
        f"queue history: {created:,} tickets over {day_count:,} point-days "
        f"({first_day} – {today - dt.timedelta(days=1)}) in {time.monotonic() - started:.1f} s"
    )


def _as_is(value: Any) -> Any:
    return value


def _sqlite_datetime(value: dt.datetime) -> str:
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _insert(rows: list[dict[str, Any]]) -> int:
    """executemany of plain tuples: bulk_create spent ~0.3 ms a row building and preparing model objects."""
    if not rows:
        return 0
    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields if f.attname != "public_token"}
    adapt: dict[str, Callable[[Any], Any]] = {}
    for f in fields:
        if isinstance(f, models.DateTimeField):
            # SQLite stores naive UTC text; Django's adapter spends most of its time on checks we don't need.
            adapt[f.attname] = _sqlite_datetime if connection.vendor == "sqlite" else _as_is
        elif isinstance(f, models.DateField):
            adapt[f.attname] = connection.ops.adapt_datefield_value
    names = [f.attname for f in fields]
    values = []
    for row in rows:
        data = {**defaults, **row, "public_token": new_public_token()}
        values.append(
            tuple(adapt[n](data[n]) if n in adapt and data[n] is not None else data[n] for n in names)
        )
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Ticket._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 (model metadata only)
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(rows)


def _officer_pools(points: list[ServicePoint]) -> dict[int, list[int]]:
    """Officers per point: those on its shifts, else front-line ASN of its unit, else anyone there."""
    pools: dict[int, list[int]] = defaultdict(list)
    for point_id, officer_id in (
        CounterShift.objects.filter(counter__point__in=points)
        .values_list("counter__point_id", "officer_id")
        .distinct()
        .order_by("counter__point_id", "officer_id")
    ):
        pools[point_id].append(officer_id)
    for point in points:
        if pools[point.pk]:
            continue
        base = Employee.objects.filter(active=True, unit__path__startswith=point.unit.path).order_by("pk")
        ids = list(base.filter(Q(position__is_front_line=True)).values_list("pk", flat=True)[:20])
        pools[point.pk] = ids or list(base.values_list("pk", flat=True)[:10])
    return pools


def _simulate_day(
    rng: random.Random,
    point: ServicePoint,
    day: dt.date,
    windows: list[tuple[dt.time, dt.time]],
    services: list[tuple[int, str, int, float]],
    point_counters: list[tuple[int, set[int]]],
    pool: list[int],
    speed: dict[int, float],
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One day at one point: arrivals, then first come first served over the counters."""
    is_mpp = point.unit.code.endswith(".MPP")
    n = rng.randint(40, 150) * (2 if is_mpp else 1)
    open_hours = [h for h in HOUR_WEIGHTS for start, end in windows if start.hour <= h < end.hour]
    if not open_hours:
        return [], {}
    weights = [HOUR_WEIGHTS[h] for h in open_hours]
    service_weights = [s[3] for s in services]
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=JAKARTA)
    arrivals = sorted(
        (
            midnight + dt.timedelta(hours=rng.choices(open_hours, weights)[0], seconds=rng.randrange(3600)),
            rng.choices(services, service_weights)[0],
        )
        for _ in range(n)
    )
    # Who sits at which counter today: rotate the pool so officers move between counters.
    shift = day.toordinal()
    officer_at = {
        cid: (pool[(i + shift) % len(pool)] if pool else None) for i, (cid, _) in enumerate(point_counters)
    }
    free_at = {cid: midnight + dt.timedelta(hours=7) for cid, _ in point_counters}
    last: dict[str, int] = defaultdict(int)
    result = []
    for issued, (service_id, letter, target, _) in arrivals:
        eligible = [cid for cid, served in point_counters if not served or service_id in served] or list(
            free_at
        )
        cid = min(eligible, key=lambda c: free_at[c])
        officer = officer_at[cid]
        called = max(issued + dt.timedelta(seconds=rng.randint(20, 90)), free_at[cid])
        last[letter] += 1
        seq = last[letter]
        ticket: dict[str, Any] = {
            "point_id": point.pk,
            "service_id": service_id,
            "service_date": day,
            "group_letter": letter,
            "sequence": seq,
            "number": f"{letter}-{seq:03d}",
            "source": Ticket.Source.KIOSK,
            "queue_at": issued,
            "issued_at": issued,
            "called_at": called,
            "call_count": 1,
            "counter_id": cid,
            "officer_id": officer,
        }
        if rng.random() < NO_SHOW_RATE:
            ticket["status"] = Ticket.Status.NO_SHOW
            ticket["finished_at"] = called + dt.timedelta(minutes=2)
        else:
            started = called + dt.timedelta(seconds=rng.randint(15, 75))
            factor = speed.get(officer, 1.0) if officer else 1.0
            minutes = max(1.0, target * 0.8 * factor * math.exp(rng.gauss(0, 0.35)))
            ticket["started_at"] = started
            ticket["finished_at"] = started + dt.timedelta(minutes=minutes)
            ticket["status"] = rng.choices(("done", "incomplete", "referred"), (90, 8, 2))[0]
        free_at[cid] = ticket["finished_at"]
        result.append(ticket)
    return result, last
