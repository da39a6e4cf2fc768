"""One parameterised report writer; each report in reports.py picks a house style and its variations."""
from __future__ import annotations

import io
import math
import random

from reportlab.lib import colors
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import landscape
from reportlab.platypus import (CondPageBreak, Image, KeepTogether, NextPageTemplate, PageBreak, Spacer, Table,
                                TableStyle)

from . import content as C
from .core import TP, Mark, TocLine, esc, frame_templates, register_fonts, style

FONTS = register_fonts()
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII"]
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven"]


def signature_png(seed: int) -> bytes:
    """A made-up scribble, drawn with PIL."""
    from PIL import Image as PImage, ImageDraw
    rnd = random.Random(seed)
    im = PImage.new("L", (420, 110), 255)
    d = ImageDraw.Draw(im)
    pts, x = [], 15.0
    while x < 400:
        pts.append((x, 55 + 32 * math.sin(x / (9 + rnd.random() * 6)) * rnd.random()))
        x += 3 + rnd.random() * 4
    d.line(pts, fill=20, width=3)
    d.line([(30, 92), (380, 84)], fill=60, width=2)
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


class Report:
    def __init__(self, S: dict, b):
        self.S, self.b = S, b
        T = S["theme"]
        self.T = T
        self.rnd = random.Random(S["id"])
        fam = FONTS[T["fam"]]
        hf = FONTS[T.get("headfam", T["fam"])]
        self.fam, self.hf = fam, hf
        self.col = HexColor(T["color"])
        sz = T.get("size", 9.5)
        al = TA_JUSTIFY if T.get("justify") else TA_LEFT
        self.st = {
            "body": style("body", fam[0], sz, alignment=al, spaceAfter=6),
            "bodyb": style("bodyb", fam[1], sz, spaceAfter=4, keepWithNext=1),
            "h1": style("h1", hf[1], T.get("h1size", 15), textColor=self.col, spaceAfter=12,
                        alignment=TA_CENTER if T.get("h1center") else TA_LEFT),
            "h2": style("h2", hf[1], T.get("h2size", 11.5), textColor=self.col, spaceBefore=10, spaceAfter=5,
                        keepWithNext=1),
            "h3": style("h3", fam[1], sz, spaceBefore=6, spaceAfter=3, keepWithNext=1),
            "cell": style("cell", fam[0], T.get("cellsize", 8.5), leading=T.get("cellsize", 8.5) * 1.3),
            "cellb": style("cellb", fam[1], T.get("cellsize", 8), leading=T.get("cellsize", 8) * 1.25),
            "cellh": style("cellh", fam[1], T.get("cellsize", 8), leading=T.get("cellsize", 8) * 1.25,
                           textColor=colors.white if T.get("hdrfill", True) else colors.black),
            "bullet": style("bullet", fam[0], sz, leftIndent=18, bulletIndent=5, spaceAfter=3, alignment=al),
            "num": style("num", fam[0], sz, leftIndent=22, bulletIndent=2, spaceAfter=4, alignment=al),
            "center": style("center", fam[0], sz, alignment=TA_CENTER, spaceAfter=4),
            "right": style("right", fam[0], sz, alignment=TA_RIGHT, spaceAfter=2),
            "ctitle": style("ctitle", hf[1], T.get("ctsize", 24), leading=T.get("ctsize", 24) * 1.25,
                            textColor=self.col, alignment=T.get("calign", TA_LEFT), spaceAfter=14),
            "csub": style("csub", fam[0], 13, leading=17, alignment=T.get("calign", TA_LEFT), spaceAfter=8),
            "small": style("small", fam[0], 7.5, leading=9.5, alignment=al, spaceAfter=3),
            "tochead": style("tochead", hf[1], 14, textColor=self.col, spaceAfter=14),
        }
        self.sec = 0
        self.toc_at = None
        self.short = S["short"]

    # ---------------------------------------------------------- primitives
    def P(self, text, st="body", key=None, outline=None, **kw):
        p = TP(text, self.st[st] if isinstance(st, str) else st, key=key, outline=outline, **kw)
        self.b.add(p)
        return p

    def h1(self, title, toc_title=None, newpage=True):
        self.sec += 1
        if newpage:
            self.b.add(PageBreak())
        text = self.T["h1fmt"](self.sec, title)
        key = self.b.key("h")
        plain = text.replace("<br/>", " ")
        self.b.toc.append((0, toc_title or plain, key))
        self.P(text, "h1", key=key, outline=(plain, 0) if self.T.get("outline") else None)
        return key

    def h2(self, title, toc=True):
        key = self.b.key("h")
        if toc:
            self.b.toc.append((1, title, key))
        self.P(esc(title), "h2", key=key, outline=(title, 1) if self.T.get("outline") and toc else None)

    def h3(self, title):
        self.P(esc(title), "h3")

    def bullets(self, items, st="bullet", marker="\u2022"):
        for it in items:
            self.P(esc(it), st, bulletText=marker)

    def table(self, data, widths, header_rows=1, zebra=False, ruled=None, spans=(), extra=(), repeat=True):
        T = self.T
        ruled = T.get("ruled", True) if ruled is None else ruled
        ts = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 4),
              ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 4),
              ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
        if header_rows:
            if T.get("hdrfill", True):
                ts.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), self.col))
            else:
                ts.append(("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 1.2, self.col))
        if ruled:
            ts.append(("GRID", (0, 0), (-1, -1), 0.5, HexColor("#8a8a8a")))
        else:
            ts.append(("LINEBELOW", (0, header_rows), (-1, -1), 0.25, HexColor("#cfcfcf")))
        if zebra:
            for i in range(header_rows, len(data)):
                if (i - header_rows) % 2:
                    ts.append(("BACKGROUND", (0, i), (-1, i), HexColor("#f1f1f1")))
        for r in spans:
            ts += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), HexColor(T.get("groupfill", "#dde4ee")))]
        ts += list(extra)
        t = Table(data, colWidths=widths, repeatRows=header_rows if repeat else 0, style=TableStyle(ts),
                  hAlign="LEFT")
        self.b.add(t)
        return t

    def cell(self, text, st="cell", key=None):
        return TP(esc(text) if text else "", self.st[st], key=key)

    def hdr(self, *cols):
        return [self.cell(c, "cellh") for c in cols]

    def width(self, land=False):
        S = self.S
        w, h = landscape(S["theme"]["pagesize"]) if land else S["theme"]["pagesize"]
        m = S["theme"]["margins"]
        return w - m[0] - m[1]

    def filler(self, n):
        sents = self.rnd.sample(C.DESC_SENTENCES, n)
        for i in range(0, n, 3):
            self.P(" ".join(s.replace("{s}", self.short) for s in sents[i:i + 3]))

    def narratives(self):
        """Process narratives built from the controls, grouped by criteria family (or objective)."""
        groups = {}
        for crit, ctrl, test in self.rows():
            g = crit if self.S["framework"] == "SOC 1" else C.crit_group(crit)
            groups.setdefault(g, []).append(ctrl)
        extra = C.NARRATIVE_SENTENCES
        for n, (g, ctrls) in enumerate(groups.items()):
            title = self.S.get("obj_titles", {}).get(g) or C.CRIT_TITLES.get(g, g)
            self.h3(title)
            for i in range(0, len(ctrls), 3):
                sent = " ".join(ctrls[i:i + 3])
                add = extra[(n * 3 + i) % len(extra)].replace("{s}", self.short)
                self.P(esc(f"{sent} {add}"))

    # ---------------------------------------------------------- TOC
    def toc_placeholder(self):
        self.b.add(NextPageTemplate("body"), PageBreak())
        self.toc_at = len(self.b.story)

    def render_toc(self):
        T, b = self.T, self.b
        mode = T["toc"]
        fl = []
        if T.get("toc_title"):
            fl.append(TP(esc(T["toc_title"]), self.st["tochead"]))
        lead = T.get("toc_lead", 20)
        for level, title, key in b.toc:
            if level > 0 and T.get("toc_levels", 1) < 2:
                continue
            page = b.page_of(key) or 0
            font = self.fam[1] if level == 0 and T.get("toc_bold1") else self.fam[0]
            if mode == "runin":
                st = style("tr", font, 10, leading=lead, leftIndent=18 * level)
                fl.append(TP(f"{esc(title)}&nbsp;&nbsp;{page}", st))
            else:
                fl.append(TocLine(title, page, font, 10, indent=18 * level, leaders=(mode == "leaders"), lead=lead))
        b.story[self.toc_at:self.toc_at] = fl

    # ---------------------------------------------------------- cover
    def cover(self):
        S, T = self.S, self.T
        if T.get("cover_style") == "block":  # text to the right of the colour block
            ind = T["pagesize"][0] * 0.28 - T["margins"][0] + 24
            for k in ("ctitle", "csub", "small"):
                self.st[k] = style(k + "c", self.st[k].fontName, self.st[k].fontSize, self.st[k].leading,
                                   textColor=self.st[k].textColor, leftIndent=ind, spaceAfter=self.st[k].spaceAfter)
        self.b.add(Spacer(1, T.get("cover_top", 150)))
        if T.get("cover_kicker"):
            self.P(esc(T["cover_kicker"]), "csub")
        self.P(esc(S["org"] if T.get("cover_legal", True) else S["short"]), "ctitle")
        for line in S["cover_title"]:
            self.P(esc(line), "csub")
        self.b.add(Spacer(1, 18))
        for line in S.get("cover_extra", []):
            self.P(esc(line), "csub")
        self.b.add(Spacer(1, 60))
        self.P(esc(S.get("cover_note", "This report is confidential and intended only for the parties named "
                                        "in the restricted use paragraph of the auditor's report.")), "small")
        self.st["small"] = style("small", self.fam[0], 7.5, leading=9.5, spaceAfter=3)

    # ---------------------------------------------------------- auditor's report
    def auditor_report(self):
        S, st = self.S, self.st
        s, fw, typ, opn = self.short, S["framework"], S["type"], S["opinion"]
        self.h1(S.get("aud_title", "Independent Service Auditor's Report"))
        if S.get("letterhead"):
            lh = S["letterhead"]
            self.P(f"<font size=15 color='{self.T['color']}'><b>{esc(lh[0])}</b></font>", "body")
            self.P(esc(lh[1]), "small")
            self.b.add(Spacer(1, 10))
        per = S["period_text"]
        addr = S["addressee"]
        if addr == "line":
            self.P(f"To the Management of {esc(S['org'])}:")
            intro = f"We have examined {esc(S['org'])}’s (“{esc(s)}”) accompanying description of its {S['system']}"
        elif addr == "block":
            self.P("To the Board of Directors")
            self.P("<br/>".join(esc(x) for x in [S["org"]] + S["address"]))
            intro = f"We have examined the accompanying description of the {S['system']} of {esc(S['org'])} (“{esc(s)}”)"
        else:
            self.P(esc(S.get("addressee_text", "To the Audit Committee and Management:")))
            intro = (f"We have examined the accompanying description of the {S['system']} of {esc(S['org'])} "
                     f"(“{esc(s)}” or “the Service Organization”)")
        when = f"as of {per}" if typ == "Type 1" else f"throughout the period {per}"
        self.P("Scope", "bodyb")
        if fw == "SOC 1":
            self.P(f"{intro} for processing user entities’ transactions {when} (the “description”), and the "
                   f"suitability of the design{'' if typ == 'Type 1' else ' and operating effectiveness'} of the controls "
                   f"included in the description to achieve the related control objectives stated in the description, "
                   f"based on the criteria identified in {esc(s)}’s assertion.")
        elif fw == "SOC 3":
            self.P(f"{intro.replace('accompanying description of', 'assertion about')}, that the controls within the "
                   f"system were effective {when} to provide reasonable assurance that {esc(s)}’s service "
                   f"commitments and system requirements were achieved based on the trust services criteria relevant to "
                   f"{S['cats_text']} (applicable trust services criteria).")
        else:
            self.P(f"{intro} {when} (the “description”), prepared on the basis of the description criteria for a SOC 2® "
                   f"report, and the suitability of the design{'' if typ == 'Type 1' else ' and operating effectiveness'} "
                   f"of the controls stated in the description {when} to provide reasonable assurance that {esc(s)}’s "
                   f"service commitments and system requirements were achieved based on the trust services criteria "
                   f"relevant to {S['cats_text']} (applicable trust services criteria).")
        subs = [o for o in S.get("subs", [])]
        if subs:
            names = ", ".join(o["legal"] for o in subs)
            if any(o["method"] == "inclusive" for o in subs):
                self.P(f"{esc(s)} uses {esc(names)} for {esc(subs[0]['svc_short'])}. The description includes the "
                       f"relevant controls of {esc(names)}, and our examination covered those controls together with "
                       f"the controls of {esc(s)}.")
            elif S.get("carve_word"):
                self.P(f"{esc(s)} uses subservice organizations ({esc(names)}) for hosting and related services. "
                       f"The description presents {esc(s)}’s controls using the carve-out method: it excludes the "
                       f"controls of the subservice organizations, and our examination did not extend to them. The "
                       f"description also indicates the complementary subservice organization controls that are "
                       f"assumed in the design of {esc(s)}’s controls.")
            else:
                self.P(f"{esc(s)} relies on {esc(names)} for infrastructure services. The description excludes the "
                       f"controls of these providers, and our examination did not include the services they provide. "
                       f"Certain criteria can be met only if controls at these providers, assumed in the design of "
                       f"{esc(s)}’s controls, are suitably designed and operating effectively.")
        if S.get("cuec") != "none" and fw != "SOC 3":
            self.P(f"The description indicates that some of the criteria can be met only if complementary user entity "
                   f"controls assumed in the design of {esc(s)}’s controls are suitably designed and operating "
                   f"effectively. Our examination did not include such controls and we have not evaluated them.")
        if S.get("other_info_trap"):
            self.P(f"The information in the section headed “Other Information Provided by {esc(s)}” is presented by "
                   f"management to give additional information and is not part of the description. It, including "
                   f"management’s responses to exceptions, was not subjected to the procedures applied in our "
                   f"examination and, accordingly, we do not express an opinion on it.")
        self.P(f"{esc(s)}’s Responsibilities", "bodyb")
        self.P(f"{esc(s)} is responsible for preparing the description and its assertion, including the completeness, "
               f"accuracy and method of presentation of both; for providing the services covered by the description; "
               f"for selecting the criteria and stating the related objectives; and for designing, implementing and "
               f"documenting controls that are suitably designed and operating effectively.")
        self.P("Service Auditor’s Responsibilities", "bodyb")
        self.P("Our responsibility is to express an opinion based on our examination. We conducted it in accordance "
               "with attestation standards established by the American Institute of Certified Public Accountants. "
               "Those standards require that we plan and perform the examination to obtain reasonable assurance about "
               "whether, in all material respects, the subject matter is presented and the controls were suitably "
               "designed" + ("" if typ == "Type 1" else " and operated effectively") + ". We believe that the "
               "evidence we obtained is sufficient and appropriate to provide a reasonable basis for our opinion"
               + (" on the matters other than those described below." if opn == "disclaimer" else "."))
        self.P("An examination involves performing procedures to obtain evidence about the description and the design "
               + ("" if typ == "Type 1" else "and operating effectiveness ") + "of controls. The procedures depend on "
               "our judgment, including the assessment of the risks of material misstatement. We are required to be "
               "independent and to meet our other ethical responsibilities.")
        self.P("Inherent Limitations", "bodyb")
        self.P("The description is prepared to meet the common needs of a broad range of users and may not include "
               "every aspect of the system that individual users consider important. Because of their nature, controls "
               "may not always operate effectively. Projections of any evaluation of effectiveness to future periods "
               "are subject to the risk that controls may become inadequate because of changes in conditions.")
        if typ == "Type 2" and fw != "SOC 3":
            self.P("Description of Tests of Controls", "bodyb")
            self.P(f"The specific controls we tested and the nature, timing and results of those tests are listed in "
                   f"{S.get('tests_ref', 'Section IV')}.")
        if opn != "unqualified":
            head = {"qualified": "Basis for Qualified Opinion", "adverse": "Basis for Adverse Opinion",
                    "disclaimer": "Basis for Disclaimer of Opinion"}[opn]
            self.P(head, "bodyb")
            self.P(esc(S["basis"]))
        head = {"unqualified": "Opinion", "qualified": "Qualified Opinion", "adverse": "Adverse Opinion",
                "disclaimer": "Disclaimer of Opinion"}[opn]
        self.P(head, "bodyb")
        self.P(esc(S["opinion_text"]))
        if fw != "SOC 3":
            self.P("Restricted Use", "bodyb")
            self.P(f"This report is intended solely for the information and use of {esc(s)}, user entities of "
                   f"{esc(s)}’s system during some or all of the period, and prospective user entities, independent "
                   f"auditors and practitioners providing services to such user entities, and regulators who have "
                   f"sufficient knowledge and understanding of the matters it covers. It is not intended to be, and "
                   f"should not be, used by anyone other than these specified parties.")
        self.signature()

    def signature(self):
        S = self.S
        mode = S["signature"]
        city, date = S["city"], S["sign_date"]
        if mode == "text":
            self.b.add(Spacer(1, 10))
            self.P(f"{esc(S['auditor'])}<br/>{esc(city)}<br/>{esc(date)}")
        elif mode == "block":
            self.b.add(CondPageBreak(120), Spacer(1, 36))
            data = [[TP(f"<b>{esc(S['auditor'])}</b>", self.st["body"])],
                    [TP(esc(S.get("sig_line2", "Certified Public Accountants")), self.st["small"])],
                    [TP(f"{esc(city)}<br/>{esc(date)}", self.st["small"])]]
            t = Table(data, colWidths=[200], hAlign="RIGHT",
                      style=TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, self.col),
                                        ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
            self.b.add(t)
        elif mode == "image":
            self.b.add(CondPageBreak(120), Spacer(1, 12))
            img = Image(io.BytesIO(signature_png(len(S["id"]) * 7 + 3)), width=150, height=39, hAlign="LEFT")
            self.b.add(img)
            self.P(f"{esc(city)}<br/>{esc(date)}")

    # ---------------------------------------------------------- assertion
    def assertion(self):
        S, s = self.S, self.short
        self.h1(S.get("assert_title", f"Management’s Assertion"))
        typ = S["type"]
        when = f"as of {S['period_text']}" if typ == "Type 1" else f"throughout the period {S['period_text']}"
        self.P(f"We have prepared the accompanying description of {esc(S['org'])}’s {S['system']} {when} "
               f"(the “description”). The description is intended to give users information about the system that "
               f"may be useful when assessing the risks arising from interactions with {esc(s)}’s system.")
        self.P(f"{esc(s)} uses subservice organizations as described in the description. Certain objectives can be "
               f"achieved only if complementary controls at user entities and at subservice organizations, assumed in "
               f"the design of our controls, are suitably designed and operating effectively." if S.get("subs") else
               f"{esc(s)} does not rely on subservice organizations for the services described.")
        self.P(f"We confirm, to the best of our knowledge and belief, that the description presents the system "
               f"{when} fairly, and that the controls stated in the description were suitably designed"
               + ("" if typ == "Type 1" or S["framework"] == "SOC 3" else " and operated effectively")
               + f" {when} to provide reasonable assurance that the stated objectives were achieved.")
        self.b.add(Spacer(1, 14))
        self.P(f"{esc(S['officer'])}<br/>{esc(S['org'])}")

    # ---------------------------------------------------------- description parts
    def tools_table(self):
        s = self.short
        self.P(f"{esc(s)} uses the following software and services to operate and support the system. They are "
               f"vendors, not subservice organizations, and their controls are not relied upon in this report.")
        w = self.width()
        data = [self.hdr("Tool", "Purpose")] + [[self.cell(a), self.cell(p)] for a, p in C.TOOLS[: self.S.get("ntools", 12)]]
        self.table(data, [w * 0.3, w * 0.7], zebra=True)
        self.b.add(Spacer(1, 8))

    def subservice_part(self):
        S, s = self.S, self.short
        subs = S.get("subs", [])
        mode = S.get("sub_layout", "paras")
        if not subs:
            self.P(f"{esc(s)} does not use subservice organizations to provide the services covered by this report. "
                   f"All infrastructure is operated by {esc(s)} staff.")
            return
        if mode == "group_prose":
            # one paragraph names the whole group
            names = ", ".join(f"{o['legal']} (“{o['aliases'][0]}”)" if o.get("aliases") else o["legal"] for o in subs[:-1])
            last = subs[-1]
            lastn = f"{last['legal']} (“{last['aliases'][0]}”)" if last.get("aliases") else last["legal"]
            text = (f"{esc(s)} relies on {esc(names)} and {esc(lastn)} (together, the “{esc(S['group_name'])}”) for "
                    f"cloud hosting, content delivery and payment processing. The {esc(S['group_name'])} are "
                    f"subservice organizations; this report does not cover their controls.")
            k = self.b.key("g")
            for o in subs:
                self.b.item("subservice_organizations", self.sub_gold(o), anchor=text, key=k)
            self.P(text, key=k)
            return
        if mode == "table":
            w = self.width()
            data = [self.hdr("Subservice Organization", "Services Provided", "Treatment")]
            for o in subs:
                k = self.b.key("g")
                disp = o.get("display", o["legal"])
                self.b.item("subservice_organizations", self.sub_gold(o), anchor=disp, key=k)
                data.append([self.cell(disp, key=k), self.cell(o["services"]), self.cell(o["treat_text"])])
            self.table(data, [w * 0.3, w * 0.45, w * 0.25])
            self.b.add(Spacer(1, 6))
            return
        for o in subs:
            disp = o.get("display", o["legal"])
            text = f"{disp} {o['intro']}"
            k = self.b.key("g")
            self.b.item("subservice_organizations", self.sub_gold(o), anchor=text, key=k)
            if mode == "bullets":
                self.P(esc(text), "bullet", key=k, bulletText="\u2022")
            else:
                self.P(esc(text), key=k)
            if o.get("treat_text"):
                self.P(esc(o["treat_text"]))

    def sub_gold(self, o):
        g = {"name": o["legal"], "method": o["method"], "services": o["services"], "page": 0}
        if o.get("aliases"):
            g["aliases"] = o["aliases"]
        return g

    def csoc_part(self):
        S = self.S
        lay = S.get("csoc_layout")
        items = S.get("csocs", [])
        if not lay:
            return
        w = self.width()
        if lay == "id_table":
            data = [self.hdr("ID", "Subservice Organization", "Complementary Subservice Organization Control", "Criteria")]
            for i, (org, text, crit) in enumerate(items, 1):
                k = self.b.item("csocs", {"text": text, "subservice_organization": org["legal"], "criteria": crit,
                                          "page": 0}, anchor=text)
                data.append([self.cell(f"{S.get('csoc_prefix', 'CSOC')}{i}"), self.cell(org.get("short_print", org["legal"])),
                             self.cell(text, key=k), self.cell(", ".join(crit))])
            self.table(data, [w * 0.09, w * 0.2, w * 0.55, w * 0.16])
        elif lay == "table":
            data = [self.hdr("Subservice Organization", "Control Expected to Be in Place", "Related Criteria")]
            for org, text, crit in items:
                k = self.b.item("csocs", {"text": text, "subservice_organization": org["legal"], "criteria": crit,
                                          "page": 0}, anchor=text)
                data.append([self.cell(org.get("short_print", org["legal"])), self.cell(text, key=k),
                             self.cell(", ".join(crit))])
            self.table(data, [w * 0.22, w * 0.58, w * 0.2])
        elif lay == "multi_header":
            orgs = S["csoc_header_orgs"]
            head = [self.cell(S["csoc_header"], "cellh"), ""]
            data = [head, self.hdr("Complementary Control", "Control Objective")]
            for org, text, crit in items:
                k = self.b.item("csocs", {"text": text, "subservice_organization": None, "criteria": crit, "page": 0},
                                anchor=text)
                data.append([self.cell(text, key=k), self.cell(", ".join(crit))])
            self.table(data, [w * 0.75, w * 0.25], header_rows=2,
                       extra=[("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), self.col)])
        elif lay == "bullets_by_org":
            cur = None
            for org, text, crit in items:
                if org is not cur:
                    cur = org
                    self.h3(org.get("short_print", org["legal"]))
                k = self.b.item("csocs", {"text": text, "subservice_organization": org["legal"], "criteria": [],
                                          "page": 0}, anchor=text)
                self.P(esc(text), "bullet", key=k, bulletText="\u2013")
        elif lay == "prose":
            k0 = self.b.key("p")
            sents = []
            for org, text, crit in items:
                sents.append(text)
            para = " ".join(sents)
            # every sentence is one item; its page is the paragraph's (one short paragraph, checked below)
            for org, text, crit in items:
                self.b.item("csocs", {"text": text, "subservice_organization": org["legal"] if org else None,
                                      "criteria": [], "page": 0}, anchor=text, key=k0)
            self.b.add(KeepTogether([TP(esc(S.get("csoc_lead", "")) + " " + esc(para), self.st["body"], key=k0)]))
        self.b.add(Spacer(1, 6))

    def cuec_text(self, i):
        if self.S.get("cuec_texts"):
            return self.S["cuec_texts"][i], []
        verb, ger, crit = C.CUEC_ACTIONS[i]
        w = self.S["cuec_wording"]
        w = w[i % len(w)] if isinstance(w, list) else w
        s = self.short
        ph = (ger if "{ger}" in w else verb).replace("{s}", s)
        return w.replace("{ger}", ph).replace("{verb}", ph), crit

    def cuec_part(self):
        S = self.S
        lay = S["cuec"]
        w = self.width()
        if lay == "none":
            self.P(f"{esc(self.short)}’s controls were designed so that the applicable criteria can be met without "
                   f"any controls at user entities. Accordingly, no complementary user entity controls are required, "
                   f"and none are listed in this description.")
            return
        idx = S.get("cuec_idx", [])
        if S.get("cuec_lead"):
            self.P(esc(S["cuec_lead"]))
        if lay in ("bullets", "numbered", "paren"):
            for n, i in enumerate(idx, 1):
                text, crit = self.cuec_text(i)
                k = self.b.item("cuecs", {"text": text, "criteria": [], "page": 0}, anchor=text)
                mk = "\u2022" if lay == "bullets" else (f"{n}." if lay == "numbered" else f"({n})")
                self.P(esc(text), "bullet" if lay == "bullets" else "num", key=k, bulletText=mk)
        elif lay in ("table_first", "table_last", "table_num"):
            if lay == "table_first":
                data = [self.hdr("Criteria", S.get("cuec_colname", "Complementary User Entity Control"))]
            elif lay == "table_last":
                data = [self.hdr(S.get("cuec_colname", "Complementary User Entity Control"), "Related Criteria")]
            else:
                data = [self.hdr("#", S.get("cuec_colname", "User Entity Control"), "Criteria")]
            for n, i in enumerate(idx, 1):
                text, crit = self.cuec_text(i)
                ctext, crit = self.crit_print(crit, n)
                k = self.b.item("cuecs", {"text": text, "criteria": crit, "page": 0}, anchor=text)
                if lay == "table_first":
                    data.append([self.cell(ctext), self.cell(text, key=k)])
                elif lay == "table_last":
                    data.append([self.cell(text, key=k), self.cell(ctext)])
                else:
                    data.append([self.cell(str(n)), self.cell(text, key=k), self.cell(ctext)])
            widths = {"table_first": [w * 0.2, w * 0.8], "table_last": [w * 0.78, w * 0.22],
                      "table_num": [w * 0.06, w * 0.74, w * 0.2]}[lay]
            self.table(data, widths, zebra=True)
        elif lay == "grouped":
            for head, crits, members in S["cuec_groups"]:
                self.h3(head)
                for i in members:
                    text, _ = self.cuec_text(i)
                    k = self.b.item("cuecs", {"text": text, "criteria": crits, "page": 0}, anchor=text)
                    self.P(esc(text), "bullet", key=k, bulletText=S.get("cuec_marker", "\u2022"))
        elif lay == "co_table":
            data = [self.hdr("Control Objective", "User Organization Control Considerations")]
            spans = []
            for co, title, members in S["cuec_groups"]:
                spans.append(len(data))
                data.append([self.cell(f"Control Objective {co[3:]} – {title}", "cellb"), ""])
                for i in members:
                    text, _ = self.cuec_text(i)
                    k = self.b.item("cuecs", {"text": text, "criteria": [co], "page": 0}, anchor=text)
                    data.append([self.cell(co.replace("CO ", "CO ")), self.cell(text, key=k)])
            self.table(data, [w * 0.18, w * 0.82], spans=spans)
        self.b.add(Spacer(1, 6))

    def crit_print(self, crit, n):
        """How a row's criteria are printed, and the gold list (ranges expanded)."""
        if (len(crit) == 2 and crit[0].rsplit(".", 1)[0] == crit[1].rsplit(".", 1)[0]
                and int(crit[1].rsplit(".", 1)[1]) == int(crit[0].rsplit(".", 1)[1]) + 1):
            a, z = crit[0], crit[1]
            return f"{a} - {z}", list(crit)
        return ", ".join(crit), list(crit)

    # ---------------------------------------------------------- matrix
    def rows(self):
        S = self.S
        if S["framework"] == "SOC 1":
            return S["soc1_rows"]
        cats = set(S["tsc"])
        rows = [(c, a.replace("{s}", self.short), t) for c, a, t in C.CONTROLS if C.category(c) in cats]
        rows = rows[: S.get("max_rows", 200)]
        if S["type"] != "Type 2" or S["framework"] != "SOC 2" or not S.get("repeat_secondary", True):
            return rows
        # large firms list a control again under each further criterion it addresses
        M = S.get("matrix", {})
        keys = [e["match"] for e in M.get("exceptions", [])] + [e["match"] for e in M.get("other_results", [])]
        order = []
        for c, _, _ in rows:
            if c not in order:
                order.append(c)
        by = {c: [] for c in order}
        for n, (c, a, t) in enumerate(rows):
            by[c].append((c, a, t))
        for n, (c, a, t) in enumerate(rows):
            i = order.index(c)
            if n % 2 == 0 and i + 1 < len(order) and not any(k in a for k in keys):
                nxt = order[i + 1]
                if C.category(nxt) == C.category(c):
                    by[nxt].append((nxt, a, t))
        return [r for c in order for r in by[c]]

    def matrix(self):
        S, b = self.S, self.b
        M = S["matrix"]
        cols = M["cols"]  # list of (key, header, width fraction)
        land = M.get("landscape", False)
        w = self.width(land)
        rows = self.rows()
        excs = {e["match"]: e for e in M.get("exceptions", [])}
        other = {e["match"]: e["text"] for e in M.get("other_results", [])}
        used = set()
        data = [self.hdr(*[c[1] for c in cols])]
        spans = []
        cur_group = None
        counters = {}
        self.exc_rows = []
        per_objective_tables = M.get("split_by_group")
        tables = []
        for n, (crit, ctrl, test) in enumerate(rows, 1):
            grp = crit if M.get("group") == "crit" else (C.crit_group(crit) if M.get("group") == "family" else None)
            if S["framework"] == "SOC 1":
                grp = crit
            if grp and grp != cur_group:
                if per_objective_tables and cur_group is not None:
                    tables.append((cur_group, data, spans))
                    data, spans = [self.hdr(*[c[1] for c in cols])], []
                cur_group = grp
                spans.append(len(data))
                data.append([self.cell(M["group_fmt"](grp), "cellb")] + [""] * (len(cols) - 1))
            counters[crit] = counters.get(crit, 0) + 1
            cid = M["id_fmt"](crit, n, counters[crit]) if M.get("id_fmt") else None
            exc = next((e for m, e in excs.items() if m in ctrl and m not in used), None)
            result_cells = []
            if exc:
                used.add(exc["match"])
                k = b.key("g")
                gold = {"control_id": cid, "control": ctrl, "test": test, "description": exc["desc"],
                        "management_response": exc.get("resp"), "criteria": [crit] if S["framework"] != "SOC 1" else [crit],
                        "page": 0}
                b.item("exceptions", gold, anchor=exc["desc"], key=k)
                result_cells.append(self.cell(exc["desc"], key=k))
                if M.get("responses") == "inline":
                    result_cells.append(TP(f"<b>Management’s Response:</b> {esc(exc['resp'])}", self.st["cell"]))
                self.exc_rows.append((cid, crit, ctrl, exc))
            else:
                res = next((t for m, t in other.items() if m in ctrl), M["pass"])
                result_cells.append(self.cell(res))
            row = []
            for key, _, _ in cols:
                if key == "id":
                    row.append(self.cell(cid, "cellb" if M.get("bold_id") else "cell"))
                elif key == "crit":
                    row.append(self.cell(crit))
                elif key == "control":
                    row.append(self.cell(ctrl))
                elif key == "idcontrol":
                    row.append([self.cell(cid, "cellb"), self.cell(ctrl)])
                elif key == "test":
                    row.append(self.cell(test))
                elif key == "result":
                    row.append(result_cells)
                elif key == "resp":
                    row.append(self.cell(exc["resp"] if exc else "—"))
            data.append(row)
        tables.append((cur_group, data, spans))
        missing = set(excs) - used
        if missing:
            raise SystemExit(f"{S['id']}: exception rows not found: {missing}")
        widths = [w * c[2] for c in cols]
        for grp, data, spans in tables:
            if per_objective_tables:
                self.P(esc(M["group_fmt"](grp)), "h3")
                data = [data[0]] + data[2:]
                spans = []
            self.table(data, widths, spans=spans, zebra=M.get("zebra", False), ruled=M.get("ruled"))
            if M.get("responses") == "below":
                for cid, crit, ctrl, exc in self.exc_rows:
                    if crit == grp:
                        self.P(f"<b>Management’s response ({esc(cid or crit)}):</b> {esc(exc['resp'])}", "body")
            self.b.add(Spacer(1, 8))

    def responses_later(self, repeat_exception=False):
        for cid, crit, ctrl, exc in self.exc_rows:
            self.P(esc(f"Control {cid}" if cid else crit), "h3")
            if repeat_exception:
                self.P(f"<i>{esc(exc['desc'])}</i>")
            self.P(f"<b>Management’s Response:</b> {esc(exc['resp'])}")

    def exception_summary(self, title="Summary of Exceptions"):
        w = self.width()
        self.P(esc(title), "h3")
        data = [self.hdr("Control", "Criteria", "Exception Noted")]
        for cid, crit, ctrl, exc in self.exc_rows:
            data.append([self.cell(cid or ctrl), self.cell(crit), self.cell(exc["desc"])])
        self.table(data, [w * 0.25, w * 0.12, w * 0.63])


def make_templates(R: Report):
    S, T = R.S, R.T
    col = R.col
    fam = R.fam
    pagesize = T["pagesize"]

    def deco(c, doc):
        p = c.getPageNumber()
        w, h = c._pagesize
        c.saveState()
        m = T["margins"]
        if T.get("band"):
            c.setFillColor(col)
            c.rect(0, h - 18, w, 18, stroke=0, fill=1)
        if T.get("sidebar"):
            c.setFillColor(col)
            c.rect(0, 0, 10, h, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(fam[0], 7.5)
        if T.get("header"):
            l, r = T["header"]
            if l:
                c.drawString(m[0], h - m[2] + 22, l)
            if r:
                c.drawRightString(w - m[1], h - m[2] + 22, r)
            if T.get("header_rule"):
                c.setStrokeColor(col)
                c.setLineWidth(0.6)
                c.line(m[0], h - m[2] + 16, w - m[1], h - m[2] + 16)
        f = T.get("footer")
        if f:
            txt = f.format(p=p)
            pos = T.get("footer_pos", "center")
            y = m[3] - 24
            if pos == "center":
                c.drawCentredString(w / 2, y, txt)
            elif pos == "right":
                c.drawRightString(w - m[1], y, txt)
            else:
                c.drawString(m[0], y, txt)
            if T.get("footer_left"):
                c.drawString(m[0], y, T["footer_left"])
        c.restoreState()

    def overlay(c, doc):
        w, h = c._pagesize
        if T.get("watermark"):
            c.saveState()
            c.setFillColor(HexColor("#b8b8b8"))
            c.setFont("Helvetica", 26)
            c.translate(w / 2, h / 2)
            c.rotate(38)
            c.drawCentredString(0, 0, T["watermark"])
            c.restoreState()
        if T.get("stamp"):
            c.saveState()
            c.setStrokeColor(HexColor("#cc1111"))
            c.setFillColor(HexColor("#cc1111"))
            c.translate(w - 175, h - 95)
            c.rotate(9)
            c.setLineWidth(2)
            c.roundRect(0, 0, 140, 40, 6, stroke=1, fill=0)
            c.setFont("Helvetica-Bold", 11)
            c.drawCentredString(70, 24, T["stamp"][0])
            c.setFont("Helvetica", 8)
            c.drawCentredString(70, 10, T["stamp"][1])
            c.restoreState()

    def cover(c, doc):
        w, h = c._pagesize
        c.saveState()
        c.setFillColor(col)
        cs = T.get("cover_style", "band")
        if cs == "band":
            c.rect(0, h - 120, w, 120, stroke=0, fill=1)
        elif cs == "block":
            c.rect(0, 0, w * 0.28, h, stroke=0, fill=1)
        elif cs == "frame":
            c.setStrokeColor(col)
            c.setLineWidth(3)
            c.rect(30, 30, w - 60, h - 60, stroke=1, fill=0)
        elif cs == "rule":
            c.rect(T["margins"][0], h - 140, w - T["margins"][0] - T["margins"][1], 4, stroke=0, fill=1)
        c.restoreState()

    land = landscape(pagesize) if S["matrix"].get("landscape") else None
    return lambda doc: frame_templates(doc, pagesize, T["margins"], deco, overlay, cover=cover, land=land)
