"""A matrix of small generated SOC reports: how the auditor is named (firm name forms), where the
report names it (signature, letterhead, cover, running text) and how the opinion is worded, with
parties that are not the auditor printed nearby (the service organization, a subservice
organization, the AICPA, the user entities' auditors, a law firm in a notice).

Every company, firm, place and sentence is invented.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

ORG = "Tamberlane Freight Systems, Inc."
SHORT = "Tamberlane"
SUB = "Amazon Web Services, Inc."
LAW = "Corvin Ashby & Pratt LLP"
PERIOD = "July 1, 2024 to June 30, 2025"
AS_OF = "June 30, 2025"
SIGNED = "August 14, 2025"


@dataclass
class Case:
    """One report of the matrix: ``firm`` is what the auditor field must read."""

    id: str
    firm: str
    where: str  # sig_s, sig_plain, sig_gap, sig_next_page, sig_city_date, letter_top, letter_bottom,
    #             cover_of, cover_prepared, cover_report_by, text_performed, text_conducted, and printed on
    #             every page of the auditor's report: letter_top_each_page, letter_foot_each_page,
    #             credit_foot_each_page
    opinion: str = "unqualified"  # qualified, adverse, disclaimer, type1, soc3, boilerplate
    contents: bool = False
    distractors: list[str] = field(default_factory=list)  # law, aicpa, sub_after, user_auditors
    expected_opinion: str | None = None

    @property
    def want_opinion(self) -> str:
        if self.expected_opinion:
            return self.expected_opinion
        return {"qualified": "qualified", "adverse": "adverse", "disclaimer": "disclaimer"}.get(self.opinion,
                                                                                            "unqualified")


def _kind(c: Case) -> str:
    return {"soc3": "SOC 3 Report", "type1": "SOC 2 Type 1 Report"}.get(c.opinion, "SOC 2 Type 2 Report")


def _cover(c: Case) -> list[str]:
    lines = [ORG, _kind(c), "Report on Controls at a Service Organization Relevant to Security and Availability"]
    lines.append(f"As of {AS_OF}" if c.opinion == "type1" else f"For the Period {PERIOD}")
    if c.where == "cover_of":
        lines += ["Together with the Independent Service Auditor's Report of", c.firm]
    elif c.where == "cover_prepared":
        lines += [f"Prepared by {c.firm}"]
    elif c.where == "cover_report_by":
        lines += [f"Report by {c.firm}"]
    if "law" in c.distractors:
        lines += ["", "Notice: questions about the use of this document may be sent to our counsel,",
                  f"{LAW}, 80 Juniper Row, Hartwell, Ohio."]
    return lines


def _contents() -> list[str]:
    return ["Table of Contents", "Section I  Independent Service Auditor's Report ........ 3",
            f"Section II  Assertion of {SHORT} Management ........ 5",
            f"Section III  {SHORT}'s Description of Its System ........ 6"]


def _scope(c: Case) -> list[str]:
    if c.opinion == "soc3":
        return ["Scope", f"We have examined {SHORT}'s accompanying assertion that the controls within the Tamberlane "
                f"Dispatch platform were effective throughout the period {PERIOD}, to provide reasonable assurance "
                "that its service commitments and system requirements were achieved based on the trust services "
                "criteria relevant to security and availability."]
    when = f"as of {AS_OF}" if c.opinion == "type1" else f"throughout the period {PERIOD}"
    return ["Scope", f"We have examined {SHORT}'s description of its Dispatch platform (the \u201cService "
            f"Organization\u201d) {when} based on the criteria for a description of a service organization's "
            "system, and the suitability of the design"
            + ("" if c.opinion == "type1" else " and operating effectiveness")
            + " of controls stated in the description to meet the trust services criteria relevant to security "
            "and availability.",
            f"{SHORT} uses {SUB}, a subservice organization, to host its servers. The description excludes "
            "the controls of the subservice organization.",
            "We conducted our examination in accordance with attestation standards established by the American "
            "Institute of Certified Public Accountants."]


def _opinion(c: Case) -> list[str]:
    if c.opinion == "soc3":
        return ["Opinion", "In our opinion, management's assertion that the controls within the Dispatch platform "
                f"were effective throughout the period {PERIOD} is fairly stated, in all material respects."]
    if c.opinion == "type1":
        return ["Opinion", "In our opinion, in all material respects, the description fairly presents the system "
                f"as designed and implemented as of {AS_OF}, and the controls were suitably designed as of that date."]
    if c.opinion == "qualified":
        return ["Basis for Qualified Opinion", "Controls over the removal of leavers' access did not operate "
                "effectively during the period.", "Qualified Opinion", "In our opinion, except for the matter "
                "described in the preceding paragraph, in all material respects, the controls operated effectively "
                f"throughout the period {PERIOD}."]
    if c.opinion == "adverse":
        return ["Basis for Adverse Opinion", "Controls over changes to production did not operate during the period.",
                "Adverse Opinion", "In our opinion, because of the significance of the matter described, the "
                "controls were not suitably designed and did not operate effectively throughout the period."]
    if c.opinion == "disclaimer":
        return ["Basis for Disclaimer of Opinion", "Management could not provide the records we requested.",
                "Disclaimer of Opinion", "Because of the significance of the matter described, we do not express "
                "an opinion on the description or on the design and operating effectiveness of the controls."]
    out = ["Opinion", "In our opinion, in all material respects, the description fairly presents the system and "
           f"the controls stated in it operated effectively throughout the period {PERIOD}."]
    if c.opinion == "boilerplate":
        out = ["Other Information", "The information in Section IV, including management's responses, is presented "
               "by management. It was not subjected to our procedures and, accordingly, we do not express an "
               "opinion on it; except for reading it, we performed no work on it."] + out
    return out


def _letterhead(c: Case) -> list[str]:
    slug = "".join(ch for ch in c.firm.lower() if ch.isalnum())[:14]
    return [c.firm, "1200 Larch Avenue, Suite 300", "Calder, Oregon 97005", "Tel: +1 503 555 0142",
            f"www.{slug}.example"]


def _letter_bottom(c: Case) -> list[str]:
    slug = "".join(ch for ch in c.firm.lower() if ch.isalnum())[:14]
    return [f"{c.firm} | 1200 Larch Avenue, Suite 300 | Calder, OR 97005 | 503.555.0142 | {slug}.example"]


def _signature(c: Case) -> list[str]:
    """The lines of the signature block (None marks a blank area, "PAGE" a page break)."""
    signer = c.firm if c.where.startswith("sig_") else None
    if c.where == "sig_s":
        return [f"/s/ {signer}", "", "Calder, Oregon", SIGNED]
    if c.where == "sig_plain":
        return [signer, "Calder, Oregon", SIGNED]
    if c.where == "sig_gap":
        return ["", "", "", "", "", "", signer, "Calder, Oregon", SIGNED]
    if c.where == "sig_next_page":
        return ["PAGE", signer, "Calder, Oregon", SIGNED]
    if c.where == "sig_city_date":
        return [signer, f"Calder, Oregon, {SIGNED}"]
    return ["", "Calder, Oregon", SIGNED]  # the firm's signature is a picture: only the place and date are text


def _auditor_report(c: Case) -> list[str]:
    lines = _letterhead(c) + [""] if c.where == "letter_top" else []
    lines += ["Independent Service Auditor's Report", "", f"To the Management of {ORG}:"]
    lines += _scope(c)
    if c.where == "text_conducted":
        lines += [f"{c.firm} conducted the examination in accordance with the standards named above."]
    if c.where.endswith("each_page"):  # a report long enough to run over three pages
        lines += ["Service Organization's Responsibilities"] + [
            f"{SHORT} is responsible for its service commitments and system requirements, for designing, "
            "implementing and operating controls, and for providing the accompanying assertion."] * 6 + ["PAGE"] * 2
    lines += ["Service Auditor's Responsibilities", "Our responsibility is to express an opinion based on our "
              "examination. We believe the evidence we obtained is sufficient to provide a basis for our opinion."]
    lines += _opinion(c)
    lines += ["Restricted Use", f"This report is intended solely for {SHORT}, user entities of the Dispatch platform "
              "and their auditors, who have a sufficient understanding to consider it."]
    if "user_auditors" in c.distractors:
        lines += ["User auditors, such as Bellwether Kline LLP or other firms engaged by user entities, may consider "
                  "this report."]
    lines += _signature(c)
    if "sub_after" in c.distractors:
        lines += ["", SUB, "Inclusive subservice organizations: none."]
    return lines


def _assertion(c: Case) -> list[str]:
    return [f"Assertion of {SHORT} Management", f"We have prepared the accompanying description of {ORG}'s Dispatch "
            f"platform for the period {PERIOD}. We confirm, to the best of our knowledge and belief, that the "
            "controls stated in the description were suitably designed and operated effectively."]


def _description(c: Case) -> list[str]:
    out = [f"{SHORT}'s Description of Its Dispatch Platform", "Company Overview", f"{ORG} schedules freight "
           "carriers for regional shippers. The platform is hosted by a subservice organization and operated by "
           f"{SHORT}'s engineering team. Access to production requires multi-factor authentication."]
    if c.where == "text_performed":
        out += ["Testing", f"{c.firm} performed the tests of operating effectiveness described in Section IV on a "
                "sample basis."]
    return out


def _draw(cv: canvas.Canvas, lines: list[str], footer: str, bottom: list[str] | None = None,
          every_page: tuple[list[str], list[str]] = ([], [])) -> None:
    """``lines`` from the top of a page on; ``bottom`` at the foot of the last page; ``every_page``
    (top lines, foot lines) printed on every page drawn here, as a letterhead repeated on each page."""
    head, foot = every_page

    def start() -> int:
        for i, ln in enumerate(head):
            cv.setFont("Helvetica", 8)
            cv.drawString(400, 760 - 10 * i, ln)
        return 730 - 10 * len(head)

    def finish(last: bool) -> None:
        for i, ln in enumerate(foot + (bottom or [] if last else [])):
            cv.setFont("Helvetica", 7)
            cv.drawString(54, 50 - 9 * i, ln)
        cv.setFont("Helvetica", 8)
        cv.drawString(54, 30, footer)
        cv.showPage()

    y = start()
    for ln in lines:
        if ln == "PAGE":
            finish(False)
            y = start()
            continue
        for part in textwrap.wrap(ln, 95) or [""]:
            cv.setFont("Helvetica", 10)
            cv.drawString(54, y, part)
            y -= 15
            if y < 70:
                finish(False)
                y = start()
    finish(True)


def build_case(path: Path, c: Case) -> Path:
    """Cover, maybe contents, the auditor's report, the assertion and a bit of the description."""
    cv = canvas.Canvas(str(path), pagesize=letter)
    footer = f"{SHORT} | {_kind(c)}"
    _draw(cv, _cover(c), footer)
    if c.contents:
        _draw(cv, _contents(), footer)
    every = {"letter_top_each_page": (_letterhead(c), []), "letter_foot_each_page": ([], _letter_bottom(c)),
             "credit_foot_each_page": ([], [f"Prepared by {c.firm}"])}
    _draw(cv, _auditor_report(c), footer, _letter_bottom(c) if c.where == "letter_bottom" else None,
          every.get(c.where, ([], [])))
    _draw(cv, _assertion(c), footer)
    _draw(cv, _description(c), footer)
    cv.save()
    return path


