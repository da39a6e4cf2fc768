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
import math
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import chain, islice
from typing import Any, BinaryIO, Iterable, Iterator, Sequence
from xml.sax.saxutils import escape

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
    if type(value) is str:  # most cells: checked first, before the isinstance chain
        return value
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


CSV_ROWS_PER_YIELD = 500


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
    rows = iter(rows)
    # Lines go out in batches: a yield (and, streamed, a socket write) per row
    # cost as much as making the row.
    while batch := list(islice(rows, CSV_ROWS_PER_YIELD)):
        writer.writerows([escape_formula(text_of(cell)) for cell in row] for row in batch)
        yield flush()


def write_csv(table: Table, out: BinaryIO) -> None:
    # A byte-order mark, so Excel opens the UTF-8 file with the right accents.
    out.write("\ufeff".encode("utf-8"))
    for line in csv_lines(table.header, table.rows):
        out.write(line.encode("utf-8"))


# Column widths come from the first rows only: the sheet's column list
# precedes its rows in the file, and the rest are never held in memory.
WIDTH_SAMPLE_ROWS = 500
XLSX_ROWS_PER_WRITE = 500
XLSX_MAX_TEXT = 32_767  # characters in one cell; Excel refuses a file with more
XLSX_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's (1900) date system
# Characters XML 1.0 cannot carry at all.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Cell styles, as indexes into styles.xml's cellXfs below.
PLAIN, BOLD, DATE_STYLE, DATETIME_STYLE = range(4)


def write_xlsx(table: Table, out: BinaryIO | str | os.PathLike) -> None:
    """An XLSX workbook of one sheet, written row by row into the zip.

    Written directly as SpreadsheetML: openpyxl's cell objects (even in its
    write-only mode) made a 10,000-vendor inventory take seconds of CPU per
    export. Every text is an inline string cell, which a spreadsheet shows as
    text and never evaluates, so a value starting with "=" stays text.
    """
    rows = iter(table.rows)
    sample = [list(row) for row in islice(rows, WIDTH_SAMPLE_ROWS)]
    letters = [_column_letter(index) for index in range(1, len(table.header) + 1)]
    widths = [min(MAX_COLUMN_WIDTH, max([len(name)] + [len(text_of(row[i])) for row in sample]) + 2)
              for i, name in enumerate(table.header)]
    # Level 1: a third of the default level's deflate time for a file a fifth larger.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, xml in _XLSX_PARTS.items():
            package.writestr(name, xml.replace("{title}", escape(_sheet_title(table.title), {'"': "&quot;"})))
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write((
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                'state="frozen"/></sheetView></sheetViews>'
                + ("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                      for i, w in enumerate(widths, start=1)) + "</cols>" if widths else "")
                + '<sheetData>'
                + _xlsx_row(1, letters, table.header, header=True)
            ).encode("utf-8"))
            # Rows go to the zip in batches: each write is a deflate call and a
            # CRC update, which per row cost as much as making the rows.
            count, batch = 0, []
            for count, row in enumerate(chain(sample, rows), start=1):
                batch.append(_xlsx_row(count + 1, letters, row))
                if len(batch) == XLSX_ROWS_PER_WRITE:
                    sheet.write("".join(batch).encode("utf-8"))
                    batch.clear()
            sheet.write("".join(batch).encode("utf-8"))
            autofilter = f'<autoFilter ref="A1:{letters[-1]}{count + 1}"/>' if letters else ""
            sheet.write(f"</sheetData>{autofilter}</worksheet>".encode("utf-8"))


def _xlsx_row(number: int, letters: list[str], values: Sequence[Any], *, header: bool = False) -> str:
    cells = []
    style = f' s="{BOLD}"' if header else ""
    for letter, value in zip(letters, values):
        ref = f"{letter}{number}"
        if value is None:
            continue
        if type(value) is str:  # most cells: checked first, before the isinstance chain
            text = escape(XML_ILLEGAL.sub("", value[:XLSX_MAX_TEXT]))
            cells.append(f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>')
        elif isinstance(value, datetime):
            # Excel has no time zones: cells hold UTC, which the column name says.
            naive = value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
            serial = (naive - XLSX_EPOCH).total_seconds() / 86400
            cells.append(f'<c r="{ref}" s="{DATETIME_STYLE}"><v>{serial!r}</v></c>')
        elif isinstance(value, date):
            cells.append(f'<c r="{ref}" s="{DATE_STYLE}"><v>{(value - XLSX_EPOCH.date()).days}</v></c>')
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
        else:
            text = escape(XML_ILLEGAL.sub("", text_of(value))[:XLSX_MAX_TEXT])
            cells.append(f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '</Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'
    ),
    # cellXfs in the order of PLAIN, BOLD, DATE_STYLE, DATETIME_STYLE.
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{XLSX_DATE}"/>'
        f'<numFmt numFmtId="165" formatCode="{XLSX_DATETIME}"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'
    ),
}


def write(table: Table, fmt: str, out: BinaryIO) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    (write_csv if fmt == "csv" else write_xlsx)(table, out)


def render(table: Table, fmt: str) -> bytes:
    """The whole file in memory: for small tables (tests, one vendor's data)."""
    buffer = io.BytesIO()
    write(table, fmt, buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join(c for c in title if c not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"
