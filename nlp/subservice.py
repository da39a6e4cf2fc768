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

from nlp.criteria import parse_criteria
from nlp.items import BULLET, Item, extract_items, same_heading, section_blocks, split_criteria
from nlp.layout import Block, Line, PageLayout, Row, join_words
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
    r"^(?:The|This|These|Those|Our|We|It|Its|Their|They|Both|Either|Neither|In|For|Such|Each|All|Any|Management|Service|Services|Subservice|"
    r"Organization|Organizations|Company|Controls?|Description|Complementary|User|Entity|Entities|Criteria|Trust|"
    r"SOC|Type|Section|Table|Note|Refer|See|Additionally|Also|However|Further|January|February|March|April|May|"
    r"June|July|August|September|October|November|December|CC\d.*|[A-Z]\d.*)$"
)
_SERVICES = re.compile(
    # "relies on X to deliver notification emails": any infinitive after the name says what X does.
    r"\b(?:for|to provide|to host|to (?=[a-z]+\s)|which provides?|that provides?|provides?|providing|as (?:its|our|the))"
    r"\s*(.+?)(?:[.;]|,? and (?:the|its|their)\b|$)",
    re.IGNORECASE,
)
# A row id in a CSOC/CUEC table's first column ("CSOC1", "CSOC-2", "SO 3.1"): never a name, never an item.
_ROW_ID = re.compile(r"^(?:[A-Z]{1,6}[\s\-#.]*\d+(?:\.\d+)*|\d{1,3}(?:\.\d+)*)[.:)]?$")
# A cell that says there are none.
_NONE = re.compile(r"^(?:n/?a|none|not applicable|nil|no subservice organi[sz]ations?(?: used)?|[-–—]+)\.?$", re.I)
# A summary table's label cell ("Subservice Providers", "Sub-service organizations used").
_LABEL_CELL = re.compile(r"\bsub-?service\b", re.I)
# Words that make up role phrases capitalised in running text, never an organization on their own.
_GENERIC_WORDS = frozenset(
    "the a an of and for subservice sub service services organization organizations organisation organisations "
    "entity entities user users customer customers client clients vendor vendors provider providers supplier "
    "suppliers third party parties cloud hosting data center centers centre centres management board directors "
    "company controls control criteria system systems platform description report auditor auditors examination "
    "complementary independent partner partners".split())
# A list of names: "X", "X and Y", "X, Y, and Z (the Providers)".
# Case-sensitive inside case-insensitive sentences: "the subservice organization" is no name.
_NAMES = rf"(?-i:(?P<names>{_NAME}(?:{_ALIAS})*(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:the\s+)?{_NAME}(?:{_ALIAS})*)*))"
_CONTROLS_OF = r"(?:the\s+)?(?:relevant\s+|applicable\s+|related\s+)?(?:controls?|control activities)\s+(?:of|at|performed\s+by|provided\s+by|implemented\s+by)\s+(?:the\s+)?"
# Sentences that make X a subservice organization without using the word: the scope statement
# (carve-out or inclusive) and the statement that X's controls are needed alongside the
# service organization's. (method, pattern); patterns as data so a new firm's wording is one line.
_SCOPE_STATEMENTS: list[tuple[str | None, re.Pattern[str]]] = [
    ("carve-out", re.compile(
        r"\b(?:did|does|do|will)\s+not\s+(?:extend\s+to|include|cover|encompass)\s+(?:(?:any|all)\s+(?:of\s+)?)?(?:the\s+)?"
        r"(?:(?:relevant|applicable|related)\s+)?(?:(?:policies|procedures|processes|services|activities)"
        r"(?:\s*,\s*(?:and\s+)?|\s+and\s+))*" + _CONTROLS_OF + _NAMES, re.I)),
    # "did not include the services provided by X": the services, not the word "controls".
    ("carve-out", re.compile(
        r"\b(?:did|does|do|will)\s+not\s+(?:extend\s+to|include|cover|encompass)\s+(?:(?:any|all)\s+(?:of\s+)?)?(?:the\s+)?"
        r"(?:(?:relevant|applicable|related)\s+)?(?:services|functions|activities|processing)\s+"
        r"(?:provided|performed|operated)\s+by\s+(?:the\s+)?" + _NAMES, re.I)),
    ("carve-out", re.compile(r"\bexclud(?:es|ed|ing)\s+" + _CONTROLS_OF + _NAMES, re.I)),
    ("carve-out", re.compile(
        r"\b(?:services|controls|functions|activities)\s+(?:provided|performed|operated)\s+by\s+(?:the\s+)?" + _NAMES +
        r"\s+(?:were|are|was|is|have\s+been|has\s+been)\s+(?:not\s+included|excluded)\b", re.I)),
    ("inclusive", re.compile(r"\binclud(?:es|ed|ing)\s+" + _CONTROLS_OF + _NAMES, re.I)),
    # The organization as the possessive: "presents X's controls together with ...",
    # "X's controls are (not) included in the scope". A possessive name keeps its "'s" here
    # (a name's word may hold an apostrophe); _from_scope_statements drops it.
    ("inclusive", re.compile(r"\bpresents?\s+(?:the\s+)?" + _NAMES + r"(?:['’]s)?\s+(?:relevant\s+)?"
                             r"(?:controls|control activities)\b", re.I)),
    ("carve-out", re.compile(_NAMES + r"(?:['’]s)?\s+(?:relevant\s+)?(?:controls|control activities)\s+"
                             r"(?:are|were|have\s+been)\s+(?:not\s+included|excluded)\b", re.I)),
    ("inclusive", re.compile(_NAMES + r"(?:['’]s)?\s+(?:relevant\s+)?(?:controls|control activities)\s+"
                             r"(?:are|were|have\s+been)\s+included\b", re.I)),
    (None, re.compile(
        r"\b(?:controls|control activities)\s+(?:of|at)\s+(?:the\s+)?" + _NAMES +
        r"\s+(?:are|is|were)\s+(?:(?:also|therefore)\s+)?(?:necessary|required|needed|expected)\b", re.I)),
]
# The sentence that introduces a CSOC table outside a CSOC subsection: "the controls that
# are necessary to be in place at X and Y", "controls expected to be implemented by X".
_CSOC_LEAD_IN = re.compile(
    r"\bcontrols?\b[^.;]{0,120}?\b(?:necessary|required|expected|needed)\s+"
    r"(?:to\s+be\s+(?:in\s+place|implemented|performed|operated|operating|maintained)\s+)?"
    r"(?:at|by)\s+(?:the\s+)?" + _NAMES, re.I)
