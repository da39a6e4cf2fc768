"""Uploaded documents, the SOC reports extracted from them, and the items
(exceptions, CUECs, subservice organizations, CSOCs) reviewers work on."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String, Text, UniqueConstraint, and_, false, func, text
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, intpk, timestamp, utcnow, version_column
from models.review import ReviewOutcome

if TYPE_CHECKING:
    from models.subservice import SubserviceOrganization
    from models.user import User
    from models.vendor import Vendor


class DocumentKind(enum.StrEnum):
    SOC_REPORT = "soc_report"
    BRIDGE_LETTER = "bridge_letter"


class Document(Base):
    """A file a user uploaded for a vendor. The bytes live in the upload store
    under their sha256; the same file uploaded twice for one vendor is one row."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("vendor_id", "sha256", name="uq_document_vendor_sha256"),)

    id: Mapped[intpk]
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = enum_column(DocumentKind)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[timestamp]

    vendor: Mapped[Vendor] = relationship()
    uploaded_by: Mapped[Optional[User]] = relationship()
    report: Mapped[Optional[Report]] = relationship(back_populates="document", uselist=False)


class JobStatus(enum.StrEnum):
    """Where the background extraction of a report stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


# What services.coverage.usable_report() asks, as ix_report_usable's predicate.
USABLE_REPORT = "job_status = 'done' AND extraction_status = 'ok' AND period_end IS NOT NULL"


class Report(Base):
    """One SOC report: the extraction job's state and the report's metadata.

    The metadata columns copy the extraction's `report` object so that
    schedules and coverage can be queried; `extraction` keeps the whole
    document as the extractor produced it (extraction.schema.json).
    """

    __tablename__ = "report"
    __table_args__ = (
        # The usable reports (services.coverage.usable_report) in each vendor's
        # order: every page's "current report" is read from this index alone.
        Index("ix_report_usable", "vendor_id", "period_end", "id",
              sqlite_where=text(USABLE_REPORT), postgresql_where=text(USABLE_REPORT)),
    )

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), unique=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), index=True)

    job_status: Mapped[JobStatus] = enum_column(JobStatus, default=JobStatus.QUEUED, index=True)
    job_error: Mapped[Optional[str]] = mapped_column(Text)
    progress_page: Mapped[int] = mapped_column(default=0)
    progress_pages: Mapped[Optional[int]]
    queued_at: Mapped[timestamp]
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    # From the extraction: ok / needs_ocr / not_a_soc_report / rejected, and why.
    extraction_status: Mapped[Optional[str]] = mapped_column(String(40))
    extraction_error: Mapped[Optional[str]] = mapped_column(Text)
    framework: Mapped[Optional[str]] = mapped_column(String(10))
    report_type: Mapped[Optional[str]] = mapped_column(String(10))
    service_organization: Mapped[Optional[str]] = mapped_column(String(300))
    auditor: Mapped[Optional[str]] = mapped_column(String(300))
    period_start: Mapped[Optional[date]] = mapped_column(Date)
    period_end: Mapped[Optional[date]] = mapped_column(Date, index=True)
    opinion: Mapped[Optional[str]] = mapped_column(String(20))
    opinion_basis: Mapped[Optional[str]] = mapped_column(Text)
    trust_services_criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Deferred: up to megabytes of JSON per report, read whole only by the API
    # (the report page asks for its warnings alone: services.reports.extraction_warnings);
    # every list that shows a report's dates would otherwise fetch and decode it.
    extraction: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON, deferred=True)

    # The service organization (effective value) looked like another company
    # than the vendor when last evaluated; a reviewer's confirmation clears the flag.
    organization_mismatch: Mapped[bool] = mapped_column(default=False, server_default=false())
    organization_confirmed_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    organization_confirmed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    # The background job: its RQ id (None when it runs in the app's thread
    # pool) and the last sign of life, so a killed worker shows as failed.
    job_id: Mapped[Optional[str]] = mapped_column(String(100))
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    runs: Mapped[int] = mapped_column(default=0, server_default="0")

    # The predecessor the stored year-over-year pairing of exceptions was made
    # against (ReportItem.previous_item_id); when it is no longer the
    # vendor's report before this one, the stored pairing is out of date.
    compared_with_id: Mapped[Optional[int]] = mapped_column(ForeignKey("report.id", ondelete="SET NULL"), index=True)

    # The reviewer's conclusion; signing off completes the vendor's review cycle.
    signoff_outcome: Mapped[Optional[ReviewOutcome]] = enum_column(ReviewOutcome, nullable=True)
    signoff_comment: Mapped[Optional[str]] = mapped_column(Text)
    # The guardrails that applied at sign-off (services.signoff.Guardrail values).
    signoff_guardrails: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    signed_off_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    signed_off_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    document: Mapped[Document] = relationship(back_populates="report")
    vendor: Mapped[Vendor] = relationship()
    signed_off_by: Mapped[Optional[User]] = relationship(foreign_keys=[signed_off_by_id])
    organization_confirmed_by: Mapped[Optional[User]] = relationship(foreign_keys=[organization_confirmed_by_id])
    corrections: Mapped[list[ReportCorrection]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportCorrection.field"
    )
    items: Mapped[list[ReportItem]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportItem.position"
    )

    # A running job counts from its last sign of life: the heartbeat, or
    # the claim if it never beat.
    @hybrid_method
    def is_stalled(self, cutoff: datetime) -> bool:
        """Running, but silent since before `cutoff`: its worker is gone."""
        last_sign = self.heartbeat_at or self.started_at or self.queued_at
        return self.job_status == JobStatus.RUNNING and last_sign is not None and last_sign < cutoff

    @is_stalled.expression
    def is_stalled(cls, cutoff: datetime):
        return and_(cls.job_status == JobStatus.RUNNING,
                    func.coalesce(cls.heartbeat_at, cls.started_at, cls.queued_at) < cutoff)

    @property
    def modified_opinion(self) -> bool:
        """Qualified, adverse or a disclaimer: the auditor could not give a clean opinion."""
        return self.opinion in ("qualified", "adverse", "disclaimer")

    @property
    def organization_flagged(self) -> bool:
        """The report looks like another company's and nobody has confirmed it belongs here."""
        return self.organization_mismatch and self.organization_confirmed_at is None

    @property
    def corrected(self) -> dict[str, ReportCorrection]:
        """The reviewer-corrected fields by name."""
        return {correction.field: correction for correction in self.corrections}


