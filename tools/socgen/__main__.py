"""Generate the labelled corpus.

    python -m tools.socgen --out tests/corpus              # the committed corpus
    python -m tools.socgen --out /tmp/c --only r01-northwind
    python -m tools.socgen --large 300 --large-out bench/out/large.pdf   # benchmark input, not committed
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import badinputs
from .build import Profile, build
from .corpus import AWS, CO, PROFILES, SEC, AV, CONF, SNOW
from .expected import expected_ok
from .render import render


def write_report(profile: Profile, out: Path) -> dict:
    spec = build(profile)
    data, pages, total = render(spec)
    pdf = out / f"{profile.name}.pdf"
    pdf.write_bytes(data)
    doc = expected_ok(spec, pdf.name, data, pages, total)
    write_json(out / f"{profile.name}.expected.json", doc)
    return doc


def write_json(path: Path, doc: dict) -> None:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def large_profile(pages: int, per_product: float = 23.0, base: float = 15.0) -> Profile:
    """A long report: the testing matrix is repeated for several products."""
    n = max(1, round((pages - base) / per_product))
    products = ["Core Platform", "Payments Gateway", "Analytics Cloud", "Mobile SDK", "Data Exchange", "Partner Portal",
                "Identity Service", "Billing Engine", "Reporting Hub", "Messaging Service", "Search Service", "Edge Network"]
    products = [products[i % len(products)] + ("" if i < len(products) else f" {i // len(products) + 1}") for i in range(n)]
    return Profile("large", 999, "harrow", "Cedar Hollow", categories=(SEC, AV, CONF), n_cuecs=30, cuec_format="table",
                   subs=((AWS, CO), (SNOW, CO)), n_exceptions=6, verbosity=3, period=("2024-07-01", "2025-06-30"),
                   large_products=tuple(products))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.socgen", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="directory for NAME.pdf + NAME.expected.json")
    ap.add_argument("--only", action="append", help="generate only these report names (repeatable)")
    ap.add_argument("--no-bad", action="store_true", help="skip the bad-input files")
    ap.add_argument("--large", type=int, metavar="N", help="write one report of about N pages to --large-out")
    ap.add_argument("--large-out", type=Path, default=Path("bench/out/large.pdf"))
    args = ap.parse_args(argv)

    if args.large:
        args.large_out.parent.mkdir(parents=True, exist_ok=True)
        t = time.time()
        spec = build(large_profile(args.large))
        data, pages, total = render(spec)
        if abs(total - args.large) > 0.1 * args.large:  # recalibrate pages per product once
            n = len(spec.large_products)
            spec = build(large_profile(args.large, per_product=max(5.0, (total - 15) / n)))
            data, pages, total = render(spec)
        args.large_out.write_bytes(data)
        doc = expected_ok(spec, args.large_out.name, data, pages, total)
        write_json(args.large_out.with_suffix(".expected.json"), doc)
        print(f"{args.large_out}: {total} pages, {len(data) // 1024} KB, {len(doc['exceptions'])} exceptions "
              f"({time.time() - t:.1f}s)")
        return 0
    if not args.out:
        ap.error("--out is required (or --large)")
    args.out.mkdir(parents=True, exist_ok=True)
    for p in PROFILES:
        if args.only and p.name not in args.only:
            continue
        t = time.time()
        doc = write_report(p, args.out)
        size = (args.out / f"{p.name}.pdf").stat().st_size
        print(f"{p.name}: {doc['source']['pages']} pages, {size // 1024} KB, cuecs={len(doc['cuecs'])} "
              f"csocs={len(doc['csocs'])} subs={len(doc['subservice_organizations'])} "
              f"exceptions={len(doc['exceptions'])} ({time.time() - t:.1f}s)", file=sys.stderr)
    if not args.no_bad and not args.only:
        for name, data, doc in badinputs.generate():
            (args.out / name).write_bytes(data)
            write_json(args.out / name.replace(".pdf", ".expected.json"), doc)
            print(f"{name}: {doc['status']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
