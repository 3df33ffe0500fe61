"""The contract between the nudge engine (`nudges`) and the apps that know when someone should be nudged.

A rule is a class with a `kind` (stable identifier, also the preference key), a human `label`
(Indonesian, wrapped for translation), `candidates(today)` yielding who should be nudged now, and
`acted(user_id, key, since)` telling whether that person did the thing within the window (the effect
BKPP sees: "did the person act within 14 days?"). The engine (nudges/services.py) de-duplicates on
(kind, user, key) so a rule may yield the same candidate every hour: it is sent at most once.

Rules are listed in settings.MUMPUNI_NUDGE_RULES (dotted paths) so any app can add one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Protocol


@dataclass(frozen=True)
class NudgeCandidate:
    user_id: int
    key: str  # idempotency key within the rule, e.g. "2026-Q4", "class:123", "plan:45"
    title: str
    body: str
    link: str = ""  # a path inside the platform
    recognition: bool = False  # praise (plan completed) rather than a reminder


class NudgeRule(Protocol):
    kind: ClassVar[str]
    label: ClassVar[str]

    def candidates(self, today: dt.date) -> Iterable[NudgeCandidate]: ...

    def acted(self, user_id: int, key: str, since: dt.datetime) -> bool | None:
        """True/False when measurable (within 14 days of `since`); None when the rule has no action."""
        ...