class ReportCorrection(Base):
    """A reviewer's correction of one report-level field.

    The report's column holds the corrected (effective) value, so every query
    of the app (coverage, due dates, registers, the packet) uses it unchanged;
    this row keeps what the extractor read (`extracted_value`, in the
    contract's JSON form: ISO dates, lists), which a re-run updates instead of
    the column.
    """

    __tablename__ = "report_correction"
    __table_args__ = (UniqueConstraint("report_id", "field", name="uq_report_correction_report_field"),)

    id: Mapped[intpk]
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    extracted_value: Mapped[Optional[Any]] = mapped_column(JSON)
    corrected_value: Mapped[Optional[Any]] = mapped_column(JSON)
    reason: Mapped[Optional[str]] = mapped_column(Text)
    corrected_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    corrected_at: Mapped[timestamp]

    report: Mapped[Report] = relationship(back_populates="corrections")
    corrected_by: Mapped[Optional[User]] = relationship()


class ItemKind(enum.StrEnum):
    """What an extracted item is; the values name the lists of extraction.schema.json."""

    EXCEPTION = "exception"
    CUEC = "cuec"
    SUBSERVICE = "subservice_organization"
    CSOC = "csoc"

    @property
    def label(self) -> str:
        return {"exception": "Exception", "cuec": "CUEC", "subservice_organization": "Subservice organization",
                "csoc": "CSOC"}[self.value]


class ItemOrigin(enum.StrEnum):
    EXTRACTED = "extracted"
    REVIEWER = "reviewer"  # a reviewer added an item the extractor missed


class TriageStatus(enum.StrEnum):
    """Where the review of one exception stands."""

    NEW = "new"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    FOLLOW_UP_REQUIRED = "follow_up_required"
    RISK_ACCEPTED = "risk_accepted"
    NOT_APPLICABLE = "not_applicable"


class Severity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class CuecStatus(enum.StrEnum):
    """How far our own organization operates a complementary user entity control."""

    IMPLEMENTED = "implemented"
    PARTIALLY_IMPLEMENTED = "partially_implemented"
    NOT_IMPLEMENTED = "not_implemented"
    NOT_APPLICABLE = "not_applicable"


