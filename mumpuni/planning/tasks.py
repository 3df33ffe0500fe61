"""Celery tasks of `planning`: running a scenario in the background (ids in, idempotent)."""

from __future__ import annotations

from celery import shared_task

from mumpuni.planning.runner import execute_run


@shared_task(name="planning.run_scenario")
def run_scenario(run_id: int) -> None:
    execute_run(run_id)
