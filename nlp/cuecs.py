"""Complementary user entity controls: one item per control the user entity must operate."""

from __future__ import annotations

import re

from nlp.items import extract_items, section_blocks
from nlp.layout import PageLayout
from nlp.results import Cuec
from nlp.sections import Section, sections_of

# Shorter entries are column labels or stray fragments, not controls.
_MIN_WORDS = 4


def extract_cuecs(layouts: list[PageLayout], sections: list[Section]) -> list[Cuec]:
    """CUECs from every user-entity-controls subsection, in order, without duplicates.

    A report that states no CUECs are required has a subsection with no list,
    which yields nothing.
    """
    out: list[Cuec] = []
    seen: set[str] = set()
    for sec in sections_of(sections, "SUB_CUEC"):
        blocks = section_blocks(layouts, sec.start, sec.end)
        body = next((lay.body_size for lay in layouts if lay.number == sec.start.page), 10.0)
        for item in extract_items(blocks, body):
            key = re.sub(r"\W", "", item.text.lower())
            if len(item.text.split()) < _MIN_WORDS or key in seen:
                continue
            seen.add(key)
            out.append(Cuec(item.text, item.page, item.criteria, item.bbox))
    return out
