"""python -m tools.heldout3 --out tests/corpus_heldout3 [--only ID]"""
from __future__ import annotations

import argparse
from pathlib import Path

from .core import build
from .reports import REPORTS, compose


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.heldout3")
    ap.add_argument("--out", type=Path, default=Path("tests/corpus_heldout3"))
    ap.add_argument("--only", action="append")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    for fn in REPORTS:
        S = fn()
        if a.only and S["id"] not in a.only:
            continue
        info = build(S["id"], a.out, compose(S))
        print("{id}: {pages} pages, {bytes} bytes, cuecs {cuecs}, csocs {csocs}, subservice "
              "{subservice_organizations}, exceptions {exceptions}".format(**info))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
