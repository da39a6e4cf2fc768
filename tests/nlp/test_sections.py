"""Section segmentation from the text pass."""

from nlp.pdftext import RawText, TextPage, clean_pages
from nlp.sections import build_sections, find_headings, find_opinion, heading_label, ordered, strip_numbering


def test_numbering_forms_are_stripped():
    assert strip_numbering("Section III: Description of the System") == "Description of the System"
    assert strip_numbering("Section 1 – Independent Service Auditor's Report") == "Independent Service Auditor's Report"
    assert strip_numbering("IV. Tests of Controls") == "Tests of Controls"
    assert strip_numbering("3 Description of the Platform") == "Description of the Platform"


def test_heading_wordings_and_prose_lines():
    assert heading_label("1 Independent Service Auditor's Assurance Report") == "SEC_AUDITOR"
    assert heading_label("2 Statement by the Management of Lumenfield") == "SEC_ASSERTION"
    assert heading_label("Client Responsibilities") == "SUB_CUEC"
    assert heading_label("Complementary user entity controls") == "SUB_CUEC"
    assert heading_label("Description of Criteria, Controls, Tests and Results") == "SEC_TESTS"
    # Wrapped prose that happens to hold the phrases is not a heading.
    assert heading_label("We have prepared the accompanying description of Northwind's Ledger Platform") is None
    assert heading_label("The description indicates that complementary user entity controls that are suitably") is None
    assert heading_label("Management's Response:") is None


def _pages(*pages: list[str]) -> list[TextPage]:
    return [TextPage(i, lines) for i, lines in enumerate(pages, 1)]


def test_table_of_contents_is_ignored():
    pages = _pages(["Table of Contents", "Independent Service Auditor's Report ........ 3",
                    "Management's Assertion ........ 5", "Tests of Controls ........ 9"],
                   ["Independent Service Auditor's Report", "In our opinion, in all material respects, ..."])
    assert [(h.label, h.page) for h in find_headings(pages)] == [("SEC_AUDITOR", 2)]


def test_subheading_inside_the_auditors_report_is_not_the_tests_section():
    pages = _pages(["Report of Independent Service Auditors", "Scope", "We have examined ..."],
                   ["Description of Tests of Controls", "The specific controls we tested are presented in Section IV.",
                    "Opinion", "In our opinion, in all material respects, the controls operated effectively."],
                   ["Assertion of Acme Management", "We have prepared ..."],
                   ["Description of the System", "Overview"],
                   ["Tests of Controls", "Control # Control Activity Test Results"])
    kept = ordered(find_headings(pages), find_opinion(pages))
    assert [(h.label, h.page) for h in kept] == [("SEC_AUDITOR", 1), ("SEC_ASSERTION", 3), ("SEC_DESCRIPTION", 4),
                                                 ("SEC_TESTS", 5)]
    sections = build_sections(find_headings(pages), find_opinion(pages))
    assert sections[0].label == "SEC_AUDITOR" and sections[0].end.page == 3


def test_watermark_lines_are_removed_anywhere():
    raw = [RawText(["DRAFT", f"Body line {i}", "More text"], []) for i in range(6)]
    assert [p.lines for p in clean_pages(raw, set())][0] == ["Body line 0", "More text"]


def test_csoc_table_header_row_carries_on_the_csocs():
    """A CSOC table's header row read as a line is no subservice heading that would end the CSOCs."""
    from nlp.sections import heading_label
    assert heading_label("Subservice Organization Control Related Criteria") == "SUB_CSOC"
    assert heading_label("Subservice Organizations  Applicable Criteria") == "SUB_CSOC"
    assert heading_label("Subservice Organizations") == "SUB_SUBSERVICE"


BODY = ["Independent Service Auditor's Report", "To the Management of Fernhill Labs, Inc.:",
        "In our opinion, in all material respects, the controls operated effectively."]


