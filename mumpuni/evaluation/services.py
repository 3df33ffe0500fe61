"""Writes of the evaluation: opening L1 forms and L3 requests when due (the hourly task), expiring what was
not filled in time, and submitting an L1 form or an L3 assessment.

Who may write (the `can_*` helpers are used by views, the API and tests alike):
- an L1 form: only the participant themself;
- an L3 assessment: the addressed reviewer, any supervisor up the employee's chain, a head of a unit above
  the employee — never the employee themself. BKPP and executives read but do not rate behaviour they did
  not observe.
Every write is atomic, claims its row with a status check (a second submit cannot overwrite the first) and
writes one audit entry; notifications go out after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.common.notifications import notify
from mumpuni.competencies.models import Assessment, CurrentLevel
from mumpuni.competencies.services import assessment_record
from mumpuni.evaluation.models import (
    QUESTIONS,
    REACTION_FIELDS,
    REACTION_VERSION,
    BehaviourRating,
    BehaviourRequest,
    EvaluationPolicy,
    ReactionResponse,
    Status,
)
from mumpuni.learning.models import Enrollment, ProgramCompetency, TrainingClass
from mumpuni.people.models import Employee, Role, RoleAssignment, User
from mumpuni.people.scopes import scope_for

MAX_COMMENT = 2000
# Enrolments that sat in the class (the ones who can judge it).
SEATED = ("enrolled", "completed", "not_completed")
# Classes whose participants get an L1 form once the last day is reached.
RUNNING_OR_DONE = (TrainingClass.Status.RUNNING, TrainingClass.Status.FINISHED)


class TransitionError(ValidationFailed):
    """A form that is no longer pending (HTTP 409)."""

    status_code = 409


# --- access ------------------------------------------------------------------------------------------


def is_participant(user: Any, response: ReactionResponse) -> bool:
    own = scope_for(user).own_employee_id
    return own is not None and response.enrollment.employee_id == own


def can_rate_behaviour(user: Any, request: BehaviourRequest) -> bool:
    """The addressed reviewer, supervisors up the chain, heads of a unit above the employee; not oneself."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    if scope.own_employee_id == request.employee_id:
        return False
    if request.reviewer_id == user.pk:
        return True
    if request.employee_id in scope.team_ids:
        return True
    path = request.employee.unit.path
    return any(path.startswith(p) for p in scope.manage_unit_paths)


def can_view_behaviour(user: Any, request: BehaviourRequest) -> bool:
    return scope_for(user).city_wide or can_rate_behaviour(user, request)


def reaction_for_user(user: Any, pk: int) -> ReactionResponse:
    """The participant's own form, else NotFoundError: nobody else sees an individual L1 form."""
    response = (
        ReactionResponse.objects.select_related("enrollment__training_class__program", "enrollment__employee")
        .filter(pk=pk)
        .first()
    )
    if response is None or not is_participant(user, response):
        raise NotFoundError("Formulir evaluasi tidak ditemukan.")
    return response


def behaviour_for_user(user: Any, pk: int) -> BehaviourRequest:
    request = (
        BehaviourRequest.objects.select_related(
            "employee__unit", "employee__position", "enrollment__training_class__program", "reviewer"
        )
        .filter(pk=pk)
        .first()
    )
    if request is None or not can_view_behaviour(user, request):
        raise NotFoundError("Permintaan penilaian perilaku tidak ditemukan.")
    return request


# --- who rates behaviour -----------------------------------------------------------------------------


def behaviour_reviewer(employee: Employee) -> User | None:
    """The direct supervisor's account; without one, the head of the nearest unit above (or of) the
    employee's unit. Heads of the employee's own record are skipped (nobody rates themself)."""
    if employee.supervisor_id:
        supervisor = Employee.objects.filter(pk=employee.supervisor_id).select_related("user").first()
        if supervisor is not None and supervisor.user is not None and supervisor.user.is_active:
            return supervisor.user
    ancestors = [int(p) for p in employee.unit.path.strip("/").split("/") if p]
    heads = (
        RoleAssignment.objects.filter(role=Role.UNIT_HEAD, unit_id__in=ancestors, user__is_active=True)
        .exclude(user__employee=employee)
        .select_related("user", "unit")
    )
    by_depth = sorted(heads, key=lambda a: (-(a.unit.path if a.unit else "").count("/"), a.user_id))
    return by_depth[0].user if by_depth else None


