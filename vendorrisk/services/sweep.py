"""The daily sweep: schedule missing reviews, keep due dates true to the
rules, remind owners and escalate overdue reviews to compliance.

Idempotent by data, not by timing: every reminder sent is a ReviewReminder
row whose unique key (review, kind, period) makes a second run on the same
day, a run after a restart, or a run racing another one unable to send it
again. After downtime the sweep simply looks at today's dates: an owner
gets the most recent reminder threshold crossed (never the older ones
too), and an overdue review is escalated once in the current ISO week.

Everything happens in the caller's transaction; e-mail goes out after the
caller commits (vendorrisk.infra.mailer).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.orm import Session

from models import (
    OPEN_REVIEW_STATUSES,
    AuditEvent,
    ReminderKind,
    Report,
    Review,
    ReviewReminder,
    ReviewStatus,
    Role,
    SweepRun,
    User,
    Vendor,
)
from models.base import utcnow
from vendorrisk.services import evidence, notifications
from vendorrisk.services.coverage import IN_SCOPE_STATUSES, usable_report
from vendorrisk.services.reviews import CONCLUDED_STATUSES, load_policy
from vendorrisk.services.schedule import REMINDER_DAYS, Policy, cadence_for, iso_week, next_review_due, reminder_due

# Paths on this site that notifications link to (services build no URLs from requests).
VENDOR_PATH = "/vendors/{vendor_id}#reviews"
REGISTER_PATH = "/reviews/?due={due}"
MAX_LINES_PER_MESSAGE = 50
BATCH = 1000


@dataclass
class SweepResult:
    day: date
    reviews_created: int = 0
    reviews_rescheduled: int = 0
    reminders_sent: int = 0  # reviews an owner was reminded of
    escalations_sent: int = 0  # overdue reviews escalated to compliance
    notifications: int = 0
    recipients: set[int] = field(default_factory=set)
    # E-mails to vendor contacts (evidence requests), sent by the caller after its commit.
    vendor_mail: list[evidence.Outgoing] = field(default_factory=list)

    @property
    def sent_anything(self) -> bool:
        return bool(self.reminders_sent or self.escalations_sent or self.notifications)


def run_daily_sweep(session: Session, today: date, *, email: bool = False, policy: Policy | None = None,
                    evidence_link_days: int = evidence.DEFAULT_LINK_DAYS) -> SweepResult:
    """Do today's review housekeeping for every in-scope vendor; safe to run
    any number of times. `email` queues the notifications for the mailer."""
    policy = policy or load_policy(session)
    result = SweepResult(day=today)
    run = SweepRun(day=today, started_at=utcnow())
    session.add(run)
    _schedule(session, today, policy, result)
    session.flush()
    people = {user.id: user for user in session.scalars(select(User).where(User.active.is_(True)))}
    compliance = [u for u in people.values() if u.role == Role.COMPLIANCE] or [
        u for u in people.values() if u.role == Role.ADMIN  # nobody holds compliance: admins are told instead
    ]
    _remind_owners(session, today, people, compliance, email, result)
    _escalate_overdue(session, today, compliance, email, result)
    result.vendor_mail = evidence.sweep(session, today, issuance_lag_days=policy.issuance_lag_days,
                                        link_days=evidence_link_days, email=email)
    run.finished_at = utcnow()
    run.reviews_created = result.reviews_created
    run.reviews_rescheduled = result.reviews_rescheduled
    run.reminders_sent = result.reminders_sent
    run.escalations_sent = result.escalations_sent
    session.flush()
    return result


def reschedule_open_reviews(session: Session, today: date, policy: Policy) -> int:
    """Re-derive every in-scope open review's due date (after a policy change),
    set-based, without creating any review; returns how many moved."""
    result = SweepResult(day=today)
    _schedule(session, today, policy, result, create_missing=False)
    return result.reviews_rescheduled


def _schedule(session: Session, today: date, policy: Policy, result: SweepResult, *, create_missing: bool = True) -> None:
    """Create the open review of every in-scope vendor that lacks one and
    re-derive the due date of those that have one (a policy change, an
    override set elsewhere): all in a handful of set-based statements."""
    # Four plain scans joined in Python cost the same whatever the planner's
    # statistics say (one big query with three grouped outer joins took
    # PostgreSQL 30 s on freshly loaded tables).
    last: dict[int, tuple] = {}  # vendor -> (completed_at, report_id) of its last concluded review
    for vendor_id, completed_at, report_id in session.execute(
        select(Review.vendor_id, Review.completed_at, Review.report_id)
        .where(Review.status.in_(CONCLUDED_STATUSES), Review.completed_at.is_not(None))
        .order_by(Review.completed_at, Review.id)
    ):
        last[vendor_id] = (completed_at, report_id)
    # The report current when the last review concluded (reviews.report_current_at_review).
    period_ends: dict[int, date] = {}
    for vendor_id, report_id, period_end, queued_at in session.execute(
        select(Report.vendor_id, Report.id, Report.period_end, Report.queued_at).where(usable_report())
    ):
        concluded = last.get(vendor_id)
        if concluded and (queued_at <= concluded[0] or report_id == concluded[1]):
            if period_end > period_ends.get(vendor_id, date.min):
                period_ends[vendor_id] = period_end
    opened = {
        vendor_id: (review_id, due_date, due_reason)
        for review_id, vendor_id, due_date, due_reason in session.execute(
            select(Review.id, Review.vendor_id, Review.due_date, Review.due_reason)
            .where(Review.status.in_(OPEN_REVIEW_STATUSES))
        )
    }
    rows = [
        (*vendor, last.get(vendor[0], (None,))[0], period_ends.get(vendor[0]), *opened.get(vendor[0], (None, None, None)))
        for vendor in session.execute(
            select(Vendor.id, Vendor.name, Vendor.tier, Vendor.review_cadence_months, Vendor.review_due_override,
                   Vendor.business_owner_id, Vendor.security_owner_id)
            .where(Vendor.status.in_(IN_SCOPE_STATUSES))
        )
    ]
    previous_owner = _previous_owners(session, [row[0] for row in rows if row[9] is None and row[7] is not None])
    creates, updates, events = [], [], []
    now = utcnow()
    for (vendor_id, name, tier, cadence, override, business_owner, security_owner,
         last_at, period_end, review_id, due_date, due_reason) in rows:
        due = next_review_due(
            today=today, override=override, last_concluded=last_at.date() if last_at else None,
            cadence_months=cadence_for(tier, policy, cadence), report_period_end=period_end,
            issuance_lag_days=policy.issuance_lag_days, scheduled_due=due_date,
        )
        reason = due.reason[:300]
        if review_id is None:
            if not create_missing:
                continue
            creates.append({"vendor_id": vendor_id, "due_date": due.due, "due_reason": reason,
                            "status": ReviewStatus.SCHEDULED, "created_at": now,
                            "owner_id": previous_owner.get(vendor_id) or business_owner or security_owner})
            events.append(_event(now, vendor_id, "review_scheduled",
                                 f"Review of {name} scheduled for {due.due.isoformat()} by the daily sweep",
                                 {"due_date": [None, due.due.isoformat()]}))
        elif due.due != due_date or reason != due_reason:
            updates.append({"review_id": review_id, "new_due": due.due, "new_reason": reason})
            if due.due != due_date:
                result.reviews_rescheduled += 1
                events.append(_event(now, vendor_id, "review_rescheduled",
                                     f"Review of {name} now due {due.due.isoformat()} ({due.reason})",
                                     {"due_date": [due_date.isoformat(), due.due.isoformat()]}, entity_id=review_id))
    _insert_many(session, Review, creates)
    # On the table, not the ORM's bulk update by key: that one makes each row's
    # UPDATE conditional on a version read here, so a colleague saving the
    # review's owner meanwhile would fail the whole sweep. The due date is not
    # theirs to lose; the version still counts the change.
    table = Review.__table__
    reschedule = (update(table).where(table.c.id == bindparam("review_id"))
                  .values(due_date=bindparam("new_due"), due_reason=bindparam("new_reason"), version=table.c.version + 1))
    for start in range(0, len(updates), BATCH):
        session.execute(reschedule, updates[start:start + BATCH])
    _insert_many(session, AuditEvent, events)
    result.reviews_created = len(creates)


def _insert_many(session: Session, model, rows: list[dict]) -> None:
    """Plain executemany per batch (psycopg pipelines it; SQLite is in-process).
    Not a multi-row VALUES statement: compiling 1,000-row statements cost
    more time in Python than it saved in round trips."""
    for start in range(0, len(rows), BATCH):
        session.execute(insert(model.__table__), rows[start:start + BATCH])


def _event(now, vendor_id: int, action: str, summary: str, changes: dict, entity_id: int | None = None) -> dict:
    return {"at": now, "actor_id": None, "vendor_id": vendor_id, "entity_type": "review", "entity_id": entity_id,
            "action": action, "summary": summary, "changes": changes}


def _previous_owners(session: Session, vendor_ids: list[int]) -> dict[int, int]:
    """Owner of each vendor's most recent review (for vendors whose cycle broke off)."""
    owners: dict[int, int] = {}
    for start in range(0, len(vendor_ids), BATCH):
        chunk = vendor_ids[start:start + BATCH]
        for vendor_id, owner_id in session.execute(
            select(Review.vendor_id, Review.owner_id).where(Review.vendor_id.in_(chunk), Review.owner_id.is_not(None))
            .order_by(Review.vendor_id, Review.id)
        ):
            owners[vendor_id] = owner_id  # the last one wins: the newest review
    return owners


