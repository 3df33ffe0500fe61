"""Ticket and counter API (/api/v1/queue/…): issue tickets (kiosks), call, start, finish, skip, transfer
(counter officers), read a ticket's place in the queue.

Kiosk keys issue only at the point they are bound to; display keys only read; officers act at the counters
where they are on shift (or the point's head / BKPP). Refusals are ApplicationErrors, mapped to JSON 4xx
with an Indonesian reason by mumpuni.common.api.

These endpoints are what kiosks and counters hit all day (bench/queue_load.py measures them), so each loads
what it needs in as few queries as it can: a ticket issue finds point, unit, service and the point's offer
of the service in one joined query; the wait estimate's inputs (open counters, recent mean service time)
are kept per process for a short while, since they are an estimate anyway.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from mumpuni.common.api import ErrorOut
from mumpuni.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.people.models import Role
from mumpuni.people.scopes import scope_for
from mumpuni.queueing.models import Counter, PointService, Service, ServicePoint, Ticket
from mumpuni.queueing.selectors.tickets import (
    mean_service_minutes,
    people_ahead,
    point_by_code,
    serving_counters,
)
from mumpuni.queueing.services import tickets as ticket_services

router = Router(tags=["antrean: tiket dan loket"])

ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class TicketIn(Schema):
    point: str = Field(description="Kode tempat pelayanan (kode unit), mis. 33.74.10.")
    service: str = Field(description="Kode layanan, mis. KTP-REKAM.")
    priority: bool | Literal["lansia", "disabilitas", "ibu_hamil_menyusui", ""] = Field(
        False, description="false/true (true = lansia) atau jenis prioritas."
    )


class TicketOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    point: str
    service: str
    priority: str
    counter: int | None
    issued_at: str
    called_at: str | None
    started_at: str | None
    finished_at: str | None
    position: int = Field(description="Urutan dalam antrean (1 = berikutnya); 0 bila tidak menunggu.")
    people_ahead: int
    estimated_wait_minutes: int
    public_url: str


class FinishIn(Schema):
    outcome: Literal["done", "incomplete", "referred"]


class TransferIn(Schema):
    service: str | None = Field(None, description="Kode layanan tujuan.")
    counter: int | None = Field(None, description="Id loket tujuan.")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


# (point id, service id) -> (expires at, mean service minutes, open counters)
ESTIMATE_SECONDS = 30.0
_estimate_inputs: dict[tuple[int, int], tuple[float, float, int]] = {}
_estimate_lock = threading.Lock()


def forget_wait_estimates() -> None:
    """Drop the kept estimate inputs (tests, where ids repeat between test cases)."""
    with _estimate_lock:
        _estimate_inputs.clear()


def _wait_minutes(ticket: Ticket, ahead: int) -> int:
    """The same estimate as the citizen's ticket page (selectors.tickets.estimated_wait_minutes), with its
    two inputs (open counters, recent mean service time) reused for ESTIMATE_SECONDS per point and service:
    without this, every ticket issued while others wait would sort the service's finished tickets."""
    if ahead == 0:
        return 0
    key = (ticket.point_id, ticket.service_id)
    now = time.monotonic()
    cached = _estimate_inputs.get(key)
    if cached is None or cached[0] < now:
        counters = max(1, serving_counters(ticket.point, ticket.service))
        mean = mean_service_minutes(ticket.point, ticket.service)
        with _estimate_lock:
            if len(_estimate_inputs) > 10_000:  # bounded: points × services is a few hundred
                _estimate_inputs.clear()
            _estimate_inputs[key] = (now + ESTIMATE_SECONDS, mean, counters)
    else:
        _, mean, counters = cached
    return max(1, round(ahead * mean / counters))


def ticket_out(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    ahead = people_ahead(ticket)  # no query unless the ticket waits
    waiting = ticket.status == Ticket.Status.WAITING
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "point": ticket.point.code,
        "service": ticket.service.code,
        "priority": ticket.priority,
        "counter": ticket.counter_id,
        "issued_at": ticket.issued_at.isoformat(),
        "called_at": _iso(ticket.called_at),
        "started_at": _iso(ticket.started_at),
        "finished_at": _iso(ticket.finished_at),
        "position": ahead + 1 if waiting else 0,
        "people_ahead": ahead,
        "estimated_wait_minutes": _wait_minutes(ticket, ahead),
        "public_url": request.build_absolute_uri(reverse("queue_public:ticket", args=[ticket.public_token])),
    }


def _may_issue(user: Any, point: ServicePoint) -> bool:
    scope = scope_for(user)
    if scope.city_manager:
        return True
    if not any(point.unit.path.startswith(p) for p in scope.view_unit_paths):
        return False
    # Displays only read; kiosks, officers and heads of the point issue.
    return bool(scope.roles & {Role.KIOSK, Role.COUNTER_OFFICER, Role.UNIT_HEAD})


def _priority(value: bool | str) -> str:
    if value is True:
        return Ticket.Priority.ELDERLY
    if value is False:
        return ""
    return value


