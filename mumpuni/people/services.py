"""Writes to people data: every change is atomic, validated, scoped and audited."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from mumpuni.common.audit import audit_entry, diff, snapshot
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.lib.nip import NipError, parse_nip
from mumpuni.people.models import (
    ApiKey,
    Employee,
    EmployeeAssignment,
    Position,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from mumpuni.people.scopes import scope_for

EMPLOYEE_FIELDS = [
    "nip",
    "name",
    "unit",
    "position",
    "supervisor",
    "email",
    "phone",
    "active",
    "sex",
    "birth_date",
]
UNIT_FIELDS = ["code", "name", "kind", "parent", "active"]
POSITION_FIELDS = ["code", "name", "kind", "level", "unit", "is_front_line"]


def _raise_from_django(exc: DjangoValidationError) -> None:
    fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    first = next(iter(fields.values()))[0] if fields else "Data tidak valid."
    raise ValidationFailed(first, fields=fields) from None


def _full_clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        _raise_from_django(exc)


# --- units -----------------------------------------------------------------------------------------


def _compute_path(unit: Unit) -> str:
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    return f"{parent_path}{unit.pk}/"


def _locked_parent(parent_id: int | None) -> Unit | None:
    """The parent as it is now, locked until commit: a caller's copy may carry a path from before a move,
    and a concurrent move of the parent must wait until this unit's path is written."""
    if parent_id is None:
        return None
    return Unit.objects.select_for_update().get(pk=parent_id)


def _stranded_by_move(old_path: str, new_path: str) -> int:
    """Employees in a moving subtree whose position sits above it and would no longer be above it."""
    held_above = (
        Employee.objects.filter(unit__path__startswith=old_path, position__isnull=False)
        .exclude(position__unit__path__startswith=old_path)
        .values_list("position__unit__path")
        .annotate(n=Count("pk"))
    )
    return sum(n for path, n in held_above if not new_path.startswith(path))


def _require_structure_manager(actor: Any) -> None:
    if actor is not None and not scope_for(actor).can_manage_structure:
        raise PermissionDeniedError("Hanya admin BKPP yang dapat mengubah struktur unit dan jabatan.")


