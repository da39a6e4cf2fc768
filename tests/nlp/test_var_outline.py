"""PDF outlines (bookmarks) as evidence for section headings.

Many reports carry an outline naming their sections. An entry whose title
names a section gives a heading where the body prints that title on the
entry's page (or the next), however the line rules read the line: too long,
wrapped after a function word, set in sentence case, numbered differently,
with curly quotes. A heading counts only where the body has it: outline
titles, running titles and contents lines are never headings by themselves.
All wording and companies are invented.
"""

from __future__ import annotations

from nlp.outline import OutlineEntry, outline_headings, outline_label, read_outline, with_outline
from nlp.pdftext import TextPage
from nlp.sections import build_sections, find_headings, find_opinion, heading_label, sections_of

LONG = ("Section 3.4 Complementary User Entity Controls That Subscribers of the Tidewell Scheduling Service "
        "Are Expected to Operate")
BULLETS = ["• Subscribers are responsible for approving each new scheduler account in their own tenant.",
           "• Subscribers should review the monthly access report sent by Tidewell."]


def _pages(*pages: list[str]) -> list[TextPage]:
    return [TextPage(i, lines) for i, lines in enumerate(pages, 1)]


def _entry(title: str, page: int | None, level: int = 0) -> OutlineEntry:
    return OutlineEntry(title, level, page)


def _found(entries: list[OutlineEntry], pages: list[TextPage]) -> list[tuple[str, int, int]]:
    return [(h.label, h.page, h.line) for h in outline_headings(entries, pages)]


# ---------------------------------------------------------------- headings the line rules miss

def test_a_heading_too_long_for_a_heading_line_is_found_from_its_outline_entry():
    page = ["Tidewell designed its controls assuming subscribers operate the following.", LONG] + BULLETS
    assert heading_label(LONG) is None  # too many words for a heading line
    assert find_headings(_pages(page)) == []
    assert _found([_entry(LONG, 1)], _pages(page)) == [("SUB_CUEC", 1, 1)]


def test_a_heading_wrapped_after_a_function_word_is_joined():
    page = ["Overview of the service.", "Complementary User Entity Controls Expected of",
            "Tidewell Subscribers in Every Region"] + BULLETS
    title = "Complementary User Entity Controls Expected of Tidewell Subscribers in Every Region"
    # (The line rules now join a CUEC title wrapped above its list too; the outline must agree with them.)
    found = outline_headings([_entry(title, 1)], _pages(page))
    assert [(h.label, h.line, h.text) for h in found] == [("SUB_CUEC", 1, title)]


def test_titles_match_loosely_numbering_case_quotes_and_a_number_line_above():
    """The outline says "Section IV: ..." with a curly apostrophe; the body prints "IV" on its own line,
    then the title in capitals with a straight one."""
    title = ("Section IV: Complementary User Entity Controls for the Tidewell Scheduler\u2019s Web, Mobile and "
             "Reporting Clients in All Regions")
    page = ["IV", "COMPLEMENTARY USER ENTITY CONTROLS FOR THE TIDEWELL SCHEDULER'S WEB, MOBILE AND REPORTING "
            "CLIENTS IN ALL REGIONS"] + BULLETS
    assert find_headings(_pages(page)) == []
    assert _found([_entry(title, 1)], _pages(page)) == [("SUB_CUEC", 1, 1)]


def test_a_sentence_case_heading_named_by_the_outline():
    line = "Complementary user entity controls that subscribers are expected to put in place"
    page = ["Tidewell relies on its subscribers for some controls.", line] + BULLETS
    assert find_headings(_pages(page)) == []
    assert _found([_entry(line.upper(), 1)], _pages(page)) == [("SUB_CUEC", 1, 1)]


def test_the_title_may_open_the_page_after_the_entrys_target():
    pages = _pages(["Tidewell relies on its subscribers for some controls."], [LONG] + BULLETS)
    assert _found([_entry(LONG, 1)], pages) == [("SUB_CUEC", 2, 0)]


# ---------------------------------------------------------------- a heading counts only where the body has it

