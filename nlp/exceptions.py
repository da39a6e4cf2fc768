"""Exceptions in the tests-of-controls matrices, with management's responses.

Every table row under a header with a results column is read; a row is an
exception when ``rules.classify_result`` says its results cell reports one.
"""

from __future__ import annotations

import re

from nlp.criteria import parse_criteria
from nlp.items import same_heading
from nlp.layout import Block, Line, PageLayout, Row, join_continued_rows
from nlp.pdftext import TextPage
from nlp.results import ControlException
from nlp.rules import classify_result, normalise
from nlp.sections import Section, sections_of

# Column roles, matched against header cells in this order (the first role
# that matches a cell takes it): "Test Results" is results, not test.
_ROLES = [
    ("result", re.compile(r"result|exception|finding|deviation|outcome|conclusion", re.I)),
    ("test", re.compile(r"test|procedure|audit", re.I)),
    ("criteria", re.compile(r"criteri|\btsc\b|objective|\bcoso\b|principle", re.I)),
    ("id", re.compile(r"#|\bno\.?$|\bnumber\b|\bid\b|\bref", re.I)),
    ("control", re.compile(r"control|activit|description", re.I)),
]
CONTROL_ID = re.compile(r"^(?:[A-Z]{1,6}[\s\-]?)?\d{1,3}(?:[.\-]\d{1,3}){0,3}[a-z]?\b|^[A-Z]{2,6}-[A-Z0-9\-]+\b")
RESPONSE_LABEL = re.compile(
    r"\b(?:management(?:'s|’s|s')?\s+(?:response|comments?|action plan)|response\s+(?:from|of|by)\s+management)"
    r"(?:\s+to\s+(?:the\s+)?(?:exceptions?|deviations?))?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)


def header_roles(cells: list[str]) -> dict[str, int]:
    """Map column roles (id, control, test, result, criteria) to header cell indexes."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(cells):
        for role, rx in _ROLES:
            if role not in roles and rx.search(cell):
                roles[role] = i
                break
    return roles


def _guess_roles(row: Row) -> dict[str, int]:
    """Roles for a matrix page whose header we did not read: the usual column order."""
    n = len(row.cells)
    if n < 3:
        return {}
    roles = {"result": n - 1, "test": n - 2}
    rest = list(range(n - 2))
    if rest and CONTROL_ID.match(row.cells[rest[0]] or "") and len(row.cells[rest[0]]) < 20:
        roles["id"] = rest.pop(0)
    if len(rest) > 1 and parse_criteria(row.cells[rest[0]]) and len(row.cells[rest[0]]) < 60:
        roles["criteria"] = rest.pop(0)
    if rest:
        roles["control"] = rest[-1]
    return roles


def split_response(text: str) -> tuple[str, str | None]:
    """Separate a management response printed after the exception in the same cell."""
    m = RESPONSE_LABEL.search(text)
    if not m or m.start() == 0:
        return text, None
    response = text[m.end():].strip()
    return text[:m.start()].strip(), response or None


def extract_exceptions(layouts: list[PageLayout], pages: list[TextPage], sections: list[Section]) -> list[ControlException]:
    """Exceptions from the matrix tables on the geometry pages of the tests section.

    Without a recognised tests heading every geometry page is searched.
    """
    out: list[ControlException] = []
    spans = _tests_spans(layouts, sections)
    for run in _consecutive(layouts):
        blocks = join_continued_rows(b for lay in run for b in lay.blocks if _in_spans(b, spans))
        out += _from_blocks(blocks)
    _attach_responses(out, pages, sections)
    return out


def _tests_spans(layouts: list[PageLayout], sections: list[Section]) -> list[tuple[int, float, int]]:
    """(first page, top of the heading on it, last page) of each tests-of-controls section."""
    spans = []
    for sec in sections_of(sections, "SEC_TESTS"):
        lay = next((x for x in layouts if x.number == sec.start.page), None)
        top = next((b.bbox[1] for b in lay.blocks if isinstance(b, Line) and same_heading(b.text, sec.start.text)),
                   0.0) if lay else 0.0
        spans.append((sec.start.page, top, sec.last_page))
    return spans


def _in_spans(block: Block, spans: list[tuple[int, float, int]]) -> bool:
    if not spans:
        return True
    return any(first < block.page <= last or (block.page == first and block.bbox[1] >= top)
               for first, top, last in spans)


def _consecutive(layouts: list[PageLayout]) -> list[list[PageLayout]]:
    """Group layouts into runs of consecutive pages, across which rows may continue."""
    runs: list[list[PageLayout]] = []
    for lay in sorted(layouts, key=lambda x: x.number):
        if runs and runs[-1][-1].number == lay.number - 1:
            runs[-1].append(lay)
        else:
            runs.append([lay])
    return runs


def _from_blocks(blocks: list[Block]) -> list[ControlException]:
    out = []
    roles: dict[str, int] = {}
    group_criteria: list[str] = []
    for b in blocks:
        if isinstance(b, Line):
            # Matrices are often grouped under a criterion heading ("CC6.1 The entity implements ...").
            if re.match(r"^\s*(?:criteria\s+|criterion\s+)?(?:CC|PI|A|C|P)\s?\d+\.\d+\b", b.text, re.I) or \
                    re.match(r"^\s*(?:CO|control objective)\s*\d+\b", b.text, re.I):
                group_criteria = parse_criteria(b.text.split(":")[0][:40])
            continue
        if b.header:
            roles = header_roles(b.cells)
            continue
        row_roles = roles if "result" in roles and len(b.cells) > max(roles.values()) else _guess_roles(b)
        filled = [c for c in b.cells if c]
        if len(filled) == 1 and len(b.cells) > 2 and not b.cells[row_roles.get("result", -1)]:
            crit = parse_criteria(filled[0][:40])
            if crit:
                group_criteria = crit  # a criterion row spanning the table
            continue
        if "result" not in row_roles:
            continue
        result = b.cells[row_roles["result"]]
        if not result or classify_result(result) != "exception":
            continue
        description, response = split_response(normalise(result))
        cell = lambda role: normalise(b.cells[row_roles[role]]) if role in row_roles and b.cells[row_roles[role]] else None
        control, control_id = cell("control"), cell("id")
        if control_id is None and control and (m := CONTROL_ID.match(control)):
            control_id, control = m.group(0), control[m.end():].strip(" :-–") or None
        criteria = parse_criteria(cell("criteria") or "") or group_criteria
        out.append(ControlException(description, b.page, control_id, control, cell("test"), response, criteria, b.bbox))
    return out


def _attach_responses(exceptions: list[ControlException], pages: list[TextPage], sections: list[Section]) -> None:
    """Fill missing responses from "Other information provided by management", keyed by control id."""
    wanted = [e for e in exceptions if e.control_id and not e.management_response]
    if not wanted:
        return
    lines: list[str] = []
    for sec in sections_of(sections, "SEC_OTHER") + sections_of(sections, "SUB_RESPONSES"):
        for p in pages[sec.first_page - 1:min(sec.last_page, len(pages))]:
            for i, ln in enumerate(p.lines):
                if p.number == sec.start.page and i <= sec.start.line:
                    continue
                if sec.end and p.number == sec.end.page and i >= sec.end.line:
                    break
                lines.append(ln)
    text = normalise(" ".join(lines))
    ids = sorted({e.control_id for e in exceptions if e.control_id}, key=len, reverse=True)
    marks = sorted((m.start(), m.end(), cid) for cid in ids
                   for m in re.finditer(rf"(?<![\w.]){re.escape(cid)}(?![\w]|\.\d)", text))
    for e in wanted:
        for i, (start, end, cid) in enumerate(marks):
            if cid != e.control_id:
                continue
            stop = next((s for s, _, other in marks[i + 1:] if other != cid), len(text))
            chunk = text[end:stop]
            label = RESPONSE_LABEL.search(chunk)
            if label:
                response = chunk[label.end():]
            elif re.search(r"respon", chunk[:80], re.I):
                response = re.sub(r"^[^:]{0,80}:\s*", "", chunk)
            else:
                continue
            response = _trim_response(response)
            if response:
                e.management_response = response
                break


def _trim_response(text: str) -> str:
    """Cut a response before the next control's heading ("Control CC7.1 ...") or the next label."""
    text = re.split(r"\s(?:Control(?:\s+(?:#|No\.?|ID|Number))?:?\s*)$", text.strip())[0]
    label = RESPONSE_LABEL.search(text)
    if label:
        text = text[:label.start()]
    return text.strip(" :-–")
