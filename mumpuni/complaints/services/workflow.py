"""Every state transition of a complaint, with its deadline arithmetic and one ComplaintEvent per step.

    received --verify--> verified --forward--> forwarded --start_progress--> in_progress --answer--> answered
    received|verified --reject--> rejected (reason: not our authority, duplicate, unclear)
    received --forward--> forwarded (verifies first: two events)
    forwarded|in_progress|reopened --reassign--> same status, other unit (follow-up deadline restarts)
    forwarded|reopened --answer--> answered (follow-up and answer in one step)
    answered --close--> closed (the desk, or automatically when the dispute window has passed)
    answered|closed --dispute (complainant, within dispute_days of the answer)--> reopened
    reopened --start_progress--> in_progress
    any open status --escalate (system, once per working day while past the current deadline)--> same status

Deadlines (ComplaintPolicy, working days from `mumpuni.lib.workdays`): verify_due = received + 3,
answer_due = received + 14, followup_due = forwarded (or reopened) + 5. Each transition runs in one
transaction on a row locked with SELECT … FOR UPDATE, so two handlers never apply conflicting steps.

The *current* deadline of an open complaint (`current_due`, `overdue_q`): verify_due while received,
followup_due while forwarded or reopened, answer_due while verified or in progress. It is overdue from the
local day after that date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone

from mumpuni.common.calendar import work_calendar
from mumpuni.common.errors import ApplicationError, PermissionDeniedError, ValidationFailed
from mumpuni.complaints import access
from mumpuni.complaints.models import Complaint, ComplaintEvent, ComplaintPolicy
from mumpuni.lib.workdays import WorkCalendar
from mumpuni.people.models import Role, Unit, User

S = Complaint.Status
A = ComplaintEvent.Action


class TransitionError(ApplicationError):
    status_code = 409


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def initial_deadlines(
    received_at: dt.datetime, policy: ComplaintPolicy, calendar: WorkCalendar
) -> dict[str, dt.date]:
    day = local_date(received_at)
    return {
        "verify_due": calendar.add_working_days(day, policy.verify_working_days),
        "answer_due": calendar.add_working_days(day, policy.answer_working_days),
    }


def _label(actor: Any) -> str:
    if actor is None:
        return "Sistem"
    name = (actor.get_full_name() or "").strip() if hasattr(actor, "get_full_name") else ""
    return name or getattr(actor, "username", "") or "Sistem"


def record(
    complaint: Complaint,
    action: str,
    *,
    actor: Any = None,
    actor_label: str | None = None,
    from_status: str = "",
    to_status: str = "",
    message: str = "",
    public: bool = False,
    unit: Unit | None = None,
    at: dt.datetime | None = None,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        at=at or timezone.now(),
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label if actor_label is not None else _label(actor),
        unit=unit,
        public=public,
        message=message,
    )


def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",)).select_related("assigned_unit").get(pk=complaint.pk)
    )


def _require(c: Complaint, allowed: tuple[str, ...], step: str) -> None:
    if c.status not in allowed:
        raise TransitionError(
            f"Pengaduan berstatus “{c.get_status_display()}” tidak dapat {step}.",
        )


def _require_desk(actor: Any) -> None:
    if not access.is_desk(actor):
        raise PermissionDeniedError("Hanya petugas pengaduan yang dapat melakukan langkah ini.")


def _require_unit_handler(actor: Any, c: Complaint) -> None:
    if not access.can_handle_as_unit(actor, c):
        raise PermissionDeniedError("Anda tidak menangani pengaduan unit ini.")


def _move(
    c: Complaint,
    to: str,
    action: str,
    actor: Any,
    *,
    message: str = "",
    public: bool = True,
    unit: Unit | None = None,
    now: dt.datetime,
    actor_label: str | None = None,
) -> None:
    from_status = c.status
    c.status = to
    record(
        c,
        action,
        actor=actor,
        actor_label=actor_label,
        from_status=from_status,
        to_status=to,
        message=message,
        public=public,
        unit=unit,
        at=now,
    )


@transaction.atomic
def verify(
    complaint: Complaint, actor: Any, *, message: str = "", now: dt.datetime | None = None
) -> Complaint:
    _require_desk(actor)
    now = now or timezone.now()
    c = _locked(complaint)
    _require(c, (S.RECEIVED,), "diverifikasi")
    c.verified_at = now
    _move(c, S.VERIFIED, A.VERIFIED, actor, message=message, now=now)
    c.save(update_fields=["status", "verified_at", "updated_at"])
    return c


@transaction.atomic
def reject(
    complaint: Complaint,
    actor: Any,
    *,
    reason: str,
    message: str = "",
    duplicate_of: Complaint | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    _require_desk(actor)
    now = now or timezone.now()
    c = _locked(complaint)
    _require(c, (S.RECEIVED, S.VERIFIED), "ditolak")
    if reason not in Complaint.RejectionReason.values:
        raise ValidationFailed(
            "Alasan penolakan tidak dikenal.", fields={"reason": ["Pilih alasan penolakan."]}
        )
    if reason == Complaint.RejectionReason.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == c.pk:
            raise ValidationFailed(
                "Sebutkan pengaduan asalnya.",
                fields={"duplicate_of": ["Isi kode lacak pengaduan yang sama."]},
            )
        c.duplicate_of = duplicate_of
    if not message.strip():
        message = Complaint.RejectionReason(reason).label
    c.rejection_reason = reason
    c.closed_at = now
    if c.verified_at is None:
        c.verified_at = now
    _move(c, S.REJECTED, A.REJECTED, actor, message=message, now=now)
    c.save(
        update_fields=["status", "rejection_reason", "duplicate_of", "closed_at", "verified_at", "updated_at"]
    )
    return c


def _followup_due(start: dt.datetime, calendar: WorkCalendar | None = None) -> dt.date:
    policy = ComplaintPolicy.current()
    return (calendar or work_calendar()).add_working_days(local_date(start), policy.followup_working_days)


@transaction.atomic
def forward(
    complaint: Complaint, actor: Any, *, unit: Unit, message: str = "", now: dt.datetime | None = None
) -> Complaint:
    """Verify (if not yet) and forward to the responsible unit; the follow-up deadline starts now."""
    _require_desk(actor)
    now = now or timezone.now()
    c = _locked(complaint)
    _require(c, (S.RECEIVED, S.VERIFIED), "diteruskan")
    if unit is None or not unit.active:
        raise ValidationFailed(
            "Pilih unit tujuan yang aktif.", fields={"unit": ["Pilih unit tujuan yang aktif."]}
        )
    if c.status == S.RECEIVED:
        c.verified_at = now
        _move(c, S.VERIFIED, A.VERIFIED, actor, now=now)
    c.assigned_unit = unit
    c.forwarded_at = now
    c.followup_due = _followup_due(now)
    _move(
        c,
        S.FORWARDED,
        A.FORWARDED,
        actor,
        message=message or f"Diteruskan ke {unit.name}.",
        unit=unit,
        now=now,
    )
    c.save(
        update_fields=["status", "verified_at", "assigned_unit", "forwarded_at", "followup_due", "updated_at"]
    )
    return c


@transaction.atomic
def reassign(
    complaint: Complaint, actor: Any, *, unit: Unit, message: str = "", now: dt.datetime | None = None
) -> Complaint:
    """The desk moves a forwarded complaint to another unit (internal; the follow-up deadline restarts)."""
    _require_desk(actor)
    now = now or timezone.now()
    c = _locked(complaint)
    _require(c, (S.FORWARDED, S.IN_PROGRESS, S.REOPENED), "dialihkan")
    if unit is None or not unit.active:
        raise ValidationFailed(
            "Pilih unit tujuan yang aktif.", fields={"unit": ["Pilih unit tujuan yang aktif."]}
        )
    if c.assigned_unit_id == unit.pk:
        raise ValidationFailed("Pengaduan sudah di unit itu.", fields={"unit": ["Pilih unit lain."]})
    old = c.assigned_unit
    c.assigned_unit = unit
    c.forwarded_at = now
    c.followup_due = _followup_due(now)
    record(
        c,
        A.REASSIGNED,
        actor=actor,
        from_status=c.status,
        to_status=c.status,
        unit=unit,
        at=now,
        message=message or f"Dari {old.name if old else '-'} ke {unit.name}.",
    )
    c.save(update_fields=["assigned_unit", "forwarded_at", "followup_due", "updated_at"])
    return c


@transaction.atomic
def start_progress(
    complaint: Complaint, actor: Any, *, message: str = "", now: dt.datetime | None = None
) -> Complaint:
    now = now or timezone.now()
    c = _locked(complaint)
    _require_unit_handler(actor, c)
    _require(c, (S.FORWARDED, S.REOPENED), "ditindaklanjuti")
    if c.followed_up_at is None:
        c.followed_up_at = now
    _move(
        c,
        S.IN_PROGRESS,
        A.IN_PROGRESS,
        actor,
        message=message or "Sedang ditindaklanjuti oleh unit.",
        unit=c.assigned_unit,
        now=now,
    )
    c.save(update_fields=["status", "followed_up_at", "updated_at"])
    return c


@transaction.atomic
def answer(complaint: Complaint, actor: Any, *, text: str, now: dt.datetime | None = None) -> Complaint:
    now = now or timezone.now()
    c = _locked(complaint)
    _require_unit_handler(actor, c)
    _require(c, (S.FORWARDED, S.IN_PROGRESS, S.REOPENED), "dijawab")
    text = (text or "").strip()
    if len(text) < 20:
        raise ValidationFailed(
            "Jawaban terlalu singkat.", fields={"text": ["Tulis jawaban minimal 20 karakter."]}
        )
    name = c.name.strip()
    if len(name) >= 3 and name.lower() in text.lower():
        message = "Jawaban publik tidak boleh memuat nama pelapor; sapa dengan “Bapak/Ibu Pelapor”."
        raise ValidationFailed(message, fields={"text": [message]})
    if c.followed_up_at is None:
        c.followed_up_at = now
    c.public_answer = text
    c.answered_at = now
    c.answered_by = actor
    _move(c, S.ANSWERED, A.ANSWERED, actor, message=text, unit=c.assigned_unit, now=now)
    c.save(
        update_fields=[
            "status",
            "followed_up_at",
            "public_answer",
            "answered_at",
            "answered_by",
            "updated_at",
        ]
    )
    return c


@transaction.atomic
def close(
    complaint: Complaint, actor: Any | None, *, message: str = "", now: dt.datetime | None = None
) -> Complaint:
    """The desk closes an answered complaint; `actor=None` is the automatic close after the dispute window."""
    if actor is not None:
        _require_desk(actor)
    now = now or timezone.now()
    c = _locked(complaint)
    _require(c, (S.ANSWERED,), "ditutup")
    c.closed_at = now
    _move(c, S.CLOSED, A.CLOSED, actor, message=message, now=now)
    c.save(update_fields=["status", "closed_at", "updated_at"])
    return c


def dispute_deadline(c: Complaint) -> dt.datetime | None:
    if c.answered_at is None:
        return None
    return c.answered_at + dt.timedelta(days=ComplaintPolicy.current().dispute_days)


def _require_secret(c: Complaint, secret: str) -> None:
    if not c.secret_matches(secret):
        raise PermissionDeniedError("Tautan pelapor tidak sah untuk pengaduan ini.")


@transaction.atomic
def dispute(complaint: Complaint, *, secret: str, reason: str, now: dt.datetime | None = None) -> Complaint:
    """The complainant disputes the answer within the dispute window: the complaint is reopened."""
    now = now or timezone.now()
    c = _locked(complaint)
    _require_secret(c, secret)
    _require(c, (S.ANSWERED, S.CLOSED), "disanggah")
    if c.rejection_reason:
        raise TransitionError("Pengaduan yang ditolak tidak dapat disanggah.")
    deadline = dispute_deadline(c)
    if deadline is None or now > deadline:
        raise TransitionError("Masa sanggah sudah lewat.")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationFailed(
            "Alasan sanggahan terlalu singkat.", fields={"reason": ["Tulis alasan minimal 10 karakter."]}
        )
    c.closed_at = None
    c.forwarded_at = now
    c.followup_due = _followup_due(now)
    # The second answer gets the follow-up period, not the original (already passed) answer deadline.
    c.answer_due = max(c.answer_due, c.followup_due)
    _move(
        c, S.REOPENED, A.DISPUTED, None, message=reason, unit=c.assigned_unit, now=now, actor_label="Pelapor"
    )
    c.save(update_fields=["status", "closed_at", "forwarded_at", "followup_due", "answer_due", "updated_at"])
    return c


@transaction.atomic
def rate(
    complaint: Complaint, *, secret: str, rating: int, comment: str = "", now: dt.datetime | None = None
) -> Complaint:
    """The complainant rates the answer 1–5 within the dispute window (a later rating replaces the earlier)."""
    now = now or timezone.now()
    c = _locked(complaint)
    _require_secret(c, secret)
    _require(c, (S.ANSWERED, S.CLOSED), "dinilai")
    if c.rejection_reason:
        raise TransitionError("Pengaduan yang ditolak tidak dapat dinilai.")
    deadline = dispute_deadline(c)
    if deadline is None or now > deadline:
        raise TransitionError("Masa penilaian sudah lewat.")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed("Nilai harus 1 sampai 5.", fields={"rating": ["Pilih nilai 1 sampai 5."]})
    c.rating = rating
    c.rating_comment = (comment or "").strip()[:2000]
    c.rated_at = now
    record(
        c,
        A.RATED,
        actor_label="Pelapor",
        from_status=c.status,
        to_status=c.status,
        message=f"Nilai {rating}/5",
        public=False,  # the verdict is the complainant's; the tracking page does not publish it
        at=now,
    )
    c.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    return c


def add_note(
    complaint: Complaint, actor: Any, *, text: str, now: dt.datetime | None = None
) -> ComplaintEvent:
    """An internal note (never public): the desk or the handling unit."""
    if not (access.is_desk(actor) or access.can_handle_as_unit(actor, complaint)):
        raise PermissionDeniedError("Anda tidak menangani pengaduan ini.")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("Catatan kosong.", fields={"text": ["Tulis catatan."]})
    return record(
        complaint,
        A.NOTE,
        actor=actor,
        from_status=complaint.status,
        to_status=complaint.status,
        message=text[:4000],
        public=False,
        at=now,
    )


# --- current deadline and escalation -------------------------------------------------------------------

DUE_FIELD_BY_STATUS: dict[str, str] = {
    S.RECEIVED: "verify_due",
    S.FORWARDED: "followup_due",
    S.REOPENED: "followup_due",
    S.VERIFIED: "answer_due",
    S.IN_PROGRESS: "answer_due",
}
DUE_LABELS = {
    "verify_due": "batas verifikasi",
    "followup_due": "batas tindak lanjut",
    "answer_due": "batas jawaban",
}


def current_due_field(c: Complaint) -> str | None:
    return DUE_FIELD_BY_STATUS.get(c.status)


def current_due(c: Complaint) -> dt.date | None:
    """The deadline the complaint is working against now; None when it is no longer open."""
    name = current_due_field(c)
    return getattr(c, name) if name else None


def due_expression() -> Case:
    """`current_due` as an SQL expression, for annotating lists."""
    return Case(
        *(When(status=status, then=F(name)) for status, name in DUE_FIELD_BY_STATUS.items()),
        default=None,
    )


def overdue_q(today: dt.date) -> Q:
    """Open complaints whose current deadline is before `today` (each branch can use its date column)."""
    q = Q(pk__in=[])
    by_field: dict[str, list[str]] = {}
    for status, name in DUE_FIELD_BY_STATUS.items():
        by_field.setdefault(name, []).append(status)
    for name, statuses in by_field.items():
        q |= Q(status__in=statuses, **{f"{name}__lt": today})
    return q


def _ancestor_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def unit_heads_of(unit: Unit) -> QuerySet[User]:
    """Active holders of the unit_head role on `unit` or one of its ancestors."""
    return User.objects.filter(
        is_active=True,
        role_assignments__role=Role.UNIT_HEAD,
        role_assignments__unit_id__in=_ancestor_ids(unit),
    ).distinct()


def desk_users() -> QuerySet[User]:
    """The complaint desk as people: BKPP admins and complaint_desk role holders."""
    return User.objects.filter(
        is_active=True, role_assignments__role__in=[Role.ADMIN, Role.COMPLAINT_DESK]
    ).distinct()


def responsible_unit(c: Complaint) -> Unit | None:
    """The assigned unit, or — not yet forwarded — the unit of the service point complained about."""
    if c.assigned_unit_id is not None:
        return c.assigned_unit
    return c.point.unit if c.point is not None else None


def escalation_recipients(c: Complaint, desk: list[User] | None = None) -> list[User]:
    unit = responsible_unit(c)
    heads = list(unit_heads_of(unit)) if unit is not None else []
    return heads + list(desk_users() if desk is None else desk)


@transaction.atomic
def escalate(
    complaint: Complaint,
    *,
    now: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
    desk: list[User] | None = None,
) -> bool:
    """Escalate an overdue open complaint: an internal event, `escalated_at`, and a notification (after
    commit) to the responsible unit's heads and the desk. At most once per local day: returns False when
    the complaint is not overdue, already escalated today, or no longer open. Run by the system only."""
    now = now or timezone.now()
    today = local_date(now)
    c = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("assigned_unit", "point__unit")
        .get(pk=complaint.pk)
    )
    due = current_due(c)
    if due is None or due >= today:
        return False
    if c.escalated_at is not None and local_date(c.escalated_at) >= today:
        return False
    calendar = calendar or work_calendar()
    late = calendar.working_days_between(due, today)
    label = DUE_LABELS[current_due_field(c) or "answer_due"]
    message = f"Lewat {label} {due:%d-%m-%Y} ({late} hari kerja)."
    c.escalated_at = now
    unit = responsible_unit(c)
    record(
        c,
        A.ESCALATED,
        actor=None,
        from_status=c.status,
        to_status=c.status,
        message=message,
        public=False,
        unit=unit,
        at=now,
    )
    c.save(update_fields=["escalated_at", "updated_at"])
    recipients = escalation_recipients(c, desk)
    title = f"Pengaduan lewat batas waktu: {c.tracking_code}"
    body = f"{c.title}\n{c.get_status_display()} · {message}" + (f"\nUnit: {unit.name}" if unit else "")
    link = reverse("complaints:detail", args=[c.tracking_code])

    def send() -> None:
        from mumpuni.common.notifications import notify

        notify(recipients, title, body, link, kind="complaint_overdue")

    transaction.on_commit(send)
    return True
