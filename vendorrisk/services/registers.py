"""The registers auditors ask for, as tables for services/exports.py, and the
queries behind the API's lists of them."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from models import Document, ItemKind, Report, ReportItem, Review, ReviewStatus, TriageStatus, User, Vendor
from vendorrisk.services import evidence, reports, reviews, vendor_csv, vendors
from vendorrisk.services import exports
from vendorrisk.services.exports import Table


@dataclass(frozen=True)
class Register:
    name: str  # the URL word: /exports/<name>.csv
    title: str
    description: str
    build: Callable[[Session, date], Table]  # (session, today)


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


def vendor_inventory(session: Session, today: date) -> Table:
    """Every vendor in the CSV import's columns (the CSV export is this table)."""
    return Table("Vendors", vendor_csv.COLUMNS, vendor_csv.export_rows(session, vendors.vendor_query()))


def review_register(session: Session, today: date) -> Table:
    """Every review of every vendor: the review register's own columns and rows."""
    register = reviews.register_query(reviews.RegisterFilters(status="all"), today)
    return Table("Reviews", reviews.EXPORT_COLUMNS, reviews.export_rows(session, register))


# Exceptions still waiting for a decision or a follow-up; accepted, risk-accepted
# and not-applicable ones are closed.
OPEN_EXCEPTION_STATUSES = (TriageStatus.NEW, TriageStatus.IN_REVIEW, TriageStatus.FOLLOW_UP_REQUIRED)


def _current_items(kind: ItemKind, *columns) -> Select:
    """The columns asked for, of the live items (found, not dismissed) of each
    vendor's current report, in vendor then report order. Columns only: a
    register never loads a report's extraction document or an item's original."""
    return (
        select(*columns)
        .select_from(ReportItem)
        .join(Report, Report.id == ReportItem.report_id)
        .join(Vendor, Vendor.id == Report.vendor_id)
        .join(Document, Document.id == Report.document_id)
        .where(ReportItem.kind == kind, ReportItem.not_an_item.is_(False), ReportItem.found.is_(True),
               Report.id.in_(reports.latest_report_ids()))
        .order_by(func.lower(Vendor.name), ReportItem.position, ReportItem.id)
    )


EXCEPTION_COLUMNS = [
    "vendor", "report", "period_end", "control_id", "description", "management_response", "triage_status",
    "severity", "assignee", "follow_up_due", "page",
]


def open_exceptions(session: Session, today: date) -> Table:
    """Every open exception of every vendor's current report."""
    assignee = aliased(User)
    query = _current_items(
        ItemKind.EXCEPTION, Vendor.name, Document.filename, Report.period_end, ReportItem.control_id, ReportItem.text,
        ReportItem.management_response, func.coalesce(ReportItem.triage_status, TriageStatus.NEW), ReportItem.severity,
        assignee.email, ReportItem.due_date, ReportItem.page,
    ).outerjoin(assignee, assignee.id == ReportItem.assignee_id).where(
        ReportItem.triage_status.in_(OPEN_EXCEPTION_STATUSES) | ReportItem.triage_status.is_(None)
    )
    return Table("Open exceptions", EXCEPTION_COLUMNS, exports.stream(session, query))


CUEC_COLUMNS = ["vendor", "report", "cuec", "criteria", "owner", "internal_control", "status", "evidence", "page"]


def cuec_register(session: Session, today: date) -> Table:
    """Every CUEC of every vendor's current report and how we cover it."""
    owner = aliased(User)
    query = _current_items(
        ItemKind.CUEC, Vendor.name, Document.filename, ReportItem.text,
        cast(ReportItem.criteria, Text).label("criteria"), owner.email,
        ReportItem.control_reference, ReportItem.cuec_status, ReportItem.evidence, ReportItem.page,
    ).outerjoin(owner, owner.id == ReportItem.owner_id)
    rows = ([*row[:3], _criteria_cell(row.criteria), *row[4:]] for row in exports.stream(session, query))
    return Table("CUEC register", CUEC_COLUMNS, rows)


@functools.lru_cache(maxsize=4096)
def _criteria_cell(criteria_json: str | None) -> str | None:
    """["CC6.1", "CC6.2"] -> "CC6.1;CC6.2". The column is read as its JSON
    text and decoded once per distinct list: a register repeats a few hundred
    lists over 40,000 rows, and decoding each row's was a fifth of the export."""
    if not criteria_json:
        return None
    return ";".join(json.loads(criteria_json) or []) or None


REGISTERS: dict[str, Register] = {
    register.name: register
    for register in (
        Register("vendors", "Vendor inventory", "Every vendor with its tier, status, owners and contract.",
                 vendor_inventory),
        Register("exceptions", "Open exceptions",
                 "Exceptions of each vendor's current SOC report still new, in review or awaiting follow-up, "
                 "with their triage.", open_exceptions),
        Register("cuecs", "CUEC register",
                 "Complementary user entity controls of each vendor's current report: owner, internal control, "
                 "status and evidence.", cuec_register),
        Register("reviews", "Review register", "Every vendor review: due date, status, owner, outcome and sign-off.",
                 review_register),
        Register("evidence", "Evidence documents",
                 "ISO certificates, penetration tests, DPAs and insurance certificates with their validity.",
                 evidence.evidence_register),
    )
}


def export_filename(register: Register, fmt: str, today: date) -> str:
    return f"{register.name}-{today.isoformat()}.{fmt}"
