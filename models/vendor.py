"""The vendor inventory: one aggregate per vendor with its data categories,
intake answers and onboarding checklist."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_column, intpk, timestamp, utcnow, version_column

if TYPE_CHECKING:
    from models.subservice import VendorSubservice
    from models.user import User


class Tier(enum.StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most critical tier; sorts tiers by risk rather than by name."""
        return list(Tier).index(self)


class LifecycleStatus(enum.StrEnum):
    PROSPECT = "prospect"
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    OFFBOARDING = "offboarding"
    TERMINATED = "terminated"


class DataCategory(enum.StrEnum):
    CUSTOMER_PII = "customer_pii"
    EMPLOYEE_PII = "employee_pii"
    PHI = "phi"
    PAYMENT_CARD = "payment_card"
    FINANCIAL = "financial"
    CONFIDENTIAL_BUSINESS = "confidential_business"
    CREDENTIALS_SECRETS = "credentials_secrets"
    NONE = "none"

    @property
    def label(self) -> str:
        return DATA_CATEGORY_LABELS[self]


DATA_CATEGORY_LABELS = {
    DataCategory.CUSTOMER_PII: "Customer PII",
    DataCategory.EMPLOYEE_PII: "Employee PII",
    DataCategory.PHI: "PHI",
    DataCategory.PAYMENT_CARD: "Payment card",
    DataCategory.FINANCIAL: "Financial",
    DataCategory.CONFIDENTIAL_BUSINESS: "Confidential business",
    DataCategory.CREDENTIALS_SECRETS: "Credentials / secrets",
    DataCategory.NONE: "None",
}


class DataVolume(enum.StrEnum):
    """How many records of the data the vendor holds (intake question)."""

    NONE = "none"
    LOW = "low"  # fewer than 1,000 records
    MEDIUM = "medium"  # 1,000 to 100,000
    HIGH = "high"  # more than 100,000


class BusinessCriticality(enum.StrEnum):
    LOW = "low"  # an outage is an inconvenience
    MEDIUM = "medium"  # an outage slows a business process
    HIGH = "high"  # an outage stops a customer-facing or revenue process


class Substitutability(enum.StrEnum):
    EASY = "easy"  # another vendor within weeks
    MODERATE = "moderate"  # months of migration
    DIFFICULT = "difficult"  # no practical alternative


class ChecklistItemKind(enum.StrEnum):
    SOC_REPORT = "soc_report"
    SECURITY_REVIEW = "security_review"
    CONTRACT_DPA = "contract_dpa"
    OWNER_ASSIGNED = "owner_assigned"


