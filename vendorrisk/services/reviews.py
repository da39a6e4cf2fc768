"""Vendor reviews: the schedule, the review cycle (schedule, start,
complete or waive) and the queries behind the register and the dashboard.

The due-date rules are pure functions in services.schedule; this module
feeds them a vendor's dates. "Due soon" and "overdue" are never stored:
they are comparisons of due_date with today in the query, so the pages are
right even on a day the sweep did not run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Iterator, Sequence

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased, contains_eager, joinedload

from models import (
    OPEN_REVIEW_STATUSES,
    BridgeLetter,
    LifecycleStatus,
    Report,
    Review,
    ReviewOutcome,
    ReviewPolicy,
    ReviewStatus,
    SweepRun,
    Tier,
    User,
    Vendor,
)
from models.base import utcnow
from vendorrisk.services import audit, concurrency, exports
from vendorrisk.services.coverage import IN_SCOPE_STATUSES, report_label, usable_report
from vendorrisk.services.errors import Conflict, NotFound, ValidationError
from vendorrisk.services.schedule import (  # noqa: F401  (add_months is part of this module's API)
    DEFAULT_CADENCE_MONTHS,
    DueDate,
    Policy,
    add_months,
    cadence_for,
    month_end,
    next_review_due,
    quarter_start,
)

CONCLUDED_STATUSES = (ReviewStatus.COMPLETED, ReviewStatus.WAIVED)
# services.signoff.Guardrail.STALE_REPORT (the guardrails are computed there; this module only reads them).
STALE_REPORT_GUARDRAIL = "stale_report"
MAX_CADENCE_MONTHS = 120
MAX_ISSUANCE_LAG_DAYS = 365
# Vendor-list and register filters: name -> days ahead ("overdue" is special).
DUE_WINDOWS = {"overdue": None, "30": 30, "90": 90, "unscheduled": None}


# --- Policy -------------------------------------------------------------------------

def load_policy(session: Session) -> Policy:
    row = session.get(ReviewPolicy, 1)
    if row is None:
        return Policy()
    return Policy(
        cadence_months={Tier.CRITICAL: row.critical_months, Tier.HIGH: row.high_months,
                        Tier.MEDIUM: row.medium_months, Tier.LOW: row.low_months},
        issuance_lag_days=row.issuance_lag_days,
    )


def update_policy(
    session: Session, *, cadence_months: dict[Tier, int], issuance_lag_days: int, actor: User, today: date
) -> dict:
    """Save the per-tier cadence and the issuance lag, then re-derive every open review's due date."""
    for tier, months in cadence_months.items():
        if not 1 <= months <= MAX_CADENCE_MONTHS:
            raise ValidationError(f"The {tier.value} cadence must be between 1 and {MAX_CADENCE_MONTHS} months.",
                                  field=f"{tier.value}_months")
    if not 0 <= issuance_lag_days <= MAX_ISSUANCE_LAG_DAYS:
        raise ValidationError(f"The issuance lag must be between 0 and {MAX_ISSUANCE_LAG_DAYS} days.",
                              field="issuance_lag_days")
    row = session.get(ReviewPolicy, 1)
    if row is None:
        row = ReviewPolicy(id=1)
        session.add(row)
        defaults = Policy()
        for tier in Tier:
            setattr(row, f"{tier.value}_months", defaults.cadence_months[tier])
        row.issuance_lag_days = defaults.issuance_lag_days
    updates = {f"{tier.value}_months": months for tier, months in cadence_months.items()}
    updates["issuance_lag_days"] = issuance_lag_days
    changes = audit.diff(row, updates)
    if not changes:
        return changes
    for name, value in updates.items():
        setattr(row, name, value)
    row.updated_by_id = actor.id
    audit.record(session, actor, "review_policy", "Review policy changed", entity_type="review_policy", entity_id=1,
                 changes=changes)
    session.flush()
    from vendorrisk.services.sweep import reschedule_open_reviews  # the sweep imports this module

    reschedule_open_reviews(session, today, load_policy(session))
    return changes