# A table header naming the organization: "Controls Expected to be Operated by X", "Controls at X".
# A table header naming the organization(s): "Controls Expected to be Operated by X", "... by X and Y".
_HEADER_ORG = re.compile(r"\b(?:by|at|of)\s+(?:the\s+)?" + _NAMES + r"\s*$")
# A criteria series as printed ("Logical Access (CC6 Series)", "A series"): kept as the series id.
_SERIES = re.compile(r"(?<![A-Za-z])(CC\d{1,2}|PI\d?|A\d?|C\d?|P\d?)\s+series\b", re.I)


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


def _shortens(key: str, exclude: set[str]) -> bool:
    """``key`` is a short form of an excluded name: the service organization's own short name
    ("Granite Peak" for "Granite Peak Analytics, Inc.") is never a subservice organization."""
    return len(key) >= 6 and any(len(e) > len(key) and e.startswith(key) for e in exclude)


class _Registry:
    """Organizations found so far, merged by name or alias."""

    def __init__(self, exclude: set[str]):
        self.orgs: list[_Org] = []
        self.exclude = exclude
        self.groups: dict[str, list[_Org]] = {}  # a group label's key -> the organizations it names

    def find(self, name: str) -> _Org | None:
        k = _key(name)
        for org in self.orgs:
            if k in org.keys() or any(k and (k.startswith(x) or x.startswith(k)) and min(len(k), len(x)) >= 4
                                      for x in org.keys()):
                return org
        return None

    def add(self, name: str, page: int, alias: str | None = None, services: str | None = None,
            bbox=None) -> _Org | None:
        if _key(name) in self.exclude or not _key(name) or _shortens(_key(name), self.exclude):
            return None
        org = self.find(name) or (self.find(alias) if alias else None)
        if org is None:
            org = _Org(name, page, bbox=bbox)
            self.orgs.append(org)
        # A sentence's closing period after "LLC" makes a name longer, not fuller.
        elif len(re.sub(r"\W", "", name)) > len(re.sub(r"\W", "", org.name)) and _key(org.name) in _key(name):
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
    subsection_tables: list[tuple[_Table, list[tuple[str, int]]]] = []

    for sec in sections_of(sections, "SUB_SUBSERVICE"):
        blocks = _until_next_heading(section_blocks(layouts, sec.start, sec.end), sec, sections)
        name_rows: list[Row] = []
        for table in _tables(blocks):
            # A CSOC table (ids, control text, criteria) names no organizations in its rows.
            if _is_csoc_table(table):
                # A CSOC table whose header row the text pass took for this subsection's heading: its
                # organization column names organizations, its rows are CSOCs.
                subsection_tables.append((table, _lines_before(blocks, table.raw[0])))
                for r in table.rows if "org" in table.roles else []:
                    cell = r.cells[table.roles["org"]]
                    if cell and not _ROW_ID.match(cell) and not _NONE.match(cell):
                        m = _NAMED.match(cell)
                        reg.add(_clean_name(m.group(1)) if m else cell, r.page, m.group(2) if m else None, bbox=r.bbox)
            else:
                name_rows += table.raw  # one table, its header printed once, may be cut by a page's lines
        if any(not r.header for r in name_rows):
            _from_table(name_rows, reg)
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
            # The method's own word needs no "subservice" beside it ("... the vendors described in
            # Section III, using the carve-out method"); other wordings do.
            if re.search(r"subservice|carve|inclusive\s+method", s, re.I):
                global_method = global_method or _method_of(s)
                if _USE_VERB.search(s) and not reg.orgs:
                    _from_sentence(s, _page_of(s, text_lines), reg)

    tests = _tests_pages(sections)
    full_text, offsets = _joined_text(pages, tests)
    _from_scope_statements(full_text, offsets, reg)
    _resolve_full_names(reg, full_text)
    _stated_methods(full_text, reg)

    csocs = _extract_csocs(layouts, sections, reg)
    for table, before in subsection_tables:
        csocs += _table_csocs(table, _lead_org(" ".join(t for t, _ in before), reg), reg)
    csocs += _lead_in_csocs(layouts, tests | _pages_of(sections, "SUB_CSOC"), reg)
    if not csocs:
        # No CSOC list anywhere: the subservice subsection's own sentences may state them.
        for sec in sections_of(sections, "SUB_SUBSERVICE"):
            blocks = _until_next_heading(section_blocks(layouts, sec.start, sec.end), sec, sections)
            csocs += _prose_csocs([b for b in blocks if isinstance(b, Line)], reg)
    out = []
    for org in reg.orgs:
        method = org.method or global_method
        out.append(SubserviceOrganization(org.name, org.page, method, org.services, org.bbox))
    return out, _dedupe(csocs)


