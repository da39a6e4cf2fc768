"""The ten reports: one house style and set of variations each. All names are invented
(subservice organizations may be real cloud providers)."""
from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, letter
from reportlab.platypus import NextPageTemplate, PageBreak, Spacer

from . import content as C
from .core import TP, esc
from .engine import ROMAN, Report, make_templates

CATS = {"security": "security", "availability": "availability", "processing_integrity": "processing integrity",
        "confidentiality": "confidentiality", "privacy": "privacy"}


def cats_text(tsc):
    names = [CATS[t] for t in tsc]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def opinion_text(S):
    s, per, fw, typ, o = S["short"], S["period_text"], S["framework"], S["type"], S["opinion"]
    if fw == "SOC 3":
        return (f"In our opinion, {s}’s assertion that the controls within its {S['system']} were effective "
                f"throughout the period {per}, to provide reasonable assurance that its service commitments and system "
                f"requirements were achieved based on the applicable trust services criteria, is fairly stated, in all "
                f"material respects.")
    goal = ("the control objectives stated in the description would be achieved" if fw == "SOC 1" else
            f"{s}’s service commitments and system requirements would be achieved based on the applicable trust "
            f"services criteria")
    goal_p = goal.replace("would be", "were")
    if o == "adverse":
        return (f"In our opinion, because of the significance of the matters described in the Basis for Adverse "
                f"Opinion paragraph, the controls stated in the description did not operate effectively throughout "
                f"the period {per} to provide reasonable assurance that {goal_p}.")
    if o == "disclaimer":
        return (f"Because of the significance of the matter described in the Basis for Disclaimer of Opinion "
                f"paragraph, we have not been able to obtain sufficient appropriate evidence to provide a basis for an "
                f"opinion on the operating effectiveness of the controls. Accordingly, we do not express an opinion "
                f"on whether the controls stated in the description operated effectively throughout the period {per}.")
    lead = ("In our opinion, except for the effects of the matter described in the Basis for Qualified Opinion "
            "paragraph, in all material respects," if o == "qualified" else "In our opinion, in all material respects,")
    if typ == "Type 1":
        return (f"{lead} (a) the description presents {s}’s {S['system']} as designed and implemented as of {per} in "
                f"accordance with the description criteria, and (b) the controls stated in the description were "
                f"suitably designed as of {per} to provide reasonable assurance that {goal}, if the controls operated "
                f"effectively as of that date and if the subservice organizations and user entities applied the "
                f"complementary controls assumed in the design of {s}’s controls as of that date.")
    return (f"{lead} (a) the description presents {s}’s {S['system']} as designed and implemented throughout the "
            f"period {per} in accordance with the description criteria; (b) the controls stated in the description "
            f"were suitably designed throughout the period {per} to provide reasonable assurance that {goal}, if the "
            f"controls operated effectively and if complementary controls assumed in the design of {s}’s controls "
            f"operated effectively throughout that period; and (c) the controls stated in the description operated "
            f"effectively throughout the period {per} to provide reasonable assurance that {goal_p}, if "
            f"complementary subservice organization controls and complementary user entity controls assumed in the "
            f"design of {s}’s controls operated effectively throughout that period.")


def compose(S):
    S.setdefault("matrix", {})
    S["cats_text"] = cats_text(S["tsc"]) if S["tsc"] else ""
    S["opinion_text"] = opinion_text(S)

    def make(b):
        R = Report(S, b)
        T = R.T
        s = esc(S["short"])
        R.cover()
        R.toc_placeholder()
        R.auditor_report()
        R.assertion()
        # ---- description
        R.h1(S.get("desc_title", "Description of the System"))
        R.h2("Company Overview")
        R.P(esc(S["overview"]))
        R.filler(3)
        R.h2(S.get("services_title", "Services Provided"))
        R.P(esc(S["services"]))
        if S.get("except_for_trap"):
            R.P(esc(S["except_for_trap"]))
        R.filler(3)
        if S["framework"] != "SOC 1":
            R.h2("Principal Service Commitments and System Requirements")
            R.P(f"{s} makes commitments to customers in its master services agreement and on its public trust page, "
                f"including commitments to protect customer data, to keep the service available according to its "
                f"service level agreement and to notify customers of security incidents. System requirements are "
                f"set out in policies, standards and procedures.")
        R.h2(S.get("components_title", "Components of the System"))
        R.filler(6)
        for sub in S.get("component_parts", ["Infrastructure", "Software", "People", "Data", "Procedures"]):
            R.h3(sub)
            R.filler(S.get("filler_n", 6))
        if S.get("tools"):
            R.h3("Software and Third-Party Tools")
            R.tools_table()
        for t in ("Control Environment", "Risk Assessment", "Information and Communication", "Monitoring Activities"):
            R.h2(t, toc=S["theme"].get("toc_levels", 1) > 1)
            R.filler(S.get("filler_n", 6))
        R.h2(S.get("narr_title", "Control Activities"))
        R.narratives()
        R.h2(S.get("sub_title", "Subservice Organizations"))
        R.subservice_part()
        if S.get("csoc_layout"):
            R.h2(S.get("csoc_title", "Complementary Subservice Organization Controls"))
            if S.get("csoc_intro"):
                R.P(esc(S["csoc_intro"]))
            R.csoc_part()
        if not S.get("cuec_late"):
            R.h2(S["cuec_title"])
            R.cuec_part()
        # ---- tests or control list
        M = S["matrix"]
        if S["framework"] == "SOC 3":
            R.h1(S.get("tests_title", "Controls in Place"))
            R.P(f"The table below summarises, by criterion, the controls {s} has in place. It is provided for "
                f"information; the individual tests performed by the service auditor are not included in this report.")
            w = R.width()
            data = [R.hdr("Criterion", "Control in Place")]
            for crit, ctrl, test in R.rows():
                data.append([R.cell(crit), R.cell(ctrl)])
            R.table(data, [w * 0.16, w * 0.84], zebra=True)
        elif S["type"] == "Type 1":
            R.h1(S.get("tests_title", "Trust Services Criteria and Related Controls"))
            R.P(f"The controls below are those {s} has placed in operation as of the date of the description. "
                f"Tests of operating effectiveness were not within the scope of this engagement.")
            w = R.width()
            data = [R.hdr("Criteria", "Control ID", "Control Activity")]
            for n, (crit, ctrl, test) in enumerate(R.rows(), 1):
                data.append([R.cell(crit), R.cell(M["id_fmt"](crit, n, 0)), R.cell(ctrl)])
            R.table(data, [w * 0.14, w * 0.14, w * 0.72], zebra=True)
        else:
            R.h1(S.get("tests_title", "Tests of Controls"))
            R.P(esc(S.get("tests_intro", f"This section lists the controls specified by {S['short']}, the tests the "
                "service auditor performed and their results. Tests comprised inquiry of personnel, inspection of "
                "documents and records, observation of activities and reperformance. Where a test identified an "
                "exception, the result describes it; exception-based monitoring reports mentioned in control "
                "descriptions are part of the controls themselves.")))
            if M.get("landscape"):
                b.add(NextPageTemplate("land"), PageBreak())
            R.matrix()
            if M.get("landscape"):
                b.add(NextPageTemplate("body"))
            if M.get("summary") == "after_matrix":
                R.exception_summary()
        # ---- later sections
        if S.get("section5"):
            R.h1(S["section5"])
            if S.get("cuec_late"):
                R.h2(S["cuec_title"])
                R.cuec_part()
            if M.get("responses") == "later":
                R.h2("Management’s Responses to Exceptions")
                R.P(f"The responses below were prepared by {s} management. They were not subjected to the "
                    f"procedures applied in the examination; the service auditor does not express an opinion on them.")
                if M.get("summary") == "section5":
                    R.exception_summary("Exceptions Identified")
                R.responses_later(repeat_exception=M.get("repeat_in_responses", False))
            R.h2(S.get("s5_extra_title", "Business Continuity Roadmap"))
            R.filler(3)
        if M.get("mapping"):
            R.h1("Criteria Mapping", newpage=True)
            R.P(f"Each applicable criterion is mapped to the controls that address it, with the result of the "
                f"related test repeated from the testing section.")
            w = R.width()
            data = [R.hdr("Criterion", "Control(s)", "Result")]
            exc_by_id = {cid: exc for cid, crit, ctrl, exc in R.exc_rows}
            seen = {}
            for n, (crit, ctrl, test) in enumerate(R.rows(), 1):
                seen.setdefault(crit, []).append(n)
            counters = {}
            idmap = {}
            for n, (crit, ctrl, test) in enumerate(R.rows(), 1):
                counters[crit] = counters.get(crit, 0) + 1
                idmap[n] = M["id_fmt"](crit, n, counters[crit])
            for crit, ns in seen.items():
                ids = [idmap[n] for n in ns]
                res = "; ".join(exc_by_id[i]["desc"] for i in ids if i in exc_by_id) or M["pass"]
                data.append([R.cell(crit), R.cell(", ".join(ids)), R.cell(res)])
            R.table(data, [w * 0.14, w * 0.26, w * 0.6])
        R.render_toc()
        return {
            "pagesize": T["pagesize"], "margins": T["margins"], "templates": make_templates(R),
            "outline": T.get("outline"), "title": f"{S['org']} {S['framework']} report",
            "author": S["org"], "creator": T.get("creator", "Report Writer"),
            "report": {
                "framework": S["framework"], "type": S["type"], "service_organization": S["org"],
                "auditor": S["auditor"], "period_start": S["period_start"], "period_end": S["period_end"],
                "opinion": S["opinion"], "opinion_basis": S.get("basis"),
                "trust_services_criteria": S["tsc"],
            },
        }
    return make


