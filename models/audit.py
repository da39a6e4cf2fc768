"""The audit log: who changed what, and when."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, intpk, timestamp
from models.user import User


class AuditEvent(Base):
    """One change. `changes` maps a field name to [old, new] (both JSON-able).

    vendor_id is set for anything that belongs to a vendor (its fields, its
    reports, its reviews) so a vendor's page can show its whole history.
    No foreign key on vendor_id: the history must outlive a deleted row.
    """

    __tablename__ = "audit_event"

    id: Mapped[intpk]
    at: Mapped[timestamp] = mapped_column(index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    vendor_id: Mapped[Optional[int]] = mapped_column(index=True)
    entity_type: Mapped[str] = mapped_column(String(50), index=True)
    entity_id: Mapped[Optional[int]]
    action: Mapped[str] = mapped_column(String(50), index=True)
    summary: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Optional[User]] = relationship()
