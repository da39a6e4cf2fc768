"""The vendor review packet: everything a compliance owner hands an auditor
about one vendor, gathered once for the print view and the PDF alike."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import (
    BridgeLetter,
    EvidenceDocument,
    EvidenceRequest,
    ItemKind,
    Reopening,
    Report,
    ReportItem,
    Review,
    ReviewCondition,
    ReviewStatus,
    User,
    Vendor,
    VendorSubservice,
)
from models.base import utcnow
from vendorrisk.services import coverage, evidence, reports, signoff, subservices, vendors


@dataclass
class Packet:
    vendor: Vendor
    generated_at: datetime
    generated_by: User | None
    checklist: list  # vendors.ChecklistEntry
    subservices: list[VendorSubservice]
    reviews: list[Review]  # newest due date first
    report: Report | None  # the current report: usable, latest period end
    coverage: coverage.Coverage
    reports: list[Report] = field(default_factory=list)  # every report, newest first
    bridge_letters: list[BridgeLetter] = field(default_factory=list)  # newest first
    exceptions: list[ReportItem] = field(default_factory=list)  # of the current report, in report order
    cuecs: list[ReportItem] = field(default_factory=list)
    conditions: list[ReviewCondition] = field(default_factory=list)  # of every review, open first
    reopenings: list[Reopening] = field(default_factory=list)  # newest first
    evidence_documents: list[tuple[EvidenceDocument, coverage.EvidenceState | None]] = field(default_factory=list)
    evidence_requests: list[EvidenceRequest] = field(default_factory=list)  # open ones, newest first

    @property
    def open_review(self) -> Review | None:
        return next((r for r in self.reviews if r.status in (ReviewStatus.SCHEDULED, ReviewStatus.IN_PROGRESS)), None)

    @property
    def last_sign_off(self) -> Review | None:
        """The latest concluded review: its outcome, who signed and when."""
        done = [r for r in self.reviews if r.status == ReviewStatus.COMPLETED and r.completed_at]
        return max(done, key=lambda r: r.completed_at, default=None)


def build_packet(session: Session, vendor_id: int, *, generated_by: User | None, today: date) -> Packet:
    vendor = vendors.get_vendor(session, vendor_id)
    reviews = list(session.scalars(
        select(Review).where(Review.vendor_id == vendor.id)
        .options(joinedload(Review.owner), joinedload(Review.completed_by), joinedload(Review.report))
        .order_by(Review.due_date.desc(), Review.id.desc())
    ))
    all_reports = list(session.scalars(
        select(Report).where(Report.vendor_id == vendor.id).options(joinedload(Report.document))
        .order_by(Report.queued_at.desc(), Report.id.desc())
    ))
    bridge_letters = list(session.scalars(
        select(BridgeLetter).where(BridgeLetter.vendor_id == vendor.id)
        .order_by(BridgeLetter.requested_on.desc(), BridgeLetter.id.desc())
    ))
    now = utcnow()
    assurance = coverage.vendor_coverage(session, vendor.id, today)
    exceptions, cuecs = [], []
    if assurance.report is not None:
        exceptions, cuecs = (
            list(session.scalars(reports.items_query(assurance.report, kind).where(ReportItem.found.is_(True))))
            for kind in (ItemKind.EXCEPTION, ItemKind.CUEC)
        )
    return Packet(
        vendor=vendor,
        generated_at=now,
        generated_by=generated_by,
        checklist=vendors.checklist(session, vendor),
        subservices=subservices.vendor_links(session, vendor.id),
        reviews=reviews,
        report=assurance.report,
        coverage=assurance,
        reports=all_reports,
        bridge_letters=bridge_letters,
        exceptions=exceptions,
        cuecs=cuecs,
        conditions=list(session.scalars(signoff.conditions_query(vendor_id=vendor.id))),
        reopenings=signoff.reopenings(session, vendor.id),
        evidence_documents=evidence.vendor_documents(session, vendor.id, today),
        evidence_requests=list(session.scalars(evidence.requests_query(vendor.id, open_only=True)).unique()),
    )
