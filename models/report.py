"""Uploaded documents and the SOC reports extracted from them."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, intpk, timestamp

if TYPE_CHECKING:
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


class Report(Base):
    """One SOC report: the extraction job's state and the report's metadata.

    The metadata columns copy the extraction's `report` object so that
    schedules and coverage can be queried; `extraction` keeps the whole
    document as the extractor produced it (extraction.schema.json).
    """

    __tablename__ = "report"

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
    extraction: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)

    document: Mapped[Document] = relationship(back_populates="report")
    vendor: Mapped[Vendor] = relationship()