def _due_phrase(due: date, today: date) -> str:
    days = (due - today).days
    if days > 0:
        return f"due {due.isoformat()} (in {days} day{'s' if days != 1 else ''})"
    if days == 0:
        return f"due today ({due.isoformat()})"
    return f"overdue since {due.isoformat()} ({-days} day{'s' if days != -1 else ''})"


def _remind_owners(session: Session, today: date, people: dict[int, User], compliance: list[User], email: bool,
                   result: SweepResult) -> None:
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    candidates = session.execute(
        select(Review.id, Review.vendor_id, Review.due_date, Review.owner_id, Vendor.name, Vendor.tier)
        .join(Vendor, Vendor.id == Review.vendor_id)
        .where(Review.status.in_(OPEN_REVIEW_STATUSES), Vendor.status.in_(IN_SCOPE_STATUSES), Review.due_date <= horizon)
        .order_by(Review.due_date, Vendor.name)
    ).all()
    sent = {
        (review_id, kind, period)
        for review_id, kind, period in session.execute(
            select(ReviewReminder.review_id, ReviewReminder.kind, ReviewReminder.period)
            .join(Review, Review.id == ReviewReminder.review_id)
            .where(Review.status.in_(OPEN_REVIEW_STATUSES), Review.due_date <= horizon,
                   ReviewReminder.kind != ReminderKind.OVERDUE)
        )
    }
    records, by_recipient = [], defaultdict(list)
    for review_id, vendor_id, due, owner_id, name, tier in candidates:
        kind = reminder_due(due, today)
        if kind is None or (review_id, kind, due.isoformat()) in sent:
            continue
        owner = people.get(owner_id) if owner_id else None
        recipients = [owner] if owner is not None else compliance
        records.append({"review_id": review_id, "kind": kind, "period": due.isoformat(), "sent_on": today,
                        "recipients": len(recipients)})
        line = f"- {name} ({tier.value}): {_due_phrase(due, today)}" + ("" if owner else " [no owner assigned]")
        for person in recipients:
            by_recipient[person.id].append((vendor_id, name, due, line))
    _insert_many(session, ReviewReminder, records)
    result.reminders_sent = len(records)
    for user_id, lines in by_recipient.items():
        if len(lines) == 1:
            vendor_id, name, due, _ = lines[0]
            subject = f"Review of {name}: {_due_phrase(due, today)}"
            link = VENDOR_PATH.format(vendor_id=vendor_id)
        else:
            subject = f"{len(lines)} vendor reviews need your attention"
            link = f"/reviews/?owner={user_id}"
        body = _body("These vendor reviews are assigned to you (or have no owner) and are coming due:", lines)
        notifications.notify(session, people[user_id], kind="review_reminder", subject=subject, body=body, link=link,
                             email=email)
        result.notifications += 1
        result.recipients.add(user_id)


