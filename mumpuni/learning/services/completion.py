"""Completion of a class: computed from the class's rule, never typed.

Rule (per class, copied from the programme): attendance ≥ min_attendance_percent (default 90 %) and, when
the class has a test (min_post_test not empty), post-test ≥ min_post_test (default 70). A participant with
no recorded attendance or no post-test score does not meet the rule. On completion the participant gets one
JP ledger line, competency evidence (assessment source "training completion": current level, or 1 when
never assessed, plus the programme's uplift, capped at 5) and a certificate; each is idempotent, so a
finalisation that is repeated changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import ValidationFailed
from mumpuni.competencies.models import Assessment, CurrentLevel
from mumpuni.competencies.services import assessment_record
from mumpuni.learning.models import Enrollment, ProgramCompetency, TrainingClass
from mumpuni.learning.services.attendance import recompute_attendance_percent, require_run_class
from mumpuni.learning.services.certificates import certificate_issue
from mumpuni.learning.services.jp import jp_credit_enrollment

FINALISABLE = (Enrollment.Status.ENROLLED, Enrollment.Status.NOT_COMPLETED)
MAX_LEVEL = 5


@dataclass(frozen=True)
class Outcome:
    completed: bool
    reasons: tuple[str, ...] = ()


def evaluate(
    *,
    attendance_percent: Decimal | None,
    post_test_score: Decimal | None,
    min_attendance_percent: int,
    min_post_test: Decimal | None,
) -> Outcome:
    """The completion rule on plain values (Decimal arithmetic: 69.99 is below 70, 90.00 meets 90)."""
    reasons: list[str] = []
    if min_attendance_percent > 0:
        if attendance_percent is None:
            reasons.append("Kehadiran belum tercatat.")
        elif attendance_percent < Decimal(min_attendance_percent):
            reasons.append(f"Kehadiran {attendance_percent:.2f}% di bawah batas {min_attendance_percent}%.")
    if min_post_test is not None:
        if post_test_score is None:
            reasons.append("Nilai post-test belum diisi.")
        elif post_test_score < min_post_test:
            reasons.append(f"Nilai post-test {post_test_score:.2f} di bawah batas {min_post_test:.2f}.")
    return Outcome(completed=not reasons, reasons=tuple(reasons))


def outcome_of(enrollment: Enrollment) -> Outcome:
    training_class = enrollment.training_class
    return evaluate(
        attendance_percent=enrollment.attendance_percent,
        post_test_score=enrollment.post_test_score,
        min_attendance_percent=training_class.min_attendance_percent,
        min_post_test=training_class.min_post_test,
    )


def _record_competency_evidence(enrollment: Enrollment, completed_on: dt.date) -> int:
    uplifts = list(
        ProgramCompetency.objects.filter(program_id=enrollment.training_class.program_id).select_related(
            "competency"
        )
    )
    if not uplifts:
        return 0
    done = set(
        Assessment.objects.filter(training_enrollment_id=enrollment.pk).values_list(
            "competency_id", flat=True
        )
    )
    current = dict(
        CurrentLevel.objects.filter(
            employee_id=enrollment.employee_id, competency_id__in=[u.competency_id for u in uplifts]
        ).values_list("competency_id", "level")
    )
    recorded = 0
    for uplift in uplifts:
        if uplift.competency_id in done or not uplift.competency.active:
            continue
        level = min(MAX_LEVEL, current.get(uplift.competency_id, 1) + uplift.uplift)
        assessment_record(
            actor=None,
            employee=enrollment.employee,
            competency=uplift.competency,
            level=level,
            source=Assessment.Source.TRAINING,
            assessed_on=completed_on,
            note=f"Lulus {enrollment.training_class.code}",
            training_enrollment_id=enrollment.pk,
        )
        recorded += 1
    return recorded


def _finalise(actor: Any, enrollment: Enrollment, completed_on: dt.date) -> Outcome:
    recompute_attendance_percent(enrollment)
    outcome = outcome_of(enrollment)
    before = enrollment.status
    if outcome.completed:
        enrollment.status = Enrollment.Status.COMPLETED
        enrollment.completed_on = completed_on
    else:
        enrollment.status = Enrollment.Status.NOT_COMPLETED
        enrollment.completed_on = None
    enrollment.save(update_fields=["status", "completed_on", "updated_at"])
    audit_entry(
        actor=actor,
        action="update",
        instance=enrollment,
        changes={"status": [before, enrollment.status]},
        note=" ".join(outcome.reasons),
    )
    if outcome.completed:
        jp_credit_enrollment(actor=actor, enrollment=enrollment)
        _record_competency_evidence(enrollment, completed_on)
        certificate_issue(actor=actor, enrollment=enrollment)
    return outcome


def _check_class(training_class: TrainingClass, completed_on: dt.date) -> None:
    if training_class.status == TrainingClass.Status.CANCELLED:
        raise ValidationFailed("Kelas ini dibatalkan; kelulusan tidak dapat ditetapkan.")
    today = timezone.localdate()
    if training_class.ends_on > today:
        raise ValidationFailed(
            f"Kelas baru berakhir {training_class.ends_on:%d-%m-%Y}; kelulusan ditetapkan sesudah kelas selesai."
        )
    if completed_on > today:
        raise ValidationFailed("Tanggal lulus tidak boleh di masa depan.")


@transaction.atomic
def enrollment_finalize(
    *, actor: Any, enrollment: Enrollment, completed_on: dt.date | None = None
) -> Outcome:
    """Apply the rule to one participant (enrolled, or not completed and re-evaluated after a remedial
    test). A completed enrolment is left as it is."""
    training_class = enrollment.training_class
    require_run_class(actor, training_class)
    completed_on = completed_on or training_class.ends_on
    _check_class(training_class, completed_on)
    enrollment = Enrollment.objects.select_for_update().select_related("employee").get(pk=enrollment.pk)
    if enrollment.status == Enrollment.Status.COMPLETED:
        return Outcome(completed=True)
    if enrollment.status not in FINALISABLE:
        raise ValidationFailed("Kelulusan hanya ditetapkan untuk peserta terdaftar.")
    return _finalise(actor, enrollment, completed_on)


@dataclass
class FinalizeResult:
    completed: list[Enrollment] = field(default_factory=list)
    not_completed: list[tuple[Enrollment, Outcome]] = field(default_factory=list)
    unchanged: int = 0


@transaction.atomic
def class_finalize(
    *, actor: Any, training_class: TrainingClass, completed_on: dt.date | None = None
) -> FinalizeResult:
    """Apply the rule to every enrolled (or not yet completed) participant of a finished class."""
    require_run_class(actor, training_class)
    completed_on = completed_on or training_class.ends_on
    _check_class(training_class, completed_on)
    result = FinalizeResult()
    enrollments = (
        Enrollment.objects.select_for_update()
        .filter(training_class=training_class, status__in=FINALISABLE)
        .select_related("employee", "training_class__program")
        .order_by("employee__name")
    )
    for enrollment in enrollments:
        was = enrollment.status
        outcome = _finalise(actor, enrollment, completed_on)
        if outcome.completed:
            result.completed.append(enrollment)
        else:
            result.not_completed.append((enrollment, outcome))
            if was == Enrollment.Status.NOT_COMPLETED:
                result.unchanged += 1
    return result
