"""Draw a :class:`ReportSpec` as a PDF with reportlab and record where items land.

Page tracking: every item that the expected JSON lists is drawn by a
:class:`TrackedParagraph` carrying the item's key. Its ``draw()`` records
``canv.getPageNumber()`` the first time the paragraph (or the first part of it,
after a page break splits it) is drawn, which is the 1-based physical page the
item starts on. The document is built repeatedly until page numbers are stable,
because the table of contents and "Page 3 of 57" depend on them.
"""
from __future__ import annotations

import io
import os
import random
from xml.sax.saxutils import escape

import reportlab
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)

from . import narrative
from .build import fmt_date, lower_first
from .criteria import CATEGORY_TITLE, CC_SERIES_TITLE, series
from .firms import FIRMS, FirmStyle
from .model import ReportSpec, Row

rl_config.invariant = 1  # fixed timestamps and document id: byte-identical output per seed

_FONTS_DIR = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
for _name in ("Vera", "VeraBd", "VeraIt", "VeraBI"):
    pdfmetrics.registerFont(TTFont(_name, os.path.join(_FONTS_DIR, f"{_name}.ttf")))
pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="VeraBd", italic="VeraIt", boldItalic="VeraBI")

ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def esc(s: str) -> str:
    return escape(s)


class PageLog:
    """Key -> first physical page on which the keyed flowable was drawn."""

    def __init__(self):
        self.pages: dict[str, int] = {}

    def record(self, key: str, page: int) -> None:
        self.pages.setdefault(key, page)


class TrackedParagraph(Paragraph):
    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8",
                 key=None, log=None):
        super().__init__(text, style, bulletText=bulletText, frags=frags, caseSensitive=caseSensitive, encoding=encoding)
        self._key, self._log = key, log

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            parts[0]._key, parts[0]._log = self._key, self._log
            parts[1]._key, parts[1]._log = None, None
        return parts

    def draw(self):
        if self._key and self._log is not None:
            self._log.record(self._key, self.canv.getPageNumber())
        super().draw()


class TocLine(Flowable):
    """One table-of-contents line: title, dot leader, page number."""

    def __init__(self, text, page, font, size, indent, leader):
        super().__init__()
        self.text, self.page, self.font, self.size, self.indent, self.leader = text, page, font, size, indent, leader

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.size * 1.9

    def draw(self):
        c = self.canv
        c.setFont(self.font, self.size)
        c.drawString(self.indent, 0, self.text)
        num = str(self.page)
        right = self.width
        c.drawRightString(right, 0, num)
        start = self.indent + c.stringWidth(self.text, self.font, self.size) + 6
        end = right - c.stringWidth(num, self.font, self.size) - 6
        unit = "." if self.leader == "dots" else ". "
        w = c.stringWidth(unit, self.font, self.size)
        n = int((end - start) / w)
        if n > 0:
            c.drawRightString(end, 0, unit * n)


