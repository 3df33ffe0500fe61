"""Scenario pages: list and create (BKPP), one scenario with its runs and variants, a run's progress and
result (with accept), the explanation of one person's assignments, and the comparison of runs.

BKPP builds, runs and accepts; executives read; everyone else is refused (403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.forms import add_service_errors
from mumpuni.lib.tabular import write_xlsx
from mumpuni.people.models import Employee
from mumpuni.planning import access, compare, selectors, services
from mumpuni.planning.forms import ScenarioForm
from mumpuni.planning.models import PlannedAssignment, Scenario, ScenarioRun
from mumpuni.planning.views.budget import XLSX, year_of

MAX_COMPARED = 4


def _require_reader(request: HttpRequest) -> None:
    if not access.can_read_plans(request.user):
        raise PermissionDenied(_("Perencanaan pelatihan hanya untuk BKPP dan pimpinan."))


def _require_manager(request: HttpRequest) -> None:
    if not access.can_manage(request.user):
        raise PermissionDenied(_("Hanya admin BKPP yang dapat menyusun, menjalankan dan menerima rencana."))


def _initial_budget(year: int) -> int:
    apbd = selectors.apbd_source()
    if apbd is None:
        return 0
    return max(0, selectors.remaining_by_source(year).get(apbd.pk, 0))


@login_required
@require_http_methods(["GET", "POST"])
def scenario_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    manager = access.can_manage(request.user)
    status = 200
    if request.method == "POST":
        _require_manager(request)
        form = ScenarioForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                scenario = services.scenario_create(
                    actor=request.user,
                    name=data["name"],
                    year=data["year"],
                    budget=data["budget"],
                    units=list(data["units"]),
                    programs=list(data["programs"]),
                    mandatory_programs=list(data["mandatory_programs"]),
                    mandatory_pairs=data["mandatory_pairs"],
                    max_jp_per_employee=data["max_jp_per_employee"],
                    use_unit_budgets=data["use_unit_budgets"],
                    default_seats=data["default_seats"],
                    time_limit_seconds=data["time_limit_seconds"],
                    variant=data["variant"],
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Skenario dibuat. Jalankan untuk menghitung rencananya."))
                return redirect("planning:scenario", pk=scenario.pk)
        status = 422
    else:
        year = year_of(request)
        form = ScenarioForm(initial={"year": year, "budget": _initial_budget(year)})
    return render(
        request,
        "planning/scenarios.html",
        {
            "scenarios": selectors.scenario_list()[:100],
            "runs": selectors.recent_runs(30),
            "form": form,
            "can_manage": manager,
        },
        status=status,
    )


@login_required
@require_GET
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    scenario = get_object_or_404(
        Scenario.objects.select_related("base").prefetch_related("units", "programs", "mandatory_programs"),
        pk=pk,
    )
    return render(
        request,
        "planning/scenario.html",
        {
            "scenario": scenario,
            "runs": selectors.runs_of(scenario),
            "variants": scenario.variants.all(),
            "can_manage": access.can_manage(request.user),
            "derived": services.DERIVED,
        },
    )


@login_required
@require_POST
def scenario_run(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    scenario = get_object_or_404(Scenario, pk=pk)
    try:
        run = services.run_request(actor=request.user, scenario=scenario)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("planning:scenario", pk=pk)
    return redirect("planning:run", pk=run.pk)


@login_required
@require_POST
def scenario_derive(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    _require_manager(request)
    base = get_object_or_404(Scenario, pk=pk)
    if kind not in services.DERIVED:
        raise Http404
    variant = services.scenario_derive(actor=request.user, base=base, kind=kind)
    messages.success(request, _("Varian skenario dibuat: %(name)s.") % {"name": variant.name})
    return redirect("planning:scenario", pk=variant.pk)


# --- runs -------------------------------------------------------------------------------------------


def _run(pk: int) -> ScenarioRun:
    return get_object_or_404(
        ScenarioRun.objects.select_related("scenario", "accepted_by", "requested_by"), pk=pk
    )


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    run = _run(pk)
    context: dict[str, Any] = {"run": run, "can_manage": access.can_manage(request.user)}
    if run.has_plan:
        figures = compare.run_figures(run)
        names = (run.meta or {}).get("units", {})
        context["figures"] = figures
        context["unit_rows"] = sorted(
            ((code, names.get(code, code), fig) for code, fig in figures.units.items()), key=lambda r: r[0]
        )
        rows = selectors.run_assignments(run)
        q = request.GET.get("q", "").strip()
        if q:
            rows = rows.filter(employee__name__icontains=q) | rows.filter(employee__nip=q)
        page = Paginator(rows.order_by("-value", "employee__name"), 50).get_page(request.GET.get("page"))
        context.update(
            page=page,
            page_range=page.paginator.get_elided_page_range(page.number),
            q=q,
            acceptance={
                a or "pending": n
                for a, n in run.assignments.values_list("acceptance").annotate(n=Count("pk")).order_by()
            },
        )
    return render(request, "planning/run.html", context)


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress card (HTMX polls it while the run is queued or running)."""
    _require_reader(request)
    run = get_object_or_404(ScenarioRun.objects.defer("instance", "meta"), pk=pk)
    response = render(request, "planning/_progress.html", {"run": run})
    if run.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # reload the page once: the result is ready
    return response


