"""Variations of exceptions and test tables, on hand-made words, rows and blocks.

All wording is invented (Harbor Lane Systems, Quillfeather Ltd.); each test
names the variation class it covers.
"""

from nlp.exceptions import (
    CONTROL_ID, canonical_id, dedupe, extract_exceptions, header_roles, named_control, same_exception,
)
from nlp.geometry import RawPage, Word
from nlp.headers import COLUMN_WORDS, HEADER_WORD
from nlp.layout import Line, PageLayout, Row, _HEADER_WORD, assemble
from nlp.results import ControlException
from nlp.rules import classify_result
from test_layout import words


def raw(number: int, body: list[Word]) -> RawPage:
    return RawPage(number, 612, 792, body, [], [])


# ---------------------------------------------------------------- one header vocabulary

def test_layout_and_extractors_share_one_header_vocabulary():
    """Class: column names. layout's header word test is the shared vocabulary, which
    knows results and responses columns ("Deviation Noted", "Management Response")."""
    assert _HEADER_WORD is HEADER_WORD
    assert HEADER_WORD.search("Deviation Noted") and HEADER_WORD.search("Management Response")
    assert {"result", "test", "id", "control", "response", "criteria"} <= set(COLUMN_WORDS)


def test_header_roles_read_a_responses_table():
    """Class: responses in a later section, as a table keyed by control id."""
    roles = header_roles(["Control ID", "Control Activity", "Deviation Noted", "Management Response"])
    assert roles == {"id": 0, "control": 1, "result": 2, "response": 3}


# ---------------------------------------------------------------- header cells at different heights

def _two_line_id_header(top: float) -> list[Word]:
    """A bold header whose "Control / Ref" cell takes two lines, set around one-line cells."""
    return (words("Control", 60, top, bold=True) + words("Service", 250, top, bold=True)
            + words("Control Activity", 120, top + 5, bold=True) + words("Tests Performed", 330, top + 5, bold=True)
            + words("Results of Tests", 480, top + 5, bold=True)
            + words("Ref", 60, top + 10, bold=True) + words("Scope", 250, top + 10, bold=True))


def test_header_band_beats_its_own_first_line():
    """Class: a header whose first line ("Control  Service") is a header on its own,
    but the whole band holds more columns; body rows start in the id column."""
    body = (words("HL - 4", 60, 130) + words("Backups run daily.", 120, 130) + words("East", 250, 130)
            + words("Inspected logs.", 330, 130) + words("No deviations noted.", 480, 130))
    layout = assemble([raw(5, _two_line_id_header(90) + body)], set())[0]
    headers = [b for b in layout.blocks if isinstance(b, Row) and b.header]
    rows = [b for b in layout.blocks if isinstance(b, Row) and not b.header]
    assert [h.cells for h in headers] == [["Control Ref", "Control Activity", "Service Scope", "Tests Performed",
                                           "Results of Tests"]]
    assert rows and rows[0].cells[0] == "HL - 4" and rows[0].cells[-1] == "No deviations noted."


def test_responses_table_header_is_read_as_a_table():
    """Class: a responses table "Control ID | Control Activity | Deviation Noted | Management Response"
    in bold, its id cell on two lines."""
    header = (words("Control", 60, 300, bold=True) + words("Control Activity", 120, 305, bold=True)
              + words("Deviation Noted", 260, 305, bold=True) + words("Management Response", 400, 305, bold=True)
              + words("ID", 60, 310, bold=True))
    body = (words("HL - 4", 60, 340) + words("Backups run.", 120, 340) + words("Deviation noted:", 260, 340)
            + words("Jobs were re-run.", 400, 340))
    layout = assemble([raw(30, header + body)], set())[0]
    rows = [b for b in layout.blocks if isinstance(b, Row)]
    assert rows[0].header and rows[0].cells == ["Control ID", "Control Activity", "Deviation Noted",
                                                "Management Response"]
    assert rows[1].cells == ["HL - 4", "Backups run.", "Deviation noted:", "Jobs were re-run."]


# ---------------------------------------------------------------- control ids in any format

