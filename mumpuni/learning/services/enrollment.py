"""Enrolment: requests and nominations, the two approvals, seats, the waiting list and cancellation.

Flow: an employee requests a seat (requested) or a supervisor nominates a team member (nominated) → the
head of the employee's unit approves (unit_approved) or rejects → BKPP approves → enrolled while seats
remain, else waitlisted (ordered by waitlisted_at). Cancelling a seated enrolment frees the seat and the
first person on the waiting list takes it. Seats are handed out with the class row locked
(select_for_update), so two approvals at the same moment cannot overfill a class.

Refused: a request for a class that is not open, a second enrolment in the same class, an active
enrolment in another class whose dates overlap (the message names that class), a missing prerequisite
(the programme must have been completed), and deciding about one's own request. Every step is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.learning.models import Enrollment, TrainingClass
from mumpuni.people.models import Employee
from mumpuni.people.scopes import scope_for

OPEN_FOR_REQUESTS = (TrainingClass.Status.OPEN,)
# Seats may still be handed out once the class runs (a late approval), never after it.
OPEN_FOR_SEATS = (TrainingClass.Status.OPEN, TrainingClass.Status.RUNNING)
_ALL = "__all__"
# The audit log's action is one of a few generic words; the note says which step of the flow it was.
STEP_LABELS = {
    "requested": "pengajuan pegawai",
    "nominated": "usulan atasan",
    "unit_approve": "persetujuan kepala unit",
    "approve": "persetujuan BKPP",
    "reject": "penolakan",
    "cancel": "pembatalan",
    "promote": "naik dari daftar tunggu (kursi kosong)",
}


def _note(label: str, note: str) -> str:
    note = note.strip()
    return f"{label}: {note}" if note else label


def _refuse(message: str, field: str = _ALL) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _fmt(day: Any) -> str:
    return f"{day:%d-%m-%Y}"


def check_can_join(employee: Employee, training_class: TrainingClass) -> None:
    """Raise ValidationFailed when `employee` may not (any longer) hold a place in `training_class`."""
    if not employee.active:
        raise _refuse(f"{employee.name} tidak aktif sebagai pegawai.", "employee")
    same = (
        Enrollment.objects.filter(employee=employee, training_class=training_class)
        .exclude(status__in=(Enrollment.Status.CANCELLED, Enrollment.Status.REJECTED))
        .first()
    )
    if same is not None:
        raise _refuse(
            f"{employee.name} sudah terdaftar di kelas {training_class.code} "
            f"(status: {same.get_status_display().lower()})."
        )
    clash = (
        Enrollment.objects.filter(
            employee=employee,
            status__in=Enrollment.ACTIVE_STATUSES,
            training_class__starts_on__lte=training_class.ends_on,
            training_class__ends_on__gte=training_class.starts_on,
        )
        .exclude(training_class=training_class)
        .exclude(training_class__status=TrainingClass.Status.CANCELLED)
        .select_related("training_class")
        .first()
    )
    if clash is not None:
        other = clash.training_class
        raise _refuse(
            f"Jadwal bentrok: {employee.name} sudah terdaftar di kelas {other.code} {other.name} "
            f"({_fmt(other.starts_on)} s.d. {_fmt(other.ends_on)}), yang tanggalnya beririsan dengan kelas ini."
        )
    missing = [
        p
        for p in training_class.program.prerequisites.all()
        if not Enrollment.objects.filter(
            employee=employee, training_class__program=p, status=Enrollment.Status.COMPLETED
        ).exists()
    ]
    if missing:
        names = ", ".join(f"{p.code} {p.name}" for p in missing)
        raise _refuse(
            f"Prasyarat belum terpenuhi: {employee.name} harus sudah lulus program {names} "
            "sebelum mengikuti program ini."
        )


def _check_open(training_class: TrainingClass) -> None:
    if training_class.status not in OPEN_FOR_REQUESTS:
        raise _refuse(
            f"Kelas {training_class.code} tidak menerima pendaftaran "
            f"(status: {training_class.get_status_display().lower()})."
        )


def _create(
    *, actor: Any, employee: Employee, training_class: TrainingClass, status: str, reason: str
) -> Enrollment:
    # The class row is locked so two requests by the same person cannot both pass the duplicate check.
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    _check_open(training_class)
    check_can_join(employee, training_class)
    # An earlier cancelled/rejected enrolment in this class is reused (one row per person and class).
    enrollment = Enrollment.objects.filter(employee=employee, training_class=training_class).first()
    if enrollment is None:
        enrollment = Enrollment(employee=employee, training_class=training_class)
    old = enrollment.status or None
    enrollment.status = status
    enrollment.requested_by = actor
    enrollment.reason = reason.strip()
    enrollment.unit_approved_by = enrollment.approved_by = None
    enrollment.unit_approved_at = enrollment.approved_at = enrollment.waitlisted_at = None
    enrollment.decision_note = ""
    enrollment.save()
    audit_entry(
        actor=actor,
        action="create" if old is None else "update",
        instance=enrollment,
        changes={"status": [old, status]},
        note=_note(STEP_LABELS[status], reason),
    )
    return enrollment


@transaction.atomic
def enrollment_request(
    *, actor: Any, training_class: TrainingClass, reason: str = "", employee: Employee | None = None
) -> Enrollment:
    """The employee asks for a seat for themselves."""
    scope = scope_for(actor)
    own = Employee.objects.filter(pk=scope.own_employee_id).first() if scope.own_employee_id else None
    if own is None or (employee is not None and employee.pk != own.pk):
        raise PermissionDeniedError("Pengajuan mandiri hanya untuk diri sendiri; gunakan usulan atasan.")
    return _create(
        actor=actor,
        employee=own,
        training_class=training_class,
        status=Enrollment.Status.REQUESTED,
        reason=reason,
    )


def can_nominate(actor: Any, employee: Employee) -> bool:
    """A supervisor nominates their team (direct and indirect reports); a unit head their unit; BKPP all."""
    scope = scope_for(actor)
    if employee.pk == scope.own_employee_id:
        return False
    return employee.pk in scope.team_ids or scope.can_change_employee(employee)


@transaction.atomic
def enrollment_nominate(
    *, actor: Any, training_class: TrainingClass, employee: Employee, reason: str = ""
) -> Enrollment:
    """A supervisor proposes a team member for a class."""
    if not can_nominate(actor, employee):
        raise PermissionDeniedError(f"Anda tidak dapat mengusulkan {employee.name}: bukan anggota tim Anda.")
    return _create(
        actor=actor,
        employee=employee,
        training_class=training_class,
        status=Enrollment.Status.NOMINATED,
        reason=reason,
    )


def _lock(enrollment: Enrollment) -> tuple[Enrollment, TrainingClass]:
    """Lock the class, then the enrolment (always in this order, so approvals cannot deadlock)."""
    training_class = TrainingClass.objects.select_for_update().get(pk=enrollment.training_class_id)
    try:
        locked = Enrollment.objects.select_for_update().select_related("employee__unit").get(pk=enrollment.pk)
    except Enrollment.DoesNotExist as exc:
        raise NotFoundError("Pendaftaran tidak ditemukan.") from exc
    locked.training_class = training_class
    return locked, training_class


def _not_self(actor: Any, enrollment: Enrollment) -> None:
    if scope_for(actor).own_employee_id == enrollment.employee_id:
        raise PermissionDeniedError("Anda tidak dapat memutuskan pendaftaran Anda sendiri.")


def can_decide_unit(actor: Any, enrollment: Enrollment) -> bool:
    """The head of the employee's unit (or BKPP), never about themselves."""
    scope = scope_for(actor)
    return scope.own_employee_id != enrollment.employee_id and scope.can_change_employee(enrollment.employee)


