"""The further-education catalogue for BKPP: partner institutions with their agreements (list; executives
read it too), and the create/edit forms for institutions, agreements and programmes, plus "remove"
(delete when nothing refers to it, else deactivate the institution / close the programme's window).

Writes go through `services_catalogue`; its field errors are shown on the form fields (HTTP 422).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import ApplicationError
from mumpuni.common.forms import add_service_errors
from mumpuni.talent import access, services_catalogue
from mumpuni.talent.forms_catalogue import AgreementForm, InstitutionForm, ProgramForm
from mumpuni.talent.models import Agreement, Application, FurtherEducationProgram, PartnerInstitution


def _require_manager(request: HttpRequest) -> None:
    if not access.can_manage_education(request.user):
        raise PermissionDenied(_("Data pendidikan lanjut dikelola oleh admin BKPP."))


def _save(form: forms.Form, write: Callable[[], Any]) -> Any | None:
    """Run the service; its field errors go onto the form (or as a form error). None when refused."""
    try:
        return write()
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        add_service_errors(form, exc)
        return None


def _form_page(
    request: HttpRequest, form: forms.Form, *, title: str, subtitle: str, back: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "talent/catalogue_form.html",
        {"form": form, "title": title, "subtitle": subtitle, "back": back},
        status=status,
    )


def _form_flow(
    request: HttpRequest,
    form: forms.Form,
    write: Callable[[dict[str, Any]], Any],
    *,
    saved: str,
    done: Callable[[Any], str],
    title: str,
    subtitle: str,
    back: str,
) -> HttpResponse:
    """GET shows the form; a valid POST runs `write(cleaned_data)` and redirects to `done(result)`; otherwise
    the form comes back with its field errors (HTTP 422)."""
    if request.method == "POST" and form.is_valid():
        result = _save(form, lambda: write(form.cleaned_data))
        if result is not None:
            messages.success(request, saved)
            return redirect(done(result))
    status = 422 if request.method == "POST" else 200
    return _form_page(request, form, title=title, subtitle=subtitle, back=back, status=status)


# --- institutions ----------------------------------------------------------------------------------------


@login_required
@require_GET
def institutions(request: HttpRequest) -> HttpResponse:
    if not access.can_read_education_reports(request.user):
        raise PermissionDenied(_("Daftar institusi mitra untuk admin BKPP dan pimpinan."))
    seats = Count(
        "programs__applications", filter=Q(programs__applications__status__in=Application.SEAT_STATUSES)
    )
    agreements = Agreement.objects.annotate(
        program_count=Count("programs", distinct=True), seats=seats
    ).order_by("-ends_on", "number")
    listed = list(
        PartnerInstitution.objects.annotate(program_count=Count("programs")).order_by("-active", "name")
    )
    by_institution: dict[int, list[Agreement]] = {}
    for agreement in agreements:
        by_institution.setdefault(agreement.institution_id, []).append(agreement)
    for institution in listed:
        institution.agreement_list = by_institution.get(institution.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "talent/institutions.html",
        {"institutions": listed, "manager": access.can_manage_education(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    back = reverse("talent:institutions")
    return _form_flow(
        request,
        InstitutionForm(request.POST or None),
        lambda data: services_catalogue.institution_create(actor=request.user, **data),
        saved=_("Institusi mitra tersimpan."),
        done=lambda _created: back,
        title=_("Tambah institusi mitra"),
        subtitle="",
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    institution = get_object_or_404(PartnerInstitution, pk=pk)
    back = reverse("talent:institutions")
    return _form_flow(
        request,
        InstitutionForm(request.POST or None, initial=InstitutionForm.initial_from(institution)),
        lambda data: services_catalogue.institution_update(
            actor=request.user, institution=institution, **data
        ),
        saved=_("Institusi mitra tersimpan."),
        done=lambda _saved: back,
        title=_("Ubah institusi mitra"),
        subtitle=institution.name,
        back=back,
    )


@login_required
@require_POST
def institution_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    institution = get_object_or_404(PartnerInstitution, pk=pk)
    try:
        outcome = services_catalogue.institution_remove(actor=request.user, institution=institution)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("talent:institutions")
    if outcome == "deleted":
        messages.success(request, _("Institusi mitra dihapus."))
    else:
        messages.success(
            request, _("Institusi mitra sudah memiliki perjanjian atau program, jadi dinonaktifkan.")
        )
    return redirect("talent:institutions")


# --- agreements ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    institution = get_object_or_404(PartnerInstitution, pk=pk)
    back = reverse("talent:institutions")
    return _form_flow(
        request,
        AgreementForm(request.POST or None, initial={"quota": 0}),
        lambda data: services_catalogue.agreement_create(actor=request.user, institution=institution, **data),
        saved=_("Perjanjian kerja sama tersimpan."),
        done=lambda _created: back,
        title=_("Tambah perjanjian kerja sama"),
        subtitle=institution.name,
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    agreement = get_object_or_404(Agreement.objects.select_related("institution"), pk=pk)
    back = reverse("talent:institutions")
    return _form_flow(
        request,
        AgreementForm(request.POST or None, initial=AgreementForm.initial_from(agreement)),
        lambda data: services_catalogue.agreement_update(
            actor=request.user, agreement=agreement, institution=agreement.institution, **data
        ),
        saved=_("Perjanjian kerja sama tersimpan."),
        done=lambda _saved: back,
        title=_("Ubah perjanjian kerja sama"),
        subtitle=f"{agreement.number} · {agreement.institution.name}",
        back=back,
    )


@login_required
@require_POST
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    agreement = get_object_or_404(Agreement, pk=pk)
    try:
        services_catalogue.agreement_delete(actor=request.user, agreement=agreement)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Perjanjian kerja sama dihapus."))
    return redirect("talent:institutions")


# --- programmes ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    initial: dict[str, Any] = {"no_ongoing_bond": True}
    if (institution_pk := request.GET.get("institusi", "")).isdigit():
        initial["institution"] = int(institution_pk)
    return _form_flow(
        request,
        ProgramForm(request.POST or None, initial=initial),
        lambda data: services_catalogue.program_create(actor=request.user, **data),
        saved=_("Program tersimpan."),
        done=lambda created: reverse("talent:program", args=[created.pk]),
        title=_("Tambah program pendidikan lanjut"),
        subtitle="",
        back=reverse("talent:programs"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    program = get_object_or_404(FurtherEducationProgram.objects.select_related("institution"), pk=pk)
    back = reverse("talent:program", args=[program.pk])
    return _form_flow(
        request,
        ProgramForm(request.POST or None, initial=ProgramForm.initial_from(program)),
        lambda data: services_catalogue.program_update(actor=request.user, program=program, **data),
        saved=_("Program tersimpan."),
        done=lambda _saved: back,
        title=_("Ubah program pendidikan lanjut"),
        subtitle=f"{program.code} · {program.name}",
        back=back,
    )


@login_required
@require_POST
def program_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    program = get_object_or_404(FurtherEducationProgram, pk=pk)
    try:
        outcome = services_catalogue.program_remove(actor=request.user, program=program)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("talent:program", pk=pk)
    if outcome == "deleted":
        messages.success(request, _("Program dihapus."))
        return redirect("talent:programs")
    messages.success(request, _("Program sudah memiliki lamaran, jadi pendaftarannya ditutup."))
    return redirect("talent:program", pk=pk)


urlpatterns = [
    path("pendidikan/institusi/", institutions, name="institutions"),
    path("pendidikan/institusi/baru/", institution_create, name="institution_create"),
    path("pendidikan/institusi/<int:pk>/ubah/", institution_edit, name="institution_edit"),
    path("pendidikan/institusi/<int:pk>/hapus/", institution_remove, name="institution_remove"),
    path("pendidikan/institusi/<int:pk>/perjanjian/baru/", agreement_create, name="agreement_create"),
    path("pendidikan/perjanjian/<int:pk>/ubah/", agreement_edit, name="agreement_edit"),
    path("pendidikan/perjanjian/<int:pk>/hapus/", agreement_delete, name="agreement_delete"),
    path("pendidikan/program/baru/", program_create, name="program_create"),
    path("pendidikan/program/<int:pk>/ubah/", program_edit, name="program_edit"),
    path("pendidikan/program/<int:pk>/hapus/", program_remove, name="program_remove"),
]
