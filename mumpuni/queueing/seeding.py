"""Demo data for the service points: the service catalogue, a point per kecamatan and the MPP with opening
hours (holidays come from the working-day calendar), services and quotas, counters and the officers' shifts.

Deterministic for a seed and bulk-inserted. The demo counter officer `petugas` is on duty at Loket 1 of
Kecamatan Tembalang today and on every weekday of the seeded range.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from mumpuni.people.models import Employee, Unit
from mumpuni.queueing.models import (
    Counter,
    CounterShift,
    OpeningHours,
    PointService,
    Service,
    ServicePoint,
)
from mumpuni.queueing.services.catalogue import (
    BOOKING_QUOTAS,
    CATALOGUE,
    DAILY_QUOTAS,
    DEFAULT_BOOKING_QUOTA,
    KECAMATAN_SERVICES,
    catalogue_install,
)

CITY_CODE = "33.74"
MPP_CODE = f"{CITY_CODE}.MPP"
DEMO_POINT = f"{CITY_CODE}.10"  # Kecamatan Tembalang
DEMO_OFFICER_USERNAME = "petugas"
SHIFT_DAYS_BACK = 7
HISTORY_SEEDER = "mumpuni.queueing.seeding_history.seed_history"
SHIFT_DAYS_AHEAD = 14

T = dt.time
# Jam kerja pelayanan: Monday–Thursday straight through; Friday with the break for Friday prayers.
WEEKDAY_HOURS: dict[int, list[tuple[dt.time, dt.time]]] = {
    0: [(T(8), T(15, 30))],
    1: [(T(8), T(15, 30))],
    2: [(T(8), T(15, 30))],
    3: [(T(8), T(15, 30))],
    4: [(T(8), T(11, 30)), (T(13), T(15))],
}
MPP_EXTRA_HOURS: dict[int, list[tuple[dt.time, dt.time]]] = {5: [(T(8), T(12))]}

# No holiday closures are seeded: national holidays come from the `holidays` package and cuti bersama from
# common.CollectiveLeave (services.points.closure_reason); PointClosure rows are a point's own closed days.

# Which counter serves which services: groups handed to counters in turn (a fifth counter serves all).
COUNTER_GROUPS: tuple[tuple[str, ...], ...] = (
    ("KTP-REKAM", "KTP-CETAK"),
    ("KK", "PINDAH", "DATANG"),
    ("AKTA-LAHIR", "AKTA-MATI", "KIA"),
    (
        "LEGALISASI",
        "SK-DOMISILI",
        "SKTM",
        "SK-AHLI-WARIS",
        "SK-USAHA",
        "PENGANTAR-NIKAH",
        "PENGADUAN",
        "PBG-INFO",
    ),
)


def _counter_services(count: int, offered: Sequence[str]) -> list[list[str]]:
    """Services per counter: with 3 counters the KK and akta groups share one; counters past 4 serve all."""
    groups = [list(g) for g in COUNTER_GROUPS]
    if count == 3:
        groups = [groups[0], groups[1] + groups[2], groups[3]]
    result = []
    for i in range(count):
        chosen = groups[i % len(groups)] if i < len(groups) or count > 5 else list(offered)
        result.append([c for c in chosen if c in offered])
    return result


def _shift_hours(point_code: str, day: dt.date) -> tuple[dt.time, dt.time] | None:
    hours = {**WEEKDAY_HOURS, **(MPP_EXTRA_HOURS if point_code == MPP_CODE else {})}.get(day.weekday())
    if not hours:
        return None
    return hours[0][0], hours[-1][1]


def _points(units: list[Unit]) -> list[ServicePoint]:
    existing = {p.unit_id: p for p in ServicePoint.objects.filter(unit__in=units)}
    new = [
        ServicePoint(
            unit=u,
            name=u.name if u.code != MPP_CODE else "Mal Pelayanan Publik Kota Semarang",
            address=f"Kantor {u.name}, Kota Semarang",
        )
        for u in units
        if u.pk not in existing
    ]
    ServicePoint.objects.bulk_create(new)
    return list(ServicePoint.objects.filter(unit__in=units).select_related("unit").order_by("unit__code"))


def _hours(points: list[ServicePoint]) -> None:
    rows = []
    for point in points:
        if point.opening_hours.exists():
            continue
        hours = {**WEEKDAY_HOURS, **(MPP_EXTRA_HOURS if point.code == MPP_CODE else {})}
        for weekday, windows in hours.items():
            rows += [OpeningHours(point=point, weekday=weekday, opens_at=o, closes_at=c) for o, c in windows]
    OpeningHours.objects.bulk_create(rows)


def _point_services(points: list[ServicePoint], services: dict[str, Service]) -> None:
    taken = set(PointService.objects.filter(point__in=points).values_list("point_id", "service_id"))
    rows = []
    for point in points:
        codes = [c.code for c in CATALOGUE] if point.code == MPP_CODE else list(KECAMATAN_SERVICES)
        for code in codes:
            service = services[code]
            if (point.pk, service.pk) in taken:
                continue
            rows.append(
                PointService(
                    point=point,
                    service=service,
                    daily_quota=DAILY_QUOTAS.get(code),
                    booking_quota=BOOKING_QUOTAS.get(code, DEFAULT_BOOKING_QUOTA),
                )
            )
    PointService.objects.bulk_create(rows)


def _counters(rng: random.Random, points: list[ServicePoint], services: dict[str, Service]) -> list[Counter]:
    offered: dict[int, list[str]] = {}
    for point_id, code in PointService.objects.filter(point__in=points).values_list(
        "point_id", "service__code"
    ):
        offered.setdefault(point_id, []).append(code)
    with_counters = set(Counter.objects.filter(point__in=points).values_list("point_id", flat=True))
    plan: list[tuple[Counter, list[str]]] = []
    for point in points:
        if point.pk in with_counters:
            continue
        count = 8 if point.code == MPP_CODE else rng.randint(3, 5)
        for i, codes in enumerate(_counter_services(count, offered.get(point.pk, [])), start=1):
            plan.append((Counter(point=point, number=i, name=f"Loket {i}"), codes))
    Counter.objects.bulk_create([c for c, _ in plan])
    through = Counter.services.through
    through.objects.bulk_create(
        [through(counter_id=c.pk, service_id=services[code].pk) for c, codes in plan for code in codes]
    )
    return list(
        Counter.objects.filter(point__in=points).select_related("point__unit").order_by("point", "number")
    )


def _officers(points: list[ServicePoint]) -> dict[int, list[int]]:
    """Front-line ASN of each point's unit subtree (fallback: anyone there), by pk for a stable order."""
    result: dict[int, list[int]] = {}
    for point in points:
        base = Employee.objects.filter(active=True, unit__path__startswith=point.unit.path).order_by("pk")
        ids = list(base.filter(position__is_front_line=True).values_list("pk", flat=True)[:40])
        result[point.pk] = ids or list(base.values_list("pk", flat=True)[:10])
    return result


