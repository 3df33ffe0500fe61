"""Nonklasikal activities (e-learning elsewhere, coaching, mentoring, seminars, …): submitted by the
employee with evidence, verified or rejected by their supervisor (scope.team_ids) or BKPP. A verified
activity adds its credited JP (never more than claimed) to the ledger. Nobody verifies their own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.learning.models import NonClassicalActivity, Program
from mumpuni.learning.services.jp import jp_credit_activity
from mumpuni.lib.uploads import MAX_EVIDENCE_BYTES, check_evidence_file  # noqa: F401  (re-exported)
from mumpuni.people.models import Employee
from mumpuni.people.scopes import scope_for

MAX_JP_PER_ACTIVITY = Decimal("200")
# Pendidikan (tugas/izin belajar) is not an activity one reports for JP.
ACTIVITY_FORMS = [
    (value, label)
    for value, label in Program.Form.choices
    if value not in Program.FORMS_BY_CATEGORY[Program.Category.EDUCATION]
]


def _jp(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        jp = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors[field] = ["JP harus berupa angka, misalnya 2 atau 1,5."]
        return None
    if not jp.is_finite() or jp < Decimal("0.5") or jp > MAX_JP_PER_ACTIVITY or jp * 2 != int(jp * 2):
        errors[field] = [f"JP harus kelipatan 0,5 antara 0,5 dan {MAX_JP_PER_ACTIVITY}."]
        return None
    return jp


def activity_submit(
    *,
    actor: Any,
    form: str,
    title: str,
    started_on: dt.date | None,
    ended_on: dt.date | None,
    jp_claimed: Any,
    provider_name: str = "",
    evidence_file: Any = None,
    evidence_url: str = "",
) -> NonClassicalActivity:
    """The employee reports an activity of their own."""
    employee_id = scope_for(actor).own_employee_id
    if employee_id is None:
        raise PermissionDeniedError("Akun Anda tidak terhubung dengan data pegawai.")
    errors: dict[str, list[str]] = {}
    if form not in dict(ACTIVITY_FORMS):
        errors["form"] = ["Pilih bentuk kegiatan dari daftar."]
    title = (title or "").strip()
    if not title:
        errors["title"] = ["Judul kegiatan wajib diisi."]
    elif len(title) > 200:
        errors["title"] = ["Judul paling banyak 200 karakter."]
    today = timezone.localdate()
    if started_on is None:
        errors["started_on"] = ["Tanggal mulai wajib diisi."]
    if ended_on is None:
        errors["ended_on"] = ["Tanggal selesai wajib diisi."]
    if started_on and ended_on:
        if ended_on < started_on:
            errors["ended_on"] = ["Tanggal selesai tidak boleh sebelum tanggal mulai."]
        elif ended_on > today:
            errors["ended_on"] = ["Kegiatan dilaporkan sesudah selesai; tanggal selesai di masa depan."]
    jp = _jp(jp_claimed, "jp_claimed", errors)
    evidence_url = (evidence_url or "").strip()
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except DjangoValidationError:
            errors["evidence_url"] = ["Tautan bukti harus alamat web (https://…)."]
    if evidence_file:
        problems = check_evidence_file(evidence_file)
        if problems:
            errors["evidence_file"] = problems
    elif not evidence_url:
        errors["evidence_file"] = ["Lampirkan berkas bukti (PDF/JPG/PNG) atau isi tautan bukti."]
    if errors or started_on is None or ended_on is None or jp is None:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    activity = NonClassicalActivity(
        employee_id=employee_id,
        form=form,
        title=title,
        provider_name=(provider_name or "").strip()[:200],
        started_on=started_on,
        ended_on=ended_on,
        jp_claimed=jp,
        evidence_url=evidence_url,
    )
    if evidence_file:
        activity.evidence_file = evidence_file
    activity.full_clean()
    activity.save()
    audit_entry(
        actor=actor,
        action="create",
        instance=activity,
        changes={"title": [None, title], "jp_claimed": [None, str(jp)]},
    )
    return activity


def can_verify(user: Any, activity: NonClassicalActivity) -> bool:
    """Their supervisors up the chain or BKPP; never the employee themselves."""
    scope = scope_for(user)
    if activity.employee_id == scope.own_employee_id:
        return False
    return scope.city_manager or activity.employee_id in scope.team_ids


def _require_verifier(actor: Any, activity: NonClassicalActivity) -> NonClassicalActivity:
    if activity.employee_id == scope_for(actor).own_employee_id:
        raise PermissionDeniedError("Anda tidak dapat memverifikasi kegiatan Anda sendiri.")
    if not can_verify(actor, activity):
        raise PermissionDeniedError(
            "Hanya atasan pegawai atau admin BKPP yang dapat memverifikasi kegiatan ini."
        )
    locked = NonClassicalActivity.objects.select_for_update().get(pk=activity.pk)
    if locked.status != NonClassicalActivity.Status.SUBMITTED:
        raise ValidationFailed(f"Kegiatan ini sudah {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def activity_verify(
    *, actor: Any, activity: NonClassicalActivity, jp_credited: Any = None, note: str = ""
) -> NonClassicalActivity:
    """Accept the activity with the JP recognised (default: as claimed, never more)."""
    activity = _require_verifier(actor, activity)
    errors: dict[str, list[str]] = {}
    jp = activity.jp_claimed if jp_credited in (None, "") else _jp(jp_credited, "jp_credited", errors)
    if jp is not None and jp > activity.jp_claimed:
        errors["jp_credited"] = [f"JP diakui tidak boleh melebihi JP yang diajukan ({activity.jp_claimed})."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    activity.status = NonClassicalActivity.Status.VERIFIED
    activity.jp_credited = jp
    activity.verified_by = actor
    activity.verified_at = timezone.now()
    activity.decision_note = (note or "").strip()
    activity.save(
        update_fields=["status", "jp_credited", "verified_by", "verified_at", "decision_note", "updated_at"]
    )
    audit_entry(
        actor=actor,
        action="update",
        instance=activity,
        changes={"status": ["submitted", "verified"], "jp_credited": [None, str(jp)]},
    )
    jp_credit_activity(actor=actor, activity=activity)
    return activity


@transaction.atomic
def activity_reject(*, actor: Any, activity: NonClassicalActivity, note: str) -> NonClassicalActivity:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed("Tuliskan alasan penolakan.", fields={"note": ["Tuliskan alasan penolakan."]})
    activity = _require_verifier(actor, activity)
    activity.status = NonClassicalActivity.Status.REJECTED
    activity.verified_by = actor
    activity.verified_at = timezone.now()
    activity.decision_note = note
    activity.save(update_fields=["status", "verified_by", "verified_at", "decision_note", "updated_at"])
    audit_entry(
        actor=actor,
        action="update",
        instance=activity,
        changes={"status": ["submitted", "rejected"]},
        note=note,
    )
    return activity


def activities_to_verify(user: Any) -> Any:
    """Submitted activities this user may verify."""
    scope = scope_for(user)
    qs = NonClassicalActivity.objects.filter(status=NonClassicalActivity.Status.SUBMITTED).select_related(
        "employee__unit"
    )
    if not scope.city_manager:
        qs = qs.filter(employee_id__in=scope.team_ids)
    if scope.own_employee_id:
        qs = qs.exclude(employee_id=scope.own_employee_id)
    return qs.order_by("created_at")


def employee_of(user: Any) -> Employee | None:
    employee_id = scope_for(user).own_employee_id
    return Employee.objects.select_related("unit").filter(pk=employee_id).first() if employee_id else None