def subservice_pages(pages: list[TextPage], sections: list[Section]) -> set[int]:
    """Pages outside the tests whose text introduces CSOCs or states a provider's scope without a
    subsection heading, and the page after each (the table may open there); read with geometry."""
    tests = _tests_pages(sections)
    chosen: set[int] = set()
    for i, p in enumerate(pages):
        if p.number in tests:
            continue
        nxt = pages[i + 1].lines[:6] if i + 1 < len(pages) else []
        text = re.sub(r"\s+", " ", " ".join(p.lines + nxt))
        if _CSOC_LEAD_IN.search(text) or any(rx.search(text) for _, rx in _SCOPE_STATEMENTS):
            chosen.update(x for x in (p.number, p.number + 1) if x <= len(pages))
    return chosen


def _until_next_heading(blocks: list[Block], sec: Section, sections: list[Section]) -> list[Block]:
    """The blocks up to the next known heading. A table's header row repeated on the next page may
    be taken for the heading that ends the section; as a row it never matches that heading, and the
    section would run on into the following list (user entity controls read as CSOCs)."""
    later = [s.start for s in sections if s.start.page >= sec.start.page
             and (s.start.page, s.start.line) > (sec.start.page, sec.start.line)]
    for i, b in enumerate(blocks):
        if i and isinstance(b, Line) and any(h.page == b.page and same_heading(b.text, h.text) for h in later):
            return blocks[:i]
    return blocks


def _tests_pages(sections: list[Section]) -> set[int]:
    """Pages of the tests of controls: CSOC rows repeated there are cross-references, not new CSOCs."""
    out: set[int] = set()
    for sec in sections_of(sections, "SEC_TESTS"):
        out.update(range(sec.first_page + 1, min(sec.last_page, 100_000) + 1))
    return out


def _pages_of(sections: list[Section], label: str) -> set[int]:
    """Pages of the sections with ``label``; their lists are read there, not again as lead-in lists."""
    return {n for sec in sections_of(sections, label) for n in range(sec.first_page, min(sec.last_page, 100_000) + 1)}


def _joined_text(pages: list[TextPage], skip: set[int]) -> tuple[str, list[tuple[int, int]]]:
    """All pages' text but ``skip`` as one string, with (offset, page) of each page's start."""
    parts, offsets, pos = [], [], 0
    for p in pages:
        if p.number in skip:
            continue
        t = re.sub(r"\s+", " ", " ".join(p.lines)) + " "
        offsets.append((pos, p.number))
        parts.append(t)
        pos += len(t)
    return "".join(parts), offsets


def _page_at(offsets: list[tuple[int, int]], pos: int) -> int:
    page = offsets[0][1] if offsets else 1
    for start, number in offsets:
        if start > pos:
            break
        page = number
    return page


def _name_list(text: str, exclude: set[str]) -> list[tuple[str, str | None]]:
    """Names (with alias) in a list "X (Alias), Y and Z (the Providers)"; a group's own
    parenthetical label is not a name."""
    out = []
    # The list ends with its sentence; a legal suffix's or initial's period does not end it.
    end = next((m.start() for m in re.finditer(r"\.(?=\s+[A-Z]|\s*$)", text)
                if not re.search(rf"(?:\b{_SUFFIX}|\b[A-Z])$", text[:m.start() + 1])), len(text))
    text = text[:end]
    for name, alias, start, _ in _names_with_span(text, exclude):
        if text[:start].count("(") > text[:start].count(")"):
            continue
        out.append((name, alias))
    return out


def _from_scope_statements(text: str, offsets: list[tuple[int, int]], reg: _Registry) -> None:
    """Organizations whose controls the report carves out, includes or needs alongside its own,
    in sentences that never say "subservice organization" (SOC 3s, short reports)."""
    found = []
    for method, rx in _SCOPE_STATEMENTS:
        for m in rx.finditer(text):
            found.append((m.start(), method, m.group("names")))
    for start, method, names in sorted(found, key=lambda f: f[0]):
        for name, alias in _name_list(names, reg.exclude):
            if _key(name) in reg.groups:  # "the controls of the Hosting Partners": each of them
                for org in reg.groups[_key(name)]:
                    org.method = org.method or method
                continue
            name = re.sub(r"['’]s$", "", name)  # "X's controls": the possessive is no part of the name
            org = reg.add(name, _page_at(offsets, start), alias)
            if org and method:
                org.method = org.method or method


