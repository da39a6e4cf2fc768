"""The blind set: one configuration per report (firm style, layout and content choices)."""
from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, letter

from . import content as C

D = dt.date
ROMAN = ["", "I", "II", "III", "IV", "V", "VI"]
WORDS = ["", "One", "Two", "Three", "Four", "Five", "Six"]


def soc2_index(cats, needle):
    rows = [r for r in C.SOC2_CONTROLS if C.in_scope(r[0], cats)]
    hits = [i for i, r in enumerate(rows) if needle in r[1]]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def soc1_index(needle):
    hits = [i for i, r in enumerate(C.SOC1_CONTROLS) if needle in r[1]]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def nonocc_soc2(cats):
    rows = [r for r in C.SOC2_CONTROLS if C.in_scope(r[0], cats)]
    return [i for i, r in enumerate(rows) if r[4] and not r[3]]


# ---------------------------------------------------------------- page decorations

def deco_kestrel(canv, doc, pn, rep):
    w, h = canv._pagesize
    canv.setFillColor(colors.HexColor("#0f6e6e"))
    canv.rect(0, h - 30, w, 30, stroke=0, fill=1)
    canv.setFillColor(colors.white)
    canv.setFont("Helvetica-Bold", 8.5)
    canv.drawString(54, h - 19, "KESTREL LEDGER SYSTEMS  |  SOC 2 TYPE 2")
    canv.setFillColor(colors.black)
    canv.setFont("Helvetica", 7.5)
    canv.drawString(54, 36, "Confidential \u2013 for use by Kestrel customers under NDA only")
    canv.drawRightString(w - 54, 36, f"Page {pn}")


def deco_marlowe(canv, doc, pn, rep):
    w, h = canv._pagesize
    canv.setFont("Times-Italic", 9)
    canv.drawCentredString(w / 2, h - 40, "Marlowe Health Exchange LLC \u2014 Independent Service Auditor\u2019s Report")
    canv.setLineWidth(0.4)
    canv.line(60, h - 46, w - 60, h - 46)
    canv.setFont("Times-Roman", 9)
    canv.drawCentredString(w / 2, 30, f"\u2013 {pn} \u2013")


def deco_tidewater(canv, doc, pn, rep):
    w, h = canv._pagesize
    canv.setFont("DVSansC", 7.5)
    canv.drawString(50, h - 34, "Tidewater Claims Administration, Inc.")
    canv.drawRightString(w - 50, h - 34, "SOC 1\u00ae Type 2 Report")
    canv.setFont("DVSansC-B", 8)
    canv.drawRightString(w - 50, 28, f"{pn}")
    canv.setFont("DVSansC", 7)
    canv.drawString(50, 28, "Hollis, Grange & Pike LLP")


def deco_quarry(canv, doc, pn, rep):
    w, h = canv._pagesize
    canv.setStrokeColor(colors.HexColor("#7a4e2d"))
    canv.setLineWidth(2)
    canv.line(60, 50, w - 60, 50)
    canv.setFont("DVSerifC-I", 8)
    canv.drawString(60, 38, "Quarry Lane Analytics \u00b7 SOC 2 Type I \u00b7 Restricted Use")
    canv.drawRightString(w - 60, 38, f"{pn} | Page")


# ---------------------------------------------------------------- reports