# --- the hourly task ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenResult:
    reactions_opened: int
    behaviour_requested: int
    reactions_expired: int
    behaviour_expired: int


def _open_reactions(today: dt.date, policy: EvaluationPolicy) -> int:
    """L1 forms for seated participants of classes whose last day has come, while still in the window
    (a class that ended long before evaluation started gets no forms)."""
    earliest_end = today - dt.timedelta(days=policy.l1_window_days)
    due = (
        Enrollment.objects.filter(
            status__in=SEATED,
            training_class__status__in=RUNNING_OR_DONE,
            training_class__ends_on__lte=today,
            training_class__ends_on__gte=earliest_end,
            reaction__isnull=True,
        )
        .select_related("training_class__program", "employee__user")
        .order_by("pk")
    )
    rows = list(due)
    if not rows:
        return 0
    forms = [
        ReactionResponse(
            enrollment=e,
            opened_on=today,
            expires_on=e.training_class.ends_on + dt.timedelta(days=policy.l1_window_days),
        )
        for e in rows
    ]
    # ignore_conflicts: a concurrent run that inserted the same enrolment wins; the unique key holds.
    ReactionResponse.objects.bulk_create(forms, ignore_conflicts=True)
    by_class: dict[int, list[Any]] = {}
    for e in rows:
        if e.employee.user is not None:
            by_class.setdefault(e.training_class_id, []).append(e.employee.user)
    link = reverse("evaluation:mine")
    for e_class in {e.training_class_id: e.training_class for e in rows}.values():
        users = by_class.get(e_class.pk, [])
        title = f"Evaluasi pelatihan {e_class.program.name}"
        body = "Kelas Anda telah selesai. Isi evaluasi reaksi (7 pertanyaan, sekitar 2 menit)."
        transaction.on_commit(partial(notify, users, title, body, link, kind="evaluation"))
    return len(forms)


def _open_behaviour(today: dt.date, policy: EvaluationPolicy) -> int:
    """L3 requests for completions that reached the delay, within one window of it."""
    latest = today - dt.timedelta(days=policy.l3_delay_days)
    earliest = latest - dt.timedelta(days=policy.l3_window_days)
    due = list(
        Enrollment.objects.filter(
            status=Enrollment.Status.COMPLETED,
            completed_on__lte=latest,
            completed_on__gte=earliest,
            behaviour_request__isnull=True,
        )
        .select_related("employee__unit", "training_class__program")
        .order_by("pk")
    )
    if not due:
        return 0
    targets: dict[int, list[tuple[int, int]]] = {}
    for program_id, competency_id, uplift in ProgramCompetency.objects.filter(
        program_id__in={e.training_class.program_id for e in due}
    ).values_list("program_id", "competency_id", "uplift"):
        targets.setdefault(program_id, []).append((competency_id, uplift))
    levels = {
        (employee_id, competency_id): level
        for employee_id, competency_id, level in CurrentLevel.objects.filter(
            employee_id__in={e.employee_id for e in due}
        ).values_list("employee_id", "competency_id", "level")
    }
    created = 0
    notices: list[tuple[Any, Enrollment, BehaviourRequest]] = []
    for enrollment in due:
        reviewer = behaviour_reviewer(enrollment.employee)
        with transaction.atomic():
            request, was_created = BehaviourRequest.objects.get_or_create(
                enrollment=enrollment,
                defaults={
                    "employee": enrollment.employee,
                    "reviewer": reviewer,
                    "requested_on": today,
                    "expires_on": today + dt.timedelta(days=policy.l3_window_days),
                },
            )
            if not was_created:
                continue
            # Without targeted competencies the supervisor rates the training's use at work as a whole.
            competencies: list[tuple[int | None, int]] = [
                *targets.get(enrollment.training_class.program_id, [])
            ] or [(None, 0)]
            BehaviourRating.objects.bulk_create(
                [
                    BehaviourRating(
                        request=request,
                        competency_id=competency_id,
                        uplift=uplift,
                        level_before=levels.get((enrollment.employee_id, competency_id))
                        if competency_id
                        else None,
                    )
                    for competency_id, uplift in competencies
                ]
            )
            audit_entry(
                actor=None,
                action="behaviour_request",
                instance=request,
                changes={"reviewer": [None, reviewer.pk if reviewer else None]},
            )
        created += 1
        if reviewer is not None:
            notices.append((reviewer, enrollment, request))
    for reviewer, enrollment, request in notices:
        title = f"Penilaian perilaku pascapelatihan: {enrollment.employee.name}"
        body = (
            f"{enrollment.employee.name} menyelesaikan {enrollment.training_class.program.name} tiga bulan "
            f"lalu. Nilai perubahan perilaku kerjanya sebelum {request.expires_on:%d-%m-%Y}."
        )
        link = reverse("evaluation:behaviour", args=[request.pk])
        transaction.on_commit(partial(notify, [reviewer], title, body, link, kind="evaluation"))
    return created


