"""Deferred creation of Open311 requests (GeoReport v2 tokens). The task gets an id and is idempotent: it
locks the submission and acts only while it is pending, so a retried or duplicated message creates one
complaint."""

from __future__ import annotations

from celery import shared_task

from mumpuni.complaints.open311 import services


@shared_task(name="complaints.open311_create_complaint")
def create_complaint_from_submission(submission_id: int) -> str:
    submission = services.submission_complete(submission_id=submission_id)
    return submission.status if submission is not None else "missing"


@shared_task(name="complaints.open311_complete_stale")
def complete_stale_submissions() -> int:
    """Every few minutes (Celery beat): submissions whose creation task was lost or never sent."""
    return services.complete_stale_submissions()
