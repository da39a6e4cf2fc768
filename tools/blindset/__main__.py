"""python -m tools.blindset --out tests/corpus_blind [--only NAME ...]"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .bad import BAD
from .builder import build
from .reports import ALL


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.blindset")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--only", action="append", metavar="NAME")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for cfg in ALL:
        if args.only and cfg["name"] not in args.only:
            continue
        exp = build(cfg, args.out)
        counts = ", ".join(f"{k} {len(exp[k])}" for k in ("subservice_organizations", "csocs", "cuecs", "exceptions"))
        print(f"{cfg['name']}: {exp['source']['pages']} pages, {counts}")
    for name, fn in BAD.items():
        if args.only and name not in args.only:
            continue
        exp = fn(args.out, name)
        print(f"{name}: {exp['status']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
