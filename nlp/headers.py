"""One vocabulary of table-header words, shared by layout and the extractors.

SOC report tables name their columns with a small set of words ("Control #",
"Control Activity", "Tests Performed", "Results of Testing", "Management
Response", "Related Criteria", "Subservice Organization"). ``layout`` needs
the union of those words to recognise a header row; each extractor needs to
know which column plays which role. Both read the same table here, so a new
firm's column name is added once, to ``COLUMN_WORDS``.
"""

from __future__ import annotations

import re

# Column role -> words that name such a column (regex alternatives, case-insensitive).
COLUMN_WORDS: dict[str, str] = {
    "result": r"result|exception|finding|deviation|outcome|conclusion",
    "test": r"test|procedure|audit",
    "criteria": r"criteri|\btsc\b|objective|\bcoso\b|principle|mapping",
    "id": r"#|\bno\.?$|\bnumber\b|\bid\b|\bref",
    "control": r"control|activit|description",
    "response": r"\brespon|action plan|remediat",
    "org": r"subservice|organi[sz]ation|vendor|provider|third part",
    "user": r"user entit|complementary|consideration",
    "service": r"services?|method",
}


def role_pattern(role: str) -> re.Pattern[str]:
    """The compiled words of one column role."""
    return re.compile(COLUMN_WORDS[role], re.IGNORECASE)


def roles_in_order(*roles: str) -> list[tuple[str, re.Pattern[str]]]:
    """(role, pattern) pairs tried in this order: the first role that matches a cell takes it."""
    return [(r, role_pattern(r)) for r in roles]


# Any word that makes a cell look like a column name (layout's header test).
# Each word must start a word ("Control", not "uncontrolled"), as layout always required.
HEADER_WORD = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in COLUMN_WORDS.values()) + ")",
                         re.IGNORECASE)
