"""Impact pages (/dampak/, login; admin, executive and unit heads, see insights.access): the programmes with
an estimate, and one programme (or a group, `?kode=A,B`) with effect, CI, naive before/after, event-study
chart, refusal reasons and ROI. Reads only through insights.selectors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mumpuni.insights import access, selectors
from mumpuni.insights.messages import BETTER_WHEN_LOWER, OUTCOME_LABELS, refusal_reason
from mumpuni.learning.models import Program
from mumpuni.lib import did

MAX_HOUR_VALUE = 10_000_000


def _guard(request: HttpRequest) -> None:
    if not access.can_see_impact(request.user):
        raise PermissionDenied


@login_required
@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    panel, estimates = selectors.program_list_estimates()
    rows = [
        {
            "program": row.program,
            "completed": row.completed,
            "result": row.result,
            "reason": refusal_reason(row.result) if isinstance(row.result, did.TooThin) else "",
        }
        for row in estimates
    ]
    return render(
        request,
        "insights/program_list.html",
        {"rows": rows, "panel": panel, "months": panel.months if panel else []},
    )


def _chart(result: did.Estimate, lower_is_better: bool) -> dict[str, Any]:
    """Coordinates of the event-study chart (server-rendered SVG): points with 95 % CI whiskers."""
    width, height, left, right, top, bottom = 720, 300, 56, 16, 16, 40
    points = [p for p in result.event_study if p.estimate is not None]
    values = [0.0]
    for p in points:
        ci = p.ci95
        values += [ci[0], ci[1]] if ci else [p.estimate or 0.0]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.1 or 1.0
    lo, hi = lo - pad, hi + pad
    plot_w, plot_h = width - left - right, height - top - bottom
    events = [p.event for p in result.event_study]
    first, last = min(events), max(events)

    def x(event: int) -> float:
        return round(left + (event - first) / (last - first) * plot_w, 1)

    def y(value: float) -> float:
        return round(top + (hi - value) / (hi - lo) * plot_h, 1)

    step = _nice_step((hi - lo) / 5)
    ticks = []
    tick = step * int(lo / step)
    while tick <= hi:
        if tick >= lo:
            ticks.append({"y": y(tick), "v": f"{tick:.2f}".rstrip("0").rstrip(".")})
        tick += step
    drawn = []
    for p in points:
        ci = p.ci95 or (p.estimate or 0.0, p.estimate or 0.0)
        drawn.append(
            {
                "x": x(p.event),
                "y": y(p.estimate or 0.0),
                "y_lo": y(ci[0]),
                "y_hi": y(ci[1]),
                "event": p.event,
                "label": f"{p.estimate:+.2f} [{ci[0]:+.2f}; {ci[1]:+.2f}]",
                "post": p.event >= 0,
                "reference": p.event == did.REFERENCE,
            }
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "right_x": width - right,
        "zero_y": y(0.0),
        "treat_x": round((x(-1) + x(0)) / 2, 1),
        "top": top,
        "bottom_y": height - bottom,
        "plot_h": plot_h,
        "post_w": round(width - right - (x(-1) + x(0)) / 2, 1),
        "ticks": ticks,
        "points": drawn,
        "labels": [{"x": x(e), "e": e} for e in events],
        "lower_is_better": lower_is_better,
    }


def _nice_step(raw: float) -> float:
    for step in (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50):
        if raw <= step:
            return float(step)
    return 100.0


def _hour_value(request: HttpRequest) -> tuple[int, str]:
    raw = request.GET.get("nilai_jam", "").strip().replace(".", "")
    if not raw:
        return selectors.hour_value(), ""
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_HOUR_VALUE:
        return selectors.hour_value(), _("Nilai satu jam harus bilangan bulat 1–10.000.000 rupiah.")
    return int(raw), ""


@login_required
@require_GET
def program_detail(request: HttpRequest) -> HttpResponse:
    _guard(request)
    try:
        programs = selectors.programs_by_codes(request.GET.get("kode", "").split(","))
    except Program.DoesNotExist as exc:
        raise Http404 from exc
    outcome = request.GET.get("hasil", "service_minutes")
    if outcome not in selectors.OUTCOMES:
        outcome = "service_minutes"
    value, value_error = _hour_value(request)
    panel = selectors.load_panel()
    impact = selectors.program_impact(programs, outcome, panel=panel)
    roi_result, roi = selectors.program_roi(programs, value_per_hour=value, panel=panel)
    result = impact.result
    context: dict[str, Any] = {
        "programs": programs,
        "codes": impact.codes,
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS[outcome],
        "outcomes": [(key, OUTCOME_LABELS[key]) for key in selectors.OUTCOMES],
        "impact": impact,
        "result": result,
        "estimate": result if isinstance(result, did.Estimate) else None,
        "reason": refusal_reason(result) if isinstance(result, did.TooThin) else "",
        "roi": roi,
        "roi_estimate": roi_result if isinstance(roi_result, did.Estimate) else None,
        "roi_reason": refusal_reason(roi_result) if isinstance(roi_result, did.TooThin) else "",
        "hour_value": value,
        "hour_value_error": value_error,
        "default_hour_value": selectors.hour_value(),
        "synthetic_percent": round(impact.synthetic_share * 100),
        "window": did.WINDOW,
        "min_treated": did.MIN_TREATED,
    }
    if isinstance(result, did.Estimate):
        context["chart"] = _chart(result, BETTER_WHEN_LOWER[outcome])
        context["rows"] = [
            {"point": p, "ci": p.ci95, "reference": p.event == did.REFERENCE} for p in result.event_study
        ]
    return render(request, "insights/program_detail.html", context)
