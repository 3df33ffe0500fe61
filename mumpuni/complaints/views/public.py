"""Public complaint pages (no login, phone first): landing, the form, the confirmation, the tracking page and
the complainant's own page (rating and dispute through the secret link).

- /pengaduan/                                  what can be reported, "Lacak laporan", start button
- /pengaduan/baru/[?tiket=<ticket token>]     the form (the ticket page's "Adukan layanan ini" prefills it)
- /pengaduan/terkirim/<code>/                  the tracking code and the personal link, shown ONCE (the secret
                                               is taken out of the session when shown: shared devices)
- /pengaduan/lacak/[?kode=]  and  /lacak/<code>/                  public tracking: never personal data
- /pengaduan/lacak/<code>/pelapor/<secret>/    the personal link (mail, confirmation page): checks the secret,
                                               remembers it in the session for an hour and redirects to
- /pengaduan/lacak/<code>/saya/                tracking + the citizen's own title + rating + dispute

The secret is in a request path only once, on a redirect (never on a 4xx, which django.request logs with its
path); the complainant's page itself, its form posts and its errors carry no secret.

The tracking page shows kind, category, a title derived from category and place (`Complaint.public_title`:
the citizen's own title may name an officer or themselves), point and service, status, due dates, public
events (without who acted: an officer's name is not for the public) and the public answer. It never shows
the name, contact, description (it may hold personal data), attachments, internal notes, the counter, the
officer or coordinates.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from mumpuni.common.errors import ApplicationError, PermissionDeniedError, ValidationFailed
from mumpuni.complaints.forms_public import (
    IDENTITY_HELP,
    KIND_HELP,
    ComplaintForm,
    DisputeForm,
    RatingForm,
    TrackLookupForm,
    normalise_tracking_code,
)
from mumpuni.complaints.models import Complaint, ComplaintEvent, ComplaintPolicy, new_tracking_code
from mumpuni.complaints.services import workflow
from mumpuni.complaints.services.attachments import MAX_FILES
from mumpuni.complaints.services.intake import RateLimited, submit_complaint, validate
from mumpuni.queueing.models import Ticket

log = logging.getLogger(__name__)

SESSION_KEY = (
    "complaints_public_secrets"  # tracking code → complainant secret, until the confirmation shows it
)
SESSION_KEEP = 5
OWNER_KEY = (
    "complaints_public_owner"  # tracking code → [secret, expiry]: the complainant's page in this browser
)
OWNER_SECONDS = 3600  # then the personal link must be opened again (a shared phone or warnet PC)
HONEYPOT_KEY = "complaints_public_decoy"  # the made-up code a bot was "given"
# Tracking codes carry 40 random bits; this only slows a script that walks through them.
LOOKUP_LIMIT = 30
LOOKUP_WINDOW_SECONDS = 600

S = Complaint.Status
SECRET_FIELDS = ("tracking_code", "complainant_secret", "complainant_secret_hash")
STEPS = [
    (S.RECEIVED, gettext_lazy("Diterima")),
    (S.VERIFIED, gettext_lazy("Diverifikasi")),
    (S.FORWARDED, gettext_lazy("Diteruskan ke unit")),
    (S.IN_PROGRESS, gettext_lazy("Ditindaklanjuti")),
    (S.ANSWERED, gettext_lazy("Dijawab")),
    (S.CLOSED, gettext_lazy("Selesai")),
]
STAR_LABELS = (
    gettext_lazy("Sangat buruk"),
    gettext_lazy("Buruk"),
    gettext_lazy("Cukup"),
    gettext_lazy("Baik"),
    gettext_lazy("Sangat baik"),
)
STEP_INDEX: dict[str, int] = {
    S.RECEIVED: 0,
    S.VERIFIED: 1,
    S.FORWARDED: 2,
    S.REOPENED: 2,
    S.IN_PROGRESS: 3,
    S.ANSWERED: 4,
    S.CLOSED: 5,
}


def _client(request: HttpRequest) -> str:
    # REMOTE_ADDR is the citizen's address: TrustedProxyMiddleware takes it from nginx's X-Forwarded-For.
    return str(request.META.get("REMOTE_ADDR") or "")


def _private(response: HttpResponse) -> HttpResponse:
    """Pages with a code or secret: not indexed, not cached, the URL not sent on to other sites."""
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response


def _lookup_allowed(request: HttpRequest) -> bool:
    key = f"complaints:lookup:{_client(request)}"
    cache.add(key, 0, LOOKUP_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, LOOKUP_WINDOW_SECONDS)
        count = 1
    return count <= LOOKUP_LIMIT


def _limited(request: HttpRequest, message: str) -> HttpResponse:
    return _private(render(request, "complaints/public/limited.html", {"message": message}, status=429))


def _not_found(request: HttpRequest, code: str = "") -> HttpResponse:
    return _private(render(request, "complaints/public/not_found.html", {"code": code}, status=404))


# ---------------------------------------------------------------- landing


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    kinds = [(value, label, KIND_HELP[value]) for value, label in Complaint.Kind.choices]
    return render(
        request, "complaints/public/landing.html", {"kinds": kinds, "policy": ComplaintPolicy.current()}
    )


# ---------------------------------------------------------------- the form


def _form_context(form: ComplaintForm, *, files_dropped: bool = False, message: str = "") -> dict[str, Any]:
    policy = ComplaintPolicy.current()
    kelurahan = {
        kec: [{"code": code, "name": name} for code, name in form.kelurahan_groups.get(kec, [])]
        for kec, _name in form.kecamatans
    }
    services = {
        point: [{"code": code, "name": name} for code, name in rows]
        for point, rows in form.services_by_point.items()
    }
    return {
        "form": form,
        # field order, not the order the checks ran in
        "error_list": [
            (name, error) for name in [*form.fields, "__all__"] for error in form.errors.get(name, [])
        ],
        "v": {name: form[name].value() or "" for name in form.fields if name != "attachments"},
        "kinds": [(value, label, KIND_HELP[value]) for value, label in Complaint.Kind.choices],
        "categories": Complaint.Category.choices,
        "identities": [(value, label, IDENTITY_HELP[value]) for value, label in Complaint.Identity.choices],
        "kecamatan_groups": [
            (code, name, form.kelurahan_groups.get(code, [])) for code, name in form.kecamatans
        ],
        "form_data": {
            "services": services,
            "kelurahan": kelurahan,
            "maxFiles": MAX_FILES,
            "maxBytes": policy.max_attachment_mb * 1024 * 1024,
            "maxMb": policy.max_attachment_mb,
            "text": {
                "locating": _("Mencari lokasi Anda…"),
                "located": _("Lokasi terpasang: %(lat)s, %(lon)s (akurasi ± %(acc)s m)"),
                "denied": _(
                    "Lokasi tidak dapat diambil. Izinkan akses lokasi di peramban, atau tulis alamatnya."
                ),
                "tooMany": _("Pilih paling banyak %(n)s berkas."),
                "tooBig": _("Berkas %(name)s lebih dari %(mb)s MB."),
                "allServices": _("— pilih layanan —"),
                "allKelurahan": _("— pilih kelurahan —"),
            },
        },
        "max_files": MAX_FILES,
        "max_mb": policy.max_attachment_mb,
        "files_dropped": files_dropped,
        "message": message,
        "prefill_ticket": form.ticket,
    }


def _prefill(token: str) -> tuple[dict[str, Any], Ticket | None]:
    ticket = (
        Ticket.objects.select_related("point__unit", "service").filter(public_token=token[:40]).first()
        if token
        else None
    )
    if ticket is None:
        return {}, None
    return {
        "point": ticket.point.unit.code,
        "service": ticket.service.code,
        "ticket_number": ticket.number,
        "visit_date": ticket.service_date.isoformat(),
        "ticket_token": ticket.public_token,
    }, ticket


def _remember_secret(request: HttpRequest, complaint: Complaint) -> None:
    secrets = dict(request.session.get(SESSION_KEY, {}))
    secrets[complaint.tracking_code] = complaint.complainant_secret
    request.session[SESSION_KEY] = dict(list(secrets.items())[-SESSION_KEEP:])


def _personal_url(request: HttpRequest, code: str, secret: str) -> str:
    return request.build_absolute_uri(reverse("complaints_public:complainant", args=[code, secret]))


def _grant(request: HttpRequest, code: str, secret: str) -> None:
    owned = {
        key: value
        for key, value in dict(request.session.get(OWNER_KEY, {})).items()
        if isinstance(value, list) and len(value) == 2 and value[1] > time.time()
    }
    owned.pop(code, None)
    owned[code] = [secret, time.time() + OWNER_SECONDS]
    request.session[OWNER_KEY] = dict(list(owned.items())[-SESSION_KEEP:])


def _granted_secret(request: HttpRequest, code: str) -> str:
    """The secret this browser proved for `code` in the last hour ("" if none); the hour starts again."""
    entry = dict(request.session.get(OWNER_KEY, {})).get(code)
    if not isinstance(entry, list) or len(entry) != 2 or entry[1] <= time.time():
        return ""
    _grant(request, code, str(entry[0]))
    return str(entry[0])


def _send_confirmation(request: HttpRequest, complaint: Complaint) -> None:
    """One mail with the code and the personal link; a mail failure never loses the complaint."""
    if not complaint.email:
        return
    context = {
        "complaint": complaint,
        "tracking_url": request.build_absolute_uri(
            reverse("complaints_public:track", args=[complaint.tracking_code])
        ),
        "personal_url": _personal_url(request, complaint.tracking_code, complaint.complainant_secret),
    }
    try:
        send_mail(
            subject=_("Laporan Anda diterima: %(code)s") % {"code": complaint.tracking_code},
            message=render_to_string("complaints/public/email_received.txt", context, request=request),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[complaint.email],
        )
    except Exception as exc:  # noqa: BLE001 - the citizen still sees the code and link on screen
        # The code and the error's type only: SMTP errors carry the recipient's address in their text.
        log.error(  # noqa: TRY400 - no traceback on purpose, for the same reason
            "complaint confirmation mail failed for %s: %s", complaint.tracking_code, type(exc).__name__
        )


@never_cache
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        initial, _ticket = _prefill(request.GET.get("tiket", ""))
        if request.GET.get("jenis") in Complaint.Kind.values:
            initial["kind"] = request.GET["jenis"]
        form = ComplaintForm(initial={"kind": Complaint.Kind.COMPLAINT, **initial})
        form.ticket = _ticket
        return render(request, "complaints/public/form.html", _form_context(form))

    form = ComplaintForm(request.POST, request.FILES)
    if form.is_spam():
        # A bot filled the invisible field: it gets the same redirect and success page as a person, but
        # nothing is stored and no mail is sent.
        log.info("complaint honeypot triggered")
        decoy = new_tracking_code()
        request.session[HONEYPOT_KEY] = decoy
        return redirect("complaints_public:sent", code=decoy)
    files = request.FILES.getlist("attachments")
    form.is_valid()
    data = form.to_input()
    if form.errors:
        for field, errors in validate(data).items():
            if field in form.fields and field not in form.errors:
                for error in errors:
                    form.add_error(field, error)
        context = _form_context(
            form, files_dropped=bool(files), message=_("Periksa kembali isian yang ditandai.")
        )
        return render(request, "complaints/public/form.html", context, status=422)
    try:
        complaint = submit_complaint(data, files=files, client_address=_client(request))
    except RateLimited as exc:
        return _limited(request, exc.message)
    except ApplicationError as exc:
        for field, errors in exc.fields.items():
            target = field if field in form.fields else None
            if field == "ticket_date":
                target = "visit_date"
            for error in errors:
                form.add_error(target, error)
        context = _form_context(form, files_dropped=bool(files), message=exc.message)
        return render(request, "complaints/public/form.html", context, status=exc.status_code)
    _remember_secret(request, complaint)
    _send_confirmation(request, complaint)
    return redirect("complaints_public:sent", code=complaint.tracking_code)


@never_cache
@require_GET
def sent(request: HttpRequest, code: str) -> HttpResponse:
    if code == request.session.get(HONEYPOT_KEY):
        return _private(render(request, "complaints/public/sent.html", {"code": code, "personal_url": ""}))
    # Taken out of the session as it is shown: the next person at a shared phone or warnet PC who opens
    # this address from the history sees the public tracking page, not the personal link.
    pending = dict(request.session.get(SESSION_KEY, {}))
    secret = pending.pop(code, "")
    if secret:
        request.session[SESSION_KEY] = pending
    complaint = Complaint.objects.filter(tracking_code=code).only("pk", *SECRET_FIELDS, "email").first()
    if complaint is None or not complaint.secret_matches(secret):
        # Another device, shown already, or the session is gone: the public tracking page is all that is left.
        return redirect("complaints_public:track", code=code)
    return _private(
        render(
            request,
            "complaints/public/sent.html",
            {
                "code": complaint.tracking_code,
                "personal_url": _personal_url(request, complaint.tracking_code, secret),
                "emailed": bool(complaint.email),
            },
        )
    )


# ---------------------------------------------------------------- tracking


def _progress(c: Complaint) -> list[dict[str, Any]]:
    if c.status == S.REJECTED:
        return [
            {"label": gettext_lazy("Diterima"), "state": "done"},
            {"label": gettext_lazy("Ditolak"), "state": "rejected"},
        ]
    current = STEP_INDEX.get(c.status, 0)
    steps = []
    for index, (_status, label) in enumerate(STEPS):
        state = "done" if index < current else "current" if index == current else "todo"
        if index == current and c.status == S.CLOSED:
            state = "done"
        steps.append({"label": label, "state": state})
    return steps


def _public_events(c: Complaint, *, complainant: bool = False) -> list[dict[str, Any]]:
    rows = []
    for event in c.events.filter(public=True).order_by("at", "id"):
        message = event.message
        if event.action == ComplaintEvent.Action.ANSWERED:
            message = ""  # the answer is shown in full below
        elif event.action == ComplaintEvent.Action.DISPUTED and not complainant:
            message = ""  # the complainant's own words may name them
        rows.append({"at": event.at, "label": event.get_action_display(), "message": message})
    return rows


def _complaint(code: str) -> Complaint | None:
    return (
        Complaint.objects.select_related("point", "service", "kecamatan").filter(tracking_code=code).first()
    )


def _track_context(c: Complaint, *, complainant: bool = False) -> dict[str, Any]:
    deadline = workflow.dispute_deadline(c)
    return {
        "c": c,
        # The citizen's own title only on their own page; everyone else reads category and place.
        "title": c.title if complainant else c.public_title,
        "steps": _progress(c),
        "events": _public_events(c, complainant=complainant),
        "is_open": c.is_open,
        "verify_pending": c.status == S.RECEIVED,
        "dispute_until": deadline,
        "answered_on_time": c.answered_at is not None and workflow.local_date(c.answered_at) <= c.answer_due,
    }


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    form = TrackLookupForm(request.GET)
    raw = request.GET.get("kode", "")
    if not raw.strip():
        return render(request, "complaints/public/track_lookup.html", {"code": ""})
    if not _lookup_allowed(request):
        return _limited(
            request, _("Terlalu banyak pencarian kode dari perangkat ini. Coba lagi 10 menit lagi.")
        )
    form.is_valid()
    code = normalise_tracking_code(raw)
    if not Complaint.objects.filter(tracking_code=code).exists():
        return _not_found(request, code)
    return redirect("complaints_public:track", code=code)


@never_cache
@require_GET
def track(request: HttpRequest, code: str) -> HttpResponse:
    c = _complaint(code)
    if c is None:
        if not _lookup_allowed(request):
            return _limited(
                request, _("Terlalu banyak pencarian kode dari perangkat ini. Coba lagi 10 menit lagi.")
            )
        return _not_found(request, code)
    return _private(render(request, "complaints/public/track.html", _track_context(c)))


@never_cache
@require_http_methods(["GET", "POST"])
def complainant_link(request: HttpRequest, code: str, secret: str) -> HttpResponse:
    """The personal link: remember the proven secret in this browser's session, then drop it from the URL.

    Always a redirect for a right secret (POST from an old page too), so the secret never reaches a 4xx log
    line; a wrong one is the same 404 as an unknown code.
    """
    c = Complaint.objects.filter(tracking_code=code).only("pk", *SECRET_FIELDS).first()
    if c is None or not c.secret_matches(secret):
        if not _lookup_allowed(request):
            return _limited(
                request, _("Terlalu banyak pencarian kode dari perangkat ini. Coba lagi 10 menit lagi.")
            )
        return _not_found(request)  # never confirm that the code exists
    _grant(request, c.tracking_code, secret)
    return _private(redirect("complaints_public:mine", code=c.tracking_code))


@never_cache
@require_http_methods(["GET", "POST"])
def complainant(request: HttpRequest, code: str) -> HttpResponse:
    c = _complaint(code)
    secret = _granted_secret(request, code) if c is not None else ""
    if c is None or not c.secret_matches(secret):
        # No personal link opened in this browser within the hour: the public page is what anyone may see.
        return redirect("complaints_public:track", code=code)
    rating_form = RatingForm(initial={"rating": c.rating, "comment": c.rating_comment})
    dispute_form = DisputeForm()
    status, message = 200, ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rate":
                rating_form = RatingForm(request.POST)
                if not rating_form.is_valid():
                    raise ValidationFailed(_("Periksa kembali penilaian Anda."))
                workflow.rate(
                    c,
                    secret=secret,
                    rating=rating_form.cleaned_data["rating"],
                    comment=rating_form.cleaned_data["comment"],
                )
                messages.success(request, _("Terima kasih, penilaian Anda tersimpan."))
            elif action == "dispute":
                dispute_form = DisputeForm(request.POST)
                if not dispute_form.is_valid():
                    raise ValidationFailed(_("Periksa kembali sanggahan Anda."))
                workflow.dispute(c, secret=secret, reason=dispute_form.cleaned_data["reason"])
                messages.success(request, _("Sanggahan Anda diterima; laporan dibuka kembali."))
            else:
                raise ValidationFailed(_("Permintaan tidak dikenal."))
        except PermissionDeniedError:
            return _not_found(request)
        except ApplicationError as exc:
            target = rating_form if action == "rate" else dispute_form
            for field, errors in exc.fields.items():
                for error in errors:
                    target.add_error(field if field in target.fields else None, error)
            status, message = exc.status_code, exc.message
        else:
            return redirect("complaints_public:mine", code=c.tracking_code)
    answered = c.status in (S.ANSWERED, S.CLOSED) and not c.rejection_reason
    deadline = workflow.dispute_deadline(c)
    context = {
        **_track_context(c, complainant=True),
        "rating_form": rating_form,
        "dispute_form": dispute_form,
        "can_rate": answered,
        "can_dispute": answered and deadline is not None and timezone.now() <= deadline,
        "message": message,
        "stars": [(n, label) for n, label in enumerate(STAR_LABELS, 1)],
        "chosen_rating": str(rating_form["rating"].value() or ""),
    }
    return _private(render(request, "complaints/public/complainant.html", context, status=status))


urlpatterns: list[URLPattern] = [
    path("", landing, name="landing"),
    path("baru/", new, name="new"),
    path("terkirim/<str:code>/", sent, name="sent"),
    path("lacak/", track_lookup, name="track_lookup"),
    path("lacak/<str:code>/", track, name="track"),
    path("lacak/<str:code>/pelapor/<str:secret>/", complainant_link, name="complainant"),
    path("lacak/<str:code>/saya/", complainant, name="mine"),
]