K_CATS = ["security", "availability", "confidentiality"]
KESTREL = dict(
    name="b01_kestrel_soc2_t2", framework="SOC 2", type="Type 2", type_word="Type 2",
    company="Kestrel Ledger Systems, Inc.", co="Kestrel", product="Kestrel Payroll Cloud",
    service="cloud payroll and workforce ledger software", industry="professional services", city="Boise, Idaho",
    founded="2011", staff="340",
    auditor="Ashgrove Whitcombe LLP",
    signature=["Ashgrove Whitcombe LLP", "Denver, Colorado", "April 17, 2026"],
    period_start=D(2025, 3, 1), period_end=D(2026, 2, 28), date_style="us", period_join="through",
    opinion="unqualified", cats=K_CATS,
    font="Helvetica", head_font="DVSansC", size=9.5, accent=colors.HexColor("#0f6e6e"), pagesize=letter,
    margins=(54, 54, 60, 60), header_bg=colors.HexColor("#d5ecec"), decorate=deco_kestrel,
    sections=["auditor", "assertion", "description", "tests", "other"],
    titles={"auditor": "Independent Service Auditor\u2019s Report", "assertion": "Assertion of Kestrel Management",
            "description": "Kestrel\u2019s Description of Its Payroll Cloud System",
            "tests": "Trust Services Criteria, Related Controls and Tests of Controls",
            "other": "Other Information Provided by Management"},
    section_label=lambda i, t: f"Part {WORDS[i]}: {t}",
    tools_table="ruled",
    subservice=[dict(name="Google LLC", aliases=["Google Cloud Platform", "GCP"], short="GCP", method="carve-out",
                     explicit=True, services="infrastructure-as-a-service hosting, managed databases and object storage "
                     "for the production environment", csoc_kind="hosting", csoc_count=4)],
    csoc_layout="table_ruled",
    cuec_count=10, cuec_layout="numbered", cuec_lead="User entities are responsible for",
    matrix=dict(cols=[("id", "ID", 0.11), ("control", "Control Description", 0.29), ("test", "Tests Performed", 0.36),
                      ("result", "Results", 0.24)],
                ruled=True, group_rows=True, id_fmt=lambda i, c, n: f"KLS-{C.family(c)}-{n:02d}",
                passing=["No exceptions noted."],
                test_suffix=" Where the control is performed by a system, inspected the configuration and observed one "
                            "instance of its operation; where it is performed manually, reperformed the control for "
                            "the items selected.",
                intro=["Tests of operating effectiveness were performed for the period March 1, 2025 through February 28, "
                       "2026. Inquiry of appropriate personnel was performed for every control and is not repeated in "
                       "the test descriptions below."]),
    responses="section",
    exceptions=[(soc2_index(K_CATS, "Logical access for terminated"), 0),
                (soc2_index(K_CATS, "Vulnerability scans"), 1)],
    wordings=["Exceptions noted: for {n} of {N} {pop} tested, {finding}.",
              "Of the {N} {pop} sampled, {n} did not meet the requirement: {finding}."],
    nonoccurrence=nonocc_soc2(K_CATS),
    other_prose=["Kestrel plans to add a second hosting region in the next fiscal year. This information has not been "
                 "subjected to the procedures applied in the examination."],
)

