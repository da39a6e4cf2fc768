"""Inputs the extractor must refuse or classify instead of extracting.

Statuses follow the contract: ``rejected`` (not a PDF, encrypted, corrupt,
empty), ``needs_ocr`` (no usable text layer) and ``not_a_soc_report``
(readable, but a policy, a bridge letter or an invoice that merely mentions
SOC 2). Every file is deterministic.
"""
from __future__ import annotations

import io
import os
import random
import zipfile

import reportlab
from reportlab.lib.pagesizes import letter
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import render as _render  # noqa: F401  (registers fonts, sets rl_config.invariant)
from .build import build
from .corpus import PROFILES
from .expected import expected_status

_FONT = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
BODY = ParagraphStyle("b", fontName="Helvetica", fontSize=10, leading=14, spaceAfter=8)
H1 = ParagraphStyle("h1", parent=BODY, fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=12)
H2 = ParagraphStyle("h2", parent=BODY, fontName="Helvetica-Bold", fontSize=12, leading=16, spaceBefore=6)


def _doc(flow, **kw) -> bytes:
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=letter, invariant=1, **kw).build(flow)
    return buf.getvalue()


def _pages(data: bytes) -> int:
    import pypdfium2 as pdfium
    return len(pdfium.PdfDocument(data))


def security_policy() -> bytes:
    sections = [
        ("1. Purpose", "This Information Security Policy establishes the requirements that Northwind Ledger, Inc. applies to "
         "protect the confidentiality, integrity, and availability of company and customer information. The policy supports "
         "the commitments we make to customers and the controls that are examined each year in our SOC 2 Type II "
         "examination."),
        ("2. Scope", "This policy applies to all employees, contractors, and third parties who access Northwind systems or "
         "data, and to all systems that store, process, or transmit customer data."),
        ("3. Roles and Responsibilities", "The Chief Information Security Officer owns this policy and reviews it annually. "
         "System owners are responsible for implementing the controls in this policy for the systems they manage. "
         "Managers are responsible for ensuring that their staff complete security awareness training."),
        ("4. Access Control", "Access is granted on the principle of least privilege and approved by the system owner. "
         "Access is reviewed quarterly and removed within one business day of termination. Multi-factor authentication "
         "is required for all production access."),
        ("5. Policy Exceptions", "Exceptions to this policy must be requested in writing, include a risk assessment and "
         "compensating controls, be approved by the Chief Information Security Officer, and be recorded in the exception "
         "register. Exceptions are valid for at most twelve months. Exception noted in the register are reviewed quarterly."),
        ("6. Vendor Management", "Vendors that store or process customer data are assessed before onboarding. Where a "
         "vendor provides a SOC 2 report, the Security team reviews the report, including any exceptions noted by the "
         "service auditor and the complementary user entity controls that the vendor expects Northwind to implement, and "
         "records the review in the vendor register."),
        ("7. Logging and Monitoring", "Security-relevant events are logged centrally and retained for at least one year. "
         "Alerts are triaged by the on-call security engineer. We practice exception-based monitoring: engineers are paged "
         "only when a metric deviates from its baseline."),
        ("8. Incident Response", "Security incidents are handled according to the Incident Response Plan. Customers are "
         "notified of incidents that affect their data within 72 hours of confirmation."),
        ("9. Compliance", "Compliance with this policy is monitored continuously. Violations may result in disciplinary "
         "action up to and including termination. Our SOC 2 report is available to customers under a non-disclosure "
         "agreement through the Trust Center."),
    ]
    flow = [Paragraph("Northwind Ledger, Inc.", H2), Paragraph("Information Security Policy", H1),
            Paragraph("Version 4.2 \u2013 Approved by the Chief Information Security Officer on February 3, 2025", BODY)]
    for i, (h, t) in enumerate(sections):
        flow += [Paragraph(h, H2), Paragraph(t, BODY), Paragraph(t.replace("This policy", "This section"), BODY)]
        if i in (2, 5):
            flow.append(PageBreak())
    return _doc(flow, title="Information Security Policy")


