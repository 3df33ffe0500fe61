"""Employee imports: check every row in bulk (a handful of queries for any file size), then write in bulk.

New employees are inserted level by level down the supervisor tree so every supervisor id is known when
its reports are inserted; the assignment history and one "import" audit entry per created or changed
employee are bulk-inserted with them, batch by batch, reporting progress after each batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from mumpuni.common.audit import audit_entry, diff, snapshot
from mumpuni.common.errors import ValidationFailed
from mumpuni.common.models import AuditEntry
from mumpuni.lib import tabular
from mumpuni.people import services
from mumpuni.people.imports.base import (
    ACTIVE_WORDS,
    BATCH_SIZE,
    CREATE,
    EMPLOYEES,
    UNCHANGED,
    UPDATE,
    Errors,
    Plan,
    Progress,
    add_preview,
    chunks,
    field_errors,
    find_cycles,
    load_in_chunks,
    service_errors,
)
from mumpuni.people.models import Employee, EmployeeAssignment, Position, Unit
from mumpuni.people.scopes import Scope

EMPLOYEE_COLUMNS = {
    "nip": "nip",
    "name": "nama",
    "unit": "unit_kode",
    "position": "jabatan_kode",
    "supervisor": "atasan_nip",
    "email": "email",
    "phone": "telepon",
    "active": "status",
    "sex": "nip",
    "birth_date": "nip",
}
UPDATE_BATCH_SIZE = 200
# File column -> the field an update writes; nip, sex, birth date and employment type are set only on
# creation (they come from the NIP).
COLUMN_FIELDS = {
    "nama": "name",
    "unit_kode": "unit",
    "jabatan_kode": "position",
    "email": "email",
    "telepon": "phone",
    "status": "active",
    "atasan_nip": "supervisor",
}


@dataclass(frozen=True)
class Current:
    """An employee already in the database, as plain values (no model instance per row)."""

    pk: int
    nip: str
    name: str
    unit_id: int
    position_id: int | None
    email: str
    phone: str
    active: bool
    supervisor_nip: str | None
    unit_path: str


CURRENT_FIELDS = [
    "pk",
    "nip",
    "name",
    "unit_id",
    "position_id",
    "email",
    "phone",
    "active",
    "supervisor__nip",
    "unit__path",
]


@dataclass
class EmployeeTarget:
    row: int
    nip: str
    values: dict[str, Any]  # model attribute -> value (unit_id, position_id, name, ...)
    supervisor_nip: str | None
    existing: Current | None = None
    row_data: tabular.Row | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def source(self) -> tabular.Row:
        assert self.row_data is not None
        return self.row_data


def plan_employees(table: tabular.Table, scope: Scope | None) -> Plan:
    plan = Plan(kind=EMPLOYEES, file_name="")
    errors = Errors()
    rows = table.rows
    upper = str.upper

    def nip_of(text: str) -> str:
        return text.replace(" ", "")

    file_nips = [nip_of(r.get("nip")) for r in rows]
    in_file = set(file_nips)
    supervisor_nips = {nip_of(r.get("atasan_nip")) for r in rows} - {""}
    units = {
        u.code: u
        for u in load_in_chunks(
            (upper(r.get("unit_kode")) for r in rows), lambda part: Unit.objects.filter(code__in=part)
        )
    }
    positions = {
        p.code: p
        for p in load_in_chunks(
            (upper(r.get("jabatan_kode")) for r in rows if r.get("jabatan_kode")),
            lambda part: Position.objects.filter(code__in=part).select_related("unit"),
        )
    }
    existing = {
        values[1]: Current(*values)
        for values in load_in_chunks(
            (n for n in file_nips if n),
            lambda part: Employee.objects.filter(nip__in=part).values_list(*CURRENT_FIELDS),
        )
    }
    # The position-in-unit rule depends on the pair only; a city has a few hundred pairs, not 15,000.
    position_fits: dict[tuple[int, int], ValidationFailed | None] = {}
    # nip -> (id, supervisor nip) of supervisors named in the file but not themselves in it.
    outside = {
        nip: (pk, sup)
        for nip, pk, sup in load_in_chunks(
            supervisor_nips - set(existing),
            lambda part: Employee.objects.filter(nip__in=part).values_list("nip", "pk", "supervisor__nip"),
        )
    }
    first_row: dict[str, int] = {}
    targets: list[EmployeeTarget] = []

    for row, nip in zip(rows, file_nips, strict=True):
        n = row.number
        current = existing.get(nip)
        values: dict[str, Any] = {}
        if not nip:
            errors.add(n, "nip", "NIP wajib diisi.")
        elif "nip" in row.numeric:
            errors.add(
                n,
                "nip",
                "NIP tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang. Format kolom nip "
                "sebagai Teks lalu ketik ulang NIP-nya.",
            )
        elif nip in first_row:
            errors.add(n, "nip", f"NIP ini sudah ada di baris {first_row[nip]}; satu pegawai satu baris.")
        else:
            first_row[nip] = n
            try:
                employment_type, sex, birth_date = services.check_identity(nip=nip)
                values.update(employment_type=employment_type, sex=sex, birth_date=birth_date)
            except ValidationFailed as exc:
                errors.add(n, "nip", exc.message)

        name = row.get("nama")
        if not name:
            errors.add(n, "nama", "Nama wajib diisi.")
        values["name"] = name

        unit_code = upper(row.get("unit_kode"))
        unit = units.get(unit_code)
        if not unit_code:
            errors.add(n, "unit_kode", "Kode unit wajib diisi.")
        elif unit is None:
            errors.add(n, "unit_kode", f"Unit dengan kode '{unit_code}' tidak ditemukan.")
        elif scope is not None and not scope.can_place_in_unit(unit):
            errors.add(n, "unit_kode", f"Anda tidak berwenang menempatkan pegawai di unit {unit_code}.")
        if current is not None and scope is not None and not _may_change(scope, current):
            errors.add(n, "nip", "Anda tidak berwenang mengubah data pegawai ini.")

        position_code = upper(row.get("jabatan_kode"))
        position = positions.get(position_code) if position_code else None
        if position_code and position is None:
            errors.add(n, "jabatan_kode", f"Jabatan dengan kode '{position_code}' tidak ditemukan.")
        if unit is not None and position is not None:
            pair = (unit.pk, position.pk)
            if pair not in position_fits:
                try:
                    services.check_position_unit(Employee(unit=unit, position=position))
                    position_fits[pair] = None
                except ValidationFailed as exc:
                    position_fits[pair] = exc
            refusal = position_fits[pair]
            if refusal is not None:
                service_errors(refusal, EMPLOYEE_COLUMNS, errors, n, "jabatan_kode")
        values["unit_id"] = unit.pk if unit else None
        values["position_id"] = position.pk if position else None

        values["email"] = row.get("email") if table.has("email") else (current.email if current else "")
        values["phone"] = row.get("telepon") if table.has("telepon") else (current.phone if current else "")
        try:
            services.validate_contact(values["email"], values["phone"])
        except ValidationFailed as exc:
            service_errors(exc, EMPLOYEE_COLUMNS, errors, n, "email")

        status = row.get("status").lower()
        if status:
            if status not in ACTIVE_WORDS:
                errors.add(n, "status", f"Status harus 'aktif' atau 'nonaktif', bukan '{row.get('status')}'.")
            values["active"] = ACTIVE_WORDS.get(status, True)
        else:
            values["active"] = current.active if current else True

        if table.has("atasan_nip"):
            supervisor_nip: str | None = nip_of(row.get("atasan_nip")) or None
        else:
            supervisor_nip = current.supervisor_nip if current else None
        if supervisor_nip is not None and table.has("atasan_nip"):
            if supervisor_nip == nip:
                errors.add(n, "atasan_nip", "Atasan tidak boleh pegawai itu sendiri.")
                supervisor_nip = None
            elif supervisor_nip not in in_file and supervisor_nip not in outside:
                errors.add(
                    n,
                    "atasan_nip",
                    f"Atasan dengan NIP {supervisor_nip} tidak ditemukan, baik di data pegawai maupun di berkas ini.",
                )

        contact = {"name": values["name"], "email": values["email"], "phone": values["phone"]}
        field_errors(Employee, contact, EMPLOYEE_COLUMNS, errors, n)
        if not errors.has(n):
            targets.append(EmployeeTarget(n, nip, values, supervisor_nip, current, row_data=row))

    # Cycles: the new chains may loop through rows of the file and employees already in the database.
    chain = {t.nip: t.supervisor_nip for t in targets}

    def load_parents(nips: set[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = {nip: sup for nip, (_pk, sup) in outside.items() if nip in nips}
        rest = nips - set(found)
        found.update(
            load_in_chunks(
                rest, lambda part: Employee.objects.filter(nip__in=part).values_list("nip", "supervisor__nip")
            )
        )
        return found

    row_of = {t.nip: t.row for t in targets}
    for cycle in find_cycles(chain, load_parents):
        loop = " → ".join([*cycle, cycle[0]])
        for nip in cycle:
            if nip in row_of:
                errors.add(row_of[nip], "atasan_nip", f"Rantai atasan membentuk lingkaran: {loop}.")

    plan.errors = errors.sorted()
    if plan.errors:
        return plan
    for target in targets:
        action = _employee_action(target)
        if action == CREATE:
            plan.created += 1
        elif action == UPDATE:
            plan.updated += 1
        else:
            plan.unchanged += 1
        if action != UNCHANGED:
            plan.items.append(target)
        add_preview(
            plan, target.row, action, {c: target.source.get(c) for c in table.headers}, target.changed
        )
    plan.items.sort(key=lambda t: t.existing is not None)  # creates first
    return plan


def _employee_action(target: EmployeeTarget) -> str:
    current = target.existing
    if current is None:
        return CREATE
    before = {
        "nama": current.name,
        "unit_kode": current.unit_id,
        "jabatan_kode": current.position_id,
        "email": current.email,
        "telepon": current.phone,
        "status": current.active,
        "atasan_nip": current.supervisor_nip,
    }
    after = {
        "nama": target.values["name"],
        "unit_kode": target.values["unit_id"],
        "jabatan_kode": target.values["position_id"],
        "email": target.values["email"],
        "telepon": target.values["phone"],
        "status": target.values["active"],
        "atasan_nip": target.supervisor_nip,
    }
    target.changed = [column for column in after if before[column] != after[column]]
    return UPDATE if target.changed else UNCHANGED


def _may_change(scope: Scope, current: Current) -> bool:
    if scope.city_manager:
        return True
    return scope.can_change_employee(Employee(pk=current.pk, unit=Unit(path=current.unit_path)))


def _creation_levels(creates: list[EmployeeTarget]) -> list[list[EmployeeTarget]]:
    """New employees grouped so each one's supervisor (if also new) is in an earlier group."""
    new = {t.nip: t for t in creates}
    depth: dict[str, int] = {}
    for target in creates:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = target.nip
        while node in new and node not in depth and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = new[node].supervisor_nip
        base = depth[node] + 1 if node in depth else 0
        for offset, nip in enumerate(reversed(path)):
            depth[nip] = base + offset
    levels: dict[int, list[EmployeeTarget]] = {}
    for target in creates:
        levels.setdefault(depth[target.nip], []).append(target)
    return [levels[d] for d in sorted(levels)]