def _escalate_overdue(session: Session, today: date, compliance: list[User], email: bool, result: SweepResult) -> None:
    week = iso_week(today)
    overdue = session.execute(
        select(Review.id, Review.due_date, Review.owner_id, Vendor.name, Vendor.tier)
        .join(Vendor, Vendor.id == Review.vendor_id)
        .outerjoin(ReviewReminder, and_(ReviewReminder.review_id == Review.id,
                                        ReviewReminder.kind == ReminderKind.OVERDUE, ReviewReminder.period == week))
        .where(Review.status.in_(OPEN_REVIEW_STATUSES), Vendor.status.in_(IN_SCOPE_STATUSES),
               Review.due_date < today, ReviewReminder.id.is_(None))
        .order_by(Review.due_date, Vendor.name)
    ).all()
    if not overdue:
        return
    records = [{"review_id": row.id, "kind": ReminderKind.OVERDUE, "period": week, "sent_on": today,
                "recipients": len(compliance)} for row in overdue]
    _insert_many(session, ReviewReminder, records)
    result.escalations_sent = len(records)
    lines = [f"- {row.name} ({row.tier.value}): {_due_phrase(row.due_date, today)}" for row in overdue]
    subject = (f"Overdue review: {overdue[0].name}" if len(overdue) == 1
               else f"{len(overdue)} vendor reviews are overdue")
    body = _body(f"Weekly escalation ({week}): these reviews are past their due date.", lines)
    for person in compliance:
        notifications.notify(session, person, kind="review_overdue", subject=subject, body=body,
                             link=REGISTER_PATH.format(due="overdue"), email=email)
        result.notifications += 1
        result.recipients.add(person.id)


def _body(intro: str, lines: list) -> str:
    texts = [line[-1] if isinstance(line, tuple) else line for line in lines]
    shown = texts[:MAX_LINES_PER_MESSAGE]
    more = len(texts) - len(shown)
    return "\n".join([intro, "", *shown, *([f"… and {more} more in the review register."] if more else [])])