def _resolve_full_names(reg: _Registry, text: str) -> None:
    """A short name ("AWS") becomes the name the report introduces it with ("Example Cloud, Inc. (AWS)")."""
    for org in reg.orgs:
        if re.search(rf",?\s+{_SUFFIX}$", org.name) and len(org.name.split()) > 1:
            continue
        for short in [org.name, *sorted(org.aliases)]:
            m = re.search(rf"({_NAME})\s*\((?:the\s+|hereafter\s+|hereinafter\s+)?[\"'“‘]?{re.escape(short)}[\"'”’]?\)",
                          text)
            if not m:
                continue
            full = _clean_name(m.group(1))
            if len(full.split()) < 2 or _NOT_A_NAME.match(full.split()[0]) or _key(full) in reg.exclude \
                    or _key(full) == _key(short):
                continue
            if short == org.name or _key(full).startswith(_key(org.name)):
                org.aliases.add(org.name)
                org.aliases.discard(full)
                org.name = full
            break


# Words without which a sentence states no method; spaCy reads only the sentences that hold one.
_METHOD_HINT = re.compile(r"carve|inclusive|exclud|includ|not\s+extend|outside\s+the\s+scope|presents?\b", re.I)
# Where a sentence giving two methods divides: "the carve-out method for X and the inclusive method for Y".
_CLAUSE_BREAK = re.compile(r"\s*;\s*|,?\s+(?:and|while|whereas|but)\s+")


def _stated_methods(text: str, reg: _Registry) -> None:
    """The method a sentence states for the organizations it names, anywhere outside the tests.

    A sentence that gives both methods ("uses the carve-out method for X and the inclusive method
    for Y", "X is carved out and Y is presented using the inclusive method") is read clause by
    clause: each organization takes its own clause's method; a clause with names but no method
    takes the one of the clause before it (else after it). Only fills a method not yet known."""
    todo = [o for o in reg.orgs if o.method is None]
    if not todo:
        return
    for sent in re.split(r"(?<=[.;:])\s+(?=[A-Z])", text):
        if not _METHOD_HINT.search(sent) or not any(_names(o, sent) for o in todo):
            continue
        method = _method_of(sent)
        if method:
            for org in _stated_for(sent, method, todo):
                org.method = org.method or method
            continue
        if not re.search(r"carve|inclusive", sent, re.I):
            continue
        clauses = [c for c in _CLAUSE_BREAK.split(sent) if c]
        methods = [_method_of(c) for c in clauses]
        for i, clause in enumerate(clauses):
            given = methods[i] or next((m for m in reversed(methods[:i]) if m), None) \
                or next((m for m in methods[i + 1:] if m), None)
            for org in todo:
                if given and _names(org, clause):
                    org.method = org.method or given


# Where a sentence stating one method divides into statements about different organizations.
_STATEMENT_BREAK = re.compile(r"\s*;\s*|,\s+(?:and|while|whereas|but)\s+")


def _stated_for(sent: str, method: str, orgs: list[_Org]) -> list[_Org]:
    """The organizations a sentence stating one method states it for: those named in the part
    that states it ("Quarry uses X for hosting and Y for settlement; the controls of X are
    excluded": X only), else every one the sentence names ("X and Y, which are carved out")."""
    named = [o for o in orgs if _names(o, sent)]
    parts = [p for p in _STATEMENT_BREAK.split(sent) if p]
    if len(named) < 2 or len(parts) < 2:
        return named
    stating = [p for p in parts if _method_of(p) == method]
    own = [o for o in named if any(_names(o, p) for p in stating)]
    return own or named


def _names(org: _Org, text: str) -> bool:
    """``text`` names ``org`` (its name, its name without a legal suffix, or an alias)."""
    return any(len(x) >= 3 and re.search(rf"\b{re.escape(x)}(?![\w])", text)
               for x in {org.name, _short(org.name), *org.aliases} | _first_word(org.name))


def _first_word(name: str) -> set[str]:
    """A name's distinctive first word, which running text often uses alone without introducing
    it ("Kestrel" for "Kestrel Hosting, LLC"); never a generic or too short one."""
    words = _short(name).split()
    first = words[0].rstrip(",") if words else ""
    return {first} if len(words) > 1 and len(first) >= 5 and first.lower() not in _GENERIC_WORDS \
        and not _NOT_A_NAME.match(first) else set()


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


_METHOD_CELL = re.compile(r"(?:carve[- ]?out|carved[- ]out|inclusive|excluded|included)(?:\s+method)?\.?", re.I)


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
            if re.search(r"method|carve|inclusive|treatment|approach|presentation", c, re.I):
                method_col = i
    for r in rows:
        if r.header or name_col >= len(r.cells) or not r.cells[name_col]:
            continue
        cell = r.cells[name_col].strip()
        values = [c.strip() for i, c in enumerate(r.cells) if i != name_col and c.strip()]
        # "N/A" / "None" means none, in the name cell or as the whole row's value ("Exceptions | None").
        if _ROW_ID.match(cell) or _NONE.match(cell) or (values and all(_NONE.match(v) for v in values)):
            continue
        if _LABEL_CELL.search(cell) and values:
            # A key/value summary table: "Subservice Organizations | X and Y"; the label is no name.
            for name, alias in _name_list(values[0], reg.exclude):
                reg.add(name, r.page, alias, None, r.bbox)
            continue
        m = _NAMED.match(cell)
        name = _clean_name(m.group(1)) if m else cell
        alias = m.group(2) if m else None
        services = r.cells[svc_col] if svc_col is not None and svc_col < len(r.cells) else None
        org = reg.add(name, r.page, alias, services, r.bbox)
        if org and method_col is None:
            # A cell holding only a method word, under a header that does not say "method".
            cell_method = next((c for c in r.cells if _METHOD_CELL.fullmatch(c.strip())), None)
            if cell_method:
                org.method = "inclusive" if re.search(r"inclu", cell_method, re.I) else "carve-out"
        if org and method_col is not None and method_col < len(r.cells):
            org.method = _method_of(r.cells[method_col]) or (
                "carve-out" if re.search(r"carve|exclud", r.cells[method_col], re.I) else
                # A method column's value on its own: "Included" / "Inclusive" / "Yes, included".
                "inclusive" if re.search(r"inclu(?:sive|ded?)\b", r.cells[method_col], re.I) else None)


