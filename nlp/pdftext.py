"""Fast text pass over every page with pypdfium2, and running header/footer detection.

pdfium returns a page's text in about a millisecond, against ~100 ms for
pdfplumber's geometry, so this pass is what lets a 300-page report be
classified and segmented before any page is read with geometry.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Running headers/footers are peeled from at most twice this many lines at each end of a page's text.
_EDGE_LINES = 3
# Share of the page height, at the top and at the bottom, where running headers and footers are printed.
MARGIN_BAND = 0.075
# A page with fewer letters than this is checked for pictures: it may be a scanned or pasted-in page.
SPARSE_LETTERS = 80
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[#ivxlc]{1,6}(?:\s*(?:of|/)\s*#+)?$|^[-–]\s*#+\s*[-–]$", re.IGNORECASE)


@dataclass
class TextPage:
    """One page's text lines (running headers/footers removed), 1-based number."""

    number: int
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class RawText:
    """A page's text lines, and the lines printed in its top and bottom margins."""

    lines: list[str]
    margins: list[str]
    # Whether the page draws a picture; only looked at on pages with little text.
    has_image: bool = False


def _split(text: str) -> list[str]:
    return [ln.strip() for ln in re.split(r"\r\n|\r|\n", text) if ln.strip()]


def read_text_pages(doc: pdfium.PdfDocument, progress: Callable[[int], None] | None = None) -> list[RawText]:
    """Return the text of every page, releasing each page as it goes."""
    pages: list[RawText] = []
    for i in range(len(doc)):
        page = doc[i]
        width, height = page.get_size()
        textpage = page.get_textpage()
        text = textpage.get_text_bounded()
        band = height * MARGIN_BAND
        # pdfium's y axis points up: the header band is near ``height``.
        margins = _split(textpage.get_text_bounded(0, height - band, width, height)) + \
            _split(textpage.get_text_bounded(0, 0, width, band))
        textpage.close()
        lines = _split(text)
        pictured = sum(ch.isalpha() for ln in lines for ch in ln) < SPARSE_LETTERS and _draws_image(page)
        page.close()
        pages.append(RawText(lines, margins, pictured))
        if progress:
            progress(i + 1)
    return pages


def _draws_image(page: pdfium.PdfPage) -> bool:
    """True when the page (or a form on it) draws an image object."""
    return next(iter(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3)), None) is not None


def normalise_running(line: str) -> str:
    """Key under which a header/footer line repeats: case, spacing and numbers ignored."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower()))


def is_page_number(line: str) -> bool:
    """True for "7", "Page 7", "Page 7 of 120", "- 7 -", "iv"."""
    return bool(_PAGE_NUMBER.match(normalise_running(line)))


def running_lines(pages: list[RawText]) -> set[str]:
    """Normalised lines that recur in the top or bottom margin of many pages.

    A line counts when it is printed in a margin band on at least 40 % of
    pages (at least 3; or every page of a short document).
    """
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({normalise_running(ln) for ln in page.margins})
    n = len(pages)
    need = n if n < 5 else max(3, math.ceil(0.4 * n))
    return {key for key, c in counts.items() if c >= need and n >= 2} | watermarks(pages)


def watermarks(pages: list[RawText]) -> set[str]:
    """Short all-capitals lines ("DRAFT", "CONFIDENTIAL") printed anywhere on most pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({normalise_running(ln) for ln in page.lines
                       if ln.isupper() and len(ln.split()) <= 3 and not any(ch.isdigit() for ch in ln)})
    need = max(3, math.ceil(0.6 * len(pages)))
    return {key for key, c in counts.items() if c >= need}


def clean_pages(pages: list[RawText], running: set[str]) -> list[TextPage]:
    """Drop watermarks anywhere, then running headers/footers and page numbers at each end of a page.

    The ends are peeled line by line, so a header, a page number and a
    confidentiality line stacked together all go.
    """
    out = []
    marks = watermarks(pages)
    for number, page in enumerate(pages, 1):
        lines = [ln for ln in page.lines if normalise_running(ln) not in marks]

        def chrome(ln: str) -> bool:
            return normalise_running(ln) in running or is_page_number(ln)

        start, end = 0, len(lines)
        while start < min(end, _EDGE_LINES * 2) and chrome(lines[start]):
            start += 1
        while end > max(start, len(lines) - _EDGE_LINES * 2) and chrome(lines[end - 1]):
            end -= 1
        out.append(TextPage(number, lines[start:end]))
    return out
