"""Document blocks shared by the HTML (Chromium) and reportlab renderers,
and the ground-truth records that the builder attaches to them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


# ---- blocks -------------------------------------------------------------
# A cell or list item is a list of paragraphs; a paragraph is a str or
# ("b", str) for a bold line (a control id printed above its text).

@dataclass
class Heading:
    level: int          # 1 = section, 2 = subsection, 3 = minor
    text: str
    num: str | None = None   # "I", "1", "A", or None; the style decides how to print it
    toc: bool = True
    new_page: bool = False


@dataclass
class Para:
    text: str
    kind: str = "body"   # body | small | center | sig | label | quote


@dataclass
class ListBlock:
    items: list
    marker: str = "bullet"   # bullet | num | dash | csoc (CSOC 1.)
    start: int = 1


@dataclass
class GroupRow:
    text: str


@dataclass
class Table:
    head: list[str]
    rows: list            # list of (list of cells) or GroupRow
    widths: list[float]   # fractions of the frame width
    ruled: bool = True
    landscape: bool = False
    kind: str = "generic"
    font_scale: float = 1.0


@dataclass
class PageBreak:
    pass


@dataclass
class TOC:
    pass


@dataclass
class Signature:
    firm: str
    city: str
    when: str
    script: bool = True


# ---- ground truth ---------------------------------------------------------

@dataclass
class Item:
    """One expected item plus the words whose page must be confirmed."""
    kind: str            # subservice | csoc | cuec | exception
    data: dict
    probe: str           # text whose first words are searched in the PDF


@dataclass
class Truth:
    framework: str | None
    rtype: str | None
    service_organization: str
    auditor: str
    period_start: date | None
    period_end: date
    opinion: str
    opinion_basis: str | None
    tsc: list[str]
    items: list[Item] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)   # kind -> text after which items of that kind appear