M_CATS = ["security", "processing_integrity"]
MARLOWE = dict(
    name="b02_marlowe_soc2_t2_qualified", framework="SOC 2", type="Type 2", type_word="Type II",
    company="Marlowe Health Exchange LLC", co="Marlowe", product="Marlowe Claims Clearinghouse",
    service="electronic claims clearinghouse and eligibility services", industry="healthcare", city="Hartford, Connecticut",
    founded="2009", staff="210",
    auditor="Brackett Ossian CPAs, P.C.",
    signature=["/s/ Brackett Ossian CPAs, P.C.", "Providence, Rhode Island", "22 May 2026"],
    period_start=D(2025, 4, 1), period_end=D(2026, 3, 31), date_style="intl", period_join="to",
    opinion="qualified",
    opinion_basis="Marlowe states in its description that logical access for terminated personnel is revoked within one "
                  "business day of termination. However, for 2 of the 25 terminated personnel we sampled, logical access "
                  "was revoked between three and nine business days after termination. As a result, controls were not "
                  "operating effectively to provide reasonable assurance that Marlowe\u2019s service commitments and system "
                  "requirements were achieved based on criteria CC6.2 and CC6.3 throughout the period 1 April 2025 to "
                  "31 March 2026.",
    cats=M_CATS, font="Times", size=10.5, pagesize=A4, margins=(64, 64, 70, 64), decorate=deco_marlowe,
    justify=True,
    sections=["auditor", "assertion", "description", "tests"],
    titles={"auditor": "Independent Service Auditor\u2019s Report", "assertion": "Management\u2019s Assertion",
            "description": "Description of the Marlowe Claims Clearinghouse System",
            "tests": "Testing Matrices"},
    section_label=lambda i, t: f"{ROMAN[i]}. {t.upper()}",
    subservice=[dict(name="Microsoft Corporation", aliases=["Microsoft Azure", "Azure"], short="Azure",
                     method="carve-out", explicit=False, heading="Microsoft Azure",
                     services="cloud hosting of the clearinghouse application and its databases in two Azure regions",
                     csoc_kind="hosting", csoc_count=5),
                dict(name="Rimrock Data Vault, Inc.", aliases=["Rimrock"], short="Rimrock", method="inclusive",
                     explicit=False, services="secure offsite storage and retrieval of encrypted backup media")],
    csoc_layout="bullets", h_csoc="Complementary Subservice Organization Controls",
    cuec_count=14, cuec_layout="lettered", cuec_lead="User entities are responsible for",
    h_cuec="Complementary User Entity Controls", process_repeat=1,
    matrix=dict(cols=[("id", "Ref", 0.07), ("criteria", "TSC", 0.09), ("control", "Control Activity", 0.24),
                      ("test", "Test of Control", 0.3), ("sample", "Sample", 0.08), ("result", "Result", 0.22)],
                landscape=True, ruled=True, split_in_row=True,
                id_fmt=lambda i, c, n: f"MHX.{i + 1:02d}", crit_join="; ", sample_word="items",
                test_prefix="Inquired of the control owner and ",
                test_suffix=" Inspected supporting documentation for each item selected and compared it with the "
                            "requirements stated in the control description, including dates, approvals and the "
                            "completeness of the population from which the sample was drawn.",
                passing=["No deviations noted.", "Control operated as described. No deviations noted."]),
    responses="inline", resp_label="Management Response:",
    exceptions=[(soc2_index(M_CATS, "Logical access for terminated"), 0),
                (soc2_index(M_CATS, "code of business conduct"), 1),
                (soc2_index(M_CATS, "Processing errors"), 0),
                (soc2_index(M_CATS, "New user access"), 1)],
    wordings=["Deviation noted. For {n} of the {N} {pop} sampled, {finding}.",
              "The auditor noted that for {n} of {N} {pop} selected for testing, {finding}."],
    nonoccurrence=nonocc_soc2(M_CATS),
)

