"""Further-education pages: programmes (with my eligibility and the apply form), the ranked shortlist (BKPP),
one application (documents, steps, history), the list of applications in view, and the report per
partner institution (page and XLSX).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mumpuni.common.errors import ApplicationError, NotFoundError
from mumpuni.common.forms import add_service_errors
from mumpuni.lib.tabular import write_xlsx
from mumpuni.people.models import Employee
from mumpuni.people.scopes import scope_for
from mumpuni.talent import access, selectors, services
from mumpuni.talent.forms import ApplyForm, DocumentForm, StepForm
from mumpuni.talent.models import Application, ApplicationDocument, FurtherEducationProgram

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own(request: HttpRequest) -> Employee | None:
    own = scope_for(request.user).own_employee_id
    return Employee.objects.select_related("unit").get(pk=own) if own else None


@login_required
@require_GET
def programs(request: HttpRequest) -> HttpResponse:
    manager = access.can_manage_education(request.user)
    if not (
        manager or scope_for(request.user).own_employee_id or access.can_read_education_reports(request.user)
    ):
        raise PermissionDenied(_("Halaman ini untuk pegawai."))
    today = timezone.localdate()
    listed = (
        selectors.programs_all()
        if access.can_read_education_reports(request.user)
        else selectors.programs_open(today)
    )
    own = _own(request)
    mine = {a.program_id: a for a in Application.objects.filter(employee=own)} if own else {}
    return render(
        request,
        "talent/programs.html",
        {
            "programs": listed,
            "today": today,
            "applied": mine,
            "manager": manager,
            "p_report": access.can_read_education_reports(request.user),
        },
    )


def _program_or_404(request: HttpRequest, pk: int) -> FurtherEducationProgram:
    program = get_object_or_404(
        FurtherEducationProgram.objects.select_related("institution", "agreement"), pk=pk
    )
    today = timezone.localdate()
    if not (
        access.can_read_education_reports(request.user)
        or program.is_open(today)
        or _has_applied(request, program)
    ):
        raise Http404(_("Program tidak ditemukan."))
    return program


def _has_applied(request: HttpRequest, program: FurtherEducationProgram) -> bool:
    own = scope_for(request.user).own_employee_id
    return bool(own) and Application.objects.filter(program=program, employee_id=own).exists()


def _render_program(
    request: HttpRequest,
    program: FurtherEducationProgram,
    form: ApplyForm | None = None,
    status: int = 200,
    errors: list[str] | None = None,
) -> HttpResponse:
    own = _own(request)
    verdict = selectors.eligibility_for(own, program) if own else None
    application = Application.objects.filter(program=program, employee=own).first() if own else None
    manager = access.can_manage_education(request.user)
    return render(
        request,
        "talent/program.html",
        {
            "program": program,
            "verdict": verdict,
            "application": application,
            "form": form or ApplyForm(),
            "is_open": program.is_open(timezone.localdate()),
            "manager": manager,
            "applications": program.applications.select_related("employee__unit").order_by(
                "status", "created_at"
            )
            if manager
            else [],
            "apply_errors": errors or [],
        },
        status=status,
    )


@login_required
@require_GET
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_program(request, _program_or_404(request, pk))


@login_required
@require_POST
def program_apply(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program_or_404(request, pk)
    own = _own(request)
    if own is None:
        raise PermissionDenied(_("Akun Anda tidak terhubung dengan data pegawai."))
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return _render_program(request, program, form, 422)
    try:
        application = services.application_submit(
            actor=request.user, program=program, employee=own, motivation=form.cleaned_data["motivation"]
        )
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        errors = [m for msgs in exc.fields.values() for m in msgs] or [exc.message]
        return _render_program(request, program, form, 422, [exc.message, *errors])
    messages.success(request, _("Lamaran terkirim. Unggah dokumen persyaratan dalam format PDF."))
    return redirect("talent:application", pk=application.pk)


@login_required
@require_GET
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_manage_education(request.user):
        raise PermissionDenied(_("Daftar pendek disusun oleh admin BKPP."))
    program = get_object_or_404(FurtherEducationProgram.objects.select_related("institution"), pk=pk)
    include = request.GET.get("semua") == "1"
    candidates = selectors.shortlist(program, include_non_applicants=include)
    return render(
        request, "talent/shortlist.html", {"program": program, "candidates": candidates, "include": include}
    )


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    try:
        return services.application_for_user(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _render_application(
    request: HttpRequest,
    application: Application,
    *,
    doc_form: DocumentForm | None = None,
    step_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    steps = [(s, services.STEP_LABELS[s]) for s in services.STEPS if services.can_step(user, application, s)]
    scope = scope_for(user)
    can_upload = (
        scope.own_employee_id == application.employee_id or scope.city_manager
    ) and application.status in ("applied", "verified", "selected")
    bond = getattr(application, "bond", None) if application.status == "graduated" else None
    return render(
        request,
        "talent/application.html",
        {
            "application": application,
            "documents": application.documents.order_by("uploaded_at"),
            "events": application.events.all(),
            "steps": steps,
            "step_form": StepForm(),
            "doc_form": doc_form or DocumentForm(),
            "can_upload": can_upload,
            "bond": bond,
            "step_errors": step_errors or [],
            "flow": [(s.value, s.label) for s in Application.Status][:5],
        },
        status=status,
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_application(request, _application_or_404(request, pk))


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_application(request, application, doc_form=form, status=422)
    try:
        services.document_add(
            actor=request.user,
            application=application,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        add_service_errors(form, exc)
        return _render_application(request, application, doc_form=form, status=exc.status_code)
    messages.success(request, _("Dokumen terunggah."))
    return redirect("talent:application", pk=application.pk)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A document of an application the user may see (404 otherwise), always as a PDF attachment."""
    application = _application_or_404(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type="application/pdf",
    )


