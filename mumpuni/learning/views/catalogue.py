"""Catalogue pages: the programme list (learning:home, for everyone signed in), programme and class
detail, BKPP's programme/class forms and status changes, and a trainer's own classes.

Thin views: reads through learning.selectors, writes through learning.services; a service refusal becomes
form errors (422 on the page) or a 403 page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import ApplicationError, PermissionDeniedError, ValidationFailed
from mumpuni.learning.forms_catalogue import (
    ClassFilterForm,
    ClassForm,
    ClassStatusForm,
    ProgramFilterForm,
    ProgramForm,
)
from mumpuni.learning.forms_enrollment import NominateForm, RequestForm, nominable_employees
from mumpuni.learning.models import Enrollment, Program, TrainingClass
from mumpuni.learning.selectors import catalogue as selectors
from mumpuni.learning.selectors.enrollment import approval_queue
from mumpuni.learning.services import catalogue as services
from mumpuni.learning.services.enrollment import can_cancel
from mumpuni.people.scopes import scope_for
from mumpuni.people.views.staff_forms import apply_service_errors


def _require_bkpp(request: HttpRequest) -> None:
    if not scope_for(request.user).city_manager:
        raise PermissionDenied(_("Hanya admin BKPP yang dapat mengubah katalog pelatihan."))


def _program_or_404(request: HttpRequest, pk: int) -> Program:
    try:
        return selectors.program_get(user=request.user, pk=pk)
    except Program.DoesNotExist as exc:
        raise Http404 from exc


def _class_or_404(request: HttpRequest, pk: int) -> TrainingClass:
    try:
        return selectors.class_get(user=request.user, pk=pk)
    except TrainingClass.DoesNotExist as exc:
        raise Http404 from exc


# --- programmes ------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    form = ProgramFilterForm(request.GET)
    programs = selectors.program_list(
        user=request.user, include_inactive=scope.city_manager, **form.filters()
    )
    page = Paginator(programs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filter_query": query.urlencode(),
        "is_bkpp": scope.city_manager,
        "queue_count": approval_queue(user=request.user).count(),
        "trainer_count": selectors.trainer_classes(user=request.user).count(),
        "upcoming": selectors.class_list(user=request.user, status=TrainingClass.Status.OPEN)
        .filter(starts_on__gte=timezone.localdate())
        .order_by("starts_on")[:6],
    }
    return render(request, "learning/catalogue/home.html", context)


@login_required
@require_GET
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program_or_404(request, pk)
    if not program.active and not scope_for(request.user).city_manager:
        raise Http404
    classes = selectors.class_list(user=request.user, program=program.pk)
    return render(
        request,
        "learning/catalogue/program_detail.html",
        {
            "program": program,
            "classes": classes,
            "is_bkpp": scope_for(request.user).city_manager,
            "today": timezone.localdate(),
        },
    )


def _program_form_view(request: HttpRequest, program: Program | None) -> HttpResponse:
    _require_bkpp(request)
    if request.method == "POST":
        form = ProgramForm(request.POST, program=program)
        if form.is_valid():
            kwargs = form.service_kwargs()
            try:
                if program is None:
                    program = services.program_create(actor=request.user, **kwargs)
                    messages.success(request, _("Program %(code)s dibuat.") % {"code": program.code})
                else:
                    program = services.program_update(actor=request.user, program=program, **kwargs)
                    messages.success(request, _("Program %(code)s disimpan.") % {"code": program.code})
                return redirect("learning:program_detail", pk=program.pk)
            except ValidationFailed as exc:
                apply_service_errors(form, exc, {"competencies": "uplifts"})
        status = 422
    else:
        form = ProgramForm(program=program)
        status = 200
    return render(
        request, "learning/catalogue/program_form.html", {"form": form, "program": program}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    return _program_form_view(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_bkpp(request)
    return _program_form_view(request, _program_or_404(request, pk))


# --- classes ---------------------------------------------------------------------------------------


@login_required
@require_GET
def class_list(request: HttpRequest) -> HttpResponse:
    form = ClassFilterForm(request.GET)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    classes = selectors.class_list(
        user=request.user,
        q=filters.get("q") or "",
        status=filters.get("status") or "",
        year=filters.get("year"),
    )
    page = Paginator(classes, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/catalogue/class_list.html",
        {
            "form": form,
            "page": page,
            "filter_query": query.urlencode(),
            "is_bkpp": scope_for(request.user).city_manager,
        },
    )


@login_required
@require_GET
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = _class_or_404(request, pk)
    scope = scope_for(request.user)
    own = None
    if scope.own_employee_id:
        own = Enrollment.objects.filter(
            training_class=training_class, employee_id=scope.own_employee_id
        ).first()
    can_request = (
        scope.own_employee_id is not None
        and training_class.status == TrainingClass.Status.OPEN
        and (own is None or own.status in (Enrollment.Status.CANCELLED, Enrollment.Status.REJECTED))
    )
    can_nominate = (
        training_class.status == TrainingClass.Status.OPEN and nominable_employees(request.user).exists()
    )
    context = {
        "klass": training_class,
        "program": training_class.program,
        "sessions": list(training_class.sessions.all()),
        "trainers": list(training_class.trainers.select_related("employee")),
        "groups": selectors.class_participants(user=request.user, training_class=training_class),
        "sees_all": selectors.can_see_participants(request.user, training_class),
        "is_bkpp": scope.city_manager,
        "own": own,
        "own_can_cancel": own is not None
        and own.status in Enrollment.ACTIVE_STATUSES
        and can_cancel(request.user, own),
        "can_request": can_request,
        "can_nominate": can_nominate,
        "request_form": RequestForm(),
        "nominate_form": NominateForm(user=request.user) if can_nominate else None,
        "next_statuses": [
            (value, label)
            for value, label in TrainingClass.Status.choices
            if value in services.CLASS_TRANSITIONS[training_class.status]
        ],
        "free_seats": max(training_class.capacity - training_class.seated, 0),  # type: ignore[attr-defined]
    }
    return render(request, "learning/catalogue/class_detail.html", context)


def _class_form_view(request: HttpRequest, training_class: TrainingClass | None) -> HttpResponse:
    _require_bkpp(request)
    if request.method == "POST":
        form = ClassForm(request.POST, training_class=training_class)
        if form.is_valid():
            kwargs = form.service_kwargs()
            try:
                if training_class is None:
                    training_class = services.class_create(actor=request.user, **kwargs)
                    messages.success(request, _("Kelas %(code)s dibuat.") % {"code": training_class.code})
                else:
                    training_class = services.class_update(
                        actor=request.user, training_class=training_class, **kwargs
                    )
                    messages.success(request, _("Kelas %(code)s disimpan.") % {"code": training_class.code})
                return redirect("learning:class_detail", pk=training_class.pk)
            except ValidationFailed as exc:
                apply_service_errors(form, exc)
        status = 422
    else:
        initial = None
        if training_class is None and request.GET.get("program", "").isdigit():
            initial = {"program": int(request.GET["program"]), "capacity": 30}
        form = ClassForm(training_class=training_class) if initial is None else ClassForm(initial=initial)
        status = 200
    return render(
        request,
        "learning/catalogue/class_form.html",
        {"form": form, "klass": training_class},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_create(request: HttpRequest) -> HttpResponse:
    return _class_form_view(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_bkpp(request)
    return _class_form_view(request, _class_or_404(request, pk))


@login_required
@require_POST
def class_status(request: HttpRequest, pk: int) -> HttpResponse:
    _require_bkpp(request)
    training_class = _class_or_404(request, pk)
    form = ClassStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Status tidak dikenal."))
        return redirect("learning:class_detail", pk=pk)
    try:
        services.class_set_status(
            actor=request.user,
            training_class=training_class,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Status kelas diubah."))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("learning:class_detail", pk=pk)


@login_required
@require_GET
def trainer_classes(request: HttpRequest) -> HttpResponse:
    classes = selectors.trainer_classes(user=request.user).prefetch_related("sessions")
    today = timezone.localdate()
    return render(
        request,
        "learning/catalogue/trainer_classes.html",
        {
            "current": [c for c in classes if c.ends_on >= today],
            "past": [c for c in classes if c.ends_on < today],
        },
    )


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("program/baru/", program_create, name="program_create"),
    path("program/<int:pk>/", program_detail, name="program_detail"),
    path("program/<int:pk>/ubah/", program_edit, name="program_edit"),
    path("kelas/", class_list, name="class_list"),
    path("kelas/baru/", class_create, name="class_create"),
    path("kelas/<int:pk>/", class_detail, name="class_detail"),
    path("kelas/<int:pk>/ubah/", class_edit, name="class_edit"),
    path("kelas/<int:pk>/status/", class_status, name="class_status"),
    path("kelas-binaan/", trainer_classes, name="trainer_classes"),
]
