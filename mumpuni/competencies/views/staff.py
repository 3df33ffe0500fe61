"""Staff pages of competencies: overview per role, my competencies, an employee's competencies and history,
the supervisor's assessment grid, the gap heat map (unit × competency) with its people and XLSX export, and
BKPP's editing of the dictionary, the managerial defaults and position requirements (with XLSX import/export).

Views stay thin: reads through competencies.selectors with the user's scope, writes through
competencies.services (and competencies.imports); anything outside the scope answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.competencies import imports, selectors, services
from mumpuni.competencies.models import Assessment, Competency, ManagerialDefault, PositionRequirement
from mumpuni.lib import tabular
from mumpuni.people.models import Employee, Position, Unit
from mumpuni.people.scopes import Scope, scope_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GRID_PAGE_SIZE = 25
MAX_UPLOAD = 10 * 1024 * 1024


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """render() with what the competency menu needs on every page."""
    context.setdefault("is_admin", scope_for(request.user).city_manager)
    return render(request, template, context, status=status)


def _require_admin(scope: Scope) -> None:
    if not scope.city_manager:
        raise PermissionDenied(_("Hanya admin BKPP yang dapat membuka halaman ini."))


def _parse_level(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 1 <= int(value) <= 5 else None


def heat_class(stat: selectors.GapStat | None) -> str:
    """Colour bucket of a heat-map cell by the share of assessed people below the requirement."""
    if stat is None or not stat.assessed:
        return "heat-none"
    share = stat.percent_below
    for bucket, limit in enumerate((5, 15, 30, 50)):
        if share < limit:
            return f"heat-{bucket}"
    return "heat-4"


# --- overview --------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    root = selectors.default_root(scope)
    if root is None and not scope.team_ids:
        if scope.own_employee_id:
            return redirect("competencies:mine")
        raise PermissionDenied(_("Akun Anda tidak memiliki akses ke data kompetensi."))
    matrix = selectors.gap_matrix(scope, root)
    context: dict[str, Any] = {
        "matrix": matrix,
        "ranked": matrix.ranked,
        "is_admin": scope.city_manager,
        "has_team": bool(scope.team_ids),
        "has_own": bool(scope.own_employee_id),
    }
    return _render(request, "competencies/home.html", context)


# --- one employee ----------------------------------------------------------------------------------


def _employee_page(request: HttpRequest, employee: Employee, *, own: bool) -> HttpResponse:
    scope = scope_for(request.user)
    code = request.GET.get("kompetensi", "")
    competency = selectors.competency_by_code(code) if code else None
    history = list(selectors.assessment_history(employee, competency)[:200])
    for item in history:
        item.can_withdraw = item.withdrawn_at is None and services.can_withdraw(request.user, item)  # type: ignore[attr-defined]
    rows = selectors.employee_competencies(employee)
    context = {
        "employee": employee,
        "rows": rows,
        "history": history,
        "filter_competency": competency,
        "own": own,
        "can_assess": services.can_assess(request.user, employee, Assessment.Source.SUPERVISOR) and not own,
        "required_count": sum(1 for r in rows if r.required is not None),
        "below_count": sum(1 for r in rows if r.status == "below"),
        "unassessed_count": sum(1 for r in rows if r.status == "unassessed"),
        "competencies": selectors.competency_list(active_only=True).order_by("kind", "code"),
        "today": timezone.localdate().isoformat(),
        "is_admin": scope.city_manager,
    }
    return _render(request, "competencies/employee.html", context)


def _record_from_post(request: HttpRequest, employee: Employee, source: str) -> HttpResponse | None:
    competency = selectors.competency_by_code(request.POST.get("competency", ""))
    level = _parse_level(request.POST.get("level"))
    if competency is None or level is None:
        messages.error(request, _("Pilih kompetensi dan level 1–5."))
        return None
    try:
        assessed_on = dt.date.fromisoformat(
            request.POST.get("assessed_on") or timezone.localdate().isoformat()
        )
    except ValueError:
        messages.error(request, _("Tanggal penilaian tidak valid."))
        return None
    try:
        services.assessment_record(
            actor=request.user,
            employee=employee,
            competency=competency,
            level=level,
            source=source,
            assessed_on=assessed_on,
            note=request.POST.get("note", "")[:2000],
            evidence_url=request.POST.get("evidence_url", "")[:200],
            evidence_file=request.FILES.get("evidence_file"),
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, _("Penilaian %(code)s tersimpan.") % {"code": competency.code})
    return None


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.own_employee_id:
        raise PermissionDenied(_("Akun Anda tidak terhubung dengan data pegawai."))
    employee = Employee.objects.select_related("unit", "position").get(pk=scope.own_employee_id)
    if request.method == "POST":
        _record_from_post(request, employee, Assessment.Source.SELF)
        return redirect("competencies:mine")
    return _employee_page(request, employee, own=True)


@login_required
@require_http_methods(["GET", "POST"])
def employee_detail(request: HttpRequest, nip: str) -> HttpResponse:
    scope = scope_for(request.user)
    employee = get_object_or_404(
        scope.employees(Employee.objects.select_related("unit", "position")), nip=nip
    )
    if employee.pk == scope.own_employee_id:
        return redirect("competencies:mine")
    if request.method == "POST":
        source = request.POST.get("source", Assessment.Source.SUPERVISOR)
        if source not in (
            Assessment.Source.SUPERVISOR,
            Assessment.Source.ASSESSMENT_CENTRE,
            Assessment.Source.TEST,
        ):
            source = Assessment.Source.SUPERVISOR
        _record_from_post(request, employee, source)
        return redirect("competencies:employee", nip=nip)
    return _employee_page(request, employee, own=False)


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence file of an assessment, for whoever may see the assessed employee (never public)."""
    scope = scope_for(request.user)
    assessment = get_object_or_404(
        Assessment.objects.filter(employee__in=scope.employees()).exclude(evidence_file=""), pk=pk
    )
    return FileResponse(assessment.evidence_file.open("rb"), as_attachment=True)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    assessment = get_object_or_404(
        Assessment.objects.filter(employee__in=scope.employees()).select_related("employee", "competency"),
        pk=pk,
    )
    try:
        services.assessment_withdraw(
            actor=request.user, assessment=assessment, reason=request.POST.get("reason", "")
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Penilaian ditarik; level saat ini dihitung ulang."))
    if assessment.employee_id == scope.own_employee_id:
        return redirect("competencies:mine")
    return redirect("competencies:employee", nip=assessment.employee.nip)


# --- supervisor's grid -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def team_grid(request: HttpRequest) -> HttpResponse:
    """Supervisor assessments for the team in one grid: a select per employee × competency; cells left
    empty record nothing. One submit records every filled cell (all or nothing)."""
    scope = scope_for(request.user)
    if not scope.team_ids:
        raise PermissionDenied(_("Anda belum memiliki anggota tim untuk dinilai."))
    team = (
        Employee.objects.filter(pk__in=scope.team_ids, active=True)
        .select_related("position", "unit")
        # Direct reports first: they are the ones this supervisor observes day to day.
        .annotate(indirect=Case(When(supervisor_id=scope.own_employee_id, then=Value(0)), default=Value(1)))
        .order_by("indirect", "name")
    )
    page = Paginator(team, GRID_PAGE_SIZE).get_page(request.GET.get("page"))
    employees = list(page.object_list)
    competencies, current, required = selectors.team_grid(scope, employees)
    if request.method == "POST":
        by_code = {c.pk: c for c in competencies}
        by_id = {e.pk: e for e in employees}
        entries = []
        for key, value in request.POST.items():
            if not key.startswith("cell-") or not value:
                continue
            try:
                _prefix, employee_id, competency_id = key.split("-")
                employee, competency = by_id[int(employee_id)], by_code[int(competency_id)]
            except (ValueError, KeyError):
                raise Http404 from None  # a cell not on this page of the grid
            level = _parse_level(str(value))
            if level is not None:
                entries.append((employee, competency, level))
        try:
            written = services.assessments_record_grid(
                actor=request.user,
                entries=entries,
                note=request.POST.get("note", "")[:2000],
                evidence_url=request.POST.get("evidence_url", "")[:200],
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)d penilaian tersimpan.") % {"n": written})
        return redirect(f"{reverse('competencies:team_grid')}?page={page.number}")
    rows = [
        (
            e,
            [(c, current.get((e.pk, c.pk)), required[e.pk].get(c.pk)) for c in competencies],
        )
        for e in employees
    ]
    return _render(
        request,
        "competencies/team_grid.html",
        {"page": page, "rows": rows, "competencies": competencies, "levels": range(1, 6)},
    )


# --- gaps --------------------------------------------------------------------------------------------


def _root_from(request: HttpRequest, scope: Scope) -> Unit | None:
    code = request.GET.get("unit", "")
    if not code:
        return selectors.default_root(scope)
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not selectors.can_view_root(scope, unit):
        raise Http404
    return unit


@login_required
@require_GET
def heatmap(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.city_wide or scope.employee_unit_paths or scope.team_ids):
        raise PermissionDenied(_("Akun Anda tidak memiliki akses ke analisis kesenjangan."))
    root = _root_from(request, scope)
    matrix = selectors.gap_matrix(scope, root)
    if request.GET.get("format") == "xlsx":
        return _xlsx(_heatmap_xlsx(matrix), f"kesenjangan-{root.code if root else 'tim'}.xlsx")
    table = [(unit, [(c, stat, heat_class(stat)) for c, stat in cells]) for unit, cells in matrix.table]
    return _render(request, "competencies/heatmap.html", {"matrix": matrix, "table": table, "root": root})


def _heatmap_xlsx(matrix: selectors.GapMatrix) -> bytes:
    headers = [
        "unit_kode",
        "unit_nama",
        "kompetensi_kode",
        "kompetensi_nama",
        "pegawai_dipersyaratkan",
        "sudah_dinilai",
        "di_bawah_standar",
        "belum_dinilai",
        "rata_rata_kesenjangan",
        "persen_di_bawah",
    ]
    rows = [
        [
            unit.code,
            unit.name,
            c.code,
            c.name,
            stat.required_for,
            stat.assessed,
            stat.below,
            stat.unassessed,
            f"{stat.mean_gap:.2f}",
            f"{stat.percent_below:.1f}",
        ]
        for unit, cells in matrix.table
        for c, stat in cells
        if stat is not None
    ]
    return tabular.write_xlsx(headers, rows, sheet_title="Kesenjangan")


@login_required
@require_GET
def gap_people(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.city_wide or scope.employee_unit_paths or scope.team_ids):
        raise PermissionDenied(_("Akun Anda tidak memiliki akses ke analisis kesenjangan."))
    root = _root_from(request, scope)
    competency = selectors.competency_by_code(request.GET.get("kompetensi", ""))
    if competency is None:
        raise Http404
    below, unassessed = selectors.people_below(scope, competency, root)
    if request.GET.get("format") == "xlsx":
        headers = ["nip", "nama", "unit", "jabatan", "level_minimal", "level_saat_ini", "kesenjangan"]
        rows = [
            [
                p.employee.nip,
                p.employee.name,
                p.employee.unit.name,
                p.employee.position.name if p.employee.position else "",
                p.required,
                p.current or "",
                p.gap if p.gap is not None else "belum dinilai",
            ]
            for p in [*below, *unassessed]
        ]
        return _xlsx(
            tabular.write_xlsx(headers, rows, sheet_title=competency.code),
            f"kesenjangan-{competency.code}.xlsx",
        )
    return _render(
        request,
        "competencies/gap_people.html",
        {
            "root": root,
            "competency": competency,
            "below": below[:500],
            "unassessed": unassessed[:500],
            "below_total": len(below),
            "unassessed_total": len(unassessed),
        },
    )


# --- BKPP: dictionary, defaults, requirements -----------------------------------------------------


@login_required
@require_GET
def dictionary(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.sees_people:
        raise PermissionDenied(_("Akun Anda tidak memiliki akses ke kamus kompetensi."))
    items = selectors.competency_list().annotate(positions=Count("requirements"))
    return _render(request, "competencies/dictionary.html", {"items": items, "is_admin": scope.city_manager})


@login_required
@require_http_methods(["GET", "POST"])
def competency_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    scope = scope_for(request.user)
    competency = get_object_or_404(Competency, code=code) if code else None
    if request.method == "POST":
        _require_admin(scope)
        unit_code = request.POST.get("unit", "").strip()
        unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
        levels = {
            i: (request.POST.get(f"level_{i}_title", ""), request.POST.get(f"level_{i}", ""))
            for i in range(1, 6)
        }
        try:
            saved = services.competency_save(
                actor=request.user,
                competency=competency,
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
                kind=request.POST.get("kind", competency.kind if competency else Competency.Kind.TECHNICAL),
                description=request.POST.get("description", ""),
                unit=unit,
                active=request.POST.get("active") == "on",
                levels=levels,
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ValidationFailed as exc:
            return _render(
                request,
                "competencies/competency_form.html",
                {
                    "competency": competency,
                    "errors": exc.fields,
                    "post": request.POST,
                    "is_admin": True,
                    "kinds": Competency.Kind.choices,
                    "levels": _level_rows(competency, request.POST),
                },
                status=422,
            )
        messages.success(request, _("Kompetensi %(code)s tersimpan.") % {"code": saved.code})
        return redirect("competencies:competency", code=saved.code)
    if competency is None:
        _require_admin(scope)
    elif not scope.sees_people:
        raise PermissionDenied
    return _render(
        request,
        "competencies/competency_form.html",
        {
            "competency": competency,
            "errors": {},
            "post": None,
            "is_admin": scope.city_manager,
            "kinds": Competency.Kind.choices,
            "levels": _level_rows(competency, None),
        },
    )


def _level_rows(competency: Competency | None, post: Any) -> list[tuple[int, str, str]]:
    existing = {lv.level: lv for lv in competency.levels.all()} if competency else {}
    rows = []
    for i in range(1, 6):
        if post is not None:
            rows.append((i, post.get(f"level_{i}_title", ""), post.get(f"level_{i}", "")))
        elif i in existing:
            rows.append((i, existing[i].title, existing[i].description))
        else:
            rows.append((i, "", ""))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def defaults(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    _require_admin(scope)
    pairs = [(kind, level) for kind, levels in Position.LEVELS_BY_KIND.items() for level in sorted(levels)]
    if request.method == "POST":
        changed = 0
        try:
            for kind, level in pairs:
                value = _parse_level(request.POST.get(f"{kind}:{level}"))
                if value is not None:
                    services.managerial_default_set(
                        actor=request.user, position_kind=kind, position_level=level, required_level=value
                    )
                    changed += 1
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Standar level manajerial tersimpan."))
        return redirect("competencies:defaults")
    current = {(d.position_kind, d.position_level): d.required_level for d in ManagerialDefault.objects.all()}
    kind_labels = dict(Position.Kind.choices)
    level_labels = dict(Position.Level.choices)
    rows = [
        (kind, level, kind_labels[kind], level_labels.get(level, "—"), current.get((kind, level)))
        for kind, level in pairs
    ]
    return _render(request, "competencies/defaults.html", {"rows": rows, "levels": range(1, 6)})


@login_required
@require_http_methods(["GET", "POST"])
def requirements(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    _require_admin(scope)
    if request.GET.get("format") == "xlsx":
        return _xlsx(imports.export_requirements(), "persyaratan-kompetensi.xlsx")
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or (upload.size or 0) > MAX_UPLOAD:
            messages.error(request, _("Pilih berkas .xlsx atau .csv (paling besar 10 MB)."))
        else:
            result = imports.import_requirements(
                actor=request.user, data=upload.read(), file_name=upload.name or ""
            )
            if result.ok:
                messages.success(request, _("%(n)d persyaratan diubah.") % {"n": result.written})
                return redirect("competencies:requirements")
    q = request.GET.get("q", "").strip()
    positions = (
        Position.objects.select_related("unit")
        .annotate(explicit=Count("requirements"))
        .order_by("unit__code", "code")
    )
    if q:
        positions = positions.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(unit__name__icontains=q))
    page = Paginator(positions, 50).get_page(request.GET.get("page"))
    return _render(
        request,
        "competencies/requirements.html",
        {"page": page, "q": q, "result": result},
        status=422 if result is not None and not result.ok else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_requirements(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    _require_admin(scope)
    position = get_object_or_404(Position.objects.select_related("unit"), code=code)
    competencies = list(selectors.competency_list(active_only=True).order_by("kind", "code"))
    if request.method == "POST":
        levels: dict[int, int | None] = {
            c.pk: _parse_level(request.POST.get(f"c{c.pk}")) for c in competencies
        }
        try:
            services.position_requirements_set(actor=request.user, position=position, levels=levels)
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Persyaratan jabatan tersimpan."))
        return redirect("competencies:position_requirements", code=code)
    explicit = dict(
        PositionRequirement.objects.filter(position=position).values_list("competency_id", "required_level")
    )
    resolved = selectors.required_levels(position)
    rows = [(c, explicit.get(c.pk), resolved.get(c.pk)) for c in competencies]
    return _render(
        request,
        "competencies/position_requirements.html",
        {"position": position, "rows": rows, "levels": range(1, 6)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_import(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.city_manager or scope.team_ids):
        raise PermissionDenied(_("Hanya admin BKPP dan atasan yang dapat mengimpor penilaian."))
    if request.GET.get("format") == "template":
        return _xlsx(imports.assessment_template(), "templat-penilaian-kompetensi.xlsx")
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or (upload.size or 0) > MAX_UPLOAD:
            messages.error(request, _("Pilih berkas .xlsx atau .csv (paling besar 10 MB)."))
        else:
            result = imports.import_assessments(
                actor=request.user, data=upload.read(), file_name=upload.name or ""
            )
            if result.ok:
                messages.success(request, _("%(n)d penilaian diimpor.") % {"n": result.written})
                return redirect("competencies:assessment_import")
    return _render(
        request,
        "competencies/assessment_import.html",
        {"result": result, "notes": imports.ASSESSMENT_NOTES},
        status=422 if result is not None and not result.ok else 200,
    )


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("saya/", mine, name="mine"),
    path("pegawai/<str:nip>/", employee_detail, name="employee"),
    path("penilaian/<int:pk>/tarik/", withdraw, name="withdraw"),
    path("penilaian/<int:pk>/bukti/", evidence, name="evidence"),
    path("penilaian-tim/", team_grid, name="team_grid"),
    path("penilaian/impor/", assessment_import, name="assessment_import"),
    path("peta/", heatmap, name="heatmap"),
    path("peta/pegawai/", gap_people, name="gap_people"),
    path("kamus/", dictionary, name="dictionary"),
    path("kamus/baru/", competency_edit, name="competency_create"),
    path("kamus/<str:code>/", competency_edit, name="competency"),
    path("standar-manajerial/", defaults, name="defaults"),
    path("persyaratan/", requirements, name="requirements"),
    path("persyaratan/<str:code>/", position_requirements, name="position_requirements"),
]
