"""Imports of employees, units and positions from CSV/XLSX: check every row first, then apply all or nothing.

`plan_import` reads a file and checks each row against the same rules as `people.services` (it calls
their helpers: `check_identity`, the contact and position-in-unit checks, the models' own field
validation), collecting EVERY error with the row number the user sees (header = row 1). `apply_plan`
writes a plan without errors inside one transaction; `import_file` does both in one transaction, so
nothing changes between the check and the write.

Employees are written in bulk (15,000 rows must take seconds, not minutes): lookups are preloaded into
dicts, new employees are inserted level by level down the supervisor tree so every supervisor id is known
when its reports are inserted, and the assignment history and one "import" audit entry per created or
changed employee are bulk-inserted with them. Units and positions are few (hundreds) and go through
`unit_create`/`unit_update`/`position_create`/`position_update` row by row, which keeps the tree paths
right when a unit moves.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import transaction

from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.lib import tabular
from mumpuni.people import services
from mumpuni.people.imports.base import (
    EMPLOYEES,
    POSITIONS,
    SPECS,
    UNITS,
    Plan,
    PreviewRow,
    Progress,
    RowError,
    Spec,
)
from mumpuni.people.imports.employees import apply_employees, plan_employees
from mumpuni.people.imports.structure import apply_structure, plan_positions, plan_units
from mumpuni.people.models import ImportJob
from mumpuni.people.scopes import Scope, scope_for

__all__ = [
    "EMPLOYEES",
    "POSITIONS",
    "SPECS",
    "UNITS",
    "Plan",
    "PreviewRow",
    "RowError",
    "Spec",
    "apply_plan",
    "check_permission",
    "import_file",
    "import_job_confirm",
    "import_job_create",
    "import_job_retry",
    "plan_import",
    "read_file",
    "recent_jobs",
]


def read_file(kind: str, data: bytes, file_name: str) -> tuple[tabular.Table | None, list[RowError]]:
    spec = SPECS[kind]
    try:
        table = tabular.read_table(
            data,
            file_name,
            required=spec.required,
            optional=spec.optional,
            max_bytes=settings.MUMPUNI_IMPORT_MAX_BYTES,
        )
    except tabular.TabularError as exc:
        if exc.columns:
            return None, [RowError(1, column, exc.message) for column in exc.columns]
        return None, [RowError(0, "", exc.message)]
    if not table.rows:
        return None, [RowError(0, "", "Berkas tidak berisi baris data di bawah baris judul.")]
    return table, []


# C0 control characters and DEL, except tab and line breaks (which a multi-line spreadsheet cell may hold).
# PostgreSQL refuses NUL in text outright, and none of them belongs in a name, code or number.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "berisi karakter kontrol yang tidak diizinkan"


def control_character_errors(table: tabular.Table) -> list[RowError]:
    """One error per cell holding a control character; those cells are blanked so the checks can go on.

    Blanked, not dropped: the row's other cells are still checked and its other errors still reported,
    and no lookup ever sends a NUL byte to the database.
    """
    errors: list[RowError] = []
    for index, row in enumerate(table.rows):
        bad = [column for column, value in row.values.items() if _CONTROL.search(value)]
        if bad:
            values = {c: _CONTROL.sub("", v) for c, v in row.values.items()}
            table.rows[index] = tabular.Row(number=row.number, values=values, numeric=row.numeric)
            errors.extend(RowError(row.number, column, CONTROL_MESSAGE) for column in bad)
    return errors


def check_permission(actor: Any, kind: str) -> Scope | None:
    """None (the system, e.g. a management command) may import; a user needs the import right."""
    if actor is None:
        return None
    scope = scope_for(actor)
    if not scope.can_import or (kind != EMPLOYEES and not scope.can_manage_structure):
        raise PermissionDeniedError("Hanya admin BKPP yang dapat mengimpor data.")
    return scope


def plan_import(kind: str, data: bytes, file_name: str, *, actor: Any) -> Plan:
    """Read and check a file; nothing is written."""
    if kind not in SPECS:
        raise ValueError(f"unknown import kind {kind!r}")
    scope = check_permission(actor, kind)
    table, errors = read_file(kind, data, file_name)
    if table is None:
        return Plan(kind=kind, file_name=file_name, errors=errors)
    control_errors = control_character_errors(table)
    planner = {EMPLOYEES: plan_employees, UNITS: plan_units, POSITIONS: plan_positions}[kind]
    plan = planner(table, scope)
    if control_errors:
        flagged = {(e.row, e.column) for e in control_errors}
        others = [e for e in plan.errors if (e.row, e.column) not in flagged]
        plan.errors = sorted([*control_errors, *others], key=lambda e: e.row)  # stable: control first
        plan.items = []
    plan.file_name = file_name
    plan.total_rows = len(table.rows)
    return plan


@transaction.atomic
def apply_plan(plan: Plan, *, actor: Any, progress: Progress | None = None) -> Plan:
    """Write a checked plan in one transaction. Refuses a plan with errors."""
    if not plan.ok:
        raise ValidationFailed("Berkas masih memiliki kesalahan; tidak ada data yang diubah.")
    if plan.applied:
        raise ValueError("plan already applied")
    check_permission(actor, plan.kind)
    report = progress or (lambda done: None)
    report(plan.unchanged)
    note = f"Impor {plan.file_name}"[:255]
    if plan.kind == EMPLOYEES:
        apply_employees(plan, actor=actor, progress=report, note=note)
    else:
        apply_structure(plan, actor=actor, progress=report)
    plan.applied = True
    report(plan.total_rows)
    return plan


def import_file(
    kind: str,
    data: bytes,
    file_name: str,
    *,
    actor: Any,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Plan:
    """Check and (unless dry_run or there are errors) apply a file, both in one transaction."""
    with transaction.atomic():
        if kind == EMPLOYEES and not dry_run:
            # The file may set supervisors: check its chains with supervisor changes held off (see services).
            services.lock_supervisor_changes()
        plan = plan_import(kind, data, file_name, actor=actor)
        if plan.ok and not dry_run:
            apply_plan(plan, actor=actor, progress=progress)
    return plan


# --- import jobs (the web flow) ----------------------------------------------------------------------


@transaction.atomic
def import_job_create(*, actor: Any, kind: str, file_name: str, content: bytes) -> ImportJob:
    """Store an uploaded file as a job and check it in the background once the upload is committed."""
    from mumpuni.people.tasks import validate_import

    if actor is None:
        raise PermissionDeniedError("Impor lewat web memerlukan pengguna.")
    check_permission(actor, kind)
    job = ImportJob.objects.create(kind=kind, file_name=file_name[:255], content=content, created_by=actor)
    transaction.on_commit(lambda: validate_import.delay(job.pk))
    return job


@transaction.atomic
def import_job_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    """Ask for a checked job to be applied; the task claims it, so a double click applies it once."""
    from mumpuni.people.tasks import apply_import

    check_permission(actor, job.kind)
    if job.status != ImportJob.Status.READY:
        raise ValidationFailed("Impor ini tidak dalam status siap diterapkan.")
    transaction.on_commit(lambda: apply_import.delay(job.pk))
    return job


@transaction.atomic
def import_job_retry(*, actor: Any, job: ImportJob) -> ImportJob:
    """Check a FAILED job's file again from the start (nothing of it was written: imports are atomic)."""
    from mumpuni.people.tasks import validate_import

    check_permission(actor, job.kind)
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED).update(
        status=ImportJob.Status.UPLOADED, errors=[], processed_rows=0, finished_at=None, summary={}
    )
    if updated != 1:
        raise ValidationFailed("Hanya impor yang gagal yang dapat dicoba lagi.")
    transaction.on_commit(lambda: validate_import.delay(job.pk))
    job.refresh_from_db()
    return job


def recent_jobs(*, actor: Any) -> Any:
    """Import jobs an importer may see: all of them (imports are BKPP's work, shared by its admins)."""
    if not scope_for(actor).can_import:
        return ImportJob.objects.none()
    return ImportJob.objects.select_related("created_by").defer("content").order_by("-created_at", "-pk")
