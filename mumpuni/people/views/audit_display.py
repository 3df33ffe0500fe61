"""Audit entries made readable: names instead of ids, old -> new pairs, and a link to the object.

Used by the audit log page and the employee page. Values are shown as stored (already masked by
common.audit); only foreign keys are looked up, one query per referenced model whatever the page size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mumpuni.common.models import AuditEntry
from mumpuni.people.models import Employee, Position, Unit

FIELD_LABELS: dict[str, Any] = {
    "nip": gettext_lazy("NIP"),
    "name": gettext_lazy("Nama"),
    "unit": gettext_lazy("Unit"),
    "position": gettext_lazy("Jabatan"),
    "supervisor": gettext_lazy("Atasan"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Telepon"),
    "active": gettext_lazy("Aktif"),
    "sex": gettext_lazy("Jenis kelamin"),
    "birth_date": gettext_lazy("Tanggal lahir"),
    "code": gettext_lazy("Kode"),
    "kind": gettext_lazy("Jenis"),
    "parent": gettext_lazy("Induk"),
    "level": gettext_lazy("Jenjang"),
    "is_front_line": gettext_lazy("Pelayanan langsung"),
    "roles": gettext_lazy("Peran"),
    "role": gettext_lazy("Peran"),
}
# Audit entries store foreign keys by id; these are shown by name.
FOREIGN_KEYS: dict[str, type[Unit] | type[Position] | type[Employee]] = {
    "unit": Unit,
    "parent": Unit,
    "position": Position,
    "supervisor": Employee,
}


@dataclass
class AuditChange:
    label: Any
    old: Any
    new: Any


@dataclass
class AuditRow:
    entry: AuditEntry
    changes: list[AuditChange] = field(default_factory=list)
    url: str = ""


def _display(value: Any, names: dict[str, str]) -> Any:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("ya")
    if value is False:
        return _("tidak")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return names.get(str(value), value)


def audit_rows(entries: Iterable[AuditEntry]) -> list[AuditRow]:
    """Entries with their changes readable (names instead of ids) and a link to the object, in one query
    per referenced model whatever the number of entries."""
    entries = list(entries)
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        for name, pair in (entry.changes or {}).items():
            model = FOREIGN_KEYS.get(name)
            if model is not None and isinstance(pair, list):
                wanted[model].update(str(v) for v in pair if v not in (None, ""))
        if entry.object_type == "people.employee":
            wanted[Employee].add(entry.object_id)
        elif entry.object_type == "people.unit":
            wanted[Unit].add(entry.object_id)
    objects: dict[type, dict[str, Any]] = {}
    for model, ids in wanted.items():
        numeric = [int(i) for i in ids if i.isdigit()]
        objects[model] = {str(o.pk): o for o in model.objects.filter(pk__in=numeric)}  # type: ignore[attr-defined]
    rows = []
    for entry in entries:
        row = AuditRow(entry=entry)
        for name, pair in (entry.changes or {}).items():
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            model = FOREIGN_KEYS.get(name)
            names = {k: str(v) for k, v in objects.get(model, {}).items()} if model else {}
            change = AuditChange(FIELD_LABELS.get(name, name), _display(old, names), _display(new, names))
            if change.old == change.new == "—":
                continue  # None -> "" on creation says nothing
            row.changes.append(change)
        target = None
        if entry.object_type == "people.employee":
            target = objects.get(Employee, {}).get(entry.object_id)
            if target is not None:
                row.url = reverse("employee_detail", args=[target.nip])
        elif entry.object_type == "people.unit":
            target = objects.get(Unit, {}).get(entry.object_id)
            if target is not None:
                row.url = reverse("unit_detail", args=[target.code])
        rows.append(row)
    return rows