# --- The schedule of one vendor -----------------------------------------------------

def open_review(session: Session, vendor: Vendor) -> Review | None:
    return session.scalar(
        select(Review).where(Review.vendor_id == vendor.id, Review.status.in_(OPEN_REVIEW_STATUSES))
        .order_by(Review.due_date)
    )


def last_concluded(session: Session, vendor_id: int) -> date | None:
    """The day the vendor's last review was completed or waived."""
    last = latest_concluded(session, vendor_id)
    return last.concluded_on if last else None


def latest_concluded(session: Session, vendor_id: int) -> Review | None:
    """The vendor's review concluded last (completed or waived)."""
    return session.scalar(
        select(Review).where(Review.vendor_id == vendor_id, Review.status.in_(CONCLUDED_STATUSES),
                             Review.completed_at.is_not(None))
        .order_by(Review.completed_at.desc(), Review.id.desc()).limit(1)
    )


def report_current_at_review(session: Session, vendor_id: int, last: Review | None) -> date | None:
    """Period end of the report that was current when the last review
    concluded: the reviewed report, or the latest usable one on file by then.

    A report that arrives after the review is what the NEXT review is for;
    letting it push the "next report expected" date a year further would
    postpone the review of that very report.
    """
    if last is None or last.completed_at is None:
        return None
    return session.scalar(
        select(func.max(Report.period_end)).where(
            Report.vendor_id == vendor_id, usable_report(),
            or_(Report.queued_at <= last.completed_at, Report.id == last.report_id),
        )
    )


def derive_due(session: Session, vendor: Vendor, today: date, *, policy: Policy | None = None,
               scheduled_due: date | None = None) -> DueDate:
    """The vendor's next due date by the rules, from its data in the database.

    A cycle concluded on a stale report did not look at current evidence, so
    the next review is due at once (the day of that conclusion), not a
    cadence later; only a due-date override set by hand comes first."""
    policy = policy or load_policy(session)
    last = latest_concluded(session, vendor.id)
    if last is not None and STALE_REPORT_GUARDRAIL in (last.guardrails or []) and vendor.review_due_override is None:
        period_end = last.report.period_end.isoformat() if last.report and last.report.period_end else "unknown"
        return DueDate(last.concluded_on, f"the last review concluded on a stale report (period end "
                                          f"{period_end}): a review of a current report is due now")
    return next_review_due(
        today=today,
        override=vendor.review_due_override,
        last_concluded=last.concluded_on if last else None,
        cadence_months=cadence_for(vendor.tier, policy, vendor.review_cadence_months),
        report_period_end=report_current_at_review(session, vendor.id, last),
        issuance_lag_days=policy.issuance_lag_days,
        scheduled_due=scheduled_due,
    )


def default_owner_id(vendor: Vendor, previous: Review | None = None) -> int | None:
    """Who owns a new review: the previous review's owner, else the vendor's
    business owner, else its security owner."""
    if previous is not None and previous.owner_id is not None:
        return previous.owner_id
    return vendor.business_owner_id or vendor.security_owner_id


def ensure_open_review(session: Session, vendor: Vendor, today: date, *, actor: User | None = None,
                       policy: Policy | None = None) -> Review:
    """The vendor's open review, scheduled now (by the rules) if there is none."""
    review = open_review(session, vendor)
    if review is not None:
        return review
    previous = session.scalar(select(Review).where(Review.vendor_id == vendor.id)
                              .order_by(Review.completed_at.desc().nulls_last(), Review.id.desc()).limit(1))
    due = derive_due(session, vendor, today, policy=policy)
    review = Review(vendor_id=vendor.id, owner_id=default_owner_id(vendor, previous), due_date=due.due,
                    due_reason=due.reason[:300], status=ReviewStatus.SCHEDULED)
    session.add(review)
    session.flush()
    audit.record(session, actor, "review_scheduled", f"Review of {vendor.name} scheduled for {due.due.isoformat()}",
                 entity_type="review", entity_id=review.id, vendor_id=vendor.id,
                 changes={"due_date": (None, due.due), "status": (None, ReviewStatus.SCHEDULED)})
    return review


