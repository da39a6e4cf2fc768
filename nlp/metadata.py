"""Report-level facts: framework, type, parties, period, opinion and criteria in scope.

Read from the text pass: the title pages, the independent service auditor's
report and, as a fallback, management's assertion.
"""

from __future__ import annotations

import re
from collections import Counter

from nlp.criteria import category_of, parse_criteria
from nlp.dates import DATE, find_as_of, find_period
from nlp.pdftext import TextPage
from nlp.results import Report
from nlp.rules import analyse, normalise, spans
from nlp.sections import Section, sections_of, strip_numbering

_FRAMEWORK = re.compile(
    r"\b(?:SOC|Service\s+Organi[sz]ation\s+Controls?|System\s+and\s+Organi[sz]ation\s+Controls?(?:\s*\(SOC\))?)"
    r"\s*(?:®|\(R\))?\s*(?:for\s+Service\s+Organi[sz]ations\s*)?([123])\b(?!\.\d)",
    re.IGNORECASE,
)
_TYPE = re.compile(r"\bType\s*[-–]?\s*(1|2|I{1,2}|One|Two)\b(?![.\d])", re.IGNORECASE)
_TYPE_VALUE = {"1": "Type 1", "i": "Type 1", "one": "Type 1", "2": "Type 2", "ii": "Type 2", "two": "Type 2"}
_CATEGORIES = {"security": "security", "availability": "availability", "processing integrity": "processing_integrity",
               "confidentiality": "confidentiality", "privacy": "privacy"}
# The title of TSP section 100 names all five categories whatever the scope.
# Editions word it "Trust Services Criteria for ...", "Trust Services Principles and Criteria for ..." or
# "Trust Services Principles, Criteria, and Illustrations for ...".
_TSP_TITLE = re.compile(r"trust services (?:principles,?\s+(?:and\s+)?)?criteria(?:,?\s+and\s+illustrations)?\s+for\s+"
                        r"security, availability, processing integrity, confidentiality,? and privacy", re.IGNORECASE)
_FIRM_SUFFIX = re.compile(
    r"(?:(?<!\w)(?:LLP|L\.L\.P\.|LLC|L\.L\.C\.|PLLC|P\.?C\.|P\.A\.|CPAs?|Ltd\.?|Limited|GmbH|AG|S\.A\.|Inc\.|"
    r"Chartered Accountants|Certified Public Accountants|& Co\.?|& Company|Partners|Associates|"
    r"Assurance(?: Services)?|Advisory|Audit(?:ors)?|Consulting|Group))\s*$"
)
_CITY_STATE = re.compile(r"^[A-Z][A-Za-z .'\-]+,\s*(?:[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:\s+\d{5})?$")
# "To the Management of X:", "To the Board of Directors and Management of X", "To the Directors of X".
_ROLE = (r"(?:Board of Directors|Directors|Management|Members|Shareholders|Stockholders|Audit Committee|Trustees|"
         r"Partners|Owners|Those Charged with Governance)")
_ADDRESSEE = re.compile(rf"^To(?: the)?:?\s+{_ROLE}(?:,?\s+(?:and\s+)?(?:the\s+)?{_ROLE})*\s+of\s+(?:the\s+)?(.+?)[:,]?$",
                        re.IGNORECASE)
_EXAMINED = re.compile(
    r"We have examined (?:the (?:accompanying |attached )?description of (?:the system of )?)?(?:management of )?"
    r"(.+?)(?:'s|’s|’|')\s+(?:accompanying |attached )?(?:description|assertion|system)",
)
_ALIAS = re.compile(r"\s*\((?:the\s+)?[\"“'‘]?[^()]{1,40}?[\"”'’]?\)\s*$")


def extract_metadata(pages: list[TextPage], sections: list[Section], running: list[str] | None = None) -> Report:
    """Fill a ``Report`` from the title pages, the auditor's report and the assertion.

    ``running`` holds the running header/footer lines as printed ("X, Inc. | SOC 2 Type 2 Report").
    """
    auditor_section = _report_section(pages, sections)
    auditor_lines = (_section_lines(pages, auditor_section) if auditor_section else []) or \
        [ln for p in pages[:8] for ln in p.lines]
    assertion_lines = _section_lines(pages, next(iter(sections_of(sections, "SEC_ASSERTION")), None))
    first_heading_page = auditor_section.first_page if auditor_section else 3
    title_text = "\n".join(ln for p in pages[:max(1, first_heading_page - 1)][:3] for ln in p.lines)
    auditor_text = "\n".join(auditor_lines)
    all_text = "\n".join(p.text for p in pages)
    opinion_lines = _opinion_lines(auditor_lines)

    report = Report()
    report.framework = _framework(title_text, auditor_text, all_text)
    report.type = _first_type(title_text) or _first_type(auditor_text) or _first_type(all_text[:20000])
    if report.framework == "SOC 3" and not _first_type(title_text + auditor_text):
        report.type = None  # SOC 3 reports name no type; a passing mention elsewhere is not theirs
    elif report.type is None:
        report.type = _implied_type("\n".join(opinion_lines)) or _implied_type(auditor_text)
    named = _service_organization(auditor_lines) or _service_organization(assertion_lines)
    title_lines = [ln for p in pages[:max(1, first_heading_page - 1)][:3] for ln in p.lines]
    legal = _legal_names(title_lines, running or [])
    report.service_organization = _prefer_legal(named, legal)
    above = _lines_above(pages, auditor_section) if auditor_section else []
    report.auditor = _auditor(above, auditor_lines, all_text, [x for x in {named, report.service_organization} if x],
                              running or [])
    scope_text = auditor_text + "\n" + "\n".join(assertion_lines) + "\n" + title_text
    if report.type == "Type 1":
        report.period_end = find_as_of(scope_text)
    else:
        period = find_period(scope_text)
        if period:
            report.period_start, report.period_end = period
        else:
            report.period_end = find_as_of(scope_text)
    report.opinion, report.opinion_basis = _opinion(opinion_lines or auditor_lines, auditor_lines)
    if report.framework != "SOC 1":
        report.trust_services_criteria = _categories(auditor_text) or _categories("\n".join(assertion_lines))
    return report


