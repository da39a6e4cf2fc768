"""reportlab renderer: Word-export, InDesign-like and mid-tier house styles."""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, KeepTogether, NextPageTemplate, PageBreak,
                                PageTemplate, Paragraph, Spacer, Table as RLTable, TableStyle)
from reportlab.platypus.tableofcontents import TableOfContents

from .model import GroupRow, Heading, ListBlock, PageBreak as PB, Para, Signature, Table, TOC
from .spec import Spec

rl_config.invariant = 1   # fixed dates and ids: the same input gives the same bytes

FONT_DIRS = {"Carlito": "/usr/share/fonts/truetype/crosextra/Carlito",
             "LiberationSerif": "/usr/share/fonts/truetype/liberation2/LiberationSerif",
             "LiberationSans": "/usr/share/fonts/truetype/liberation2/LiberationSans"}


def font(name: str) -> tuple[str, str]:
    """(regular, bold) font names, registering TrueType files on first use."""
    if name == "Times":
        return "Times-Roman", "Times-Bold"
    if name == "Helvetica":
        return "Helvetica", "Helvetica-Bold"
    base = FONT_DIRS[name]
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, base + "-Regular.ttf"))
        pdfmetrics.registerFont(TTFont(name + "-Bold", base + "-Bold.ttf"))
        pdfmetrics.registerFont(TTFont(name + "-Italic", base + "-Italic.ttf"))
        pdfmetrics.registerFontFamily(name, normal=name, bold=name + "-Bold", italic=name + "-Italic",
                                      boldItalic=name + "-Bold")
    return name, name + "-Bold"


STYLES = {
    # Word export from a mid-tier firm: Times, "Section 1 – ", plain grid tables.
    "pemberton": dict(split_rows=True, font="Times", size=11, accent=colors.black, head_bg=colors.HexColor("#d9d9d9"),
                      head_fg=colors.black, group_bg=colors.HexColor("#f2f2f2"), sec="Section {num} – {title}",
                      toc_title="Table of Contents", letterhead=True, footer="word"),
    # Mid-tier SOC 1 template: Calibri-like, two-line SECTION headings, landscape matrix.
    "oakridge": dict(font="Carlito", size=10.5, accent=colors.HexColor("#7a3b00"), head_bg=colors.HexColor("#7a3b00"),
                     head_fg=colors.white, group_bg=colors.HexColor("#f6e7d8"), sec="SECTION {num}\n{title}",
                     toc_title="TABLE OF CONTENTS", letterhead=False, footer="center"),
    # Regional firm: Liberation Serif, "1. Title", Page N of M.
    "kessler": dict(split_rows=True, font="LiberationSerif", size=10.5, accent=colors.HexColor("#203864"), head_bg=colors.HexColor("#203864"),
                    head_fg=colors.white, group_bg=colors.HexColor("#dbe3f1"), sec="{num}. {title}",
                    toc_title="Contents", letterhead=True, footer="pageof"),
    # InDesign-like: Helvetica, colour bars, unnumbered, diagonal CONFIDENTIAL watermark, shaded unruled rows.
    "hollis": dict(font="Helvetica", size=9.5, accent=colors.HexColor("#6b2c91"), head_bg=colors.HexColor("#6b2c91"),
                   head_fg=colors.white, group_bg=colors.HexColor("#efe6f5"), sec="{title}",
                   toc_title="Contents", letterhead=False, footer="bar", watermark="CONFIDENTIAL"),
    # Boutique: Carlito, whitespace-only tables, "Section 1 | Title".
    "whitcomb": dict(font="Carlito", size=11, accent=colors.HexColor("#2f4f4f"), head_bg=colors.white,
                     head_fg=colors.black, group_bg=colors.white, sec="Section {num} | {title}",
                     toc_title="Table of Contents", letterhead=False, footer="rule"),
}


def esc(t: str) -> str:
    return escape(t).replace("\n", "<br/>")


class Doc(BaseDocTemplate):
    def afterFlowable(self, f):
        lvl = getattr(f, "_toc_level", None)
        if lvl is not None:
            self.notify("TOCEntry", (lvl, f._toc_text, self.page))