class Renderer:
    def __init__(self, spec: ReportSpec):
        self.s = spec
        self.f: FirmStyle = FIRMS[spec.firm]
        self.rng = random.Random(spec.seed * 7 + 1)
        self.log = PageLog()
        self.prev_pages: dict[str, int] = {}
        self.total_pages = 0
        self.toc_entries: list[tuple[int, str, str]] = []
        f = self.f
        self.page_size = A4 if f.page == "A4" else letter
        ctx = dict(co=spec.short_name, system=spec.system)
        self.col_titles = [c.title.format(**ctx) for c in f.columns]
        self.section_titles = [t.format(**ctx) for t in f.section_titles]
        body = ParagraphStyle("body", fontName=f.body_font, fontSize=f.body_size, leading=f.body_size * 1.35,
                              spaceAfter=f.body_size * 0.6, alignment=TA_JUSTIFY if f.key in ("kestrel", "stonebridge") else TA_LEFT)
        self.st = {
            "body": body,
            "bold": ParagraphStyle("bold", parent=body, fontName=f.bold_font),
            "h1": ParagraphStyle("h1", parent=body, fontName=f.heading_font, fontSize=f.body_size + 6,
                                 leading=(f.body_size + 6) * 1.3, spaceAfter=12, textColor=colors.Color(*f.accent)),
            "h1sub": ParagraphStyle("h1sub", parent=body, fontName=f.heading_font, fontSize=f.body_size + 2,
                                    leading=(f.body_size + 2) * 1.3, spaceAfter=4, textColor=colors.Color(*f.accent)),
            "h2": ParagraphStyle("h2", parent=body, fontName=f.heading_font, fontSize=f.body_size + 2,
                                 leading=(f.body_size + 2) * 1.3, spaceBefore=8, spaceAfter=6),
            "h3": ParagraphStyle("h3", parent=body, fontName=f.bold_font, fontSize=f.body_size + 0.5,
                                 leading=(f.body_size + 0.5) * 1.3, spaceBefore=6, spaceAfter=4),
            "bullet": ParagraphStyle("bullet", parent=body, leftIndent=22, bulletIndent=8, spaceAfter=3),
            "cell": ParagraphStyle("cell", fontName=f.body_font, fontSize=f.table_size, leading=f.table_size * 1.25,
                                   spaceAfter=f.table_size * 0.5),
            "cellb": ParagraphStyle("cellb", fontName=f.bold_font, fontSize=f.table_size, leading=f.table_size * 1.25,
                                    spaceAfter=f.table_size * 0.5),
            "cover": ParagraphStyle("cover", parent=body, fontName=f.heading_font, fontSize=22, leading=28,
                                    alignment=TA_CENTER, spaceAfter=14, textColor=colors.Color(*f.accent)),
            "coversub": ParagraphStyle("coversub", parent=body, fontSize=12, leading=16, alignment=TA_CENTER, spaceAfter=10),
        }

    # ------------------------------------------------------------------ helpers
    def P(self, text, style="body", key=None, bullet=None):
        return TrackedParagraph(text, self.st[style], bulletText=bullet, key=key, log=self.log)

    def sec_ref(self, i: int) -> str:
        n = self.f.numbering
        if n in ("roman", "section_roman"):
            return f"Section {ROMAN[i]}"
        if n == "none":
            return "the section titled \u201c" + esc(self.section_titles[i]) + "\u201d"
        return f"Section {i + 1}"

    def report_kind(self) -> str:
        s = self.s
        if s.framework == "SOC 3":
            return "SOC 3"
        t = s.type
        if self.f.key in ("kestrel", "stonebridge", "brightwater"):
            t = t.replace(" 1", " I").replace(" 2", " II")
        return f"{s.framework} {t}"

    def section_heading(self, i: int, title: str | None = None) -> list:
        f = self.f
        title = title or self.section_titles[i]
        key = f"sec{i}"
        upper = f.key in ("harrow", "brightwater")
        shown = title.upper() if upper else title
        if f.numbering == "section_roman":
            toc = f"Section {ROMAN[i]}: {title}"
            flow = [self.P(f"SECTION {ROMAN[i]}", "h1sub", key=key), self.P(esc(shown), "h1")]
        elif f.numbering == "roman":
            toc = f"{ROMAN[i]}. {title}"
            flow = [self.P(esc(f"{ROMAN[i]}.  {shown}"), "h1", key=key)]
        elif f.numbering == "arabic":
            toc = f"{i + 1}. {title}"
            flow = [self.P(esc(f"{i + 1}. {shown}"), "h1", key=key)]
        elif f.numbering == "section_arabic":
            toc = f"Section {i + 1} \u2013 {title}"
            flow = [self.P(esc(f"Section {i + 1} \u2013 {shown}"), "h1", key=key)]
        elif f.numbering == "arabic_plain":
            toc = f"{i + 1}  {title}"
            flow = [self.P(esc(f"{i + 1}    {shown}"), "h1", key=key)]
        else:
            toc = title
            flow = [self.P(esc(shown), "h1", key=key)]
        self.toc_entries.append((0, toc, key))
        return flow

    def sub_heading(self, text: str, toc: bool = True, level: str = "h2") -> Flowable:
        key = f"toc{len(self.toc_entries)}"
        if toc:
            self.toc_entries.append((1, text, key))
        return self.P(esc(text), level, key=key)

    def paras(self, texts: list[str]) -> list:
        return [self.P(esc(self.fill(t))) for t in texts]

    def fill(self, t: str) -> str:
        s = self.s
        ctx = dict(legal=s.legal_name, co=s.short_name, sys=s.system, summary=s.system_summary,
                   founded=2008 + s.seed % 12, hq=s.auditor_city if s.firm == "alderkane" else "Wilmington, Delaware",
                   staff=120 + (s.seed * 37) % 800, ciso_title="Chief Information Security Officer", **s.tools)
        return narrative_fill(t, ctx)

    # ------------------------------------------------------------------ page decorations
    def on_page(self, canv, doc):
        s, f = self.s, self.f
        pw, ph = canv._pagesize
        page = canv.getPageNumber()
        total = self.total_pages or 0
        canv.saveState()
        if s.watermark:
            canv.setFillColor(colors.Color(0.85, 0.85, 0.85))
            canv.setFont("Helvetica-Bold", 40)
            canv.translate(pw / 2, ph / 2)
            canv.rotate(35)
            canv.drawCentredString(0, 0, s.watermark)
            canv.rotate(-35)
            canv.translate(-pw / 2, -ph / 2)
        canv.setFont(f.body_font, 8)
        canv.setFillColor(colors.Color(0.3, 0.3, 0.3))
        top, bottom, lm, rm = ph - 0.5 * inch, 0.45 * inch, 0.75 * inch, pw - 0.75 * inch
        kind = self.report_kind()
        h = f.header
        if h == "company_left_conf_right":
            canv.drawString(lm, top, s.legal_name)
            canv.drawRightString(rm, top, "Proprietary and Confidential")
            canv.line(lm, top - 4, rm, top - 4)
        elif h == "conf_center":
            canv.drawCentredString(pw / 2, top, "CONFIDENTIAL \u2013 RESTRICTED USE")
        elif h == "bar_company_report":
            canv.setFillColor(colors.Color(*f.accent))
            canv.rect(0, ph - 0.42 * inch, pw, 0.42 * inch, stroke=0, fill=1)
            canv.setFillColor(colors.white)
            canv.setFont(f.bold_font, 9)
            canv.drawString(lm, ph - 0.27 * inch, f"{s.short_name} | {kind} Report")
            canv.setFillColor(colors.Color(0.3, 0.3, 0.3))
            canv.setFont(f.body_font, 8)
        elif h == "company_system_left":
            canv.drawString(lm, top, f"{s.legal_name} \u2013 {s.system}")
        elif h == "report_title_right":
            canv.drawRightString(rm, top, f"{s.short_name} {kind} Report")
        elif h == "company_right_small":
            canv.drawRightString(rm, top, s.legal_name)
            canv.drawString(lm, top, kind)
        ft = f.footer
        if ft == "page_x_of_y_center":
            canv.drawCentredString(pw / 2, bottom, f"Page {page} of {total}")
        elif ft == "company_left_page_right":
            canv.drawString(lm, bottom, s.legal_name)
            canv.drawRightString(rm, bottom, f"Page {page}")
        elif ft == "conf_pipe_page":
            canv.drawCentredString(pw / 2, bottom, f"Proprietary and Confidential | Page {page}")
        elif ft == "page_x_of_y_right":
            canv.drawString(lm, bottom, s.auditor)
            canv.drawRightString(rm, bottom, f"Page {page} of {total}")
        elif ft == "page_center_conf_left":
            # Printed numbers start after the cover and the contents page: a
            # printed "- 5 -" is physical page 7. Expected pages are physical.
            if page > 2:
                canv.drawCentredString(pw / 2, bottom, f"- {page - 2} -")
            canv.drawString(lm, bottom - 10, "Proprietary and Confidential")
        elif ft == "company_center_page_right":
            canv.drawCentredString(pw / 2, bottom, f"{s.short_name} \u2013 Proprietary and Confidential")
            canv.drawRightString(rm, bottom, str(page))
        elif ft == "page_x_of_y_left_conf_right":
            canv.drawString(lm, bottom, f"Page {page} of {total}")
            canv.drawRightString(rm, bottom, "Strictly private and confidential")
        canv.restoreState()

    def on_cover(self, canv, doc):
        s, f = self.s, self.f
        pw, ph = canv._pagesize
        canv.saveState()
        canv.setFillColor(colors.Color(*f.accent))
        canv.rect(0, ph - 1.2 * inch, pw, 1.2 * inch, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(f.bold_font, 14)
        canv.drawString(0.75 * inch, ph - 0.75 * inch, s.auditor)
        canv.restoreState()

    # ------------------------------------------------------------------ document
    def make_doc(self, out) -> BaseDocTemplate:
        pw, ph = self.page_size
        m = 0.8 * inch
        doc = BaseDocTemplate(out, pagesize=self.page_size, leftMargin=m, rightMargin=m, topMargin=m, bottomMargin=m,
                              title=f"{self.s.short_name} {self.report_kind()} Report", author=self.s.auditor,
                              creator="Microsoft\u00ae Word for Microsoft 365", invariant=1)
        portrait = Frame(m, m, pw - 2 * m, ph - 2 * m, id="p")
        lw, lh = landscape(self.page_size)
        land = Frame(0.6 * inch, 0.7 * inch, lw - 1.2 * inch, lh - 1.5 * inch, id="l")
        doc.addPageTemplates([
            PageTemplate("cover", [portrait], onPage=self.on_cover, pagesize=self.page_size),
            PageTemplate("portrait", [portrait], onPage=self.on_page, pagesize=self.page_size),
            PageTemplate("landscape", [land], onPage=self.on_page, pagesize=landscape(self.page_size)),
        ])
        self.frame_width = {"portrait": pw - 2 * m, "landscape": lw - 1.2 * inch}
        return doc

    def render(self) -> tuple[bytes, dict[str, int], int]:
        pages, total, data = None, None, b""
        for _ in range(5):
            self.log = PageLog()
            self.toc_entries = []
            self.rng = random.Random(self.s.seed * 7 + 1)  # same story on every pass
            buf = io.BytesIO()
            doc = self.make_doc(buf)
            story = self.story()
            doc.build(story)
            data = buf.getvalue()
            new_total = doc.page
            if pages == self.log.pages and total == new_total:
                break
            pages, total = dict(self.log.pages), new_total
            self.prev_pages, self.total_pages = pages, total
        else:
            raise RuntimeError(f"{self.s.name}: page numbers did not converge")
        return data, self.log.pages, total

    # ------------------------------------------------------------------ story
    def story(self) -> list:
        s = self.s
        st: list = [NextPageTemplate("portrait")]
        st += self.cover()
        body: list = []
        body += self.section_heading(0) + self.opinion()
        body += [PageBreak()] + self.section_heading(1) + self.assertion()
        body += [PageBreak()]
        if s.framework == "SOC 3":
            body += self.section_heading(2, f"Attachment A: {s.short_name}'s Description of the Boundaries of Its {s.system}")
            body += self.description(brief=True)
        else:
            body += self.section_heading(2) + self.description(brief=False)
            body += self.matrix_section()
            body += self.other_info()
        toc = self.toc() if self.f.toc else []
        return st + toc + body

    def cover(self) -> list:
        s = self.s
        kind = self.report_kind()
        cats = self.categories_phrase(title=True)
        if s.framework == "SOC 1":
            what = (f"Report on {esc(s.legal_name)}'s Description of Its {esc(s.system)} and on the Suitability of the "
                    f"Design{' and Operating Effectiveness' if s.type == 'Type 2' else ''} of Its Controls Relevant to User Entities' "
                    f"Internal Control Over Financial Reporting")
        elif s.framework == "SOC 3":
            what = f"Report on {esc(s.legal_name)}'s {esc(s.system)} Relevant to {cats}"
        else:
            what = (f"Report on {esc(s.legal_name)}'s Description of Its {esc(s.system)} and on the Suitability of the "
                    f"Design{' and Operating Effectiveness' if s.type == 'Type 2' else ''} of Its Controls Relevant to {cats}")
        when = ("Throughout the Period " if s.period_start else "") + esc(s.cover_period_text.replace("as of", "As of").replace("as at", "As at"))
        return [Spacer(1, 1.6 * inch), self.P(esc(s.legal_name), "cover"), self.P(esc(kind) + " Report", "cover"),
                Spacer(1, 0.3 * inch), self.P(what, "coversub"), self.P(when, "coversub"), Spacer(1, 1.5 * inch),
                self.P(f"Prepared by {esc(s.auditor)}", "coversub"),
                self.P("This report is intended solely for use by the management of " + esc(s.short_name) +
                       ", its user entities, and prospective user entities.", "coversub") if s.framework != "SOC 3" else Spacer(1, 1),
                PageBreak()]

    def toc(self) -> list:
        f = self.f
        out = [self.P("Table of Contents" if f.key != "stonebridge" else "TABLE OF CONTENTS", "h1")]
        for level, text, key in self.toc_entries_for_toc():
            out.append(TocLine(text, self.prev_pages.get(key, 0), f.bold_font if level == 0 else f.body_font,
                               f.body_size, 0 if level == 0 else 18, f.toc_leader))
        return out + [PageBreak()]

    def toc_entries_for_toc(self):
        # The story is built before the toc is drawn, so toc_entries is complete here.
        return list(self.toc_entries)

    def categories_phrase(self, title=False) -> str:
        cats = self.s.categories
        names = [CATEGORY_TITLE[c] if title else CATEGORY_TITLE[c].lower() for c in cats]
        if not names:
            return ""
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + (", and " if self.f.key != "alderkane" else " and ") + names[-1]

    # ------------------------------------------------------------------ section 1
    def opinion(self) -> list:
        s, f = self.s, self.f
        co, legal = esc(s.short_name), esc(s.legal_name)
        t2 = s.period_start is not None
        per = esc(s.period_text)
        out = [self.P(f"To the Management of {legal}:" if f.key != "alderkane" else f"To the Directors of {legal}")]
        out.append(self.P("Scope", "h3"))
        if s.framework == "SOC 1":
            out.append(self.P(
                f"We have examined {legal}'s (\u201c{co}\u201d) description of its {esc(s.system)} for processing user entities' "
                f"transactions {'throughout the period ' if t2 else ''}{per} (description) and the suitability of the design "
                f"{'and operating effectiveness ' if t2 else ''}of controls included in the description to achieve the related "
                f"control objectives stated in the description."))
        elif s.framework == "SOC 3":
            out.append(self.P(
                f"We have examined {legal}'s (\u201c{co}\u201d) accompanying assertion titled \u201cAssertion of {co} Management\u201d "
                f"that the controls within the {esc(s.system)} were effective throughout the period {per}, to provide "
                f"reasonable assurance that {co}'s service commitments and system requirements were achieved based on the "
                f"trust services criteria relevant to {self.categories_phrase()}."))
        else:
            out.append(self.P(
                f"We have examined {legal}'s (\u201c{co}\u201d) accompanying description of its {esc(s.system)} "
                f"{'throughout the period ' if t2 else ''}{per} (description) based on the criteria for a description of a "
                f"service organization's system set forth in DC section 200, and the suitability of the design"
                f"{' and operating effectiveness' if t2 else ''} of controls stated in the description "
                f"{'throughout that period' if t2 else 'as of that date'} to provide reasonable assurance that {co}'s service "
                f"commitments and system requirements were achieved based on the trust services criteria relevant to "
                f"{self.categories_phrase()} (applicable trust services criteria) set forth in TSP section 100."))
        out += self.opinion_subservice()
        if s.cuecs or s.cuec_format != "none":
            out.append(self.P(
                f"The description indicates that complementary user entity controls that are suitably designed and operating "
                f"effectively are necessary, along with controls at {co}, to achieve {co}'s service commitments and system "
                f"requirements. Our examination did not include such complementary user entity controls, and we have not "
                f"evaluated the suitability of the design or operating effectiveness of such controls."))
        out.append(self.P("Service Organization's Responsibilities", "h3"))
        out.append(self.P(
            f"{co} is responsible for its service commitments and system requirements and for designing, implementing, and "
            f"operating effective controls within the system to provide reasonable assurance that they were achieved. {co} "
            f"has provided the accompanying assertion about the description and the suitability of the design"
            f"{' and operating effectiveness' if t2 else ''} of controls stated therein."))
        out.append(self.P("Service Auditor's Responsibilities", "h3"))
        out.append(self.P(
            "Our responsibility is to express an opinion, based on our examination. Our examination was conducted in "
            "accordance with attestation standards established by the American Institute of Certified Public Accountants. "
            "Those standards require that we plan and perform the examination to obtain reasonable assurance about whether, "
            "in all material respects, the description is presented in accordance with the description criteria and the "
            "controls stated therein were suitably designed" + (" and operated effectively" if t2 else "") + "."))
        out.append(self.P(
            "We are required to be independent and to meet our other ethical responsibilities in accordance with relevant "
            "ethical requirements relating to the examination engagement."))
        out.append(self.P("Inherent Limitations", "h3"))
        out.append(self.P(
            "The description is prepared to meet the common needs of a broad range of report users and may not, therefore, "
            "include every aspect of the system that individual users may consider important. Because of their nature, "
            "controls may not always operate effectively. Projections of any evaluation of effectiveness to future periods "
            "are subject to the risk that controls may become inadequate because of changes in conditions."))
        if t2 and s.framework != "SOC 3":
            out.append(self.P("Description of Tests of Controls", "h3"))
            out.append(self.P(
                f"The specific controls we tested and the nature, timing, and results of those tests are presented in "
                f"{self.sec_ref(3)} of this report."))
        heading = {"qualified": "Basis for Qualified Opinion", "adverse": "Basis for Adverse Opinion",
                   "disclaimer": "Basis for Disclaimer of Opinion"}.get(s.opinion)
        if heading:
            out.append(self.P(heading, "h3"))
            out.append(self.P(esc(s.opinion_basis)))
        out.append(self.P("Opinion" if s.opinion != "disclaimer" else "Disclaimer of Opinion", "h3"))
        out.append(self.P(self.opinion_text()))
        if s.framework != "SOC 3":
            out.append(self.P("Restricted Use", "h3"))
            out.append(self.P(
                f"This report is intended solely for the information and use of {co}, user entities of {co}'s system "
                f"{'during some or all of the period ' if t2 else 'as of '}{per if not t2 else ''}, and prospective user "
                f"entities, independent auditors and practitioners providing services to such user entities, and regulators "
                f"who have sufficient knowledge and understanding of the matters described herein."))
        out += [Spacer(1, 12), self.P(f"<i>{esc(s.auditor)}</i>"), self.P(esc(s.auditor_city)),
                self.P(esc(fmt_date(s.report_date, 'uk' if f.key == 'alderkane' else 'us')))]
        return out

    def opinion_subservice(self) -> list:
        s, f = self.s, self.f
        co = esc(s.short_name)
        out = []
        for sub in s.subs:
            legal, short = esc(sub.name), esc(sub.short)
            if sub.method == "carve-out":
                if f.carveout_wording == "explicit":
                    txt = (f"{co} uses a subservice organization, {legal} (\u201c{short}\u201d), to provide {esc(sub.services)}. "
                           f"The description indicates that complementary subservice organization controls that are suitably "
                           f"designed and operating effectively are necessary, along with controls at {co}, to achieve {co}'s "
                           f"service commitments and system requirements. The description presents {co}'s controls and the types "
                           f"of complementary subservice organization controls assumed in the design of {co}'s controls, but "
                           f"does not disclose the actual controls at the subservice organization; the subservice organization "
                           f"is presented using the carve-out method. Our examination did not include the services provided "
                           f"by {short}, and we have not evaluated the suitability of the design or operating effectiveness of "
                           f"such complementary subservice organization controls.")
                else:
                    txt = (f"{co} uses {legal} (\u201c{short}\u201d) for {esc(sub.services)}. The description excludes the "
                           f"controls of {short}; it includes only the controls of {co} and the types of controls that "
                           f"{co} assumes {short} operates. Our examination did not include the services provided by {short}, "
                           f"and we have not evaluated whether the controls assumed to operate at {short} were suitably designed "
                           f"or operated effectively.")
            else:
                txt = (f"{legal} (\u201c{short}\u201d) is a subservice organization that provides {esc(sub.services)} to {co}. "
                       f"The description includes the relevant controls of {short}, and our examination included the "
                       f"controls of {short} relevant to the applicable criteria" +
                       (", using the inclusive method." if f.carveout_wording == "explicit" else "."))
            out.append(self.P(txt))
        return out

    def opinion_text(self) -> str:
        s = self.s
        co = esc(s.short_name)
        per = esc(s.period_text)
        t2 = s.period_start is not None
        if s.framework == "SOC 3":
            base = (f"management's assertion that the controls within {co}'s {esc(s.system)} were effective throughout the "
                    f"period {per}, to provide reasonable assurance that {co}'s service commitments and system requirements "
                    f"were achieved based on the applicable trust services criteria is fairly stated")
            if s.opinion == "qualified":
                return f"In our opinion, except for the effects of the matter described in the Basis for Qualified Opinion paragraph, {base}, in all material respects."
            return f"In our opinion, {base}, in all material respects."
        a = f"the description presents the system that was designed and implemented {'throughout the period ' if t2 else ''}{per}"
        b = f"the controls stated in the description were suitably designed {'throughout the period ' if t2 else ''}{per}"
        c = f"the controls stated in the description operated effectively throughout the period {per}"
        if s.opinion == "unqualified":
            lead = "In our opinion, in all material respects,"
        elif s.opinion == "qualified":
            lead = "In our opinion, except for the effects of the matter described in the Basis for Qualified Opinion paragraph, in all material respects,"
        elif s.opinion == "adverse":
            return (f"In our opinion, because of the significance of the matter described in the Basis for Adverse Opinion "
                    f"paragraph, the controls stated in the description did not operate effectively throughout the period "
                    f"{per} to provide reasonable assurance that {co}'s service commitments and system requirements were "
                    f"achieved based on the applicable criteria.")
        else:
            return (f"Because of the significance of the matter described in the Basis for Disclaimer of Opinion paragraph, "
                    f"we have not been able to obtain sufficient appropriate evidence to provide a basis for an opinion. "
                    f"Accordingly, we do not express an opinion on whether the controls stated in the description operated "
                    f"effectively throughout the period {per}.")
        parts = [a, b] + ([c] if t2 else [])
        return lead + " " + "; ".join(f"{chr(97 + i)}. {p}" for i, p in enumerate(parts)) + "."

    # ------------------------------------------------------------------ section 2
    def assertion(self) -> list:
        s = self.s
        co = esc(s.short_name)
        per = esc(s.period_text)
        t2 = s.period_start is not None
        out = [self.P(
            f"We have prepared the accompanying description of {co}'s {esc(s.system)} "
            f"{'throughout the period ' if t2 else ''}{per} (description), based on the applicable description criteria. "
            f"The description is intended to provide report users with information about the system that may be useful when "
            f"assessing the risks arising from interactions with {co}'s system.")]
        for sub in s.subs:
            if sub.method == "carve-out":
                out.append(self.P(
                    f"{co} uses {esc(sub.short)} to provide {esc(sub.services)}. The description presents {co}'s controls and "
                    f"the types of complementary subservice organization controls assumed in the design of {co}'s controls; "
                    f"it does not disclose the actual controls at {esc(sub.short)}."))
        out.append(self.P("We confirm, to the best of our knowledge and belief, that:"))
        items = [f"the description presents {co}'s system that was designed and implemented {'throughout the period ' if t2 else ''}{per}",
                 f"the controls stated in the description were suitably designed {'throughout the period ' if t2 else ''}{per}"]
        if t2:
            items.append(f"the controls stated in the description operated effectively throughout the period {per}")
        for i, it in enumerate(items):
            out.append(self.P(it + ".", "bullet", bullet=f"{chr(97 + i)}."))
        if s.opinion in ("qualified", "adverse"):
            out.append(self.P("except for the matters described in the service auditor's report.", "body"))
        out += [Spacer(1, 10), self.P(esc(s.people[0][0])), self.P(esc(s.people[0][1])), self.P(esc(s.legal_name))]
        return out

    # ------------------------------------------------------------------ section 3
    def description(self, brief: bool) -> list:
        s, f, rng = self.s, self.f, self.rng
        out: list = []
        v = s.verbosity if not brief else 1
        out.append(self.sub_heading("Overview of Operations" if f.key != "alderkane" else "Overview of the Organisation"))
        out += self.paras(narrative.pick(rng, narrative.OVERVIEW, 1) + narrative.pick(rng, narrative.SERVICES, 1 + v))
        if not brief or s.framework == "SOC 3":
            out.append(self.sub_heading("Principal Service Commitments and System Requirements"))
            out += self.paras(narrative.pick(rng, narrative.COMMITMENTS, 1 + v))
        out.append(self.sub_heading("Components of the System"))
        out.append(self.sub_heading("Infrastructure", toc=False, level="h3"))
        out += self.paras(narrative.INFRA)
        out.append(self.sub_heading("Software", toc=False, level="h3"))
        out += self.paras(narrative.SOFTWARE[: 1 + (v > 1)])
        out += self.tools_table()
        out.append(self.sub_heading("People", toc=False, level="h3"))
        out += self.paras(narrative.pick(rng, narrative.PEOPLE, 2))
        out.append(self.sub_heading("Data", toc=False, level="h3"))
        out += self.paras(narrative.pick(rng, narrative.DATA, 2))
        out.append(self.sub_heading("Processes and Procedures", toc=False, level="h3"))
        out += self.paras(narrative.pick(rng, narrative.PROCESSES, 2 + v))
        if not brief:
            out.append(self.sub_heading("Control Environment, Risk Assessment, Information and Communication, and Monitoring"))
            out += self.paras(narrative.pick(rng, narrative.CONTROL_ENV, 2 + v))
            out.append(self.sub_heading("Changes to the System During the Period" if s.period_start else "Significant Changes to the System"))
            out += self.paras(narrative.pick(rng, narrative.CHANGES, 1))
        out += self.subservice_section()
        out += self.cuec_section()
        if s.framework == "SOC 2" and len(s.categories) < 5:
            out.append(self.sub_heading("Trust Services Criteria Not Applicable to the In-Scope System"))
            missing = [CATEGORY_TITLE[c] for c in CATEGORY_TITLE if c not in s.categories]
            out.append(self.P(esc(f"The {', '.join(missing)} categories were not included in the scope of this examination.")))
        if s.framework == "SOC 3":
            out.append(PageBreak())
            key = "secB"
            self.toc_entries.append((0, "Attachment B: Principal Service Commitments and System Requirements", key))
            out.append(self.P("Attachment B: Principal Service Commitments and System Requirements", "h1", key=key))
            out += self.paras(narrative.COMMITMENTS)
        return out

    def tools_table(self) -> list:
        s, f = self.s, self.f
        st = self.st
        if not s.third_party:
            return []
        rows = [[Paragraph("Vendor", st["cellb"]), Paragraph("Tool", st["cellb"]), Paragraph("Purpose", st["cellb"])]]
        for vendor, tool, purpose in s.third_party:
            rows.append([Paragraph(esc(vendor), st["cell"]), Paragraph(esc(tool), st["cell"]), Paragraph(esc(purpose), st["cell"])])
        w = self.frame_width["portrait"]
        t = Table(rows, colWidths=[w * 0.34, w * 0.22, w * 0.44], repeatRows=1, splitInRow=1)
        t.setStyle(self.table_style(len(rows)))
        return [self.P(esc(self.fill("The following third-party tools support the operation of the system. {co} does not rely on "
                                     "controls at these vendors to meet the applicable criteria.")), "body"), t, Spacer(1, 8)]

    def table_style(self, n_rows: int, header=True) -> TableStyle:
        f = self.f
        cmds = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        if header:
            cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(*f.header_fill)))
        if f.grid == "full":
            cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.4, 0.4, 0.4)))
        elif f.grid == "horizontal":
            cmds.append(("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.Color(0.6, 0.6, 0.6)))
        else:
            cmds.append(("BOX", (0, 0), (-1, -1), 0.8, colors.black))
            cmds.append(("INNERGRID", (0, 0), (-1, -1), 0.25, colors.Color(0.7, 0.7, 0.7)))
        return TableStyle(cmds)

    def subservice_section(self) -> list:
        s, f, st = self.s, self.f, self.st
        co = esc(s.short_name)
        out = [self.sub_heading("Subservice Organizations" if f.key != "alderkane" else "Subservice Organisations")]
        if not s.subs:
            out.append(self.P(f"{co} does not use any subservice organizations to perform the services described in this "
                              f"report. The third-party tools listed above are not subservice organizations."))
            return out
        explicit = f.carveout_wording == "explicit"
        use_table = f.key in ("orchard", "kestrel", "alderkane")
        if use_table:
            out.append(self.P(f"{co} uses the following subservice organizations in support of the system:"))
            hdr = ["Subservice Organization", "Services Provided"] + (["Method"] if explicit else [])
            rows = [[Paragraph(h, st["cellb"]) for h in hdr]]
            for sub in s.subs:
                r = [self.P(f"{esc(sub.name)} (\u201c{esc(sub.short)}\u201d)", "cell", key=sub.key),
                     Paragraph(esc(sub.services[:1].upper() + sub.services[1:]), st["cell"])]
                if explicit:
                    r.append(Paragraph("Carve-out" if sub.method == "carve-out" else "Inclusive", st["cell"]))
                rows.append(r)
            w = self.frame_width["portrait"]
            widths = [w * 0.35, w * 0.5, w * 0.15] if explicit else [w * 0.4, w * 0.6]
            t = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
            t.setStyle(self.table_style(len(rows)))
            out.append(t)
        for sub in s.subs:
            short = esc(sub.short)
            if sub.method == "carve-out":
                tail = (f" The carve-out method has been used for {short}; its controls are not included in the scope of this report."
                        if explicit else
                        f" The description excludes the controls of {short}. {co} monitors {short} through the annual review "
                        f"of its {'SOC 1' if s.framework == 'SOC 1' else 'SOC 2'} report and of the complementary user entity "
                        f"controls that {short} identifies.")
            else:
                tail = (f" {short} is presented using the inclusive method; the description includes the relevant controls of {short}."
                        if explicit else
                        f" The description includes the relevant controls of {short}, which were tested as part of this examination.")
            if use_table:
                out.append(self.P(f"{short}:" + tail))
            else:
                out.append(self.P(f"{esc(sub.name)} (\u201c{short}\u201d) provides {esc(sub.services)} to {co}." + tail, key=sub.key))
        if any(sub.method == "carve-out" for sub in s.subs) and s.csocs:
            out += self.csoc_section()
        return out

    def csoc_section(self) -> list:
        s, f, st = self.s, self.f, self.st
        co = esc(s.short_name)
        out = [self.sub_heading("Complementary Subservice Organization Controls")]
        out.append(self.P(
            f"{co}'s controls related to the system cover only a portion of overall internal control for each user entity. "
            f"It is not feasible for the criteria related to the system to be achieved solely by {co}; therefore, each user "
            f"entity's internal control must be evaluated in conjunction with {co}'s controls and the related tests and results, "
            f"taking into account the types of complementary subservice organization controls expected to be implemented at "
            f"the subservice organizations as described below."))
        if s.csoc_format == "table":
            rows = [[Paragraph(h, st["cellb"]) for h in ("Subservice Organization", "Complementary Subservice Organization Control", "Related Criteria")]]
            for c in s.csocs:
                rows.append([Paragraph(esc(c.sub.short), st["cell"]), self.P(esc(c.text), "cell", key=c.key),
                             Paragraph(esc(c.printed_criteria), st["cell"])])
            w = self.frame_width["portrait"]
            t = Table(rows, colWidths=[w * 0.2, w * 0.62, w * 0.18], repeatRows=1, splitInRow=1)
            t.setStyle(self.table_style(len(rows)))
            out.append(t)
        elif s.csoc_format == "numbered":
            n = 0
            for sub in [x for x in s.subs if x.method == "carve-out"]:
                out.append(self.P(f"The following controls are expected to be implemented by {esc(sub.short)}:", "bold"))
                for c in [c for c in s.csocs if c.sub is sub]:
                    n += 1
                    style = ParagraphStyle("csoc", parent=st["bullet"], leftIndent=48)
                    out.append(TrackedParagraph(esc(c.text), style, bulletText=f"CSOC{n}" if f.key != "stonebridge" else f"CSOC {n}.",
                                                key=c.key, log=self.log))
        else:
            for sub in [x for x in s.subs if x.method == "carve-out"]:
                out.append(self.P(esc(sub.short), "h3"))
                for c in [c for c in s.csocs if c.sub is sub]:
                    out.append(self.P(esc(c.text), "bullet", key=c.key, bullet="\u2022"))
        return out

    def cuec_section(self) -> list:
        s, f, st, rng = self.s, self.f, self.st, self.rng
        co = esc(s.short_name)
        out = [self.sub_heading(s.cuec_heading)]
        if s.cuec_format == "none":
            out.append(self.P(
                f"{co}'s controls were designed with the assumption that user entities would not need to implement any "
                f"complementary controls to achieve the applicable criteria. Accordingly, no complementary user entity controls "
                f"are required, and none are presented in this description."))
            return out
        if not s.cuecs:
            return out[:0]
        out.append(self.P(
            f"{co}'s services are designed with the assumption that certain controls will be implemented by user entities. "
            f"Such controls are called complementary user entity controls. It is not feasible for all of the "
            f"{'control objectives' if s.framework == 'SOC 1' else 'trust services criteria'} related to {co}'s services to be "
            f"achieved solely by {co}. This section describes the complementary user entity controls that should be in operation "
            f"at user entities; user entities' auditors should determine whether they have been implemented."))
        fmt = s.cuec_format
        if fmt == "bullets":
            char = rng.choice(["\u2022", "\u25aa", "\u2013", "o"])
            for c in s.cuecs:
                out.append(self.P(esc(c.text), "bullet", key=c.key, bullet=char))
        elif fmt == "numbered":
            style = rng.choice(["{n}.", "{n})", "CUEC {n}", "UE-{n:02d}"])
            for i, c in enumerate(s.cuecs, 1):
                b = style.format(n=i)
                p = ParagraphStyle("nb", parent=st["bullet"], leftIndent=40 if len(b) > 3 else 22)
                out.append(TrackedParagraph(esc(c.text), p, bulletText=b, key=c.key, log=self.log))
        elif fmt == "table":
            with_id = rng.random() < 0.6
            label = "Criteria" if s.framework != "SOC 1" else "Control Objective"
            hdr = (["#"] if with_id else []) + [s.cuec_heading.rstrip("s") if s.cuec_heading.endswith("Controls") else "User Entity Control",
                                                 f"Related {label}"]
            rows = [[Paragraph(esc(h), st["cellb"]) for h in hdr]]
            for i, c in enumerate(s.cuecs, 1):
                r = ([Paragraph(str(i), st["cell"])] if with_id else []) + [self.P(esc(c.text), "cell", key=c.key),
                                                                           Paragraph(esc(c.printed_criteria), st["cell"])]
                rows.append(r)
            w = self.frame_width["portrait"]
            widths = ([w * 0.06] if with_id else []) + [w * (0.72 if with_id else 0.76), w * 0.22]
            t = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
            t.setStyle(self.table_style(len(rows)))
            out.append(t)
        else:  # grouped under criteria headings
            last = None
            for c in s.cuecs:
                if c.printed_criteria != last:
                    last = c.printed_criteria
                    if s.framework == "SOC 1":
                        title = last
                    else:
                        one = c.criteria[0]
                        title = f"{last} \u2013 {CC_SERIES_TITLE.get(series(one), '')}" if len(c.criteria) == 1 else f"Criteria {last}"
                    out.append(self.P(esc(title), "h3"))
                out.append(self.P(esc(c.text), "bullet", key=c.key, bullet="\u2022"))
        return out

    # ------------------------------------------------------------------ section 4
    def matrix_section(self) -> list:
        s, f = self.s, self.f
        land = f.matrix_landscape
        out: list = [NextPageTemplate("landscape" if land else "portrait"), PageBreak()]
        out += self.section_heading(3)
        t2 = s.period_start is not None
        intro = (f"This section presents the {'control objectives' if s.framework == 'SOC 1' else 'applicable trust services criteria'}, "
                 f"the controls specified by {esc(s.short_name)} to meet them, ")
        if t2:
            intro += (f"the tests of operating effectiveness performed by {esc(s.auditor)}, and the results of those tests. "
                      f"Tests were performed on a sample basis; sample sizes were determined based on the frequency of the "
                      f"control. Where a result reports an exception, management's response, if any, is presented "
                      + ("beneath the result." if s.response_placement in ("cell", "row") else f"in {self.sec_ref(4)}."))
        else:
            intro += ("and the tests of design and implementation performed. Tests of operating effectiveness were not "
                      "performed and are not part of a Type 1 examination.")
        out.append(self.P(intro))
        out.append(self.P(
            "Types of tests performed: inquiry of appropriate personnel; observation of the application or performance of the "
            "control; inspection of documents and reports; and reperformance of the control. Inquiry alone was not relied upon "
            "to conclude on the operating effectiveness of any control."))
        out += self.matrix(land)
        out.append(NextPageTemplate("portrait"))
        return out

    def matrix_columns(self):
        cols = list(self.f.columns)
        if self.s.period_start is None:
            cols = [c for c in cols if c.role != "result"]
        total = sum(c.width for c in cols)
        width = self.frame_width["landscape" if self.f.matrix_landscape else "portrait"]
        titles = [self.col_titles[self.f.columns.index(c)] for c in cols]
        if self.s.framework == "SOC 1":
            titles = [t.replace("TSC Reference", "Control Objective").replace("Criteria", "Objective") for t in titles]
        return cols, titles, [width * c.width / total for c in cols]

    def matrix(self, land: bool) -> list:
        s, f, st = self.s, self.f, self.st
        cols, titles, widths = self.matrix_columns()
        out: list = []
        header = [Paragraph(esc(t), st["cellb"]) for t in titles]
        chunks: list[tuple[str | None, list]] = []  # (heading, rows as (kind, payload))
        if f.grouping in ("span_row", "heading"):
            for g in s.groups:
                title = f"{g.ref}: {g.title}" if s.framework != "SOC 1" else f"{g.ref}: {g.title}"
                chunks.append((title, [("row", r) for r in g.rows]))
        else:  # criteria column: one table per series (SOC 2) or per objective (SOC 1)
            by: dict[str, list] = {}
            for g in s.groups:
                k = g.ref if s.framework == "SOC 1" else series(g.ref)
                by.setdefault(k, []).extend(g.rows)
            for k, rows in by.items():
                title = k if s.framework == "SOC 1" else f"{k}: {CC_SERIES_TITLE.get(k, '')}"
                if s.framework == "SOC 1":
                    g = next(g for g in s.groups if g.ref == k)
                    title = f"{k}: {g.title}"
                chunks.append((title, [("row", r) for r in rows]))
        for title, rows in chunks:
            if not rows:
                continue
            data = [header]
            styles = []
            if f.grouping == "span_row":
                data.append([Paragraph(f"<b>{esc(title)}</b>", st["cell"])] + [""] * (len(cols) - 1))
                styles += [("SPAN", (0, 1), (-1, 1)), ("BACKGROUND", (0, 1), (-1, 1), colors.Color(0.95, 0.95, 0.95))]
            else:
                out.append(CondPageBreak(1.2 * inch))
                out.append(self.P(esc(title), "h3"))
            for _, r in rows:
                data.append(self.matrix_row(r, cols))
                if r.exception_key and r.response and s.response_placement == "row":
                    i = len(data)
                    data.append([self.P(f"<b>{esc(f.response_label)}</b> {esc(r.response)}", "cell")] + [""] * (len(cols) - 1))
                    styles += [("SPAN", (0, i), (-1, i))]
            t = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
            ts = self.table_style(len(data))
            for cmd in styles:
                ts.add(*cmd)
            t.setStyle(ts)
            out += [t, Spacer(1, 10)]
        return out

    def matrix_row(self, r: Row, cols) -> list:
        f, st, s = self.f, self.st, self.s
        cells = []
        for c in cols:
            if c.role == "id":
                cells.append(Paragraph(esc(r.control_id), st["cell"]))
            elif c.role == "control":
                cells.append(Paragraph(esc(r.control), st["cell"]))
            elif c.role == "criteria":
                cells.append(Paragraph(esc(r.printed_criteria), st["cell"]))
            elif c.role == "test":
                cells.append([Paragraph(esc(t), st["cell"]) for t in r.tests])
            elif c.role == "result":
                paras = []
                for i, text in enumerate(r.result):
                    bold = r.exception_key and i == 0 and text in f.exception_labels
                    paras.append(self.P(esc(text), "cellb" if bold else "cell", key=r.exception_key if i == 0 else None))
                if r.exception_key and r.response and s.response_placement == "cell":
                    paras.append(Paragraph(f"<b>{esc(f.response_label)}</b> {esc(r.response)}", st["cell"]))
                cells.append(paras)
        return cells

    # ------------------------------------------------------------------ section 5
    def other_info(self) -> list:
        s, f, st = self.s, self.f, self.st
        exc = [r for r in s.exception_rows if r.response]
        in_section = s.response_placement == "section" and exc
        if not in_section and self.rng.random() < 0.5:
            return []
        out = [NextPageTemplate("portrait"), PageBreak()] + self.section_heading(4)
        out.append(self.P(
            f"The information included in this section is presented by {esc(s.short_name)} to provide additional information "
            f"and is not a part of {esc(s.short_name)}'s description of the system. It has not been subjected to the procedures "
            f"applied in the examination, and accordingly {esc(s.auditor)} expresses no opinion on it."))
        if in_section:
            out.append(self.sub_heading("Management's Responses to Exceptions Noted"))
            if f.key in ("harrow", "stonebridge"):
                rows = [[Paragraph(h, st["cellb"]) for h in ("Control #", "Exception Noted", "Management's Response")]]
                for r in exc:
                    rows.append([Paragraph(esc(r.control_id), st["cell"]), Paragraph(esc(r.description), st["cell"]),
                                 Paragraph(esc(r.response), st["cell"])])
                w = self.frame_width["portrait"]
                t = Table(rows, colWidths=[w * 0.12, w * 0.4, w * 0.48], repeatRows=1, splitInRow=1)
                t.setStyle(self.table_style(len(rows)))
                out.append(t)
            else:
                for r in exc:
                    out.append(self.P(f"Control {esc(r.control_id)}", "h3"))
                    out.append(self.P(f"<b>Exception noted:</b> {esc(r.description)}"))
                    out.append(self.P(f"<b>{esc(f.response_label)}</b> {esc(r.response)}"))
        out.append(self.sub_heading("Business Continuity Overview"))
        out.append(self.P(esc(self.fill(
            "{co} maintains a business continuity program that is reviewed annually. With the exception of planned maintenance "
            "windows announced in advance, {co} targets availability of 99.9% for {sys}."))))
        return out


def narrative_fill(t: str, ctx: dict) -> str:
    import re
    return re.sub(r"\{(\w+)\}", lambda m: str(ctx.get(m.group(1), m.group(0))), t)


def render(spec: ReportSpec) -> tuple[bytes, dict[str, int], int]:
    return Renderer(spec).render()
