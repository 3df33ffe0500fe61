"""IKM figures: one SQL aggregate (sum and count per unsur) per group, then `lib/ikm.py` does the arithmetic.

Filters: a unit (with its subtree: a kecamatan includes its kelurahan, a dinas its points), a point, service,
counter, officer, and a date range on the service date. The population for the sample check is the number
of finished tickets (done, incomplete, referred) in the same filter, or a given number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from mumpuni.lib.ikm import IkmResult, compute, sample_required
from mumpuni.people.models import Unit
from mumpuni.queueing.models import Ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse


@dataclass(frozen=True)
class IkmFilter:
    unit: Unit | None = None
    point_id: int | None = None
    service_id: int | None = None
    counter_id: int | None = None
    officer_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class IkmReport:
    result: IkmResult
    population: int
    sample_required: int
    sample_adequate: bool

    def as_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "respondents": r.respondents,
            "nrr": {code: round(float(value), 6) for code, value in r.nrr.items()},
            "ikm": float(r.ikm) if r.ikm is not None else None,
            "mutu": r.mutu,
            "kinerja": r.kinerja,
            "population": self.population,
            "sample_required": self.sample_required,
            "sample_adequate": self.sample_adequate,
        }


def _q(f: IkmFilter, prefix: str = "") -> Q:
    q = Q()
    if f.unit is not None:
        q &= Q(**{f"{prefix}unit__path__startswith": f.unit.path})
    if f.point_id is not None:
        q &= Q(**{f"{prefix}point_id": f.point_id})
    if f.service_id is not None:
        q &= Q(**{f"{prefix}service_id": f.service_id})
    if f.counter_id is not None:
        q &= Q(**{f"{prefix}counter_id": f.counter_id})
    if f.officer_id is not None:
        q &= Q(**{f"{prefix}officer_id": f.officer_id})
    return q


def responses(f: IkmFilter) -> QuerySet[SurveyResponse]:
    qs = SurveyResponse.objects.filter(_q(f))
    if f.date_from is not None:
        qs = qs.filter(service_date__gte=f.date_from)
    if f.date_to is not None:
        qs = qs.filter(service_date__lte=f.date_to)
    return qs


def aggregate(qs: QuerySet[SurveyResponse]) -> IkmResult:
    """One query: respondents, and per unsur the sum and the number of answers (blanks excluded)."""
    spec: dict[str, Any] = {"respondents": Count("id")}
    for field in UNSUR_FIELDS:
        spec[f"s_{field}"] = Sum(field)
        spec[f"n_{field}"] = Count(field)
    row = qs.aggregate(**spec)
    sums = {field.upper(): int(row[f"s_{field}"] or 0) for field in UNSUR_FIELDS}
    counts = {field.upper(): int(row[f"n_{field}"] or 0) for field in UNSUR_FIELDS}
    return compute(sums, counts, int(row["respondents"] or 0))


def population(f: IkmFilter) -> int:
    """Service users in the period: finished tickets matching the same filter."""
    qs = Ticket.objects.filter(status__in=("done", "incomplete", "referred"))
    if f.unit is not None:
        qs = qs.filter(point__unit__path__startswith=f.unit.path)
    if f.point_id is not None:
        qs = qs.filter(point_id=f.point_id)
    if f.service_id is not None:
        qs = qs.filter(service_id=f.service_id)
    if f.counter_id is not None:
        qs = qs.filter(counter_id=f.counter_id)
    if f.officer_id is not None:
        qs = qs.filter(officer_id=f.officer_id)
    if f.date_from is not None:
        qs = qs.filter(service_date__gte=f.date_from)
    if f.date_to is not None:
        qs = qs.filter(service_date__lte=f.date_to)
    return qs.count()


def ikm_report(f: IkmFilter, *, given_population: int | None = None) -> IkmReport:
    result = aggregate(responses(f))
    pop = given_population if given_population is not None else population(f)
    required = sample_required(pop)
    return IkmReport(result, pop, required, result.respondents >= required)
