"""Writes of `insights`: refreshing the officer × month roll-up from tickets, SKM answers and complaints.

A refresh rebuilds whole months: every real row of the month is recomputed (or removed when its data are
gone) in one transaction, and a synthetic demo row gives way to a real row for the same officer and month.
The roll-up is derived data (it can always be rebuilt), so a refresh writes one log line, not an audit entry
per row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from mumpuni.complaints.models import Complaint
from mumpuni.insights.models import OfficerMonth
from mumpuni.queueing.models import Ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse

logger = logging.getLogger(__name__)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out: list[dt.date] = []
    month = month_start(first)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


@dataclass
class _Cell:
    tickets: int = 0
    service_minutes_sum: float = 0.0
    wait_minutes_sum: float = 0.0
    skm_sum: float = 0.0
    skm_count: int = 0
    complaints: int = 0


def _minutes(value: dt.timedelta | None) -> float:
    return max(value.total_seconds() / 60.0, 0.0) if value else 0.0


def response_score(answers: Iterable[int | None]) -> float | None:
    """One SKM response's score on the IKM scale: the mean of the answered unsur × 25 (PermenPANRB 14/2017)."""
    given = [a for a in answers if a is not None]
    return sum(given) / len(given) * 25 if given else None


def _collect(month: dt.date) -> dict[int, _Cell]:
    end = next_month(month)
    cells: dict[int, _Cell] = defaultdict(_Cell)
    served = (
        Ticket.objects.filter(
            service_date__gte=month,
            service_date__lt=end,
            officer__isnull=False,
            started_at__isnull=False,
            finished_at__isnull=False,
        )
        .values("officer_id")
        .annotate(
            n=Count("id"),
            service=Sum(ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())),
            wait=Sum(
                ExpressionWrapper(
                    Coalesce("called_at", "started_at") - F("issued_at"), output_field=DurationField()
                )
            ),
        )
        .order_by()
    )
    for row in served:
        cell = cells[row["officer_id"]]
        cell.tickets = row["n"]
        cell.service_minutes_sum = _minutes(row["service"])
        cell.wait_minutes_sum = _minutes(row["wait"])
    answers = SurveyResponse.objects.filter(
        service_date__gte=month, service_date__lt=end, officer__isnull=False
    ).values_list("officer_id", *UNSUR_FIELDS)
    for officer_id, *values in answers.iterator(chunk_size=5000):
        score = response_score(values)
        if score is not None:
            cell = cells[officer_id]
            cell.skm_sum += score
            cell.skm_count += 1
    tz = timezone.get_current_timezone()
    start_at = dt.datetime.combine(month, dt.time.min, tzinfo=tz)
    end_at = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    complaints = (
        Complaint.objects.filter(
            received_at__gte=start_at,
            received_at__lt=end_at,
            officer__isnull=False,
            kind=Complaint.Kind.COMPLAINT,
        )
        .exclude(status=Complaint.Status.REJECTED)
        .values("officer_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in complaints:
        cells[row["officer_id"]].complaints = row["n"]
    return cells


@transaction.atomic
def officer_months_refresh(*, months: Iterable[dt.date]) -> dict[str, int]:
    """Rebuild the roll-up for the given months (any day of a month names it). Returns row counts."""
    written = removed = 0
    for month in sorted({month_start(m) for m in months}):
        cells = _collect(month)
        stale = OfficerMonth.objects.filter(month=month).filter(
            Q(synthetic=False) | Q(officer_id__in=list(cells))
        )
        removed += stale.count()
        stale.delete()
        OfficerMonth.objects.bulk_create(
            [
                OfficerMonth(
                    officer_id=officer_id,
                    month=month,
                    tickets=cell.tickets,
                    service_minutes_sum=cell.service_minutes_sum,
                    wait_minutes_sum=cell.wait_minutes_sum,
                    skm_sum=cell.skm_sum,
                    skm_count=cell.skm_count,
                    complaints=cell.complaints,
                )
                for officer_id, cell in sorted(cells.items())
            ],
            batch_size=1000,
        )
        written += len(cells)
    logger.info("officer months refreshed: %s rows written, %s replaced", written, removed)
    return {"written": written, "replaced": removed}


def data_months() -> list[dt.date]:
    """Every month from the first ticket, SKM answer or complaint with an officer to today."""
    firsts = [
        Ticket.objects.filter(officer__isnull=False)
        .order_by("service_date")
        .values_list("service_date", flat=True)[:1],
        SurveyResponse.objects.filter(officer__isnull=False)
        .order_by("service_date")
        .values_list("service_date", flat=True)[:1],
    ]
    days = [d for q in firsts for d in q]
    first_complaint = (
        Complaint.objects.filter(officer__isnull=False)
        .order_by("received_at")
        .values_list("received_at", flat=True)[:1]
    )
    days += [timezone.localtime(d).date() for d in first_complaint]
    if not days:
        return []
    return months_between(min(days), timezone.localdate())


def recent_months(today: dt.date | None = None, count: int = 2) -> list[dt.date]:
    """This month and the ones before it: SKM answers and complaints arrive late."""
    month = month_start(today or timezone.localdate())
    out = [month]
    for _ in range(count - 1):
        month = month_start(month - dt.timedelta(days=1))
        out.append(month)
    return sorted(out)
