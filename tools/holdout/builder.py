"""Turn a Spec into document blocks plus the ground truth they carry.

The renderers only lay the blocks out; everything that ends up in the
expected JSON is decided here, from the same strings that are printed.
"""
from __future__ import annotations

import random
import re
from datetime import date

from . import bank
from .model import GroupRow, Heading, Item, ListBlock, PageBreak, Para, Signature, Table, TOC, Truth
from .spec import Spec

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ROMAN = ["I", "II", "III", "IV", "V", "VI"]
TSC_NAMES = {"security": "security", "availability": "availability",
             "processing_integrity": "processing integrity",
             "confidentiality": "confidentiality", "privacy": "privacy"}
TSC_PREFIX = {"security": "CC", "availability": "A", "processing_integrity": "PI",
              "confidentiality": "C", "privacy": "P"}


def fmt_date(d: date, style: str) -> str:
    if style == "intl":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == "numeric":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def fmt_period(s: Spec, style: str | None = None, joiner: str | None = None) -> str:
    style = style or s.date_style
    a, b = fmt_date(s.period_start, style), fmt_date(s.period_end, style)
    if joiner is None:
        joiner = {"us": ", to ", "intl": " through ", "numeric": " – "}[style]
    return a + joiner + b


def crit_key(c: str):
    m = re.match(r"([A-Z]+)(\d+)\.(\d+)", c)
    return m.group(1), int(m.group(2)), int(m.group(3))


def crit_fmt(cs: list[str], style: str) -> str:
    """Print a criteria list; ranges only for consecutive criteria in one series."""
    if style == "spaced":
        return ", ".join(re.sub(r"^([A-Z]+)", r"\1 ", c) for c in cs)
    if style == "newline":
        return "\n".join(cs)
    if style not in ("range_hyphen", "range_endash"):
        return ", ".join(cs)
    dash = " - " if style == "range_hyphen" else "–"
    runs, cur = [], [cs[0]]
    for c in cs[1:]:
        p, q = crit_key(cur[-1]), crit_key(c)
        if p[0] == q[0] and p[1] == q[1] and q[2] == p[2] + 1:
            cur.append(c)
        else:
            runs.append(cur)
            cur = [c]
    runs.append(cur)
    out = []
    for r in runs:
        out.append(r[0] + dash + r[-1] if len(r) >= 3 else ", ".join(r))
    return ", ".join(out)


def lc_first(sentence: str) -> str:
    first = sentence.split(" ", 1)[0]
    if first in {"The", "A", "An", "Access", "Management", "Employees", "Changes", "Customer",
                 "Data", "Production", "Security", "System", "Logical", "Administrative",
                 "Visitors", "Laptops", "Company", "Critical", "Agreements", "Infrastructure",
                 "Encryption", "Password", "New", "Information", "Internal", "Backup", "Input",
                 "Automated", "Batch", "Output", "Inputs", "Personal", "Explicit", "Unauthorized",
                 "Privacy", "Remote", "Emergency", "Branch", "Job", "Processing", "Control",
                 "Payroll", "Application", "Developers", "User", "Privileged", "Scheduled",
                 "Exception", "Quarterly", "Tax", "Agency", "Employee", "Identity", "Endpoint",
                 "Policies", "An", "Background", "Security", "Customers"}:
        return first.lower() + sentence[len(first):]
    return sentence


