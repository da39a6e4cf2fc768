"""Subservice organizations (fourth parties): one record per organization,
however reports spell it, linked to every vendor that relies on it."""
from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, enum_column, intpk, timestamp

if TYPE_CHECKING:
    from models.vendor import Vendor


class SubserviceMethod(enum.StrEnum):
    """How the vendor's SOC report treats the organization (AICPA DC 200)."""

    CARVE_OUT = "carve-out"
    INCLUSIVE = "inclusive"


class SubserviceOrganization(Base):
    __tablename__ = "subservice_organization"
    __table_args__ = (Index("uq_subservice_organization_name_lower", func.lower("name"), unique=True),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    website: Mapped[Optional[str]] = mapped_column(String(500))
    notes: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[timestamp]

    aliases: Mapped[list[SubserviceAlias]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="SubserviceAlias.alias"
    )
    vendor_links: Mapped[list[VendorSubservice]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )
    inventory_link: Mapped[Optional[SubserviceInventoryLink]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", uselist=False
    )

    def __repr__(self) -> str:
        return f"<SubserviceOrganization {self.name!r}>"


class SubserviceAlias(Base):
    """Another spelling of an organization's name ("AWS", "Amazon Web Services, Inc.").

    `key` is the normalised form (see services.subservice.name_key) and is
    unique, so one spelling can never point at two organizations.
    """

    __tablename__ = "subservice_alias"

    id: Mapped[intpk]
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("subservice_organization.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), unique=True)

    organization: Mapped[SubserviceOrganization] = relationship(back_populates="aliases")


class VendorSubservice(Base):
    """A vendor relies on a subservice organization, by the given method."""

    __tablename__ = "vendor_subservice"

    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("subservice_organization.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    method: Mapped[Optional[SubserviceMethod]] = enum_column(SubserviceMethod, nullable=True)
    services: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[timestamp]

    vendor: Mapped[Vendor] = relationship(back_populates="subservice_links")
    organization: Mapped[SubserviceOrganization] = relationship(back_populates="vendor_links")


class SubserviceInventoryLink(Base):
    """The organization is also a vendor in the inventory: that vendor's own
    SOC reports then count for the coverage of the services carved out of
    the reports of vendors that rely on it.

    A table of its own rather than a column on subservice_organization: on
    SQLite adding a foreign-key column means copying the table, and dropping
    the original would cascade-delete its aliases and vendor links.
    """

    __tablename__ = "subservice_inventory_link"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("subservice_organization.id", ondelete="CASCADE"), primary_key=True
    )
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[timestamp]

    organization: Mapped[SubserviceOrganization] = relationship(back_populates="inventory_link")
    vendor: Mapped[Vendor] = relationship()
