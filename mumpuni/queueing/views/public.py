"""Public queue pages (no login): the kiosk, the citizen's ticket page and the display board.

- /antrean/kios/<point>/ — touch screen: pick a service, read its requirements, pick a priority, take a
  ticket (POST with CSRF, rate-limited per client IP) and get a print-friendly slip with a QR code.
- /antrean/tiket/<token>/ — the slip's QR: number, status, position and estimated wait, polled by HTMX.
- /antrean/papan/<point>/ — the TV: current call per counter, recent calls, waiting per service, from a
  JSON endpoint polled every second; the browser speaks each new call (text made here, in Python).
Nothing on these pages is personal data.
"""

from __future__ import annotations

import importlib
from typing import Any

import segno
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from mumpuni.common.errors import ApplicationError
from mumpuni.queueing.models import Service, ServicePoint, Ticket
from mumpuni.queueing.selectors.tickets import (
    board_state,
    point_by_code,
    point_services,
    ticket_by_token,
    ticket_status,
)
from mumpuni.queueing.services.points import closed_notice, point_is_open
from mumpuni.queueing.services.tickets import ticket_issue
from mumpuni.surveys.views.public import online_survey_offer

# A kiosk is one device behind one address: generous, but a script hammering the form is stopped.
KIOSK_RATE_LIMIT = 30
KIOSK_RATE_WINDOW_SECONDS = 60
KIOSK_RESET_SECONDS = 20
PRIORITY_CHOICES = [
    ("", "Umum", "bi-person"),
    ("lansia", "Lansia (60 tahun ke atas)", "bi-person-walking"),
    ("disabilitas", "Penyandang disabilitas", "bi-person-wheelchair"),
    ("ibu_hamil_menyusui", "Ibu hamil / menyusui", "bi-heart"),
]


def _point_or_404(code: str) -> ServicePoint:
    point = point_by_code(code)
    if point is None:
        raise Http404("Tempat pelayanan tidak ditemukan.")
    return point


def _booking_module() -> Any:
    """The booking helper's services, if present (kept optional: the kiosk works without bookings)."""
    try:
        module = importlib.import_module("mumpuni.queueing.services.booking")
    except ImportError:
        return None
    if not hasattr(module, "booking_check_in") or not hasattr(module, "booking_by_code"):
        return None
    return module


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _rate_limited(request: HttpRequest, point: ServicePoint) -> bool:
    key = f"queue:kiosk:{point.pk}:{_client_ip(request)}"
    cache.add(key, 0, KIOSK_RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, KIOSK_RATE_WINDOW_SECONDS)
        count = 1
    return count > KIOSK_RATE_LIMIT


@require_GET
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    point = _point_or_404(code)
    return render(
        request,
        "queueing/public/kiosk.html",
        {
            "point": point,
            "open": point_is_open(point),
            "closed_notice": closed_notice(point),
            "services": point_services(point),
            "booking_enabled": _booking_module() is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def kiosk_service(request: HttpRequest, code: str, service_code: str) -> HttpResponse:
    point = _point_or_404(code)
    offered = {ps.service.code: ps for ps in point_services(point)}
    point_service = offered.get(service_code)
    if point_service is None:
        raise Http404("Layanan tidak tersedia di tempat ini.")
    service: Service = point_service.service
    error = ""
    status = 200
    if request.method == "POST":
        priority = request.POST.get("priority", "")
        if _rate_limited(request, point):
            error, status = (
                "Terlalu banyak permintaan dari perangkat ini; tunggu sebentar lalu coba lagi.",
                429,
            )
        elif priority not in {value for value, _, _ in PRIORITY_CHOICES}:
            error, status = "Pilihan prioritas tidak dikenal.", 400
        else:
            try:
                ticket = ticket_issue(point=point, service=service, priority=priority, source="kiosk")
            except ApplicationError as exc:
                error, status = exc.message, exc.status_code
            else:
                return redirect("queue_public:kiosk_ticket", code=point.code, token=ticket.public_token)
    return render(
        request,
        "queueing/public/kiosk_service.html",
        {
            "point": point,
            "service": service,
            "point_service": point_service,
            "priorities": PRIORITY_CHOICES,
            "error": error,
        },
        status=status,
    )


@require_http_methods(["POST"])
def kiosk_booking(request: HttpRequest, code: str) -> HttpResponse:
    point = _point_or_404(code)
    booking = _booking_module()
    if booking is None:
        raise Http404("Check-in booking belum tersedia.")
    booking_code = request.POST.get("code", "").strip()[:20]
    status = 400
    if _rate_limited(request, point):
        error, status = "Terlalu banyak permintaan dari perangkat ini; tunggu sebentar lalu coba lagi.", 429
    else:
        try:
            found = booking.booking_by_code(booking_code)
            if found.point_id != point.pk:
                # Checked in only where it was booked; the message names only this point.
                raise ApplicationError(f"Booking ini bukan untuk {point.name}.")
            ticket = booking.booking_check_in(booking=found, actor=None)
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("queue_public:kiosk_ticket", code=point.code, token=ticket.public_token)
    return render(
        request,
        "queueing/public/kiosk.html",
        {
            "point": point,
            "open": point_is_open(point),
            "closed_notice": closed_notice(point),
            "services": point_services(point),
            "booking_enabled": True,
            "booking_error": error,
        },
        status=status,
    )


def _qr_svg(url: str) -> str:
    return str(segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff"))


@require_GET
def kiosk_ticket(request: HttpRequest, code: str, token: str) -> HttpResponse:
    point = _point_or_404(code)
    ticket = ticket_by_token(token)
    if ticket is None or ticket.point_id != point.pk:
        raise Http404("Tiket tidak ditemukan.")
    url = request.build_absolute_uri(reverse("queue_public:ticket", args=[ticket.public_token]))
    return render(
        request,
        "queueing/public/kiosk_ticket.html",
        {
            "point": point,
            "state": ticket_status(ticket),
            "qr": _qr_svg(url),
            "url": url,
            "reset_seconds": KIOSK_RESET_SECONDS,
        },
    )


@never_cache
@require_GET
def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    ticket = ticket_by_token(token)
    if ticket is None:
        return render(request, "queueing/public/ticket.html", {"found": False}, status=404)
    polled = bool(request.headers.get("HX-Request"))
    template = "queueing/public/ticket_status.html" if polled else "queueing/public/ticket.html"
    context = {"found": True, "state": ticket_status(ticket), "survey": online_survey_offer(request, ticket)}
    response = render(request, template, context)
    if polled and ticket.status not in Ticket.OPEN_STATUSES:
        response.status_code = 286  # HTMX stops polling: a finished ticket no longer changes
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def board(request: HttpRequest, code: str) -> HttpResponse:
    point = _point_or_404(code)
    return render(request, "queueing/public/board.html", {"point": point, "state": board_state(point)})


@never_cache
@require_GET
def board_data(request: HttpRequest, code: str) -> JsonResponse:
    return JsonResponse(board_state(_point_or_404(code)))


urlpatterns = [
    path("kios/<str:code>/", kiosk, name="kiosk"),
    path("kios/<str:code>/booking/", kiosk_booking, name="kiosk_booking"),
    path("kios/<str:code>/layanan/<str:service_code>/", kiosk_service, name="kiosk_service"),
    path("kios/<str:code>/tiket/<str:token>/", kiosk_ticket, name="kiosk_ticket"),
    path("tiket/<str:token>/", ticket_page, name="ticket"),
    path("papan/<str:code>/", board, name="board"),
    path("papan/<str:code>/data/", board_data, name="board_data"),
]
