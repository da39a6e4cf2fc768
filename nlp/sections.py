"""Split a report into its sections from the text pass.

Reports number their sections I–V, 1–5 or not at all and word the headings
differently, so a heading is any short, title-like line that a
``SEC_*``/``SUB_*`` pattern matches, outside the table of contents.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from nlp.pdftext import TextPage
from nlp.rules import analyse, spans

# When one line matches several labels, the first in this list wins
# ("Description of Controls, Tests and Results" is the tests section).
_PRIORITY = ["SEC_TESTS", "SEC_OTHER", "SEC_AUDITOR", "SEC_ASSERTION", "SUB_CSOC", "SUB_CUEC",
             "SUB_SUBSERVICE", "SUB_RESPONSES", "SEC_DESCRIPTION"]
_TOC_LINE = re.compile(r"(\.\s?){4,}\s*\S*\d+\s*$|\s{3,}\d+\s*$|…+\s*\d+\s*$")
# A contents entry with its page number run in ("Section II: Management's Assertion 8"): pdfium's
# text keeps one space where the page shows a gap, so such a line is told from prose only by its page.
_ENTRY_PAGE = re.compile(r"^(?P<title>.*[^\d\s.,;:])\s+(?P<page>\d{1,3}|[ivxl]{1,5})$", re.IGNORECASE)
_CONTENTS_TITLE = re.compile(r"^(?:table\s+of\s+)?contents$|^index$", re.IGNORECASE)
# Prose wrapped onto a title-like line ends in a word no heading ends with ("..., has not been").
_PROSE_END = re.compile(r"\b(?:a|an|the|of|and|or|to|by|for|in|on|at|with|from|that|which|is|are|was|were|be|been|"
                        r"has|have|had|not|its|their|our|this|these|such)$")
# "Section III:", "Section 1 –", "Part 2.", "3.", "IV.", "A)", "1 " before a heading.
_NUMBERING = re.compile(
    r"^(?:(?:section|part)\s+(?:[ivx]+|\d+|[a-z])\b|(?:[ivx]+|\d+(?:\.\d+)*|[a-z])(?=[.):\-–—\s]))\s*[.):\-–—]?\s*",
    re.IGNORECASE,
)
# Order in which top-level sections appear; the auditor's report and management's
# assertion swap places between firms, so they share a rank.
_RANK = {"SEC_AUDITOR": 0, "SEC_ASSERTION": 0, "SEC_DESCRIPTION": 1, "SEC_TESTS": 2, "SEC_OTHER": 3}
_SENTENCE_START = re.compile(r"^(?:we|our|in|this|these|the description|it|as|for|during|if|when|each)\b", re.I)
_MINOR = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "its", "from"}
MAX_HEADING_WORDS = 14
_OPINION = re.compile(r"\bin our opinion\b|\bwe do not express an opinion\b", re.IGNORECASE)
# Every heading pattern contains one of these words; lines without one skip the spaCy pass.
_HEADING_WORD = re.compile(
    r"report|opinion|assertion|statement|representation|description|system|test|controls|information|"
    r"subservice|sub-service|complementary|responsibilit|considerations|cuecs|csocs|response",
    re.IGNORECASE,
)


@dataclass
class Heading:
    """A recognised heading line."""

    label: str
    page: int
    line: int  # index into the page's cleaned lines
    text: str


@dataclass
class Section:
    """A labelled stretch of the report: from a heading up to (not including) the next one."""

    label: str
    start: Heading
    end: Heading | None  # the heading that closes it; None at the end of the document

    @property
    def first_page(self) -> int:
        return self.start.page

    @property
    def last_page(self) -> int:
        return self.end.page if self.end else 10**9


def find_opinion(pages: list[TextPage]) -> tuple[int, int] | None:
    """Page and line where the auditor's opinion paragraph starts, if any."""
    for page in pages:
        for i, ln in enumerate(page.lines):
            if _OPINION.search(ln) and not is_toc_line(ln):
                return page.number, i
    return None


def is_toc_line(line: str) -> bool:
    """A table-of-contents entry: dot leaders or a wide gap before a page number."""
    return bool(_TOC_LINE.search(line))


