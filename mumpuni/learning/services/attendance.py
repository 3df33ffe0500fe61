"""Attendance of class sessions and test scores: the trainer's grid, QR check-in, pre/post-test scores.

Who runs a class: its trainers (TrainingClass.trainers) and BKPP (scope.city_manager). QR check-in carries
a token signed with django.core.signing; the salt includes the session's own random `checkin_secret`, so a
token of one session never opens another, and it names a five-minute window so a photo of the screen
shared later stops working (the trainer's page refreshes the code).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.learning.models import Attendance, Enrollment, Session, TrainingClass
from mumpuni.people.scopes import scope_for

CHECKIN_EARLY = dt.timedelta(minutes=15)  # participants may check in a quarter of an hour before the start
CHECKIN_WINDOW_SECONDS = 300
CHECKIN_SALT = "mumpuni.learning.checkin"
NOT_RUNNER = "Hanya pelatih kelas ini atau admin BKPP yang dapat mencatat kehadiran dan nilai."


def can_run_class(user: Any, training_class: TrainingClass) -> bool:
    """Trainers of the class and BKPP mark attendance, enter scores and finalise."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if scope_for(user).city_manager:
        return True
    return training_class.trainers.filter(pk=user.pk).exists()


def require_run_class(user: Any, training_class: TrainingClass) -> None:
    if not can_run_class(user, training_class):
        raise PermissionDeniedError(NOT_RUNNER)


def recompute_attendance_percent(enrollment: Enrollment) -> Decimal | None:
    """Present sessions over all sessions of the class, two decimals; None while the class has none."""
    sessions = Session.objects.filter(training_class_id=enrollment.training_class_id).count()
    if sessions == 0:
        percent = None
    else:
        present = Attendance.objects.filter(enrollment=enrollment, present=True).count()
        percent = (Decimal(present * 100) / Decimal(sessions)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    if enrollment.attendance_percent != percent:
        enrollment.attendance_percent = percent
        enrollment.save(update_fields=["attendance_percent", "updated_at"])
    return percent


def _check_markable(enrollment: Enrollment, session: Session) -> None:
    if session.training_class_id != enrollment.training_class_id:
        raise ValidationFailed("Sesi ini bukan bagian dari kelas peserta.")
    if enrollment.status != Enrollment.Status.ENROLLED:
        raise ValidationFailed(
            f"Kehadiran hanya dicatat untuk peserta terdaftar; status peserta ini "
            f"'{enrollment.get_status_display()}'."
        )


def _set(*, actor: Any, enrollment: Enrollment, session: Session, present: bool, method: str) -> bool:
    """Create or change one attendance row; True when something changed."""
    row = Attendance.objects.filter(enrollment=enrollment, session=session).first()
    if row is not None and row.present == present:
        return False
    marked_by = actor if getattr(actor, "pk", None) else None
    if row is None:
        row = Attendance.objects.create(
            enrollment=enrollment, session=session, present=present, method=method, marked_by=marked_by
        )
        before = None
    else:
        before = row.present
        row.present, row.method, row.marked_by = present, method, marked_by
        row.save(update_fields=["present", "method", "marked_by", "marked_at"])
    audit_entry(actor=actor, action="update", instance=row, changes={"present": [before, present]})
    return True


@transaction.atomic
def attendance_mark(
    *, actor: Any, session: Session, enrollment: Enrollment, present: bool = True
) -> Enrollment:
    """The trainer (or BKPP) marks one participant present or absent in one session."""
    require_run_class(actor, session.training_class)
    _check_markable(enrollment, session)
    if _set(
        actor=actor, enrollment=enrollment, session=session, present=present, method=Attendance.Method.TRAINER
    ):
        recompute_attendance_percent(enrollment)
    return enrollment


@transaction.atomic
def attendance_grid_save(*, actor: Any, training_class: TrainingClass, present: set[tuple[int, int]]) -> int:
    """Save the whole grid: every (enrollment id, session id) pair in `present` is present, every other
    cell of an enrolled participant absent. Returns the number of cells changed."""
    require_run_class(actor, training_class)
    sessions = list(training_class.sessions.all())
    enrollments = list(training_class.enrollments.filter(status=Enrollment.Status.ENROLLED))
    known = {(e.pk, s.pk) for e in enrollments for s in sessions}
    unknown = present - known
    if unknown:
        raise ValidationFailed("Data kehadiran memuat peserta atau sesi yang bukan bagian dari kelas ini.")
    existing = {
        (a.enrollment_id, a.session_id): a.present
        for a in Attendance.objects.filter(enrollment__in=enrollments, session__in=sessions)
    }
    changed = 0
    touched: set[int] = set()
    for enrollment in enrollments:
        for session in sessions:
            want = (enrollment.pk, session.pk) in present
            have = existing.get((enrollment.pk, session.pk))
            # A cell never marked and left unticked stays unmarked: absent either way for the percentage.
            if have is None and not want:
                continue
            if _set(
                actor=actor,
                enrollment=enrollment,
                session=session,
                present=want,
                method=Attendance.Method.TRAINER,
            ):
                changed += 1
                touched.add(enrollment.pk)
    for enrollment in enrollments:
        if enrollment.pk in touched:
            recompute_attendance_percent(enrollment)
    return changed


# --- QR check-in -----------------------------------------------------------------------------------


def _window(now: dt.datetime) -> int:
    return int(now.timestamp()) // CHECKIN_WINDOW_SECONDS


def _salt(session: Session) -> str:
    return f"{CHECKIN_SALT}:{session.pk}:{session.checkin_secret}"


def checkin_token(session: Session, now: dt.datetime | None = None) -> str:
    """The token the room's QR code carries for the current five-minute window."""
    now = now or timezone.now()
    return signing.dumps({"s": session.pk, "w": _window(now)}, salt=_salt(session))


def checkin_open(session: Session, now: dt.datetime) -> bool:
    return session.starts_at - CHECKIN_EARLY <= now <= session.ends_at


def current_session(training_class: TrainingClass, now: dt.datetime | None = None) -> Session | None:
    """The session whose check-in is open now (the first, if two overlap)."""
    now = now or timezone.now()
    return (
        training_class.sessions.filter(starts_at__lte=now + CHECKIN_EARLY, ends_at__gte=now)
        .order_by("starts_at")
        .first()
    )


@dataclass(frozen=True)
class CheckinResult:
    enrollment: Enrollment
    already: bool  # was already marked present


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y %H.%M")


@transaction.atomic
def attendance_checkin(
    *, user: Any, session: Session, token: str, now: dt.datetime | None = None
) -> CheckinResult:
    """A participant scans the room's QR code: present if the token is genuine and current, the session
    is running (from 15 minutes before its start to its end) and they are enrolled in the class."""
    now = now or timezone.now()
    try:
        payload = signing.loads(token, salt=_salt(session))
    except signing.BadSignature:
        raise ValidationFailed(
            "Kode QR tidak valid untuk sesi ini. Pindai kode yang tampil di layar ruang kelas."
        ) from None
    if not isinstance(payload, dict) or payload.get("s") != session.pk:
        raise ValidationFailed("Kode QR tidak valid untuk sesi ini.")
    if not checkin_open(session, now):
        if now < session.starts_at - CHECKIN_EARLY:
            raise ValidationFailed(
                f"Presensi sesi ini belum dibuka. Presensi dibuka pukul "
                f"{_local(session.starts_at - CHECKIN_EARLY)} sampai {_local(session.ends_at)}."
            )
        raise ValidationFailed(
            f"Sesi ini sudah berakhir pada {_local(session.ends_at)}; presensi melalui QR ditutup. "
            "Hubungi pelatih bila Anda hadir."
        )
    window = payload.get("w")
    if not isinstance(window, int) or not 0 <= _window(now) - window <= 1:
        raise ValidationFailed(
            "Kode QR ini sudah kedaluwarsa. Pindai ulang kode yang sedang tampil di layar ruang kelas."
        )
    scope = scope_for(user)
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(training_class_id=session.training_class_id, employee_id=scope.own_employee_id)
        .first()
        if scope.own_employee_id
        else None
    )
    if enrollment is None or enrollment.status != Enrollment.Status.ENROLLED:
        raise PermissionDeniedError(
            "Anda tidak terdaftar sebagai peserta kelas ini, sehingga presensi tidak dapat dicatat."
        )
    changed = _set(
        actor=user, enrollment=enrollment, session=session, present=True, method=Attendance.Method.QR
    )
    if changed:
        recompute_attendance_percent(enrollment)
    return CheckinResult(enrollment=enrollment, already=not changed)


