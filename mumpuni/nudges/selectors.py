"""Reads of `nudges`: the effect figures BKPP sees (per kind and month) and who may see them."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from mumpuni.nudges.models import NudgeLog
from mumpuni.people.scopes import scope_for


def can_see_effects(user: Any) -> bool:
    """BKPP admins and executives (city-wide figures; no names are shown)."""
    return bool(getattr(user, "is_authenticated", False)) and scope_for(user).city_wide


@dataclass
class EffectRow:
    kind: str
    month: str  # "2026-11"
    sent: int = 0
    pending: int = 0  # sent, still inside the 14-day window without action
    measured: int = 0  # sent, final acted True/False
    acted: int = 0
    days_to_act: list[float] | None = None
    recognition: int = 0  # sent, nothing to measure
    comparison_measured: int = 0  # qualified but muted by the person's preference: nothing sent
    comparison_acted: int = 0

    @property
    def rate(self) -> float | None:
        return self.acted / self.measured if self.measured else None

    @property
    def comparison_rate(self) -> float | None:
        return self.comparison_acted / self.comparison_measured if self.comparison_measured else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days_to_act) if self.days_to_act else None


def effect_rows(*, year: int) -> list[EffectRow]:
    """Per kind and month of the nudge (local time) in `year`: sent, acted, rate, median days to act, and the
    comparison group of people who qualified but had muted the kind."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    rows: dict[tuple[str, str], EffectRow] = {}
    logs = (
        NudgeLog.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values_list("kind", "created_at", "suppressed", "recognition", "acted", "acted_at", "measured_at")
    )
    for kind, created_at, suppressed, recognition, acted, acted_at, measured_at in logs.iterator(
        chunk_size=2000
    ):
        month = f"{timezone.localtime(created_at):%Y-%m}"
        row = rows.get((kind, month))
        if row is None:
            row = rows[(kind, month)] = EffectRow(kind=kind, month=month, days_to_act=[])
        if suppressed:
            if measured_at is not None and acted is not None:
                row.comparison_measured += 1
                row.comparison_acted += int(acted)
            continue
        row.sent += 1
        if recognition or (measured_at is not None and acted is None):
            row.recognition += 1
        elif measured_at is None:
            row.pending += 1
        else:
            row.measured += 1
            if acted:
                row.acted += 1
                if acted_at is not None and row.days_to_act is not None:
                    row.days_to_act.append(round((acted_at - created_at).total_seconds() / 86400, 1))
    return sorted(rows.values(), key=lambda r: (r.kind, r.month))


def effect_totals(rows: list[EffectRow]) -> list[EffectRow]:
    """One row per kind over the year."""
    totals: dict[str, EffectRow] = defaultdict(lambda: EffectRow(kind="", month="", days_to_act=[]))
    for row in rows:
        total = totals[row.kind]
        total.kind = row.kind
        for name in (
            "sent",
            "pending",
            "measured",
            "acted",
            "recognition",
            "comparison_measured",
            "comparison_acted",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        if total.days_to_act is not None and row.days_to_act:
            total.days_to_act.extend(row.days_to_act)
    return sorted(totals.values(), key=lambda r: r.kind)


def log_years() -> list[int]:
    this_year = timezone.localdate().year
    first = NudgeLog.objects.order_by("created_at").values_list("created_at", flat=True).first()
    first_year = timezone.localtime(first).year if first else this_year
    return list(range(this_year, min(first_year, this_year) - 1, -1))
