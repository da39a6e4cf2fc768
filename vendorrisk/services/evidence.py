"""Evidence requests: ask a vendor's contact for documents through a secret
link, take their uploads, and chase them from the daily sweep.

A link's token is 256 random bits; only its sha256 is stored
(api_tokens.hash_token). Every e-mail to the vendor (the request, each
reminder) carries a fresh link, so no token is ever kept to be sent again.
The e-mail itself is sent by the caller after it commits (Outgoing), with the
site's address in front of PORTAL_PATH.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    EvidenceDocument,
    EvidenceKind,
    EvidenceLink,
    EvidenceRequest,
    EvidenceRequestStatus,
    EvidenceSubmission,
    LoginFailure,
    OPEN_EVIDENCE_STATUSES,
    Document,
    DocumentKind,
    Report,
    User,
    Vendor,
)
from models.base import utcnow
from vendorrisk.services import audit, notifications, reports
from vendorrisk.services.api_tokens import hash_token
from vendorrisk.services.coverage import (
    IN_SCOPE_STATUSES,
    EvidenceState,
    bridged_through,
    current_reports,
    evidence_condition,
    evidence_state,
)
from vendorrisk.services.errors import NotFound, ServiceError, ValidationError
from vendorrisk.services.exports import Table, stream
from vendorrisk.services.schedule import CoverageState, coverage_state, expected_next_report

if TYPE_CHECKING:  # services hand the file on; only the web layer stores it
    from vendorrisk.infra.storage import StoredFile

DEFAULT_LINK_DAYS = 30  # the EVIDENCE_LINK_DAYS setting's default
PORTAL_PATH = "/portal/{token}"
VENDOR_PATH = "/vendors/{vendor_id}#evidence"
MAX_MESSAGE_LENGTH = 5000
MAX_NOTE_LENGTH = 2000
# A link is a credential handed to someone outside: enough uploads for a
# report, its bridge letter and a few certificates, not a free file host.
MAX_SUBMISSIONS_PER_REQUEST = 20
# Failed link look-ups from one address within the window before it is refused
# (429): 256-bit tokens cannot be guessed, but a scanner should not get free rein.
LINK_FAILURES_ALLOWED = 20
LINK_FAILURE_WINDOW = timedelta(minutes=15)
_FAILURE_KEY = "(evidence link)"  # LoginFailure.email for failed link look-ups: no e-mail is ever this
# Days a vendor gets to answer a request the sweep opens.
SWEEP_ANSWER_DAYS = 30
# Reminders to the vendor contact, in days relative to the due date; after the
# last one the request lapses and the requester is told. Bounded on purpose:
# three messages, then a person decides.
REMINDER_OFFSETS = (-7, 7, 14)
LAPSE_AFTER_DAYS = 21
# Kinds kept as EvidenceDocuments; SOC reports and bridge letters go through reports.record_upload.
OTHER_KINDS = tuple(k for k in EvidenceKind if k not in (EvidenceKind.SOC_REPORT, EvidenceKind.BRIDGE_LETTER))


class LinkInvalid(ServiceError):
    """Expired, revoked, tampered with or never issued: all look the same to the holder."""

    status = 404


class LinkThrottled(ServiceError):
    status = 429


@dataclass(frozen=True)
class Outgoing:
    """An e-mail to a vendor contact, sent after the caller commits. `token`
    exists only here, in memory: the database holds its hash."""

    request_id: int
    to: str
    subject: str
    body: str  # holds "{link}" where the portal address goes
    token: str

    def text(self, base_url: str) -> str:
        return self.body.replace("{link}", base_url.rstrip("/") + PORTAL_PATH.format(token=self.token))


# ---------------------------------------------------------------- requests

def parse_kinds(values: list[str]) -> list[EvidenceKind]:
    kinds: list[EvidenceKind] = []
    for value in values:
        try:
            kind = EvidenceKind(value)
        except ValueError:
            raise ValidationError(f"“{value}” is not a kind of evidence this app knows.", field="kinds") from None
        if kind not in kinds:
            kinds.append(kind)
    if not kinds:
        raise ValidationError("Choose at least one document to ask for.", field="kinds")
    return kinds


def create_request(
    session: Session, vendor: Vendor, *, kinds: list[EvidenceKind], due_date: date, message: str,
    actor: User | None, today: date, link_days: int, recipient_email: str | None = None,
    recipient_name: str | None = None, sweep_key: str | None = None,
) -> tuple[EvidenceRequest, Outgoing]:
    """Open a request to the vendor's contact and the e-mail that carries its link."""
    email = (recipient_email or vendor.contact_email or "").strip()
    if not email or "@" not in email:
        raise ValidationError(f"{vendor.name} has no contact e-mail. Add one on the vendor's edit page first.",
                              field="recipient_email")
    if not kinds:
        raise ValidationError("Choose at least one document to ask for.", field="kinds")
    if due_date < today:
        raise ValidationError("The due date is in the past. Choose today or a later day.", field="due_date")
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ValidationError(f"Keep the message under {MAX_MESSAGE_LENGTH} characters.", field="message")
    request = EvidenceRequest(
        vendor=vendor, requested_by_id=actor.id if actor else None, kinds=[k.value for k in kinds],
        recipient_email=email[:254], recipient_name=(recipient_name or vendor.contact_name or None),
        message=message, due_date=due_date, status=EvidenceRequestStatus.OPEN, sweep_key=sweep_key,
    )
    session.add(request)
    session.flush()
    what = ", ".join(request.kind_labels)
    audit.record(session, actor, "evidence_requested",
                 f"Asked {email} for {what} from {vendor.name}, due {due_date.isoformat()}"
                 + (" (opened by the daily sweep)" if actor is None else ""),
                 entity_type="evidence_request", entity_id=request.id, vendor_id=vendor.id,
                 changes={"kinds": (None, request.kinds), "due_date": (None, due_date)})
    token = _issue_link(session, request, link_days)
    asker = actor.display_name if actor else "The vendor risk team"
    body = "\n".join([
        f"Hello{' ' + request.recipient_name if request.recipient_name else ''},",
        "",
        f"{asker} asks {vendor.name} for: {what}.",
        f"Please send it by {due_date.isoformat()}.",
        *(["", message] if message else []),
        "",
        "Upload the documents (PDF) here, no account needed:",
        "{link}",
        "",
        f"The link works for {link_days} days and only for this request.",
    ])
    return request, Outgoing(request.id, email, f"Documents requested from {vendor.name}: {what}", body, token)