_OPINION_WORDS = re.compile(r"\bin our opinion\b|\b(?:do|does) not express an opinion\b|\bdisclaim", re.IGNORECASE)


def _report_section(pages: list[TextPage], sections: list[Section]) -> Section | None:
    """The auditor's report: the first section so labelled that states an opinion.

    A contents page or a section divider can carry the same title; the report is
    the one with the opinion in it.
    """
    found = sections_of(sections, "SEC_AUDITOR")
    for s in found:
        if _OPINION_WORDS.search("\n".join(_section_lines(pages, s))):
            return s
    return found[0] if found else None


def _lines_above(pages: list[TextPage], section: Section) -> list[str]:
    """Lines printed above the report's heading on its page: where a letterhead stands."""
    page = pages[section.start.page - 1] if 0 < section.start.page <= len(pages) else None
    return page.lines[:section.start.line] if page else []


def _section_lines(pages: list[TextPage], s: Section | None) -> list[str]:
    """Lines of section ``s`` (heading excluded); none without a section."""
    if s is None:
        return []
    lines: list[str] = []
    for p in pages[s.first_page - 1:min(s.last_page, len(pages))]:
        for i, ln in enumerate(p.lines):
            if p.number == s.start.page and i <= s.start.line:
                continue
            if s.end and p.number == s.end.page and i >= s.end.line:
                break
            lines.append(ln)
    return lines


def _framework(title: str, auditor: str, everything: str) -> str | None:
    for text in (title, auditor):
        if m := _FRAMEWORK.search(text):
            return f"SOC {m.group(1)}"
    counts = Counter(m.group(1) for m in _FRAMEWORK.finditer(everything))
    if counts:
        return f"SOC {counts.most_common(1)[0][0]}"
    # The attestation standard named in the opinion identifies the kind.
    if re.search(r"\bAT-C (?:section )?320\b", everything):
        return "SOC 1"
    if re.search(r"\bTSP (?:section )?100\b", everything):
        return "SOC 2"
    return None


def _first_type(text: str) -> str | None:
    m = _TYPE.search(text)
    return _TYPE_VALUE[m.group(1).lower()] if m else None


def _clean_org(name: str) -> str | None:
    name = _ALIAS.sub("", name.strip(" ,:;\"'“”")).strip(" ,:;")
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE) if not name.startswith("The ") else name
    name = _strip_place(name)
    if _GENERIC_ORG.match(name):
        return None  # "a service organization", "its service organization": a role, not a name
    return name if 1 < len(name) <= 120 else None


_GENERIC_ORG = re.compile(r"^(?:an?|its|such|each|this|that|the)\s+(?:\w+\s+)?(?:service|subservice|user)\s+"
                          r"(?:organi[sz]ations?|entit(?:y|ies))\b|^(?:service|subservice) organi[sz]ation$",
                          re.IGNORECASE)
# Names of places that may follow a name on the same line ("Neon Inc. Wilmington, Delaware"):
# US states, Canadian provinces and a few countries; two-letter codes are matched separately.
_REGIONS = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|"
    "Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|"
    "Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|"
    "Virginia|Washington|West Virginia|Wisconsin|Wyoming|District of Columbia|D\\.C\\.|Ontario|Quebec|"
    "British Columbia|Alberta|United Kingdom|England|Scotland|Ireland|Canada|India|Australia|Germany|Singapore"
)
# City names of two words start with one of these ("San Jose", "Fort Worth", "New York").
_CITY_PREFIX = r"(?:San|Santa|Los|Las|New|Fort|Ft\.|Saint|St\.|Salt Lake|El|Palo|Grand|Kansas|Oklahoma|Jersey|Des|" \
               r"Baton|Little|Long|West|East|North|South|Boca|Coral|Overland|Redwood|Menlo|Newport|Virginia|" \
               r"Ann|Chapel|College|Winston|Sioux|Cedar|Oak|Palm|Glen|Lake|Mountain|Park)"
# Two-letter legal forms ("Holdings, LP") are not state codes.
_PLACE = rf"(?:{_CITY_PREFIX}\s+)?[A-Z][\w.'’\-]+,\s*(?:{_REGIONS}|(?!LP|NA|NV|BV|AG|SA|SE|PC)[A-Z]{{2}})(?:\s+\d{{5}}(?:-\d{{4}})?)?"
_TRAILING_PLACE = re.compile(rf"^(?P<name>.+?)\s+{_PLACE}$")


def _strip_place(name: str) -> str:
    """"Neon Inc. Wilmington, Delaware" -> "Neon Inc.": a city and state run onto the name's line."""
    m = _TRAILING_PLACE.match(name)
    return m.group("name").rstrip(" ,") if m and len(m.group("name")) > 1 else name


