"""Render one page of a stored PDF as a PNG, with an item's box drawn on it,
so a reviewer checks the source of an extracted item in one click.

Any signed-in user can ask for a page, and a vendor's PDF can be built to
need gigabytes to draw (a 200-inch page, a stream inflating to 1 GB), so the
web process never opens the PDF: each rendering runs in a child process with
memory, CPU-time and wall-clock limits (nlp.worker), at a scale that keeps the
image within PAGE_IMAGE_MAX_PIXELS. Images, and failures, are cached on disk
under the instance folder, keyed by the file's hash, the page and the box, so
a page is drawn once however often it is asked for; the daily housekeeping
deletes those nobody asked for in PAGE_CACHE_DAYS (each item's box is an
image of its own, so the cache would otherwise grow with every review).
"""
from __future__ import annotations

import hashlib
import io
import math
import os
import re
import tempfile
import textwrap
import threading
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from PIL import Image, ImageDraw

from nlp.worker import MiB, LimitExceeded, Limits, run_limited
from vendorrisk.infra.storage import expire_files

# 1.5 × 72 dpi = 108 dpi: a letter page is 918 × 1188 px, sharp enough to read
# small print in a browser without a multi-megabyte image.
RENDER_SCALE = 1.5
HIGHLIGHT_FILL = (255, 213, 0, 90)
HIGHLIGHT_OUTLINE = (214, 40, 40, 255)
PADDING_POINTS = 3
# Children rendering at once per web process: each may use PDF_MEMORY_MB, so
# many viewers asking for pages together wait instead of multiplying it.
_renders = threading.BoundedSemaphore(2)


class PageOutOfRange(ValueError):
    pass


class PageUnavailable(Exception):
    """The page cannot be shown; the message says why in plain words."""


def cache_key(sha256: str, page_number: int, box: list[float] | None, text: str | None) -> str:
    """Names one rendering: the file, the page, what is highlighted, and the settings that change the result."""
    config = current_app.config
    parts = [sha256, page_number, box, None if box else text, RENDER_SCALE, config["PAGE_IMAGE_MAX_PIXELS"],
             config["PDF_MEMORY_MB"], config["PAGE_IMAGE_CPU_SECONDS"], config["PAGE_IMAGE_TIMEOUT_SECONDS"]]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def page_png(path: Path, sha256: str, page_number: int, box: list[float] | None = None,
             text: str | None = None) -> bytes:
    """The page as PNG bytes with `box` ([x0, top, x1, bottom] in PDF points from the top-left) drawn,
    or, without a box, the place of `text` on the page. Raises PageOutOfRange or PageUnavailable."""
    config = current_app.config
    key = cache_key(sha256, page_number, box, text)
    folder = Path(config["PAGE_CACHE_DIR"]) / key[:2]
    image, failure = folder / f"{key}.png", folder / f"{key}.failed"
    for cached in (image, failure):
        try:
            os.utime(cached)  # the time of last use is what expire_cache goes by
            body = cached.read_bytes()
        except FileNotFoundError:  # not drawn yet, or expired a moment ago: drawn below
            continue
        if cached is image:
            return body
        raise PageUnavailable(body.decode())
    limits = Limits(config["PDF_MEMORY_MB"] * MiB, config["PAGE_IMAGE_CPU_SECONDS"],
                    config["PAGE_IMAGE_TIMEOUT_SECONDS"])
    try:
        with _renders:
            png = run_limited(_render, str(path), page_number, box, text, config["PAGE_IMAGE_MAX_PIXELS"],
                              limits=limits)
    except PageOutOfRange:
        raise
    except LimitExceeded as exc:
        _write(failure, f"This page could not be shown. {exc}".encode())
        raise PageUnavailable(failure.read_text()) from None
    except Exception as exc:  # noqa: BLE001 - a damaged file (WorkerCrashed, PdfiumError) is a message
        current_app.logger.warning("Could not render page %s of %s: %s", page_number, sha256, exc)
        _write(failure, b"This page could not be shown: the PDF appears to be damaged.")
        raise PageUnavailable(failure.read_text()) from None
    _write(image, png)
    return png


def expire_cache(app, *, now: datetime | None = None) -> int:
    """Delete the page images (and recorded failures) nobody asked for in
    PAGE_CACHE_DAYS; returns how many. Any of them is drawn again on demand."""
    root, lifetime = Path(app.config["PAGE_CACHE_DIR"]), timedelta(days=app.config["PAGE_CACHE_DAYS"])
    return sum(expire_files(root, pattern, lifetime, now) for pattern in ("*/*.png", "*/*.failed"))


def placeholder_png(message: str) -> bytes:
    """A small image saying why a page is missing, shown where the page would be."""
    lines = textwrap.wrap(message, 70)
    image = Image.new("RGB", (640, 40 + 18 * len(lines)), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((20, 20 + 18 * number), line, fill=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _write(target: Path, body: bytes) -> None:
    """Write through a temporary file and a rename, so a reader never sees half an image."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".page-", dir=target.parent)
    with os.fdopen(fd, "wb") as out:
        out.write(body)
    os.replace(temp, target)


# ---------------------------------------------------------------- in the child process

def scale_for(width: float, height: float, max_pixels: int) -> float:
    """RENDER_SCALE, or less when the page (in points) would exceed max_pixels: a huge page is drawn small."""
    return min(RENDER_SCALE, math.sqrt(max_pixels / max(width * height, 1.0)))


def _render(path: str, page_number: int, box: list[float] | None, text: str | None, max_pixels: int) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        if not 1 <= page_number <= len(document):
            raise PageOutOfRange(f"The report has {len(document)} pages.")
        page = document[page_number - 1]
        scale = scale_for(*page.get_size(), max_pixels)
        image = page.render(scale=scale).to_pil().convert("RGBA")
        page.close()
    finally:
        document.close()
    box = box or (_find_text_box(path, page_number, text) if text else None)
    if box:
        x0, top, x1, bottom = (v * scale for v in box)
        pad = PADDING_POINTS * scale
        rect = [max(0, x0 - pad), max(0, top - pad), min(image.width - 1, x1 + pad), min(image.height - 1, bottom + pad)]
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        ImageDraw.Draw(overlay).rectangle(rect, fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_OUTLINE, width=3)
        image = Image.alpha_composite(image, overlay)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _find_text_box(path: str, page_number: int, text: str) -> list[float] | None:
    """Where the text's first words are on the page, for items with no box
    (reviewer-added ones, or ones the extractor could not place)."""
    import pdfplumber

    words = re.findall(r"\S+", text or "")
    if not words:
        return None
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        for count in (8, 5, 3):
            phrase = " ".join(words[:count])
            pattern = r"\s+".join(re.escape(word) for word in phrase.split())
            matches = page.search(pattern, regex=True, case=False, return_chars=False)
            if matches:
                first = matches[0]
                return [first["x0"], first["top"], first["x1"], first["bottom"]]
    return None
