"""The official SKM report as a PDF (A4 portrait, Indonesian), in the layout units submit to the
Bagian Organisasi: identity of the unit, period, method, respondent profile, NRR per unsur, IKM, mutu and
kinerja, sample required vs obtained, the three lowest unsur with follow-up, the suggestions received, and
a place/date/signature block for the head of the unit.

Drawn with ReportLab's platypus in the house style of the certificates (mumpuni/learning/pdf.py: navy and
gold, Helvetica, dates as "12 Maret 2026"). All figures come from surveys.selectors / lib/ikm.py.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from mumpuni.learning.pdf import DEFAULT_CITY, GOLD, NAVY, format_nip, tanggal
from mumpuni.surveys import selectors as sel
from mumpuni.surveys.models import SurveyResponse

LIGHT = colors.HexColor("#E8EEF5")
WARN = colors.HexColor("#FFF3CD")
PROFILE_TITLES = {
    "age_band": "Usia",
    "sex": "Jenis kelamin",
    "education": "Pendidikan",
    "occupation": "Pekerjaan",
}
METHOD_STATEMENT = (
    "IKM = rata-rata NRR unsur yang dijawab × 25, tanpa pembulatan 0,111. NRR setiap unsur adalah jumlah "
    "nilai jawaban dibagi jumlah responden yang menjawab unsur itu (jawaban kosong tidak dihitung). "
    "Rata-rata NRR dihitung persis (bobot 1/9 bila kesembilan unsur dijawab), bukan dikalikan 0,111 yang "
    "dibulatkan, lalu IKM dibulatkan dua desimal dan dikategorikan: 25,00–64,99 D (Tidak Baik); "
    "65,00–76,60 C (Kurang Baik); 76,61–88,30 B (Baik); 88,31–100,00 A (Sangat Baik) — PermenPANRB "
    "Nomor 14 Tahun 2017."
)


def _num(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{places}f}".replace(".", ",")


def pdf_styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of official PDFs (the SKM report here; the reports app builds on them)."""
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica", fontSize=9.5, leading=12.5)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=13,
            leading=16,
            alignment=TA_CENTER,
            textColor=NAVY,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=10.5,
            leading=13,
            textColor=NAVY,
            spaceBefore=8,
            spaceAfter=4,
        ),
        "centre": ParagraphStyle("centre", parent=body, alignment=TA_CENTER),
        "kop1": ParagraphStyle(
            "kop1",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=14,
            alignment=TA_CENTER,
            textColor=NAVY,
        ),
        "kop2": ParagraphStyle(
            "kop2", parent=body, fontName="Helvetica-Bold", fontSize=11, leading=13, alignment=TA_CENTER
        ),
        "kop3": ParagraphStyle("kop3", parent=body, fontSize=8.5, leading=10.5, alignment=TA_CENTER),
    }


def _grid(
    data: list[list[Any]], widths: list[float], *, header: bool = True, extra: list[Any] | None = None
) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style: list[Any] = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9AA9B8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
            ("TEXTCOLOR", (0, 0), (-1, 0), NAVY),
        ]
    table.setStyle(TableStyle(style + (extra or [])))
    return table


def _kop(identity: sel.UnitIdentity, st: dict[str, ParagraphStyle]) -> list[Any]:
    lines = [Paragraph("PEMERINTAH KOTA SEMARANG", st["kop1"])]
    lines.append(Paragraph(escape(identity.name.upper()), st["kop2"]))
    if identity.address:
        lines.append(Paragraph(escape(identity.address), st["kop3"]))
    rule = Table([[""]], colWidths=[170 * mm], rowHeights=[2])
    rule.setStyle(
        TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.6, NAVY), ("LINEBELOW", (0, 0), (-1, -1), 0.5, GOLD)])
    )
    return [*lines, Spacer(1, 2 * mm), rule, Spacer(1, 4 * mm)]


