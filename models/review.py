"""Periodic vendor reviews: the record an auditor asks for, with the policy
that schedules them, the reminders sent about them and the bridge letters
that cover a vendor between two SOC reports."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, intpk, timestamp, utcnow, version_column

if TYPE_CHECKING:
    from models.report import Document, Report
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
    __table_args__ = (
        # At most one open review per vendor, whoever races to create it (the
        # daily sweep and a person completing the previous cycle).
        Index(
            "uq_review_open_per_vendor",
            "vendor_id",
            unique=True,
            sqlite_where=text("status IN ('scheduled', 'in_progress')"),
            postgresql_where=text("status IN ('scheduled', 'in_progress')"),
        ),
        # The open reviews by due date: the register's default order and the
        # dashboard's due and overdue counts, without the closed reviews.
        Index(
            "ix_review_open_due",
            "due_date",
            sqlite_where=text("status IN ('scheduled', 'in_progress')"),
            postgresql_where=text("status IN ('scheduled', 'in_progress')"),
        ),
    )

    id: Mapped[intpk]
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    # Why the due date is what it is, in words ("last review 2025-03-01 + 12 months").
    due_reason: Mapped[Optional[str]] = mapped_column(String(300))
    status: Mapped[ReviewStatus] = enum_column(ReviewStatus, default=ReviewStatus.SCHEDULED, index=True)
    outcome: Mapped[Optional[ReviewOutcome]] = enum_column(ReviewOutcome, nullable=True)
    comment: Mapped[Optional[str]] = mapped_column(Text)  # the rationale of the conclusion
    # The guardrails (services.signoff.Guardrail values) that applied when the
    # review was concluded: why a rationale was required, e.g. "stale_report".
    guardrails: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    waiver_reason: Mapped[Optional[str]] = mapped_column(Text)
    report_id: Mapped[Optional[int]] = mapped_column(ForeignKey("report.id", ondelete="SET NULL"))
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    completed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    completed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime(), index=True)
    # The day the cycle concluded in the team's calendar (SWEEP_TIMEZONE): the
    # next due date counts from it. completed_at is the UTC moment, whose date
    # is another day for up to 14 hours of the team's day (Tokyo before 09:00).
    concluded_on: Mapped[Optional[date]] = mapped_column(Date, index=True)
    created_at: Mapped[timestamp]
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}

    vendor: Mapped[Vendor] = relationship()
    owner: Mapped[Optional[User]] = relationship(foreign_keys=[owner_id])
    completed_by: Mapped[Optional[User]] = relationship(foreign_keys=[completed_by_id])
    report: Mapped[Optional[Report]] = relationship()
    conditions: Mapped[list[ReviewCondition]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewCondition.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REVIEW_STATUSES


class ConditionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


class ReviewCondition(Base):
    """A condition of an "approved with conditions" conclusion: a follow-up
    with an owner and a due date. "Overdue" is never stored (due_date < today
    in the query)."""

    __tablename__ = "review_condition"

    id: Mapped[intpk]
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[ConditionStatus] = enum_column(ConditionStatus, default=ConditionStatus.OPEN, index=True)
    done_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    done_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]

    review: Mapped[Review] = relationship(back_populates="conditions")
    vendor: Mapped[Vendor] = relationship()
    owner: Mapped[Optional[User]] = relationship(foreign_keys=[owner_id])
    done_by: Mapped[Optional[User]] = relationship(foreign_keys=[done_by_id])


class Reopening(Base):
    """A concluded review (or report sign-off) opened again: the earlier
    conclusion as it was, and who reopened it, when and why. Reopening clears
    the live conclusion; this row is what keeps it for the auditor."""

    __tablename__ = "reopening"

    id: Mapped[intpk]
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[Optional[int]] = mapped_column(ForeignKey("review.id", ondelete="SET NULL"), index=True)
    report_id: Mapped[Optional[int]] = mapped_column(ForeignKey("report.id", ondelete="SET NULL"), index=True)
    # The earlier conclusion.
    outcome: Mapped[Optional[ReviewOutcome]] = enum_column(ReviewOutcome, nullable=True)
    rationale: Mapped[Optional[str]] = mapped_column(Text)
    guardrails: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    concluded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    concluded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # The reopening.
    reason: Mapped[str] = mapped_column(Text)
    reopened_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reopened_at: Mapped[timestamp]

    review: Mapped[Optional[Review]] = relationship()
    report: Mapped[Optional[Report]] = relationship()
    concluded_by: Mapped[Optional[User]] = relationship(foreign_keys=[concluded_by_id])
    reopened_by: Mapped[Optional[User]] = relationship(foreign_keys=[reopened_by_id])


class ReviewPolicy(Base):
    """The admin-editable review policy; a single row (id 1). Absent, the
    defaults below apply, so a fresh database needs no setup."""

    __tablename__ = "review_policy"

    id: Mapped[intpk]
    # Months between reviews per tier (defaults: critical and high yearly,
    # medium every 2 years, low every 3 years).
    critical_months: Mapped[int] = mapped_column(Integer, default=12)
    high_months: Mapped[int] = mapped_column(Integer, default=12)
    medium_months: Mapped[int] = mapped_column(Integer, default=24)
    low_months: Mapped[int] = mapped_column(Integer, default=36)
    # Days between a SOC report's period end + 12 months and the next report
    # being issued (6 weeks is typical for a Type 2).
    issuance_lag_days: Mapped[int] = mapped_column(Integer, default=42)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class ReminderKind(enum.StrEnum):
    """What the sweep sent about a review. DUE_* go to the owner a number
    of days before the due date; OVERDUE goes to compliance weekly."""

    DUE_60 = "due_60"
    DUE_30 = "due_30"
    DUE_7 = "due_7"
    DUE_0 = "due_0"
    OVERDUE = "overdue"

    @property
    def days_before(self) -> int | None:
        return int(self.value.removeprefix("due_")) if self.value.startswith("due_") else None


class ReviewReminder(Base):
    """The sweep's memory of what it has sent: the unique key makes a second
    sweep (or two racing ones) unable to send the same reminder again.

    `period` is the due date the reminder was about (ISO date) for DUE_*
    kinds, so a review whose due date moves gets reminders for the new date;
    for OVERDUE it is the ISO week ("2026-W48"), one escalation per week.
    """

    __tablename__ = "review_reminder"
    __table_args__ = (UniqueConstraint("review_id", "kind", "period", name="uq_review_reminder_review_id"),)

    id: Mapped[intpk]
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReminderKind] = enum_column(ReminderKind)
    period: Mapped[str] = mapped_column(String(10))
    sent_on: Mapped[date] = mapped_column(Date)
    recipients: Mapped[int] = mapped_column(Integer, default=0)

    review: Mapped[Review] = relationship()


class SweepRun(Base):
    """One run of the daily sweep, for the dashboard's "last sweep" line and
    so the scheduler's catch-up on start does not run a day twice."""

    __tablename__ = "sweep_run"

    id: Mapped[intpk]
    day: Mapped[date] = mapped_column(Date, index=True)
    started_at: Mapped[timestamp]
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    reviews_created: Mapped[int] = mapped_column(Integer, default=0)
    reviews_rescheduled: Mapped[int] = mapped_column(Integer, default=0)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    escalations_sent: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[Optional[str]] = mapped_column(Text)


class BridgeLetterStatus(enum.StrEnum):
    REQUESTED = "requested"
    RECEIVED = "received"


class BridgeLetter(Base):
    """A vendor's letter (gap or bridge letter) asserting that nothing
    material changed between its SOC report's period end and
    `covered_through`. Tracked from request to receipt."""

    __tablename__ = "bridge_letter"

    id: Mapped[intpk]
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), index=True)
    status: Mapped[BridgeLetterStatus] = enum_column(BridgeLetterStatus, default=BridgeLetterStatus.REQUESTED)
    requested_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[Optional[date]] = mapped_column(Date)
    covered_through: Mapped[Optional[date]] = mapped_column(Date)
    # The report whose period it extends (the current one when requested).
    report_id: Mapped[Optional[int]] = mapped_column(ForeignKey("report.id", ondelete="SET NULL"))
    document_id: Mapped[Optional[int]] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    notes: Mapped[Optional[str]] = mapped_column(Text)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]

    vendor: Mapped[Vendor] = relationship()
    report: Mapped[Optional[Report]] = relationship()
    document: Mapped[Optional[Document]] = relationship()
    created_by: Mapped[Optional[User]] = relationship()
