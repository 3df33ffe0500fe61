"""The official SKM report as XLSX (openpyxl): the same content as the PDF, one sheet per part —
Ringkasan (identity, period, method, IKM, mutu, kinerja, sample), NRR (per unsur), Profil, Per layanan,
Per loket, Per petugas, Saran (all suggestions in the period, text only).

Figures are numbers (IKM and NRR×25 with 2 decimals, NRR with 3) so they can be charted; every text a
citizen typed is defused (lib/tabular.defuse) and stored as text, so a suggestion starting with "=" is
never run as a formula.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mumpuni.lib.ikm import to_decimal
from mumpuni.lib.tabular import defuse
from mumpuni.surveys import selectors as sel
from mumpuni.surveys.models import SurveyResponse
from mumpuni.surveys.report_pdf import METHOD_STATEMENT, PROFILE_TITLES

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B3D6B")
LOW_FILL = PatternFill("solid", fgColor="FFF3CD")
TITLE_FONT = Font(bold=True, size=13, color="0B3D6B")
GROUP_SHEETS = {"service": "Per layanan", "counter": "Per loket", "officer": "Per petugas"}


def _text(value: Any) -> str:
    return defuse(value)


def _put(ws: Any, row: int, col: int, value: Any, *, text: bool = False, fmt: str | None = None) -> Any:
    if text and isinstance(value, str):
        cell = ws.cell(row=row, column=col, value=_text(value))
        cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell = ws.cell(row=row, column=col, value=float(value))
    else:
        cell = ws.cell(row=row, column=col, value=value)
    if fmt:
        cell.number_format = fmt
    return cell


def _header(ws: Any, row: int, headers: list[str], widths: list[int]) -> None:
    for col, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def render_report(
    figs: sel.IkmFigures,
    identity: sel.UnitIdentity,
    period: str,
    narrowed: list[tuple[str, str]],
    unsur: list[Any],
) -> bytes:
    result, report = figs.result, figs.report
    wb = Workbook()

    ws = wb.active
    ws.title = "Ringkasan"
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    ws["A1"] = "Laporan Hasil Survei Kepuasan Masyarakat (SKM)"
    ws["A1"].font = TITLE_FONT
    labels = dict(SurveyResponse.Channel.choices)
    rows: list[tuple[str, Any]] = [
        ("Nama unit", identity.name),
        ("Kode unit", identity.code),
        ("Alamat", identity.address),
        ("Periode", period),
        *narrowed,
        ("Responden", result.respondents),
        *[(f"Responden — {labels[k]}", n) for k, n in figs.channels.items()],
        ("Populasi (pengguna layanan)", report.population),
        ("Sampel minimal (Krejcie–Morgan)", report.sample_required),
        ("Sampel cukup", "ya" if report.sample_adequate else "tidak"),
        ("IKM", result.ikm),
        ("Mutu pelayanan", result.mutu or ""),
        ("Kinerja unit pelayanan", result.kinerja or ""),
        ("Tiga unsur terendah", ", ".join(f"{c} {sel.UNSUR_NAMES[c]}" for c in figs.lowest)),
        ("Metode", METHOD_STATEMENT),
    ]
    for i, (label, value) in enumerate(rows, start=3):
        ws.cell(row=i, column=1, value=label).font = Font(bold=True)
        cell = _put(ws, i, 2, value, text=True, fmt="0.00" if label == "IKM" else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    ws = wb.create_sheet("NRR per unsur")
    _header(
        ws, 1, ["Kode", "Unsur", "Jawaban", "NRR", "NRR × 25", "Mutu", "Terendah"], [8, 44, 10, 10, 11, 8, 10]
    )
    for i, u in enumerate(unsur, start=2):
        _put(ws, i, 1, u.code)
        _put(ws, i, 2, u.name, text=True)
        _put(ws, i, 3, u.answers)
        _put(ws, i, 4, u.nrr, fmt="0.000")
        _put(ws, i, 5, u.converted, fmt="0.00")
        _put(ws, i, 6, u.mutu or "")
        _put(ws, i, 7, "ya" if u.lowest else "")
        if u.lowest:
            for col in range(1, 8):
                ws.cell(row=i, column=col).fill = LOW_FILL
    last = len(unsur) + 2
    ws.cell(row=last, column=2, value="IKM").font = Font(bold=True)
    _put(ws, last, 3, result.respondents)
    _put(ws, last, 5, result.ikm, fmt="0.00").font = Font(bold=True)
    _put(ws, last, 6, result.mutu or "")

    ws = wb.create_sheet("Tindak lanjut")
    _header(
        ws,
        1,
        ["Unsur", "NRR", "Tindak lanjut yang disarankan", "Kompetensi", "Pelatihan terkait"],
        [30, 8, 80, 18, 50],
    )
    for i, imp in enumerate(figs.improvements, start=2):
        _put(ws, i, 1, f"{imp.code} {imp.name}", text=True)
        _put(ws, i, 2, to_decimal(imp.nrr, Decimal("0.001")), fmt="0.000")
        _put(ws, i, 3, imp.action, text=True).alignment = Alignment(wrap_text=True, vertical="top")
        _put(ws, i, 4, ", ".join(imp.competencies), text=True)
        _put(ws, i, 5, ", ".join(f"{p.code} {p.name}" for p in imp.programmes), text=True)

    ws = wb.create_sheet("Profil responden")
    _header(ws, 1, ["Aspek", "Kategori", "Jumlah", "Persen"], [18, 28, 10, 10])
    row = 2
    for field, items in figs.profile.items():
        for r in items:
            _put(ws, row, 1, PROFILE_TITLES[field])
            _put(ws, row, 2, r.label, text=True)
            _put(ws, row, 3, r.count)
            _put(ws, row, 4, round(r.share * 100, 1), fmt="0.0")
            row += 1

    for key, title in GROUP_SHEETS.items():
        ws = wb.create_sheet(title)
        codes = list(sel.UNSUR_NAMES)
        _header(
            ws,
            1,
            ["Nama", "Responden", "IKM", "Mutu", "Kinerja", *[f"NRR {c}" for c in codes]],
            [40, 11, 9, 7, 14, *[9] * len(codes)],
        )
        for i, g in enumerate(figs.groups.get(key, []), start=2):
            _put(ws, i, 1, g.label, text=True)
            _put(ws, i, 2, g.result.respondents)
            _put(ws, i, 3, g.result.ikm, fmt="0.00")
            _put(ws, i, 4, g.result.mutu or "")
            _put(ws, i, 5, g.result.kinerja or "")
            for j, c in enumerate(codes, start=6):
                if c in g.result.nrr:
                    _put(ws, i, j, to_decimal(g.result.nrr[c], Decimal("0.001")), fmt="0.000")

    ws = wb.create_sheet("Saran")
    _header(ws, 1, ["Tanggal layanan", "Saran"], [16, 110])
    for i, (day, text) in enumerate(figs.suggestions, start=2):
        _put(ws, i, 1, day, fmt="yyyy-mm-dd")
        _put(ws, i, 2, text, text=True).alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
