"""Render a Markdown SOC report to PDF, so the extractor (which reads PDFs) can be measured on it.

python -m tools.devset.render_md IN.md OUT.pdf [--first-copy]

Only what an extractor relies on is kept: headings, paragraphs, bullet and
numbered lists, ruled pipe tables, bold/italic, and ``---`` as a page break
(document parsers mark the source's page boundaries that way, so item pages
in the PDF follow the source's pages). Output is deterministic (invariant=1):
the same Markdown always gives the same bytes, so gold can record its sha256.
"""
from __future__ import annotations

import argparse
import html
import re
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate,
                                Spacer, Table, TableStyle)

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=6, alignment=TA_LEFT)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=10.5, spaceAfter=0)
HEAD_CELL = ParagraphStyle("head_cell", parent=CELL, fontName="Helvetica-Bold")
HEADINGS = {n: ParagraphStyle(f"h{n}", parent=BODY, fontName="Helvetica-Bold", fontSize=size,
                              leading=size * 1.25, spaceBefore=8, spaceAfter=6)
            for n, size in {1: 16, 2: 14, 3: 12, 4: 11}.items()}
# Helvetica's bullet is written as code 127, which pdfminer reads as "(cid:127)";
# Vera (shipped inside reportlab) embeds a ToUnicode map, so the glyph reads back as U+2022.
BULLET_FONT = "Vera"
MARGIN = 1 * inch
WIDTH = LETTER[0] - 2 * MARGIN

PAGE_BREAK = re.compile(r"^---\s*$")
HEADING = re.compile(r"^(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+(.*)$")
TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def strip_front_matter(text: str) -> str:
    """Drop a leading YAML block (``---`` ... ``---``): its fences are not page breaks."""
    lines = text.split("\n")
    # A leading page break followed by prose is content, not front matter.
    if len(lines) < 2 or not PAGE_BREAK.match(lines[0]) or not re.match(r"^[\w-]+:", lines[1]):
        return text
    for i in range(1, len(lines)):
        if PAGE_BREAK.match(lines[i]):
            return "\n".join(lines[i + 1:]).lstrip("\n")
    return text


def first_copy(text: str) -> str:
    """Keep the Markdown pages before the first page that exactly repeats an earlier one.

    The parser that produced the AWS SOC 2 source emitted the whole report twice
    (its pages 178 onward repeat pages 2-177); measuring the extractor on both
    copies would count every list item twice.
    """
    pages = re.split(r"(?m)^---[ \t]*$", text)
    seen: set[str] = set()
    for i, page in enumerate(pages):
        if page.strip() and page.strip() in seen:
            return "---".join(pages[:i]).rstrip("\n") + "\n"
        seen.add(page.strip())
    return text


def inline(text: str) -> str:
    """Markdown inline markup to reportlab Paragraph markup."""
    text = html.unescape(text)  # &copy; -> ©, then re-escape what Paragraph parses as markup
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"__(.+?)__", r"<b>\1</b>", text)
    # Word boundaries keep snake_case names and lone asterisks ("5 * 3") literal.
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", text)
    text = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", r"<i>\1</i>", text)
    return text


def split_row(line: str) -> list[str]:
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)]


def make_table(lines: list[str]) -> Table:
    has_header = len(lines) > 1 and TABLE_SEP.match(lines[1])
    rows = [split_row(ln) for ln in lines if not TABLE_SEP.match(ln)]
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    # Widths follow content, but a capped length keeps one long cell from starving
    # the other columns and a floor keeps short columns (ids, criteria) readable.
    weights = [min(max(len(r[k]) for r in rows), 60) + 6 for k in range(ncols)]
    widths = [WIDTH * w / sum(weights) for w in weights]
    data = [[Paragraph(inline(c), HEAD_CELL if (i == 0 and has_header) else CELL) for c in r]
            for i, r in enumerate(rows)]
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if has_header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E2F3")))
    # splitInRow lets a cell taller than a page (long test descriptions) break mid-row.
    return Table(data, colWidths=widths, repeatRows=1 if has_header else 0, style=TableStyle(style),
                 splitInRow=1, spaceBefore=4, spaceAfter=8)


def make_list(items: list[str], numbered: bool, start: int) -> ListFlowable:
    def item(t):
        m = HEADING.match(t)  # "1. # Identifying Risks": a numbered heading in the parser's output
        return ListItem(Paragraph(f"<b>{inline(m.group(2) or '')}</b>" if m else inline(t), BODY))
    if numbered:
        return ListFlowable([item(t) for t in items], bulletType="1", start=str(start),
                            bulletFontName="Helvetica", bulletFontSize=10, leftIndent=18)
    if BULLET_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(BULLET_FONT, "Vera.ttf"))
    return ListFlowable([item(t) for t in items], bulletType="bullet", start="\u2022",
                        bulletFontName=BULLET_FONT, bulletFontSize=10, leftIndent=18)


def flowables(text: str) -> list:
    lines, out, i = text.split("\n"), [], 0

    def starts_block(ln):
        return (not ln.strip() or PAGE_BREAK.match(ln) or HEADING.match(ln) or BULLET.match(ln)
                or NUMBERED.match(ln) or ln.lstrip().startswith("|"))

    while i < len(lines):
        ln = lines[i]
        if not ln.strip():
            i += 1
        elif PAGE_BREAK.match(ln):
            out.append(PageBreak())
            i += 1
        elif m := HEADING.match(ln):
            if m.group(2):
                out.append(Paragraph(inline(m.group(2)), HEADINGS[min(len(m.group(1)), 4)]))
            i += 1
        elif ln.lstrip().startswith("|"):
            j = i
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                j += 1
            out.append(make_table(lines[i:j]))
            i = j
        elif BULLET.match(ln) or NUMBERED.match(ln):
            numbered = not BULLET.match(ln)
            pattern = NUMBERED if numbered else BULLET
            items, start = [], int(NUMBERED.match(ln).group(1)) if numbered else 1
            while i < len(lines) and (m := pattern.match(lines[i])):
                items.append(m.group(m.lastindex))
                i += 1
                while i < len(lines) and not starts_block(lines[i]):  # wrapped item line
                    items[-1] += " " + lines[i].strip()
                    i += 1
            out.append(make_list(items, numbered, start))
        else:
            para = [ln.strip()]
            i += 1
            while i < len(lines) and not starts_block(lines[i]):
                para.append(lines[i].strip())
                i += 1
            out.append(Paragraph(inline(" ".join(para)), BODY))
    return out or [Spacer(1, 1)]


def render_markdown(text: str, pdf_path) -> int:
    """Render ``text`` to ``pdf_path``; returns the number of pages written."""
    doc = SimpleDocTemplate(str(pdf_path), pagesize=LETTER, invariant=1, leftMargin=MARGIN,
                            rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN)
    doc.build(flowables(text))
    return doc.page


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--first-copy", action="store_true",
                    help="render only the pages before the parser's repeated second copy")
    args = ap.parse_args(argv)
    text = strip_front_matter(args.src.read_text(encoding="utf-8"))
    if args.first_copy:
        text = first_copy(text)
    print(f"{args.out}: {render_markdown(text, args.out)} pages")


if __name__ == "__main__":
    main()
