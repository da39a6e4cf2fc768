"""In-app notifications (the bell) with their e-mail delivery state, the
sweep's memory of one-off notices, and the per-user calendar feed token."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, intpk, timestamp

if TYPE_CHECKING:
    from models.user import User


class EmailStatus(enum.StrEnum):
    """Delivery by e-mail is recorded first and sent after the commit, so a
    retried transaction can never send a message twice."""

    NOT_SENT = "not_sent"  # no SMTP server configured, or no address
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[timestamp]
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # A path on this site (never a full URL): the e-mail prefixes its base URL.
    link: Mapped[Optional[str]] = mapped_column(String(500))
    read_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    email_status: Mapped[EmailStatus] = enum_column(EmailStatus, default=EmailStatus.NOT_SENT, index=True)
    email_sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    email_error: Mapped[Optional[str]] = mapped_column(Text)

    user: Mapped[User] = relationship()


class NoticeKind(enum.StrEnum):
    """What the daily sweep tells people about, besides reviews."""

    EXCEPTION_DUE = "exception_due"  # subject: the report item; period: its due date
    RENEWAL_NOTICE = "renewal_notice"  # subject: the vendor; period: its renewal-notice date
    CONTRACT_EXPIRED = "contract_expired"  # subject: the vendor; period: its contract end


class NoticeSent(Base):
    """The sweep's memory of the one-off notices it sent: the unique key makes
    a second sweep (or two racing ones) unable to send the same notice again.
    `period` is the ISO date the notice was about, so a date that moves gets
    one notice for the new date. No foreign key: the subject is a report item
    or a vendor depending on the kind."""

    __tablename__ = "notice_sent"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "period", name="uq_notice_sent_kind"),)

    id: Mapped[intpk]
    kind: Mapped[NoticeKind] = enum_column(NoticeKind)
    subject_id: Mapped[int]
    period: Mapped[str] = mapped_column(String(10))
    sent_on: Mapped[date] = mapped_column(Date)


class CalendarFeed(Base):
    """A user's secret calendar URL. Only the token's sha256 is stored: the
    URL is shown once, and a leaked database cannot be used to read feeds."""

    __tablename__ = "calendar_feed"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # "mine": reviews the user owns; "all": every open review they may see.
    scope: Mapped[str] = mapped_column(String(10), default="mine")
    created_at: Mapped[timestamp]
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
