"""Trust Services Criteria and SOC 1 control objectives: ids, short paraphrases,
and the many ways reports print a list of them.

The descriptions are our own short paraphrases (the AICPA wording is not copied).
"""
from __future__ import annotations

import random
import re

# Criterion id -> paraphrased description. Order matters: it is the order of
# the testing matrix and the basis of range expansion ("CC6.1-CC6.3").
TSC: dict[str, str] = {
    "CC1.1": "The entity shows a commitment to integrity and ethical values.",
    "CC1.2": "The board of directors is independent of management and oversees the development and performance of internal control.",
    "CC1.3": "Management establishes, with board oversight, structures, reporting lines, and appropriate authorities and responsibilities.",
    "CC1.4": "The entity shows a commitment to attract, develop, and retain competent individuals in alignment with its objectives.",
    "CC1.5": "The entity holds individuals accountable for their internal control responsibilities.",
    "CC2.1": "The entity obtains or generates and uses relevant, quality information to support the functioning of internal control.",
    "CC2.2": "The entity internally communicates information, including objectives and responsibilities for internal control.",
    "CC2.3": "The entity communicates with external parties regarding matters affecting the functioning of internal control.",
    "CC3.1": "The entity specifies objectives with sufficient clarity to enable the identification and assessment of risks.",
    "CC3.2": "The entity identifies risks to the achievement of its objectives and analyzes risks as a basis for determining how they should be managed.",
    "CC3.3": "The entity considers the potential for fraud in assessing risks.",
    "CC3.4": "The entity identifies and assesses changes that could significantly affect the system of internal control.",
    "CC4.1": "The entity selects, develops, and performs ongoing and/or separate evaluations of the components of internal control.",
    "CC4.2": "The entity evaluates and communicates internal control deficiencies in a timely manner.",
    "CC5.1": "The entity selects and develops control activities that contribute to the mitigation of risks to acceptable levels.",
    "CC5.2": "The entity selects and develops general control activities over technology.",
    "CC5.3": "The entity deploys control activities through policies and procedures that put those policies into action.",
    "CC6.1": "The entity implements logical access security software, infrastructure, and architectures over protected information assets.",
    "CC6.2": "Prior to issuing system credentials and granting access, the entity registers and authorizes new internal and external users.",
    "CC6.3": "The entity authorizes, modifies, or removes access to data, software, functions, and other protected information assets based on roles.",
    "CC6.4": "The entity restricts physical access to facilities and protected information assets to authorized personnel.",
    "CC6.5": "The entity discontinues logical and physical protections over physical assets only after the ability to read or recover data has been diminished.",
    "CC6.6": "The entity implements logical access security measures to protect against threats from sources outside its system boundaries.",
    "CC6.7": "The entity restricts the transmission, movement, and removal of information to authorized internal and external users and processes.",
    "CC6.8": "The entity implements controls to prevent or detect and act upon the introduction of unauthorized or malicious software.",
    "CC7.1": "The entity uses detection and monitoring procedures to identify configuration changes and newly discovered vulnerabilities.",
    "CC7.2": "The entity monitors system components for anomalies that are indicative of malicious acts, natural disasters, and errors.",
    "CC7.3": "The entity evaluates security events to determine whether they could or have resulted in a failure to meet its objectives.",
    "CC7.4": "The entity responds to identified security incidents by executing a defined incident response program.",
    "CC7.5": "The entity identifies, develops, and implements activities to recover from identified security incidents.",
    "CC8.1": "The entity authorizes, designs, develops or acquires, configures, documents, tests, approves, and implements changes to infrastructure, data, software, and procedures.",
    "CC9.1": "The entity identifies, selects, and develops risk mitigation activities for risks arising from potential business disruptions.",
    "CC9.2": "The entity assesses and manages risks associated with vendors and business partners.",
    "A1.1": "The entity maintains, monitors, and evaluates current processing capacity and use of system components.",
    "A1.2": "The entity authorizes, designs, develops, implements, operates, maintains, and monitors environmental protections, software, data backup processes, and recovery infrastructure.",
    "A1.3": "The entity tests recovery plan procedures supporting system recovery.",
    "C1.1": "The entity identifies and maintains confidential information to meet its objectives related to confidentiality.",
    "C1.2": "The entity disposes of confidential information to meet its objectives related to confidentiality.",
    "PI1.1": "The entity obtains or generates, uses, and communicates relevant, quality information regarding the objectives related to processing.",
    "PI1.2": "The entity implements policies and procedures over system inputs to result in products, services, and reporting that meet its objectives.",
    "PI1.3": "The entity implements policies and procedures over system processing to result in products, services, and reporting that meet its objectives.",
    "PI1.4": "The entity implements policies and procedures to make available or deliver output completely, accurately, and timely.",
    "PI1.5": "The entity implements policies and procedures to store inputs, items in processing, and outputs completely, accurately, and timely.",
    "P1.1": "The entity provides notice to data subjects about its privacy practices.",
    "P2.1": "The entity communicates choices available regarding the collection, use, retention, disclosure, and disposal of personal information.",
    "P3.1": "Personal information is collected consistent with the entity's objectives related to privacy.",
    "P3.2": "For information requiring explicit consent, the entity communicates the need for such consent.",
    "P4.1": "The entity limits the use of personal information to the purposes identified in the entity's objectives related to privacy.",
    "P4.2": "The entity retains personal information consistent with the entity's objectives related to privacy.",
    "P4.3": "The entity securely disposes of personal information to meet the entity's objectives related to privacy.",
    "P5.1": "The entity grants identified and authenticated data subjects the ability to access their stored personal information.",
    "P5.2": "The entity corrects, amends, or appends personal information based on information provided by data subjects.",
    "P6.1": "The entity discloses personal information to third parties with the explicit consent of data subjects.",
    "P6.2": "The entity creates and retains a complete, accurate, and timely record of authorized disclosures of personal information.",
    "P6.3": "The entity creates and retains a record of detected or reported unauthorized disclosures of personal information.",
    "P6.4": "The entity obtains privacy commitments from vendors and other third parties who have access to personal information.",
    "P6.5": "The entity obtains commitments from vendors to notify the entity in the event of actual or suspected unauthorized disclosures.",
    "P6.6": "The entity provides notification of breaches and incidents to affected data subjects, regulators, and others.",
    "P6.7": "The entity provides data subjects with an accounting of the personal information held and disclosure of the data subjects' personal information.",
    "P7.1": "The entity collects and maintains accurate, up-to-date, complete, and relevant personal information.",
    "P8.1": "The entity implements a process for receiving, addressing, resolving, and communicating the resolution of inquiries, complaints, and disputes.",
}

