"""Running a scenario (the Celery task's body): claim the run, build the instance from live data, solve it
with progress, keep the result and one PlannedAssignment per chosen pair.

The run is claimed with a conditional update (queued → running), so a duplicated message runs it once.
Progress is written as the solver reports it (at most every half second); outside a transaction each
write commits at once, so the page that polls sees it while the solver works.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from mumpuni.planning.explain import explain
from mumpuni.planning.instance import build_instance
from mumpuni.planning.models import PlannedAssignment, ScenarioRun

logger = logging.getLogger(__name__)

SYSTEM_ERROR = "Terjadi kesalahan sistem saat menghitung rencana; coba lagi atau hubungi admin aplikasi."


# The solver reports short step names; users read these.
SOLVER_STEPS = {
    "greedy": "Menghitung rencana pembanding (serakah)…",
    "mip": "Mencari rencana optimal (pola per pegawai dan HiGHS)…",
    "lagrangian": "Mencari rencana optimal (dekomposisi Lagrange)…",
    "explain": "Menyusun penjelasan tiap penugasan…",
    "done": "Selesai menghitung; menyimpan hasil…",
}


class _Progress:
    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.last = 0.0

    def set(self, percent: int, message: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        ScenarioRun.objects.filter(pk=self.run_id, status=ScenarioRun.Status.RUNNING).update(
            progress=max(0, min(100, percent)), message=message[:500], updated_at=timezone.now()
        )

    def solver(self, fraction: float, message: str) -> None:
        text = SOLVER_STEPS.get(message, message) or "Menghitung rencana…"
        self.set(10 + int(85 * max(0.0, min(1.0, float(fraction)))), text)


def _reasons(result: dict[str, Any]) -> list[str]:
    for key in ("reasons", "infeasibility_reasons", "messages"):
        value = result.get(key)
        if isinstance(value, list) and value:
            return [str(v) for v in value]
    for key in ("reason", "message"):
        if result.get(key):
            return [str(result[key])]
    return []


def _fail(run_id: int, message: str, **extra: Any) -> None:
    ScenarioRun.objects.filter(pk=run_id).update(
        status=ScenarioRun.Status.FAILED,
        message=message[:500],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
        **extra,
    )


def jp_reached(meta: dict[str, Any], planned_jp: dict[str, float]) -> int:
    """Employees of the selection reaching the annual JP target with earned + planned JP."""
    target = float(meta.get("jp_target", 20))
    extra = 0
    for nip, jp in planned_jp.items():
        earned = float(meta["employees"].get(nip, {}).get("earned_jp", 0))
        if earned < target <= earned + jp:
            extra += 1
    return int(meta.get("jp_reached_before", 0)) + extra


def execute_run(run_id: int) -> None:
    from mumpuni.planning.solver import InstanceError, solve

    claimed = ScenarioRun.objects.filter(pk=run_id, status=ScenarioRun.Status.QUEUED).update(
        status=ScenarioRun.Status.RUNNING,
        started_at=timezone.now(),
        progress=1,
        message="Menyusun data dari basis data…",
        updated_at=timezone.now(),
    )
    if claimed != 1:
        return
    run = ScenarioRun.objects.select_related("scenario").get(pk=run_id)
    progress = _Progress(run_id)
    try:
        started = time.monotonic()
        built = build_instance(run.scenario)
        build_seconds = round(time.monotonic() - started, 3)
        ScenarioRun.objects.filter(pk=run_id).update(
            instance=built.instance,
            meta=built.meta,
            build_seconds=build_seconds,
            total_weighted_gap=built.meta["total_weighted_gap"],
        )
        progress.set(
            10,
            f"Data siap: {len(built.instance['employees'])} pegawai, "
            f"{len(built.instance['programs'])} program. Menghitung…",
            force=True,
        )
        try:
            result = solve(
                built.instance,
                time_limit=run.scenario.time_limit_seconds,
                progress=progress.solver,
            )
        except InstanceError as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            _fail(run_id, "Data skenario tidak valid: " + "; ".join(messages), result={"errors": messages})
            return
        status = str(result.get("status", ""))
        stored = {k: v for k, v in result.items() if k != "assignments"}
        if status == "infeasible":
            reasons = _reasons(result) or built.problems or ["Tidak ada rencana yang memenuhi semua batasan."]
            stored["reasons"] = reasons
            stored["our_reasons"] = built.problems
            ScenarioRun.objects.filter(pk=run_id).update(
                status=ScenarioRun.Status.DONE,
                outcome=ScenarioRun.Outcome.INFEASIBLE,
                progress=100,
                message=("Tidak layak: " + " ".join(reasons))[:500],
                result=stored,
                solve_seconds=result.get("solve_seconds"),
                finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
            return
        _store_plan(run_id, built.instance, built.meta, result, stored)
    except Exception:
        logger.exception("planning run %s failed", run_id)
        _fail(run_id, SYSTEM_ERROR)


def _store_plan(
    run_id: int,
    instance: dict[str, Any],
    meta: dict[str, Any],
    result: dict[str, Any],
    stored: dict[str, Any],
) -> None:
    assignments = list(result.get("assignments") or [])
    missing = [a for a in assignments if "value" not in a or "closes" not in a]
    ours = explain(instance, missing) if missing else {}
    programs = {p["code"]: p for p in instance["programs"]}
    employees = {e["id"]: e for e in instance["employees"]}
    mandatory = {(m["employee"], m["program"]) for m in instance["mandatory"]}
    planned_jp: dict[str, float] = defaultdict(float)
    rows = []
    for a in assignments:
        nip, code = str(a["employee"]), str(a["program"])
        info = a if "value" in a and "closes" in a else ours[(nip, code)]
        program = programs[code]
        planned_jp[nip] += float(program["jp"])
        rows.append(
            PlannedAssignment(
                run_id=run_id,
                employee_id=meta["employees"][nip]["pk"],
                program_id=meta["programs"][code]["pk"],
                unit_code=employees[nip]["unit"],
                value=float(info["value"]),
                closes={str(k): int(v) for k, v in dict(info["closes"]).items()},
                cost=int(program["cost"]),
                jp=Decimal(str(program["jp"])),
                mandatory=(nip, code) in mandatory,
            )
        )
    stored["jp_reached"] = jp_reached(meta, planned_jp)
    stored["people_reached"] = len(planned_jp)
    outcome = (
        ScenarioRun.Outcome.OPTIMAL if result.get("status") == "optimal" else ScenarioRun.Outcome.FEASIBLE
    )
    with transaction.atomic():
        PlannedAssignment.objects.filter(run_id=run_id).delete()
        PlannedAssignment.objects.bulk_create(rows, batch_size=1000)
        ScenarioRun.objects.filter(pk=run_id).update(
            status=ScenarioRun.Status.DONE,
            outcome=outcome,
            progress=100,
            message=f"Selesai: {len(rows)} penugasan untuk {len(planned_jp)} pegawai.",
            result=stored,
            objective=float(result.get("objective") or 0.0),
            bound=None if result.get("bound") is None else float(result["bound"]),
            gap=None if result.get("gap") is None else float(result["gap"]),
            cost=int(round(float(result.get("cost") or 0))),
            solve_seconds=result.get("solve_seconds"),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
