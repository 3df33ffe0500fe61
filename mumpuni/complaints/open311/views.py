"""Open311 GeoReport v2 endpoints (http://wiki.open311.org/GeoReport_v2) and the service discovery file.

Every endpoint answers in the format its path ends with (`.json` or `.xml`), errors included:
400 bad input, 403 bad key, 404 unknown service, request, token or jurisdiction, 405 wrong method.
The POST is CSRF-exempt: partners authenticate with `api_key` in the form body (never the query string, which
lands in access logs and browser histories), with a partner key only, and at most a set number per hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from mumpuni.complaints.models import Complaint, Open311Submission
from mumpuni.complaints.open311 import catalogue, render, selectors, services

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this implementation of the spec last changed (discovery's `changeset`).
CHANGESET = "2026-11-28T00:00:00+07:00"
MAX_IDS = selectors.MAX_ROWS


def jurisdiction_id() -> str:
    return str(getattr(settings, "MUMPUNI_OPEN311_JURISDICTION_ID", "semarangkota.go.id"))


def endpoint(*methods: str, check_jurisdiction: bool = True) -> Callable[..., Any]:
    """Answer a wrong method with 405 (and Allow) and a foreign jurisdiction_id with 404, in the spec's format."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                response = render.errors(
                    fmt, 405, [_("Metode %(method)s tidak didukung di sini.") % {"method": request.method}]
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            given = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
            if check_jurisdiction and given and given != jurisdiction_id():
                return render.errors(
                    fmt,
                    404,
                    [
                        _("jurisdiction_id %(given)s tidak dilayani di sini; gunakan %(ours)s.")
                        % {"given": given, "ours": jurisdiction_id()}
                    ],
                )
            return view(request, *args, fmt=fmt, **kwargs)

        return wrapper

    return decorate


# --- discovery -------------------------------------------------------------------------------------------