def test_control_ids_with_spaced_dashes_are_ids():
    """Class: control id formats "CC6.1.2", "C-8", "HL - 4", "QF-AC-012"."""
    for cid in ["CC6.1.2", "C-8", "HL - 4", "QF-AC-012", "7.3"]:
        assert CONTROL_ID.match(cid), cid
    assert canonical_id("HL - 4") == canonical_id("hl–4") == "HL-4"
    assert named_control("Exception noted: HL - 4: For 2 of 25 backups, no log was kept.") == "HL-4"
    assert named_control("Deviation noted: For 2 of 25 backups, no log was kept.") is None


# ---------------------------------------------------------------- one exception, found once

_RESULT = "For 3 of the 40 sampled tapes, evidence of the offsite rotation was not retained by Harbor Lane."


def _layout(number: int, blocks: list) -> PageLayout:
    return PageLayout(number, 792, blocks)


def _mapping_page(number: int, cut_short: bool = False) -> PageLayout:
    """A criteria-mapping table: criterion | the controls that meet it | result naming the failed control."""
    text = "Exception noted: HL - 4:" + ("" if cut_short else " " + _RESULT)
    return _layout(number, [
        Row(["Criterion", "Harbor Lane Controls", "Test Result"], number, (50, 80, 560, 90), header=True),
        Row(["A1.2 Backups are kept.", "HL - 3. Tapes are labelled. HL - 4. Tapes rotate.", text],
            number, (50, 100, 560, 200)),
    ])


def _test_page(number: int) -> PageLayout:
    return _layout(number, [
        Row(["Control ID", "Control Activity", "Tests Performed", "Results of Tests"], number, (50, 80, 560, 90),
            header=True),
        Row(["HL - 3", "Tapes are labelled.", "Inspected labels.", "No exceptions noted."], number,
            (50, 100, 560, 140)),
        Row(["HL - 4", "Tapes rotate offsite weekly.", "Inspected rotation logs for a sample of tapes.",
             "Exception noted: " + _RESULT], number, (50, 150, 560, 220)),
    ])


def test_an_exception_repeated_in_mapping_tables_is_kept_once_on_its_test_page():
    """Class: exceptions repeated in criteria-mapping tables (one cut short by a page
    break) before the test table: one item, on the page of the row with the test."""
    layouts = [_mapping_page(10), _mapping_page(12, cut_short=True), _mapping_page(14), _test_page(40)]
    found = extract_exceptions(layouts, [])
    assert len(found) == 1
    assert found[0].page == 40 and canonical_id(found[0].control_id) == "HL-4"
    assert found[0].test == "Inspected rotation logs for a sample of tapes."


def test_a_repeat_without_id_joins_the_same_exception():
    """Class: a repeat whose id was lost (a row split off its first line) is the same exception."""
    with_id = ControlException("Exception noted: " + _RESULT, 40, "HL-4", test="Inspected logs.")
    cut = ControlException("Exception noted: HL - 4:", 11, "HL-4")
    no_id = ControlException(_RESULT, 11, None)
    assert same_exception(no_id, with_id) and not same_exception(no_id, cut)
    assert dedupe([cut, no_id, with_id]) == [with_id]


def test_two_exceptions_of_one_control_stay_two():
    """Class: one control, two tests, two different exceptions."""
    a = ControlException("Exception noted: " + _RESULT, 40, "HL-4", test="Inspected logs.")
    b = ControlException("Exception noted: For 1 of 5 quarters the vault review was not signed.", 40, "HL-4",
                         test="Inspected reviews.")
    assert len(dedupe([a, b])) == 2


def test_same_text_on_different_controls_stays_two():
    """Class: reports that print one wording for two controls' exceptions."""
    a = ControlException("Exception noted: " + _RESULT, 40, "HL-4", test="t")
    b = ControlException("Exception noted: " + _RESULT, 41, "HL-5", test="t")
    assert len(dedupe([a, b])) == 2


# ---------------------------------------------------------------- responses in a later section

