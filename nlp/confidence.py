"""What the extractor is unsure of: report-level warnings and a confidence per item.

A reviewer reads these first, so each warning names what to check by hand.
Confidence is a heuristic in [0, 1], not a probability: 0.9 for an item
that has the shape its kind always has ("Customers should …", a result
that counts the failed samples), 0.6 when it was read from its position
alone, lowered for shapes that usually mean two items were merged or a
fragment was cut. Items under ``LOW_CONFIDENCE`` are flagged in the app.
"""

from __future__ import annotations

import re

from nlp.pdftext import TextPage
from nlp.results import LOW_CONFIDENCE, ControlException, Csoc, Cuec, ExtractionResult, SubserviceOrganization
from nlp.sections import Section, sections_of

SURE, POSITIONAL = 0.9, 0.6

# "User entities are responsible for", "Customers should", "The client must", "Clients are expected to".
_RESPONSIBILITY = re.compile(
    r"\b(?:user\s+(?:entit(?:y|ies)|organi[sz]ations?)|customers?|clients?|subscribers?|tenants?|users?)\b"
    r"[^.]{0,60}?\b(?:should|must|shall|(?:is|are)\s+(?:responsible|expected|required)|(?:has|have)\s+"
    r"(?:the\s+)?responsibility|need\s+to|ensure)\b", re.IGNORECASE)
# Imperative items in a list headed by the responsibility ("Restrict access to …", "Review …").
_IMPERATIVE = re.compile(r"^(?:ensure|maintain|review|restrict|notify|implement|establish|monitor|protect|"
                         r"configure|define|approve|report|perform|provide|retain|manage|communicate)\b", re.I)
_CONTROL_WORDS = re.compile(r"\b(?:controls?|procedures?|responsible|implement\w*|maintain\w*|restrict\w*|"
                            r"monitor\w*|ensur\w*|perform\w*|review\w*|protect\w*|encrypt\w*|back(?:ed)?\s*up|"
                            r"authori[sz]\w*|physical|logical|access)\b", re.I)
_EXCEPTION_WORDS = re.compile(r"\b(?:exceptions?|deviations?)\b|\b(?:\d+|one|two|three|four|five|six|seven|eight|"
                              r"nine|ten)\s+(?:out\s+)?of\s+(?:the\s+)?\d+\b|\bnot\s+(?:been\s+)?(?:performed|"
                              r"completed|documented|evidenced|approved|reviewed|retained|removed|revoked)\b", re.I)
# Mentions in the auditor's report that promise a list in the description.
_ID_LIKE = re.compile(r"^[A-Z]{1,6}\s*[-#]?\s*\d+(?:\.\d+)*$")
# "Exception noted:", "Deviations noted -", then a control id ("VM - 6:", "CC6.1.2:").
_LABEL = re.compile(r"^\s*(?:(?:exceptions?|deviations?)\s+(?:noted|identified)\s*[:.\-]?\s*)?"
                    r"(?:[A-Z]{1,6}\s*[-.]?\s*\d+(?:\.\d+)*\s*[:.\-]\s*)?", re.IGNORECASE)
_MENTIONS = {
    "cuecs": re.compile(r"complementary\s+user[\s-]+entity\s+controls", re.I),
    "subservice_organizations": re.compile(r"\buses?\s+(?:a\s+|several\s+|\w+\s+)?subservice\s+organi[sz]ations?|"
                                           r"carve[\s-]*out\s+method", re.I),
    "csocs": re.compile(r"complementary\s+subservice\s+organi[sz]ation\s+controls", re.I),
}
_NONE_REQUIRED = re.compile(r"\bnot\s+required\b|\bno\s+(?:complementary\s+)?user\s+entity\s+controls\b|"
                            r"\bnone\s+(?:are|were)\s+(?:required|identified)\b", re.I)


def _words(text: str) -> int:
    return len(text.split())


def _shape_penalty(text: str) -> float:
    """Fragments and run-ons: under five words, or longer than any single item usually is."""
    n = _words(text)
    return 0.25 if n < 5 else 0.2 if n > 120 else 0.0


def cuec_confidence(item: Cuec) -> float:
    sure = _RESPONSIBILITY.search(item.text) or _IMPERATIVE.match(item.text)
    return round(max(0.1, (SURE if sure else POSITIONAL) - _shape_penalty(item.text)), 2)


