"""End-to-end behaviour of the extractor on fixture reports and bad inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from nlp.extract import ExtractionLimits, extract_report
from conftest import STYLES
from socfixtures import expected_exceptions

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "nlp" / "extraction.schema.json").read_text())


def _norm(s: str) -> str:
    return " ".join(s.split()).lower()


# ------------------------------------------------------------ what is extracted

@pytest.mark.parametrize("name", ["roman-ruled-bullets", "unnumbered-unruled-type1", "arabic-grouped-qualified"])
def test_report_metadata(extracted, name):
    result, spec = extracted[name]
    r = result.report
    assert result.status == "ok"
    assert (r.framework, r.type, r.service_organization, r.auditor) == (spec.framework, spec.type_, spec.org,
                                                                          spec.auditor)
    start, end = spec.period_iso
    assert r.period_start == (date.fromisoformat(start) if start else None)
    assert r.period_end == date.fromisoformat(end)
    assert r.opinion == spec.opinion
    assert r.opinion_basis == spec.basis
    assert r.trust_services_criteria == spec.categories


@pytest.mark.parametrize("name", ["roman-ruled-bullets", "unnumbered-unruled-type1", "arabic-grouped-qualified"])
def test_cuecs_whole_text_and_expanded_criteria(extracted, name):
    result, spec = extracted[name]
    got = [(_norm(c.text), c.criteria) for c in result.cuecs]
    assert got == [(_norm(t), crit) for t, crit in spec.cuecs]


@pytest.mark.parametrize("name", ["roman-ruled-bullets", "unnumbered-unruled-type1", "arabic-grouped-qualified"])
def test_subservice_organizations_not_tools(extracted, name):
    result, spec = extracted[name]
    assert [(s.name, s.method) for s in result.subservice_organizations] == [(n, m) for n, _, _, m in spec.subservice]
    assert {s.services for s in result.subservice_organizations} == {s for _, _, s, _ in spec.subservice}


@pytest.mark.parametrize("name", ["roman-ruled-bullets", "unnumbered-unruled-type1", "arabic-grouped-qualified"])
def test_csocs_tied_to_their_organization(extracted, name):
    result, spec = extracted[name]
    legal = {a or n: n for n, a, _, _ in spec.subservice} | {n: n for n, _, _, _ in spec.subservice}
    assert [(_norm(c.text), c.subservice_organization, c.criteria) for c in result.csocs] == \
        [(_norm(t), legal[o], crit) for o, t, crit in spec.csocs]


@pytest.mark.parametrize("name", ["roman-ruled-bullets", "unnumbered-unruled-type1", "arabic-grouped-qualified"])
def test_exceptions_only_real_ones_with_responses(extracted, name):
    result, spec = extracted[name]
    want = expected_exceptions(spec)
    assert [e.control_id for e in result.exceptions] == [r.control_id for r in want]
    for got, row in zip(result.exceptions, want):
        assert got.description == row.result  # the results cell, without the response printed after it
        assert got.control == row.control and got.test == row.test
        assert got.management_response == row.response
        # Criteria are reported only where the matrix prints them (a criteria column here).
        assert got.criteria == (row.criteria if STYLES[name][1].criteria_column else [])


def test_items_carry_the_page_they_start_on(extracted):
    result, _ = extracted["roman-ruled-bullets"]
    # The matrix starts on page 6; both exceptions sit on page 7 in this layout,
    # the second one continuing onto page 8.
    assert [e.page for e in result.exceptions] == [7, 7]
    assert {c.page for c in result.cuecs} == {5}


# ------------------------------------------------------------------- the API

def test_api_result_validates_against_the_schema_with_and_without_geometry(reports):
    jsonschema = pytest.importorskip("jsonschema")
    path, _ = reports["roman-ruled-bullets"]
    seen: list[tuple[int, int]] = []
    result = extract_report(path, filename="vendor.pdf", progress=lambda d, t: seen.append((d, t)))
    doc = result.to_dict()
    jsonschema.validate(doc, SCHEMA)
    assert doc["source"]["filename"] == "vendor.pdf" and doc["source"]["pages"] == 10
    assert "bbox" not in doc["cuecs"][0]
    geo = result.to_dict(include_geometry=True)
    jsonschema.validate(geo, SCHEMA)
    x0, top, x1, bottom = geo["exceptions"][0]["bbox"]
    assert 0 <= x0 < x1 <= 612 and 0 <= top < bottom <= 792
    assert seen and seen[-1] == (10, 10)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # never goes backwards


def _pdf(path: Path, pages: list[list[str]], encrypt: str | None = None) -> Path:
    c = canvas.Canvas(str(path), pagesize=LETTER, encrypt=encrypt)
    for lines in pages:
        y = 720
        for ln in lines:
            c.drawString(72, y, ln)
            y -= 14
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    (d / "notes.pdf").write_text("this is plain text with a .pdf name")
    good = _pdf(d / "policy.pdf", [["Information Security Policy", "1. Purpose", "This policy applies to all staff "
                                    "who handle customer data and describes acceptable use of systems."] * 3])
    (d / "truncated.pdf").write_bytes(good.read_bytes()[:300])
    _pdf(d / "locked.pdf", [["SOC 2 Type 2 report"]], encrypt="s3cret")
    scanned = canvas.Canvas(str(d / "scan.pdf"), pagesize=LETTER)
    for _ in range(3):
        scanned.setFillGray(0.8)
        scanned.rect(72, 72, 468, 648, fill=1)  # stands in for a page image: no text at all
        scanned.showPage()
    scanned.save()
    _pdf(d / "bridge.pdf", [["Bridge Letter", "To our customers:", "Our most recent SOC 2 Type 2 report covered the "
                             "period ending March 31, 2025.", "Management is not aware of any material changes to the "
                             "system or controls since the end of that period, and the service auditor has not been "
                             "engaged to report on this letter."] * 2])
    # Ordinary short documents: few letters on a page is not a scan (they were all called "scanned").
    _pdf(d / "one-line-letter.pdf", [["Dear Ms Patel, please find our SOC 2 report attached. Kind regards, Tom"]])
    _pdf(d / "memo.pdf", [["MEMO", "To: Vendor management", "From: IT", "Re: Backup vendor",
                           "Renewal signed; report to follow."]])
    _pdf(d / "short-bridge.pdf", [["Bridge letter", "No material changes since 31 March 2025.", "Acme Cloud, Inc."]])
    letterhead = canvas.Canvas(str(d / "letterhead.pdf"), pagesize=LETTER)
    letterhead.drawImage(ImageReader(_picture_of_text("ACME", (200, 60))), 72, 700, width=100, height=30)
    letterhead.drawString(72, 650, "Thank you for your order; the signed contract is attached.")
    letterhead.save()
    # A real scan: each page is one picture of printed text and has no text layer.
    image_scan = canvas.Canvas(str(d / "image-scan.pdf"), pagesize=LETTER)
    for _ in range(2):
        image_scan.drawImage(ImageReader(_picture_of_text("Independent Service Auditor's Report", (1275, 1650))),
                             0, 0, width=612, height=792)
        image_scan.showPage()
    image_scan.save()
    return {p.stem: p for p in d.iterdir()}


def _picture_of_text(text: str, size: tuple[int, int]):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for row in range(0, size[1] - 20, 24):
        draw.text((10, row + 4), text, fill="black")
    return image


@pytest.mark.parametrize("name,status,hint", [
    ("notes", "rejected", "not a PDF"),
    ("truncated", "rejected", "damaged"),
    ("locked", "rejected", "password"),
    ("scan", "needs_ocr", "OCR"),
    ("image-scan", "needs_ocr", "OCR"),
    ("one-line-letter", "not_a_soc_report", "SOC"),
    ("memo", "not_a_soc_report", "SOC"),
    ("short-bridge", "not_a_soc_report", "bridge letter"),
    ("letterhead", "not_a_soc_report", "SOC"),
    ("policy", "not_a_soc_report", "SOC"),
    ("bridge", "not_a_soc_report", "bridge letter"),
])
def test_bad_inputs_get_their_status_and_a_plain_reason(bad_inputs, name, status, hint):
    jsonschema = pytest.importorskip("jsonschema")
    result = extract_report(bad_inputs[name])
    assert result.status == status
    assert hint.lower() in result.error.lower()
    assert not result.cuecs and not result.exceptions
    jsonschema.validate(result.to_dict(), SCHEMA)


def test_missing_file_is_rejected(tmp_path):
    result = extract_report(tmp_path / "nope.pdf")
    assert result.status == "rejected" and "could not be read" in result.error


def test_size_and_page_limits(reports):
    path, _ = reports["roman-ruled-bullets"]
    assert extract_report(path, limits=ExtractionLimits(max_bytes=1000)).status == "rejected"
    over = extract_report(path, limits=ExtractionLimits(max_pages=5))
    assert over.status == "rejected" and "page" in over.error and over.source.pages == 10


def test_time_limit_stops_the_worker(reports):
    path, _ = reports["roman-ruled-bullets"]
    result = extract_report(path, limits=ExtractionLimits(timeout_seconds=0.2))
    assert result.status == "rejected" and "longer than" in result.error


# ------------------------------------------------------------------- the CLI

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nlp.extract", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_cli_prints_one_json_document_and_exits_0_when_ok(reports):
    path, spec = reports["unnumbered-unruled-type1"]
    proc = _cli(str(path))
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert doc["status"] == "ok" and doc["report"]["service_organization"] == spec.org
    assert "\n  " in _cli(str(path), "--pretty").stdout


def test_cli_exits_2_with_json_for_a_bad_file(bad_inputs):
    proc = _cli(str(bad_inputs["notes"]))
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["status"] == "rejected"
    assert "Traceback" not in proc.stderr


def test_importing_nlp_does_not_load_flask():
    code = "import sys, nlp, nlp.extract, nlp.pipeline; print('flask' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == "False"
