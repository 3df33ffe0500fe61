"""Writes to the JP ledger (PP 17/2020: every PNS is owed at least 20 JP a year; 1 JP = 45 minutes).

One ledger line per completed class (OneToOne on the enrolment), per verified activity (OneToOne on the
activity) or per imported historical completion (unique per person, programme and date). The year of a line
is the year of the day it happened, so a class finished on 31 December counts for that year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from mumpuni.common.audit import audit_entry
from mumpuni.learning.models import Enrollment, JpEntry, NonClassicalActivity


@transaction.atomic
def jp_credit_enrollment(*, actor: Any, enrollment: Enrollment) -> JpEntry:
    """The class's JP for a completed enrolment; a second call returns the existing line."""
    existing = JpEntry.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    program = enrollment.training_class.program
    occurred_on: dt.date = enrollment.completed_on  # type: ignore[assignment]
    entry = JpEntry.objects.create(
        employee_id=enrollment.employee_id,
        occurred_on=occurred_on,
        year=occurred_on.year,
        jp=program.jp,
        source=JpEntry.Source.CLASS,
        program=program,
        enrollment=enrollment,
        note=enrollment.training_class.code[:255],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_entry(actor=actor, action="create", instance=entry, changes={"jp": [None, str(entry.jp)]})
    return entry


@transaction.atomic
def jp_credit_activity(*, actor: Any, activity: NonClassicalActivity) -> JpEntry:
    """The credited JP of a verified activity, counted in the year the activity ended."""
    existing = JpEntry.objects.filter(activity=activity).first()
    if existing is not None:
        return existing
    jp: Decimal = activity.jp_credited  # type: ignore[assignment]
    entry = JpEntry.objects.create(
        employee_id=activity.employee_id,
        occurred_on=activity.ended_on,
        year=activity.ended_on.year,
        jp=jp,
        source=JpEntry.Source.ACTIVITY,
        activity=activity,
        note=activity.title[:255],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_entry(actor=actor, action="create", instance=entry, changes={"jp": [None, str(entry.jp)]})
    return entry
