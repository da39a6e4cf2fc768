"""Confirm on which page each expected item starts, from the rendered PDF.

Plain page text interleaves table columns, so words are chained by
geometry instead: the next word of an item is either just to the right on
the same line or at the start of the next line in the same column.
"""
from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber


class PageNotConfirmed(RuntimeError):
    pass


def norm(t: str) -> str:
    t = unicodedata.normalize("NFKC", t)
    t = t.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    t = t.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    return t.lower()


@dataclass
class W:
    t: str
    x0: float
    x1: float
    top: float
    bottom: float


class PdfWords:
    def __init__(self, path: Path):
        self.pages: list[list[W]] = []
        self.tops: list[list[float]] = []
        self.index: list[dict[str, list[int]]] = []
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                # A diagonal watermark's letters land inside ordinary words; the
                # ground truth is the text under it.
                page = page.filter(lambda o: o.get("object_type") != "char" or (o.get("upright", True) and o.get("size", 0) < 40))
                ws = page.extract_words(use_text_flow=False, keep_blank_chars=False)
                words = sorted((W(norm(w["text"]), w["x0"], w["x1"], w["top"], w["bottom"]) for w in ws),
                               key=lambda w: (w.top, w.x0))
                self.pages.append(words)
                self.tops.append([w.top for w in words])
                idx: dict[str, list[int]] = {}
                for i, w in enumerate(words):
                    idx.setdefault(w.t, []).append(i)
                self.index.append(idx)

    def __len__(self):
        return len(self.pages)

    def _chain(self, pno: int, i: int, toks: list[str]) -> bool:
        words, tops = self.pages[pno], self.tops[pno]

        def band(lo, hi):
            return words[bisect.bisect_right(tops, lo):bisect.bisect_left(tops, hi)]
        cur = words[i]
        line_x0 = cur.x0
        for n, t in enumerate(toks[1:], 1):
            h = max(cur.bottom - cur.top, 4)
            right = [v for v in band(cur.top - h * 0.5, cur.top + h * 0.5) if abs(v.top - cur.top) < h * 0.5 and cur.x1 - 1 <= v.x0 < cur.x1 + 40]
            nxt = min(right, key=lambda v: v.x0, default=None)
            if nxt is not None and nxt.t == t:
                cur = nxt
                continue
            below = [v for v in band(cur.top + h * 0.6, cur.top + h * 2.4) if cur.top + h * 0.6 < v.top < cur.top + h * 2.4 and line_x0 - 30 <= v.x0 <= line_x0 + 6]
            below.sort(key=lambda v: (v.top, abs(v.x0 - line_x0)))
            hit = next((v for v in below if v.t == t and abs(v.top - below[0].top) < h * 0.5), None)
            if hit is not None:
                cur, line_x0 = hit, hit.x0
                continue
            # The item may continue on the next page: accept when nothing
            # follows in this column on this page.
            # Six words in a row are enough to rule out a heading or a column
            # title that merely begins the same way.
            if not below and n >= min(6, len(toks) - 1):
                return True
            return False
        return True

    def find(self, text: str, k: int = 12) -> list[int]:
        """1-based pages on which `text` (its first k words) starts."""
        toks = norm(text).split()[:k]
        found = []
        for pno in range(len(self.pages)):
            for i in self.index[pno].get(toks[0], []):
                if self._chain(pno, i, toks):
                    found.append(pno + 1)
                    break
        return found

    def first_page(self, text: str, after: int = 1, what: str = "") -> int:
        pages = [p for p in self.find(text) if p >= after]
        if not pages:
            raise PageNotConfirmed(f"{what}: could not find {text[:70]!r} on or after page {after}")
        return pages[0]


def heading_pages(path: Path, heads: list[tuple[int, str]]) -> dict[int, int]:
    """Pages of headings, skipping their entries in the table of contents."""
    words = PdfWords(path)
    toc_page = 2
    out, after = {}, toc_page + 1
    for idx, text in heads:
        p = words.first_page(text, after, "heading")
        out[idx] = p
        after = p
    return out
