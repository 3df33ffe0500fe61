"""Reads behind the kiosk, the citizen's ticket page, the counter console and the display board.

Nothing here returns personal data: a ticket is its number, service, status and place in the queue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from mumpuni.lib.terbilang import terbilang
from mumpuni.people.models import Employee
from mumpuni.queueing.models import (
    Counter,
    CounterShift,
    PointService,
    Service,
    ServicePoint,
    Ticket,
    TicketEvent,
)

RECENT_SERVICE_TICKETS = 30  # the mean service time behind a wait estimate: the last N finished tickets
RECENT_CALLS = 6


def point_by_code(code: str) -> ServicePoint | None:
    return ServicePoint.objects.select_related("unit").filter(unit__code=code, active=True).first()


def point_services(point: ServicePoint) -> list[PointService]:
    return list(
        PointService.objects.filter(point=point, active=True, service__active=True)
        .select_related("service")
        .order_by("service__group_letter", "service__name")
    )


def spoken_call(ticket_number: str, counter: Counter) -> str:
    """What the board says: "Nomor antrean A dua belas, silakan ke loket tiga"."""
    letter, _, digits = ticket_number.partition("-")
    words = terbilang(int(digits)) if digits.isdigit() else digits
    return f"Nomor antrean {' '.join(letter)} {words}, silakan ke loket {terbilang(counter.number)}"


# --- the citizen's ticket --------------------------------------------------------------------------


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same service called before this one (priority first, then queue_at, id)."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    same_queue = Ticket.objects.filter(
        point_id=ticket.point_id,
        service_date=ticket.service_date,
        service_id=ticket.service_id,
        status=Ticket.Status.WAITING,
    ).exclude(pk=ticket.pk)
    earlier = Q(queue_at__lt=ticket.queue_at) | Q(queue_at=ticket.queue_at, id__lt=ticket.pk)
    if ticket.priority:
        return same_queue.exclude(priority="").filter(earlier).count()
    return same_queue.filter(~Q(priority="") | earlier).count()


def mean_service_minutes(point: ServicePoint, service: Service) -> float:
    """The mean of the point's last finished tickets of this service; the standard when there are none."""
    recent = list(
        Ticket.objects.filter(
            point=point, service=service, started_at__isnull=False, finished_at__isnull=False
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:RECENT_SERVICE_TICKETS]
    )
    seconds = [(end - start).total_seconds() for start, end in recent if start and end]
    if not seconds:
        return float(service.target_service_minutes)
    return sum(seconds) / len(seconds) / 60


def serving_counters(point: ServicePoint, service: Service) -> int:
    return Counter.objects.filter(point=point, services=service, active=True, paused=False).count()


def estimated_wait_minutes(ticket: Ticket, ahead: int | None = None) -> int:
    ahead = people_ahead(ticket) if ahead is None else ahead
    if ahead == 0:
        return 0
    counters = max(1, serving_counters(ticket.point, ticket.service))
    return max(1, round(ahead * mean_service_minutes(ticket.point, ticket.service) / counters))


def ticket_by_token(token: str) -> Ticket | None:
    return (
        Ticket.objects.select_related("point__unit", "service", "counter").filter(public_token=token).first()
    )


@dataclass
class TicketStatus:
    ticket: Ticket
    ahead: int
    wait_minutes: int

    def as_dict(self) -> dict[str, Any]:
        t = self.ticket
        return {
            "number": t.number,
            "status": t.status,
            "status_label": t.get_status_display(),
            "service": t.service.name,
            "point": t.point.name,
            "counter": t.counter.name if t.counter else None,
            "position": self.ahead + 1 if t.status == Ticket.Status.WAITING else 0,
            "people_ahead": self.ahead,
            "estimated_wait_minutes": self.wait_minutes,
        }


def ticket_status(ticket: Ticket) -> TicketStatus:
    ahead = people_ahead(ticket)
    return TicketStatus(ticket, ahead, estimated_wait_minutes(ticket, ahead))


# --- counters and the console ----------------------------------------------------------------------


def waiting_counts(point: ServicePoint, day: dt.date | None = None) -> list[dict[str, Any]]:
    """Per offered service: its name, letter and how many wait now (zero rows included)."""
    day = day or timezone.localdate()
    counts = dict(
        Ticket.objects.filter(point=point, service_date=day, status=Ticket.Status.WAITING)
        .values("service_id")
        .annotate(n=Count("id"))
        .values_list("service_id", "n")
    )
    return [
        {
            "service": ps.service.name,
            "code": ps.service.code,
            "letter": ps.service.group_letter,
            "waiting": counts.get(ps.service_id, 0),
        }
        for ps in point_services(point)
    ]