def _footer(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawString(20 * mm, 10 * mm, doc.title)
    canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Halaman {doc.page}")
    canvas.restoreState()


def render_report(
    figs: sel.IkmFigures,
    identity: sel.UnitIdentity,
    period: str,
    narrowed: list[tuple[str, str]],
    unsur: list[Any],
    *,
    today: dt.date,
) -> bytes:
    """The report as PDF bytes. `unsur` are the NRR table rows (views.reports.unsur_rows)."""
    st = pdf_styles()
    result, report = figs.result, figs.report
    story: list[Any] = _kop(identity, st)
    story += [
        Paragraph("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT (SKM)", st["h1"]),
        Paragraph(escape(period), st["centre"]),
        Spacer(1, 4 * mm),
    ]

    # I. Identitas
    story.append(Paragraph("I. Identitas unit pelayanan", st["h2"]))
    ident = [
        ["Nama unit", identity.name],
        ["Kode unit", identity.code or "—"],
        ["Alamat", identity.address or "—"],
        ["Periode survei", period],
        *[[label, value] for label, value in narrowed],
    ]
    story.append(
        _grid(
            [[Paragraph(escape(a), st["cell"]), Paragraph(escape(b), st["cell"])] for a, b in ident],
            [40 * mm, 130 * mm],
            header=False,
            extra=[("BACKGROUND", (0, 0), (0, -1), LIGHT)],
        )
    )

    # II. Metode
    story.append(Paragraph("II. Metode", st["h2"]))
    ch = figs.channels
    labels = dict(SurveyResponse.Channel.choices)
    channel_text = "; ".join(f"{labels[k].lower()} {ch[k]} responden" for k in labels)
    sample_text = (
        f"Populasi (pengguna layanan dalam periode): {report.population}. Sampel minimal menurut Krejcie "
        f"dan Morgan (χ² = 3,841; P = 0,5; d = 0,05): {report.sample_required} responden. Sampel yang "
        f"diperoleh: {result.respondents} responden — "
        + ("<b>sampel cukup</b>." if report.sample_adequate else "<b>sampel belum cukup</b>.")
    )
    story += [
        Paragraph(
            "Kuesioner sembilan unsur pelayanan sesuai PermenPANRB Nomor 14 Tahun 2017, skala 1–4, tanpa "
            f"identitas responden. Cara pengisian: {escape(channel_text)}.",
            st["body"],
        ),
        Spacer(1, 1.5 * mm),
        Paragraph(sample_text, st["body"]),
        Spacer(1, 1.5 * mm),
        Paragraph(escape(METHOD_STATEMENT), st["body"]),
    ]

    # III. Profil responden: two tables side by side per row.
    story.append(Paragraph("III. Profil responden", st["h2"]))
    blocks = []
    for field, rows in figs.profile.items():
        cells: list[list[Any]] = [[PROFILE_TITLES[field], "Jumlah", "%"]]
        cells += [[r.label, str(r.count), _num(Decimal(str(round(r.share * 100, 1))), 1)] for r in rows]
        blocks.append(_grid(cells, [46 * mm, 16 * mm, 14 * mm], extra=[("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    pairs = [blocks[i : i + 2] for i in range(0, len(blocks), 2)]
    for pair in pairs:
        while len(pair) < 2:
            pair.append(Spacer(1, 1))
        outer = Table([pair], colWidths=[85 * mm, 85 * mm])
        outer.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        story += [outer, Spacer(1, 2 * mm)]

    # IV. Hasil
    story.append(CondPageBreak(90 * mm))
    story.append(Paragraph("IV. Nilai per unsur dan IKM", st["h2"]))
    data: list[list[Any]] = [["No", "Unsur pelayanan", "Jawaban", "NRR", "NRR × 25", "Mutu"]]
    lowest_rows = []
    for i, u in enumerate(unsur, start=1):
        data.append(
            [
                f"{u.code}",
                Paragraph(escape(u.name), st["cell"]),
                str(u.answers),
                _num(u.nrr, 3),
                _num(u.converted),
                u.mutu or "—",
            ]
        )
        if u.lowest:
            lowest_rows.append(i)
    data.append(
        [
            "",
            Paragraph("<b>IKM unit pelayanan</b>", st["cell"]),
            str(result.respondents),
            "",
            _num(result.ikm),
            result.mutu or "—",
        ]
    )
    extra: list[Any] = [("ALIGN", (2, 0), (-1, -1), "RIGHT"), ("ALIGN", (-1, 0), (-1, -1), "CENTER")]
    extra += [("BACKGROUND", (0, r), (-1, r), WARN) for r in lowest_rows]
    extra += [("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8.5), ("BACKGROUND", (0, -1), (-1, -1), LIGHT)]
    story.append(_grid(data, [12 * mm, 86 * mm, 18 * mm, 18 * mm, 20 * mm, 16 * mm], extra=extra))
    story.append(Spacer(1, 3 * mm))
    verdict = (
        f"Nilai IKM: <b>{_num(result.ikm)}</b> — mutu pelayanan <b>{result.mutu}</b>, kinerja unit pelayanan "
        f"<b>{escape(result.kinerja or '')}</b>."
        if result.ikm is not None
        else "Belum ada jawaban dalam periode ini; IKM belum dapat dihitung."
    )
    summary = _grid(
        [
            [Paragraph(verdict, st["body"])],
            [
                Paragraph(
                    f"Responden {result.respondents} dari sampel minimal {report.sample_required} "
                    f"({'cukup' if report.sample_adequate else 'belum cukup'}). Baris berwarna: tiga unsur terendah.",
                    st["small"],
                )
            ],
        ],
        [170 * mm],
        header=False,
        extra=[("BACKGROUND", (0, 0), (-1, 0), LIGHT)],
    )
    story.append(summary)

    # V. Tiga unsur terendah
    story.append(Paragraph("V. Tiga unsur terendah dan rencana tindak lanjut", st["h2"]))
    if figs.improvements:
        data = [["Unsur", "NRR", "Tindak lanjut yang disarankan", "Pelatihan terkait"]]
        for imp in figs.improvements:
            programmes = ", ".join(p.name for p in imp.programmes) or "—"
            data.append(
                [
                    Paragraph(f"{imp.code} {escape(imp.name)}", st["cell"]),
                    _num(sel_to_decimal(imp.nrr), 3),
                    Paragraph(escape(imp.action), st["cell"]),
                    Paragraph(escape(programmes), st["cell"]),
                ]
            )
        story.append(
            _grid(data, [34 * mm, 14 * mm, 80 * mm, 42 * mm], extra=[("VALIGN", (0, 0), (-1, -1), "TOP")])
        )
    else:
        story.append(Paragraph("Belum ada jawaban dalam periode ini.", st["body"]))

    # VI. Saran
    story.append(Paragraph("VI. Saran dan masukan responden", st["h2"]))
    if figs.suggestions:
        more = figs.suggestion_count - len(figs.suggestions)
        story.append(
            Paragraph(
                f"{figs.suggestion_count} saran diterima"
                + (f"; {len(figs.suggestions)} yang terbaru dicantumkan." if more > 0 else "."),
                st["small"],
            )
        )
        data = [["Tanggal", "Saran"]]
        data += [[tanggal(day), Paragraph(escape(text), st["cell"])] for day, text in figs.suggestions]
        story.append(_grid(data, [28 * mm, 142 * mm], extra=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
    else:
        story.append(Paragraph("Tidak ada saran tertulis dalam periode ini.", st["body"]))

    # Signature block
    city = getattr(settings, "MUMPUNI_CERTIFICATE_CITY", DEFAULT_CITY)
    sign = [
        [Paragraph(f"{escape(city)}, {tanggal(today)}", st["centre"])],
        [Paragraph(escape(identity.head_title or "Kepala Unit Pelayanan") + ",", st["centre"])],
        [Spacer(1, 20 * mm)],
        [Paragraph(f"<b><u>{escape(identity.head_name or '.' * 40)}</u></b>", st["centre"])],
        [
            Paragraph(
                f"NIP {format_nip(identity.head_nip)}" if identity.head_nip else "NIP " + "." * 30,
                st["centre"],
            )
        ],
    ]
    block = Table(sign, colWidths=[75 * mm])
    block.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    holder = Table([["", block]], colWidths=[95 * mm, 75 * mm])
    story += [Spacer(1, 8 * mm), KeepTogether([holder])]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"Laporan SKM {identity.name} {period}",
        author="Mumpuni — Pemerintah Kota Semarang",
        subject="Survei Kepuasan Masyarakat (PermenPANRB 14/2017)",
        pageCompression=1,
    )
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def sel_to_decimal(value: Any) -> Decimal:
    from mumpuni.lib.ikm import to_decimal

    return to_decimal(value, Decimal("0.001"))
