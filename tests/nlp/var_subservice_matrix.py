"""Small generated SOC 2 reports that vary how subservice organizations and CSOCs are given.

One ``Case`` is one cell of the matrix in ``test_var_subservice_matrix.py``: what the
auditor's report says about the subservice organizations (method worded or not), how the
description's "Subservice Organizations" subsection gives them (table, bullets, prose), and
how the CSOCs are laid out (id tables, a header naming several organizations, an
organization column, row groups, a heading per organization, bullets, prose). All names
and wording are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from socfixtures import BODY, CELL, H1, H2, H3, TITLE, running_text

ORG = "Quarry Ledger Systems, Inc."
SHORT = "Quarry"


@dataclass
class Case:
    """What one report prints about its subservice organizations and CSOCs, and what must come out."""

    auditor: list[str] = field(default_factory=list)  # subservice paragraphs of the auditor's scope section
    sub_paras: list[str] = field(default_factory=list)  # prose of the Subservice Organizations subsection
    sub_bullets: list[str] = field(default_factory=list)  # bullets under that prose
    sub_table: list[list[str]] | None = None  # header row + rows
    after_sub: list[str] = field(default_factory=list)  # prose after the list/table
    csoc_heading: str | None = "Complementary Subservice Organization Controls"
    csoc_paras: list[str] = field(default_factory=list)  # lead-in (or the whole CSOC prose)
    csoc_table: list[list[str]] | None = None  # header row + rows; a one-cell row spans the table
    csoc_groups: list[tuple[str, list[str]]] = field(default_factory=list)  # heading per org + bullets
    csoc_group_tables: list[tuple[str, list[list[str]]]] = field(default_factory=list)  # heading per org + table
    tools_para: bool = True  # the description lists tools that are not subservice organizations
    # Expected: (name, method, services given?) and (organization, criteria) per CSOC.
    orgs: list[tuple[str, str | None, bool]] = field(default_factory=list)
    csocs: list[tuple[str, list[str]]] = field(default_factory=list)


def _table(data: list[list[str]], widths: list[float]) -> Table:
    n = len(widths)
    cells = []
    spans = []
    for i, row in enumerate(data):
        if len(row) == 1 and i:
            spans.append(("SPAN", (0, i), (-1, i)))
            row = row + [""] * (n - 1)
        cells.append([Paragraph(f"<b>{c}</b>" if i == 0 else c, CELL) for c in row])
    t = Table(cells, colWidths=[w * inch for w in widths], repeatRows=1)
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.5, "black")] + spans))
    return t


def _widths(n: int) -> list[float]:
    return {2: [2.2, 4.3], 3: [1.6, 3.7, 1.2], 4: [0.8, 1.6, 3.0, 1.1]}[n]


def build_case(path: Path, case: Case) -> Path:
    """Write the report of ``case``: cover, auditor's report, assertion, description, tests."""
    story: list = []

    def p(text: str, st=BODY) -> None:
        story.append(Paragraph(text, st))

    on_page = running_text(f"{ORG} | SOC 2 Type 2", page_label="Page {}")

    p(ORG, TITLE)
    p("SOC 2 Type 2 Report", TITLE)
    p("For the period March 1, 2025 to February 28, 2026", H2)
    story.append(PageBreak())

    p("Section I: Independent Service Auditor's Report", H1)
    p(f"To the Management of {ORG}:")
    p("Scope", H3)
    p(f"We have examined {SHORT}'s accompanying description of its Ledger Cloud system for the period March 1, "
      "2025 to February 28, 2026 (description) based on the criteria for a description of a service "
      "organization's system, and the suitability of the design and operating effectiveness of controls stated "
      f"in the description to provide reasonable assurance that {SHORT}'s service commitments and system "
      "requirements were achieved based on the trust services criteria relevant to security (applicable trust "
      "services criteria).")
    for para in case.auditor:
        p(para)
    p("Opinion", H3)
    p("In our opinion, in all material respects, the description presents the system that was designed and "
      "implemented, and the controls stated in the description operated effectively.")
    story.append(Spacer(1, 14))
    p("Marlow Reyes LLP")
    p("Portland, Oregon")
    p("April 2, 2026")
    story.append(PageBreak())

    p("Section II: Management's Assertion", H1)
    p(f"We have prepared the accompanying description of {SHORT}'s Ledger Cloud system for the period March 1, "
      "2025 to February 28, 2026.")
    story.append(PageBreak())

    p("Section III: Description of the System", H1)
    p("Overview of Services", H2)
    p(f"{SHORT} provides a hosted general ledger for mid-size companies.")
    if case.tools_para:
        p(f"{SHORT} uses Trellis Tickets for ticketing, Beacon Chat for messaging and Lumen Logs for log search. "
          "These tools are not subservice organizations.")
    p("Subservice Organizations", H2)
    for para in case.sub_paras:
        p(para)
    if case.sub_bullets:
        story.append(ListFlowable([ListItem(Paragraph(b, BODY)) for b in case.sub_bullets], bulletType="bullet",
                                  start="\u2022"))
    if case.sub_table:
        story.append(_table(case.sub_table, _widths(len(case.sub_table[0]))))
    for para in case.after_sub:
        p(para)
    if case.csoc_heading:
        p(case.csoc_heading, H2)
    for para in case.csoc_paras:
        p(para)
    if case.csoc_table:
        story.append(_table(case.csoc_table, _widths(len(case.csoc_table[0]))))
    for org, bullets in case.csoc_groups:
        p(org, H3)
        story.append(ListFlowable([ListItem(Paragraph(b, BODY)) for b in bullets], bulletType="bullet",
                                  start="\u2022"))
    for org, table in case.csoc_group_tables:
        p(org, H3)
        story.append(_table(table, _widths(len(table[0]))))
    p("Complementary User Entity Controls", H2)
    p("User entities are responsible for approving the access of their own administrators to the ledger.")
    story.append(PageBreak())

    p("Section IV: Tests of Controls and Results", H1)
    data = [["Control #", "Control Activity", "Test Applied by the Service Auditor", "Test Results"]]
    for i, w in enumerate(["access", "change", "backup", "incident"], 1):
        data.append([f"QL-{i}", f"Management reviews the {w} report monthly.",
                     f"Inspected the {w} reports for a sample of months.", "No exceptions noted."])
    t = Table([[Paragraph(c, CELL) for c in r] for r in data], colWidths=[0.8 * inch, 2.2 * inch, 2.4 * inch, 1.1 * inch])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(t)
    SimpleDocTemplate(str(path), pagesize=LETTER, topMargin=0.9 * inch, bottomMargin=0.9 * inch).build(
        story, onFirstPage=on_page, onLaterPages=on_page)
    return path
