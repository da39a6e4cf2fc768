"""Geometry assembly on hand-built pages: headers/footers, unruled tables, page-break joins."""

from nlp.geometry import RawPage, RawTable, Word
from nlp.layout import Line, Row, assemble, join_continued_rows
from nlp.pdftext import RawText, clean_pages, is_page_number, running_lines


def words(text: str, x: float, top: float, size: float = 9.0, bold: bool = False) -> list[Word]:
    """Lay ``text`` out left to right from ``x`` (5.5 pt per character)."""
    out = []
    for w in text.split():
        out.append(Word(w, x, top, x + 5.5 * len(w), top + size, bold, size))
        x += 5.5 * (len(w) + 1)
    return out


COLS = [60.0, 160.0, 330.0, 470.0]


def row(cells: list[str], top: float, bold: bool = False) -> list[Word]:
    return [w for x, c in zip(COLS, cells) if c for w in words(c, x, top, bold=bold)]


def page(number: int, body: list[Word], tables: list[RawTable] | None = None) -> RawPage:
    chrome = words("Acme Corp | Proprietary and Confidential", 60, 30, 8) + words(f"Page {number} of 40", 480, 760, 8)
    return RawPage(number, 612, 792, chrome + body, tables or [], [])


def test_running_lines_need_the_margin_and_repetition():
    pages = [RawText(["Intro text"], ["Acme Corp | Proprietary", f"Page {i} of 40"]) for i in range(1, 11)]
    pages[3].lines.append("Acme Corp | Proprietary")
    running = running_lines(pages)
    assert "acme corp | proprietary" in running and "page # of #" in running
    cleaned = clean_pages([RawText(["Acme Corp | Proprietary", "Body", "Page 4 of 40"], [])], running)
    assert cleaned[0].lines == ["Body"]


def test_page_number_forms():
    assert all(is_page_number(s) for s in ["7", "Page 7", "Page 7 of 120", "- 7 -", "iv"])
    assert not is_page_number("7 controls were tested")


def test_header_and_footer_do_not_leak_into_blocks():
    header = row(["Control #", "Control Activity", "Tests Performed", "Results"], 80, bold=True)
    body = row(["CC1.1", "Policies are reviewed.", "Inspected policy.", "No exceptions noted."], 100)
    layout = assemble([page(1, header + body)], {"acme corp | proprietary and confidential", "page # of #"})[0]
    texts = " ".join(b.text for b in layout.blocks)
    assert "Proprietary" not in texts and "Page 1" not in texts
    assert [b.cells for b in layout.blocks if isinstance(b, Row) and not b.header] == [
        ["CC1.1", "Policies are reviewed.", "Inspected policy.", "No exceptions noted."]]


def test_unruled_table_keeps_cells_apart_and_wraps_within_a_cell():
    header = row(["Control #", "Control Activity", "Tests Performed", "Results"], 80, bold=True)
    first = row(["CC6.2", "Access is removed", "Inspected 25", "Exception noted."], 100) + \
        row(["", "within one day.", "terminations.", "For 2 of 25 users"], 110) + \
        row(["", "", "", "access remained."], 120)
    second = row(["CC6.3", "Reviews happen.", "Inspected reviews.", "No exceptions noted."], 140)
    layout = assemble([page(1, header + first + second)], set())[0]
    rows = [b for b in layout.blocks if isinstance(b, Row) and not b.header]
    assert rows[0].cells == ["CC6.2", "Access is removed within one day.", "Inspected 25 terminations.",
                             "Exception noted. For 2 of 25 users access remained."]
    assert rows[1].cells[0] == "CC6.3"


def test_row_split_by_a_page_break_is_joined_and_keeps_its_first_page():
    header = ["Control #", "Control Activity", "Tests Performed", "Results"]
    p1 = row(header, 80, bold=True) + row(["CC8.1", "Changes are", "Inspected 40", "Deviation noted. For 1"], 700)
    p2 = row(header, 80, bold=True) + row(["", "approved.", "changes.", "of 40 changes, approval was late."], 100) + \
        row(["CC8.2", "Emergency changes.", "Inspected.", "No exceptions noted."], 130)
    layouts = assemble([page(1, p1), page(2, p2)], {"acme corp | proprietary and confidential"})
    rows = [b for b in join_continued_rows(b for lay in layouts for b in lay.blocks)
            if isinstance(b, Row) and not b.header]
    assert len(rows) == 2
    assert rows[0].page == 1
    assert rows[0].cells[3] == "Deviation noted. For 1 of 40 changes, approval was late."


def test_ruled_table_cells_come_from_the_grid():
    grid = [[(60, 80, 160, 95), (160, 80, 330, 95)], [(60, 95, 160, 120), (160, 95, 330, 120)]]
    body = words("Subservice Organization", 62, 82, bold=True) + words("Control", 162, 82, bold=True) + \
        words("AWS", 62, 97) + words("Restricts physical", 162, 97) + words("access.", 162, 107)
    table = RawTable((60, 80, 330, 120), grid)
    layout = assemble([page(1, body, [table])], set())[0]
    rows = [b for b in layout.blocks if isinstance(b, Row)]
    assert rows[0].header
    assert rows[1].cells == ["AWS", "Restricts physical access."]


def test_prose_line_crossing_columns_is_not_a_table_row():
    header = row(["Control #", "Control Activity", "Tests Performed", "Results"], 80, bold=True)
    prose = words("The following table lists the controls that were tested during the period by us.", 60, 300)
    layout = assemble([page(1, header + prose)], set())[0]
    assert isinstance(layout.blocks[-1], Line)
