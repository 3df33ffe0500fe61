"""Background work of the queue: closing the bookings nobody came for.

Run by Celery beat (settings.CELERY_BEAT_SCHEDULE, every ten minutes). Idempotent: the service claims each
booking with a conditional UPDATE, so a retried or duplicated run changes nothing twice.
"""

from __future__ import annotations

import logging

from celery import shared_task

from mumpuni.queueing.services.booking import booking_mark_no_shows

logger = logging.getLogger(__name__)


@shared_task(name="queueing.mark_booking_no_shows")
def mark_booking_no_shows() -> dict[str, int]:
    counts = booking_mark_no_shows()
    if any(counts.values()):
        logger.info("bookings closed: %(no_show)d no-show, %(cancelled)d cancelled (point closed)", counts)
    return counts
