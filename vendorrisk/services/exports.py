"""The one writer of spreadsheets: a header and rows become CSV or XLSX.

Cells are plain values (str, int, date, datetime, bool, enum, None). Both
formats guard against spreadsheet formula injection, since register cells
carry text that vendors and their reports wrote: CSV cells starting with a
formula character get a leading apostrophe (the vendor import strips it
again); XLSX cells are written as typed string cells, which a spreadsheet
shows as text and never evaluates, so the value round-trips unchanged.
"""
from __future__ import annotations

import csv
import enum
import io
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# Spreadsheet programs run a cell starting with these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX_DATE = "yyyy-mm-dd"
XLSX_DATETIME = "yyyy-mm-dd hh:mm"
MAX_COLUMN_WIDTH = 60  # characters; long text wraps in the cell instead


@dataclass
class Table:
    """One register: a sheet title, column names and rows of cells."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


def escape_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape_formula(text: str) -> str:
    if text.startswith("'") and text[1:2] in FORMULA_START:
        return text[1:]
    return text


def text_of(value: Any) -> str:
    """A cell as CSV text: ISO dates, UTC times, yes/no, enum values."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV, line by line (CRLF, as spreadsheet programs expect)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(header)
    yield flush()
    for row in rows:
        writer.writerow([escape_formula(text_of(cell)) for cell in row])
        yield flush()


def to_csv(table: Table) -> bytes:
    # A byte-order mark, so Excel opens the UTF-8 file with the right accents.
    return ("\ufeff" + "".join(csv_lines(table.header, table.rows))).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.title))
    rows = [list(row) for row in table.rows]
    for index, name in enumerate(table.header, start=1):
        widest = max([len(name)] + [len(text_of(row[index - 1])) for row in rows[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_COLUMN_WIDTH, widest + 2)
    sheet.freeze_panes = "A2"
    if table.header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.header))}{len(rows) + 1}"
    bold = Font(bold=True)
    header_cells = []
    for name in table.header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(table: Table, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    return to_csv(table) if fmt == "csv" else to_xlsx(table)


def _xlsx_cell(sheet, value: Any) -> WriteOnlyCell:
    if isinstance(value, datetime):
        # Excel has no time zones: cells hold UTC, which the column name says.
        value = value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATETIME
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE
        return cell
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    if value is None:
        return WriteOnlyCell(sheet, value=None)
    text = ILLEGAL_CHARACTERS_RE.sub("", text_of(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # never "f": text starting with "=" stays text
    return cell


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join(c for c in title if c not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"
