"""The XLSX side of the official reports (openpyxl): a first sheet 'Keterangan' (title, period, scope, who
and when, where the figures come from) and one sheet per table, figures stored as numbers so they can be
charted. Text that came from people (unit and service names) is defused (lib/tabular.defuse)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mumpuni.lib.tabular import defuse

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B3D6B")
TITLE_FONT = Font(bold=True, size=13, color="0B3D6B")
TOTAL_FONT = Font(bold=True)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return defuse(value)
    return value


class Book:
    def __init__(
        self, *, title: str, period: str, scope: str, generated_by: str, generated_at: Any, source: str
    ):
        self.wb = Workbook()
        ws = self.wb.active
        assert ws is not None
        ws.title = "Keterangan"
        local = timezone.localtime(generated_at)
        ws["A1"] = "PEMERINTAH KOTA SEMARANG — BADAN KEPEGAWAIAN, PENDIDIKAN DAN PELATIHAN"
        ws["A1"].font = Font(bold=True, color="0B3D6B")
        ws["A2"] = _cell(title)
        ws["A2"].font = TITLE_FONT
        rows = [
            ("Periode", period),
            ("Cakupan", scope),
            ("Dibuat", f"{local:%d-%m-%Y %H.%M} WIB"),
            ("Oleh", generated_by),
            ("Sumber angka", source),
        ]
        for i, (label, value) in enumerate(rows, start=4):
            ws.cell(row=i, column=1, value=label).font = TOTAL_FONT
            ws.cell(row=i, column=2, value=_cell(value)).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 100

    def sheet(
        self,
        name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        total: Sequence[Any] | None = None,
        formats: dict[int, str] | None = None,
        note: str = "",
    ) -> Worksheet:
        """One table: header in row 1 (frozen), the rows, and a bold total row when given.
        `formats`: {column index (0-based): number format}."""
        ws = self.wb.create_sheet(name[:31])
        ws.append([_cell(h) for h in header])
        for c in range(1, len(header) + 1):
            cell = ws.cell(row=1, column=c)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in rows:
            ws.append([_cell(v) for v in row])
        if total is not None:
            ws.append([_cell(v) for v in total])
            for c in range(1, len(header) + 1):
                ws.cell(row=ws.max_row, column=c).font = TOTAL_FONT
        for col, fmt in (formats or {}).items():
            for r in range(2, ws.max_row + 1):
                ws.cell(row=r, column=col + 1).number_format = fmt
        for c, h in enumerate(header, start=1):
            width = max([len(str(h))] + [len(str(r[c - 1])) for r in rows if c - 1 < len(r)] + [8])
            ws.column_dimensions[get_column_letter(c)].width = min(width + 2, 60)
        ws.freeze_panes = "A2"
        if note:
            ws.cell(row=ws.max_row + 2, column=1, value=_cell(note)).font = Font(italic=True, color="555555")
        return ws

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.wb.save(buffer)
        return buffer.getvalue()
