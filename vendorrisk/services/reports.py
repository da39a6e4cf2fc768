"""SOC reports: uploads, the extraction job's state, storing what the extractor
found (keeping reviewer decisions across re-runs), corrections, triage, CUEC
mapping, fourth-party linking and the labelled-data export (sign-off: services.signoff)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Iterator, NamedTuple

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, joinedload

from models import (
    CuecStatus,
    Document,
    DocumentKind,
    ItemKind,
    ItemOrigin,
    JobStatus,
    Report,
    ReportItem,
    Severity,
    SubserviceMethod,
    SubserviceOrganization,
    TriageStatus,
    User,
    Vendor,
)
from models.base import utcnow
from nlp.results import LOW_CONFIDENCE
from vendorrisk.services import audit, concurrency, coverage, notifications, report_details, subservices
from vendorrisk.services.errors import Conflict, NotFound, ValidationError

if TYPE_CHECKING:  # only the annotation; the store itself is infrastructure the caller owns
    from vendorrisk.infra.storage import StoredFile

# The contract's list for each kind, and each kind's fields in contract names
# (extraction.schema.json). `text` holds description / name / text.
CONTRACT_LISTS = {
    ItemKind.EXCEPTION: "exceptions",
    ItemKind.CUEC: "cuecs",
    ItemKind.SUBSERVICE: "subservice_organizations",
    ItemKind.CSOC: "csocs",
}
FIELDS: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.EXCEPTION: ("control_id", "control", "test", "description", "management_response", "criteria", "page"),
    ItemKind.CUEC: ("text", "criteria", "page"),
    ItemKind.SUBSERVICE: ("name", "method", "services", "page"),
    ItemKind.CSOC: ("text", "subservice_organization", "criteria", "page"),
}
TEXT_FIELD = {ItemKind.EXCEPTION: "description", ItemKind.CUEC: "text", ItemKind.SUBSERVICE: "name",
              ItemKind.CSOC: "text"}
OPEN_TRIAGE = (TriageStatus.NEW, TriageStatus.IN_REVIEW)
MODIFIED_OPINIONS = ("qualified", "adverse", "disclaimer")


# ---------------------------------------------------------------- identity

# Each ASCII byte: letters in lower case, digits and "_" kept, a space for the
# rest (what a regular expression's \W matches). A byte table, not re.sub: the
# report page normalises every CUEC of two reports on each view (~2 µs a text, not ~15),
# and keeps the last texts: a reviewer reloads the same report after every change.
_WORD_BYTES = bytes(c if chr(c).isalnum() or chr(c) == "_" else 0x20 for c in range(256)).lower()


@lru_cache(maxsize=8192)  # two reports of ~500 CUECs use ~1,000; a few MB when full
def normalise(text: str | None) -> str:
    """Text as two extractions of one item share it: case, accents, punctuation
    and line breaks do not count."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore")
    return " ".join(ascii_text.translate(_WORD_BYTES).decode().split())


def item_key(kind: ItemKind, values: dict[str, Any]) -> str:
    """The identity a re-run matches on (kept short enough to index)."""
    text = normalise(values.get(TEXT_FIELD[kind]))
    if kind == ItemKind.EXCEPTION:
        return f"{normalise(values.get('control_id'))}|{text}"[:300]
    if kind == ItemKind.SUBSERVICE:
        return subservices.name_key(values.get("name") or "")[:300]
    return text[:300]


def similarity(a: str | None, b: str | None) -> float:
    return SequenceMatcher(None, normalise(a), normalise(b), autojunk=False).ratio()


def values_of(item: ReportItem) -> dict[str, Any]:
    """The item's current values, in the contract's field names."""
    values: dict[str, Any] = {}
    for name in FIELDS[item.kind]:
        attr = "text" if name == TEXT_FIELD[item.kind] else name
        value = getattr(item, attr)
        values[name] = list(value or []) if name == "criteria" else value
    return values


def _apply(item: ReportItem, values: dict[str, Any]) -> None:
    for name in FIELDS[item.kind]:
        if name in values:
            attr = "text" if name == TEXT_FIELD[item.kind] else name
            setattr(item, attr, list(values[name] or []) if name == "criteria" else values[name])


def needs_check(item: ReportItem) -> bool:
    """The extractor was unsure of this item and no reviewer has corrected or confirmed it yet."""
    return (item.confidence is not None and item.confidence < LOW_CONFIDENCE and item.origin == ItemOrigin.EXTRACTED
            and not is_corrected(item) and not item.not_an_item)


def is_corrected(item: ReportItem) -> bool:
    return item.origin == ItemOrigin.EXTRACTED and item.original is not None and values_of(item) != item.original


def verdict(item: ReportItem) -> str:
    """The label of an item for the extractor's training data."""
    if item.not_an_item:
        return "not_an_item"
    if item.origin == ItemOrigin.REVIEWER:
        return "missed"
    if is_corrected(item):
        return "corrected"
    # A signed-off report's untouched items were looked at and left as they are.
    return "confirmed" if item.report.signed_off_at else "unreviewed"