@login_required
@require_POST
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    application = _application_or_404(request, pk)
    if step not in services.STEPS:
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        return _render_application(request, application, status=422, step_errors=[_("Isian tidak valid.")])
    try:
        services.application_step(
            actor=request.user,
            application=application,
            step=step,
            comment=form.cleaned_data["comment"],
            on=form.cleaned_data["on"],
        )
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        errors = [exc.message, *[m for msgs in exc.fields.values() for m in msgs]]
        return _render_application(request, application, step_errors=errors, status=exc.status_code)
    messages.success(request, _("Status lamaran diperbarui."))
    return redirect("talent:application", pk=application.pk)


@login_required
@require_GET
def applications(request: HttpRequest) -> HttpResponse:
    qs = selectors.applications_in_view(request.user)
    status = request.GET.get("status", "")
    if status in Application.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "talent/applications.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "status": status,
            "statuses": Application.Status.choices,
        },
    )


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    if not access.can_read_education_reports(request.user):
        raise PermissionDenied(_("Laporan pendidikan lanjut untuk admin BKPP dan pimpinan."))
    rows = selectors.institution_report()
    if request.GET.get("format") == "xlsx":
        return _report_xlsx(rows)
    totals: dict[str, Any] = {
        k: sum(r[k] for r in rows)
        for k in ("programs", "applicants", "selected", "enrolled", "graduated", "bonds")
    }
    return render(
        request, "talent/report.html", {"rows": rows, "totals": totals, "today": timezone.localdate()}
    )


def _report_xlsx(rows: list[dict[str, Any]]) -> HttpResponse:
    headers = [
        "institusi",
        "kota",
        "jenis",
        "program",
        "pelamar",
        "terpilih",
        "sedang_studi",
        "lulus",
        "ikatan_dinas_berjalan",
    ]
    data = write_xlsx(
        headers,
        (
            [
                r["institution"].name,
                r["institution"].city,
                r["institution"].get_kind_display(),
                r["programs"],
                r["applicants"],
                r["selected"],
                r["enrolled"],
                r["graduated"],
                r["bonds"],
            ]
            for r in rows
        ),
        sheet_title="Pendidikan lanjut",
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="pendidikan-lanjut-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


urlpatterns = [
    path("pendidikan/", programs, name="programs"),
    path("pendidikan/program/<int:pk>/", program_detail, name="program"),
    path("pendidikan/program/<int:pk>/lamar/", program_apply, name="apply"),
    path("pendidikan/program/<int:pk>/daftar-pendek/", shortlist, name="shortlist"),
    path("pendidikan/lamaran/", applications, name="applications"),
    path("pendidikan/lamaran/<int:pk>/", application_detail, name="application"),
    path("pendidikan/lamaran/<int:pk>/dokumen/", document_upload, name="document_upload"),
    path(
        "pendidikan/lamaran/<int:pk>/dokumen/<int:document_pk>/", document_download, name="document_download"
    ),
    path("pendidikan/lamaran/<int:pk>/<slug:step>/", application_step, name="step"),
    path("pendidikan/laporan/", report, name="report"),
]