def grp_title(c):
    return C.CRIT_TITLES[C.crit_group(c)]


# ---------------------------------------------------------------- reports

def r01():
    aws = {"legal": "Amazon Web Services, Inc.", "aliases": ["AWS"], "method": "carve-out",
           "services": "Cloud hosting of the production environment, managed databases and object storage",
           "intro": "(“AWS”) hosts the production environment, managed databases and object storage in two US regions. "
                    "Alderbank uses the carve-out method for AWS: the controls AWS operates are excluded from this "
                    "description.", "short_print": "AWS", "svc_short": "hosting"}
    return {
        "id": "r01_alderbank_soc2_t2", "org": "Alderbank Payments, Inc.", "short": "Alderbank",
        "framework": "SOC 2", "type": "Type 2", "tsc": ["security", "availability", "confidentiality"],
        "period_text": "May 1, 2025, to April 30, 2026", "period_start": "2025-05-01", "period_end": "2026-04-30",
        "system": "merchant payments platform", "auditor": "Whitcombe & Radley LLP", "signature": "text",
        "city": "Columbus, Ohio", "sign_date": "June 18, 2026", "opinion": "unqualified", "addressee": "line",
        "officer": "Dana Whitlock, Chief Executive Officer", "other_info_trap": True, "carve_word": True,
        "tests_ref": "Section IV", "tools": True, "ntools": 14,
        "cover_title": ["SOC 2® Type 2 Report", "Merchant Payments Platform",
                        "For the period May 1, 2025, to April 30, 2026"],
        "overview": "Alderbank Payments, Inc. was founded in 2014 and provides payment acceptance and settlement "
                    "services to small and mid-sized merchants in the United States.",
        "services": "Alderbank’s platform authorises card payments, settles funds to merchant bank accounts and "
                    "provides merchants with reporting through a web dashboard.",
        "subs": [aws], "sub_layout": "paras",
        "csoc_layout": "id_table",
        "csocs": [(aws, "AWS is responsible for restricting physical access to data center facilities to authorized personnel.", ["CC6.4"]),
                  (aws, "AWS is responsible for securely decommissioning storage media that held customer data.", ["CC6.5"]),
                  (aws, "AWS is responsible for monitoring environmental safeguards such as fire suppression, cooling and power.", ["A1.2"]),
                  (aws, "AWS is responsible for maintaining redundant infrastructure to meet availability commitments.", ["A1.2", "A1.3"])],
        "cuec_title": "Complementary User Entity Controls", "cuec": "grouped",
        "cuec_wording": "User entities are responsible for {ger}.",
        "cuec_lead": "Alderbank’s controls were designed on the assumption that user entities operate the controls "
                     "below. They are grouped by the criterion they relate to.",
        "cuec_groups": [("CC2.3 – Communication with External Parties", ["CC2.3"], [13]),
                        ("CC6.1 – Logical Access Security", ["CC6.1"], [2, 3]),
                        ("CC6.2 – User Registration and Removal", ["CC6.2"], [0, 12]),
                        ("CC6.3 – Access Reviews", ["CC6.3"], [1, 12]),
                        ("CC7.3 – Incident Evaluation", ["CC7.3"], [4]),
                        ("A1.2 – Recovery", ["A1.2"], [8])],
        "section5": "Other Information Provided by Alderbank",
        "theme": {"pagesize": letter, "margins": (54, 54, 66, 60), "fam": "helv", "color": "#1f3a68",
                  "band": True, "toc": "leaders", "toc_title": "Table of Contents", "outline": True, "toc_bold1": True,
                  "h1fmt": lambda n, t: f"Section {ROMAN[n]}: {t}", "cover_style": "band", "cover_top": 170,
                  "header": ("Alderbank Payments, Inc. | SOC 2 Type 2", "Proprietary and Confidential"),
                  "footer": "Page {p}", "footer_pos": "right"},
        "matrix": {"cols": [("id", "Control #", 0.11), ("control", "Control Activity Specified by Alderbank", 0.3),
                            ("test", "Test Applied by the Service Auditor", 0.34), ("result", "Test Results", 0.25)],
                   "group": "crit", "group_fmt": lambda c: f"{c} – {grp_title(c)}",
                   "id_fmt": lambda c, n, k: f"{c}.{k}", "pass": "No exceptions noted.",
                   "responses": "later", "repeat_in_responses": True, "summary": "section5",
                   "exceptions": [
                       {"match": "Access for terminated employees",
                        "desc": "Exception noted: For 2 of 25 terminated employees sampled, production access was revoked four and six business days after termination.",
                        "resp": "Both accounts had been disabled in the identity provider on the termination date; the delay affected only local database accounts. A daily reconciliation between the HR system and database accounts was introduced in March 2026."},
                       {"match": "User access to production systems is reviewed quarterly",
                        "desc": "Exception noted: The access review for the third quarter was completed 41 days after quarter end, outside the 30-day window defined in policy.",
                        "resp": "The review owner was on extended leave. A delegate is now named for each review and reminders are escalated to the security officer."},
                       {"match": "Vulnerability scans of production systems",
                        "desc": "Exception noted: For 1 of 15 critical findings sampled, remediation was completed 44 days after detection.",
                        "resp": "The finding required a vendor patch that was released late. Risk acceptance is now documented when a fix depends on a vendor."}],
                   "other_results": [
                       {"match": "Emergency changes", "text": "No emergency changes occurred during the period; therefore no testing of operating effectiveness was performed."},
                       {"match": "Post-incident reviews", "text": "No high severity incidents occurred during the period. The control did not operate and was not tested."}]},
    }