# ---------------------------------------------------------------- uploads

@dataclass(frozen=True)
class Upload:
    document: Document
    report: Report | None
    created: bool  # False: this vendor already had the same file


def record_upload(
    session: Session, vendor: Vendor, stored: StoredFile, *, filename: str, kind: DocumentKind, actor: User | None,
    email: bool = False,
) -> Upload:
    """A Document for the stored file (and a queued Report for a SOC report,
    of which the vendor's security owner is told; `email` mails it too).
    The same bytes uploaded again for the vendor are recognised, not added twice."""
    existing = session.scalar(select(Document).where(Document.vendor_id == vendor.id, Document.sha256 == stored.sha256))
    if existing is not None:
        return Upload(existing, existing.report, created=False)
    filename = clean_filename(filename)
    document = Document(vendor=vendor, kind=kind, sha256=stored.sha256, filename=filename,
                        size_bytes=stored.size_bytes, uploaded_by_id=actor.id if actor else None)
    session.add(document)
    report = None
    if kind == DocumentKind.SOC_REPORT:
        report = Report(document=document, vendor=vendor, job_status=JobStatus.QUEUED)
        session.add(report)
    session.flush()
    audit.record(session, actor, "document_uploaded", f"Uploaded {kind.value.replace('_', ' ')} {filename} for {vendor.name}",
                 entity_type="document", entity_id=document.id, vendor_id=vendor.id,
                 changes={"sha256": (None, stored.sha256)})
    if report is not None:
        notifications.report_uploaded(session, report, actor=actor, email=email)
    return Upload(document, report, created=True)


def clean_filename(filename: str | None) -> str:
    """The name the user's computer gave the file: metadata only, never a path."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "report.pdf")[:255]


def get_report(session: Session, report_id: int) -> Report:
    """The report with what its pages show of it: the document (and who uploaded it), the vendor and the
    reviewers' corrections (usually none), joined in one query rather than lazy-loaded one by one."""
    report = session.get(Report, report_id, options=[joinedload(Report.document).joinedload(Document.uploaded_by),
                                                     joinedload(Report.vendor), joinedload(Report.corrections)])
    if report is None:
        raise NotFound(f"There is no report #{report_id}.")
    return report


def extraction_warnings(session: Session, report: Report) -> list[str]:
    """What the extractor could not find or read, for the reviewer to check by hand.
    Only this key of the stored extraction is fetched: the whole document holds
    every item again (~180 KB of JSON for a report of 500 items)."""
    return list(session.scalar(select(Report.extraction["warnings"]).where(Report.id == report.id)) or [])


