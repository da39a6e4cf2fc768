"""CUECs across the matrix of wordings, section titles and layouts of ``var_cuec_matrix``.

Each cell's report is extracted whole and scored with the evaluation's own
matcher: every expected item found once (text), on the page where it starts,
with its criteria, and nothing else taken for an item.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from nlp.evaluation.matching import text_similarity
from nlp.evaluation.normalize import criteria_set
from nlp.evaluation.scoring import TEXT_THRESHOLD, score_list
from var_cuec_matrix import MATRIX, Cell, build_cell_report, expected

CUEC_PAGE = 6  # cover, contents, auditor's report, assertion, description, then the CUEC section


def _squash(s: str) -> str:
    return re.sub(r"\W", "", s.lower())


def _pages_of(path: Path, texts: list[str]) -> list[int]:
    """Page where each item's opening words are printed, searching on from the previous item's page."""
    with pdfplumber.open(path) as pdf:
        pages = [_squash(pg.extract_text() or "") for pg in pdf.pages]
    out, at = [], CUEC_PAGE - 1
    for t in texts:
        head = _squash(" ".join(t.split()[:7]))
        at = next(i for i in range(at, len(pages)) if head in pages[i])
        out.append(at + 1)
    return out


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    from nlp.pipeline import run
    from nlp.results import Source

    out = tmp_path_factory.mktemp("cuec_matrix")
    done = {}
    for cell in MATRIX:
        path = build_cell_report(out / f"{cell.name}.pdf", cell)
        done[cell.name] = (path, run(str(path), Source(path.name, "0" * 64), 2000, lambda d, t: None))
    return done


@pytest.mark.parametrize("cell", MATRIX, ids=[c.name for c in MATRIX])
def test_cuec_matrix_cell(results, cell: Cell) -> None:
    path, result = results[cell.name]
    want = expected(cell)
    pages = _pages_of(path, [t for t, _ in want])
    exp = [{"text": t, "criteria": c, "page": pg} for (t, c), pg in zip(want, pages)]
    got = [{"text": c.text, "criteria": c.criteria, "page": c.page} for c in result.cuecs]
    ls = score_list(exp, got, lambda e, x: text_similarity(e["text"], x["text"]), TEXT_THRESHOLD)
    assert (ls.fn, ls.fp) == (0, 0), f"missed {[e['text'] for e in ls.missed]}, spurious {[x['text'] for x in ls.spurious]}"
    assert [(e["page"], x["page"]) for e, x, _ in ls.matched if e["page"] != x["page"]] == []
    assert [(sorted(e["criteria"]), x["criteria"]) for e, x, _ in ls.matched
            if criteria_set(e["criteria"]) != criteria_set(x["criteria"])] == []
    # The text itself, not only a close match: no lead-in, heading or bullet glyph carried in.
    assert sorted(_squash(x["text"]) for x in got) == sorted(_squash(e["text"]) for e in exp)


# --- Titles wrapped over two lines (text pass) -------------------------------------------------

@pytest.mark.parametrize("pieces, after, title", [
    (["Customer", "Responsibilities"], "Customers are responsible for:", "Customer Responsibilities"),
    (["Client Control", "Considerations"],
     "Quillfeather's platform assumes that its clients operate the controls described in this part.",
     "Client Control Considerations"),
    (["Complementary Controls at User", "Entities"], "\u2022 Customers should review the access rights of their own "
     "staff every quarter.", "Complementary Controls at User Entities"),
])
def test_wrapped_user_entity_title_is_one_heading(pieces, after, title) -> None:
    from nlp.pdftext import TextPage
    from nlp.sections import find_headings

    found = find_headings([TextPage(6, ["Earlier text of the description about invoice delivery.", *pieces, after])])
    assert [(h.label, h.text) for h in found] == [("SUB_CUEC", title)]


def test_wrapped_table_header_cell_is_not_a_title() -> None:
    from nlp.pdftext import TextPage
    from nlp.sections import find_headings

    # A header cell split over two lines, followed by more short cells, not running text.
    found = find_headings([TextPage(9, ["Control Test Result", "User Entity", "Responsibilities", "QB-1", "Inspected"])])
    assert [h.label for h in found if h.label == "SUB_CUEC"] == []
