"""Shared data for the impact tests: a small city of counter officers with a synthetic monthly history
(`lib.did.simulate_panel`, effect −1.5 minutes) written as OfficerMonth rows, and their completions of a
programme in the JP ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mumpuni.insights.models import OfficerMonth
from mumpuni.insights.services import months_between
from mumpuni.learning.models import JpEntry, Program
from mumpuni.lib import did
from mumpuni.people.models import Employee
from mumpuni.testing import make_employee

FIRST_MONTH = dt.date(2025, 1, 1)


def make_program(code: str = "PLY-PRIMA", cost: int = 750_000) -> Program:
    return Program.objects.create(
        code=code,
        name=f"Program {code}",
        category=Program.Category.CLASSICAL,
        form=Program.Form.TEKNIS,
        jp=Decimal("24"),
        cost_per_participant=cost,
    )


def seed_history(
    unit: object,
    program: Program,
    *,
    officers: int = 40,
    months: int = 18,
    treated_share: float = 0.5,
    seed: int = 1,
) -> tuple[list[Employee], did.SyntheticPanel]:
    panel = did.simulate_panel(
        officers=officers, months=months, treated_share=treated_share, first_cohort=5, seed=seed, noise=0.5
    )
    calendar = months_between(FIRST_MONTH, dt.date(2030, 1, 1))[:months]
    people = [make_employee(f"Petugas {i:02d}", unit) for i in range(officers)]  # type: ignore[arg-type]
    rows: list[OfficerMonth] = []
    ledger: list[JpEntry] = []
    for i, person in enumerate(people):
        for j, month in enumerate(calendar):
            if panel.y[i, j] != panel.y[i, j]:  # NaN: no tickets that month
                continue
            tickets = int(panel.tickets[i, j])
            rows.append(
                OfficerMonth(
                    officer=person,
                    month=month,
                    tickets=tickets,
                    service_minutes_sum=float(panel.y[i, j]) * tickets,
                    wait_minutes_sum=10.0 * tickets,
                    skm_sum=80.0 * 5,
                    skm_count=5,
                    complaints=0,
                    synthetic=True,
                )
            )
        if panel.cohort[i] != did.NEVER:
            day = calendar[int(panel.cohort[i])] + dt.timedelta(days=10)
            ledger.append(
                JpEntry(
                    employee=person,
                    occurred_on=day,
                    year=day.year,
                    jp=Decimal("24"),
                    source=JpEntry.Source.IMPORT,
                    program=program,
                )
            )
    OfficerMonth.objects.bulk_create(rows)
    JpEntry.objects.bulk_create(ledger)
    return people, panel
