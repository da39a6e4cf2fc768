"""How real reports give subservice organizations and their CSOCs (invented wording and names).

Variation classes:
- a CSOC table inside the subservice subsection, row ids in its first column and a header
  wrapped over two rows that names the organization by its short name;
- SOC 3s and short reports: no subservice heading, the providers named in running prose
  ("controls of X and Y are necessary ...", "did not extend to the ... controls of X"), the
  CSOC table introduced by a sentence, criteria printed as a series ("CC6 Series");
- scope statements without the word "subservice" (excludes / includes / not included).
"""

from __future__ import annotations

import pytest

from nlp.layout import Block, Line, PageLayout, Row
from nlp.pdftext import TextPage
from nlp.sections import Heading, Section
from nlp.subservice import extract_subservice

_BODY = 10.0


def _line(text: str, page: int, y: float, bold: bool = False, size: float = _BODY) -> Line:
    return Line(text, page, (72.0, y, 540.0, y + size), bold, size)


def _row(cells: list[str], page: int, y: float, header: bool = False) -> Row:
    return Row(cells, page, (72.0, y, 540.0, y + 24), header)


def _page(number: int, specs: list[tuple]) -> tuple[TextPage, PageLayout]:
    """Blocks from ("line", text[, bold]) / ("row", cells[, header]) specs, top to bottom."""
    blocks: list[Block] = []
    y = 72.0
    for kind, content, *flag in specs:
        strong = bool(flag and flag[0])
        if kind == "line":
            blocks.append(_line(content, number, y, bold=strong, size=12.0 if strong else _BODY))
            y += 14
        else:
            blocks.append(_row(content, number, y, header=strong))
            y += 28
    lines = [b.text for b in blocks]
    return TextPage(number, lines), PageLayout(number, 792.0, blocks)


def _heading(label: str, page: TextPage, text: str) -> Heading:
    return Heading(label, page.number, page.lines.index(text), text)


def test_csoc_table_with_row_ids_in_the_subservice_subsection():
    intro, intro_lay = _page(1, [
        ("line", "System Overview", True),
        ("line", "Ledgerly runs its platform in data halls operated by Northwind Hosting, LLC (Northwind)."),
    ])
    sub, sub_lay = _page(2, [
        ("line", "Subservice Organizations", True),
        ("line", "Colocation functions operated by Northwind have been excluded from the engagement."),
        ("line", "The table below lists the types of controls Ledgerly expects Northwind to operate."),
        ("row", ["", "", "", "Applicable", ""]),
        ("row", ["Ref.", "", "Controls Expected to be Operated by Northwind", "Criteria", ""]),
        ("row", ["SC-01", "", "Northwind is expected to restrict physical access to the data halls to badge "
                 "holders approved by site security.", "CC6.4", ""]),
        ("row", ["SC-02", "", "Northwind is expected to keep power and cooling equipment under maintenance "
                 "contracts and to test generators monthly.", "A1.2 - A1.3", ""]),
        ("line", "Control Environment", True),
        ("line", "Ledgerly sets the tone for integrity and ethical values through its code of conduct."),
    ])
    pages, layouts = [intro, sub], [intro_lay, sub_lay]
    sections = [Section("SUB_SUBSERVICE", _heading("SUB_SUBSERVICE", sub, "Subservice Organizations"),
                        _heading("SUB_OTHER", sub, "Control Environment"))]
    orgs, csocs = extract_subservice(pages, layouts, sections, "Ledgerly, Inc.")
    assert [(o.name, o.method) for o in orgs] == [("Northwind Hosting, LLC", "carve-out")]
    assert [(c.subservice_organization, c.criteria) for c in csocs] == [
        ("Northwind Hosting, LLC", ["CC6.4"]), ("Northwind Hosting, LLC", ["A1.2", "A1.3"])]
    assert csocs[0].text.startswith("Northwind is expected to restrict physical access")