def _offer(point_code: str, service_code: str) -> PointService | None:
    """The point's offer of the service with point, unit and service, in one query (the kiosk's hot path).
    None when any part is unknown or inactive; the caller then finds out which, for the right refusal."""
    return (
        PointService.objects.select_related("point__unit", "service")
        .filter(point__unit__code=point_code, point__active=True, service__code=service_code)
        .first()
    )


@router.post("tickets", response={201: TicketOut, **ERRORS}, summary="Ambil tiket antrean")
def issue_ticket(request: HttpRequest, payload: TicketIn) -> Status:
    offer = _offer(payload.point, payload.service)
    point = offer.point if offer is not None else point_by_code(payload.point)
    if point is None:
        raise ValidationFailed(
            f"Tempat pelayanan '{payload.point}' tidak dikenal.", fields={"point": ["Tidak dikenal."]}
        )
    if not _may_issue(request.user, point):
        raise PermissionDeniedError("Akun ini tidak boleh mengambil tiket di tempat pelayanan ini.")
    service = offer.service if offer is not None else Service.objects.filter(code=payload.service).first()
    if service is None:
        raise ValidationFailed(
            f"Layanan '{payload.service}' tidak dikenal.", fields={"service": ["Layanan tidak dikenal."]}
        )
    roles = scope_for(request.user).roles
    source = Ticket.Source.KIOSK if Role.KIOSK in roles else Ticket.Source.API
    ticket = ticket_services.ticket_issue(
        point=point,
        service=service,
        priority=_priority(payload.priority),
        source=source,
        actor=request.user,
        point_service=offer,
    )
    return Status(201, ticket_out(request, ticket))


def _visible_ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_related("point__unit", "service", "counter").filter(pk=ticket_id).first()
    scope = scope_for(request.user)
    if ticket is None or not (
        scope.city_wide or any(ticket.point.unit.path.startswith(p) for p in scope.view_unit_paths)
    ):
        raise NotFoundError("Tiket tidak ditemukan.")
    return ticket


@router.get("tickets/{ticket_id}", response={200: TicketOut, **ERRORS}, summary="Status tiket")
def get_ticket(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    return ticket_out(request, _visible_ticket(request, ticket_id))


@router.post(
    "counters/{counter_id}/call-next",
    response={200: TicketOut, 204: None, **ERRORS},
    summary="Panggil antrean berikutnya",
)
def call_next(request: HttpRequest, counter_id: int) -> Any:
    counter = get_object_or_404(Counter.objects.select_related("point__unit"), pk=counter_id)
    ticket = ticket_services.counter_call_next(counter=counter, actor=request.user)
    if ticket is None:
        return HttpResponse(status=204)
    return Status(200, ticket_out(request, ticket))


@router.post("tickets/{ticket_id}/recall", response={200: TicketOut, **ERRORS}, summary="Panggil ulang")
def recall(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    ticket = ticket_services.ticket_recall(ticket=_visible_ticket(request, ticket_id), actor=request.user)
    return ticket_out(request, ticket)


@router.post("tickets/{ticket_id}/start", response={200: TicketOut, **ERRORS}, summary="Mulai layanan")
def start(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    ticket = ticket_services.ticket_start(ticket=_visible_ticket(request, ticket_id), actor=request.user)
    return ticket_out(request, ticket)


@router.post("tickets/{ticket_id}/finish", response={200: TicketOut, **ERRORS}, summary="Selesaikan layanan")
def finish(request: HttpRequest, ticket_id: int, payload: FinishIn) -> dict[str, Any]:
    ticket = ticket_services.ticket_finish(
        ticket=_visible_ticket(request, ticket_id), outcome=payload.outcome, actor=request.user
    )
    return ticket_out(request, ticket)


@router.post("tickets/{ticket_id}/skip", response={200: TicketOut, **ERRORS}, summary="Tandai tidak hadir")
def skip(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    ticket = ticket_services.ticket_skip(ticket=_visible_ticket(request, ticket_id), actor=request.user)
    return ticket_out(request, ticket)


@router.post("tickets/{ticket_id}/transfer", response={200: TicketOut, **ERRORS}, summary="Alihkan tiket")
def transfer(request: HttpRequest, ticket_id: int, payload: TransferIn) -> dict[str, Any]:
    ticket = _visible_ticket(request, ticket_id)
    service = counter = None
    if payload.service is not None:
        service = Service.objects.filter(code=payload.service).first()
        if service is None:
            raise ValidationFailed("Layanan tujuan tidak dikenal.", fields={"service": ["Tidak dikenal."]})
    if payload.counter is not None:
        counter = Counter.objects.filter(pk=payload.counter, point_id=ticket.point_id).first()
        if counter is None:
            raise ValidationFailed("Loket tujuan tidak dikenal.", fields={"counter": ["Tidak dikenal."]})
    ticket = ticket_services.ticket_transfer(
        ticket=ticket, service=service, counter=counter, actor=request.user
    )
    return ticket_out(request, ticket)
