"""Shared set-up for the points/booking tests: the catalogue, Tembalang and Banyumanik points with
regular hours, services and counters (on top of the persona cast)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mumpuni.queueing.models import Counter, OpeningHours, PointService, ServicePoint
from mumpuni.queueing.seeding import WEEKDAY_HOURS
from mumpuni.queueing.services.catalogue import catalogue_install

# A Wednesday and the Friday of the same week, far from any holiday in the tests' own closures.
WEDNESDAY = dt.date(2026, 9, 9)
FRIDAY = dt.date(2026, 9, 11)
SATURDAY = dt.date(2026, 9, 12)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_point(
    unit: Any, services: dict[str, Any], codes: tuple[str, ...] = ("KTP-REKAM", "SKTM")
) -> ServicePoint:
    point = ServicePoint.objects.create(unit=unit, name=unit.name)
    OpeningHours.objects.bulk_create(
        OpeningHours(point=point, weekday=w, opens_at=o, closes_at=c)
        for w, windows in WEEKDAY_HOURS.items()
        for o, c in windows
    )
    for code in codes:
        PointService.objects.create(
            point=point,
            service=services[code],
            daily_quota=60 if code == "KTP-REKAM" else None,
            booking_quota=2 if code == "KTP-REKAM" else None,
        )
    counter = Counter.objects.create(point=point, number=1, name="Loket 1")
    counter.services.set([services[c] for c in codes])
    return point


def setup_points(cls: Any) -> None:
    cls.services = catalogue_install()
    cls.ktp = cls.services["KTP-REKAM"]
    cls.sktm = cls.services["SKTM"]
    cls.point = make_point(cls.tembalang, cls.services)
    cls.other_point = make_point(cls.banyumanik, cls.services)
