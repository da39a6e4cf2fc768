"""A matrix of small SOC reports varying how complementary user entity controls are worded and set out.

Each ``Cell`` picks one value per dimension (wording, section title and its
form, layout, what follows the list); ``MATRIX`` combines them pairwise so
that every value of every dimension appears at least once without building
the full product. Every report also prints what must never become an item: a
contents page, the auditor's boilerplate bullets, a running header and footer,
an intro paragraph. All wording and company names are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from nlp.criteria import parse_criteria
from socfixtures import BODY, CELL, H1, H2, TITLE, running_text

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LABEL = ParagraphStyle("label", parent=BODY, fontName="Helvetica-Bold")
ORG = "Quillfeather Billing Co."
SHORT = "Quillfeather"
AUDITOR = "Tamsin Rowe & Partners LLP"

# (base form, -ing form, criteria, control objective): the controls every cell lists.
CONTROLS: list[tuple[str, str, str, str]] = [
    ("review the access rights of their own staff to the invoicing console every quarter",
     "reviewing the access rights of their own staff to the invoicing console every quarter", "CC6.2", "Control Objective 3"),
    ("protect the API tokens issued to their integrations and rotate them when staff leave",
     "protecting the API tokens issued to their integrations and rotating them when staff leave", "CC6.1", "Control Objective 3"),
    ("check the totals of each imported invoice batch against their own ledger before approval",
     "checking the totals of each imported invoice batch against their own ledger before approval", "PI1.3",
     "Control Objective 5"),
    ("report suspected misuse of their billing accounts to the support desk without delay",
     "reporting suspected misuse of their billing accounts to the support desk without delay", "CC7.3",
     "Control Objective 6"),
]

# How an item names who does it: a subject on every item, or a lead-in line carrying it.
WORDINGS: dict[str, tuple[str | None, str]] = {
    # name: (lead-in line or None, template using {base} / {ing})
    "ue_responsible": (None, "User entities are responsible for {ing}."),
    "customers_should": (None, "Customers should {base}."),
    "clients_expected": (None, "Clients are expected to {base}."),
    "the_customer": (None, "The customer is responsible for {ing}."),
    "userorg_must": (None, "User organizations must {base}."),
    "customer_entities": (None, "Customer entities should {base}."),
    "imperative": ("User entities should:", "{Base}."),
    "leadin_subject": ("Clients of Quillfeather are responsible for the following:", "{Ing}."),
    "leadin_lower": ("Customers are responsible for:", "{ing};"),
}

# How the section is titled.
TITLES = ["Complementary User Entity Controls", "Complementary Controls at User Entities",
          "User Entity Responsibilities", "Customer Responsibilities", "Client Considerations",
          "Client Control Considerations"]
# Second wave: other pairings of who (user, customer, client; entity, organization) and what
# (controls, responsibilities, considerations).
TITLES_2 = ["Customer Entity Responsibilities", "Complementary Controls at Customer Entities",
            "Considerations for User Entities", "Customer Control Responsibilities", "Controls Expected of User Entities"]
# How the title is set: as is, numbered, section-prefixed, all caps, sentence case, wrapped over two lines.
TITLE_FORMS = ["plain", "numbered", "prefixed", "caps", "sentence", "wrapped"]
# Second wave: lettered ("D. ...") and set in bold body type rather than a heading style.
TITLE_FORMS_2 = ["lettered", "bold", "wrapped", "caps", "bold", "lettered"]

# What follows the list.
AFTERS = ["heading", "disclaimer", "table"]
# Second wave: a next heading set smaller than the list's title (bold body type) over a paragraph.
SUBHEADING = ("Annual Review of the Hosting Provider",
              "Quillfeather reviews the assurance report of its hosting provider every year and follows up on the "
              "exceptions it notes with the provider's account team.")

GLYPHS = {"bullet_dot": "\u2022", "bullet_square": "\u25aa", "bullet_dash": "\u2013", "bullet_o": "o",
          "bullet_check": "\u2713"}
NUMBERS = {"num_dot": "{n}.", "num_paren": "{n})", "alpha_parens": "({a})", "alpha_dot": "{a}."}
LAYOUTS = [*GLYPHS, *NUMBERS, "paragraphs", "table_criteria_first", "table_criteria_last", "table_objective",
           "table_number", "grouped", "page_break"]
# Second wave: more group-heading forms, tables with several criteria or no header row, numbers set by
# the list (hanging), and items punctuated as one sentence ("...;" / "...; and" / "...").
LAYOUTS_2 = ["grouped_trailing", "grouped_objective", "table_three", "table_headerless", "list_numbered",
             "bullet_semicolon", "table_groups", "table_page_break"]
# Third wave: no space between entries, and marks typed inline so wrapped lines run back flush to the mark.
LAYOUTS_3 = ["paragraphs_tight", "bullet_inline", "num_inline", "bullet_inline_tight"]
# SOC 1 tables: the objective's whole sentence in its cell, one control per row or the row's controls as
# bullets inside one cell (each bullet an item).
LAYOUTS_4 = ["table_objective_long", "table_objective_cell_bullets"]
OBJECTIVES = {"Control Objective 3": "Controls provide reasonable assurance that logical access to billing data and "
                                     "the invoicing console is restricted to authorized and appropriate individuals.",
              "Control Objective 5": "Controls provide reasonable assurance that invoice batches are received, "
                                     "processed and delivered completely, accurately and in a timely manner.",
              "Control Objective 6": "Controls provide reasonable assurance that suspected misuse is reported, "
                                     "investigated and resolved."}

# Criteria sub-headings of the grouped layout: the second heading repeats the first heading's last item.
GROUPS = [("CC6.0 \u2013 Logical and Physical Access", [0, 1]), ("PI1.0 \u2013 Processing Integrity", [1, 2, 3])]
# The same groups headed by a topic with its criteria after it, and by SOC 1 control objectives.
GROUPS_TRAILING = [("Logical Access to the Invoicing Console (CC6.1, CC6.2)", [0, 1]),
                   ("Invoice Processing and Misuse Reporting (PI1.3, CC7.3)", [1, 2, 3])]
GROUPS_OBJECTIVE = [("Control Objective 3: Access to billing data is restricted to authorized users", [0, 1]),
                    ("Control Objective 5: Controls provide reasonable assurance that invoice batches are processed "
                     "completely and accurately.", [1, 2, 3])]
GROUPED = {"grouped": GROUPS, "table_groups": GROUPS, "grouped_trailing": GROUPS_TRAILING, "grouped_objective": GROUPS_OBJECTIVE}

# Space before the third item so that the last one starts at a page's foot and ends on the next page.
SPAN_SPACER = 6.2

TABLE_SPACER = 7.0  # two rows fit on the page

DISCLAIMER = ("The list above is not a complete list of the controls user entities should operate; each user "
              "entity remains responsible for evaluating its own internal control.")
INTRO = (f"{SHORT}'s controls were designed with the assumption that certain controls would be placed in operation "
         "at user entities. The user entity controls described below should be in place for the control "
         "objectives and criteria in this report to be met.")


@dataclass
class Cell:
    """One report of the matrix."""

    name: str
    wording: str = "customers_should"
    title: str = TITLES[0]
    title_form: str = "plain"
    layout: str = "bullet_dot"
    after: str = "heading"
    none_required: bool = False  # the section states no CUECs are required: zero items
    intro: bool = True  # an introductory paragraph between the title and the list
    items: list[tuple[str, list[str]]] = field(default_factory=list)  # filled by expected()


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def item_text(cell: Cell, k: int) -> str:
    base, ing, _, _ = CONTROLS[k]
    return WORDINGS[cell.wording][1].format(base=base, ing=ing, Base=_cap(base), Ing=_cap(ing))


def printed_texts(cell: Cell) -> list[str]:
    """Each control as the list prints it: whole sentences, or punctuated as one sentence ("...;" / "...; and")."""
    texts = [item_text(cell, k) for k in range(len(CONTROLS))]
    if cell.layout == "bullet_semicolon":
        texts = [t[:-1] + ";" for t in texts[:-2]] + [texts[-2][:-1] + "; and", texts[-1]]
    return texts


def item_criteria(cell: Cell, k: int, group: int | None = None) -> list[str]:
    """The criteria the extractor should give the item (as parse_criteria prints them)."""
    if cell.layout in ("table_criteria_first", "table_criteria_last", "table_headerless", "table_page_break"):
        return [CONTROLS[k][2]]
    if cell.layout == "table_three":
        return [CONTROLS[k][2], "CC2.3"]
    if cell.layout == "grouped_trailing" and group is not None:
        return parse_criteria(GROUPS_TRAILING[group][0])
    if cell.layout == "grouped_objective" and group is not None:
        return ["CO " + GROUPS_OBJECTIVE[group][0].split()[2].rstrip(":")]
    if cell.layout.startswith("table_objective"):
        return ["CO " + CONTROLS[k][3].split()[-1]]
    if cell.layout in ("grouped", "table_groups") and group is not None:
        return [GROUPS[group][0].split()[0]]
    return []


def expected(cell: Cell) -> list[tuple[str, list[str]]]:
    """(text, criteria) of every item, in order."""
    if cell.none_required:
        return []
    texts = printed_texts(cell)
    if cell.layout in GROUPED:
        return [(texts[k], item_criteria(cell, k, g)) for g, (_, ks) in enumerate(GROUPED[cell.layout])
                for k in ks]
    return [(texts[k], item_criteria(cell, k)) for k in range(len(CONTROLS))]


def title_text(cell: Cell, markup: bool = True) -> str:
    t = cell.title
    return {"plain": t, "numbered": f"3.6 {t}", "prefixed": f"Section 3.6: {t}", "caps": t.upper(),
            "sentence": t[0] + t[1:].lower(),
            "wrapped": t.rsplit(" ", 1)[0] + ("<br/>" if markup else " ") + t.rsplit(" ", 1)[1],
            "lettered": f"D. {t}", "bold": t}[cell.title_form]


def _glyph_font() -> str:
    """A TrueType font holding the square and tick bullets (DejaVu Sans), registered once."""
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", DEJAVU))
    return "DejaVuSans"


def _plain_table(data, widths) -> Table:
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    return t


def _list_story(cell: Cell) -> list:
    """The list itself, in the cell's layout."""
    out: list = []
    lead, _ = WORDINGS[cell.wording]
    texts = printed_texts(cell)
    if cell.layout == "bullet_semicolon":
        out.append(ListFlowable([ListItem(Paragraph(t, BODY)) for t in texts], bulletType="bullet", start="\u2022"))
        return out
    if cell.layout == "list_numbered":
        out.append(ListFlowable([ListItem(Paragraph(t, BODY)) for t in texts], bulletType="1", bulletFormat="%s."))
        return out
    if cell.layout in LAYOUTS_4:
        data = [[Paragraph(f"<b>{h}</b>", CELL) for h in ("Control Objective", "Complementary User Entity Controls")]]
        by_objective: dict[str, list[str]] = {}
        for k, t in enumerate(texts):
            by_objective.setdefault(CONTROLS[k][3], []).append(t)
        for obj, ts in by_objective.items():
            head = Paragraph(f"{obj}: {OBJECTIVES[obj]}", CELL)
            if cell.layout == "table_objective_long":
                data += [[head, Paragraph(t, CELL)] for t in ts]
            else:
                data.append([head, [Paragraph(t, ParagraphStyle("cb", parent=CELL, leftIndent=10, bulletIndent=0),
                                              bulletText="\u2022") for t in ts]])
        return [*([Paragraph(lead, BODY)] if lead else []), _plain_table(data, [2.6 * inch, 3.8 * inch])]
    if cell.layout == "table_groups":
        # Criteria groups as rows spanning the table, an item repeated under both.
        data = [[Paragraph(f"<b>{h}</b>", CELL) for h in ("#", "Complementary User Entity Control")]]
        spans = []
        for heading, ks in GROUPS:
            spans.append(len(data))
            data.append([Paragraph(f"<b>{heading}</b>", CELL), ""])
            data += [[Paragraph(str(k + 1), CELL), Paragraph(texts[k], CELL)] for k in ks]
        table = _plain_table(data, [0.5 * inch, 5.8 * inch])
        table.setStyle(TableStyle([("SPAN", (0, i), (-1, i)) for i in spans]))
        return [*([Paragraph(lead, BODY)] if lead else []), table]
    if cell.layout == "table_page_break":
        # The table starts low on the page; its header is printed again over the rows on the next page.
        data = [[Paragraph(f"<b>{h}</b>", CELL) for h in ("Criteria", "Complementary User Entity Control")]]
        data += [[Paragraph(CONTROLS[k][2], CELL), Paragraph(t, CELL)] for k, t in enumerate(texts)]
        return [*([Paragraph(lead, BODY)] if lead else []), Spacer(1, TABLE_SPACER * inch),
                _plain_table(data, [1.3 * inch, 5.0 * inch])]
    if cell.layout in ("table_three", "table_headerless"):
        if cell.layout == "table_three":
            data = [[Paragraph(f"<b>{h}</b>", CELL) for h in ("No.", "User Entity Control", "Criteria")]]
            data += [[Paragraph(str(k + 1), CELL), Paragraph(t, CELL), Paragraph(f"{CONTROLS[k][2]}, CC2.3", CELL)]
                     for k, t in enumerate(texts)]
            widths = [0.5 * inch, 4.6 * inch, 1.3 * inch]
        else:
            data = [[Paragraph(CONTROLS[k][2], CELL), Paragraph(t, CELL)] for k, t in enumerate(texts)]
            widths = [1.0 * inch, 5.3 * inch]
        if lead:
            out.append(Paragraph(lead, BODY))
        out.append(_plain_table(data, widths))
        return out
    if cell.layout.startswith("table_"):
        head = {"table_criteria_first": ["Criteria", "Complementary User Entity Control"],
                "table_criteria_last": ["Complementary User Entity Control", "Related Criteria"],
                "table_objective": ["Control Objective", "User Entity Control"],
                "table_number": ["#", "User Entity Control"]}[cell.layout]
        rows = []
        for k, t in enumerate(texts):
            key = {"table_criteria_first": CONTROLS[k][2], "table_criteria_last": CONTROLS[k][2],
                   "table_objective": CONTROLS[k][3], "table_number": str(k + 1)}[cell.layout]
            rows.append([key, t] if cell.layout != "table_criteria_last" else [t, key])
        narrow = 1.3 * inch if cell.layout != "table_number" else 0.5 * inch
        widths = [narrow, 5.0 * inch] if cell.layout != "table_criteria_last" else [5.0 * inch, narrow]
        data = [[Paragraph(f"<b>{h}</b>", CELL) for h in head]] + [[Paragraph(c, CELL) for c in r] for r in rows]
        if lead:
            out.append(Paragraph(lead, BODY))
        out.append(_plain_table(data, widths))
        return out
    if lead:
        out.append(Paragraph(lead, BODY))
    if cell.layout in GROUPED:
        for heading, ks in GROUPED[cell.layout]:
            out.append(Paragraph(f"<b>{heading}</b>", BODY))
            out.append(ListFlowable([ListItem(Paragraph(texts[k], BODY)) for k in ks], bulletType="bullet",
                                    start="\u2022"))
        return out
    if cell.layout == "paragraphs_tight":
        out += [Paragraph(t, ParagraphStyle("tight", parent=BODY, spaceBefore=0, spaceAfter=0)) for t in texts]
        return out
    if cell.layout.endswith(("_inline", "_inline_tight")):
        st = ParagraphStyle("inline", parent=BODY, spaceBefore=0, spaceAfter=0 if cell.layout.endswith("tight") else 6)
        marks = [f"{k + 1}." if cell.layout.startswith("num") else "\u2022" for k in range(len(texts))]
        out += [Paragraph(f"{m}&nbsp;&nbsp;{t}", st) for m, t in zip(marks, texts)]
        return out
    if cell.layout == "paragraphs":
        out += [Paragraph(t, ParagraphStyle("entry", parent=BODY, spaceAfter=6)) for t in texts]
        return out
    style = ParagraphStyle("numbered", parent=BODY, leftIndent=24, bulletIndent=0, spaceAfter=4, allowOrphans=1)
    if cell.layout == "page_break":
        # The last item starts at a page's foot and ends on the next page (a paragraph may split).
        for k, t in enumerate(texts):
            if k == 2:
                out.append(Spacer(1, SPAN_SPACER * inch))
            out.append(Paragraph(t, style, bulletText="\u2022"))
        return out
    for k, t in enumerate(texts):
        mark = GLYPHS.get(cell.layout) or NUMBERS[cell.layout].format(n=k + 1, a="abcdefgh"[k])
        # Helvetica has no square or tick: those glyphs come from a font that has them.
        font = _glyph_font() if ord(mark[0]) > 0x2100 else "Helvetica"
        out.append(Paragraph(t, ParagraphStyle(f"b{font}", parent=style, bulletFontName=font), bulletText=mark))
    return out


