"""Celery tasks of `insights`."""

from __future__ import annotations

from celery import shared_task

from mumpuni.insights import services


@shared_task(name="insights.refresh_officer_months")
def refresh_officer_months() -> dict[str, int]:
    """Daily: rebuild this month and last month of the officer roll-up (late SKM answers and complaints)."""
    return services.officer_months_refresh(months=services.recent_months())
