"""Turn pdfplumber's words and tables into reading-order lines and table rows.

Ruled tables come from pdfplumber's table finder. Tables drawn without
vertical rules are recognised from a header line whose words fall into
separate column groups ("Control #   Control Activity   Test Results"); the
columns' x positions then sort each following word into its cell, and a
vertical gap or a horizontal rule starts a new row. A row split by a page
break is marked ``continued`` so that ``join_continued_rows`` can rejoin it.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from nlp.geometry import BBox, RawPage, RawTable, Word
from nlp.headers import HEADER_WORD
from nlp.pdftext import is_page_number, normalise_running

# Share of the page height at the top and bottom where running headers/footers live.
_EDGE_BAND = 0.12
# Words that make up table header cells in SOC reports: the one vocabulary in nlp/headers.py.
_HEADER_WORD = HEADER_WORD


# A criteria group row under the header ("CC6.2 Registration and authorization of new users").
_GROUP_ROW = re.compile(r"^(?:CC|PI|A|C|P)\d{0,2}(?:\.\d{1,2})?$|^\d{1,2}\.\d{1,2}$")


@dataclass
class Line:
    """A line of running text outside any table."""

    text: str
    page: int
    bbox: BBox
    bold: bool
    size: float


@dataclass
class Row:
    """A table row: one text per column."""

    cells: list[str]
    page: int
    bbox: BBox
    header: bool = False
    continued: bool = False  # the first part of this row is on the previous page

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)


Block = Line | Row


@dataclass
class PageLayout:
    """Reading-order blocks of one page."""

    number: int
    height: float
    blocks: list[Block] = field(default_factory=list)


@dataclass
class _Columns:
    """Column start x positions of a table drawn without vertical rules."""

    starts: list[float]
    right: float
    size: float = 0.0  # the header's type size; larger type below it is a heading, not a row
    text: str = ""  # the header line, which a continuation page may repeat in plain type


def join_words(lines: Iterable[str]) -> str:
    """Join wrapped lines with spaces, keeping a hyphen that ended a line ("follow-" + "up")."""
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        out = out + ln if out.endswith("-") or not out else f"{out} {ln}"
    return out


def _group_lines(words: list[Word]) -> list[list[Word]]:
    """Cluster words into lines by vertical position, each sorted left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if lines and abs(lines[-1][0].top - w.top) <= max(2.5, 0.3 * w.size):
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(ln, key=lambda w: w.x0) for ln in lines]


_GLYPH = re.compile(r"^(?:[^\w\s]{1,2}|\(cid:\d+\))$")


def _attach_glyphs(lines: list[list[Word]]) -> list[list[Word]]:
    """Put a bullet glyph set larger or raised, which clusters as a line of its own, back in
    front of the text line it marks (the next line, starting to its right, overlapping it)."""
    out: list[list[Word]] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt and len(ln) == 1 and _GLYPH.match(ln[0].text) and nxt[0].x0 > ln[0].x1 \
                and nxt[0].top < ln[0].bottom and ln[0].top < nxt[0].bottom:
            out.append(ln + nxt)
            i += 2
            continue
        out.append(ln)
        i += 1
    return out


def _chunks(line: list[Word]) -> list[list[Word]]:
    """Split a line where the gap between words is wider than a column gutter."""
    out = [[line[0]]]
    for prev, w in zip(line, line[1:]):
        if w.x0 - prev.x1 > max(8.0, 1.1 * w.size):
            out.append([w])
        else:
            out[-1].append(w)
    return out


def _text(words: list[Word]) -> str:
    return join_words(" ".join(w.text for w in ln) for ln in _group_lines(words))


def _bbox(words: list[Word]) -> BBox:
    return (min(w.x0 for w in words), min(w.top for w in words),
            max(w.x1 for w in words), max(w.bottom for w in words))


def _inside(w: Word, box: BBox) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _is_header_cells(texts: list[str], words: list[Word]) -> bool:
    """A header row: bold, or short cells that mostly name columns."""
    filled = [t for t in texts if t]
    if len(filled) < 2 or any(len(t.split()) > 8 for t in filled):
        return False
    if words and all(w.bold for w in words):
        return True
    return sum(bool(_HEADER_WORD.search(t)) for t in filled) >= max(2, len(filled) - 1)


def _ruled_rows(table: RawTable, words: list[Word], page: int) -> list[Row]:
    """Rows of a ruled table, words assigned to cells by their centre."""
    rows: list[Row] = []
    for cells in table.rows:
        texts, row_words = [], []
        for box in cells:
            inside = [w for w in words if box and _inside(w, box)]
            row_words += inside
            texts.append(_text(inside) if inside else "")
        if not row_words:
            continue
        boxes = [b for b in cells if b]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        # Some generators repeat the header row above a split row mid-table.
        is_header = (not rows or texts == rows[0].cells) and _is_header_cells(texts, row_words)
        rows.append(Row(texts, page, bbox, header=is_header))
    return rows