@login_required
@require_POST
def run_accept(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    run = _run(pk)
    try:
        counts = services.run_accept(actor=request.user, run=run)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("planning:run", pk=pk)
    if counts.get("already"):
        messages.info(request, _("Rencana ini sudah diterima sebelumnya; tidak ada usulan baru."))
    else:
        messages.success(
            request,
            _("Rencana diterima: %(n)s usulan ke kelas, %(c)s perlu kelas, %(r)s tidak dapat diusulkan.")
            % {"n": counts["nominated"], "c": counts["needs_class"], "r": counts["refused"]},
        )
    return redirect("planning:run", pk=pk)


@login_required
@require_GET
def run_export(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    run = _run(pk)
    if not run.has_plan:
        raise Http404
    meta = run.meta or {}
    names = meta.get("competencies", {})
    headers = [
        "nip",
        "nama",
        "unit",
        "unit_anggaran",
        "program",
        "nama_program",
        "biaya",
        "jp",
        "nilai",
        "menutup",
        "bobot",
        "wajib",
        "status_penerimaan",
        "catatan",
    ]
    labels = dict(PlannedAssignment.Acceptance.choices)
    rows = (
        [
            a.employee.nip,
            a.employee.name,
            a.employee.unit.name,
            a.unit_code,
            a.program.code,
            a.program.name,
            a.cost,
            a.jp,
            round(a.value, 4),
            ", ".join(f"{names.get(k, k)} +{v}" for k, v in a.closes.items()),
            _weight(meta, a.employee.nip),
            "ya" if a.mandatory else "",
            labels.get(a.acceptance, ""),
            a.acceptance_note,
        ]
        for a in selectors.run_assignments(run)
        .order_by("unit_code", "employee__name")
        .iterator(chunk_size=2000)
    )
    data = write_xlsx(headers, rows, sheet_title=f"Rencana {run.scenario.year}")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="rencana-pelatihan-{run.scenario.pk}-{run.pk}-{dt.date.today().isoformat()}.xlsx"'
    )
    return response


def _weight(meta: dict[str, Any], nip: str) -> float:
    weight = 1.0
    for part in meta.get("employees", {}).get(nip, {}).get("weight_parts", []):
        weight *= float(part["factor"])
    return round(weight, 4)


@login_required
@require_GET
def assignment_explain(request: HttpRequest, pk: int, nip: str) -> HttpResponse:
    """Why this person was chosen for these programmes: value, levels closed, weight and its parts."""
    _require_reader(request)
    run = _run(pk)
    meta = run.meta or {}
    info = meta.get("employees", {}).get(nip)
    if info is None:
        raise Http404
    employee = get_object_or_404(Employee.objects.select_related("unit", "position"), nip=nip)
    instance_row = next((e for e in (run.instance or {}).get("employees", []) if e["id"] == nip), None)
    importance = {c["code"]: c["importance"] for c in (run.instance or {}).get("competencies", [])}
    assignments = list(
        run.assignments.filter(employee=employee).select_related("program", "enrollment__training_class")
    )
    competencies = meta.get("competencies", {})
    gap_rows = []
    closed_total: dict[str, int] = {}
    for a in assignments:
        for k, v in a.closes.items():
            closed_total[k] = closed_total.get(k, 0) + int(v)
    for code, gap in sorted(((instance_row or {}).get("gaps") or {}).items()):
        gap_rows.append(
            {
                "code": code,
                "name": competencies.get(code, code),
                "raw": info.get("raw_gaps", {}).get(code, gap),
                "gap": gap,
                "importance": importance.get(code, 1.0),
                "closed": closed_total.get(code, 0),
            }
        )
    return render(
        request,
        "planning/explain.html",
        {
            "run": run,
            "employee": employee,
            "info": info,
            "weight": (instance_row or {}).get("weight"),
            "assignments": assignments,
            "competencies": competencies,
            "gap_rows": gap_rows,
            "figures": meta.get("service_figures", {}),
            "median_wait": meta.get("city_median_wait"),
        },
    )


# --- comparison -------------------------------------------------------------------------------------


def _compared_runs(request: HttpRequest) -> list[ScenarioRun]:
    ids = [int(v) for v in request.GET.getlist("run") if v.isdigit()][:MAX_COMPARED]
    runs = {r.pk: r for r in ScenarioRun.objects.select_related("scenario").filter(pk__in=ids)}
    return [runs[i] for i in dict.fromkeys(ids) if i in runs and runs[i].has_plan]


@login_required
@require_GET
def compare_runs(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    runs = _compared_runs(request)
    choices = list(
        ScenarioRun.objects.select_related("scenario")
        .defer("instance", "meta", "result")
        .filter(status=ScenarioRun.Status.DONE, outcome__in=("optimal", "feasible"))
        .order_by("-created_at")[:60]
    )
    comparison = compare.compare(runs) if len(runs) >= 2 else None
    return render(
        request,
        "planning/compare.html",
        {
            "comparison": comparison,
            "choices": choices,
            "chosen": {r.pk for r in runs},
            "query": request.GET.urlencode(),
            "too_few": bool(request.GET.getlist("run")) and len(runs) < 2,
        },
    )


@login_required
@require_GET
def compare_export(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    runs = _compared_runs(request)
    if len(runs) < 2:
        raise Http404
    c = compare.compare(runs)
    headers = ["ukuran"] + [f"#{f.run.pk} {f.run.scenario.name}" for f in c.runs]
    rows: list[list[Any]] = [
        ["anggaran"] + [f.budget for f in c.runs],
        ["biaya"] + [f.cost for f in c.runs],
        ["nilai (kesenjangan tertutup berbobot)"] + [round(f.objective or 0, 4) for f in c.runs],
        ["% kesenjangan berbobot tertutup"] + [f.closed_percent for f in c.runs],
        ["pegawai terjangkau"] + [f.people_reached for f in c.runs],
        ["penugasan"] + [f.assignments for f in c.runs],
        ["pegawai ≥ 20 JP (%)"] + [f.jp_percent for f in c.runs],
    ]
    for code, name, figs in c.unit_rows:
        rows.append([f"{code} {name}: biaya"] + [fig.cost if fig else "" for fig in figs])
        rows.append([f"{code} {name}: pegawai terjangkau"] + [fig.reached if fig else "" for fig in figs])
        rows.append([f"{code} {name}: % tertutup"] + [fig.closed_percent if fig else "" for fig in figs])
    data = write_xlsx(headers, rows, sheet_title="Perbandingan")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="banding-skenario-{dt.date.today().isoformat()}.xlsx"'
    )
    return response
