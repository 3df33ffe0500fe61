"""Reading and writing the CSV and XLSX files of imports and exports, with no Django in sight.

Reading gives rows of {column: text} with the row number a user sees in a spreadsheet (the header is
row 1). CSV is UTF-8 (with or without the BOM Excel writes) with ';' or ',' sniffed from the header line;
XLSX is read with openpyxl in read-only mode. Whole-file problems (too big, unknown format, missing
columns) raise TabularError with an Indonesian message; problems in single rows are the caller's business.

Writing puts a BOM before CSV so Excel opens it as UTF-8, keeps every value text (an 18-digit NIP must
not become a float) and defuses cells that a spreadsheet would run as a formula (OWASP "CSV injection")
in a way the reader undoes, so an exported file imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
INSTRUCTIONS_SHEET = "Petunjuk"
BOM = "\ufeff"

# Characters that make a spreadsheet treat a cell as a formula; '+' and '-' are harmless before a number
# (a phone "+62 812-…" must stay as it is), so they are only defused when something else follows.
_FORMULA_START = ("=", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"^[+-][\d\s().\-]*$")
_XLSX_MAGIC = b"PK\x03\x04"


class TabularError(ValueError):
    """The file as a whole cannot be read; `message` is for users, `columns` names missing columns."""

    def __init__(self, message: str, *, columns: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.columns = tuple(columns)


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    values: dict[str, str]
    # Columns whose XLSX cell held a number: Excel keeps 15 significant digits, so a NIP typed as a
    # number has lost its last digits and the caller can say so.
    numeric: frozenset[str] = frozenset()

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Table:
    format: Format
    headers: list[str]
    rows: list[Row] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.headers


# --- reading ---------------------------------------------------------------------------------------


def normalise_header(name: Any) -> str:
    """'  Unit Kode ' -> 'unit_kode': what users type in a header row varies, the meaning does not."""
    text = cell_text(name).strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without '.0', dates as ISO, booleans as ya/tidak."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _looks_like_formula(text: str) -> bool:
    if text.startswith(_FORMULA_START) or (text[:1] in ("+", "-") and not _SIGNED_NUMBER.match(text)):
        return True
    # An apostrophe before something defused is doubled, so reading takes exactly one away.
    return text.startswith("'") and _looks_like_formula(text[1:])


def _undefuse(text: str) -> str:
    """Undo `defuse`: the CSV writer put an apostrophe before each would-be formula."""
    return text[1:] if text.startswith("'") and _looks_like_formula(text[1:]) else text


def detect_format(file_name: str, data: bytes) -> Format:
    """Decide CSV or XLSX from the name, checked against the content."""
    name = file_name.lower().strip()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension == "xls":
        raise TabularError(
            "Format .xls (Excel 97-2003) tidak didukung. Simpan ulang sebagai .xlsx atau CSV UTF-8."
        )
    if extension == "xlsx" or (extension == "" and data.startswith(_XLSX_MAGIC)):
        return "xlsx"
    if extension in {"csv", "txt"}:
        if data.startswith(_XLSX_MAGIC):
            raise TabularError(
                "Berkas bernama .csv ini sebenarnya berkas Excel; ganti namanya menjadi .xlsx."
            )
        return "csv"
    raise TabularError(
        f"Format berkas '{file_name}' tidak dikenal. Unggah berkas .xlsx atau .csv (UTF-8, pemisah ';' atau ',')."
    )


def _check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise TabularError(
            f"Berkas terlalu besar ({len(data) / 1_048_576:.1f} MB); batasnya {max_bytes / 1_048_576:.0f} MB."
        )
    if not data.strip():
        raise TabularError("Berkas kosong.")


def sniff_delimiter(header_line: str) -> str:
    """';' (Excel in an Indonesian locale), ',' (the standard) or a tab, whichever splits the header most."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TabularError(
            "Berkas CSV bukan UTF-8. Di Excel pilih Simpan Sebagai → 'CSV UTF-8 (dibatasi koma)'."
        ) from None
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        yield from reader
    except csv.Error as exc:
        raise TabularError(f"Berkas CSV rusak di baris {reader.line_num}: {exc}.") from None


