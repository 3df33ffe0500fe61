"""Small formatting filters of the evaluation pages (missing values show as a dash)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()
DASH = "—"


@register.filter
def pct(value: float | None, digits: int = 0) -> str:
    """0.734 → "73 %"; None → "—"."""
    if value is None:
        return DASH
    return f"{floatformat(value * 100, digits)} %"


@register.filter
def num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return DASH
    return str(floatformat(value, digits))


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    if not mapping:
        return None
    return mapping.get(key)
