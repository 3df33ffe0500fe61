"""Erlang C (M/M/c) queueing formulas and staffing advice — pure Python, no Django.

The formulas are those of docs/domain.md ("Queueing mathematics"):

- offered load A = λ·S/60 (λ arrivals per hour, S mean service minutes);
- P(wait) = [A^c/c! · c/(c−A)] / [Σ_{k<c} A^k/k! + A^c/c! · c/(c−A)] for c > A, else 1;
- service level (wait ≤ t) = 1 − P(wait)·e^{−(c−A)·t/S};
- mean wait = P(wait)·S/(c−A); occupancy = A/c;
- staffing advice = the smallest c > A whose service level reaches the target.

A^c/c! overflows floats for A in the hundreds, so P(wait) goes through the Erlang B recursion
B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)) — every term stays in [0, 1] — and then
C(c, A) = c·B / (c − A·(1 − B)), which is the same quantity algebraically.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

__all__ = [
    "ErlangError",
    "StaffingResult",
    "erlang_b",
    "mean_wait",
    "occupancy",
    "offered_load",
    "probability_of_waiting",
    "service_level",
    "staffing_advice",
    "evaluate",
]

MAX_COUNTERS = 10_000


class ErlangError(ValueError):
    """Input the formulas cannot work with (negative rates, a target of 100 %, …)."""


@dataclass(frozen=True)
class StaffingResult:
    counters: int
    service_level: float
    probability_of_waiting: float
    mean_wait_minutes: float
    occupancy: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _check_finite(name: str, value: float, *, positive: bool = False) -> None:
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        need = "lebih dari 0" if positive else "0 atau lebih"
        raise ErlangError(f"{name} harus bilangan {need}.")


def offered_load(arrivals_per_hour: float, mean_service_minutes: float) -> float:
    """A = λ·S/60, in Erlangs (the average number of counters kept busy)."""
    _check_finite("Kedatangan per jam", arrivals_per_hour)
    _check_finite("Rata-rata waktu layanan", mean_service_minutes, positive=True)
    return arrivals_per_hour * mean_service_minutes / 60.0


def erlang_b(counters: int, load: float) -> float:
    """Blocking probability B(c, A) by the stable recursion (every step stays within [0, 1])."""
    if counters < 0:
        raise ErlangError("Jumlah loket tidak boleh negatif.")
    _check_finite("Beban", load)
    b = 1.0
    for k in range(1, counters + 1):
        b = load * b / (k + load * b)
    return b


def probability_of_waiting(counters: int, load: float) -> float:
    """Erlang C: the chance an arrival has to wait; 1 when c ≤ A (the queue grows without bound)."""
    if counters <= load:
        return 1.0
    if load == 0:
        return 0.0
    b = erlang_b(counters, load)
    c = counters * b / (counters - load * (1.0 - b))
    return min(1.0, max(0.0, c))


def service_level(
    counters: int, load: float, mean_service_minutes: float, target_wait_minutes: float
) -> float:
    """The share of arrivals that wait at most target_wait_minutes: 1 − P(wait)·e^{−(c−A)·t/S}."""
    _check_finite("Rata-rata waktu layanan", mean_service_minutes, positive=True)
    _check_finite("Target waktu tunggu", target_wait_minutes)
    if counters <= load:
        return 0.0
    pw = probability_of_waiting(counters, load)
    return 1.0 - pw * math.exp(-(counters - load) * target_wait_minutes / mean_service_minutes)


def mean_wait(counters: int, load: float, mean_service_minutes: float) -> float:
    """Mean wait in minutes over all arrivals: P(wait)·S/(c−A); infinite when c ≤ A."""
    if counters <= load:
        return math.inf
    return probability_of_waiting(counters, load) * mean_service_minutes / (counters - load)


def occupancy(counters: int, load: float) -> float:
    """A/c: the share of time a counter is busy (above 1 means the queue cannot keep up)."""
    if counters <= 0:
        raise ErlangError("Jumlah loket harus lebih dari 0.")
    return load / counters


def evaluate(
    counters: int, *, arrivals_per_hour: float, mean_service_minutes: float, target_wait_minutes: float
) -> StaffingResult:
    """All figures for a given number of counters."""
    load = offered_load(arrivals_per_hour, mean_service_minutes)
    return StaffingResult(
        counters=counters,
        service_level=service_level(counters, load, mean_service_minutes, target_wait_minutes),
        probability_of_waiting=probability_of_waiting(counters, load),
        mean_wait_minutes=mean_wait(counters, load, mean_service_minutes),
        occupancy=occupancy(counters, load),
    )


def staffing_advice(
    *,
    arrivals_per_hour: float,
    mean_service_minutes: float,
    target_wait_minutes: float,
    target_service_level: float,
    max_counters: int = MAX_COUNTERS,
) -> StaffingResult:
    """The smallest c > A whose service level reaches target_service_level (a fraction in (0, 1))."""
    load = offered_load(arrivals_per_hour, mean_service_minutes)
    _check_finite("Target waktu tunggu", target_wait_minutes)
    if not math.isfinite(target_service_level) or not 0 < target_service_level < 1:
        raise ErlangError("Target tingkat layanan harus di antara 0 dan 1 (tidak termasuk 100 %).")
    c = math.floor(load) + 1  # the smallest integer strictly above A
    while c <= max_counters:
        level = service_level(c, load, mean_service_minutes, target_wait_minutes)
        if level >= target_service_level:
            return evaluate(
                c,
                arrivals_per_hour=arrivals_per_hour,
                mean_service_minutes=mean_service_minutes,
                target_wait_minutes=target_wait_minutes,
            )
        c += 1
    raise ErlangError(f"Target tidak tercapai dengan {max_counters} loket.")