def test_contents_with_run_in_page_numbers_and_no_leaders_is_not_the_sections():
    """Contents set as titles followed by page numbers, no dot leaders, titled or not."""
    titled = ["Table of contents", "Executive Summary 1", "Section I: Independent Service Auditor's Report 4",
              "Section II: Management's Assertion 8", "Section III: Description of the Fernhill System 11",
              "Section IV: Complementary User Entity Controls 40"]
    untitled = titled[1:]
    for contents in (titled, untitled):
        pages = _pages(["Fernhill Labs, Inc.", "SOC 2 Type 2 Report"], contents, BODY)
        assert [(h.label, h.page) for h in find_headings(pages)] == [("SEC_AUDITOR", 3)], contents


def test_contents_over_two_pages_carries_on():
    first = ["Contents", "Section 1 Independent Service Auditor's Report 3", "Section 2 Management's Assertion 7"]
    second = ["Section 3 Description of the System 9", "Subservice Organizations 21",
              "Complementary User Entity Controls 24", "Section 4 Testing Matrices 26"]
    pages = _pages(first, second, BODY)
    assert [(h.label, h.page) for h in find_headings(pages)] == [("SEC_AUDITOR", 3)]


def test_a_table_of_figures_is_no_contents_page():
    """Lines ending in numbers that go down (a table of counts) do not make a contents page."""
    table = ["Population Sample", "Terminated users 40", "New hires 25", "Changes 12", "Complementary User Entity Controls"]
    pages = _pages(table)
    assert [h.label for h in find_headings(pages)] == ["SUB_CUEC"]


def test_heading_wrapped_over_short_lines_on_a_divider_page():
    """A heading set large wraps: 'Section I:' / 'Independent Service' / "Auditors' Report for the" / ..."""
    divider = ["Section I:", "Independent Service", "Auditors' Report for the", "Security, Availability,",
               "and Confidentiality", "Principles"]
    pages = _pages(divider, ["Scope", "We have examined the description ..."])
    found = find_headings(pages)
    assert [(h.label, h.page, h.line) for h in found] == [("SEC_AUDITOR", 1, 0)]


def test_short_prose_lines_are_no_wrapped_heading():
    """Joined lines must open with the heading phrase: narrow-column prose naming it midway does not."""
    cells = ["Inspected the", "description of the", "system and the"]
    assert find_headings(_pages(cells)) == []


def test_prose_wrapped_onto_a_title_like_line_is_no_heading():
    """'…, Management's Response to Exceptions, and User Entity Responsibilities, has not been'"""
    assert heading_label("Resources, Management's Response to Exceptions Noted, and User Entity "
                         "Responsibilities, has not been") is None
    assert heading_label("Section V: Supplemental Information Provided by Fernhill") == "SEC_OTHER"
    assert heading_label("Section IV: Information Provided by Independent Service Auditor") == "SEC_TESTS"


def test_a_section_number_over_its_heading_line_keeps_the_heading_line():
    """'SECTION V' above 'OTHER INFORMATION PROVIDED BY MANAGEMENT': the heading is the line that holds it,
    so later steps find it among the page's lines."""
    found = find_headings(_pages(["SECTION V", "OTHER INFORMATION PROVIDED BY MANAGEMENT", "The information ..."]))
    assert [(h.label, h.line, h.text) for h in found] == [
        ("SEC_OTHER", 1, "OTHER INFORMATION PROVIDED BY MANAGEMENT")]


def test_a_table_header_cell_split_over_lines_is_no_subsection():
    """A CSOC table's first header cell set in two lines ('Subservice' / 'Organization') starts nothing."""
    page = ["Subservice", "Organization", "Complementary Subservice Organization Control Related Criteria",
            "AWS AWS is responsible for the logical access controls over the infrastructure."]
    assert [(h.label, h.line) for h in find_headings(_pages(page))] == [("SUB_CSOC", 2)]


def test_a_titled_contents_page_without_page_numbers():
    """An export that kept the contents' titles but lost their numbers (placeholders between them)."""
    contents = ["Fernhill Labs SOC 2 Report", "Table of Contents", "SECTION I – Independent Service Auditor's Report",
                "Content for Section I goes here...", "SECTION II – Management's Assertion",
                "SECTION III – Description of the Fernhill System", "Complementary User Entity Controls"]
    assert [(h.label, h.page) for h in find_headings(_pages(contents, BODY))] == [("SEC_AUDITOR", 2)]
