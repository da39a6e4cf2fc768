"""PDF builders for text-layer holes: a SOC report whose auditor's report pages are only images
of text, while the rest of the report has a text layer. All wording is invented."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

ORG = "Larkspur Analytics, Inc."
FIRM = "Wexford Lyle LLP"

COVER = [ORG, "SOC 3 Report", "Report on Controls Relevant to Security and Availability",
         "For the Period June 1, 2024 to May 31, 2025"]
# The auditor's report, drawn as a picture of text (a scanned, signed page inserted into a digital report).
AUDITOR_IMAGE = [
    "Independent Service Auditor's Report",
    f"To the Management of {ORG}:",
    "Scope",
    "We have examined Larkspur's accompanying assertion that the controls within the Larkspur Insight",
    "Platform were effective throughout the period June 1, 2024 to May 31, 2025, to provide reasonable",
    "assurance that Larkspur's service commitments and system requirements were achieved based on the",
    "trust services criteria relevant to security and availability.",
    "Opinion",
    "In our opinion, management's assertion is fairly stated, in all material respects.",
    FIRM,
    "Denver, Colorado",
    "June 20, 2025",
]
ASSERTION = [
    "Assertion of Larkspur Analytics Management",
    "We are responsible for designing, implementing, operating and maintaining effective controls within",
    "the Larkspur Insight Platform throughout the period June 1, 2024 to May 31, 2025, to provide",
    "reasonable assurance that Larkspur's service commitments and system requirements relevant to security",
    "and availability were achieved. We have performed an evaluation of the effectiveness of the controls",
    "within the system based on the trust services criteria relevant to security and availability set forth",
    "in TSP section 100. Based on our evaluation, we assert that the controls within the system were",
    "effective throughout the period to provide reasonable assurance that the service commitments and",
    "system requirements were achieved based on the applicable trust services criteria.",
]
DESCRIPTION = [
    "Description of the Boundaries of the Larkspur Insight Platform",
    "Larkspur Analytics provides hosted forecasting software to retailers. The platform runs in two",
    "regions and is operated by the Larkspur engineering and operations teams. Customer data is encrypted",
    "at rest and in transit, and access to production systems requires multi-factor authentication.",
    "Changes to the platform are reviewed and approved before deployment, and backups are replicated",
    "daily to a second region and restored each quarter to confirm that they can be read.",
]


def _text_page(c: canvas.Canvas, lines: list[str], footer: str) -> None:
    y = 720
    for ln in lines:
        for part in textwrap.wrap(ln, 95) or [""]:
            c.setFont("Helvetica", 10)
            c.drawString(54, y, part)
            y -= 15
    c.setFont("Helvetica", 8)
    c.drawString(54, 30, footer)
    c.showPage()


def _image_page(c: canvas.Canvas, lines: list[str], footer: str) -> None:
    """The lines rendered into a PNG and placed as a full-page picture; only the footer is text."""
    img = Image.new("L", (1275, 1650), 255)
    draw = ImageDraw.Draw(img)
    y = 120
    for ln in lines:
        draw.text((110, y), ln, fill=0)
        y += 34
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    c.drawImage(ImageReader(buf), 0, 0, width=letter[0], height=letter[1])
    c.setFont("Helvetica", 8)
    c.drawString(54, 30, footer)
    c.showPage()


def build_image_auditor_report(path: Path) -> Path:
    """Cover, the auditor's report as two image pages, the assertion and the description as text."""
    c = canvas.Canvas(str(path), pagesize=letter)
    footer = "Larkspur Analytics | SOC 3 Report"
    _text_page(c, COVER, footer)
    _image_page(c, AUDITOR_IMAGE[:8], footer)
    _image_page(c, AUDITOR_IMAGE[8:], footer)
    _text_page(c, ASSERTION, footer)
    _text_page(c, DESCRIPTION, footer)
    _text_page(c, DESCRIPTION[:1] + DESCRIPTION[3:] + DESCRIPTION[1:3], footer)
    c.save()
    return path
