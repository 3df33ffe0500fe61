"""Tickets with chosen timestamps for the statistics, staffing and import tests (direct rows: the ticket
services are exercised by their own tests; here only the log they leave behind matters)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from mumpuni.people.models import Employee, Unit
from mumpuni.queueing.models import Counter, Service, ServicePoint, Ticket

JAKARTA = ZoneInfo("Asia/Jakarta")


def make_point(unit: Unit, name: str) -> ServicePoint:
    return ServicePoint.objects.create(unit=unit, name=name)


def make_service(code: str = "KTP-REKAM", letter: str = "A", target: int = 10) -> Service:
    return Service.objects.create(
        code=code, name=f"Layanan {code}", group_letter=letter, target_service_minutes=target
    )


def make_counter(point: ServicePoint, number: int = 1) -> Counter:
    return Counter.objects.create(point=point, number=number, name=f"Loket {number}")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=JAKARTA)


def make_ticket(
    point: ServicePoint,
    service: Service,
    *,
    issued: dt.datetime,
    wait: float | None = 5,
    service_minutes: float | None = 8,
    status: str = "done",
    counter: Counter | None = None,
    officer: Employee | None = None,
    **extra: Any,
) -> Ticket:
    day = issued.astimezone(JAKARTA).date()
    seq = Ticket.objects.filter(point=point, service_date=day, group_letter=service.group_letter).count() + 1
    called = issued + dt.timedelta(minutes=wait) if wait is not None else None
    started = called if service_minutes is not None and called else None
    finished = (
        started + dt.timedelta(minutes=service_minutes) if started and service_minutes is not None else None
    )
    return Ticket.objects.create(
        point=point,
        service=service,
        service_date=day,
        group_letter=service.group_letter,
        sequence=seq,
        number=f"{service.group_letter}-{seq:03d}",
        status=status,
        queue_at=issued,
        issued_at=issued,
        called_at=called,
        started_at=started,
        finished_at=finished,
        counter=counter,
        officer=officer,
        **extra,
    )
