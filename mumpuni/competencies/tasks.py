"""Background work of competencies: refreshing the gap rollups read by city-wide pages at national scale.

`refresh_gap_rollups` recomputes every (unit, competency) figure from CurrentLevel and the requirements and
replaces the GapRollup table in one transaction: running it twice gives the same rows (idempotent), and a
page reading meanwhile sees the old or the new table, never half of each.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from mumpuni.competencies.models import GapRollup
from mumpuni.competencies.selectors import leaf_stats
from mumpuni.people.models import Employee

BATCH = 5000


def refresh_rollups() -> int:
    stats = leaf_stats(Employee.objects.filter(active=True, position__isnull=False), unfiltered=True)
    now = timezone.now()
    rows = [
        GapRollup(
            unit_id=unit_id,
            competency_id=competency_id,
            employees=stat.required_for,
            employees_below=stat.below,
            total_gap=stat.total_gap,
            unassessed=stat.unassessed,
            refreshed_at=now,
        )
        for (unit_id, competency_id), stat in stats.items()
    ]
    with transaction.atomic():
        GapRollup.objects.all().delete()
        GapRollup.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


@shared_task(name="competencies.refresh_gap_rollups")
def refresh_gap_rollups() -> int:
    """Recompute all gap rollups; returns the number of (unit, competency) rows written."""
    return refresh_rollups()
