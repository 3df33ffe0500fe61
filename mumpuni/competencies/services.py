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

from django.db import transaction
from django.utils import timezone

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.competencies.models import Assessment, Competency, CurrentLevel
from mumpuni.people.models import Employee
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
    assessment.full_clean()
    assessment.save()
    recompute_current_level(employee_id=employee.pk, competency_id=competency.pk, today=today)
    audit_entry(
        actor=actor,
        action="create",
        instance=assessment,
        changes={"level": [None, level], "source": [None, source], "competency": [None, competency.code]},
    )
    return assessment
