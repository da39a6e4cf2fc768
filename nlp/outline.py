"""Section headings from the PDF's outline (bookmarks), where the body prints them.

Many reports carry an outline whose entries name the sections and point at
their pages. An entry is evidence, never a heading by itself: it gives a
heading only at the body line(s) on its target page (or the next: outlines
often point at the page before a divider) that print its title. This finds
headings the line rules miss — a title too long for a heading line, one
wrapped after a function word, one set in sentence case — while an outline
that disagrees with the body changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import pypdfium2 as pdfium

from nlp.pdftext import TextPage
from nlp.sections import (MAX_HEADING_WORDS, Heading, contents_pages, is_toc_line, phrase_label,
                          strip_numbering)

# Outlines of real reports hold tens of entries; a generated one may list every control.
_MAX_ENTRIES = 2000
# An outline title is a title whatever its case or length, but one this long is a sentence.
_MAX_TITLE_WORDS = 3 * MAX_HEADING_WORDS
# A heading set large wraps over up to this many body lines.
_MAX_WRAP = 8
# A line printed on this many pages is page furniture (a running title inside the text area);
# only its first appearance can be the heading.
_FURNITURE_PAGES = 3


@dataclass(frozen=True)
class OutlineEntry:
    """One bookmark: its title, depth (0 = top) and 1-based target page (None without a target)."""

    title: str
    level: int
    page: int | None


def read_outline(doc: pdfium.PdfDocument) -> list[OutlineEntry]:
    """The document's bookmarks in order; an unreadable outline is an empty one (it is only evidence)."""
    out = []
    try:
        for mark in islice(doc.get_toc(), _MAX_ENTRIES):
            dest = mark.get_dest()
            index = dest.get_index() if dest is not None else None
            out.append(OutlineEntry(mark.get_title() or "", mark.level, index + 1 if index is not None else None))
    except (pdfium.PdfiumError, ValueError):  # a damaged outline or an undecodable title
        return out
    return out


def match_key(text: str) -> str:
    """What a title and the body lines printing it share: no numbering, case, quotes, spacing or hyphens."""
    return re.sub(r"[^0-9a-z]", "", strip_numbering(text).casefold())


def outline_label(title: str) -> str | None:
    """The section label an outline title names, if any: the outline already says it is a title."""
    core = strip_numbering(" ".join(title.split()))
    if not core or len(core.split()) > _MAX_TITLE_WORDS:
        return None
    return phrase_label(core)


def outline_headings(entries: list[OutlineEntry], pages: list[TextPage]) -> list[Heading]:
    """Headings at the body lines that print a labelled outline entry's title.

    An entry counts only where its target page (or the next) has its title on
    one line or wrapped over a few; contents pages, contents lines and lines
    repeated on many pages (running titles, after their first appearance)
    never do. Entries whose title names no section are ignored.
    """
    wanted = [(e, label) for e in entries if e.page is not None and (label := outline_label(e.title))]
    if not wanted:
        return []  # the common case costs nothing more
    by_number = {p.number: p for p in pages}
    # Computed only once a title matches: most entries name no section.
    contents: set[int] | None = None
    printed: dict[str, tuple[int, int]] | None = None
    out = []
    for entry, label in wanted:
        key = match_key(entry.title)
        for number in (entry.page, entry.page + 1):
            page = by_number.get(number)
            runs = list(_title_runs(page.lines, key)) if page else []
            if not runs:
                continue
            contents = contents_pages(pages) if contents is None else contents
            printed = _printed(pages) if printed is None else printed
            found = next((run for run in runs if not _furniture(printed, page.lines[run[0]], number)), None)
            if found and number not in contents:
                out.append(Heading(label, number, found[0], found[1]))
                break
    return out


def _printed(pages: list[TextPage]) -> dict[str, tuple[int, int]]:
    """For each line's text (case ignored): the first page printing it and how many pages do."""
    out: dict[str, tuple[int, int]] = {}
    for page in pages:
        for text in {ln.strip().casefold() for ln in page.lines}:
            first, count = out.get(text, (page.number, 0))
            out[text] = (first, count + 1)
    return out


def _furniture(printed: dict[str, tuple[int, int]], line: str, number: int) -> bool:
    """``line`` (on page ``number``) is printed on many pages, and on an earlier page first."""
    first, count = printed.get(line.strip().casefold(), (number, 1))
    return count >= _FURNITURE_PAGES and first < number


def _title_runs(lines: list[str], key: str) -> Iterator[tuple[int, str]]:
    """(index, text) of each run of lines whose joined text is the title, in page order.

    A run never starts on a line holding only numbering ("Section IV"): the
    heading is the line that carries its words.
    """
    for i, first in enumerate(lines):
        head = match_key(first)
        if not head or not key.startswith(head) or is_toc_line(first):
            continue
        text = first
        for j in range(i, min(i + _MAX_WRAP, len(lines))):
            if j > i:
                text = f"{text} {lines[j].strip()}"
            joined = match_key(text)
            if joined == key:
                yield i, text
                break
            if not key.startswith(joined) or is_toc_line(lines[j]):
                break


def with_outline(found: list[Heading], extra: list[Heading]) -> list[Heading]:
    """``found`` (the line rules' headings) with the outline's headings that add one, in page order.

    An outline heading near a found heading of the same label on its page
    (the same heading, maybe read from another line of its wrap), or one on a
    line already read as a heading, adds nothing.
    """
    out = list(found)
    for h in extra:
        if any(o.page == h.page and (o.line == h.line or o.label == h.label and abs(o.line - h.line) <= _MAX_WRAP)
               for o in out):
            continue
        out.append(h)
    return sorted(out, key=lambda h: (h.page, h.line))
