"""Demo data of `insights` (called by seed_demo after the earlier apps).

The demo queue history is about nine weeks, too short for an event study of −6…+6 months. This seed first
builds the real roll-up from those tickets, then adds SYNTHETIC officer-months for the 21 months before them,
with levels taken from each officer's real figures, a city-wide trend, seasonality and noise, and plants an
effect of the programme PLY-PRIMA (Pelayanan Prima): completing it lowers service minutes by
PLANTED_SERVICE_EFFECT and raises the SKM score by PLANTED_SKM_EFFECT; waiting time and complaints are left
alone. Slower officers are trained first (selection), and everyone gets a little faster every month (the
trend), so a naive before/after overstates the effect. The completions are written to the JP ledger as
imported history. Every synthetic row has `synthetic=True`; docs/insights.md states what was planted.
Last, it rebuilds the dashboards' daily roll-ups (`rollups.refresh_all(full=True)`) and impact snapshots from
everything the earlier apps seeded, so the city demo opens with dashboard data.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction

from mumpuni.insights import rollups, selectors, services
from mumpuni.insights.models import OfficerMonth
from mumpuni.learning.models import JpEntry, Program

PROGRAM = "PLY-PRIMA"
PLANTED_SERVICE_EFFECT = -1.5  # minutes per ticket
PLANTED_SKM_EFFECT = 1.5  # points on the 25–100 scale
TREND_PER_MONTH = -0.1  # minutes per ticket per month, everyone (e.g. the queue system settling in)
SYNTHETIC_MONTHS = 21
TREATED_SHARE = 0.45
NOTE = "Riwayat pelatihan demo (sintetis, lihat docs/insights.md)"


def _officer_figures(panel: selectors.Panel) -> dict[str, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        tickets = panel.tickets.sum(axis=1)
        months_seen = (panel.tickets > 0).sum(axis=1)
        service = panel.service_sum.sum(axis=1) / tickets
        wait = panel.wait_sum.sum(axis=1) / tickets
        skm = panel.skm_sum.sum(axis=1) / panel.skm_count.sum(axis=1)
        skm_per_ticket = panel.skm_count.sum(axis=1) / tickets
        complaints = panel.complaints.sum(axis=1) / tickets
        # A month of tickets: the real weeks scaled to ~21 working days.
        per_month = tickets / np.maximum(months_seen, 1)

    def filled(values: np.ndarray, default: float) -> np.ndarray:
        known = values[np.isfinite(values)]
        return np.where(np.isfinite(values), values, float(np.median(known)) if known.size else default)

    return {
        "service": filled(service, 9.0),
        "wait": filled(wait, 20.0),
        "skm": filled(skm, 77.0),
        "skm_rate": filled(skm_per_ticket, 0.2),
        "complaint_rate": filled(complaints, 0.015),
        "per_month": np.maximum(per_month, 20),
    }


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    text = _seed_history(seed=seed)
    return f"{text}; {_seed_rollups()}"


def _seed_rollups() -> str:
    """The dashboards' roll-ups and impact snapshots, rebuilt from everything the earlier apps seeded."""
    from mumpuni.competencies.tasks import refresh_rollups as refresh_gap_rollups

    started = time.monotonic()
    figures = rollups.refresh_all(full=True)
    impact = rollups.refresh_impact_snapshots()
    gaps = refresh_gap_rollups()  # the BKPP dashboard's gap panel (a daily task in production)
    rows = ", ".join(f"{name} {f['rows']:,}" for name, f in figures.items())
    return (
        f"roll-ups ({rows} rows, gaps {gaps:,}), {impact['written']} impact snapshots "
        f"({impact['refused']} refused) in {time.monotonic() - started:.1f} s"
    )


def _seed_history(*, seed: int) -> str:
    started = time.monotonic()
    if OfficerMonth.objects.filter(synthetic=True).exists():
        return "insights: synthetic history already present; nothing seeded"
    services.officer_months_refresh(months=services.data_months())
    panel = selectors.load_panel()
    program = Program.objects.filter(code=PROGRAM).first()
    if panel is None or program is None:
        return "insights: no served tickets or no PLY-PRIMA programme; nothing seeded"
    rows, planted = _synthesise(panel, program, seed)
    with transaction.atomic():
        JpEntry.objects.bulk_create(planted, batch_size=1000)
        OfficerMonth.objects.bulk_create(rows, batch_size=2000)
    return (
        f"insights: {len(panel.officer_ids)} officers, {len(rows):,} synthetic officer-months, "
        f"{len(planted)} planted {PROGRAM} completions in {time.monotonic() - started:.1f} s"
    )


