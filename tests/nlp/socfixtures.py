"""Hand-written SOC report fixtures built with reportlab.

Each style imitates a different CPA firm's template (numbering, table rulings,
heading wording, where management responses live) so that unit tests exercise
the extractor on more than one layout. Also used by bench/bench_extract.py to
build a large report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

_SS = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_SS["BodyText"], fontSize=10, leading=13)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=10.5)
H1 = ParagraphStyle("h1", parent=_SS["Heading1"], fontSize=15, leading=19)
H2 = ParagraphStyle("h2", parent=_SS["Heading2"], fontSize=12, leading=15)
H3 = ParagraphStyle("h3", parent=_SS["Heading3"], fontSize=10.5, leading=13)
TITLE = ParagraphStyle("title", parent=_SS["Title"], fontSize=20, leading=26)


@dataclass
class TestRow:
    """One row of a tests-of-controls matrix."""

    control_id: str
    control: str
    test: str
    result: str = "No exceptions noted."
    criteria: list[str] = field(default_factory=list)
    response: str | None = None


@dataclass
class Style:
    """Layout and wording choices that differ between audit firms."""

    numbering: str = "roman"  # roman | arabic | none
    ruled: bool = True  # grid lines around test matrix cells
    criteria_column: bool = False
    cuec_layout: str = "bullets"  # bullets | numbered | table | grouped
    csoc_layout: str = "table"  # table | numbered | bullets
    cuec_heading: str = "Complementary User Entity Controls"
    responses_inline: bool = True
    header_text: str = "Proprietary and Confidential"
    results_header: str = "Test Results"
    date_style: str = "us"  # us | eu | numeric


@dataclass
class Spec:
    """What a fixture report says; the tests compare extraction with it."""

    org: str = "Northwind Data Services, Inc."
    org_short: str = "Northwind"
    auditor: str = "Halvorsen & Pike LLP"
    framework: str = "SOC 2"
    type_: str = "Type 2"
    period: tuple[str, str] = ("May 1, 2024", "April 30, 2025")
    period_iso: tuple[str | None, str] = ("2024-05-01", "2025-04-30")
    categories: list[str] = field(default_factory=lambda: ["security", "availability"])
    opinion: str = "unqualified"
    basis: str | None = None
    subservice: list[tuple[str, str | None, str, str]] = field(
        default_factory=lambda: [
            ("Amazon Web Services, Inc.", "AWS", "cloud infrastructure hosting", "carve-out"),
            ("Stripe, Inc.", None, "payment processing", "carve-out"),
        ]
    )
    csocs: list[tuple[str, str, list[str]]] = field(
        default_factory=lambda: [
            ("AWS", "AWS is responsible for restricting physical access to data center facilities to authorized personnel.", ["CC6.4"]),
            ("AWS", "AWS is responsible for maintaining environmental protections, including fire suppression and backup power, at its data centers.", ["A1.2"]),
            ("Stripe, Inc.", "Stripe is responsible for encrypting cardholder data in transit and at rest.", ["CC6.1", "CC6.7"]),
        ]
    )
    cuecs: list[tuple[str, list[str]]] = field(
        default_factory=lambda: [
            ("User entities are responsible for provisioning and de-provisioning their own users in the application in a timely manner and for reviewing that access periodically.", ["CC6.1", "CC6.2", "CC6.3"]),
            ("User entities are responsible for protecting the credentials issued to their personnel.", ["CC6.1"]),
            ("User entities are responsible for notifying the service organization of security incidents affecting their accounts.", ["CC7.3"]),
            ("User entities are responsible for ensuring that data they transmit to the platform is complete and accurate, and for reviewing the output reports they receive for reasonableness.", ["PI1.3"]),
        ]
    )
    tools: list[str] = field(default_factory=lambda: ["Okta", "Jira", "Slack", "GitHub", "PagerDuty", "Datadog"])
    rows: list[TestRow] = field(default_factory=list)
    filler_rows: int = 24
    extra_pages: int = 0


def running_text(header: str, footer: str | None = None, page_label: str = "{}"):
    """An onPage callback that prints a running header, an optional footer and the page number."""
    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        width, height = doc.pagesize
        canvas.drawString(inch, height - 0.55 * inch, header)
        if footer:
            canvas.drawString(inch, 0.5 * inch, footer)
        canvas.drawRightString(width - inch, 0.5 * inch, page_label.format(doc.page))
        canvas.restoreState()

    return on_page


def _roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI"][n - 1]


def _section_title(style: Style, n: int, title: str) -> str:
    if style.numbering == "roman":
        return f"Section {_roman(n)}: {title}"
    if style.numbering == "arabic":
        return f"{n}. {title}"
    return title


def default_rows(spec: Spec) -> list[TestRow]:
    """A test matrix with two exceptions, one non-occurrence and prose traps."""
    rows = [
        TestRow("CC1.1.1", "The entity has a code of conduct that employees acknowledge upon hire and annually thereafter.",
                "Inspected the code of conduct and a sample of acknowledgements for new hires and current employees.",
                criteria=["CC1.1"]),
        TestRow("CC2.1.1", "Exception-based monitoring alerts are configured to notify the operations team of failed batch jobs.",
                "Inspected the monitoring configuration and a sample of exception reports to determine whether alerts were investigated.",
                "No exceptions noted.", ["CC2.1"]),
        TestRow("CC6.2.1", "Access for terminated employees is revoked within one business day of termination.",
                "Inspected the termination listing and system access for a sample of 25 terminated employees to determine whether access was revoked timely.",
                "Exception noted. For 2 of 25 terminated employees sampled, access to the production environment was not removed within one business day.",
                ["CC6.2", "CC6.3"],
                "Management revoked the accounts upon discovery and implemented an automated deprovisioning workflow in March 2025."),
        TestRow("CC7.4.2", "Security incidents are documented, tracked and resolved according to the incident response plan.",
                "Inquired of the security lead and inspected the incident ticket system.",
                "The control did not operate during the period because no security incidents occurred; therefore, no testing was performed.",
                ["CC7.4"]),
        TestRow("CC8.1.3", "Changes to production are approved by a second engineer before deployment.",
                "Inspected a sample of 40 production changes for evidence of peer approval prior to deployment.",
                "Deviation noted. For 1 of 40 changes sampled, approval was recorded after the change had been deployed to production.",
                ["CC8.1"],
                "The engineer was retrained, and branch protection rules now prevent merging without an approval."),
    ]
    verbs = ["Inspected", "Observed", "Inquired of management and inspected", "Reperformed"]
    objects = ["firewall rule sets", "backup job logs", "vulnerability scan reports", "encryption settings",
               "onboarding checklists", "risk assessment documentation", "vendor review files", "capacity reports"]
    for i in range(spec.filler_rows):
        cc = f"CC{3 + i % 6}.{1 + i % 3}"
        obj = objects[i % len(objects)]
        rows.append(TestRow(
            f"{cc}.{10 + i}",
            f"Management reviews {obj} on a periodic basis and documents follow-up actions for any issues identified during the review.",
            f"{verbs[i % 4]} the {obj} for a sample of review periods to determine whether the review was performed and issues were followed up.",
            "No relevant exceptions noted." if i % 5 == 0 else "No exceptions noted.",
            [cc],
        ))
    # Keep the two exceptions away from the first page of the matrix so that
    # one of them falls on a later page.
    return rows[:2] + rows[5:5 + spec.filler_rows // 2] + rows[2:5] + rows[5 + spec.filler_rows // 2:]


class _Doc:
    """Collects flowables and draws running headers/footers."""

    def __init__(self, spec: Spec, style: Style):
        self.spec, self.style, self.story = spec, style, []

    def on_page(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(inch, LETTER[1] - 0.55 * inch, f"{self.spec.org} | {self.style.header_text}")
        canvas.drawRightString(LETTER[0] - inch, 0.5 * inch, f"Page {doc.page}")
        canvas.restoreState()

    def p(self, text: str, st: ParagraphStyle = BODY) -> None:
        self.story.append(Paragraph(text, st))

    def build(self, path: Path) -> None:
        doc = SimpleDocTemplate(str(path), pagesize=LETTER, topMargin=0.9 * inch, bottomMargin=0.9 * inch,
                                title=f"{self.spec.framework} report")
        doc.build(self.story, onFirstPage=self.on_page, onLaterPages=self.on_page)


def _date_words(spec: Spec, style: Style) -> str:
    start, end = spec.period
    if spec.type_ == "Type 1":
        return f"as of {end}"
    if style.date_style == "eu":
        return f"for the period 1 May 2024 through 30 April 2025"
    if style.date_style == "numeric":
        return f"for the period 05/01/2024 – 04/30/2025"
    return f"for the period {start}, to {end}"


def _cat_words(cats: list[str]) -> str:
    names = [c.replace("_", " ") for c in cats]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + (", and " if len(names) > 2 else " and ") + names[-1]


def _table(data, widths, ruled: bool, header_rows: int = 1, split_in_row: bool = True) -> Table:
    t = Table(data, colWidths=widths, repeatRows=header_rows, splitInRow=1 if split_in_row else 0)
    cmds = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]
    if ruled:
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    else:
        cmds.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black))
        cmds += [("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    t.setStyle(TableStyle(cmds))
    return t


def _cell(text: str) -> Paragraph:
    return Paragraph(text, CELL)


def build_report(path: Path, spec: Spec, style: Style) -> Path:
    """Write a SOC report PDF following ``spec`` and ``style``."""
    d = _Doc(spec, style)
    rows = spec.rows or default_rows(spec)
    short = spec.org_short
    kind = f"{spec.framework} {spec.type_}".strip()
    d.p(spec.org, TITLE)
    d.p(f"{kind} Report", TITLE)
    d.p(f"Report on {short}'s Description of its Cloud Platform and on the Suitability of the Design"
        + ("" if spec.type_ == "Type 1" else " and Operating Effectiveness") + " of its Controls", H2)
    d.p(_date_words(spec, style)[0].upper() + _date_words(spec, style)[1:], H2)
    d.story.append(PageBreak())
    d.p("Table of Contents", H1)
    titles = ["Independent Service Auditor's Report", "Management's Assertion", "Description of the System",
              "Tests of Controls and Results", "Other Information Provided by Management"]
    for i, t in enumerate(titles, 1):
        d.p(f"{_section_title(style, i, t)} {'.' * 60} {i + 2}")
    d.story.append(PageBreak())

    # Section 1: the auditor's report.
    d.p(_section_title(style, 1, titles[0]), H1)
    d.p(f"To the Management of {spec.org}:")
    d.p("Scope", H3)
    d.p(f"We have examined {short}'s accompanying description of its Cloud Platform system "
        f"{_date_words(spec, style)} (description) based on the criteria for a description of a service "
        f"organization's system, and the suitability of the design"
        + ("" if spec.type_ == "Type 1" else " and operating effectiveness")
        + f" of controls stated in the description to provide reasonable assurance that {short}'s service "
        f"commitments and system requirements were achieved based on the trust services criteria relevant to "
        f"{_cat_words(spec.categories)} (applicable trust services criteria) set forth in TSP section 100.")
    subs = spec.subservice
    if subs:
        names = "; ".join(f"{n}" + (f" (\"{a}\")" if a else "") + f" for {s}" for n, a, s, _ in subs)
        method = subs[0][3]
        d.p(f"{short} uses subservice organizations: {names}. "
            + ("The description includes the relevant controls of the subservice organizations."
               if method == "inclusive" else
               "The description indicates that complementary subservice organization controls are necessary. "
               "The description excludes the controls of the subservice organizations, and our examination did "
               "not include the services provided by the subservice organizations."))
    d.p("The description indicates that complementary user entity controls that are suitably designed and "
        "operating effectively are necessary, along with controls at the service organization, to achieve the "
        "service commitments. Our examination did not include such complementary user entity controls.")
    if spec.opinion != "unqualified":
        head = {"qualified": "Basis for Qualified Opinion", "adverse": "Basis for Adverse Opinion",
                "disclaimer": "Basis for Disclaimer of Opinion"}[spec.opinion]
        d.p(head, H3)
        d.p(spec.basis or "")
    d.p({"unqualified": "Opinion", "qualified": "Qualified Opinion", "adverse": "Adverse Opinion",
         "disclaimer": "Disclaimer of Opinion"}[spec.opinion], H3)
    opinion = {
        "unqualified": "In our opinion, in all material respects, the description presents the system that was "
                       "designed and implemented, and the controls stated in the description operated effectively.",
        "qualified": "In our opinion, except for the effects of the matter described in the Basis for Qualified "
                     "Opinion paragraph, in all material respects, the controls operated effectively.",
        "adverse": "In our opinion, because of the significance of the matter described in the Basis for Adverse "
                   "Opinion paragraph, the controls stated in the description were not suitably designed and did "
                   "not operate effectively.",
        "disclaimer": "Because of the significance of the matter described in the Basis for Disclaimer of Opinion "
                      "paragraph, we have not been able to obtain sufficient appropriate evidence to provide a basis "
                      "for an opinion. Accordingly, we do not express an opinion on the description.",
    }[spec.opinion]
    d.p(opinion)
    d.p("Restricted Use", H3)
    d.p("This report is intended solely for the information and use of management and user entities.")
    d.story.append(Spacer(1, 18))
    d.p(spec.auditor)
    d.p("Denver, Colorado")
    d.p("June 12, 2025")
    d.story.append(PageBreak())

    # Section 2: management's assertion.
    d.p(_section_title(style, 2, titles[1]), H1)
    d.p(f"We have prepared the accompanying description of {short}'s Cloud Platform system "
        f"{_date_words(spec, style)}. The description indicates that complementary user entity controls are "
        "necessary. Our tooling includes exception-based monitoring of batch jobs.")
    d.story.append(PageBreak())

    # Section 3: description of the system.
    d.p(_section_title(style, 3, titles[2]), H1)
    d.p("Overview of Services", H2)
    d.p(f"{short} provides a multi-tenant software platform. The platform is built with tools including "
        + ", ".join(spec.tools) + ". These vendors are not considered subservice organizations for the "
        "purposes of this report.")
    for k in range(spec.extra_pages):
        d.p(f"Infrastructure Narrative {k + 1}", H3)
        for _ in range(7):
            d.p("The infrastructure is deployed across multiple availability zones and monitored continuously. "
                "Operational staff review dashboards daily and escalate anomalies following documented runbooks, "
                "and capacity is planned quarterly based on utilisation trends and customer growth forecasts.")
    d.p("Subservice Organizations", H2)
    for n, a, s, m in subs:
        alias = f" (\u201c{a}\u201d)" if a else ""
        if m == "inclusive":
            d.p(f"{short} uses {n}{alias} for {s}. The description includes the relevant controls of {a or n}.")
        else:
            d.p(f"{short} uses {n}{alias} for {s}. The controls of {a or n} are excluded from the description "
                "(carve-out method).")
    if spec.csocs:
        d.p("Complementary Subservice Organization Controls", H2)
        d.p(f"{short}'s controls were designed with the assumption that the following controls are implemented "
            "by the subservice organizations:")
        if style.csoc_layout == "table":
            data = [[_cell("<b>Subservice Organization</b>"), _cell("<b>Control</b>"), _cell("<b>Related Criteria</b>")]]
            data += [[_cell(o), _cell(t), _cell(", ".join(c))] for o, t, c in spec.csocs]
            d.story.append(_table(data, [1.5 * inch, 3.8 * inch, 1.2 * inch], True))
        elif style.csoc_layout == "numbered":
            for i, (o, t, c) in enumerate(spec.csocs, 1):
                d.p(f"CSOC{i}: {t} ({', '.join(c)})")
        else:
            for org in dict.fromkeys(o for o, _, _ in spec.csocs):
                d.p(org, H3)
                d.story.append(ListFlowable([ListItem(Paragraph(f"{t} ({', '.join(c)})", BODY)) for o, t, c in spec.csocs if o == org],
                                            bulletType="bullet"))
    d.p(style.cuec_heading, H2)
    if not spec.cuecs:
        d.p("There are no complementary user entity controls required for the achievement of the service "
            "commitments.")
    else:
        d.p(f"{short}'s controls were designed with the assumption that certain controls would be implemented by "
            "user entities. The following complementary user entity controls should be in place:")
        if style.cuec_layout == "table":
            data = [[_cell("<b>#</b>"), _cell("<b>Complementary User Entity Control</b>"), _cell("<b>Related Criteria</b>")]]
            data += [[_cell(str(i)), _cell(t), _cell(_crit_str(c))] for i, (t, c) in enumerate(spec.cuecs, 1)]
            d.story.append(_table(data, [0.4 * inch, 4.6 * inch, 1.5 * inch], True))
        elif style.cuec_layout == "grouped":
            groups: dict[str, list[str]] = {}
            for t, c in spec.cuecs:
                groups.setdefault(_crit_str(c), []).append(t)
            for g, texts in groups.items():
                d.p(f"Criteria {g}", H3)
                d.story.append(ListFlowable([ListItem(Paragraph(t, BODY)) for t in texts], bulletType="bullet"))
        else:
            bullet = "1" if style.cuec_layout == "numbered" else "bullet"
            d.story.append(ListFlowable([ListItem(Paragraph(f"{t} ({_crit_str(c)})", BODY)) for t, c in spec.cuecs],
                                        bulletType=bullet))
        d.p("The list above does not represent a comprehensive set of all the controls that should be employed by "
            "user entities.")
    d.story.append(PageBreak())

    # Section 4: tests of controls.
    d.p(_section_title(style, 4, titles[3]), H1)
    d.p("The service auditor's procedures included inspection, observation, inquiry and reperformance. "
        "Where the results column states an exception, the exception is described.")
    head = ["Control #", "Control Activity", "Test Applied by the Service Auditor", style.results_header]
    widths = [0.75 * inch, 2.0 * inch, 2.1 * inch, 1.65 * inch]
    if style.criteria_column:
        head.insert(1, "Criteria")
        widths = [0.7 * inch, 0.65 * inch, 1.8 * inch, 1.85 * inch, 1.5 * inch]
    data = [[_cell(f"<b>{h}</b>") for h in head]]
    for r in rows:
        result = r.result
        if r.response and style.responses_inline:
            result += f"<br/><br/>Management's Response: {r.response}"
        cells = [r.control_id, r.control, r.test, result]
        if style.criteria_column:
            cells.insert(1, ", ".join(r.criteria))
        data.append([_cell(c) for c in cells])
    d.story.append(_table(data, widths, style.ruled))
    d.story.append(PageBreak())

    d.p(_section_title(style, 5, titles[4]), H1)
    if not style.responses_inline:
        d.p("Management's Responses to Exceptions", H2)
        for r in rows:
            if r.response:
                d.p(f"Control {r.control_id}", H3)
                d.p(f"Management's Response: {r.response}")
    d.p("Business continuity plans are tested annually.")
    d.build(path)
    return path


def _crit_str(crit: list[str]) -> str:
    """Print criteria the way reports do, collapsing consecutive runs into a range."""
    if len(crit) >= 3 and all(c.rsplit(".", 1)[0] == crit[0].rsplit(".", 1)[0] for c in crit):
        return f"{crit[0]} - {crit[-1]}"
    return ", ".join(crit)


def expected_exceptions(spec: Spec) -> list[TestRow]:
    """The rows of the matrix whose result reports an exception."""
    return [r for r in (spec.rows or default_rows(spec)) if r.result.startswith(("Exception", "Deviation"))]