def r02():
    az = {"legal": "Microsoft Corporation", "aliases": ["Microsoft Azure", "Azure"], "method": "carve-out",
          "display": "Microsoft Corporation (Microsoft Azure)",
          "services": "Infrastructure as a service: virtual machines, managed SQL databases and storage in the UK South region",
          "intro": "– infrastructure as a service: virtual machines, managed SQL databases and storage in the UK South region.",
          "short_print": "Microsoft Azure", "svc_short": "hosting"}
    tw = {"legal": "Twilio Inc.", "aliases": ["Twilio"], "method": "carve-out", "display": "Twilio Inc.",
          "services": "Delivery of SMS one-time passcodes and e-mail notifications",
          "intro": "– delivery of SMS one-time passcodes and e-mail notifications to customer users.",
          "short_print": "Twilio", "svc_short": "messaging"}
    return {
        "id": "r02_brackenfield_soc2_t1", "org": "Brackenfield Analytics Ltd.", "short": "Brackenfield",
        "address": ["Unit 4, 18 Carrow Road", "Norwich NR1 1AB", "United Kingdom"],
        "framework": "SOC 2", "type": "Type 1", "tsc": ["security", "confidentiality"],
        "period_text": "31 March 2026", "period_start": None, "period_end": "2026-03-31",
        "system": "retail analytics service", "auditor": "Lindqvist Osei LLC", "signature": "block",
        "city": "Boston, Massachusetts", "sign_date": "22 May 2026", "opinion": "unqualified", "addressee": "block",
        "officer": "Priya Oduya, Managing Director",
        "cover_title": ["SOC 2® Type I Report", "Report on Brackenfield’s Retail Analytics Service",
                        "Relevant to Security and Confidentiality", "As of 31 March 2026"],
        "overview": "Brackenfield Analytics Ltd. is a private company registered in England that provides retail "
                    "footfall and sales analytics to shopping centre operators.",
        "services": "Customers upload point-of-sale extracts and sensor counts; Brackenfield returns dashboards "
                    "and weekly forecast files.",
        "subs": [az, tw], "sub_layout": "bullets",
        "csoc_layout": "bullets_by_org",
        "csoc_intro": "The description excludes the controls of the providers listed above. Brackenfield’s controls "
                      "were designed assuming that each of them operates the controls below.",
        "csocs": [(az, "Microsoft is responsible for restricting physical access to its data centres to authorised personnel.", []),
                  (az, "Microsoft is responsible for the secure disposal of storage media used by the managed database service.", []),
                  (az, "Microsoft is responsible for patching the underlying hosts of the managed database service.", []),
                  (tw, "Twilio is responsible for delivering messages sent through its service only to the intended recipients.", []),
                  (tw, "Twilio is responsible for protecting the API credentials it issues against unauthorised use.", [])],
        "cuec_title": "Customer Responsibilities", "cuec": "numbered",
        "cuec_wording": "Customers should {verb}.",
        "cuec_lead": "Customers using the service should operate the following controls, which Brackenfield assumed when designing its own:",
        "cuec_idx": [0, 1, 2, 3, 4, 7, 9, 12, 15, 17],
        "theme": {"pagesize": A4, "margins": (62, 62, 70, 64), "fam": "times", "color": "#6b1d2a", "size": 10.5,
                  "justify": True, "toc": "right", "toc_title": "Contents", "h1center": True,
                  "h1fmt": lambda n, t: f"{ROMAN[n]}. {t.upper()}", "cover_style": "frame", "calign": TA_CENTER,
                  "cover_top": 190, "header": (None, "Brackenfield Analytics – SOC 2 Type I"),
                  "footer": "– {p} –", "stamp": ("CONFIDENTIAL", "Controlled copy no. 07"),
                  "hdrfill": False, "ruled": True},
        "matrix": {"id_fmt": lambda c, n, k: f"BA-{n:02d}"},
    }


SOC1_OBJ = {
    "CO 1": "Payroll master file changes are authorised and recorded completely and accurately",
    "CO 2": "Time and attendance data are received and processed completely and accurately",
    "CO 3": "Payroll calculations and tax withholdings are computed accurately",
    "CO 4": "Payments and direct deposit files are authorised and transmitted completely",
    "CO 5": "Logical access to payroll applications and data is restricted to authorised individuals",
    "CO 6": "Changes to payroll applications are authorised, tested and approved",
}
SOC1_ROWS = [
    ("CO 1", "Employee master file changes submitted by clients are entered only from authenticated client portal requests.", "For a sample of master file changes, inspected the portal request and compared it with the change recorded."),
    ("CO 1", "A change report of pay rate updates is reviewed daily by a payroll specialist who did not enter the changes.", "For a sample of days, inspected the signed change report review."),
    ("CO 1", "New client setups are reviewed by a second implementation analyst before the first payroll run.", "For a sample of new clients, inspected the setup checklist for second review."),
    ("CO 1", "Bank account changes for employees require a callback to the client contact on file.", "For a sample of bank account changes, inspected the callback log."),
    ("CO 2", "Time files imported from client systems are validated against record counts and hash totals.", "For a sample of imports, inspected the validation log for record counts and hash totals."),
    ("CO 2", "Import failures are routed to an exception queue and resolved before payroll processing.", "For a sample of failed imports, inspected the exception queue entry and its resolution."),
    ("CO 2", "Clients approve a pre-process register before each payroll is finalised.", "For a sample of payroll runs, inspected client approval of the pre-process register."),
    ("CO 3", "Tax tables are updated from the tax service feed and changes are reviewed by the tax team.", "For a sample of tax table updates, inspected the tax team's review."),
    ("CO 3", "Payroll calculation logic is tested against a set of reference cases after each release.", "For a sample of releases, inspected reference case test results."),
    ("CO 3", "Gross-to-net variances above five percent between runs are investigated before release.", "For a sample of payroll runs, inspected the variance report and investigation notes."),
    ("CO 4", "Direct deposit files are transmitted to the bank through an encrypted channel with automated confirmation.", "Inspected the transmission configuration and, for a sample of files, the bank confirmation."),
    ("CO 4", "Funding for each payroll is confirmed as received before direct deposit files are released.", "For a sample of payroll runs, inspected the funding confirmation and release time."),
    ("CO 4", "Manual payments require approval by a payroll manager.", "For a sample of manual payments, inspected payroll manager approval."),
    ("CO 5", "Access to the payroll application requires unique user IDs and multi-factor authentication.", "Inspected the authentication configuration and the list of user IDs."),
    ("CO 5", "User access is removed within one business day after an employee leaves Cobaltline.", "For a sample of leavers, compared departure dates with access removal dates."),
    ("CO 5", "Privileged database access is reviewed quarterly by the IT director.", "For a sample of quarters, inspected the privileged access review."),
    ("CO 5", "Firewall rules restricting access to the payroll network are reviewed semi-annually.", "Inspected the semi-annual firewall rule reviews."),
    ("CO 6", "Application changes are approved by the change advisory board before development begins.", "For a sample of changes, inspected change advisory board approval."),
    ("CO 6", "Changes are tested by quality assurance staff and test results are retained.", "For a sample of changes, inspected test evidence."),
    ("CO 6", "Developers do not have access to migrate changes to production.", "Inspected the production deployment group membership."),
    ("CO 6", "Emergency changes are approved by the IT director within two business days.", "For a sample of emergency changes, inspected the IT director's approval."),
]


