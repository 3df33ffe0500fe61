"""Fixtures for the ticket, kiosk, console, display and API tests, built with the ORM: a Tembalang point
open all week, two services (A: KTP, B: KK), two counters and the `officer` persona on shift at counter 1."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mumpuni.queueing.models import (
    Counter,
    CounterShift,
    OpeningHours,
    PointService,
    Service,
    ServicePoint,
)


def build_point(cls: Any, unit: Any = None, prefix: str = "") -> None:
    """Set cls.point, cls.ktp, cls.kk, cls.counter1, cls.counter2 and an officer shift on counter 1."""
    unit = unit or cls.tembalang
    cls.point = ServicePoint.objects.create(unit=unit, name=f"Kantor {unit.name}")
    for weekday in range(7):
        OpeningHours.objects.create(
            point=cls.point, weekday=weekday, opens_at=dt.time(0, 0), closes_at=dt.time(23, 59, 59)
        )
    cls.ktp = Service.objects.get_or_create(
        code=f"{prefix}KTP-REKAM",
        defaults={
            "name": "Perekaman KTP-el",
            "group_letter": "A",
            "icon": "person-vcard",
            "requirements": ["Fotokopi Kartu Keluarga"],
            "target_service_minutes": 10,
        },
    )[0]
    cls.kk = Service.objects.get_or_create(
        code=f"{prefix}KK",
        defaults={"name": "Kartu Keluarga", "group_letter": "B", "target_service_minutes": 15},
    )[0]
    cls.ps_ktp = PointService.objects.create(point=cls.point, service=cls.ktp)
    cls.ps_kk = PointService.objects.create(point=cls.point, service=cls.kk)
    cls.counter1 = Counter.objects.create(point=cls.point, number=1, name="Loket 1")
    cls.counter1.services.set([cls.ktp, cls.kk])
    cls.counter2 = Counter.objects.create(point=cls.point, number=2, name="Loket 2")
    cls.counter2.services.set([cls.ktp])
    put_on_shift(cls.counter1, cls.officer_employee)


def put_on_shift(counter: Counter, employee: Any) -> CounterShift:
    return CounterShift.objects.create(
        counter=counter,
        officer=employee,
        date=timezone.localdate(),
        starts_at=dt.time(0, 0),
        ends_at=dt.time(23, 59, 59),
    )
