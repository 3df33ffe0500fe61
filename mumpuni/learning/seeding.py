"""Demo data for learning (filled in by the learning work)."""

from collections.abc import Callable
from typing import Any


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    return "learning: nothing seeded yet"
