"""Layout machinery for the third held-out set: tracked flowables, TOC passes, verification."""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle
from reportlab.lib.fonts import addMapping

REC: dict[str, int] = {}  # key -> page, filled while the final pass draws

DEJAVU = "/usr/share/fonts/truetype/dejavu"
_FONTS_DONE = False


def register_fonts() -> dict[str, str]:
    """Font families available: base fonts always, DejaVu when fonts-dejavu-core is installed."""
    global _FONTS_DONE
    fam = {"helv": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
           "times": ("Times-Roman", "Times-Bold", "Times-Italic"),
           "courier": ("Courier", "Courier-Bold", "Courier-Oblique")}
    names = {"dvsans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"),
             "dvserif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"),
             "dvcond": ("DejaVuSansCondensed", "DejaVuSansCondensed-Bold", "DejaVuSansCondensed-Oblique"),
             "dvserifcond": ("DejaVuSerifCondensed", "DejaVuSerifCondensed-Bold", "DejaVuSerifCondensed-Italic")}
    for key, trio in names.items():
        if all(os.path.exists(f"{DEJAVU}/{n}.ttf") for n in trio):
            if not _FONTS_DONE:
                for n in trio:
                    pdfmetrics.registerFont(TTFont(n, f"{DEJAVU}/{n}.ttf"))
                addMapping(trio[0], 0, 0, trio[0]); addMapping(trio[0], 1, 0, trio[1])
                addMapping(trio[0], 0, 1, trio[2]); addMapping(trio[0], 1, 1, trio[1])
            fam[key] = trio
        else:  # fall back to a base font
            fam[key] = fam["times"] if "serif" in key else fam["helv"]
    _FONTS_DONE = True
    return fam


class TP(Paragraph):
    """A paragraph that records the page it starts on (and optionally adds an outline entry)."""

    def __init__(self, text, style, key=None, outline=None, **kw):
        super().__init__(text, style, **kw)
        self._key = key
        self._outline = outline

    def split(self, aW, aH):
        parts = super().split(aW, aH)
        for i, p in enumerate(parts):
            if isinstance(p, TP):
                p._key = self._key if i == 0 else None
                p._outline = self._outline if i == 0 else None
        return parts

    def draw(self):
        if self._key and self._key not in REC:
            REC[self._key] = self.canv.getPageNumber()
            if self._outline:
                title, level = self._outline
                self.canv.bookmarkPage(self._key)
                self.canv.addOutlineEntry(title, self._key, level=level, closed=False)
        super().draw()


class Mark(Flowable):
    """Zero-height marker recording a page (used for headings drawn by other flowables)."""

    def __init__(self, key):
        super().__init__()
        self._key = key

    def wrap(self, aW, aH):
        return 0, 0

    def draw(self):
        REC.setdefault(self._key, self.canv.getPageNumber())


class TocLine(Flowable):
    """A contents line: title at the left, page number at the right, optional dot leaders."""

    def __init__(self, title, page, font, size, indent=0, leaders=True, bold=False, lead=None):
        super().__init__()
        self.title, self.page, self.font, self.size = title, str(page), font, size
        self.indent, self.leaders, self.lead = indent, leaders, lead or size * 1.9

    def wrap(self, aW, aH):
        self.width = aW
        return aW, self.lead

    def draw(self):
        c = self.canv
        c.setFont(self.font, self.size)
        y = (self.lead - self.size) / 2
        c.drawString(self.indent, y, self.title)
        pw = pdfmetrics.stringWidth(self.page, self.font, self.size)
        c.drawString(self.width - pw, y, self.page)
        if self.leaders:
            tw = pdfmetrics.stringWidth(self.title, self.font, self.size)
            dw = pdfmetrics.stringWidth(" .", self.font, self.size)
            n = int((self.width - pw - self.indent - tw - 8) / dw)
            if n > 0:
                c.drawString(self.indent + tw + 4, y, " ." * n)


class Builder:
    """Collects the story and the gold of one report while it is laid out."""

    def __init__(self, prev_pages: dict[str, int]):
        self.prev = prev_pages
        self.story: list = []
        self.gold = {"subservice_organizations": [], "csocs": [], "cuecs": [], "exceptions": []}
        self.anchors: list[tuple[str, int, str, str]] = []  # (list, index, key, first words)
        self.toc: list[tuple[int, str, str]] = []  # (level, title, key)
        self._n = 0

    def key(self, prefix="k") -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    def page_of(self, key) -> int:
        return self.prev.get(key, 0)

    def add(self, *flowables):
        self.story.extend(flowables)

    def item(self, lst: str, item: dict, anchor: str, key: str | None = None) -> str:
        key = key or self.key("g")
        self.gold[lst].append(item)
        self.anchors.append((lst, len(self.gold[lst]) - 1, key, anchor))
        return key


def style(name, font, size, leading=None, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.3, **kw)


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ------------------------------------------------------------------ verification

_QMAP = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def _norm(w: str) -> str:
    w = w.translate(_QMAP).lower()
    return re.sub(r"^[^\w]+|[^\w]+$", "", w)