def contents_pages(pages: list[TextPage]) -> set[int]:
    """Pages that hold the table of contents, whatever its form.

    Contents come with dot leaders or none, numbers right-aligned or run in,
    over one page or two. A page is contents when it says so in its first lines
    ("Table of contents") and lists entries, when three entries carry dot
    leaders, or when at least three lines end in page numbers that never go
    down and two of them name a section heading. The page after a contents
    page carries it on when its entries continue the numbering.
    """
    found: set[int] = set()
    last_number = -1
    for page in pages:
        titled = any(_CONTENTS_TITLE.match(strip_numbering(ln)) for ln in page.lines[:4])
        entries = [(m.group("title"), int(m.group("page"))) for ln in page.lines
                   if (m := _ENTRY_PAGE.match(ln.strip())) and m.group("page").isdigit()]
        numbers = [n for _, n in entries]
        rising = len(numbers) >= 3 and all(a <= b for a, b in zip(numbers, numbers[1:]))
        named = sum(heading_label(title) is not None for title, _ in entries)
        # A titled page lists its entries with page numbers, or (a draft, an export without
        # numbers) as bare headings.
        if (titled and (len(entries) >= 2 or sum(heading_label(ln) is not None for ln in page.lines) >= 3)) or sum(is_toc_line(ln) for ln in page.lines) >= 3 \
                or (rising and named >= 2) \
                or (page.number - 1 in found and rising and numbers[0] >= last_number):
            found.add(page.number)
            last_number = max(numbers, default=last_number)
    return found


def strip_numbering(line: str) -> str:
    """Remove "Section III:", "3.", "IV." or "A)" before a heading."""
    return _NUMBERING.sub("", line.strip(), count=1).strip()


