"""Celery tasks of `evaluation`: the hourly opening of due L1 forms and L3 requests (beat entry in settings)."""

from __future__ import annotations

from celery import shared_task

from mumpuni.evaluation import services


@shared_task(name="evaluation.open_due_evaluations")
def open_due_evaluations() -> dict[str, int]:
    """Idempotent: opens what is due today, expires what ran out; a rerun finds nothing new."""
    result = services.open_due_evaluations()
    return {
        "reactions_opened": result.reactions_opened,
        "behaviour_requested": result.behaviour_requested,
        "reactions_expired": result.reactions_expired,
        "behaviour_expired": result.behaviour_expired,
    }