def _issue_link(session: Session, request: EvidenceRequest, link_days: int) -> str:
    token = secrets.token_urlsafe(32)
    session.add(EvidenceLink(request=request, token_hash=hash_token(token),
                             expires_at=utcnow() + timedelta(days=link_days)))
    return token


def record_email_state(session: Session, request_id: int, state: str) -> None:
    """What became of the latest e-mail to the contact (after the caller's commit)."""
    request = session.get(EvidenceRequest, request_id)
    if request is not None:
        request.email_state = state[:300]


def get_request(session: Session, vendor: Vendor, request_id: int) -> EvidenceRequest:
    request = session.get(EvidenceRequest, request_id)
    if request is None or request.vendor_id != vendor.id:
        raise NotFound("This vendor has no such evidence request.")
    return request


def cancel_request(session: Session, request: EvidenceRequest, *, actor: User) -> bool:
    """Withdraw the request and revoke its links; returns False when it was already closed."""
    if request.status not in OPEN_EVIDENCE_STATUSES:
        return False
    request.status = EvidenceRequestStatus.CANCELLED
    request.closed_at = utcnow()
    revoke_links(request)
    audit.record(session, actor, "evidence_request_cancelled",
                 f"Withdrew the request to {request.recipient_email} for {', '.join(request.kind_labels)}",
                 entity_type="evidence_request", entity_id=request.id, vendor_id=request.vendor_id,
                 changes={"status": (EvidenceRequestStatus.OPEN, request.status)})
    return True


def revoke_links(request: EvidenceRequest) -> None:
    now = utcnow()
    for link in request.links:
        if link.revoked_at is None:
            link.revoked_at = now


# What pages show of a request, loaded with it: templates never query.
_REQUEST_PAGE_LOADS = (
    joinedload(EvidenceRequest.requested_by),
    joinedload(EvidenceRequest.vendor),
    selectinload(EvidenceRequest.submissions).joinedload(EvidenceSubmission.document).joinedload(Document.report),
)


