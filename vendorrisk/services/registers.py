"""The registers auditors ask for, as tables for services/exports.py, and the
queries behind the API's lists of them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from models import Review, ReviewStatus, Vendor
from models.base import utcnow
from vendorrisk.services import reviews, vendor_csv, vendors
from vendorrisk.services.exports import Table


@dataclass(frozen=True)
class Register:
    name: str  # the URL word: /exports/<name>.csv
    title: str
    description: str
    build: Callable[[Session], Table]


def review_query(
    *, statuses: list[ReviewStatus] | None = None, due_before: date | None = None, vendor_id: int | None = None
) -> Select[tuple[Review]]:
    """Reviews by due date (then vendor); the caller paginates."""
    query = (
        select(Review)
        .join(Review.vendor)
        .options(joinedload(Review.vendor), joinedload(Review.owner), joinedload(Review.completed_by))
        .order_by(Review.due_date, func.lower(Vendor.name), Review.id)
    )
    if statuses:
        query = query.where(Review.status.in_(statuses))
    if due_before is not None:
        query = query.where(Review.due_date < due_before)
    if vendor_id is not None:
        query = query.where(Review.vendor_id == vendor_id)
    return query


def vendor_inventory(session: Session) -> Table:
    """Every vendor in the CSV import's columns (the CSV export is this table)."""
    query = vendors.vendor_query()
    return Table("Vendors", vendor_csv.COLUMNS, [vendor_csv.export_record(v) for v in session.scalars(query)])


def review_register(session: Session) -> Table:
    """Every review of every vendor: the review register's own columns and rows."""
    query = reviews.register_query(reviews.RegisterFilters(status="all"), utcnow().date())
    return Table("Reviews", reviews.EXPORT_COLUMNS, [reviews.export_record(r) for r in session.scalars(query)])


REGISTERS: dict[str, Register] = {
    register.name: register
    for register in (
        Register("vendors", "Vendor inventory", "Every vendor with its tier, status, owners and contract.",
                 vendor_inventory),
        Register("reviews", "Review register", "Every vendor review: due date, status, owner, outcome and sign-off.",
                 review_register),
    )
}


def export_filename(register: Register, fmt: str, today: date) -> str:
    return f"{register.name}-{today.isoformat()}.{fmt}"