def refresh_schedule(session: Session, vendor: Vendor, today: date, *, policy: Policy | None = None,
                     actor: User | None = None) -> Review | None:
    """Re-derive the open review's due date (after a new report, an override
    or a policy change). Ingestion may call this when a report is accepted;
    the daily sweep does it for everyone anyway."""
    review = open_review(session, vendor)
    if review is None:
        return None
    due = derive_due(session, vendor, today, policy=policy, scheduled_due=review.due_date)
    if due.due != review.due_date or due.reason[:300] != review.due_reason:
        if due.due != review.due_date:
            audit.record(session, actor, "review_rescheduled",
                         f"Review of {vendor.name} now due {due.due.isoformat()} ({due.reason})",
                         entity_type="review", entity_id=review.id, vendor_id=vendor.id,
                         changes={"due_date": (review.due_date, due.due)})
        review.due_date = due.due
        review.due_reason = due.reason[:300]
    return review


def set_vendor_schedule(
    session: Session, vendor: Vendor, *, cadence_months: int | None, due_override: date | None, reason: str | None,
    actor: User, today: date,
) -> dict:
    """Override the vendor's cadence and/or next due date (both optional; a reason is required with either)."""
    reason = (reason or "").strip() or None
    if cadence_months is not None and not 1 <= cadence_months <= MAX_CADENCE_MONTHS:
        raise ValidationError(f"The cadence must be between 1 and {MAX_CADENCE_MONTHS} months.", field="cadence_months")
    if (cadence_months is not None or due_override is not None) and not reason:
        raise ValidationError("Say why this vendor's schedule differs from its tier's; an auditor will ask.", field="reason")
    updates = {"review_cadence_months": cadence_months, "review_due_override": due_override,
               "review_override_reason": reason if (cadence_months or due_override) else None}
    changes = audit.diff(vendor, updates)
    if not changes:
        return changes
    for name, value in updates.items():
        setattr(vendor, name, value)
    audit.record(session, actor, "review_schedule", f"Review schedule of {vendor.name} changed",
                 entity_type="vendor", entity_id=vendor.id, vendor_id=vendor.id, changes=changes)
    session.flush()
    refresh_schedule(session, vendor, today, actor=actor)
    return changes


# --- The review cycle -------------------------------------------------------------------

def get_review(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"There is no review #{review_id}.")
    return review


# What the owner form writes; a form based on an older version of the review
# conflicts only over these (services.concurrency). Completing or waiving
# overwrites nothing of an open review: a concluded one is refused by
# require_open, and two conclusions racing by the review's version.
REVIEW_FIELDS = ("owner_id",)


def require_open(review: Review) -> None:
    """Refuse to change a concluded review, saying who concluded it and how
    (someone may have done it while this user's page was open)."""
    if review.is_open:
        return
    by = f" by {review.completed_by.display_name}" if review.completed_by else ""
    how = f": {review.outcome.value.replace('_', ' ')}" if review.outcome else ""
    why = review.comment or review.waiver_reason
    raise Conflict(f"This review was already {review.status.value.replace('_', ' ')}{by}{how}"
                   + (f" (“{why}”)" if why else "") + "; it cannot change any more.")


def start_review(session: Session, review: Review, *, actor: User) -> None:
    require_open(review)
    if review.status == ReviewStatus.IN_PROGRESS:
        return
    review.status = ReviewStatus.IN_PROGRESS
    review.started_at = utcnow()
    if review.owner_id is None:
        review.owner_id = actor.id
    audit.record(session, actor, "review_started", f"Review of {review.vendor.name} started",
                 entity_type="review", entity_id=review.id, vendor_id=review.vendor_id,
                 changes={"status": (ReviewStatus.SCHEDULED, ReviewStatus.IN_PROGRESS)})