def _xlsx_records(data: bytes) -> Iterator[list[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise TabularError("Berkas XLSX tidak dapat dibaca (rusak atau bukan berkas Excel .xlsx).") from None
    try:
        sheets = [ws for ws in workbook.worksheets if ws.title != INSTRUCTIONS_SHEET]
        if not sheets:
            raise TabularError("Berkas XLSX tidak memiliki lembar data.")
        # Read-only sheets yield every row from 1 to the last, so the index is the row number users see.
        for values in sheets[0].iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


def read_table(
    data: bytes,
    file_name: str,
    *,
    required: Sequence[str] = (),
    optional: Sequence[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Table:
    """Read a CSV or XLSX file whose first row is the header.

    Columns outside `required` + `optional` are refused when either is given (a misspelt optional
    column would otherwise be ignored without a word). Blank rows are skipped but keep their numbers.
    """
    _check_size(data, max_bytes)
    fmt = detect_format(file_name, data)
    records = _xlsx_records(data) if fmt == "xlsx" else _csv_records(data)
    header_record = next(records, None)
    if header_record is None:
        raise TabularError("Berkas kosong: baris 1 harus berisi nama kolom.")
    headers = [normalise_header(h) for h in header_record]
    _check_headers(headers, required, optional)

    table = Table(format=fmt, headers=[h for h in headers if h])
    for number, record in enumerate(records, start=2):
        texts = [cell_text(v).strip() for v in record]
        if not any(texts):
            continue
        if len(table.rows) >= max_rows:
            raise TabularError(
                f"Berkas berisi lebih dari {max_rows:,} baris data; bagi menjadi beberapa berkas."
            )
        values = {
            header: (_undefuse(texts[i]) if fmt == "csv" else texts[i]) if i < len(texts) else ""
            for i, header in enumerate(headers)
            if header
        }
        numeric = frozenset(
            header
            for i, header in enumerate(headers)
            if header
            and i < len(record)
            and isinstance(record[i], int | float)
            and not isinstance(record[i], bool)
        )
        table.rows.append(Row(number=number, values=values, numeric=numeric))
    return table


def _check_headers(headers: list[str], required: Sequence[str], optional: Sequence[str]) -> None:
    named = [h for h in headers if h]
    if not named:
        raise TabularError("Baris 1 harus berisi nama kolom.")
    duplicates = sorted({h for h in named if named.count(h) > 1})
    if duplicates:
        raise TabularError(f"Kolom muncul lebih dari sekali: {', '.join(duplicates)}.")
    missing = [c for c in required if c not in named]
    if missing:
        raise TabularError(
            f"Kolom wajib tidak ada: {', '.join(missing)}. Kolom di berkas: {', '.join(named)}.",
            columns=missing,
        )
    known = set(required) | set(optional)
    unknown = [h for h in named if known and h not in known]
    if unknown:
        raise TabularError(
            f"Kolom tidak dikenal: {', '.join(unknown)}. Kolom yang dikenal: {', '.join([*required, *optional])}.",
            columns=unknown,
        )


# --- writing ---------------------------------------------------------------------------------------


def defuse(value: Any) -> str:
    """Text for a cell that no spreadsheet will run as a formula."""
    text = cell_text(value)
    return "'" + text if _looks_like_formula(text) else text


def iter_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text line by line (BOM first), for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(headers)
    yield BOM + flush()
    for row in rows:
        writer.writerow([defuse(v) for v in row])
        yield flush()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return "".join(iter_csv(headers, rows)).encode("utf-8")


@dataclass(frozen=True)
class ColumnNote:
    """One line of the instructions sheet."""

    column: str
    required: bool
    description: str
    example: str = ""


_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0B5394")


def _text_cell(ws: Any, value: Any, *, header: bool = False) -> WriteOnlyCell:
    text = ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))
    cell = WriteOnlyCell(ws, value=text)
    # openpyxl turns a string starting with '=' into a formula; keep every cell plain text.
    cell.data_type = "s"
    cell.number_format = "@"
    if header:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    return cell


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Data",
    notes: Sequence[ColumnNote] = (),
    column_widths: dict[str, int] | None = None,
) -> bytes:
    """An XLSX file written in openpyxl's write-only mode (constant memory per row), all cells text.

    With `notes`, a second sheet "Petunjuk" describes each column.
    """
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet_title[:31])
    widths = column_widths or {}
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = widths.get(header, max(12, len(header) + 4))
    ws.freeze_panes = "A2"
    ws.append([_text_cell(ws, h, header=True) for h in headers])
    for row in rows:
        ws.append([_text_cell(ws, v) for v in row])

    if notes:
        guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
        for letter, width in zip("ABCD", (18, 10, 80, 24), strict=True):
            guide.column_dimensions[letter].width = width
        guide.append([_text_cell(guide, h, header=True) for h in ("Kolom", "Wajib", "Keterangan", "Contoh")])
        for note in notes:
            description = _text_cell(guide, note.description)
            description.alignment = Alignment(wrap_text=True, vertical="top")
            guide.append(
                [
                    _text_cell(guide, note.column),
                    _text_cell(guide, "ya" if note.required else "tidak"),
                    description,
                    _text_cell(guide, note.example),
                ]
            )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