# "To Orion Ledger Systems, Inc.:" -- an addressee without a role.
_TO_NAME = re.compile(r"^To:?\s+(?!the\b|whom\b|our\b)([A-Z][^:]{1,80}?)\s*:$")
# "... of Quill Data and Quill hosting (the "Service Organization" or "Quill") ...",
# "Larch, Inc.'s ("Larch" or the "service organization") accompanying description".
_DEFINED_TERM = re.compile(
    r"(?:\b[Ee]xamined|\bsystem of|\bdescription of|\beffectiveness of|\bcontrols (?:of|at))\s+(?:the\s+)?"
    r"([A-Z][^()]{1,100}?)(?:'s|’s|’|')?\s*\((?=[^()]{0,80}?(?i:service organi[sz]ation))"
)
_STREET = re.compile(r"^(?:\d+[A-Za-z]?\s+\w|One\s+\w|P\.?\s?O\.?\s+Box\b)|\b(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.|"
                     r"Way|Boulevard|Blvd\.?|Drive|Dr\.|Lane|Parkway|Plaza|Suite|Floor)\b")
_CONTACT = re.compile(r"^(?:Tel|Telephone|Phone|Fax|T|F|P)\b\.?:?\s*\+?[\d(]|\bwww\.|https?://|\b[\w.-]+\.(?:com|net|org)\b",
                      re.IGNORECASE)
_CITY_LINE = re.compile(rf"^(?:{_CITY_PREFIX}\s+)?[A-Z][\w.'’\- ]*,\s*(?:{_REGIONS}|[A-Z]{{2}})\b", re.IGNORECASE)


# "To the Board of Directors and Management of" ending its line: the name is on the next one.
_ADDRESSEE_OPEN = re.compile(rf"^To(?: the)?:?\s+{_ROLE}(?:,?\s+(?:and\s+)?(?:the\s+)?{_ROLE})*\s+of(?:\s+the)?$",
                             re.IGNORECASE)


def _addressed(lines: list[str]) -> str | None:
    """The addressee: "To the Management of X:", "To X:", also wrapped after "of"."""
    for i, ln in enumerate(lines[:15]):
        ln = ln.strip()
        if _ADDRESSEE_OPEN.match(ln) and i + 1 < len(lines):
            ln = f"{ln} {lines[i + 1].strip()}"
        if m := _ADDRESSEE.match(ln) or _TO_NAME.match(ln):
            return _clean_org(m.group(1))
    return None


def _defined_term(lines: list[str]) -> str | None:
    """The name the scope paragraph defines as the service organization."""
    text = normalise(" ".join(lines[:60]))
    for m in _DEFINED_TERM.finditer(text):
        if name := _clean_org(m.group(1)):
            return name
    return None


def _examined_subject(lines: list[str]) -> str | None:
    """The subject of "We have examined X's description" / "description of X's ... system"."""
    text = normalise(" ".join(lines[:60]))
    if m := _EXAMINED.search(text):
        return _clean_org(m.group(1))
    if m := re.search(r"description of (.+?)(?:'s|’s)\s+[\w\s\-]{0,60}?system", text):
        return _clean_org(m.group(1))
    return None


def _address_block(lines: list[str]) -> str | None:
    """An addressee set as an address block without "To": a name, a street line, a city line.

    A letterhead has the same shape plus a telephone or web line; that is the firm's, not the addressee.
    """
    for i, ln in enumerate(lines[:15]):
        block = [x.strip() for x in lines[i + 1:i + 4]]
        if not block or not _STREET.search(block[0]) or _STREET.search(ln) or any(_CONTACT.search(x) for x in block):
            continue
        sentence = ln.endswith(".") and not _COMPANY.match(ln.strip())  # "Corp." ends a name, not a sentence
        if any(_CITY_LINE.match(x) for x in block[:3]) and 1 <= len(ln.split()) <= 8 and not sentence:
            return _clean_org(ln)
    return None


def _service_organization(lines: list[str]) -> str | None:
    """As the auditor's report names it: the addressee, the scope's defined term, the examined
    subject, then an address block."""
    for finder in (_addressed, _defined_term, _examined_subject, _address_block):
        if name := finder(lines):
            return name
    return None


_COMPANY = re.compile(
    r"^(?:The\s+)?[A-Z][\w&'’.\-]*(?:\s+[\w&'’.\-]+){0,7}?,?\s+(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corp|"
    r"Corporation|Co|Company|LP|L\.P|PLC|plc|GmbH|AG|S\.A|N\.A|N\.V|B\.V|Pty|SE)\.?$"
)
_COVER_KIND = re.compile(r"^(?:SOC|Service Organi[sz]ation Control)\s*(?:®|\(R\))?\s*[123]\b.{0,40}$", re.IGNORECASE)


def _legal_names(title_lines: list[str], running: list[str]) -> list[str]:
    """Company names printed on the cover (the line under "SOC 2® Type 2", or any
    line ending in a legal suffix) and in the running header ("X, Inc. | SOC 2 Report")."""
    out = []
    for i, ln in enumerate(title_lines[:12]):
        ln = ln.strip()
        after_kind = i > 0 and _COVER_KIND.match(title_lines[i - 1].strip()) and not _FRAMEWORK.search(ln)
        if _COMPANY.match(ln) or (after_kind and 1 <= len(ln.split()) <= 6 and _is_heading(ln)
                                  and not re.match(r"(?:report|for|as of|description)\b", ln, re.I)):
            out.append(ln)
    for ln in running:
        out += [part.strip() for part in re.split(r"\s+[|–—-]\s+|\s*\|\s*", ln) if _COMPANY.match(part.strip())]
    return out