def r03():
    eq = {"legal": "Equinix, Inc.", "aliases": ["Equinix"], "method": "carve-out", "display": "Equinix, Inc.",
          "services": "Colocation data center space, power and physical security for the primary and secondary sites",
          "treat_text": "Controls excluded from the description", "svc_short": "colocation"}
    ir = {"legal": "Iron Ridge Records Storage LLC", "aliases": ["Iron Ridge"], "method": "carve-out",
          "display": "Iron Ridge Records Storage LLC",
          "services": "Off-site storage and transport of encrypted backup tapes",
          "treat_text": "Controls excluded from the description", "svc_short": "storage"}
    return {
        "id": "r03_cobaltline_soc1_t2", "org": "Cobaltline Payroll Services, LLC", "short": "Cobaltline",
        "framework": "SOC 1", "type": "Type 2", "tsc": [],
        "period_text": "January 1, 2025 through December 31, 2025", "period_start": "2025-01-01",
        "period_end": "2025-12-31", "system": "payroll processing system", "auditor": "Harrow, Pike & Co.",
        "signature": "text", "city": "Charlotte, North Carolina", "sign_date": "February 27, 2026",
        "opinion": "unqualified", "addressee": "defined", "addressee_text": "To Management and the Board of Managers:",
        "officer": "Luis Carrasco, President", "tests_ref": "Section IV of this report",
        "cover_title": ["SOC 1® Type 2 Report", "Description of the Payroll Processing System and the Suitability of "
                        "the Design and Operating Effectiveness of Controls",
                        "January 1, 2025 through December 31, 2025"],
        "overview": "Cobaltline Payroll Services, LLC provides outsourced payroll processing, tax filing and "
                    "direct deposit services to employers with between 20 and 2,000 employees.",
        "services": "Clients submit employee changes and time data through the Cobaltline portal or by file "
                    "transfer; Cobaltline calculates pay, files payroll taxes and transmits direct deposit files.",
        "subs": [eq, ir], "sub_layout": "table", "sub_title": "Subservice Organizations",
        "csoc_layout": "multi_header", "csoc_title": "Complementary Subservice Organization Controls",
        "csoc_intro": "Cobaltline’s controls were designed assuming that the following controls are operated by its "
                      "subservice organizations. The description does not include these controls.",
        "csoc_header": "Equinix, Inc. and Iron Ridge Records Storage LLC",
        "csoc_header_orgs": ["Equinix, Inc.", "Iron Ridge Records Storage LLC"],
        "csocs": [(None, "Physical access to facilities housing Cobaltline equipment or media is restricted to authorized individuals.", ["CO 5"]),
                  (None, "Visitors are escorted and visitor logs are retained.", ["CO 5"]),
                  (None, "Environmental protections, including fire suppression and uninterruptible power, are maintained and tested.", ["CO 4"]),
                  (None, "Media in transit is tracked by chain-of-custody records and stored in locked containers.", ["CO 4"])],
        "cuec_title": "Complementary User Entity Controls", "cuec": "co_table",
        "cuec_texts": ["User organizations must ensure that employee master file changes submitted to Cobaltline are authorized.",
                       "User organizations must review the change confirmation report after each payroll change batch.",
                       "User organizations must transmit complete and accurate time data by the published cut-off.",
                       "User organizations must review and approve the pre-process register before each payroll is finalized.",
                       "User organizations must review payroll registers for accuracy after each payroll run.",
                       "User organizations must fund payroll accounts before the release deadline.",
                       "User organizations must reconcile direct deposit totals with their bank statements.",
                       "User organizations must restrict portal access to authorized payroll administrators.",
                       "User organizations must notify Cobaltline promptly when a portal administrator leaves."],
        "cuec_groups": [("CO 1", SOC1_OBJ["CO 1"], [0, 1]), ("CO 2", SOC1_OBJ["CO 2"], [2, 3]),
                        ("CO 3", SOC1_OBJ["CO 3"], [4]), ("CO 4", SOC1_OBJ["CO 4"], [5, 6]),
                        ("CO 5", SOC1_OBJ["CO 5"], [7, 8])],
        "soc1_rows": [(c, a.replace("{s}", "Cobaltline"), t) for c, a, t in SOC1_ROWS],
        "desc_title": "Cobaltline’s Description of Its Payroll Processing System",
        "theme": {"pagesize": letter, "margins": (60, 60, 72, 62), "fam": "dvcond", "color": "#2d6a4f",
                  "toc": "runin", "toc_title": "Table of Contents", "toc_levels": 2, "toc_lead": 17, "toc_bold1": True,
                  "h1fmt": lambda n, t: f"SECTION {ROMAN[n]}<br/>{t}", "cover_style": "block", "cover_top": 120,
                  "header": ("Cobaltline Payroll Services, LLC", "SOC 1 Type 2"), "header_rule": True,
                  "footer": "{p}", "footer_pos": "right", "footer_left": "Harrow, Pike & Co. | Confidential",
                  "groupfill": "#d8eadf"},
        "matrix": {"cols": [("id", "No.", 0.08), ("control", "Controls Specified by Cobaltline", 0.33),
                            ("test", "Tests Performed by Harrow, Pike & Co.", 0.34), ("result", "Results of Tests", 0.25)],
                   "group_fmt": lambda c: f"Control Objective {c[3:]}: {SOC1_OBJ[c]}", "split_by_group": True,
                   "id_fmt": lambda c, n, k: f"{c[3:]}.{k:02d}", "pass": "No deviations noted.", "responses": "below",
                   "exceptions": [
                       {"match": "Bank account changes for employees",
                        "desc": "Deviation noted. For two of the forty bank account changes sampled, no callback to the client contact was recorded.",
                        "resp": "Both changes were confirmed with the clients after the period. The portal now blocks release of a bank change until the callback field is completed."},
                       {"match": "Manual payments require approval",
                        "desc": "Deviation noted. For 1 of 25 manual payments sampled, the approval was given by the payroll specialist who prepared the payment.",
                        "resp": "Approval rights in the payment tool now exclude the preparer of a payment."}],
                   "other_results": [
                       {"match": "Emergency changes are approved", "text": "No emergency changes were made during the period; therefore the control could not be tested."}]},
    }


