"""Charts: the single charting approach of Mumpuni, for web pages and PDF reports alike.

Every chart is drawn once, as a `reportlab.graphics` Drawing built from plain shapes (lines, rectangles,
strings), and then either

* rendered to inline SVG with `reportlab.graphics.renderSVG` for a page (`Chart.svg()`): no JavaScript, no
  CDN, no client-side library, readable without scripts, printable, responsive (viewBox + width 100 %), and
  accessible (`<title>`, `role="img"`, `aria-label` and a `<desc>` listing every value), or
* placed as a flowable into a reportlab PDF story (`Chart.drawing(width, height)`), which is what the official
  reports (app `reports`) and the SKM report already use for their PDFs.

Why one approach: the same figure appears on a dashboard and in the quarterly PDF; drawing it twice with two
libraries (a JS chart library on the web, something else in the PDF) would let them drift apart in colours,
rounding, gaps and labels, and would add a front-end dependency to a server-rendered, offline-capable app.
reportlab is already a dependency (PDFs), its SVG renderer is pure Python, and the charts we need — bars,
stacked bars and monthly lines — are simple enough to draw from shapes, which also gives us control over what
matters here: missing values (None) are shown as gaps (a broken line, no bar, "–"), never as zero, and numbers
are formatted the Indonesian way (1.234,5).

Usage::

    chart = bar_chart(_("Rata-rata tunggu"), ["Tembalang", "MPP"], [12.5, None], unit="mnt")
    {{ chart.svg }}                      # in a template (already marked safe)
    story.append(chart.drawing(170 * mm, 60 * mm))  # in a PDF
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

__all__ = ["Chart", "bar_chart", "line_chart", "stacked_bar", "format_number", "PALETTE"]

# Bootstrap 5 colours, so charts match badges and buttons on the pages.
PALETTE = ("#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545", "#20c997", "#ffc107", "#0dcaf0")
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
SVG_FONTS = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
FONT_SIZE = 12
TITLE_SIZE = 14
SVG_WIDTH = 560  # the viewBox width of web charts from 576 px screens up
SVG_NARROW = 340  # ... and on phones (about 1:1 in a card on a 390 px screen, so 12 px text stays 12 px)

_ids = itertools.count(1)

Number = float | int | None


def format_number(value: Number, unit: str = "", decimals: int | None = None) -> str:
    """1234.5 → "1.234,5" (Indonesian separators); None → "–". Integers keep no decimals unless asked."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{float(value):,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if unit == "%":
        return f"{text} %"
    return f"{text} {unit}" if unit else text


def _nice_step(span: float, ticks: int = 4) -> float:
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _step_decimals(step: float) -> int:
    """Decimals a tick label needs so that ticks `step` apart read exactly (0,25 → 2; 5 → 0)."""
    for decimals in range(4):
        if abs(round(step * 10**decimals) - step * 10**decimals) < 1e-9:
            return decimals
    return 3


def _axis(values: Sequence[float], *, zero: bool = True) -> tuple[float, float, float]:
    """(low, high, step) of a value axis; bars start at zero (or below it for negative values), lines span
    their data (a trend of IKM 80–90 drawn from zero would look flat)."""
    if zero:
        low, high = min([0.0, *values]), max([0.0, *values])
    else:
        low, high = min(values), max(values)
    if high == low:
        high, low = high + 1, (low - 1 if not zero else low)
    if all(float(v).is_integer() for v in values) and high - low <= 4:
        return low, max(high, low + 1), 1.0  # counts: no fractional ticks (0,25 tickets)
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _w(text: str, font: str, size: float) -> float:
    """Text width with a margin: browsers draw the SVG text in the system font, a little wider than Helvetica."""
    return stringWidth(text, font, size) * 1.12