def _page_words(page):
    def keep(o):
        if o.get("object_type") != "char":
            return True
        m = o.get("matrix") or (1, 0, 0, 1, 0, 0)
        return abs(m[1]) < 0.01 and abs(m[2]) < 0.01 and o.get("size", 0) < 20  # no watermark or stamp
    words = page.filter(keep).extract_words(x_tolerance=2, y_tolerance=2)
    out = []
    for w in words:
        n = _norm(w["text"])
        if n:
            out.append({**w, "n": n})
    return out


def _chain(ws, start, toks) -> bool:
    cur, left = start, start["x0"]
    for t in toks[1:]:
        nxt = None
        h = cur["bottom"] - cur["top"]
        for w in ws:
            if w["n"] != t:
                continue
            same = abs(w["top"] - cur["top"]) < 2.5 and -1 <= w["x0"] - cur["x1"] < 40
            nextline = 0.5 * h < w["top"] - cur["top"] < 3 * h + 4 and abs(w["x0"] - left) < 6
            if same or nextline:
                nxt = w
                break
        if nxt is None:
            return False
        cur = nxt
    return True


def verify(pdf_path: Path, anchors, gold) -> None:
    import pdfplumber
    cache = {}
    errors = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for lst, idx, _key, anchor in anchors:
            item = gold[lst][idx]
            pno = item["page"]
            toks = [t for t in (_norm(x) for x in anchor.split()) if t][:5]
            if not (1 <= pno <= len(pdf.pages)):
                errors.append(f"{lst}[{idx}] page {pno} out of range: {anchor[:60]}")
                continue
            if pno not in cache:
                cache[pno] = _page_words(pdf.pages[pno - 1])
            ws = cache[pno]
            if not any(w["n"] == toks[0] and _chain(ws, w, toks) for w in ws):
                errors.append(f"{lst}[{idx}] not found on page {pno}: {' '.join(toks)}")
    if errors:
        raise SystemExit(f"{pdf_path.name}: page verification failed:\n  " + "\n  ".join(errors))


# ------------------------------------------------------------------ build loop

def build(rid: str, out_dir: Path, make, page_range=(12, 45)) -> dict:
    """make(builder) -> (doc factory args, report metadata). Repeats until contents pages are stable."""
    prev: dict[str, int] = {}
    for _ in range(6):
        REC.clear()
        b = Builder(prev)
        spec = make(b)
        buf = io.BytesIO()
        doc = BaseDocTemplate(buf, pagesize=spec["pagesize"], invariant=1, title=spec.get("title", ""),
                              author=spec.get("author", ""), subject="", creator=spec.get("creator", "heldout3"),
                              leftMargin=spec["margins"][0], rightMargin=spec["margins"][1],
                              topMargin=spec["margins"][2], bottomMargin=spec["margins"][3])
        doc.addPageTemplates(spec["templates"](doc))
        if spec.get("outline"):
            doc.showOutline = True
        doc.build(b.story)
        pages = dict(REC)
        if pages == prev:
            break
        prev = pages
    else:
        raise SystemExit(f"{rid}: contents page numbers did not settle")
    data = buf.getvalue()
    pdf_path = out_dir / f"{rid}.pdf"
    pdf_path.write_bytes(data)
    for lst, idx, key, anchor in b.anchors:
        if key not in pages:
            raise SystemExit(f"{rid}: {lst}[{idx}] was never drawn: {anchor[:60]}")
        b.gold[lst][idx]["page"] = pages[key]
    import pdfplumber
    with pdfplumber.open(str(pdf_path)) as p:
        npages = len(p.pages)
    if not (page_range[0] <= npages <= page_range[1]):
        raise SystemExit(f"{rid}: {npages} pages, outside {page_range}")
    if len(data) >= 400 * 1024:
        raise SystemExit(f"{rid}: {len(data)} bytes, 400 KB or more")
    verify(pdf_path, b.anchors, b.gold)
    expected = {
        "schema_version": 1, "status": "ok", "error": None,
        "source": {"filename": pdf_path.name, "sha256": hashlib.sha256(data).hexdigest(), "pages": npages},
        "report": spec["report"],
        **b.gold,
    }
    (out_dir / f"{rid}.expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
    return {"id": rid, "pages": npages, "bytes": len(data), **{k: len(v) for k, v in b.gold.items()}}


def frame_templates(doc, pagesize, margins, on_page, on_page_end=None, cover=None, land=None):
    l, r, t, bm = margins
    w, h = pagesize
    tpls = [PageTemplate("body", [Frame(l, bm, w - l - r, h - t - bm, id="f", leftPadding=0, rightPadding=0,
                                        topPadding=0, bottomPadding=0)], onPage=on_page,
                         onPageEnd=on_page_end or (lambda c, d: None), pagesize=pagesize)]
    if cover:
        tpls.insert(0, PageTemplate("cover", [Frame(l, bm, w - l - r, h - t - bm, id="c")], onPage=cover,
                                    onPageEnd=on_page_end or (lambda c, d: None), pagesize=pagesize))
    if land:
        lw, lh = land
        tpls.append(PageTemplate("land", [Frame(l, bm, lw - l - r, lh - t - bm, id="L", leftPadding=0,
                                                rightPadding=0, topPadding=0, bottomPadding=0)],
                                 onPage=on_page, onPageEnd=on_page_end or (lambda c, d: None), pagesize=land))
    return tpls