def _from_prose(lines: list[tuple[str, int]], reg: _Registry) -> None:
    text = " ".join(t for t, _ in lines)
    if not text:
        return
    # A bulleted list of names ("• Amazon Web Services (AWS) – hosting").
    for t, page in lines:
        m = re.match(rf"^(?:[•·▪◦●\-–*]|\(cid:\d+\)|\d+[.)])\s+({_NAME})(?:{_ALIAS})?\s*(?:[-–—:]\s*(.+))?$", t)
        if m and not _NOT_A_NAME.match(m.group(1)):
            # "X – colocation (carve-out method)": the method stated on the bullet is X's own.
            services = re.sub(r"\s*\((?:[\w\s-]*\b(?:carve[\w\s-]*|inclusive)[\w\s-]*)\)\s*$", "",
                              (m.group(3) or "").strip(), flags=re.I)
            org = reg.add(_clean_name(m.group(1)), page, m.group(2), services or None)
            if org and (method := _method_of(t)):
                org.method = org.method or method
    for sent in analyse(text).sents:
        _from_sentence(sent.text, _page_of(sent.text, lines), reg)


def _from_sentence(s: str, page: int, reg: _Registry) -> None:
    """Names introduced as a sentence's subject ("Y provides X to ...") or after a use-verb
    ("uses X for ..., and Y for ..."), then the method stated for them."""
    found: list[tuple[str, str | None, int, int]] = []  # name, alias, start, end
    clauses = _subject_clauses(s, reg.exclude)
    if clauses:
        for names, group, services in clauses:
            orgs = [o for name, alias in names if (o := reg.add(name, page, alias, services))]
            if group and len(orgs) > 1:
                reg.groups[_key(group)] = orgs
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
        for org in _stated_for(s, method, reg.orgs):
            org.method = org.method or method


# A group's own label after a list of names: "X and Y (together, the Hosting Partners)".
_GROUP = re.compile(r"\s*\((?:(?:together|collectively|jointly)\s*,?\s*)?(?:the\s+)?[\"'“‘]?"
                    r"(?P<group>[A-Z][\w&.\- ]{0,40}?)[\"'”’]?\)")
# What may stand between two names of a list, and before a clause's subject.
_LIST_GAP = re.compile(r"\s*(?:,|,?\s*and|&)\s*(?:the\s+)?")
_CLAUSE_START = re.compile(r"(?:[;,]\s*(?:and\s+)?|\s+and\s+|\bwhile\s+|\bwhereas\s+)(?:the\s+)?$")


def _subject_clauses(s: str, exclude: set[str]) -> list[tuple[list[tuple[str, str | None]], str | None, str | None]]:
    """Each clause whose subject is a name or a list of names followed by a provide-verb, as
    (names with aliases, the group's label, what they provide): "X (the Alias) provides A",
    "X and Y (together, the Providers) provide A", "X provides A and Y provides B"."""
    spans = _names_with_span(s, exclude)
    found: list[tuple[list[tuple[str, str | None]], str | None, int, int]] = []  # names, group, verb end, start
    i = 0
    while i < len(spans):
        start = spans[i][2]
        if not (start <= 4 or _CLAUSE_START.search(s[:start])):
            i += 1
            continue
        j = i
        while j + 1 < len(spans) and _LIST_GAP.fullmatch(s[spans[j][3]:spans[j + 1][2]]):
            j += 1
        end = spans[j][3]
        group = _GROUP.match(s, end)
        if group:
            end = group.end()
        verb = _PROVIDE_VERB.match(s[end:])
        if not verb:
            i += 1
            continue
        found.append(([(n, a) for n, a, _, _ in spans[i:j + 1]], group.group("group") if group else None,
                      end + verb.end(), start))
        i = j + 1
    out = []
    for k, (names, group, begin, _) in enumerate(found):
        stop = found[k + 1][3] if k + 1 < len(found) else len(s)
        services = re.sub(r"^(?:that|which)\s+(?:provides?|performs?|hosts?|supplies|offers?)\s+", "",
                          s[begin:stop].strip())
        services = re.split(r"\s+to\s+(?:the\s+)?[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)*[.,;]|[.;](?:\s|$)", services)[0]
        services = re.sub(r"(?:[,;]|\s+and|\s+while|\s+whereas)\s*$", "", services.strip(" ,"))
        out.append((names, group, services.strip(" ,") or None))
    return out


def _generic(name: str) -> bool:
    """A role, not an organization: every word is a generic one ("the Subservice Organizations",
    "User Entities", "Cloud Service Provider", "Board of Directors")."""
    words = re.findall(r"[A-Za-z]+", _short(name).lower())
    return bool(words) and all(w in _GENERIC_WORDS for w in words)