def assign_owner(session: Session, review: Review, owner_id: int | None, *, actor: User,
                 loaded: concurrency.Loaded | None = None) -> None:
    require_open(review)
    concurrency.check(session, review, loaded, {"owner_id": owner_id}, noun="review")
    if owner_id is not None:
        owner = session.get(User, owner_id)
        if owner is None or not owner.active:
            raise ValidationError("Choose an active user as the review's owner.", field="owner_id")
    if review.owner_id == owner_id:
        return
    old = review.owner.display_name if review.owner else None
    review.owner_id = owner_id
    session.flush()
    session.refresh(review, ["owner"])
    audit.record(session, actor, "review_owner", f"Review of {review.vendor.name} assigned",
                 entity_type="review", entity_id=review.id, vendor_id=review.vendor_id,
                 changes={"owner": (old, review.owner.display_name if review.owner else None)})


def _conclude(session: Session, review: Review, status: ReviewStatus, *, actor: User | None, today: date) -> Review:
    """Close the cycle and schedule the next review by the rules."""
    review.status = status
    review.completed_by_id = actor.id if actor else None
    review.completed_at = utcnow()
    review.concluded_on = today  # the team's day, which the next due date counts from
    session.flush()  # the open-review index must see this one closed before the next is added
    vendor = review.vendor
    due = derive_due(session, vendor, today)
    following = Review(vendor_id=vendor.id, owner_id=default_owner_id(vendor, review), due_date=due.due,
                       due_reason=due.reason[:300], status=ReviewStatus.SCHEDULED)
    session.add(following)
    session.flush()
    audit.record(session, actor, "review_scheduled", f"Next review of {vendor.name} due {due.due.isoformat()} ({due.reason})",
                 entity_type="review", entity_id=following.id, vendor_id=vendor.id,
                 changes={"due_date": (None, due.due)})
    return following


def complete_review(
    session: Session, review: Review, *, outcome: ReviewOutcome, comment: str | None, actor: User,
    today: date, report: Report | None = None, guardrails: list[str] = (),
) -> Review:
    """Record the review's conclusion; returns the next (scheduled) review.
    services.signoff.complete_review checks the conclusion against the
    guardrails first: call that."""
    require_open(review)
    comment = (comment or "").strip() or None
    if report is not None and report.vendor_id != review.vendor_id:
        raise ValidationError("That report belongs to another vendor.", field="report_id")
    old_status = review.status
    review.outcome = outcome
    review.comment = comment
    review.guardrails = list(guardrails)
    if report is not None:
        review.report = report
    audit.record(session, actor, "review_completed", f"Review of {review.vendor.name} completed: {outcome.value}",
                 entity_type="review", entity_id=review.id, vendor_id=review.vendor_id,
                 changes={"status": (old_status, ReviewStatus.COMPLETED), "outcome": (None, outcome)})
    return _conclude(session, review, ReviewStatus.COMPLETED, actor=actor, today=today)


def waive_review(session: Session, review: Review, *, reason: str | None, actor: User, today: date) -> Review:
    """Skip this cycle, with a reason for the auditor; returns the next review."""
    require_open(review)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why this review is waived; the auditor will read it.", field="waiver_reason")
    old_status = review.status
    review.waiver_reason = reason
    audit.record(session, actor, "review_waived", f"Review of {review.vendor.name} waived",
                 entity_type="review", entity_id=review.id, vendor_id=review.vendor_id,
                 changes={"status": (old_status, ReviewStatus.WAIVED), "waiver_reason": (None, reason)})
    return _conclude(session, review, ReviewStatus.WAIVED, actor=actor, today=today)


