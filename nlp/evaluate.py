"""Measure the extractor against the labelled corpus.

    python -m nlp.evaluate tests/corpus                 # summary
    python -m nlp.evaluate tests/corpus --verbose       # + missed/spurious items per report
    python -m nlp.evaluate tests/corpus --json          # machine-readable
    python -m nlp.evaluate tests/corpus --save out/     # also keep each extraction as out/NAME.json
    python -m nlp.evaluate tests/corpus --extracted out/   # score saved extractions instead of running

Runs ``nlp.extract.extract_report`` on every ``NAME.pdf`` that has a
``NAME.expected.json`` and scores the result (matching rules:
``nlp/evaluation/matching.py`` and tests/corpus/README.md). Exit status is 0
when every headline number meets its floor, 1 otherwise, 2 on usage errors.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable

from nlp.evaluation.scoring import FLOORS, LISTS, METADATA_FIELDS, CorpusScore, report_detail, score_report

Extractor = Callable[[Path], dict]


def corpus_cases(corpus: Path, only: list[str] | None = None) -> list[tuple[str, Path, dict]]:
    """(name, pdf path, expected document) for each PDF that has an expected file."""
    cases = []
    for exp in sorted(corpus.glob("*.expected.json")):
        name = exp.name[: -len(".expected.json")]
        pdf = exp.with_name(name + ".pdf")
        if pdf.exists() and (not only or name in only):
            cases.append((name, pdf, json.loads(exp.read_text(encoding="utf-8"))))
    return cases


def default_extractor() -> Extractor:
    """The real extractor; raises ImportError while nlp.extract does not exist."""
    from nlp.extract import extract_report

    def run(path: Path) -> dict:
        result = extract_report(path)
        return result.to_dict() if hasattr(result, "to_dict") else result

    return run


def evaluate(corpus: Path, extract: Extractor, only: list[str] | None = None,
             save: Path | None = None) -> CorpusScore:
    reports = []
    for name, pdf, expected in corpus_cases(corpus, only):
        t0 = time.perf_counter()
        error, doc = None, None
        try:
            doc = extract(pdf)
        except Exception as exc:  # an extractor crash is a failed report, not a failed evaluation
            error = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - t0
        if save is not None and doc is not None:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{name}.json").write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
        reports.append(score_report(name, expected, doc, seconds, error))
    return CorpusScore(reports)


def saved_extractor(directory: Path) -> Extractor:
    def run(pdf: Path) -> dict:
        return json.loads((directory / (pdf.name[:-4] + ".json")).read_text(encoding="utf-8"))
    return run


def _pct(v: float | None) -> str:
    return "   n/a" if v is None else f"{v:6.3f}"


def format_summary(cs: CorpusScore) -> str:
    lines = []
    st = cs.status()
    lines.append(f"Reports: {len(cs.reports)} ({len(cs.scored)} scored SOC reports, "
                 f"{len(cs.reports) - len(cs.scored)} status-only inputs)")
    lines.append(f"Status accuracy      {_pct(st.value)}  ({st.hit}/{st.total})")
    lines.append("")
    lines.append(f"{'list (micro-avg)':26} {'expected':>8} {'extracted':>9} {'matched':>7} {'precision':>9} "
                 f"{'recall':>7} {'F1':>6}")
    for n in LISTS:
        ls = cs.list_score(n)
        lines.append(f"{n:26} {ls.tp + ls.fn:8d} {ls.tp + ls.fp:9d} {ls.tp:7d} {ls.precision:9.3f} "
                     f"{ls.recall:7.3f} {ls.f1:6.3f}")
    lines.append("")
    md = cs.metadata()
    lines.append(f"Metadata accuracy    {_pct(md.value)}  ({md.hit}/{md.total})")
    for f in METADATA_FIELDS:
        r = cs.metadata_field(f)
        label = "opinion_basis present" if f == "opinion_basis" else f
        lines.append(f"  {label:24} {_pct(r.value)}  ({r.hit}/{r.total})")
    pg = cs.page()
    lines.append(f"Page accuracy        {_pct(pg.value)}  ({pg.hit}/{pg.total} matched items on the right page)")
    lines.append("Secondary")
    for k, r in cs.secondary().items():
        lines.append(f"  {k:24} {_pct(r.value)}  ({r.hit}/{r.total})")
    pages, seconds = cs.speed()
    rate = f"{pages / seconds:.1f} pages/s" if seconds else "n/a"
    lines.append(f"Speed                {pages} pages in {seconds:.2f} s = {rate}")
    below = cs.below_floors()
    lines.append("")
    if below:
        lines.append("BELOW FLOOR: " + ", ".join(f"{k} {v:.3f} < {f}" for k, (v, f) in below.items()))
    else:
        lines.append("All floors met: " + ", ".join(f"{k} >= {v}" for k, v in FLOORS.items()))
    return "\n".join(lines)


def _short(s, n=110) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 3] + "..."


def format_verbose(cs: CorpusScore) -> str:
    out = []
    for r in cs.reports:
        d = report_detail(r)
        flag = "" if r.status_ok else f"  STATUS expected {r.expected_status}, got {r.extracted_status}"
        problems = any(d.get(k) for k in ("missed", "spurious", "metadata_wrong", "wrong_pages")) or flag or r.error
        out.append(f"== {r.name}  ({r.seconds:.2f}s){flag}{'' if problems else '  OK'}")
        if r.error:
            out.append(f"   error: {_short(r.error, 300)}")
        for f, v in (d.get("metadata_wrong") or {}).items():
            out.append(f"   metadata {f}: expected {_short(v['expected'], 60)!s} | extracted {_short(v['extracted'], 60)!s}")
        for kind in ("missed", "spurious"):
            for lst, items in (d.get(kind) or {}).items():
                for it in items:
                    text = it.get("text") or it.get("description") or it.get("name")
                    cid = f" [{it['control_id']}]" if it.get("control_id") else ""
                    if it.get("criteria"):  # hashed gold: where the item is, since its text is not shown
                        cid += f" {','.join(it['criteria'])}"
                    out.append(f"   {kind:8} {lst[:-1] if lst.endswith('s') else lst} p.{it.get('page')}{cid}: {_short(text)}")
        for w in d.get("wrong_pages") or []:
            text = w.get("text") or w.get("description") or w.get("name")
            out.append(f"   page     {w['list']} expected p.{w['expected_page']} got p.{w['extracted_page']}: {_short(text, 70)}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nlp.evaluate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, nargs="?", default=Path("tests/corpus"))
    ap.add_argument("--json", action="store_true", help="print JSON instead of text")
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed and spurious items per report")
    ap.add_argument("--only", action="append", metavar="NAME", help="evaluate only this report (repeatable)")
    ap.add_argument("--save", type=Path, metavar="DIR", help="write each extraction to DIR/NAME.json")
    ap.add_argument("--extracted", type=Path, metavar="DIR", help="score DIR/NAME.json instead of running the extractor")
    args = ap.parse_args(argv)

    if not args.corpus.is_dir():
        ap.error(f"{args.corpus} is not a directory")
    if args.extracted:
        extract = saved_extractor(args.extracted)
    else:
        try:
            extract = default_extractor()
        except ImportError as exc:
            print(f"cannot import the extractor (nlp.extract.extract_report): {exc}", file=sys.stderr)
            return 2
    cs = evaluate(args.corpus, extract, args.only, args.save)
    if not cs.reports:
        print(f"no NAME.pdf with NAME.expected.json in {args.corpus}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(cs.to_dict(verbose=args.verbose), indent=2, default=str))
    else:
        if args.verbose:
            print(format_verbose(cs))
            print()
        print(format_summary(cs))
    return 1 if cs.below_floors() else 0


if __name__ == "__main__":
    sys.exit(main())
