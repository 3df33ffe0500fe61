"""Background jobs of the complaint desk (Celery beat; see CELERY_BEAT_SCHEDULE). Both are idempotent and
callable directly (tests pass `now`).

- `escalate_overdue` (hourly): on working days, every open complaint past its current deadline that was not
  yet escalated today gets an internal ESCALATED event and a notification to the responsible unit's heads
  and the desk (`workflow.escalate`, which locks the row, so two workers never escalate twice).
- `close_answered_after_dispute_window` (daily): answered complaints whose dispute window has passed are
  closed by the system (`workflow.close(actor=None)`).
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from mumpuni.common.calendar import work_calendar
from mumpuni.complaints.models import Complaint, ComplaintPolicy
from mumpuni.complaints.services import workflow

logger = logging.getLogger(__name__)


def _start_of_local_day(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@shared_task(name="complaints.escalate_overdue")
def escalate_overdue(now: dt.datetime | None = None) -> int:
    """Escalate overdue complaints once per working day; returns how many were escalated now."""
    now = now or timezone.now()
    today = workflow.local_date(now)
    calendar = work_calendar()
    if not calendar.is_working_day(today):
        return 0  # nobody reads them on a Sunday; Monday's run escalates
    candidates = (
        Complaint.objects.filter(workflow.overdue_q(today))
        .filter(Q(escalated_at__isnull=True) | Q(escalated_at__lt=_start_of_local_day(now)))
        .order_by("id")
        .values_list("id", flat=True)
    )
    desk = list(workflow.desk_users())
    escalated = 0
    for pk in list(candidates):
        if workflow.escalate(Complaint(pk=pk), now=now, calendar=calendar, desk=desk):
            escalated += 1
    if escalated:
        logger.info("complaints escalated: %s", escalated)
    return escalated


@shared_task(name="complaints.close_answered_after_dispute_window")
def close_answered_after_dispute_window(now: dt.datetime | None = None) -> int:
    """Close answered complaints whose dispute window (policy.dispute_days after the answer) has passed."""
    now = now or timezone.now()
    days = ComplaintPolicy.current().dispute_days
    candidates = Complaint.objects.filter(
        status=Complaint.Status.ANSWERED, answered_at__lt=now - dt.timedelta(days=days)
    ).values_list("id", flat=True)
    closed = 0
    for pk in list(candidates):
        try:
            workflow.close(
                Complaint(pk=pk),
                None,
                message=f"Ditutup otomatis: masa sanggah {days} hari setelah jawaban telah berakhir.",
                now=now,
            )
        except workflow.TransitionError:
            continue  # disputed or closed by the desk in the meantime
        closed += 1
    return closed


# Registers the Open311 deferred-creation task with workers (autodiscovery imports only this module).
from mumpuni.complaints.open311.tasks import (  # noqa: E402, F401
    complete_stale_submissions,
    create_complaint_from_submission,
)
