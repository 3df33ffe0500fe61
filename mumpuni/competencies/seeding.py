"""Demo data for competencies (filled in by the competencies work)."""

from collections.abc import Callable
from typing import Any


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    return "competencies: nothing seeded yet"
