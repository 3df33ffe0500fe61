"""Enrolment pages: request a seat, nominate a team member, the approval queue (HTMX approve/reject with a
note, bulk approve), cancellation and the employee's "my classes" (learning:my_classes).

Thin views: the services decide; their refusals are shown as messages (or a 403 for permission)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import ApplicationError, PermissionDeniedError, ValidationFailed
from mumpuni.learning.forms_enrollment import BulkDecisionForm, DecisionForm, NominateForm, RequestForm
from mumpuni.learning.models import Enrollment, TrainingClass
from mumpuni.learning.selectors import catalogue as catalogue_selectors
from mumpuni.learning.selectors import enrollment as selectors
from mumpuni.learning.services import enrollment as services
from mumpuni.people.scopes import scope_for
from mumpuni.people.views.staff_forms import apply_service_errors


def _class_or_404(request: HttpRequest, pk: int) -> TrainingClass:
    try:
        return catalogue_selectors.class_get(user=request.user, pk=pk)
    except TrainingClass.DoesNotExist as exc:
        raise Http404 from exc


def _enrollment_or_404(request: HttpRequest, pk: int) -> Enrollment:
    try:
        return selectors.enrollment_get(user=request.user, pk=pk)
    except Enrollment.DoesNotExist as exc:
        raise Http404 from exc


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request: HttpRequest, fallback: str, **kwargs: Any) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback, **kwargs)


@login_required
@require_POST
def enrollment_request(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = _class_or_404(request, pk)
    form = RequestForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        enrollment = services.enrollment_request(
            actor=request.user, training_class=training_class, reason=reason
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Pengajuan untuk %(code)s terkirim; menunggu persetujuan kepala unit.")
            % {"code": enrollment.training_class.code},
        )
    return redirect("learning:class_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = _class_or_404(request, pk)
    form = NominateForm(request.POST or None, user=request.user)
    if not form.fields["employee"].queryset.exists():  # type: ignore[attr-defined]
        raise PermissionDenied(_("Anda tidak memiliki anggota tim yang dapat diusulkan."))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                enrollment = services.enrollment_nominate(
                    actor=request.user,
                    training_class=training_class,
                    employee=form.cleaned_data["employee"],
                    reason=form.cleaned_data["reason"],
                )
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except ValidationFailed as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s diusulkan untuk %(code)s.")
                    % {"name": enrollment.employee.name, "code": training_class.code},
                )
                return redirect("learning:class_detail", pk=pk)
    return render(
        request, "learning/enrollment/nominate.html", {"form": form, "klass": training_class}, status=status
    )


@login_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.city_manager or scope.manage_unit_paths):
        raise PermissionDenied(_("Antrean persetujuan hanya untuk kepala unit dan admin BKPP."))
    queue = selectors.approval_queue(user=request.user)
    # The classes with something waiting, for the filter (a busy queue is worked class by class).
    classes = list(
        queue.values("training_class_id", "training_class__name", "training_class__starts_on")
        .annotate(n=Count("pk"))
        .order_by("training_class__starts_on", "training_class__name")
    )
    chosen = request.GET.get("kelas", "")
    if chosen.isdigit():
        queue = queue.filter(training_class_id=int(chosen))
    rows = list(queue[:300])
    return render(
        request,
        "learning/enrollment/approvals.html",
        {
            "unit_step": [e for e in rows if e.status != Enrollment.Status.UNIT_APPROVED],
            "bkpp_step": [e for e in rows if e.status == Enrollment.Status.UNIT_APPROVED],
            "is_bkpp": scope.city_manager,
            "classes": classes,
            "chosen": int(chosen) if chosen.isdigit() else None,
            "truncated": len(rows) == 300,
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment_or_404(request, pk)
    form = DecisionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Pilih setujui atau tolak.")
    else:
        try:
            enrollment = services.decide(
                actor=request.user,
                enrollment=enrollment,
                approve=form.cleaned_data["action"] == "approve",
                note=form.cleaned_data["note"],
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            error = exc.message
    if _is_htmx(request):
        return render(
            request,
            "learning/enrollment/partials/approval_row.html",
            {"e": enrollment, "error": error, "decided": not error},
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": enrollment.employee.name, "status": enrollment.get_status_display()},
        )
    return _back(request, "learning:approvals")


@login_required
@require_POST
def bulk_decide(request: HttpRequest) -> HttpResponse:
    allowed = list(selectors.approval_queue(user=request.user).values_list("pk", flat=True))
    form = BulkDecisionForm(request.POST, allowed_ids=allowed)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("learning:approvals")
    chosen = selectors.approval_queue(user=request.user).filter(pk__in=form.cleaned_data["ids"])
    done, refused = services.bulk_decide(
        actor=request.user,
        enrollments=list(chosen),
        approve=form.cleaned_data["action"] == "approve",
        note=form.cleaned_data["note"],
    )
    if done:
        messages.success(request, _("%(n)d pendaftaran diproses.") % {"n": len(done)})
    for message in sorted(set(refused.values())):
        messages.error(request, message)
    return redirect("learning:approvals")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment_or_404(request, pk)
    try:
        services.enrollment_cancel(
            actor=request.user, enrollment=enrollment, note=request.POST.get("note", "")
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pendaftaran dibatalkan."))
    return _back(request, "learning:my_classes")


@login_required
@require_GET
def my_classes(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    mine = list(selectors.my_enrollments(user=request.user))
    team = list(selectors.team_enrollments(user=request.user)[:200]) if scope.team_ids else []
    return render(
        request,
        "learning/enrollment/my_classes.html",
        {
            "active": [e for e in mine if e.status in Enrollment.ACTIVE_STATUSES],
            "history": [e for e in mine if e.status not in Enrollment.ACTIVE_STATUSES],
            "team": team,
            "cancellable": {
                e.pk
                for e in mine
                if e.status in Enrollment.ACTIVE_STATUSES and services.can_cancel(request.user, e)
            },
        },
    )


urlpatterns: list[URLPattern] = [
    path("kelas/<int:pk>/daftar/", enrollment_request, name="enrollment_request"),
    path("kelas/<int:pk>/usulkan/", nominate, name="nominate"),
    path("persetujuan/", approvals, name="approvals"),
    path("persetujuan/massal/", bulk_decide, name="bulk_decide"),
    path("pendaftaran/<int:pk>/keputusan/", decide, name="decide"),
    path("pendaftaran/<int:pk>/batal/", cancel, name="cancel"),
    path("kelas-saya/", my_classes, name="my_classes"),
]