TIDEWATER = dict(
    name="b03_tidewater_soc1_t2", framework="SOC 1", type="Type 2", type_word="Type 2",
    company="Tidewater Claims Administration, Inc.", co="Tidewater", product="Claims Administration",
    service="third-party administration of employee benefit and workers' compensation claims",
    industry="insurance", city="Norfolk, Virginia", founded="1998", staff="520",
    auditor="Hollis, Grange & Pike LLP",
    signature=["HOLLIS, GRANGE & PIKE LLP", "Richmond, Virginia", "August 14, 2026"],
    period_start=D(2025, 7, 1), period_end=D(2026, 6, 30), date_style="abbr", period_join="to",
    opinion="unqualified", cats=[],
    font="DVSansC", head_font="Helvetica", size=10.5, accent=colors.HexColor("#22335c"), pagesize=letter,
    margins=(62, 62, 64, 64), decorate=deco_tidewater,
    sections=["auditor", "assertion", "description", "tests", "other"],
    titles={"auditor": "Report of Independent Service Auditors", "assertion": "Management\u2019s Assertion",
            "description": "Description of Tidewater\u2019s Claims Administration System",
            "tests": "Control Objectives, Related Controls, and Tests of Operating Effectiveness",
            "other": "Other Information Provided by Tidewater"},
    section_label=lambda i, t: f"Attachment {chr(64 + i)} \u2013 {t}",
    subservice=[dict(name="Oracle America, Inc.", aliases=["Oracle Cloud Infrastructure", "OCI"], short="OCI",
                     method="carve-out", explicit=True, csoc_kind="database",
                     services="hosting of the claims database and the secure file transfer servers")],
    csoc_layout="sentences", h_csoc="Subservice Organization Controls Assumed in the Design",
    cuec_count=7, cuec_layout="table_first", cuec_lead="User organizations should", co_long=True,
    h_cuec="Complementary User Entity Controls",
    matrix=dict(cols=[("id", "Control Number", 0.12), ("control", "Description of Controls", 0.3),
                      ("test", "Tests of Operating Effectiveness", 0.34), ("result", "Results", 0.24)],
                ruled=False, group_rows=True, group_bg=colors.HexColor("#eef1f7"),
                id_fmt=lambda i, c, n: f"{c.split()[1]}.{n:02d}",
                test_prefix="Inquired of management and ",
                test_suffix=" Sample sizes were determined based on the frequency of the control and the size of the "
                            "population, and the population was reconciled to the system of record before selection.",
                passing=["No exceptions noted."],
                non_fmt="No {pop} were made during the examination period. Therefore, the operating effectiveness of "
                        "this control could not be tested."),
    responses=None,
    exceptions=[(soc1_index("Electronic claim batches"), 0), (soc1_index("authority limit"), 1),
                (soc1_index("Access of terminated employees"), 0)],
    wordings=["Exception noted. For {n} of the {N} {pop} inspected, {finding}.",
              "Testing noted the following exception: for {n} of {N} {pop} selected, {finding}."],
    nonoccurrence=[soc1_index("Manual payment adjustments")],
    other_prose=["Tidewater is migrating its document imaging platform in fiscal 2027. Management will evaluate the "
                 "controls over the migration as part of its annual risk assessment."],
)

Q_CATS = ["security", "confidentiality"]
QUARRY = dict(
    name="b04_quarrylane_soc2_t1", framework="SOC 2", type="Type 1", type_word="Type I",
    company="Quarry Lane Analytics, Inc.", co="Quarry Lane", product="Quarry Lane Insights Platform",
    service="marketing attribution analytics", industry="retail and consumer goods", city="Madison, Wisconsin",
    founded="2017", staff="95",
    auditor="Delacroix Amsel CPA Group, LLC",
    signature=["Delacroix Amsel CPA Group, LLC", "Minneapolis, Minnesota", "November 12th, 2025"],
    period_start=None, period_end=D(2025, 9, 30), date_style="ord",
    opinion="unqualified", cats=Q_CATS,
    font="DVSerifC", size=11.5, accent=colors.HexColor("#7a4e2d"), pagesize=letter, margins=(84, 84, 72, 84),
    decorate=deco_quarry, justify=False,
    sections=["auditor", "assertion", "description", "tests"],
    titles={"auditor": "Independent Service Auditor\u2019s Report", "assertion": "Management of Quarry Lane\u2019s Assertion",
            "description": "Quarry Lane\u2019s Description of Its Insights Platform",
            "tests": "Trust Services Criteria and Related Controls"},
    section_label=lambda i, t: f"{i}.0\u2003{t}",
    tools_table="plain",
    subservice=[dict(name="Amazon Web Services, Inc.", aliases=["AWS"], short="AWS", method="carve-out", explicit=True,
                     services="hosting of the platform's compute, storage and data warehouse services",
                     csoc_kind="hosting", csoc_count=5),
                dict(name="Cloudflare, Inc.", aliases=["Cloudflare"], short="Cloudflare", method="carve-out",
                     explicit=False, services="content delivery, DNS and web application firewall services",
                     csoc_kind="cdn")],
    csoc_layout="table_unruled", csoc_crit_first=True,
    cuec_count=8, cuec_layout="plain", cuec_lead="User entities should", h_cuec="User Entity Responsibilities",
    matrix=dict(cols=[("criteria", "Criteria", 0.16), ("id", "Control ID", 0.14), ("control", "Control Activity", 0.7)],
                ruled=False, id_fmt=lambda i, c, n: f"QLA-{i + 1:03d}", crit_join=", ",
                intro=["The controls below were evaluated for suitability of design as of September 30th, 2025. The "
                       "service auditor did not test their operating effectiveness."]),
)

