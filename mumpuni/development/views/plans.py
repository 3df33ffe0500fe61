"""Pages of development plans: my plan, one plan (with the reviewer's forms), my team, BKPP's coverage.

Thin views: reads through selectors, writes through services. A plan the user may not see answers 404;
a step the user may not take answers 403; a refused step returns to the plan with the reason shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from mumpuni.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.common.forms import add_service_errors
from mumpuni.development import selectors, services
from mumpuni.development.forms import CommentForm, GoalForm, ItemForm
from mumpuni.development.models import DevelopmentPlan, PlanGoal, PlanItem
from mumpuni.learning.models import JpEntry
from mumpuni.lib.tabular import write_xlsx
from mumpuni.people.models import Employee, Unit
from mumpuni.people.scopes import scope_for


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("tahun") or request.POST.get("tahun") or ""
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and this_year - 5 <= int(raw) <= this_year + 1 else this_year


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year + 1, this_year - 4, -1))


def _own_employee(request: HttpRequest) -> Employee:
    employee_id = scope_for(request.user).own_employee_id
    if employee_id is None:
        raise PermissionDenied(_("Akun Anda tidak terhubung dengan data pegawai."))
    return Employee.objects.select_related("unit", "position", "supervisor").get(pk=employee_id)


def _plan_or_404(request: HttpRequest, pk: int) -> DevelopmentPlan:
    try:
        return services.plan_for_user(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _back(request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse:
    if services.is_owner(request.user, plan):
        return redirect(f"{reverse('development:my')}?tahun={plan.year}")
    return redirect("development:plan", pk=plan.pk)


def _render_plan(
    request: HttpRequest,
    plan: DevelopmentPlan,
    *,
    goal_form: GoalForm | None = None,
    item_form: ItemForm | None = None,
    status: int = 200,
) -> HttpResponse:
    view = selectors.plan_view(plan)
    user = request.user
    owner = services.is_owner(user, plan)
    reviewer = services.can_review(user, plan.employee)
    context = {
        "view": view,
        "plan": plan,
        "employee": plan.employee,
        "is_owner": owner,
        "can_edit": services.can_edit(user, plan),
        "can_review": reviewer and not plan.is_frozen,
        "can_act": (owner or reviewer) and not plan.is_frozen,
        "goal_form": goal_form or GoalForm(),
        "item_form": item_form or ItemForm(plan=plan),
        "comment_form": CommentForm(),
        "years": _years(),
        "ledger": [] if plan.is_frozen else _open_ledger(plan),
        "steps": _steps(plan),
        **_links(request),
    }
    return render(request, "development/plan.html", context, status=status)


def _open_ledger(plan: DevelopmentPlan) -> list[JpEntry]:
    return list(
        JpEntry.objects.filter(employee_id=plan.employee_id, year=plan.year, plan_item__isnull=True)
        .select_related("program")
        .order_by("-occurred_on")[:50]
    )


def _steps(plan: DevelopmentPlan) -> list[tuple[str, str, bool, bool]]:
    """The status line: (value, label, reached, current)."""
    order = [s.value for s in DevelopmentPlan.Status]
    reached = order.index(plan.status)
    return [(s.value, s.label, i <= reached, i == reached) for i, s in enumerate(DevelopmentPlan.Status)]


def _links(request: HttpRequest) -> dict[str, bool]:
    """Whether to offer the team and coverage pages next to one's own plan."""
    return {
        "has_team": bool(scope_for(request.user).team_ids),
        "sees_coverage": selectors.can_view_coverage(request.user),
    }


# --- my plan -----------------------------------------------------------------------------------------


@login_required
@require_GET
def my_plan(request: HttpRequest) -> HttpResponse:
    employee = _own_employee(request)
    year = _year(request)
    plan = selectors.plan_of(employee, year)
    if plan is not None:
        return _render_plan(request, plan)
    previous = DevelopmentPlan.objects.filter(employee=employee).order_by("-year").first()
    suggestions, suggested_jp = services.suggest_from_gaps(employee)
    return render(
        request,
        "development/start.html",
        {
            "employee": employee,
            "year": year,
            "years": _years(),
            "previous": previous,
            "suggestions": suggestions,
            "suggested_jp": suggested_jp,
            "target": services.JP_TARGET,
            **_links(request),
        },
    )


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    employee = _own_employee(request)
    year = _year(request)
    try:
        if request.POST.get("mode") == "gaps":
            services.draft_from_gaps(actor=request.user, employee=employee, year=year)
            messages.success(
                request, _("Draf rencana disusun dari kesenjangan kompetensi Anda. Periksa dan lengkapi.")
            )
        else:
            services.plan_create(actor=request.user, employee=employee, year=year)
            messages.success(request, _("Draf rencana kosong dibuat."))
    except (ValidationFailed, PermissionDeniedError) as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('development:my')}?tahun={year}")