def test_an_entry_whose_page_does_not_print_its_title_gives_nothing():
    pages = _pages(["Tidewell relies on its subscribers."], ["Other text."], [LONG] + BULLETS)
    assert _found([_entry(LONG, 1)], pages) == []  # the title is two pages on: the outline disagrees
    assert _found([_entry(LONG, None)], pages) == []  # an entry without a target page


def test_entries_naming_no_section_are_ignored():
    page = ["Scope", "We have examined ...", "Inherent Limitations", "Opinion", "In our opinion, ..."]
    entries = [_entry(t, 1) for t in ("Scope", "Inherent Limitations", "Opinion", "Tidewell SOC 2 Type 2 Report")]
    assert _found(entries, _pages(page)) == []


def test_contents_lines_and_pages_are_never_headings():
    contents = ["Contents", "Section 1 Independent Service Auditor's Report 3", "Section 2 Management's Assertion 5",
                LONG, "Section 4 Tests of Controls 9"]
    assert _found([_entry(LONG, 1)], _pages(contents, ["Body text only."])) == []
    # A contents entry with dot leaders, on an ordinary page, is no heading either.
    assert _found([_entry(LONG, 1)], _pages(["Overview", LONG + " .......... 12"])) == []


def test_a_running_title_repeated_on_many_pages_counts_only_where_it_first_appears():
    running = LONG
    pages = _pages([running] + BULLETS, [running, "More text."], [running, "Still more."], [running, "End."])
    assert _found([_entry(LONG, 1)], pages) == [("SUB_CUEC", 1, 0)]
    assert _found([_entry(LONG, 3)], pages) == []  # an outline pointing into the section finds only its repeats


def test_without_an_outline_nothing_changes():
    pages = _pages(["Independent Service Auditor's Report", "In our opinion, ..."])
    found = find_headings(pages)
    assert outline_headings([], pages) == [] and with_outline(found, []) == found


def test_an_outline_heading_the_line_rules_found_is_not_added_twice():
    """A heading found by both (on the same line, or on another line of its wrap) appears once."""
    divider = ["Section I:", "Independent Service", "Auditors' Report for the", "Security and Availability",
               "Principles", "Scope", "We have examined ..."]
    pages = _pages(divider)
    found = find_headings(pages)
    title = "Independent Service Auditors' Report for the Security and Availability Principles"
    extra = outline_headings([_entry(title, 1)], pages)
    assert [(h.label, h.line) for h in found] == [("SEC_AUDITOR", 0)]
    assert [(h.label, h.line) for h in extra] == [("SEC_AUDITOR", 1)]
    assert with_outline(found, extra) == found


def test_the_outline_heading_opens_a_cuec_section_in_the_description():
    pages = _pages(["Independent Service Auditor's Report", "In our opinion, in all material respects, ..."],
                   ["Description of the Tidewell Scheduling System", "Tidewell relies on its subscribers.", LONG]
                   + BULLETS,
                   ["Tests of Controls", "Control 1.1 ..."])
    headings = with_outline(find_headings(pages), outline_headings([_entry(LONG, 2, level=1)], pages))
    cuec = sections_of(build_sections(headings, find_opinion(pages)), "SUB_CUEC")
    assert [(s.first_page, s.start.line, s.end.label) for s in cuec] == [(2, 2, "SEC_TESTS")]


# ---------------------------------------------------------------- a generated PDF with real bookmarks

def test_outline_of_a_generated_pdf_names_the_cuec_heading_and_its_list_is_extracted(tmp_path):
    import pypdfium2 as pdfium

    from nlp.pipeline import run
    from nlp.results import Source
    from var_outline import CUEC_TITLE, CUECS, ORG, build_outlined_report

    path = build_outlined_report(tmp_path / "outlined.pdf")
    doc = pdfium.PdfDocument(str(path))
    entries = read_outline(doc)
    doc.close()
    assert [(e.title, e.level, e.page) for e in entries][3] == (CUEC_TITLE, 1, 6)
    result = run(str(path), Source(filename=path.name, sha256="0" * 64), 500, lambda done, total: None)
    assert result.status == "ok" and result.report.service_organization == ORG
    assert [c.text for c in result.cuecs] == CUECS
    assert {c.page for c in result.cuecs} == {6}
