"""Import and export pages under /impor/ (namespace "imports").

Import: choose kind + upload -> a job checked in the background -> preview with every row error ->
confirm -> progress bar (HTMX polling) -> result. Only users whose scope can import (BKPP admin) get
here; everyone else gets 403. Exports and templates are open to every signed-in user, and each export
holds only what the user's scope shows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from mumpuni.common.errors import ApplicationError
from mumpuni.lib import tabular
from mumpuni.people import exports, imports, selectors
from mumpuni.people.forms import EmployeeFilterForm
from mumpuni.people.models import ImportJob, Position, Unit
from mumpuni.people.scopes import scope_for

app_name = "imports"

ERRORS_PER_PAGE = 100
RECENT_JOBS = 10
# An XLSX file is built in memory; beyond this many rows it costs the server too much (and Excel users a
# long wait). CSV streams row by row and has no cap.
XLSX_MAX_ROWS = 100_000
RUNNING = {ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING}


def importer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) and allowed to import (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_for(request.user).can_import:
            raise PermissionDenied(_("Hanya admin BKPP yang dapat mengimpor data."))
        return view(request, *args, **kwargs)

    return wrapper


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis data"), choices=ImportJob.Kind.choices)
    file = forms.FileField(
        label=gettext_lazy("Berkas"),
        help_text=gettext_lazy("XLSX atau CSV (UTF-8, pemisah ';' atau ','), baris 1 berisi nama kolom."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.MUMPUNI_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size).1f MB); batasnya %(limit).0f MB.")
                % {"size": upload.size / 1_048_576, "limit": limit / 1_048_576}
            )
        head = upload.read(8)
        upload.seek(0)
        try:
            tabular.detect_format(upload.name, head)
        except tabular.TabularError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


def _page_range(page: Any) -> list[Any]:
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(imports.recent_jobs(actor=request.user), pk=pk)


# --- import pages ------------------------------------------------------------------------------------


@importer_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _render_home(
        request, UploadForm(initial={"kind": request.GET.get("kind", ImportJob.Kind.EMPLOYEES)})
    )


def _render_home(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "jobs": imports.recent_jobs(actor=request.user)[:RECENT_JOBS],
        "specs": list(imports.SPECS.values()),
        "max_mb": settings.MUMPUNI_IMPORT_MAX_BYTES // 1_048_576,
    }
    return render(request, "people/imports/home.html", context, status=status)


@importer_required
def upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("imports:home")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_home(request, form, status=400)
    upload_file = form.cleaned_data["file"]
    try:
        job = imports.import_job_create(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            file_name=upload_file.name,
            content=upload_file.read(),
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _render_home(request, form, status=400)
    return redirect("imports:job", pk=job.pk)


@importer_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(imports.recent_jobs(actor=request.user), 25).get_page(request.GET.get("page"))
    context = {"page": page, "jobs": page.object_list, "page_range": _page_range(page)}
    return render(request, "people/imports/jobs.html", context)


@importer_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    errors = Paginator(job.errors or [], ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    summary = job.summary or {}
    context = {
        "job": job,
        "spec": imports.SPECS[job.kind],
        "errors": errors,
        "page_range": _page_range(errors),
        "error_count": len(job.errors or []),
        "error_rows": len({e["row"] for e in job.errors or []}),
        "preview": summary.get("preview", []),
        "columns": summary.get("columns", imports.SPECS[job.kind].columns),
        "summary": summary,
        "running": job.status in RUNNING,
    }
    return render(request, "people/imports/job.html", context)


@importer_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled part of a running job; once it has finished the whole page reloads to show the result."""
    job = _job_or_404(request, pk)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("imports:job", pk=job.pk)
    if job.status not in RUNNING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "people/imports/_progress.html", {"job": job, "running": True})


