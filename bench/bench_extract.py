"""Benchmark: whole extraction vs. pdfplumber's extract_text over every page, side by side.

    .venv/bin/python bench/bench_extract.py [--pages 300] [--pdf bench/out/large.pdf]

Generates the input with ``python -m tools.socgen --large N`` when it does not
exist, then runs each contender in a fresh process while sampling the proportional
resident memory (PSS) of that process tree (the extractor runs a worker and a small pool).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PLUMBER = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.close()
"""
EXTRACT = """
import json, sys
from nlp.extract import extract_report
r = extract_report(sys.argv[1])
print(json.dumps({"status": r.status, "pages": r.source.pages, "cuecs": len(r.cuecs), "csocs": len(r.csocs),
                  "subservice": len(r.subservice_organizations), "exceptions": len(r.exceptions)}))
"""


def _tree_pss_kib(root: int) -> int:
    """Proportional resident memory (KiB) of ``root`` and all its descendants, from /proc.

    PSS splits pages shared between processes (the pool forks from the worker)
    among them, so the sum is the tree's real footprint; plain RSS would count
    shared pages once per process.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                total += next(int(ln.split()[1]) for ln in fh if ln.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total


def run(code: str, pdf: Path) -> tuple[float, int, str]:
    """Run ``code`` on ``pdf`` in a fresh interpreter; return wall seconds, peak tree PSS (MiB), stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, str(pdf)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kib(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"benchmark process failed with exit code {proc.returncode}")
    return elapsed, peak // 1024, out.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--pdf", type=Path, default=ROOT / "bench" / "out" / "large.pdf")
    args = ap.parse_args()
    if not args.pdf.exists():
        subprocess.run([sys.executable, "-m", "tools.socgen", "--large", str(args.pages), "--large-out", str(args.pdf)],
                       cwd=ROOT, check=True)
    import pypdfium2

    pages = len(pypdfium2.PdfDocument(str(args.pdf)))
    plumber_s, plumber_mib, _ = run(PLUMBER, args.pdf)
    extract_s, extract_mib, summary = run(EXTRACT, args.pdf)
    expected_path = args.pdf.with_suffix(".expected.json")
    expected = json.loads(expected_path.read_text()) if expected_path.exists() else None
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"input: {args.pdf.relative_to(ROOT) if args.pdf.is_relative_to(ROOT) else args.pdf}, {pages} pages, "
          f"{args.pdf.stat().st_size // 1024} KiB")
    print(f"pdfplumber extract_text, all pages: {plumber_s:6.1f} s  peak memory (PSS) {plumber_mib:4d} MiB")
    print(f"nlp.extract.extract_report:         {extract_s:6.1f} s  peak memory (PSS) {extract_mib:4d} MiB")
    print(f"ratio: {extract_s / plumber_s:.2f} (target < 0.33); {pages / extract_s:.0f} pages/s")
    print(f"extracted: {summary}")
    if expected:
        print("expected:  " + json.dumps({k: len(expected[k]) for k in ("cuecs", "csocs", "subservice_organizations",
                                                                         "exceptions")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
