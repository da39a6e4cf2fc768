"""Similarity functions and one-to-one greedy matching.

Thresholds (documented in tests/corpus/README.md):

* ``TEXT_THRESHOLD`` 0.85 — CUECs and CSOCs: token Dice similarity of the
  normalised texts (2·|common tokens| / (|a| + |b|), tokens as a multiset).
  One extra or missing word in a 12-word item still matches; a different
  control that shares boilerplate ("User entities are responsible for ...")
  does not.
* Exceptions use the same similarity after removing the label ("Exception
  noted:") from both sides, and also match when the expected description is
  contained in the extracted one and the extracted text is at most twice as
  long plus 12 tokens (an extractor that keeps a prefix or the control id is
  still right; one that swallows the whole row is not).
* ``NAME_THRESHOLD`` 0.8 — subservice organisations by name: equal after
  dropping legal suffixes (Inc., LLC, Ltd., Corporation, ...) and punctuation
  = 1.0; one name contained in the other as whole words, provided the shorter
  has a non-generic word ("Amazon" in "Amazon Web Services", not "Services")
  = 0.9; an acronym of the other ("AWS") = 0.85; otherwise token Dice. The
  expected item's ``aliases`` (short names the report uses) count as names.
* ``RESPONSE_THRESHOLD`` 0.8 — management responses, after removing a
  "Management's response:" label.

Gold of restricted-use reports carries hashed texts instead (hashing.py);
the same functions compare them, with the extracted text hashed alike.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Sequence

from . import hashing
from .hashing import HashedText
from .normalize import GENERIC_ORG_WORDS, exception_tokens, org_tokens, response_tokens, text_tokens

TEXT_THRESHOLD = 0.85
NAME_THRESHOLD = 0.8
RESPONSE_THRESHOLD = 0.8
CONTAINMENT_SCORE = 0.95


def dice(a: Sequence[str], b: Sequence[str]) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common / (len(a) + len(b))


def _similarity(expected: str | HashedText | None, x: list[str], to_tokens) -> float:
    # Hashed gold (hashing.py) is compared with the extracted text hashed the
    # same way; everything else about matching stays the same.
    if isinstance(expected, HashedText):
        return hashing.similarity(expected, HashedText.of(x))
    return dice(to_tokens(expected), x)


def text_similarity(expected: str | HashedText | None, extracted: str | None) -> float:
    return _similarity(expected, text_tokens(extracted), text_tokens)


def _contains(needle: list[str], hay: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def exception_similarity(expected: str | HashedText | None, extracted: str | None) -> float:
    x = exception_tokens(extracted)
    score = _similarity(expected, x, exception_tokens)
    if isinstance(expected, HashedText):
        inside, n = hashing.contained(expected, HashedText.of(x)), expected.tokens
    else:
        e = exception_tokens(expected)
        inside, n = _contains(e, x), len(e)
    if score < CONTAINMENT_SCORE and inside and len(x) <= 2 * n + 12:
        score = CONTAINMENT_SCORE
    return score


def response_similarity(expected: str | HashedText | None, extracted: str | None) -> float:
    return _similarity(expected, response_tokens(extracted), response_tokens)


def _acronym(toks: list[str]) -> str:
    return "".join(t[0] for t in toks if t not in ("and", "of"))


def name_similarity(expected_names: Sequence[str | None], extracted: str | None) -> float:
    """Best similarity between an extracted name and any of the expected names."""
    x = org_tokens(extracted)
    if not x:
        return 0.0
    best = 0.0
    for name in expected_names:
        e = org_tokens(name)
        if not e:
            continue
        if e == x:
            return 1.0
        short, long_ = (e, x) if len(e) <= len(x) else (x, e)
        distinctive = any(t not in GENERIC_ORG_WORDS for t in set(e) & set(x))
        if _contains(short, long_) and distinctive:
            best = max(best, 0.9)
        elif (len(x) == 1 and len(e) > 1 and x[0] == _acronym(e)) or (len(e) == 1 and len(x) > 1 and e[0] == _acronym(x)):
            best = max(best, 0.85)
        elif distinctive:
            best = max(best, dice(e, x))
    return best


def greedy_match(expected: Sequence, extracted: Sequence, score: Callable[[object, object], float],
                 threshold: float) -> list[tuple[int, int, float]]:
    """Pair items one-to-one, best similarity first; ties broken by document order.

    Returns (expected index, extracted index, score) for every pair at or above
    the threshold.
    """
    pairs = []
    for i, e in enumerate(expected):
        for j, x in enumerate(extracted):
            s = score(e, x)
            if s >= threshold:
                pairs.append((-s, i, j))
    pairs.sort()
    used_e, used_x, out = set(), set(), []
    for neg, i, j in pairs:
        if i in used_e or j in used_x:
            continue
        used_e.add(i)
        used_x.add(j)
        out.append((i, j, -neg))
    return sorted(out)
