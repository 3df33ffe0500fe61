"""Demo data for the service points (filled in by the queueing work)."""

from collections.abc import Callable
from typing import Any


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    return "queueing: nothing seeded yet"
