"""GET /api/v1/queue/points: the caller's points with their services and counters (for kiosks, displays and
partner systems). Scoped by selectors.points: a kiosk or display key sees the point it is bound to."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from mumpuni.common.api import ErrorOut
from mumpuni.queueing.selectors.points import point_list

router = Router(tags=["Antrean: tempat pelayanan"])


class ServiceRef(Schema):
    code: str
    name: str


class CounterOut(Schema):
    id: int
    name: str
    services: list[str]  # service codes


class PointOut(Schema):
    code: str
    name: str
    services: list[ServiceRef]
    counters: list[CounterOut]


@router.get(
    "points",
    response={200: list[PointOut], 401: ErrorOut},
    summary="Tempat pelayanan, layanan dan loketnya",
    description="Tempat pelayanan dalam cakupan pemanggil: kios/papan melihat tempatnya sendiri.",
)
def list_points(request: HttpRequest) -> list[PointOut]:
    return [
        PointOut(
            code=point.code,
            name=point.name,
            services=[ServiceRef(code=ps.service.code, name=ps.service.name) for ps in point.active_services],
            counters=[
                CounterOut(id=c.pk, name=c.name, services=sorted(s.code for s in c.services.all()))
                for c in point.active_counters
            ],
        )
        for point in point_list(user=request.user).filter(active=True)
    ]