# --- one plan ----------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    return _render_plan(request, plan)


def _guard(request: HttpRequest, plan: DevelopmentPlan, action: Callable[[], Any], done: str) -> HttpResponse:
    try:
        action()
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(request, plan)


def _add(
    request: HttpRequest,
    plan: DevelopmentPlan,
    form: forms.Form,
    form_name: str,
    create: Callable[..., Any],
    done: str,
) -> HttpResponse:
    """Goal and item forms: validate, call the service, show its field errors on the form (422) or go back."""
    bound: dict[str, Any] = {form_name: form}
    if not form.is_valid():
        return _render_plan(request, plan, status=422, **bound)
    try:
        create(actor=request.user, plan=plan, **form.cleaned_data)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationFailed as exc:
        add_service_errors(form, exc)
        return _render_plan(request, plan, status=422, **bound)
    messages.success(request, done)
    return _back(request, plan)


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    return _add(
        request, plan, GoalForm(request.POST), "goal_form", services.goal_add, _("Sasaran ditambahkan.")
    )


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    form = ItemForm(request.POST, plan=plan)
    return _add(request, plan, form, "item_form", services.item_add, _("Kegiatan ditambahkan."))


@login_required
@require_POST
def goal_remove(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    goal = get_object_or_404(PlanGoal, pk=goal_pk, plan=plan)
    return _guard(
        request, plan, lambda: services.goal_remove(actor=request.user, goal=goal), _("Sasaran dihapus.")
    )


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    item = get_object_or_404(PlanItem, pk=item_pk, plan=plan)
    return _guard(
        request, plan, lambda: services.item_remove(actor=request.user, item=item), _("Kegiatan dihapus.")
    )


@login_required
@require_POST
def item_done(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    item = get_object_or_404(PlanItem.objects.select_related("program"), pk=item_pk, plan=plan)
    item.plan = plan
    entry = None
    raw = request.POST.get("jp_entry", "")
    if raw.isdigit():
        entry = JpEntry.objects.filter(pk=int(raw), employee_id=plan.employee_id).first()
    return _guard(
        request,
        plan,
        lambda: services.item_mark_done(actor=request.user, item=item, jp_entry=entry),
        _("Kegiatan ditandai terlaksana."),
    )


_STEPS: dict[str, tuple[Callable[..., Any], Any]] = {
    "ajukan": (services.plan_propose, gettext_lazy("Rencana diajukan ke atasan.")),
    "setujui": (services.plan_agree, gettext_lazy("Rencana disetujui.")),
    "kembalikan": (services.plan_return, gettext_lazy("Rencana dikembalikan ke pegawai dengan catatan.")),
    "mulai": (services.plan_start, gettext_lazy("Rencana mulai dilaksanakan.")),
    "selesaikan": (services.plan_complete, gettext_lazy("Rencana diselesaikan dan dikunci.")),
}


@login_required
@require_POST
def plan_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    comment = request.POST.get("comment", "")
    if step == "komentar":
        return _guard(
            request,
            plan,
            lambda: services.plan_comment(actor=request.user, plan=plan, text=comment),
            _("Komentar disimpan."),
        )
    if step not in _STEPS:
        raise Http404
    service, done = _STEPS[step]
    return _guard(request, plan, lambda: service(actor=request.user, plan=plan, comment=comment), str(done))


@login_required
@require_GET
def employee_plan(request: HttpRequest, nip: str) -> HttpResponse:
    """The link from the employee page: that person's plan of the year, if the user may see it."""
    employee = Employee.objects.select_related("unit").filter(nip=nip).first()
    if employee is None or not services.can_view(request.user, employee):
        raise Http404
    year = _year(request)
    if scope_for(request.user).own_employee_id == employee.pk:
        return redirect(f"{reverse('development:my')}?tahun={year}")
    plan = selectors.plan_of(employee, year)
    if plan is None:
        messages.info(
            request,
            _("%(name)s belum memiliki rencana pengembangan tahun %(year)s.")
            % {"name": employee.name, "year": year},
        )
        return redirect(reverse("employee_detail", args=[employee.nip]))
    return redirect("development:plan", pk=plan.pk)


# --- the team ----------------------------------------------------------------------------------------


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.team_ids:
        raise PermissionDenied(_("Halaman ini untuk atasan yang memiliki bawahan."))
    year = _year(request)
    rows = selectors.team_rows(request.user, year)
    status = request.GET.get("status", "")
    if status == "none":
        rows = rows.filter(plan_id__isnull=True)
    elif status in DevelopmentPlan.Status.values:
        rows = rows.filter(plan_status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "development/team.html",
        {
            "page": page,
            "year": year,
            "years": _years(),
            "status": status,
            "statuses": DevelopmentPlan.Status.choices,
            "jp_target": services.JP_TARGET,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "waiting": selectors.team_rows(request.user, year).filter(plan_status="proposed").count(),
        },
    )


# --- coverage ----------------------------------------------------------------------------------------


def _coverage_for(request: HttpRequest) -> selectors.Coverage:
    if not selectors.can_view_coverage(request.user):
        raise PermissionDenied(_("Halaman cakupan hanya untuk BKPP dan kepala unit."))
    unit = None
    code = request.GET.get("unit", "")
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise Http404
    try:
        return selectors.coverage(user=request.user, year=_year(request), unit=unit)
    except PermissionDeniedError as exc:
        raise Http404(exc.message) from exc


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    result = _coverage_for(request)
    parent = None
    if result.root.parent_id and any(
        result.root.path.startswith(r.path) and r.pk != result.root.pk for r in result.roots
    ):
        parent = result.root.parent
    return render(
        request,
        "development/coverage.html",
        {"c": result, "years": _years(), "parent": parent, "query": request.GET.urlencode()},
    )


@login_required
@require_GET
def coverage_export(request: HttpRequest) -> HttpResponse:
    result = _coverage_for(request)
    people = selectors.coverage_people(user=request.user, year=result.year, unit=result.root)
    labels = dict(DevelopmentPlan.Status.choices)
    headers = ["nip", "nama", "unit_kode", "unit", "atasan", f"status_rencana_{result.year}", "disetujui"]
    rows = (
        [
            e.nip,
            e.name,
            e.unit.code,
            e.unit.name,
            e.supervisor.name if e.supervisor else "",
            labels.get(e.plan_status, "belum ada rencana"),
            "ya" if e.plan_status in DevelopmentPlan.AGREED_STATUSES else "tidak",
        ]
        for e in people.iterator(chunk_size=2000)
    )
    data = write_xlsx(headers, rows, sheet_title=f"Cakupan IDP {result.year}")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = dt.date.today().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="cakupan-idp-{result.root.code}-{result.year}-{stamp}.xlsx"'
    )
    return response


urlpatterns = [
    path("saya/", my_plan, name="my"),
    path("buat/", plan_create, name="create"),
    path("rencana/<int:pk>/", plan_detail, name="plan"),
    path("rencana/<int:pk>/sasaran/", goal_add, name="goal_add"),
    path("rencana/<int:pk>/sasaran/<int:goal_pk>/hapus/", goal_remove, name="goal_remove"),
    path("rencana/<int:pk>/kegiatan/", item_add, name="item_add"),
    path("rencana/<int:pk>/kegiatan/<int:item_pk>/hapus/", item_remove, name="item_remove"),
    path("rencana/<int:pk>/kegiatan/<int:item_pk>/terlaksana/", item_done, name="item_done"),
    path("rencana/<int:pk>/<slug:step>/", plan_step, name="step"),
    path("pegawai/<str:nip>/", employee_plan, name="employee"),
    path("tim/", team, name="team"),
    path("cakupan/", coverage, name="coverage"),
    path("cakupan/ekspor/", coverage_export, name="coverage_export"),
]
