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
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import chain, islice
from typing import Any, BinaryIO, Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Result, Select
from sqlalchemy.orm import Session

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


# Rows fetched per round trip; on PostgreSQL yield_per also opens a
# server-side cursor, so an export of any size streams in batches.
BATCH_ROWS = 1000


def stream(session: Session, query: Select) -> Result:
    """The query's rows for a file, fetched in batches, never all at once."""
    return session.execute(query.execution_options(yield_per=BATCH_ROWS))


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


def write_csv(table: Table, out: BinaryIO) -> None:
    # A byte-order mark, so Excel opens the UTF-8 file with the right accents.
    out.write("\ufeff".encode("utf-8"))
    for line in csv_lines(table.header, table.rows):
        out.write(line.encode("utf-8"))


# Column widths come from the first rows only: a write-only sheet must have
# them before its first row is written, and the rest are never held in memory.
WIDTH_SAMPLE_ROWS = 500


def write_xlsx(table: Table, out: BinaryIO | str | os.PathLike) -> None:
    """The sheet, row by row: openpyxl's write-only mode spools rows to a
    temporary file, so memory stays flat however many rows there are."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.title))
    rows = iter(table.rows)
    sample = [list(row) for row in islice(rows, WIDTH_SAMPLE_ROWS)]
    for index, name in enumerate(table.header, start=1):
        widest = max([len(name)] + [len(text_of(row[index - 1])) for row in sample])
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_COLUMN_WIDTH, widest + 2)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for name in table.header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in chain(sample, rows):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        count += 1
    if table.header:  # written after the rows in the file, so it may wait for their count
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.header))}{count + 1}"
    workbook.save(out)


def write(table: Table, fmt: str, out: BinaryIO) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    (write_csv if fmt == "csv" else write_xlsx)(table, out)


def render(table: Table, fmt: str) -> bytes:
    """The whole file in memory: for small tables (tests, one vendor's data)."""
    buffer = io.BytesIO()
    write(table, fmt, buffer)
    return buffer.getvalue()


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