UNOWNED_CUEC = "kind = 'cuec' AND owner_id IS NULL AND not_an_item IS false AND found IS true"


class ReportItem(Base):
    """One exception, CUEC, subservice organization or CSOC of a report.

    One table for the four kinds, because they share everything reviewers do
    to them (page and box, corrections, "not an item", re-run matching, the
    labelled-data export); the kind-specific fields are plain nullable
    columns, so every register is a simple query.

    `original` keeps the extractor's values (contract field names) and the
    columns hold the current, possibly corrected, values. `key` is the
    normalised identity a re-run uses to find this item again, so decisions
    survive re-extraction; `found` turns False when a re-run no longer finds it.
    """

    __tablename__ = "report_item"
    __table_args__ = (
        Index("ix_report_item_report_id_kind", "report_id", "kind"),
        # The CUECs nobody owns yet (services.reports.unowned_cuecs_query, as it
        # words them): the register counts them without reading a row.
        Index("ix_report_item_unowned_cuec", "report_id",
              sqlite_where=text(UNOWNED_CUEC), postgresql_where=text(UNOWNED_CUEC)),
    )

    id: Mapped[intpk]
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    kind: Mapped[ItemKind] = enum_column(ItemKind, index=True)
    origin: Mapped[ItemOrigin] = enum_column(ItemOrigin, default=ItemOrigin.EXTRACTED)
    position: Mapped[int] = mapped_column(default=0)  # order within the report, as extracted
    key: Mapped[str] = mapped_column(String(300), index=True)
    found: Mapped[bool] = mapped_column(default=True)
    not_an_item: Mapped[bool] = mapped_column(default=False)
    original: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)

    page: Mapped[Optional[int]]
    bbox: Mapped[Optional[list[float]]] = mapped_column(JSON)  # [x0, top, x1, bottom], PDF points, top-left origin
    # Exception description, CUEC or CSOC text, or the subservice organization's name.
    text: Mapped[str] = mapped_column(Text)
    criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    control_id: Mapped[Optional[str]] = mapped_column(String(100))
    control: Mapped[Optional[str]] = mapped_column(Text)
    test: Mapped[Optional[str]] = mapped_column(Text)
    management_response: Mapped[Optional[str]] = mapped_column(Text)
    subservice_organization: Mapped[Optional[str]] = mapped_column(String(300))  # a CSOC's organization
    method: Mapped[Optional[str]] = mapped_column(String(20))  # carve-out / inclusive
    services: Mapped[Optional[str]] = mapped_column(Text)
    # The extractor's confidence in the item (0–1, a heuristic); None for items reviewers added.
    confidence: Mapped[Optional[float]]

    # Exceptions: triage.
    triage_status: Mapped[Optional[TriageStatus]] = enum_column(TriageStatus, nullable=True, index=True)
    severity: Mapped[Optional[Severity]] = enum_column(Severity, nullable=True)
    assignee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[Optional[date]] = mapped_column(Date)  # for follow-ups
    notes: Mapped[Optional[str]] = mapped_column(Text)
    # CUECs: who operates the control on our side, and how well.
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    control_reference: Mapped[Optional[str]] = mapped_column(String(100))
    cuec_status: Mapped[Optional[CuecStatus]] = enum_column(CuecStatus, nullable=True)
    evidence: Mapped[Optional[str]] = mapped_column(Text)
    # Subservice organizations: the inventory's fourth-party record, once confirmed.
    organization_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("subservice_organization.id", ondelete="SET NULL"), index=True
    )
    # Exceptions: the predecessor report's exception this one recurs, paired
    # by text similarity once when either report changes, never on a page
    # view (services.reports.refresh_comparisons). Indexed so deleting last
    # year's items does not scan every item for references.
    previous_item_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("report_item.id", ondelete="SET NULL"), index=True
    )

    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}

    report: Mapped[Report] = relationship(back_populates="items")
    assignee: Mapped[Optional[User]] = relationship(foreign_keys=[assignee_id])
    owner: Mapped[Optional[User]] = relationship(foreign_keys=[owner_id])
    organization: Mapped[Optional[SubserviceOrganization]] = relationship()

    @property
    def title(self) -> str:
        if self.kind == ItemKind.EXCEPTION and self.control_id:
            return f"{self.control_id}: {self.text}"
        return self.text
