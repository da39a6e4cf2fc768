"""A file a user asked for (a register or a review packet), made in the
background on the extraction queue and kept for a day for its download."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, intpk, timestamp
from models.report import JobStatus

if TYPE_CHECKING:
    from models.user import User


class ExportJob(Base):
    """One export: what was asked, by whom, how far it got, and the file.

    The file lives outside the web root (services.export_jobs.file_path) and
    is served only to the user who asked or an admin; the daily housekeeping
    deletes the row and the file after EXPORT_LIFETIME.
    """

    __tablename__ = "export_job"

    id: Mapped[intpk]
    # A register's name (services.registers.REGISTERS) or "packet".
    kind: Mapped[str] = mapped_column(String(40))
    fmt: Mapped[str] = mapped_column(String(10))  # csv / xlsx / pdf
    vendor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"))  # a packet's vendor
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    status: Mapped[JobStatus] = enum_column(JobStatus, default=JobStatus.QUEUED)
    rows_done: Mapped[int] = mapped_column(default=0)  # rows written so far: the progress a page shows
    error: Mapped[Optional[str]] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(String(255))  # the name the download gets
    size_bytes: Mapped[Optional[int]] = mapped_column(BigInteger)
    created_at: Mapped[timestamp] = mapped_column(index=True)
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    requested_by: Mapped[User] = relationship()