def can_decide_bkpp(actor: Any, enrollment: Enrollment) -> bool:
    scope = scope_for(actor)
    return scope.city_manager and scope.own_employee_id != enrollment.employee_id


def _stamp(enrollment: Enrollment, actor: Any, step: str, old: str, note: str) -> None:
    enrollment.save()
    audit_entry(
        actor=actor,
        action="update",
        instance=enrollment,
        changes={"status": [old, enrollment.status]},
        note=_note(STEP_LABELS[step], note),
    )


@transaction.atomic
def enrollment_unit_approve(*, actor: Any, enrollment: Enrollment, note: str = "") -> Enrollment:
    """The unit head agrees that the employee may go."""
    enrollment, training_class = _lock(enrollment)
    _not_self(actor, enrollment)
    if not can_decide_unit(actor, enrollment):
        raise PermissionDeniedError("Hanya kepala unit pegawai ini yang dapat menyetujui.")
    if enrollment.status not in (Enrollment.Status.REQUESTED, Enrollment.Status.NOMINATED):
        raise _refuse(f"Pendaftaran ini sudah {enrollment.get_status_display().lower()}.")
    if training_class.status not in OPEN_FOR_SEATS:
        raise _refuse(f"Kelas {training_class.code} sudah {training_class.get_status_display().lower()}.")
    old = enrollment.status
    enrollment.status = Enrollment.Status.UNIT_APPROVED
    enrollment.unit_approved_by = actor
    enrollment.unit_approved_at = timezone.now()
    enrollment.decision_note = note.strip()
    _stamp(enrollment, actor, "unit_approve", old, note.strip())
    return enrollment