def r04():
    aws = {"legal": "Amazon Web Services, Inc.", "aliases": ["AWS"], "method": "carve-out", "services": "Cloud hosting"}
    cf = {"legal": "Cloudflare, Inc.", "aliases": ["Cloudflare"], "method": "carve-out", "services": "Content delivery and web application firewall"}
    st = {"legal": "Stripe, Inc.", "aliases": ["Stripe"], "method": "carve-out", "services": "Payment processing"}
    return {
        "id": "r04_dunmore_soc3", "org": "Dunmore Health Messaging, Inc.", "short": "Dunmore",
        "framework": "SOC 3", "type": None, "tsc": ["security", "availability"],
        "period_text": "1 July 2025 through 30 June 2026", "period_start": "2025-07-01", "period_end": "2026-06-30",
        "system": "patient messaging platform", "auditor": "Marguerite Achebe, CPA", "signature": "text",
        "city": "Raleigh, North Carolina", "sign_date": "14 August 2026", "opinion": "unqualified", "addressee": "line",
        "aud_title": "Report of Independent Accountants", "assert_title": "Assertion of Dunmore Management",
        "officer": "Helen Ferreira, Chief Operating Officer",
        "cover_title": ["SOC 3® Report", "Patient Messaging Platform", "1 July 2025 through 30 June 2026"],
        "cover_note": "This is a general use report and may be freely distributed.",
        "overview": "Dunmore Health Messaging, Inc. sends appointment reminders and secure messages on behalf of "
                    "clinics and hospital groups.",
        "services": "Clinics connect their scheduling systems to Dunmore, which sends text and e-mail reminders "
                    "and hosts a secure message inbox for patients.",
        "subs": [aws, cf, st], "sub_layout": "group_prose", "group_name": "platform providers",
        "csoc_layout": "prose", "csoc_title": "Controls Expected of the Platform Providers", "csoc_lead": "",
        "csocs": [(None, "The platform providers are expected to restrict physical access to the facilities that host Dunmore’s systems.", []),
                  (None, "They are expected to protect the infrastructure they operate from environmental threats and power loss.", []),
                  (None, "They are also expected to notify Dunmore of security incidents that affect its data.", [])],
        "cuec_title": "User Entity Responsibilities", "cuec": "bullets",
        "cuec_wording": "The customer is responsible for {ger}.",
        "cuec_idx": [0, 2, 4, 9, 13, 15],
        "tests_title": "Attachment B: Controls in Place",
        "max_rows": 34,
        "theme": {"pagesize": letter, "margins": (72, 72, 72, 66), "fam": "dvsans", "color": "#5b3f8c", "size": 10.5,
                  "h2size": 12.5, "toc": "runin", "toc_title": None, "toc_lead": 22, "h1size": 17,
                  "h1fmt": lambda n, t: t, "cover_style": "rule", "cover_top": 200, "footer": "{p}",
                  "footer_pos": "center", "sidebar": False, "cellsize": 9},
        "matrix": {},
    }


def r05():
    g = {"legal": "Google LLC", "aliases": ["Google Cloud Platform", "GCP"], "method": "carve-out",
         "display": "Google LLC", "short_print": "GCP", "svc_short": "hosting",
         "services": "Hosting of the logistics platform on Google Cloud Platform (compute, Cloud SQL and storage)",
         "intro": "(“Google Cloud Platform” or “GCP”) hosts the logistics platform, including compute instances, "
                  "Cloud SQL databases and storage buckets. Eastgate applies the carve-out method to GCP."}
    return {
        "id": "r05_eastgate_soc2_qualified", "org": "Eastgate Logistics Software Corporation", "short": "Eastgate",
        "framework": "SOC 2", "type": "Type 2", "tsc": ["security", "processing_integrity"],
        "period_text": "April 1, 2025 through March 31, 2026", "period_start": "2025-04-01", "period_end": "2026-03-31",
        "system": "freight logistics platform", "auditor": "Okonkwo Brandt CPAs", "signature": "text",
        "city": "Minneapolis, Minnesota", "sign_date": "May 29, 2026", "opinion": "qualified", "addressee": "defined",
        "addressee_text": "To the Board of Directors and Management:", "carve_word": True,
        "basis": "Eastgate states in its description that changes to production code are peer reviewed and approved "
                 "before deployment. However, as noted in Section 4, for six of the forty production changes we "
                 "sampled there was no evidence of peer review or approval before deployment. As a result, controls "
                 "were not operating effectively to achieve criterion CC8.1 throughout the period.",
        "officer": "Marcus Adeyemi, Chief Technology Officer", "tests_ref": "Section 4",
        "cover_title": ["SOC 2® Report",
                        "Report on Eastgate’s Description of Its Freight Logistics Platform and on the Suitability of "
                        "the Design and Operating Effectiveness of Its Controls Relevant to Security and Processing Integrity",
                        "April 1, 2025 through March 31, 2026"],
        "overview": "Eastgate Logistics Software Corporation develops software that carriers and shippers use to "
                    "plan loads, tender freight and settle carrier invoices.",
        "services": "The freight logistics platform receives shipment orders through EDI and API connections, "
                    "optimises routes and produces carrier settlement files.",
        "except_for_trap": "All modules of the platform are within the scope of this description except for the "
                           "beta mobile application, which was offered to a small number of pilot customers.",
        "subs": [g], "sub_layout": "paras",
        "csoc_layout": "table",
        "csocs": [(g, "Physical access to data centers is restricted to authorized personnel.", ["CC6.4"]),
                  (g, "Storage media are securely destroyed at the end of their life.", ["CC6.5"]),
                  (g, "Patches are applied to the managed database engine in a timely manner.", ["CC7.1"]),
                  (g, "Managed services process scheduled jobs at the configured times.", ["PI1.4"])],
        "cuec_title": "Client Considerations", "cuec": "table_last",
        "cuec_wording": "Clients are expected to {verb}.",
        "cuec_colname": "Client Control Consideration",
        "cuec_idx": [0, 1, 3, 5, 6, 9, 10, 12, 17],
        "section5": "Additional Information Provided by Eastgate", "tests_title": "Trust Services Criteria, Related Controls and Tests of Controls",
        "theme": {"pagesize": letter, "margins": (60, 60, 70, 64), "fam": "times", "color": "#0b4f6c", "size": 10,
                  "justify": True, "toc": "right", "toc_title": "TABLE OF CONTENTS", "toc_levels": 2, "toc_lead": 36,
                  "outline": True, "h1fmt": lambda n, t: f"Section {n} – {t}", "cover_style": "rule", "cover_top": 150,
                  "header": ("Eastgate Logistics Software Corporation", None), "footer": "Page {p}",
                  "footer_pos": "center", "ruled": True, "cellsize": 7.5},
        "matrix": {"cols": [("id", "Control ID", 0.09), ("crit", "Criteria", 0.08), ("control", "Control Description", 0.21),
                            ("test", "Test of Controls", 0.23), ("result", "Result", 0.21), ("resp", "Management Response", 0.18)],
                   "id_fmt": lambda c, n, k: f"EG-{n:02d}", "pass": "No exceptions noted.", "responses": "column",
                   "exceptions": [
                       {"match": "Changes to production code are peer reviewed",
                        "desc": "The following exception was noted: for six of the forty production changes sampled, there was no evidence of peer review or approval before deployment.",
                        "resp": "Branch protection was disabled on one repository during a migration. It was re-enabled in January 2026 and is now monitored daily."},
                       {"match": "Background checks are completed",
                        "desc": "The following exception was noted: for one of twenty-five new hires sampled, the background check was completed nine days after system access was granted.",
                        "resp": "Provisioning now requires the background check reference number in the access ticket."},
                       {"match": "Output reports are reconciled",
                        "desc": "The following exception was noted: for 2 of 30 settlement files sampled, the reconciliation to processed transaction counts was not retained.",
                        "resp": "Reconciliations are now stored automatically with each settlement file."},
                       {"match": "Employees complete security awareness training",
                        "desc": "The following exception was noted: 3 of 40 employees sampled had not completed annual security awareness training.",
                        "resp": "The three employees completed training in February 2026; overdue training now blocks access renewal."}]},
    }