def _expire(today: dt.date) -> tuple[int, int]:
    reactions = ReactionResponse.objects.filter(status=Status.PENDING, expires_on__lt=today).update(
        status=Status.EXPIRED
    )
    requests = BehaviourRequest.objects.filter(status=Status.PENDING, expires_on__lt=today).update(
        status=Status.EXPIRED
    )
    return reactions, requests


def open_due_evaluations(*, today: dt.date | None = None) -> OpenResult:
    """Idempotent: run twice, the second run finds nothing due (one form or request per enrolment)."""
    today = today or timezone.localdate()
    policy = EvaluationPolicy.current()
    with transaction.atomic():
        reactions = _open_reactions(today, policy)
    behaviour = _open_behaviour(today, policy)
    with transaction.atomic():
        expired_reactions, expired_requests = _expire(today)
    return OpenResult(reactions, behaviour, expired_reactions, expired_requests)


# --- submitting --------------------------------------------------------------------------------------


def _likert_value(raw: Any, field: str, errors: dict[str, list[str]], message: str) -> int | None:
    if raw in (None, ""):
        errors[field] = [message]
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        errors[field] = ["Pilih nilai 1 sampai 5."]
        return None
    if isinstance(raw, float) and raw != value:
        errors[field] = ["Pilih nilai 1 sampai 5."]
        return None
    if not 1 <= value <= 5:
        errors[field] = ["Pilih nilai 1 sampai 5."]
        return None
    return value


def _comment(raw: Any, field: str, errors: dict[str, list[str]]) -> str:
    text = str(raw or "").strip()
    if len(text) > MAX_COMMENT:
        errors[field] = [f"Paling banyak {MAX_COMMENT} karakter."]
    return text


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed("Periksa kembali isian yang ditandai.", fields=errors)


@transaction.atomic
def reaction_submit(
    *, actor: Any, response: ReactionResponse, answers: dict[str, Any], comment: str = ""
) -> ReactionResponse:
    """The participant answers the seven items (all required) and may add a comment."""
    if not is_participant(actor, response):
        raise PermissionDeniedError("Hanya peserta kelas ini yang dapat mengisi evaluasinya.")
    locked = ReactionResponse.objects.select_for_update().get(pk=response.pk)
    if locked.status == Status.SUBMITTED:
        raise TransitionError("Evaluasi ini sudah Anda isi. Terima kasih.")
    if locked.status == Status.EXPIRED or locked.expires_on < timezone.localdate():
        raise TransitionError("Masa pengisian evaluasi ini sudah berakhir.")
    errors: dict[str, list[str]] = {}
    unknown = set(answers) - set(REACTION_FIELDS)
    if unknown:
        errors["__all__"] = [f"Pertanyaan tidak dikenal: {', '.join(sorted(unknown))}."]
    questions = QUESTIONS[locked.version]
    values = {
        f: _likert_value(answers.get(f), f, errors, f"Beri nilai untuk “{questions[f][0]}”.")
        for f in REACTION_FIELDS
    }
    text = _comment(comment, "comment", errors)
    _fail(errors)
    for field, value in values.items():
        setattr(locked, field, value)
    locked.comment = text
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version = locked.version or REACTION_VERSION
    locked.full_clean()
    locked.save(update_fields=[*REACTION_FIELDS, "comment", "status", "submitted_at", "version"])
    # The audit names the form, not the answers: L1 answers are anonymous to everyone but the participant.
    audit_entry(
        actor=actor, action="reaction_submit", instance=locked, changes={"status": ["pending", "submitted"]}
    )
    response.status = locked.status
    return locked