def requests_query(vendor_id: int | None = None, *, open_only: bool = False) -> Select[tuple[EvidenceRequest]]:
    """Newest first; the caller paginates or limits."""
    query = select(EvidenceRequest).options(*_REQUEST_PAGE_LOADS)
    if vendor_id is not None:
        query = query.where(EvidenceRequest.vendor_id == vendor_id)
    if open_only:
        query = query.where(EvidenceRequest.status.in_(OPEN_EVIDENCE_STATUSES))
    return query.order_by(EvidenceRequest.created_at.desc(), EvidenceRequest.id.desc())


def vendor_requests(session: Session, vendor: Vendor, limit: int = 20) -> list[EvidenceRequest]:
    return list(session.scalars(requests_query(vendor.id).limit(limit)).unique())


def open_request_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(EvidenceRequest)
                          .where(EvidenceRequest.status.in_(OPEN_EVIDENCE_STATUSES))) or 0


# ---------------------------------------------------------------- the vendor's link

def open_link(session: Session, token: str, *, remote_addr: str, now: datetime | None = None) -> EvidenceLink:
    """The live link a token names, or LinkInvalid; failed look-ups count
    against the address, which is refused (LinkThrottled) after too many."""
    now = now or utcnow()
    failures = session.scalar(
        select(func.count()).select_from(LoginFailure)
        .where(LoginFailure.email == _FAILURE_KEY, LoginFailure.remote_addr == remote_addr,
               LoginFailure.at >= now - LINK_FAILURE_WINDOW)
    ) or 0
    if failures >= LINK_FAILURES_ALLOWED:
        raise LinkThrottled("Too many wrong links from your address. Wait a quarter of an hour and try again.")
    link = None
    if 20 <= len(token or "") <= 100:
        link = session.scalar(select(EvidenceLink)
                              .options(joinedload(EvidenceLink.request).options(*_REQUEST_PAGE_LOADS))
                              .where(EvidenceLink.token_hash == hash_token(token)))
    if (link is None or link.revoked_at is not None or link.expires_at <= now
            or link.request.status not in OPEN_EVIDENCE_STATUSES):
        session.execute(delete(LoginFailure).where(LoginFailure.at < now - LINK_FAILURE_WINDOW))
        session.add(LoginFailure(email=_FAILURE_KEY, remote_addr=remote_addr[:64], at=now))
        raise LinkInvalid("This link is not valid: it may have expired or been withdrawn. "
                          "Ask the person who sent it for a new one.")
    link.last_used_at = now
    return link


@dataclass(frozen=True)
class Submitted:
    submission: EvidenceSubmission
    report: Report | None  # a new SOC report to extract