ALL = [KESTREL, MARLOWE, TIDEWATER, QUARRY]


# ---------------------------------------------------------------- second batch

def deco_brightwater(canv, doc, pn, rep):
    w, h = canv._pagesize
    canv.setFillColor(colors.HexColor("#1d4f91"))
    canv.rect(40, 40, 4, h - 80, stroke=0, fill=1)
    canv.setFont("Helvetica", 8)
    canv.drawString(56, 30, "Brightwater Remit, Inc. | SOC 3 Report")
    canv.drawRightString(w - 50, 30, f"{pn}")


def deco_halcyon(canv, doc, pn, rep):
    w, h = canv._pagesize
    canv.setFont("Helvetica-Bold", 8)
    canv.setFillColor(colors.HexColor("#9b1c1c"))
    canv.drawString(50, h - 36, "HALCYON FREIGHT EXCHANGE")
    canv.setFillColor(colors.black)
    canv.setFont("Helvetica", 8)
    canv.drawRightString(w - 50, h - 36, "Report on Controls Relevant to Security")
    canv.drawCentredString(w / 2, 28, f"Page {pn}")
    canv.drawString(50, 28, "Renwick & Tal LLP")


def deco_fernhollow(canv, doc, pn, rep):
    w, h = canv._pagesize
    canv.setFont("DVSansC", 7.5)
    canv.setFillColor(colors.HexColor("#3d6b35"))
    canv.drawString(48, h - 30, "Fernhollow Learning, Inc.  \u2022  SOC 2 Type 2  \u2022  01/01/2025 \u2013 12/31/2025")
    canv.setFillColor(colors.black)
    canv.drawString(48, 26, "Confidential and proprietary. Not for distribution.")
    canv.drawRightString(w - 48, 26, f"{pn}")


def deco_pinecrest(canv, doc, pn, rep):
    w, h = canv._pagesize
    canv.setFont("DVSerifC", 8)
    canv.drawRightString(w - 70, h - 40, "Pinecrest Data Partners LLC")
    canv.drawString(70, 34, "SOC 2 Type 2")
    canv.drawRightString(w - 70, 34, f"{pn}")


B_CATS = ["security", "privacy"]
BRIGHTWATER = dict(
    name="b05_brightwater_soc3", framework="SOC 3", type=None, type_word="",
    company="Brightwater Remit, Inc.", co="Brightwater", product="Brightwater Cross-Border Payments",
    service="cross-border payment and payout services", industry="financial services", city="Austin, Texas",
    founded="2016", staff="150",
    auditor="Sorensen Kahale LLP",
    signature=["Sorensen Kahale LLP", "Honolulu, Hawaii", "2026-07-24"],
    period_start=D(2025, 6, 1), period_end=D(2026, 5, 31), date_style="iso", period_join="through",
    opinion="unqualified", cats=B_CATS,
    font="Helvetica", size=13, accent=colors.HexColor("#1d4f91"), pagesize=letter, margins=(96, 90, 84, 84),
    decorate=deco_brightwater, toc=False, soc3_subservice=True,
    sections=["auditor", "assertion", "description"],
    titles={"auditor": "Report of Independent Accountants", "assertion": "Brightwater Management\u2019s Assertion",
            "description": "Attachment A: Brightwater\u2019s Description of the Boundaries of Its System"},
    section_label=lambda i, t: t,
    h_narrative="Attachment B: Principal Controls Supporting the Service Commitments",
    subservice=[dict(name="Snowflake Inc.", aliases=["Snowflake"], short="Snowflake", method="carve-out", explicit=True,
                     services="the data warehouse used for reporting and reconciliation"),
                dict(name="Amazon Web Services, Inc.", aliases=["AWS"], short="AWS", method="carve-out", explicit=False,
                     services="cloud infrastructure hosting for the payment platform")],
)

