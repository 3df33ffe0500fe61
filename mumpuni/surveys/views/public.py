"""Public SKM pages (no login), mounted at /survei/ (namespace surveys_public).

- /survei/loket/<counter>/ — the tablet at a counter. Idle, it polls every few seconds (HTMX) until a ticket
  finishes at that counter (services.pending_ticket_for_counter), then shows the survey for that ticket.
  The form names the ticket (id + its public token), so a page left open cannot answer another ticket.
  After a submit the thank-you screen returns to idle by itself; the tablet remembers (signed cookie) the
  last ticket it handled, so the previous citizen's ticket is never offered to the next one.
- /survei/t/<token>/ — the same questionnaire on a phone from the ticket page's link/QR: 7 days after the
  ticket finished, once (409 when answered, 410 when closed).
- /survei/t/<token>/qr.svg — the QR code of that link, for the ticket page (see `online_survey_offer`).
Nothing on these pages identifies a person; answers keep only the ticket's place, service, counter,
officer and date.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import segno
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from mumpuni.common.errors import NotFoundError, ValidationFailed
from mumpuni.queueing.models import Counter, Ticket
from mumpuni.surveys import services
from mumpuni.surveys.forms import questionnaire
from mumpuni.surveys.models import SurveyResponse

# A tablet is one device behind one address: generous, but a script hammering the form is stopped.
RATE_LIMIT = 30
RATE_WINDOW_SECONDS = 60
THANKS_RESET_SECONDS = 8
IDLE_POLL_SECONDS = 4
SURVEY_POLL_SECONDS = 5
# The survey page gives way to a newer ticket only after this long without a tap.
SURVEY_IDLE_SECONDS = 30
# A citizen may take a while: the tablet accepts an answer this long after the ticket finished.
TABLET_SUBMIT_GRACE_MINUTES = 60
SEEN_COOKIE = "skm_loket_{pk}"
SEEN_SALT = "mumpuni.surveys.tablet"
SEEN_MAX_AGE = 60 * 60 * 24


# --- helpers ---------------------------------------------------------------------------------------


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _rate_limited(request: HttpRequest, scope: str) -> bool:
    key = f"skm:{scope}:{_client_ip(request)}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > RATE_LIMIT


def _counter_or_404(counter_id: int) -> Counter:
    counter = (
        Counter.objects.select_related("point__unit")
        .filter(pk=counter_id, active=True, point__active=True)
        .first()
    )
    if counter is None:
        raise Http404(_("Loket tidak ditemukan."))
    return counter


def _seen_until(request: HttpRequest, counter: Counter) -> dt.datetime | None:
    """When the last ticket this tablet handled (answered or skipped) had finished."""
    value = request.get_signed_cookie(
        SEEN_COOKIE.format(pk=counter.pk), default=None, salt=SEEN_SALT, max_age=SEEN_MAX_AGE
    )
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def _remember_seen(response: HttpResponse, counter: Counter, ticket: Ticket) -> None:
    assert ticket.finished_at is not None
    response.set_signed_cookie(
        SEEN_COOKIE.format(pk=counter.pk),
        ticket.finished_at.isoformat(),
        salt=SEEN_SALT,
        max_age=SEEN_MAX_AGE,
        httponly=True,
        samesite="Lax",
        path=reverse("surveys_public:tablet", args=[counter.pk]),
    )


def tablet_ticket(request: HttpRequest, counter: Counter) -> Ticket | None:
    """The ticket this tablet offers now: the counter's pending ticket, unless the tablet already handled
    it (or a later one)."""
    ticket = services.pending_ticket_for_counter(counter)
    if ticket is None:
        return None
    seen = _seen_until(request, counter)
    if seen is not None and ticket.finished_at is not None and ticket.finished_at <= seen:
        return None
    return ticket


def _survey_context(ticket: Ticket, data: Any = None, errors: Any = None) -> dict[str, Any]:
    return {"ticket": ticket, "service": ticket.service, **questionnaire(data, errors)}


def _qr_svg(url: str) -> str:
    return str(segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff"))


@dataclass(frozen=True)
class SurveyOffer:
    url: str
    qr: str  # inline SVG
    deadline: dt.datetime


def online_survey_offer(request: HttpRequest, ticket: Ticket) -> SurveyOffer | None:
    """For the ticket page: the survey link and its QR code when the ticket can be surveyed online now
    (finished, unanswered, within 7 days), else None."""
    if services.ticket_can_be_surveyed(ticket, channel=SurveyResponse.Channel.ONLINE):
        return None
    url = request.build_absolute_uri(reverse("surveys_public:online", args=[ticket.public_token]))
    deadline = services.online_deadline(ticket)
    assert deadline is not None
    return SurveyOffer(url=url, qr=_qr_svg(url), deadline=deadline)


def _refusal(request: HttpRequest, template: str, message: str, status: int, **extra: Any) -> HttpResponse:
    kind = "answered" if status == 409 else "closed"
    return render(request, template, {"message": message, "kind": kind, **extra}, status=status)


# --- the counter tablet ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def tablet(request: HttpRequest, counter_id: int) -> HttpResponse:
    counter = _counter_or_404(counter_id)
    base = {
        "counter": counter,
        "point": counter.point,
        "poll_seconds": IDLE_POLL_SECONDS,
        "survey_poll_seconds": SURVEY_POLL_SECONDS,
        "survey_idle_seconds": SURVEY_IDLE_SECONDS,
        "reset_seconds": THANKS_RESET_SECONDS,
        "mode": "tablet",
    }
    if request.method == "POST":
        return _tablet_submit(request, counter, base)
    ticket = tablet_ticket(request, counter)
    if ticket is None:
        return render(request, "surveys/public/tablet_idle.html", base)
    return render(request, "surveys/public/survey.html", {**base, **_survey_context(ticket)})


def _tablet_submit(request: HttpRequest, counter: Counter, base: dict[str, Any]) -> HttpResponse:
    stale = "surveys/public/tablet_message.html"
    if _rate_limited(request, f"tablet:{counter.pk}"):
        message = _("Terlalu banyak permintaan dari perangkat ini; tunggu sebentar lalu coba lagi.")
        return render(request, stale, {**base, "message": message, "kind": "error"}, status=429)
    ticket_id = request.POST.get("ticket", "")
    ticket = (
        Ticket.objects.select_related("point__unit", "service", "counter")
        .filter(pk=int(ticket_id) if ticket_id.isdigit() else 0, counter=counter)
        .first()
    )
    if ticket is None or not constant_time_compare(request.POST.get("token", ""), ticket.public_token):
        message = _("Halaman survei ini sudah tidak berlaku. Silakan mulai lagi.")
        return render(request, stale, {**base, "message": message, "kind": "error"}, status=400)
    if request.POST.get("action") == "skip":
        response = redirect("surveys_public:tablet", counter_id=counter.pk)
        _remember_seen(response, counter, ticket)
        return response
    now = timezone.now()
    if ticket.finished_at and now - ticket.finished_at > dt.timedelta(minutes=TABLET_SUBMIT_GRACE_MINUTES):
        message = _("Waktu pengisian survei untuk tiket ini sudah habis.")
        return render(request, stale, {**base, "message": message, "kind": "closed"}, status=410)
    try:
        services.submit_for_ticket(ticket, request.POST, channel=SurveyResponse.Channel.COUNTER, now=now)
    except ValidationFailed as exc:
        context = {**base, **_survey_context(ticket, request.POST, exc.fields), "error": exc.message}
        return render(request, "surveys/public/survey.html", context, status=422)
    except services.AlreadyAnswered as exc:
        refused = render(request, stale, {**base, "message": exc.message, "kind": "answered"}, status=409)
        _remember_seen(refused, counter, ticket)
        return refused
    except services.SurveyClosed as exc:
        return render(request, stale, {**base, "message": exc.message, "kind": "closed"}, status=410)
    response = redirect("surveys_public:tablet_thanks", counter_id=counter.pk)
    _remember_seen(response, counter, ticket)
    return response


@never_cache
@require_GET
def tablet_check(request: HttpRequest, counter_id: int) -> HttpResponse:
    """Polled by the idle screen and the survey: 204 while nothing changed, else HX-Redirect to the tablet
    page (which then shows the new ticket's survey or the idle screen)."""
    counter = _counter_or_404(counter_id)
    shown = request.GET.get("tiket", "")
    ticket = tablet_ticket(request, counter)
    current = str(ticket.pk) if ticket else ""
    response = HttpResponse(status=204)
    if current != shown:
        response["HX-Redirect"] = reverse("surveys_public:tablet", args=[counter.pk])
    return response


@never_cache
@require_GET
def tablet_thanks(request: HttpRequest, counter_id: int) -> HttpResponse:
    counter = _counter_or_404(counter_id)
    context = {
        "counter": counter,
        "point": counter.point,
        "reset_seconds": THANKS_RESET_SECONDS,
        "mode": "tablet",
    }
    return render(request, "surveys/public/thanks.html", context)


# --- online (the ticket's link) ----------------------------------------------------------------------


def _online_ticket(token: str) -> Ticket:
    try:
        return services.ticket_for_online_survey(token)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _online_base(ticket: Ticket) -> dict[str, Any]:
    return {
        "ticket": ticket,
        "point": ticket.point,
        "mode": "online",
        "deadline": services.online_deadline(ticket),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def online(request: HttpRequest, token: str) -> HttpResponse:
    ticket = _online_ticket(token)
    base = _online_base(ticket)
    message_page = "surveys/public/online_message.html"
    if request.method == "POST":
        if _rate_limited(request, "online"):
            message = _("Terlalu banyak permintaan; tunggu sebentar lalu coba lagi.")
            return render(request, message_page, {**base, "message": message, "kind": "error"}, status=429)
        try:
            services.submit_for_ticket(ticket, request.POST, channel=SurveyResponse.Channel.ONLINE)
        except ValidationFailed as exc:
            context = {**base, **_survey_context(ticket, request.POST, exc.fields), "error": exc.message}
            return render(request, "surveys/public/survey.html", context, status=422)
        except services.AlreadyAnswered as exc:
            return _refusal(request, message_page, exc.message, 409, **base)
        except services.SurveyClosed as exc:
            return _refusal(request, message_page, exc.message, 410, **base)
        return redirect("surveys_public:online_thanks", token=ticket.public_token)
    reason = services.ticket_can_be_surveyed(ticket, channel=SurveyResponse.Channel.ONLINE)
    if reason:
        answered = SurveyResponse.objects.filter(ticket=ticket).exists()
        response = _refusal(request, message_page, reason, 409 if answered else 410, **base)
    else:
        response = render(request, "surveys/public/survey.html", {**base, **_survey_context(ticket)})
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_GET
def online_thanks(request: HttpRequest, token: str) -> HttpResponse:
    ticket = _online_ticket(token)
    if not SurveyResponse.objects.filter(ticket=ticket).exists():
        return redirect("surveys_public:online", token=ticket.public_token)
    response = render(request, "surveys/public/thanks.html", _online_base(ticket))
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def online_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code (SVG) of the ticket's survey link, for the ticket page and printed slips."""
    ticket = _online_ticket(token)
    url = request.build_absolute_uri(reverse("surveys_public:online", args=[ticket.public_token]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, dark="#000", light="#fff")
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [
    path("loket/<int:counter_id>/", tablet, name="tablet"),
    path("loket/<int:counter_id>/cek/", tablet_check, name="tablet_check"),
    path("loket/<int:counter_id>/terima-kasih/", tablet_thanks, name="tablet_thanks"),
    path("t/<str:token>/", online, name="online"),
    path("t/<str:token>/terima-kasih/", online_thanks, name="online_thanks"),
    path("t/<str:token>/qr.svg", online_qr, name="online_qr"),
]