def _names_with_span(text: str, exclude: set[str]) -> list[tuple[str, str | None, int, int]]:
    out = []
    for m in _NAMED.finditer(text):
        name = _clean_name(m.group(1))
        if not name or _NOT_A_NAME.match(name) or _NOT_A_NAME.match(name.split()[0]) and len(name.split()) == 1:
            continue
        if _key(name) in exclude or _generic(name):
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
        blocks = _until_next_heading(section_blocks(layouts, sec.start, sec.end, names_org), sec, sections)
        if not blocks:
            continue
        tables = [t for t in _tables(blocks) if t.rows and "text" in t.roles and _is_csoc_table(t)]
        if tables:
            # Tables are read with their own roles: ids, an organization column, row groups, a
            # header naming the organizations, the name line right above (a heading per organization).
            for table in tables:
                before = _lines_before(blocks, table.raw[0])
                # A short line right above the table that is no sentence: its organization's heading.
                heading = before[-1][0].rstrip(" :") if before and (names_org(before[-1][0]) or (
                    len(before[-1][0].split()) <= 8 and not _ends_sentence(re.sub(rf"\b{_SUFFIX}\)?$", "", before[-1][0]))
                    and _NAMED.match(before[-1][0]))) else None
                out += _table_csocs(table, _lead_org(" ".join(t for t, _ in before), reg), reg, heading)
            continue
        lines = [b for b in blocks if isinstance(b, Line)]
        if not any(BULLET.match(ln.text) or names_org(ln.text) for ln in lines) and (prose := _prose_csocs(lines, reg)):
            out += prose  # paragraphs about the providers, no list: one CSOC per sentence stating one
            continue
        for item in extract_items(blocks, names_org):
            if not _is_csoc(item):
                continue
            org = _org_for(item, reg)
            out.append(Csoc(item.text, item.page, org, item.criteria, item.bbox))
    return _dedupe(out)


# A sentence stating a control the providers are expected to operate ("X and Y are expected to
# implement controls over ...", "It is also responsible for maintaining ...", "X should ...").
_EXPECTS = re.compile(r"\b(?:is|are)\s+(?:also\s+)?(?:expected|required)\s+to\b|"
                      r"\b(?:is|are)\s+(?:also\s+)?responsible\s+for\s+\w+ing\b|\b(?:should|must)\s+(?:also\s+)?\w+", re.I)
# Sentences about the report's scope or introducing a list, never a CSOC themselves.
_NOT_A_CSOC_SENTENCE = re.compile(r"\b(?:examination|description|this report|carve|inclusive|the following)\b|:\s*$",
                                  re.I)
_PRONOUN_SUBJECT = re.compile(r"^(?:They|It|Each|Both|These (?:providers|organi[sz]ations|vendors|partners))\b")


def _prose_csocs(lines: list[Line], reg: _Registry) -> list[Csoc]:
    """CSOCs stated in running prose about named providers, one per sentence that states what they
    are expected to do. The organization is the first the sentence names; a sentence whose subject
    is a pronoun ("They are also expected to ...") keeps the one of the sentence before."""
    if not lines or not reg.orgs:
        return []
    text = join_words(ln.text for ln in lines)
    out: list[Csoc] = []
    last: str | None = None
    for sent in re.split(r"(?<=[.;!?])\s+(?=[A-Z])", text):
        named = sorted((m.start(), org.name) for org in reg.orgs
                       for x in {org.name, _short(org.name), *org.aliases} if len(x) >= 3
                       for m in [re.search(rf"\b{re.escape(x)}(?!\w)", sent)] if m)
        org = named[0][1] if named else (last if _PRONOUN_SUBJECT.match(sent) else None)
        last = org or last
        if org is None or not _EXPECTS.search(sent) or _NOT_A_CSOC_SENTENCE.search(sent) or len(sent.split()) < 6:
            continue
        page = _page_of(sent, [(ln.text, ln.page) for ln in lines])
        first = next((ln for ln in lines if ln.page == page), lines[0])
        text, criteria = split_criteria(sent.strip())
        out.append(Csoc(text, page, org, criteria, first.bbox))
    return out


def _is_csoc(item: Item) -> bool:
    return len(item.text.split()) >= 4


def _org_for(item: Item, reg: _Registry) -> str | None:
    """The organization named by the item's table column/heading, else the first one its text names."""
    if item.group and (org_name := _label_org(item.group, item.page, bool(item.criteria), reg)):
        return org_name
    first = None
    for org in reg.orgs:
        # "Stripe, Inc." is usually "Stripe" in running text.
        for x in {org.name, _short(org.name), *org.aliases}:
            m = re.search(rf"\b{re.escape(x)}\b", item.text)
            if m and (first is None or m.start() < first[0]):
                first = (m.start(), org.name)
    return first[1] if first else None


def _label_org(label: str, page: int, has_criteria: bool, reg: _Registry) -> str | None:
    """The organization a column cell, row group or heading names: a known one, else the label
    itself when it reads as a name (no figures: "CC6.1 - CC6.3" groups by criteria)."""
    org = reg.find(_clean_name(re.sub(r"\(.*?\)", "", label))) or reg.find(label)
    if org:
        return org.name
    if _NAMED.fullmatch(label.strip()) and not has_criteria or not re.search(r"\d", label):
        m = _NAMED.match(label)
        if m and not _NOT_A_NAME.match(m.group(1)):
            added = reg.add(_clean_name(m.group(1)), page, m.group(2))
            return added.name if added else None
    return None


