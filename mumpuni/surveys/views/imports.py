"""Paper SKM import under /ikm/impor/ (namespace surveys): upload -> preview (every row error, or a
summary) -> confirm -> result. All or nothing (surveys/imports.py).

Who: the BKPP admin for any unit, a unit head (camat, kepala dinas) for the units of their subtree; every
other signed-in user gets 403, and a unit outside the user's scope is refused (not in the choice list, and
the service checks again). Between preview and confirm the checked file waits in the user's session
(at most forms.UPLOAD_MAX_BYTES), under a one-time key the confirm form must name; confirming checks the
whole file again, so nothing unchecked is stored.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import ApplicationError
from mumpuni.lib import tabular
from mumpuni.people.models import Unit
from mumpuni.surveys.forms import UPLOAD_MAX_BYTES, ImportForm
from mumpuni.surveys.imports import NOTES, REQUIRED, SkmImportResult, can_import, import_skm, importable_units
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyImport, SurveyResponse

SESSION_KEY = "surveys:skm_import"
RECENT = 10
ERRORS_SHOWN = 500
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TEMPLATE_HEADERS = [*REQUIRED, "usia", "jenis_kelamin", "pendidikan", "pekerjaan", "saran", "tanggal"]
TEMPLATE_EXAMPLE = [
    "4",
    "3",
    "3",
    "4",
    "3",
    "4",
    "4",
    "",
    "3",
    "34",
    "P",
    "SMA",
    "Wirausaha",
    "Antrean lebih cepat",
    "",
]


def importer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) and allowed to import paper surveys (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_import(request.user):
            raise PermissionDenied(_("Hanya admin BKPP dan kepala unit yang dapat mengimpor survei kertas."))
        return view(request, *args, **kwargs)

    return wrapper


def _recent(request: HttpRequest) -> Any:
    units = importable_units(request.user)
    return (
        SurveyImport.objects.filter(unit__in=units)
        .select_related("unit", "created_by")
        .order_by("-created_at")
    )


def _home(request: HttpRequest, form: ImportForm, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "form": form,
        "recent": _recent(request)[:RECENT],
        "max_mb": UPLOAD_MAX_BYTES // 1_048_576,
        "columns": TEMPLATE_HEADERS,
        **extra,
    }
    return render(request, "surveys/imports/home.html", context, status=status)


def _summary(result: SkmImportResult) -> dict[str, Any]:
    return {
        "rows": result.total_rows,
        "dates": sorted(result.dates.items()),
        "answered": [(f.upper(), result.answered.get(f, 0)) for f in UNSUR_FIELDS],
        "with_profile": result.with_profile,
        "with_suggestion": result.with_suggestion,
    }


@importer_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _home(request, ImportForm(user=request.user, initial={"default_date": timezone.localdate()}))
    form = ImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _home(request, form, status=422)
    unit: Unit = form.cleaned_data["unit"]
    default_date: dt.date = form.cleaned_data["default_date"]
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        result = import_skm(content, upload.name, unit, default_date, request.user, dry_run=True)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _home(request, form, status=exc.status_code)
    context: dict[str, Any] = {
        "unit": unit,
        "default_date": default_date,
        "file_name": upload.name,
        "result": result,
        "errors": result.errors[:ERRORS_SHOWN],
        "errors_hidden": max(0, len(result.errors) - ERRORS_SHOWN),
        "summary": _summary(result),
    }
    if not result.ok:
        request.session.pop(SESSION_KEY, None)
        return render(request, "surveys/imports/preview.html", context, status=422)
    key = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "key": key,
        "unit": unit.pk,
        "date": default_date.isoformat(),
        "file_name": upload.name,
        "content": base64.b64encode(content).decode("ascii"),
    }
    return render(request, "surveys/imports/preview.html", {**context, "key": key})


@importer_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    if not pending or not secrets.compare_digest(str(pending.get("key")), request.POST.get("key", "")):
        messages.error(request, _("Pratinjau ini sudah tidak berlaku; unggah berkasnya lagi."))
        return redirect("surveys:import")
    unit = Unit.objects.filter(pk=pending["unit"]).first()
    if unit is None:
        request.session.pop(SESSION_KEY, None)
        raise Http404(_("Unit tidak ditemukan."))
    try:
        result = import_skm(
            base64.b64decode(pending["content"]),
            pending["file_name"],
            unit,
            dt.date.fromisoformat(pending["date"]),
            request.user,
        )
    except ApplicationError as exc:
        request.session.pop(SESSION_KEY, None)
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("surveys:import")
    request.session.pop(SESSION_KEY, None)
    if not result.ok or result.batch is None:
        messages.error(
            request,
            _("Impor dibatalkan: %(n)s kesalahan; tidak ada data yang disimpan. Unggah berkasnya lagi.")
            % {"n": len(result.errors)},
        )
        return redirect("surveys:import")
    messages.success(
        request,
        _("%(n)s jawaban survei kertas untuk %(unit)s tersimpan.") % {"n": result.created, "unit": unit.name},
    )
    return redirect("surveys:import_batch", pk=result.batch.pk)


@importer_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(_recent(request), pk=pk)
    responses = SurveyResponse.objects.filter(import_batch=batch)
    dates = responses.order_by("service_date").values_list("service_date", flat=True).distinct()
    context = {"batch": batch, "count": responses.count(), "dates": list(dates)}
    return render(request, "surveys/imports/batch.html", context)


@login_required
@require_GET
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in tabular.FORMATS:
        raise Http404(_("Format harus xlsx atau csv."))
    if fmt == "csv":
        content = tabular.write_csv(TEMPLATE_HEADERS, [TEMPLATE_EXAMPLE])
    else:
        content = tabular.write_xlsx(TEMPLATE_HEADERS, [TEMPLATE_EXAMPLE], sheet_title="SKM", notes=NOTES)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="templat-skm-kertas.{fmt}"'
    return response


urlpatterns = [
    path("impor/", home, name="import"),
    path("impor/simpan/", confirm, name="import_confirm"),
    path("impor/<int:pk>/", batch_detail, name="import_batch"),
    path("impor/templat.<slug:fmt>", template_download, name="import_template"),
]