def _soc3_pages() -> tuple[list[TextPage], list[PageLayout], list[Section]]:
    first, first_lay = _page(1, [
        ("line", "Management's system disclosures", True),
        ("line", "Infrastructure", True),
        ("line", "The platform is hosted by Zephyr Compute (Zephyr) and Halcyon Cloud (Halcyon) (the Hosting Partners)."),
        ("line", "Certain controls of Zephyr and Halcyon are necessary in combination with the Company's controls."),
        ("line", "The criteria and controls that are necessary to be in place at Zephyr and Halcyon are listed below:"),
        ("line", "Hosting partner controls", True),
    ])
    second, second_lay = _page(2, [
        ("row", ["Criteria", "Control"], True),
        ("row", ["Logical Access (CC6 Series)", "Access to hosting consoles is restricted to named administrators "
                 "and reviewed each quarter by the partner."]),
        ("row", ["Availability (A Series)", "Redundant power and network links are maintained and failover is "
                 "tested at least once a year."]),
        ("line", "The examination did not extend to the policies, procedures, and controls of Zephyr and Halcyon."),
        ("line", "Software", True),
        ("row", ["Tool", "Purpose"], True),
        ("row", ["Quillsoft", "Ticketing and on-call paging"]),
        ("row", ["Brightlog", "Log search"]),
    ])
    pages = [first, second]
    sections = [Section("SEC_DESCRIPTION", _heading("SEC_DESCRIPTION", first, "Management's system disclosures"), None)]
    return pages, [first_lay, second_lay], sections


def test_providers_named_in_prose_and_a_csoc_table_introduced_by_a_sentence():
    pages, layouts, sections = _soc3_pages()
    orgs, csocs = extract_subservice(pages, layouts, sections, "Quarry Labs Inc.")
    assert [(o.name, o.method, o.page) for o in orgs] == [
        ("Zephyr Compute", "carve-out", 1), ("Halcyon Cloud", "carve-out", 1)]
    # A row assigned to "X and Y" goes to the first-named; criteria as printed (a series).
    assert [(c.subservice_organization, c.criteria, c.page) for c in csocs] == [
        ("Zephyr Compute", ["CC6"], 2), ("Zephyr Compute", ["A"], 2)]


def test_pages_of_a_csoc_table_outside_any_list_section_are_read_with_geometry():
    from nlp.subservice import subservice_pages

    pages, _, sections = _soc3_pages()
    assert {1, 2} <= subservice_pages(pages, sections)


@pytest.mark.parametrize("sentence,name,method", [
    ("The description excludes the controls of Bramble Data Centers, Inc., which houses the servers.",
     "Bramble Data Centers, Inc.", "carve-out"),
    ("The description includes the relevant controls of Fenwick Payments Ltd. for card settlement.",
     "Fenwick Payments Ltd.", "inclusive"),
    ("Colocation services performed by Kestrel Facilities are excluded from this report.",
     "Kestrel Facilities", "carve-out"),
    ("Our examination did not extend to the policies, procedures, and controls of Larkspur Analytics.",
     "Larkspur Analytics", "carve-out"),
])
def test_scope_statements_without_the_word_subservice(sentence, name, method):
    page, lay = _page(1, [("line", "Description of the System", True), ("line", sentence)])
    sections = [Section("SEC_DESCRIPTION", _heading("SEC_DESCRIPTION", page, "Description of the System"), None)]
    orgs, _ = extract_subservice([page], [lay], sections, "Quarry Labs Inc.")
    assert [(o.name, o.method) for o in orgs] == [(name, method)]


def test_csoc_table_header_repeated_on_the_next_page_does_not_run_into_the_user_entity_list():
    header = ["Subservice Organization", "Complementary Subservice Organization Control", "Related Criteria"]
    first, first_lay = _page(1, [
        ("line", "Complementary Subservice Organization Controls", True),
        ("row", header, True),
        ("row", ["Corvid Cloud", "Corvid Cloud is responsible for restricting physical access to its data halls.",
                 "CC6.4"]),
    ])
    second, second_lay = _page(2, [
        ("row", header, True),
        ("row", ["Corvid Cloud", "Corvid Cloud is responsible for patching the hypervisors that host the platform.",
                 "CC7.1"]),
        ("line", "Complementary User Entity Controls", True),
        ("row", ["#", "Complementary User Entity Control", "Related Criteria"], True),
        ("row", ["1", "User entities are responsible for approving the access of their own administrators.", "CC6.2"]),
    ])
    # The text pass took the header row for a heading: on page 1 it opens the CSOC section, and
    # repeated on page 2 it ends it.
    sections = [
        Section("SUB_CSOC", _heading("SUB_CSOC", first, " ".join(header)),
                Heading("SUB_SUBSERVICE", 2, 0, "Subservice Organization")),
        Section("SUB_SUBSERVICE", Heading("SUB_SUBSERVICE", 2, 0, "Subservice Organization"),
                _heading("SUB_CUEC", second, "Complementary User Entity Controls")),
        Section("SUB_CUEC", _heading("SUB_CUEC", second, "Complementary User Entity Controls"), None),
    ]
    _, csocs = extract_subservice([first, second], [first_lay, second_lay], sections, "Quarry Labs Inc.")
    assert [c.criteria for c in csocs] == [["CC6.4"], ["CC7.1"]]