def _is_running(line: list[Word], page: RawPage, running: set[str]) -> bool:
    """Header/footer: near the top or bottom edge and repeated across pages (or a page number)."""
    top, bottom = line[0].top, max(w.bottom for w in line)
    if top > page.height * _EDGE_BAND and bottom < page.height * (1 - _EDGE_BAND):
        return False
    whole = " ".join(w.text for w in line)
    if normalise_running(whole) in running or is_page_number(whole):
        return True
    # pdfium may split "Company | Confidential      Page 3" into two lines.
    parts = [" ".join(w.text for w in c) for c in _chunks(line)]
    return len(parts) > 1 and all(normalise_running(p) in running or is_page_number(p) for p in parts)


def _header_columns(line: list[Word], table: _Columns | None) -> _Columns | None:
    """Columns of an unruled table if ``line`` looks like its header row.

    Header cells are short and name columns ("Controls Specified by Orion
    Ledger Systems, Inc."). Inside a table a body line can hold such words in
    every column ("management service" | "Manager regarding the control"),
    so there only a bold line, or the header repeated, counts as a header.
    """
    chunks = _chunks(line)
    if len(chunks) < 2 or len(line) > 24 or any(len(c) > 9 for c in chunks):
        return None
    text = " ".join(w.text for w in line)
    named = sum(bool(_HEADER_WORD.search(" ".join(w.text for w in c))) for c in chunks)
    if all(w.bold for w in line):
        if named < max(2, len(chunks) - 1):
            return None
    elif table is not None and text != table.text:
        return None
    elif len(chunks) < 3 or named < len(chunks):
        return None
    return _Columns([c[0].x0 for c in chunks], max(w.x1 for w in line), statistics.median(w.size for w in line), text)


def _header_band(lines: list[list[Word]], k: int, table: _Columns | None
                 ) -> tuple[_Columns, list[str], list[list[Word]]] | None:
    """A header row whose cells start on different lines (cells set to the middle or
    bottom of the row): the tight run of short lines from ``lines[k]``, read as one row."""
    first = lines[k]
    size = statistics.median(w.size for w in first)
    band = [first]
    for ln in lines[k + 1:k + 4]:
        if ln[0].top - max(w.bottom for w in band[-1]) > 0.55 * size:
            break
        band.append(ln)
    words = [w for ln in band for w in ln]
    bold = all(w.bold for w in words)
    text = " ".join(" ".join(w.text for w in ln) for ln in band)
    if len(band) < 2 or len(words) > 24 or (table is not None and not bold and text != table.text):
        return None
    starts: list[float] = []
    for x in sorted(c[0].x0 for ln in band for c in _chunks(ln)):
        if not starts or x - starts[-1] > 6:
            starts.append(x)
    cols = _Columns(starts, max(w.x1 for w in words), size, "")
    if len(starts) < 2 or not all(_fits(ln, cols) for ln in band):
        return None
    cells: list[list[Word]] = [[] for _ in starts]
    for w in words:
        cells[_column_of(w.x0, cols)].append(w)
    texts = [_text(ws) for ws in cells]
    named = sum(bool(_HEADER_WORD.search(t)) for t in texts)
    if any(not t or len(t.split()) > 9 for t in texts):
        return None
    if (bold and named < max(2, len(texts) - 1)) or (not bold and (len(texts) < 3 or named < len(texts))):
        return None
    cols.text = text
    return cols, texts, band


def _continues_header(line: list[Word]) -> bool:
    """A header cell wrapped onto a second line ("Results of" / "Testing"): bold, or a header
    word, or a short word without digits (the end of "Controls Specified by" / "Orion")."""
    text = " ".join(w.text for w in line)
    if _GROUP_ROW.match(line[0].text):
        return False
    return all(w.bold for w in line) or (all(len(c) <= 3 for c in _chunks(line)) and (
        bool(_HEADER_WORD.search(text)) or (len(line) <= 2 and not re.search(r"\d", text))))


def _ends_table(line: list[Word]) -> bool:
    """Running text across the columns: the table has ended.

    A table line that overruns a column still shows gutters between its
    cells; a bold or criteria-led line is a group row spanning the table.
    """
    text = " ".join(w.text for w in line)
    return len(_chunks(line)) == 1 and not all(w.bold for w in line) and len(line) >= 6 \
        and not re.match(r"^(?:(?:CC|PI|A|C|P)\s?\d{1,2}\.\d|CO\s?\d|control objective)", text, re.I)


