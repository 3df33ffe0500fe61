"""Celery tasks of `insights`."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from mumpuni.insights import rollups, services

logger = logging.getLogger(__name__)


@shared_task(name="insights.refresh_officer_months")
def refresh_officer_months() -> dict[str, int]:
    """Daily: rebuild this month and last month of the officer roll-up (late SKM answers and complaints)."""
    return services.officer_months_refresh(months=services.recent_months())


@shared_task(name="insights.refresh_rollups")
def refresh_rollups() -> dict[str, dict[str, Any]]:
    """Every 15 minutes: the dashboards' daily roll-ups, incrementally (only days whose raw rows changed)."""
    figures = rollups.refresh_all()
    for name, f in figures.items():
        logger.info(
            "refresh_rollups %s: %s rows, %s days, %s months, %.2f s",
            name,
            f["rows"],
            f.get("days", 0),
            f.get("months", 0),
            f["seconds"],
        )
    return figures


@shared_task(name="insights.rebuild_rollups")
def rebuild_rollups() -> dict[str, dict[str, Any]]:
    """Nightly: rebuild every roll-up from the raw rows. The incremental refresh follows new and changed rows;
    this also takes in what it cannot see (deleted tickets or answers, a unit's programme costs changed in
    place), so a dashboard is never more than a day behind such corrections."""
    figures = rollups.refresh_all(full=True)
    for name, f in figures.items():
        logger.info(
            "rebuild_rollups %s: %s rows, %.2f s%s",
            name,
            f["rows"],
            f["seconds"],
            " (skipped: a refresh was running)" if f.get("skipped") else "",
        )
    return figures


@shared_task(name="insights.refresh_impact_snapshots")
def refresh_impact_snapshots() -> dict[str, Any]:
    """Daily: the impact estimate of every programme with graduates, per outcome (ImpactSnapshot)."""
    return rollups.refresh_impact_snapshots()
