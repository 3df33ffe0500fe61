"""Time the staggered DiD estimator (mumpuni/lib/did.py) on synthetic panels of growing size.

.venv/bin/python bench/did.py
"""

from __future__ import annotations

import statistics
import time

from mumpuni.lib import did


def main() -> None:
    for officers, months in ((380, 24), (2_000, 36), (10_000, 36)):
        panel = did.simulate_panel(officers=officers, months=months, seed=1)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            result = did.estimate(panel.y, panel.cohort, tickets=panel.tickets)
            times.append(time.perf_counter() - started)
        assert isinstance(result, did.Estimate)
        print(
            f"{officers:>6} officers × {months} months: median {statistics.median(times) * 1000:7.1f} ms "
            f"(effect {result.effect:+.3f}, CI {result.ci95[0]:+.3f}…{result.ci95[1]:+.3f}, truth −1.5)"
        )


if __name__ == "__main__":
    main()
