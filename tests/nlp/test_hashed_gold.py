"""Hashed gold (nlp/evaluation/hashing.py) decides like plain gold.

Calibration, measured when hashing.py was written (BITS = 12): over every
pair of items within a report of tests/corpus and tests/corpus_holdout
(CUECs, CSOCs, exceptions, management responses) plus five perturbed copies
of each item, hashed and plain matching decided the same on 99.97% of
74,928 pairs, and on 99.90% of the 19,350 pairs where either similarity is
at least 0.5. The few disagreements are responses that share a long sentence
after a different opening sentence (plain 0.76-0.80, hashed 0.80-0.85).
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from nlp import evaluate as cli
from nlp.evaluation import CorpusScore, score_report
from nlp.evaluation.hashing import HashedText, expected_text
from nlp.evaluation.matching import (RESPONSE_THRESHOLD, TEXT_THRESHOLD, exception_similarity, response_similarity,
                                     text_similarity)
from nlp.evaluation.normalize import exception_tokens, response_tokens, text_tokens
from tools.devset.hashgold import hash_gold

TESTS = Path(__file__).resolve().parents[1]
CORPORA = (TESTS / "corpus", TESTS / "corpus_holdout")

KINDS = {  # gold field -> (similarity, threshold, tokens, a label the normaliser strips)
    "text": (text_similarity, TEXT_THRESHOLD, text_tokens, "CUEC 7: "),
    "description": (exception_similarity, TEXT_THRESHOLD, exception_tokens, "Exception noted: "),
    "management_response": (response_similarity, RESPONSE_THRESHOLD, response_tokens, "Management's response: "),
}


def perturbed(s: str, label: str) -> list[str]:
    w = s.split()
    m = len(w) // 2
    return [" ".join(w[:m] + w[m + 1:]),                       # a word dropped
            " ".join(w[:m] + ["quarterly"] + w[m + 1:]),       # a word changed
            label + s,                                         # a prefix label
            s.rstrip(".") + ". This was reviewed by management during the period.",  # a sentence appended
            "\u2022 " + s]                                     # a bullet glyph


def gold_files() -> list[Path]:
    return sorted(p for c in CORPORA for p in c.glob("*.expected.json"))


def test_hashed_and_plain_matching_decide_the_same():
    pairs = agree = 0
    for path in gold_files():
        gold = json.loads(path.read_text(encoding="utf-8"))
        for lst, field in (("cuecs", "text"), ("csocs", "text"), ("exceptions", "description"),
                           ("exceptions", "management_response")):
            similarity, threshold, to_tokens, label = KINDS[field]
            texts = [i[field] for i in gold.get(lst) or [] if i.get(field)]
            candidates = texts + [p for t in texts for p in perturbed(t, label)]
            for e in texts:
                hashed = HashedText.of(to_tokens(e))
                for x in candidates:
                    pairs += 1
                    agree += (similarity(e, x) >= threshold) == (similarity(hashed, x) >= threshold)
    assert pairs > 50_000
    assert agree / pairs >= 0.98, f"{agree}/{pairs}"


def test_hashed_exception_matches_by_containment_within_the_length_limit():
    e = "For 2 of 25 terminated users sampled, access was not removed within one business day of termination."
    hashed = HashedText.of(exception_tokens(e))
    inside = "CC6.2.3 Inspected the termination listing. " + e   # a prefix kept by the extractor
    swallowed = inside + " " + "The control was otherwise operating as designed for the remainder of the period " * 3
    for x in (inside, swallowed):
        assert (exception_similarity(hashed, x) >= TEXT_THRESHOLD) == (exception_similarity(e, x) >= TEXT_THRESHOLD)
    assert exception_similarity(hashed, inside) >= TEXT_THRESHOLD
    assert exception_similarity(hashed, swallowed) < TEXT_THRESHOLD


def test_hashed_item_keeps_no_text():
    gold = json.loads((TESTS / "corpus_holdout" / "h02_quillstone_soc2_t2_qualified.expected.json").read_text())
    hashed = hash_gold(gold)
    dumped = json.dumps(hashed)
    for item in gold["exceptions"] + gold["cuecs"]:
        for field in ("text", "description", "control", "test", "management_response"):
            if item.get(field):
                assert item[field][:30] not in dumped
    assert hashed["report"]["opinion_basis"] is True
    ex = hashed["exceptions"][0]
    assert set(ex) >= {"description_ngrams", "tokens", "control_id", "page", "criteria"}
    assert isinstance(expected_text(ex, "description"), HashedText)


@pytest.mark.parametrize("path", gold_files(), ids=lambda p: p.name[: -len(".expected.json")])
def test_a_report_scored_against_its_own_hashed_gold_is_perfect(path):
    plain = json.loads(path.read_text(encoding="utf-8"))
    cs = CorpusScore([score_report(path.name, hash_gold(plain), copy.deepcopy(plain))])
    assert all(v == 1.0 for v in cs.headline().values() if v is not None), cs.headline()
    assert all(r.value == 1.0 for r in cs.secondary().values() if r.total)


def test_verbose_shows_where_a_missed_hashed_item_is(tmp_path, capsys):
    src = TESTS / "corpus_holdout" / "h02_quillstone_soc2_t2_qualified.expected.json"
    plain = json.loads(src.read_text(encoding="utf-8"))
    (tmp_path / "r.expected.json").write_text(json.dumps(hash_gold(plain)))
    (tmp_path / "r.pdf").write_bytes(b"%PDF-1.4")
    extracted = copy.deepcopy(plain)
    missed = extracted["exceptions"].pop(0)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "r.json").write_text(json.dumps(extracted))
    cli.main([str(tmp_path), "--verbose", "--extracted", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert f"missed   exception p.{missed['page']} [{missed['control_id']}]" in out
    assert "(hashed)" in out and missed["description"][:30] not in out