def counters_on_shift(user: Any, at: dt.datetime | None = None) -> QuerySet[Counter]:
    """Counters where the user's employee record is on shift now."""
    local = timezone.localtime(at or timezone.now())
    employee = Employee.objects.filter(user=user).first() if getattr(user, "pk", None) else None
    if employee is None:
        return Counter.objects.none()
    shifts = CounterShift.objects.filter(
        officer=employee, date=local.date(), starts_at__lte=local.time(), ends_at__gt=local.time()
    )
    return (
        Counter.objects.filter(pk__in=shifts.values("counter_id"), active=True)
        .select_related("point__unit")
        .order_by("point__unit__code", "number")
    )


def counters_for_console(user: Any, at: dt.datetime | None = None) -> list[Counter]:
    """The console's choice: counters where the user is on shift now, then (for a camat or BKPP, who may
    stand in) the other counters of the points they manage."""
    from mumpuni.people.scopes import scope_for  # the selector stays importable without the people app

    mine = list(counters_on_shift(user, at))
    scope = scope_for(user)
    if not (scope.city_manager or scope.manage_unit_paths):
        return mine
    managed = Counter.objects.filter(active=True, point__active=True).select_related("point__unit")
    if not scope.city_manager:
        q = Q(pk__in=[])
        for root in scope.manage_unit_paths:
            q |= Q(point__unit__path__startswith=root)
        managed = managed.filter(q)
    seen = {c.pk for c in mine}
    return mine + [c for c in managed.order_by("point__unit__code", "number") if c.pk not in seen]


def officer_figures(employee: Employee | None, day: dt.date | None = None) -> dict[str, Any]:
    """Today's own figures: tickets served (finished with any outcome), no-shows, mean service time."""
    day = day or timezone.localdate()
    if employee is None:
        return {"served": 0, "no_show": 0, "mean_service_minutes": None}
    mine = Ticket.objects.filter(officer=employee, service_date=day)
    finished = mine.filter(status__in=Ticket.FINISHED_OUTCOMES, started_at__isnull=False)
    mean = finished.aggregate(m=Avg(F("finished_at") - F("started_at")))["m"]
    return {
        "served": finished.count(),
        "no_show": mine.filter(status=Ticket.Status.NO_SHOW).count(),
        "mean_service_minutes": round(mean.total_seconds() / 60, 1) if mean else None,
    }


# --- the display board -----------------------------------------------------------------------------


def board_state(point: ServicePoint, day: dt.date | None = None) -> dict[str, Any]:
    """Current call per counter, the latest calls (each with its spoken text) and waiting per service."""
    day = day or timezone.localdate()
    counters = list(Counter.objects.filter(point=point, active=True).order_by("number"))
    current: dict[int, Ticket] = {}
    for ticket in (
        Ticket.objects.filter(
            point=point, service_date=day, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING]
        )
        .exclude(counter=None)
        .order_by("called_at", "id")
    ):
        assert ticket.counter_id is not None
        current[ticket.counter_id] = ticket  # the latest call wins
    by_id = {c.pk: c for c in counters}
    events = list(
        TicketEvent.objects.filter(
            ticket__point=point,
            ticket__service_date=day,
            kind__in=["called", "recalled"],
            counter__isnull=False,
        )
        .select_related("ticket")
        .order_by("-id")[:RECENT_CALLS]
    )
    recent = []
    for event in events:
        counter_id = event.counter_id or 0
        counter = by_id.get(counter_id) or Counter.objects.get(pk=counter_id)  # an inactive counter
        recent.append(
            {
                "event": event.pk,
                "number": event.ticket.number,
                "counter": counter.name,
                "counter_number": counter.number,
                "at": timezone.localtime(event.at).strftime("%H:%M:%S"),
                "text": spoken_call(event.ticket.number, counter),
            }
        )
    return {
        "point": point.name,
        "counters": [
            {
                "id": c.pk,
                "name": c.name,
                "number": c.number,
                "paused": c.paused,
                "ticket": current[c.pk].number if c.pk in current else None,
                "status": current[c.pk].status if c.pk in current else None,
            }
            for c in counters
        ],
        "recent": recent,
        "latest": recent[0] if recent else None,
        "waiting": waiting_counts(point, day),
        "time": timezone.localtime().strftime("%H:%M"),
    }
