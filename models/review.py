"""Periodic vendor reviews: the record an auditor asks for."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, intpk, timestamp

if TYPE_CHECKING:
    from models.report import Report
    from models.user import User
    from models.vendor import Vendor


class ReviewStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    WAIVED = "waived"


OPEN_REVIEW_STATUSES = (ReviewStatus.SCHEDULED, ReviewStatus.IN_PROGRESS)


class ReviewOutcome(enum.StrEnum):
    """The conclusion of a review; a report sign-off uses the same three."""

    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    REJECTED = "rejected"


class Review(Base):
    __tablename__ = "review"

    id: Mapped[intpk]
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[ReviewStatus] = enum_column(ReviewStatus, default=ReviewStatus.SCHEDULED, index=True)
    outcome: Mapped[Optional[ReviewOutcome]] = enum_column(ReviewOutcome, nullable=True)
    comment: Mapped[Optional[str]] = mapped_column(Text)
    waiver_reason: Mapped[Optional[str]] = mapped_column(Text)
    report_id: Mapped[Optional[int]] = mapped_column(ForeignKey("report.id", ondelete="SET NULL"))
    completed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    completed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    created_at: Mapped[timestamp]

    vendor: Mapped[Vendor] = relationship()
    owner: Mapped[Optional[User]] = relationship(foreign_keys=[owner_id])
    completed_by: Mapped[Optional[User]] = relationship(foreign_keys=[completed_by_id])
    report: Mapped[Optional[Report]] = relationship()
