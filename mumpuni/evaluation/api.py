"""REST API of `evaluation` under /api/v1/evaluation/: results (scoped as the page), my L1 forms and their
answers, the L3 work list and assessments. Handlers call the same selectors and services as the pages;
refusals become JSON with Indonesian messages (common/api.py). What the caller may not see answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from mumpuni.common.api import ErrorOut
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.evaluation import selectors, services
from mumpuni.evaluation.models import REACTION_FIELDS, BehaviourRequest, ReactionResponse

router = Router(tags=["evaluasi pelatihan"])
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


# --- schemas ---------------------------------------------------------------------------------------


class L1Out(Schema):
    n: int
    shown: bool = Field(description="false: kurang dari jumlah jawaban minimal, rata-rata disembunyikan")
    response_rate: float | None
    means: dict[str, float | None]
    index: float | None


class L2Out(Schema):
    n: int
    mean_pre: float | None
    mean_post: float | None
    raw_gain: float | None
    normalised_gain: float | None = Field(description="Hake: (post − pre)/(100 − pre) dari rata-rata")
    mean_individual_gain: float | None
    pass_rate: float | None
    pass_n: int


class L3Out(Schema):
    requested: int
    submitted: int
    mean_change: float | None
    mean_observed_level: float | None


class ResultRowOut(Schema):
    key: str
    label: str
    classes: int
    participants: int
    l1: L1Out
    l2: L2Out
    l3: L3Out


class ResultsOut(Schema):
    group_by: str
    start: dt.date
    end: dt.date
    min_group_size: int
    rows: list[ResultRowOut]
    total: ResultRowOut


class ReactionOut(Schema):
    id: int
    program: str
    class_code: str
    status: str
    opened_on: dt.date
    expires_on: dt.date
    submitted_at: dt.datetime | None


class ReactionIn(Schema):
    # Loose types on purpose: the service checks each answer and says in Indonesian what is wrong.
    relevance: Any = None
    trainer: Any = None
    method: Any = None
    materials: Any = None
    facilities: Any = None
    usefulness: Any = None
    overall: Any = None
    comment: str = Field("", max_length=2000)


class RatingOut(Schema):
    id: int
    competency_code: str | None
    competency_name: str | None
    uplift: int
    level_before: int | None
    change: int | None
    observed_level: int | None
    comment: str


class BehaviourOut(Schema):
    id: int
    employee_nip: str
    employee_name: str
    program: str
    completed_on: dt.date | None
    status: str
    requested_on: dt.date
    expires_on: dt.date
    submitted_at: dt.datetime | None
    can_rate: bool
    ratings: list[RatingOut]


class RatingIn(Schema):
    id: int
    change: Any = None
    observed_level: Any = None
    comment: str = Field("", max_length=2000)


class BehaviourIn(Schema):
    ratings: list[RatingIn]
    comment: str = Field("", max_length=2000)


# --- helpers ---------------------------------------------------------------------------------------


def _row(row: selectors.ResultRow) -> dict[str, Any]:
    assert row.l1 is not None and row.l2 is not None
    return {
        "key": row.key,
        "label": row.label,
        "classes": len(row.classes),
        "participants": row.participants,
        "l1": {
            "n": row.l1.n,
            "shown": row.l1.shown,
            "response_rate": row.l1_response_rate,
            "means": row.l1.means,
            "index": row.l1.index,
        },
        "l2": {
            "n": row.l2.n,
            "mean_pre": row.l2.mean_pre,
            "mean_post": row.l2.mean_post,
            "raw_gain": row.l2.raw_gain,
            "normalised_gain": row.l2.normalised_gain,
            "mean_individual_gain": row.l2.mean_individual_gain,
            "pass_rate": row.l2.pass_rate,
            "pass_n": row.l2.pass_n,
        },
        "l3": {
            "requested": row.l3_requested,
            "submitted": row.l3_submitted,
            "mean_change": row.l3_mean_change,
            "mean_observed_level": row.l3_mean_observed,
        },
    }


def _reaction(r: ReactionResponse) -> dict[str, Any]:
    c = r.enrollment.training_class
    return {
        "id": r.pk,
        "program": c.program.name,
        "class_code": c.code,
        "status": r.status,
        "opened_on": r.opened_on,
        "expires_on": r.expires_on,
        "submitted_at": r.submitted_at,
    }


def _behaviour(request: HttpRequest, b: BehaviourRequest) -> dict[str, Any]:
    return {
        "id": b.pk,
        "employee_nip": b.employee.nip,
        "employee_name": b.employee.name,
        "program": b.enrollment.training_class.program.name,
        "completed_on": b.enrollment.completed_on,
        "status": b.status,
        "requested_on": b.requested_on,
        "expires_on": b.expires_on,
        "submitted_at": b.submitted_at,
        "can_rate": services.can_rate_behaviour(request.user, b),
        "ratings": [
            {
                "id": r.pk,
                "competency_code": r.competency.code if r.competency else None,
                "competency_name": r.competency.name if r.competency else None,
                "uplift": r.uplift,
                "level_before": r.level_before,
                "change": r.change,
                "observed_level": r.observed_level,
                "comment": r.comment,
            }
            for r in b.ratings.all()
        ],
    }


# --- results ---------------------------------------------------------------------------------------


@router.get("/results", response={200: ResultsOut, **ERRORS}, summary="Hasil evaluasi L1–L3 per kelompok")
def results(
    request: HttpRequest,
    group_by: str = "program",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Any:
    if not selectors.can_view_results(request.user):
        raise PermissionDeniedError("Hasil evaluasi hanya untuk BKPP, pimpinan, kepala unit dan pelatih.")
    if group_by not in selectors.GROUP_BYS:
        raise ValidationFailed(
            "Pengelompokan tidak dikenal.",
            fields={"group_by": [f"Pilih salah satu: {', '.join(selectors.GROUP_BYS)}."]},
        )
    result = selectors.results(user=request.user, group_by=group_by, start=start, end=end)
    return {
        "group_by": result.group_by,
        "start": result.start,
        "end": result.end,
        "min_group_size": result.min_group_size,
        "rows": [_row(r) for r in result.rows],
        "total": _row(result.total),
    }


# --- L1 --------------------------------------------------------------------------------------------


@router.get("/reactions/me", response={200: list[ReactionOut], **ERRORS}, summary="Evaluasi reaksi saya")
def my_reactions(request: HttpRequest) -> Any:
    return [_reaction(r) for r in selectors.my_reactions(request.user)[:200]]


@router.post(
    "/reactions/{reaction_id}", response={200: ReactionOut, **ERRORS}, summary="Isi evaluasi reaksi (L1)"
)
def reaction_submit(request: HttpRequest, reaction_id: int, payload: ReactionIn) -> Any:
    response = services.reaction_for_user(request.user, reaction_id)  # NotFoundError → 404
    answers = {f: getattr(payload, f) for f in REACTION_FIELDS}
    services.reaction_submit(actor=request.user, response=response, answers=answers, comment=payload.comment)
    response.refresh_from_db()
    return _reaction(response)


# --- L3 --------------------------------------------------------------------------------------------


@router.get(
    "/behaviour-requests",
    response={200: list[BehaviourOut], **ERRORS},
    summary="Permintaan penilaian perilaku yang dapat saya isi",
)
def behaviour_list(request: HttpRequest, status: str = "pending") -> Any:
    qs = selectors.behaviour_worklist(request.user, status).prefetch_related("ratings__competency")[:200]
    return [_behaviour(request, b) for b in qs]


@router.get(
    "/behaviour-requests/{request_id}",
    response={200: BehaviourOut, **ERRORS},
    summary="Satu permintaan penilaian perilaku",
)
def behaviour_get(request: HttpRequest, request_id: int) -> Any:
    return _behaviour(request, services.behaviour_for_user(request.user, request_id))


@router.post(
    "/behaviour-requests/{request_id}",
    response={200: BehaviourOut, **ERRORS},
    summary="Isi penilaian perilaku (L3)",
)
def behaviour_submit(request: HttpRequest, request_id: int, payload: BehaviourIn) -> Any:
    item = services.behaviour_for_user(request.user, request_id)  # NotFoundError → 404
    services.behaviour_submit(
        actor=request.user,
        request=item,
        ratings=[services.RatingInput(r.id, r.change, r.observed_level, r.comment) for r in payload.ratings],
        comment=payload.comment,
    )
    item = services.behaviour_for_user(request.user, request_id)
    return _behaviour(request, item)