def csoc_confidence(item: Csoc) -> float:
    base = SURE if item.subservice_organization and _CONTROL_WORDS.search(item.text) else POSITIONAL
    return round(max(0.1, base - _shape_penalty(item.text)), 2)


def subservice_confidence(item: SubserviceOrganization) -> float:
    if _ID_LIKE.match(item.name.strip()):
        return 0.3  # "CSOC1", "SO-2": a row id read as a name
    base = SURE if item.method else POSITIONAL
    # A "name" of many words is usually a sentence fragment, not an organization.
    return round(base - (0.3 if _words(item.name) > 8 else 0.0), 2)


def exception_confidence(item: ControlException) -> float:
    base = SURE if _EXCEPTION_WORDS.search(item.description) else POSITIONAL
    if not item.control_id and not item.control:
        base -= 0.1  # not tied to a control: the reviewer must find which test it belongs to
    # The penalty reads what follows the label: "Exception noted: CC6.1:" alone says nothing.
    return round(max(0.1, base - _shape_penalty(_LABEL.sub("", item.description))), 2)


def _section_text(pages: list[TextPage], section: Section) -> str:
    last = min(section.last_page, len(pages))
    return "\n".join(p.text for p in pages[section.first_page - 1:last])


def review_warnings(result: ExtractionResult, pages: list[TextPage], sections: list[Section],
                    unreadable: list[int] | None = None) -> list[str]:
    """Plain-language notes on what could not be found or read, most important first."""
    r = result.report
    out: list[str] = []
    auditor_sections = sections_of(sections, "SEC_AUDITOR")
    if not auditor_sections:
        out.append("No independent service auditor's report was found as a section: check the opinion, "
                   "auditor and period by hand.")
    if r.opinion is None:
        out.append("The auditor's opinion was not found: read the opinion paragraph and set it by hand.")
    if r.auditor is None:
        out.append("The service auditor (CPA firm) was not found: it may be named only in a signature image.")
    if r.service_organization is None:
        out.append("The service organization's name was not found.")
    if r.period_end is None:
        out.append("The report's period or 'as of' date was not found.")
    if unreadable:
        shown = ", ".join(str(n) for n in unreadable[:10]) + (" …" if len(unreadable) > 10 else "")
        out.append(f"{len(unreadable)} page(s) have no readable text (images only) and were not read: {shown}.")
    if r.opinion in ("qualified", "adverse", "disclaimer") and not result.exceptions:
        out.append(f"The opinion is {r.opinion} but no exceptions were found in the tests: check the tests of "
                   "controls by hand.")

    opinion_text = "\n".join(_section_text(pages, s) for s in auditor_sections[:1])
    cuec_sections = sections_of(sections, "SUB_CUEC")
    if cuec_sections and not result.cuecs:
        text = "\n".join(_section_text(pages, s) for s in cuec_sections)
        if not _NONE_REQUIRED.search(text):
            out.append(f"A section on complementary user entity controls was found (page "
                       f"{cuec_sections[0].first_page}) but no items were read from it: check it by hand.")
    elif not cuec_sections and not result.cuecs and _MENTIONS["cuecs"].search(opinion_text):
        out.append("The auditor's report refers to complementary user entity controls, but no list of them was "
                   "found: check the system description by hand.")
    if not result.subservice_organizations and _MENTIONS["subservice_organizations"].search(opinion_text):
        out.append("The auditor's report says a subservice organization is used, but none was found by name.")
    if not result.csocs and _MENTIONS["csocs"].search(opinion_text) and result.subservice_organizations:
        out.append("The auditor's report refers to complementary subservice organization controls, but none "
                   "were found.")
    doubtful = sum(1 for group in (result.cuecs, result.csocs, result.exceptions, result.subservice_organizations)
                   for item in group if item.confidence is not None and item.confidence < LOW_CONFIDENCE)
    if doubtful:
        out.append(f"{doubtful} extracted item(s) have low confidence and are marked for a check.")
    return out


def assess(result: ExtractionResult, pages: list[TextPage], sections: list[Section],
           unreadable: list[int] | None = None) -> None:
    """Set every item's confidence, then the report's warnings (which count doubtful items)."""
    for cuec in result.cuecs:
        cuec.confidence = cuec_confidence(cuec)
    for csoc in result.csocs:
        csoc.confidence = csoc_confidence(csoc)
    for org in result.subservice_organizations:
        org.confidence = subservice_confidence(org)
    for exc in result.exceptions:
        exc.confidence = exception_confidence(exc)
    result.warnings = review_warnings(result, pages, sections, unreadable)
