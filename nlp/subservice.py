"""Subservice organizations (name, method, services) and their CSOCs.

Only organizations the report itself calls subservice organizations count:
names come from the "Subservice Organizations" subsection (prose, list or
table), the auditor's scope paragraph sentences about subservice
organizations, and the CSOC table's organization column; never from the
system description's general list of tools.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.items import Item, extract_items, section_blocks
from nlp.layout import Line, PageLayout, Row
from nlp.pdftext import TextPage
from nlp.results import Csoc, SubserviceOrganization
from nlp.rules import analyse, normalise, spans
from nlp.sections import Section, sections_of

_SUFFIX = (r"(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Co|Company|LP|L\.P|LLP|PLC|plc|GmbH|AG|"
           r"S\.A|N\.A|N\.V|B\.V|Pty|SE|SAS|AB|ASA|Oy|KK)\.?")
_WORD = r"(?:[A-Z][A-Za-z0-9&.'\-]*|[A-Z0-9]{2,})"
_NAME = rf"{_WORD}(?:\s+(?:{_WORD}|of|&|de|la)){{0,6}}(?:,?\s+{_SUFFIX})?(?![A-Za-z])"
_ALIAS = r"\s*\((?:the\s+|hereafter\s+|hereinafter\s+)?[\"'“‘]?([A-Z][\w&.\- ]{0,40}?)[\"'”’]?\)"
# "Heroku (Salesforce, Inc.)": an unquoted parenthetical legal name is part of the name, not an alias.
_OWNER = rf"\s*\({_WORD}(?:\s+(?:{_WORD}|of|&)){{0,5}},?\s+{_SUFFIX}\)"
_NAMED = re.compile(rf"({_NAME}(?:{_OWNER})?)(?:{_ALIAS})?")
# "X uses [a subservice organization,] Y ..." introduces Y as the object.
_USE_VERB = re.compile(
    r"\b(?:uses?|using|utili[sz]es?|utili[sz]ing|relies(?: on| upon)?|rely(?: on| upon)?|leverages?|engages?|"
    r"outsources? (?:\w+ )?to|contracts? with|partners? with|hosted (?:by|with|at|on|in)|provided by|services of|"
    r"including|include)\s+(?:(?:a|an|the|two|three|several|following|certain)\s+)*"
    r"(?:(?:subservice|third[- ]party|service)\s+(?:organi[sz]ations?|providers?|vendors?)\s*[,:]?\s*)?",
    re.IGNORECASE,
)
# "Y ('alias') provides hosting to X" introduces Y as the subject.
_PROVIDE_VERB = re.compile(
    # "Y, a third-party provider, hosts ...": an appositive may stand between name and verb.
    r"^\s*(?:,\s*(?:a|an|the|our)\s+[^,]{1,60},\s*)?"
    r"(?:provides?|performs?|hosts?|supplies|delivers?|offers?|operates?|manages?|is responsible for|"
    r"is used (?:for|to)|serves as|(?:is|acts as) (?:a|an|the|our)\s+(?:[\w-]+\s+){0,3}"
    r"(?:subservice organi[sz]ation|provider|vendor|partner))\b",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"^(?:The|This|These|Those|Our|We|It|Its|In|For|Such|Each|All|Any|Management|Service|Services|Subservice|"
    r"Organization|Organizations|Company|Controls?|Description|Complementary|User|Entity|Entities|Criteria|Trust|"
    r"SOC|Type|Section|Table|Note|Refer|See|Additionally|Also|However|Further|January|February|March|April|May|"
    r"June|July|August|September|October|November|December|CC\d.*|[A-Z]\d.*)$"
)
_SERVICES = re.compile(
    r"\b(?:for|to provide|to host|which provides?|that provides?|provides?|providing|as (?:its|our|the))\s+(.+?)(?:[.;]|,? and (?:the|its|their)\b|$)",
    re.IGNORECASE,
)


@dataclass
class _Org:
    name: str
    page: int
    aliases: set[str] = field(default_factory=set)
    services: str | None = None
    method: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    def keys(self) -> set[str]:
        return {_key(self.name)} | {_key(a) for a in self.aliases}


def _key(name: str) -> str:
    """Compare names without legal suffix, punctuation or case ("Amazon Web Services, Inc." ~ "amazon web services")."""
    return re.sub(r"[^a-z0-9]", "", _short(name).lower())


def _short(name: str) -> str:
    """The name without its legal suffix or owner ("Stripe, Inc." -> "Stripe", "Heroku (Salesforce, Inc.)" -> "Heroku")."""
    return re.sub(rf",?\s+{_SUFFIX}$", "", re.sub(r"\s*\([^()]*\)$", "", name.strip()))


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,;:-–")
    return re.sub(r"^(?:the|and)\s+", "", name, flags=re.IGNORECASE)


def _method_of(text: str) -> str | None:
    labels = {s.label_ for s in spans(analyse(text), "METHOD_")}
    if labels == {"METHOD_CARVEOUT"}:
        return "carve-out"
    if labels == {"METHOD_INCLUSIVE"}:
        return "inclusive"
    return None


def _services_in(sentence: str, name_end: int) -> str | None:
    m = _SERVICES.search(sentence[name_end:])
    if not m:
        return None
    services = m.group(1).strip(" ,")
    return services if 2 < len(services) < 160 else None


class _Registry:
    """Organizations found so far, merged by name or alias."""

    def __init__(self, exclude: set[str]):
        self.orgs: list[_Org] = []
        self.exclude = exclude

    def find(self, name: str) -> _Org | None:
        k = _key(name)
        for org in self.orgs:
            if k in org.keys() or any(k and (k.startswith(x) or x.startswith(k)) and min(len(k), len(x)) >= 4
                                      for x in org.keys()):
                return org
        return None

    def add(self, name: str, page: int, alias: str | None = None, services: str | None = None,
            bbox=None) -> _Org | None:
        if _key(name) in self.exclude or not _key(name):
            return None
        org = self.find(name) or (self.find(alias) if alias else None)
        if org is None:
            org = _Org(name, page, bbox=bbox)
            self.orgs.append(org)
        elif len(name) > len(org.name) and _key(org.name) in _key(name):
            org.aliases.add(org.name)
            org.name = name  # prefer the legal name over a short one seen first
        if alias and _key(alias) != _key(org.name):
            org.aliases.add(alias)
        if services and not org.services:
            org.services = services
        return org


def extract_subservice(pages: list[TextPage], layouts: list[PageLayout], sections: list[Section],
                       service_org: str | None) -> tuple[list[SubserviceOrganization], list[Csoc]]:
    """Find subservice organizations and CSOCs."""
    exclude = {_key(service_org)} if service_org else set()
    if service_org:
        exclude |= {_key(service_org.split()[0])}
    reg = _Registry(exclude)
    global_method: str | None = None

    for sec in sections_of(sections, "SUB_SUBSERVICE"):
        blocks = section_blocks(layouts, sec.start, sec.end)
        rows = [b for b in blocks if isinstance(b, Row)]
        if rows and any(not r.header for r in rows):
            _from_table(rows, reg)
        lines = [b for b in blocks if isinstance(b, Line)] if blocks else []
        text_lines = [(ln.text, ln.page) for ln in lines] or _text_lines(pages, sec)
        _from_prose(text_lines, reg)
        global_method = global_method or _method_of(" ".join(t for t, _ in text_lines))

    # The auditor's scope paragraph names them too ("X uses Y ('AWS') for hosting").
    for sec in sections_of(sections, "SEC_AUDITOR")[:1]:
        text_lines = _text_lines(pages, sec)
        text = " ".join(t for t, _ in text_lines)
        for sent in analyse(text).sents:
            s = sent.text
            if re.search(r"subservice", s, re.I):
                global_method = global_method or _method_of(s)
                if _USE_VERB.search(s) and not reg.orgs:
                    _from_sentence(s, _page_of(s, text_lines), reg)

    csocs = _extract_csocs(layouts, sections, reg)
    out = []
    for org in reg.orgs:
        method = org.method or global_method
        out.append(SubserviceOrganization(org.name, org.page, method, org.services, org.bbox))
    return out, csocs


def _text_lines(pages: list[TextPage], sec: Section) -> list[tuple[str, int]]:
    out = []
    for p in pages[sec.first_page - 1:min(sec.last_page, len(pages))]:
        for i, ln in enumerate(p.lines):
            if p.number == sec.start.page and i <= sec.start.line:
                continue
            if sec.end and p.number == sec.end.page and i >= sec.end.line:
                break
            out.append((ln, p.number))
    return out


def _page_of(fragment: str, lines: list[tuple[str, int]]) -> int:
    """Page of the line where ``fragment`` starts (first words matched)."""
    head = normalise(fragment)[:30]
    for i, (ln, page) in enumerate(lines):
        if head[:15] in normalise(ln + " " + (lines[i + 1][0] if i + 1 < len(lines) else "")):
            return page
    return lines[0][1] if lines else 1


def _from_table(rows: list[Row], reg: _Registry) -> None:
    header = next((r for r in rows if r.header), None)
    name_col, svc_col, method_col = 0, None, None
    if header:
        for i, c in enumerate(header.cells):
            if re.search(r"subservice|organi[sz]ation|vendor|provider|name|company", c, re.I):
                name_col = i
                break
        for i, c in enumerate(header.cells):
            if i != name_col and re.search(r"service|description|function|purpose", c, re.I):
                svc_col = i
            if re.search(r"method|carve|inclusive|treatment", c, re.I):
                method_col = i
    for r in rows:
        if r.header or name_col >= len(r.cells) or not r.cells[name_col]:
            continue
        cell = r.cells[name_col]
        m = _NAMED.match(cell)
        name = _clean_name(m.group(1)) if m else cell
        alias = m.group(2) if m else None
        services = r.cells[svc_col] if svc_col is not None and svc_col < len(r.cells) else None
        org = reg.add(name, r.page, alias, services, r.bbox)
        if org and method_col is not None and method_col < len(r.cells):
            org.method = _method_of(r.cells[method_col]) or (
                "carve-out" if re.search(r"carve", r.cells[method_col], re.I) else
                "inclusive" if re.search(r"inclusive", r.cells[method_col], re.I) else None)


def _from_prose(lines: list[tuple[str, int]], reg: _Registry) -> None:
    text = " ".join(t for t, _ in lines)
    if not text:
        return
    # A bulleted list of names ("• Amazon Web Services (AWS) – hosting").
    for t, page in lines:
        m = re.match(rf"^(?:[•·▪◦●\-–*]|\(cid:\d+\)|\d+[.)])\s+({_NAME})(?:{_ALIAS})?\s*(?:[-–—:]\s*(.+))?$", t)
        if m and not _NOT_A_NAME.match(m.group(1)):
            reg.add(_clean_name(m.group(1)), page, m.group(2), (m.group(3) or "").strip() or None)
    for sent in analyse(text).sents:
        _from_sentence(sent.text, _page_of(sent.text, lines), reg)


def _from_sentence(s: str, page: int, reg: _Registry) -> None:
    """Names introduced as a sentence's subject ("Y provides X to ...") or after a use-verb
    ("uses X for ..., and Y for ..."), then the method stated for them."""
    found: list[tuple[str, str | None, int, int]] = []  # name, alias, start, end
    subject = _names_with_span(s, reg.exclude)[:1]
    if subject and subject[0][2] <= 4 and (verb := _PROVIDE_VERB.match(s[subject[0][3]:])):
        name, alias, _, end = subject[0]
        services = re.sub(r"^(?:that|which)\s+(?:provides?|performs?|hosts?|supplies|offers?)\s+", "",
                          s[end + verb.end():].strip())
        services = re.split(r"\s+to\s+(?:the\s+)?[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)*[.,;]|[.;](?:\s|$)", services)[0]
        reg.add(name, page, alias, services.strip(" ,") or None)
    elif m := _USE_VERB.search(s):
        base = m.end()
        for name, alias, off, end in _names_with_span(s[base:], reg.exclude):
            gap = s[base + found[-1][3]:base + off] if found else s[base:base + off]
            # The first name follows the verb; later ones follow a list separator.
            if (not found and re.fullmatch(r"\s*(?:the\s+)?", gap, re.I)) or \
                    (found and re.search(r"(?:,|;|\band\b|as well as)\s*(?:the\s+)?$", gap)):
                found.append((name, alias, off, end))
        for i, (name, alias, off, end) in enumerate(found):
            stop = found[i + 1][2] if i + 1 < len(found) else len(s) - base
            reg.add(name, page, alias, _services_in(s[base + end:base + stop], 0))
    method = _method_of(s)
    if method:
        for org in reg.orgs:
            if any(re.search(rf"\b{re.escape(x)}\b", s) for x in {org.name, _short(org.name), *org.aliases}):
                org.method = org.method or method


def _names_with_span(text: str, exclude: set[str]) -> list[tuple[str, str | None, int, int]]:
    out = []
    for m in _NAMED.finditer(text):
        name = _clean_name(m.group(1))
        if not name or _NOT_A_NAME.match(name) or _NOT_A_NAME.match(name.split()[0]) and len(name.split()) == 1:
            continue
        if _key(name) in exclude:
            continue
        out.append((name, m.group(2), m.start(), m.end()))
    return out


def _extract_csocs(layouts: list[PageLayout], sections: list[Section], reg: _Registry) -> list[Csoc]:
    """CSOCs from their subsection, each tied to a known organization when the text names one."""
    out: list[Csoc] = []
    def names_org(text: str) -> bool:
        """A line holding only a known organization's name or alias ("AWS", "Equinix, Inc.:")."""
        name = _clean_name(re.sub(r"\(.*?\)", "", text).rstrip(" :"))
        # The whole line is the name: "AWS maintains ..." is an entry that names it.
        return 0 < len(text.split()) <= 8 and bool(name) and any(_key(name) in org.keys() for org in reg.orgs)

    for sec in sections_of(sections, "SUB_CSOC"):
        blocks = section_blocks(layouts, sec.start, sec.end, names_org)
        if not blocks:
            continue
        for item in extract_items(blocks, names_org):
            if not _is_csoc(item):
                continue
            org = _org_for(item, reg)
            out.append(Csoc(item.text, item.page, org, item.criteria, item.bbox))
    return _dedupe(out)