def test_responses_table_keyed_by_spaced_ids_is_attached():
    """Class: management responses in a later section, a table keyed by control id
    printed with spaces ("HL - 4") while the test row reads the same id."""
    from nlp.sections import Heading, Section

    tests = Section("SEC_TESTS", Heading("SEC_TESTS", 40, 0, "Section 4: Tests of Controls"), None)
    other = Section("SEC_OTHER", Heading("SEC_OTHER", 60, 0, "Section 5: Other Information"), None)
    responses = _layout(60, [
        Line("Section 5: Other Information", 60, (50, 60, 300, 70), True, 12),
        Row(["Control ID", "Control Activity", "Exception Noted", "Management Response"], 60, (50, 80, 560, 90),
            header=True),
        Row(["HL - 4", "Tapes rotate offsite weekly.", "Exception noted: " + _RESULT,
             "Quillfeather Ltd. now keeps the courier receipts centrally."], 60, (50, 100, 560, 160)),
    ])
    page40 = _test_page(40)
    page40.blocks.insert(0, Line("Section 4: Tests of Controls", 40, (50, 60, 300, 70), True, 12))
    for b in page40.blocks:
        if isinstance(b, Row):
            b.bbox = (b.bbox[0], b.bbox[1] + 20, b.bbox[2], b.bbox[3] + 20)
    found = extract_exceptions([page40, responses], [tests, other])
    assert len(found) == 1 and found[0].page == 40
    assert found[0].management_response == "Quillfeather Ltd. now keeps the courier receipts centrally."


# ---------------------------------------------------------------- not exceptions

def test_not_applicable_and_nothing_to_test_are_not_exceptions():
    """Class: "Not applicable", "N/A", "No events to test" results."""
    for text in ["Not applicable.", "N/A", "N/A.", "No events to test.", "No new vendors to sample."]:
        assert classify_result(text) == "nonoccurrence", text


def test_rows_of_a_report_without_ids_stay_apart():
    """Class: reports without control ids, where two tests read the same result."""
    a = ControlException("Deviation noted: for 1 of 25 tickets the approval was not kept.", 40, None,
                         control="Changes are approved.", test="Inspected tickets.")
    b = ControlException("Deviation noted: for 1 of 25 tickets the approval was not kept.", 41, None,
                         control="Releases are approved.", test="Inspected releases.")
    summary = ControlException("Deviation noted: for 1 of 25 tickets the approval was not kept.", 60, None)
    assert len(dedupe([a, b])) == 2
    assert len(dedupe([a, summary])) == 1
    assert len(dedupe([a, b, summary])) == 2 and len(dedupe([summary, a, b])) == 2


def _tests_and_other():
    from nlp.sections import Heading, Section

    return [Section("SEC_TESTS", Heading("SEC_TESTS", 40, 0, "Section 4: Tests of Controls"), None)]


def test_responses_below_the_table_naming_the_control_are_attached():
    """Class: management responses printed below the test table, in the tests section,
    naming the control in the label or in the line above it."""
    page40 = _test_page(40)
    page40.blocks.insert(0, Line("Section 4: Tests of Controls", 40, (50, 60, 300, 70), True, 12))
    page40.blocks += [
        Line("Management's response to the exception in HL - 4: Quillfeather Ltd. now keeps", 40,
             (50, 300, 560, 310), False, 9),
        Line("the courier receipts centrally.", 40, (50, 312, 560, 322), False, 9),
    ]
    for b in page40.blocks[1:3]:
        b.bbox = (b.bbox[0], b.bbox[1] + 20, b.bbox[2], b.bbox[3] + 20)
    found = extract_exceptions([page40], _tests_and_other())
    assert found[0].management_response == "Quillfeather Ltd. now keeps the courier receipts centrally."

    page41 = _test_page(41)
    page41.blocks += [
        Line("Control HL - 4", 41, (50, 300, 200, 310), True, 9),
        Line("Management's Response: The receipts are now kept centrally.", 41, (50, 320, 560, 330), False, 9),
    ]
    found = extract_exceptions([page41], _tests_and_other())
    assert found[0].management_response == "The receipts are now kept centrally."
