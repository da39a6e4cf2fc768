"""The vendor review packet: everything a compliance owner hands an auditor
about one vendor, gathered once for the print view and the PDF alike."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import JobStatus, Report, Review, ReviewStatus, User, Vendor, VendorSubservice
from models.base import utcnow
from vendorrisk.services import vendors


@dataclass
class Packet:
    vendor: Vendor
    generated_at: datetime
    generated_by: User | None
    checklist: list  # (OnboardingChecklistItem, required) pairs
    subservices: list[VendorSubservice]
    reviews: list[Review]  # newest due date first
    report: Report | None  # the current report: usable, latest period end
    reports: list[Report] = field(default_factory=list)  # every report, newest first

    @property
    def open_review(self) -> Review | None:
        return next((r for r in self.reviews if r.status in (ReviewStatus.SCHEDULED, ReviewStatus.IN_PROGRESS)), None)

    @property
    def last_sign_off(self) -> Review | None:
        """The latest concluded review: its outcome, who signed and when."""
        done = [r for r in self.reviews if r.status == ReviewStatus.COMPLETED and r.completed_at]
        return max(done, key=lambda r: r.completed_at, default=None)


def current_report(reports: list[Report]) -> Report | None:
    """The report that speaks for the vendor now: extracted successfully,
    with the latest period end (a failed or pending upload never replaces it)."""
    usable = [r for r in reports if r.job_status == JobStatus.DONE and r.extraction_status == "ok"]
    return max(usable, key=lambda r: (r.period_end is not None, r.period_end or r.queued_at.date(), r.id),
               default=None)


def build_packet(session: Session, vendor_id: int, *, generated_by: User | None) -> Packet:
    vendor = vendors.get_vendor(session, vendor_id)
    reviews = list(session.scalars(
        select(Review).where(Review.vendor_id == vendor.id)
        .options(joinedload(Review.owner), joinedload(Review.completed_by), joinedload(Review.report))
        .order_by(Review.due_date.desc(), Review.id.desc())
    ))
    reports = list(session.scalars(
        select(Report).where(Report.vendor_id == vendor.id).options(joinedload(Report.document))
        .order_by(Report.queued_at.desc(), Report.id.desc())
    ))
    return Packet(
        vendor=vendor,
        generated_at=utcnow(),
        generated_by=generated_by,
        checklist=vendors.checklist(vendor),
        subservices=sorted(vendor.subservice_links, key=lambda link: link.organization.name.lower()),
        reviews=reviews,
        report=current_report(reports),
        reports=reports,
    )
