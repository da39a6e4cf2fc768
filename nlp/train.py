"""Train the results-cell classifier: ``python -m nlp.train``.

The rules in ``patterns/results.jsonl`` decide most test-results cells. Some
describe an exception without any of the words they look for ("Access for
one departed engineer persisted for nine days."); for those "unclear" cells
a small bag-of-words text classifier, trained here on the hand-written
examples in ``nlp/data/results_train.jsonl``, gives the verdict. The script
prints the held-out comparison (``results_heldout.jsonl``) of the rules alone
against rules plus model, and saves the model to ``nlp/model/results``.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from nlp.rules import classify_result, normalise

DATA = Path(__file__).parent / "data"
MODEL_DIR = Path(__file__).parent / "model" / "results"
LABELS = ("EXCEPTION", "PASS")
EPOCHS = 25
SEED = 0


def load(name: str) -> list[tuple[str, bool]]:
    """Labelled examples from a JSONL file of {"text": ..., "exception": bool}."""
    rows = [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]
    return [(normalise(r["text"]), bool(r["exception"])) for r in rows]


def train(examples: list[tuple[str, bool]]) -> spacy.language.Language:
    """A blank English pipeline with one exclusive bag-of-words textcat."""
    fix_random_seed(SEED)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
        "no_output_layer": False, "length": 2 ** 14,  # hashed n-gram buckets: keeps the model ~100 KB
    }})
    for label in LABELS:
        textcat.add_label(label)
    data = [Example.from_dict(nlp.make_doc(t), {"cats": {"EXCEPTION": float(y), "PASS": float(not y)}})
            for t, y in examples]
    optimizer = nlp.initialize(lambda: data)
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(data)
        for batch in minibatch(data, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


def _f1(pred: list[bool], gold: list[bool]) -> float:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def compare(nlp: spacy.language.Language, examples: list[tuple[str, bool]]) -> tuple[float, float]:
    """Exception F1 of the rules alone and of rules with the model deciding "unclear" cells."""
    gold = [y for _, y in examples]
    verdicts = [classify_result(t) for t, _ in examples]
    rules = [v == "exception" for v in verdicts]
    combined = [v == "exception" or (v == "unclear" and nlp(t).cats["EXCEPTION"] > 0.5)
                for (t, _), v in zip(examples, verdicts)]
    return _f1(rules, gold), _f1(combined, gold)


def main() -> int:
    nlp = train(load("results_train.jsonl"))
    rules_f1, combined_f1 = compare(nlp, load("results_heldout.jsonl"))
    print(f"held-out exception F1: rules {rules_f1:.3f}, rules + model {combined_f1:.3f}")
    MODEL_DIR.parent.mkdir(exist_ok=True)
    nlp.to_disk(MODEL_DIR)
    print(f"saved {MODEL_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
