"""Demo data of `planning` (called by seed_demo after the earlier apps)."""

from __future__ import annotations

from collections.abc import Callable


def seed_demo(*, seed: int, log: Callable[[str], None] | None = None) -> str:
    return "planning: no demo data yet"
