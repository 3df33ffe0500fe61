"""Demo data of `insights` (called by seed_demo after the earlier apps)."""

from __future__ import annotations

from collections.abc import Callable


def seed_demo(*, seed: int, log: Callable[[str], None] | None = None) -> str:
    return "insights: no demo data yet"
