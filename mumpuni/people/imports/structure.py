"""Unit and position imports: checked row by row, written through the structure services.

There are hundreds of units and positions, not thousands, so each row goes through `unit_create`,
`unit_update`, `position_create` or `position_update`, which keep the tree paths right when a unit moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F

from mumpuni.lib import tabular
from mumpuni.people import services
from mumpuni.people.imports.base import (
    CREATE,
    POSITIONS,
    UNCHANGED,
    UNITS,
    UPDATE,
    YES_NO,
    Errors,
    Plan,
    Progress,
    add_preview,
    choice,
    field_errors,
    find_cycles,
    kinds_list,
    load_in_chunks,
)
from mumpuni.people.models import Position, Unit
from mumpuni.people.scopes import Scope


@dataclass
class StructureTarget:
    row: int
    code: str
    values: dict[str, Any]  # service keyword arguments except the related objects
    related_code: str | None  # the parent unit (units) or the unit (positions)
    existing: Unit | Position | None = None
    row_data: tabular.Row | None = None
    changed: list[str] = field(default_factory=list)
    depth: int = 0


def plan_units(table: tabular.Table, scope: Scope | None) -> Plan:
    plan = Plan(kind=UNITS, file_name="")
    errors = Errors()
    codes = [r.get("kode").upper() for r in table.rows]
    in_file = set(codes)
    parent_codes = {r.get("induk_kode").upper() for r in table.rows} - {""}
    known = {
        u.code: u
        for u in load_in_chunks(
            set(codes) | parent_codes,
            lambda part: Unit.objects.filter(code__in=part).annotate(parent_code=F("parent__code")),
        )
    }
    first_row: dict[str, int] = {}
    targets: list[StructureTarget] = []
    for row, code in zip(table.rows, codes, strict=True):
        n = row.number
        if not code:
            errors.add(n, "kode", "Kode unit wajib diisi.")
        elif code in first_row:
            errors.add(n, "kode", f"Kode ini sudah ada di baris {first_row[code]}; satu unit satu baris.")
        else:
            first_row[code] = n
        name = row.get("nama")
        if not name:
            errors.add(n, "nama", "Nama unit wajib diisi.")
        kind = choice(row.get("jenis"), Unit.Kind.choices)
        if kind is None:
            errors.add(
                n,
                "jenis",
                f"Jenis '{row.get('jenis')}' tidak dikenal; pilih salah satu: {kinds_list(Unit.Kind.choices)}.",
            )
        parent_code = row.get("induk_kode").upper() or None
        if parent_code is not None:
            if parent_code == code:
                errors.add(n, "induk_kode", "Unit tidak boleh menjadi induk dirinya sendiri.")
            elif parent_code not in known and parent_code not in in_file:
                errors.add(n, "induk_kode", f"Unit induk dengan kode '{parent_code}' tidak ditemukan.")
        field_errors(Unit, {"code": code, "name": name}, {"code": "kode", "name": "nama"}, errors, n)
        if not errors.has(n):
            values = {"name": name, "kind": kind}
            targets.append(StructureTarget(n, code, values, parent_code, known.get(code), row))

    def load_parents(wanted: set[str]) -> dict[str, str | None]:
        found = {c: getattr(known[c], "parent_code", None) for c in wanted if c in known}
        found.update(
            load_in_chunks(
                wanted - set(found),
                lambda part: Unit.objects.filter(code__in=part).values_list("code", "parent__code"),
            )
        )
        return found

    chain = {t.code: t.related_code for t in targets}
    row_of = {t.code: t.row for t in targets}
    for cycle in find_cycles(chain, load_parents):
        loop = " → ".join([*cycle, cycle[0]])
        for code in cycle:
            if code in row_of:
                errors.add(row_of[code], "induk_kode", f"Susunan induk unit membentuk lingkaran: {loop}.")
    plan.errors = errors.sorted()
    if plan.errors:
        return plan

    # Parents before children: the depth in the tree after the import.
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        trail = []
        node: str | None = code
        while node is not None and node not in depth and node in chain:
            trail.append(node)
            node = chain[node]
        base = depth[node] + 1 if node in depth else 0
        for offset, item in enumerate(reversed(trail)):
            depth[item] = base + offset
        return depth[code]

    for target in targets:
        target.depth = depth_of(target.code)
        current = target.existing
        if current is None:
            action = CREATE
        else:
            before = {
                "nama": current.name,
                "jenis": current.kind,
                "induk_kode": getattr(current, "parent_code", None),
            }
            after = {
                "nama": target.values["name"],
                "jenis": target.values["kind"],
                "induk_kode": target.related_code,
            }
            target.changed = [c for c in after if before[c] != after[c]]
            action = UPDATE if target.changed else UNCHANGED
        _count(plan, target, action, table)
    plan.items.sort(key=lambda t: t.depth)
    return plan


def _count(plan: Plan, target: StructureTarget, action: str, table: tabular.Table) -> None:
    if action == CREATE:
        plan.created += 1
    elif action == UPDATE:
        plan.updated += 1
    else:
        plan.unchanged += 1
    if action != UNCHANGED:
        plan.items.append(target)
    assert target.row_data is not None
    values = {c: target.row_data.get(c) for c in table.headers}
    add_preview(plan, target.row, action, values, target.changed)


def plan_positions(table: tabular.Table, scope: Scope | None) -> Plan:
    plan = Plan(kind=POSITIONS, file_name="")
    errors = Errors()
    codes = [r.get("kode").upper() for r in table.rows]
    units = {
        u.code: u
        for u in load_in_chunks(
            {r.get("unit_kode").upper() for r in table.rows}, lambda part: Unit.objects.filter(code__in=part)
        )
    }
    existing = {
        p.code: p
        for p in load_in_chunks(
            set(codes), lambda part: Position.objects.filter(code__in=part).select_related("unit")
        )
    }
    first_row: dict[str, int] = {}
    targets: list[StructureTarget] = []
    for row, code in zip(table.rows, codes, strict=True):
        n = row.number
        current = existing.get(code)
        if not code:
            errors.add(n, "kode", "Kode jabatan wajib diisi.")
        elif code in first_row:
            errors.add(n, "kode", f"Kode ini sudah ada di baris {first_row[code]}; satu jabatan satu baris.")
        else:
            first_row[code] = n
        name = row.get("nama")
        if not name:
            errors.add(n, "nama", "Nama jabatan wajib diisi.")
        kind = choice(row.get("jenis"), Position.Kind.choices)
        if kind is None:
            errors.add(
                n,
                "jenis",
                f"Jenis '{row.get('jenis')}' tidak dikenal; pilih salah satu: {kinds_list(Position.Kind.choices)}.",
            )
        raw_level = row.get("jenjang")
        level = "" if raw_level in {"", "-"} else choice(raw_level, Position.Level.choices)
        if level is None:
            errors.add(n, "jenjang", f"Jenjang '{raw_level}' tidak dikenal.")
        unit_code = row.get("unit_kode").upper()
        unit = units.get(unit_code)
        if not unit_code:
            errors.add(n, "unit_kode", "Kode unit wajib diisi.")
        elif unit is None:
            errors.add(n, "unit_kode", f"Unit dengan kode '{unit_code}' tidak ditemukan.")
        front_line_text = row.get("pelayanan_langsung").lower()
        if front_line_text and front_line_text not in YES_NO:
            errors.add(
                n, "pelayanan_langsung", f"Isi 'ya' atau 'tidak', bukan '{row.get('pelayanan_langsung')}'."
            )
        front_line = YES_NO.get(
            front_line_text, current.is_front_line if current and not front_line_text else False
        )

        candidate = Position(code=code, name=name, kind=kind or "", level=level or "")
        field_errors(Position, {"code": code, "name": name}, {"code": "kode", "name": "nama"}, errors, n)
        if kind is not None and level is not None:
            try:
                candidate.clean()
            except DjangoValidationError as exc:
                errors.add(n, "jenjang", exc.message_dict["level"][0])
        if current is not None and unit is not None and current.unit_id != unit.pk:
            # Moving a position must not leave its holders outside its unit (services' position-in-unit rule).
            stranded = current.employees.exclude(unit__path__startswith=unit.path).count()
            if stranded:
                errors.add(
                    n,
                    "unit_kode",
                    f"Jabatan ini dipegang {stranded} pegawai di luar unit {unit_code}; pindahkan pegawainya dulu.",
                )
        if not errors.has(n):
            values = {"name": name, "kind": kind, "level": level, "is_front_line": front_line}
            targets.append(StructureTarget(n, code, values, unit_code, current, row))
    plan.errors = errors.sorted()
    if plan.errors:
        return plan
    for target in targets:
        position = target.existing
        if position is None:
            action = CREATE
        else:
            assert isinstance(position, Position)
            current = position
            before = {
                "nama": current.name,
                "jenis": current.kind,
                "jenjang": current.level,
                "unit_kode": current.unit.code,
                "pelayanan_langsung": current.is_front_line,
            }
            after = {
                "nama": target.values["name"],
                "jenis": target.values["kind"],
                "jenjang": target.values["level"],
                "unit_kode": target.related_code,
                "pelayanan_langsung": target.values["is_front_line"],
            }
            target.changed = [c for c in after if before[c] != after[c]]
            action = UPDATE if target.changed else UNCHANGED
        _count(plan, target, action, table)
    return plan


def apply_structure(plan: Plan, *, actor: Any, progress: Progress) -> None:
    """Units and positions through their services, one row at a time (there are hundreds, not thousands)."""
    done = plan.unchanged
    for number, target in enumerate(plan.items, start=1):
        # Fetched fresh: an earlier row may have moved this unit's parent and rewritten its path.
        related = Unit.objects.get(code=target.related_code) if target.related_code else None
        if plan.kind == UNITS:
            if target.existing is None:
                services.unit_create(actor=actor, code=target.code, parent=related, **target.values)
            else:
                services.unit_update(actor=actor, unit=target.existing, parent=related, **target.values)
        else:
            assert related is not None
            if target.existing is None:
                services.position_create(actor=actor, code=target.code, unit=related, **target.values)
            else:
                services.position_update(actor=actor, position=target.existing, unit=related, **target.values)
        if number % 100 == 0 or number == len(plan.items):
            progress(done + number)
