"""PDF builder for a report whose outline (bookmarks) names its sections, while one section heading is
printed in a way the line rules miss: a long subsection title wrapped after a function word over two
lines, in the heading's own large bold type. All wording, companies and the firm are invented."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

ORG = "Brightwater Payroll Services, Inc."
FIRM = "Ashcombe & Reade LLP"
# The CUEC heading as the body prints it: the first line ends in "of", so it reads as wrapped prose.
CUEC_LINES = ["Complementary User Entity Controls Expected of", "Brightwater Subscribers Across the Payroll Modules"]
CUEC_TITLE = " ".join(CUEC_LINES)
CUECS = [
    "Subscribers are responsible for reviewing the payroll register before each pay run is released.",
    "Subscribers are responsible for removing portal access for their own staff who leave the company.",
    "Subscribers should reconcile the bank funding report to their general ledger each month.",
    "Subscribers must keep the names of their authorised payroll approvers current in the portal.",
]

COVER = [ORG, "SOC 2 Type 2 Report", "Brightwater Payroll Platform",
         "For the Period January 1, 2025 to December 31, 2025"]
CONTENTS = ["Contents", "Section 1 Independent Service Auditor's Report 3", "Section 2 Management's Assertion 4",
            "Section 3 Description of the Brightwater Payroll Platform 5", f"{CUEC_TITLE} 6",
            "Section 4 Tests of Controls 7"]
AUDITOR = [
    ("h", "Section 1 Independent Service Auditor's Report"),
    ("p", f"To the Management of {ORG}:"),
    ("h2", "Scope"),
    ("p", "We have examined Brightwater's accompanying description of its Brightwater Payroll Platform throughout "
          "the period January 1, 2025 to December 31, 2025 and the suitability of the design and operating "
          "effectiveness of controls stated in the description, based on the trust services criteria relevant "
          "to security."),
    ("h2", "Opinion"),
    ("p", "In our opinion, in all material respects, the description presents the system that was designed and "
          "implemented throughout the period, and the controls stated in the description operated effectively."),
    ("p", FIRM),
    ("p", "Hartford, Connecticut"),
    ("p", "February 14, 2026"),
]
ASSERTION = [
    ("h", "Section 2 Management's Assertion"),
    ("p", "We have prepared the accompanying description of the Brightwater Payroll Platform throughout the period "
          "January 1, 2025 to December 31, 2025, based on the description criteria. We confirm, to the best of "
          "our knowledge and belief, that the controls stated in the description operated effectively."),
]
DESCRIPTION = [
    ("h", "Section 3 Description of the Brightwater Payroll Platform"),
    ("h2", "Company Overview"),
    ("p", "Brightwater provides hosted payroll, benefits and time-tracking software to small employers. The "
          "platform runs in two data centres and is operated by the Brightwater engineering team."),
    ("h2", "Infrastructure"),
    ("p", "Production systems are reached through a bastion host that requires multi-factor authentication, and "
          "changes are reviewed and approved before deployment."),
]


def _write(c: canvas.Canvas, items: list[tuple[str, str]], y: float = 720) -> float:
    """Draw (kind, text) items: h section title (16 pt bold), h2 subheading (12 pt bold), p paragraph, b bullet."""
    for kind, text in items:
        font, size, width = {"h": ("Helvetica-Bold", 16, 60), "h2": ("Helvetica-Bold", 12, 80),
                             "p": ("Helvetica", 10, 100), "b": ("Helvetica", 10, 95)}[kind]
        y -= 8 if kind in ("h", "h2") else 2
        for k, part in enumerate(textwrap.wrap(text, width)):
            c.setFont(font, size)
            c.drawString(54, y, part) if kind != "b" else c.drawString(72, y, ("• " if k == 0 else "  ") + part)
            y -= size + 5
    return y


def _bookmark(c: canvas.Canvas, key: str, title: str, level: int = 0) -> None:
    c.bookmarkPage(key)
    c.addOutlineEntry(title, key, level=level)


def _footer(c: canvas.Canvas, n: int) -> None:
    c.setFont("Helvetica", 8)
    c.drawString(54, 30, f"Brightwater Payroll Services | SOC 2 Type 2 | Page {n}")
    c.showPage()


def build_outlined_report(path: Path) -> Path:
    """Cover, contents, the auditor's report, the assertion, the description and, on its own page, the
    CUEC subsection under its wrapped heading, then the tests section; an outline entry for each."""
    c = canvas.Canvas(str(path), pagesize=letter)
    _write(c, [("h", ln) for ln in COVER])
    _footer(c, 1)
    _write(c, [("h", CONTENTS[0])] + [("p", ln) for ln in CONTENTS[1:]])
    _footer(c, 2)
    for n, (items, title) in enumerate([(AUDITOR, AUDITOR[0][1]), (ASSERTION, ASSERTION[0][1]),
                                         (DESCRIPTION, DESCRIPTION[0][1])], 3):
        _bookmark(c, f"s{n}", title)
        _write(c, items)
        _footer(c, n)
    _bookmark(c, "cuec", CUEC_TITLE, level=1)
    y = _write(c, [("p", "The platform was designed with the assumption that subscribers operate the controls "
                         "below. They are part of the system description.")])
    c.setFont("Helvetica-Bold", 14)
    for ln in CUEC_LINES:
        y -= 22
        c.drawString(54, y, ln)
    _write(c, [("b", cuec) for cuec in CUECS], y - 6)
    _footer(c, 6)
    _bookmark(c, "tests", "Section 4 Tests of Controls")
    _write(c, [("h", "Section 4 Tests of Controls"),
               ("p", "Control 1.1 Payroll runs are approved by a second person. Inspected approvals for a sample "
                     "of 25 pay runs. No exceptions noted.")])
    _footer(c, 7)
    c.showOutline()
    c.save()
    return path
