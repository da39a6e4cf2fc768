"""The extraction pipeline run inside the isolated process.

text pass (pdfium, every page) -> status checks -> sections -> choose pages
-> geometry pass (pdfplumber, chosen pages) -> extractors -> result.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

import pypdfium2 as pdfium

from nlp.confidence import assess
from nlp.cuecs import extract_cuecs
from nlp.exceptions import extract_exceptions
from nlp.geometry import read_pages
from nlp.layout import assemble
from nlp.metadata import extract_metadata
from nlp.outline import outline_headings, read_outline, with_outline
from nlp.pdftext import (RawText, TextPage, clean_pages, normalise_running, read_text_pages,
                         running_lines, watermarks)
from nlp.results import ExtractionResult, Source
from nlp.sections import Section, build_sections, find_headings, find_opinion, is_toc_line, sections_of
from nlp.subservice import extract_subservice, subservice_pages

# A page drawing a picture is unreadable when its own text (running lines and stamps aside) has
# fewer letters than this: a section divider or a cover with a logo still has its title.
_UNREADABLE_LETTERS = 20
# Geometry is read at most this many pages into a list section: past that
# the heading that ends it was missed and the section would swallow the report.
_MAX_LIST_PAGES = 12
# Cheap page filter for exception rows, applied before any geometry is read:
# recall matters here, precision comes from classify_result on the cells.
# Bare "exception" is too common in control text ("exception reports").
_CLEAN_RESULT = re.compile(r"\bno\s+(?:relevant\s+|other\s+|further\s+)?(?:exceptions|deviations)\b", re.I)
_MAYBE_EXCEPTION = re.compile(
    r"\b(?:exceptions?|deviations?)\s+(?:(?:was|were|is|are)\s+)?(?:noted|identified|found|observed|detected)\b|"
    r"\b(?:exception|deviation)s?\s*:|\bfollowing\s+(?:exceptions?|deviations?)\b|"
    r"\b(?:noted|identified|found)\s+(?:an?|one|two|three|\d+)\s+(?:exceptions?|deviations?)\b|"
    r"\brevealed\b|\bmanagement(?:'s|’s)?\s+response|\b(?:in|for)\s+which\b|"
    r"\b(?:\d+|one|two|three)\s+(?:was|were)\s+(?:identified|noted|found)\b|\bidentified\s+(?:\d+|one|two|three)\b|"
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:out\s+)?of\s+(?:the\s+)?\d+\b|"
    # Results without a count ("The service auditor noted that the Q3 review was not evidenced").
    r"\b(?:auditor|we)\s+(?:noted|observed|identified|found)\b|"
    r"\b(?:was|were|had|has|have)\s+not\s+(?:been\s+)?(?:performed|completed|documented|evidenced|approved|reviewed|"
    r"retained|removed|revoked|obtained|timely)\b",
    re.I,
)


def run(path: str, source: Source, max_pages: int, progress: Callable[[int, int], None]) -> ExtractionResult:
    """Extract ``path``; raises only for parser failures the caller turns into ``rejected``."""
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            return ExtractionResult("rejected", source, "The PDF is password-protected. Remove the password (or "
                                    "ask the vendor for an unprotected copy) and upload it again.")
        return ExtractionResult("rejected", source, "The PDF could not be opened; it appears to be damaged. "
                                "Try re-exporting or re-downloading the report.")
    n = len(doc)
    source.pages = n
    if n > max_pages:
        doc.close()
        return ExtractionResult("rejected", source, f"The PDF has {n} pages, over the {max_pages}-page limit.")
    if n == 0:
        doc.close()
        return ExtractionResult("rejected", source, "The PDF has no pages.")

    # The text pass is the first half of the progress bar, geometry the second.
    raw = read_text_pages(doc, lambda i: progress(i // 2, n))
    outline = read_outline(doc)
    doc.close()
    status = _text_status(raw)
    if status:
        return ExtractionResult(status[0], source, status[1])

    running = running_lines(raw)
    pages = clean_pages(raw, running)
    # The outline's entries are evidence for headings the line rules miss, only where the body prints them.
    headings = with_outline(find_headings(pages), outline_headings(outline, pages))
    sections = build_sections(headings, find_opinion(pages))
    unreadable = unreadable_pages(raw)
    if not _is_soc_report(pages, sections, unreadable):
        return ExtractionResult("not_a_soc_report", source, "This PDF is readable but does not look like a SOC 1, "
                                "SOC 2 or SOC 3 report (no independent service auditor's report and opinion "
                                "were found). If it is a bridge letter or policy, upload the SOC report itself.")

    chosen = choose_geometry_pages(pages, sections)
    done = [0]

    def on_page() -> None:
        done[0] += 1
        progress(n // 2 + (n - n // 2) * done[0] // max(len(chosen), 1), n)

    raw_pages = read_pages(path, chosen, on_page)
    layouts = assemble(raw_pages.values(), running)

    printed_running = [ln for r in raw[:6] for ln in r.margins if normalise_running(ln) in running]
    report = extract_metadata(pages, sections, printed_running)
    orgs, csocs = extract_subservice(pages, layouts, sections, report.service_organization)
    result = ExtractionResult(
        "ok", source, None, report, orgs, csocs,
        extract_cuecs(layouts, sections),
        extract_exceptions(layouts, sections),
    )
    assess(result, pages, sections, unreadable)
    progress(n, n)
    return result


def _own_letters(raw: list[RawText]) -> list[int]:
    """Letters on each page outside lines repeated on most pages (portal stamps, watermarks, running lines)."""
    repeated = running_lines(raw) | watermarks(raw) | _stamps(raw)
    return [sum(ch.isalpha() for ln in page.lines if normalise_running(ln) not in repeated for ch in ln)
            for page in raw]


def _stamps(raw: list[RawText]) -> set[str]:
    """Lines printed on most pages whatever their place or case ("Downloaded by ... on ... - page 3")."""
    counts: Counter[str] = Counter()
    for page in raw:
        counts.update({normalise_running(ln) for ln in page.lines})
    need = max(2, math.ceil(0.6 * len(raw)))
    return {key for key, c in counts.items() if c >= need} if len(raw) >= 2 else set()


def unreadable_pages(raw: list[RawText], letters: list[int] | None = None) -> list[int]:
    """1-based numbers of pages whose content is a picture without a text layer.

    nlp.confidence turns them into a warning for the reviewer: what is on them
    (often the signed auditor's report) was not extracted.
    """
    letters = _own_letters(raw) if letters is None else letters
    return [i for i, (page, count) in enumerate(zip(raw, letters), 1) if page.has_image and count < _UNREADABLE_LETTERS]


def _text_status(raw: list[RawText]) -> tuple[str, str] | None:
    """needs_ocr when most pages carry no usable text: a picture without a text layer (scanned), text drawn
    as shapes (no letters at all), or glyphs without a text map (the text is mostly not letters).

    Few letters alone do not make a scan: a one-line letter or a short memo is a short page, not a
    picture. A stamp the download portal printed on every page is not the page's text.
    """
    letters = _own_letters(raw)
    unreadable = set(unreadable_pages(raw, letters))
    usable = sum(1 for number, (page, count) in enumerate(zip(raw, letters), 1)
                 if count and number not in unreadable and count >= 0.5 * len("".join(page.lines).replace(" ", "")))
    if usable < 0.5 * len(raw):
        return ("needs_ocr", "This PDF has no usable text layer (it looks scanned). Run it through OCR, or ask "
                "the vendor for the original digital PDF, and upload it again.")
    return None


_ASSURANCE = re.compile(r"service auditor|independent auditor|\bauditor['’]s report|examination|"
                        r"\bassertion\b|fairly (?:stated|presented)", re.IGNORECASE)


def _is_soc_report(pages: list[TextPage], sections: list[Section], unreadable: list[int] | None = None) -> bool:
    """A service auditor's report with an opinion (or with a system description) about a SOC scope.

    When some pages are pictures without text, the auditor's report may be among them: a SOC
    scope with management's assertion or a system description is then enough.
    """
    text = "\n".join(p.text for p in pages).lower()
    first = pages[0].text.lower() if pages else ""
    auditor = bool(sections_of(sections, "SEC_AUDITOR")) or "service auditor" in text
    opinion = bool(re.search(r"in our opinion|do not express an opinion", text))
    scope = bool(re.search(r"\bsoc\s*[123]\b|trust services criteria|control objectives|service organization control",
                           text))
    described = bool(sections_of(sections, "SEC_ASSERTION") or sections_of(sections, "SEC_DESCRIPTION"))
    if re.search(r"\bbridge letter\b|\bgap letter\b", first) and not opinion:
        return False
    if unreadable and not auditor:
        auditor = bool(_ASSURANCE.search(text)) and (described or "assert" in text)
    return auditor and (opinion or (scope and described)) and scope


def choose_geometry_pages(pages: list[TextPage], sections: list[Section]) -> set[int]:
    """Pages to read with geometry: list subsections, and matrix pages that may hold an exception.

    Neighbours come along so that rows and items continuing across a page
    break are joined, and the header row of a table is known.
    """
    n = len(pages)
    chosen: set[int] = set()
    for label in ("SUB_SUBSERVICE", "SUB_CSOC", "SUB_CUEC", "SEC_OTHER", "SUB_RESPONSES"):
        for s in sections_of(sections, label):
            last = min(s.last_page, s.first_page + _MAX_LIST_PAGES, n)
            chosen.update(range(s.first_page, last + 1))
    # CSOC tables and scope statements in running text, under no subsection heading of their own.
    chosen |= subservice_pages(pages, sections)
    skip = set()
    for label in ("SEC_AUDITOR", "SEC_ASSERTION"):
        for s in sections_of(sections, label):
            skip.update(range(s.first_page, min(s.last_page, n) + (0 if s.end and s.end.line == 0 else 1)))
    for p in pages:
        if p.number in skip or sum(is_toc_line(ln) for ln in p.lines) >= 3:
            continue
        if _MAYBE_EXCEPTION.search(_CLEAN_RESULT.sub(" ", re.sub(r"\s+", " ", p.text))):
            chosen.update(x for x in (p.number - 1, p.number, p.number + 1) if 1 <= x <= n)
    return chosen