def _prefer_legal(named: str | None, legal: list[str]) -> str | None:
    """The name the auditor's report gives, or the legal name of which it is the short form
    ("Orion" -> "Orion Ledger Systems, Inc."); the cover's name when the report gives none."""
    def key(x: str) -> str:
        return re.sub(r"[^a-z0-9]", "", x.lower())

    if not named:
        return legal[0] if legal else None
    for name in legal:
        if key(name) != key(named) and key(name).startswith(key(named)) and len(key(named)) >= 3:
            return name
    return named


# A firm's name in the form firms print it: capitalised words (and "&", "and", "of") ending in a
# firm's legal form ("Marlow & Tenby LLP", "Penhallow & Company, LLC", "Reyes Hollis CPAs, P.C.").
_FIRM_FORM = (r"(?:LLP|L\.L\.P\.|LLC|L\.L\.C\.|PLLC|P\.L\.L\.C\.|P\.\s?C\.|PC|P\.\s?A\.|CPAs?|Ltd\.?|Limited|"
              r"Chartered Accountants|Certified Public Accountants|& Co\.?|& Company)")
FIRM = (rf"(?:[A-Z][\w'’.\-]*|&)(?:,?\s+(?:[A-Z][\w'’.\-]*|&|and|of))*?,?\s+{_FIRM_FORM}"
        rf"(?:,?\s+{_FIRM_FORM})?(?![\w])")
_FIRM_RE = re.compile(FIRM)
# Where a report names its auditor in running text: restricted-use and distribution notices before
# the report, the cover, the tests section. Each pattern's group "firm" holds a firm-form name.
_FIRM_MENTIONS = [re.compile(p.replace("{FIRM}", f"(?P<firm>{FIRM})")) for p in (
    r"\brights against {FIRM}",
    r"{FIRM},? does not (?:assume|accept) any (?:duties|liability|responsibility)",
    r"\bto (?:[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*\s+(?:or|and)\s+)?{FIRM} upon (?:request|demand)",
    r"(?i:auditor[’']?s?[’']? (?:report|opinion)) (?:of|by|from|issued by|prepared by|provided by) {FIRM}",
    r"{FIRM} (?:conducted|performed|carried out|executed) the (?:examination|testing|tests|procedures)",
    r"\b(?:[Pp]repared|[Ii]ssued|[Aa]udited|[Ee]xamined|[Tt]ested|performed|conducted|carried out) by {FIRM}",
    r"{FIRM}\s*\(\s*(?:the\s+)?[\"“'‘]?(?:we|us|our|(?i:service auditor|auditor))\b",
)]
_DESIGNATION = re.compile(r"^(?:Certified Public Accountants?|Chartered (?:Professional )?Accountants|CPAs?|"
                          r"Registered Auditors|Public Accountants(?: and Consultants)?)\.?$", re.IGNORECASE)
_SIGNED_DATE = re.compile(rf"\s*,?\s*{DATE}\s*$", re.IGNORECASE)


def _auditor(above: list[str], lines: list[str], everything: str, service_names: list[str],
             running: list[str] | None = None) -> str | None:
    """The audit firm, from the strongest evidence the report gives.

    The signature block under the opinion, then the letterhead of the auditor's
    report (a firm's name over its address and telephone or web address), then a
    firm-form name where the report mentions its auditor (notices, cover, tests).
    Names of the service organization are never the auditor. A letterhead or credit printed
    on every page of a short report is a running line, cut from the pages' text: ``running``
    holds those lines as printed.
    """
    def own(name: str | None) -> str | None:
        return name if name and not _same_party(name, service_names) else None

    return (own(_signed_firm(lines)) or own(_letterhead_firm(above + lines, service_names, len(above)))
            or own(_letterhead_firm(running or [], service_names))
            or own(_mentioned_firm(everything, service_names))
            or own(_credited_firm(everything.splitlines() + (running or []), service_names)))


