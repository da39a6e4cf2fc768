"""Complementary user entity controls: one item per control the user entity must operate.

Where a report keeps its list decides whether it counts: the auditor's report
and management's assertion only mention CUECs; the list belongs to the system
description. Some reports instead list user entity responsibilities in a later,
unaudited section ("Other information", "Supplemental information"): that list
counts only when the description has no CUEC section of its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import groupby
from dataclasses import replace

from nlp.criteria import parse_criteria
from nlp.items import BULLET, Item, extract_items, section_blocks
from nlp.layout import Line, PageLayout, Row
from nlp.results import Cuec
from nlp.rules import labels
from nlp.sections import Section, sections_of

# A bullet glyph (or pdfplumber's "(cid:127)" for one without a text map) set inside an entry's text.
_GLYPH = re.compile(r"(?:^|\s)(?:[•▪◦‣●○■□➢➤►▶✓✔∙⦁♦◆◇❖\uf000-\uf0ff]|\(cid:\d+\))\s+")
# Shorter entries are column labels or stray fragments, not controls.
_MIN_WORDS = 4
# Where a CUEC heading sits, by the top-level section around it.
_MENTION_ONLY = {"SEC_AUDITOR", "SEC_ASSERTION"}
_LATER = {"SEC_TESTS", "SEC_OTHER"}
# A non-bullet line printed on this many pages is page furniture (a running title or
# footer set inside the text area, where the margin-band detection does not look).
_FURNITURE_PAGES = 3
# A heading naming a criteria series, with or without its id: "CC6.0 – Logical Access",
# "A – Availability", "P1 - Notice", "Common Criteria Related to Monitoring Activities",
# "Privacy Criteria".
_SERIES_ID = re.compile(r"^(?P<id>CC\d{1,2}(?:\.\d{1,2})?|PI\d{0,2}(?:\.\d{1,2})?|[ACP]\d{0,2}(?:\.\d{1,2})?)"
                        r"\s*[-–—:]\s*\S")
# A bullet worded as what the user entity does ("Customers should ...", "User organizations are
# responsible for ...", "Clients must ...").
_RESPONSIBILITY = re.compile(
    r"\b(?:user\s+(?:entit(?:y|ies)|organi[sz]ations?)|customers?|clients?|subscribers?|tenants?)\b.{0,80}?"
    r"\b(?:should|must|shall|(?:is|are)\s+(?:responsible|expected|required)|needs?\s+to)\b", re.IGNORECASE)
# A topic heading over such bullets is short and ends no sentence.
_TOPIC_WORDS = 10
# A SOC 1 list grouped by control objective: "Control Objective 3: Access to data is restricted", "CO 5 – ...".
_OBJECTIVE = re.compile(r"^(?:control\s+objective|CO)\s*\d{1,2}\b(?:\s*[-–—:.]\s*\S|\s*$)", re.IGNORECASE)
_OBJECTIVE_WORDS = 40
_SERIES_NAME = re.compile(r"^(?:common\s+criteria\b|(?:security|availability|processing\s+integrity|confidentiality|"
                          r"privacy)\s+(?:criteria|category|principle)\b)|\bcriteria\s+related\s+to\b", re.IGNORECASE)


def extract_cuecs(layouts: list[PageLayout], sections: list[Section]) -> list[Cuec]:
    """CUECs from the report's user-entity-controls subsections, in order.

    A report that states no CUECs are required has a subsection with no list,
    which yields nothing. One bullet printed under several criteria headings is
    one item per heading.
    """
    layouts = _without_furniture([_join_wrapped_headings(lay) for lay in layouts], sections)
    # Without a description heading the enclosing section cannot be told; then every list counts.
    described = bool(sections_of(sections, "SEC_DESCRIPTION"))
    topics = _topic_headings(layouts)
    own, later = [], []
    for sec in sections_of(sections, "SUB_CUEC"):
        where = _enclosing(sections, sec)
        if where in _MENTION_ONLY and described:
            continue
        items, states_none = _section_items(layouts, sec, topics)
        if where in _LATER:
            later.append(items)
        elif items or states_none:
            own.append(items)
    out: list[Cuec] = []
    seen: set[tuple[str, str | None, tuple[str, ...]]] = set()
    for item in (piece for items in (own or later) for it in items for piece in _cell_bullets(it)):
        key = (re.sub(r"\W", "", item.text.lower()), item.group, tuple(item.criteria))
        if len(item.text.split()) < _MIN_WORDS or key in seen:
            continue
        seen.add(key)
        out.append(Cuec(item.text, item.page, item.criteria, item.bbox))
    return out


def _section_items(layouts: list[PageLayout], sec: Section, topics: set[str]) -> tuple[list[Item], bool]:
    """The section's items, and whether its text states that no CUECs are required.

    Criteria-series headings and topic headings (``topics``) group the list;
    any other heading of the section's rank ends it.
    """
    def is_label(text: str) -> bool:
        return is_criteria_heading(text) or _key(text) in topics

    blocks = section_blocks(layouts, sec.start, sec.end, is_label=is_label)
    items = extract_items(blocks, is_label=is_label, heading_criteria=heading_criteria)
    if not any(isinstance(b, Row) or BULLET.match(b.text) for b in blocks):
        items = _until_other_topic(items)
    lead = " ".join(b.text for b in blocks[:12] if isinstance(b, Line))
    return items, not items and "NO_CUECS" in labels(lead)


def _cell_bullets(item: Item) -> list[Item]:
    """An entry holding bullets of its own (a table cell listing several controls) as one item per bullet.

    Only glyph bullets split: dashes and numbers also occur inside a control's text.
    """
    pieces = [p.strip() for p in _GLYPH.split(item.text) if p.strip()]
    if not _GLYPH.search(item.text) or not pieces:
        return [item]
    return [replace(item, text=p) for p in pieces]


def _until_other_topic(items: list[Item]) -> list[Item]:
    """Paragraph items up to a small heading whose paragraphs no longer say what user entities do.

    Without bullets or a table, a list of paragraphs ends only at a heading;
    one set smaller than the list's title ("Annual Review of ...") reads as a
    group heading. Once items have said what customers or user entities do, a
    group in which none does is the next topic of the description.
    """
    out: list[Item] = []
    said = False
    for _, group in groupby(items, key=lambda it: it.group):
        grouped = list(group)
        says = any(_RESPONSIBILITY.search(it.text) for it in grouped)
        if said and not says:
            break
        said = said or says
        out += grouped
    return out


def _topic_headings(layouts: list[PageLayout]) -> set[str]:
    """Keys of short lines set directly over a bullet that says what customers or user entities do.

    Such a line is a topic heading inside the list ("Logical and Physical Access
    Controls"), however large its type, and does not end the list.
    """
    lines = [b for lay in layouts for b in lay.blocks if isinstance(b, Line)]
    out: set[str] = set()
    for ln, nxt in zip(lines, lines[1:]):
        text = ln.text.strip()
        if BULLET.match(text) or not BULLET.match(nxt.text) or len(text.split()) > _TOPIC_WORDS \
                or text.endswith((".", ":", ";", ",")) or not _RESPONSIBILITY.search(nxt.text):
            continue
        out.add(_key(text))
    return out


def _enclosing(sections: list[Section], sub: Section) -> str | None:
    """Label of the top-level section the subsection's heading sits in (None before any)."""
    at = (sub.start.page, sub.start.line)
    tops = [s for s in sections if s.label.startswith("SEC_") and (s.start.page, s.start.line) <= at]
    return tops[-1].label if tops else None


def is_criteria_heading(text: str) -> bool:
    """A heading that groups the list by criteria series ("CC6.0 – ...", "A – Availability") or by
    control objective ("Control Objective 3: ...")."""
    text = text.strip()
    if BULLET.match(text):
        return False
    # A control objective is often a whole sentence ("Control Objective 5: Controls provide ... .").
    if _OBJECTIVE.match(text):
        return len(text.split()) <= _OBJECTIVE_WORDS
    return len(text.split()) <= 16 and not text.endswith(".") and bool(_SERIES_ID.match(text) or _SERIES_NAME.search(text))


def heading_criteria(text: str) -> list[str]:
    """The criteria a group heading gives its items, as printed: "CC6.1 - CC6.3", or a series id ("A", "P1")."""
    found = parse_criteria(text)
    if found:
        return found
    m = _SERIES_ID.match(text.strip())
    return [m.group("id")] if m else []


def _join_wrapped_headings(lay: PageLayout) -> PageLayout:
    """Join a heading wrapped onto a second line ("CC6.0 – ... Logical and Physical" / "Access Controls").

    The pieces share type, size and left edge and sit closer than the gap
    between two headings; the first does not end a sentence.
    """
    blocks: list = []
    for b in lay.blocks:
        prev = blocks[-1] if blocks else None
        if isinstance(b, Line) and isinstance(prev, Line) and prev.bold and b.bold \
                and abs(prev.size - b.size) <= 0.3 and abs(prev.bbox[0] - b.bbox[0]) <= 2 \
                and 0 <= b.bbox[1] - prev.bbox[3] < 0.5 * b.size and not prev.text.rstrip().endswith((".", ":", ";")) \
                and not BULLET.match(prev.text) and not BULLET.match(b.text) and not _SERIES_ID.match(b.text):
            bbox = (min(prev.bbox[0], b.bbox[0]), prev.bbox[1], max(prev.bbox[2], b.bbox[2]), b.bbox[3])
            blocks[-1] = replace(prev, text=f"{prev.text.rstrip()} {b.text.strip()}", bbox=bbox)
            continue
        blocks.append(b)
    return replace(lay, blocks=blocks)


def _without_furniture(layouts: list[PageLayout], sections: list[Section]) -> list[PageLayout]:
    """Drop non-bullet lines printed on several pages (running titles, footers inside the text area).

    Subsection headings are kept: a list's own heading may be repeated on its
    continuation pages, and ``section_blocks`` starts from it and stops at the
    heading that ends it.
    """
    pages: dict[str, set[int]] = defaultdict(set)
    for lay in layouts:
        for b in lay.blocks:
            if isinstance(b, Line) and not BULLET.match(b.text):
                pages[_key(b.text)].add(lay.number)
    keep = {_key(s.start.text) for s in sections if s.label.startswith("SUB_")}
    keep |= {_key(s.end.text) for s in sections_of(sections, "SUB_CUEC") if s.end}
    # Group headings that carry criteria are kept even when repeated: the items take them.
    keep |= {_key(b.text) for lay in layouts for b in lay.blocks
             if isinstance(b, Line) and (is_criteria_heading(b.text) or parse_criteria(b.text))}
    furniture = {k for k, p in pages.items() if len(p) >= _FURNITURE_PAGES and k not in keep and k}
    if not furniture:
        return layouts
    return [replace(lay, blocks=[b for b in lay.blocks if not (isinstance(b, Line) and _key(b.text) in furniture)])
            for lay in layouts]


def _key(text: str) -> str:
    return re.sub(r"[\W_]", "", text.lower())
