"""The single charting approach (common/charts.py): the same Drawing feeds inline SVG and PDF."""

from __future__ import annotations

import io
import re

from django.utils.safestring import SafeString
from reportlab.graphics.shapes import Drawing, PolyLine, Rect
from reportlab.platypus import SimpleDocTemplate

from mumpuni.common.charts import bar_chart, format_number, line_chart, stacked_bar


def _shapes(node, kind):
    found = []
    for child in getattr(node, "contents", []):
        if isinstance(child, kind):
            found.append(child)
        found.extend(_shapes(child, kind))
    return found


def test_format_number_indonesian_separators_and_gaps():
    assert format_number(1234.5) == "1.234,5"
    assert format_number(12, "mnt") == "12 mnt"
    assert format_number(87.5, "%", 1) == "87,5 %"
    assert format_number(None, "mnt") == "–"


def test_bar_chart_svg_is_inline_labelled_and_responsive():
    chart = bar_chart("Rata-rata tunggu", ["Tembalang", "MPP Kota"], [12.5, 30], unit="mnt")
    svg = chart.svg()
    assert isinstance(svg, SafeString)
    assert not svg.startswith("<?xml") and "<!DOCTYPE" not in svg
    assert svg.count("<svg") == 2  # wide (>= 576 px) and narrow (phones)
    assert 'viewBox="0 0 560 ' in svg and 'viewBox="0 0 340 ' in svg
    assert 'width="100%"' in svg
    assert 'aria-label="Rata-rata tunggu"' in svg and "<title>Rata-rata tunggu</title>" in svg
    assert "Tembalang" in svg and "MPP Kota" in svg
    assert "12,5 mnt" in svg and "30 mnt" in svg
    # renderSVG names its clip path "clip": every rendering must have its own ids on a page of many charts.
    ids = re.findall(r'id="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
    other = bar_chart("Rata-rata tunggu", ["a"], [1]).svg()
    assert set(ids).isdisjoint(re.findall(r'id="([^"]+)"', other))


def test_text_is_escaped():
    svg = bar_chart("<script>alert(1)</script>", ["<b>x</b>"], [1]).svg()
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;" in svg


def test_none_is_a_gap_not_a_zero():
    chart = bar_chart("Tunggu", ["A", "B", "C"], [10, None, 5])
    bars = [r for r in _shapes(chart.drawing(400), Rect) if r.fillColor is not None and r.height < 40]
    assert len(bars) == 2  # no bar for B
    assert "B: –" in chart.describe()
    line = line_chart("IKM", ["Jan", "Feb", "Mar", "Apr", "Mei"], {"IKM": [80, 82, None, 85, 86]})
    polylines = _shapes(line.drawing(400), PolyLine)
    assert len(polylines) == 2  # the line breaks at March
    assert all(len(p.points) == 4 for p in polylines)  # two points each
    assert "Mar: –" in line.describe()


def test_all_none_says_no_data():
    chart = line_chart("IKM", ["Jan"], {"IKM": [None]})
    assert chart.empty
    assert "Belum ada data" in chart.svg()


def test_stacked_and_grouped_bars_show_totals_and_legend():
    chart = stacked_bar("Kelas", ["Unit A", "Unit B"], {"Direncanakan": [3, 1], "Selesai": [5, None]})
    svg = chart.svg()
    assert "Direncanakan" in svg and "Selesai" in svg
    assert ">8<" in svg  # total of Unit A
    grouped = bar_chart("Tunggu", ["A"], {"p50": [5], "p90": [20]}, unit="mnt")
    assert "p50" in grouped.svg() and "20 mnt" in grouped.svg()


def test_drawing_goes_into_a_pdf():
    charts = [
        bar_chart("Tunggu", ["A", "B"], [1, None]),
        line_chart("IKM", ["Jan", "Feb"], {"IKM": [80, None], "Mutu": [None, 70]}),
        stacked_bar("Kelas", ["A"], {"x": [1], "y": [2]}, horizontal=False),
    ]
    drawing = charts[0].drawing(300, 120)
    assert isinstance(drawing, Drawing) and (drawing.width, drawing.height) == (300, 120)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([c.drawing(400) for c in charts])
    pdf = buffer.getvalue()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_axis_ticks_read_exactly():
    from mumpuni.common.charts import _step_decimals

    assert (_step_decimals(0.25), _step_decimals(2.5), _step_decimals(5.0)) == (2, 1, 0)
    # Zero complaints in every month: whole-number ticks, not 0,2 / 0,5 / 0,8.
    svg = bar_chart("Pengaduan", ["Jan", "Feb"], [0, 0], horizontal=False).svg()
    assert ">0,5<" not in svg and ">0,2<" not in svg and ">1<" in svg


def test_percent_bars_are_drawn_against_100():
    def bars(chart):
        return [r for r in _shapes(chart.drawing(400), Rect) if r.fillColor is not None and r.height < 40]

    [small, full] = bars(bar_chart("Kepatuhan", ["A", "B"], [10, 100], unit="%"))
    assert abs(small.width * 10 - full.width) < 0.01
    [alone] = bars(bar_chart("Kepatuhan", ["A"], [10], unit="%"))
    assert alone.width < full.width / 5  # 10 % is a short bar even when it is the largest