def _carries_on(line: list[Word], cols: _Columns) -> bool:
    """The page's first line continues the table that ended the previous page: cells in
    several columns, or one cell inside one column (a wrapped results cell)."""
    if not _fits(line, cols):
        return False
    chunks = _chunks(line)
    if len(chunks) >= 2:
        return True
    bounds = cols.starts[1:] + [float("inf")]  # the last column runs to the margin, past its header
    return any(abs(line[0].x0 - start) <= 6 and line[-1].x1 <= end + 2 for start, end in zip(cols.starts, bounds))


# Columns start where their header words start, but header cells are often padded:
# the body text of a column may begin a few points (seen: 5 pt) left of its header.
HEADER_PADDING = 6.0  # pt


def _fits(line: list[Word], cols: _Columns) -> bool:
    """No word straddles a column boundary, as in a table; prose runs across them."""
    if line[0].x0 < cols.starts[0] - 6:
        return False
    return not any(w.x0 < start - HEADER_PADDING and w.x1 > start + 1 for w in line for start in cols.starts[1:])


def _column_of(x: float, cols: _Columns) -> int:
    idx = 0
    for i, start in enumerate(cols.starts):
        if x >= start - HEADER_PADDING:
            idx = i
    return idx


def _has_row_rules(rules: list[BBox], y: float, cols: _Columns) -> bool:
    """True when rules across the table appear below ``y`` between rows.

    One rule is only the header's underline or the table's bottom border.
    """
    width = cols.right - cols.starts[0]
    below = {round(r[1]) for r in rules if r[1] > y and r[2] - r[0] > 0.4 * width and r[0] < cols.starts[0] + 0.3 * width}
    return len(below) >= 2


def _rule_between(rules: list[BBox], y0: float, y1: float, cols: _Columns) -> bool:
    width = cols.right - cols.starts[0]
    return any(y0 < r[1] < y1 and r[2] - r[0] > 0.4 * width for r in rules)


def _unruled_rows(lines: list[list[Word]], page: RawPage, carry: _Columns | None) -> tuple[list[Block], _Columns | None]:
    """Find tables without vertical rules among ``lines``; other lines stay ``Line`` blocks.

    Returns the blocks and the open table's columns when a table reaches the
    end of the page (a continuation page may not repeat the header).
    """
    blocks: list[Block] = []
    cols = carry if carry and lines and _carries_on(lines[0], carry) else None
    cur: list[list[Word]] | None = None  # words per column of the row being built
    prev_bottom = 0.0
    prev_first_col = True
    skip = 0
    for k, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        header = _header_columns(line, cols)
        band = _header_band(lines, k, cols)
        if header and band and len(band[0].starts) > len(header.starts):
            # The first line of a header whose cells sit at different heights (a two-line
            # "Control / ID" beside one-line cells) is only part of the header row.
            header = None
        if header:
            cols, cur = header, None
            texts = [" ".join(w.text for w in c) for c in _chunks(line)]
            blocks.append(Row(texts, page.number, _bbox(line), header=True))
            prev_bottom = max(w.bottom for w in line)
            continue
        if band:
            cols, texts, used = band
            cur, skip = None, len(used) - 1
            words = [w for ln in used for w in ln]
            blocks.append(Row(texts, page.number, _bbox(words), header=True))
            prev_bottom = max(w.bottom for w in words)
            continue
        if cols is not None and cols.size and statistics.median(w.size for w in line) > cols.size + 1:
            cols = None  # a heading in larger type ends the table
        if cols is not None and not _fits(line, cols) and _ends_table(line):
            cols = None
        if cols is None or not _fits(line, cols):
            cur = None
            blocks.append(_as_line(line, page.number))
            continue
        top = min(w.top for w in line)
        size = statistics.median(w.size for w in line)
        last = blocks[-1] if blocks else None
        gap = top - prev_bottom
        if cur is None:
            new_row = True
        elif _has_row_rules(page.rules, prev_bottom, cols):
            # Rules separate the rows: a gap is only a paragraph break inside a cell.
            new_row = _rule_between(page.rules, prev_bottom, top, cols)
        else:
            # No rules: a row starts where the first column has text after a gap
            # (other columns may hold several paragraphs), or at a wide gap.
            # Tightly set tables leave no gap: the first column taking text again after
            # lines without any (the row's other cells wrapped longer) starts a row too,
            # unless its line overlaps the previous one: a cell set to the middle of the
            # row runs on its own baselines, between those of the other cells.
            first_col = any(_column_of(w.x0, cols) == 0 for w in line)
            new_row = (first_col and (gap > 0.45 * size or (not prev_first_col and gap >= 0))) \
                or gap > 1.5 * size
        if isinstance(last, Row) and last.header and cur is None and top - prev_bottom <= 0.55 * size \
                and _continues_header(line):
            # The header row wraps onto a second line ("Test Applied by the Service / Auditor").
            for w in line:
                i = _column_of(w.x0, cols)
                while len(last.cells) <= i:
                    last.cells.append("")
                last.cells[i] = join_words([last.cells[i], w.text])
            prev_bottom = max(w.bottom for w in line)
            continue
        if new_row:
            cur = [[] for _ in cols.starts]
            blocks.append(Row([""] * len(cols.starts), page.number, _bbox(line)))
        for w in line:
            cur[_column_of(w.x0, cols)].append(w)
        prev_first_col = any(_column_of(w.x0, cols) == 0 for w in line)
        row = blocks[-1]
        assert isinstance(row, Row)
        row.cells = [_text(ws) if ws else "" for ws in cur]
        row.bbox = _bbox([w for ws in cur for w in ws])
        prev_bottom = max(w.bottom for w in line)
    open_cols = cols if blocks and isinstance(blocks[-1], Row) else None
    return blocks, open_cols