def _seated(training_class: TrainingClass) -> int:
    return training_class.enrollments.filter(status__in=Enrollment.SEATED_STATUSES).count()


@transaction.atomic
def enrollment_approve(*, actor: Any, enrollment: Enrollment, note: str = "") -> Enrollment:
    """BKPP's approval: a seat if one is free, else the waiting list."""
    enrollment, training_class = _lock(enrollment)
    _not_self(actor, enrollment)
    if not can_decide_bkpp(actor, enrollment):
        raise PermissionDeniedError("Hanya admin BKPP yang dapat memberi persetujuan akhir.")
    if enrollment.status != Enrollment.Status.UNIT_APPROVED:
        if enrollment.status in (Enrollment.Status.REQUESTED, Enrollment.Status.NOMINATED):
            raise _refuse("Pendaftaran ini belum disetujui kepala unit.")
        raise _refuse(f"Pendaftaran ini sudah {enrollment.get_status_display().lower()}.")
    if training_class.status not in OPEN_FOR_SEATS:
        raise _refuse(f"Kelas {training_class.code} sudah {training_class.get_status_display().lower()}.")
    check_can_join_other_classes(enrollment)
    old = enrollment.status
    now = timezone.now()
    enrollment.approved_by = actor
    enrollment.approved_at = now
    enrollment.decision_note = note.strip()
    if _seated(training_class) < training_class.capacity:
        enrollment.status = Enrollment.Status.ENROLLED
    else:
        enrollment.status = Enrollment.Status.WAITLISTED
        enrollment.waitlisted_at = now
    _stamp(enrollment, actor, "approve", old, note.strip())
    return enrollment


def check_can_join_other_classes(enrollment: Enrollment) -> None:
    """The overlap check again at seat time (another class may have been approved meanwhile)."""
    training_class = enrollment.training_class
    clash = (
        Enrollment.objects.filter(
            employee_id=enrollment.employee_id,
            status__in=(Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED),
            training_class__starts_on__lte=training_class.ends_on,
            training_class__ends_on__gte=training_class.starts_on,
        )
        .exclude(training_class=training_class)
        .select_related("training_class")
        .first()
    )
    if clash is not None:
        other = clash.training_class
        raise _refuse(
            f"Jadwal bentrok: {enrollment.employee.name} sudah terdaftar di kelas {other.code} {other.name} "
            f"({_fmt(other.starts_on)} s.d. {_fmt(other.ends_on)})."
        )


@transaction.atomic
def enrollment_reject(*, actor: Any, enrollment: Enrollment, note: str = "") -> Enrollment:
    """The unit head rejects at the first step, BKPP at either step. A reason is required."""
    enrollment, _ = _lock(enrollment)
    _not_self(actor, enrollment)
    status = enrollment.status
    if status in (Enrollment.Status.REQUESTED, Enrollment.Status.NOMINATED):
        allowed = can_decide_unit(actor, enrollment)
    elif status == Enrollment.Status.UNIT_APPROVED:
        allowed = can_decide_bkpp(actor, enrollment)
    else:
        raise _refuse(f"Pendaftaran ini sudah {enrollment.get_status_display().lower()}.")
    if not allowed:
        raise PermissionDeniedError("Anda tidak berwenang menolak pendaftaran ini.")
    if not note.strip():
        raise _refuse("Tuliskan alasan penolakan.", "note")
    enrollment.status = Enrollment.Status.REJECTED
    enrollment.decision_note = note.strip()
    _stamp(enrollment, actor, "reject", status, note.strip())
    return enrollment