def _title_like(text: str) -> bool:
    """Most significant words capitalised, as headings are (sentence case is checked separately)."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", text) if w.lower() not in _MINOR]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def heading_label(line: str, max_words: int = MAX_HEADING_WORDS) -> str | None:
    """The section label of ``line`` if it reads as a heading, else None."""
    core = strip_numbering(line)
    words = core.split()
    if not words or len(words) > max_words or core[-1] in ".,;" or not (core[0].isupper() or core[0].isdigit()):
        return None
    if _SENTENCE_START.match(core) or not _HEADING_WORD.search(core) or _PROSE_END.search(core):
        return None  # a wrapped prose line ("We have prepared the accompanying description of ...")
    title_like = _title_like(core)
    if not title_like and len(words) > 8:
        return None
    # Sentence-case headings ("Complementary user entity controls") are accepted
    # only when short and the phrase opens the line: wrapped prose rarely does.
    return phrase_label(core, must_open=not title_like)


def phrase_label(core: str, must_open: bool = False) -> str | None:
    """The section label of the heading phrase in ``core`` (a title with its numbering stripped).

    ``heading_label`` first decides whether a line reads as a title at all; a
    title known from elsewhere (a PDF outline entry) comes here directly.
    """
    doc = analyse(core)
    found = spans(doc, "SEC_") + spans(doc, "SUB_")
    if not found or must_open and not any(s.start == 0 for s in found):
        return None
    labels = {s.label_ for s in found}
    label = next(label for label in _PRIORITY if label in labels)
    if label == "SEC_DESCRIPTION" and re.match(r"report\s+on\b", core, re.IGNORECASE):
        return None  # the report's title ("Report on X's Description of its System ...")
    if label == "SUB_SUBSERVICE" and re.match(r"subservice organi[sz]ations?\b.*\b(?:controls?|criteria)\b", core, re.I):
        # The header row of a CSOC table ("Subservice Organization  Control  Related Criteria"),
        # which may open the page after its heading: it carries on the CSOCs, it does not end them.
        return "SUB_CSOC"
    if label == "SUB_RESPONSES" and core.endswith(":"):
        return None  # an inline "Management's Response:" label, not a heading
    return label


def find_headings(pages: list[TextPage]) -> list[Heading]:
    """Every heading in the report, skipping table-of-contents pages and entries."""
    out = []
    contents = contents_pages(pages)
    for page in pages:
        if page.number in contents:
            continue
        skip_to = 0
        for i, ln in enumerate(page.lines):
            if i < skip_to or is_toc_line(ln):
                continue
            label = heading_label(ln)
            if label:
                out.append(Heading(label, page.number, i, ln))
            elif wrapped := _wrapped_heading(page.lines, i):
                out.append(Heading(wrapped[0], page.number, i, wrapped[1]))
                skip_to = wrapped[2]
    return out


# A heading set in large type wraps over up to this many lines ("Section I:" / "Independent
# Service" / "Auditors' Report for the" / "Security, Availability, ..." on a divider page).
_WRAP_LINES = 8
_WRAP_LINE_WORDS = 7
# A line of running text has at least this many words (a table cell's line, fewer).
_PROSE_LINE_WORDS = 11


def _wrapped_heading(lines: list[str], i: int) -> tuple[str, str, int] | None:
    """(label, joined text, index after it) for a heading broken over short lines starting at ``i``.

    Each piece is short and none ends a sentence; the joined text must open
    with the heading phrase, so a run of short table cells does not qualify.
    """
    pieces = []
    for j in range(i, min(i + _WRAP_LINES, len(lines))):
        ln = lines[j].strip()
        if len(ln.split()) > _WRAP_LINE_WORDS or ln.endswith((".", ";")) or is_toc_line(ln):
            break
        if j > i and heading_label(ln):
            return None  # "SECTION V" over "OTHER INFORMATION …": the heading line stands on its own
        pieces.append(ln)
        if len(pieces) < 2:
            continue
        joined = " ".join(pieces)
        label = heading_label(joined, max_words=3 * MAX_HEADING_WORDS // 2)
        # Only section titles: a subsection's name split over lines is usually a table's header cell.
        # A user-entity list's title is the exception when prose follows it: a header cell is followed
        # by more short cells, the title by the list's introduction.
        if label and (label.startswith("SEC_") or label == "SUB_CUEC" and _prose_follows(lines, j + 1)) \
                and _opens_with_heading(joined):
            return label, joined, j + 1
    return None


def _prose_follows(lines: list[str], i: int) -> bool:
    """The line at ``i`` is running text: well over the words a piece of a wrapped heading may have,
    or a lead-in ending in a colon ("Customers are responsible for:")."""
    return i < len(lines) and (len(lines[i].split()) >= _PROSE_LINE_WORDS or lines[i].rstrip().endswith(":"))


def _opens_with_heading(text: str) -> bool:
    core = strip_numbering(text)
    doc = analyse(core)
    return any(s.start == 0 for s in spans(doc, "SEC_") + spans(doc, "SUB_"))


def ordered(headings: list[Heading], opinion_at: tuple[int, int] | None = None) -> list[Heading]:
    """Drop top-level headings that break the usual section order.

    "Description of Tests of Controls" is also a paragraph heading inside the
    auditor's report, before its opinion (``opinion_at``: page and line of
    "In our opinion"), and a system description has "Description of ..."
    subheadings. The real top-level headings are the longest run whose ranks
    never decrease; a heading at the top of a page weighs a little more, and
    text repeated as a heading on many pages (a table's header row) little.
    """
    auditor = next((h for h in headings if h.label == "SEC_AUDITOR"), None)
    if auditor and opinion_at and (auditor.page, auditor.line) < opinion_at:
        headings = [h for h in headings if h.label in ("SEC_AUDITOR", "SEC_ASSERTION") or not h.label.startswith("SEC_")
                    or not (auditor.page, auditor.line) < (h.page, h.line) < opinion_at]
    top = [h for h in headings if h.label in _RANK]
    repeats = Counter(h.text.lower() for h in top)
    weight = [(1.0 if repeats[h.text.lower()] <= 2 else 0.01) + (0.1 if h.line <= 2 else 0.0) for h in top]
    best = list(weight)
    prev = [-1] * len(top)
    for i in range(len(top)):
        for j in range(i):
            if _RANK[top[j].label] <= _RANK[top[i].label] and best[j] + weight[i] > best[i]:
                best[i], prev[i] = best[j] + weight[i], j
    keep: set[int] = set()
    i = max(range(len(top)), key=lambda k: best[k], default=-1)
    while i >= 0:
        keep.add(id(top[i]))
        i = prev[i]
    return [h for h in headings if h.label not in _RANK or id(h) in keep]


def build_sections(headings: list[Heading], opinion_at: tuple[int, int] | None = None) -> list[Section]:
    """Pair each heading with the next one that closes it.

    A top-level section (``SEC_*``) runs to the next top-level heading; a
    subsection (``SUB_*``) to the next heading of any kind.
    """
    headings = ordered(headings, opinion_at)
    running = _running_titles(headings)
    sections = []
    for i, h in enumerate(headings):
        top = h.label.startswith("SEC_")
        # A repeated heading of the same kind (a table's header row, a
        # "continued" heading) does not end the section; nor does a section's
        # title reprinted at the top of its pages end a subsection inside it.
        end = next((n for n in headings[i + 1:]
                    if n.label != h.label and (n.label.startswith("SEC_") if top else id(n) not in running)), None)
        if sections and sections[-1].label == h.label and sections[-1].end is end:
            continue
        sections.append(Section(h.label, h, end))
    return sections


def _running_titles(headings: list[Heading]) -> set[int]:
    """Top-level headings that repeat an earlier top-level heading's text (ids).

    Some reports print the section's title below the margin band on every
    page of the section, where running headers are not looked for.
    """
    seen: set[str] = set()
    out: set[int] = set()
    for h in headings:
        if not h.label.startswith("SEC_"):
            continue
        key = re.sub(r"\W", "", h.text.lower())
        if key in seen:
            out.add(id(h))
        seen.add(key)
    return out


def sections_of(sections: list[Section], label: str) -> list[Section]:
    """Sections with ``label`` in document order."""
    return [s for s in sections if s.label == label]