class Renderer:
    def __init__(self, s: Spec, blocks, meta):
        self.s, self.blocks, self.meta = s, blocks, meta
        self.st = STYLES[s.style]
        self.reg, self.bold = font(self.st["font"])
        sz = self.st["size"]
        acc = self.st["accent"]
        self.ps = {
            "body": ParagraphStyle("body", fontName=self.reg, fontSize=sz, leading=sz * 1.3, spaceAfter=sz * 0.6,
                                   alignment=TA_JUSTIFY if s.style in ("pemberton", "kessler") else TA_LEFT),
            "small": ParagraphStyle("small", fontName=self.reg, fontSize=sz * 0.85, leading=sz * 1.1),
            "label": ParagraphStyle("label", fontName=self.bold, fontSize=sz, leading=sz * 1.3, spaceAfter=sz * 0.4),
            "sig": ParagraphStyle("sig", fontName=self.bold, fontSize=sz, leading=sz * 1.3, spaceBefore=sz),
            "center": ParagraphStyle("center", fontName=self.reg, fontSize=sz, leading=sz * 1.3, alignment=TA_CENTER),
            "h1": ParagraphStyle("h1", fontName=self.bold, fontSize=sz * 1.6, leading=sz * 2.0, textColor=acc,
                                 spaceAfter=sz, keepWithNext=1),
            "h2": ParagraphStyle("h2", fontName=self.bold, fontSize=sz * 1.2, leading=sz * 1.5, textColor=acc,
                                 spaceBefore=sz * 0.9, spaceAfter=sz * 0.4, keepWithNext=1),
            "h3": ParagraphStyle("h3", fontName=self.bold, fontSize=sz, leading=sz * 1.3, spaceBefore=sz * 0.7,
                                 spaceAfter=sz * 0.3, keepWithNext=1),
            "cell": ParagraphStyle("cell", fontName=self.reg, fontSize=sz * 0.85, leading=sz * 1.08),
            "cellb": ParagraphStyle("cellb", fontName=self.bold, fontSize=sz * 0.85, leading=sz * 1.08),
            "head": ParagraphStyle("head", fontName=self.bold, fontSize=sz * 0.85, leading=sz * 1.08,
                                   textColor=self.st["head_fg"]),
            "li": ParagraphStyle("li", fontName=self.reg, fontSize=sz, leading=sz * 1.3, leftIndent=22,
                                 bulletIndent=8, spaceAfter=sz * 0.35),
        }

    # -- page furniture ---------------------------------------------------------
    def furniture(self, c, doc, land=False):
        s, st = self.s, self.st
        w, h = landscape(letter) if land else letter
        c.saveState()
        if st.get("watermark"):
            c.setFont("Helvetica-Bold", 90)
            c.setFillColor(colors.Color(0.85, 0.2, 0.2, alpha=0.12))
            c.translate(w / 2, h / 2)
            c.rotate(40)
            c.drawCentredString(0, -30, st["watermark"])
            c.restoreState()
            c.saveState()
        c.setFont(self.reg, 8)
        c.setFillColor(colors.HexColor("#555555"))
        kind = self.meta["kind"]
        f = st["footer"]
        if f == "word":
            c.drawCentredString(w / 2, h - 0.55 * inch, f"{s.company} – {kind}")
            c.drawString(0.9 * inch, 0.55 * inch, s.footer_text)
            c.drawRightString(w - 0.9 * inch, 0.55 * inch, f"Page {doc.page - 1}")
        elif f == "center":
            c.drawString(0.8 * inch, h - 0.55 * inch, f"{s.company}")
            c.drawRightString(w - 0.8 * inch, h - 0.55 * inch, kind)
            c.setStrokeColor(st["accent"])
            c.line(0.8 * inch, h - 0.62 * inch, w - 0.8 * inch, h - 0.62 * inch)
            c.drawCentredString(w / 2, 0.5 * inch, str(doc.page))
            c.drawString(0.8 * inch, 0.5 * inch, s.footer_text)
        elif f == "pageof":
            c.drawString(0.9 * inch, 0.55 * inch, f"{s.footer_text} – {s.company}")
            c.drawRightString(w - 0.9 * inch, 0.55 * inch, f"Page {doc.page} of {self.total}")
        elif f == "bar":
            c.setFillColor(st["accent"])
            c.rect(0, h - 0.45 * inch, w, 0.45 * inch, stroke=0, fill=1)
            c.setFillColor(colors.white)
            c.setFont(self.bold, 9)
            c.drawString(0.7 * inch, h - 0.3 * inch, s.company.upper())
            c.drawRightString(w - 0.7 * inch, h - 0.3 * inch, kind)
            c.setFillColor(colors.HexColor("#555555"))
            c.setFont(self.reg, 7.5)
            c.drawString(0.7 * inch, 0.45 * inch, f"CONFIDENTIAL – {s.footer_text}")
            c.drawRightString(w - 0.7 * inch, 0.45 * inch, str(doc.page))
        elif f == "rule":
            c.setStrokeColor(st["accent"])
            c.line(0.9 * inch, h - 0.6 * inch, w - 0.9 * inch, h - 0.6 * inch)
            c.drawString(0.9 * inch, h - 0.52 * inch, f"{s.company} | {kind}")
            c.drawString(0.9 * inch, 0.5 * inch, s.footer_text)
            c.drawRightString(w - 0.9 * inch, 0.5 * inch, str(doc.page))
        c.restoreState()

    def cover(self, c, doc):
        s, st, m = self.s, self.st, self.meta
        w, h = letter
        c.saveState()
        acc = st["accent"]
        if s.style == "hollis":
            c.setFillColor(acc)
            c.rect(0, 0, w * 0.38, h, stroke=0, fill=1)
            c.setFillColor(colors.white)
            c.setFont(self.bold, 30)
            c.drawString(0.6 * inch, h - 3 * inch, m["title"])
            c.setFillColor(colors.black)
            c.setFont(self.bold, 18)
            c.drawString(w * 0.42, h - 4.2 * inch, s.company)
            y = h - 4.6 * inch
        else:
            c.setFillColor(acc)
            if s.style == "pemberton":
                c.setFont(self.bold, 14)
                c.drawString(inch, h - inch, s.firm)
                c.setFont(self.reg, 9)
                c.drawString(inch, h - 1.2 * inch, "Certified Public Accountants | Advisors")
            else:
                c.rect(inch, h - 1.2 * inch, w - 2 * inch, 4, stroke=0, fill=1)
            c.setFillColor(colors.black)
            c.setFont(self.bold, 24)
            c.drawCentredString(w / 2, h - 3.4 * inch, m["title"])
            c.setFont(self.bold, 16)
            c.drawCentredString(w / 2, h - 4.0 * inch, s.company)
            y = h - 4.5 * inch
        c.setFont(self.reg, 11)
        sub = m["subtitle"]
        words, line, lines = sub.split(), "", []
        for wd in words:
            if c.stringWidth(line + " " + wd, self.reg, 11) > 4.6 * inch:
                lines.append(line)
                line = wd
            else:
                line = (line + " " + wd).strip()
        lines.append(line)
        for ln in lines + m["cover_lines"][1:]:
            if s.style == "hollis":
                c.drawString(w * 0.42, y, ln)
            else:
                c.drawCentredString(w / 2, y, ln)
            y -= 16
        c.setFont(self.reg, 9)
        c.drawCentredString(w / 2 if s.style != "hollis" else w * 0.68, 1.1 * inch,
                            f"{s.footer_text}. This report is intended solely for the specified parties.")
        c.restoreState()

    # -- blocks -----------------------------------------------------------------
    def heading(self, b: Heading):
        if b.level == 1:
            text = self.st["sec"].format(num=b.num, title=b.text) if b.num else b.text
            toc_text = text.replace("\n", ": ")
            p = Paragraph(esc(text), self.ps["h1"])
        else:
            toc_text = text = b.text
            p = Paragraph(esc(text), self.ps[f"h{min(b.level, 3)}"])
        if b.toc:
            p._toc_level = b.level - 1
            p._toc_text = toc_text
        out = []
        if b.new_page:
            out.append(PageBreak())
            if b.level == 1 and self.st["letterhead"] and b.num in ("I", "1", "A", None) and not self.lettered:
                self.lettered = True
                out.append(Paragraph(f"<font size=16 color='{self.st['accent'].hexval().replace('0x', '#')}'>{esc(self.s.firm)}</font>",
                                     self.ps["body"]))
                out.append(Paragraph(esc(f"{self.s.city} | Certified Public Accountants"), self.ps["small"]))
                out.append(Spacer(1, 18))
        out.append(p)
        return out

    def cell(self, paras):
        out = []
        for p in paras:
            if isinstance(p, tuple):
                out.append(Paragraph(esc(p[1]), self.ps["cellb"]))
            else:
                out.append(Paragraph(esc(p), self.ps["cell"]))
        return out

    def table(self, b: Table, width):
        ruled = b.ruled
        data = [[Paragraph(esc(h), self.ps["head"]) for h in b.head]]
        cmds = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), self.st["head_bg"]),
                ("LEFTPADDING", (0, 0), (-1, -1), 5 if ruled else 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5 if ruled else 10),
                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
        if ruled:
            cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#666666")))
        else:
            cmds.append(("LINEBELOW", (0, 0), (-1, 0), 1, colors.black))
        for r in b.rows:
            i = len(data)
            if isinstance(r, GroupRow):
                data.append([Paragraph(esc(r.text), self.ps["cellb"])] + [""] * (len(b.head) - 1))
                cmds += [("SPAN", (0, i), (-1, i)), ("BACKGROUND", (0, i), (-1, i), self.st["group_bg"])]
            else:
                data.append([self.cell(c) for c in r])
        if self.s.style == "hollis":
            cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f5f5")]))
        t = RLTable(data, colWidths=[w * width for w in b.widths], repeatRows=1, splitInRow=self.split_rows, splitByRow=0 if self.split_rows else 1, style=TableStyle(cmds))
        return t

    def flow(self):
        fl = [Spacer(1, 1), NextPageTemplate("portrait")]
        self.lettered = False
        self.landscape_now = False
        pw = letter[0] - 2 * self.margin
        lw = landscape(letter)[0] - 2 * 0.7 * inch
        for b in self.blocks:
            if isinstance(b, TOC):
                toc = TableOfContents(dotsMinLevel=0)
                toc.levelStyles = [
                    ParagraphStyle("t0", fontName=self.bold, fontSize=self.st["size"], leading=self.st["size"] * 1.6, leftIndent=0, firstLineIndent=0),
                    ParagraphStyle("t1", fontName=self.reg, fontSize=self.st["size"] * 0.95, leading=self.st["size"] * 1.4, leftIndent=18, firstLineIndent=0),
                ]
                fl += [PageBreak(), Paragraph(esc(self.st["toc_title"]), self.ps["h1"]), toc]
            elif isinstance(b, Heading):
                fl += self.heading(b)
            elif isinstance(b, Para):
                fl.append(Paragraph(esc(b.text), self.ps.get(b.kind, self.ps["body"])))
            elif isinstance(b, ListBlock):
                for n, it in enumerate(b.items, b.start):
                    bullet = {"bullet": "\u2022", "dash": "–", "num": f"{n}.", "csoc": f"CSOC {n}."}[b.marker]
                    st = self.ps["li"]
                    if b.marker == "csoc":
                        st = ParagraphStyle("csoc", parent=st, leftIndent=52)
                    text = " ".join(p if isinstance(p, str) else p[1] for p in it)
                    fl.append(Paragraph(esc(text), st, bulletText=bullet))
            elif isinstance(b, Table):
                if b.landscape:
                    fl += [NextPageTemplate("landscape"), PageBreak()]
                    fl.append(self.table(b, lw))
                    fl += [NextPageTemplate("portrait"), PageBreak()]
                else:
                    fl += [CondPageBreak(1.2 * inch), self.table(b, pw)]
            elif isinstance(b, PB):
                fl.append(PageBreak())
            elif isinstance(b, Signature):
                fl.append(KeepTogether([
                    Spacer(1, 12),
                    Paragraph(f"<font name='Helvetica-Oblique' size=15 color='#1d3b8a'>{esc(b.firm.split(',')[0])}</font>", self.ps["body"]),
                    Paragraph(esc(b.firm), self.ps["body"]), Paragraph(esc(b.city), self.ps["body"]),
                    Paragraph(esc(b.when), self.ps["body"])]))
        return fl

    def build(self, out: Path):
        self.margin = 0.9 * inch
        # Word lets rows break across pages by default; the layout-tool styles keep rows whole.
        self.split_rows = 24 if self.st.get("split_rows") else 0
        self.total = 0
        for attempt in range(2):
            doc = Doc(str(out), pagesize=letter, title=f"{self.meta['title']} {self.s.company}",
                      author=self.s.firm, creator="Microsoft Word" if self.s.style == "pemberton" else "Adobe InDesign" if self.s.style == "hollis" else "")
            m = self.margin
            pf = Frame(m, m, letter[0] - 2 * m, letter[1] - 2 * m, id="p")
            lw, lh = landscape(letter)
            lf = Frame(0.7 * inch, 0.75 * inch, lw - 1.4 * inch, lh - 1.5 * inch, id="l")
            doc.addPageTemplates([
                PageTemplate("cover", [Frame(m, m, letter[0] - 2 * m, letter[1] - 2 * m)], onPage=self.cover),
                PageTemplate("portrait", [pf], onPage=lambda c, d: self.furniture(c, d)),
                PageTemplate("landscape", [lf], pagesize=(lw, lh), onPage=lambda c, d: self.furniture(c, d, True)),
            ])
            doc.multiBuild(self.flow())
            if self.total == doc.page:
                break
            self.total = doc.page


def render(s: Spec, blocks, meta, out: Path) -> None:
    Renderer(s, blocks, meta).build(out)