def _fit(text: str, width: float, size: float) -> str:
    if _w(text, FONT, size) <= width:
        return text
    while text and _w(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Chart:
    """A chart described by its data; `drawing()` draws it, `svg()` renders the drawing for a web page."""

    kind: str  # "bar", "stacked", "line"
    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[Number, ...]], ...]
    unit: str = ""
    horizontal: bool = True
    decimals: int | None = None
    y_min: float | None = None  # line charts: include this value on the axis (e.g. 0)
    width: float = (
        SVG_WIDTH  # the web rendering's viewBox width from 576 px screens up (full-width cards: more)
    )
    id: int = field(default_factory=lambda: next(_ids))

    # --- public ----------------------------------------------------------------------------------------------
    @property
    def empty(self) -> bool:
        return not self.labels or all(v is None for _, values in self.series for v in values)

    def drawing(
        self, width: float = SVG_WIDTH, height: float | None = None, *, title: bool = True
    ) -> Drawing:
        """A reportlab Drawing (a PDF flowable) of `width` × `height` points; height defaults to what the
        data need (one row per label for horizontal bars)."""
        width = width or self.width
        height = height or self.natural_height(width, title=title)
        drawing = Drawing(width, height)
        top = height
        if title and self.title:
            drawing.add(
                String(
                    0,
                    height - TITLE_SIZE,
                    _fit(self.title, width, TITLE_SIZE),
                    fontName=FONT_BOLD,
                    fontSize=TITLE_SIZE,
                    fillColor=colors.HexColor(TEXT),
                )
            )
            top -= TITLE_SIZE + 10
        if len(self.series) > 1:
            top = self._legend(drawing, width, top)
        if self.empty:
            drawing.add(
                String(
                    width / 2,
                    top / 2,
                    str(_("Belum ada data")),
                    fontName=FONT,
                    fontSize=FONT_SIZE,
                    fillColor=colors.HexColor(MUTED),
                    textAnchor="middle",
                )
            )
            return drawing
        if self.kind == "line":
            self._draw_line(drawing, width, top)
        elif self.horizontal:
            self._draw_hbars(drawing, width, top)
        else:
            self._draw_vbars(drawing, width, top)
        return drawing

    def svg(self, width: float | None = None, narrow: float = SVG_NARROW) -> SafeString:
        """Inline SVG markup (no XML prolog), responsive and labelled; safe to put into a template as is.

        Two renderings of the same drawing: `width` wide for screens from 576 px (Bootstrap `sm`) and `narrow`
        for phones, so the text stays about 12 px on a 390 px screen instead of shrinking with the viewBox."""
        width = width or self.width
        if not narrow or narrow >= width:
            return mark_safe(self._svg(width, "mp-chart"))  # noqa: S308 - escaped in _svg
        wide = self._svg(width, "mp-chart d-none d-sm-block")
        small = self._svg(narrow, "mp-chart d-sm-none", suffix="n")
        return mark_safe(f'<div class="mp-chart-wrap">{wide}{small}</div>')  # noqa: S308 - escaped in _svg

    def _svg(self, width: float, css: str, suffix: str = "") -> str:
        drawing = self.drawing(width, title=False)
        raw = renderSVG.drawToString(drawing)
        body = raw[raw.index("<svg") :]
        body = body[body.index(">") + 1 :]  # drop renderSVG's own <svg ...> opening tag
        body = re.sub(r"<title>.*?</title>", "", body, count=1, flags=re.S)
        body = re.sub(r"<desc>.*?</desc>", "", body, count=1, flags=re.S)
        # Ids must be unique on a page holding several charts (renderSVG always writes "clip" and "group").
        uid = f"mpchart{self.id}{suffix}"
        body = body.replace('id="clip"', f'id="{uid}-clip"').replace("url(#clip)", f"url(#{uid}-clip)")
        body = body.replace('id="group"', f'id="{uid}-g"')
        body = body.replace("font-family: Helvetica-Bold", f"font-weight: 600; font-family: {SVG_FONTS}")
        body = body.replace("font-family: Helvetica", f"font-family: {SVG_FONTS}")
        w, h = drawing.width, drawing.height
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:g} {h:g}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{escape(self.title)}" '
            f'class="{css}" style="max-width:{w:g}px;height:auto">'
            f"<title>{escape(self.title)}</title><desc>{escape(self.describe())}</desc>"
        )
        return head + body

    def describe(self) -> str:
        """The data as one line of text (the SVG <desc>, read by screen readers)."""
        parts = []
        for name, values in self.series:
            pairs = "; ".join(
                f"{label}: {format_number(v, self.unit, self.decimals)}"
                for label, v in zip(self.labels, values, strict=False)
            )
            parts.append(f"{name} — {pairs}" if name and len(self.series) > 1 else pairs)
        return " | ".join(parts)

    def natural_height(self, width: float, *, title: bool = True) -> float:
        head = (TITLE_SIZE + 10 if title and self.title else 0) + (22 if len(self.series) > 1 else 0)
        if self.empty:
            return head + 40
        if self.kind != "line" and self.horizontal:
            return head + max(1, len(self.labels)) * self._row_height() + 8
        return head + min(260.0, max(180.0, width * 0.42))

    # --- drawing helpers -------------------------------------------------------------------------------------
    def _row_height(self) -> float:
        return 26.0 if self.kind == "stacked" or len(self.series) == 1 else 10.0 + 11.0 * len(self.series)

    def _colour(self, index: int) -> colors.Color:
        return colors.HexColor(PALETTE[index % len(PALETTE)])

    def _legend(self, drawing: Drawing, width: float, top: float) -> float:
        x = 0.0
        y = top - FONT_SIZE
        for i, (name, _values) in enumerate(self.series):
            text_w = _w(name, FONT, FONT_SIZE - 1)
            if x + 16 + text_w > width and x > 0:
                x = 0
                y -= FONT_SIZE + 6
            drawing.add(Rect(x, y - 1, 10, 10, fillColor=self._colour(i), strokeColor=None))
            drawing.add(
                String(
                    x + 14, y, name, fontName=FONT, fontSize=FONT_SIZE - 1, fillColor=colors.HexColor(TEXT)
                )
            )
            x += 14 + text_w + 16
        return y - 12

    def _values(self) -> list[float]:
        if self.kind == "stacked":
            totals = []
            for i in range(len(self.labels)):
                totals.append(sum(v[i] or 0 for _, v in self.series if i < len(v) and v[i] is not None))
            return totals
        return [v for _, values in self.series for v in values if v is not None]

    def _draw_hbars(self, drawing: Drawing, width: float, top: float) -> None:
        all_values = self._values()
        low, high = min([0.0, *all_values]), max([0.0, *all_values])
        if self.unit == "%":
            high = max(high, 100.0)  # shares are drawn against the whole, not against the largest share
        if high == low:
            high = low + 1
        label_w = min(width * 0.38, max(_w(label, FONT, FONT_SIZE) for label in self.labels) + 8)
        value_w = (
            max(
                _w(format_number(v, self.unit, self.decimals), FONT, FONT_SIZE - 1)
                for v in [*self._values(), None]
            )
            + 8
        )
        x0 = label_w
        plot_w = max(40.0, width - label_w - value_w)
        row_h = self._row_height()
        bar_h = 16.0 if self.kind == "stacked" or len(self.series) == 1 else 11.0
        scale = plot_w / (high - low)
        zero_x = x0 + (0 - low) * scale
        text = colors.HexColor(TEXT)
        muted = colors.HexColor(MUTED)
        group = Group()
        for row, label in enumerate(self.labels):
            y_mid = top - row * row_h - row_h / 2
            group.add(
                String(
                    0,
                    y_mid - 4,
                    _fit(label, label_w - 8, FONT_SIZE),
                    fontName=FONT,
                    fontSize=FONT_SIZE,
                    fillColor=text,
                )
            )
            if self.kind == "stacked":
                x = zero_x
                any_value = False
                for i, (_name, values) in enumerate(self.series):
                    v = values[row] if row < len(values) else None
                    if v is None or v <= 0:
                        continue
                    any_value = True
                    group.add(
                        Rect(
                            x,
                            y_mid - bar_h / 2,
                            v * scale,
                            bar_h,
                            fillColor=self._colour(i),
                            strokeColor=colors.white,
                            strokeWidth=0.5,
                        )
                    )
                    x += v * scale
                total = self._values()[row] if any_value else None
                group.add(
                    String(
                        x + 4,
                        y_mid - 4,
                        format_number(total, self.unit, self.decimals),
                        fontName=FONT,
                        fontSize=FONT_SIZE - 1,
                        fillColor=muted if total is None else text,
                    )
                )
                continue
            n = len(self.series)
            for i, (_name, values) in enumerate(self.series):
                v = values[row] if row < len(values) else None
                y = y_mid + (n / 2 - i - 1) * bar_h
                if v is None:
                    group.add(
                        String(
                            zero_x + 4,
                            y + bar_h / 2 - 4,
                            "–",
                            fontName=FONT,
                            fontSize=FONT_SIZE - 1,
                            fillColor=muted,
                        )
                    )
                    continue
                x_start, x_end = sorted((zero_x, zero_x + v * scale))
                group.add(
                    Rect(
                        x_start,
                        y,
                        max(x_end - x_start, 0.5),
                        bar_h,
                        fillColor=self._colour(i),
                        strokeColor=None,
                    )
                )
                group.add(
                    String(
                        max(x_end, zero_x) + 4,
                        y + bar_h / 2 - 4,
                        format_number(v, self.unit, self.decimals),
                        fontName=FONT,
                        fontSize=FONT_SIZE - 1 if n == 1 else FONT_SIZE - 2,
                        fillColor=text,
                    )
                )
        bottom = top - len(self.labels) * row_h
        group.add(Line(zero_x, top, zero_x, bottom, strokeColor=colors.HexColor(GRID), strokeWidth=1))
        drawing.add(group)

    def _plot_area(self, width: float, top: float) -> tuple[float, float, float, float, float, float, float]:
        low, high, step = _axis(self._values(), zero=self.kind != "line" or self.y_min is not None)
        if self.y_min is not None:
            low = min(low, self.y_min)
        tick_labels = [
            format_number(low + k * step, "", None) for k in range(int(round((high - low) / step)) + 1)
        ]
        left = max(_w(t, FONT, FONT_SIZE - 1) for t in tick_labels) + 8
        bottom = 22.0
        plot_w = width - left - 6
        plot_h = top - bottom - 6
        return left, bottom, plot_w, plot_h, low, high, step

    def _grid(
        self,
        group: Group,
        left: float,
        bottom: float,
        plot_w: float,
        plot_h: float,
        low: float,
        high: float,
        step: float,
    ) -> None:
        k = 0
        while low + k * step <= high + step / 1000:
            value = low + k * step
            y = bottom + (value - low) / (high - low) * plot_h
            group.add(Line(left, y, left + plot_w, y, strokeColor=colors.HexColor(GRID), strokeWidth=0.8))
            group.add(
                String(
                    left - 6,
                    y - 4,
                    format_number(value, "", _step_decimals(step)),
                    fontName=FONT,
                    fontSize=FONT_SIZE - 1,
                    fillColor=colors.HexColor(MUTED),
                    textAnchor="end",
                )
            )
            k += 1

    def _x_labels(
        self, group: Group, left: float, bottom: float, positions: list[float], slot: float
    ) -> None:
        every = 1
        widest = max(_w(label, FONT, FONT_SIZE - 1) for label in self.labels)
        while widest + 6 > slot * every:
            every += 1
        for i, (label, x) in enumerate(zip(self.labels, positions, strict=False)):
            if i % every and i != len(self.labels) - 1:
                continue
            group.add(
                String(
                    x,
                    bottom - 15,
                    label,
                    fontName=FONT,
                    fontSize=FONT_SIZE - 1,
                    fillColor=colors.HexColor(MUTED),
                    textAnchor="middle",
                )
            )

    def _draw_vbars(self, drawing: Drawing, width: float, top: float) -> None:
        left, bottom, plot_w, plot_h, low, high, step = self._plot_area(width, top)
        group = Group()
        self._grid(group, left, bottom, plot_w, plot_h, low, high, step)
        slot = plot_w / len(self.labels)
        n = len(self.series)
        bar_w = slot * 0.7 / (1 if self.kind == "stacked" else n)
        positions = [left + slot * (i + 0.5) for i in range(len(self.labels))]
        scale = plot_h / (high - low)
        zero_y = bottom + (0 - low) * scale
        for row, x_mid in enumerate(positions):
            base = zero_y
            for i, (_name, values) in enumerate(self.series):
                v = values[row] if row < len(values) else None
                if v is None:
                    continue
                if self.kind == "stacked":
                    group.add(
                        Rect(
                            x_mid - bar_w / 2,
                            base,
                            bar_w,
                            max(v, 0) * scale,
                            fillColor=self._colour(i),
                            strokeColor=colors.white,
                            strokeWidth=0.5,
                        )
                    )
                    base += max(v, 0) * scale
                else:
                    x = x_mid - slot * 0.35 + i * bar_w
                    y0, y1 = sorted((zero_y, zero_y + v * scale))
                    group.add(
                        Rect(x, y0, bar_w, max(y1 - y0, 0.5), fillColor=self._colour(i), strokeColor=None)
                    )
        self._x_labels(group, left, bottom, positions, slot)
        drawing.add(group)

    def _draw_line(self, drawing: Drawing, width: float, top: float) -> None:
        left, bottom, plot_w, plot_h, low, high, step = self._plot_area(width, top)
        group = Group()
        self._grid(group, left, bottom, plot_w, plot_h, low, high, step)
        count = len(self.labels)
        slot = plot_w / count
        positions = [left + slot * (i + 0.5) for i in range(count)]
        scale = plot_h / (high - low)
        for i, (_name, values) in enumerate(self.series):
            colour = self._colour(i)
            run: list[float] = []
            for x, v in zip(positions, list(values) + [None], strict=False):
                if v is None:  # a gap: close the current run
                    if len(run) >= 4:
                        group.add(PolyLine(run, strokeColor=colour, strokeWidth=2.2, fillColor=None))
                    run = []
                    continue
                y = bottom + (v - low) * scale
                run.extend((x, y))
                group.add(Circle(x, y, 3, fillColor=colour, strokeColor=colors.white, strokeWidth=1))
            if len(run) >= 4:
                group.add(PolyLine(run, strokeColor=colour, strokeWidth=2.2, fillColor=None))
        self._x_labels(group, left, bottom, positions, slot)
        drawing.add(group)