@dataclass(frozen=True)
class RatingInput:
    rating_id: int
    change: Any
    observed_level: Any
    comment: str = ""


@transaction.atomic
def behaviour_submit(
    *,
    actor: Any,
    request: BehaviourRequest,
    ratings: list[RatingInput],
    comment: str = "",
    record_assessment: bool | None = None,
) -> BehaviourRequest:
    """The reviewer rates every listed competency (change 1–5, observed level 1–5, optional note).

    With the policy's `record_supervisor_assessment` (or `record_assessment=True`), each observed level of a
    named competency is also recorded as a supervisor assessment (competencies.services.assessment_record,
    with the enrolment for traceability) — the same service a supervisor uses on the competency pages.
    """
    if not can_rate_behaviour(actor, request):
        raise PermissionDeniedError(
            "Hanya atasan pegawai atau kepala unitnya yang dapat menilai perubahan perilakunya."
        )
    locked = BehaviourRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status == Status.SUBMITTED:
        raise TransitionError("Penilaian perilaku ini sudah diisi.")
    if locked.status == Status.EXPIRED or locked.expires_on < timezone.localdate():
        raise TransitionError("Masa pengisian penilaian ini sudah berakhir.")
    rows = {r.pk: r for r in locked.ratings.select_related("competency")}
    given = {r.rating_id: r for r in ratings}
    errors: dict[str, list[str]] = {}
    unknown = set(given) - set(rows)
    if unknown:
        errors["__all__"] = ["Ada kompetensi yang tidak termasuk permintaan ini."]
    for pk, row in rows.items():
        name = row.competency.name if row.competency else "penerapan hasil pelatihan"
        item = given.get(pk)
        prefix = f"ratings.{pk}"
        if item is None:
            errors[f"{prefix}.change"] = [f"Beri nilai perubahan perilaku untuk {name}."]
            continue
        row.change = _likert_value(
            item.change, f"{prefix}.change", errors, f"Beri nilai perubahan perilaku untuk {name}."
        )
        row.observed_level = _likert_value(
            item.observed_level,
            f"{prefix}.observed_level",
            errors,
            f"Pilih level yang teramati untuk {name}.",
        )
        row.comment = _comment(item.comment, f"{prefix}.comment", errors)
    text = _comment(comment, "comment", errors)
    _fail(errors)
    for row in rows.values():
        row.full_clean()
    BehaviourRating.objects.bulk_update(list(rows.values()), ["change", "observed_level", "comment"])
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = actor
    locked.comment = text
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "comment"])
    audit_entry(
        actor=actor,
        action="behaviour_submit",
        instance=locked,
        changes={"status": ["pending", "submitted"]},
    )
    record = (
        EvaluationPolicy.current().record_supervisor_assessment
        if record_assessment is None
        else record_assessment
    )
    if record:
        employee = Employee.objects.select_related("unit").get(pk=locked.employee_id)
        for row in rows.values():
            # An inactive competency is still rated here, but no longer assessed.
            if row.competency is not None and row.competency.active and row.observed_level is not None:
                assessment_record(
                    actor=actor,
                    employee=employee,
                    competency=row.competency,
                    level=row.observed_level,
                    source=Assessment.Source.SUPERVISOR,
                    note="Penilaian perilaku pascapelatihan (evaluasi L3).",
                    training_enrollment_id=locked.enrollment_id,
                )
    request.status = locked.status
    return locked