H_CATS = ["security"]
HALCYON = dict(
    name="b06_halcyon_soc2_t2_adverse", framework="SOC 2", type="Type 2", type_word="Type 2",
    company="Halcyon Freight Exchange, Inc.", co="Halcyon", product="Halcyon Load Board",
    service="an online freight matching marketplace", industry="logistics", city="Columbus, Ohio", founded="2014",
    staff="130",
    auditor="Renwick & Tal LLP",
    signature=["Renwick & Tal LLP", "Cleveland, Ohio", "December 19, 2025"],
    period_start=D(2024, 10, 1), period_end=D(2025, 9, 30), date_style="us", period_join="to",
    opinion="adverse",
    opinion_basis="Our tests of the operating effectiveness of controls identified deviations in the controls over new "
                  "user access, the removal of access for terminated personnel, user access reviews, vulnerability "
                  "remediation and change approval, as described in Chapter 4. These deviations are pervasive to the "
                  "logical access and change management criteria. As a result, the controls stated in the description "
                  "did not operate effectively throughout the period October 1, 2024 to September 30, 2025 to provide "
                  "reasonable assurance that Halcyon\u2019s service commitments and system requirements were achieved "
                  "based on criteria CC6.2, CC6.3, CC7.1 and CC8.1.",
    cats=H_CATS, font="Helvetica", size=10.5, accent=colors.HexColor("#9b1c1c"), pagesize=letter,
    margins=(50, 50, 60, 56), decorate=deco_halcyon, header_bg=colors.HexColor("#f3dcdc"),
    sections=["auditor", "assertion", "description", "tests", "other"],
    titles={"auditor": "Independent Service Auditor\u2019s Report", "assertion": "Halcyon\u2019s Management Assertion",
            "description": "Description of the Halcyon Load Board System",
            "tests": "Security Criteria, Controls, Tests and Results",
            "other": "Other Information Provided by Management"},
    section_label=lambda i, t: f"Chapter {i} \u2014 {t}",
    tools_table="ruled",
    subservice=[dict(name="Northline Colocation LLC", aliases=["Northline"], short="Northline", method="inclusive",
                     explicit=True, services="colocation space, power and physical security for the primary data "
                     "center in Columbus")],
    cuec_count=0, h_cuec="Complementary User Entity Controls",
    matrix=dict(cols=[("id", "#", 0.09), ("criteria", "Criteria", 0.1), ("control", "Control", 0.25),
                      ("test", "Testing Procedures", 0.32), ("result", "Results", 0.24)],
                ruled=True, zebra=colors.HexColor("#f7f2f2"), crit_join=", ", split_in_row=True,
                id_fmt=lambda i, c, n: f"HFX-{i + 1:03d}",
                test_suffix=" For each item selected, inspected the supporting evidence and agreed the dates, "
                            "approvers and outcomes to the requirements of the control.",
                passing=["No exceptions noted.", "No exceptions noted.", "No exceptions noted."],
                non_fmt="The service auditor determined that no {pop} occurred during the period. As a result, no "
                        "testing of operating effectiveness was performed."),
    responses="section",
    exceptions=[(soc2_index(H_CATS, "Background checks"), 0),
                (soc2_index(H_CATS, "Security awareness training"), 1),
                (soc2_index(H_CATS, "Exception reports generated"), 2),
                (soc2_index(H_CATS, "New user access"), 3),
                (soc2_index(H_CATS, "Logical access for terminated"), 4),
                (soc2_index(H_CATS, "User access reviews"), 0),
                (soc2_index(H_CATS, "Vulnerability scans"), 1),
                (soc2_index(H_CATS, "Changes to production code"), 2)],
    wordings=["Deviation noted. For {n} of {N} {pop} sampled, {finding}.",
              "Exceptions noted: {n} of the {N} {pop} tested were exceptions because {finding}.",
              "The auditor noted that for {n} of the {N} {pop} selected, {finding}.",
              "Of the {N} {pop} sampled, {n} were not compliant with the control; {finding}.",
              "exception noted \u2013 for {n} of {N} {pop}, {finding}."],
    nonoccurrence=nonocc_soc2(H_CATS),
)

