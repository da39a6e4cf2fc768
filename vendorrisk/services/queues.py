"""Each role's work queue, for its home page: query helpers returning a
Select the caller paginates, each loading everything its list shows in
the same query or one eager load (the home page runs a fixed number of
queries whatever the page size).

Security: SOC reports awaiting review, exceptions assigned to me.
Procurement: vendors in onboarding, contracts coming up for renewal.
Compliance and admin keep the compliance dashboard (views_reviews).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from models import (
    ItemKind,
    JobStatus,
    LifecycleStatus,
    Report,
    ReportItem,
    TriageStatus,
    User,
    Vendor,
)
from vendorrisk.services.reports import OPEN_TRIAGE

# An assigned exception is still the assignee's work while untriaged or
# while its follow-up is outstanding.
ASSIGNED_OPEN_TRIAGE = (*OPEN_TRIAGE, TriageStatus.FOLLOW_UP_REQUIRED)


def _live_items(kind: ItemKind):
    return (ReportItem.report_id == Report.id, ReportItem.kind == kind,
            ReportItem.not_an_item.is_(False), ReportItem.found.is_(True))


def reports_awaiting_review() -> Select:
    """Rows of (report, untriaged exceptions, unassessed CUECs) for every
    report read successfully and not yet signed off, oldest upload first."""
    untriaged = (select(func.count()).where(*_live_items(ItemKind.EXCEPTION), ReportItem.triage_status.in_(OPEN_TRIAGE))
                 .correlate(Report).scalar_subquery())
    unassessed = (select(func.count()).where(*_live_items(ItemKind.CUEC), ReportItem.cuec_status.is_(None))
                  .correlate(Report).scalar_subquery())
    return (
        select(Report, untriaged.label("untriaged"), unassessed.label("unassessed"))
        .join(Report.vendor).options(contains_eager(Report.vendor), joinedload(Report.document))
        .where(Report.job_status == JobStatus.DONE, Report.extraction_status == "ok", Report.signoff_outcome.is_(None))
        .order_by(Report.queued_at, Report.id)
    )


def exceptions_assigned_to(user: User) -> Select[tuple[ReportItem]]:
    """The user's open exceptions: overdue first, then by due date, those
    without a due date last."""
    return (
        select(ReportItem)
        .join(ReportItem.report).join(Report.vendor)
        .options(contains_eager(ReportItem.report).contains_eager(Report.vendor))
        .where(ReportItem.assignee_id == user.id, ReportItem.kind == ItemKind.EXCEPTION,
               ReportItem.not_an_item.is_(False), ReportItem.found.is_(True),
               ReportItem.triage_status.in_(ASSIGNED_OPEN_TRIAGE))
        .order_by(ReportItem.due_date.is_(None), ReportItem.due_date, Vendor.name, ReportItem.id)
    )


def onboarding_vendors() -> Select[tuple[Vendor]]:
    """Vendors in onboarding, by name, with what vendors.checklist_progress reads."""
    return (select(Vendor).where(Vendor.status == LifecycleStatus.ONBOARDING)
            .options(selectinload(Vendor.checklist_items), joinedload(Vendor.business_owner))
            .order_by(func.lower(Vendor.name), Vendor.id))


def renewals(today: date, window_days: int) -> Select[tuple[Vendor]]:
    """Active vendors whose contract has ended (first: they are working
    without one) or whose renewal-notice date or contract end falls within
    `window_days`, soonest first."""
    horizon = today + timedelta(days=window_days)
    expired = Vendor.contract_end < today
    # The first date still ahead of us: the notice date until it has passed, then the end.
    next_date = case((Vendor.renewal_notice_date >= today, Vendor.renewal_notice_date), else_=Vendor.contract_end)
    return (
        select(Vendor).options(joinedload(Vendor.business_owner))
        .where(Vendor.status == LifecycleStatus.ACTIVE,
               or_(expired, Vendor.renewal_notice_date.between(today, horizon), Vendor.contract_end.between(today, horizon)))
        .order_by(case((expired, 0), else_=1), next_date, func.lower(Vendor.name), Vendor.id)
    )