def _as_line(words: list[Word], page: int) -> Line:
    return Line(" ".join(w.text for w in words), page, _bbox(words), all(w.bold for w in words),
                statistics.median(w.size for w in words))


def assemble(raw_pages: Iterable[RawPage], running: set[str]) -> list[PageLayout]:
    """Lay out pages (in page order), dropping running headers/footers and marking split rows."""
    layouts: list[PageLayout] = []
    carry: _Columns | None = None
    prev_number = -1
    for page in sorted(raw_pages, key=lambda p: p.number):
        if page.number != prev_number + 1:
            carry = None
        prev_number = page.number
        table_words = set()
        blocks: list[Block] = []
        for t in page.tables:
            inside = [w for w in page.words if _inside(w, t.bbox)]
            table_words.update(inside)
            blocks += _ruled_rows(t, inside, page.number)
        free = [ln for ln in _attach_glyphs(_group_lines([w for w in page.words if w not in table_words]))
                if not _is_running(ln, page, running)]
        ruled_tops = [(t.bbox[1], t.bbox[3]) for t in page.tables]
        first_is_ruled = bool(ruled_tops) and (not free or min(t for t, _ in ruled_tops) < free[0][0].top)
        free_blocks, carry = _unruled_rows(free, page, None if first_is_ruled else carry)
        blocks += free_blocks
        blocks.sort(key=lambda b: b.bbox[1])
        if blocks and isinstance(blocks[-1], Row) and page.tables and blocks[-1].bbox[3] >= page.tables[-1].bbox[3] - 1:
            carry = None  # a ruled table ends the page; no unruled columns to carry
        layout = PageLayout(page.number, page.height, blocks)
        _mark_continued(layouts[-1] if layouts and layouts[-1].number == page.number - 1 else None, layout)
        layouts.append(layout)
    return layouts


def _mark_continued(prev: PageLayout | None, page: PageLayout) -> None:
    """Flag the first body row of ``page`` when it carries on the last row of ``prev``."""
    if prev is None or not prev.blocks or not isinstance(prev.blocks[-1], Row):
        return
    last = prev.blocks[-1]
    first = next((b for b in page.blocks if not (isinstance(b, Row) and b.header)), None)
    if not isinstance(first, Row) or len(first.cells) != len(last.cells) or last.header:
        return
    if page.blocks.index(first) > 0 and isinstance(page.blocks[0], Line):
        return  # text above the table: a new table, not a continuation
    starts_mid_sentence = bool(first.cells[0]) and first.cells[0][0].islower()
    if not first.cells[0] or starts_mid_sentence:
        first.continued = True


def join_continued_rows(blocks: Iterable[Block]) -> list[Block]:
    """Merge each ``continued`` row into the row before it (cell by cell)."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Row) and b.continued and out and isinstance(out[-1], Row):
            prev = out[-1]
            out[-1] = Row([join_words([a, c]) for a, c in zip(prev.cells, b.cells)], prev.page, prev.bbox, prev.header)
            continue
        if isinstance(b, Row) and b.header and out and isinstance(out[-1], Row) and not out[-1].header \
                and [c.lower() for c in b.cells] == [c.lower() for c in _last_header(out)]:
            continue  # header repeated at the top of a continuation page
        out.append(b)
    return out


def _last_header(blocks: list[Block]) -> list[str]:
    for b in reversed(blocks):
        if isinstance(b, Row) and b.header:
            return b.cells
    return []
