"""Writing audit entries: one call per important write, with the actor and masked old/new values."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from mumpuni.common.models import AuditEntry
from mumpuni.lib.nik import mask_nik

# Field names whose values never reach the audit log in clear.
SECRET_FIELDS = {"password", "key_hash", "secret", "token", "api_key"}
NIK_FIELDS = {"nik"}

_request_context = threading.local()


def set_request_ip(ip: str | None) -> None:
    _request_context.ip = ip


def current_ip() -> str | None:
    return getattr(_request_context, "ip", None)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def mask_value(field: str, value: Any) -> Any:
    if value in (None, ""):
        return value
    if field in SECRET_FIELDS:
        return "********"
    if field in NIK_FIELDS:
        return mask_nik(str(value))
    return _plain(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Values of `fields` (foreign keys by id) for a later diff."""
    result: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = getattr(instance, attname)
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [mask_value(name, before.get(name)), mask_value(name, after.get(name))]
        for name in after
        if before.get(name) != after.get(name)
    }


def _label(actor: Any) -> str:
    if actor is None:
        return "sistem"
    return str(getattr(actor, "username", actor))[:150]


def audit_entry(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    changes: Mapping[str, list[Any]] | None = None,
    note: str = "",
    save: bool = True,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_label(actor),
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        changes=dict(changes or {}),
        note=note[:255],
        ip_address=current_ip(),
    )
    if save:
        entry.save()
    return entry
