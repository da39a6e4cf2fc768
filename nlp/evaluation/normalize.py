"""Text normalisation for comparing extracted items with expected ones.

What a fair reader ignores: case, whitespace and line breaks, curly versus
straight quotes, the kind of dash, a leading bullet or number ("•", "3.",
"(a)", "CUEC 4", "CSOC2 –"), trailing punctuation, and the label a firm puts
before an exception ("Exception noted.", "Deviation noted:", ...).
"""
from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                         "\u2015": "-", "\u2212": "-", "\u00a0": " ", "\u00ad": ""})

# A leading list marker: bullets, "1.", "1)", "(a)", "a.", "CUEC 3:", "UE-03", "CSOC1 -".
_MARKER = re.compile(
    r"^\s*(?:[\u2022\u25aa\u25cf\u25e6\u2023\u2043\u25a0\u25a1\u2219\u00b7*\-o]\s+"
    r"|\(?\d{1,3}[.)]\s*"
    r"|\(?[a-z][.)]\s+"
    r"|(?:cuec|csoc|ue)[\s\-#]*\d{1,3}\s*[.:)\-]?\s*)",
    re.IGNORECASE)

# Labels that introduce an exception in a results cell. Stripped from both sides
# so that "Exception noted. For 2 of 25 ..." matches "For 2 of 25 ...".
_EXCEPTION_LABEL = re.compile(
    r"^(?:(?:exceptions?|deviations?)\s+(?:were\s+)?(?:noted|identified|found)"
    r"|the following (?:exceptions?|deviations?) (?:was|were) (?:identified|noted)"
    r"|exception|deviation|result)\s*[:.\-]?\s*",
    re.IGNORECASE)

_RESPONSE_LABEL = re.compile(r"^(?:management'?s?\s+response(?:\s+to\s+exceptions?)?|response)\s*[:.\-]?\s*", re.IGNORECASE)

_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")


def clean(s: str | None) -> str:
    """NFKC, ASCII quotes and dashes, single spaces, lower case."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s).translate(_QUOTES)
    s = re.sub(r"(\w)-\s+\n?\s*(\w)", r"\1\2", s) if "-\n" in s else s  # a word hyphenated across a line break
    return re.sub(r"\s+", " ", s).strip().lower()


def normalize(s: str | None) -> str:
    """clean() plus no leading list marker and no trailing punctuation."""
    s = clean(s)
    s = _MARKER.sub("", s, count=1)
    return s.rstrip(" .;:,")


def strip_exception_label(s: str) -> str:
    """Remove a leading "exception noted" label (repeatedly: "Exception noted: Deviation: ...")."""
    prev = None
    while prev != s:
        prev, s = s, _EXCEPTION_LABEL.sub("", s, count=1)
    return s


def strip_response_label(s: str) -> str:
    return _RESPONSE_LABEL.sub("", s, count=1)


def tokens(s: str) -> list[str]:
    return _TOKEN.findall(s)


# The tokens each kind of item is compared on (nlp/evaluation/matching.py);
# hashed gold (nlp/evaluation/hashing.py) is made from the same tokens.

def text_tokens(s: str | None) -> list[str]:
    return tokens(normalize(s))


def exception_tokens(s: str | None) -> list[str]:
    return tokens(strip_exception_label(normalize(s)))


def response_tokens(s: str | None) -> list[str]:
    return tokens(strip_response_label(normalize(s)))


# ---------------------------------------------------------------- organisations

_ORG_SUFFIXES = {"inc", "incorporated", "llc", "l.l.c", "ltd", "limited", "corp", "corporation", "co", "company",
                 "plc", "gmbh", "lp", "llp", "n.a", "na", "pc", "p.c", "pllc", "sa", "ag", "bv", "cpas", "cpa", "the"}
# Words that alone do not identify an organisation ("Services" must not match
# "Amazon Web Services").
GENERIC_ORG_WORDS = {"services", "service", "cloud", "web", "data", "systems", "system", "technologies",
                     "technology", "group", "holdings", "bank", "platform", "and", "of", "partners", "solutions",
                     "software", "assurance", "audit", "print", "mail", "trust", "realty", "digital"}


def org_tokens(name: str | None) -> list[str]:
    s = clean(name).replace("&", " and ")
    return [t for t in tokens(s.replace(".", " ").replace("'s", "")) if t not in _ORG_SUFFIXES]


# ---------------------------------------------------------------- criteria

_RANGE = re.compile(r"^([A-Z]+)(\d+)\.(\d+)-(?:\1)?(\d+)\.(\d+)$")


def canonical_criterion(c: str) -> str:
    """"CC 6.1" -> "CC6.1"; "Control Objective 5" / "CO 5" / "co5" -> "CO5"."""
    s = unicodedata.normalize("NFKC", c or "").translate(_QUOTES).upper()
    s = re.sub(r"CONTROL\s+OBJECTIVES?", "CO", s)
    s = re.sub(r"\s+", "", s)
    return s.rstrip(".,;")


def criteria_set(items) -> frozenset[str]:
    return frozenset(canonical_criterion(c) for c in (items or []) if c and canonical_criterion(c))