def _shifts(counters: list[Counter], officers: dict[int, list[int]], today: dt.date) -> int:
    if CounterShift.objects.filter(counter__in=counters).exists():
        return 0
    demo_officer = (
        Employee.objects.filter(user__username=DEMO_OFFICER_USERNAME).values_list("pk", flat=True).first()
    )
    by_point: dict[int, list[Counter]] = {}
    for counter in counters:
        by_point.setdefault(counter.point_id, []).append(counter)
    rows = []
    for offset in range(-SHIFT_DAYS_BACK, SHIFT_DAYS_AHEAD + 1):
        day = today + dt.timedelta(days=offset)
        for point_counters in by_point.values():
            point = point_counters[0].point
            hours = _shift_hours(point.code, day)
            is_demo = point.code == DEMO_POINT and demo_officer is not None
            if hours is None:
                if is_demo and day == today:
                    # The demo officer is on duty today even when it is a weekend (a demo day).
                    rows.append(
                        CounterShift(
                            counter=point_counters[0],
                            officer_id=demo_officer,
                            date=day,
                            starts_at=T(8),
                            ends_at=T(16),
                        )
                    )
                continue
            pool = [e for e in officers.get(point.pk, []) if not (is_demo and e == demo_officer)]
            for i, counter in enumerate(point_counters):
                if is_demo and counter.number == 1:
                    officer = demo_officer
                elif pool:
                    officer = pool[(i + offset) % len(pool)]  # rotate the officers across counters daily
                else:
                    continue
                rows.append(
                    CounterShift(
                        counter=counter, officer_id=officer, date=day, starts_at=hours[0], ends_at=hours[1]
                    )
                )
    # One officer cannot be at two counters at once: drop repeats (small pools rotate onto each other).
    seen: set[tuple[int | None, dt.date]] = set()
    unique = []
    for row in rows:
        key = (row.officer_id, row.date)
        if key not in seen:
            seen.add(key)
            unique.append(row)
    CounterShift.objects.bulk_create(unique)
    return len(unique)


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    started = time.monotonic()
    rng = random.Random(f"queueing-{seed}")
    today = timezone.localdate()
    with transaction.atomic():
        services = catalogue_install(actor=None)
        units = list(
            Unit.objects.filter(kind=Unit.Kind.KECAMATAN, code__startswith=f"{CITY_CODE}.").order_by("code")
        ) + list(Unit.objects.filter(code=MPP_CODE))
        points = _points(units)
        _hours(points)
        _point_services(points, services)
        counters = _counters(rng, points, services)
        shifts = _shifts(counters, _officers(points), today)
    summary = (
        f"queueing: {len(services)} services, {len(points)} points, {len(counters)} counters, "
        f"{shifts:,} shifts in {time.monotonic() - started:.1f} s"
    )
    try:
        # The statistics work's simulated history (nine weeks of served tickets), when it is present.
        seed_history = import_string(HISTORY_SEEDER)
    except ImportError:
        seed_history = None
    if seed_history is not None:
        summary += "; " + str(seed_history(seed=seed))
    if log:
        log(summary)
    return summary