F_CATS = ["security", "availability", "privacy"]
FERNHOLLOW = dict(
    name="b07_fernhollow_soc2_t2", framework="SOC 2", type="Type 2", type_word="Type 2",
    company="Fernhollow Learning, Inc.", co="Fernhollow", product="Fernhollow Classroom",
    service="a learning management platform for school districts", industry="education", city="Eugene, Oregon",
    founded="2013", staff="260",
    auditor="Ogilvie Marsh Assurance LLP",
    signature=["Ogilvie Marsh Assurance LLP", "Seattle, Washington", "03/06/2026"],
    period_start=D(2025, 1, 1), period_end=D(2025, 12, 31), date_style="num", period_join="through",
    opinion="unqualified", cats=F_CATS,
    font="DVSansC", head_font="DVSerifC", size=9.5, accent=colors.HexColor("#3d6b35"), pagesize=letter,
    margins=(48, 48, 52, 50), decorate=deco_fernhollow,
    sections=["auditor", "assertion", "description", "tests"],
    titles={"auditor": "Independent Service Auditor\u2019s Report", "assertion": "Assertion of Fernhollow Management",
            "description": "Fernhollow\u2019s Description of Its Classroom System",
            "tests": "Information Provided by the Service Auditor: Tests of Controls"},
    section_label=lambda i, t: f"{i} | {t}",
    subservice=[dict(name="Amazon Web Services, Inc.", aliases=["AWS"], short="AWS", method="carve-out", explicit=True,
                     services="cloud hosting, managed databases and storage", csoc_kind="hosting", csoc_count=3),
                dict(name="Okta, Inc.", aliases=["Okta"], short="Okta", method="carve-out", explicit=False,
                     services="workforce and customer identity services", csoc_kind="identity"),
                dict(name="Stripe, Inc.", aliases=["Stripe"], short="Stripe", method="carve-out", explicit=False,
                     services="processing of card payments for paid courses", csoc_kind="payments")],
    csoc_layout="table_ruled", csoc_crit_first=True,
    cuec_count=25, cuec_layout="table_last", cuec_lead="User entities are responsible for", cuec_crit_fmt="; ",
    h_cuec="Complementary User Entity Controls",
    cuec_notes=["School districts and other customers of {co} are referred to in this section as user entities. User "
                "entities configure their own tenants, including rosters, roles, integrations with student information "
                "systems and data retention settings, and are therefore responsible for the controls over those "
                "configurations. Where a user entity delegates administration to {co} under a managed services "
                "addendum, the responsibilities below remain with the user entity unless the addendum states otherwise."],
    matrix=dict(cols=[("id", "Control Ref", 0.1), ("control", "Control Activity", 0.26),
                      ("test", "Testing Performed", 0.3), ("result", "Results", 0.22), ("criteria", "Criteria", 0.12)],
                ruled=False, zebra=colors.HexColor("#eef4ec"), crit_join="\n", split_in_row=True, count_by="category",
                id_fmt=lambda i, c, n: f"{ {'CC': 'SEC', 'A': 'AVL', 'P': 'PRV'}[''.join(x for x in C.family(c) if x.isalpha())]}-{n:02d}",
                passing=["No exceptions noted.", "Tested without exception."],
                test_suffix=" The population was obtained from the system of record, and its completeness was "
                            "verified before the sample was selected."),
    responses="inline", resp_label="Management\u2019s response:",
    exceptions=[(soc2_index(F_CATS, "Security awareness training"), 0),
                (soc2_index(F_CATS, "Endpoint protection"), 1),
                (soc2_index(F_CATS, "Production databases are backed up"), 2),
                (soc2_index(F_CATS, "Data subject access requests"), 0),
                (soc2_index(F_CATS, "Vendors with access"), 1)],
    wordings=["The auditor noted that {n} of the {N} {pop} sampled were exceptions: {finding}.",
              "Exception noted. For {n} of {N} {pop} inspected, {finding}.",
              "Of the {N} {pop} sampled, {n} did not operate as described: {finding}."],
    nonoccurrence=nonocc_soc2(F_CATS),
)