def build_cell_report(path: Path, cell: Cell) -> Path:
    """Cover, contents, auditor's report, assertion, description with the CUEC section, tests."""
    story: list = []

    def p(text: str, st=BODY) -> None:
        story.append(Paragraph(text, st))

    on_page = running_text(f"{ORG} | SOC 2 Type 2 Report | Billing Platform",
                           "Confidential - for user entities of Quillfeather only")

    p("SOC 2\u00ae Type 2", TITLE)
    p(ORG, TITLE)
    p("Report on Controls Relevant to Security and Processing Integrity", H2)
    p("For the period April 1, 2025 through March 31, 2026", H2)
    story.append(PageBreak())
    p("Table of Contents", H1)
    for t, n in [("Section 1: Independent Service Auditor's Report", 3), ("Section 2: Management's Assertion", 4),
                 ("Section 3: Description of the Billing Platform", 5), (title_text(cell, markup=False), 6),
                 ("Section 4: Tests of Controls and Results", 7)]:
        p(f"{t} {n}")
    story.append(PageBreak())

    p("Section 1: Independent Service Auditor's Report", H1)
    p(f"We have examined {ORG}'s accompanying description of its Billing Platform system for the period April 1, "
      "2025 through March 31, 2026 based on the criteria for a description of a service organization's system, and "
      "the suitability of the design and operating effectiveness of controls stated in the description, based on the "
      "trust services criteria relevant to security and processing integrity.")
    p("The description indicates that complementary user entity controls that are suitably designed and operating "
      "effectively are necessary, along with controls at Quillfeather, to achieve the service commitments. Our "
      "examination included:")
    story.append(ListFlowable([ListItem(Paragraph(t, BODY)) for t in [
        "Obtaining an understanding of the system and the service organization's service commitments.",
        "Assessing the risks that the description is not presented in accordance with the description criteria.",
        "Evaluating the overall presentation of the description, including the user entity controls it names.",
    ]], bulletType="bullet", start="\u2022"))
    p("In our opinion, in all material respects, the description presents the system that was designed and "
      "implemented, and the controls stated in the description operated effectively, if complementary user entity "
      "controls operated effectively throughout the period.")
    p(AUDITOR)
    p("Portland, Oregon")
    p("May 2, 2026")
    story.append(PageBreak())

    p("Section 2: Management's Assertion", H1)
    p(f"We have prepared the accompanying description of {SHORT}'s Billing Platform system for user entities of the "
      "system during some or all of the period and their auditors.")
    story.append(PageBreak())

    p("Section 3: Description of the Billing Platform", H1)
    p("Services Provided", H2)
    p(f"{SHORT} issues, delivers and reconciles invoices for small utilities and their customers.")
    story.append(PageBreak())
    p(title_text(cell), LABEL if cell.title_form == "bold" else H2)
    if cell.none_required:
        p(f"{SHORT}'s services were designed such that no complementary user entity controls are required to achieve "
          "the service commitments and system requirements.")
    else:
        if cell.intro:
            p(INTRO)
        story.extend(_list_story(cell))
        if cell.after == "disclaimer":
            p(DISCLAIMER)
        elif cell.after == "subheading":
            p(SUBHEADING[0], LABEL)
            p(SUBHEADING[1])
        elif cell.after == "table":
            p("Service Levels", H2)
            data = [[Paragraph("<b>Service</b>", CELL), Paragraph("<b>Availability Target</b>", CELL)],
                    [Paragraph("Invoice delivery portal", CELL), Paragraph("99.9% monthly", CELL)],
                    [Paragraph("Payment reconciliation reports", CELL), Paragraph("99.5% monthly", CELL)]]
            story.append(_plain_table(data, [3.5 * inch, 2.0 * inch]))
    p("Changes to the System During the Period", H2)
    p("There were no significant changes to the system during the period.")
    story.append(PageBreak())

    p("Section 4: Tests of Controls and Results", H1)
    data = [[Paragraph(f"<b>{h}</b>", CELL) for h in ("Control", "Test Performed", "Results")]]
    data += [[Paragraph(f"QB-{i}. Access to the invoicing console is reviewed by management every quarter.", CELL),
              Paragraph("Inspected the quarterly access reviews for a sample of quarters.", CELL),
              Paragraph("No exceptions noted.", CELL)] for i in range(1, 4)]
    story.append(_plain_table(data, [2.8 * inch, 2.6 * inch, 1.1 * inch]))
    doc = SimpleDocTemplate(str(path), pagesize=LETTER, topMargin=0.9 * inch, bottomMargin=0.9 * inch)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


