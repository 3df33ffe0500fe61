"""Celery tasks of `reports` (ids in, idempotent)."""

from __future__ import annotations

from celery import shared_task

from mumpuni.reports import services


@shared_task(name="reports.generate")
def generate(job_id: int) -> None:
    services.run_report(job_id)


@shared_task(name="reports.fail_stale_jobs")
def fail_stale_jobs() -> int:
    return services.fail_stale_jobs()
