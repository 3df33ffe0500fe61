"""Arithmetic of the evaluation results, with no Django import (tested as a plain library).

L2 learning gain from pre/post test scores on a 0–100 scale:
- raw gain = mean(post) − mean(pre);
- normalised gain ⟨g⟩ = (mean(post) − mean(pre)) / (100 − mean(pre)) — Hake (1998), computed on the group
  means as Hake defines it; undefined when the group's mean pre-test is already 100;
- the mean of the individual gains g = (post − pre)/(100 − pre) is given too, leaving out participants whose
  pre-test is 100 (their g is undefined) — the two differ when groups are uneven, so both are reported.
Pass rate: share of participants whose post-test reaches the class's `min_post_test` (only participants
whose class has a threshold count).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

FULL_SCORE = 100.0


@dataclass(frozen=True)
class ScorePair:
    pre: float
    post: float
    threshold: float | None = None  # the class's min_post_test


@dataclass(frozen=True)
class GainSummary:
    n: int
    mean_pre: float | None
    mean_post: float | None
    raw_gain: float | None
    normalised_gain: float | None  # Hake's ⟨g⟩ from the group means
    mean_individual_gain: float | None
    individual_n: int  # participants with a defined individual g (pre < 100)
    passed: int
    pass_n: int  # participants whose class has a threshold

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.pass_n if self.pass_n else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def normalised_gain(pre: float, post: float) -> float | None:
    """Hake's g for one pair of percentages; None when pre is already full (no room to gain)."""
    if pre >= FULL_SCORE:
        return None
    return (post - pre) / (FULL_SCORE - pre)


def learning_gain(pairs: Iterable[ScorePair]) -> GainSummary:
    items = list(pairs)
    pres = [p.pre for p in items]
    posts = [p.post for p in items]
    mean_pre = _mean(pres)
    mean_post = _mean(posts)
    raw = None if mean_pre is None or mean_post is None else mean_post - mean_pre
    hake = None if mean_pre is None or mean_post is None else normalised_gain(mean_pre, mean_post)
    individual = [g for p in items if (g := normalised_gain(p.pre, p.post)) is not None]
    with_threshold = [p for p in items if p.threshold is not None]
    passed = sum(1 for p in with_threshold if p.threshold is not None and p.post >= p.threshold)
    return GainSummary(
        n=len(items),
        mean_pre=mean_pre,
        mean_post=mean_post,
        raw_gain=raw,
        normalised_gain=hake,
        mean_individual_gain=_mean(individual),
        individual_n=len(individual),
        passed=passed,
        pass_n=len(with_threshold),
    )


@dataclass(frozen=True)
class LikertSummary:
    """Means per item of a group of L1 forms; `shown` is False below the minimum group size, and then
    the means are withheld (None) so a small class cannot be traced to its members."""

    n: int
    shown: bool
    means: dict[str, float | None]
    index: float | None  # the mean of the item means

    @property
    def withheld(self) -> bool:
        return self.n > 0 and not self.shown


def likert_summary(rows: Sequence[dict[str, int | None]], fields: Sequence[str], min_n: int) -> LikertSummary:
    n = len(rows)
    if n < min_n:
        return LikertSummary(n=n, shown=False, means=dict.fromkeys(fields), index=None)
    means: dict[str, float | None] = {}
    for field in fields:
        answered = [float(v) for r in rows if (v := r.get(field)) is not None]
        means[field] = _mean(answered)
    present = [m for m in means.values() if m is not None]
    return LikertSummary(n=n, shown=True, means=means, index=_mean(present))


def as_float(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)
