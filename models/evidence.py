"""Evidence requests sent to a vendor's contact, the links they answer
through, and the evidence documents (ISO certificates, DPAs, ...) kept per
vendor with their validity."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, intpk, timestamp

if TYPE_CHECKING:
    from models.report import Document
    from models.user import User
    from models.vendor import Vendor


class EvidenceKind(enum.StrEnum):
    """What a vendor can be asked for. SOC reports and bridge letters become
    Documents (a SOC report is extracted); the others are EvidenceDocuments."""

    SOC_REPORT = "soc_report"
    BRIDGE_LETTER = "bridge_letter"
    ISO27001 = "iso27001"
    PENTEST = "pentest"
    DPA = "dpa"
    INSURANCE = "insurance"
    OTHER = "other"

    @property
    def label(self) -> str:
        return EVIDENCE_LABELS[self]


EVIDENCE_LABELS = {
    EvidenceKind.SOC_REPORT: "SOC report",
    EvidenceKind.BRIDGE_LETTER: "Bridge letter",
    EvidenceKind.ISO27001: "ISO/IEC 27001 certificate",
    EvidenceKind.PENTEST: "Penetration-test summary",
    EvidenceKind.DPA: "Data processing agreement",
    EvidenceKind.INSURANCE: "Insurance certificate",
    EvidenceKind.OTHER: "Other document",
}


class EvidenceRequestStatus(enum.StrEnum):
    OPEN = "open"  # waiting for the vendor
    ANSWERED = "answered"  # the vendor uploaded something; the link keeps working until it expires
    LAPSED = "lapsed"  # past due and every reminder sent, nothing came
    CANCELLED = "cancelled"  # withdrawn by a user; its links are revoked


OPEN_EVIDENCE_STATUSES = (EvidenceRequestStatus.OPEN, EvidenceRequestStatus.ANSWERED)


class EvidenceRequest(Base):
    __tablename__ = "evidence_request"
    # The sweep opens at most one request per vendor and reason ("soc:2026-12-31"):
    # the key makes a second run, or two racing runs, unable to open another.
    __table_args__ = (UniqueConstraint("vendor_id", "sweep_key", name="uq_evidence_request_vendor_sweep_key"),)

    id: Mapped[intpk]
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), index=True)
    # None: opened by the daily sweep; the vendor's owners hear of answers then.
    requested_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    kinds: Mapped[list[str]] = mapped_column(JSON)  # EvidenceKind values, in the order asked
    recipient_name: Mapped[Optional[str]] = mapped_column(String(200))
    recipient_email: Mapped[str] = mapped_column(String(254))
    message: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[EvidenceRequestStatus] = enum_column(EvidenceRequestStatus, default=EvidenceRequestStatus.OPEN,
                                                        index=True)
    sweep_key: Mapped[Optional[str]] = mapped_column(String(60))
    created_at: Mapped[timestamp]
    answered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_on: Mapped[Optional[date]] = mapped_column(Date)
    # Delivery of the latest e-mail to the vendor contact: "sent", "not_sent" (no
    # SMTP server: the requester passes the link on) or the SMTP error.
    email_state: Mapped[Optional[str]] = mapped_column(String(300))

    vendor: Mapped[Vendor] = relationship()
    requested_by: Mapped[Optional[User]] = relationship()
    links: Mapped[list[EvidenceLink]] = relationship(back_populates="request", cascade="all, delete-orphan",
                                                     order_by="EvidenceLink.id")
    submissions: Mapped[list[EvidenceSubmission]] = relationship(back_populates="request",
                                                                 cascade="all, delete-orphan",
                                                                 order_by="EvidenceSubmission.id")

    @property
    def kind_labels(self) -> list[str]:
        return [EvidenceKind(kind).label for kind in self.kinds]


class EvidenceLink(Base):
    """One link e-mailed to the vendor contact. Only the sha256 of its random
    token is stored; every e-mail (the request, each reminder) carries a new
    link, so the token never has to be kept to be sent again."""

    __tablename__ = "evidence_link"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("evidence_request.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[timestamp]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    request: Mapped[EvidenceRequest] = relationship(back_populates="links")


class EvidenceSubmission(Base):
    """One file the vendor sent through a link, with their note."""

    __tablename__ = "evidence_submission"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("evidence_request.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EvidenceKind] = enum_column(EvidenceKind)
    filename: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[timestamp]
    # Exactly one of these: a SOC report or bridge letter is a Document, anything else an EvidenceDocument.
    document_id: Mapped[Optional[int]] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    evidence_document_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("evidence_document.id", ondelete="SET NULL"))

    request: Mapped[EvidenceRequest] = relationship(back_populates="submissions")
    document: Mapped[Optional[Document]] = relationship()
    evidence_document: Mapped[Optional[EvidenceDocument]] = relationship()


class EvidenceDocument(Base):
    """Evidence other than a SOC report (an ISO certificate, a DPA, an
    insurance certificate ...) with the validity a reviewer records."""

    __tablename__ = "evidence_document"
    __table_args__ = (UniqueConstraint("vendor_id", "sha256", name="uq_evidence_document_vendor_sha256"),)

    id: Mapped[intpk]
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EvidenceKind] = enum_column(EvidenceKind)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    issued_on: Mapped[Optional[date]] = mapped_column(Date)
    expires_on: Mapped[Optional[date]] = mapped_column(Date, index=True)
    scope: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[timestamp]
    # The last expiry a reminder was sent for, so the sweep reminds once per validity.
    reminded_for: Mapped[Optional[date]] = mapped_column(Date)

    vendor: Mapped[Vendor] = relationship()
    uploaded_by: Mapped[Optional[User]] = relationship()