# Pairwise over firm form x placement x opinion wording x distractor: every firm form and every
# placement appears, each opinion wording several times, each distractor next to several placements.
CASES = [
    Case("llp-s", "Marrow Fenwick LLP", "sig_s", distractors=["law"]),
    Case("comma-llp-plain", "Hollis Tarrant, LLP", "sig_plain", "qualified", distractors=["sub_after"]),
    Case("llc-gap", "Brightwater Attest LLC", "sig_gap", "adverse", contents=True),
    Case("pc-next", "Okafor Brandt, P.C.", "sig_next_page", "disclaimer", distractors=["user_auditors"]),
    Case("cpas-citydate", "Vantree Lusk CPAs", "sig_city_date", "type1"),
    Case("cpas-pllc-top", "Dunmore Reyes, CPAs, PLLC", "letter_top", "soc3"),
    Case("co-bottom", "Pellham & Co.", "letter_bottom", "boilerplate", distractors=["law"]),
    Case("company-llc-coverof", "Ashcombe & Company, LLC", "cover_of", contents=True),
    Case("associates-prepared", "Greer and Associates", "cover_prepared", "qualified"),
    Case("nosuffix-s", "Harbor Assurance", "sig_s", "soc3", distractors=["sub_after"]),
    Case("oneword-citydate", "Meridian", "sig_city_date", "boilerplate"),
    Case("individual-plain", "Jane Q. Doe, CPA", "sig_plain", "type1", distractors=["law"]),
    Case("deloitte-gap", "Deloitte & Touche LLP", "sig_gap", "soc3", distractors=["user_auditors"]),
    Case("ey-next", "Ernst & Young LLP", "sig_next_page", contents=True),
    Case("kpmg-reportby", "KPMG LLP", "cover_report_by", "adverse"),
    Case("pwc-performed", "PricewaterhouseCoopers LLP", "text_performed", "boilerplate"),
    Case("align-top", "A-LIGN Assurance", "letter_top", "disclaimer"),
    Case("bdo-conducted", "BDO USA, P.C.", "text_conducted", "type1", distractors=["law"]),
    Case("nosuffix-performed", "Harbor Assurance", "text_performed", "qualified"),
    Case("nosuffix-prepared", "Meridian", "cover_prepared", "soc3"),
    Case("associates-bottom", "Greer and Associates", "letter_bottom", "type1"),
    Case("individual-citydate", "Jane Q. Doe, CPA", "sig_city_date", "qualified", distractors=["sub_after"]),
    Case("pllc-conducted", "Dunmore Reyes, CPAs, PLLC", "text_conducted", "adverse", distractors=["user_auditors"]),
    Case("co-reportby", "Pellham & Co.", "cover_report_by", "soc3"),
    Case("company-next", "Ashcombe & Company, LLC", "sig_next_page", "boilerplate", distractors=["sub_after"]),
    Case("comma-llp-top", "Hollis Tarrant, LLP", "letter_top", "type1", contents=True),
    Case("kpmg-plain", "KPMG LLP", "sig_plain", "disclaimer", distractors=["law", "user_auditors"]),
    Case("pc-coverof", "Okafor Brandt, P.C.", "cover_of", "boilerplate", distractors=["law"]),
    Case("co-s", "Pellham & Co.", "sig_s", "qualified", distractors=["user_auditors"]),
    Case("oneword-coverof", "Meridian", "cover_of", "type1", distractors=["law"]),
    Case("nosuffix-gap", "Harbor Assurance", "sig_gap", "adverse", distractors=["law"]),
    Case("associates-next", "Greer and Associates", "sig_next_page", "soc3"),
    Case("nosuffix-citydate", "Harbor Assurance", "sig_city_date", "soc3", distractors=["sub_after"]),
    Case("oneword-top", "Meridian", "letter_top", "qualified", distractors=["law"]),
    Case("individual-prepared", "Jane Q. Doe, CPA", "cover_prepared", "adverse"),
    Case("oneword-conducted", "Meridian", "text_conducted", "disclaimer", distractors=["user_auditors"]),
    Case("align-s", "A-LIGN Assurance", "sig_s", "boilerplate", contents=True),
    Case("ey-bottom", "Ernst & Young LLP", "letter_bottom", "qualified", distractors=["law"]),
    Case("deloitte-citydate", "Deloitte & Touche LLP", "sig_city_date", "disclaimer"),
    Case("bdo-gap", "BDO USA, P.C.", "sig_gap", "type1", distractors=["sub_after", "user_auditors"]),
    Case("pwc-coverof", "PricewaterhouseCoopers LLP", "cover_of", "adverse", distractors=["user_auditors"]),
    Case("llc-reportby", "Brightwater Attest LLC", "cover_report_by", "boilerplate", distractors=["law"]),
    Case("llp-top-each", "Marrow Fenwick LLP", "letter_top_each_page", "qualified"),
    Case("oneword-foot-each", "Meridian", "letter_foot_each_page", "soc3", distractors=["law"]),
    Case("cpas-foot-each", "Vantree Lusk CPAs", "letter_foot_each_page", "type1", contents=True),
    Case("nosuffix-credit-each", "Harbor Assurance", "credit_foot_each_page", "adverse", distractors=["law"]),
]