def _is_csoc(item: Item) -> bool:
    return len(item.text.split()) >= 4


def _org_for(item: Item, reg: _Registry) -> str | None:
    """The organization named by the item's table column/heading, else the first one its text names."""
    if item.group:
        org = reg.find(_clean_name(re.sub(r"\(.*?\)", "", item.group))) or reg.find(item.group)
        if org:
            return org.name
        if _NAMED.fullmatch(item.group.strip()) and not item.criteria or not re.search(r"\d", item.group):
            m = _NAMED.match(item.group)
            if m and not _NOT_A_NAME.match(m.group(1)):
                added = reg.add(_clean_name(m.group(1)), item.page, m.group(2))
                return added.name if added else None
    first = None
    for org in reg.orgs:
        # "Stripe, Inc." is usually "Stripe" in running text.
        for x in {org.name, _short(org.name), *org.aliases}:
            m = re.search(rf"\b{re.escape(x)}\b", item.text)
            if m and (first is None or m.start() < first[0]):
                first = (m.start(), org.name)
    return first[1] if first else None


def _dedupe(items: list[Csoc]) -> list[Csoc]:
    """Drop repeats; the same control listed for two organizations is two CSOCs."""
    seen, out = set(), []
    for c in items:
        k = (re.sub(r"\W", "", c.text.lower()), c.subservice_organization)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out