def r06():
    oci = {"legal": "Oracle America, Inc.", "aliases": ["Oracle Cloud Infrastructure", "OCI"], "method": "carve-out",
           "display": "Oracle America, Inc.", "short_print": "OCI", "svc_short": "hosting",
           "services": "Oracle Cloud Infrastructure compute, block storage and autonomous database services",
           "intro": "provides the Oracle Cloud Infrastructure (“OCI”) compute, block storage and autonomous database "
                    "services on which the exchange runs. The description excludes the controls of OCI."}
    return {
        "id": "r06_fenwick_soc2_t2", "org": "Fenwick Data Exchange, Inc.", "short": "Fenwick",
        "framework": "SOC 2", "type": "Type 2", "tsc": ["security", "availability", "processing_integrity"],
        "period_text": "1 October 2024 to 30 September 2025", "period_start": "2024-10-01", "period_end": "2025-09-30",
        "system": "claims data exchange", "auditor": "Tallis Greer", "signature": "image",
        "letterhead": ("TALLIS GREER", "Certified Public Accountants · 140 Mercer Street · Portland, Oregon 97204"),
        "city": "Portland, Oregon", "sign_date": "18 November 2025", "opinion": "unqualified", "addressee": "line",
        "officer": "Grace Lindqvist-Amato, Chief Executive Officer", "tests_ref": "Section 4",
        "cover_title": ["SOC 2 Type II Report", "Claims Data Exchange", "1 October 2024 to 30 September 2025"],
        "overview": "Fenwick Data Exchange, Inc. operates a clearing service that routes insurance claim files "
                    "between healthcare providers, clearinghouses and payers.",
        "services": "Submitters upload claim batches; Fenwick validates, translates and routes them and returns "
                    "acknowledgement files.",
        "subs": [oci], "sub_layout": "paras",
        "csoc_layout": "id_table", "csoc_prefix": "CSOC ",
        "csocs": [(oci, "Physical and environmental security of OCI data centers is maintained.", ["CC6.4", "A1.2"]),
                  (oci, "Decommissioned storage devices are sanitized before reuse or disposal.", ["CC6.5"]),
                  (oci, "Autonomous database backups are performed and retained as configured.", ["A1.2"])],
        "cuec_title": "Customer Responsibilities", "cuec": "grouped", "cuec_marker": "\u25aa",
        "cuec_wording": "Customers should {verb}.",
        "cuec_groups": [("CC6.1 Logical Access", ["CC6.1"], [2, 3, 9]),
                        ("CC6.2 Access Provisioning and Removal", ["CC6.2"], [0, 12]),
                        ("CC6.3 Access Reviews", ["CC6.3"], [1, 12]),
                        ("PI1.1 Inputs", ["PI1.1"], [5, 17]),
                        ("PI1.3 Outputs", ["PI1.3"], [6])],
        "theme": {"pagesize": letter, "margins": (58, 58, 70, 62), "fam": "dvserifcond", "color": "#8a4b08",
                  "toc": "runin", "toc_title": "Contents", "toc_lead": 19,
                  "h1fmt": lambda n, t: f"{n} | {t}", "cover_style": "band", "cover_top": 180,
                  "header": ("Fenwick Data Exchange, Inc.", "SOC 2 Type II"), "footer": "{p}", "footer_pos": "right",
                  "watermark": "Prepared for r.okafor@lanternmutual.example - do not forward", "ruled": False},
        "matrix": {"cols": [("control", "Controls Specified by Fenwick", 0.34), ("test", "Testing Performed by the Service Auditor", 0.4),
                            ("result", "Results of Testing", 0.26)],
                   "group": "crit", "group_fmt": lambda c: f"Criterion {c} – {grp_title(c)}", "zebra": True,
                   "pass": "No exceptions noted.", "responses": None,
                   "exceptions": [
                       {"match": "Restoration from backup is tested",
                        "desc": "Exception noted. Only one restoration test was performed during the period; the second semi-annual test was not performed.",
                        "resp": None},
                       {"match": "Input files received from customers are validated",
                        "desc": "Exception noted. In three of the twenty-five input files sampled, the control total check was bypassed and the files were processed without validation.",
                        "resp": None}],
                   "other_results": [
                       {"match": "Emergency changes", "text": "No instances occurred during the period; therefore no testing was performed."},
                       {"match": "Storage media are wiped", "text": "No instances occurred during the period; therefore no testing was performed."}]},
    }


def r07():
    return {
        "id": "r07_glenrock_soc2_t2_adverse", "org": "Glenrock Benefits Cloud, Inc.", "short": "Glenrock",
        "framework": "SOC 2", "type": "Type 2", "tsc": ["security", "confidentiality"],
        "period_text": "March 1, 2025 through February 28, 2026", "period_start": "2025-03-01",
        "period_end": "2026-02-28", "system": "benefits administration platform", "auditor": "Ferrante Hollis, P.C.",
        "signature": "block", "city": "Denver, Colorado", "sign_date": "April 30, 2026", "opinion": "adverse",
        "addressee": "line", "officer": "Tom Baranski, Chief Executive Officer", "tests_ref": "Part IV",
        "other_info_trap": True, "tools": True, "ntools": 14,
        "basis": "Our tests identified deviations in the operation of controls over user access removal, access "
                 "reviews, change approval, vulnerability remediation and incident handling, described in Part IV. "
                 "Taken together, these deviations mean that controls did not operate effectively to meet criteria "
                 "CC6.2, CC6.3, CC7.1, CC7.3 and CC8.1 throughout the period.",
        "cover_title": ["SOC 2® Type 2 Report", "Benefits Administration Platform",
                        "March 1, 2025 through February 28, 2026"],
        "overview": "Glenrock Benefits Cloud, Inc. hosts enrolment and benefits administration software for "
                    "employers and insurance brokers.",
        "services": "Employers manage plan enrolment, eligibility files and carrier feeds through the Glenrock "
                    "platform.",
        "subs": [], "sub_title": "Use of Subservice Organizations",
        "cuec_title": "Complementary User Entity Controls", "cuec": "numbered",
        "cuec_wording": ["User entities are responsible for {ger}.", "User entities should {verb}."],
        "cuec_idx": [0, 1, 2, 4, 7, 12, 13, 14, 15, 16, 17],
        "section5": "Other Information Provided by Glenrock",
        "theme": {"pagesize": letter, "margins": (62, 54, 70, 62), "fam": "helv", "color": "#a4161a", "sidebar": True,
                  "toc": "leaders", "toc_title": "Table of Contents",
                  "h1fmt": lambda n, t: f"PART {ROMAN[n]}<br/>{t}", "cover_style": "block", "cover_top": 150,
                  "header": ("Glenrock Benefits Cloud, Inc.", "Confidential"), "footer": "Page {p}",
                  "footer_pos": "center", "groupfill": "#f3d9da"},
        "matrix": {"cols": [("id", "Ref.", 0.08), ("crit", "TSC", 0.08), ("control", "Control Activity", 0.28),
                            ("test", "Test Procedure", 0.32), ("result", "Test Result", 0.24)],
                   "id_fmt": lambda c, n, k: f"GR-{n:03d}", "pass": "No deviations noted.", "zebra": True,
                   "responses": "later", "mapping": True,
                   "exceptions": [
                       {"match": "Access for terminated employees",
                        "desc": "Deviation noted: for 7 of 25 terminated employees sampled, access was not revoked until 5 to 19 business days after termination.",
                        "resp": "An automated deprovisioning workflow triggered by the HR system went live in February 2026."},
                       {"match": "User access to production systems is reviewed quarterly",
                        "desc": "Deviation noted: user access reviews were not performed for two of the four quarters in the period.",
                        "resp": "Access reviews are now scheduled in the compliance platform and tracked by the security officer."},
                       {"match": "Changes to production code are peer reviewed",
                        "desc": "Deviation noted: 9 of 40 production changes sampled were deployed without documented approval.",
                        "resp": "Deployment pipelines now require an approved pull request."},
                       {"match": "Vulnerability scans of production systems",
                        "desc": "Deviation noted: weekly scans were not run for eleven weeks of the period, and 4 of 12 critical findings sampled were open for more than 30 days.",
                        "resp": "Scanning was moved to a managed service with alerting on missed scans."},
                       {"match": "Security incidents are logged",
                        "desc": "Deviation noted: for 3 of 10 incidents sampled, no severity classification or investigation notes were recorded.",
                        "resp": "The incident form now makes classification and investigation notes mandatory."}],
                   "other_results": []},
    }