def bridge_letter() -> bytes:
    flow = [Paragraph("Cedar Hollow Wealth Technologies, Inc.", H2), Spacer(1, 6), Paragraph("December 15, 2025", BODY),
            Paragraph("Re: Bridge Letter for the SOC 2 Type 2 Report on the Cedar Hollow Portfolio Accounting System", H2),
            Paragraph("To our valued customers:", BODY),
            Paragraph("Cedar Hollow Wealth Technologies, Inc. (\u201cCedar Hollow\u201d) engaged Harrow &amp; Vance LLP to "
                      "examine the description of its Portfolio Accounting System and the suitability of the design and "
                      "operating effectiveness of its controls relevant to security, availability, and confidentiality "
                      "throughout the period July 1, 2024, to June 30, 2025. The resulting SOC 2 Type 2 report was issued on "
                      "August 29, 2025.", BODY),
            Paragraph("This letter covers the period from July 1, 2025, through November 30, 2025 (the \u201cbridge "
                      "period\u201d), which is not covered by the report. Management confirms that, to the best of its "
                      "knowledge:", BODY),
            Paragraph("\u2022 there have been no material changes to the system or to the internal controls described in the "
                      "report during the bridge period;", BODY),
            Paragraph("\u2022 we are not aware of any material deficiencies in the design or operating effectiveness of "
                      "those controls, and no exceptions have come to our attention that would affect the conclusions of the "
                      "report;", BODY),
            Paragraph("\u2022 the subservice organizations and complementary user entity controls described in the report "
                      "remain unchanged.", BODY),
            Paragraph("This letter is provided by management and is not an examination, review, or other attestation "
                      "by a service auditor. The next SOC 2 Type 2 examination will cover the period July 1, 2025, to "
                      "June 30, 2026.", BODY),
            Spacer(1, 18), Paragraph("Owen Mbeki", BODY), Paragraph("Chief Financial Officer", BODY)]
    return _doc(flow, title="Bridge Letter")


def invoice() -> bytes:
    flow = [Paragraph("Harrow &amp; Vance LLP", H1), Paragraph("200 Atlantic Avenue, Boston, Massachusetts", BODY),
            Paragraph("INVOICE", H2), Paragraph("Invoice number: HV-2025-0412 &nbsp;&nbsp; Date: September 12, 2025", BODY),
            Paragraph("Bill to: Northwind Ledger, Inc., Accounts Payable", BODY)]
    rows = [["Description", "Hours", "Rate", "Amount"],
            ["SOC 2 Type II examination \u2013 period May 1, 2024, to April 30, 2025", "", "", "$38,500.00"],
            ["Readiness assessment and control mapping", "24", "$275.00", "$6,600.00"],
            ["Bridge letter review", "3", "$275.00", "$825.00"],
            ["Out-of-pocket expenses", "", "", "$412.18"],
            ["Total due", "", "", "$46,337.18"]]
    t = Table(rows, colWidths=[3.6 * inch, 0.8 * inch, 0.9 * inch, 1.2 * inch])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#888888"), ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                           ("FONTSIZE", (0, 0), (-1, -1), 9), ("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
    flow += [Spacer(1, 8), t, Spacer(1, 12),
             Paragraph("Payment terms: net 30 days. Please reference the invoice number with your payment. The SOC 2 report "
                       "was delivered through the client portal on August 29, 2025.", BODY)]
    return _doc(flow, title="Invoice HV-2025-0412")


def encrypted() -> bytes:
    """A genuine short SOC 3 report behind a user password, as some portals serve them."""
    spec = build(next(p for p in PROFILES if p.name == "r17-riverbend-soc3"))
    r = _render.Renderer(spec)
    r.render()  # converge page numbers first
    buf = io.BytesIO()
    doc = r.make_doc(buf)
    doc.encrypt = StandardEncryption("Vend0rPortal!", ownerPassword="owner-secret", canPrint=0, canCopy=0)
    doc.build(r.story())
    return buf.getvalue()


