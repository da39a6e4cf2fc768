"""Exceptions in the tests-of-controls matrices, with management's responses.

Every table row under a header with a results column is read; a row is an
exception when the rules say its results cell reports one (the trained
classifier decides cells no rule reads), or when a management response is
printed right under it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from nlp.criteria import parse_criteria
from nlp.headers import role_pattern, roles_in_order
from nlp.items import same_heading
from nlp.layout import Block, Line, PageLayout, Row, join_continued_rows, join_words
from nlp.results import ControlException
from nlp.rules import classify_result, model_says_exception, normalise
from nlp.sections import Section, sections_of

# Column roles, matched against header cells in this order (the first role
# that matches a cell takes it): "Test Results" is results, not test.
# Results first: "Test Results and Management's Response" is the results column; a
# responses column is one that names a response after the results column was taken.
_ROLES = roles_in_order("result", "response", "test", "criteria", "id", "control")
_RESPONSE_COLUMN = role_pattern("response")
# Control ids: "CC6.1.2", "C-8", "HL - 4" (spaced dash), "GR-C-048".
_ID = r"(?-i:(?:[A-Z]{1,6}(?:\s?[-–]\s?|\s)?)?\d{1,3}(?:[.\-]\d{1,3}){0,3}[a-z]?\b|[A-Z]{2,6}-[A-Z0-9\-]+\b)"
CONTROL_ID = re.compile(rf"^(?:{_ID})")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-"})
# A results label ("Exception noted:", "Deviations identified -", "The following exception was noted:").
_LABEL = (r"(?:the\s+following\s+)?(?:exceptions?|deviations?)(?:\s+(?:was|were))?"
          r"(?:\s+(?:noted|identified|found|observed))?\s*[:.\-–]\s*")
_LEAD_LABEL = re.compile(rf"^{_LABEL}", re.I)
_NAMED_ID = re.compile(rf"^({_ID})\s*[:\-–]\s*")
# A mapping table names the failed control after the label: "Deviation noted: HL - 4: ...".
_NAMED_CONTROL = re.compile(rf"^{_LABEL}({_ID})\s*:", re.I)
RESPONSE_LABEL = re.compile(
    # A narrow justified column may break "Management's" at the apostrophe
    # ("Management' s") or spread its letters into two words ("Man agement's").
    r"\b(?:man\s?age\s?ment(?:\s?['’]\s?s|s['’])?\s+(?:response|comments?|action plan)|response\s+(?:from|of|by)\s+management)"
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
    if not (CONTROL_ID.match(row.cells[0]) and len(row.cells[0]) < 20):
        return {}  # without a header, only rows led by a control id are taken for matrix rows
    roles = {"result": n - 1, "test": n - 2, "id": 0}
    rest = list(range(1, n - 2))
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


def extract_exceptions(layouts: list[PageLayout], sections: list[Section]) -> list[ControlException]:
    """Exceptions from the matrix tables of the tests section, with management's responses.

    Without a recognised tests heading every geometry page is searched.
    """
    out: list[ControlException] = []
    tests = _spans(layouts, sections, ("SEC_TESTS",))
    for run in _consecutive(layouts):
        blocks = join_continued_rows(b for lay in run for b in lay.blocks if not tests or _inside(b, tests))
        out += _from_blocks(blocks)
    out = dedupe(out)
    if tests:
        # Responses printed below the test table, naming the control.
        _attach_responses(out, [b for lay in sorted(layouts, key=lambda x: x.number) for b in lay.blocks
                                if isinstance(b, Line) and _inside(b, tests)], labelled_only=True)
    other = _spans(layouts, sections, ("SEC_OTHER", "SUB_RESPONSES"))
    if other:
        blocks = join_continued_rows(b for lay in sorted(layouts, key=lambda x: x.number) for b in lay.blocks
                                     if _inside(b, other))
        _attach_responses(out, blocks)
    return out


_Span = tuple[int, float, int, float]  # first page, top of the start heading, last page, top of the end heading


def _heading_top(layouts: list[PageLayout], page: int, text: str, default: float) -> float:
    lay = next((x for x in layouts if x.number == page), None)
    if lay is None:
        return default
    return next((b.bbox[1] for b in lay.blocks if same_heading(b.text, text)), default)


def _spans(layouts: list[PageLayout], sections: list[Section], labels: tuple[str, ...]) -> list[_Span]:
    """Where each section with one of ``labels`` starts and ends on the geometry pages."""
    spans = []
    for label in labels:
        for sec in sections_of(sections, label):
            start_top = _heading_top(layouts, sec.start.page, sec.start.text, 0.0)
            if sec.end:
                spans.append((sec.start.page, start_top, sec.end.page,
                               _heading_top(layouts, sec.end.page, sec.end.text, float("inf"))))
            else:
                spans.append((sec.start.page, start_top, 10**9, float("inf")))
    return spans


def _inside(block: Block, spans: list[_Span]) -> bool:
    top = block.bbox[1]
    for first, first_top, last, last_top in spans:
        after_start = block.page > first or (block.page == first and top >= first_top)
        before_end = block.page < last or (block.page == last and top < last_top)
        if after_start and before_end:
            return True
    return False


def _consecutive(layouts: list[PageLayout]) -> list[list[PageLayout]]:
    """Group layouts into runs of consecutive pages, across which rows may continue."""
    runs: list[list[PageLayout]] = []
    for lay in sorted(layouts, key=lambda x: x.number):
        if runs and runs[-1][-1].number == lay.number - 1:
            runs[-1].append(lay)
        else:
            runs.append([lay])
    return runs


_GROUP_LINE = [
    # Matrices are often grouped under a criterion heading ("CC6.1 The entity implements ...")
    re.compile(r"^\s*(?:criteria\s+|criterion\s+)?(?:CC|PI|A|C|P)\s?\d+\.\d+\b", re.I),
    # or a control objective heading ("Control Objective 3: ...").
    re.compile(r"^\s*(?:CO|control objective)\s*\d+\b", re.I),
]


@dataclass
class _MatrixState:
    """What reading a run of matrix blocks has learnt so far."""

    roles: dict[str, int] = field(default_factory=dict)  # from the last header row
    group_criteria: list[str] = field(default_factory=list)  # from the last criterion heading or row
    pending: ControlException | None = None  # a row that is an exception only if a response follows it
    responding: Line | None = None  # the last line of a response being read under a row
    out: list[ControlException] = field(default_factory=list)


def _from_blocks(blocks: list[Block]) -> list[ControlException]:
    """Exceptions from one run of matrix blocks (lines and rows in reading order)."""
    state = _MatrixState()
    for b in blocks:
        if _response_goes_on(b, state) or _response_under_row(b, state):
            continue
        state.pending = state.responding = None
        if isinstance(b, Line):
            _group_heading(b, state)
        elif b.header:
            state.roles = header_roles(b.cells)
        else:
            _matrix_row(b, state)
    return state.out


def _response_under_row(b: Block, state: _MatrixState) -> bool:
    """A "Management's Response: ..." block printed under a row, across the table.

    A response means the row above reported an exception, however it was worded.
    A response naming another control ("... response to the XY-3 exception:")
    is left for ``_labelled_responses``.
    """
    label = RESPONSE_LABEL.match(b.text)
    if not label or not (isinstance(b, Line) or sum(bool(c) for c in b.cells) == 1):
        return False
    if state.pending is not None:
        state.out.append(state.pending)
    state.pending = None
    target = state.out[-1] if state.out else None
    # A reference to a control before the response proper: "(XY-3):", "for control XY - 3:".
    rest = re.sub(r"^\W*(?:(?:in|for|on|to)\s+)?(?:the\s+)?(?:control\s+)?", "", b.text[label.end():], flags=re.I)
    named = CONTROL_ID.match(rest)
    if named and not (re.match(r"\s*[:)\]\-–]", rest[named.end():])
                      and re.search(r"[A-Za-z].*\d|\d[.\-]\d", named.group(0))):
        named = None  # "In 2 cases ...", "CC6.1 was met": no reference
    if target is None or target.management_response is not None or \
            (named and target.control_id and canonical_id(named.group(0)) != canonical_id(target.control_id)):
        return False
    text = b.text[label.end():]
    if named:
        text = text[text.index(named.group(0)) + len(named.group(0)):].lstrip(" :-–)")
    target.management_response = normalise(text) or None
    state.responding = b if isinstance(b, Line) else None
    return True


def _response_goes_on(b: Block, state: _MatrixState) -> bool:
    """A line that carries on the response under a row (set tight below its last line)."""
    prev = state.responding
    if prev is None or not isinstance(b, Line) or b.page != prev.page or RESPONSE_LABEL.match(b.text):
        return False
    if not 0 <= b.bbox[1] - prev.bbox[3] < 0.6 * b.size:
        return False
    target = state.out[-1]
    target.management_response = normalise(join_words([target.management_response or "", b.text])) or None
    state.responding = b
    return True


def _group_heading(line: Line, state: _MatrixState) -> None:
    """A criterion or objective heading over the rows that follow."""
    if any(rx.match(line.text) for rx in _GROUP_LINE):
        state.group_criteria = parse_criteria(line.text.split(":")[0][:40])


def _matrix_row(b: Row, state: _MatrixState) -> None:
    """Read one body row: a criterion row spanning the table, or a control row with a result."""
    roles = state.roles
    if roles and "result" not in roles:
        return  # a table with a header but no results column (Type 1 tests, lists): no exceptions
    confirmed = bool(roles) and len(b.cells) > max(roles.values())
    row_roles = roles if confirmed else _guess_roles(b)
    filled = [c for c in b.cells if c]
    if len(filled) == 1 and len(b.cells) > 2 and not b.cells[row_roles.get("result", -1)]:
        crit = parse_criteria(filled[0][:40])
        if crit:
            state.group_criteria = crit  # a criterion row spanning the table
        return
    if "result" not in row_roles:
        return
    result = b.cells[row_roles["result"]]
    verdict = classify_result(result) if result else "clean"
    # The classifier only reads cells under a header that names a results column.
    if verdict == "exception" or (verdict == "unclear" and confirmed and model_says_exception(result)):
        state.out.append(_exception(b, row_roles, result, state.group_criteria))
    elif verdict == "unclear":
        # A response printed under the row would still show it reported an exception.
        state.pending = _exception(b, row_roles, result, state.group_criteria)


def _exception(b: Row, row_roles: dict[str, int], result: str, group_criteria: list[str]) -> ControlException:
    """Build the exception item for one matrix row."""
    description, response = split_response(normalise(result))

    def cell(role: str) -> str | None:
        return normalise(b.cells[row_roles[role]]) if role in row_roles and b.cells[row_roles[role]] else None

    control, control_id = cell("control"), cell("id")
    if control_id and len(control_id) <= 24:
        # A narrow id column wraps "GR-C-048" into "GR-C-0" / "48"; ids hold no spaces.
        control_id = control_id.replace(" ", "")
    if control_id is None:
        # A criteria-mapping table lists several controls in one cell and names the
        # one that failed inside its result ("Exception noted: AB-3: ...").
        control_id = named_control(description)
    if control_id is None and control and (m := CONTROL_ID.match(control)):
        control_id, control = m.group(0).replace(" ", ""), control[m.end():].strip(" :-–") or None
    criteria = parse_criteria(cell("criteria") or "") or group_criteria
    return ControlException(description, b.page, control_id, control, cell("test"), cell("response") or response,
                            criteria, b.bbox)


def named_control(description: str) -> str | None:
    """The control id a result names right after its label ("Deviation noted: XY - 12: ...")."""
    m = _NAMED_CONTROL.match(description)
    return m.group(1).replace(" ", "") if m else None


def canonical_id(control_id: str | None) -> str:
    """Compare ids as printed in different places: "HL - 4", "HL-4" and "hl–4" are one id."""
    return re.sub(r"[\s]+", "", (control_id or "").translate(_DASHES)).upper()


def _core_tokens(description: str) -> list[str]:
    """The words of a description without its label and a control id naming it."""
    text = _LEAD_LABEL.sub("", normalise(description))
    text = _NAMED_ID.sub("", text)
    return re.findall(r"[a-z0-9]+", text.lower())


def same_exception(a: ControlException, b: ControlException) -> bool:
    """Two items report one exception: at most one is a test row, the ids agree (or one is
    missing) and the texts agree.

    A repeat cut short by a page break ("Exception noted: AB-3:") agrees with
    any text of the same control.
    """
    if a.test and b.test:
        return False  # two rows of the test table are two tests, even with one wording and no ids
    ia, ib = canonical_id(a.control_id), canonical_id(b.control_id)
    if ia and ib and ia != ib:
        return False
    ta, tb = _core_tokens(a.description), _core_tokens(b.description)
    if not ta or not tb:
        return bool(ia and ib)
    common = sum((Counter(ta) & Counter(tb)).values())
    shorter = min(len(ta), len(tb))
    return 2 * common / (len(ta) + len(tb)) >= 0.8 or (shorter >= 5 and common >= 0.9 * shorter)


def dedupe(exceptions: list[ControlException]) -> list[ControlException]:
    """One item per exception, however often the report prints it.

    Reports repeat an exception in criteria-mapping tables, in a summary
    table and in the responses section. The occurrence kept is the test: the
    first row that carries a test procedure, else the first occurrence. Its
    id, response and criteria are filled from the repeats when it lacks them.
    """
    out = [_keep(g) for g in _occurrences(exceptions)]
    return sorted(out, key=lambda e: (e.page, e.bbox[1] if e.bbox else 0.0))


def _occurrences(exceptions: list[ControlException]) -> list[list[ControlException]]:
    """Group the items that report one exception; a group holds at most one test row."""
    groups: list[list[ControlException]] = []
    for e in exceptions:
        joined = [g for g in groups if any(same_exception(e, x) for x in g)]
        # An item may join several groups (a cut-short repeat and a repeat without id) and
        # merges them, but two test rows stay apart: a repeat matching several joins the first.
        tested = [g for g in joined if any(x.test for x in g)]
        if e.test or len(tested) > 1:
            first = None if e.test else tested[0]
            joined = [g for g in joined if g is first or not any(g is t for t in tested)]
        groups = [g for g in groups if not any(g is j for j in joined)] + [[x for g in joined for x in g] + [e]]
    return groups


def _keep(group: list[ControlException]) -> ControlException:
    """The test row of a group (else its first item), completed from the repeats."""
    keep = next((x for x in group if x.test), group[0])
    for x in group:
        keep.control_id = keep.control_id or x.control_id
        keep.management_response = keep.management_response or x.management_response
        keep.criteria = keep.criteria or x.criteria
    return keep


def _attach_responses(exceptions: list[ControlException], blocks: list[Block], labelled_only: bool = False) -> None:
    """Fill missing responses from blocks outside the test rows, keyed by control id.

    In "Other information provided by management" responses are a table
    (control # | ... | response) or paragraphs under a heading naming the
    control, with or without a "Management's Response:" label. Below a test
    table (``labelled_only``) only a labelled paragraph naming the control, or
    right under a line naming it, is a response: that text is full of ids.
    """
    wanted = {e.control_id: e for e in exceptions if e.control_id and not e.management_response}
    if not wanted:
        return
    paragraphs = _paragraphs([b for b in blocks if isinstance(b, Line)])
    found = _responses_in_tables(blocks, wanted)
    if labelled_only:
        found = {**_labelled_responses(paragraphs, wanted), **found}
    else:
        found = {**_responses_in_paragraphs(paragraphs, wanted), **found}
    for cid, text in found.items():
        wanted[cid].management_response = text


def _responses_in_tables(blocks: list[Block], wanted: dict[str, ControlException]) -> dict[str, str]:
    """Rows of a table with a responses column, keyed by the control id in another cell."""
    found: dict[str, str] = {}
    column: int | None = None
    for b in blocks:
        if not isinstance(b, Row):
            continue
        if b.header:
            # The first cell naming a response, even "Management's Response to Exceptions".
            column = next((i for i, c in enumerate(b.cells) if _RESPONSE_COLUMN.search(c)), None)
        elif column is not None and column < len(b.cells) and b.cells[column]:
            for cid in wanted:
                if any(_mentions(c, cid) for i, c in enumerate(b.cells) if i != column):
                    found.setdefault(cid, normalise(b.cells[column]))
    return found


def _responses_in_paragraphs(paragraphs: list[str], wanted: dict[str, ControlException]) -> dict[str, str]:
    """Paragraphs after one naming the control, up to the next control's entry."""
    found: dict[str, str] = {}
    for i, para in enumerate(paragraphs):
        for cid in wanted:
            if cid in found or not _mentions(para, cid):
                continue
            entry = [para[_mentions(para, cid).end():]]
            for nxt in paragraphs[i + 1:i + 4]:
                if any(_mentions(nxt, other) for other in wanted):
                    break  # the next control's entry
                entry.append(nxt)
            labelled = [(c, m) for c in entry if (m := RESPONSE_LABEL.search(c))]
            if labelled:
                text = labelled[0][0][labelled[0][1].end():]
            else:
                # No label: the first paragraph that is not the exception restated.
                text = next((c for c in entry if c.strip() and classify_result(c) != "exception"), "")
            text = _trim_response(text)
            if text:
                found[cid] = text
    return found


def _labelled_responses(paragraphs: list[str], wanted: dict[str, ControlException]) -> dict[str, str]:
    """"Management's response (XY-3): ..." or a line naming XY-3, then "Management's Response: ..."."""
    found: dict[str, str] = {}
    for i, para in enumerate(paragraphs):
        label = RESPONSE_LABEL.search(para)
        if not label:
            continue
        near = para[:label.end() + 40]
        ids = [c for c in wanted if _mentions(near, c)] or \
              [c for c in wanted if i and _mentions(paragraphs[i - 1], c) and len(paragraphs[i - 1]) < 200]
        if len(ids) != 1 or ids[0] in found:
            continue
        text = para[label.end():]
        ref = _mentions(text[:40], ids[0])
        if ref:
            text = re.sub(r"^[\s)\]]*[:\-–]?\s*", "", text[ref.end():])  # "(XY-3): ..." -> "..."
        text = _trim_response(text)
        if text:
            found[ids[0]] = text
    return found


def _mentions(text: str, control_id: str) -> re.Match[str] | None:
    """Where ``text`` names the control, printed with or without spaces around its dashes."""
    parts = re.findall(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]", canonical_id(control_id))
    body = r"\s?".join("[-–—]" if p == "-" else re.escape(p) for p in parts)
    return re.search(rf"(?<![\w.]){body}(?![\w]|\.\d)", text, re.I)


def _paragraphs(lines: list[Line]) -> list[str]:
    """Join lines into paragraphs at vertical gaps, page breaks and bold headings."""
    out: list[str] = []
    prev: Line | None = None
    for ln in lines:
        gap = ln.bbox[1] - prev.bbox[3] if prev and prev.page == ln.page else None
        same = prev is not None and gap is not None and gap < 0.5 * ln.size and ln.bold == prev.bold
        if same:
            out[-1] = join_words([out[-1], ln.text])
        else:
            out.append(ln.text)
        prev = ln
    return [normalise(p) for p in out]


def _trim_response(text: str) -> str:
    """Cut a response before the next control's heading ("Control CC7.1 ...") or the next label."""
    text = re.split(r"\s(?:Control(?:\s+(?:#|No\.?|ID|Number))?:?\s*)$", text.strip())[0]
    label = RESPONSE_LABEL.search(text)
    if label:
        text = text[:label.start()]
    return text.strip(" :-–")
