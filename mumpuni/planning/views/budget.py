"""Budget pages: the year's budget with committed and realised spend (BKPP and executives city-wide, unit
heads their own units), its XLSX export, BKPP's forms for the city and unit budgets, and the weights page
(competency importance and weight settings)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.forms import add_service_errors
from mumpuni.competencies.models import Competency
from mumpuni.lib.tabular import write_xlsx
from mumpuni.planning import access, selectors, services
from mumpuni.planning.forms import BudgetForm, UnitBudgetForm, WeightsForm
from mumpuni.planning.models import CompetencyImportance, WeightSettings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def year_of(request: HttpRequest) -> int:
    raw = request.GET.get("tahun") or request.POST.get("tahun") or ""
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and this_year - 5 <= int(raw) <= this_year + 2 else this_year


def years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year + 2, this_year - 4, -1))


def _require_budget_reader(request: HttpRequest) -> None:
    if not access.can_view_budget(request.user):
        raise PermissionDenied(_("Anggaran pelatihan hanya untuk BKPP, pimpinan dan kepala unit."))


def _render(
    request: HttpRequest,
    year: int,
    *,
    budget_form: BudgetForm | None = None,
    unit_form: UnitBudgetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    overview = selectors.budget_overview(user=request.user, year=year)
    manager = access.can_manage(request.user)
    return render(
        request,
        "planning/budget.html",
        {
            "o": overview,
            "year": year,
            "years": years(),
            "can_manage": manager,
            "budget_form": budget_form or BudgetForm(initial={"year": year}),
            "unit_form": unit_form or UnitBudgetForm(initial={"year": year}),
        },
        status=status,
    )


@login_required
@require_GET
def budget(request: HttpRequest) -> HttpResponse:
    _require_budget_reader(request)
    return _render(request, year_of(request))


def _save_budget(
    request: HttpRequest, form: Any, write: Callable[[dict[str, Any]], Any], *, saved: str, form_key: str
) -> HttpResponse:
    """BKPP only: a valid form runs `write(cleaned_data)` and returns to that year's budget page; a refused one
    re-renders the page with the form's field errors (HTTP 422) under `form_key`."""
    if not access.can_manage(request.user):
        raise PermissionDenied(_("Hanya admin BKPP yang dapat mengubah anggaran."))
    year = year_of(request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            write(data)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, saved)
            return redirect(f"{reverse('planning:budget')}?tahun={data['year']}")
    return _render(request, year, status=422, **{form_key: form})


@login_required
@require_POST
def budget_set(request: HttpRequest) -> HttpResponse:
    return _save_budget(
        request,
        BudgetForm(request.POST),
        lambda d: services.budget_set(
            actor=request.user, year=d["year"], source=d["source"], amount=d["amount"], note=d["note"]
        ),
        saved=_("Pagu kota disimpan."),
        form_key="budget_form",
    )


@login_required
@require_POST
def unit_budget_set(request: HttpRequest) -> HttpResponse:
    return _save_budget(
        request,
        UnitBudgetForm(request.POST),
        lambda d: services.unit_budget_set(
            actor=request.user, year=d["year"], unit=d["unit"], source=d["source"], amount=d["amount"]
        ),
        saved=_("Pagu unit disimpan."),
        form_key="unit_form",
    )


@login_required
@require_GET
def budget_export(request: HttpRequest) -> HttpResponse:
    _require_budget_reader(request)
    year = year_of(request)
    o = selectors.budget_overview(user=request.user, year=year)
    headers = [
        "tingkat",
        "unit_kode",
        "unit",
        "sumber_dana",
        "pagu",
        "komitmen",
        "peserta_komitmen",
        "realisasi",
        "peserta_realisasi",
        "sisa",
    ]

    def row(level: str, line: selectors.BudgetLine) -> list[Any]:
        return [
            level,
            line.unit.code if line.unit else "",
            line.unit.name if line.unit else "",
            line.source.name,
            "" if line.amount is None else line.amount,
            line.spend.committed,
            line.spend.committed_people,
            line.spend.realised,
            line.spend.realised_people,
            "" if line.remaining is None else line.remaining,
        ]

    rows = [row("kota", line) for line in o.city]
    rows += [row("unit", line) for line in o.units]
    rows += [row("belum dialokasikan", line) for line in o.unallocated]
    data = write_xlsx(headers, rows, sheet_title=f"Anggaran {year}")
    response = HttpResponse(data, content_type=XLSX)
    stamp = dt.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="anggaran-pelatihan-{year}-{stamp}.xlsx"'
    return response


# --- weights ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def weights(request: HttpRequest) -> HttpResponse:
    if not access.can_read_plans(request.user):
        raise PermissionDenied(_("Bobot perencanaan hanya untuk BKPP dan pimpinan."))
    manager = access.can_manage(request.user)
    settings = WeightSettings.current()
    form = WeightsForm(instance=settings)
    competencies = list(Competency.objects.filter(active=True).order_by("kind", "code"))
    importance = dict(CompetencyImportance.objects.values_list("competency_id", "importance"))
    importance_errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        if not manager:
            raise PermissionDenied(_("Hanya admin BKPP yang dapat mengubah bobot."))
        if request.POST.get("part") == "importance":
            for competency in competencies:
                raw = request.POST.get(f"imp_{competency.pk}")
                if raw is None or raw.strip() == str(importance.get(competency.pk, "1.00")):
                    continue
                try:
                    services.importance_set(actor=request.user, competency=competency, importance=raw.strip())
                except ValidationFailed as exc:
                    importance_errors[competency.pk] = exc.message
            if not importance_errors:
                messages.success(request, _("Bobot kompetensi disimpan."))
                return redirect("planning:weights")
            status = 422
            importance = dict(CompetencyImportance.objects.values_list("competency_id", "importance"))
        else:
            form = WeightsForm(request.POST, instance=WeightSettings.current())
            if form.is_valid():
                try:
                    services.weights_set(actor=request.user, **dict(form.cleaned_data.items()))
                except (ValidationFailed, PermissionDeniedError) as exc:
                    if isinstance(exc, PermissionDeniedError):
                        raise PermissionDenied(exc.message) from exc
                    add_service_errors(form, exc)
                    status = 422
                else:
                    messages.success(request, _("Pengaturan bobot disimpan."))
                    return redirect("planning:weights")
            else:
                status = 422
    rows = [
        (c, importance.get(c.pk), importance_errors.get(c.pk), request.POST.get(f"imp_{c.pk}"))
        for c in competencies
    ]
    return render(
        request,
        "planning/weights.html",
        {"form": form, "rows": rows, "can_manage": manager, "settings": settings},
        status=status,
    )
