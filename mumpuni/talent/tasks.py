"""Celery tasks of `talent`: rebuild the 9-box snapshot (nightly, or after a change of settings)."""

from __future__ import annotations

from celery import shared_task

from mumpuni.talent.selectors import default_year
from mumpuni.talent.services import placements_refresh


@shared_task(name="talent.refresh_placements")
def refresh_placements(year: int | None = None) -> dict[str, int]:
    """Idempotent: the year's snapshot is replaced as a whole inside one transaction."""
    result = placements_refresh(year=year or default_year())
    return {"year": result.year, "employees": result.employees, "placed": result.placed}
