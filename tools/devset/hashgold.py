"""Turn plain gold into the form that may be committed for a restricted-use report.

    python -m tools.devset.hashgold PLAIN.expected.json OUT.expected.json

SOC 1 and SOC 2 reports are restricted-use: their text must not enter the
repository. Report fields (names, dates, opinion), pages, criteria, control
ids and counts are facts and stay plain; item texts become hashed bigrams
(nlp/evaluation/hashing.py); control and test texts, subservice ``services``
and the opinion basis text are dropped (``"opinion_basis": true`` keeps the
one thing the scorer checks, that a basis is present).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from nlp.evaluation.hashing import hash_item

ITEM_LISTS = ("cuecs", "csocs", "exceptions", "subservice_organizations")


def hash_gold(plain: dict) -> dict:
    out = dict(plain)
    if isinstance(plain.get("report"), dict):
        report = dict(plain["report"])
        if "opinion_basis" in report:
            report["opinion_basis"] = True if str(report["opinion_basis"] or "").strip() else None
        out["report"] = report
    for lst in ITEM_LISTS:
        if isinstance(plain.get(lst), list):
            out[lst] = [hash_item(i) for i in plain[lst]]
    return out


def dumps(gold: dict) -> str:
    text = json.dumps(gold, indent=2, ensure_ascii=False)
    # One line per hash list: a 200-line item helps no reviewer.
    return re.sub(r'_ngrams": \[[^\]]*\]', lambda m: re.sub(r"\s+", " ", m.group(0)).replace("[ ", "[").replace(" ]", "]"),
                  text) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    plain = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    Path(args[1]).write_text(dumps(hash_gold(plain)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