def r08():
    ng = {"legal": "Northgate Colocation LLC", "aliases": ["Northgate"], "method": "inclusive",
          "display": "Northgate Colocation LLC", "svc_short": "colocation services",
          "services": "Colocation of Hollis’s servers in a Sacramento data center",
          "intro": "(“Northgate”) provides colocation space, power, cooling and physical security for Hollis’s servers.",
          "treat_text": "The description includes the relevant controls of Northgate, and those controls were tested "
                        "together with Hollis’s own controls."}
    return {
        "id": "r08_hollis_soc2_t2_disclaimer", "org": "Hollis Medical Billing, Inc.", "short": "Hollis",
        "address": ["2200 Larkin Avenue, Suite 300", "Sacramento, CA 95814"],
        "framework": "SOC 2", "type": "Type 2", "tsc": ["security", "availability"],
        "period_text": "July 1, 2025 to December 31, 2025", "period_start": "2025-07-01", "period_end": "2025-12-31",
        "system": "medical billing system", "auditor": "Pemberton Vale, P.C.", "signature": "text",
        "city": "Sacramento, California", "sign_date": "March 6, 2026", "opinion": "disclaimer", "addressee": "block",
        "officer": "Rosa Delgado, President", "tests_ref": "Section 4",
        "basis": "Hollis was unable to provide a complete and accurate population of changes made to production "
                 "systems during the period, because change tickets were held in two systems, one of which was "
                 "decommissioned without an export. We were therefore unable to test the operating effectiveness of "
                 "the change management controls, and we could not satisfy ourselves by alternative procedures.",
        "cover_title": ["SOC 2 Type 2", "Report on Controls Relevant to Security and Availability",
                        "July 1, 2025 to December 31, 2025"],
        "overview": "Hollis Medical Billing, Inc. provides revenue cycle and billing services to physician practices.",
        "services": "Practices send encounter data to Hollis, which prepares claims, posts remittances and manages "
                    "patient statements.",
        "subs": [ng], "sub_layout": "paras", "sub_title": "Subservice Organization",
        "cuec_title": "Complementary User Entity Controls", "cuec": "none",
        "theme": {"pagesize": A4, "margins": (56, 56, 66, 60), "fam": "dvsans", "color": "#37474f", "size": 9,
                  "toc": "leaders", "toc_title": "Contents", "toc_levels": 2, "toc_lead": 16,
                  "h1fmt": lambda n, t: f"{n}. {t}", "cover_style": "frame", "cover_top": 170,
                  "header": ("Hollis Medical Billing, Inc.", "SOC 2 Type 2 Report"), "header_rule": True,
                  "footer": "Page {p}", "footer_pos": "left", "groupfill": "#e3e7ea"},
        "matrix": {"cols": [("id", "Control", 0.1), ("control", "Control Activity", 0.3),
                            ("test", "Tests Performed", 0.34), ("result", "Results", 0.26)],
                   "group": "family", "group_fmt": lambda g: f"{g} – {C.CRIT_TITLES[C.crit_group(g)]}",
                   "id_fmt": lambda c, n, k: f"HMB-{n:02d}", "pass": "No exceptions noted.", "responses": None,
                   "exceptions": [
                       {"match": "Endpoint protection software",
                        "desc": "Exceptions noted. For 1 of 25 endpoints sampled, endpoint protection definitions had not been updated for 37 days.",
                        "resp": None}],
                   "other_results": [
                       {"match": "Changes to production code", "text": "Not tested. A complete population of changes could not be obtained; see the Basis for Disclaimer of Opinion."},
                       {"match": "Emergency changes", "text": "Not tested. A complete population of changes could not be obtained; see the Basis for Disclaimer of Opinion."},
                       {"match": "Storage media are wiped", "text": "Not applicable. Hollis did not dispose of any storage media during the period."},
                       {"match": "Restoration from backup", "text": "No restoration tests were due during the six-month period; therefore no testing was performed."},
                       {"match": "Physical access to the office server room", "text": "Not applicable. Hollis has no server room; its servers are housed at Northgate."}]},
    }