def complete_open_review(
    session: Session,
    vendor: Vendor,
    *,
    outcome: ReviewOutcome,
    comment: str | None,
    actor: User,
    today: date,
    report: Report | None = None,
    guardrails: list[str] = (),
) -> Review:
    """Conclude the vendor's current review cycle (a report sign-off does this)
    and schedule the next one by the due-date rules. Creates the review if
    none was open. Returns the completed review."""
    review = open_review(session, vendor)
    if review is None:
        review = Review(vendor_id=vendor.id, due_date=today, owner_id=default_owner_id(vendor) or actor.id,
                        due_reason="completed without a scheduled review")
        session.add(review)
        session.flush()
    review.outcome = outcome
    review.comment = (comment or "").strip() or None
    review.guardrails = list(guardrails)
    review.report = report
    audit.record(
        session, actor, "review_completed", f"Review of {vendor.name} completed: {outcome.value}",
        entity_type="review", entity_id=review.id, vendor_id=vendor.id,
        changes={"status": (None, ReviewStatus.COMPLETED), "outcome": (None, outcome)},
    )
    _conclude(session, review, ReviewStatus.COMPLETED, actor=actor, today=today)
    return review


# --- Queries: due windows, the register, the dashboard --------------------------------

def open_due_of(vendor_id_column) -> ColumnElement:
    """Correlated: the due date of the vendor's open review (None if none)."""
    return (
        select(func.min(Review.due_date))
        .where(Review.vendor_id == vendor_id_column, Review.status.in_(OPEN_REVIEW_STATUSES))
        .correlate_except(Review).scalar_subquery()
    )


def has_open_review(vendor_id_column) -> ColumnElement:
    """Correlated EXISTS: the vendor has an open review. PostgreSQL plans
    NOT EXISTS over all vendors as one hash anti-join, where `open_due_of(...)
    IS NULL` probed the review index once per vendor."""
    return (
        select(Review.id).where(Review.vendor_id == vendor_id_column, Review.status.in_(OPEN_REVIEW_STATUSES))
        .correlate_except(Review).exists()
    )


def next_due_expression(today: date) -> ColumnElement:
    """The Vendor row's next due date: its open review's; an in-scope vendor
    with none (not swept yet) is due today, by the "newly active" rule."""
    return func.coalesce(
        open_due_of(Vendor.id), case((Vendor.status.in_(IN_SCOPE_STATUSES), literal(today)), else_=None)
    )


def review_due_condition(window: str, today: date) -> ColumnElement:
    """WHERE clause for the vendor list's "review due" filter."""
    if window == "unscheduled":  # no open review (yet): the sweep or a person schedules one
        return ~has_open_review(Vendor.id)
    due = next_due_expression(today)
    if window == "overdue":
        return due < today
    days = DUE_WINDOWS[window]
    return and_(due >= today, due <= today + timedelta(days=days))


@dataclass
class RegisterFilters:
    status: str = "open"  # open / completed / waived / all
    due: str = ""  # overdue / this_month / 30 / 90
    completed: str = ""  # this_quarter
    tiers: list[Tier] = field(default_factory=list)
    owner_id: int | None = None
    q: str = ""

    STATUSES = ("open", "completed", "waived", "all")
    DUES = ("overdue", "this_month", "30", "90")


def register_query(filters: RegisterFilters, today: date) -> Select[tuple[Review]]:
    """The review register: reviews matching the filters, soonest due first
    (most recently concluded first when listing concluded ones)."""
    query = (
        # The filters' and the order's join loads the vendor too (contains_eager), not a second join of it.
        select(Review).join(Review.vendor)
        .options(contains_eager(Review.vendor), joinedload(Review.owner), joinedload(Review.completed_by))
    )
    if filters.status == "open":
        query = query.where(Review.status.in_(OPEN_REVIEW_STATUSES))
    elif filters.status in ("completed", "waived"):
        query = query.where(Review.status == ReviewStatus(filters.status))
    if filters.due:
        # Due windows concern the vendors in scope; a terminated vendor's
        # leftover review is not "overdue".
        query = query.where(Review.status.in_(OPEN_REVIEW_STATUSES), Vendor.status.in_(IN_SCOPE_STATUSES))
        if filters.due == "overdue":
            query = query.where(Review.due_date < today)
        elif filters.due == "this_month":
            query = query.where(Review.due_date >= today, Review.due_date <= month_end(today))
        elif filters.due in DUE_WINDOWS:
            query = query.where(Review.due_date >= today, Review.due_date <= today + timedelta(days=DUE_WINDOWS[filters.due]))
    if filters.completed == "this_quarter":
        query = query.where(Review.status == ReviewStatus.COMPLETED,
                            Review.concluded_on >= quarter_start(today), Review.concluded_on <= today)
    if filters.tiers:
        query = query.where(Vendor.tier.in_(filters.tiers))
    if filters.owner_id:
        query = query.where(Review.owner_id == filters.owner_id)
    if filters.q.strip():
        query = query.where(func.lower(Vendor.name).like(f"%{filters.q.strip().lower()}%"))
    if filters.status in ("completed", "waived") or filters.completed:
        return query.order_by(Review.completed_at.desc(), Review.id.desc())
    return query.order_by(Review.due_date, func.lower(Vendor.name), Review.id)


