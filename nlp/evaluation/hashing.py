"""Hashed gold: item texts that can be matched but not read.

SOC 1 and SOC 2 reports are restricted-use, so the committed gold of a real
report (tests/corpus_real) may not reproduce their text. Instead of ``text``,
``description`` or ``management_response`` a gold item then carries
``<field>_ngrams``: the sorted multiset of its word bigrams (the tokens the
matcher compares, normalize.text_tokens and friends), each hashed as
sha256(SALT + bigram) truncated to ``BITS`` bits, plus ``tokens``, the token
count of its main text.

Why this cannot be read back: a 12-bit value is shared by 1 in 4,096 of all
word pairs, so a dictionary of 20,000 words gives each value about 100,000
candidate bigrams, and the list is sorted, so word order is gone. Chaining
words through the set does not help either: after any word, some 150 wrong
next words also land in a 30-bigram item's set. What remains possible is what
any scorer allows: confirming a guessed text. 12 rather than 16 bits because
matching decides the same with either (chance collisions between a 30- and
a 30-bigram text: 0.2 on average) and 16 bits would leave only ~9 wrong
continuations per word.

Bigrams rather than words: single words hashed to 16 bits would have few
dictionary preimages each (a bag of words is readable). Bigram Dice is
harsher than token Dice (one changed word breaks two bigrams), so
:func:`similarity` converts the bigram overlap back into an estimate of the
token overlap; the plain thresholds then apply unchanged
(tests/nlp/test_hashed_gold.py measures how often both decide the same).
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass

from .normalize import exception_tokens, response_tokens, text_tokens

SALT = b"vendorrisk-devset-1:"
BITS = 12

# Gold field -> the tokens the matcher compares for it.
HASHED_FIELDS = {"text": text_tokens, "description": exception_tokens, "management_response": response_tokens}
# Plain text that hashed gold leaves out entirely: nothing scores it, and
# short phrases ("services") would be quotations all the same.
DROPPED_FIELDS = ("control", "test", "services")


def _h(gram: str) -> str:
    digest = int.from_bytes(hashlib.sha256(SALT + gram.encode("utf-8")).digest()[:4], "big")
    return format(digest >> (32 - BITS), f"0{math.ceil(BITS / 4)}x")


def _grams(toks: list[str]) -> list[str]:
    # A one-word text has no bigram; its word stands in (no real item is that short).
    return [f"{a} {b}" for a, b in zip(toks, toks[1:])] if len(toks) > 1 else list(toks)


@dataclass(frozen=True)
class HashedText:
    grams: tuple[str, ...]
    tokens: int

    @classmethod
    def of(cls, toks: list[str]) -> "HashedText":
        return cls(tuple(sorted(_h(g) for g in _grams(toks))), len(toks))


def similarity(e: HashedText, x: HashedText) -> float:
    """Estimated token Dice of the two texts from their bigrams.

    Each place where the texts differ (a word changed, dropped or inserted)
    breaks one or two bigrams on the shorter side but loses at most one common
    token, and every common run of words has one token more than bigrams; so
    common tokens ~ common bigrams + runs, runs ~ 1 + ceil(broken / 2).
    """
    if not e.tokens and not x.tokens:
        return 1.0
    if not e.tokens or not x.tokens:
        return 0.0
    common = sum((Counter(e.grams) & Counter(x.grams)).values())
    if not common:
        return 0.0
    broken = min(len(e.grams), len(x.grams)) - common
    runs = min(common, 1 + math.ceil(broken / 2))
    return 2 * min(common + runs, e.tokens, x.tokens) / (e.tokens + x.tokens)


def contained(e: HashedText, x: HashedText) -> bool:
    """Every bigram of e occurs in x (as a multiset): e's text is inside x's."""
    return e.tokens > 0 and not Counter(e.grams) - Counter(x.grams)


def expected_text(item: dict, field: str) -> str | HashedText | None:
    """The gold item's text for ``field``: plain, or hashed when the gold is."""
    grams = item.get(f"{field}_ngrams")
    if grams is None:
        return item.get(field)
    main = item.get("tokens") if field in ("text", "description") else None
    return HashedText(tuple(grams), main if main is not None else len(grams) + 1 if grams else 0)


def is_hashed(item: dict) -> bool:
    return any(f"{f}_ngrams" in item for f in HASHED_FIELDS)


def hash_item(item: dict) -> dict:
    """The committed form of a plain gold item (tools/devset/hashgold.py)."""
    out = {}
    for k, v in item.items():
        if k in DROPPED_FIELDS:
            continue
        if k in HASHED_FIELDS:
            if v is None:
                out[k] = None  # "no management response" is a fact, not text
                continue
            h = HashedText.of(HASHED_FIELDS[k](v))
            out[f"{k}_ngrams"] = list(h.grams)
            if k in ("text", "description"):
                out["tokens"] = h.tokens
        else:
            out[k] = v
    return out
