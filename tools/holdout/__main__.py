"""python -m tools.holdout --out tests/corpus_holdout [--only NAME ...]"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import pdfplumber

from . import bad, render_html, render_rl
from .builder import Builder, fmt_date, fmt_period
from .specs import SPECS
from .verify import PdfWords, heading_pages

MAX_BYTES = 400 * 1024


def meta_for(s):
    if s.framework == "SOC 3":
        kind = "SOC 3 Report"
        title = "SOC 3® Report"
        sub = f"Report on {s.company}'s {s.business.title()} System Relevant to {', '.join(t.replace('_', ' ').title() for t in s.tsc)}"
    elif s.framework == "SOC 1":
        kind = f"SOC 1 {s.type_spelling} Report"
        title = f"SOC 1 {s.type_spelling} Report"
        sub = "Report on a Description of a Service Organization's System and the Suitability of the Design and Operating Effectiveness of Controls"
    else:
        kind = f"SOC 2 {s.type_spelling} Report"
        title = f"SOC 2® {s.type_spelling}"
        sub = ("Report on Controls at a Service Organization Relevant to " +
               ", ".join(t.replace("_", " ").title() for t in s.tsc))
    cds = s.cover_date_style or s.date_style
    if s.rtype == "Type 1":
        period = f"As of {fmt_date(s.period_end, cds)}"
    else:
        period = f"For the Period {fmt_period(s, cds, ' – ' if cds != 'intl' else ' to ')}"
    lines = [s.company, s.business[0].upper() + s.business[1:] + " System", period] if s.style != "brightline" else [period]
    return dict(kind=kind, title=title, subtitle=sub, cover_lines=lines)


def expected_json(s, truth, pdf: Path, words: PdfWords) -> dict:
    after = {}
    for kind, anchor in truth.anchors.items():
        after[kind] = words.first_page(anchor, 1, f"{s.name} anchor {kind}")
    lists = {"subservice": [], "csoc": [], "cuec": [], "exception": []}
    last = {}
    for it in truth.items:
        lo = max(after.get(it.kind, 1), last.get(it.kind, 1))
        page = words.first_page(it.probe, lo, f"{s.name} {it.kind}")
        last[it.kind] = page
        d = {k: v for k, v in it.data.items() if not k.startswith("_")}
        d["page"] = page
        lists[it.kind].append(d)
    data = pdf.read_bytes()
    return {
        "schema_version": 1,
        "status": "ok",
        "error": None,
        "source": {"filename": pdf.name, "sha256": hashlib.sha256(data).hexdigest(), "pages": len(words)},
        "report": {
            "framework": truth.framework,
            "type": truth.rtype,
            "service_organization": truth.service_organization,
            "auditor": truth.auditor,
            "period_start": truth.period_start.isoformat() if truth.period_start else None,
            "period_end": truth.period_end.isoformat(),
            "opinion": truth.opinion,
            "opinion_basis": truth.opinion_basis,
            "trust_services_criteria": truth.tsc,
        },
        "subservice_organizations": lists["subservice"],
        "csocs": lists["csoc"],
        "cuecs": lists["cuec"],
        "exceptions": lists["exception"],
    }


def generate(s, out: Path) -> dict:
    blocks, truth = Builder(s).build()
    meta = meta_for(s)
    pdf = out / f"{s.name}.pdf"
    if s.producer == "chromium":
        render_html.render(s, blocks, meta, pdf, heading_pages)
    else:
        render_rl.render(s, blocks, meta, pdf)
    words = PdfWords(pdf)
    exp = expected_json(s, truth, pdf, words)
    size = pdf.stat().st_size
    if size >= MAX_BYTES:
        raise SystemExit(f"{pdf.name}: {size} bytes, over the 400 KB limit")
    if not 15 <= len(words) <= 70:
        raise SystemExit(f"{pdf.name}: {len(words)} pages, outside 15-70")
    (out / f"{s.name}.expected.json").write_text(json.dumps(exp, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return exp


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.holdout", description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--only", action="append", default=[])
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    for s in SPECS:
        if a.only and s.name not in a.only:
            continue
        exp = generate(s, a.out)
        print(f"{s.name}: {exp['source']['pages']} pages, {(a.out / (s.name + '.pdf')).stat().st_size // 1024} KB, "
              f"{len(exp['subservice_organizations'])} subservice, {len(exp['csocs'])} CSOCs, "
              f"{len(exp['cuecs'])} CUECs, {len(exp['exceptions'])} exceptions", flush=True)
    for name, fn in bad.BAD.items():
        if a.only and name not in a.only:
            continue
        fn(a.out, name)
        print(f"{name}: bad input", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