def apply_employees(plan: Plan, *, actor: Any, progress: Progress, note: str) -> None:
    now = timezone.now()
    changed_by = actor if getattr(actor, "pk", None) else None
    creates = [t for t in plan.items if t.existing is None]
    updates = [t for t in plan.items if t.existing is not None]
    done = plan.unchanged

    # Ids of every supervisor named: employees already in the database, then the ones created below.
    wanted = {t.supervisor_nip for t in plan.items if t.supervisor_nip}
    ids: dict[str, int] = {t.nip: t.existing.pk for t in updates if t.existing is not None}
    ids.update(
        load_in_chunks(
            wanted - set(ids), lambda part: Employee.objects.filter(nip__in=part).values_list("nip", "pk")
        )
    )

    def supervisor_id(target: EmployeeTarget) -> int | None:
        return ids[target.supervisor_nip] if target.supervisor_nip else None

    for level in _creation_levels(creates):
        for batch in chunks(level, BATCH_SIZE):
            employees = [Employee(nip=t.nip, supervisor_id=supervisor_id(t), **t.values) for t in batch]
            Employee.objects.bulk_create(employees)
            for target, employee in zip(batch, employees, strict=True):
                ids[target.nip] = employee.pk
            EmployeeAssignment.objects.bulk_create(
                EmployeeAssignment(
                    employee=e,
                    unit_id=e.unit_id,
                    position_id=e.position_id,
                    started_at=now,
                    changed_by=changed_by,
                )
                for e in employees
            )
            _audit(actor, [({}, e) for e in employees], note)
            done += len(batch)
            progress(done)

    for batch in chunks(updates, BATCH_SIZE):
        by_fields: dict[tuple[str, ...], list[Employee]] = {}
        audited = []
        moved = []
        instances = Employee.objects.in_bulk([t.existing.pk for t in batch if t.existing is not None])
        for target in batch:
            assert target.existing is not None
            employee = instances[target.existing.pk]
            before = snapshot(employee, services.EMPLOYEE_FIELDS)
            for name in ("name", "unit_id", "position_id", "email", "phone", "active"):
                setattr(employee, name, target.values[name])
            employee.supervisor_id = supervisor_id(target)
            employee.updated_at = now
            fields = tuple(COLUMN_FIELDS[column] for column in target.changed)
            by_fields.setdefault(fields, []).append(employee)
            audited.append((before, employee))
            if before["unit"] != employee.unit_id or before["position"] != employee.position_id:
                moved.append(employee)
        # Rows grouped by the columns they change, in small batches: bulk_update writes one CASE per
        # column, whose cost grows with the batch squared.
        for fields, employees in by_fields.items():
            Employee.objects.bulk_update(employees, [*fields, "updated_at"], batch_size=UPDATE_BATCH_SIZE)
        if moved:
            EmployeeAssignment.objects.filter(employee__in=moved, ended_at__isnull=True).update(ended_at=now)
            EmployeeAssignment.objects.bulk_create(
                EmployeeAssignment(
                    employee=e,
                    unit_id=e.unit_id,
                    position_id=e.position_id,
                    started_at=now,
                    changed_by=changed_by,
                )
                for e in moved
            )
        _audit(actor, audited, note)
        done += len(batch)
        progress(done)


def _audit(actor: Any, pairs: list[tuple[dict[str, Any], Employee]], note: str) -> None:
    AuditEntry.objects.bulk_create(
        audit_entry(
            actor=actor,
            action=AuditEntry.ACTION_IMPORT,
            instance=employee,
            changes=diff(before, snapshot(employee, services.EMPLOYEE_FIELDS)),
            note=note,
            save=False,
        )
        for before, employee in pairs
    )