CATEGORY_OF_PREFIX = {
    "CC": "security",
    "A": "availability",
    "C": "confidentiality",
    "PI": "processing_integrity",
    "P": "privacy",
}

CATEGORY_TITLE = {
    "security": "Security",
    "availability": "Availability",
    "processing_integrity": "Processing Integrity",
    "confidentiality": "Confidentiality",
    "privacy": "Privacy",
}

CC_SERIES_TITLE = {
    "CC1": "Control Environment",
    "CC2": "Communication and Information",
    "CC3": "Risk Assessment",
    "CC4": "Monitoring Activities",
    "CC5": "Control Activities",
    "CC6": "Logical and Physical Access Controls",
    "CC7": "System Operations",
    "CC8": "Change Management",
    "CC9": "Risk Mitigation",
    "A1": "Additional Criteria for Availability",
    "C1": "Additional Criteria for Confidentiality",
    "PI1": "Additional Criteria for Processing Integrity",
    "P1": "Privacy Criteria Related to Notice",
    "P2": "Privacy Criteria Related to Choice and Consent",
    "P3": "Privacy Criteria Related to Collection",
    "P4": "Privacy Criteria Related to Use, Retention, and Disposal",
    "P5": "Privacy Criteria Related to Access",
    "P6": "Privacy Criteria Related to Disclosure and Notification",
    "P7": "Privacy Criteria Related to Quality",
    "P8": "Privacy Criteria Related to Monitoring and Enforcement",
}

_ID = re.compile(r"^([A-Z]+)(\d+)\.(\d+)$")


def prefix(cid: str) -> str:
    return _ID.match(cid).group(1)


def series(cid: str) -> str:
    m = _ID.match(cid)
    return f"{m.group(1)}{m.group(2)}"


def category(cid: str) -> str:
    return CATEGORY_OF_PREFIX[prefix(cid)]


def criteria_in_scope(categories: list[str]) -> list[str]:
    return [c for c in TSC if category(c) in categories]


def _spaced(cid: str) -> str:
    m = _ID.match(cid)
    return f"{m.group(1)} {m.group(2)}.{m.group(3)}"


def format_criteria(ids: list[str], rng: random.Random, style: str) -> str:
    """Print a criteria list the way some firm would.

    ``ids`` is what the expected JSON lists (one per entry, in order). The
    printed form may compress consecutive ids into a range ("CC6.1–CC6.3"),
    put a space after the letters ("CC 6.1") or separate with semicolons.
    """
    order = list(TSC)
    ids = sorted(ids, key=order.index)
    groups: list[list[str]] = []
    for cid in ids:
        if groups and series(groups[-1][-1]) == series(cid) and order.index(cid) == order.index(groups[-1][-1]) + 1:
            groups[-1].append(cid)
        else:
            groups.append([cid])
    fmt = _spaced if style == "spaced" else (lambda c: c)
    sep = "; " if style == "semicolon" else ", "
    parts = []
    for g in groups:
        if len(g) >= 3 or (len(g) == 2 and style in ("range", "range_spaced")):
            dash = rng.choice(["\u2013", " - ", "-", " \u2013 "]) if style != "range_spaced" else " - "
            parts.append(f"{fmt(g[0])}{dash}{fmt(g[-1])}")
        else:
            parts.extend(fmt(c) for c in g)
    return sep.join(parts)


# SOC 1: control objectives. The statement completes "Controls provide
# reasonable assurance that ...".
SOC1_OBJECTIVES: list[tuple[str, str]] = [
    ("access", "logical access to programs, data, and operating system software is restricted to authorized and appropriate users."),
    ("change", "changes to application programs and related data management systems are authorized, tested, documented, approved, and implemented."),
    ("operations", "processing is scheduled appropriately and deviations from scheduled processing are identified and resolved in a timely manner."),
    ("backup", "data is backed up regularly and is available for restoration in the event of processing errors or unexpected processing interruptions."),
    ("physical", "physical access to computer equipment and storage media is restricted to authorized personnel."),
    ("setup", "new client accounts are authorized and set up completely and accurately in the system in a timely manner."),
    ("input", "transactions received from clients are recorded completely, accurately, and in a timely manner."),
    ("processing", "transactions are processed completely and accurately and in accordance with client instructions."),
    ("output", "reports and output provided to clients are complete, accurate, and distributed in a timely manner."),
    ("reconciliation", "cash and account balances are reconciled completely, accurately, and timely, and reconciling items are investigated and resolved."),
    ("interfaces", "data transmissions between the service organization and its clients are complete, accurate, and secure."),
    ("vendor", "the services of subservice organizations are monitored to determine that they are performed in accordance with contractual commitments."),
]


def format_objective_ref(n: int, style: str) -> str:
    if style == "long":
        return f"Control Objective {n}"
    if style == "compact":
        return f"CO{n}"
    return f"CO {n}"