# --- test scores -----------------------------------------------------------------------------------


def _score(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        errors[field] = ["Nilai harus berupa angka 0–100."]
        return None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        errors[field] = ["Nilai harus di antara 0 dan 100."]
        return None
    return score


@transaction.atomic
def scores_record(
    *, actor: Any, enrollment: Enrollment, pre_test_score: Any = None, post_test_score: Any = None
) -> Enrollment:
    """Pre- and post-test scores (0–100, two decimals) of one participant; empty clears a score."""
    require_run_class(actor, enrollment.training_class)
    if enrollment.status not in (Enrollment.Status.ENROLLED, Enrollment.Status.NOT_COMPLETED):
        raise ValidationFailed("Nilai hanya dapat diisi untuk peserta terdaftar yang belum dinyatakan lulus.")
    errors: dict[str, list[str]] = {}
    pre = _score(pre_test_score, "pre_test_score", errors)
    post = _score(post_test_score, "post_test_score", errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    before = {"pre_test_score": enrollment.pre_test_score, "post_test_score": enrollment.post_test_score}
    if before == {"pre_test_score": pre, "post_test_score": post}:
        return enrollment
    enrollment.pre_test_score, enrollment.post_test_score = pre, post
    enrollment.save(update_fields=["pre_test_score", "post_test_score", "updated_at"])
    audit_entry(
        actor=actor,
        action="update",
        instance=enrollment,
        changes={
            name: [str(old) if old is not None else None, str(new) if new is not None else None]
            for (name, old), new in zip(before.items(), (pre, post), strict=True)
            if old != new
        },
    )
    return enrollment
