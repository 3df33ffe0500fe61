"""Staff pages of the people registry: home per role, employees, units, positions and the audit log.

Views stay thin: they read through selectors and `scope_for(user)`, write through `people.services`, and turn
a service's refusal into form errors (ValidationFailed) or a 403 page (PermissionDeniedError). Anything
outside the user's scope answers 404, so its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, register_converter
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.lib.nip import NipError, parse_nip
from mumpuni.people import selectors, services
from mumpuni.people.forms import EmployeeFilterForm
from mumpuni.people.models import Employee, Position, Role, Unit
from mumpuni.people.scopes import Scope, primary_role, scope_for
from mumpuni.people.views import home as home_figures
from mumpuni.people.views.audit_display import audit_rows
from mumpuni.people.views.staff_forms import (
    EMPLOYEE_FIELD_MAP,
    AuditFilterForm,
    ContactForm,
    EmployeeForm,
    PositionFilterForm,
    PositionForm,
    UnitForm,
    apply_service_errors,
    placeable_units,
    positions_for_unit,
)

PAGE_SIZE = 50


class NipConverter:
    """18 ASCII digits, optionally with the customary spaces (19900101 201503 1 001); spaces are dropped.

    Anything else never reaches a view or a query (a NUL byte or full-width digits would otherwise make
    PostgreSQL fail with a 500).
    """

    regex = "[0-9]{8} ?[0-9]{6} ?[0-9] ?[0-9]{3}"

    def to_python(self, value: str) -> str:
        return value.replace(" ", "")

    def to_url(self, value: str) -> str:
        return str(value).replace(" ", "")


class UnitCodeConverter:
    """A unit code as the model allows it (letters, digits and dots, at most 32)."""

    regex = "[A-Za-z0-9.]{1,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


class PositionCodeConverter:
    """A position code as the model allows it (letters, digits, '.', '-', '_', at most 40)."""

    regex = "[A-Za-z0-9._-]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(NipConverter, "nip")
register_converter(UnitCodeConverter, "unit_code")
register_converter(PositionCodeConverter, "position_code")


def _paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> tuple[Page, list[Any]]:
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    page_range = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page, page_range


def _query_without(query: QueryDict, *names: str) -> str:
    params = query.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _wants_partial(request: HttpRequest, target: str) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted and htmx.target == target


def _can_create_employees(scope: Scope) -> bool:
    return scope.city_manager or bool(scope.manage_unit_paths)


# --- home ------------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    role = primary_role(scope)
    if scope.city_manager:
        template, context = "home/admin.html", home_figures.admin_context(scope)
    elif scope.city_wide:
        template, context = "home/executive.html", home_figures.executive_context(scope)
    elif role == Role.UNIT_HEAD:
        template, context = "home/unit_head.html", home_figures.unit_head_context(scope, request.user)
    elif role == Role.SUPERVISOR or scope.team_ids:
        template, context = "home/supervisor.html", home_figures.supervisor_context(scope, request.user)
    elif scope.own_employee_id:
        template, context = "home/employee.html", home_figures.own_context(scope, request.user)
    else:
        template, context = "home/no_role.html", {}
    context["role"] = role
    return render(request, template, context)


# --- employees -------------------------------------------------------------------------------------


@login_required
@require_GET
def employee_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.sees_people:
        raise PermissionDenied(_("Akun Anda tidak memiliki akses ke data pegawai."))
    data = request.GET.copy()
    search = data.get("q", "")
    if search and search.replace(" ", "").isdigit():
        data["q"] = search.replace(" ", "")  # a NIP typed with its customary spaces
    form = EmployeeFilterForm(data, user=request.user)
    page, page_range = _paginate(request, form.queryset())
    # The export gets the same (normalised) filters, so it contains exactly the rows listed here.
    filter_query = _query_without(data, "page", "format")
    context = {
        "form": form,
        "page": page,
        "page_range": page_range,
        "filter_query": filter_query,
        "can_create": _can_create_employees(scope),
    }
    if _wants_partial(request, "employee-results"):
        return render(request, "people/partials/employee_results.html", context)
    return render(request, "people/employee_list.html", context)


def _employee_or_404(request: HttpRequest, nip: str) -> Employee:
    employee = selectors.employee_get(user=request.user, nip=nip.replace(" ", ""))
    if employee is None:
        raise Http404(_("Pegawai tidak ditemukan."))
    return employee


@login_required
@require_GET
def employee_detail(request: HttpRequest, nip: str) -> HttpResponse:
    scope = scope_for(request.user)
    employee = _employee_or_404(request, nip)
    can_manage = scope.can_change_employee(employee)
    is_self = employee.pk == scope.own_employee_id
    supervisor_visible = bool(
        employee.supervisor_id and scope.employees().filter(pk=employee.supervisor_id).exists()
    )
    reports = scope.employees(employee.reports.select_related("position", "unit")).order_by("name")
    roles = []
    if employee.user_id and (can_manage or is_self):
        roles = list(employee.user.role_assignments.select_related("unit"))  # type: ignore[union-attr]
    audit = []
    if can_manage:
        entries = AuditEntry.objects.filter(object_type="people.employee", object_id=str(employee.pk))[:50]
        audit = audit_rows(entries)
    return render(
        request,
        "people/employee_detail.html",
        {
            "employee": employee,
            "can_manage": can_manage,
            "can_edit": can_manage or scope.can_change_own_contact(employee),
            "is_self": is_self,
            "supervisor_visible": supervisor_visible,
            "unit_visible": scope.can_view_unit(employee.unit),
            "reports": list(reports),
            "roles": roles,
            "history": list(selectors.employee_history(employee=employee)),
            "audit": audit,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def employee_edit(request: HttpRequest, nip: str) -> HttpResponse:
    scope = scope_for(request.user)
    employee = _employee_or_404(request, nip)
    form: EmployeeForm | ContactForm
    if scope.can_change_employee(employee):
        form = EmployeeForm(request.POST or None, scope=scope, employee=employee)
    elif scope.can_change_own_contact(employee):
        form = ContactForm(request.POST or None, employee=employee)
    else:
        raise PermissionDenied(_("Anda tidak berwenang mengubah data pegawai ini."))

    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            updated = services.employee_update(actor=request.user, employee=employee, **changes)
        except ValidationFailed as exc:
            apply_service_errors(form, exc, EMPLOYEE_FIELD_MAP)
        except PermissionDeniedError as exc:
            form.add_error(None, exc.message)
        else:
            if changes:
                messages.success(request, _("Data %(name)s disimpan.") % {"name": updated.name})
            else:
                messages.info(request, _("Tidak ada perubahan."))
            return redirect("employee_detail", nip=updated.nip)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "people/employee_form.html",
        {"form": form, "employee": employee, "contact_only": isinstance(form, ContactForm)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def employee_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not _can_create_employees(scope):
        raise PermissionDenied(_("Hanya admin BKPP dan kepala unit yang dapat menambah pegawai."))
    initial: dict[str, Any] = {"active": True}
    if request.GET.get("unit"):
        initial["unit"] = request.GET["unit"]
    form = EmployeeForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            employee = services.employee_create(actor=request.user, **form.service_values())
        except ValidationFailed as exc:
            apply_service_errors(form, exc, EMPLOYEE_FIELD_MAP)
        except PermissionDeniedError as exc:
            form.add_error("unit", exc.message)
        else:
            messages.success(request, _("Pegawai %(name)s ditambahkan.") % {"name": employee.name})
            return redirect("employee_detail", nip=employee.nip)
    status = 422 if request.method == "POST" else 200
    return render(request, "people/employee_form.html", {"form": form, "employee": None}, status=status)


@login_required
@require_GET
def nip_check(request: HttpRequest) -> HttpResponse:
    """What a typed NIP says (kind, sex, birth date), shown under the field while typing (HTMX)."""
    scope = scope_for(request.user)
    if not _can_create_employees(scope):
        raise PermissionDenied
    raw = request.GET.get("nip", "").replace(" ", "").strip()
    context: dict[str, Any] = {"raw": raw}
    if len(raw) >= 8:
        try:
            parsed = parse_nip(raw)
        except NipError as exc:
            context["error"] = exc.message
        else:
            context["parsed"] = parsed
            # Only within the user's scope: saying "taken" for a NIP outside it would reveal that the
            # person exists elsewhere. The service still refuses a duplicate on save (generic message).
            context["taken"] = (
                scope.employees().filter(nip=raw).exclude(nip=request.GET.get("current", "")).exists()
            )
    return render(request, "people/partials/nip_check.html", context)


@login_required
@require_GET
def position_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of the position field for a chosen unit (HTMX, on unit change)."""
    scope = scope_for(request.user)
    unit = placeable_units(scope).filter(code=request.GET.get("unit", "")).first()
    return render(
        request,
        "people/partials/position_options.html",
        {
            "positions": positions_for_unit(scope, unit),
            "selected": request.GET.get("position", ""),
            "unit": unit,
        },
    )