@transaction.atomic
def unit_create(
    *, actor: Any, code: str, name: str, kind: str, parent: Unit | None = None, active: bool = True
) -> Unit:
    _require_structure_manager(actor)
    parent = _locked_parent(parent.pk if parent is not None else None)
    unit = Unit(
        code=code.strip().upper(), name=name.strip(), kind=kind, parent=parent, active=active, path="/"
    )
    _full_clean(unit, exclude=["path"])
    unit.save()
    unit.path = _compute_path(unit)
    unit.save(update_fields=["path"])
    audit_entry(actor=actor, action="create", instance=unit, changes=diff({}, snapshot(unit, UNIT_FIELDS)))
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **changes: Any) -> Unit:
    _require_structure_manager(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in changes.items():
        if name not in UNIT_FIELDS:
            raise ValueError(f"unknown unit field {name}")
        setattr(unit, name, value)
    parent = _locked_parent(unit.parent_id)
    unit.parent = parent
    if parent is not None and (parent.pk == unit.pk or parent.path.startswith(unit.path)):
        raise ValidationFailed(
            "Unit tidak boleh menjadi induk dirinya sendiri.",
            fields={"parent": ["Induk tidak boleh unit ini sendiri atau salah satu bawahannya."]},
        )
    _full_clean(unit, exclude=["path"])
    old_path = unit.path
    unit.path = _compute_path(unit)
    if old_path != unit.path:
        # Lock the whole subtree (in id order, so two moves cannot deadlock) before rewriting its paths.
        list(Unit.objects.select_for_update().filter(path__startswith=old_path).order_by("pk").values("pk"))
        stranded = _stranded_by_move(old_path, unit.path)
        if stranded:
            message = (
                f"{stranded} pegawai di unit ini memegang jabatan dari unit di atasnya yang tidak lagi "
                "menjadi induknya setelah dipindah; pindahkan pegawai atau jabatannya dulu."
            )
            raise ValidationFailed(message, fields={"parent": [message]})
    unit.save()
    if old_path != unit.path:
        _move_subtree(old_path, unit.path)
    after = snapshot(unit, UNIT_FIELDS)
    if before != after:
        audit_entry(actor=actor, action="update", instance=unit, changes=diff(before, after))
    return unit


def _move_subtree(old_path: str, new_path: str) -> None:
    descendants = Unit.objects.filter(path__startswith=old_path).exclude(path=new_path)
    batch = []
    for d in descendants:
        d.path = new_path + d.path[len(old_path) :]
        batch.append(d)
    Unit.objects.bulk_update(batch, ["path"], batch_size=500)


# --- positions -------------------------------------------------------------------------------------


@transaction.atomic
def position_create(
    *, actor: Any, code: str, name: str, kind: str, unit: Unit, level: str = "", is_front_line: bool = False
) -> Position:
    _require_structure_manager(actor)
    position = Position(
        code=code.strip().upper(),
        name=name.strip(),
        kind=kind,
        level=level or "",
        unit=unit,
        is_front_line=is_front_line,
    )
    _full_clean(position)
    position.save()
    audit_entry(
        actor=actor, action="create", instance=position, changes=diff({}, snapshot(position, POSITION_FIELDS))
    )
    return position


@transaction.atomic
def position_update(*, actor: Any, position: Position, **changes: Any) -> Position:
    _require_structure_manager(actor)
    position = Position.objects.select_for_update().get(pk=position.pk)
    before = snapshot(position, POSITION_FIELDS)
    for name, value in changes.items():
        if name not in POSITION_FIELDS:
            raise ValueError(f"unknown position field {name}")
        setattr(position, name, value)
    _full_clean(position)
    if position.unit_id != before["unit"]:
        # Same rule as the position import: holders must stay in the position's unit or below it.
        new_unit = Unit.objects.get(pk=position.unit_id)
        stranded = position.employees.exclude(unit__path__startswith=new_unit.path).count()
        if stranded:
            message = (
                f"Jabatan ini dipegang {stranded} pegawai di luar unit {new_unit.code}; "
                "pindahkan pegawainya dulu."
            )
            raise ValidationFailed(message, fields={"unit": [message]})
    position.save()
    after = snapshot(position, POSITION_FIELDS)
    if before != after:
        audit_entry(actor=actor, action="update", instance=position, changes=diff(before, after))
    return position


# --- employees -------------------------------------------------------------------------------------


def check_identity(
    *, nip: str, sex: str | None = None, birth_date: dt.date | None = None
) -> tuple[str, str, dt.date]:
    """Validate a NIP and that sex and birth date agree with it. Returns (employment_type, sex, birth_date)."""
    try:
        parsed = parse_nip(nip)
    except NipError as exc:
        raise ValidationFailed(exc.message, fields={"nip": [exc.message]}) from None
    errors: dict[str, list[str]] = {}
    if sex and sex != parsed.sex:
        errors["sex"] = [
            f"Jenis kelamin tidak sesuai dengan NIP (digit 15 menunjukkan "
            f"{'laki-laki' if parsed.sex == 'L' else 'perempuan'})."
        ]
    if birth_date and birth_date != parsed.birth_date:
        errors["birth_date"] = [f"Tanggal lahir tidak sesuai dengan NIP ({parsed.birth_date:%d-%m-%Y})."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return parsed.kind, parsed.sex, parsed.birth_date


# Any fixed number; it names the advisory lock that serialises supervisor changes city-wide.
SUPERVISOR_LOCK_KEY = 7_374_001


def lock_supervisor_changes() -> None:
    """Serialise supervisor changes until the current transaction ends.

    The cycle check walks the chain above the new supervisor as committed data shows it; two concurrent
    changes (A reports to B, B reports to A) would each see no cycle and both commit one. Holding one
    transaction-scoped lock while checking makes the second change wait and then see the first. On
    PostgreSQL this is an advisory lock (no row to contend on); SQLite already lets one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SUPERVISOR_LOCK_KEY])


def _check_supervisor(employee: Employee) -> None:
    supervisor = employee.supervisor
    if supervisor is None:
        return
    if supervisor.pk is not None and supervisor.pk == employee.pk:
        raise ValidationFailed(
            "Pegawai tidak boleh menjadi atasannya sendiri.",
            fields={"supervisor": ["Atasan tidak boleh pegawai itu sendiri."]},
        )
    # Walk up the chain: the employee may not appear above themselves.
    seen: set[int] = set()
    current: Employee | None = supervisor
    while current is not None and current.pk not in seen:
        if employee.pk is not None and current.pk == employee.pk:
            raise ValidationFailed(
                "Rantai atasan membentuk lingkaran.",
                fields={"supervisor": ["Atasan ini melapor (langsung/tidak) ke pegawai ini."]},
            )
        seen.add(current.pk)
        current = current.supervisor


def _open_assignment(employee: Employee, actor: Any, when: dt.datetime) -> None:
    EmployeeAssignment.objects.filter(employee=employee, ended_at__isnull=True).update(ended_at=when)
    EmployeeAssignment.objects.create(
        employee=employee,
        unit_id=employee.unit_id,
        position_id=employee.position_id,
        started_at=when,
        changed_by=actor if getattr(actor, "pk", None) else None,
    )


def validate_contact(email: str, phone: str) -> None:
    errors: dict[str, list[str]] = {}
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = ["Alamat email tidak valid."]
    if phone and not (
        phone.replace("+", "", 1).replace(" ", "").replace("-", "").isdigit()
        and 8 <= len(phone.replace(" ", "").replace("-", "")) <= 16
    ):
        errors["phone"] = ["Nomor telepon harus 8–16 angka (boleh diawali +)."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


@transaction.atomic
def employee_create(
    *,
    actor: Any,
    nip: str,
    name: str,
    unit: Unit,
    position: Position | None = None,
    supervisor: Employee | None = None,
    email: str = "",
    phone: str = "",
    active: bool = True,
    sex: str | None = None,
    birth_date: dt.date | None = None,
) -> Employee:
    nip = nip.strip().replace(" ", "")
    employment_type, sex, birth_date = check_identity(nip=nip, sex=sex, birth_date=birth_date)
    if actor is not None and not scope_for(actor).can_place_in_unit(unit):
        raise PermissionDeniedError("Anda tidak berwenang menambah pegawai di unit ini.")
    if Employee.objects.filter(nip=nip).exists():
        raise ValidationFailed("NIP sudah terdaftar.", fields={"nip": ["NIP sudah terdaftar."]})
    validate_contact(email, phone)
    employee = Employee(
        nip=nip,
        employment_type=employment_type,
        name=name.strip(),
        sex=sex,
        birth_date=birth_date,
        unit=unit,
        position=position,
        supervisor=supervisor,
        email=email.strip(),
        phone=phone.strip(),
        active=active,
    )
    check_position_unit(employee)
    _full_clean(employee, exclude=["user"])
    employee.save()
    _open_assignment(employee, actor, timezone.now())
    audit_entry(
        actor=actor, action="create", instance=employee, changes=diff({}, snapshot(employee, EMPLOYEE_FIELDS))
    )
    return employee


def check_position_unit(employee: Employee) -> None:
    if employee.position is not None and not employee.unit.path.startswith(employee.position.unit.path):
        raise ValidationFailed(
            "Jabatan tidak berada di unit pegawai.",
            fields={
                "position": [
                    f"Jabatan {employee.position.code} milik unit {employee.position.unit.code}, "
                    f"bukan unit pegawai ({employee.unit.code})."
                ]
            },
        )


CONTACT_FIELDS = {"email", "phone"}


@transaction.atomic
def employee_update(*, actor: Any, employee: Employee, **changes: Any) -> Employee:
    if changes.get("supervisor") is not None:
        # First, before any row lock: a change holding this lock may wait at commit for its deferred
        # foreign-key check on a row we would otherwise have locked already (a deadlock).
        lock_supervisor_changes()
    employee = (
        # no_key: this update never changes the key, so reports' foreign-key checks need not wait on it.
        Employee.objects.select_for_update(of=("self",), no_key=True)
        .select_related("unit", "position__unit")
        .get(pk=employee.pk)
    )
    scope = scope_for(actor) if actor is not None else None
    if scope is not None:
        allowed = scope.can_change_employee(employee) or (
            set(changes) <= CONTACT_FIELDS and scope.can_change_own_contact(employee)
        )
        if not allowed:
            raise PermissionDeniedError("Anda tidak berwenang mengubah data pegawai ini.")
    before = snapshot(employee, EMPLOYEE_FIELDS)
    for name, value in changes.items():
        if name not in EMPLOYEE_FIELDS or name in {"sex", "birth_date"}:
            raise ValueError(f"field {name} cannot be changed directly")
        setattr(employee, name, value.strip() if isinstance(value, str) else value)
    if "nip" in changes:
        employee.employment_type, employee.sex, employee.birth_date = check_identity(nip=employee.nip)
        if Employee.objects.filter(nip=employee.nip).exclude(pk=employee.pk).exists():
            raise ValidationFailed(
                "NIP sudah terdaftar.", fields={"nip": ["NIP sudah dipakai pegawai lain."]}
            )
    if "unit" in changes and scope is not None and not scope.can_place_in_unit(employee.unit):
        raise PermissionDeniedError("Anda tidak berwenang memindahkan pegawai ke unit itu.")
    validate_contact(employee.email, employee.phone)
    if employee.supervisor_id != before["supervisor"] and employee.supervisor_id is not None:
        # Re-read the new supervisor under the lock: the chain above it may have changed meanwhile.
        employee.supervisor = Employee.objects.get(pk=employee.supervisor_id)
    _check_supervisor(employee)
    check_position_unit(employee)
    _full_clean(employee, exclude=["user"])
    after = snapshot(employee, EMPLOYEE_FIELDS)
    if before == after:
        return employee
    employee.save()
    if before["unit"] != after["unit"] or before["position"] != after["position"]:
        _open_assignment(employee, actor, timezone.now())
    audit_entry(actor=actor, action="update", instance=employee, changes=diff(before, after))
    return employee


# --- accounts --------------------------------------------------------------------------------------


@transaction.atomic
def account_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    roles: list[tuple[str, Unit | None]],
    employee: Employee | None = None,
    service_account: bool = False,
) -> User:
    if actor is not None and not scope_for(actor).city_manager:
        raise PermissionDeniedError("Hanya admin BKPP yang dapat membuat akun.")
    # Case-insensitive: the login form matches usernames regardless of case, so "Budi" and "budi" would be
    # one login for two accounts.
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            "Nama pengguna sudah dipakai.", fields={"username": ["Nama pengguna sudah dipakai."]}
        )
    user = User(username=username, is_service_account=service_account)
    if employee is not None:
        user.first_name = employee.name[:150]
        user.email = employee.email
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    for role, unit in roles:
        if role not in Role.values:
            raise ValidationFailed(
                f"Peran '{role}' tidak dikenal.", fields={"role": [f"Peran '{role}' tidak dikenal."]}
            )
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    if employee is not None:
        previous_user_id = Employee.objects.filter(pk=employee.pk).values_list("user_id", flat=True).first()
        Employee.objects.filter(pk=employee.pk).update(user=user)
        # The employee's record changes too: its history must show which account now acts for it.
        audit_entry(
            actor=actor,
            action="update",
            instance=employee,
            changes={"user": [previous_user_id, user.pk]},
            note=f"Akun {user.username} ditautkan",
        )
    audit_entry(
        actor=actor,
        action="create",
        instance=user,
        changes={"roles": [None, [f"{r}@{u.code if u else '-'}" for r, u in roles]]},
    )
    return user


SERVICE_KEY_ROLES = frozenset({Role.KIOSK.value, Role.DISPLAY.value, Role.PARTNER.value})


@transaction.atomic
def api_key_create(
    *, actor: Any, name: str, role: str, unit: Unit | None = None, allow_privileged: bool = False
) -> tuple[ApiKey, str]:
    """Create a service account with one role and return (record, key). The key is not stored.

    Keys are for devices and partner systems (kiosk, display, partner). Any other role (an admin key is
    city-wide write access) needs an explicit allow_privileged=True.
    """
    if role not in Role.values:
        raise ValidationFailed(f"Peran '{role}' tidak dikenal.", fields={"role": ["Peran tidak dikenal."]})
    if role not in SERVICE_KEY_ROLES and not allow_privileged:
        message = (
            f"Kunci API hanya untuk peran kiosk, display dan partner; peran '{role}' memerlukan "
            "izin khusus (--allow-privileged)."
        )
        raise ValidationFailed(message, fields={"role": [message]})
    if (
        role not in {Role.ADMIN, Role.EXECUTIVE, Role.EMPLOYEE, Role.SUPERVISOR, Role.TRAINER}
        and unit is None
    ):
        raise ValidationFailed(
            f"Peran '{role}' memerlukan unit (--unit).", fields={"unit": ["Unit wajib diisi."]}
        )
    if not name.strip() or len(name) > 100:
        raise ValidationFailed(
            "Nama kunci wajib diisi, paling banyak 100 karakter.",
            fields={"name": ["Nama kunci wajib diisi, paling banyak 100 karakter."]},
        )
    if ApiKey.objects.filter(name=name).exists():
        raise ValidationFailed("Nama kunci sudah dipakai.", fields={"name": ["Nama kunci sudah dipakai."]})
    user = account_create(
        actor=actor, username=f"svc-{name}"[:150], password=None, roles=[(role, unit)], service_account=True
    )
    key = f"mpn_{secrets.token_urlsafe(32)}"
    record = ApiKey.objects.create(name=name, user=user, prefix=key[:12], key_hash=ApiKey.hash_key(key))
    audit_entry(actor=actor, action="create", instance=record, changes={"role": [None, role]})
    return record, key


@transaction.atomic
def api_key_revoke(*, actor: Any, key: ApiKey) -> ApiKey:
    """Revoke a key at once; requests with it are refused from now on. Revoking twice changes nothing."""
    if actor is not None and not scope_for(actor).city_manager:
        raise PermissionDeniedError("Hanya admin BKPP yang dapat mencabut kunci API.")
    updated = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db()
    if updated == 1:
        audit_entry(
            actor=actor,
            action="update",
            instance=key,
            changes=diff({"revoked_at": None}, {"revoked_at": key.revoked_at}),
        )
    return key
