"""Run-once locks for periodic work that must not overlap itself.

`exclusive_run(name)` is a context manager yielding True when this process may do the work named `name`, and
False when another run holds it. On PostgreSQL it is a session-level advisory lock (`pg_try_advisory_lock`),
so it spans the several transactions of a long job, is shared by every worker process and Celery worker, and
is released by PostgreSQL if the process dies. Elsewhere (SQLite: the embedded default, one process) it is a
process-local lock. It never waits: a job that finds its lock taken is skipped, and the next scheduled run
catches up.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

_local_locks: dict[str, threading.Lock] = {}
_local_guard = threading.Lock()


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (PostgreSQL advisory locks take a bigint)."""
    return int.from_bytes(
        hashlib.blake2b(f"mumpuni:{name}".encode(), digest_size=8).digest(), "big", signed=True
    )


@contextmanager
def exclusive_run(name: str) -> Iterator[bool]:
    if connection.vendor == "postgresql":
        key = lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
                except DatabaseError:  # connection lost: PostgreSQL released the lock with the session
                    logger.warning("could not release advisory lock %s (%s)", name, key)
        return
    with _local_guard:
        lock = _local_locks.setdefault(name, threading.Lock())
    acquired = lock.acquire(blocking=False)
    try:
        yield acquired
    finally:
        if acquired:
            lock.release()