P_CATS = ["security", "confidentiality", "processing_integrity"]
PINECREST = dict(
    name="b08_pinecrest_soc2_t2", framework="SOC 2", type="Type 2", type_word="Type II",
    company="Pinecrest Data Partners LLC", co="Pinecrest", product="Pinecrest Data Exchange",
    service="secure data exchange and file processing for insurers", industry="insurance", city="Hartford, Connecticut",
    founded="2010", staff="180",
    auditor="Vasquez Lindqvist & Co., CPAs",
    signature=["Vasquez Lindqvist & Co., CPAs", "Tampa, Florida", "14 August 2025"],
    period_start=D(2024, 7, 1), period_end=D(2025, 6, 30), date_style="intl", period_join="through",
    opinion="unqualified", cats=P_CATS,
    font="DVSerifC", size=10, accent=colors.HexColor("#2e4a62"), pagesize=letter, margins=(70, 70, 70, 64),
    decorate=deco_pinecrest,
    sections=["auditor", "assertion", "description", "tests"],
    titles={"auditor": "Independent Service Auditor\u2019s Report", "assertion": "Pinecrest\u2019s Assertion",
            "description": "Description of the Pinecrest Data Exchange System",
            "tests": "Description of Criteria, Controls, Tests and Results of Tests"},
    section_label=lambda i, t: f"SECTION {WORDS[i].upper()}<br/>{t}",
    subservice=[dict(name="Microsoft Corporation", aliases=["Microsoft Azure", "Azure"], short="Azure",
                     method="carve-out", explicit=True, heading="Microsoft Azure",
                     services="hosting of the exchange in Azure data centers", csoc_kind="hosting", csoc_count=4),
                dict(name="Okta, Inc.", aliases=["Okta"], short="Okta", method="carve-out", explicit=True,
                     heading="Okta", services="single sign-on for Pinecrest personnel", csoc_kind="identity",
                     csoc_count=2)],
    csoc_layout="bullets",
    cuec_count=12, cuec_layout="numbered", cuec_num_fmt="{n})", cuec_lead="Clients should",
    h_cuec="Client Responsibilities",
    matrix=dict(cols=[("control", "Controls Specified by Pinecrest", 0.34), ("test", "Testing Performed", 0.42),
                      ("result", "Results", 0.24)],
                ruled=True, group_rows=True, group_fmt="Criterion {c}",
                passing=["No exceptions noted.", "Operating effectively. No exceptions noted."],
                non_fmt="Not tested \u2013 there were no {pop} during the review period."),
    responses=None,
    exceptions=[(soc2_index(P_CATS, "Processing errors"), 0)],
    wordings=["Exceptions noted: on {n} of the {N} {pop} sampled, {finding}."],
    nonoccurrence=nonocc_soc2(P_CATS),
)

ALL += [BRIGHTWATER, HALCYON, FERNHOLLOW, PINECREST]