def submit(session: Session, link: EvidenceLink, stored: StoredFile, *, filename: str, kind: EvidenceKind,
           note: str, email: bool) -> Submitted:
    """Keep a file the vendor sent through `link` and tell the requester."""
    request = link.request
    if kind.value not in request.kinds:
        raise ValidationError("Choose one of the documents this request asks for.", field="kind")
    if len(request.submissions) >= MAX_SUBMISSIONS_PER_REQUEST:
        raise ValidationError(f"This request already holds {MAX_SUBMISSIONS_PER_REQUEST} files. "
                              "Contact the person who asked if more are needed.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(f"Keep the note under {MAX_NOTE_LENGTH} characters.", field="note")
    vendor = request.vendor
    report = None
    # The submission is made last: attached to the request earlier, the
    # queries below would autoflush it half-made.
    if kind in (EvidenceKind.SOC_REPORT, EvidenceKind.BRIDGE_LETTER):
        upload = reports.record_upload(session, vendor, stored, filename=filename, kind=DocumentKind(kind.value),
                                       actor=None)
        report = upload.report if upload.created else None
        submission = EvidenceSubmission(document=upload.document, filename=upload.document.filename)
    else:
        document, _ = record_document(session, vendor, stored, kind=kind, filename=filename, notes=note, actor=None)
        submission = EvidenceSubmission(evidence_document=document, filename=document.filename)
    submission.kind, submission.note, submission.request = kind, note, request
    session.add(submission)
    first_answer = request.status == EvidenceRequestStatus.OPEN
    request.status = EvidenceRequestStatus.ANSWERED
    request.answered_at = request.answered_at or utcnow()
    session.flush()
    audit.record(session, None, "evidence_submitted",
                 f"{request.recipient_email} sent {kind.label} {submission.filename} through the request link"
                 + (f" with the note: {note[:200]}" if note else ""),
                 entity_type="evidence_request", entity_id=request.id, vendor_id=vendor.id,
                 changes={"status": (EvidenceRequestStatus.OPEN if first_answer else request.status, request.status)})
    for person in _requesters(session, request):
        notifications.notify(
            session, person, kind="evidence_answered",
            subject=f"{vendor.name} sent {kind.label}: {submission.filename}",
            body=(f"{request.recipient_email} answered your request for {', '.join(request.kind_labels)} "
                  f"with {submission.filename}." + (f"\n\nTheir note: {note}" if note else "")
                  + ("\n\nThe report is being read now." if report is not None else "")),
            link=VENDOR_PATH.format(vendor_id=vendor.id), email=email,
        )
    return Submitted(submission, report)


def _requesters(session: Session, request: EvidenceRequest) -> list[User]:
    """Who hears about the request: its requester, or (opened by the sweep) the vendor's owners."""
    if request.requested_by is not None and request.requested_by.active:
        return [request.requested_by]
    vendor = request.vendor
    owners = [u for u in (vendor.security_owner, vendor.business_owner) if u is not None and u.active]
    return list({u.id: u for u in owners}.values())


# ---------------------------------------------------------------- the daily sweep

def sweep(session: Session, today: date, *, issuance_lag_days: int, link_days: int, email: bool) -> list[Outgoing]:
    """Open next-report requests that fall due today, remind contacts, lapse
    requests nobody answered. Idempotent: a request's sweep_key and its
    reminder count make a second run on the same day do nothing."""
    outgoing = _open_next_report_requests(session, today, issuance_lag_days, link_days)
    outgoing += _remind_and_lapse(session, today, link_days, email)
    _remind_expiring(session, today, email)
    return outgoing


def _open_next_report_requests(session: Session, today: date, lag: int, link_days: int) -> list[Outgoing]:
    """On the day the current report's successor is expected, ask for it (or a
    bridge letter); before that, when coverage needs a bridge letter, ask for
    one. The sweep key names the situation, so each is asked for once: a new
    report or a received bridge letter makes a new situation."""
    current, bridged = current_reports(), bridged_through()
    rows = session.execute(
        select(Vendor, current.c.period_end, bridged.c.covered_through)
        .join(current, current.c.vendor_id == Vendor.id).outerjoin(bridged, bridged.c.vendor_id == Vendor.id)
        .where(Vendor.status.in_(IN_SCOPE_STATUSES), Vendor.contact_email.is_not(None), Vendor.contact_email != "")
    ).all()
    # A colleague's request still waiting for the same documents is not repeated.
    waiting: dict[int, set[str]] = {}
    for vendor_id, kinds in session.execute(select(EvidenceRequest.vendor_id, EvidenceRequest.kinds)
                                            .where(EvidenceRequest.status == EvidenceRequestStatus.OPEN)):
        waiting.setdefault(vendor_id, set()).update(kinds)
    outgoing = []
    for vendor, period_end, covered_through in rows:
        if expected_next_report(period_end, lag) <= today:
            key = f"soc:{period_end.isoformat()}"
            kinds = [EvidenceKind.SOC_REPORT, EvidenceKind.BRIDGE_LETTER]
            message = (f"Our copy of your SOC report covers the period up to {period_end.isoformat()}. "
                       "Please send the report that follows it or, if it is not issued yet, a bridge letter.")
        elif coverage_state(period_end, covered_through, today) == CoverageState.BRIDGE_NEEDED:
            covered = covered_through or period_end
            key = f"bridge:{period_end.isoformat()}:{covered.isoformat()}"
            kinds = [EvidenceKind.BRIDGE_LETTER]
            message = (f"Our assurance for your services runs up to {covered.isoformat()}. Please send a bridge "
                       "letter covering the time since, until your next SOC report is issued.")
        else:
            continue
        if waiting.get(vendor.id, set()) & {k.value for k in kinds}:
            continue
        if session.scalar(select(EvidenceRequest.id).where(EvidenceRequest.vendor_id == vendor.id,
                                                           EvidenceRequest.sweep_key == key)):
            continue
        _, mail = create_request(session, vendor, kinds=kinds, due_date=today + timedelta(days=SWEEP_ANSWER_DAYS),
                                 actor=None, today=today, link_days=link_days, sweep_key=key, message=message)
        outgoing.append(mail)
    return outgoing


def reminder_number_due(due: date, today: date) -> int:
    """How many reminders should have gone out by `today` (0..len(REMINDER_OFFSETS))."""
    return sum(1 for offset in REMINDER_OFFSETS if today >= due + timedelta(days=offset))


def _remind_and_lapse(session: Session, today: date, link_days: int, email: bool) -> list[Outgoing]:
    outgoing = []
    waiting = session.scalars(
        select(EvidenceRequest).options(joinedload(EvidenceRequest.vendor))
        .where(EvidenceRequest.status == EvidenceRequestStatus.OPEN,
               EvidenceRequest.due_date <= today - timedelta(days=min(REMINDER_OFFSETS)))
    ).all()
    for request in waiting:
        if today >= request.due_date + timedelta(days=LAPSE_AFTER_DAYS):
            _lapse(session, request, email)
            continue
        if reminder_number_due(request.due_date, today) <= request.reminders_sent:
            continue
        # After downtime only one reminder goes out, counted as all those missed.
        request.reminders_sent = reminder_number_due(request.due_date, today)
        request.last_reminded_on = today
        token = _issue_link(session, request, link_days)
        days = (request.due_date - today).days
        when = (f"is due on {request.due_date.isoformat()}" if days >= 0
                else f"was due on {request.due_date.isoformat()}")
        body = "\n".join([
            f"Hello{' ' + request.recipient_name if request.recipient_name else ''},",
            "",
            f"A reminder: our request to {request.vendor.name} for {', '.join(request.kind_labels)} {when}.",
            "",
            "Upload the documents (PDF) here, no account needed:",
            "{link}",
        ])
        outgoing.append(Outgoing(request.id, request.recipient_email,
                                 f"Reminder: documents requested from {request.vendor.name}", body, token))
        audit.record(session, None, "evidence_reminded",
                     f"Reminded {request.recipient_email} of the request for {', '.join(request.kind_labels)}",
                     entity_type="evidence_request", entity_id=request.id, vendor_id=request.vendor_id,
                     changes={"reminders_sent": (request.reminders_sent - 1, request.reminders_sent)})
    return outgoing


def _lapse(session: Session, request: EvidenceRequest, email: bool) -> None:
    request.status = EvidenceRequestStatus.LAPSED
    request.closed_at = utcnow()
    revoke_links(request)
    what = ", ".join(request.kind_labels)
    audit.record(session, None, "evidence_request_lapsed",
                 f"The request to {request.recipient_email} for {what} lapsed unanswered",
                 entity_type="evidence_request", entity_id=request.id, vendor_id=request.vendor_id,
                 changes={"status": (EvidenceRequestStatus.OPEN, request.status)})
    for person in _requesters(session, request):
        notifications.notify(
            session, person, kind="evidence_lapsed",
            subject=f"No answer from {request.vendor.name}: request for {what} lapsed",
            body=(f"{request.recipient_email} did not answer the request for {what}, due "
                  f"{request.due_date.isoformat()}, after {request.reminders_sent} reminders. "
                  "Contact them directly or send a new request."),
            link=VENDOR_PATH.format(vendor_id=request.vendor_id), email=email,
        )


# ---------------------------------------------------------------- other evidence with expiry

def _check_dates(issued_on: date | None, expires_on: date | None) -> None:
    if issued_on and expires_on and expires_on < issued_on:
        raise ValidationError("The expiry date is before the issue date.", field="expires_on")


def record_document(
    session: Session, vendor: Vendor, stored: StoredFile, *, kind: EvidenceKind, filename: str, actor: User | None,
    issued_on: date | None = None, expires_on: date | None = None, scope: str = "", notes: str = "",
) -> tuple[EvidenceDocument, bool]:
    """Keep an evidence document other than a SOC report, and whether it is
    new: the same bytes for the vendor are one row, returned unchanged."""
    if kind not in OTHER_KINDS:
        raise ValidationError("Upload SOC reports and bridge letters in the reports section.", field="kind")
    _check_dates(issued_on, expires_on)
    document = session.scalar(select(EvidenceDocument).where(EvidenceDocument.vendor_id == vendor.id,
                                                             EvidenceDocument.sha256 == stored.sha256))
    if document is not None:
        return document, False
    document = EvidenceDocument(vendor=vendor, kind=kind, sha256=stored.sha256, size_bytes=stored.size_bytes,
                                filename=reports.clean_filename(filename), issued_on=issued_on, expires_on=expires_on,
                                scope=(scope or "").strip(), notes=(notes or "").strip(),
                                uploaded_by_id=actor.id if actor else None)
    session.add(document)
    session.flush()
    audit.record(session, actor, "evidence_document_added",
                 f"Added {kind.label} {document.filename}" + (f", valid until {expires_on.isoformat()}" if expires_on else ""),
                 entity_type="evidence_document", entity_id=document.id, vendor_id=vendor.id,
                 changes={"sha256": (None, stored.sha256), "expires_on": (None, expires_on)})
    return document, True


DOCUMENT_FIELDS = ("issued_on", "expires_on", "scope", "notes")


def update_document(session: Session, document: EvidenceDocument, values: dict, *, actor: User) -> dict:
    """Record a document's validity, scope and notes as a reviewer read them."""
    values = {name: (values.get(name) or "").strip() if name in ("scope", "notes") else values.get(name)
              for name in DOCUMENT_FIELDS}
    _check_dates(values["issued_on"], values["expires_on"])
    changes = audit.diff(document, values)
    for name, (_old, new) in changes.items():
        setattr(document, name, new)
    if changes:
        audit.record(session, actor, "evidence_document_updated", f"Updated {document.kind.label} {document.filename}",
                     entity_type="evidence_document", entity_id=document.id, vendor_id=document.vendor_id,
                     changes=changes)
    return changes


def get_document(session: Session, vendor: Vendor, document_id: int) -> EvidenceDocument:
    document = session.get(EvidenceDocument, document_id)
    if document is None or document.vendor_id != vendor.id:
        raise NotFound("This vendor has no such evidence document.")
    return document


def documents_query(vendor_id: int) -> Select[tuple[EvidenceDocument]]:
    """Soonest expiry first (undated last): what needs renewing leads."""
    return (select(EvidenceDocument).where(EvidenceDocument.vendor_id == vendor_id)
            .order_by(EvidenceDocument.expires_on.is_(None), EvidenceDocument.expires_on, EvidenceDocument.id))


def vendor_documents(session: Session, vendor_id: int, today: date) -> list[tuple[EvidenceDocument, EvidenceState | None]]:
    """The vendor's evidence documents with their validity state, soonest expiry first."""
    return [(document, evidence_state(document.expires_on, today))
            for document in session.scalars(documents_query(vendor_id))]


def _remind_expiring(session: Session, today: date, email: bool) -> None:
    """Tell the vendor's owners once per validity that a document expires soon."""
    soon = session.scalars(
        select(EvidenceDocument).options(joinedload(EvidenceDocument.vendor))
        .join(Vendor, Vendor.id == EvidenceDocument.vendor_id)
        .where(Vendor.status.in_(IN_SCOPE_STATUSES), evidence_condition([EvidenceState.EXPIRING], today))
    ).all()
    for document in soon:
        if document.reminded_for == document.expires_on:
            continue
        document.reminded_for = document.expires_on
        vendor = document.vendor
        owners = [u for u in (vendor.security_owner, vendor.business_owner) if u is not None and u.active]
        for person in {u.id: u for u in owners}.values():
            notifications.notify(
                session, person, kind="evidence_expiring",
                subject=f"{vendor.name}: {document.kind.label} expires {document.expires_on.isoformat()}",
                body=(f"{document.filename} ({document.kind.label}) of {vendor.name} is valid until "
                      f"{document.expires_on.isoformat()}. Request the renewed document from the vendor page."),
                link=VENDOR_PATH.format(vendor_id=vendor.id), email=email,
            )


EXPORT_COLUMNS = ["vendor", "kind", "filename", "issued_on", "expires_on", "state", "scope", "notes", "uploaded_at"]


def evidence_register(session: Session, today: date) -> Table:
    """Every evidence document other than SOC reports, with its validity (services.registers)."""
    query = (select(Vendor.name, EvidenceDocument.kind, EvidenceDocument.filename, EvidenceDocument.issued_on,
                    EvidenceDocument.expires_on, EvidenceDocument.scope, EvidenceDocument.notes,
                    EvidenceDocument.uploaded_at)
             .join(Vendor, Vendor.id == EvidenceDocument.vendor_id)
             .order_by(func.lower(Vendor.name), EvidenceDocument.expires_on, EvidenceDocument.id))
    rows = ([name, EvidenceKind(kind).label, filename, issued, expires, evidence_state(expires, today) or "valid",
             scope, notes, uploaded] for name, kind, filename, issued, expires, scope, notes, uploaded
            in stream(session, query))
    return Table("Evidence documents", EXPORT_COLUMNS, rows)