@pytest.mark.parametrize("rows,names", [
    # A summary table's "N/A" means none, and its other rows ("Exceptions noted | None") are no names.
    ([["Subservice Providers", "N/A"], ["Exceptions noted", "None"]], []),
    ([["Subservice Organization", "Services"], ["N/A", "N/A"]], []),
    # The label cell is no name; its value holds the names.
    ([["Subservice Organizations", "Quillbank Data Services, Inc. and Tern Hosting"], ["Exceptions noted", "None"]],
     ["Quillbank Data Services, Inc.", "Tern Hosting"]),
])
def test_summary_and_none_rows_in_a_subservice_table(rows, names):
    page, lay = _page(1, [("line", "Subservice Organizations", True)] + [("row", r) for r in rows])
    sections = [Section("SUB_SUBSERVICE", _heading("SUB_SUBSERVICE", page, "Subservice Organizations"), None)]
    orgs, _ = extract_subservice([page], [lay], sections, "Quarry Labs Inc.")
    assert [o.name for o in orgs] == names


@pytest.mark.parametrize("sentence", [
    "Our examination did not extend to the controls of Subservice Organizations.",
    "Certain controls at User Entities are necessary to achieve the criteria.",
    "The description includes the controls of Management and the Board of Directors.",
    "The examination did not extend to controls of the Cloud Service Provider.",
])
def test_capitalised_role_phrases_in_scope_statements_are_no_organizations(sentence):
    page, lay = _page(1, [("line", "Description of the System", True), ("line", sentence)])
    sections = [Section("SEC_DESCRIPTION", _heading("SEC_DESCRIPTION", page, "Description of the System"), None)]
    orgs, _ = extract_subservice([page], [lay], sections, "Quarry Labs Inc.")
    assert orgs == []


def test_csoc_bullets_under_a_sentence_naming_a_group_of_providers():
    page, lay = _page(1, [
        ("line", "System Disclosures", True),
        ("line", "The service runs on Zephyr Compute (Zephyr) and Halcyon Cloud (Halcyon) (the Hosting Partners)."),
        ("line", "The controls expected to be implemented by Zephyr and Halcyon include:"),
        ("line", "• Physical access to the data halls is restricted to approved badge holders. (CC6.4)"),
        ("line", "• Hypervisors are patched within the windows the partners publish to their"),
        ("line", "customers."),
        ("line", "Our examination did not extend to the policies, procedures, and controls of Zephyr and Halcyon."),
    ])
    sections = [Section("SEC_DESCRIPTION", _heading("SEC_DESCRIPTION", page, "System Disclosures"), None)]
    orgs, csocs = extract_subservice([page], [lay], sections, "Quarry Labs Inc.")
    assert [o.name for o in orgs] == ["Zephyr Compute", "Halcyon Cloud"]
    assert [(c.subservice_organization, c.criteria) for c in csocs] == [("Zephyr Compute", ["CC6.4"]),
                                                                        ("Zephyr Compute", [])]
    assert csocs[1].text.endswith("publish to their customers.")


def test_subservice_table_cut_by_a_line_keeps_its_header():
    page, lay = _page(1, [
        ("line", "Subservice Organizations", True),
        ("row", ["#", "Subservice Organization", "Services Provided"], True),
        ("row", ["1", "Tern Hosting", "Colocation of the production servers"]),
        ("line", "(continued)"),
        ("row", ["2", "Wren Mail Ltd.", "Delivery of notification emails"]),
    ])
    sections = [Section("SUB_SUBSERVICE", _heading("SUB_SUBSERVICE", page, "Subservice Organizations"), None)]
    orgs, _ = extract_subservice([page], [lay], sections, "Quarry Labs Inc.")
    assert [o.name for o in orgs] == ["Tern Hosting", "Wren Mail Ltd."]
