"""Counter console (counter officers; the point's head and BKPP may stand in).

/layanan/loket/ lists the counters where you are on shift; /layanan/loket/<id>/ is the console: current
ticket, Call next / Recall / No-show / Start / Finish / Transfer / Pause, waiting per service and today's
own figures. Buttons POST with HTMX to /layanan/loket/<id>/aksi/<action>/ and swap the panel.
Every action goes through mumpuni.queueing.services.tickets, which refuses outsiders.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from mumpuni.common.errors import ApplicationError
from mumpuni.people.models import Employee
from mumpuni.queueing.models import Counter, Service, Ticket
from mumpuni.queueing.selectors.tickets import (
    counters_for_console,
    officer_figures,
    point_services,
    waiting_counts,
)
from mumpuni.queueing.services import tickets as svc

OUTCOMES = [("done", "Selesai"), ("incomplete", "Berkas belum lengkap"), ("referred", "Dirujuk")]


def _counter_for(request: HttpRequest, counter_id: int) -> Counter:
    counter = get_object_or_404(Counter.objects.select_related("point__unit"), pk=counter_id, active=True)
    if not svc.can_act_at_counter(request.user, counter):
        # Outsiders learn nothing about other points' counters.
        raise Http404("Loket tidak ditemukan.")
    return counter


def _panel_context(request: HttpRequest, counter: Counter, **extra: Any) -> dict[str, Any]:
    counter.refresh_from_db()
    employee = Employee.objects.filter(user_id=request.user.pk or 0).first()
    return {
        "counter": counter,
        "current": svc.current_ticket(counter),
        "waiting": waiting_counts(counter.point),
        "figures": officer_figures(employee),
        "outcomes": OUTCOMES,
        "services": [ps.service for ps in point_services(counter.point)],
        "other_counters": Counter.objects.filter(point=counter.point, active=True).exclude(pk=counter.pk),
        **extra,
    }


@login_required
@require_GET
def counter_list(request: HttpRequest) -> HttpResponse:
    return render(request, "queueing/console/list.html", {"counters": counters_for_console(request.user)})


@login_required
@require_GET
def console(request: HttpRequest, counter_id: int) -> HttpResponse:
    counter = _counter_for(request, counter_id)
    return render(request, "queueing/console/console.html", _panel_context(request, counter))


def _ticket_at(counter: Counter, request: HttpRequest) -> Ticket:
    ticket = Ticket.objects.filter(pk=request.POST.get("ticket") or 0, counter=counter).first()
    if ticket is None:
        raise ApplicationError("Tiket tidak ditemukan di loket ini.")
    return ticket


@login_required
@require_POST
def action(request: HttpRequest, counter_id: int, name: str) -> HttpResponse:
    counter = _counter_for(request, counter_id)
    user = request.user
    message, level = "", "success"
    try:
        if name == "call":
            ticket = svc.counter_call_next(counter=counter, actor=user)
            message = f"Memanggil {ticket.number}." if ticket else "Tidak ada antrean yang menunggu."
            level = "success" if ticket else "info"
        elif name == "recall":
            ticket = svc.ticket_recall(ticket=_ticket_at(counter, request), actor=user)
            message = f"Memanggil ulang {ticket.number}."
        elif name == "skip":
            ticket = svc.ticket_skip(ticket=_ticket_at(counter, request), actor=user)
            message = f"{ticket.number} ditandai tidak hadir."
        elif name == "start":
            ticket = svc.ticket_start(ticket=_ticket_at(counter, request), actor=user)
            message = f"Mulai melayani {ticket.number}."
        elif name == "finish":
            ticket = svc.ticket_finish(
                ticket=_ticket_at(counter, request), outcome=request.POST.get("outcome", ""), actor=user
            )
            message = f"{ticket.number}: {ticket.get_status_display()}."
        elif name == "transfer":
            target = request.POST.get("target", "")
            kind, _, value = target.partition(":")
            service = Service.objects.filter(code=value).first() if kind == "service" else None
            other = (
                Counter.objects.filter(pk=value, point=counter.point).first()
                if kind == "counter" and value.isdigit()
                else None
            )
            if service is None and other is None:
                raise ApplicationError("Pilih layanan atau loket tujuan.")
            ticket = svc.ticket_transfer(
                ticket=_ticket_at(counter, request), service=service, counter=other, actor=user
            )
            message = f"{ticket.number} dialihkan."
        elif name in {"pause", "resume"}:
            svc.counter_set_paused(counter=counter, paused=name == "pause", actor=user)
            message = "Loket dijeda." if name == "pause" else "Loket dilanjutkan."
        else:
            raise Http404("Aksi tidak dikenal.")
    except ApplicationError as exc:
        message, level = exc.message, "danger"
    status = 200
    context = _panel_context(request, counter, message=message, level=level)
    if request.headers.get("HX-Request"):
        return render(request, "queueing/console/panel.html", context, status=status)
    return render(request, "queueing/console/console.html", context, status=status)


@login_required
@require_GET
def panel(request: HttpRequest, counter_id: int) -> HttpResponse:
    counter = _counter_for(request, counter_id)
    return render(request, "queueing/console/panel.html", _panel_context(request, counter))


urlpatterns = [
    path("loket/", counter_list, name="console_list"),
    path("loket/<int:counter_id>/", console, name="console"),
    path("loket/<int:counter_id>/panel/", panel, name="console_panel"),
    path("loket/<int:counter_id>/aksi/<str:name>/", action, name="console_action"),
]
