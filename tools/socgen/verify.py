"""Check a generated report against its own expected JSON, independently of the
renderer's bookkeeping: every item's opening words must be found in the text
layer starting on the page the expected JSON names (continuing onto the next
page is allowed), and the hash and page count must match the file.

Uses pypdfium2's text layer, which keeps a table cell's lines together because
reportlab draws each cell's lines consecutively.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

_WS = re.compile(r"\s+")


def _norm(s: str) -> str:
    s = s.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"').replace("\ufffe", "").replace("\x02", "")
    return _WS.sub(" ", s).strip()


def page_texts(pdf: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [_norm(doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()


def check(pdf: Path, expected: dict) -> list[str]:
    """Return a list of problems (empty when the expected file is right)."""
    problems = []
    data = pdf.read_bytes()
    if hashlib.sha256(data).hexdigest() != expected["source"]["sha256"]:
        problems.append("sha256 differs from the file")
    if expected["status"] != "ok":
        return problems
    texts = page_texts(pdf)
    if len(texts) != expected["source"]["pages"]:
        problems.append(f"pages {expected['source']['pages']} != {len(texts)}")
    items = [("subservice", s["name"], s["page"]) for s in expected["subservice_organizations"]]
    items += [("csoc", c["text"], c["page"]) for c in expected["csocs"]]
    items += [("cuec", c["text"], c["page"]) for c in expected["cuecs"]]
    items += [("exception", e["description"], e["page"]) for e in expected["exceptions"]]
    for kind, text, page in items:
        toks = _norm(text).split()
        here = texts[page - 1]
        full = min(12, len(toks))
        # The longest opening (up to 12 words) found on the page must be the
        # whole opening, or sit at the end of the page (the item continues on
        # the next page; page text ends with the body because headers and
        # footers are drawn first).
        for n in range(full, 1, -1):
            idx = here.find(" ".join(toks[:n]))
            if idx >= 0:
                break
        if idx < 0 or (n < full and idx < len(here) - 600):
            problems.append(f"{kind} not starting on page {page}: {' '.join(toks[:full])!r}")
    return problems


def main(argv: list[str]) -> int:
    bad = 0
    for d in argv or ["tests/corpus"]:
        for exp in sorted(Path(d).glob("*.expected.json")):
            pdf = exp.with_name(exp.name.replace(".expected.json", ".pdf"))
            for p in check(pdf, json.loads(exp.read_text())):
                bad += 1
                print(f"{pdf.name}: {p}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
