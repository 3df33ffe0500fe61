"""Pages under /laporan/: the archive (scoped, filtered), the request form, one job with its progress card
(HTMX polls it every second while the worker runs; the page reloads once the job is finished) and the
downloads. Thin: reads in reports.selectors, writes in reports.services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import ApplicationError
from mumpuni.reports import access, selectors, services
from mumpuni.reports.forms import ArchiveFilterForm, ReportRequestForm
from mumpuni.reports.models import ReportJob

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_reader(request: HttpRequest) -> None:
    if not access.can_read(request.user):
        raise PermissionDenied(_("Laporan resmi hanya untuk BKPP, pimpinan dan kepala unit."))


@login_required
@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    services.fail_stale_jobs()
    form = ArchiveFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.archive(
        request.user,
        kind=filters.get("kind") or "",
        year=filters.get("year"),
        quarter=int(filters["quarter"]) if filters.get("quarter") else None,
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/archive.html",
        {
            "form": form,
            "page": page,
            "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "can_request": access.can_request(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    if not access.can_request(request.user):
        raise PermissionDenied(_("Hanya admin BKPP dan kepala unit yang dapat meminta laporan resmi."))
    initial = {k: request.GET[k] for k in ("kind", "year", "quarter", "unit", "point") if request.GET.get(k)}
    form = ReportRequestForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.request_report(
                actor=request.user,
                kind=data["kind"],
                year=data["year"],
                quarter=data.get("quarter"),
                unit=data.get("unit"),
                point=data.get("point"),
            )
        except ApplicationError as exc:
            form.add_service_errors(exc.fields, exc.message)
        else:
            return redirect("reports:job", pk=job.pk)
    return render(request, "reports/request.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    services.fail_stale_jobs()
    job = selectors.job_for(request.user, pk)
    return render(
        request,
        "reports/job.html",
        {
            "job": job,
            "can_request": access.can_request(request.user) and access.can_cover_unit(request.user, job.unit),
        },
    )


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress card (HTMX polls it while the job is queued or running)."""
    _require_reader(request)
    job = selectors.job_for(request.user, pk)
    response = render(request, "reports/_progress.html", {"job": job})
    if job.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # reload once: the download links are ready
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    _require_reader(request)
    job = selectors.job_for(request.user, pk)
    if fmt not in CONTENT_TYPES or job.status != ReportJob.Status.DONE:
        raise Http404(_("Berkas laporan tidak ditemukan."))
    field = job.pdf if fmt == "pdf" else job.xlsx
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("Berkas laporan tidak ditemukan.")) from exc
    name = field.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])


@login_required
@require_POST
def request_again(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(request.user, pk) if access.can_read(request.user) else None
    if job is None:
        raise Http404
    try:
        new = services.request_again(actor=request.user, job=job)
    except ApplicationError as exc:
        raise PermissionDenied(exc.message) from exc
    return redirect("reports:job", pk=new.pk)