def get_document(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(f"There is no document #{document_id}.")
    return document


def get_item(session: Session, report: Report, item_id: int) -> ReportItem:
    item = session.get(ReportItem, item_id)
    if item is None or item.report_id != report.id:
        raise NotFound("That item does not belong to this report.")
    return item


def vendor_documents(session: Session, vendor: Vendor) -> list[Document]:
    return list(session.scalars(
        select(Document).where(Document.vendor_id == vendor.id)
        .options(joinedload(Document.report), joinedload(Document.uploaded_by))
        .order_by(Document.uploaded_at.desc(), Document.id.desc())
    ))


# ---------------------------------------------------------------- the job's state

def request_rerun(session: Session, report: Report, *, actor: User | None) -> None:
    if report.job_status in (JobStatus.QUEUED, JobStatus.RUNNING):
        raise Conflict("Extraction is already under way; wait for it to finish.")
    report.job_status = JobStatus.QUEUED
    report.job_error = None
    report.progress_page = 0
    report.queued_at = utcnow()
    report.started_at = report.finished_at = report.heartbeat_at = None
    audit.record(session, actor, "extraction_rerun", f"Re-ran extraction of {report.document.filename}",
                 entity_type="report", entity_id=report.id, vendor_id=report.vendor_id)


def claim(session: Session, report_id: int, *, job_id: str | None = None) -> bool:
    """Take a queued report for running; False if it is not queued (another
    worker has it, or it was already done), so a job delivered twice runs once."""
    now = utcnow()
    result = session.execute(
        update(Report).where(Report.id == report_id, Report.job_status == JobStatus.QUEUED)
        .values(job_status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, finished_at=None,
                progress_page=0, progress_pages=None, job_error=None, runs=Report.runs + 1,
                **({"job_id": job_id} if job_id else {}))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def record_progress(report: Report, pages_done: int, pages_total: int) -> None:
    report.progress_pages = max(0, int(pages_total))
    report.progress_page = max(0, min(int(pages_done), report.progress_pages))
    report.heartbeat_at = utcnow()


def fail(session: Session, report_id: int, reason: str) -> None:
    """End a job in the failed state with a reason the user can act on."""
    session.execute(
        update(Report).where(Report.id == report_id)
        .values(job_status=JobStatus.FAILED, job_error=reason, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )


STALE_JOB_ERROR = "The extraction stopped responding (its worker was stopped or crashed). Re-run it."


@dataclass(frozen=True)
class JobState:
    """A report's job as everyone reads it (pages, lists, the API)."""

    status: JobStatus
    error: str | None


def job_state(report: Report, *, stale_after: timedelta, now: datetime | None = None) -> JobState:
    """The job's state, with a running job that has shown no sign of life for
    `stale_after` read as failed: computed on read, so every reader is right
    before anything has recorded the failure (fail_stale does, on re-run, on
    start and in the scheduler's sweep)."""
    if report.is_stalled((now or utcnow()) - stale_after):
        return JobState(JobStatus.FAILED, STALE_JOB_ERROR)
    return JobState(report.job_status, report.job_error)


def fail_stale(session: Session, *, stale_after: timedelta, report_id: int | None = None) -> int:
    """Record as failed the running reports whose job has shown no sign of
    life for `stale_after` (a killed worker, a crashed process); returns how many."""
    query = update(Report).where(Report.is_stalled(utcnow() - stale_after))
    if report_id is not None:
        query = query.where(Report.id == report_id)
    result = session.execute(
        query
        .values(job_status=JobStatus.FAILED, finished_at=utcnow(), job_error=STALE_JOB_ERROR)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def fail_interrupted(session: Session) -> int:
    """On start of the embedded server: whatever was running belonged to a
    process that no longer exists."""
    result = session.execute(
        update(Report).where(Report.job_status == JobStatus.RUNNING)
        .values(job_status=JobStatus.FAILED, finished_at=utcnow(),
                job_error="Extraction was interrupted when the server stopped. Re-run it.")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def queued_report_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Report.id).where(Report.job_status == JobStatus.QUEUED).order_by(Report.id)))


def store_result(session: Session, report: Report, document: dict[str, Any]) -> None:
    """Save one extraction (the contract document, with geometry) and mark the job done,
    or failed with the extractor's reason when it refused the file.

    Items found again keep their reviewer decisions; when the reviewer had
    corrected an item, the correction stays and only `original` moves on.
    Items no longer found are marked, never deleted with their decisions.
    """
    if document.get("status") == "rejected":
        # The file was not read (damaged, encrypted, over a limit): the job failed for that reason, and
        # the items of an earlier run stay as they were rather than all becoming "not found".
        report.extraction_status = "rejected"
        report.extraction_error = report.job_error = document.get("error") or "The file could not be read."
        report.job_status = JobStatus.FAILED
        report.finished_at = utcnow()
        return
    items_by_kind = {kind: document.get(name) or [] for kind, name in CONTRACT_LISTS.items()}
    without_geometry = {
        **document,
        **{name: [{k: v for k, v in item.items() if k != "bbox"} for item in items_by_kind[kind]]
           for kind, name in CONTRACT_LISTS.items()},
    }
    report.extraction = without_geometry
    report.extraction_status = document.get("status")
    report.extraction_error = document.get("error")
    report_details.apply_extraction(report, document.get("report") or {})
    pages = (document.get("source") or {}).get("pages")
    if pages:
        report.progress_pages = pages
        report.progress_page = pages

    unmatched = [item for item in report.items if item.origin == ItemOrigin.EXTRACTED]
    position = 0
    for kind, raw_items in items_by_kind.items():
        for raw in raw_items:
            values = {name: list(raw.get(name) or []) if name == "criteria" else raw.get(name) for name in FIELDS[kind]}
            values[TEXT_FIELD[kind]] = values[TEXT_FIELD[kind]] or ""
            key = item_key(kind, values)
            match = _best_match(kind, key, values, unmatched)
            if match is None:
                match = ReportItem(kind=kind, origin=ItemOrigin.EXTRACTED,
                                   triage_status=TriageStatus.NEW if kind == ItemKind.EXCEPTION else None)
                _apply(match, values)
                report.items.append(match)
            else:
                unmatched.remove(match)
                if not is_corrected(match):
                    _apply(match, values)
            match.original = values
            match.key = key
            match.bbox = _bbox(raw.get("bbox"))
            match.confidence = raw.get("confidence")
            match.found = True
            match.position = position
            position += 1
    for item in unmatched:
        item.found = False
        item.position = position
        position += 1
    _link_known_subservices(session, report)

    report.job_status = JobStatus.DONE
    report.job_error = None
    report.finished_at = utcnow()
    refresh_comparisons(session, report)


def _link_known_subservices(session: Session, report: Report) -> None:
    """Subservice organizations whose name or alias is already in the
    inventory are linked at once; new names wait for a reviewer to confirm."""
    vendor = report.vendor
    for item in report.items:
        if item.kind != ItemKind.SUBSERVICE or item.organization_id is not None or item.not_an_item or not item.found:
            continue
        organization = subservices.find_organization(session, item.text)
        if organization is None:
            continue
        item.organization = organization
        subservices.link_named_organization(session, vendor, organization, method=item.method, services=item.services,
                                            actor=None)


def _best_match(kind: ItemKind, key: str, values: dict[str, Any], candidates: list[ReportItem]) -> ReportItem | None:
    same_kind = [c for c in candidates if c.kind == kind]
    exact = next((c for c in same_kind if c.key == key), None)
    if exact is not None:
        return exact
    text = values.get(TEXT_FIELD[kind])
    best, best_score = None, 0.0
    for candidate in same_kind:
        previous = (candidate.original or {}).get(TEXT_FIELD[kind], candidate.text)
        score = similarity(text, previous)
        same_control = (kind == ItemKind.EXCEPTION and values.get("control_id")
                        and normalise(values.get("control_id")) == normalise((candidate.original or {}).get("control_id")))
        # The extractor's text of one item may shift a little between versions
        # (a line break, a joined footnote); a different control is a different item.
        threshold = 0.75 if same_control else 0.9
        if score >= threshold and score > best_score:
            best, best_score = candidate, score
    return best


def _bbox(value: Any) -> list[float] | None:
    if isinstance(value, (list, tuple)) and len(value) == 4 and all(isinstance(v, (int, float)) for v in value):
        return [float(v) for v in value]
    return None


# ---------------------------------------------------------------- registers

def items_query(report: Report, kind: ItemKind, *, include_dismissed: bool = False) -> Select[tuple[ReportItem]]:
    query = (select(ReportItem).where(ReportItem.report_id == report.id, ReportItem.kind == kind)
             .options(joinedload(ReportItem.assignee), joinedload(ReportItem.owner), joinedload(ReportItem.organization))
             .order_by(ReportItem.position, ReportItem.id))
    if not include_dismissed:
        query = query.where(ReportItem.not_an_item.is_(False))
    return query


def neighbours(session: Session, item: ReportItem) -> tuple[int | None, int | None]:
    """The ids of the previous and next item of the same kind in the register,
    for stepping through a report's exceptions or CUECs one after another."""
    ids = list(session.scalars(
        select(ReportItem.id).where(ReportItem.report_id == item.report_id, ReportItem.kind == item.kind,
                                    ReportItem.not_an_item.is_(False))
        .order_by(ReportItem.position, ReportItem.id)
    ))
    if item.id not in ids:
        return None, None
    index = ids.index(item.id)
    return (ids[index - 1] if index > 0 else None), (ids[index + 1] if index + 1 < len(ids) else None)


def item_counts(session: Session, report: Report) -> dict[ItemKind, int]:
    rows = session.execute(
        select(ReportItem.kind, func.count()).where(ReportItem.report_id == report.id, ReportItem.not_an_item.is_(False))
        .group_by(ReportItem.kind)
    )
    counts = {kind: 0 for kind in ItemKind}
    counts.update({kind: n for kind, n in rows})
    return counts


def latest_report_ids() -> Select:
    """The ids of the vendors' current reports (see coverage.current_reports)."""
    return select(coverage.current_reports().c.report_id)


def unowned_cuecs_query(*, vendor_id: int | None = None) -> Select:
    """CUECs of each vendor's current report that nobody on our side owns yet.
    Rows: (ReportItem, Vendor)."""
    current = coverage.current_reports()
    query = (
        select(ReportItem, Vendor)
        .join(current, current.c.report_id == ReportItem.report_id)
        .join(Vendor, Vendor.id == current.c.vendor_id)
        .where(ReportItem.kind == ItemKind.CUEC, ReportItem.owner_id.is_(None), ReportItem.not_an_item.is_(False),
               ReportItem.found.is_(True))
        .order_by(func.lower(Vendor.name), ReportItem.report_id, ReportItem.position, ReportItem.id)
    )
    if vendor_id is not None:
        query = query.where(Vendor.id == vendor_id)
    return query


# ---------------------------------------------------------------- reviewer changes

def _check_editable(report: Report) -> None:
    if report.job_status != JobStatus.DONE:
        raise Conflict("Wait for the extraction to finish before changing items.")


def _clean(values: dict[str, Any], kind: ItemKind, pages: int | None) -> dict[str, Any]:
    """Validate a reviewer's values for one kind of item (contract field names)."""
    cleaned: dict[str, Any] = {}
    for name in FIELDS[kind]:
        value = values.get(name)
        if name == "criteria":
            if isinstance(value, str):
                value = [part.strip() for part in re.split(r"[,;\n]", value)]
            cleaned[name] = [str(v).strip()[:50] for v in (value or []) if str(v).strip()]
        elif name == "page":
            if value in (None, ""):
                raise ValidationError("Enter the page the item is on.", field="page")
            try:
                page = int(value)
            except (TypeError, ValueError):
                raise ValidationError("The page must be a number.", field="page") from None
            if page < 1 or (pages and page > pages):
                raise ValidationError(f"The page must be between 1 and {pages or 'the last page'}.", field="page")
            cleaned[name] = page
        elif name == "method":
            value = (value or "").strip() or None
            if value is not None and value not in {m.value for m in SubserviceMethod}:
                raise ValidationError("The method is carve-out or inclusive (or unknown).", field="method")
            cleaned[name] = value
        else:
            cleaned[name] = (str(value).strip() if value is not None else "") or None
    if not cleaned.get(TEXT_FIELD[kind]):
        raise ValidationError(
            "Enter the organization's name." if kind == ItemKind.SUBSERVICE else "Enter the item's text.",
            field=TEXT_FIELD[kind],
        )
    if cleaned.get("control_id") and len(cleaned["control_id"]) > 100:
        raise ValidationError("The control ID is at most 100 characters.", field="control_id")
    if cleaned.get("subservice_organization") and len(cleaned["subservice_organization"]) > 300:
        raise ValidationError("The organization is at most 300 characters.", field="subservice_organization")
    return cleaned


def correct_item(session: Session, item: ReportItem, values: dict[str, Any], *, actor: User) -> dict[str, tuple]:
    """Replace the item's values with the reviewer's; the extractor's stay in `original`."""
    report = item.report
    _check_editable(report)
    cleaned = _clean(values, item.kind, report.progress_pages)
    before = values_of(item)
    changes = {name: (before[name], cleaned[name]) for name in cleaned if before[name] != cleaned[name]}
    if not changes:
        return {}
    _apply(item, cleaned)
    if item.origin == ItemOrigin.REVIEWER:
        item.key = item_key(item.kind, cleaned)
    _exceptions_changed(session, item)
    audit.record(session, actor, "item_corrected", f"Corrected {item.kind.label.lower()} on page {item.page} of {report.document.filename}",
                 entity_type="report_item", entity_id=item.id, vendor_id=report.vendor_id, changes=changes)
    return changes


def add_item(session: Session, report: Report, kind: ItemKind, values: dict[str, Any], *, actor: User) -> ReportItem:
    """An item the extractor missed, flagged as the reviewer's."""
    _check_editable(report)
    cleaned = _clean(values, kind, report.progress_pages)
    position = max((i.position for i in report.items), default=-1) + 1
    item = ReportItem(kind=kind, origin=ItemOrigin.REVIEWER, key=item_key(kind, cleaned), position=position,
                      triage_status=TriageStatus.NEW if kind == ItemKind.EXCEPTION else None)
    _apply(item, cleaned)
    report.items.append(item)
    _exceptions_changed(session, item)
    session.flush()
    audit.record(session, actor, "item_added", f"Added a missed {item.kind.label.lower()} on page {item.page} of {report.document.filename}",
                 entity_type="report_item", entity_id=item.id, vendor_id=report.vendor_id,
                 changes={TEXT_FIELD[kind]: (None, item.text)})
    return item


def set_not_an_item(session: Session, item: ReportItem, not_an_item: bool, *, actor: User) -> None:
    """Hide an item from the registers (or bring it back); it is kept either way."""
    _check_editable(item.report)
    if item.not_an_item == not_an_item:
        return
    item.not_an_item = not_an_item
    _exceptions_changed(session, item)
    audit.record(session, actor, "item_dismissed" if not_an_item else "item_restored",
                 f"Marked {item.kind.label.lower()} on page {item.page} as {'not an item' if not_an_item else 'an item'}",
                 entity_type="report_item", entity_id=item.id, vendor_id=item.report.vendor_id,
                 changes={"not_an_item": (not not_an_item, not_an_item)})


def _exceptions_changed(session: Session, item: ReportItem) -> None:
    """A reviewer changed the text or the list of a report's exceptions: the
    year-over-year pairs that use them are made again."""
    if item.kind == ItemKind.EXCEPTION:
        refresh_comparisons(session, item.report)


def _require_user(session: Session, user_id: int | None, field: str) -> int | None:
    if user_id is not None:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise ValidationError("Choose an active user.", field=field)
    return user_id


# What the triage and CUEC forms write; a form based on an older version of
# the item conflicts only over these (services.concurrency).
TRIAGE_FIELDS = ("triage_status", "severity", "assignee_id", "due_date", "notes")
CUEC_FIELDS = ("owner_id", "control_reference", "cuec_status", "evidence")


def triage_exception(
    session: Session, item: ReportItem, *, status: TriageStatus, severity: Severity | None, assignee_id: int | None,
    due_date: date | None, notes: str | None, actor: User, loaded: concurrency.Loaded | None = None,
    email: bool = False,
) -> dict[str, tuple]:
    """Record the triage; a new assignee is notified at once (`email` mails it too)."""
    if item.kind != ItemKind.EXCEPTION:
        raise ValidationError("Only exceptions are triaged.")
    _check_editable(item.report)
    if status == TriageStatus.FOLLOW_UP_REQUIRED and due_date is None:
        raise ValidationError("A follow-up needs a due date.", field="due_date")
    if status in (TriageStatus.ACCEPTED, TriageStatus.FOLLOW_UP_REQUIRED, TriageStatus.RISK_ACCEPTED) and severity is None:
        raise ValidationError("Set a severity before concluding the triage.", field="severity")
    updates = {
        "triage_status": status,
        "severity": severity,
        "assignee_id": _require_user(session, assignee_id, "assignee_id"),
        "due_date": due_date if status == TriageStatus.FOLLOW_UP_REQUIRED else None,
        "notes": (notes or "").strip() or None,
    }
    concurrency.check(session, item, loaded, updates, noun="exception")
    changes = audit.diff(item, updates)
    for field, value in updates.items():
        setattr(item, field, value)
    if changes:
        audit.record(session, actor, "exception_triaged",
                     f"Exception {item.control_id or ''} on page {item.page}: {status.value.replace('_', ' ')}".replace("  ", " "),
                     entity_type="report_item", entity_id=item.id, vendor_id=item.report.vendor_id, changes=changes)
    if "assignee_id" in changes and item.assignee_id is not None:
        notifications.exception_assigned(session, item, session.get(User, item.assignee_id), actor=actor, email=email)
    return changes


def map_cuec(
    session: Session, item: ReportItem, *, owner_id: int | None, control_reference: str | None,
    status: CuecStatus | None, evidence: str | None, actor: User, loaded: concurrency.Loaded | None = None,
) -> dict[str, tuple]:
    if item.kind != ItemKind.CUEC:
        raise ValidationError("Only CUECs are mapped to internal controls.")
    _check_editable(item.report)
    control_reference = (control_reference or "").strip() or None
    if control_reference and len(control_reference) > 100:
        raise ValidationError("The control reference is at most 100 characters.", field="control_reference")
    if status in (CuecStatus.IMPLEMENTED, CuecStatus.PARTIALLY_IMPLEMENTED) and owner_id is None:
        raise ValidationError("Name the owner of a control that is in place.", field="owner_id")
    updates = {
        "owner_id": _require_user(session, owner_id, "owner_id"),
        "control_reference": control_reference,
        "cuec_status": status,
        "evidence": (evidence or "").strip() or None,
    }
    concurrency.check(session, item, loaded, updates, noun="CUEC")
    changes = audit.diff(item, updates)
    for field, value in updates.items():
        setattr(item, field, value)
    if changes:
        audit.record(session, actor, "cuec_mapped", f"CUEC on page {item.page} mapped",
                     entity_type="report_item", entity_id=item.id, vendor_id=item.report.vendor_id, changes=changes)
    return changes


def suggested_organization(session: Session, item: ReportItem):
    """The inventory record the extracted name matches (by name or alias), if any."""
    return suggested_organizations(session, [item])[item.id]


def suggested_organizations(session: Session, items: list[ReportItem]) -> dict[int, SubserviceOrganization | None]:
    """suggested_organization of each item (by id), in one query for the lot."""
    found = subservices.find_organizations(session, [item.text for item in items if item.organization is None])
    return {item.id: item.organization or found.get(item.text) for item in items}


def confirm_subservice(session: Session, item: ReportItem, organization_name: str | None, *, actor: User):
    """Link the vendor to the fourth party the reviewer confirms.

    The name may be an existing organization (or one of its aliases) or a new
    one; the spelling the report uses becomes an alias, so next year's report
    matches by itself.
    """
    if item.kind != ItemKind.SUBSERVICE:
        raise ValidationError("Only subservice organizations are linked to fourth-party records.")
    _check_editable(item.report)
    name = (organization_name or "").strip() or item.text
    organization = subservices.find_organization(session, name) or subservices.create_organization(session, name, actor=actor)
    if subservices.find_organization(session, item.text) is None:
        subservices.add_alias(session, organization, item.text, actor=actor)
    vendor = item.report.vendor
    subservices.link_vendor(session, vendor, organization.name, method=item.method, services=item.services, actor=actor)
    previous = item.organization_id
    item.organization = organization
    audit.record(session, actor, "subservice_confirmed", f"{item.text} in the report is {organization.name}",
                 entity_type="report_item", entity_id=item.id, vendor_id=vendor.id,
                 changes={"organization_id": (previous, organization.id)})
    return organization


# ---------------------------------------------------------------- year over year

def previous_report(session: Session, report: Report) -> Report | None:
    """The vendor's report for the period before this one."""
    if report.period_end is None:
        return None
    return session.scalar(
        select(Report).where(Report.vendor_id == report.vendor_id, Report.id != report.id,
                             Report.job_status == JobStatus.DONE, Report.extraction_status == "ok",
                             Report.period_end < report.period_end)
        .order_by(Report.period_end.desc(), Report.id.desc()).limit(1)
        .options(joinedload(Report.document))  # the report page names its file
    )


class ComparedItem(NamedTuple):
    """What the year-over-year comparison and its section of the report page
    read of an item. Not a ReportItem: for two reports of up to ~500 items on
    every view of the page, psycopg would decode each item's JSON columns
    (original, bbox, criteria) and the ORM build an object per row."""

    id: int
    report_id: int
    kind: ItemKind
    text: str
    control_id: str | None
    triage_status: TriageStatus | None
    previous_item_id: int | None
    organization_id: int | None


# CSOCs are not compared.
_COMPARED_KINDS = (ItemKind.EXCEPTION, ItemKind.CUEC, ItemKind.SUBSERVICE)


@dataclass
class Comparison:
    previous: Report
    new_exceptions: list[ComparedItem]
    recurring_exceptions: list[tuple[ComparedItem, ComparedItem]]  # (this year, last year)
    resolved_exceptions: list[ComparedItem]
    added_cuecs: list[ComparedItem]
    removed_cuecs: list[ComparedItem]
    new_subservices: list[ComparedItem]
    gone_subservices: list[ComparedItem]
    opinion_change: tuple[str | None, str | None] | None
    scope_changes: list[str]

    @property
    def anything(self) -> bool:
        return bool(self.new_exceptions or self.recurring_exceptions or self.resolved_exceptions or self.added_cuecs
                    or self.removed_cuecs or self.new_subservices or self.gone_subservices or self.opinion_change
                    or self.scope_changes)


def _live(session: Session, report: Report, previous: Report, kinds: tuple[ItemKind, ...] = _COMPARED_KINDS,
          ) -> tuple[dict[ItemKind, list[ComparedItem]], dict[ItemKind, list[ComparedItem]]]:
    """Both reports' items of these kinds still found and not dismissed, by
    kind, in report order (one query for both)."""
    items: dict[int, dict[ItemKind, list[ComparedItem]]] = {r.id: {kind: [] for kind in kinds} for r in (report, previous)}
    rows = session.execute(
        select(*(getattr(ReportItem, name) for name in ComparedItem._fields))
        .where(ReportItem.report_id.in_(items), ReportItem.kind.in_(kinds), ReportItem.not_an_item.is_(False),
               ReportItem.found.is_(True))
        .order_by(ReportItem.position, ReportItem.id)
    )
    for item in map(ComparedItem._make, rows):  # a named tuple's fields read ~10x faster than a Row's
        items[item.report_id][item.kind].append(item)
    return items[report.id], items[previous.id]


def _pair_exceptions(current: list[ComparedItem], earlier: list[ComparedItem],
                     ) -> list[tuple[ComparedItem, ComparedItem]]:
    """Greedy best pairs: same control and some shared wording, or near-identical wording.

    Every exception against every one of last year's: ~250,000 comparisons
    for two reports of 500, so the cheap upper bounds of the ratio
    (real_quick_ratio, quick_ratio) rule out most pairs before ratio() runs;
    the pairs found are the same.
    """
    def prepared(items):
        return [(item, normalise(item.text), normalise(item.control_id)) for item in items]

    matcher = SequenceMatcher(None, autojunk=False)
    scored = []
    later = prepared(current)
    for b, b_text, b_control in prepared(earlier):
        matcher.set_seq2(b_text)  # the matcher indexes seq2 once for all of this year's
        for a, a_text, a_control in later:
            same_control = bool(a_control) and a_control == b_control
            floor = 0.3 if same_control else 0.8
            matcher.set_seq1(a_text)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            score = matcher.ratio()
            if score >= floor:
                scored.append((1.0 + score if same_control else score, a.id, b.id, a, b))
    scored.sort(key=lambda row: (-row[0], row[1], row[2]))
    used_a, used_b, pairs = set(), set(), []
    for _score, a_id, b_id, a, b in scored:
        if a_id not in used_a and b_id not in used_b:
            used_a.add(a_id)
            used_b.add(b_id)
            pairs.append((a, b))
    return pairs


def _store_comparison(session: Session, report: Report, previous: Report | None) -> None:
    recurs: dict[int, int] = {}
    if previous is not None:
        now, then = _live(session, report, previous, (ItemKind.EXCEPTION,))
        recurs = {a.id: b.id for a, b in _pair_exceptions(now[ItemKind.EXCEPTION], then[ItemKind.EXCEPTION])}
    for item in report.items:
        if item.kind == ItemKind.EXCEPTION:
            item.previous_item_id = recurs.get(item.id)
    report.compared_with_id = previous.id if previous else None


def refresh_comparisons(session: Session, report: Report) -> None:
    """Store the year-over-year pairing of exceptions for `report` and for every
    report of its vendor whose predecessor it is, was, or whose stored pairing
    is out of date. Runs when an extraction is stored and when a reviewer
    changes an exception, so the report page only reads the pairs."""
    session.flush()  # new items need their ids
    usable = session.scalars(select(Report).where(
        Report.vendor_id == report.vendor_id, Report.job_status == JobStatus.DONE, Report.extraction_status == "ok"))
    for other in {report, *usable}:
        previous = previous_report(session, other)
        previous_id = previous.id if previous else None
        if other is report or previous_id == report.id or other.compared_with_id != previous_id:
            _store_comparison(session, other, previous)


def refresh_all_comparisons(session: Session) -> int:
    """Every report's stored pairing (after an upgrade: `flask reports compare --all`); returns how many reports."""
    done = list(session.scalars(select(Report).where(Report.job_status == JobStatus.DONE).order_by(Report.id)))
    for report in done:
        _store_comparison(session, report, previous_report(session, report))
    return len(done)


def compare_with_previous(session: Session, report: Report) -> Comparison | None:
    previous = previous_report(session, report)
    if previous is None:
        return None
    now, then = _live(session, report, previous)
    current_exc, earlier_exc = now[ItemKind.EXCEPTION], then[ItemKind.EXCEPTION]
    if report.compared_with_id == previous.id:
        earlier_by_id = {item.id: item for item in earlier_exc}
        pairs = [(a, earlier_by_id[a.previous_item_id]) for a in current_exc if a.previous_item_id in earlier_by_id]
    else:
        # Not stored yet: a report extracted before stored comparisons (until
        # `flask reports compare --all`), or the predecessor is being re-run.
        # Paired for this view only; the page never writes.
        pairs = _pair_exceptions(current_exc, earlier_exc)
    paired_now = {a.id for a, _ in pairs}
    paired_then = {b.id for _, b in pairs}

    def cuec_keys(items):
        return {normalise(i.text): i for i in items}

    now_cuecs, then_cuecs = cuec_keys(now[ItemKind.CUEC]), cuec_keys(then[ItemKind.CUEC])

    now_subservices, then_subservices = now[ItemKind.SUBSERVICE], then[ItemKind.SUBSERVICE]
    # As suggested_organizations: the confirmed record, else the one the name matches.
    found = subservices.find_organizations(
        session, [i.text for i in now_subservices + then_subservices if i.organization_id is None])

    def org_identity(item: ComparedItem):
        if item.organization_id is not None:
            return ("org", item.organization_id)
        organization = found.get(item.text)
        return ("org", organization.id) if organization is not None else ("name", subservices.name_key(item.text))

    now_orgs = {org_identity(i): i for i in now_subservices}
    then_orgs = {org_identity(i): i for i in then_subservices}

    scope = []
    if (previous.framework, previous.report_type) != (report.framework, report.report_type):
        scope.append(f"Report type changed from {previous.framework or '?'} {previous.report_type or ''} "
                     f"to {report.framework or '?'} {report.report_type or ''}".replace("  ", " ").strip())
    if normalise(previous.service_organization) != normalise(report.service_organization):
        scope.append(f"Service organization changed from {previous.service_organization or 'unknown'} "
                     f"to {report.service_organization or 'unknown'}")
    added = sorted(set(report.trust_services_criteria or []) - set(previous.trust_services_criteria or []))
    removed = sorted(set(previous.trust_services_criteria or []) - set(report.trust_services_criteria or []))
    if added:
        scope.append("Criteria added: " + ", ".join(c.replace("_", " ") for c in added))
    if removed:
        scope.append("Criteria no longer covered: " + ", ".join(c.replace("_", " ") for c in removed))
    if normalise(previous.auditor) != normalise(report.auditor) and previous.auditor and report.auditor:
        scope.append(f"Auditor changed from {previous.auditor} to {report.auditor}")

    return Comparison(
        previous=previous,
        new_exceptions=[i for i in current_exc if i.id not in paired_now],
        recurring_exceptions=pairs,
        resolved_exceptions=[i for i in earlier_exc if i.id not in paired_then],
        added_cuecs=[i for k, i in now_cuecs.items() if k not in then_cuecs],
        removed_cuecs=[i for k, i in then_cuecs.items() if k not in now_cuecs],
        new_subservices=[i for k, i in now_orgs.items() if k not in then_orgs],
        gone_subservices=[i for k, i in then_orgs.items() if k not in now_orgs],
        opinion_change=(previous.opinion, report.opinion) if previous.opinion != report.opinion else None,
        scope_changes=scope,
    )


# ---------------------------------------------------------------- labelled data

def labelled_rows(session: Session, *, report_id: int | None = None, reviewed_only: bool = False) -> Iterator[dict[str, Any]]:
    """One row per item: what the extractor said, what is true, and the verdict
    (confirmed, corrected, not_an_item, missed, or unreviewed)."""
    query = (select(ReportItem).join(Report).join(Document, Document.id == Report.document_id)
             .options(joinedload(ReportItem.report).joinedload(Report.document))
             .order_by(ReportItem.report_id, ReportItem.position, ReportItem.id))
    if report_id is not None:
        query = query.where(ReportItem.report_id == report_id)
    for item in session.scalars(query).unique():
        label = verdict(item)
        if reviewed_only and label == "unreviewed":
            continue
        yield {
            "report_sha256": item.report.document.sha256,
            "report_id": item.report_id,
            "item_id": item.id,
            "page": item.page,
            "kind": CONTRACT_LISTS[item.kind],
            "original": item.original,
            "corrected": None if item.not_an_item else values_of(item),
            "verdict": label,
        }


def item_history_query(item: ReportItem):
    return audit.events_query(entity_type="report_item", entity_id=item.id)


def documents_of_kind(documents: Iterable[Document], kind: DocumentKind) -> list[Document]:
    return [d for d in documents if d.kind == kind]
