"""REST API of `planning` under /api/v1/planning/: the year's budget lines (scoped as the page), a run's
status and figures (for polling), and asking for a run (BKPP). Handlers call the same selectors and
services as the pages; refusals become JSON with Indonesian messages (common/api.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from mumpuni.common.api import ErrorOut
from mumpuni.common.errors import NotFoundError, PermissionDeniedError
from mumpuni.planning import access, selectors, services
from mumpuni.planning.models import Scenario, ScenarioRun

router = Router(tags=["perencanaan pelatihan"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class BudgetLineOut(Schema):
    level: str
    unit: str | None
    source: str
    amount: int | None
    committed: int
    realised: int
    remaining: int | None


class BudgetOut(Schema):
    year: int
    lines: list[BudgetLineOut]


class RunOut(Schema):
    id: int
    scenario: int
    status: str
    outcome: str
    progress: int
    message: str
    objective: float | None
    bound: float | None
    gap: float | None
    cost: int | None
    gap_closed_percent: float | None
    accepted: bool


def _line(level: str, line: selectors.BudgetLine) -> dict[str, Any]:
    return {
        "level": level,
        "unit": line.unit.code if line.unit else None,
        "source": line.source.code,
        "amount": line.amount,
        "committed": line.spend.committed,
        "realised": line.spend.realised,
        "remaining": line.remaining,
    }


def _run(run: ScenarioRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "scenario": run.scenario_id,
        "status": run.status,
        "outcome": run.outcome,
        "progress": run.progress,
        "message": run.message,
        "objective": run.objective,
        "bound": run.bound,
        "gap": run.gap,
        "cost": run.cost,
        "gap_closed_percent": run.gap_closed_percent,
        "accepted": run.accepted_at is not None,
    }


@router.get("/budget", response={200: BudgetOut, **ERRORS}, summary="Anggaran pelatihan setahun")
def budget(request: HttpRequest, year: int | None = None) -> Any:
    year = year or timezone.localdate().year
    o = selectors.budget_overview(user=request.user, year=year)  # PermissionDeniedError → 403
    lines = [_line("kota", x) for x in o.city] + [_line("unit", x) for x in o.units]
    lines += [_line("belum_dialokasikan", x) for x in o.unallocated]
    return {"year": year, "lines": lines}


@router.get(
    "/runs/{run_id}", response={200: RunOut, **ERRORS}, summary="Status dan hasil satu jalannya skenario"
)
def run_status(request: HttpRequest, run_id: int) -> Any:
    if not access.can_read_plans(request.user):
        raise PermissionDeniedError("Perencanaan pelatihan hanya untuk BKPP dan pimpinan.")
    run = ScenarioRun.objects.defer("instance", "meta").filter(pk=run_id).first()
    if run is None:
        raise NotFoundError("Hasil skenario tidak ditemukan.")
    return _run(run)


@router.post(
    "/scenarios/{scenario_id}/runs", response={202: RunOut, **ERRORS}, summary="Jalankan skenario (BKPP)"
)
def run_request(request: HttpRequest, scenario_id: int) -> Any:
    if not access.can_manage(request.user):
        raise PermissionDeniedError("Hanya admin BKPP yang dapat menjalankan skenario.")
    scenario = Scenario.objects.filter(pk=scenario_id).first()
    if scenario is None:
        raise NotFoundError("Skenario tidak ditemukan.")
    run = services.run_request(actor=request.user, scenario=scenario)
    return Status(202, _run(run))