@dataclass
class _Table:
    """A run of table rows with its empty columns dropped, header rows merged and
    continuation rows joined, and the role of each column."""

    raw: list[Row]
    header: list[str]
    rows: list[Row]
    roles: dict[str, int]


def _tables(blocks: list[Block]) -> list[_Table]:
    """Each run of consecutive rows in ``blocks`` as a table."""
    runs: list[list[Row]] = []
    prev: Block | None = None
    for b in blocks:
        if isinstance(b, Row):
            if isinstance(prev, Row):
                runs[-1].append(b)
            else:
                runs.append([b])
        prev = b
    return [_read_table(run) for run in runs]


def _read_table(raw: list[Row]) -> _Table:
    n = max(len(r.cells) for r in raw)
    used = [i for i in range(n) if any(i < len(r.cells) and r.cells[i].strip() for r in raw)]
    rows = [Row([r.cells[i].strip() if i < len(r.cells) else "" for i in used], r.page, r.bbox, r.header, r.continued)
            for r in raw]
    # Header rows: flagged, or short label cells above the first row that holds a long cell
    # (a header wrapped over two rows: "Applicable" / "Criteria").
    head: list[Row] = [rows[0]] if _header_over_ids(rows) else []
    for r in rows[len(head):]:
        if r.header or (not any(len(c.split()) >= 8 for c in r.cells) and not any(_criteria_of(c) for c in r.cells)
                        and not any(_is_name_label(c) for c in r.cells if c)  # a row group's organization
                        and not any(_ROW_ID.match(c) for c in r.cells if c)
                        and any(len(c.split()) >= 8 for x in rows for c in x.cells)):
            head.append(r)
        else:
            break
    header = [join_words(r.cells[i] for r in head if r.cells[i]) for i in range(len(used))] if head else []
    body = [r for r in rows[len(head):] if not r.header and [c.lower() for c in r.cells] != [c.lower() for c in header]]
    roles = _table_roles(header, body)
    data: list[Row] = []
    text_col = roles.get("text")
    for r in body:
        others = [c for i, c in enumerate(r.cells) if i != text_col and c]
        # A row with only control text under a filled row carries it on (page break, wrapped cell).
        if data and text_col is not None and (r.continued or (not others and r.cells[text_col]
                                                             and not _ends_sentence(data[-1].cells[text_col])
                                                             and not _is_name_label(r.cells[text_col]))):
            last = data[-1]
            data[-1] = Row([join_words([a, c]) for a, c in zip(last.cells, r.cells)], last.page, last.bbox)
            continue
        data.append(r)
    return _Table(raw, header, data, roles)


def _header_over_ids(rows: list[Row]) -> bool:
    """The first row is the header when every row below holds a row id in the first column and it
    does not ("# | Controls Expected to be Implemented by X and Y | Criteria": a long header)."""
    firsts = [r.cells[0] for r in rows if r.cells]
    return len(firsts) >= 3 and bool(firsts[0]) and not _ROW_ID.match(firsts[0]) \
        and all(_ROW_ID.match(c) for c in firsts[1:]) and not any(_criteria_of(c) for c in rows[0].cells)


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.;!?][)\"”]?$", text.strip()))


def _criteria_of(cell: str) -> list[str]:
    """Criteria ids in a cell, or the series it names ("CC6 Series" -> CC6)."""
    return parse_criteria(cell) or [m.group(1).upper() for m in _SERIES.finditer(cell)]


def _table_roles(header: list[str], rows: list[Row]) -> dict[str, int]:
    """Which column holds row ids, criteria, the organization and the control text."""
    n = max((len(r.cells) for r in rows), default=len(header))
    cols = [[r.cells[i] for r in rows if i < len(r.cells) and r.cells[i]] for i in range(n)]
    head = header + [""] * (n - len(header))
    roles: dict[str, int] = {}
    for i in range(n):
        # Criteria first: "CC6.4" alone also reads as a row id.
        if re.search(r"criteri|\btsc\b|objective|mapping", head[i], re.I) or (
                cols[i] and all(_criteria_of(c) and len(c) < 80 for c in cols[i])):
            roles.setdefault("criteria", i)
        elif cols[i] and all(_ROW_ID.match(c) for c in cols[i]):
            roles.setdefault("id", i)
        elif re.search(r"subservice|organi[sz]ation|vendor|provider|third part", head[i], re.I) \
                and not re.search(r"control", head[i], re.I):
            roles.setdefault("org", i)
    free = [i for i in range(n) if i not in roles.values() and cols[i]]
    if free:
        roles["text"] = max(free, key=lambda i: sum(len(c) for c in cols[i]))
    return roles


def _is_csoc_table(table: _Table) -> bool:
    """Control text (sentences) beside criteria, or under a header that names controls."""
    col = table.roles.get("text")
    if col is None or not table.rows:
        return False
    texts = [r.cells[col] for r in table.rows if r.cells[col]]
    long_text = bool(texts) and sum(len(t.split()) for t in texts) / len(texts) >= 8
    return long_text and ("criteria" in table.roles or bool(re.search(r"\bcontrol", " ".join(table.header), re.I)))