@dataclass(frozen=True)
class DashboardFigures:
    today: date
    due_this_month: int
    overdue: int
    completed_this_quarter: int
    unscheduled: int  # in-scope vendors without an open review (the sweep has not run for them)
    by_tier_status: dict[tuple[Tier, LifecycleStatus], int]
    last_sweep: SweepRun | None

    def tier_total(self, tier: Tier) -> int:
        return sum(n for (t, _), n in self.by_tier_status.items() if t == tier)

    def status_total(self, status: LifecycleStatus) -> int:
        return sum(n for (_, s), n in self.by_tier_status.items() if s == status)

    @property
    def vendor_total(self) -> int:
        return sum(self.by_tier_status.values())


def dashboard_figures(session: Session, today: date) -> DashboardFigures:
    # The vendors out of scope (a sixth) as a hashed NOT IN, not a join that
    # hashes all 10,000 vendors for the few thousand reviews counted. Their
    # statuses listed, so the status index finds them without reading the rest.
    out_of_scope = select(Vendor.id).where(
        Vendor.status.in_([status for status in LifecycleStatus if status not in IN_SCOPE_STATUSES]))
    open_in_scope = and_(Review.status.in_(OPEN_REVIEW_STATUSES), Review.vendor_id.not_in(out_of_scope))
    completed_this_quarter = and_(Review.status == ReviewStatus.COMPLETED,
                                  Review.concluded_on >= quarter_start(today), Review.concluded_on <= today)
    counts = session.execute(
        select(
            func.count(case((and_(open_in_scope, Review.due_date >= today, Review.due_date <= month_end(today)), 1))),
            func.count(case((and_(open_in_scope, Review.due_date < today), 1))),
            func.count(case((completed_this_quarter, 1))),
        ).select_from(Review)
        # Only the reviews a count can include, found through ix_review_open_due and
        # ix_review_concluded_on, instead of every review ever held.
        .where(or_(and_(Review.status.in_(OPEN_REVIEW_STATUSES), Review.due_date <= month_end(today)),
                   completed_this_quarter))
    ).one()
    unscheduled = session.scalar(
        select(func.count()).select_from(Vendor)
        .where(Vendor.status.in_(IN_SCOPE_STATUSES), ~has_open_review(Vendor.id))
    ) or 0
    by_tier_status = {
        (tier, status): count
        for tier, status, count in session.execute(
            select(Vendor.tier, Vendor.status, func.count()).group_by(Vendor.tier, Vendor.status)
        )
    }
    last_sweep = session.scalar(select(SweepRun).order_by(SweepRun.started_at.desc(), SweepRun.id.desc()).limit(1))
    return DashboardFigures(today, counts[0], counts[1], counts[2], unscheduled, by_tier_status, last_sweep)


# --- Vendor page: history and timeline -------------------------------------------------

def vendor_reviews(session: Session, vendor_id: int) -> list[Review]:
    return list(session.scalars(
        select(Review).where(Review.vendor_id == vendor_id)
        .options(joinedload(Review.owner), joinedload(Review.completed_by), joinedload(Review.report))
        .order_by(Review.due_date.desc(), Review.id.desc())
    ))


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # report / bridge / review
    start: date
    end: date  # == start for a point in time
    title: str
    detail: str
    state: str  # a CSS-friendly word (ok, requested, overdue, completed, ...)


