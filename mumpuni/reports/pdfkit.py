"""The house style of the official reports (A4, ReportLab platypus), after surveys/report_pdf.py and the
certificates (learning/pdf.py: navy and gold, Helvetica, dates as "12 Maret 2026"):

- the kop: PEMERINTAH KOTA SEMARANG / BADAN KEPEGAWAIAN, PENDIDIKAN DAN PELATIHAN, a double rule, the title,
  the period and the scope, and "Dibuat <tanggal jam> oleh <nama>";
- every page: the title on the left and "Halaman x dari y" on the right (two-pass numbering);
- tables repeat their header row and split across pages.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mumpuni.learning.pdf import GOLD, NAVY, tanggal
from mumpuni.surveys.report_pdf import pdf_styles

LIGHT = colors.HexColor("#E8EEF5")
GRID = colors.HexColor("#9AA9B8")
INSTITUTION = "BADAN KEPEGAWAIAN, PENDIDIKAN DAN PELATIHAN"
CITY = "PEMERINTAH KOTA SEMARANG"
ADDRESS = "Jl. Pemuda No. 148, Semarang 50132"


def num(value: Any, places: int = 1, *, dash: str = "—") -> str:
    """Indonesian number: 1.234,5 (thousands with '.', decimals with ',')."""
    if value is None:
        return dash
    if isinstance(value, int) or places == 0:
        return f"{round(float(value)):,}".replace(",", ".")
    text = f"{float(value):,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def rupiah(value: Any) -> str:
    return "—" if value is None else "Rp " + num(int(value), 0)


def percent(value: float | None) -> str:
    return "—" if value is None else num(value, 1) + " %"


def styles() -> dict[str, ParagraphStyle]:
    """The SKM report's styles (surveys.report_pdf), with smaller table cells and a grey small print."""
    st = pdf_styles()
    body = st["body"]
    st["small"] = ParagraphStyle(
        "small", parent=body, fontSize=8, leading=10.5, textColor=colors.HexColor("#444")
    )
    st["cell"] = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    return st


def kop(
    st: dict[str, ParagraphStyle],
    *,
    title: str,
    period: str,
    scope: str,
    generated_by: str,
    generated_at: dt.datetime,
    width: float,
) -> list[Any]:
    local = timezone.localtime(generated_at)
    rule = Table([[""]], colWidths=[width], rowHeights=[2])
    rule.setStyle(
        TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.6, NAVY), ("LINEBELOW", (0, 0), (-1, -1), 0.5, GOLD)])
    )
    return [
        Paragraph(CITY, st["kop1"]),
        Paragraph(INSTITUTION, st["kop2"]),
        Paragraph(escape(ADDRESS), st["kop3"]),
        Spacer(1, 2 * mm),
        rule,
        Spacer(1, 4 * mm),
        Paragraph(escape(title.upper()), st["h1"]),
        Paragraph(escape(f"{scope} — {period}"), st["centre"]),
        Paragraph(
            escape(f"Dibuat {tanggal(local.date())} pukul {local:%H.%M} WIB oleh {generated_by}"),
            ParagraphStyle("generated", parent=st["small"], alignment=TA_CENTER),
        ),
        Spacer(1, 4 * mm),
    ]


def grid(
    data: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    numeric_from: int | None = 1,
    total_row: bool = False,
    extra: list[Any] | None = None,
) -> Table:
    """A bordered table; the header row repeats on every page the table runs over."""
    rows = [list(r) for r in data]
    if header and rows:
        # Header texts wrap inside their column (never run into the next one); numeric columns right-aligned.
        st = styles()
        left = ParagraphStyle(
            "th", parent=st["cell"], fontName="Helvetica-Bold", fontSize=7.5, leading=9, textColor=NAVY
        )
        right = ParagraphStyle("th_r", parent=left, alignment=TA_RIGHT)
        rows[0] = [
            Paragraph(escape(c), right if numeric_from is not None and i >= numeric_from else left)
            if isinstance(c, str)
            else c
            for i, c in enumerate(rows[0])
        ]
    table = Table(rows, colWidths=list(widths), repeatRows=1 if header else 0)
    style: list[Any] = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if numeric_from is not None:
        style.append(("ALIGN", (numeric_from, 1 if header else 0), (-1, -1), "RIGHT"))
    if header:
        style.append(("VALIGN", (0, 0), (-1, 0), "BOTTOM"))
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
            ("TEXTCOLOR", (0, 0), (-1, 0), NAVY),
        ]
    if total_row:
        style += [("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8), ("BACKGROUND", (0, -1), (-1, -1), LIGHT)]
    table.setStyle(TableStyle(style + (extra or [])))
    return table


def key_figures(items: Sequence[tuple[str, str]], width: float, per_row: int = 4) -> Table:
    """Boxes of 'label / big value'."""
    st = styles()
    label = ParagraphStyle("kl", parent=st["small"], alignment=TA_CENTER)
    value = ParagraphStyle(
        "kv",
        parent=st["body"],
        fontName="Helvetica-Bold",
        fontSize=13,
        leading=16,
        alignment=TA_CENTER,
        textColor=NAVY,
    )
    cells: list[Any] = [[Paragraph(escape(v), value), Paragraph(escape(k), label)] for k, v in items]
    rows = []
    for i in range(0, len(cells), per_row):
        chunk = cells[i : i + per_row]
        while len(chunk) < per_row:
            chunk.append("")
        rows.append(chunk)
    table = Table(rows, colWidths=[width / per_row] * per_row)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.4, GRID),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F6F8FB")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _numbered_canvas(title: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Holds every page until the end so each can say 'Halaman x dari y'."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab API)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width = self._pagesize[0]
            self.saveState()
            self.setFont("Helvetica", 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.setStrokeColor(GRID)
            self.line(15 * mm, 13 * mm, width - 15 * mm, 13 * mm)
            self.drawString(15 * mm, 9 * mm, title[:110])
            self.drawRightString(width - 15 * mm, 9 * mm, f"Halaman {self._pageNumber} dari {total}")
            self.restoreState()

    return NumberedCanvas


def build(
    story_of: Callable[[float], list[Any]], *, title: str, wide: bool = False, subject: str = ""
) -> bytes:
    """Render `story_of(frame width)` to PDF bytes (A4 portrait, or landscape when wide)."""
    pagesize = landscape(A4) if wide else A4
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Mumpuni — BKPP Kota Semarang",
        subject=subject or title,
        pageCompression=1,
    )
    doc.build(story_of(doc.width), canvasmaker=_numbered_canvas(title))
    return buffer.getvalue()
