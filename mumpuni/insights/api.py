"""REST API of `insights` under /api/v1/insights/: the impact estimate of a programme (or a group), the same
figures as `manage.py impact` plus the event study. Who may call it: insights.access (admin, executive,
unit heads); everyone else gets 403, an unknown programme 404."""

from __future__ import annotations

from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from mumpuni.common.api import ErrorOut
from mumpuni.common.errors import PermissionDeniedError
from mumpuni.insights import access, selectors
from mumpuni.insights.messages import refusal_reason
from mumpuni.learning.models import Program
from mumpuni.lib import did

router = Router(tags=["insights"])

Outcome = Literal["service_minutes", "wait_minutes", "skm", "complaints"]


class EventOut(Schema):
    event: int
    estimate: float | None
    ci95: list[float] | None
    treated: int


class ImpactOut(Schema):
    effect: float | None
    ci95: list[float] | None
    naive_before_after: float | None
    officers_treated: int
    officers_control: int
    tickets: int
    method: str
    refusal: str | None = None
    pretrend_p: float | None = None
    event_study: list[EventOut] = []


@router.get(
    "/impact",
    response={200: ImpactOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Dampak program pelatihan (DiD bertahap)",
)
def impact(request: HttpRequest, program: str, outcome: Outcome = "service_minutes") -> ImpactOut:
    """`program`: a programme code, or several separated by commas."""
    if not access.can_see_impact(request.user):
        raise PermissionDeniedError("Akun ini tidak memiliki akses ke analisis dampak pelatihan.")
    try:
        programs = selectors.programs_by_codes(program.split(","))
    except Program.DoesNotExist as exc:
        raise Http404 from exc
    result = selectors.program_impact(programs, outcome).result
    if isinstance(result, did.Estimate):
        return ImpactOut(
            effect=result.effect,
            ci95=list(result.ci95),
            naive_before_after=result.naive_before_after,
            officers_treated=result.officers_treated,
            officers_control=result.officers_control,
            tickets=result.tickets,
            method=result.method,
            pretrend_p=result.pretrend_p,
            event_study=[
                EventOut(
                    event=p.event,
                    estimate=p.estimate,
                    ci95=list(p.ci95) if p.ci95 else None,
                    treated=p.treated,
                )
                for p in result.event_study
            ],
        )
    return ImpactOut(
        effect=None,
        ci95=None,
        naive_before_after=result.naive_before_after if result else None,
        officers_treated=result.officers_treated if result else 0,
        officers_control=result.officers_control if result else 0,
        tickets=0,
        method=f"refused: {result.reason}" if result else "refused: no_data",
        refusal=refusal_reason(result) if result else "Belum ada rekap petugas per bulan.",
    )
