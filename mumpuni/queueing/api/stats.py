"""Queue statistics API (/api/v1/queue/stats, /api/v1/queue/staffing).

stats is scoped like the statistics page (selectors/stats.py): a point outside the caller's scope is a
404, a caller who may see no statistics at all a 403. staffing is pure arithmetic (Erlang C) for any
signed-in caller.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from mumpuni.common.api import ErrorOut
from mumpuni.common.errors import ValidationFailed
from mumpuni.lib.erlang import ErlangError, staffing_advice
from mumpuni.queueing.models import Service
from mumpuni.queueing.selectors import stats as selectors

router = Router(tags=["antrean: statistik"])

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_DAYS = 366


class GroupOut(Schema):
    key: str | None
    label: str
    count: int
    finished: int
    no_show: int
    no_show_rate: float | None
    within_target_share: float | None
    wait_mean: float | None = Field(description="menit")
    wait_p50: float | None
    wait_p90: float | None
    service_mean: float | None = Field(description="menit")
    service_p50: float | None
    service_p90: float | None


class StatsOut(Schema):
    date_from: dt.date
    date_to: dt.date
    point: str | None
    service: str | None
    total: GroupOut
    point_groups: list[GroupOut]
    service_groups: list[GroupOut]
    counter_groups: list[GroupOut]
    officer_groups: list[GroupOut]
    hour_groups: list[GroupOut]
    day_groups: list[GroupOut]


class StatsQuery(Schema):
    point: str | None = Field(None, description="kode tempat pelayanan (kode unit), mis. 33.74.10")
    service: str | None = Field(None, description="kode layanan")
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None


class StaffingQuery(Schema):
    arrivals_per_hour: float = Field(..., ge=0)
    mean_service_minutes: float = Field(..., gt=0)
    target_wait_minutes: float = Field(..., ge=0)
    service_level: float = Field(0.8, gt=0, lt=100, description="pecahan 0–1 atau persen (80 = 0,8)")


class StaffingOut(Schema):
    counters: int
    service_level: float
    probability_of_waiting: float
    mean_wait_minutes: float
    occupancy: float


def _group(g: selectors.GroupStats) -> dict[str, Any]:
    data = g.as_dict()
    data["key"] = None if g.key is None else str(g.key)
    return data


@router.get("/stats", response={200: StatsOut, **ERRORS}, summary="Statistik antrean (sesuai cakupan)")
def queue_stats(request: HttpRequest, filters: Query[StatsQuery]) -> dict[str, Any]:
    points = selectors.visible_points(request.user)  # 403 for callers without statistics
    point = None
    if filters.point:
        point = points.filter(unit__code=filters.point).first()
        if point is None:
            raise Http404("Tempat pelayanan tidak ditemukan.")
    service = None
    if filters.service:
        service = Service.objects.filter(code=filters.service).first()
        if service is None:
            raise Http404("Layanan tidak ditemukan.")
    date_to = filters.to or timezone.localdate()
    date_from = filters.from_ or date_to - dt.timedelta(days=29)
    if date_from > date_to or (date_to - date_from).days > MAX_DAYS:
        raise ValidationFailed(
            "Rentang tanggal tidak valid.",
            fields={"from": ["Rentang tanggal paling lama satu tahun, awal ≤ akhir."]},
        )
    report = selectors.ticket_stats(
        request.user,
        selectors.StatsFilter(date_from=date_from, date_to=date_to, point=point, service=service),
    )
    out: dict[str, Any] = {
        "date_from": date_from,
        "date_to": date_to,
        "point": point.unit.code if point else None,
        "service": service.code if service else None,
        "total": _group(report.total),
    }
    for name, groups in report.groups.items():
        out[f"{name}_groups"] = [_group(g) for g in groups]
    return out


@router.get("/staffing", response={200: StaffingOut, **ERRORS}, summary="Saran jumlah loket (Erlang C)")
def queue_staffing(request: HttpRequest, params: Query[StaffingQuery]) -> dict[str, Any]:
    level = params.service_level / 100 if params.service_level > 1 else params.service_level
    try:
        advice = staffing_advice(
            arrivals_per_hour=params.arrivals_per_hour,
            mean_service_minutes=params.mean_service_minutes,
            target_wait_minutes=params.target_wait_minutes,
            target_service_level=level,
        )
    except ErlangError as exc:
        raise ValidationFailed(str(exc), fields={"service_level": [str(exc)]}) from exc
    return advice.as_dict()
