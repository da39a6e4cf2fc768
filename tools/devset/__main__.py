"""The development set of six real SOC reports (tests/corpus_real/README.md).

    python -m tools.devset build [--mirrors /work/.mirror] [--out instance/devset] [--gold-dir DIR]
    python -m tools.devset score [same options] [--only ID] [--verbose]

build writes OUT/ID.pdf for every report whose source is at hand (sha256
checked) next to its gold OUT/ID.expected.json: from --gold-dir (plain gold,
readable misses) or else the committed tests/corpus_real. score then runs the
extractor on OUT and prints figures per report and in total. Exit status 0,
or 2 when no report could be scored.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.devset.build import ROOT, Built, build


def _report_built(results: list[Built]) -> None:
    for b in results:
        state = "ready" if b.gold else "SKIPPED"
        print(f"{b.id:18} {state:8} {b.problem or ''}".rstrip())


def _cell(ls) -> str:
    if not ls.tp + ls.fp + ls.fn:
        return f"{'-':>14}"
    return f"{ls.f1:5.2f} {ls.tp:2d}/{ls.tp + ls.fn:2d}/{ls.tp + ls.fp:2d}"


def format_table(cs) -> str:
    """One line per report: F1 and matched/expected/extracted per list."""
    from nlp.evaluation.scoring import LISTS

    head = f"{'report':18} {'pages':>5} {'status':>13} " + " ".join(f"{n[:14]:>14}" for n in LISTS)
    lines = [head + f" {'metadata':>8} {'seconds':>7}"]
    for r in cs.reports:
        status = r.extracted_status if r.status_ok else f"{r.extracted_status}!={r.expected_status}"
        cells = " ".join(_cell(r.lists[n]) if r.scored else f"{'':14}" for n in LISTS)
        md = f"{sum(r.metadata.values())}/{len(r.metadata)}" if r.scored else ""
        lines.append(f"{r.name:18} {r.pages or 0:5d} {status:>13} {cells} {md:>8} "
                     f"{r.seconds:7.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.devset", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("build", "score"))
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"), help="git mirrors named owner+repo")
    ap.add_argument("--out", type=Path, default=ROOT / "instance" / "devset")
    ap.add_argument("--gold-dir", type=Path, help="plain gold ID.expected.json (default: tests/corpus_real)")
    ap.add_argument("--only", action="append", metavar="ID", help="this report only (repeatable)")
    ap.add_argument("--verbose", "-v", action="store_true", help="score: list missed and spurious items")
    args = ap.parse_args(argv)

    results = build(args.out, args.mirrors, args.gold_dir, args.only)
    _report_built(results)
    ready = [b.id for b in results if b.gold]
    if args.command == "build":
        return 0
    if not ready:
        print("no report to score", file=sys.stderr)
        return 2

    from nlp.evaluate import default_extractor, evaluate, format_summary, format_verbose

    cs = evaluate(args.out, default_extractor(), only=ready)
    print()
    if args.verbose:
        print(format_verbose(cs))
        print()
    print(format_table(cs))
    print("(per list: F1 matched/expected/extracted; - when the report has none and none was extracted)")
    print()
    print("Totals (the floors are tests/corpus's, shown for comparison)")
    print(format_summary(cs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