class ChecklistItemState(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    WAIVED = "waived"


class Vendor(Base):
    __tablename__ = "vendor"
    __table_args__ = (
        # Names are unique whatever their case ("Acme" and "ACME" are one vendor).
        Index("uq_vendor_name_lower", func.lower("name"), unique=True),
        # Status and tier (and the id) without the rows: the dashboard's counts
        # and the in-scope vendors of every coverage count read only this index.
        Index("ix_vendor_status_tier", "status", "tier", "id"),
    )

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    legal_name: Mapped[Optional[str]] = mapped_column(String(200))
    # Other names the vendor's SOC reports go by (a confirmed report's service
    # organization is added), so next year's report is not flagged again.
    # Only a server default: an insert through the table (a restore of an older
    # schema's rows, tests/test_backup.py) must not name a column it lacks.
    aliases: Mapped[list[str]] = mapped_column(JSON, server_default="[]")
    website: Mapped[Optional[str]] = mapped_column(String(500))
    services: Mapped[Optional[str]] = mapped_column(Text)
    business_owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"), index=True)
    security_owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"), index=True)
    contact_name: Mapped[Optional[str]] = mapped_column(String(200))
    contact_email: Mapped[Optional[str]] = mapped_column(String(254))
    contact_phone: Mapped[Optional[str]] = mapped_column(String(50))
    tier: Mapped[Tier] = enum_column(Tier, index=True)
    has_production_access: Mapped[bool] = mapped_column(Boolean, default=False)
    contract_start: Mapped[Optional[date]] = mapped_column(Date)
    contract_end: Mapped[Optional[date]] = mapped_column(Date)
    renewal_notice_date: Mapped[Optional[date]] = mapped_column(Date)
    notes: Mapped[Optional[str]] = mapped_column(Text)
    status: Mapped[LifecycleStatus] = enum_column(LifecycleStatus, default=LifecycleStatus.PROSPECT)

    # Inherent-risk intake, answered during onboarding; None until answered.
    intake_data_volume: Mapped[Optional[DataVolume]] = enum_column(DataVolume, nullable=True)
    intake_criticality: Mapped[Optional[BusinessCriticality]] = enum_column(BusinessCriticality, nullable=True)
    intake_substitutability: Mapped[Optional[Substitutability]] = enum_column(Substitutability, nullable=True)
    suggested_tier: Mapped[Optional[Tier]] = enum_column(Tier, nullable=True)
    # Required whenever tier differs from suggested_tier.
    tier_override_reason: Mapped[Optional[str]] = mapped_column(Text)

    # Review schedule overrides: months between reviews instead of
    # the tier's, and/or a fixed next due date; the reason is for the auditor.
    review_cadence_months: Mapped[Optional[int]]
    review_due_override: Mapped[Optional[date]] = mapped_column(Date)
    review_override_reason: Mapped[Optional[str]] = mapped_column(Text)

    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version}

    business_owner: Mapped[Optional[User]] = relationship(foreign_keys=[business_owner_id])
    security_owner: Mapped[Optional[User]] = relationship(foreign_keys=[security_owner_id])
    data_categories: Mapped[list[VendorDataCategory]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan", order_by="VendorDataCategory.category"
    )
    checklist_items: Mapped[list[OnboardingChecklistItem]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan", order_by="OnboardingChecklistItem.kind"
    )
    subservice_links: Mapped[list[VendorSubservice]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan"
    )

    @property
    def data_handled(self) -> set[DataCategory]:
        return {row.category for row in self.data_categories}

    def __repr__(self) -> str:
        return f"<Vendor {self.name!r} {self.tier} {self.status}>"


class VendorDataCategory(Base):
    """One kind of data a vendor handles; a table rather than a JSON list so
    that 'vendors handling PHI' is an indexed query on every database."""

    __tablename__ = "vendor_data_category"

    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[DataCategory] = enum_column(DataCategory, primary_key=True)

    vendor: Mapped[Vendor] = relationship(back_populates="data_categories")


class OnboardingChecklistItem(Base):
    __tablename__ = "onboarding_checklist_item"

    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[ChecklistItemKind] = enum_column(ChecklistItemKind, primary_key=True)
    state: Mapped[ChecklistItemState] = enum_column(ChecklistItemState, default=ChecklistItemState.OPEN)
    waiver_reason: Mapped[Optional[str]] = mapped_column(Text)
    completed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    completed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    vendor: Mapped[Vendor] = relationship(back_populates="checklist_items")
    completed_by: Mapped[Optional[User]] = relationship()


# Substring search (services.vendors.vendor_query) on PostgreSQL: trigram indexes
# of exactly the expressions it searches. SQLite has no such index; it scans.
Index("ix_vendor_name_trgm", func.lower(Vendor.name).label("name_lower"),
      postgresql_using="gin", postgresql_ops={"name_lower": "gin_trgm_ops"}).ddl_if(dialect="postgresql")
Index("ix_vendor_legal_name_trgm", func.lower(func.coalesce(Vendor.legal_name, "")).label("legal_name_lower"),
      postgresql_using="gin", postgresql_ops={"legal_name_lower": "gin_trgm_ops"}).ddl_if(dialect="postgresql")
Index("ix_vendor_services_trgm", func.lower(func.coalesce(Vendor.services, "")).label("services_lower"),
      postgresql_using="gin", postgresql_ops={"services_lower": "gin_trgm_ops"}).ddl_if(dialect="postgresql")