def scanned(stamp: bool) -> bytes:
    """Pages that are only pictures of text, like a report printed and scanned."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(4242 if stamp else 4141)
    font = ImageFont.truetype(_FONT, 13)
    big = ImageFont.truetype(_FONT, 22)
    lines_by_page = [
        ["", "", "Quillstone Health Technologies, Inc.", "", "SOC 2 Type II Report", "",
         "Report on Quillstone's Description of Its Care Coordination Platform",
         "and on the Suitability of the Design and Operating Effectiveness of Its",
         "Controls Relevant to Security and Availability", "",
         "Throughout the Period January 1, 2025 through December 31, 2025"],
        ["Section I - Independent Service Auditor's Report", "",
         "To the Management of Quillstone Health Technologies, Inc.:", "",
         "Scope", "We have examined Quillstone's accompanying description of its Care Coordination",
         "Platform throughout the period January 1, 2025 through December 31, 2025, and the",
         "suitability of the design and operating effectiveness of controls stated in the",
         "description to provide reasonable assurance that the service commitments and",
         "system requirements were achieved based on the trust services criteria relevant",
         "to security and availability.", "",
         "Opinion", "In our opinion, in all material respects, the description presents the system",
         "that was designed and implemented throughout the period ..."],
        ["Complementary User Entity Controls", "",
         "  - User entities are responsible for provisioning and removing access for their users.",
         "  - User entities are responsible for reviewing reports for accuracy and completeness.",
         "  - User entities are responsible for notifying Quillstone of security incidents.", "",
         "Section IV - Testing Matrices", "",
         "CC6.2.1  Access for terminated employees is revoked ...   Exception noted. For 2 of 25",
         "         terminated users sampled, access was not removed within one business day."],
    ]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    w, h = 638, 825  # 75 dpi letter
    for n, lines in enumerate(lines_by_page, 1):
        img = Image.new("L", (w, h), 250)
        d = ImageDraw.Draw(img)
        y = 60
        for line in lines:
            f = big if n == 1 and line and lines.index(line) in (2, 4) else font
            d.text((50 + rng.randint(-2, 2), y), line, fill=rng.randint(20, 50), font=f)
            y += 30 if f is big else 19
        d.text((w // 2 - 40, h - 40), f"Page {n} of 3", fill=40, font=font)
        for _ in range(400):  # scanner speckle
            x, yy = rng.randrange(w), rng.randrange(h)
            d.point((x, yy), fill=rng.randint(120, 200))
        img = img.rotate(rng.uniform(-0.8, 0.8), fillcolor=250, resample=Image.BILINEAR).filter(ImageFilter.SMOOTH)
        jpg = io.BytesIO()
        img.save(jpg, "JPEG", quality=45)
        c.drawImage(ImageReader(io.BytesIO(jpg.getvalue())), 0, 0, width=letter[0], height=letter[1])
        if stamp:
            c.setFont("Helvetica", 6)
            c.drawString(20, 10, f"Downloaded by a.reviewer@example.com on 2026-01-14 from the vendor trust portal \u2013 page {n}")
        c.showPage()
    c.save()
    return buf.getvalue()


def zero_pages() -> bytes:
    """A syntactically valid PDF whose page tree is empty."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def truncated() -> bytes:
    """The first 30% of a real report, as left by an interrupted download."""
    spec = build(next(p for p in PROFILES if p.name == "r13-foxglove"))
    data, _, _ = _render.render(spec)
    return data[: int(len(data) * 0.3)]


def corrupt() -> bytes:
    rng = random.Random(77)
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(rng.randrange(256) for _ in range(6000))


def not_a_pdf_text() -> bytes:
    return ("SOC 2 Type II Report - Northwind Ledger, Inc.\n\n"
            "This file is a placeholder exported by the document portal. The report itself is available to customers\n"
            "under NDA; please request access through your account manager.\n").encode()


def zip_renamed() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("Northwind_SOC2_Type2_2025.pdf", date_time=(2025, 6, 1, 12, 0, 0))
        z.writestr(info, b"%PDF-1.4\n% not really here\n" * 40)
        info = zipfile.ZipInfo("README.txt", date_time=(2025, 6, 1, 12, 0, 0))
        z.writestr(info, b"Extract the report before uploading.\n")
    return buf.getvalue()


def generate():
    """Yield (filename, bytes, expected document)."""
    cases = [
        ("bad-not-a-pdf.pdf", not_a_pdf_text(), "rejected", "The file is not a PDF (it is plain text).", None),
        ("bad-zip-renamed.pdf", zip_renamed(), "rejected", "The file is not a PDF (it is a ZIP archive).", None),
        ("bad-encrypted.pdf", encrypted(), "rejected", "The PDF is encrypted and needs a password.", None),
        ("bad-truncated.pdf", truncated(), "rejected", "The PDF is truncated or corrupt and cannot be read.", None),
        ("bad-corrupt.pdf", corrupt(), "rejected", "The PDF is corrupt and cannot be read.", None),
        ("bad-empty.pdf", b"", "rejected", "The file is empty.", None),
        ("bad-zero-pages.pdf", zero_pages(), "rejected", "The PDF has no pages.", 0),
        ("scan-image-only.pdf", scanned(stamp=False), "needs_ocr", "The PDF has no text layer (scanned pages).", "count"),
        ("scan-portal-stamp.pdf", scanned(stamp=True), "needs_ocr",
         "The PDF has no usable text layer: only a portal stamp is text, the pages are images.", "count"),
        ("notsoc-security-policy.pdf", security_policy(), "not_a_soc_report",
         "An information security policy, not a SOC report.", "count"),
        ("notsoc-bridge-letter.pdf", bridge_letter(), "not_a_soc_report",
         "A bridge letter from management, not a SOC report.", "count"),
        ("notsoc-invoice.pdf", invoice(), "not_a_soc_report", "An invoice, not a SOC report.", "count"),
    ]
    for name, data, status, error, pages in cases:
        if pages == "count":
            pages = _pages(data)
        yield name, data, expected_status(name, data, status, error, pages)
