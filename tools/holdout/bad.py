"""Inputs the extractor must refuse or flag: a scan, an encrypted file, a
bridge letter.  Evaluators compare only `status` for these."""
from __future__ import annotations

import hashlib
import io
import json
import random
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab import rl_config
from reportlab.lib.pagesizes import letter
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from . import render_rl
from .builder import Builder
from .specs import SPECS

rl_config.invariant = 1


def expected(out: Path, name: str, status: str, error: str, pages) -> None:
    data = (out / f"{name}.pdf").read_bytes()
    doc = {
        "schema_version": 1, "status": status, "error": error,
        "source": {"filename": f"{name}.pdf", "sha256": hashlib.sha256(data).hexdigest(), "pages": pages},
        "report": {"framework": None, "type": None, "service_organization": None, "auditor": None,
                   "period_start": None, "period_end": None, "opinion": None, "opinion_basis": None,
                   "trust_services_criteria": []},
        "subservice_organizations": [], "csocs": [], "cuecs": [], "exceptions": [],
    }
    (out / f"{name}.expected.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


def scanned(out: Path, name: str) -> None:
    """A real report, printed and scanned: slightly skewed greyscale JPEG pages, no text layer."""
    base = next(s for s in SPECS if s.name.startswith("h07"))
    spec = replace(base, name="scan_source", company="Fernhill Claims Services, Inc.", co="Fernhill",
                   business="insurance claims administration", opinion="unqualified", seed=4242)
    blocks, _ = Builder(spec).build()
    from .__main__ import meta_for
    rng = random.Random(77)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "src.pdf"
        render_rl.render(spec, blocks, meta_for(spec), src)
        pdf = pdfium.PdfDocument(str(src))
        n = min(12, len(pdf))
        c = canvas.Canvas(str(out / f"{name}.pdf"), pagesize=letter, invariant=1)
        c.setCreator("ScanSnap Manager")
        for i in range(n):
            img = pdf[i].render(scale=76 / 72, grayscale=True).to_pil().convert("L")
            img = img.rotate(rng.uniform(-0.8, 0.8), resample=Image.BILINEAR, fillcolor=255, expand=False)
            noise = Image.effect_noise(img.size, 12).point(lambda v: 255 if v > 40 else 215)
            img = Image.composite(img, noise, img.point(lambda v: 0 if v > 250 else 255)).filter(ImageFilter.SMOOTH)
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=34, optimize=True)
            buf.seek(0)
            c.drawImage(ImageReader(buf), 0, 0, width=letter[0], height=letter[1])
            c.showPage()
        c.save()
        pdf.close()
    expected(out, name, "needs_ocr", "The PDF has no text layer (scanned pages).", n)


def encrypted(out: Path, name: str) -> None:
    """A SOC 2 report as downloaded from a vendor portal that adds an open password."""
    path = out / f"{name}.pdf"
    enc = StandardEncryption("Kq7!portal", ownerPassword="owner-Kq7", canPrint=1, canModify=0, canCopy=0)
    c = canvas.Canvas(str(path), pagesize=letter, encrypt=enc, invariant=1)
    for i, lines in enumerate([
        ["SOC 2 Type 2 Report", "Ravenwood Analytics, Inc.", "For the period March 1, 2024 to February 28, 2025"],
        ["Section I – Independent Service Auditor's Report", "To the Management of Ravenwood Analytics, Inc.:",
         "We have examined Ravenwood's accompanying description of its analytics system..."],
        ["Section III – Description of the System", "Complementary User Entity Controls",
         "User entities are responsible for managing their own users' access."],
    ]):
        c.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 18 if i == 0 else 11)
        y = 9 * inch
        for ln in lines:
            c.drawString(inch, y, ln)
            y -= 24
        c.showPage()
    c.save()
    expected(out, name, "rejected", "The PDF is encrypted and requires a password to open.", None)


def bridge_letter(out: Path, name: str) -> None:
    """A vendor's bridge letter: readable, talks about its SOC 2 report, but is not one."""
    path = out / f"{name}.pdf"
    ss = ParagraphStyle("b", fontName="Helvetica", fontSize=10.5, leading=14.5, spaceAfter=9)
    hs = ParagraphStyle("h", parent=ss, fontName="Helvetica-Bold", fontSize=13, spaceAfter=14)
    body = [
        ("h", "Kestrel Benefits Administration, LLC"),
        ("p", "1450 Larkspur Avenue, Suite 300 · Madison, Wisconsin"),
        ("p", date(2025, 11, 3).strftime("%B %-d, %Y")),
        ("p", "To our valued clients:"),
        ("h", "Re: Bridge Letter for the Period October 1, 2025 through November 3, 2025"),
        ("p", "Kestrel Benefits Administration, LLC (\"Kestrel\") engaged Pemberton & Vail, LLP to examine the description of its benefits administration system and the suitability of the design and operating effectiveness of its controls relevant to security and availability. The resulting SOC 2 Type 2 report covered the period October 1, 2024 through September 30, 2025 (the \"report period\") and was issued on October 24, 2025."),
        ("p", "This letter is provided to bridge the gap between the end of the report period and the date of this letter. Management confirms that, to the best of its knowledge:"),
        ("p", "1. There have been no material changes to the system of internal control, as described in the SOC 2 Type 2 report, since the end of the report period."),
        ("p", "2. Management is not aware of any events that would have a material adverse effect on the operating effectiveness of controls described in the report, including any security incidents requiring notification to clients."),
        ("p", "3. Kestrel continues to use Amazon Web Services, Inc. as a subservice organization for infrastructure hosting, and the complementary user entity controls described in the report remain applicable."),
        ("p", "The exception noted in the report regarding the timeliness of access removal for terminated employees has been remediated through automation of the deprovisioning workflow."),
        ("p", "This letter is not a SOC report and has not been examined by an independent service auditor. It should be read together with the SOC 2 Type 2 report. Kestrel expects its next report to cover the period October 1, 2025 through September 30, 2026, with issuance in October 2026."),
        ("p", "Sincerely,"),
        ("p", "Dana Whitfield<br/>Chief Information Security Officer<br/>Kestrel Benefits Administration, LLC"),
    ]
    doc = SimpleDocTemplate(str(path), pagesize=letter, title="Bridge Letter", author="Kestrel Benefits Administration, LLC")
    doc.build([Paragraph(t, hs if k == "h" else ss) for k, t in body] + [Spacer(1, 12)])
    expected(out, name, "not_a_soc_report", "The document is a bridge letter, not a SOC report.", 1 if len(pdfium.PdfDocument(str(path))) == 1 else len(pdfium.PdfDocument(str(path))))


BAD = {"x01_scanned_soc2": scanned, "x02_password_protected": encrypted, "x03_bridge_letter": bridge_letter}