def _org_key(name: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", name.lower().replace("’", "'").replace("'s", ""))
    return {w for w in words if w not in _NAME_FILLER}


# Legal forms and words too common in company names to tell two parties apart.
_NAME_FILLER = {"inc", "llc", "llp", "ltd", "corp", "corporation", "company", "co", "the", "and", "of", "l", "p", "c",
                "services", "service", "group", "systems", "limited", "plc", "lp", "pc", "cpas", "cpa", "cloud", "data",
                "web", "technologies", "technology", "solutions", "software", "digital", "platform", "partners",
                "assurance", "advisors", "advisory", "holdings", "global", "international", "consulting"}


def _same_party(name: str, others: list[str]) -> bool:
    """True when ``name`` shares a distinctive word with one of ``others``."""
    key = _org_key(name)
    return any(key & _org_key(o) for o in others)


# A city's name alone (two words at most, or a known prefix and one): "Calder", "Salt Lake City", not
# "Harlow Advisors Boise" (a name run onto the place).
_CITY_ONLY = re.compile(rf"(?:{_CITY_PREFIX}\s+)?[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+)?")


def _signed_firm(lines: list[str]) -> str | None:
    """The firm in the signature block: a short line ending in a firm suffix, near a date or city.

    The last such line after the opinion wins; the service organization's own
    name (also ending in "Inc." or "LLC") appears earlier, in the addressee.
    """
    start = _opinion_start(lines) or 0
    best = None
    for i in range(start, len(lines)):
        ln = _signature_name(lines[i])
        if len(ln.split()) > 9 or ln.endswith(".") and not _FIRM_SUFFIX.search(ln) \
                or _continues(lines[i - 1] if i else ""):
            continue
        near = " ".join(lines[i:i + 4])
        near_signature = bool(re.search(r"\b(19|20)\d{2}\b", near)) or any(_CITY_STATE.match(x.strip()) for x in lines[i + 1:i + 3])
        if _FIRM_SUFFIX.search(ln) and near_signature and not re.match(r"(to|we|our|the)\b", ln, re.I):
            # "Certified Public Accountants" on its own line under the name: the name is the line above.
            above = _signature_name(lines[i - 1]) if i > start else ""
            best = above if _DESIGNATION.match(ln) and above[:1].isupper() and len(above.split()) <= 6 else ln
    if best is None:
        best = _unsuffixed_signature(lines, start)
    return best


def _unsuffixed_signature(lines: list[str], start: int) -> str | None:
    """A firm name without a legal form in the signature block, the last one after the opinion.

    The line right above "City, State" and a date (on the next line or the same one: "Boise,
    Idaho, May 2, 2025"), above a designation over the place, a typed "/s/ X" over its date, or
    the three run onto one line ("Harlow Advisors Boise, Idaho May 2, 2025").
    """
    best = None
    for i in range(start + 1, len(lines)):
        ln = lines[i].strip()
        place = _SIGNED_DATE.sub("", ln).strip(" ,") if _SIGNED_DATE.search(ln) else ""
        if (_CITY_STATE.match(ln) and re.search(r"\b(19|20)\d{2}\b", " ".join(lines[i:i + 2]))) \
                or (place and _CITY_STATE.match(place) and _CITY_ONLY.fullmatch(place.split(",")[0])):
            j = i - 1
            # name / "Certified Public Accountant" or "Jane Doe, Partner" / place
            if (_DESIGNATION.match(_signature_name(lines[j])) or _SIGNER_TITLE.search(lines[j])) and j > start:
                j -= 1
        elif lines[i - 1].strip().startswith("/s/") and _SIGNED_DATE.fullmatch(" " + ln):
            j = i - 1  # a typed signature over its date, no place
        elif place and _TRAILING_PLACE.match(place):
            j = i
        else:
            continue
        cand = _signature_name(lines[j])
        if 1 <= len(cand.split()) <= 6 and not cand.endswith(".") and cand[:1].isupper() \
                and not re.match(r"(to|we|our|the|in|this|these)\b", cand, re.I) and not _continues(lines[j - 1]):
            best = cand
    return best


# The partner who signs for the firm, on the line under its name: "Jane Doe, Partner".
_SIGNER_TITLE = re.compile(r",\s*(?:Engagement\s+|Managing\s+)?(?:Partner|Principal|Director|Shareholder|Member)\s*$")
# What signers print before the firm's name: "/s/", "By:", "Signed:", "for and on behalf of".
_SIGNED_AS = re.compile(r"^(?:/s/|(?:by|signed)\s*:|(?:for and )?on behalf of\b)\s*", re.IGNORECASE)


def _continues(line: str) -> bool:
    """True when a sentence runs on from ``line`` onto the next: a long line without a closing mark.
    A line continuing a sentence ("... by the American" / "Institute of ...") is no signature."""
    ln = line.strip()
    return len(ln.split()) > 6 and not re.search(r"[.:;!?)\"”’']$", ln)


def _signature_name(line: str) -> str:
    """A signature line without "/s/" (or "By:", "for and on behalf of"), a trailing date and a
    trailing "City, State"."""
    ln = _SIGNED_AS.sub("", line.strip()).strip()
    ln = _SIGNED_DATE.sub("", ln).strip(" ,") or ln
    return _strip_place(ln)


def _letterhead_firm(lines: list[str], service_names: list[str], top: int = 0) -> str | None:
    """A name over an address and a telephone or web line, in the auditor's report: the firm's letterhead.

    The addressee's block has an address but no telephone or web line. Above the report's
    title (the first ``top`` lines) no addressee stands: there a firm-form name over an
    address is the letterhead even without a telephone or web line.
    """
    for i, ln in enumerate(lines):
        if (one := _one_line_letterhead(ln)) and not _same_party(one, service_names):
            return one
        if _under_name(ln):
            continue
        # The address starts on the line right under the name, or under a designation or tagline
        # under it ("Certified Public Accountants", "Audit | Tax | Advisory").
        k = i + 2 if i + 1 < len(lines) and _under_name(lines[i + 1]) else i + 1
        nxt = lines[k].strip() if k < len(lines) else ""
        if not (_STREET.search(nxt) or _CITY_LINE.match(nxt)):
            continue
        if not any(_CONTACT.search(x.strip()) for x in lines[k:k + 4]) and not (i < top and _FIRM_RE.search(ln)):
            continue
        if m := _FIRM_RE.search(ln):
            name = _drop_logo(m.group(0))
        elif 1 <= len(ln.split()) <= 5 and ln[:1].isupper() and not ln.rstrip().endswith((".", ":")) \
                and not _STREET.search(ln) and not _CONTACT.search(ln):
            name = ln.strip()
        else:
            continue
        if not _same_party(name, service_names):
            return name
    return None


# A letterhead printed as one line at the page's foot: "X & Co. | 12 Elm Street | Boise, ID 83702 | 208.555.0100".
_LETTERHEAD_PARTS = re.compile(r"\s+[|•·]\s+|\s{3,}")
_PHONE = re.compile(r"^\+?[\d\s().\-]{10,18}$")


def _under_name(line: str) -> bool:
    """A designation or a tagline ("Audit | Tax | Advisory") printed under a firm's name."""
    parts = [x.strip() for x in _LETTERHEAD_PARTS.split(line.strip()) if x.strip()]
    tagline = len(parts) >= 2 and all(len(x.split()) <= 3 and not re.search(r"\d", x) for x in parts)
    return bool(_DESIGNATION.match(line.strip())) or tagline


def _one_line_letterhead(line: str) -> str | None:
    """The name leading a one-line letterhead: a name, then an address part, then a telephone or web part."""
    parts = [x.strip() for x in _LETTERHEAD_PARTS.split(line.strip()) if x.strip()]
    if len(parts) < 3:
        return None
    name, rest = parts[0], parts[1:]
    has_address = any(_STREET.search(x) or _CITY_LINE.match(x) for x in rest)
    has_contact = any(_CONTACT.search(x) or _PHONE.match(x) or re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", x) for x in rest)
    if has_address and has_contact and 1 <= len(name.split()) <= 6 and name[:1].isupper() \
            and not _STREET.search(name) and not _CONTACT.search(name):
        return _drop_logo(name)
    return None


def _drop_logo(name: str) -> str:
    """"AB Abel & Baines LLP" -> "Abel & Baines LLP": initials printed before the name (logo text)."""
    words = name.split()
    initials = "".join(w[0] for w in words[1:] if w[:1].isupper())
    if len(words) > 2 and words[0].isupper() and 2 <= len(words[0]) <= 4 and initials.startswith(words[0]):
        return " ".join(words[1:])
    return name


def _mentioned_firm(text: str, service_names: list[str]) -> str | None:
    """The firm-form name most often named where the report speaks of its auditor."""
    flat, cuts = _flatten(text)
    found: Counter[str] = Counter()
    for pattern in _FIRM_MENTIONS:
        for m in pattern.finditer(flat):
            start = max([c for c in cuts if m.start("firm") < c < m.end("firm")], default=m.start("firm"))
            name = _drop_logo(_last_sentence(flat[start:m.end("firm")]).strip(" ,"))
            if _FIRM_RE.fullmatch(name) and not _same_party(name, service_names) \
                    and not _READ_BY_MANAGEMENT.search(_last_sentence(flat[max(0, m.start() - 200):m.start()])):
                found[name] += 1
    return found.most_common(1)[0][0] if found else None


# "Management reviews the auditor's report of X": a report the service organization reads (a
# subservice organization's, named by its own name) is not the report's auditor.
_READ_BY_MANAGEMENT = re.compile(r"\b(?:review|obtain|evaluat|monitor|inspect)\w*\b[^.]*$", re.IGNORECASE)


# A sentence ends after a word of two or more letters ("Accountants. BDO"), not after an initial ("Jane Q. Doe").
_SENTENCE_END = re.compile(r"(?<=[a-z]{2}[.!?])\s+(?=[A-Z])|(?<=[:;])\s+")


def _flatten(text: str) -> tuple[str, list[int]]:
    """``text`` on one line, and the offsets where a line that is a heading of its own ended:
    a name can wrap over two lines, but never starts in a heading over its sentence ("Testing")."""
    flat, cuts = "", []
    for ln in text.splitlines():
        ln = re.sub(r"\s+", " ", ln).strip()
        if not ln:
            continue
        flat = f"{flat} {ln}" if flat else ln
        if _is_heading(ln) and not re.search(r"\b(?:of|by|the|and|or|to|for|with|from|a|an)$", ln, re.I):
            cuts.append(len(flat) + 1)
    return flat, cuts


def _last_sentence(name: str) -> str:
    """The part of a matched name after the last sentence end: a firm's name starts its sentence."""
    return _SENTENCE_END.split(name)[-1]


# A name of any form (no legal form needed: "Meridian", "Greer and Associates") where the line or the
# sentence bounds it: a credit line of its own ("Prepared by X", "Report by X", "... Report of" over
# "X"), or the subject of the sentence saying who tested ("X performed the tests ...").
_NAME = r"[A-Z][\w&'’.\-]*(?:,?\s+(?:[A-Z][\w&'’.\-]*|&|and|of)){0,6}"
_TESTS_DONE_BY = (r"(?:examination|tests?|testing|procedures)(?:\s+of\s+(?:the\s+)?\w+)?\s+"
                  r"(?:(?:were|was)\s+)?(?:performed|conducted)\s+by")
# Credits run "Report by X", "Prepared by: X" or, as a label, "Service Auditor: X".
_CREDIT = r"(?i:(?:(?:the\s+)?(?:independent\s+)?(?:service\s+)?auditor[’']?s?[’']?\s+)?" \
          r"(?:report|opinion)\s+(?:of|by|from)|" \
          r"(?:prepared|issued|examined|audited|tested)\s+by:?|" \
          rf"{_TESTS_DONE_BY}:?|" \
          r"^(?:independent\s+)?(?:service\s+)?auditors?(?:\s+firm)?:)"
_CREDIT_LINE = re.compile(rf"^(?:.*?\b)?{_CREDIT}\s*(?P<name>{_NAME})$")
_CREDIT_OPEN = re.compile(rf"^(?:.*?\b)?{_CREDIT}$")
_NAME_LINE = re.compile(rf"^(?P<name>{_NAME})$")
# Sentences naming who tested: "X performed the tests ...", "The tests were performed by X, ...",
# "Y engaged X to examine ...". The sentence bounds the name, so it needs no legal form.
_TESTER = re.compile(rf"^(?P<name>{_NAME})\s+(?:conducted|performed|carried out|executed)\s+(?:the|our|its)\s+"
                     r"(?:examination|testing|tests|procedures)\b")
_TESTED_BY = re.compile(rf"(?i:{_TESTS_DONE_BY})"
                        rf"\s+(?P<name>{_NAME})(?=\s*[,;]|\.?$)")
_ENGAGED = re.compile(rf"\bengaged\s+(?P<name>{_NAME})\s+to\s+(?:examine|perform|report|conduct|test|audit)\b")
# A cover's label over the name: "Service Auditor" / "Harbor Assurance".
_AUDITOR_LABEL = re.compile(r"^(?:independent\s+)?(?:service\s+)?auditor(?:\s+firm)?$", re.IGNORECASE)
_NOT_A_FIRM = re.compile(r"\b(?:We|Our|The|This|Management|Company|Organi[sz]ation|Entity|Entities|Section|"
                         r"Auditors?|Service|Report)\b")


def _credited_firm(lines: list[str], service_names: list[str]) -> str | None:
    """A firm named by a credit line or as the one who tested, whatever its name's form."""
    names = []
    for i, raw in enumerate(lines):
        ln = re.sub(r"\s+", " ", raw).strip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if m := _CREDIT_LINE.match(ln):
            names.append(m.group("name"))
        elif (_CREDIT_OPEN.match(ln) or _AUDITOR_LABEL.match(ln)) and (m := _NAME_LINE.match(nxt)):
            names.append(m.group("name"))
    for sentence in _sentences("\n".join(lines)):
        names += [m.group("name") for m in (_TESTER.match(sentence), _TESTED_BY.search(sentence)) if m]
        names += [m.group("name") for m in _ENGAGED.finditer(sentence)]
    for name in names:
        name = name.strip(" ,")
        if name.endswith(".") and not _FIRM_SUFFIX.search(name):
            continue
        if not _NOT_A_FIRM.search(name) and not _same_party(name, service_names):
            return name
    return None


def _sentences(text: str) -> list[str]:
    """The sentences of ``text`` run over line ends, a heading of its own never part of the next sentence."""
    flat, cuts = _flatten(text)
    out = []
    for a, b in zip([0] + cuts, cuts + [len(flat)]):
        out += [x.strip() for x in _SENTENCE_END.split(flat[a:b]) if x.strip()]
    return out


_OPINION_HEADING = re.compile(r"^(?:basis for (?:a |the )?)?(?:(?:qualified|adverse|unqualified|unmodified|modified)\s+)?"
                              r"opinion(?:\s+on\s+[\w\s]{1,40})?:?$|^disclaimer of opinion:?$", re.IGNORECASE)
# Headings that follow the opinion in the report.
_AFTER_OPINION = re.compile(r"^(?:restricted use|intended use|use of (?:the|this) report|other matters?|"
                            r"emphasis of (?:a )?matter|description of tests)\b", re.IGNORECASE)
_OPINION_SPAN = 40


def _opinion_start(lines: list[str]) -> int | None:
    """Where the opinion starts: the heading over "In our opinion" (or the basis heading set before
    it), else an opinion heading ("Disclaimer of Opinion"), else the first disclaiming sentence."""
    heads = [i for i, ln in enumerate(lines) if _OPINION_HEADING.match(ln.strip())]
    said = next((i for i, ln in enumerate(lines) if re.search(r"\bin our opinion\b", ln, re.I)), None)
    if said is not None:
        before = [i for i in heads if said - _OPINION_SPAN <= i <= said]
        return before[0] if before else said
    if heads:
        return heads[0]
    return next((i for i, ln in enumerate(lines) if _OPINION_WORDS.search(ln)), None)


def _opinion_lines(lines: list[str]) -> list[str]:
    """The opinion paragraph(s) with their headings ("Basis for Qualified Opinion", "Opinion"):
    boilerplate elsewhere ("we express no opinion on it") is not the opinion."""
    start = _opinion_start(lines)
    if start is None:
        return []
    out = [lines[start]]
    for ln in lines[start + 1:start + _OPINION_SPAN]:
        if _AFTER_OPINION.match(ln.strip()):
            break
        out.append(ln)
    return out


_PERIOD_WORDS = re.compile(rf"\b(?:throughout|for|during)\s+the\s+period\s+(?:from\s+)?{DATE}", re.IGNORECASE)


def _implied_type(text: str) -> str | None:
    """The type a report implies without naming it: operating effectiveness throughout
    a period is Type 2; design as of a date is Type 1."""
    if _PERIOD_WORDS.search(re.sub(r"\s+", " ", text)) and find_period(text):
        return "Type 2"
    if find_as_of(text):
        return "Type 1"
    return None


# "We do not express an opinion on it / on the operating effectiveness / on management's responses":
# no opinion on other information (or, in a Type 1, on operating effectiveness) is not a disclaimer.
_NO_OPINION_ON_OTHER = re.compile(
    r"[^.;]*\b(?:(?:do|does|did) not express an|express no|expresses no) opinion\s+(?:on|about|thereon|regarding)?\s*"
    r"(?:it\b|them\b|thereon\b|such\b|the operating effectiveness|operating effectiveness|management['’]s|"
    r"the (?:other|supplemental|additional) information|this (?:section|information))[^.;]*[.;]?",
    re.IGNORECASE,
)


def _opinion(lines: list[str], report: list[str] | None = None) -> tuple[str | None, str | None]:
    """Classify the opinion in ``lines`` and, when modified, quote its basis paragraph from ``report``
    (the whole auditor's report: the basis may be set well before the opinion)."""
    text = _NO_OPINION_ON_OTHER.sub(" ", " ".join(lines))
    found = {s.label_ for s in spans(analyse(text), "OPINION_")}
    if "OPINION_DISCLAIMER" in found:
        kind = "disclaimer"
    elif "OPINION_ADVERSE" in found:
        kind = "adverse"
    elif "OPINION_QUALIFIED" in found:
        kind = "qualified"
    elif "OPINION_UNQUALIFIED" in found and "OPINION_ADVERSE_EFFECT" in found and _adverse_in_opinion(text):
        kind = "adverse"
    elif "OPINION_UNQUALIFIED" in found or re.search(r"\bin our opinion\b", text, re.I):
        kind = "unqualified"
    else:
        return None, None
    return kind, (_basis(report or lines, lines) if kind != "unqualified" else None)


def _adverse_in_opinion(text: str) -> bool:
    """"In our opinion ... were not suitably designed / did not operate effectively" in one sentence."""
    for sent in analyse(text).sents:
        s = sent.text.lower()
        if "in our opinion" in s and re.search(r"were not suitably designed|did not operate effectively|"
                                               r"does not present fairly|do not present fairly", s):
            return True
    return False


def _is_heading(line: str) -> bool:
    core = strip_numbering(line)
    return 0 < len(core.split()) <= 8 and not core.endswith((".", ",", ";")) and core[:1].isupper()


def _basis(lines: list[str], opinion: list[str]) -> str | None:
    """The paragraph(s) under "Basis for Qualified/Adverse/Disclaimer of Opinion" in ``lines``, verbatim;
    without that heading, the sentence of the ``opinion`` that carries the exception."""
    for i, ln in enumerate(lines):
        if re.search(r"\bbasis for (?:the )?(?:qualified|adverse|disclaimer|modified)", ln, re.I) and _is_heading(ln):
            body = []
            for nxt in lines[i + 1:]:
                if _is_heading(nxt):
                    break
                body.append(nxt)
            text = _join(body)
            return text or None
    # No heading: the sentence carrying "except for" / "because of" in the opinion.
    for sent in analyse(" ".join(opinion)).sents:
        if re.search(r"except for|because of the (?:significance|matter)", sent.text, re.I):
            return sent.text.strip()
    return None


def _join(lines: list[str]) -> str:
    out = ""
    for ln in lines:
        ln = ln.strip()
        out = out + ln if out.endswith("-") else (f"{out} {ln}" if out else ln)
    return re.sub(r"\s+", " ", out).strip()


_CATEGORY = "|".join(_CATEGORIES)
# "relevant to security, availability, and processing integrity": the categories listed right after
# the phrase that states the scope; a category named elsewhere in the sentence is not in scope.
_SCOPE_LIST = re.compile(
    rf"\b(?:relevant to|criteria for|applicable to|principles? of|categories? of|categories:?)\s+(?:the\s+)?"
    rf"((?:{_CATEGORY})(?:\s*(?:,|;|&|and|,\s*and)\s+(?:the\s+)?(?:{_CATEGORY}))*)\b"
)


def _scope_list(sentence: str) -> list[str]:
    found: set[str] = set()
    for m in _SCOPE_LIST.finditer(sentence):
        found |= {_CATEGORIES[c] for c in re.findall(_CATEGORY, m.group(1))}
    return [key for key in _CATEGORIES.values() if key in found]


def _categories(text: str) -> list[str]:
    """Categories named in the scope sentence ("... criteria relevant to security and availability")."""
    flat = _TSP_TITLE.sub("", normalise(text))
    sents = list(analyse(flat).sents)
    # A stated scope list wins over prose that names a category in passing ("our confidentiality commitments").
    for sent in sents:
        if found := _scope_list(sent.text.lower()):
            return found
    for sent in sents:
        s = sent.text.lower()
        if not re.search(r"criteria|categor|principle", s):
            continue
        if not re.search(r"relevant to|criteria for|applicable to|categor|principles? of|based on", s):
            continue
        found = [key for phrase, key in _CATEGORIES.items() if re.search(rf"\b{phrase}\b", s)]
        if found:
            return [key for key in _CATEGORIES.values() if key in found]
    # No scope sentence: the criteria cited in the text show which categories were in scope.
    cats = {category_of(c) for c in parse_criteria(flat)} - {None}
    return [key for key in _CATEGORIES.values() if key in cats]
