"""Template filters of the planning pages: rupiah amounts and multipliers in Indonesian notation."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """1500000000 → 'Rp 1.500.000.000'; negative amounts keep their sign; None → '—'."""
    if value is None or value == "":
        return "—"
    number = int(round(float(value)))
    sign = "−" if number < 0 else ""
    return f"{sign}Rp\u00a0{abs(number):,}".replace(",", ".")  # no break between Rp and the number


@register.filter
def decimal_id(value: Any, places: int = 2) -> str:
    """1.5 → '1,50' (Indonesian decimal comma); None → '—'."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):,.{int(places)}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


@register.filter
def pct(value: Any) -> str:
    """A fraction as a percentage with two decimals: 0.0123 → '1,23%'; None → '—'."""
    if value is None or value == "":
        return "—"
    return decimal_id(float(value) * 100, 2) + "%"