@importer_required
@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    try:
        imports.import_job_confirm(actor=request.user, job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("imports:job", pk=job.pk)


@importer_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Coba lagi" on a FAILED job: check the same file again from the start."""
    job = _job_or_404(request, pk)
    try:
        imports.import_job_retry(actor=request.user, job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("imports:job", pk=job.pk)


@importer_required
@require_GET
def job_errors_csv(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    rows = ([e["row"] or "", e["column"], e["message"]] for e in job.errors or [])
    response = HttpResponse(
        tabular.write_csv(["baris", "kolom", "pesan"], rows), content_type=exports.CONTENT_TYPES["csv"]
    )
    response["Content-Disposition"] = f'attachment; filename="kesalahan-impor-{job.pk}.csv"'
    return response


# --- templates and exports -------------------------------------------------------------------------------


def _format(request: HttpRequest, value: str | None = None) -> str:
    fmt = (value or request.GET.get("format") or "xlsx").lower()
    if fmt not in tabular.FORMATS:
        raise Http404(_("Format harus xlsx atau csv."))
    return fmt


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str, format: str) -> HttpResponse:
    if kind not in imports.SPECS:
        raise Http404(_("Jenis templat tidak dikenal."))
    fmt = _format(request, format)
    response = HttpResponse(exports.template_file(kind, fmt), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(kind, fmt, template=True)}"'
    return response


def _export(request: HttpRequest, kind: str, queryset: Any) -> HttpResponse:
    fmt = _format(request)
    name = exports.file_name(kind, fmt)
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.export_csv(kind, exports.ROWS[kind](queryset)), content_type=exports.CONTENT_TYPES["csv"]
        )
    else:
        count = queryset.count()
        if count > XLSX_MAX_ROWS:
            message = _(
                "Daftar ini berisi %(count)s baris, lebih dari batas %(limit)s baris untuk berkas XLSX. "
                "Unduh sebagai CSV (tanpa batas) atau saring daftarnya dulu."
            ) % {"count": f"{count:,}".replace(",", "."), "limit": f"{XLSX_MAX_ROWS:,}".replace(",", ".")}
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        response = HttpResponse(
            exports.export_xlsx(kind, exports.ROWS[kind](queryset)),
            content_type=exports.CONTENT_TYPES["xlsx"],
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response  # type: ignore[return-value]


@login_required
@require_GET
def export_employees(request: HttpRequest) -> HttpResponse:
    form = EmployeeFilterForm(request.GET, user=request.user)
    return _export(request, imports.EMPLOYEES, form.queryset())


@login_required
@require_GET
def export_units(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    queryset = selectors.unit_list(
        user=request.user,
        search=request.GET.get("q", "").strip()[:100],
        kind=kind if kind in Unit.Kind.values else "",
    )
    return _export(request, imports.UNITS, queryset)


@login_required
@require_GET
def export_positions(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    unit_code = request.GET.get("unit", "").strip()
    unit = selectors.unit_get(user=request.user, code=unit_code) if unit_code else None
    queryset = selectors.position_list(
        user=request.user,
        search=request.GET.get("q", "").strip()[:100],
        unit=unit,
        kind=kind if kind in Position.Kind.values else "",
    )
    return _export(request, imports.POSITIONS, queryset)


urlpatterns = [
    path("", home, name="home"),
    path("unggah/", upload, name="upload"),
    path("riwayat/", job_list, name="jobs"),
    path("<int:pk>/", job_detail, name="job"),
    path("<int:pk>/progres/", job_progress, name="progress"),
    path("<int:pk>/terapkan/", job_confirm, name="confirm"),
    path("<int:pk>/coba-lagi/", job_retry, name="retry"),
    path("<int:pk>/kesalahan.csv", job_errors_csv, name="errors"),
    path("templat/<slug:kind>.<slug:format>", template_download, name="template"),
    path("ekspor/pegawai/", export_employees, name="export_employees"),
    path("ekspor/unit/", export_units, name="export_units"),
    path("ekspor/jabatan/", export_positions, name="export_positions"),
]
