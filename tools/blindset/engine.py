"""Rendering engine: reportlab story helpers, page-number recording and verification.

Every expected item is drawn through a :class:`TP` (tagged paragraph). When
reportlab draws it, the page number is recorded under the item's tag, so the
page in the expected JSON comes from the layout itself. :func:`verify_pages`
then confirms it independently by finding the item's first words on that page
of the rendered PDF with pdfplumber (words chained by geometry so that table
columns do not interleave).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.fonts import addMapping
from reportlab.platypus import (BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle)

MAX_BYTES = 400 * 1024
import os
MIN_PAGES, MAX_PAGES = (1, 999) if os.environ.get("BLINDSET_LAX") else (15, 60)

_DEJAVU = "/usr/share/fonts/truetype/dejavu/"
_FAMILIES = {
    "DVSerifC": ("DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf", "DejaVuSerifCondensed-Italic.ttf",
                 "DejaVuSerifCondensed-BoldItalic.ttf"),
    "DVSansC": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf", "DejaVuSansCondensed-Oblique.ttf",
                "DejaVuSansCondensed-BoldOblique.ttf"),
}
BUILTIN = {
    "Helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"),
    "Times": ("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic"),
}


def font_family(name: str) -> tuple[str, str, str, str]:
    if name in BUILTIN:
        return BUILTIN[name]
    files = _FAMILIES[name]
    names = (name, name + "-B", name + "-I", name + "-BI")
    for n, f in zip(names, files):
        if n not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(n, _DEJAVU + f))
    addMapping(name, 0, 0, names[0])
    addMapping(name, 1, 0, names[1])
    addMapping(name, 0, 1, names[2])
    addMapping(name, 1, 1, names[3])
    return names


class Recorder:
    def __init__(self):
        self.pages: dict[str, int] = {}


class TP(Paragraph):
    """A paragraph that records the page it is first drawn on under ``tag``."""

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8",
                 tag=None, rec=None):
        super().__init__(text, style, bulletText=bulletText, frags=frags, caseSensitive=caseSensitive,
                         encoding=encoding)
        self._tag, self._rec = tag, rec

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for p in parts:
            p._tag, p._rec = getattr(self, "_tag", None), getattr(self, "_rec", None)
        return parts

    def draw(self):
        tag = getattr(self, "_tag", None)
        if tag is not None and tag not in self._rec.pages:
            self._rec.pages[tag] = self.canv.getPageNumber()
        super().draw()


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Styles:
    def __init__(self, family: str, size: float = 10, accent=colors.black, head_family: str | None = None,
                 justify: bool = False, leading: float | None = None):
        r, b, i, bi = font_family(family)
        hr, hb, _, _ = font_family(head_family) if head_family else (r, b, i, bi)
        self.regular, self.bold, self.italic = r, b, i
        self.head_bold = hb
        self.accent = accent
        lead = leading or size * 1.3
        self.body = ParagraphStyle("body", fontName=r, fontSize=size, leading=lead, spaceAfter=size * 0.6,
                                   alignment=TA_JUSTIFY if justify else TA_LEFT)
        self.cell = ParagraphStyle("cell", fontName=r, fontSize=size - 1.5, leading=(size - 1.5) * 1.25)
        self.cellb = ParagraphStyle("cellb", parent=self.cell, fontName=b)
        self.cellh = ParagraphStyle("cellh", parent=self.cell, fontName=hb)
        self.h1 = ParagraphStyle("h1", fontName=hb, fontSize=size + 5, leading=(size + 5) * 1.25, spaceBefore=6,
                                 spaceAfter=10, textColor=accent)
        self.h2 = ParagraphStyle("h2", fontName=hb, fontSize=size + 2, leading=(size + 2) * 1.25, spaceBefore=8,
                                 spaceAfter=5, textColor=accent)
        self.h3 = ParagraphStyle("h3", fontName=hb, fontSize=size + 0.5, leading=(size + 0.5) * 1.25,
                                 spaceBefore=6, spaceAfter=3)
        self.center = ParagraphStyle("center", parent=self.body, alignment=TA_CENTER)
        self.title = ParagraphStyle("title", fontName=hb, fontSize=size + 12, leading=(size + 12) * 1.2,
                                    alignment=TA_CENTER, spaceAfter=14, textColor=accent)
        self.subtitle = ParagraphStyle("subtitle", fontName=r, fontSize=size + 3, leading=(size + 3) * 1.3,
                                       alignment=TA_CENTER, spaceAfter=8)
        self.listitem = ParagraphStyle("li", parent=self.body, leftIndent=22, bulletIndent=4)
        self.bullet = ParagraphStyle("bul", parent=self.body, leftIndent=16, bulletIndent=4)


class Doc:
    """A BaseDocTemplate with a portrait ("P") and a landscape ("L") page template."""

    def __init__(self, path: Path, pagesize, margins=(72, 72, 72, 72), on_page=None, title="", author=""):
        self.path = path
        l, r, t, b = margins
        self.pagesize = pagesize
        w, h = pagesize
        lw, lh = landscape(pagesize)
        self.doc = BaseDocTemplate(str(path), pagesize=pagesize, leftMargin=l, rightMargin=r, topMargin=t,
                                   bottomMargin=b, title=title, author=author, invariant=1,
                                   creator="blindset", producer="blindset")
        self.width_p = w - l - r
        self.width_l = lw - l - r

        def mk(orient):
            def cb(canv, doc):
                if on_page:
                    canv.saveState()
                    on_page(canv, doc, orient)
                    canv.restoreState()
            return cb

        self.doc.addPageTemplates([
            PageTemplate(id="P", frames=[Frame(l, b, self.width_p, h - t - b, id="fp", leftPadding=0,
                                               rightPadding=0, topPadding=0, bottomPadding=0)],
                         onPage=mk("P"), pagesize=pagesize),
            PageTemplate(id="L", frames=[Frame(l, b, self.width_l, lh - t - b, id="fl", leftPadding=0,
                                               rightPadding=0, topPadding=0, bottomPadding=0)],
                         onPage=mk("L"), pagesize=(lw, lh)),
        ])

    def build(self, story):
        self.doc.build(story)


def table(data, widths, ruled=True, header_bg=None, zebra=None, repeat=1, split_in_row=False, valign="TOP",
          pad=4, line=colors.black, extra=()):
    st = [("VALIGN", (0, 0), (-1, -1), valign), ("LEFTPADDING", (0, 0), (-1, -1), pad),
          ("RIGHTPADDING", (0, 0), (-1, -1), pad), ("TOPPADDING", (0, 0), (-1, -1), 3),
          ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    if ruled:
        st.append(("GRID", (0, 0), (-1, -1), 0.5, line))
    elif repeat:
        st.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, line))
    if header_bg is not None and repeat:
        st.append(("BACKGROUND", (0, 0), (-1, 0), header_bg))
    if zebra is not None:
        for i in range(repeat, len(data)):
            if (i - repeat) % 2 == 1:
                st.append(("BACKGROUND", (0, i), (-1, i), zebra))
    st.extend(extra)
    return Table(data, colWidths=widths, style=TableStyle(st), repeatRows=repeat, splitInRow=int(split_in_row))


# ---------------------------------------------------------------- verification

def _norm(w: str) -> str:
    w = w.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-").lower()
    return re.sub(r"[^0-9a-z]", "", w)


def _item_tokens(text: str, n: int) -> list[str]:
    toks = [_norm(t) for t in text.split()]
    return [t for t in toks if t][:n]


def _chain(words, toks) -> bool:
    """True if toks appear as consecutive words, each right of the last on one line or at the
    start of a following line to its left (a wrapped cell line)."""
    norms = [_norm(w["text"]) for w in words]
    idx = {}
    for i, t in enumerate(norms):
        idx.setdefault(t, []).append(i)

    def nxt(c, t):
        for j in idx.get(t, []):
            w = words[j]
            h = c["bottom"] - c["top"]
            if abs(w["top"] - c["top"]) < 2 and 0 <= w["x0"] - c["x1"] < 14:
                yield w
            elif 0.5 * h < w["top"] - c["top"] < 2.6 * h and w["x0"] < c["x0"]:
                yield w

    def dfs(c, k):
        if k == len(toks):
            return True
        return any(dfs(w, k + 1) for w in nxt(c, toks[k]))

    return any(dfs(words[i], 1) for i in idx.get(toks[0], []))


def open_words(pdf: Path):
    import pdfplumber
    with pdfplumber.open(str(pdf)) as doc:
        return [p.extract_words(use_text_flow=False, keep_blank_chars=False) for p in doc.pages]


def verify_pages(pdf: Path, checks: list[tuple[str, str, int]], n_words: int = 6) -> None:
    """checks: (label, text, page). Raise if the text's first words are not on that page."""
    pages = open_words(pdf)
    bad = []
    for label, text, page in checks:
        toks = _item_tokens(text, n_words)
        if not (1 <= page <= len(pages)) or not toks or not _chain(pages[page - 1], toks):
            bad.append(f"{label}: {' '.join(toks)!r} not found on page {page}")
    if bad:
        raise AssertionError(f"{pdf.name}: page verification failed:\n  " + "\n  ".join(bad))


def check_limits(pdf: Path, scored: bool = True) -> int:
    import pdfplumber
    size = pdf.stat().st_size
    if size >= MAX_BYTES:
        raise AssertionError(f"{pdf.name}: {size} bytes >= {MAX_BYTES}")
    with pdfplumber.open(str(pdf)) as doc:
        n = len(doc.pages)
    if scored and not (MIN_PAGES <= n <= MAX_PAGES):
        raise AssertionError(f"{pdf.name}: {n} pages outside {MIN_PAGES}-{MAX_PAGES}")
    return n


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


__all__ = ["TP", "Recorder", "Styles", "Doc", "table", "esc", "verify_pages", "check_limits", "sha256", "Spacer",
           "Paragraph"]
