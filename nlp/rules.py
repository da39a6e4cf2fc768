"""Rule patterns (nlp/patterns/*.jsonl) on a blank spaCy pipeline.

The patterns are data so that a new firm's wording is a one-line change;
the functions here only interpret which labels matched where.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

PATTERN_DIR = Path(__file__).parent / "patterns"
_SPANS_KEY = "rules"
# Curly quotes would otherwise tokenise differently from the patterns.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """A blank English pipeline with a sentencizer and every pattern file in a span_ruler."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": _SPANS_KEY, "phrase_matcher_attr": "LOWER"})
    patterns = []
    for path in sorted(PATTERN_DIR.glob("*.jsonl")):
        patterns += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    ruler.add_patterns(patterns)
    return nlp


def normalise(text: str) -> str:
    """Straight quotes and dashes, single spaces."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def analyse(text: str) -> Doc:
    """Run the pipeline on normalised text."""
    return pipeline()(normalise(text))


def spans(doc: Doc, prefix: str = "") -> list[Span]:
    """Rule matches in ``doc`` whose label starts with ``prefix``."""
    return [s for s in doc.spans[_SPANS_KEY] if s.label_.startswith(prefix)]


def labels(text: str, prefix: str = "") -> set[str]:
    """Labels of the rules that match ``text``."""
    return {s.label_ for s in spans(analyse(text), prefix)}


def classify_result(text: str) -> str:
    """Read a test-results cell: "exception", "clean" or "nonoccurrence".

    An exception phrase inside a clean phrase ("No exceptions noted") does not
    count; a sample count ("For 2 of 25 ...") or a negative finding ("was not
    removed") counts only when the cell has no clean or non-occurrence phrase.
    """
    doc = analyse(text)
    found = spans(doc, "RESULT_")
    clean = [s for s in found if s.label_ == "RESULT_CLEAN"]
    nonocc = any(s.label_ == "RESULT_NONOCCURRENCE" for s in found)

    def inside_clean(s: Span) -> bool:
        return any(c.start <= s.start < c.end for c in clean)

    strong = [s for s in found if s.label_ == "RESULT_EXCEPTION" and not inside_clean(s)]
    if strong:
        return "exception"
    if clean:
        return "clean"
    if nonocc:
        return "nonoccurrence"
    if any(s.label_ in ("RESULT_COUNT", "RESULT_NEGATIVE") for s in found):
        return "exception"
    return "clean"