def _synthesise(
    panel: selectors.Panel, program: Program, seed: int
) -> tuple[list[OfficerMonth], list[JpEntry]]:
    rng = np.random.default_rng(seed + 9_001)
    first_real = panel.months[0]
    months: list[dt.date] = []
    month = first_real
    for _ in range(SYNTHETIC_MONTHS):
        month = services.month_start(month - dt.timedelta(days=1))
        months.append(month)
    months.reverse()
    n, count = len(panel.officer_ids), len(months)
    figures = _officer_figures(panel)
    # Who completes the programme, and when: the slower an officer, the likelier and the earlier.
    existing = selectors.completions([program.pk])
    slowness = (figures["service"] - figures["service"].mean()) / (figures["service"].std() or 1.0)
    score = slowness + rng.normal(0, 1, n)
    order = np.argsort(-score)
    month_index = {m: i for i, m in enumerate(months)}
    cohort = np.full(n, -1)
    for row, officer_id in enumerate(panel.officer_ids.tolist()):
        day = existing.get(officer_id)
        if day is not None:
            cohort[row] = month_index.get(day.replace(day=1), count if day >= first_real else 0)
    fresh = [row for row in order if cohort[row] == -1][: int(TREATED_SHARE * n)]
    slots = np.linspace(2, count - 1, len(fresh)).round().astype(int)  # 3rd synthetic month … the last
    planted: list[JpEntry] = []
    for row, slot in zip(fresh, slots, strict=True):
        cohort[row] = slot
        day = months[slot] + dt.timedelta(days=int(rng.integers(5, 25)))
        planted.append(
            JpEntry(
                employee_id=int(panel.officer_ids[row]),
                occurred_on=day,
                year=day.year,
                jp=Decimal(program.jp),
                source=JpEntry.Source.IMPORT,
                program=program,
                note=NOTE,
            )
        )
    t = np.arange(count)
    treated_now = (cohort[:, None] >= 0) & (t[None, :] >= cohort[:, None])
    # Real months are after every planted completion, so an officer's real level is already "trained".
    trained_in_real = (cohort >= 0) & (cohort <= count)
    months_before_real = (count - t)[None, :]  # 21 … 1
    season = 0.5 * np.sin(2 * np.pi * np.array([m.month for m in months]) / 12)[None, :]
    service_base = figures["service"] - PLANTED_SERVICE_EFFECT * trained_in_real
    service = (
        service_base[:, None]
        - TREND_PER_MONTH * months_before_real
        + season
        + PLANTED_SERVICE_EFFECT * treated_now
        + rng.normal(0, 0.6, (n, count))
    )
    wait = figures["wait"][:, None] * (1 + 0.08 * season) + rng.normal(0, 2.0, (n, count))
    skm_base = figures["skm"] - PLANTED_SKM_EFFECT * trained_in_real
    skm = skm_base[:, None] + PLANTED_SKM_EFFECT * treated_now + rng.normal(0, 1.5, (n, count))
    tickets = rng.poisson(figures["per_month"][:, None] * (1 + 0.1 * season), (n, count))
    tickets[rng.random((n, count)) < 0.03] = 0  # leave, sickness, rotation away from the counter
    skm_count = rng.binomial(tickets, np.clip(figures["skm_rate"], 0, 1)[:, None])
    complaints = rng.poisson(figures["complaint_rate"][:, None] * tickets)
    service = np.clip(service, 1.0, None)
    wait = np.clip(wait, 0.5, None)
    skm = np.clip(skm, 25.0, 100.0)
    rows: list[OfficerMonth] = []
    for i, officer_id in enumerate(panel.officer_ids.tolist()):
        for j, month in enumerate(months):
            served = int(tickets[i, j])
            if served == 0:
                continue
            rows.append(
                OfficerMonth(
                    officer_id=officer_id,
                    month=month,
                    tickets=served,
                    service_minutes_sum=float(service[i, j] * served),
                    wait_minutes_sum=float(wait[i, j] * served),
                    skm_sum=float(skm[i, j] * skm_count[i, j]),
                    skm_count=int(skm_count[i, j]),
                    complaints=int(complaints[i, j]),
                    synthetic=True,
                )
            )
    return rows, planted
