"""Other firms' templates: CSOC lists under short-name lines, unruled CSOC tables, CUECs under
criteria lines, unruled three-column matrices and a "SOC 2® Type 2" cover."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.criteria import parse_criteria
from otherfirms import Firm, build_firm_report

VARIANTS = {
    "glyph-bullets": Firm(),
    "bold-labels-numbered": Firm(csoc_layout="numbered", bold_labels=True, cuec_heading="User Entity Responsibilities"),
    "letters": Firm(csoc_layout="letters", cuec_heading="Complementary Controls at User Entities", examined="Orion"),
    "unruled-table": Firm(csoc_layout="table", bold_labels=True),
    "tight-unruled-table": Firm(csoc_layout="table", table_padding=3, cuec_heading="Complementary User Entity Controls"),
    # The subservice organizations in an unruled table right above the CSOCs: its columns must not swallow them.
    "subservice-table-above": Firm(subservice_table=True, bold_labels=True, filler_rows=22),
    # A plain header naming the company in full, repeated on each page, its last cell wrapped.
    "plain-long-header-landscape": Firm(bold_header=False, landscape=True, filler_rows=17, matrix_header=(
        "Control Activity Specified by Orion Ledger Systems, Inc.", "Tests of Controls", "Results of Testing")),
    "plain-header-split-row": Firm(bold_header=False, filler_rows=1),
    "big-glyph-bullets": Firm(bullet_size=18),
    "legal-name-labels": Firm(org_label="legal", bold_labels=True),
    "no-glyph-entries-under-bold-names": Firm(csoc_layout="paragraphs", bold_labels=True),
    # The matrix header is printed once; a page starts inside a wrapped results cell.
    "header-once-split-result": Firm(repeat_header=False, filler_rows=11),
    "header-once-split-rows": Firm(repeat_header=False, filler_rows=16, bold_header=False),
    # Header cells set to the bottom/middle of the header row start on different lines.
    "plain-header-bottom-aligned": Firm(header_valign="BOTTOM", bold_header=False, filler_rows=14, matrix_header=(
        "Control Activity Specified by Orion Ledger Systems, Inc.", "Tests of Controls", "Results")),
    "split-headings": Firm(split_headings=True, cuec_heading="Complementary User Entity Controls"),
    "split-headings-bold-labels": Firm(split_headings=True, bold_labels=True, cuec_heading="Complementary User Entity Controls"),
    "plain-csoc-table-header-naming-csocs": Firm(csoc_layout="table", csoc_plain_header=True, csoc_header=(
        "Subservice Organization", "Complementary Subservice Organization Controls", "Applicable Criteria")),
    "topic-headings-under-names": Firm(topic_headings=True),
    "csoc-paragraphs-plain-names": Firm(csoc_layout="paragraphs", org_label="legal"),
    # The CSOC heading and intro end a page; the unruled table (its header read as a heading) opens the next.
    "csoc-table-next-page": Firm(csoc_layout="table", csoc_table_next_page=True, csoc_plain_header=True,
                                 csoc_first_width=2.0),
    "csoc-bold-table-next-page": Firm(csoc_layout="table", csoc_table_next_page=True, csoc_first_width=2.0),
    # Header cells indented past their columns' text; the control text set lower than the row's
    # first line, its lines falling between those of the other cells.
    "indented-header-offset-control": Firm(header_indent=5, control_offset=0.5, bold_header=False),
    "indented-bold-header-offset-control": Firm(header_indent=5, control_offset=0.5, table_padding=4),
    "bold-header-middle-aligned": Firm(header_valign="MIDDLE", matrix_header=(
        "Control Activity Specified by Orion Ledger Systems, Inc.", "Tests of Controls", "Results")),
}


def _norm(s: str) -> str:
    return " ".join(s.split()).lower()


@pytest.fixture(scope="module")
def firm_results(tmp_path_factory):
    from nlp.pipeline import run
    from nlp.results import Source

    out = tmp_path_factory.mktemp("firms")
    done = {}
    for name, firm in VARIANTS.items():
        path = build_firm_report(Path(out / f"{name}.pdf"), firm)
        done[name] = (run(str(path), Source(path.name, "0" * 64), 2000, lambda d, t: None), firm)
    return done


@pytest.mark.parametrize("name", list(VARIANTS))
def test_csocs_under_short_names_carry_the_legal_name(firm_results, name):
    result, firm = firm_results[name]
    legal = {short: name for name, short, _ in firm.subservice}
    got = [(_norm(c.text), c.subservice_organization) for c in result.csocs]
    assert got == [(_norm(t), legal[o]) for o, t, _ in firm.csocs]
    if firm.csoc_layout == "table":
        assert [c.criteria for c in result.csocs] == [parse_criteria(c) for _, _, c in firm.csocs]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_cuecs_take_the_criteria_line_above_them(firm_results, name):
    result, firm = firm_results[name]
    want = [(_norm(t), parse_criteria(crit)) for crit, texts in firm.cuecs for t in texts]
    assert [(_norm(c.text), c.criteria) for c in result.cuecs] == want


@pytest.mark.parametrize("name", list(VARIANTS))
def test_unruled_three_column_matrix_exceptions(firm_results, name):
    result, firm = firm_results[name]
    want = [(group, r) for group, rows in firm.matrix for r in rows
            if r.result.startswith(("Exceptions noted", "The service auditor noted"))]
    assert [e.control_id for e in result.exceptions] == [r.control_id for _, r in want]
    for got, (group, row) in zip(result.exceptions, want):
        assert got.description == row.result
        assert got.management_response == row.response
        assert got.control == row.control
        assert got.criteria == parse_criteria(group)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_cover_and_scope(firm_results, name):
    result, firm = firm_results[name]
    assert result.report.service_organization == firm.org
    assert result.report.trust_services_criteria == firm.categories


def _line(text: str, page: int, top: float, x0: float = 72.0) -> "Line":
    from nlp.layout import Line

    return Line(text, page, (x0, top, x0 + 400, top + 10), False, 10.0)


def test_item_carried_over_a_page_break_flush_with_its_bullet():
    from nlp.items import extract_items

    lines = [_line("• User entities are responsible for reviewing the access of", 1, 700),
             _line("• Customers should notify the service organization of changes to their", 1, 714),
             _line("technical contacts in a timely manner.", 2, 80),
             _line("• Client organizations are responsible for their own backups.", 2, 94)]
    assert [i.text for i in extract_items(lines)] == [
        "User entities are responsible for reviewing the access of",
        "Customers should notify the service organization of changes to their technical contacts in a timely manner.",
        "Client organizations are responsible for their own backups."]


def test_criteria_line_heads_paragraph_items_and_is_no_item():
    from nlp.items import extract_items

    lines = [_line("CC 2.3, CC 8.1", 1, 100),
             _line("User entities are responsible for communicating changes in key contacts.", 1, 112),
             _line("C 1.1", 1, 140),
             _line("User entities are responsible for classifying the data they upload.", 1, 152)]
    assert [(i.text, i.criteria) for i in extract_items(lines)] == [
        ("User entities are responsible for communicating changes in key contacts.", ["CC2.3", "CC8.1"]),
        ("User entities are responsible for classifying the data they upload.", ["C1.1"])]


@pytest.mark.parametrize("sentence, name, services", [
    ('Acme Cloud, Inc. ("Acme"), a third-party hosting provider, hosts the production environment.',
     "Acme Cloud, Inc.", "the production environment"),
    ('Twilio Inc. ("Twilio") is a subservice organization that provides SMS delivery.', "Twilio Inc.", "SMS delivery"),
])
def test_subservice_organization_introduced_with_an_appositive_or_as_a_subservice_organization(sentence, name, services):
    from nlp.subservice import _from_sentence, _Registry

    reg = _Registry(set())
    _from_sentence(sentence, 1, reg)
    assert [(o.name, o.services) for o in reg.orgs] == [(name, services)]


def test_numbered_forms_and_a_heading_cut_differently_by_the_two_passes():
    from nlp.items import BULLET, _holds_heading

    assert [BULLET.sub("", t, count=1) for t in ["CSOC 1.1 Access is logged.", "[2] Access is logged.",
                                                   "(cid:127)Access is logged."]] == ["Access is logged."] * 3
    heading = "Complementary Subservice Organization Controls"
    assert _holds_heading("3.6 Complementary Subservice Organization Controls", heading)
    assert _holds_heading("Complementary Subservice", heading)
    assert not _holds_heading("AWS", heading)