def _series(values: Sequence[Number]) -> tuple[Number, ...]:
    return tuple(None if v is None else float(v) for v in values)


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[Number] | Mapping[str, Sequence[Number]],
    *,
    unit: str = "",
    horizontal: bool = True,
    decimals: int | None = None,
) -> Chart:
    """Bars, one per label (values: a list), or grouped bars (values: {series name: list}). None = no bar."""
    if isinstance(values, Mapping):
        series = tuple((str(name), _series(v)) for name, v in values.items())
    else:
        series = (("", _series(values)),)
    return Chart("bar", str(title), tuple(str(x) for x in labels), series, unit, horizontal, decimals)


def stacked_bar(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[Number]],
    *,
    unit: str = "",
    horizontal: bool = True,
    decimals: int | None = None,
    width: float = SVG_WIDTH,
) -> Chart:
    """Bars split into parts (series), e.g. classes planned / running / finished per unit."""
    parts = tuple((str(name), _series(v)) for name, v in series.items())
    return Chart(
        "stacked", str(title), tuple(str(x) for x in labels), parts, unit, horizontal, decimals, width=width
    )


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[Number]],
    *,
    unit: str = "",
    decimals: int | None = None,
    y_min: float | None = None,
) -> Chart:
    """One line per series over the x labels (months); None values break the line (a gap, not a zero).
    The value axis spans the data unless `y_min` (e.g. 0) asks to include a floor."""
    parts = tuple((str(name), _series(v)) for name, v in series.items())
    return Chart("line", str(title), tuple(str(x) for x in x_labels), parts, unit, False, decimals, y_min)
