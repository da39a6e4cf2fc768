"""Reports in templates unlike socfixtures' own: lists without tables, tables without rules.

Imitates what other firms print (layouts the extractor once failed on): CSOCs grouped under a line holding only an organization's
short name, unruled CSOC tables with the short name on every row, CUECs
grouped under lines holding only criteria, three-column test matrices
without rules whose narrow results column wraps a long exception, and a
cover whose first line is "SOC 2® Type 2".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from socfixtures import BODY, CELL, H1, H2, H3, TITLE, running_text

LABEL = ParagraphStyle("label", parent=BODY, fontName="Helvetica-Bold")
NUMBERED = ParagraphStyle("numbered", parent=BODY, leftIndent=50, bulletIndent=0, spaceAfter=4)


@dataclass
class MatrixRow:
    """One row of a three-column matrix; ``control_id`` None prints no id."""

    control_id: str | None
    control: str
    test: str
    result: str = "No exceptions noted."
    response: str | None = None


@dataclass
class Firm:
    """What the report says and how this firm prints it."""

    org: str = "Orion Ledger Systems, Inc."
    short: str = "Orion"
    auditor: str = "Kessler Maddox LLP"
    categories_words: str = "security, availability, and processing integrity"
    categories: list[str] = field(default_factory=lambda: ["security", "availability", "processing_integrity"])
    # (legal name, short name used in the CSOC list, how the description introduces it)
    subservice: list[tuple[str, str, str]] = field(default_factory=lambda: [
        ("Amazon Web Services, Inc.", "AWS", 'Amazon Web Services, Inc. ("AWS") provides cloud infrastructure hosting for the platform.'),
        ("Microsoft Corporation", "Azure", 'Microsoft Corporation ("Azure") provides disaster recovery hosting and directory services.'),
        ("Equinix, Inc.", "Equinix", "Equinix, Inc. provides colocation data center space for the network edge."),
    ])
    # (short name, control text, criteria as printed or "")
    csocs: list[tuple[str, str, str]] = field(default_factory=lambda: [
        ("AWS", "Logical and physical access to the data centers hosting the production environment is restricted to authorized personnel and reviewed periodically.", "CC 6.4"),
        ("AWS", "Environmental protections, including fire suppression, climate control and redundant power, are maintained and tested at the hosting facilities.", "A 1.2"),
        ("AWS", "Changes to the underlying infrastructure are authorized, tested and approved before implementation.", "CC 8.1"),
        ("Azure", "Backups replicated to the recovery region are monitored for completion and failures are resolved in a timely manner.", "A 1.2, A 1.3"),
        ("Azure", "Security incidents affecting the directory service are detected, communicated and remediated.", "CC 7.2, CC 7.3, CC 7.4"),
        ("Equinix", "Visitors to the colocation facility are escorted and their access is logged and retained for review by facility management.", "CC 6.4"),
    ])
    csoc_layout: str = "bullets"  # bullets (glyph) | numbered ("CSOC 1.") | letters ("a.") | table (unruled) | paragraphs
    cuec_heading: str = "Client Responsibilities"
    # (criteria heading as printed, control texts under it)
    cuecs: list[tuple[str, list[str]]] = field(default_factory=lambda: [
        ("CC 2.3, CC 8.1", [
            "Client organizations are responsible for communicating changes in their key contacts and for approving configuration changes they request from Orion.",
            "Customers should notify Orion in a timely manner of any changes to their technical contacts.",
        ]),
        ("C 1.1", [
            "User entities are responsible for identifying the confidential data they wish to keep in the platform and for classifying that data before it is uploaded to the service.",
        ]),
        ("CC6.1, CC6.7", [
            "Controls should be established to ensure that user entity personnel protect their passwords and multi-factor authentication devices.",
            "User entities are responsible for restricting the transmission of data to authorized recipients over encrypted channels.",
            "User entities are responsible for reviewing the access of their own administrators at least quarterly and removing access that is no longer needed.",
        ]),
    ])
    matrix: list[tuple[str, list[MatrixRow]]] = field(default_factory=lambda: [
        ("CC6.2 Registration and authorization of new users", [
            MatrixRow("C-24", "New user access requests are approved by the user's manager before access is provisioned.",
                      "Inspected the access request ticket for a sample of new users to determine whether access was approved prior to provisioning.",
                      "Exceptions noted. Of a sample of 25 new users, 2 were identified for which access approval was not documented prior to provisioning.",
                      "Management has reminded managers of the approval requirement and now blocks provisioning until an approval is recorded."),
            MatrixRow("C-25", "Access for terminated users is removed within two business days.",
                      "Inspected the termination listing and the access of a sample of terminated users.",
                      "No exceptions noted."),
        ]),
        ("CC 7.2 Monitoring of system components", [
            MatrixRow("C-31", "Security events are logged and alerts are reviewed by the operations team daily.",
                      "Inspected the alert configuration and a sample of daily review tickets.",
                      "No relevant exceptions noted"),
            MatrixRow(None, "Management reviews the quarterly vulnerability scan results and tracks remediation of critical findings.",
                      "Inspected the vulnerability scan reports and remediation tickets for a sample of quarters.",
                      "The service auditor noted that for 1 of 4 quarterly vulnerability reviews sampled, remediation of critical findings was not tracked to completion."),
            MatrixRow("C-33", "Firewall rules are reviewed semi-annually.",
                      "Inspected the firewall rule reviews for both halves of the period.",
                      "No deviations noted."),
        ]),
    ])
    # Subsection headings in bold body type, and the org/criteria label lines in the same bold type,
    # as some templates print them (the labels must not end the subsection).
    bold_labels: bool = False
    examined: str | None = None  # the name in "We have examined X's description"; the legal name if None
    subservice_table: bool = False  # the subservice organizations as an unruled table right above the CSOCs
    filler_rows: int = 0  # clean rows printed before the matrix above, so its exceptions fall on later pages
    bold_header: bool = True
    header_valign: str = "TOP"  # MIDDLE or BOTTOM: a short header cell starts on the header's second line
    center_header: bool = False  # header cells centred over their columns
    repeat_header: bool = True  # the matrix header printed again on each continuation page
    bullet_size: float = 10  # a large glyph may sit on its own text line
    org_label: str = "short"  # short | legal: what the line over each organization's CSOCs holds
    split_headings: bool = False  # the list headings broken over two lines
    csoc_header: tuple[str, str, str] = ("Subservice Organization", "Control", "Related Criteria")
    csoc_plain_header: bool = False
    topic_headings: bool = False  # a bold topic heading between each organization's name and its CSOCs
    landscape: bool = False  # every page in landscape
    table_padding: float = 10  # vertical space between table rows, in points
    matrix_header: tuple[str, str, str] = ("Controls Specified by Orion", "Testing Performed by the Service Auditor", "Results of Testing")
    csoc_table_next_page: bool = False  # the CSOC heading and intro end a page, the table opens the next one
    header_indent: float = 0  # points the matrix header cells are indented past their columns' text
    control_offset: float = 0  # points the control text sits below the row's first line (its id stays there),
    # so its lines fall between those of the other cells, as in a cell set to the middle of its row
    csoc_first_width: float = 1.4  # inches; wide enough, the header's first cell stays on one line


def _plain_table(data, widths, padding: float = 5, repeat_header: bool = True) -> Table:
    """Columns aligned by whitespace only: no rules at all."""
    t = Table(data, colWidths=widths, repeatRows=1 if repeat_header else 0, splitInRow=1)
    cmds = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), padding * 0.4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 0.6)]
    t.setStyle(TableStyle(cmds))
    return t


def build_firm_report(path: Path, f: Firm) -> Path:
    """Write the report; the tests compare extraction with ``f``."""
    story = []
    sub = LABEL if f.bold_labels else H2
    label = LABEL if f.bold_labels else BODY

    def p(text: str, st=BODY) -> None:
        story.append(Paragraph(text, st))

    on_page = running_text(f"{f.org} | SOC 2 Type 2 Report", "Proprietary and Confidential")

    p("SOC 2® Type 2", TITLE)
    p(f.org, TITLE)
    p(f"Report on Controls Relevant to {f.categories_words.title()}", H2)
    p("For the period January 1, 2025 through December 31, 2025", H2)
    story.append(PageBreak())

    p("Independent Service Auditor's Report", H1)
    p("Scope", H3)
    p(f"We have examined {f.examined or f.org}'s accompanying description of its Ledger Platform system for the period "
      "January 1, 2025 through December 31, 2025 (description) based on the criteria for a description of a service "
      "organization's system, and the suitability of the design and operating effectiveness of controls stated in the "
      f"description to provide reasonable assurance that {f.short}'s service commitments and system requirements were "
      f"achieved based on the trust services criteria relevant to {f.categories_words} (applicable trust services "
      "criteria) set forth in TSP section 100, and the confidentiality commitments in its customer agreements.")
    p(f"{f.short} uses subservice organizations for hosting and colocation. The description indicates that complementary "
      "subservice organization controls are necessary. The description excludes the controls of the subservice "
      "organizations (carve-out method).")
    p("Opinion", H3)
    p("In our opinion, in all material respects, the description presents the system that was designed and "
      "implemented, and the controls stated in the description operated effectively.")
    story.append(Spacer(1, 14))
    p(f.auditor)
    p("Boston, Massachusetts")
    p("February 20, 2026")
    story.append(PageBreak())

    p("Management's Assertion", H1)
    p(f"We have prepared the accompanying description of {f.short}'s Ledger Platform system. Our confidentiality "
      "commitments to customers are described in our master services agreement.")
    story.append(PageBreak())

    p("Description of the System", H1)
    p("Subservice Organizations", sub)
    if f.subservice_table:
        p(f"{f.short} uses the following subservice organizations; their controls are excluded from the "
          "description (carve-out method).")
        data = [[Paragraph(f"<b>{h}</b>", BODY) for h in ("Subservice Organization", "Services Provided")]]
        data += [[Paragraph(f'{n} ("{a}")', BODY), Paragraph(intro.split(" provides ")[1], BODY)]
                 for n, a, intro in f.subservice]
        story.append(_plain_table(data, [2.5 * inch, 4.0 * inch], f.table_padding))
    else:
        for _, _, intro in f.subservice:
            p(intro + " The controls of this subservice organization are excluded from the description (carve-out method).")
    p("Complementary Subservice Organization<br/>Controls" if f.split_headings else
      "Complementary Subservice Organization Controls", sub)
    p("The following controls are expected to be implemented by the carved-out subservice organizations:")
    if f.csoc_table_next_page:
        story.append(PageBreak())
    if f.csoc_layout == "table":
        data = [[Paragraph(h if f.csoc_plain_header else f"<b>{h}</b>", CELL) for h in f.csoc_header]]
        data += [[Paragraph(o, CELL), Paragraph(t, CELL), Paragraph(c, CELL)] for o, t, c in f.csocs]
        story.append(_plain_table(data, [f.csoc_first_width * inch, (5.0 - f.csoc_first_width) * inch, 1.5 * inch],
                                  f.table_padding))
    else:
        n = 0
        for org in dict.fromkeys(o for o, _, _ in f.csocs):
            legal = next(n for n, a, _ in f.subservice if a == org)
            p(org if f.org_label == "short" else f"{legal} ({org})", label)  # a line holding only the name
            if f.topic_headings:
                p("Physical and Logical Security", LABEL)  # a topic under the organization, not an organization
            entries = [t for o, t, _ in f.csocs if o == org]
            if f.csoc_layout == "paragraphs":  # bullets drawn as shapes, or none: no glyph in the text
                for t in entries:
                    story.append(Paragraph(t, ParagraphStyle("entry", parent=BODY, leftIndent=18, spaceAfter=6)))
            elif f.csoc_layout == "bullets":
                story.append(ListFlowable([ListItem(Paragraph(t, BODY)) for t in entries], bulletType="bullet",
                                          start="\u25aa", bulletFontSize=f.bullet_size, bulletOffsetY=f.bullet_size - 10))
            else:
                for t in entries:
                    n += 1
                    mark = f"CSOC {n}." if f.csoc_layout == "numbered" else f"{'abcdefgh'[n - 1]}."
                    story.append(Paragraph(t, NUMBERED, bulletText=mark))
    p(f.cuec_heading.replace(" Controls", "<br/>Controls") if f.split_headings else f.cuec_heading, sub)
    p(f"{f.short}'s services are designed with the assumption that certain controls will be implemented by user "
      "entities. Such controls are called complementary user entity controls.")
    for crit, texts in f.cuecs:
        p(crit, label)
        story.append(ListFlowable([ListItem(Paragraph(t, BODY)) for t in texts], bulletType="bullet", start="\u2022"))
    p("Boundaries of the System", sub)
    p("The system does not include the user entities' own networks.")
    story.append(PageBreak())

    p("Tests of Controls and Results", H1)
    p("The service auditor's procedures included inquiry, inspection, observation and reperformance.")
    head_style = ParagraphStyle("head", parent=CELL, alignment=1) if f.center_header else CELL
    data = [[Paragraph(f"<b>{h}</b>" if f.bold_header else h, head_style) for h in f.matrix_header]]
    filler = [MatrixRow(f"C-{i + 1:02d}" if i % 3 else None,
                        f"Management reviews the {w} report monthly and documents follow-up of issues identified.",
                        f"Inspected the {w} reports for a sample of months and the follow-up documentation.",
                        ["No exceptions noted.", "No relevant exceptions noted", "No deviations noted."][i % 3])
              for i, w in enumerate(["capacity", "backup", "patching", "access", "incident", "change"] * 8)][:f.filler_rows]
    groups = ([("CC 5.2 Selection and development of general controls over technology", filler)] if filler else []) + f.matrix
    for group, rows in groups:
        data.append([Paragraph(f"<b>{group}</b>", CELL), "", ""])
        for r in rows:
            if f.control_offset and r.control_id:  # a row without an id starts with its control text
                control = [Paragraph(r.control_id or "", CELL), Spacer(1, f.control_offset), Paragraph(r.control, CELL)]
            else:
                control = Paragraph((f"{r.control_id}<br/>" if r.control_id else "") + r.control, CELL)
            result = r.result + (f"<br/><br/>Management's Response: {r.response}" if r.response else "")
            data.append([control, Paragraph(r.test, CELL), Paragraph(result, CELL)])
    t = _plain_table(data, [2.9 * inch, 2.7 * inch, 0.9 * inch], f.table_padding, f.repeat_header)
    t.setStyle(TableStyle([("SPAN", (0, i), (-1, i)) for i, row in enumerate(data) if row[1] == ""]
                          + [("VALIGN", (0, 0), (-1, 0), f.header_valign),
                             ("LEFTPADDING", (0, 0), (-1, 0), 6 + f.header_indent),
                             ]))
    story.append(t)
    doc = SimpleDocTemplate(str(path), pagesize=landscape(LETTER) if f.landscape else LETTER,
                            topMargin=0.9 * inch, bottomMargin=0.9 * inch)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path
