"""Online booking for citizens (no login, phone-first): point → service → date → free slot → confirmation
with the booking code and its QR code; cancel with the code. Also the public pages of the standar pelayanan
and of a point's services and requirements.

No personal data on these pages: the confirmation shows the code, place, service and time only (never the
name, phone or NIK). Booking creation is rate-limited per client address (services.booking.rate_limit_hit).
"""

from __future__ import annotations

import datetime as dt

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mumpuni.common.errors import ApplicationError, NotFoundError
from mumpuni.queueing.models import Booking, PointService, ServicePoint
from mumpuni.queueing.selectors import points as selectors
from mumpuni.queueing.services import booking as booking_services
from mumpuni.queueing.services.points import closed_days, closed_notice, closure_reason, point_is_open
from mumpuni.queueing.views.points import WEEKDAYS

# The citizen's point page lists the closed days of the coming month (holidays, cuti bersama, closures).
CLOSED_DAYS_AHEAD = 31


def _public_point(code: str) -> ServicePoint:
    point = selectors.public_points().filter(unit__code=code).first()
    if point is None:
        raise Http404(_("Tempat pelayanan tidak ditemukan."))
    return point


def _point_service(point: ServicePoint, service_code: str) -> PointService:
    row = next((r for r in booking_services.booking_services(point) if r.service.code == service_code), None)
    if row is None:
        raise Http404(_("Layanan ini tidak dapat dipesan di tempat ini."))
    return row


def _client(request: HttpRequest) -> str:
    # REMOTE_ADDR as the proxy in front sets it (see settings); not X-Forwarded-For, which clients can forge.
    return request.META.get("REMOTE_ADDR") or "unknown"


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "queueing/booking/start.html", {"points": selectors.public_points()})


@require_GET
def point_page(request: HttpRequest, code: str) -> HttpResponse:
    """A point's services with their requirements; each bookable one links to its slots."""
    point = _public_point(code)
    hours: dict[int, list[str]] = {}
    for row in point.opening_hours.all():
        hours.setdefault(row.weekday, []).append(f"{row.opens_at:%H:%M}–{row.closes_at:%H:%M}")
    today = timezone.localdate()
    return render(
        request,
        "queueing/booking/point.html",
        {
            "point": point,
            "rows": booking_services.booking_services(point),
            "is_open": point_is_open(point),
            "closed_notice": closed_notice(point),
            "closed_days": closed_days(
                point, today, today + dt.timedelta(days=CLOSED_DAYS_AHEAD), language=get_language()
            ),
            "hours": [(WEEKDAYS[i], hours.get(i, [])) for i in range(7)],
        },
    )


@require_http_methods(["GET", "POST"])
def slots(request: HttpRequest, code: str, service_code: str) -> HttpResponse:
    point = _public_point(code)
    row = _point_service(point, service_code)
    service = row.service
    days = booking_services.booking_days(point)
    try:
        day = dt.date.fromisoformat(request.GET.get("tanggal") or request.POST.get("tanggal") or "")
    except ValueError:
        day = days[0] if days else timezone.localdate()
    errors: dict[str, list[str]] = {}
    message = ""
    values = {"name": "", "phone": "", "slot": ""}
    status = 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in ("name", "phone", "slot")}
        try:
            slot_start = dt.datetime.fromisoformat(values["slot"])
            if timezone.is_naive(slot_start):
                slot_start = timezone.make_aware(slot_start)
        except ValueError:
            errors["slot"] = [_("Pilih salah satu slot waktu.")]
            status = 422
        else:
            try:
                booking = booking_services.booking_create(
                    point=point,
                    service=service,
                    slot_start=slot_start,
                    name=values["name"],
                    phone=values["phone"],
                    nik=request.POST.get("nik", ""),
                    client=_client(request),
                )
            except ApplicationError as exc:
                errors, message, status = exc.fields, exc.message, exc.status_code
            else:
                return redirect("queue_public:booking_done", token=booking.public_token)
    free = booking_services.available_slots(point=point, service=service, day=day) if day in days else []
    first = timezone.localdate()
    context = {
        "point": point,
        "service": service,
        "days": days,
        "day": day,
        "slots": free,
        "any_free": any(s.free for s in free),
        # Why a day is missing from the choice: "Tutup: Hari Raya Idul Fitri".
        "day_closed": closure_reason(point, day, language=get_language()) if day not in days else None,
        "closed_days": closed_days(
            point,
            first,
            first + dt.timedelta(days=booking_services.BOOKING_DAYS_AHEAD),
            language=get_language(),
        ),
        "errors": errors,
        "message": message,
        "values": values,
    }
    return render(request, "queueing/booking/slots.html", context, status=status)


@require_GET
def done(request: HttpRequest, token: str) -> HttpResponse:
    booking = Booking.objects.select_related("point__unit", "service").filter(public_token=token).first()
    if booking is None:
        raise Http404(_("Booking tidak ditemukan."))
    url = request.build_absolute_uri(reverse("queue_public:booking_done", args=[token]))
    # The QR holds the booking code: the kiosk's "Saya sudah booking" reads or types it.
    qr_svg = segno.make(booking.code, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff")
    return _noindex(
        render(
            request,
            "queueing/booking/done.html",
            {
                "booking": booking,
                "qr_svg": qr_svg,
                "url": url,
                "slot_minutes": booking.point.booking_slot_minutes,
            },
        )
    )


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("code") or request.GET.get("kode") or "").strip()
    error, cancelled, status = "", None, 200
    if request.method == "POST":
        try:
            cancelled = booking_services.booking_cancel(code=code)
        except (NotFoundError, ApplicationError) as exc:
            error, status = exc.message, exc.status_code
    return _noindex(
        render(
            request,
            "queueing/booking/cancel.html",
            {"code": code, "error": error, "cancelled": cancelled},
            status=status,
        )
    )


@require_GET
def services_page(request: HttpRequest) -> HttpResponse:
    return render(request, "queueing/booking/services.html", {"services": selectors.service_list()})


@require_GET
def service_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        service = selectors.service_get(code)
    except NotFoundError:
        raise Http404(_("Layanan tidak ditemukan.")) from None
    points = selectors.public_points().filter(point_services__service=service, point_services__active=True)
    return render(request, "queueing/booking/service.html", {"service": service, "points": points})


urlpatterns: list[URLPattern] = [
    path("booking/", start, name="booking_start"),
    path("booking/batal/", cancel, name="booking_cancel"),
    path("booking/selesai/<str:token>/", done, name="booking_done"),
    path("booking/<str:code>/", point_page, name="booking_point"),
    path("booking/<str:code>/<str:service_code>/", slots, name="booking_slots"),
    path("layanan/", services_page, name="services"),
    path("layanan/<str:code>/", service_page, name="service"),
]
