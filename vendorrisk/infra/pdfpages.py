"""Render one page of a stored PDF as a PNG, with an item's box drawn on it,
so a reviewer checks the source of an extracted item in one click."""
from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

# 1.5 × 72 dpi = 108 dpi: a letter page is 918 × 1188 px, sharp enough to read
# small print in a browser without a multi-megabyte image.
RENDER_SCALE = 1.5
HIGHLIGHT_FILL = (255, 213, 0, 90)
HIGHLIGHT_OUTLINE = (214, 40, 40, 255)
PADDING_POINTS = 3
# PDFium is not thread-safe; the web server renders from several threads.
_pdfium_lock = threading.Lock()


class PageOutOfRange(ValueError):
    pass


def page_count(path: Path) -> int:
    with _pdfium_lock:
        document = pdfium.PdfDocument(str(path))
        try:
            return len(document)
        finally:
            document.close()


def find_text_box(path: Path, page_number: int, text: str) -> list[float] | None:
    """Where the text's first words are on the page, for items with no box
    (reviewer-added ones, or ones the extractor could not place)."""
    import pdfplumber

    words = re.findall(r"\S+", text or "")
    if not words:
        return None
    with pdfplumber.open(str(path)) as pdf:
        if not 1 <= page_number <= len(pdf.pages):
            return None
        page = pdf.pages[page_number - 1]
        for count in (8, 5, 3):
            phrase = " ".join(words[:count])
            pattern = r"\s+".join(re.escape(word) for word in phrase.split())
            matches = page.search(pattern, regex=True, case=False, return_chars=False)
            if matches:
                first = matches[0]
                return [first["x0"], first["top"], first["x1"], first["bottom"]]
    return None


def render_page(path: Path, page_number: int, box: list[float] | None = None) -> bytes:
    """The page as PNG bytes; `box` is [x0, top, x1, bottom] in PDF points from the top-left."""
    with _pdfium_lock:
        document = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= page_number <= len(document):
                raise PageOutOfRange(f"The report has {len(document)} pages.")
            page = document[page_number - 1]
            image = page.render(scale=RENDER_SCALE).to_pil().convert("RGBA")
            page.close()
        finally:
            document.close()
    if box:
        x0, top, x1, bottom = (v * RENDER_SCALE for v in box)
        pad = PADDING_POINTS * RENDER_SCALE
        rect = [max(0, x0 - pad), max(0, top - pad), min(image.width - 1, x1 + pad), min(image.height - 1, bottom + pad)]
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        ImageDraw.Draw(overlay).rectangle(rect, fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_OUTLINE, width=3)
        image = Image.alpha_composite(image, overlay)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", compress_level=6)
    return out.getvalue()