def _discovery(request: HttpRequest) -> dict[str, Any]:
    city = settings.MUMPUNI_CITY_NAME
    return {
        "changeset": CHANGESET,
        "contact": _("Petugas pengaduan %(city)s melalui BKPP (Badan Kepegawaian, Pendidikan dan Pelatihan).")
        % {"city": city},
        "key_service": _(
            "Kunci API untuk membuat laporan diberikan oleh admin BKPP "
            "(manage.py create_api_key NAMA --role partner --unit KODE)."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri(reverse("open311:root")),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


@endpoint("GET", check_jurisdiction=False)
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    return render.respond(fmt, "discovery", _discovery(request))


def root(request: HttpRequest) -> HttpResponse:
    """/open311/v2/ itself: the discovery document, so a client pointed at the base finds its way."""
    return discovery(request, fmt=render.JSON)


def not_found(request: HttpRequest, fmt: str = render.JSON) -> HttpResponse:
    fmt = render.XML if request.path.endswith(".xml") else fmt
    return render.errors(fmt, 404, [_("Alamat tidak dikenal; lihat %(url)s.") % {"url": SPECIFICATION}])


# --- services ----------------------------------------------------------------------------------------------


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return render.respond(fmt, "services", catalogue.service_list())


@endpoint("GET")
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    spec = catalogue.SERVICES.get(service_code)
    if spec is None:
        return render.errors(
            fmt, 404, [_("Layanan %(code)s tidak dikenal; lihat services.") % {"code": service_code}]
        )
    return render.respond(fmt, "service_definition", spec.definition())


# --- requests ----------------------------------------------------------------------------------------------


@csrf_exempt
@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return _search(request, fmt)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        if "api_key" in request.GET:
            raise services.Open311Refusal(
                400, [_("api_key: kirim di badan permintaan (POST), bukan di alamat (query string).")]
            )
        api_key = services.api_key_from(request.POST.get("api_key") or "")
        payload = services.parse_request(request.POST)
        submission = services.submission_create(api_key=api_key, payload=payload)
    except services.Open311Refusal as refusal:
        return render.errors(fmt, refusal.status, refusal.descriptions)
    # With no broker the task has already run (eagerly, on commit): answer with the id straight away.
    submission.refresh_from_db()
    if submission.status == Open311Submission.Status.FAILED:
        return render.errors(fmt, 400, [submission.error])
    item: dict[str, Any] = {"token": submission.token}
    if submission.complaint_id is not None:
        item["service_request_id"] = submission.complaint.tracking_code if submission.complaint else None
    item["service_notice"] = selectors.service_notice()
    return render.respond(fmt, "service_requests", [item])


def _moment(raw: str, *, end: bool) -> dt.datetime | None:
    """ISO 8601 date-time (zone optional, WIB assumed) or a bare date (its start, or its end for end_date)."""
    day = parse_date(raw) if len(raw) == 10 else None
    if day is not None:
        moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time())
        moment = timezone.make_aware(moment)
        return moment - dt.timedelta(microseconds=1) if end else moment
    parsed = parse_datetime(raw.replace(" ", "+"))  # a '+' in a query string arrives as a space
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    problems: list[str] = []
    raw_ids = (params.get("service_request_id") or "").strip()
    ids = [part.strip().upper() for part in raw_ids.split(",") if part.strip()] if raw_ids else None
    if ids is not None and len(ids) > MAX_IDS:
        problems.append(_("service_request_id: paling banyak %(n)s kode.") % {"n": MAX_IDS})

    codes = [part.strip() for part in (params.get("service_code") or "").split(",") if part.strip()]
    unknown = [code for code in codes if code not in catalogue.SERVICES]
    if unknown:
        problems.append(_("service_code: tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)})

    statuses = [part.strip().lower() for part in (params.get("status") or "").split(",") if part.strip()]
    if any(status not in {"open", "closed"} for status in statuses):
        problems.append(_("status: gunakan open atau closed."))

    start = end = None
    for name in ("start_date", "end_date"):
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        try:
            moment = _moment(raw, end=name == "end_date")
        except ValueError:
            moment = None
        if moment is None:
            problems.append(
                _("%(name)s: waktu tidak valid; gunakan ISO 8601, mis. 2026-11-01T00:00:00+07:00.")
                % {"name": name}
            )
        elif name == "start_date":
            start = moment
        else:
            end = moment
    if start is None and end is None:
        end = timezone.now()
        start = end - selectors.DEFAULT_WINDOW
    elif end is None:
        assert start is not None
        end = start + selectors.DEFAULT_WINDOW
    elif start is None:
        start = end - selectors.DEFAULT_WINDOW
    if start > end:
        problems.append(_("start_date harus sebelum end_date."))
    elif end - start > selectors.DEFAULT_WINDOW + dt.timedelta(days=1):
        problems.append(_("Rentang start_date sampai end_date paling lama 90 hari."))
    if problems:
        return render.errors(fmt, 400, problems)

    if ids is not None:  # a client looking up its own new request finds it whatever its status
        rows = selectors.search_requests(ids=ids)
    else:
        rows = selectors.search_requests(categories=codes, statuses=statuses, start=start, end=end)
    notice = selectors.service_notice()
    return render.respond(
        fmt, "service_requests", [selectors.as_service_request(row, notice) for row in rows]
    )


@endpoint("GET")
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    row = selectors.public_requests().filter(tracking_code=service_request_id.upper()).first()
    if row is None:
        return render.errors(fmt, 404, [_("Laporan %(id)s tidak ditemukan.") % {"id": service_request_id}])
    return render.respond(
        fmt, "service_requests", [selectors.as_service_request(row, selectors.service_notice())]
    )


@endpoint("GET")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    submission = (
        Open311Submission.objects.filter(token=token)
        .select_related("complaint")
        .only("token", "status", "error", "complaint__tracking_code")
        .first()
    )
    if submission is None:
        return render.errors(fmt, 404, [_("Token %(token)s tidak dikenal.") % {"token": token}])
    if submission.status == Open311Submission.Status.FAILED:
        return render.errors(
            fmt, 404, [_("Laporan dengan token ini tidak dibuat: %(error)s") % {"error": submission.error}]
        )
    complaint: Complaint | None = submission.complaint
    return render.respond(
        fmt,
        "service_requests",
        [{"service_request_id": complaint.tracking_code if complaint else None, "token": submission.token}],
    )
