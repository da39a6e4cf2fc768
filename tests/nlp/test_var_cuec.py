"""How real reports word and set out complementary user entity controls."""

from __future__ import annotations

from nlp.sections import Heading, build_sections

DESC_TITLE = "Section 3 – Description of the Halcyon Freight Platform"


def heading(label: str, page_no: int, line: int, text: str) -> Heading:
    return Heading(label, page_no, line, text)


# --- A section title reprinted on every page of its section -----------------------------------

def test_section_title_reprinted_on_each_page_does_not_end_the_list() -> None:
    hs = [heading("SEC_DESCRIPTION", 3, 0, DESC_TITLE),
          heading("SUB_CUEC", 9, 14, "Complementary User Entity Controls"),
          heading("SEC_DESCRIPTION", 10, 1, DESC_TITLE.upper()),
          heading("SEC_TESTS", 12, 0, "Section 4 – Tests of Controls")]
    cuec = next(s for s in build_sections(hs) if s.label == "SUB_CUEC")
    assert cuec.end is not None and cuec.end.label == "SEC_TESTS"
