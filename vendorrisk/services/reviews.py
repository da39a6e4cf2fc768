"""Vendor reviews: completing the current cycle and scheduling the next."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import OPEN_REVIEW_STATUSES, Report, Review, ReviewOutcome, ReviewStatus, Tier, User, Vendor
from models.base import utcnow
from vendorrisk.services import audit

# Months between reviews by tier (defaults; critical and high yearly).
DEFAULT_CADENCE_MONTHS = {Tier.CRITICAL: 12, Tier.HIGH: 12, Tier.MEDIUM: 24, Tier.LOW: 36}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (Jan 31 + 1 -> Feb 28/29)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def open_review(session: Session, vendor: Vendor) -> Review | None:
    return session.scalar(
        select(Review).where(Review.vendor_id == vendor.id, Review.status.in_(OPEN_REVIEW_STATUSES))
        .order_by(Review.due_date)
    )


def complete_open_review(
    session: Session,
    vendor: Vendor,
    *,
    outcome: ReviewOutcome,
    comment: str | None,
    actor: User,
    report: Report | None = None,
) -> Review:
    """Conclude the vendor's current review cycle (a report sign-off does this)
    and schedule the next one. Creates the review if none was open."""
    today = utcnow().date()
    review = open_review(session, vendor)
    if review is None:
        review = Review(vendor=vendor, due_date=today, owner_id=actor.id)
        session.add(review)
    review.status = ReviewStatus.COMPLETED
    review.outcome = outcome
    review.comment = (comment or "").strip() or None
    review.report = report
    review.completed_by_id = actor.id
    review.completed_at = utcnow()
    session.flush()
    following = Review(
        vendor=vendor,
        owner_id=review.owner_id,
        due_date=add_months(today, DEFAULT_CADENCE_MONTHS[vendor.tier]),
    )
    session.add(following)
    audit.record(
        session, actor, "review_completed", f"Review of {vendor.name} completed: {outcome.value}",
        entity_type="review", entity_id=review.id, vendor_id=vendor.id,
        changes={"status": (None, ReviewStatus.COMPLETED), "outcome": (None, outcome)},
    )
    return review
