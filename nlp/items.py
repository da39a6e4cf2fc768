"""Split a section's blocks into items: table rows, bullets, numbered entries or paragraphs.

Shared by the CUEC and CSOC extractors, whose lists take the same shapes:
bullets or numbers (a wrapped line is indented under the item's text),
tables with a criteria column, and either grouped under small headings
("Logical Access (CC6.1 - CC6.3)", "Amazon Web Services").
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from nlp.criteria import parse_criteria
from nlp.geometry import BBox
from nlp.headers import COLUMN_WORDS, role_pattern
from nlp.layout import Block, Line, PageLayout, Row, join_continued_rows, join_words
from nlp.pdftext import normalise_running
from nlp.rules import labels
from nlp.sections import Heading, strip_numbering

BULLET = re.compile(
    # A glyph (or the "(cid:127)" pdfplumber prints for one without a text map) may touch the text.
    r"^(?:(?:[•·▪◦‣●○■□➢➤►▶✓✔∙⦁⁃♦◆◇❖➔→\uf000-\uf0ff]|\(cid:\d+\))\s*(?=\S)|(?:[-–*]|o(?=\s+[A-Za-z])|"
    r"(?:CUEC|CSOC|UC|UCC)[\s\-#]*\d+(?:\.\d+)*[.:)]?|\[\d{1,2}\]|[A-Z]{1,6}-\d{1,3}[.:)]?(?=\s)|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+)",
)
# A trailing "(CC6.1 - CC6.3)" or "[A1.2]" after an item, or "Related criteria: CC6.1".
_TRAILING_CRITERIA = re.compile(
    r"\s*(?:[(\[]\s*(?:(?:related\s+)?(?:criteria|criterion|tsc|co)\s*:?\s*)?[^()\[\]]*?\d[^()\[\]]*[)\]]"
    r"|[-–—:]?\s*(?:related\s+)?(?:criteria|criterion|control objectives?)\s*:?\s*[A-Z0-9 .,;\-–&]+)\s*$",
    re.IGNORECASE,
)
_COLUMN_ROLES = [
    # Item tables name their criteria column "Reference" too (in test matrices that is the id).
    ("criteria", re.compile(COLUMN_WORDS["criteria"] + r"|reference", re.I)),
    ("org", role_pattern("org")),
    ("number", re.compile(r"^\s*(#|no\.?|number|id|ref\.?|item)\s*$", re.I)),
]


@dataclass
class Item:
    """One extracted list/table entry."""

    text: str
    page: int
    bbox: BBox
    criteria: list[str] = field(default_factory=list)
    group: str | None = None  # the small heading (or table column) it sits under


def section_blocks(layouts: list[PageLayout], start: Heading, end: Heading | None,
                   is_label: Callable[[str], bool] | None = None) -> list[Block]:
    """Blocks after the heading ``start`` up to the heading ``end`` (geometry pass).

    ``is_label`` tells lines that group the list (an organization's name) from
    headings that end it, whatever their type.

    The text pass may take a table's header row for the heading; then the
    section starts with that row, which the table needs.
    """
    blocks: list[Block] = []
    by_page = {lay.number: lay for lay in layouts}
    last = end.page if end else max(by_page, default=start.page)
    heading: Block | None = None
    candidates: list[Block] = []
    for n in range(start.page, last + 1):
        lay = by_page.get(n)
        if lay is None:
            break  # pages outside the geometry pass: the section must have ended
        candidates += lay.blocks
    # pdfium and pdfplumber may cut a heading's line differently ("3.6" or a trailing mark
    # on a line of its own): without an exact match, the block that contains the heading.
    same = same_heading if any(b.page == start.page and same_heading(b.text, start.text) for b in candidates) \
        else _holds_heading
    for i, b in enumerate(candidates):
        if heading is None:
            if b.page == start.page and same(b.text, start.text):
                heading = b
                if isinstance(b, Row):
                    blocks.append(b)
            continue
        if not blocks and (same is _holds_heading and _holds_heading(b.text, start.text) or _HEADING_TAIL.fullmatch(b.text.strip())):
            continue  # the rest of a heading cut over two lines ("Complementary User Entity" / "Controls")
        if end and b.page == end.page and same_heading(b.text, end.text):
            break
        if isinstance(heading, Line) and isinstance(b, Line) and _outranks(b, heading) \
                and not _is_group_label(b, candidates[i + 1:i + 3]) and not (is_label and is_label(b.text)):
            break
        blocks.append(b)
    return join_continued_rows(blocks)


_HEADING_TAIL = re.compile(r"(?:controls?|organi[sz]ations?|entities|responsibilities|considerations)(?:\s*\(\w+\))?:?",
                           re.IGNORECASE)


def _holds_heading(block_text: str, heading: str) -> bool:
    """The block's text holds the heading's words, or the heading holds the block's (10+ letters)."""
    a, b = (re.sub(r"[^a-z]", "", strip_numbering(x).lower()) for x in (block_text, heading))
    return min(len(a), len(b)) >= 10 and (b in a and len(a) <= len(b) + 40 or a in b)


def _is_group_label(line: Line, following: list[Block]) -> bool:
    """A line holding only criteria ("CC 2.3, CC 8.1") or a name ("AWS", "Amazon Web
    Services, Inc. (AWS)") over a list, which may open with a lead-in line.

    Templates print these in the subsection heading's own bold type; they
    group the entries below and do not end the subsection.
    """
    if is_criteria_line(line.text):
        return True
    text = line.text.rstrip()
    name_like = len(text.split()) <= 4 or (len(text.split()) <= 8 and bool(re.search(
        r"\b(?:Inc|LLC|Ltd|Corp|Corporation|Company|LLP|PLC|GmbH)\.?(?:\s*\(.{1,30}\))?$|\(.{1,30}\)$", text)))
    sentence = text.endswith(".") and not re.search(r"\b(?:Inc|Ltd|Corp|Co)\.$", text)
    return name_like and not sentence and any(isinstance(b, Line) and BULLET.match(b.text) for b in following[:2])


def is_criteria_line(text: str) -> bool:
    """The line holds criteria ids and nothing else but labels and separators."""
    rest = re.sub(r"(?<![A-Za-z])(?:CC|PI|A|C|P)\s?\d{1,2}\.\d{1,2}", "", text)
    rest = re.sub(r"\b(?:related|trust|services|criteria|criterion|tsc|and|to|through)\b|[\s,;:()\[\]&\-–—]", "", rest,
                  flags=re.IGNORECASE)
    return not rest and bool(parse_criteria(text))


def _outranks(line: Line, heading: Line) -> bool:
    """A heading of the same or a higher level than the section's own ends the section.

    Catches headings the patterns do not know ("Trust Services Criteria Not
    Applicable to the System", "Attachment B: ...").
    """
    if len(line.text.split()) > 14 or BULLET.match(line.text) or line.text.rstrip().endswith("."):
        return False
    if line.size > heading.size + 0.3:
        return True
    return heading.bold and line.bold and abs(line.size - heading.size) <= 0.3


def same_heading(a: str, b: str) -> bool:
    return normalise_running(a).replace(" ", "") == normalise_running(b).replace(" ", "")


def split_criteria(text: str) -> tuple[str, list[str]]:
    """Separate a trailing criteria reference from an item's text."""
    m = _TRAILING_CRITERIA.search(text)
    if m and parse_criteria(m.group(0)):
        return text[:m.start()].rstrip(" ;,-–"), parse_criteria(m.group(0))
    return text, []


def extract_items(blocks: list[Block], is_label: Callable[[str], bool] | None = None,
                  heading_criteria: Callable[[str], list[str]] = parse_criteria) -> list[Item]:
    """Items in ``blocks``: table rows if the section has a table, else list entries.

    A section with neither whose text says none are required ("no
    complementary user entity controls are required") has no items.
    ``heading_criteria`` reads the criteria a group heading gives the items under it.
    """
    rows = [b for b in blocks if isinstance(b, Row)]
    if any(not r.header and sum(bool(c) for c in r.cells) >= 2 for r in rows):
        return _table_items(blocks)
    lines = [b for b in blocks if isinstance(b, Line)]
    if not any(BULLET.match(ln.text) for ln in lines) and "NO_CUECS" in labels(" ".join(ln.text for ln in lines[:12])):
        return []
    # The list's own text size: a page's most common size may be a smaller table's.
    body_size = statistics.mode(ln.size for ln in lines) if lines else 10.0
    return _list_items(lines, body_size, is_label, heading_criteria)


def _roles(header: Row | None, rows: list[Row]) -> dict[str, int]:
    """Which column holds the item text, criteria, organization and row number."""
    n = max(len(r.cells) for r in rows)
    roles: dict[str, int] = {}
    if header:
        for i, cell in enumerate(header.cells):
            for role, rx in _COLUMN_ROLES:
                if role not in roles and rx.search(cell) and not (role == "org" and re.search(r"control", cell, re.I)):
                    roles[role] = i
                    break
    # Without a header, a column whose every cell parses as criteria is the criteria column.
    if "criteria" not in roles:
        for i in range(n):
            cells = [r.cells[i] for r in rows if i < len(r.cells) and r.cells[i]]
            if cells and all(parse_criteria(c) and len(c) < 60 for c in cells):
                roles["criteria"] = i
    taken = set(roles.values())
    free = [i for i in range(n) if i not in taken]
    if free:
        roles["text"] = max(free, key=lambda i: sum(len(r.cells[i]) for r in rows if i < len(r.cells)))
    return roles


def _table_items(blocks: list[Block]) -> list[Item]:
    items: list[Item] = []
    header: Row | None = None
    group: str | None = None
    group_criteria: list[str] = []
    data = [b for b in blocks if isinstance(b, Row) and not b.header]
    roles = _roles(next((b for b in blocks if isinstance(b, Row) and b.header), None), data) if data else {}
    for b in blocks:
        if isinstance(b, Line):
            group, group_criteria = b.text, parse_criteria(b.text)
            continue
        if b.header:
            header = b
            roles = _roles(header, data)
            continue
        filled = [c for c in b.cells if c]
        if len(filled) == 1 and "text" in roles and not b.cells[roles["text"]]:
            group, group_criteria = filled[0], parse_criteria(filled[0])  # a row spanning the table
            continue
        text = b.cells[roles["text"]] if "text" in roles and roles["text"] < len(b.cells) else " ".join(filled)
        text, inline = split_criteria(text)
        criteria = inline
        if "criteria" in roles and roles["criteria"] < len(b.cells) and b.cells[roles["criteria"]]:
            criteria = parse_criteria(b.cells[roles["criteria"]])
        org = b.cells[roles["org"]] if "org" in roles and roles["org"] < len(b.cells) else None
        if not text:
            continue
        items.append(Item(text, b.page, b.bbox, criteria or group_criteria, org or group))
    return items


def _list_items(lines: list[Line], body_size: float, is_label: Callable[[str], bool] | None = None,
                heading_criteria: Callable[[str], list[str]] = parse_criteria) -> list[Item]:
    """Bulleted/numbered entries; when there are none, one item per paragraph."""
    if not lines:
        return []
    has_bullets = sum(bool(BULLET.match(ln.text)) for ln in lines) >= 1
    items: list[Item] = []
    cur: list[Line] = []
    bullet_x0 = 0.0
    group: str | None = None
    group_criteria: list[str] = []

    def flush() -> None:
        if cur:
            raw = join_words(BULLET.sub("", ln.text, count=1) if i == 0 else ln.text for i, ln in enumerate(cur))
            text, crit = split_criteria(raw)
            first = [ln for ln in cur if ln.page == cur[0].page]
            bbox = (min(ln.bbox[0] for ln in first), first[0].bbox[1], max(ln.bbox[2] for ln in first), first[-1].bbox[3])
            if text:
                items.append(Item(text, cur[0].page, bbox, crit or group_criteria, group))
            cur.clear()

    right = max(ln.bbox[2] for ln in lines)
    prev: Line | None = None
    for i, ln in enumerate(lines):
        gap = ln.bbox[1] - prev.bbox[3] if prev and prev.page == ln.page else 0.0
        continues = cur and has_bullets and gap < 0.8 * ln.size and (ln.bbox[0] > bullet_x0 + 2 or 0 < gap < 0.45 * ln.size)
        # A page that opens flush with the bullets mid-sentence carries on the last item.
        continues = continues or bool(cur and has_bullets and prev and prev.page != ln.page and not BULLET.match(ln.text)
                                      and not re.search(r"[.;:!?][)\"”]?$", cur[-1].text.rstrip()))
        # "(CC6.4)" wrapped onto its own line ends the item above; a bare "CC 2.3, CC 8.1" heads those below.
        if (is_criteria_line(ln.text) and not continues and not ln.text.lstrip().startswith(("(", "["))) \
                or _is_group_heading(ln, body_size) or (not continues and is_label and is_label(ln.text)) or (
                has_bullets and not BULLET.match(ln.text) and not continues
                and _is_group_label(ln, lines[i + 1:i + 2])):
            flush()
            # Under an organization's name, a topic heading ("Physical Security") keeps the organization.
            if is_label is None or is_label(ln.text) or group is None or not is_label(group):
                group = strip_numbering(ln.text).rstrip(":")
            group_criteria = heading_criteria(ln.text)
        elif has_bullets and BULLET.match(ln.text):
            flush()
            cur.append(ln)
            bullet_x0 = ln.bbox[0]
        elif continues:
            # A wrapped line: indented under the item's text (hanging indent), or
            # flush with the bullet but tight below it. At a page top gap is 0.
            cur.append(ln)
        elif not has_bullets and cur and gap < 0.5 * ln.size and not _starts_paragraph(ln, cur, right):
            cur.append(ln)
        else:
            flush()
            if not has_bullets:
                cur.append(ln)
        prev = ln
    flush()
    if not has_bullets:
        items = [it for it in items if not _is_prose(it.text)]
    return items


def _starts_paragraph(ln: Line, cur: list[Line], right: float) -> bool:
    """Paragraphs set without space between them: the line above ended a sentence short of the
    right edge, or ended one and this line opens with the entry's own first two words ("Customers should")."""
    above = cur[-1].text.rstrip()
    if not re.search(r"[.;!?][)\"”]?$", above) or not ln.text[:1].isupper():
        return False
    width = right - min(c.bbox[0] for c in cur)
    return cur[-1].bbox[2] < right - 0.15 * width or ln.text.split()[:2] == cur[0].text.split()[:2]


def _is_group_heading(ln: Line, body_size: float) -> bool:
    """A small heading inside the list (bold or larger, short, no sentence ending)."""
    words = ln.text.split()
    # "Stripe, Inc." ends with a period but is a name, not a sentence.
    sentence = ln.text.rstrip().endswith(".") and len(words) > 5
    return (ln.bold or ln.size > body_size + 0.5) and 0 < len(words) <= 14 and not sentence \
        and not BULLET.match(ln.text)


def _is_prose(text: str) -> bool:
    """Lead-in and closing paragraphs around an unbulleted list."""
    t = text.lower()
    return t.endswith(":") or bool(re.search(
        r"\bthe following\b|\bnot (?:intended to be |meant to be |a )?(?:a |an )?(?:comprehensive|complete|exhaustive|all[- ]inclusive)\b|"
        r"\bdoes not represent\b|"
        r"\b(?:were|are|is|was|have been) designed with the assumption\b|\bit is not\b", t))