# --- units -----------------------------------------------------------------------------------------


@dataclass
class UnitNode:
    unit: Unit
    depth: int
    children: list[UnitNode] = field(default_factory=list)
    total: int = 0
    match: bool = True
    open: bool = False


def _build_tree(rows: list[tuple[Unit, int]], search: str) -> list[UnitNode]:
    roots: list[UnitNode] = []
    stack: list[UnitNode] = []
    for unit, depth in rows:
        node = UnitNode(unit=unit, depth=depth)
        while stack and stack[-1].depth >= depth:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    term = search.strip().lower()

    def finish(node: UnitNode) -> bool:
        """Sum subtree counts; with a search, keep matches and the path to them (opened)."""
        node.total = getattr(node.unit, "active_employees", 0)
        kept = []
        for child in node.children:
            visible = finish(child)
            node.total += child.total
            if visible:
                kept.append(child)
        self_match = not term or term in node.unit.name.lower() or node.unit.code.lower().startswith(term)
        if term:
            node.children = kept
            node.open = bool(kept)
        else:
            node.open = node.depth == 0
        node.match = self_match
        return self_match or bool(kept)

    return [root for root in roots if finish(root)]


@login_required
@require_GET
def unit_tree(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    search = request.GET.get("q", "")[:100]
    tree = _build_tree(selectors.unit_tree(user=request.user), search)
    context = {"tree": tree, "search": search, "can_manage": scope.can_manage_structure}
    if _wants_partial(request, "unit-tree"):
        return render(request, "people/partials/unit_tree_nodes.html", context)
    return render(request, "people/unit_tree.html", context)


@login_required
@require_GET
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    unit = selectors.unit_get(user=request.user, code=code)
    if unit is None:
        raise Http404(_("Unit tidak ditemukan."))
    active = Q(employees__active=True)
    children = selectors.unit_list(user=request.user, parent=unit).annotate(
        active_employees=Count("employees", filter=active)
    )
    positions = (
        scope.positions(Position.objects.filter(unit=unit))
        .annotate(active_employees=Count("employees", filter=active))
        .order_by("kind", "name")
    )
    staff = scope.employees().filter(active=True, unit__path__startswith=unit.path)
    return render(
        request,
        "people/unit_detail.html",
        {
            "unit": unit,
            "parent_visible": bool(unit.parent_id and unit.parent and scope.can_view_unit(unit.parent)),
            "children": list(children),
            "positions": list(positions),
            "staff_total": staff.count(),
            "staff_direct": staff.filter(unit=unit).count(),
            "can_manage": scope.can_manage_structure,
            "can_create_employee": scope.can_place_in_unit(unit),
        },
    )


def _require_structure_manager(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if not scope.can_manage_structure:
        raise PermissionDenied(_("Hanya admin BKPP yang dapat mengubah struktur unit dan jabatan."))
    return scope


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    _require_structure_manager(request)
    initial = {"active": True, "parent": request.GET.get("parent") or None}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **form.service_values())
        except (ValidationFailed, PermissionDeniedError) as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Unit %(name)s dibuat.") % {"name": unit.name})
            return redirect("unit_detail", code=unit.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "people/unit_form.html", {"form": form, "unit": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require_structure_manager(request)
    unit = selectors.unit_get(user=request.user, code=code)
    if unit is None:
        raise Http404(_("Unit tidak ditemukan."))
    form = UnitForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_update(actor=request.user, unit=unit, **form.service_values())
        except (ValidationFailed, PermissionDeniedError) as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Unit %(name)s disimpan.") % {"name": unit.name})
            return redirect("unit_detail", code=unit.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "people/unit_form.html", {"form": form, "unit": unit}, status=status)


# --- positions -------------------------------------------------------------------------------------


@login_required
@require_GET
def position_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    form = PositionFilterForm(request.GET, scope=scope)
    data = form.cleaned_data if form.is_valid() else {}
    positions = selectors.position_list(
        user=request.user, search=data.get("q", ""), unit=data.get("unit"), kind=data.get("kind", "")
    ).annotate(active_employees=Count("employees", filter=Q(employees__active=True)))
    page, page_range = _paginate(request, positions)
    context = {"form": form, "page": page, "page_range": page_range, "can_manage": scope.can_manage_structure}
    if _wants_partial(request, "position-results"):
        return render(request, "people/partials/position_results.html", context)
    return render(request, "people/position_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def position_create(request: HttpRequest) -> HttpResponse:
    _require_structure_manager(request)
    form = PositionForm(request.POST or None, initial={"unit": request.GET.get("unit") or None})
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_create(actor=request.user, **form.service_values())
        except (ValidationFailed, PermissionDeniedError) as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Jabatan %(name)s dibuat.") % {"name": position.name})
            return redirect("position_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "people/position_form.html", {"form": form, "position": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def position_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require_structure_manager(request)
    position = selectors.position_get(user=request.user, code=code)
    if position is None:
        raise Http404(_("Jabatan tidak ditemukan."))
    form = PositionForm(request.POST or None, position=position)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_update(
                actor=request.user, position=position, **form.service_values()
            )
        except (ValidationFailed, PermissionDeniedError) as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Jabatan %(name)s disimpan.") % {"name": position.name})
            return redirect("unit_detail", code=position.unit.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "people/position_form.html", {"form": form, "position": position}, status=status)


# --- audit -----------------------------------------------------------------------------------------


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_read_audit:
        raise PermissionDenied(_("Jejak audit hanya untuk admin BKPP."))
    form = AuditFilterForm(request.GET)
    entries = form.filter(AuditEntry.objects.order_by("-created_at", "-id"))
    page, page_range = _paginate(request, entries)
    return render(
        request,
        "people/audit_log.html",
        {"form": form, "page": page, "page_range": page_range, "rows": audit_rows(page.object_list)},
    )


urlpatterns = [
    path("", home, name="home"),
    path("pegawai/", employee_list, name="employee_list"),
    path("pegawai/baru/", employee_create, name="employee_create"),
    path("pegawai/cek-nip/", nip_check, name="nip_check"),
    path("pegawai/pilihan-jabatan/", position_options, name="position_options"),
    path("pegawai/<nip:nip>/", employee_detail, name="employee_detail"),
    path("pegawai/<nip:nip>/ubah/", employee_edit, name="employee_edit"),
    path("unit/", unit_tree, name="unit_tree"),
    path("unit/baru/", unit_create, name="unit_create"),
    path("unit/<unit_code:code>/", unit_detail, name="unit_detail"),
    path("unit/<unit_code:code>/ubah/", unit_edit, name="unit_edit"),
    path("jabatan/", position_list, name="position_list"),
    path("jabatan/baru/", position_create, name="position_create"),
    path("jabatan/<position_code:code>/ubah/", position_edit, name="position_edit"),
    path("audit/", audit_log, name="audit_log"),
]