def can_cancel(actor: Any, enrollment: Enrollment) -> bool:
    scope = scope_for(actor)
    if scope.city_manager:
        return True
    return (
        enrollment.employee_id == scope.own_employee_id
        and enrollment.training_class.starts_on > timezone.localdate()
    )


@transaction.atomic
def enrollment_cancel(*, actor: Any, enrollment: Enrollment, note: str = "") -> Enrollment:
    """The employee withdraws before the class starts, or BKPP cancels; a freed seat goes to the first
    person on the waiting list."""
    enrollment, training_class = _lock(enrollment)
    scope = scope_for(actor)
    if not scope.city_manager:
        if enrollment.employee_id != scope.own_employee_id:
            raise PermissionDeniedError("Anda hanya dapat membatalkan pendaftaran Anda sendiri.")
        if training_class.starts_on <= timezone.localdate():
            raise _refuse("Kelas sudah dimulai; pembatalan hanya dapat dilakukan oleh admin BKPP.")
    if enrollment.status not in Enrollment.ACTIVE_STATUSES:
        raise _refuse(f"Pendaftaran ini sudah {enrollment.get_status_display().lower()}.")
    old = enrollment.status
    enrollment.status = Enrollment.Status.CANCELLED
    enrollment.decision_note = note.strip()
    _stamp(enrollment, actor, "cancel", old, note.strip())
    if old == Enrollment.Status.ENROLLED:
        fill_seats(training_class=training_class, actor=actor)
    return enrollment


def fill_seats(*, training_class: TrainingClass, actor: Any) -> list[Enrollment]:
    """Give free seats to the waiting list in order. Call inside a transaction that holds the class lock."""
    promoted: list[Enrollment] = []
    if training_class.status not in OPEN_FOR_SEATS:
        return promoted
    free = training_class.capacity - _seated(training_class)
    if free <= 0:
        return promoted
    waiting = (
        Enrollment.objects.select_for_update()
        .filter(training_class=training_class, status=Enrollment.Status.WAITLISTED)
        .order_by("waitlisted_at", "pk")[:free]
    )
    for enrollment in waiting:
        enrollment.status = Enrollment.Status.ENROLLED
        enrollment.save(update_fields=["status", "updated_at"])
        audit_entry(
            actor=actor,
            action="update",
            instance=enrollment,
            changes={"status": [Enrollment.Status.WAITLISTED, Enrollment.Status.ENROLLED]},
            note=STEP_LABELS["promote"],
        )
        promoted.append(enrollment)
    return promoted


def bulk_decide(
    *, actor: Any, enrollments: Iterable[Enrollment], approve: bool, note: str = ""
) -> tuple[list[Enrollment], dict[int, str]]:
    """Approve/reject many at the step each one is at; returns (done, {enrollment id: refusal message})."""
    done: list[Enrollment] = []
    refused: dict[int, str] = {}
    for enrollment in enrollments:
        try:
            if not approve:
                done.append(enrollment_reject(actor=actor, enrollment=enrollment, note=note))
            elif enrollment.status == Enrollment.Status.UNIT_APPROVED:
                done.append(enrollment_approve(actor=actor, enrollment=enrollment, note=note))
            else:
                done.append(enrollment_unit_approve(actor=actor, enrollment=enrollment, note=note))
        except (ValidationFailed, PermissionDeniedError, NotFoundError) as exc:
            refused[enrollment.pk] = exc.message
    return done, refused


def decide(*, actor: Any, enrollment: Enrollment, approve: bool, note: str = "") -> Enrollment:
    """One approve/reject button for both steps: the enrolment's status says which step it is."""
    if not approve:
        return enrollment_reject(actor=actor, enrollment=enrollment, note=note)
    if enrollment.status == Enrollment.Status.UNIT_APPROVED:
        return enrollment_approve(actor=actor, enrollment=enrollment, note=note)
    return enrollment_unit_approve(actor=actor, enrollment=enrollment, note=note)
