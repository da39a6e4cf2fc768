"""Fast integrity checks of the third held-out corpus (no extractor): tests/corpus_heldout3/README.md."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pdfplumber
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus_heldout3"
SCHEMA = json.loads((ROOT / "nlp" / "extraction.schema.json").read_text(encoding="utf-8"))
EXPECTED = sorted(CORPUS.glob("*.expected.json"))
LISTS = ("subservice_organizations", "csocs", "cuecs", "exceptions")


def test_corpus_is_there():
    assert len(EXPECTED) == 10
    assert (CORPUS / "README.md").exists()


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name)
def test_expected_file(path: Path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    name = path.name[: -len(".expected.json")]
    pdf = CORPUS / f"{name}.pdf"
    assert pdf.exists(), f"{pdf.name} missing"
    assert doc["source"]["filename"] == pdf.name
    assert doc["source"]["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest(), "PDF and expected JSON differ"
    assert pdf.stat().st_size < 400 * 1024
    assert doc["status"] == "ok"
    jsonschema.validate(doc, SCHEMA)  # subservice "aliases" (read by the scorer) are extra properties
    with pdfplumber.open(str(pdf)) as p:
        pages = len(p.pages)
    assert doc["source"]["pages"] == pages
    assert 12 <= pages <= 45
    for lst in LISTS:
        for item in doc[lst]:
            assert 1 <= item["page"] <= pages, (lst, item)
    for s in doc["subservice_organizations"]:
        assert all(isinstance(a, str) and a for a in s.get("aliases", []))
