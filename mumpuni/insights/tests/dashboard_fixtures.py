"""Planted roll-up rows for the dashboard tests, with the figures they must give worked out by hand.

Units (testing.create_cast): city 33.74 → BKPP, Kecamatan Tembalang (→ Kelurahan Bulusan), Kecamatan
Banyumanik (→ Kelurahan Srondol Kulon). Period of the tests: 2026-01 … 2026-11.

Queue (QueueMonth):
  Tembalang Nov: 10 issued, waits 8 tickets / 80 min (mean 10.0), service 8 / 40 min, 6 within standard
    (75.0 %), histogram [2, 2, 2, 2, 0 …] → p50 = 5 + 5·(4−2)/2 = 10.0, p90 = 15 + 5·(7.2−6)/2 = 18.0.
  Tembalang Oct: 4 issued, waits 4 / 20 min (mean 5.0), histogram [4, 0 …].
  Banyumanik Nov: 5 issued, waits 4 / 100 min (mean 25.0), service 4 / 40 min, 1 within standard.
  Tembalang Dec 2025: outside the period (must not count).
  City: 19 issued; waits 16 / 200 min → mean 12.5; within standard 7 of 12 service → 58.3 %.
SKM (SurveyMonth, Nov): Tembalang 2 answers all 4 (NRR 4 → IKM 100.00 A); Banyumanik 2 answers all 2
  (NRR 2 → IKM 50.00 D); city NRR 3 → IKM 75.00 (C, Kurang Baik), 4 respondents.
Complaints (ComplaintDay): Tembalang 2026-11-03: 4 received, 3 answered, 2 on time, 1 open overdue;
  Banyumanik 2026-11-05: 2 received, 1 answered, 1 on time, 1 open. City: 6 received, 4 answered,
  3 on time → 75.0 %, 1 overdue; Tembalang alone: 66.7 %.
JP (UnitYear 2026): Tembalang own staff 10 (4 ≥ 20 JP), Bulusan 5 (5), Banyumanik 10 (1), BKPP 5 (5):
  city 15 / 30 = 50.0 %; Tembalang subtree 9 / 15 = 60.0 %. Plans: Tembalang 8 with a plan, 6 agreed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mumpuni.competencies.models import GapRollup
from mumpuni.competencies.tests.fixtures import make_competency
from mumpuni.insights.models import (
    ComplaintDay,
    ImpactSnapshot,
    QueueDay,
    QueueMonth,
    SurveyMonth,
    TrainingMonth,
    UnitYear,
)
from mumpuni.learning.tests.progress_fixtures import make_program
from mumpuni.planning.models import Budget, FundingSource
from mumpuni.queueing.models import Service, ServicePoint

D = dt.date
PERIOD = "from=2026-01&to=2026-11"
HIST = [0] * 11


def hist(*counts: int) -> list[int]:
    out = list(counts) + [0] * (11 - len(counts))
    return out[:11]


def survey(unit: Any, month: dt.date, responses: int, answer: int) -> SurveyMonth:
    values: dict[str, int] = {"responses": responses}
    for i in range(1, 10):
        values[f"u{i}_sum"] = responses * answer
        values[f"u{i}_n"] = responses
    return SurveyMonth.objects.create(unit=unit, month=month, **values)


def plant(cast: Any) -> None:
    cast.service = Service.objects.create(code="KTP-REKAM", name="Perekaman KTP-el", group_letter="A")
    cast.point = ServicePoint.objects.create(unit=cast.tembalang, name="Kantor Kecamatan Tembalang")
    cast.other_point = ServicePoint.objects.create(unit=cast.banyumanik, name="Kantor Kecamatan Banyumanik")
    QueueMonth.objects.create(
        month=D(2026, 11, 1), point=cast.point, unit=cast.tembalang, issued=10, served=8, wait_count=8,
        wait_minutes_sum=80, service_count=8, service_minutes_sum=40, within_standard=6,
        wait_hist=hist(2, 2, 2, 2),
    )  # fmt: skip
    QueueMonth.objects.create(
        month=D(2026, 10, 1), point=cast.point, unit=cast.tembalang, issued=4, served=4, wait_count=4,
        wait_minutes_sum=20, wait_hist=hist(4),
    )  # fmt: skip
    QueueMonth.objects.create(
        month=D(2026, 11, 1), point=cast.other_point, unit=cast.banyumanik, issued=5, served=4, wait_count=4,
        wait_minutes_sum=100, service_count=4, service_minutes_sum=40, within_standard=1,
        wait_hist=hist(0, 0, 0, 0, 4),
    )  # fmt: skip
    QueueMonth.objects.create(
        month=D(2025, 12, 1), point=cast.point, unit=cast.tembalang, issued=99, wait_count=99,
        wait_minutes_sum=9900, wait_hist=hist(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99),
    )  # fmt: skip
    survey(cast.tembalang, D(2026, 11, 1), 2, 4)
    survey(cast.banyumanik, D(2026, 11, 1), 2, 2)
    ComplaintDay.objects.create(
        day=D(2026, 11, 3), unit=cast.tembalang, received=4, answered=3, answered_on_time=2, open=1,
        open_overdue=1, answer_days_sum=6,
    )  # fmt: skip
    ComplaintDay.objects.create(
        day=D(2026, 11, 5), unit=cast.banyumanik, received=2, answered=1, answered_on_time=1, open=1
    )
    for unit, employees, compliant, plan, agreed in (
        (cast.tembalang, 10, 4, 8, 6),
        (cast.bulusan, 5, 5, 0, 0),
        (cast.banyumanik, 10, 1, 2, 1),
        (cast.bkpp, 5, 5, 5, 5),
    ):
        UnitYear.objects.create(
            year=2026, unit=unit, employees=employees, compliant=compliant, jp_sum=Decimal(20 * compliant),
            with_plan=plan, plan_agreed=agreed,
        )  # fmt: skip
    TrainingMonth.objects.create(
        month=D(2026, 3, 1), unit=cast.tembalang, jp_sum=Decimal("40.0"), completions=2
    )
    TrainingMonth.objects.create(
        month=D(2026, 4, 1), unit=cast.banyumanik, jp_sum=Decimal("12.5"), completions=1
    )
    cast.program = make_program("PLY-PRIMA")
    cast.program_b = make_program("PLY-DASAR", name="Pelayanan Dasar")
    now = timezone.now()
    ImpactSnapshot.objects.create(
        program=cast.program, outcome="service_minutes", computed_at=now, effect=-2.0, ci_low=-3.0,
        ci_high=-1.0, officers_treated=12, tickets=800,
    )  # fmt: skip
    ImpactSnapshot.objects.create(
        program=cast.program_b, outcome="service_minutes", computed_at=now, effect=0.5, ci_low=-1.0,
        ci_high=2.0, officers_treated=5, tickets=100,
    )  # fmt: skip
    cast.competency = make_competency("M.01", "Integritas", "manajerial")
    cast.competency_b = make_competency("T.01", "Pelayanan kependudukan", "teknis")
    GapRollup.objects.create(
        unit=cast.tembalang, competency=cast.competency, employees=10, employees_below=6, total_gap=8,
        refreshed_at=now,
    )  # fmt: skip
    GapRollup.objects.create(
        unit=cast.banyumanik, competency=cast.competency, employees=10, employees_below=1, total_gap=1,
        refreshed_at=now,
    )  # fmt: skip
    GapRollup.objects.create(
        unit=cast.banyumanik, competency=cast.competency_b, employees=4, employees_below=3, total_gap=3,
        refreshed_at=now,
    )  # fmt: skip
    source = FundingSource.objects.create(code="APBD", name="APBD Kota", kind=FundingSource.Kind.APBD)
    Budget.objects.create(year=2026, source=source, amount=1_000_000)


def plant_today(cast: Any, today: dt.date) -> None:
    """QueueDay rows of this month for the unit dashboard's per-service table."""
    QueueDay.objects.create(
        day=today.replace(day=1), point=cast.point, service=cast.service, unit=cast.tembalang, issued=7, served=6,
        wait_count=6, wait_minutes_sum=30, service_count=6, service_minutes_sum=30, within_standard=3,
        wait_hist=hist(6),
    )  # fmt: skip


def plant_more(cast: Any, n: int) -> None:
    """More roll-up rows of the same shapes (more points, months, units): the query count must not move."""
    from mumpuni.testing import make_unit

    for i in range(n):
        unit = make_unit(f"33.74.{20 + i}", f"Kecamatan Uji {i}", "kecamatan", cast.city)
        point = ServicePoint.objects.create(unit=unit, name=f"Kantor Kecamatan Uji {i}")
        for month in range(1, 12):
            QueueMonth.objects.create(
                month=D(2026, month, 1), point=point, unit=unit, issued=3, wait_count=3, wait_minutes_sum=9,
                wait_hist=hist(3),
            )  # fmt: skip
            survey(unit, D(2026, month, 1), 1, 3)
            ComplaintDay.objects.create(day=D(2026, month, 2), unit=unit, received=1, answered=1)
            TrainingMonth.objects.create(month=D(2026, month, 1), unit=unit, jp_sum=Decimal(4), completions=1)
        UnitYear.objects.create(year=2026, unit=unit, employees=3, compliant=1)
        GapRollup.objects.create(
            unit=unit, competency=cast.competency, employees=3, employees_below=1, refreshed_at=timezone.now()
        )
