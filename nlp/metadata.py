"""Report-level facts: framework, type, parties, period, opinion and criteria in scope.

Read from the text pass: the title pages, the independent service auditor's
report and, as a fallback, management's assertion.
"""

from __future__ import annotations

import re
from collections import Counter

from nlp.criteria import category_of, parse_criteria
from nlp.dates import find_as_of, find_period
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
_TSP_TITLE = re.compile(r"trust services criteria for security, availability, processing integrity, "
                        r"confidentiality,? and privacy", re.IGNORECASE)
_FIRM_SUFFIX = re.compile(
    r"(?:\b(?:LLP|L\.L\.P\.|LLC|L\.L\.C\.|PLLC|P\.?C\.|P\.A\.|CPAs?|Ltd\.?|Limited|GmbH|AG|S\.A\.|Inc\.|"
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
    auditor_lines = _section_lines(pages, sections, "SEC_AUDITOR") or [ln for p in pages[:8] for ln in p.lines]
    assertion_lines = _section_lines(pages, sections, "SEC_ASSERTION")
    first_heading_page = min((s.first_page for s in sections if s.label == "SEC_AUDITOR"), default=3)
    title_text = "\n".join(ln for p in pages[:max(1, first_heading_page - 1)][:3] for ln in p.lines)
    auditor_text = "\n".join(auditor_lines)
    all_text = "\n".join(p.text for p in pages)

    report = Report()
    report.framework = _framework(title_text, auditor_text, all_text)
    report.type = _first_type(title_text) or _first_type(auditor_text) or _first_type(all_text[:20000])
    if report.framework == "SOC 3" and not _first_type(title_text + auditor_text):
        report.type = None  # SOC 3 reports name no type; a passing mention elsewhere is not theirs
    named = _service_organization(auditor_lines) or _service_organization(assertion_lines)
    title_lines = [ln for p in pages[:max(1, first_heading_page - 1)][:3] for ln in p.lines]
    report.service_organization = _prefer_legal(named, _legal_names(title_lines, running or []))
    report.auditor = _auditor(auditor_lines)
    scope_text = auditor_text + "\n" + "\n".join(assertion_lines) + "\n" + title_text
    if report.type == "Type 1":
        report.period_end = find_as_of(scope_text)
    else:
        period = find_period(scope_text)
        if period:
            report.period_start, report.period_end = period
        else:
            report.period_end = find_as_of(scope_text)
    report.opinion, report.opinion_basis = _opinion(auditor_lines)
    if report.framework != "SOC 1":
        report.trust_services_criteria = _categories(auditor_text) or _categories("\n".join(assertion_lines))
    return report


def _section_lines(pages: list[TextPage], sections: list[Section], label: str) -> list[str]:
    """Lines of the first section with ``label`` (heading excluded)."""
    found = sections_of(sections, label)
    if not found:
        return []
    s = found[0]
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
    return name if 1 < len(name) <= 120 else None


def _service_organization(lines: list[str]) -> str | None:
    """The addressee ("To the Management of X:") or the subject of "We have examined X's description"."""
    for ln in lines[:15]:
        if m := _ADDRESSEE.match(ln.strip()):
            return _clean_org(m.group(1))
    text = normalise(" ".join(lines[:60]))
    if m := _EXAMINED.search(text):
        return _clean_org(m.group(1))
    if m := re.search(r"description of (.+?)(?:'s|’s)\s+[\w\s\-]{0,60}?system", text):
        return _clean_org(m.group(1))
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


def _auditor(lines: list[str]) -> str | None:
    """The firm in the signature block: a short line ending in a firm suffix, near a date or city.

    The last such line after the opinion wins; the service organization's own
    name (also ending in "Inc." or "LLC") appears earlier, in the addressee.
    """
    start = next((i for i, ln in enumerate(lines) if re.search(r"in our opinion|do not express", ln, re.I)), 0)
    best = None
    for i in range(start, len(lines)):
        ln = lines[i].strip().removeprefix("/s/").strip()
        if len(ln.split()) > 9 or ln.endswith(".") and not _FIRM_SUFFIX.search(ln):
            continue
        near = " ".join(lines[i + 1:i + 4])
        near_signature = bool(re.search(r"\b(19|20)\d{2}\b", near)) or any(_CITY_STATE.match(x.strip()) for x in lines[i + 1:i + 3])
        if _FIRM_SUFFIX.search(ln) and near_signature and not re.match(r"(to|we|our|the)\b", ln, re.I):
            best = ln
    if best is None:
        # Firm names without a suffix: the line right above "City, State" and a date.
        for i in range(start + 1, len(lines) - 1):
            if _CITY_STATE.match(lines[i].strip()) and re.search(r"\b(19|20)\d{2}\b", " ".join(lines[i:i + 2])):
                cand = lines[i - 1].strip().removeprefix("/s/").strip()
                if 1 <= len(cand.split()) <= 6 and not cand.endswith("."):
                    best = cand
    return best


def _opinion(lines: list[str]) -> tuple[str | None, str | None]:
    """Classify the opinion and, when modified, quote its basis paragraph."""
    text = " ".join(lines)
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
    return kind, (_basis(lines) if kind != "unqualified" else None)


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


def _basis(lines: list[str]) -> str | None:
    """The paragraph(s) under "Basis for Qualified/Adverse/Disclaimer of Opinion", verbatim."""
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
    for sent in analyse(" ".join(lines)).sents:
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
