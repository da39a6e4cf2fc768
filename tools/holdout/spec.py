"""What one holdout report is made of.  specs.py lists the reports."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Spec:
    name: str
    producer: str                 # chromium | reportlab
    style: str                    # house style key understood by the renderer
    company: str                  # legal name of the service organization
    co: str                       # short name used in the text
    business: str                 # one-line description of what it sells
    firm: str
    city: str
    report_date: date
    period_end: date
    period_start: date | None = None
    framework: str = "SOC 2"
    rtype: str | None = "Type 2"
    type_spelling: str = "Type 2"     # "Type II", "Type 2"
    opinion: str = "unqualified"
    tsc: list[str] = field(default_factory=lambda: ["security"])
    date_style: str = "us"            # us | intl | numeric
    cover_date_style: str | None = None
    numbering: str = "roman"          # roman | arabic | alpha | none
    section_word: str = "Section"     # "Section", "" ...
    toc: bool = True
    seed: int = 1
    # test matrix
    columns: list[str] = field(default_factory=lambda: ["id", "control", "test", "result"])
    titles: list[str] = field(default_factory=lambda: ["Control #", "Control Activity Specified by the Service Organization", "Test Applied by the Service Auditor", "Test Results"])
    widths: list[float] | None = None
    crit_mode: str = "group"          # group | column | none
    crit_style: str = "comma"         # comma | range_hyphen | range_endash | spaced | newline
    id_scheme: str | None = "dotted"  # dotted | cnum | domain | short | None
    ruled: bool = True
    landscape: bool = False
    repeat_secondary: bool = False
    drop: float = 0.1
    long_tests: float = 0.15
    giant_cells: int = 1
    pass_phrases: list[str] = field(default_factory=lambda: ["No exceptions noted."])
    exceptions: list[tuple[str, str]] = field(default_factory=list)   # (control key, phrasing)
    nonocc: list[str] = field(default_factory=list)
    responses: str = "inline"         # inline | section | section_repeat | none
    # complementary controls and subservice organizations
    cuec_count: int = 10
    cuec_layout: str = "bullets"      # bullets | numbered | table_last | table_first | grouped | none_needed
    cuec_heading: str = "Complementary User Entity Controls"
    subservice: list[tuple[str, str]] = field(default_factory=list)   # (key, carve-out|inclusive)
    method_wording: str = "explicit"  # explicit | implicit
    csoc_layout: str = "table"        # table | numbered | bullets
    tools: int = 12
    desc_depth: int = 2
    header_text: str | None = None
    footer_text: str = "Proprietary and Confidential"
