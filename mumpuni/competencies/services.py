"""Writes to competency data: assessments (history kept, current level derived), standards.

Precedence of the current level (documented in docs/competencies.md):
1. Only *valid* assessments count: not withdrawn, and `valid_until` empty or not past.
2. A self-assessment counts only while no assessment from another source is valid.
3. Among the rest, the latest `assessed_on` wins; on the same day the stronger source wins
   (assessment centre > test > training completion > supervisor > self); then the later record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from mumpuni.common.audit import audit_entry, diff, snapshot
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.competencies.models import (
    Assessment,
    Competency,
    CompetencyLevel,
    CurrentLevel,
    ManagerialDefault,
    PositionRequirement,
)
from mumpuni.lib.uploads import check_evidence_file
from mumpuni.people.models import Employee, Position
from mumpuni.people.scopes import scope_for

SOURCE_RANK = {
    Assessment.Source.ASSESSMENT_CENTRE: 5,
    Assessment.Source.TEST: 4,
    Assessment.Source.TRAINING: 3,
    Assessment.Source.SUPERVISOR: 2,
    Assessment.Source.SELF: 1,
}


def pick_current(assessments: list[Assessment], today: dt.date) -> Assessment | None:
    """The assessment that defines the current level, by the precedence rule above."""
    valid = [
        a for a in assessments if a.withdrawn_at is None and (a.valid_until is None or a.valid_until >= today)
    ]
    others = [a for a in valid if a.source != Assessment.Source.SELF]
    pool = others or valid
    if not pool:
        return None
    return max(pool, key=lambda a: (a.assessed_on, SOURCE_RANK[Assessment.Source(a.source)], a.pk or 0))


def recompute_current_level(*, employee_id: int, competency_id: int, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    rows = list(Assessment.objects.filter(employee_id=employee_id, competency_id=competency_id))
    chosen = pick_current(rows, today)
    if chosen is None:
        CurrentLevel.objects.filter(employee_id=employee_id, competency_id=competency_id).delete()
        return
    CurrentLevel.objects.update_or_create(
        employee_id=employee_id,
        competency_id=competency_id,
        defaults={"level": chosen.level, "assessment": chosen},
    )


def can_assess(actor: Any, employee: Employee, source: str) -> bool:
    """Who may record which source: the employee themselves (self); their supervisors up the chain and
    unit heads/BKPP (supervisor); BKPP only for assessment centre and test results. Training completions
    are recorded by the system (actor None)."""
    if actor is None:
        return True
    scope = scope_for(actor)
    if source == Assessment.Source.SELF:
        return employee.pk == scope.own_employee_id
    if source == Assessment.Source.SUPERVISOR:
        return employee.pk in scope.team_ids or scope.can_change_employee(employee)
    if source in (Assessment.Source.ASSESSMENT_CENTRE, Assessment.Source.TEST):
        return scope.city_manager
    return False  # training completions come from the learning services only


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    employee: Employee,
    competency: Competency,
    level: int,
    source: str,
    assessed_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    note: str = "",
    evidence_url: str = "",
    evidence_file: Any = None,
    training_enrollment_id: int | None = None,
) -> Assessment:
    """Record one assessment and refresh the current level. Refuses what the actor may not assess."""
    if source not in SOURCE_RANK:
        raise ValidationFailed(
            "Sumber penilaian tidak dikenal.", fields={"source": ["Sumber penilaian tidak dikenal."]}
        )
    if not can_assess(actor, employee, source):
        raise PermissionDeniedError(
            "Anda tidak berwenang menilai kompetensi pegawai ini dengan sumber tersebut."
        )
    errors: dict[str, list[str]] = {}
    if not isinstance(level, int) or not 1 <= level <= 5:
        errors["level"] = ["Level harus 1 sampai 5."]
    today = timezone.localdate()
    assessed_on = assessed_on or today
    if assessed_on > today:
        errors["assessed_on"] = ["Tanggal penilaian tidak boleh di masa depan."]
    if valid_until is not None and valid_until < assessed_on:
        errors["valid_until"] = ["Tanggal berlaku harus sesudah tanggal penilaian."]
    if not competency.active:
        errors["competency"] = ["Kompetensi ini tidak aktif."]
    if evidence_file is not None:
        file_errors = check_evidence_file(evidence_file)
        if file_errors:
            errors["evidence_file"] = file_errors
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    assessment = Assessment(
        employee=employee,
        competency=competency,
        level=level,
        source=source,
        assessed_on=assessed_on,
        valid_until=valid_until,
        assessor=actor if getattr(actor, "pk", None) else None,
        note=note.strip(),
        evidence_url=evidence_url.strip(),
        training_enrollment_id=training_enrollment_id,
    )
    if evidence_file is not None:
        assessment.evidence_file = evidence_file
    try:
        assessment.full_clean()
    except DjangoValidationError as exc:
        fields = {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields) from exc
    assessment.save()
    recompute_current_level(employee_id=employee.pk, competency_id=competency.pk, today=today)
    audit_entry(
        actor=actor,
        action="create",
        instance=assessment,
        changes={"level": [None, level], "source": [None, source], "competency": [None, competency.code]},
    )
    return assessment


def can_withdraw(actor: Any, assessment: Assessment) -> bool:
    """The assessor may take back their own entry; BKPP may withdraw any (e.g. a wrong import)."""
    if actor is None:
        return True
    scope = scope_for(actor)
    return scope.city_manager or (assessment.assessor_id is not None and assessment.assessor_id == actor.pk)


@transaction.atomic
def assessment_withdraw(*, actor: Any, assessment: Assessment, reason: str = "") -> Assessment:
    """Withdraw an assessment (kept in the history, no longer counted) and refresh the current level."""
    if not can_withdraw(actor, assessment):
        raise PermissionDeniedError("Anda tidak berwenang menarik penilaian ini.")
    # Claim the row so two withdrawals cannot both succeed (and both audit).
    claimed = Assessment.objects.filter(pk=assessment.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if claimed != 1:
        raise ValidationFailed(
            "Penilaian ini sudah ditarik.", fields={"assessment": ["Penilaian ini sudah ditarik."]}
        )
    assessment.refresh_from_db()
    recompute_current_level(employee_id=assessment.employee_id, competency_id=assessment.competency_id)
    audit_entry(
        actor=actor,
        action="withdraw",
        instance=assessment,
        changes={
            "withdrawn_at": [None, assessment.withdrawn_at.isoformat() if assessment.withdrawn_at else None]
        },
        note=reason.strip(),
    )
    return assessment


# --- the standard (BKPP) ---------------------------------------------------------------------------


def _require_city_manager(actor: Any) -> None:
    if actor is not None and not scope_for(actor).city_manager:
        raise PermissionDeniedError("Hanya admin BKPP yang dapat mengubah standar kompetensi.")


def _level_errors(value: Any, field: str, errors: dict[str, list[str]]) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        errors[field] = ["Level harus 1 sampai 5."]


@transaction.atomic
def competency_save(
    *,
    actor: Any,
    competency: Competency | None = None,
    code: str = "",
    name: str,
    kind: str,
    description: str = "",
    unit: Any = None,
    active: bool = True,
    levels: dict[int, tuple[str, str]] | None = None,
) -> Competency:
    """Create (competency None) or update a dictionary entry and its level descriptions {level: (title, text)}."""
    _require_city_manager(actor)
    creating = competency is None
    errors: dict[str, list[str]] = {}
    code = code.strip().upper()
    if creating:
        if not code:
            errors["code"] = ["Kode wajib diisi."]
        elif Competency.objects.filter(code=code).exists():
            errors["code"] = ["Kode ini sudah dipakai kompetensi lain."]
    if not name.strip():
        errors["name"] = ["Nama wajib diisi."]
    if kind not in Competency.Kind.values:
        errors["kind"] = ["Jenis kompetensi tidak dikenal."]
    elif kind != Competency.Kind.TECHNICAL and unit is not None:
        errors["unit"] = [
            "Hanya kompetensi teknis yang dimiliki unit; manajerial dan sosial kultural berlaku nasional."
        ]
    for level, (_title, text) in (levels or {}).items():
        if level not in range(1, 6):
            errors[f"level_{level}"] = ["Level harus 1 sampai 5."]
        elif not text.strip():
            errors[f"level_{level}"] = ["Deskripsi perilaku wajib diisi."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    tracked = ["name", "kind", "description", "unit", "active"]
    if creating:
        competency = Competency(code=code)
        before: dict[str, Any] = {}
    else:
        assert competency is not None
        before = snapshot(competency, tracked)
    competency.name = name.strip()
    competency.kind = kind
    competency.description = description.strip()
    competency.unit = unit
    competency.active = active
    competency.full_clean()
    competency.save()
    changes = diff(before, snapshot(competency, tracked))
    for level, (title, text) in sorted((levels or {}).items()):
        row, created = CompetencyLevel.objects.get_or_create(
            competency=competency, level=level, defaults={"title": title.strip(), "description": text.strip()}
        )
        if not created and (row.title, row.description) != (title.strip(), text.strip()):
            changes[f"level_{level}"] = [row.description, text.strip()]
            row.title, row.description = title.strip(), text.strip()
            row.save(update_fields=["title", "description"])
        elif created:
            changes[f"level_{level}"] = [None, text.strip()]
    audit_entry(actor=actor, action="create" if creating else "update", instance=competency, changes=changes)
    return competency


@transaction.atomic
def managerial_default_set(
    *, actor: Any, position_kind: str, position_level: str, required_level: int
) -> ManagerialDefault:
    """Set the default managerial/socio-cultural level of a position kind and jenjang."""
    _require_city_manager(actor)
    errors: dict[str, list[str]] = {}
    if position_kind not in Position.Kind.values:
        errors["position_kind"] = ["Jenis jabatan tidak dikenal."]
    elif position_level and position_level not in Position.LEVELS_BY_KIND.get(position_kind, set()):
        errors["position_level"] = ["Jenjang ini tidak ada pada jenis jabatan tersebut."]
    _level_errors(required_level, "required_level", errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    row = ManagerialDefault.objects.filter(position_kind=position_kind, position_level=position_level).first()
    old = row.required_level if row else None
    if row is None:
        row = ManagerialDefault(
            position_kind=position_kind, position_level=position_level, required_level=required_level
        )
    row.required_level = required_level
    row.full_clean()
    row.save()
    if old != required_level:
        audit_entry(
            actor=actor,
            action="update" if old else "create",
            instance=row,
            changes={"required_level": [old, required_level]},
        )
    return row


@transaction.atomic
def position_requirements_set(*, actor: Any, position: Position, levels: dict[int, int | None]) -> int:
    """Set {competency id: level, or None to remove} of one position. Returns how many rows changed."""
    _require_city_manager(actor)
    errors: dict[str, list[str]] = {}
    competencies = Competency.objects.in_bulk(list(levels))
    for competency_id, level in levels.items():
        if competency_id not in competencies:
            errors[f"competency_{competency_id}"] = ["Kompetensi tidak dikenal."]
        elif level is not None:
            _level_errors(level, f"competency_{competency_id}", errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    existing = {r.competency_id: r for r in PositionRequirement.objects.filter(position=position)}
    changes: dict[str, list[Any]] = {}
    for competency_id, level in levels.items():
        code = competencies[competency_id].code
        row = existing.get(competency_id)
        if level is None:
            if row is not None:
                row.delete()
                changes[code] = [row.required_level, None]
        elif row is None:
            PositionRequirement.objects.create(
                position=position, competency_id=competency_id, required_level=level
            )
            changes[code] = [None, level]
        elif row.required_level != level:
            changes[code] = [row.required_level, level]
            row.required_level = level
            row.save(update_fields=["required_level"])
    if changes:
        audit_entry(
            actor=actor, action="update", instance=position, changes=changes, note="persyaratan kompetensi"
        )
    return len(changes)


@transaction.atomic
def assessments_record_grid(
    *, actor: Any, entries: list[tuple[Employee, Competency, int]], note: str = "", evidence_url: str = ""
) -> int:
    """The supervisor's grid: one supervisor assessment per filled cell, all or nothing (one refused cell
    refuses the submit, so a grid is never half saved)."""
    for employee, competency, level in entries:
        assessment_record(
            actor=actor,
            employee=employee,
            competency=competency,
            level=level,
            source=Assessment.Source.SUPERVISOR,
            note=note,
            evidence_url=evidence_url,
        )
    return len(entries)
