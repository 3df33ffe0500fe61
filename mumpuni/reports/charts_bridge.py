"""The charts of the reports, drawn by the one charting approach of the project (mumpuni/common/charts.py,
the same as the dashboards): this module only turns report figures into a `Chart` and asks it for a
ReportLab Drawing. No drawing code lives here."""

from __future__ import annotations

from typing import Any

from mumpuni.common import charts


def bar_chart(
    labels: list[str],
    series: dict[str, list[float]],
    *,
    title: str,
    width: float,
    height: float | None = None,
    horizontal: bool = False,
    unit: str = "",
) -> Any | None:
    """A bar chart as a ReportLab Drawing (a flowable), or None when there is nothing to draw. One series:
    plain bars; several: grouped bars with a legend. Horizontal bars take the height their labels need."""
    if not labels or not any(any(v for v in values) for values in series.values()):
        return None
    values: Any = next(iter(series.values())) if len(series) == 1 else series
    chart = charts.bar_chart(title, labels, values, unit=unit, horizontal=horizontal)
    return chart.drawing(width, None if horizontal else height)