def _table_csocs(table: _Table, lead: str | None, reg: _Registry, heading: str | None = None) -> list[Csoc]:
    """One CSOC per row: the organization from its column, a row spanning the table (or the
    ``heading`` line right above it), the header ("... Implemented by X"), the sentence that
    introduces the table, or the text. A label naming an organization found nowhere else adds it."""
    roles = table.roles
    col = roles["text"]
    header_org = None
    if col < len(table.header) and (m := _HEADER_ORG.search(table.header[col])):
        # A header naming several organizations gives each row to the first-named.
        for name, alias in _name_list(m.group("names"), reg.exclude)[:1]:
            found = reg.find(name) or (reg.find(alias) if alias else None) or reg.add(name, table.rows[0].page, alias)
            header_org = found.name if found else None
    out: list[Csoc] = []
    group: str | None = heading
    for r in table.rows:
        filled = [c for c in r.cells if c]
        if len(filled) == 1 and (not r.cells[col] or _is_name_label(r.cells[col], reg)):
            group = filled[0]  # a row spanning the table: the organization (or topic) of those below
            continue
        text, criteria = split_criteria(r.cells[col])
        if "criteria" in roles and r.cells[roles["criteria"]]:
            criteria = _criteria_of(r.cells[roles["criteria"]]) or criteria
        if len(text.split()) < 4:
            continue
        org = None
        for label in (r.cells[roles["org"]] if "org" in roles else None, group):
            if label and not _ROW_ID.match(label) and not org:
                org = _label_org(label, r.page, bool(criteria), reg)
        # A row naming its organization is more specific than a header or lead-in naming several.
        org = org or _org_for(Item(text, r.page, r.bbox, criteria), reg) or header_org or lead
        out.append(Csoc(text, r.page, org, criteria, r.bbox))
    return out


def _is_name_label(text: str, reg: _Registry | None = None) -> bool:
    """A cell or line holding only an organization's name ("Kestrel Hosting, LLC", "AWS:"): a known
    organization, or a short name-like phrase that is no sentence."""
    t = text.strip().rstrip(":")
    if reg is not None and 0 < len(t.split()) <= 8 and (org := reg.find(_clean_name(re.sub(r"\(.*?\)", "", t)))) \
            and _key(t) in org.keys() | {_key(org.name)}:
        return True
    return 0 < len(t.split()) <= 6 and not _criteria_of(t) and bool(_NAMED.fullmatch(t)) \
        and not _ends_sentence(re.sub(rf"\b{_SUFFIX}$", "", t)) and bool(re.search(rf"\b{_SUFFIX}$", t))


def _lines_before(blocks: list[Block], first: Row, limit: int = 8) -> list[tuple[str, int]]:
    """The running-text lines just above a table (its lead-in sentence and title)."""
    i = next((k for k, b in enumerate(blocks) if b is first), len(blocks))
    out: list[tuple[str, int]] = []
    for b in reversed(blocks[:i]):
        if not isinstance(b, Line) or len(out) >= limit:
            break
        out.insert(0, (b.text, b.page))
    return out


def _lead_org(text: str, reg: _Registry) -> str | None:
    """The organization a lead-in names ("... necessary to be in place at X and Y": X, the first-named)."""
    m = _CSOC_LEAD_IN.search(re.sub(r"\s+", " ", text))
    if not m:
        return None
    for name, alias in _name_list(m.group("names"), reg.exclude):
        org = reg.find(name) or (reg.find(alias) if alias else None)
        return org.name if org else None
    return None


def _lead_in_csocs(layouts: list[PageLayout], skip: set[int], reg: _Registry) -> list[Csoc]:
    """CSOCs with no subsection of their own, introduced by a sentence naming the organizations
    whose controls are needed ("... controls necessary to be in place at X and Y:"): a table of
    them, or a bulleted list right below the sentence."""
    blocks = [b for lay in sorted(layouts, key=lambda x: x.number) if lay.number not in skip for b in lay.blocks]
    out: list[Csoc] = []
    for table in _tables(blocks):
        if not _is_csoc_table(table):
            continue
        org = _lead_org(" ".join(t for t, _ in _lines_before(blocks, table.raw[0])), reg)
        if org:
            out += _table_csocs(table, org, reg)
    for i, b in enumerate(blocks[:-1]):
        nxt = blocks[i + 1]
        if not (isinstance(b, Line) and b.text.rstrip().endswith(":") and isinstance(nxt, Line)
                and BULLET.match(nxt.text)):
            continue
        org = _lead_org(" ".join(t for t, _ in _lines_before(blocks, b, limit=3)) + " " + b.text, reg)
        if not org:
            continue
        for item in extract_items(_bullet_run(blocks[i + 1:])):
            if _is_csoc(item):
                out.append(Csoc(item.text, item.page, org, item.criteria, item.bbox))
    return out


def _bullet_run(blocks: list[Block]) -> list[Block]:
    """The bulleted lines from the start of ``blocks``, with their wrapped lines (indented under
    the text, or carrying on an unfinished sentence)."""
    run: list[Block] = []
    x0 = 0.0
    for b in blocks:
        if not isinstance(b, Line):
            break
        if BULLET.match(b.text):
            x0 = b.bbox[0]
        elif not run or not (b.bbox[0] > x0 + 2 or not _ends_sentence(run[-1].text)):
            break
        run.append(b)
    return run


def _dedupe(items: list[Csoc]) -> list[Csoc]:
    """Drop repeats; the same control listed for two organizations is two CSOCs."""
    seen, out = set(), []
    for c in items:
        k = (re.sub(r"\W", "", c.text.lower()), c.subservice_organization)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out
