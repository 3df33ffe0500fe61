"""Celery tasks of `nudges` (beat entries in settings: run_nudges and send_digests hourly, measure_effects
daily). All are idempotent and accept `now` so tests can move the clock; the work is in services.py.

`send_delivery` is enqueued after commit for each due delivery. A channel failure puts the row back to
PENDING with a later `not_before`; on a real worker the task also retries itself with that backoff, and
the hourly sweep (`flush_due_deliveries`, run by run_nudges and send_digests) catches deliveries whose
task was lost. The claim in services.send_delivery makes every extra run harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task

from mumpuni.nudges import services

logger = logging.getLogger(__name__)


@shared_task(name="nudges.send_delivery", bind=True, max_retries=services.MAX_ATTEMPTS)
def send_delivery(self: Any, delivery_id: int) -> str:
    result = services.send_delivery(delivery_id)
    if result.retry_in is not None and not self.request.is_eager:
        # With a broker, retry at the backoff; eagerly (no broker) the hourly sweep retries instead of
        # blocking the request that triggered the send.
        raise self.retry(countdown=int(result.retry_in.total_seconds()))
    return str(result.status)


@shared_task(name="nudges.run_nudges")
def run_nudges(now: dt.datetime | None = None) -> dict[str, Any]:
    result = services.run_nudges(now=now)
    logger.info("nudges: %s", result)
    return {
        "logged": result.logged,
        "suppressed": result.suppressed,
        "skipped_existing": result.skipped_existing,
        "held_for_digest": result.held_for_digest,
        "failed_rules": result.failed_rules,
    }


@shared_task(name="nudges.send_digests")
def send_digests(now: dt.datetime | None = None) -> int:
    return services.send_digests(now=now)


@shared_task(name="nudges.measure_effects")
def measure_effects(now: dt.datetime | None = None) -> int:
    return services.measure_effects(now=now)
