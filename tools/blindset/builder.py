"""Compose one SOC report from a configuration and write NAME.pdf + NAME.expected.json."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from reportlab.lib import colors
from reportlab.platypus import (CondPageBreak, KeepTogether, NextPageTemplate, PageBreak, Paragraph, Spacer)

from . import content as C
from .engine import TP, Doc, Recorder, Styles, check_limits, esc, sha256, table, verify_pages

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

RESPONSES = [
    "Management agrees with the finding. The process owner has added an automated reminder and a weekly follow-up report so that the activity is completed within the required time.",
    "The affected items were remediated when identified. Management has updated the procedure and retrained the responsible team members.",
    "Management has implemented a system-enforced workflow step that prevents the activity from being completed without the required evidence.",
    "The responsible manager has been assigned to monitor completion monthly, and results are reported to the Risk Committee.",
    "Management accepts the observation. A compensating review was performed after period end and no inappropriate activity was identified.",
    "Management has automated the control so that it no longer depends on a manual step, effective after the end of the examination period.",
    "The team lead now reviews a completion dashboard each week and escalates overdue items to the department head.",
    "Management notes that the delay resulted from a staffing change; a backup reviewer has since been designated.",
]


def fmt_date(d: dt.date, style: str) -> str:
    m = MONTHS[d.month - 1]
    if style == "us":
        return f"{m} {d.day}, {d.year}"
    if style == "intl":
        return f"{d.day} {m} {d.year}"
    if style == "iso":
        return d.isoformat()
    if style == "abbr":
        return f"{d.day:02d}-{m[:3]}-{d.year}"
    if style == "num":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "ord":
        suf = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
        return f"{m} {d.day}{suf}, {d.year}"
    raise ValueError(style)


class Report:
    def __init__(self, cfg: dict):
        self.c = cfg
        self.rec = Recorder()
        self.s = Styles(cfg["font"], cfg.get("size", 10), cfg.get("accent", colors.black), cfg.get("head_font"),
                        cfg.get("justify", False))
        self.items = {"subservice_organizations": [], "csocs": [], "cuecs": [], "exceptions": []}
        self.checks = []  # (label, text, tag)
        self.n = 0
        self.co = cfg["co"]
        self.story = []

    # ------------------------------------------------------------ helpers
    def tag(self) -> str:
        self.n += 1
        return f"t{self.n}"

    def f(self, s: str) -> str:
        c = self.c
        return s.format(co=self.co, product=c.get("product", self.co), service=c.get("service", ""),
                        city=c.get("city", ""), founded=c.get("founded", "2012"), industry=c.get("industry", ""),
                        staff=c.get("staff", "200"))

    SOC1_WORDING = [("service commitments and system requirements were achieved based on the control objectives stated "
                     "in the description", "control objectives stated in the description were achieved"),
                    ("service commitments and system requirements would be achieved based on the control objectives "
                     "stated in the description", "control objectives stated in the description would be achieved"),
                    ("is responsible for its service commitments and system requirements and for designing",
                     "is responsible for stating the control objectives and for designing")]

    def p(self, text, style=None):
        if self.c["framework"] == "SOC 1":
            for a, b in self.SOC1_WORDING:
                text = text.replace(a, b)
        self.story.append(Paragraph(text, style or self.s.body))

    def h(self, level, text):
        st = {1: self.s.h1, 2: self.s.h2, 3: self.s.h3}[level]
        if level == 1:
            self.story.append(CondPageBreak(200))
        self.story.append(Paragraph(text, st))

    def d(self, d):
        return fmt_date(d, self.c.get("date_style", "us"))

    @property
    def period(self) -> str:
        c = self.c
        if c["type"] == "Type 1":
            return f"as of {self.d(c['period_end'])}"
        join = c.get("period_join", "to")
        return f"{self.d(c['period_start'])} {join} {self.d(c['period_end'])}"

    def section(self, key: str, title: str):
        """Start a numbered section on a new page, as the firm's template numbers them."""
        self.story.append(PageBreak())
        label = self.c["section_label"](self.c["sections"].index(key) + 1, title)
        self.story.append(Paragraph(label, self.s.h1))

    def add_item(self, lst, item, verify_text, tag):
        item["_tag"] = tag
        self.items[lst].append(item)
        self.checks.append((f"{lst}[{len(self.items[lst]) - 1}]", verify_text, tag))

    # ------------------------------------------------------------ content
    def scope_words(self) -> str:
        c = self.c
        if c["framework"] == "SOC 1":
            return "the control objectives stated in the description"
        names = {"security": "security", "availability": "availability", "confidentiality": "confidentiality",
                 "processing_integrity": "processing integrity", "privacy": "privacy"}
        cats = [names[x] for x in c["cats"]]
        s = cats[0] if len(cats) == 1 else ", ".join(cats[:-1]) + " and " + cats[-1]
        return f"the trust services criteria relevant to {s}"

    def cover_scope(self) -> str:
        names = {"security": "Security", "availability": "Availability", "confidentiality": "Confidentiality",
                 "processing_integrity": "Processing Integrity", "privacy": "Privacy"}
        cats = [names[x] for x in self.c["cats"]]
        return cats[0] if len(cats) == 1 else ", ".join(cats[:-1]) + (", and " if len(cats) > 2 else " and ") + cats[-1]

    def cover(self):
        c, s = self.c, self.s
        self.story.append(Spacer(1, c.get("cover_gap", 120)))
        kind = {"SOC 1": "System and Organization Controls (SOC) 1", "SOC 2": "System and Organization Controls (SOC) 2",
                "SOC 3": "SOC 3"}[c["framework"]]
        self.p(esc(c["company"]), s.title)
        if c["framework"] == "SOC 3":
            self.p(f"{kind} Report", s.subtitle)
            self.p(f"Report on the {esc(c['product'])} System Relevant to {self.cover_scope()}",
                   s.subtitle)
        else:
            self.p(f"{kind} {c['type_word']} Report", s.subtitle)
            if c["framework"] == "SOC 1":
                self.p(f"Report on {esc(self.co)}'s Description of Its {esc(c['product'])} System and the Suitability of "
                       "the Design and Operating Effectiveness of Controls", s.subtitle)
            else:
                self.p(f"Report on {esc(self.co)}'s Description of Its {esc(c['product'])} System Relevant to "
                       f"{self.cover_scope()}", s.subtitle)
        if c["type"] == "Type 1":
            self.p(f"As of {self.d(c['period_end'])}", s.subtitle)
        else:
            self.p(f"For the Period {self.period}", s.subtitle)
        self.story.append(Spacer(1, 80))
        self.p(f"Prepared by {esc(c['auditor'])}", s.center)
        if c.get("cover_note"):
            self.p(c["cover_note"], s.center)

    def toc(self):
        self.story.append(PageBreak())
        self.p(self.c.get("toc_title", "Table of Contents"), self.s.h1)
        rows = []
        for i, key in enumerate(self.c["sections"], 1):
            rows.append([Paragraph(self.c["section_label"](i, self.c["titles"][key]), self.s.body)])
        self.story.append(table(rows, [self.width()], ruled=False, repeat=0))

    def width(self):
        return self.docw

    def auditor_report(self):
        c, s = self.c, self.s
        self.section("auditor", c["titles"]["auditor"])
        fw = c["framework"]
        self.p(f"To the Management of {esc(c['company'])}:")
        self.h(3, "Scope")
        if fw == "SOC 3":
            self.p(f"We have examined {esc(self.co)}'s assertion that {esc(self.co)} maintained effective controls over "
                   f"its {esc(c['product'])} system to provide reasonable assurance that its service commitments and "
                   f"system requirements were achieved based on {self.scope_words()} (applicable trust services "
                   f"criteria) for the period {self.period}.")
        else:
            what = "the suitability of the design" + ("" if c["type"] == "Type 1" else " and operating effectiveness")
            self.p(f"We have examined {esc(self.co)}'s accompanying description of its {esc(c['product'])} system "
                   f"{'as of' if c['type'] == 'Type 1' else 'for the period'} "
                   f"{self.period.replace('as of ', '')} (description) and {what} of controls stated in the description "
                   f"to provide reasonable assurance that {esc(self.co)}'s service commitments and system requirements "
                   f"were achieved based on {self.scope_words()}.")
        subs = c.get("subservice", [])
        if subs:
            carve = [x for x in subs if x["method"] == "carve-out"]
            incl = [x for x in subs if x["method"] == "inclusive"]
            if carve:
                nm = " and ".join(x["short"] for x in carve)
                self.p(f"{esc(self.co)} uses subservice organizations ({esc(nm)}). The description includes only the "
                       f"controls of {esc(self.co)} and excludes controls of the subservice organizations. The description "
                       "also indicates that certain criteria can be met only if complementary subservice organization "
                       "controls assumed in the design of controls are suitably designed and operating effectively. Our "
                       "examination did not extend to controls of the subservice organizations.")
            if incl:
                nm = " and ".join(x["short"] for x in incl)
                self.p(f"The description includes the relevant controls of {esc(nm)}, a subservice organization of "
                       f"{esc(self.co)}, and our examination included those controls.")
        if c.get("cuec_count", 0):
            self.p("The description indicates that certain criteria can be met only if complementary user entity controls "
                   "assumed in the design of the controls are suitably designed and operating effectively. Our examination "
                   "did not extend to such complementary user entity controls.")
        self.h(3, "Service Organization's Responsibilities")
        self.p(f"{esc(self.co)} is responsible for its service commitments and system requirements and for designing, "
               "implementing and operating effective controls within the system to provide reasonable assurance that "
               "they were achieved. It has also provided the accompanying assertion about the description and the "
               "controls, and is responsible for preparing the description and assertion.")
        self.h(3, "Service Auditor's Responsibilities")
        self.p("Our responsibility is to express an opinion based on our examination. Our examination was conducted in "
               "accordance with attestation standards established by the American Institute of Certified Public "
               "Accountants. Those standards require that we plan and perform the examination to obtain reasonable "
               "assurance about whether, in all material respects, the description is presented in accordance with the "
               "description criteria and the controls were suitably designed"
               + ("" if c["type"] == "Type 1" else " and operating effectively") + ". We believe that the evidence we "
               "obtained is sufficient and appropriate to provide a reasonable basis for our opinion.")
        self.p("An examination involves performing procedures to obtain evidence about the presentation of the description "
               "and the suitability of the design" + ("" if c["type"] == "Type 1" else " and operating effectiveness")
               + " of controls. Our procedures included assessing the risks that the description is not fairly presented "
               "and that controls were not suitably designed or operating effectively, and testing those controls.")
        self.h(3, "Inherent Limitations")
        self.p("There are inherent limitations in any system of internal control, including the possibility of human error "
               "and the circumvention of controls. Projections of any evaluation of effectiveness to future periods are "
               "subject to the risk that controls may become inadequate because of changes in conditions.")
        if c["framework"] != "SOC 3" and c["type"] == "Type 2":
            self.h(3, "Description of Tests of Controls")
            self.p(f"The specific controls we tested and the nature, timing and results of those tests are presented in "
                   f"the section of this report titled \u201c{c['titles']['tests']}.\u201d")
        op = c["opinion"]
        if op in ("qualified", "adverse"):
            self.h(3, f"Basis for {op.title()} Opinion")
            t = self.tag()
            self.story.append(TP(esc(c["opinion_basis"]), s.body, tag=t, rec=self.rec))
        self.h(3, {"unqualified": "Opinion", "qualified": "Qualified Opinion", "adverse": "Adverse Opinion"}[op])
        lead = {"unqualified": "In our opinion, in all material respects,",
                "qualified": f"In our opinion, except for the effects of the matter described in the Basis for Qualified "
                             f"Opinion paragraph, in all material respects,",
                "adverse": "In our opinion, because of the significance of the matter described in the Basis for Adverse "
                           "Opinion paragraph,"}[op]
        if fw == "SOC 3":
            self.p(f"{lead} {esc(self.co)} maintained effective controls over the {esc(c['product'])} system throughout "
                   f"the period {self.period} to provide reasonable assurance that its service commitments and system "
                   f"requirements were achieved based on {self.scope_words()}.")
        elif op == "adverse":
            self.p(f"{lead} the controls stated in the description did not operate effectively throughout the period "
                   f"{self.period} to provide reasonable assurance that {esc(self.co)}'s service commitments and system "
                   f"requirements were achieved based on {self.scope_words()}.")
        else:
            parts = [f"the description presents the {esc(c['product'])} system that was designed and implemented "
                     f"{'as of' if c['type'] == 'Type 1' else 'throughout the period'} {self.period.replace('as of ', '')} "
                     "in accordance with the description criteria",
                     "the controls stated in the description were suitably designed to provide reasonable assurance "
                     f"that the service commitments and system requirements would be achieved based on {self.scope_words()}"]
            if c["type"] == "Type 2":
                parts.append("the controls stated in the description operated effectively throughout that period")
            self.p(f"{lead} " + "; ".join(f"({chr(97 + i)}) {x}" for i, x in enumerate(parts)) + ".")
        if fw != "SOC 3":
            self.h(3, "Restricted Use")
            self.p(f"This report is intended solely for the information and use of {esc(self.co)}, user entities of the "
                   f"{esc(c['product'])} system and prospective user entities, independent auditors and practitioners "
                   "providing services to such user entities, and regulators who have sufficient knowledge and "
                   "understanding of the matters described herein.")
        self.story.append(Spacer(1, 12))
        for line in c["signature"]:
            self.p(line)

    def assertion(self):
        c = self.c
        self.section("assertion", c["titles"]["assertion"])
        self.p(f"We have prepared the accompanying description of {esc(c['company'])}'s {esc(c['product'])} system "
               f"{'for the period ' + self.period if c['type'] != 'Type 1' else self.period} based on the description "
               f"criteria. The description is intended to provide report users with information about the system that "
               f"may be useful when assessing the risks arising from interactions with it.")
        if c.get("subservice"):
            self.p(f"{esc(self.co)} uses subservice organizations as described in the description. The description "
                   "indicates the complementary controls that are assumed in the design of our controls.")
        self.p(f"We confirm, to the best of our knowledge and belief, that the description presents the system in "
               f"accordance with the description criteria, and that the controls stated in the description were "
               f"suitably designed" + ("" if c["type"] == "Type 1" else " and operated effectively")
               + f" to provide reasonable assurance that the service commitments and system requirements were achieved "
               f"based on {self.scope_words()}" + (", except as described in the auditor's report." if
                                                    c["opinion"] != "unqualified" else "."))
        self.story.append(Spacer(1, 10))
        self.p(f"{esc(c['company'])}<br/>{esc(c.get('signer', 'Chief Executive Officer'))}")

    def prose(self, key, heading=None, repeat=1):
        if heading:
            self.h(2, heading)
        for _ in range(repeat):
            for t in C.PROSE[key]:
                self.p(esc(self.f(t)))

    def description(self):
        c, s = self.c, self.s
        self.section("description", c["titles"]["description"])
        self.prose("overview", c.get("h_overview", "Company Overview and Services Provided"))
        if c["framework"] != "SOC 1":
            self.prose("commitments", "Principal Service Commitments and System Requirements")
        if c["framework"] == "SOC 3":
            self.prose("boundaries", "System Boundaries")
        self.h(2, "Components of the System")
        self.prose("infrastructure", "Infrastructure")
        if c.get("tools_table"):
            self.p(f"{esc(self.co)} uses the following third-party tools in operating the system. These vendors are "
                   "managed under the vendor management program and are not subservice organizations.")
            rows = [[Paragraph("Tool", self.s.cellh), Paragraph("Purpose", self.s.cellh)]]
            rows += [[Paragraph(a, self.s.cell), Paragraph(b, self.s.cell)] for a, b in C.TOOLS]
            self.story.append(table(rows, [self.docw * 0.3, self.docw * 0.5], ruled=c["tools_table"] == "ruled"))
            self.story.append(Spacer(1, 8))
        self.prose("software", "Software")
        self.prose("people", "People")
        self.prose("data", "Data")
        self.prose("processes", "Processes and Procedures", repeat=c.get("process_repeat", 1))
        h = c.get("h_control_env", "Control Environment, Risk Assessment, Information and Communication, and Monitoring")
        self.h(2, h)
        self.prose("control_env", "Control Environment")
        self.prose("risk", "Risk Assessment Process")
        self.prose("info_comm", "Information and Communication")
        self.prose("monitoring", "Monitoring Activities")
        if c.get("narrative", True):
            self.h(2, c.get("h_narrative", "Description of Controls"))
            if c["framework"] == "SOC 1":
                groups = {}
                for crit, ctl, *_ in self.controls():
                    groups.setdefault(crit[0], []).append(ctl)
                for g, ctls in groups.items():
                    o = int(g.split()[1])
                    self.h(3, f"Control Objective {o}")
                    self.p(esc(C.SOC1_OBJECTIVES[o]))
                    self.p(esc(" ".join(ctls)))
            else:
                groups = {}
                for crit, ctl, *_ in self.controls():
                    groups.setdefault(C.family(crit[0]), []).append(ctl)
                for g, ctls in groups.items():
                    self.h(3, esc(C.CRITERIA_TITLES[g]) + f" ({g})")
                    self.p(esc(" ".join(ctls)))
                if c["framework"] == "SOC 3":
                    self.h(2, c.get("h_soc3_table", "Summary of Controls by Criterion"))
                    data = [[Paragraph("Criterion", s.cellh), Paragraph("Controls in Place", s.cellh)]]
                    for crit, ctl, *_ in self.controls():
                        data.append([Paragraph(", ".join(crit), s.cell), Paragraph(esc(ctl), s.cell)])
                    self.story.append(table(data, [self.docw * 0.18, self.docw * 0.82], ruled=False,
                                            zebra=colors.HexColor("#eef2f8")))
        if c["framework"] != "SOC 3" or c.get("soc3_subservice"):
            self.subservice_part()
        if c["framework"] != "SOC 3":
            self.cuec_part()

    # ------------------------------------------------------------ subservice + CSOCs
    def subservice_part(self):
        c, s = self.c, self.s
        subs = c.get("subservice", [])
        self.h(2, c.get("h_subservice", "Subservice Organizations"))
        if not subs:
            return
        self.p(f"{esc(self.co)} uses the following subservice organizations to provide parts of the system.")
        for sub in subs:
            t = self.tag()
            alias = ""
            if sub.get("aliases"):
                alias = " (" + " or ".join(f"\u201c{a}\u201d" for a in sub["aliases"]) + ")"
            txt = f"{esc(sub['name'])}{esc(alias)} provides {esc(sub['services'])}."
            if sub["method"] == "carve-out":
                txt += (" The carve-out method has been used: the controls of " + esc(sub["short"]) +
                        " are excluded from this description and from the scope of the examination."
                        if sub.get("explicit") else
                        f" This description does not include the controls of {esc(sub['short'])}, and the service "
                        f"auditor's examination did not extend to them.")
            else:
                txt += (f" The inclusive method has been used: the relevant controls of {esc(sub['short'])} are included "
                        "in this description and were tested by the service auditor." if sub.get("explicit") else
                        f" The description includes the relevant controls of {esc(sub['short'])}, which are presented "
                        f"together with those of {esc(self.co)} in the tests of controls.")
            self.story.append(TP(txt, s.body, tag=t, rec=self.rec))
            self.add_item("subservice_organizations", {"name": sub["name"], "aliases": sub.get("aliases", []),
                                                       "method": sub["method"], "services": sub["services"]},
                          sub["name"], t)
        carve = [x for x in subs if x["method"] == "carve-out" and x.get("csoc_kind")]
        if not carve:
            return
        self.h(2, c.get("h_csoc", "Complementary Subservice Organization Controls"))
        self.p(f"{esc(self.co)}'s controls are designed with the assumption that certain controls will be implemented by "
               "the subservice organizations. The following complementary subservice organization controls are expected "
               "to be in place.")
        layout = c["csoc_layout"]
        rows = []
        for sub in carve:
            csocs = C.CSOCS[sub["csoc_kind"]][: sub.get("csoc_count", 99)]
            name_used = sub.get("csoc_name", sub["short"])
            if layout == "bullets":
                self.h(3, esc(sub.get("heading", sub["short"])))
            sentences = []
            for crit, text in csocs:
                text = text.format(s=name_used, co=self.co)
                t = self.tag()
                item = {"text": text, "subservice_organization": sub["name"],
                        "criteria": crit if layout.startswith("table") else []}
                if layout == "bullets":
                    self.story.append(TP(esc(text), s.bullet, bulletText="\u2022", tag=t, rec=self.rec))
                    self.add_item("csocs", item, text, t)
                elif layout == "sentences":
                    sentences.append((item, text))
                else:
                    rows.append((sub, crit, text, t, item))
            if layout == "sentences":
                t = self.tag()
                para = " ".join(esc(x[1]) for x in sentences)
                self.story.append(KeepTogether([TP(para, s.body, tag=t, rec=self.rec)]))
                for item, text in sentences:
                    self.add_item("csocs", item, text, t)
        if layout.startswith("table"):
            crit_first = c.get("csoc_crit_first", False)
            hdr = ["Subservice Organization", "Criteria", "Complementary Subservice Organization Control"] if crit_first \
                else ["Subservice Organization", "Complementary Subservice Organization Control", "Related Criteria"]
            data = [[Paragraph(x, s.cellh) for x in hdr]]
            for sub, crit, text, t, item in rows:
                cp = Paragraph(", ".join(crit), s.cell)
                tp = TP(esc(text), s.cell, tag=t, rec=self.rec)
                nm = Paragraph(esc(sub.get("csoc_name", sub["short"])), s.cell)
                data.append([nm, cp, tp] if crit_first else [nm, tp, cp])
                self.add_item("csocs", item, text, t)
            w = self.docw
            widths = [w * 0.22, w * 0.16, w * 0.62] if crit_first else [w * 0.22, w * 0.58, w * 0.2]
            self.story.append(table(data, widths, ruled=layout == "table_ruled",
                                    header_bg=c.get("header_bg")))

    # ------------------------------------------------------------ CUECs
    def cuec_list(self):
        c = self.c
        n = c.get("cuec_count", 0)
        if c["framework"] == "SOC 1":
            src = [([f"CO {o}" for o in objs], t) for objs, t in C.SOC1_CUECS]
        else:
            src = [x for x in C.CUECS if C.in_scope(x[0], c["cats"])]
        out = []
        lead = c.get("cuec_lead", "User entities are responsible for")
        for i in range(n):
            crit, t = src[i % len(src)]
            if i >= len(src):
                raise ValueError(f"{c['name']}: only {len(src)} CUECs in scope")
            verb = t
            if lead.endswith(" for"):
                first, rest = verb.split(" ", 1)
                ing = {"notify": "notifying", "enable": "enabling", "approve": "approving", "remove": "removing",
                       "review": "reviewing", "protect": "protecting", "restrict": "restricting",
                       "transmit": "transmitting", "report": "reporting", "coordinate": "coordinating",
                       "test": "testing", "ensure": "ensuring", "establish": "establishing", "maintain": "maintaining",
                       "define": "defining", "classify": "classifying", "request": "requesting",
                       "reconcile": "reconciling", "obtain": "obtaining", "forward": "forwarding",
                       "secure": "securing", "evaluate": "evaluating", "communicate": "communicating", "assign": "assigning",
                       "configure": "configuring", "monitor": "monitoring",
                       "dispose": "disposing", "keep": "keeping", "submit": "submitting", "designate": "designating"}[first]
                verb = ing + " " + rest
            out.append((crit, self.f(f"{lead} {verb}.")))
        return out

    def cuec_part(self):
        c, s = self.c, self.s
        self.h(2, c.get("h_cuec", "Complementary User Entity Controls"))
        cuecs = self.cuec_list()
        if not cuecs:
            self.p(c.get("no_cuec_text", f"{esc(self.co)}'s controls were designed without assuming that complementary "
                                         "user entity controls would be implemented. Accordingly, no complementary user "
                                         "entity controls are required for the criteria to be met."))
            return
        for note in c.get("cuec_notes", []):
            self.p(esc(self.f(note)))
        self.p(f"{esc(self.co)}'s controls were designed with the assumption that certain controls would be implemented by "
               "user entities. The following complementary user entity controls should be in place at user entities to "
               "meet the applicable criteria. The list does not represent all controls that user entities should have.")
        layout = c["cuec_layout"]
        w = self.docw
        if layout in ("numbered", "lettered", "plain"):
            for i, (crit, text) in enumerate(cuecs):
                t = self.tag()
                if layout == "numbered":
                    para = TP(esc(text), s.listitem, bulletText=c.get("cuec_num_fmt", "{n}.").format(n=i + 1), tag=t,
                              rec=self.rec)
                elif layout == "lettered":
                    para = TP(esc(text), s.listitem, bulletText=f"({chr(97 + i)})", tag=t, rec=self.rec)
                else:
                    para = TP(esc(text), s.body, tag=t, rec=self.rec)
                self.story.append(para)
                self.add_item("cuecs", {"text": text, "criteria": []}, text, t)
        else:
            crit_first = layout == "table_first"
            fmt = c.get("cuec_crit_fmt", ", ")
            hdr = (["Related Criteria", "Complementary User Entity Control"] if crit_first else
                   ["Complementary User Entity Control", "Applicable Criteria"])
            if c["framework"] == "SOC 1":
                hdr = ["Control Objective(s)", "User Entity Control"] if crit_first else \
                    ["User Entity Control", "Control Objective(s)"]
            data = [[Paragraph(x, s.cellh) for x in hdr]]
            for crit, text in cuecs:
                t = self.tag()
                printed = fmt.join(crit)
                if c.get("co_long"):
                    printed = printed.replace("CO ", "Control Objective ")
                cp = Paragraph(printed, s.cell)
                tp = TP(esc(text), s.cell, tag=t, rec=self.rec)
                data.append([cp, tp] if crit_first else [tp, cp])
                self.add_item("cuecs", {"text": text, "criteria": list(crit)}, text, t)
            widths = [w * 0.2, w * 0.8] if crit_first else [w * 0.78, w * 0.22]
            self.story.append(table(data, widths, ruled=c.get("cuec_ruled", True), header_bg=c.get("header_bg"),
                                    split_in_row=True))

    # ------------------------------------------------------------ tests of controls
    def controls(self):
        c = self.c
        if c["framework"] == "SOC 1":
            rows = [([f"CO {o}"], ctl, test, dev, non) for o, ctl, test, dev, non in C.SOC1_CONTROLS]
        else:
            rows = [r for r in C.SOC2_CONTROLS if C.in_scope(r[0], c["cats"])]
        return [(crit, self.f(ctl), test, dev, non) for crit, ctl, test, dev, non in rows]

    def test_text(self, test):
        m = self.c["matrix"]
        pre = m.get("test_prefix", "")
        if pre:
            test = test[0].lower() + test[1:]
        return pre + test + m.get("test_suffix", "")

    def matrix(self):
        c, s = self.c, self.s
        m = c["matrix"]
        landscape = m.get("landscape", False)
        if landscape:
            self.story.append(NextPageTemplate("L"))
        self.section("tests", c["titles"]["tests"])
        w = self.docl if landscape else self.docw
        for para in m.get("intro", []):
            self.p(para)
        cols = m["cols"]  # (key, header, fraction)
        data = [[Paragraph(h, s.cellh) for _, h, _ in cols]]
        group_style = []
        rows = self.controls()
        exc_plan = dict(c.get("exceptions", []))  # control index -> wording index
        passing = m.get("passing", ["No exceptions noted."])
        last_group = None
        resp_i = 0
        fam_counter = {}
        for i, (crit, ctl, test, dev, non) in enumerate(rows):
            grp = crit[0] if c["framework"] == "SOC 1" else crit[0]
            if m.get("group_rows") and grp != last_group:
                last_group = grp
                if c["framework"] == "SOC 1":
                    o = int(grp.split()[1])
                    gt = f"<b>Control Objective {o}:</b> {esc(C.SOC1_OBJECTIVES[o])}"
                else:
                    gt = f"<b>{m.get('group_fmt', '{c}').format(c=grp)}</b> \u2013 {C.CRITERIA_TITLES[C.family(grp)]}"
                data.append([Paragraph(gt, s.cell)] + [""] * (len(cols) - 1))
                r = len(data) - 1
                group_style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r),
                                                             m.get("group_bg", colors.HexColor("#e8e8e8")))]
            fam = C.family(crit[0])
            if m.get("count_by") == "category":
                fam = "".join(ch for ch in fam if ch.isalpha())
            fam_counter[fam] = fam_counter.get(fam, 0) + 1
            cid = m["id_fmt"](i, crit[0], fam_counter[fam]) if m.get("id_fmt") else None
            crit_printed = m.get("crit_join", ", ").join(crit)
            # result
            result_cells, exc = None, None
            if i in exc_plan and dev:
                n, N, pop, finding = dev
                desc = c["wordings"][exc_plan[i]].format(n=n, N=N, pop=pop, finding=finding,
                                                         Pop=pop[0].upper() + pop[1:])
                t = self.tag()
                resp = RESPONSES[resp_i % len(RESPONSES)] if c.get("responses") else None
                resp_i += 1
                cell = [TP(esc(desc), s.cell, tag=t, rec=self.rec)]
                if resp and c["responses"] == "inline":
                    cell.append(Spacer(1, 3))
                    cell.append(Paragraph(f"<b>{c.get('resp_label', 'Management' + chr(39) + 's Response:')}</b> "
                                          f"{esc(resp)}", s.cell))
                result_cells = cell
                criteria = list(crit) if any(k == "criteria" for k, _, _ in cols) else [grp]
                exc = {"control_id": cid, "control": ctl, "test": self.test_text(test), "description": desc,
                       "management_response": resp, "criteria": criteria}
                self.add_item("exceptions", exc, desc, t)
            elif non and i in c.get("nonoccurrence", []):
                result_cells = [Paragraph(esc(m.get("non_fmt", "No {pop} occurred during the period; therefore, the "
                                                  "operating effectiveness of this control could not be tested.")
                                              .format(pop=pop_of(non), Pop=pop_of(non)[0].upper() + pop_of(non)[1:])),
                                          s.cell)]
            else:
                result_cells = [Paragraph(esc(passing[i % len(passing)]), s.cell)]
            row = []
            for key, _, _ in cols:
                if key == "id":
                    row.append(Paragraph(esc(cid), s.cell))
                elif key == "criteria":
                    row.append(Paragraph(esc(crit_printed).replace("\n", "<br/>"), s.cell))
                elif key == "control":
                    if m.get("id_in_control") and cid:
                        row.append([Paragraph(f"<b>{esc(cid)}</b>", s.cell), Paragraph(esc(ctl), s.cell)])
                    else:
                        row.append(Paragraph(esc(ctl), s.cell))
                elif key == "test":
                    row.append(Paragraph(esc(self.test_text(test)), s.cell))
                elif key == "sample":
                    row.append(Paragraph(f"{dev[1] if dev else 25} {m.get('sample_word', 'items')}", s.cell))
                elif key == "result":
                    row.append(result_cells)
            data.append(row)
            if exc is not None:
                exc["_cid"] = cid
        widths = [w * f for _, _, f in cols]
        self.story.append(table(data, widths, ruled=m.get("ruled", True), header_bg=c.get("header_bg"),
                                zebra=m.get("zebra"), split_in_row=m.get("split_in_row", False), extra=group_style))
        if landscape:
            self.story.append(NextPageTemplate("P"))

    def design_matrix(self):
        """Type 1: controls and criteria only."""
        c, s = self.c, self.s
        m = c["matrix"]
        self.section("tests", c["titles"]["tests"])
        for para in m.get("intro", []):
            self.p(para)
        cols = m["cols"]
        data = [[Paragraph(h, s.cellh) for _, h, _ in cols]]
        fam_counter = {}
        for i, (crit, ctl, test, dev, non) in enumerate(self.controls()):
            fam = C.family(crit[0])
            fam_counter[fam] = fam_counter.get(fam, 0) + 1
            cid = m["id_fmt"](i, crit[0], fam_counter[fam])
            vals = {"id": cid, "criteria": m.get("crit_join", ", ").join(crit), "control": ctl}
            data.append([Paragraph(esc(vals[k]), s.cell) for k, _, _ in cols])
        self.story.append(table(data, [self.docw * f for _, _, f in cols], ruled=m.get("ruled", True),
                                header_bg=c.get("header_bg")))

    def other_info(self):
        c, s = self.c, self.s
        self.section("other", c["titles"]["other"])
        self.p("The information in this section is presented by management to provide additional information and is not "
               "part of the description of the system. It has not been subjected to the procedures applied in the "
               "examination, and accordingly the service auditor expresses no opinion on it.")
        excs = self.items["exceptions"]
        if c.get("responses") == "section":
            self.h(2, "Management's Responses to Exceptions")
            for e in excs:
                self.h(3, f"Control {esc(e['control_id'])}")
                self.p(f"<b>Management's Response:</b> {esc(e['management_response'])}")
        for t in c.get("other_prose", []):
            self.p(esc(self.f(t)))

    # ------------------------------------------------------------ page decoration
    def on_page(self, canv, doc, orient):
        pn = canv.getPageNumber()
        if pn == 1 and not self.c.get("decorate_cover"):
            return
        self.c["decorate"](canv, doc, pn, self)

    # ------------------------------------------------------------ build
    def build(self, out: Path) -> dict:
        c = self.c
        name = c["name"]
        pdf = out / f"{name}.pdf"
        doc = Doc(pdf, c["pagesize"], c.get("margins", (72, 72, 72, 72)), self.on_page,
                  title=f"{c['company']} {c['framework']} Report", author=c["auditor"])
        self.docw, self.docl = doc.width_p, doc.width_l
        self.pagesize = c["pagesize"]
        self.cover()
        if c.get("toc", True):
            self.toc()
        self.auditor_report()
        self.assertion()
        self.description()
        if "tests" in c["sections"]:
            if c["type"] == "Type 1":
                self.design_matrix()
            else:
                self.matrix()
        if "other" in c["sections"]:
            self.other_info()
        doc.build(self.story)

        pages = check_limits(pdf)
        checks = []
        for label, text, tag in self.checks:
            checks.append((label, text, self.rec.pages[tag]))
        verify_pages(pdf, checks)
        if c["opinion"] != "unqualified":
            pass
        expected = {
            "schema_version": 1, "status": "ok", "error": None,
            "source": {"filename": pdf.name, "sha256": sha256(pdf), "pages": pages},
            "report": {"framework": c["framework"], "type": c["type"], "service_organization": c["company"],
                       "auditor": c["auditor"],
                       "period_start": None if c["type"] != "Type 2" and c["framework"] != "SOC 3"
                       else c["period_start"].isoformat(),
                       "period_end": c["period_end"].isoformat(), "opinion": c["opinion"],
                       "opinion_basis": c.get("opinion_basis") if c["opinion"] != "unqualified" else None,
                       "trust_services_criteria": [] if c["framework"] == "SOC 1" else list(c["cats"])},
        }
        for lst in ("subservice_organizations", "csocs", "cuecs", "exceptions"):
            out_items = []
            for it in self.items[lst]:
                it = dict(it)
                it["page"] = self.rec.pages[it.pop("_tag")]
                it.pop("_cid", None)
                out_items.append(it)
            expected[lst] = out_items
        (out / f"{name}.expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n",
                                                    encoding="utf-8")
        return expected


def pop_of(non: str) -> str:
    return non


def build(cfg: dict, out: Path) -> dict:
    return Report(cfg).build(out)