class Builder:
    def __init__(self, s: Spec):
        self.s = s
        self.rng = random.Random(s.seed)
        self.blocks: list = []
        self.truth = Truth(
            framework=s.framework, rtype=s.rtype, service_organization=s.company, auditor=s.firm,
            period_start=s.period_start if s.rtype == "Type 2" or (s.framework == "SOC 3" and s.period_start) else None,
            period_end=s.period_end, opinion=s.opinion, opinion_basis=None,
            tsc=list(s.tsc) if s.framework != "SOC 1" else [])
        self.section_no = 0
        self.rows_meta = []   # filled by the matrix builder

    # -- helpers -------------------------------------------------------------
    def t(self, text: str) -> str:
        return text.replace("{co}", self.s.co)

    def add(self, *blocks):
        self.blocks.extend(blocks)

    def section(self, title: str, new_page=True):
        self.section_no += 1
        n = self.section_no
        num = {"roman": ROMAN[n - 1], "arabic": str(n), "alpha": "ABCDEF"[n - 1], "none": None}[self.s.numbering]
        self.add(Heading(1, title, num, True, new_page))

    def sub(self, title: str, level=2, toc=None):
        self.add(Heading(level, title, None, level == 2 if toc is None else toc))

    def p(self, text: str, kind="body"):
        self.add(Para(self.t(text), kind))

    @property
    def period_phrase(self):
        s = self.s
        if s.rtype == "Type 1":
            return "as of " + fmt_date(s.period_end, s.date_style)
        return "throughout the period " + fmt_period(s)

    @property
    def tsc_phrase(self):
        names = [TSC_NAMES[t] for t in self.s.tsc]
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + (", and " if len(names) > 2 else " and ") + names[-1]

    def carved(self):
        return [(k, m) for k, m in self.s.subservice if m == "carve-out"]

    # -- build ---------------------------------------------------------------
    def build(self):
        s = self.s
        if s.toc:
            self.add(TOC())
        self.opinion_section()
        self.assertion_section()
        if s.framework == "SOC 3":
            self.soc3_description()
        else:
            self.description_section()
            self.tests_section()
            self.other_info_section()
        return self.blocks, self.truth

    # -- section I -------------------------------------------------------------
    def opinion_section(self):
        s, co = self.s, self.s.co
        title = {"SOC 3": "Report of Independent Accountants"}.get(s.framework, "Independent Service Auditor's Report")
        self.section(title, new_page=True)
        self.p(f"To the Board of Directors and Management of {s.company}:", "label")
        self.sub("Scope", 3, False)
        if s.framework == "SOC 1":
            self.p(f"We have examined {s.company}'s (\"{co}\") description of its payroll processing and tax filing system entitled \"Description of the Payroll Services System\" for processing user entities' transactions {self.period_phrase} (the description) and the suitability of the design and operating effectiveness of the controls included in the description to achieve the related control objectives stated in the description, based on the criteria identified in \"{co}'s Assertion\" (the assertion). The controls and control objectives included in the description are those that management of {co} believes are likely to be relevant to user entities' internal control over financial reporting.")
        elif s.framework == "SOC 3":
            self.p(f"We have examined {s.company}'s (\"{co}\") assertion that the controls within its {s.business} system (the system) were effective {self.period_phrase} to provide reasonable assurance that {co}'s service commitments and system requirements were achieved based on the trust services criteria relevant to {self.tsc_phrase} (applicable trust services criteria) set forth in TSP section 100, 2017 Trust Services Criteria for Security, Availability, Processing Integrity, Confidentiality, and Privacy (AICPA, Trust Services Criteria).")
        else:
            design = "suitability of the design of controls stated in the description" if s.rtype == "Type 1" else "suitability of the design and operating effectiveness of controls stated in the description"
            titled = f'titled "{co} System Description" ' if self.rng.random() < 0.5 else ""
            self.p(f"We have examined {s.company}'s (\"{co}\" or \"the service organization\") accompanying description of its {s.business} system {titled}{self.period_phrase} (description) based on the criteria for a description of a service organization's system set forth in DC section 200, 2018 Description Criteria for a Description of a Service Organization's System in a SOC 2 Report (description criteria), and the {design} {self.period_phrase} to provide reasonable assurance that {co}'s service commitments and system requirements were achieved based on the trust services criteria relevant to {self.tsc_phrase} (applicable trust services criteria) set forth in TSP section 100, 2017 Trust Services Criteria for Security, Availability, Processing Integrity, Confidentiality, and Privacy (AICPA, Trust Services Criteria).")
        if s.subservice:
            names = [bank.SUBSERVICE[k] for k, _ in s.subservice]
            carved = [bank.SUBSERVICE[k] for k, m in s.subservice if m == "carve-out"]
            incl = [bank.SUBSERVICE[k] for k, m in s.subservice if m == "inclusive"]
            lst = "; ".join(f"{n[0]} (\"{n[1]}\") for {n[2]}" for n in names)
            self.p(f"{co} uses the following subservice organizations: {lst}.")
            if carved:
                cn = ", ".join(n[1] for n in carved)
                if s.method_wording == "explicit":
                    self.p(f"The description indicates that complementary subservice organization controls that are suitably designed and operating effectively are necessary, along with controls at {co}, to achieve {co}'s service commitments and system requirements. The description presents {co}'s controls and the types of complementary subservice organization controls assumed in the design of {co}'s controls, and uses the carve-out method for {cn}. Our examination did not include the services provided by {cn}, and we have not evaluated the suitability of the design or operating effectiveness of such complementary subservice organization controls.")
                else:
                    self.p(f"The description includes only the controls of {co} and excludes the controls of {cn}. Certain criteria can be met only if controls at {cn}, contemplated in the design of {co}'s controls, are suitably designed and operating effectively. Our examination did not extend to controls at {cn}, and we have not evaluated the suitability of the design or operating effectiveness of such controls.")
            if incl:
                inn = ", ".join(n[1] for n in incl)
                if s.method_wording == "explicit":
                    self.p(f"The description presents {inn}'s controls using the inclusive method; accordingly, our examination included the relevant controls of {inn}.")
                else:
                    self.p(f"The description includes the relevant controls of {inn}, and our examination extended to those controls.")
        if s.cuec_layout != "none_needed" and s.framework != "SOC 3":
            self.p(f"The description also indicates that certain {'control objectives' if s.framework == 'SOC 1' else 'criteria'} can be achieved only if complementary user entity controls assumed in the design of {co}'s controls are suitably designed and operating effectively, along with related controls at {co}. Our examination did not include such complementary user entity controls, and we have not evaluated the suitability of the design or operating effectiveness of such controls.")
        self.sub("Service Organization's Responsibilities", 3, False)
        self.p(f"{co} is responsible for its service commitments and system requirements and for designing, implementing, and operating effective controls within the system to provide reasonable assurance that {co}'s service commitments and system requirements were achieved. {co} has provided the accompanying assertion about the {'effectiveness of controls' if s.framework == 'SOC 3' else 'description and the suitability of design' + ('' if s.rtype == 'Type 1' else ' and operating effectiveness') + ' of controls'}. {co} is also responsible for preparing the description and assertion, including the completeness, accuracy, and method of presentation of the description and assertion; providing the services covered by the description; selecting the applicable criteria and stating the related controls in the description; and identifying the risks that threaten the achievement of the service organization's service commitments and system requirements.")
        self.sub("Service Auditor's Responsibilities", 3, False)
        if s.opinion == "disclaimer":
            self.p("Our responsibility is to express an opinion on the description and on the suitability of the design and operating effectiveness of controls stated in the description based on conducting the examination in accordance with attestation standards established by the American Institute of Certified Public Accountants. Because of the matter described in the Basis for Disclaimer of Opinion paragraph, however, we were not able to obtain sufficient appropriate evidence to provide a basis for an opinion.")
        else:
            self.p("Our responsibility is to express an opinion on the description and on the suitability of design" + ("" if s.rtype == "Type 1" else " and operating effectiveness") + " of controls stated in the description based on our examination. Our examination was conducted in accordance with attestation standards established by the American Institute of Certified Public Accountants. Those standards require that we plan and perform our examination to obtain reasonable assurance about whether, in all material respects, the description is presented in accordance with the description criteria and the controls stated therein were suitably designed" + ("" if s.rtype == "Type 1" else " and operated effectively") + " to provide reasonable assurance that the service organization's service commitments and system requirements were achieved based on the applicable trust services criteria. We believe that the evidence we obtained is sufficient and appropriate to provide a reasonable basis for our " + ("modified " if s.opinion in ("qualified", "adverse") else "") + "opinion.")
            self.p("An examination of the description of a service organization's system and the suitability of the design" + ("" if s.rtype == "Type 1" else " and operating effectiveness") + " of controls involves performing procedures to obtain evidence about the fairness of the presentation of the description and the suitability of the design" + ("" if s.rtype == "Type 1" else " and operating effectiveness") + " of those controls. Our procedures included assessing the risks that controls were not suitably designed" + ("" if s.rtype == "Type 1" else " or did not operate effectively") + ", and testing the operating effectiveness of those controls that we consider necessary to provide reasonable assurance. Our examination also included evaluating the overall presentation of the description.")
        self.p("We are required to be independent and to meet our other ethical responsibilities in accordance with relevant ethical requirements relating to the examination engagement.")
        self.sub("Inherent Limitations", 3, False)
        self.p("The description is prepared to meet the common needs of a broad range of report users and may not, therefore, include every aspect of the system that individual users may consider important to meet their informational needs. There are inherent limitations in the effectiveness of any system of internal control, including the possibility of human error and the circumvention of controls. Because of their nature, controls may not always operate effectively to provide reasonable assurance that the service organization's service commitments and system requirements are achieved. Also, the projection to the future of any conclusions about the suitability of the design or operating effectiveness of controls is subject to the risk that controls may become inadequate because of changes in conditions or that the degree of compliance with the policies or procedures may deteriorate.")
        if s.rtype == "Type 2" and s.framework != "SOC 3":
            self.sub("Description of Tests of Controls", 3, False)
            self.p(f"The specific controls we tested and the nature, timing, and results of those tests are listed in {self.ref_tests()}.")
        basis = self.opinion_basis()
        if basis:
            label = {"qualified": "Basis for Qualified Opinion", "adverse": "Basis for Adverse Opinion",
                     "disclaimer": "Basis for Disclaimer of Opinion"}[s.opinion]
            self.sub(label, 3, False)
            self.p(basis)
            self.truth.opinion_basis = basis
        self.sub({"unqualified": "Opinion", "qualified": "Qualified Opinion", "adverse": "Adverse Opinion",
                  "disclaimer": "Disclaimer of Opinion"}[s.opinion], 3, False)
        self.opinion_paragraph()
        if s.framework != "SOC 3":
            self.sub("Restricted Use", 3, False)
            self.p(f"This report{', including the description of tests of controls and results thereof in ' + self.ref_tests() + ',' if s.rtype == 'Type 2' else ''} is intended solely for the information and use of {co}; user entities of {co}'s {s.business} system during some or all of the period covered; business partners of {co} subject to risks arising from interactions with the system; practitioners providing services to such user entities and business partners; prospective user entities and business partners; and regulators who have sufficient knowledge and understanding of the matters described therein. This report is not intended to be, and should not be, used by anyone other than these specified parties.")
        self.add(Signature(s.firm, s.city, fmt_date(s.report_date, s.date_style)))

    def ref_tests(self):
        n = 4
        num = {"roman": "IV", "arabic": "4", "alpha": "D", "none": None}[self.s.numbering]
        return f"{self.s.section_word or 'Section'} {num}" if num else "the section titled \"" + self.tests_title() + "\""

    def tests_title(self):
        if self.s.framework == "SOC 1":
            return "Control Objectives, Related Controls, and Tests of Operating Effectiveness"
        if self.s.rtype == "Type 1":
            return "Trust Services Criteria and Related Controls"
        return self.s.__dict__.get("tests_title_override") or "Trust Services Criteria, Related Controls, and Tests of Controls"

    def opinion_basis(self):
        s, co = self.s, self.s.co
        if s.opinion == "qualified":
            k = s.exceptions[0][0]
            crit = bank.CONTROLS[k][0] if k in bank.CONTROLS else []
            d = bank.DEFECTS.get(k)
            what = f"for {d[2]} of {d[1]} {d[0]} sampled, {d[3]}" if d else bank.SINGLE_FINDINGS[k][0].rstrip(".").lower()
            return (f"{self.ref_tests()} of this report states that {co} revokes logical access for terminated employees within one business day. However, as noted in {self.ref_tests()}, {what}. As a result, controls were not operating effectively to provide reasonable assurance that {co}'s service commitments and system requirements were achieved based on trust services criteria {', '.join(crit[:-1]) + ' and ' + crit[-1] if len(crit) > 1 else crit[0]} {self.period_phrase}."
                    if k == "termination" else
                    f"As noted in {self.ref_tests()}, {what}. As a result, the related control was not operating effectively to provide reasonable assurance that {co}'s service commitments and system requirements were achieved based on trust services criterion {crit[0]} {self.period_phrase}.")
        if s.opinion == "adverse":
            return (f"Our tests of operating effectiveness identified deviations in controls over the removal of logical access, the approval of changes to production systems, and the remediation of vulnerabilities, as described in {self.ref_tests()}. In addition, the description states that {co} performs an annual risk assessment; however, no risk assessment was completed during the period. Because of the nature and pervasiveness of these deviations, the controls stated in the description did not operate effectively to provide reasonable assurance that {co}'s service commitments and system requirements were achieved based on the applicable trust services criteria.")
        if s.opinion == "disclaimer":
            return (f"{co} was unable to provide complete and accurate populations of changes deployed to production systems and of user accounts created during the period, because the ticketing system used for these activities was migrated in the middle of the period and historical records were not retained. We were unable to obtain sufficient appropriate evidence by other means to test the operating effectiveness of controls over change management and user provisioning, and the possible effects of this matter on the suitability of the design and operating effectiveness of controls could be both material and pervasive.")
        return None

    def opinion_paragraph(self):
        s, co = self.s, self.s.co
        if s.framework == "SOC 3":
            self.p(f"In our opinion, {co}'s controls over the system were effective {self.period_phrase} to provide reasonable assurance that {co}'s service commitments and system requirements were achieved based on the applicable trust services criteria.")
            return
        if s.opinion == "disclaimer":
            self.p(f"Because of the significance of the matter described in the Basis for Disclaimer of Opinion paragraph, we have not been able to obtain sufficient appropriate evidence to provide a basis for an opinion. Accordingly, we do not express an opinion on whether the description presents {co}'s system {self.period_phrase} in accordance with the description criteria, or on whether the controls stated in the description were suitably designed and operated effectively.")
            return
        lead = {"unqualified": "In our opinion, in all material respects,",
                "qualified": "In our opinion, except for the effects of the matter described in the Basis for Qualified Opinion paragraph, in all material respects,",
                "adverse": "In our opinion, because of the significance of the matters described in the Basis for Adverse Opinion paragraph,"}[s.opinion]
        if s.opinion == "adverse":
            self.p(f"{lead} the description presents {co}'s system that was designed and implemented {self.period_phrase}, in accordance with the description criteria, and the controls stated in the description were suitably designed; however, the controls stated in the description did not operate effectively {self.period_phrase} to provide reasonable assurance that {co}'s service commitments and system requirements were achieved based on the applicable trust services criteria.")
            return
        if s.framework == "SOC 1":
            self.p(f"{lead} a. the description fairly presents the payroll services system that was designed and implemented {self.period_phrase}; b. the controls related to the control objectives stated in the description were suitably designed to provide reasonable assurance that the control objectives would be achieved if the controls operated effectively {self.period_phrase}, and user entities applied the complementary controls assumed in the design of {co}'s controls; and c. the controls operated effectively to provide reasonable assurance that the control objectives stated in the description were achieved {self.period_phrase}.")
            return
        if s.rtype == "Type 1":
            self.p(f"{lead} a. the description presents {co}'s system that was designed and implemented {self.period_phrase}, in accordance with the description criteria; and b. the controls stated in the description were suitably designed {self.period_phrase} to provide reasonable assurance that {co}'s service commitments and system requirements would be achieved based on the applicable trust services criteria, if its controls operated effectively as of that date and if the subservice organizations and user entities applied the complementary controls assumed in the design of {co}'s controls as of that date.")
            return
        self.p(f"{lead} a. the description presents {co}'s system that was designed and implemented {self.period_phrase}, in accordance with the description criteria; b. the controls stated in the description were suitably designed {self.period_phrase} to provide reasonable assurance that {co}'s service commitments and system requirements would be achieved based on the applicable trust services criteria, if its controls operated effectively throughout that period; and c. the controls stated in the description operated effectively {self.period_phrase} to provide reasonable assurance that {co}'s service commitments and system requirements were achieved based on the applicable trust services criteria.")

    # -- section II ------------------------------------------------------------
    def assertion_section(self):
        s, co = self.s, self.s.co
        self.section(f"Assertion of {s.company} Management" if s.numbering == "none" or s.framework == "SOC 3" else f"{s.co}’s Management Assertion", new_page=True)
        self.p(f"We have prepared the accompanying description of {s.company}'s (\"{co}\") {s.business} system {self.period_phrase} (the description) based on the criteria for a description of a service organization's system{' in a SOC 2 report' if s.framework == 'SOC 2' else ''}. The description is intended to provide report users with information about the system that may be useful when assessing the risks arising from interactions with {co}'s system.")
        if s.subservice:
            self.p(f"{co} uses subservice organizations as described in the accompanying description. The description includes only the controls of {co} for the carved-out subservice organizations, and the types of complementary subservice organization controls assumed in the design of {co}'s controls." if self.carved() else f"{co} uses a subservice organization whose relevant controls are included in the accompanying description.")
        self.p("We confirm, to the best of our knowledge and belief, that:")
        items = [f"the description presents {co}'s system that was designed and implemented {self.period_phrase} in accordance with the description criteria;",
                 f"the controls stated in the description were suitably designed {self.period_phrase} to provide reasonable assurance that {co}'s service commitments and system requirements would be achieved based on the applicable criteria, if its controls operated effectively;"]
        if s.rtype == "Type 2" or s.framework == "SOC 3":
            items.append(f"the controls stated in the description operated effectively {self.period_phrase} to provide reasonable assurance that {co}'s service commitments and system requirements were achieved based on the applicable criteria.")
        self.add(ListBlock([[i] for i in items], "num"))
        if s.opinion in ("qualified", "adverse"):
            self.p(f"Except for the matters described in {self.ref_tests()}, the controls operated as described. Management's responses to the matters identified are presented in {'the results of testing' if s.responses == 'inline' else 'the section titled Other Information Provided by ' + co if s.responses.startswith('section') else 'this report'}.")
        self.p(f"{s.company}", "sig")

    # -- section III -----------------------------------------------------------
    def description_section(self):
        s, co = self.s, self.s.co
        title = "Description of the Payroll Services System" if s.framework == "SOC 1" else f"{co}'s Description of Its {s.business.title()} System"
        self.section(title, new_page=True)
        self.sub("Company Overview and Services Provided")
        self.p(f"{s.company} was founded in 2014 and is headquartered in {s.city.split(',')[0] if self.rng.random() < 0.5 else 'Denver, Colorado'}. {co} provides {s.business} to mid-sized and enterprise customers in North America and Europe. Customers access the service through a web application and a documented REST API.")
        self.p(f"The system described in this report comprises the production application, the supporting infrastructure, and the people, procedures and data used to deliver the service. Corporate systems that do not store or process customer data, such as the marketing website and the finance system, are outside the boundaries of the system.")
        if s.framework != "SOC 1":
            self.sub("Principal Service Commitments and System Requirements")
            self.p(f"{co} designs its processes and procedures to meet the objectives of its {s.business} service. Those objectives are based on the service commitments that {co} makes to user entities, the laws and regulations that govern the provision of the service, and the operational and compliance requirements that {co} has established. Security commitments are documented in customer agreements and include the following:")
            self.add(ListBlock([["Encrypting customer data in transit and at rest;"], ["Restricting access to customer data to authorized personnel on a least-privilege basis;"],
                                ["Maintaining availability of the production service of 99.9 percent each calendar month, excluding scheduled maintenance;"],
                                ["Notifying customers of confirmed security breaches affecting their data."]], "bullet"))
        self.sub("Components of the System")
        self.sub("Infrastructure", 3, False)
        hosting = [bank.SUBSERVICE[k][1] for k, _ in s.subservice if k in ("aws", "azure", "gcp", "equinix")]
        where = hosting[0] if hosting else f"{co}'s own data center in a leased facility"
        self.p(f"The production environment is hosted in {where}. Production workloads run in containers orchestrated by a managed Kubernetes service in two regions, with databases replicated between availability zones.")
        self.add(Table(["Component", "Description"], [
            [["Web and API tier"], ["Containerized services behind load balancers and a web application firewall"]],
            [["Data tier"], ["Managed relational databases with encrypted storage and point-in-time recovery"]],
            [["Object storage"], ["Versioned, encrypted buckets for customer uploads and generated reports"]],
            [["Messaging"], ["Managed queues used for asynchronous processing between services"]],
            [["Corporate network"], ["Office networks with no direct connectivity to production"]],
        ], [0.3, 0.7], ruled=s.ruled, kind="infra"))
        self.sub("Software and Supporting Tools", 3, False)
        tools = self.rng.sample(bank.TOOLS, min(s.tools, len(bank.TOOLS))) if s.tools else []
        if tools:
            self.p(f"In addition to the production application, {co} uses the following third-party software and services to support the system. These tools are used by {co} personnel and are not subservice organizations; the controls that {co} performs over them are included in this description.")
            self.add(Table(["Tool", "Purpose"], [[[n], [p[0].upper() + p[1:]]] for n, p in tools], [0.3, 0.7], ruled=s.ruled, kind="tools"))
        self.sub("People", 3, False)
        self.p(f"{co} has approximately {120 + self.rng.randrange(400)} employees organized into the following functions: Executive Leadership, Engineering, Site Reliability, Information Security, Customer Success, People Operations, Finance and Legal. The Chief Information Security Officer reports to the Chief Executive Officer and chairs the security steering committee, which meets monthly.")
        self.sub("Data", 3, False)
        self.p(f"Customer data consists of records submitted by user entities through the application and API, documents uploaded by customer users, and the outputs generated by the service. {co} classifies customer data as Confidential under its data classification policy. Exception-based monitoring is used to flag unusual data exports for review by the security team.")
        self.sub("Processes and Procedures", 3, False)
        for para in self.process_paragraphs()[: 2 + s.desc_depth * 2]:
            self.p(para)
        self.sub("Control Environment")
        for para in self.env_paragraphs()[: 2 + s.desc_depth]:
            self.p(para)
        self.sub("Risk Assessment")
        self.p(f"{co} performs a formal risk assessment annually. The assessment identifies threats to the achievement of service commitments, including the potential for fraud, rates likelihood and impact on a five-point scale, and assigns each significant risk to an owner. Risks are accepted only by an executive with the authority to do so, and accepted risks are revisited at the next assessment.")
        self.sub("Monitoring Activities")
        self.p(f"Management monitors the design and operation of controls through a compliance automation platform, internal self-assessments and the annual independent examination. Deficiencies are tracked to remediation, and exceptions to policy must be approved by the Chief Information Security Officer and are reviewed at least annually.")
        self.sub("Information and Communication")
        self.p(f"Policies are published on the intranet, and significant changes are announced through the company's internal communication channels. {co} communicates its commitments to customers through contracts, the public trust center and the status page.")
        self.subservice_block()
        self.cuec_block()
        if s.framework == "SOC 2":
            excluded = [TSC_NAMES[t] for t in TSC_NAMES if t not in s.tsc]
            if excluded:
                self.sub("Trust Services Criteria Not Applicable to the System")
                self.p(f"The {', '.join(excluded)} categories were not included in the scope of this examination. All criteria within the categories in scope were applicable to the system.")
        self.sub("Significant Changes and Incidents During the Period")
        self.p(f"There were no significant changes to the system and no security incidents that were significant to the achievement of {co}'s service commitments during the period.")

    def process_paragraphs(self):
        co = self.s.co
        return [
            f"Logical access. Access to production systems is requested through the service desk, approved by the employee's manager and the system owner, and provisioned by the IT team. Access is reviewed quarterly, and access for terminated personnel is removed by the IT team upon notification from People Operations.",
            f"Change management. Engineers develop changes in short-lived branches. Each change is peer reviewed through a pull request, validated by automated tests in the continuous integration pipeline, and deployed through an automated pipeline that records who approved and who deployed the change.",
            f"Vulnerability management. {co} scans its infrastructure and container images weekly and its dependencies on every build. Findings are triaged by the security engineering team and assigned remediation deadlines according to severity.",
            f"Incident response. Security events are aggregated in the logging platform and correlated with alerts from endpoint and network tools. The on-call security engineer triages alerts and opens an incident when warranted. Incidents are classified by severity, and customers are notified in accordance with contractual commitments.",
            f"Backup and recovery. Production databases are backed up daily and replicated to a second region. Restoration tests are performed quarterly, and the disaster recovery plan is exercised annually.",
            f"Vendor management. {co} maintains an inventory of vendors. Vendors that store or process customer data are assessed before onboarding and annually thereafter, including a review of their independent audit reports and any exceptions reported in them.",
            f"Human resources. Candidates are screened and background checked before hire. New employees acknowledge the code of conduct and security policies and complete security awareness training. Managers complete annual performance evaluations.",
            f"Monitoring of the production service. Engineering teams define service-level objectives for each production service, and dashboards display error rates, latency and saturation. Exception reports from the monitoring platform are reviewed daily.",
        ]

    def env_paragraphs(self):
        co = self.s.co
        return [
            f"Integrity and ethical values. {co} has adopted a code of business conduct that sets expectations for honest and ethical behavior. Employees acknowledge the code upon hire and annually. An ethics hotline allows anonymous reporting of suspected violations.",
            f"Board oversight. The board of directors includes two independent directors and meets quarterly. Management reports to the board on security, risk and compliance at each meeting.",
            f"Organizational structure. Reporting lines are defined in the organizational chart maintained in the HR system. Roles and responsibilities are documented in job descriptions.",
            f"Commitment to competence. {co} defines the knowledge and skills required for each role and supports training and certification for technical staff.",
            f"Accountability. Employees are evaluated annually against objectives that include adherence to security and compliance responsibilities, and violations of policy are subject to disciplinary action.",
        ]

    def subservice_block(self):
        s, co = self.s, self.s.co
        self.sub("Subservice Organizations")
        if not s.subservice:
            anchor = f"{co} does not use subservice organizations to perform any of the services described in this report."
            self.p(anchor + " The third-party tools listed above support the system but do not perform controls relevant to the applicable criteria on behalf of " + co + ".")
            return
        anchor = f"{co} relies on the subservice organizations described below to provide certain services relevant to the system."
        self.truth.anchors["subservice"] = anchor
        self.p(anchor)
        for k, method in s.subservice:
            legal, short, services, _ = bank.SUBSERVICE[k]
            intro = f"{legal} (\"{short}\") provides {services}."
            if method == "carve-out":
                tail = (f" {co} uses the carve-out method of presentation for {short}: the description excludes the controls performed by {short}, and those controls were not included in the scope of the examination."
                        if s.method_wording == "explicit" else
                        f" The controls performed by {short} are not included in this description; {co} monitors {short} by reviewing its independent audit reports annually.")
            else:
                tail = (f" {co} uses the inclusive method of presentation for {short}; the description includes the relevant controls performed by {short}, and those controls were tested as part of this examination."
                        if s.method_wording == "explicit" else
                        f" The description includes the relevant controls of {short}, which are identified in {self.ref_tests()} and were tested as part of this examination.")
            self.p(intro + tail)
            self.truth.items.append(Item("subservice", {"name": legal, "method": method, "services": services}, intro))
        carved = self.carved()
        if not carved:
            return
        self.sub("Complementary Subservice Organization Controls", 3, False)
        anchor = f"{co}'s controls related to the system cover only a portion of the overall internal control for each user entity. The following controls are expected to be implemented by the carved-out subservice organizations:" 
        self.truth.anchors["csoc"] = anchor
        self.p(anchor)
        n = 0
        if s.csoc_layout == "table":
            rows = []
            for k, _ in carved:
                legal, short, _, csocs = bank.SUBSERVICE[k]
                for text, crit in csocs:
                    rows.append([[short], [text], [crit_fmt(crit, s.crit_style)]])
                    self.truth.items.append(Item("csoc", {"text": text, "subservice_organization": legal, "criteria": crit}, text))
            self.add(Table(["Subservice Organization", "Control", "Related Criteria"], rows, [0.22, 0.58, 0.2], ruled=s.ruled, kind="csoc"))
            return
        for k, _ in carved:
            legal, short, _, csocs = bank.SUBSERVICE[k]
            self.sub(f"{short}", 3, False)
            items = []
            for text, crit in csocs:
                items.append([text])
                self.truth.items.append(Item("csoc", {"text": text, "subservice_organization": legal, "criteria": []}, text))
            self.add(ListBlock(items, "csoc" if s.csoc_layout == "numbered" else "bullet", start=n + 1))
            n += len(items)

    def cuec_block(self):
        s, co = self.s, self.s.co
        self.sub(s.cuec_heading)
        if s.cuec_layout == "none_needed":
            self.p(f"{co}'s controls were designed so that the applicable trust services criteria can be met without controls at user entities. Accordingly, no complementary user entity controls are required, and none are presented in this description. User entities remain responsible for their own internal control environments.")
            return
        anchor = (f"{co}'s services are designed with the assumption that certain controls will be implemented by user entities. The user entity controls listed below should not be regarded as a comprehensive list of all controls that user entities should employ.")
        self.truth.anchors["cuec"] = anchor
        self.p(anchor)
        source = bank.SOC1_CUECS if s.framework == "SOC 1" else [c for c in bank.CUECS if all(self.in_scope(x) for x in c[1])]
        chosen = source[: s.cuec_count]
        if len(chosen) < s.cuec_count:
            raise ValueError(f"{s.name}: only {len(chosen)} CUECs in scope")
        chosen = [(self.t(t), c) for t, c in chosen]
        lay = s.cuec_layout
        if lay in ("bullets", "numbered"):
            self.add(ListBlock([[t] for t, _ in chosen], "bullet" if lay == "bullets" else "num"))
            for t, c in chosen:
                self.truth.items.append(Item("cuec", {"text": t, "criteria": []}, t))
        elif lay in ("table_last", "table_first"):
            rows = []
            for i, (t, c) in enumerate(chosen, 1):
                cf = crit_fmt(c, s.crit_style)
                rows.append([[str(i)], [t], [cf]] if lay == "table_last" else [[cf], [t]])
                self.truth.items.append(Item("cuec", {"text": t, "criteria": c}, t))
            rel = "Related Control Objective(s)" if s.framework == "SOC 1" else "Related Criteria"
            if lay == "table_last":
                self.add(Table(["#", "Complementary User Entity Control", rel], rows, [0.07, 0.71, 0.22], ruled=s.ruled, kind="cuec"))
            else:
                self.add(Table([rel, "User Entity Responsibility"], rows, [0.22, 0.78], ruled=s.ruled, kind="cuec"))
        elif lay == "grouped":
            groups: dict[tuple, list] = {}
            for t, c in chosen:
                groups.setdefault(tuple(c), []).append(t)
            for c in sorted(groups, key=lambda c: [crit_key(x) for x in c]):
                self.add(Heading(3, crit_fmt(list(c), s.crit_style), None, False))
                self.add(ListBlock([[t] for t in groups[c]], "bullet"))
                for t in groups[c]:
                    self.truth.items.append(Item("cuec", {"text": t, "criteria": list(c)}, t))

    def in_scope(self, crit: str) -> bool:
        pre = crit_key(crit)[0]
        return any(TSC_PREFIX[t] == pre for t in self.s.tsc)

    # -- section IV --------------------------------------------------------------
    def tests_section(self):
        s, co = self.s, self.s.co
        self.section(self.tests_title(), new_page=True)
        if s.rtype == "Type 2":
            self.sub("Purpose and Objectives of the Examination", 3, False)
            self.p(f"This section presents the {'control objectives' if s.framework == 'SOC 1' else 'applicable trust services criteria'} and the controls that {co} has specified to meet them, together with the tests of controls performed by {s.firm} and the results of those tests. The controls are the responsibility of {co}; the tests and results are the responsibility of the service auditor.")
            self.sub("Types of Tests Performed", 3, False)
            self.add(Table(["Test", "Description"], [
                [["Inquiry"], ["Inquired of appropriate personnel and corroborated responses with management."]],
                [["Observation"], ["Observed the application, performance, or existence of the control."]],
                [["Inspection"], ["Inspected documents, reports, or system configurations that indicate performance of the control."]],
                [["Reperformance"], ["Reperformed the control, or processed test transactions, to determine that the control operated as described."]],
            ], [0.25, 0.75], ruled=s.ruled, kind="testtypes"))
            self.p("Where a sample was selected, the sample size was based on the frequency of the control and on the population of occurrences during the period. When an exception was identified in the operation of a control, the nature of the exception is described in the results of testing. Where the circumstances that trigger a control did not occur during the period, that fact is stated and no exception is reported.")
            self.p("When using information produced by the entity, the service auditor evaluated whether the information was sufficiently reliable for its purposes, including, as necessary, obtaining evidence about the accuracy and completeness of such information.")
        else:
            self.p(f"A Type 1 examination addresses the suitability of the design of controls as of a point in time. Accordingly, tests of operating effectiveness were not performed and results of tests are not presented.")
        anchor = f"The {'control objectives' if s.framework == 'SOC 1' else 'criteria'} and related controls specified by {co} are presented below."
        self.truth.anchors["exception"] = anchor
        self.p(anchor)
        if s.framework == "SOC 1":
            self.matrix_soc1()
        else:
            self.matrix_soc2()

    def select_controls(self):
        s = self.s
        exc = {k for k, _ in s.exceptions}
        keys = [k for k in bank.CONTROLS if self.in_scope(bank.CONTROLS[k][0][0])]
        keep = exc | set(s.nonocc) | ({"change", "provision"} if s.opinion == "disclaimer" else set())
        keys = [k for k in keys if k in keep or self.rng.random() >= s.drop]
        order = {c: i for i, c in enumerate(bank.CRITERIA)}
        keys.sort(key=lambda k: order[bank.CONTROLS[k][0][0]])
        return keys

    def assign_ids(self, keys, crit_of):
        s = self.s
        ids, per = {}, {}
        domain = {"CC1": "GOV", "CC2": "COM", "CC3": "RSK", "CC4": "MON", "CC5": "CA", "CC6": "AC", "CC7": "OPS",
                  "CC8": "CHG", "CC9": "VND", "A1": "AV", "C1": "CF", "PI1": "PI", "P1": "PR", "P2": "PR", "P3": "PR",
                  "P4": "PR", "P5": "PR", "P6": "PR", "P7": "PR", "P8": "PR", "CO": "X"}
        for i, k in enumerate(keys, 1):
            c = crit_of(k)
            if s.id_scheme == "dotted":
                per[c] = per.get(c, 0) + 1
                ids[k] = f"{c}.{per[c]}"
            elif s.id_scheme == "cnum":
                ids[k] = f"C-{i}"
            elif s.id_scheme == "domain":
                p, a, _ = crit_key(c) if not c.startswith("CO") else ("CO", 0, 0)
                d = domain.get(f"{p}{a}", "X") if p != "CO" else {"CO 1": "ORG", "CO 2": "MD", "CO 3": "PAY", "CO 4": "DSB", "CO 5": "TAX", "CO 6": "CM", "CO 7": "LA", "CO 8": "OP"}[c]
                per[d] = per.get(d, 0) + 1
                ids[k] = f"{d}-{per[d]:02d}"
            elif s.id_scheme == "short":
                base = c[2:] if c.startswith("CC") else c
                per[c] = per.get(c, 0) + 1
                ids[k] = f"{base}{'abcdefghij'[per[c] - 1]}"
            else:
                ids[k] = None
        return ids

    def make_test(self, key, text, ev, role, sample=None):
        s, r = self.s, self.rng
        restate = lc_first(text.split(". ")[0].rstrip("."))
        restate = restate.replace(s.co + " has", s.co + " had") if False else restate
        if sample:
            pop, n, _, _, _, _ = sample
            t = f"Inquired of the {role} regarding the control. For a sample of {n} {pop} selected from the population for the period, inspected the {ev} to determine that {restate}."
        else:
            v = r.random()
            if v < 0.4:
                t = f"Inquired of the {role} and inspected the {ev} to determine that {restate}."
            elif v < 0.75:
                t = f"Inspected the {ev} to determine that {restate}."
            else:
                t = f"Observed the {ev.split(' and ')[0]} with the {role} and inspected supporting documentation to determine that {restate}."
        if r.random() < s.long_tests:
            t += (f" Inspected the related policy or procedure document to determine that it described the control and identified the responsible role. "
                  f"Inquired of the {role} regarding how instances requiring follow-up are identified, tracked and resolved, and corroborated the response by inspecting the tracking records for the period. "
                  f"Evaluated whether the information produced by the entity that was used in performing the control was complete and accurate.")
        return t

    def exception_text(self, key, phrasing):
        d = bank.DEFECTS.get(key) or bank.SOC1_DEFECTS.get(key)
        if d is None:
            text, resp = bank.SINGLE_FINDINGS[key]
            prefix = {"E1": "Exception noted. ", "E2": "Deviation noted: ", "E3": "Exceptions noted. ",
                      "E4": "The service auditor noted the following exception. ", "E5": "Testing identified the following: ",
                      "E6": "The following exception was identified: "}[phrasing]
            return prefix + text, resp
        pop, N, n, clause, extra, resp = d
        was = "was" if n == 1 else "were"
        body = {
            "E1": f"Exception noted. For {n} of {N} {pop} sampled, {clause}.",
            "E2": f"Deviation noted: for {n} of the {N} {pop} selected, {clause}.",
            "E3": f"Exceptions noted. Of a sample of {N} {pop}, {n} {was} identified for which {clause}.",
            "E4": f"The service auditor noted that for {n} of {N} {pop} sampled, {clause}.",
            "E5": f"Testing identified that, for {n} of {N} {pop} inspected, {clause}.",
            "E6": f"The following exception was identified: for {n} of {N} {pop} tested, {clause}.",
        }[phrasing]
        if extra:
            body += " " + extra
        return body, resp

    def result_for(self, key, exc_map):
        s = self.s
        if key in exc_map:
            return self.exception_text(key, exc_map[key])
        if key in s.nonocc:
            return bank.NON_OCCURRENCE[key], None
        if s.opinion == "disclaimer" and key in ("change", "provision"):
            return ("Not tested. Management was unable to provide a complete population of the items subject to this control for the period. Refer to the Basis for Disclaimer of Opinion in Section I.", None)
        return self.rng.choice(s.pass_phrases), None

    def matrix_soc2(self):
        s = self.s
        keys = self.select_controls()
        ids = self.assign_ids(keys, lambda k: bank.CONTROLS[k][0][0])
        exc_map = dict(s.exceptions)
        rows, giants = [], 0
        groups: list[tuple[str, list[tuple[str, str]]]] = []  # (criterion, [(key, crit)])
        for k in keys:
            prim = bank.CONTROLS[k][0][0]
            if not groups or groups[-1][0] != prim:
                groups.append((prim, []))
            groups[-1][1].append(k)
        if s.crit_mode == "group" and s.repeat_secondary:
            # Real matrices repeat a control under every criterion it supports.
            extra = {}
            for k in keys:
                if k in exc_map or k in s.nonocc:
                    continue
                for c in bank.CONTROLS[k][0][1:]:
                    extra.setdefault(c, []).append(k)
            merged = []
            order = {c: i for i, c in enumerate(bank.CRITERIA)}
            allc = sorted({g[0] for g in groups} | set(c for c in extra if self.in_scope(c)), key=lambda c: order[c])
            gm = dict(groups)
            for c in allc:
                merged.append((c, gm.get(c, []) + [k for k in extra.get(c, []) if k not in gm.get(c, [])]))
            groups = merged
        done_tests = {}
        for crit, gkeys in groups:
            if s.crit_mode == "group":
                rows.append(GroupRow(f"{crit_fmt([crit], s.crit_style)}  {bank.CRITERIA[crit]}"))
            for k in gkeys:
                crits, text, ev, role = bank.CONTROLS[k]
                text = self.t(text)
                if k not in done_tests:
                    sample = bank.DEFECTS.get(k) if k in exc_map else None
                    test = self.make_test(k, text, ev, role, sample)
                    if giants < s.giant_cells and k not in exc_map and len(keys) > 20 and self.rng.random() < 0.08:
                        giants += 1
                        test += " " + " ".join(
                            f"For a sample of {q} selected from the period, inspected the supporting documentation to determine that the step was performed by an authorized individual, that evidence of completion was retained, and that items requiring follow-up were resolved within the timeframe defined in the related procedure."
                            for q in ["new hires", "terminations", "role changes", "quarterly reviews", "configuration changes", "alerts", "weekly scans", "incidents", "vendor reviews", "restoration tests"])
                    done_tests[k] = (test, *self.result_for(k, exc_map))
                test, result, resp = done_tests[k]
                cid = ids[k]
                shown_crit = [crit] if s.crit_mode == "group" else ([c for c in crits if self.in_scope(c)] if s.crit_mode == "column" else [])
                cells = []
                for role_ in s.columns:
                    if role_ == "id":
                        cells.append([cid or ""])
                    elif role_ == "crit":
                        cells.append([crit_fmt(shown_crit, s.crit_style)])
                    elif role_ == "control":
                        cells.append([text])
                    elif role_ == "idcontrol":
                        cells.append(([("b", cid)] if cid else []) + [text])
                    elif role_ == "test":
                        cells.append([test])
                    elif role_ == "result":
                        cells.append([result] + ([f"Management's Response: {resp}"] if resp and s.responses == "inline" and k in exc_map else []))
                rows.append(cells)
                if k in exc_map and k not in [i.data.get("_key") for i in self.truth.items]:
                    self.truth.items.append(Item("exception", {
                        "_key": k, "control_id": cid, "control": text, "test": test, "description": result,
                        "management_response": resp if s.responses != "none" else None,
                        "criteria": shown_crit}, result))
        self.add(Table(list(s.titles), rows, s.widths or self.default_widths(), ruled=s.ruled,
                       landscape=s.landscape, kind="matrix", font_scale=0.92))

    def default_widths(self):
        w = {"id": 0.09, "crit": 0.1, "control": 0.3, "idcontrol": 0.34, "test": 0.33, "result": 0.2}
        tot = sum(w[c] for c in self.s.columns)
        return [w[c] / tot for c in self.s.columns]

    def matrix_soc1(self):
        s = self.s
        keys = [k for k in bank.SOC1_CONTROLS]
        ids = self.assign_ids(keys, lambda k: bank.SOC1_CONTROLS[k][0])
        exc_map = dict(s.exceptions)
        rows = []
        for co_id, name, obj in bank.SOC1_OBJECTIVES:
            n = co_id.split()[1]
            rows.append(GroupRow(f"Control Objective {n} – {name}: {obj}"))
            for k in keys:
                o, text, ev, role = bank.SOC1_CONTROLS[k]
                if o != co_id:
                    continue
                text = self.t(text)
                sample = bank.SOC1_DEFECTS.get(k) if k in exc_map else None
                test = self.make_test(k, text, ev, role, sample)
                result, resp = self.result_for(k, exc_map)
                cid = ids[k]
                cells = []
                for role_ in s.columns:
                    cells.append({"id": [cid or ""], "crit": [co_id], "control": [text],
                                  "idcontrol": ([("b", cid)] if cid else []) + [text], "test": [test],
                                  "result": [result]}[role_])
                rows.append(cells)
                if k in exc_map:
                    self.truth.items.append(Item("exception", {
                        "_key": k, "control_id": cid, "control": text, "test": test, "description": result,
                        "management_response": None, "criteria": [co_id]}, result))
        self.add(Table(list(s.titles), rows, s.widths or self.default_widths(), ruled=s.ruled,
                       landscape=s.landscape, kind="matrix", font_scale=0.92))

    # -- section V -----------------------------------------------------------------
    def other_info_section(self):
        s, co = self.s, self.s.co
        excs = [i for i in self.truth.items if i.kind == "exception"]
        self.section(f"Other Information Provided by {co}", new_page=True)
        self.p(f"The information included in this section is presented by {co} to provide additional information to user entities and is not a part of {co}'s description of the system. It has not been subjected to the procedures applied in the examination, and accordingly {s.firm} expresses no opinion on it.")
        if s.responses.startswith("section") and excs:
            self.sub("Management's Responses to Testing Exceptions")
            for it in excs:
                d = it.data
                if d["management_response"] is None:
                    continue
                self.add(Para(f"Control {d['control_id']}" if d["control_id"] else "Control", "label"))
                if s.responses == "section_repeat":
                    self.add(Para("Exception noted by the service auditor: " + d["description"], "body"))
                self.add(Para("Management's response: " + d["management_response"], "body"))
        self.sub("Planned Enhancements")
        self.p(f"During the coming year {co} plans to expand its use of automated evidence collection, migrate remaining workloads to infrastructure defined as code, and introduce phishing-resistant authentication for all employees.")

    # -- SOC 3 -------------------------------------------------------------------
    def soc3_description(self):
        s, co = self.s, self.s.co
        self.section(f"Description of the Boundaries of the {s.business.title()} System", new_page=True)
        self.sub("Company Overview")
        self.p(f"{s.company} provides {s.business}. The system is delivered as a multi-tenant cloud service and supports organizations across retail, logistics and financial services.")
        self.add(Table(["Component", "Description"], [
            [["Application tier"], ["Stateless services running in managed containers across three zones"]],
            [["Data tier"], ["Replicated relational databases with encrypted storage and daily backups"]],
            [["Edge"], ["Content delivery network and web application firewall in front of all public endpoints"]],
            [["Notifications"], ["Outbound SMS and e-mail reminders sent through a messaging provider"]],
        ], [0.3, 0.7], kind="infra"))
        for title, paras in [
            ("Infrastructure", self.process_paragraphs()[:2]),
            ("Control Environment", self.env_paragraphs()),
            ("Risk Assessment and Monitoring", [f"{co} performs a formal risk assessment annually and monitors controls continuously through a compliance automation platform. Deficiencies are tracked to remediation, and exceptions to policy require approval by the Chief Information Security Officer."]),
            ("Software", [f"{co} develops its application in-house. Supporting tools include {', '.join(t for t, _ in bank.TOOLS[:8])}. These tools are not subservice organizations."]),
            ("People", [f"{co}'s personnel are organized into engineering, operations, security, customer success and corporate functions."]),
            ("Procedures", self.process_paragraphs()[2:]),
            ("Availability and Resilience", [f"{co} runs each production service in at least two availability zones and replicates data to a second region. Capacity is monitored continuously, and load tests are performed before major releases.", f"Restoration of backups is tested quarterly, and the disaster recovery plan is exercised annually; the most recent exercise restored service in the secondary region within the four-hour recovery time objective."]),
            ("Incident Management", [f"Security events are triaged by the on-call security engineer. Incidents are classified by severity and managed through a documented response plan that defines roles, communication steps and post-incident review.", f"Customers are notified of incidents affecting their data in accordance with contractual commitments, and status updates are published on the public status page."]),
            ("Vendor Management", [f"Vendors that store or process customer data are assessed before onboarding and annually thereafter. {co} reviews the independent audit reports of its subservice organizations and evaluates the complementary controls they describe."]),
            ("Data", [f"Customer data is classified as Confidential and is encrypted in transit and at rest."]),
        ]:
            # The designed booklet gives each topic its own page.
            self.add(Heading(2, title, None, True, new_page=True))
            for para in paras:
                self.p(para)
        if s.subservice:
            self.sub("Subservice Organizations")
            anchor = f"{co} uses the subservice organizations listed below; their controls are not included in the scope of this report."
            self.truth.anchors["subservice"] = anchor
            self.p(anchor)
            for k, method in s.subservice:
                legal, short, services, _ = bank.SUBSERVICE[k]
                intro = f"{legal} (\"{short}\") provides {services}."
                self.p(intro + f" The description excludes the controls of {short}; {co} reviews {short}'s SOC 2 report annually.")
                self.truth.items.append(Item("subservice", {"name": legal, "method": method, "services": services}, intro))
        self.section("Principal Service Commitments and System Requirements", new_page=True)
        self.p(f"{co} makes service commitments to its customers and has established system requirements as part of the service. Commitments are documented in customer agreements and on the public trust center and include the following:")
        self.add(ListBlock([["Maintaining the security of customer data through encryption, access controls and monitoring;"], ["Meeting the availability targets stated in the service level agreement;"], ["Processing data completely, accurately and in a timely manner;"], ["Responding to security incidents and notifying affected customers."]], "bullet"))
        self.p(f"System requirements are specifications regarding how the system should function to meet these commitments. They are communicated in {co}'s policies and procedures, system design documentation and contracts with customers.")
        for para in self.env_paragraphs():
            self.p(para)
        self.section("Applicable Trust Services Criteria and Related Controls", new_page=True)
        self.p(f"The table below summarises, for each applicable criterion, the controls that {co} has implemented. It is provided for information; the tests performed by the service auditor are not presented in a SOC 3 report.")
        rows = []
        for crit, title in bank.CRITERIA.items():
            if not self.in_scope(crit):
                continue
            ctl = [self.t(v[1]) for v in bank.CONTROLS.values() if v[0][0] == crit]
            rows.append([[crit], [title], ctl or ["Addressed by the controls described for related criteria."]])
        self.add(Table(["Criterion", "Topic", "Controls in Place"], rows, [0.12, 0.3, 0.58], ruled=True, kind="summary"))
