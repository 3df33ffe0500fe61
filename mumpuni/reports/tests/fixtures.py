"""Planted roll-up rows for the report tests (on top of the surveys tests' world: the Tembalang and Banyumanik
offices, two services and SKM answers in TW II 2026). Every figure a test expects follows from these rows."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from typing import Any

from mumpuni.insights.models import ComplaintDay, QueueDay, QueueMonth, SurveyMonth, TrainingMonth, UnitYear
from mumpuni.planning.models import Budget, FundingSource, UnitBudget
from mumpuni.surveys.tests.test_reports import build_world

YEAR, QUARTER = 2026, 2  # TW II 2026: April–June


def queue_row(**values: Any) -> dict[str, Any]:
    base = {
        "issued": 0,
        "served": 0,
        "no_show": 0,
        "wait_count": 0,
        "wait_minutes_sum": 0.0,
        "service_count": 0,
        "service_minutes_sum": 0.0,
        "within_standard": 0,
        "wait_hist": [0] * 11,
    }
    base.update(values)
    return base


KTP_APRIL = queue_row(
    issued=10,
    served=8,
    no_show=2,
    wait_count=9,
    wait_minutes_sum=90.0,
    service_count=8,
    service_minutes_sum=64.0,
    within_standard=6,
    wait_hist=[2, 3, 2, 1, 1, 0, 0, 0, 0, 0, 0],
)
KK_MAY = queue_row(
    issued=5,
    served=5,
    wait_count=5,
    wait_minutes_sum=100.0,
    service_count=5,
    service_minutes_sum=50.0,
    within_standard=5,
    wait_hist=[0, 0, 0, 0, 2, 2, 0, 1, 0, 0, 0],
)


def build(cls: Any) -> None:
    build_world(cls)
    point, other = cls.point, cls.other_point
    QueueDay.objects.create(
        day=dt.date(2026, 4, 10), point=point, service=cls.ktp, unit=point.unit, **KTP_APRIL
    )
    QueueDay.objects.create(day=dt.date(2026, 5, 12), point=point, service=cls.kk, unit=point.unit, **KK_MAY)
    # Outside the period, and another point: never in the Tembalang TW II report.
    QueueDay.objects.create(
        day=dt.date(2026, 7, 1), point=point, service=cls.ktp, unit=point.unit, **queue_row(issued=100)
    )
    QueueDay.objects.create(
        day=dt.date(2026, 4, 10), point=other, service=cls.ktp, unit=other.unit, **queue_row(issued=77)
    )
    QueueMonth.objects.create(month=dt.date(2026, 4, 1), point=point, unit=point.unit, **KTP_APRIL)
    QueueMonth.objects.create(month=dt.date(2026, 5, 1), point=point, unit=point.unit, **KK_MAY)
    QueueMonth.objects.create(month=dt.date(2026, 4, 1), point=other, unit=other.unit, **queue_row(issued=77))
    # SKM roll-up of Tembalang in April: 4 responses, every unsur answered 3 → IKM 75,00 (C).
    sums = {f"u{i}_sum": 12 for i in range(1, 10)} | {f"u{i}_n": 4 for i in range(1, 10)}
    SurveyMonth.objects.create(month=dt.date(2026, 4, 1), unit=cls.tembalang, responses=4, **sums)
    ComplaintDay.objects.create(
        day=dt.date(2026, 5, 2),
        unit=cls.tembalang,
        received=3,
        answered=2,
        answered_on_time=1,
        open=1,
        open_overdue=1,
        answer_days_sum=7.0,
    )
    ComplaintDay.objects.create(
        day=dt.date(2026, 6, 1),
        unit=cls.bulusan,
        received=1,
        answered=1,
        answered_on_time=1,
        answer_days_sum=2.0,
    )
    ComplaintDay.objects.create(day=dt.date(2026, 5, 2), unit=cls.banyumanik, received=9)
    # Training: TW II rows of Tembalang (own + Bulusan) and Banyumanik; July is outside.
    TrainingMonth.objects.create(
        month=dt.date(2026, 4, 1),
        unit=cls.tembalang,
        jp_sum=Decimal("40.0"),
        completions=5,
        realised_spend=Decimal("1000000"),
    )
    TrainingMonth.objects.create(
        month=dt.date(2026, 5, 1),
        unit=cls.bulusan,
        jp_sum=Decimal("12.0"),
        completions=2,
        realised_spend=500000,
    )
    TrainingMonth.objects.create(
        month=dt.date(2026, 6, 1), unit=cls.banyumanik, jp_sum=Decimal("30.0"), completions=3
    )
    TrainingMonth.objects.create(
        month=dt.date(2026, 7, 1), unit=cls.bkpp, jp_sum=Decimal("99.0"), completions=9
    )
    for unit, employees, compliant, jp in (
        (cls.tembalang, 10, 4, "150.0"),
        (cls.bulusan, 5, 1, "30.0"),
        (cls.banyumanik, 8, 8, "200.0"),
        (cls.bkpp, 2, 2, "50.0"),
    ):
        UnitYear.objects.create(
            year=YEAR,
            unit=unit,
            employees=employees,
            compliant=compliant,
            jp_sum=Decimal(jp),
            with_plan=employees,
        )
    source, _ = FundingSource.objects.get_or_create(
        code="APBD", defaults={"name": "APBD Kota", "kind": "apbd"}
    )
    Budget.objects.create(year=YEAR, source=source, amount=900_000_000)
    UnitBudget.objects.create(year=YEAR, unit=cls.tembalang, source=source, amount=25_000_000)


class MediaMixin:
    """Report files go to a temporary MEDIA_ROOT, removed after the class."""

    media_root: str

    @classmethod
    def setUpClass(cls) -> None:
        from django.test import override_settings

        cls.media_root = tempfile.mkdtemp(prefix="mumpuni-reports-")
        cls._media = override_settings(MEDIA_ROOT=cls.media_root)
        cls._media.enable()
        super().setUpClass()  # type: ignore[misc]

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()  # type: ignore[misc]
        cls._media.disable()
        shutil.rmtree(cls.media_root, ignore_errors=True)