def r09():
    aws = {"legal": "Amazon Web Services, Inc.", "aliases": ["AWS", "Amazon Web Services"], "method": "carve-out",
           "display": "Amazon Web Services, Inc. (AWS)", "short_print": "Amazon Web Services (AWS)",
           "services": "Infrastructure hosting", "svc_short": "hosting",
           "intro": "– hosting of the policy administration system and its databases. Our examination did not include the services provided by AWS."}
    sf = {"legal": "Snowflake Inc.", "aliases": ["Snowflake"], "method": "carve-out", "display": "Snowflake Inc.",
          "short_print": "Snowflake", "services": "Data warehouse for reporting", "svc_short": "warehousing",
          "intro": "– data warehouse used for customer reporting. The controls of Snowflake are not included in the description."}
    return {
        "id": "r09_ironleaf_soc2_t2", "org": "Ironleaf Insurance Systems, Inc.", "short": "Ironleaf",
        "framework": "SOC 2", "type": "Type 2", "tsc": ["security", "availability", "confidentiality", "privacy"],
        "period_text": "February 1, 2025 to January 31, 2026", "period_start": "2025-02-01", "period_end": "2026-01-31",
        "system": "policy administration system", "auditor": "Norrbury Partners LLC", "signature": "text",
        "city": "Hartford, Connecticut", "sign_date": "March 20, 2026", "opinion": "unqualified", "addressee": "line",
        "officer": "Samuel Okoye, Chief Information Officer", "tests_ref": "Section IV", "other_info_trap": True,
        "cover_title": ["System and Organization Controls (SOC) 2 Type 2 Report", "Policy Administration System",
                        "February 1, 2025 to January 31, 2026"],
        "overview": "Ironleaf Insurance Systems, Inc. licenses a hosted policy administration system to regional "
                    "property and casualty insurers.",
        "services": "Insurers use the system to rate, issue and endorse policies and to produce regulatory reports.",
        "subs": [aws, sf], "sub_layout": "bullets",
        "csoc_layout": "bullets_by_org",
        "csocs": [(aws, "Restrict physical access to data centers hosting Ironleaf’s systems to authorized personnel.", []),
                  (aws, "Maintain environmental protections and redundant power for hosting facilities.", []),
                  (aws, "Securely decommission storage devices used for Ironleaf’s data.", []),
                  (sf, "Encrypt data stored in the warehouse with keys managed by Snowflake.", []),
                  (sf, "Restrict Snowflake personnel access to customer warehouse data.", [])],
        "cuec_title": "User Entity Responsibilities", "cuec": "table_num",
        "cuec_wording": "The customer is responsible for {ger}.", "cuec_colname": "Responsibility",
        "cuec_idx": [0, 1, 2, 3, 4, 7, 8, 9, 11, 12, 13, 16, 17],
        "section5": "Other Information Provided by Ironleaf",
        "theme": {"pagesize": letter, "margins": (54, 54, 64, 58), "fam": "helv", "headfam": "dvserif",
                  "color": "#006d77", "toc": "right", "toc_title": "Table of Contents", "outline": True, "toc_lead": 22,
                  "h1fmt": lambda n, t: f"Section {ROMAN[n]}<br/>{t}", "cover_style": "band", "cover_top": 160,
                  "footer": "Ironleaf Insurance Systems, Inc. | {p}", "footer_pos": "right", "cellsize": 8},
        "matrix": {"cols": [("id", "Control", 0.08), ("control", "Control Activity", 0.27),
                            ("test", "Test Performed by the Service Auditor", 0.3), ("result", "Results of Testing", 0.25),
                            ("crit", "Criteria", 0.1)], "landscape": True,
                   "id_fmt": lambda c, n, k: f"IL-{n:03d}", "pass": "No deviations noted.", "responses": "inline",
                   "exceptions": [
                       {"match": "Password parameters",
                        "desc": "Exception noted: the password policy for the reporting database allowed eight-character passwords, below the documented twelve-character minimum.",
                        "resp": "The database password policy was corrected on 12 November 2025."},
                       {"match": "Production databases are backed up daily",
                        "desc": "For 2 of 30 days sampled, the daily backup did not complete and no alert was raised.",
                        "resp": "A monitoring rule was added for backup job completion."},
                       {"match": "Customer data is deleted within ninety days",
                        "desc": "Exception noted: for one of the five terminated customers sampled, data was deleted 140 days after contract termination.",
                        "resp": "Deletion requests are now tracked with a due date in the ticketing system."}],
                   "other_results": [
                       {"match": "Data subject access requests", "text": "No instances occurred during the period; therefore no testing was performed."}]},
    }


def r10():
    ms = {"legal": "Microsoft Corporation", "aliases": ["Microsoft Azure", "Azure"], "method": "carve-out",
          "display": "Microsoft Corporation (Azure)", "services": "Cloud hosting in the UK West and UK South regions",
          "treat_text": "Carve-out", "svc_short": "hosting"}
    mg = {"legal": "MongoDB, Inc.", "aliases": ["MongoDB Atlas", "MongoDB"], "method": "carve-out",
          "display": "MongoDB, Inc. (MongoDB Atlas)", "services": "Managed document database for ledger data",
          "treat_text": "Carve-out", "svc_short": "database"}
    return {
        "id": "r10_juniper_soc2_t2", "org": "Juniper Ledger Technologies Limited", "short": "Juniper",
        "framework": "SOC 2", "type": "Type 2", "tsc": ["security", "confidentiality", "processing_integrity"],
        "period_text": "1 April 2025 to 31 March 2026", "period_start": "2025-04-01", "period_end": "2026-03-31",
        "system": "ledger reconciliation service", "auditor": "Quenby Hale LLP", "signature": "image",
        "city": "New York, New York", "sign_date": "12 June 2026", "opinion": "unqualified", "addressee": "defined",
        "addressee_text": "To the Directors of Juniper Ledger Technologies Limited:", "carve_word": True,
        "officer": "Imogen Clarke, Chief Executive", "tests_ref": "Section Four", "other_info_trap": False,
        "cover_title": ["SOC 2® Type 2 Report", "Ledger Reconciliation Service", "1 April 2025 to 31 March 2026"],
        "cover_extra": ["Together with the Independent Service Auditor’s Report of Quenby Hale LLP"],
        "overview": "Juniper Ledger Technologies Limited provides automated bank and ledger reconciliation to finance "
                    "teams of mid-sized companies.",
        "services": "Customers connect bank feeds and general ledger exports; Juniper matches transactions and "
                    "presents unmatched items for review.",
        "except_for_trap": "Every component described in this section supports the service, except for the "
                           "internal sales reporting tools, which do not process customer data.",
        "subs": [ms, mg], "sub_layout": "table",
        "csoc_layout": "multi_header",
        "csoc_header": "Microsoft Azure and MongoDB Atlas",
        "csoc_header_orgs": ["Microsoft Corporation", "MongoDB, Inc."],
        "csoc_intro": "The carve-out method has been applied. The controls below are expected of both providers.",
        "csocs": [(None, "Physical access to data centers is restricted to authorized personnel.", ["CC6.4"]),
                  (None, "Infrastructure supporting the managed services is patched and monitored.", ["CC7.1", "CC7.2"]),
                  (None, "Stored data is encrypted with provider-managed keys.", ["CC6.1", "C1.1"]),
                  (None, "Managed database backups run as configured and are retained.", ["PI1.4"])],
        "cuec_title": "Complementary User Entity Controls", "cuec": "bullets",
        "cuec_wording": ["User entities are responsible for {ger}.", "Customers should {verb}."],
        "cuec_idx": [0, 1, 2, 5, 6, 7, 10, 13, 17],
        "theme": {"pagesize": A4, "margins": (60, 60, 72, 66), "fam": "dvserif", "color": "#264653", "size": 9.5,
                  "toc": "leaders", "toc_title": "CONTENTS", "toc_lead": 24,
                  "h1fmt": lambda n, t: f"Section {['', 'One', 'Two', 'Three', 'Four', 'Five'][n]}<br/>{t}",
                  "cover_style": "block", "cover_top": 140,
                  "header": ("Juniper Ledger Technologies Limited", "SOC 2 Type 2"), "footer": "{p}",
                  "footer_pos": "center", "cellsize": 7.8},
        "matrix": {"cols": [("id", "Ref", 0.08), ("crit", "Criteria", 0.09), ("control", "Control Activity", 0.27),
                            ("test", "Tests Performed", 0.32), ("result", "Results", 0.24)],
                   "id_fmt": lambda c, n, k: f"JLT-{n:02d}", "pass": "No exceptions noted.", "responses": None,
                   "summary": "after_matrix",
                   "exceptions": [
                       {"match": "Processing jobs that fail validation",
                        "desc": "Exception noted: for 3 of 40 failed jobs sampled, the exception queue entry was closed without a documented resolution.",
                        "resp": None},
                       {"match": "Remote access to the corporate network",
                        "desc": "Exception noted: two VPN accounts used by contractors were configured without multi-factor authentication for part of the period.",
                        "resp": None}],
                   "other_results": [
                       {"match": "Emergency changes", "text": "Not applicable. No emergency changes were requested during the period."}]},
    }


REPORTS = [r01, r02, r03, r04, r05, r06, r07, r08, r09, r10]