def _matrix() -> list[Cell]:
    """Every layout once, with wording, title, title form and what follows cycling at co-prime strides."""
    words = list(WORDINGS)
    cells = []
    for i, layout in enumerate(LAYOUTS):
        cells.append(Cell(name=f"{i:02d}-{layout}", layout=layout, wording=words[(i * 3) % len(words)],
                          title=TITLES[i % len(TITLES)], title_form=TITLE_FORMS[(i + i // len(TITLES)) % len(TITLE_FORMS)],
                          after=AFTERS[i % len(AFTERS)]))
    # Pairs the cycle above misses: each wording under a bulleted list and under a table.
    for j, w in enumerate(words):
        layout = ["bullet_dot", "num_dot", "table_criteria_last", "paragraphs"][j % 4]
        cells.append(Cell(name=f"{len(cells):02d}-{w}", layout=layout, wording=w, title=TITLES[(j + 2) % len(TITLES)],
                          title_form=TITLE_FORMS[(3 * j + 1) % len(TITLE_FORMS)], after=AFTERS[(j + 1) % len(AFTERS)]))
    # Second wave: its layouts and title forms with every wording and title again, at other strides.
    for i, layout in enumerate(LAYOUTS_2):
        cells.append(Cell(name=f"{len(cells):02d}-{layout}", layout=layout, wording=words[(i * 5 + 1) % len(words)],
                          title=TITLES[(i + 3) % len(TITLES)], title_form=TITLE_FORMS_2[i % len(TITLE_FORMS_2)],
                          after=AFTERS[(i + 2) % len(AFTERS)]))
    # Group headings in the title's own type (a bold body-size title): they group, they do not end the list.
    for layout in GROUPED:
        cells.append(Cell(name=f"{len(cells):02d}-{layout}-bold-title", layout=layout, wording="ue_responsible",
                          title=TITLES[2], title_form="bold", after="disclaimer"))
    for layout in ("paragraphs", "num_dot", "table_criteria_first", "bullet_dot"):
        cells.append(Cell(name=f"{len(cells):02d}-{layout}-then-subheading", layout=layout, wording="customers_should",
                          title=TITLES[0], after="subheading"))
    # A title wrapped over two lines with the list straight under it, no introduction.
    for layout, title in (("bullet_dot", TITLES[3]), ("table_criteria_first", TITLES[5]), ("alpha_parens", TITLES[1])):
        cells.append(Cell(name=f"{len(cells):02d}-{layout}-wrapped-no-intro", layout=layout, wording="leadin_lower",
                          title=title, title_form="wrapped", intro=False))
    for j, title in enumerate(TITLES_2):
        cells.append(Cell(name=f"{len(cells):02d}-title-{j}", layout=["bullet_dot", "table_criteria_last", "paragraphs",
                                                                      "num_paren", "grouped"][j],
                          wording=words[(j * 3 + 2) % len(words)], title=title, title_form=TITLE_FORMS[j],
                          after=AFTERS[j % len(AFTERS)]))
    for i, layout in enumerate(LAYOUTS_3):
        cells.append(Cell(name=f"{len(cells):02d}-{layout}", layout=layout, wording=words[(i * 3 + 1) % len(words)],
                          title=TITLES[(i + 1) % len(TITLES)], after=AFTERS[i % len(AFTERS)]))
    for i, layout in enumerate(LAYOUTS_4):
        cells.append(Cell(name=f"{len(cells):02d}-{layout}", layout=layout, wording=["userorg_must", "imperative"][i],
                          title=TITLES[i], after=AFTERS[i + 1]))
    # Lower-case entries under a lead-in, marked with the letter "o" some templates use as a bullet.
    cells.append(Cell(name=f"{len(cells):02d}-bullet_o-lower", layout="bullet_o", wording="leadin_lower"))
    cells.append(Cell(name=f"{len(cells):02d}-none-required", none_required=True))
    cells.append(Cell(name=f"{len(cells):02d}-none-required-caps", none_required=True, title=TITLES[3],
                      title_form="caps"))
    return cells


MATRIX = _matrix()
