"""Bad inputs: only their ``status`` is scored."""
from __future__ import annotations

import io
import json
import random
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.platypus import PageBreak, Paragraph, Spacer

from .builder import build
from .engine import MAX_BYTES, Doc, Styles, check_limits, esc, sha256, table
from .reports import QUARRY


def _expected(pdf: Path, status: str, error: str, pages) -> dict:
    exp = {
        "schema_version": 1, "status": status, "error": error,
        "source": {"filename": pdf.name, "sha256": sha256(pdf), "pages": pages},
        "report": {"framework": None, "type": None, "service_organization": None, "auditor": None,
                   "period_start": None, "period_end": None, "opinion": None, "opinion_basis": None,
                   "trust_services_criteria": []},
        "subservice_organizations": [], "csocs": [], "cuecs": [], "exceptions": [],
    }
    pdf.with_name(pdf.name[:-4] + ".expected.json").write_text(json.dumps(exp, indent=2) + "\n", encoding="utf-8")
    return exp


def truncated(out: Path, name: str) -> dict:
    """A SOC 2 report cut off after a third of its bytes, then padded with zeros: no xref, no trailer."""
    tmp = out / f".{name}.tmp"
    tmp.mkdir(exist_ok=True)
    cfg = dict(QUARRY, name="full")
    build(cfg, tmp)
    data = (tmp / "full.pdf").read_bytes()
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()
    cut = data[: len(data) // 3]
    # damage the object headers too, so that a tolerant reader cannot rebuild the xref table
    cut = cut.replace(b" 0 obj", b" 0 jbo")
    pdf = out / f"{name}.pdf"
    pdf.write_bytes(cut + b"\x00" * 512)
    import pdfplumber
    import pypdfium2
    for opener in (lambda: len(pypdfium2.PdfDocument(str(pdf))), lambda: len(pdfplumber.open(str(pdf)).pages)):
        try:
            n = opener()
        except Exception:
            continue
        if n:
            raise AssertionError(f"{name}: a PDF reader still opened {n} pages")
    return _expected(pdf, "rejected", "The file is not a readable PDF (truncated or corrupt).", None)


QUESTIONS = [
    ("Governance", "Does your organization maintain a documented information security program approved by management?",
     "Yes. The program is owned by the Chief Information Security Officer and approved annually by the executive team."),
    ("Governance", "Has your organization undergone an independent audit such as a SOC 2 Type 2 examination in the last 12 months?",
     "Yes. Our most recent SOC 2 Type 2 report covers the twelve months ended June 30, 2026 and can be shared under NDA. No qualified opinion was issued."),
    ("Governance", "Were any exceptions noted in your most recent audit report? If so, describe them and the remediation.",
     "The auditor noted one exception relating to the timeliness of a quarterly access review. The review process has since been automated."),
    ("Governance", "Do you use subservice organizations or fourth parties to deliver the service?",
     "Yes. Hosting is provided by Amazon Web Services and e-mail delivery by a transactional e-mail provider. Both are reviewed annually."),
    ("Governance", "Are there complementary user entity controls that customers are expected to implement?",
     "Customers are expected to manage their own user accounts, enable multi-factor authentication and review audit logs."),
    ("Access Control", "Is multi-factor authentication enforced for all administrative access?", "Yes, through our identity provider."),
    ("Access Control", "How quickly is access removed for terminated employees?", "Within one business day, triggered by the HR system."),
    ("Access Control", "Are user access reviews performed? At what frequency?", "Quarterly for production systems and semi-annually for corporate systems."),
    ("Access Control", "Is privileged access logged and monitored?", "Yes. Privileged sessions are recorded and reviewed weekly."),
    ("Data Protection", "Is customer data encrypted at rest? Describe the algorithm and key management.", "Yes, AES-256 with keys managed in a cloud key management service and rotated annually."),
    ("Data Protection", "Is customer data encrypted in transit?", "Yes, TLS 1.2 or higher is enforced on all endpoints."),
    ("Data Protection", "Where is customer data stored geographically?", "In the United States, in two regions."),
    ("Data Protection", "How is customer data deleted at contract termination?", "Within 30 days of termination, with written confirmation on request."),
    ("Operations", "Do you perform vulnerability scanning and penetration testing?", "Weekly authenticated scans; an annual penetration test by a third party."),
    ("Operations", "Describe your patch management process and timelines.", "Critical patches within 15 days, high within 30 days, others in the monthly cycle."),
    ("Operations", "Do you have an exception process for security policies?", "Yes. Policy exceptions are approved by the CISO and reviewed quarterly."),
    ("Operations", "Is endpoint protection deployed on all workstations and servers?", "Yes, with central reporting."),
    ("Incident Response", "Do you maintain an incident response plan? When was it last tested?", "Yes. It was last tested in a tabletop exercise in March 2026."),
    ("Incident Response", "Within what time will customers be notified of a security incident affecting their data?", "Within 72 hours of confirmation."),
    ("Business Continuity", "Do you maintain a business continuity and disaster recovery plan?", "Yes, reviewed annually."),
    ("Business Continuity", "What are your RTO and RPO?", "RTO 8 hours; RPO 1 hour."),
    ("Business Continuity", "Are backups tested?", "Restoration tests are performed quarterly."),
    ("Human Resources", "Are background checks performed on employees?", "Yes, where permitted by law, before the start date."),
    ("Human Resources", "Is security awareness training required?", "Yes, at hire and annually."),
    ("Vendor Management", "How do you assess your own vendors?", "Risk-based questionnaires and review of SOC reports for critical vendors."),
    ("Compliance", "Which regulations and frameworks does your program align with?", "SOC 2, ISO/IEC 27001 (in progress), GDPR and CCPA."),
]


def questionnaire(out: Path, name: str) -> dict:
    pdf = out / f"{name}.pdf"
    s = Styles("Helvetica", 11, colors.HexColor("#5b2a86"))

    def deco(canv, doc, orient):
        w, h = canv._pagesize
        canv.setFont("Helvetica", 7.5)
        canv.drawString(50, 30, "Ridgeway Freight Software, Inc. \u2013 Vendor Security Assessment Questionnaire (v4.2)")
        canv.drawRightString(w - 50, 30, f"{canv.getPageNumber()}")

    doc = Doc(pdf, letter, (50, 50, 56, 56), deco, title="Vendor Security Assessment Questionnaire")
    st = [Spacer(1, 60), Paragraph("Vendor Security Assessment Questionnaire", s.title),
          Paragraph("Completed by Ridgeway Freight Software, Inc. for Halvorsen Outdoor Supply Co.", s.subtitle),
          Paragraph("Response date: September 9, 2026", s.subtitle), Spacer(1, 30),
          Paragraph("This questionnaire was completed by the vendor's security team. Responses are the vendor's own "
                    "statements and have not been audited. Where a response refers to the vendor's SOC 2 report, the "
                    "report itself should be requested and reviewed.", s.body), PageBreak()]
    rnd = random.Random(7)
    n = 0
    for rnd_round in range(6):
        section = None
        rows = None
        for cat, q, a in QUESTIONS:
            if cat != section:
                if rows:
                    st.append(table(rows, [doc.width_p * x for x in (0.08, 0.47, 0.12, 0.33)], ruled=True,
                                    header_bg=colors.HexColor("#ece3f3")))
                section = cat
                st.append(Paragraph("Part " + "ABCDEF"[rnd_round] + f" \u2013 {cat}", s.h2))
                rows = [[Paragraph(x, s.cellh) for x in ("No.", "Question", "Response", "Comments")]]
            n += 1
            ans = rnd.choice(["Yes", "Yes", "Yes", "No", "Partial"]) if "?" in q else "See comments"
            if rnd_round:
                q = q.replace("your organization", "the hosted service").replace("your", "the service's") \
                    if rnd_round % 2 else q
            rows.append([Paragraph(str(n), s.cell), Paragraph(esc(q), s.cell), Paragraph(ans, s.cell),
                         Paragraph(esc(a), s.cell)])
        st.append(table(rows, [doc.width_p * x for x in (0.08, 0.47, 0.12, 0.33)], ruled=True,
                        header_bg=colors.HexColor("#ece3f3")))
        st.append(PageBreak())
    st.append(Paragraph("Attestation", s.h2))
    st.append(Paragraph("I confirm that the responses above are accurate to the best of my knowledge. Signed: Priya "
                        "Nandakumar, Director of Security, Ridgeway Freight Software, Inc.", s.body))
    doc.build(st)
    pages = check_limits(pdf)
    return _expected(pdf, "not_a_soc_report", "The document is not a SOC 1, SOC 2 or SOC 3 report.", pages)


def image_only(out: Path, name: str) -> dict:
    """A SOC 2 report printed and scanned: every page is a greyscale JPEG, with no text layer."""
    import pypdfium2
    from PIL import Image, ImageFilter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    tmp = out / f".{name}.tmp"
    tmp.mkdir(exist_ok=True)
    build(dict(QUARRY, name="full"), tmp)
    src = pypdfium2.PdfDocument(str(tmp / "full.pdf"))
    pdf = out / f"{name}.pdf"
    c = canvas.Canvas(str(pdf), pagesize=letter, invariant=1)
    rnd = random.Random(11)
    for i in range(len(src)):
        img = src[i].render(scale=0.85).to_pil().convert("L")
        img = img.rotate(rnd.uniform(-0.8, 0.8), fillcolor=255, resample=Image.BICUBIC).filter(ImageFilter.SMOOTH)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=25)
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, 0, width=letter[0], height=letter[1])
        c.showPage()
    c.save()
    src.close()
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()
    if pdf.stat().st_size >= MAX_BYTES:
        raise AssertionError(f"{name}: too large")
    pages = check_limits(pdf)
    return _expected(pdf, "needs_ocr", "The PDF has no text layer; it appears to be scanned.", pages)


BAD = {"x01_truncated_soc2": truncated, "x02_vendor_questionnaire": questionnaire, "x03_image_only_soc2": image_only}