@dataclass(frozen=True)
class Timeline:
    items: list[TimelineItem]
    start: date
    end: date
    today: date

    def x(self, day: date, width: float = 1000.0) -> float:
        """Horizontal position of `day` on a drawing `width` units wide."""
        span = max(1, (self.end - self.start).days)
        return round(width * (day - self.start).days / span, 1)

    def ticks(self) -> list[date]:
        return [date(year, 1, 1) for year in range(self.start.year + 1, self.end.year + 1)]


def timeline(usable_reports: Iterable[Report], letters: Iterable[BridgeLetter], reviews: Iterable[Review],
             today: date) -> Timeline | None:
    """The vendor's usable report periods, bridge letters (with their
    reports loaded) and reviews in date order: the rows the vendor page
    lists anyway, not read again."""
    items: list[TimelineItem] = []
    for report in usable_reports:
        start = report.period_start or report.period_end
        items.append(TimelineItem("report", start, report.period_end, report_label(report),
                                  f"Period {start.isoformat()} to {report.period_end.isoformat()}", "ok"))
    for letter in letters:
        if letter.covered_through and letter.report and letter.report.period_end:
            items.append(TimelineItem("bridge", letter.report.period_end, letter.covered_through, "Bridge letter",
                                      f"Covers through {letter.covered_through.isoformat()}, received "
                                      f"{letter.received_on.isoformat() if letter.received_on else '—'}", "ok"))
        else:
            items.append(TimelineItem("bridge", letter.requested_on, letter.requested_on, "Bridge letter requested",
                                      f"Requested {letter.requested_on.isoformat()}", "requested"))
    for review in reviews:
        if review.is_open:
            state = "overdue" if review.due_date < today else "open"
            items.append(TimelineItem("review", review.due_date, review.due_date, "Review due",
                                      f"{review.status.value.replace('_', ' ').capitalize()}, due {review.due_date.isoformat()}", state))
        else:
            done = review.concluded_on or review.due_date
            what = review.outcome.value.replace("_", " ") if review.outcome else review.status.value
            items.append(TimelineItem("review", done, done, f"Review {review.status.value}",
                                      f"{what.capitalize()} on {done.isoformat()} (due {review.due_date.isoformat()})",
                                      review.status.value))
    if not items:
        return None
    items.sort(key=lambda item: (item.start, item.end))
    start = min(item.start for item in items + [TimelineItem("", today, today, "", "", "")])
    end = max(item.end for item in items + [TimelineItem("", today, today, "", "", "")])
    return Timeline(items, date(start.year, 1, 1), date(end.year, 12, 31), today)


# --- CSV export of the register ----------------------------------------------------------

EXPORT_COLUMNS = ["vendor", "tier", "vendor_status", "due_date", "status", "owner", "outcome", "completed_at",
                  "completed_by", "comment", "waiver_reason"]


def export_rows(session: Session, register: Select[tuple[Review]]) -> Iterator[Sequence[object]]:
    """The reviews `register` (register_query) picks, in its order, as cells
    in EXPORT_COLUMNS order (the CSV row, the XLSX row), streamed as plain
    columns: Review and Vendor objects would decode JSON columns nobody prints."""
    owner, completed_by = aliased(User), aliased(User)
    query = (register.with_only_columns(
        Vendor.name, Vendor.tier, Vendor.status, Review.due_date, Review.status, owner.email, Review.outcome,
        Review.completed_at, completed_by.email, Review.comment, Review.waiver_reason)
        .outerjoin(owner, owner.id == Review.owner_id)
        .outerjoin(completed_by, completed_by.id == Review.completed_by_id))
    return iter(exports.stream(session, query))


def export_lines(session: Session, register: Select[tuple[Review]]) -> Iterable[str]:
    """The register as CSV lines (header first), streamed, through the one
    spreadsheet writer (services/exports.py), which escapes formula-like cells."""
    return exports.csv_lines(EXPORT_COLUMNS, export_rows(session, register))
