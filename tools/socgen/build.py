"""Build a :class:`ReportSpec` from a :class:`Profile` and a seed.

Everything random goes through one ``random.Random(seed)`` so that a report
is reproducible byte for byte.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from . import vocab
from .controls import CATALOG, SOC1_PROCESS, ControlDef
from .criteria import (CC_SERIES_TITLE, SOC1_OBJECTIVES, TSC, category, criteria_in_scope, format_criteria,
                       format_objective_ref, series)
from .firms import FIRMS, FirmStyle
from .model import Csoc, Cuec, Group, ReportSpec, Row, SubOrg


@dataclass
class Profile:
    name: str
    seed: int
    firm: str
    company: str  # short name of a vocab.SERVICE_ORGS entry
    framework: str = "SOC 2"
    type: str | None = "Type 2"
    opinion: str = "unqualified"
    categories: tuple[str, ...] = ("security",)
    n_cuecs: int = 10
    cuec_format: str | None = None  # None: the firm's first choice; "none": report states none are required
    subs: tuple[tuple[str, str], ...] = ()  # (legal name, method)
    n_exceptions: int = 0
    response_placement: str | None = None
    verbosity: int = 2
    period: tuple[str, str] | None = None  # ISO start, end (start ignored for Type 1)
    date_style: str | None = None
    watermark: str | None = None
    non_occurrence: float = 0.35  # share of event-driven controls with no events in the period
    large_products: tuple[str, ...] = ()
    notes: str = ""
    features: tuple[str, ...] = field(default_factory=tuple)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MONTHS_ABBR = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]


def fmt_date(d: dt.date, style: str) -> str:
    if style == "uk":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == "numeric":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "abbrev":
        return f"{MONTHS_ABBR[d.month - 1]} {d.day}, {d.year}"
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def fmt_period(start: dt.date | None, end: dt.date, style: str) -> str:
    """The period as the opinion prints it ("May 1, 2024, to April 30, 2025")."""
    if start is None:
        return ("as at " if style == "uk" else "as of ") + fmt_date(end, style)
    if style == "us_long_comma":
        return f"{fmt_date(start, style)}, to {fmt_date(end, style)}"
    if style == "us_long_through":
        return f"{fmt_date(start, style)} through {fmt_date(end, style)}"
    if style == "numeric":
        return f"{fmt_date(start, style)} \u2013 {fmt_date(end, style)}"
    if style == "abbrev":
        return f"{fmt_date(start, style)} to {fmt_date(end, style)}"
    if style == "uk":
        return f"{fmt_date(start, style)} to {fmt_date(end, style)}"
    raise ValueError(style)


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def fill(text: str, ctx: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ctx.get(m.group(1), m.group(0))), text)


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s[:2] != s[:2].upper() else s


def upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


ROLES = ["Chief Information Security Officer", "Director of Compliance", "Vice President of Engineering",
         "Head of Infrastructure", "People Operations Manager", "Site Reliability Engineering Manager",
         "Director of IT", "Security Engineering Lead"]

AREA_CODES = {"CC1": "CE", "CC2": "IC", "CC3": "RA", "CC4": "MO", "CC5": "CA", "CC6": "AC", "CC7": "SO",
              "CC8": "CM", "CC9": "RM", "A1": "AV", "C1": "CF", "PI1": "PI", "P1": "PR", "P2": "PR",
              "P3": "PR", "P4": "PR", "P5": "PR", "P6": "PR", "P7": "PR", "P8": "PR"}
SOC1_AREA = {"access": "LA", "change": "CM", "operations": "OP", "backup": "BR", "physical": "PS", "setup": "CS",
             "input": "IN", "processing": "TP", "output": "OR", "reconciliation": "RC", "interfaces": "DI",
             "vendor": "VM"}
TSC_TO_OBJECTIVE = {"CC6.4": "physical", "A1.2": "backup", "CC6.1": "access", "CC6.3": "access", "CC6.2": "access",
                    "CC8.1": "change", "PI1.3": "processing", "PI1.4": "output", "CC7.2": "operations",
                    "CC7.1": "change", "CC6.5": "physical", "CC6.7": "interfaces", "CC7.3": "operations",
                    "CC7.4": "operations", "A1.1": "operations", "C1.2": "physical"}


class Builder:
    def __init__(self, profile: Profile):
        self.p = profile
        self.rng = random.Random(profile.seed)
        self.firm: FirmStyle = FIRMS[profile.firm]
        self.key_seq = 0

    def key(self, kind: str) -> str:
        self.key_seq += 1
        return f"{kind}{self.key_seq}"

    # ------------------------------------------------------------------ metadata
    def build(self) -> ReportSpec:
        p, rng, firm = self.p, self.rng, self.firm
        org = next(o for o in vocab.SERVICE_ORGS if o[1] == p.company)
        legal, short, system, summary = org
        auditor, city = vocab.FIRMS[p.firm]
        tools = dict(rng.choice(vocab.TOOLSETS))
        cloud_sub = next((s for s, _ in p.subs if s in ("Amazon Web Services, Inc.", "Microsoft Corporation", "Google LLC")), None)
        tools["cloud"] = {"Amazon Web Services, Inc.": "AWS", "Microsoft Corporation": "Azure", "Google LLC": "Google Cloud"}.get(cloud_sub, "cloud provider")
        tools["tool"] = tools["ticket"]
        self.ctx = dict(co=short, sys=system, legal=legal, **tools)

        start_s, end_s = p.period or ("2024-05-01", "2025-04-30")
        end = dt.date.fromisoformat(end_s)
        start = dt.date.fromisoformat(start_s) if p.type != "Type 1" else None
        report_date = end + dt.timedelta(days=rng.randint(21, 75))
        date_style = p.date_style or firm.date_style
        period_text = fmt_period(start, end, date_style)
        alt_style = rng.choice(["us_long_comma", "us_long_through", "abbrev"]) if date_style != "uk" else "uk"
        cover_period_text = fmt_period(start, end, alt_style if rng.random() < 0.5 else date_style)

        subs = []
        for i, (name, method) in enumerate(p.subs):
            rec = next(s for s in vocab.SUBSERVICE_ORGS if s[0] == name)
            subs.append(SubOrg(self.key("sub"), rec[0], list(rec[1]), rec[2], method, rec[3]))

        objectives: list[tuple[int, str]] = []
        if p.framework == "SOC 1":
            keys = ["setup", "input", "processing", "output", "reconciliation", "interfaces", "access", "change",
                    "operations", "backup", "physical", "vendor"]
            n = rng.randint(8, 11)
            chosen = keys[:4] + rng.sample(keys[4:], n - 4)
            chosen = [k for k in keys if k in chosen]
            statements = dict(SOC1_OBJECTIVES)
            objectives = [(i + 1, statements[k]) for i, k in enumerate(chosen)]
            self.objective_keys = {k: i + 1 for i, k in enumerate(chosen)}
            self.obj_ref_style = rng.choice(["short", "compact", "long"])
        # Round-robin over seeds so that every print style occurs in the corpus.
        self.crit_style = ["plain", "spaced", "range", "semicolon", "range_spaced"][(p.seed // 3) % 5]

        groups = self.build_groups(p.type == "Type 1" or p.framework == "SOC 3")
        self.assign_results(groups, start is not None and p.framework != "SOC 3")
        opinion_basis = self.opinion_basis(groups, period_text)

        cuec_format = p.cuec_format or firm.cuec_formats[0]
        spec = ReportSpec(
            name=p.name, seed=p.seed, firm=p.firm, framework=p.framework, type=p.type, legal_name=legal,
            short_name=short, system=system, system_summary=summary, auditor=auditor, auditor_city=city,
            period_start=start, period_end=end, report_date=report_date, period_text=period_text,
            cover_period_text=cover_period_text, opinion=p.opinion, opinion_basis=opinion_basis,
            categories=list(p.categories) if p.framework != "SOC 1" else [], objectives=objectives, tools=tools,
            third_party=rng.sample(vocab.THIRD_PARTY_TOOLS, rng.randint(9, 18)), subs=subs,
            csocs=self.build_csocs(subs), csoc_format=firm.csoc_format,
            cuecs=self.build_cuecs(cuec_format), cuec_format=cuec_format,
            cuec_heading=rng.choice(firm.cuec_headings), cuec_subject=self.cuec_subject,
            groups=groups, response_placement=p.response_placement or firm.response_placement,
            exception_label=firm.exception_labels[0], verbosity=p.verbosity, watermark=p.watermark,
            people=rng.sample(vocab.PEOPLE, 4), large_products=list(p.large_products),
        )
        return spec

    # ------------------------------------------------------------------ matrix
    def control_ids(self) -> callable:
        firm, counters = self.firm, {}

        def next_id(group_ref: str, area: str, seq_space: str) -> str:
            space = {"crit_seq": group_ref, "area": area, "num": seq_space, "prefix": ""}[firm.id_format]
            counters[space] = counters.get(space, 0) + 1
            n = counters[space]
            if firm.id_format == "crit_seq":
                return f"{group_ref}.{n}"
            if firm.id_format == "area":
                return f"{area}-{n:02d}"
            if firm.id_format == "num":
                return f"{seq_space}.{n:02d}"
            return ("C-" if firm.key == "marlowe" else "CR") + f"{n:03d}"

        return next_id

    def tests_for(self, c: ControlDef) -> list[str]:
        rng, style, ctx = self.rng, self.firm.test_style, self.ctx
        evidence, assertion = fill(c.evidence, ctx), fill(c.assertion, ctx)
        role = rng.choice(ROLES)
        that = {"that": "that", "whether": "whether", "labelled": "that", "uk": "that"}[style]
        determine = "confirm" if style == "uk" else rng.choice(["determine", "determine", "ascertain"])
        inquired = "Enquired" if style == "uk" else "Inquired"
        procs = [
            ("Inquiry", f"{inquired} of the {role} regarding the control to corroborate {that} {assertion}."),
            ("Inspection", f"Inspected {evidence} to {determine} {that} {assertion}."),
        ]
        extra = [
            ("Inspection", f"Inspected the relevant policies and procedures to {determine} {that} the control activity was formally documented and assigned to an owner."),
            ("Observation", f"Observed the {role} perform the control to {determine} {that} {assertion}."),
        ]
        if c.population:
            extra.append(("Inspection", f"For a sample of {c.population} selected from a system-generated listing, inspected supporting documentation to {determine} {that} {assertion}."))
            extra.append(("Inspection", "Inspected the system-generated population listing and the parameters used to produce it to determine that the population was complete and accurate."))
        else:
            extra.append(("Reperformance", f"Reperformed the control by inspecting the configuration directly in the system to {determine} {that} {assertion}."))
        n_extra = {1: rng.randint(0, 1), 2: rng.randint(0, 2), 3: rng.randint(2, 3)}[self.p.verbosity]
        chosen = ([procs[0]] if rng.random() < 0.6 else []) + [procs[1]] + rng.sample(extra, min(n_extra, len(extra)))
        if style == "labelled":
            return [f"{kind}: {text}" for kind, text in chosen]
        return [text for _, text in chosen]

    def design_tests_for(self, c: ControlDef) -> list[str]:
        """Type 1: tests of design and implementation only, no results column."""
        rng, ctx = self.rng, self.ctx
        role = rng.choice(ROLES)
        tests = [f"Inquired of the {role} regarding the design of the control.",
                 f"Inspected {fill(c.evidence, ctx)} to determine that the control was designed and implemented as of the "
                 f"date of the description."]
        if self.p.verbosity >= 2 and rng.random() < 0.5:
            tests.append("Inspected the relevant policies and procedures to determine that the control activity was "
                         "formally documented and assigned to an owner.")
        if self.firm.test_style == "labelled":
            tests = [("Inquiry: " if t.startswith("Inq") else "Inspection: ") + t for t in tests]
        return tests

    def build_groups(self, design_only: bool) -> list[Group]:
        p, rng, firm = self.p, self.rng, self.firm
        next_id = self.control_ids()
        has_crit_col = any(c.role == "criteria" for c in firm.columns)
        groups: list[Group] = []
        products = list(p.large_products) or [None]
        if p.framework == "SOC 1":
            for key, num in self.objective_keys.items():
                defs = [c for c in CATALOG if c.soc1 == key] + [c for k, c in SOC1_PROCESS if k == key]
                ref = format_objective_ref(num, self.obj_ref_style)
                canon = f"CO {num}"
                rows = []
                for prod in products:
                    for c in defs:
                        cid = next_id(f"CO{num}", SOC1_AREA[key], str(num))
                        if prod:
                            cid = f"{prod[:2].upper()}-{cid}"
                        rows.append(self.make_row(cid, c, [canon], ref if has_crit_col else "", design_only))
                statement = dict(SOC1_OBJECTIVES)[key]
                groups.append(Group(ref, "Controls provide reasonable assurance that " + statement, rows, [canon]))
            return groups

        in_scope = criteria_in_scope(list(p.categories))
        primary: dict[str, list[ControlDef]] = {c: [] for c in in_scope}
        for c in CATALOG:
            crits = [x for x in c.criteria if x in in_scope]
            if crits:
                primary[crits[0]].append(c)
        self.control_index: dict[ControlDef, Row] = {}
        for crit in in_scope:
            rows = []
            for prod in products:
                for c in primary[crit]:
                    crits = [x for x in c.criteria if x in in_scope]
                    cid = next_id(crit, AREA_CODES[series(crit)], series(crit).replace("CC", ""))
                    if prod:
                        cid = f"{prod[:2].upper()}-{cid}"
                    if has_crit_col:
                        row = self.make_row(cid, c, crits, format_criteria(crits, rng, self.crit_style), design_only)
                    else:
                        row = self.make_row(cid, c, [crit], "", design_only)
                    rows.append(row)
                    self.control_index.setdefault(c, row)
            groups.append(Group(crit, TSC[crit], rows, [crit]))
        return groups

    def make_row(self, cid: str, c: ControlDef, criteria: list[str], printed: str, design_only: bool) -> Row:
        text = fill(c.text, self.ctx)
        tests = self.design_tests_for(c) if design_only else self.tests_for(c)
        row = Row(cid, text, tests, criteria, printed)
        row._def = c  # type: ignore[attr-defined]
        return row

    def assign_results(self, groups: list[Group], operating: bool) -> None:
        p, rng, firm = self.p, self.rng, self.firm
        rows = [r for g in groups for r in g.rows]
        if not operating:
            return
        passes = vocab.PASS_RESULTS[firm.pass_results]
        candidates = [r for r in rows if r._def.failure]
        rng.shuffle(candidates)
        chosen = candidates[: p.n_exceptions]
        assert len(chosen) == p.n_exceptions, (p.name, len(candidates))
        for r in rows:
            c = r._def
            if r in chosen:
                self.make_exception(r)
            elif c.event and rng.random() < p.non_occurrence:
                r.result = [fill(rng.choice(vocab.NON_OCCURRENCE), {"event": c.event})]
            else:
                r.result = [rng.choice(passes)]
                if rng.random() < 0.04:
                    r.result = [r.result[0].rstrip(".") + "." + rng.choice(vocab.PASS_REMARKS)]
        # Cross references: a control that maps to several criteria is listed again
        # under the later ones and points back to where it was tested.
        if firm.grouping in ("span_row", "heading") and p.framework != "SOC 1" and not p.large_products:
            in_scope = {g.ref for g in groups}
            for g in groups:
                for c, row in self.control_index.items():
                    if g.ref in c.criteria[1:] and row.criteria[0] != g.ref and not row.exception_key and rng.random() < 0.7:
                        ref = Row(row.control_id, row.control,
                                  [f"Refer to the testing performed for control {row.control_id} under criterion {row.criteria[0]}."],
                                  [g.ref], "", [f"Refer to {row.criteria[0]}."], cross_ref=True)
                        ref._def = c  # type: ignore[attr-defined]
                        g.rows.append(ref)
            del in_scope

    def make_exception(self, r: Row) -> None:
        rng, firm = self.rng, self.firm
        c = r._def
        fail = fill(c.failure, self.ctx)
        if c.population:
            n = rng.choice([10, 15, 20, 25, 25, 40, 45, 60])
            k = rng.choice([1, 1, 2, 2, 3, 4]) if n > 10 else 1
            k_txt = vocab.NUM_WORDS[k] if rng.random() < 0.3 else str(k)
            pop = c.population
            frame = rng.choice(vocab.SAMPLE_FRAMES)
            desc = frame.format(k=k_txt, n=n, pop=pop, fail=fail)
            if k == 1:
                desc = desc.replace(" were identified", " was identified")
            desc = upper_first(desc)
        else:
            frame = rng.choice(vocab.CONFIG_FRAMES)
            desc = frame.format(evidence=fill(c.evidence, self.ctx), fail=fail, Fail=upper_first(fail))
        label = rng.choice(firm.exception_labels)
        if label and firm.label_separate_para:
            r.result = [label, desc]
        elif label:
            r.result = [f"{label} {desc}"]
        else:
            r.result = [desc]
        if rng.random() < 0.3:
            r.result.append(rng.choice(vocab.EXCEPTION_FOLLOW_UPS))
        r.exception_key = self.key("exc")
        if rng.random() < 0.85:
            opener = fill(rng.choice(vocab.MGMT_RESPONSE_OPENERS), self.ctx)
            body = fill(rng.choice(vocab.MGMT_RESPONSE_BODIES), dict(self.ctx, pop=c.population or "items"))
            closer = rng.choice(vocab.MGMT_RESPONSE_CLOSERS)
            r.response = " ".join(x for x in (opener, body, closer) if x)

    def opinion_basis(self, groups: list[Group], period_text: str) -> str | None:
        p, co = self.p, self.ctx["co"]
        if p.opinion == "unqualified":
            return None
        exc = [r for g in groups for r in g.rows if r.exception_key]
        if p.opinion == "disclaimer":
            return (f"{co} was unable to provide complete system-generated populations of changes, new user access requests, "
                    f"and terminated users for the period covered by this report because the records were deleted during the "
                    f"migration of its ticketing system to {self.ctx['ticket']}. As a result, we were unable to obtain sufficient "
                    f"appropriate evidence about whether the controls stated in the description operated effectively throughout the period.")
        if p.type == "Type 1" or not exc:
            return (f"{co} states in its description that changes to the production environment are approved by a second engineer "
                    f"before they are deployed. However, as of the date of the description, the deployment pipeline permitted "
                    f"engineers to deploy changes they had authored without an independent approval, and no detective control "
                    f"was designed to identify such changes. As a result, the controls were not suitably designed to provide "
                    f"reasonable assurance that {co}'s service commitments and system requirements would be achieved based on "
                    f"the applicable trust services criteria.")
        if p.opinion == "qualified":
            r = exc[0]
            core = lower_first(r.result[1] if len(r.result) > 1 and r.result[0] in self.firm.exception_labels else r.result[0])
            for lab in self.firm.exception_labels:
                if lab and core.lower().startswith(lab.lower()):
                    core = lower_first(core[len(lab):].strip())
            target = ("the control objective " + r.criteria[0]) if p.framework == "SOC 1" else ("criterion " + r.criteria[0])
            return (f"{co} states in its description that {lower_first(r.control).rstrip('.')}. However, as noted in the "
                    f"results of tests for control {r.control_id}, {core.rstrip('.')}. As a result, controls were not "
                    f"operating effectively throughout the period {period_text} to achieve {target}.")
        # adverse
        listed = "; ".join(f"control {r.control_id}: {lower_first(r._def.failure and fill(r._def.failure, self.ctx))}" for r in exc[:4])
        return (f"Our tests of the operating effectiveness of controls identified deficiencies that, individually or in "
                f"the aggregate, are pervasive, including the following: {listed}. As a result, the controls stated in the "
                f"description did not operate effectively throughout the period {period_text}.")

    # ------------------------------------------------------------------ complementary controls
    def build_cuecs(self, fmt: str) -> list[Cuec]:
        p, rng = self.p, self.rng
        self.cuec_subject = rng.choice(vocab.CUEC_SUBJECTS)
        if fmt == "none" or p.n_cuecs == 0:
            return []
        ctx = dict(self.ctx, subject=self.cuec_subject)
        with_criteria = fmt in ("table", "grouped")
        out = []
        if p.framework == "SOC 1":
            pool = [(t, [f"CO {self.objective_keys[k]}" for k in ks if k in self.objective_keys]) for t, ks in vocab.CUECS_SOC1]
            pool = [(t, c) for t, c in pool if c]
        else:
            scope = set(criteria_in_scope(list(p.categories)))
            pool = [(t, [c for c in cs if c in scope]) for t, cs in vocab.CUECS]
            pool = [(t, c) for t, c in pool if c]
        picked = rng.sample(pool, min(p.n_cuecs, len(pool)))
        if fmt == "grouped":
            order = list(TSC)
            picked.sort(key=lambda tc: [order.index(c) if c in order else int(c.split()[-1]) for c in tc[1]])
        for text, crits in picked:
            if p.framework == "SOC 1":
                printed = ", ".join(format_objective_ref(int(c.split()[-1]), self.obj_ref_style) for c in crits)
            else:
                printed = format_criteria(crits, rng, self.crit_style)
            out.append(Cuec(self.key("cuec"), fill(text, ctx), crits if with_criteria else [], printed if with_criteria else ""))
        return out

    def build_csocs(self, subs: list[SubOrg]) -> list[Csoc]:
        p, rng = self.p, self.rng
        out = []
        scope = set(criteria_in_scope(list(p.categories))) if p.framework != "SOC 1" else None
        for s in subs:
            if s.method != "carve-out":
                continue
            pool = vocab.CSOCS[s.kind]
            n = rng.randint(min(2, len(pool)), len(pool))
            for text, crits in pool[:n]:
                if p.framework == "SOC 1":
                    objs = sorted({self.objective_keys[TSC_TO_OBJECTIVE[c]] for c in crits
                                   if TSC_TO_OBJECTIVE.get(c) in self.objective_keys})
                    crits = [f"CO {n}" for n in objs]
                    printed = ", ".join(format_objective_ref(n, self.obj_ref_style) for n in objs)
                else:
                    crits = [c for c in crits if c in scope]
                    printed = format_criteria(crits, rng, self.crit_style) if crits else ""
                with_criteria = self.firm.csoc_format == "table"
                out.append(Csoc(self.key("csoc"), fill(text, dict(self.ctx, sub=s.short)), s,
                                crits if with_criteria else [], printed if with_criteria else ""))
        return out


def build(profile: Profile) -> ReportSpec:
    return Builder(profile).build()
