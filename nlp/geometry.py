"""Read words, ruled tables and horizontal rules of selected pages with pdfplumber.

Only the pages the text pass picked are read here, in a small process pool,
because pdfplumber costs ~100 ms a page. Workers return plain picklable data;
turning it into lines and table rows is done by ``nlp.layout``.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

import pdfplumber

BBox = tuple[float, float, float, float]
_SYMBOL_FONT = re.compile(r"dingbat|symbol|wingding|webding", re.IGNORECASE)
# Below this many pages a pool costs more (fork + reopening the PDF) than it saves.
_MIN_PAGES_FOR_POOL = 6


class Word(NamedTuple):
    """A word with its box (points, top-left origin) and font facts."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    bold: bool
    size: float


@dataclass
class RawTable:
    """A ruled table as pdfplumber found it: each row is a list of cell boxes (None for merged)."""

    bbox: BBox
    rows: list[list[BBox | None]]


@dataclass
class RawPage:
    """What pdfplumber saw on one page."""

    number: int
    width: float
    height: float
    words: list[Word]
    tables: list[RawTable]
    rules: list[BBox]  # horizontal lines and thin rectangles


def _glyph(text: str, fontname: str) -> str:
    """A lone character from a symbol font is a bullet ("n" in ZapfDingbats, "§" in Wingdings)."""
    if len(text) <= 2 and _SYMBOL_FONT.search(fontname):
        return "•"
    return text


def _level_text(obj: dict) -> bool:
    """Keep everything but rotated characters: diagonal "DRAFT"/"CONFIDENTIAL" watermarks and side tabs."""
    if obj.get("object_type") != "char":
        return True
    a, b, c, d = obj["matrix"][:4]
    return abs(b) < 0.01 * abs(a) + 1e-6 and abs(c) < 0.01 * abs(d) + 1e-6


# Share of the page's height (or width) from which a drawing that touches the page's edge is
# decoration: a template's coloured side band or header strip, never a table's rule.
_DECORATION_SPAN = 0.9
_EDGE = 2.0  # points


def _is_decoration(obj: dict, width: float, height: float) -> bool:
    """A rule or filled band running along a page edge.

    Its edges would end at the page's top and bottom, and the rows closed
    there would make the whole page one table that swallows its headings.
    """
    if obj.get("object_type") not in ("rect", "line", "curve"):
        return False
    tall = obj["bottom"] - obj["top"] >= _DECORATION_SPAN * height and (
        obj["x0"] <= _EDGE or obj["x1"] >= width - _EDGE)
    wide = obj["x1"] - obj["x0"] >= _DECORATION_SPAN * width and (
        obj["top"] <= _EDGE or obj["bottom"] >= height - _EDGE)
    return tall or wide


def read_page(pdf_page: pdfplumber.page.Page, number: int) -> RawPage:
    """Extract words, ruled tables and horizontal rules from one pdfplumber page."""
    width, height = float(pdf_page.width), float(pdf_page.height)
    page = pdf_page.filter(lambda obj: _level_text(obj) and not _is_decoration(obj, width, height))
    words = [
        Word(_glyph(w["text"], w["fontname"]), w["x0"], w["top"], w["x1"], w["bottom"], "bold" in w["fontname"].lower(),
             round(w["size"], 1))
        for w in page.extract_words(extra_attrs=["fontname", "size"], x_tolerance=1.5, y_tolerance=2.5)
    ]
    # A row split by a page break often has no rule at the page edge, which
    # leaves pdfplumber's cells open; close them where the vertical rules end.
    ends = sorted({round(e[k], 1) for e in page.vertical_edges for k in ("top", "bottom")})
    tables = []
    for t in page.find_tables({"explicit_horizontal_lines": ends}):
        rows = [list(r.cells) for r in t.rows]
        if rows and max(len(r) for r in rows) >= 2:
            tables.append(RawTable(t.bbox, rows))
    rules = [(e["x0"], e["top"], e["x1"], e["bottom"]) for e in page.horizontal_edges
             if e["x1"] - e["x0"] > 40]
    result = RawPage(number, float(page.width), float(page.height), words, tables, rules)
    pdf_page.close()  # drops pdfplumber's per-page caches; keeps peak memory flat
    return result


_worker_pdf: pdfplumber.PDF | None = None


def _open_in_worker(path: str) -> None:
    global _worker_pdf
    _worker_pdf = pdfplumber.open(path)


def _read_in_worker(number: int) -> RawPage:
    assert _worker_pdf is not None
    return read_page(_worker_pdf.pages[number - 1], number)


def read_pages(path: str, numbers: Iterable[int], on_page: Callable[[], None] | None = None) -> dict[int, RawPage]:
    """Read the given 1-based pages, in a process pool when there are enough of them."""
    wanted = sorted(set(numbers))
    out: dict[int, RawPage] = {}
    workers = min(2, os.cpu_count() or 1)
    if len(wanted) < _MIN_PAGES_FOR_POOL or workers < 2:
        with pdfplumber.open(path) as pdf:
            for n in wanted:
                out[n] = read_page(pdf.pages[n - 1], n)
                if on_page:
                    on_page()
        return out
    # fork is safe here: this runs inside the single-threaded extraction process.
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_open_in_worker, initargs=(path,)) as pool:
        for raw in pool.imap_unordered(_read_in_worker, wanted):
            out[raw.number] = raw
            if on_page:
                on_page()
    return out
