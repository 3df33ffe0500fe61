"""Staff pages of the service points: list (scoped), detail with services, quotas, hours, counters and today's
shifts; the set-up forms of BKPP and the point's head (quotas, hours, counter services, shifts, opening
outside hours); and the catalogue of standar pelayanan.

Thin views: reads through selectors.points, writes through services.points (audited, permission-checked);
a service refusal becomes a flash message on the point page (or a 403 page).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import ApplicationError, NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.people.models import Employee
from mumpuni.queueing.models import (
    Booking,
    Counter,
    CounterShift,
    PointClosure,
    PointService,
    Service,
    ServicePoint,
)
from mumpuni.queueing.selectors import points as selectors
from mumpuni.queueing.services import points as services

WEEKDAYS = (
    gettext_lazy("Senin"),
    gettext_lazy("Selasa"),
    gettext_lazy("Rabu"),
    gettext_lazy("Kamis"),
    gettext_lazy("Jumat"),
    gettext_lazy("Sabtu"),
    gettext_lazy("Minggu"),
)
# How far ahead the point page and the closures page list closed days.
CLOSED_DAYS_AHEAD = 120


def _point(request: HttpRequest, code: str) -> ServicePoint:
    if not selectors.can_view_points(request.user):
        raise PermissionDenied(_("Anda tidak berwenang melihat tempat pelayanan."))
    try:
        return selectors.point_get(user=request.user, code=code)
    except NotFoundError:
        raise Http404(_("Tempat pelayanan tidak ditemukan.")) from None


def _managed_point(request: HttpRequest, code: str) -> ServicePoint:
    point = _point(request, code)
    if not services.can_manage_point(request.user, point):
        raise PermissionDenied(services.NOT_ALLOWED)
    return point


def _run(request: HttpRequest, point: ServicePoint, action: Any, success: str) -> HttpResponse:
    """Call a service; its refusal becomes a message (permission refusals a 403)."""
    try:
        action()
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except ApplicationError as exc:
        details = "; ".join(m for msgs in exc.fields.values() for m in msgs) or exc.message
        messages.error(request, details)
    else:
        messages.success(request, success)
    return redirect("queueing:point_detail", code=point.code)


def _int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return -1  # the service refuses it with its own message


@login_required
@require_GET
def point_list(request: HttpRequest) -> HttpResponse:
    if not selectors.can_view_points(request.user):
        raise PermissionDenied(_("Anda tidak berwenang melihat tempat pelayanan."))
    points = list(selectors.point_list(user=request.user))
    is_open = services.points_open(points)
    rows = [(p, is_open[p.pk]) for p in points]
    return render(request, "queueing/points/list.html", {"rows": rows})


@login_required
@require_GET
def point_detail(request: HttpRequest, code: str) -> HttpResponse:
    point = _point(request, code)
    today = timezone.localdate()
    hours: dict[int, list[str]] = {}
    for row in point.opening_hours.all():
        hours.setdefault(row.weekday, []).append(f"{row.opens_at:%H:%M}–{row.closes_at:%H:%M}")
    can_manage = services.can_manage_point(request.user, point)
    officers = (
        Employee.objects.filter(active=True, unit__path__startswith=point.unit.path)
        .order_by("-position__is_front_line", "name")
        .only("pk", "name", "nip")[:300]
        if can_manage
        else []
    )
    context = {
        "point": point,
        "is_open": services.point_is_open(point),
        "closed_notice": services.closed_notice(point),
        "point_services": list(selectors.point_services(point)),
        "counters": list(selectors.point_counters(point)),
        "shifts": list(selectors.point_shifts(point, today)),
        "hours": [(i, name, hours.get(i, [])) for i, name in enumerate(WEEKDAYS)],
        "closed_days": selectors.closed_day_rows(
            point, today, today + dt.timedelta(days=CLOSED_DAYS_AHEAD), language=get_language()
        )[:8],
        "today": today,
        "can_manage": can_manage,
        "officers": officers,
        "offered_services": [ps.service for ps in selectors.point_services(point) if ps.active],
    }
    return render(request, "queueing/points/detail.html", context)


@login_required
@require_POST
def point_open(request: HttpRequest, code: str) -> HttpResponse:
    point = _managed_point(request, code)
    minutes = _int_or_none(request.POST.get("minutes")) or 0
    return _run(
        request,
        point,
        lambda: services.point_open_extend(point=point, minutes=minutes, actor=request.user),
        _("Tempat pelayanan dibuka tambahan selama {n} menit.").format(n=minutes),
    )


@login_required
@require_POST
def point_service_update(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    point = _managed_point(request, code)
    row = get_object_or_404(PointService.objects.select_related("point__unit", "service"), pk=pk, point=point)
    return _run(
        request,
        point,
        lambda: services.point_service_update(
            point_service=row,
            actor=request.user,
            daily_quota=_int_or_none(request.POST.get("daily_quota")),
            booking_quota=_int_or_none(request.POST.get("booking_quota")),
            active=request.POST.get("active") == "on",
        ),
        _("Layanan {name} diperbarui.").format(name=row.service.name),
    )


@login_required
@require_POST
def counter_services(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    point = _managed_point(request, code)
    counter = get_object_or_404(Counter.objects.select_related("point__unit"), pk=pk, point=point)
    chosen = Service.objects.filter(pk__in=[v for v in request.POST.getlist("services") if v.isdigit()])
    return _run(
        request,
        point,
        lambda: services.counter_set_services(counter=counter, services=chosen, actor=request.user),
        _("Layanan {name} diperbarui.").format(name=counter.name),
    )


@login_required
@require_POST
def counter_add(request: HttpRequest, code: str) -> HttpResponse:
    point = _managed_point(request, code)
    number = (point.counters.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return _run(
        request,
        point,
        lambda: services.counter_create(point=point, number=number, actor=request.user),
        _("Loket {n} ditambahkan.").format(n=number),
    )


def _parse_time(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat((value or "").strip())
    except ValueError:
        return None


@login_required
@require_POST
def shift_add(request: HttpRequest, code: str) -> HttpResponse:
    point = _managed_point(request, code)
    counter = get_object_or_404(Counter, pk=_int_or_none(request.POST.get("counter")) or 0, point=point)
    officer = get_object_or_404(
        Employee.objects.select_related("unit"), pk=_int_or_none(request.POST.get("officer")) or 0
    )
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    starts, ends = _parse_time(request.POST.get("starts_at")), _parse_time(request.POST.get("ends_at"))
    if starts is None or ends is None:
        messages.error(request, _("Jam mulai dan selesai wajib diisi (JJ:MM)."))
        return redirect("queueing:point_detail", code=point.code)
    return _run(
        request,
        point,
        lambda: services.shift_create(
            counter=counter, officer=officer, date=day, starts_at=starts, ends_at=ends, actor=request.user
        ),
        _("Jadwal petugas ditambahkan."),
    )


@login_required
@require_POST
def shift_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    point = _managed_point(request, code)
    shift = get_object_or_404(
        CounterShift.objects.select_related("counter__point__unit"), pk=pk, counter__point=point
    )
    return _run(
        request,
        point,
        lambda: services.shift_delete(shift=shift, actor=request.user),
        _("Jadwal petugas dihapus."),
    )


def parse_windows(text: str) -> list[tuple[dt.time, dt.time]] | None:
    """'08:00-11:30, 13:00-15:00' -> windows; '' -> closed; None when unreadable."""
    windows = []
    for part in (text or "").replace("–", "-").split(","):
        part = part.strip()
        if not part:
            continue
        opens, sep, closes = part.partition("-")
        start, end = _parse_time(opens), _parse_time(closes)
        if not sep or start is None or end is None:
            return None
        windows.append((start, end))
    return windows


@login_required
@require_POST
def hours_set(request: HttpRequest, code: str) -> HttpResponse:
    point = _managed_point(request, code)
    weekday = _int_or_none(request.POST.get("weekday"))
    windows = parse_windows(request.POST.get("windows", ""))
    if weekday is None or windows is None:
        messages.error(request, _("Jam layanan tidak terbaca; tulis seperti 08:00-11:30, 13:00-15:00."))
        return redirect("queueing:point_detail", code=point.code)
    return _run(
        request,
        point,
        lambda: services.opening_hours_set(point=point, weekday=weekday, windows=windows, actor=request.user),
        _("Jam layanan diperbarui."),
    )


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _bookings_on(point: ServicePoint, day: dt.date) -> int:
    return Booking.objects.filter(point=point, slot_start__date=day, status=Booking.Status.BOOKED).count()


def _closure_saved_message(point: ServicePoint, closure: PointClosure, verb: str) -> str:
    message = verb.format(date=closure.date.strftime("%d-%m-%Y"))
    held = _bookings_on(point, closure.date)
    if held:
        message += " " + _(
            "Perhatian: ada {n} booking pada hari itu; bila mungkin, hubungi pemesannya. Booking yang tidak "
            "terlayani dibatalkan otomatis setelah hari itu."
        ).format(n=held)
    return message


def _closures_page(
    request: HttpRequest,
    point: ServicePoint,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    editing: PointClosure | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "queueing/points/closures.html",
        {
            "point": point,
            "today": today,
            "rows": selectors.closed_day_rows(
                point, today, today + dt.timedelta(days=CLOSED_DAYS_AHEAD), language=get_language()
            ),
            "past": selectors.past_point_closures(point, today),
            "form": form or {"date": "", "reason": ""},
            "errors": errors or {},
            "editing": editing,
            "days_ahead": CLOSED_DAYS_AHEAD,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def closures(request: HttpRequest, code: str) -> HttpResponse:
    """The point's closed days: its own closures (add, edit, delete), every point's, holidays, cuti bersama."""
    point = _managed_point(request, code)
    if request.method == "GET":
        return _closures_page(request, point)
    form = {k: request.POST.get(k, "").strip() for k in ("date", "reason")}
    try:
        closure = services.closure_create(
            point=point, date=_parse_date(form["date"]), reason=form["reason"], actor=request.user
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except ValidationFailed as exc:
        return _closures_page(request, point, form=form, errors=exc.fields, status=422)
    messages.success(request, _closure_saved_message(point, closure, _("Hari tutup {date} ditambahkan.")))
    return redirect("queueing:closures", code=point.code)


@login_required
@require_http_methods(["GET", "POST"])
def closure_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    point = _managed_point(request, code)
    closure = get_object_or_404(PointClosure, pk=pk, point=point)  # every point's closures: not here
    if request.method == "GET":
        form = {"date": closure.date.isoformat(), "reason": closure.reason}
        return _closures_page(request, point, form=form, editing=closure)
    form = {k: request.POST.get(k, "").strip() for k in ("date", "reason")}
    try:
        closure = services.closure_update(
            closure=closure, date=_parse_date(form["date"]), reason=form["reason"], actor=request.user
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except ValidationFailed as exc:
        return _closures_page(request, point, form=form, errors=exc.fields, editing=closure, status=422)
    messages.success(request, _closure_saved_message(point, closure, _("Hari tutup {date} diperbarui.")))
    return redirect("queueing:closures", code=point.code)


@login_required
@require_POST
def closure_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    point = _managed_point(request, code)
    closure = get_object_or_404(PointClosure, pk=pk, point=point)
    day = closure.date
    try:
        services.closure_delete(closure=closure, actor=request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Hari tutup {date} dihapus.").format(date=day.strftime("%d-%m-%Y")))
    return redirect("queueing:closures", code=point.code)


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "queueing/points/catalogue.html", {"services": selectors.service_list(active_only=False)}
    )


@login_required
@require_GET
def catalogue_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(Service, code=code)
    points = ServicePoint.objects.filter(point_services__service=service, point_services__active=True)
    return render(
        request,
        "queueing/points/catalogue_detail.html",
        {"service": service, "points": points.select_related("unit").order_by("unit__code")},
    )


urlpatterns: list[URLPattern] = [
    path("", point_list, name="points"),
    path("standar-pelayanan/", catalogue, name="catalogue"),
    path("standar-pelayanan/<str:code>/", catalogue_detail, name="catalogue_detail"),
    path("tempat/<str:code>/", point_detail, name="point_detail"),
    path("tempat/<str:code>/buka/", point_open, name="point_open"),
    path("tempat/<str:code>/jam/", hours_set, name="hours_set"),
    path("tempat/<str:code>/tutup/", closures, name="closures"),
    path("tempat/<str:code>/tutup/<int:pk>/", closure_edit, name="closure_edit"),
    path("tempat/<str:code>/tutup/<int:pk>/hapus/", closure_delete, name="closure_delete"),
    path("tempat/<str:code>/layanan/<int:pk>/", point_service_update, name="point_service_update"),
    path("tempat/<str:code>/loket/", counter_add, name="counter_add"),
    path("tempat/<str:code>/loket/<int:pk>/", counter_services, name="counter_services"),
    path("tempat/<str:code>/jadwal/", shift_add, name="shift_add"),
    path("tempat/<str:code>/jadwal/<int:pk>/hapus/", shift_remove, name="shift_remove"),
]
