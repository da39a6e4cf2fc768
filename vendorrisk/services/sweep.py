"""The daily sweep: schedule missing reviews, keep due dates true to the
rules, remind owners and escalate overdue reviews to compliance; tell
assignees of exception follow-ups that have come due, and business owners
and procurement of renewal-notice dates coming up and of active vendors
whose contract has ended.

Idempotent by data, not by timing: every reminder sent is a ReviewReminder
row whose unique key (review, kind, period) makes a second run on the same
day, a run after a restart, or a run racing another one unable to send it
again. After downtime the sweep simply looks at today's dates: an owner
gets the most recent reminder threshold crossed (never the older ones
too), and an overdue review is escalated once in the current ISO week.
The other notices are NoticeSent rows keyed by (kind, subject, date): one
per follow-up and due date, per vendor and renewal-notice date, per vendor
and contract end.

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
    ItemKind,
    LifecycleStatus,
    NoticeKind,
    NoticeSent,
    ReminderKind,
    Report,
    ReportItem,
    Review,
    ReviewReminder,
    ReviewStatus,
    Role,
    SweepRun,
    TriageStatus,
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
HOME_PATH = "/"  # each role's home lists its follow-ups and renewals
MAX_LINES_PER_MESSAGE = 50
BATCH = 1000
RENEWAL_WINDOW_DAYS = 30  # default for the RENEWAL_NOTICE_WINDOW_DAYS setting


@dataclass
class SweepResult:
    day: date
    reviews_created: int = 0
    reviews_rescheduled: int = 0
    reminders_sent: int = 0  # reviews an owner was reminded of
    escalations_sent: int = 0  # overdue reviews escalated to compliance
    notices_sent: int = 0  # follow-ups due, renewal-notice dates, expired contracts told of
    notifications: int = 0
    recipients: set[int] = field(default_factory=set)
    # E-mails to vendor contacts (evidence requests), sent by the caller after its commit.
    vendor_mail: list[evidence.Outgoing] = field(default_factory=list)

    @property
    def sent_anything(self) -> bool:
        return bool(self.reminders_sent or self.escalations_sent or self.notifications)


def run_daily_sweep(session: Session, today: date, *, email: bool = False, policy: Policy | None = None,
                    renewal_window_days: int = RENEWAL_WINDOW_DAYS,
                    evidence_link_days: int = evidence.DEFAULT_LINK_DAYS) -> SweepResult:
    """Do today's review housekeeping for every in-scope vendor; safe to run
    any number of times. `email` queues the notifications for the mailer;
    a renewal-notice date within `renewal_window_days` of today is announced."""
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
    _follow_ups_due(session, today, people, email, result)
    _contract_notices(session, today, people, renewal_window_days, email, result)
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
    last: dict[int, tuple] = {}  # vendor -> (concluded_on, completed_at, report_id) of its last concluded review
    for vendor_id, concluded_on, completed_at, report_id in session.execute(
        select(Review.vendor_id, Review.concluded_on, Review.completed_at, Review.report_id)
        .where(Review.status.in_(CONCLUDED_STATUSES), Review.completed_at.is_not(None))
        .order_by(Review.completed_at, Review.id)
    ):
        last[vendor_id] = (concluded_on, completed_at, report_id)
    # The report current when the last review concluded (reviews.report_current_at_review).
    period_ends: dict[int, date] = {}
    for vendor_id, report_id, period_end, queued_at in session.execute(
        select(Report.vendor_id, Report.id, Report.period_end, Report.queued_at).where(usable_report())
    ):
        concluded = last.get(vendor_id)
        if concluded and (queued_at <= concluded[1] or report_id == concluded[2]):
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
         last_on, period_end, review_id, due_date, due_reason) in rows:
        due = next_review_due(
            today=today, override=override, last_concluded=last_on,
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


def _unsent(session: Session, kind: NoticeKind, candidates: list, today: date) -> list:
    """The candidates (rows of subject id, date, ...) not yet told of for
    that date; records them as sent, in the caller's transaction."""
    ids = [row[0] for row in candidates]
    sent = set()
    for start in range(0, len(ids), BATCH):
        sent.update((subject_id, period) for subject_id, period in session.execute(
            select(NoticeSent.subject_id, NoticeSent.period)
            .where(NoticeSent.kind == kind, NoticeSent.subject_id.in_(ids[start:start + BATCH]))
        ))
    fresh = [row for row in candidates if (row[0], row[1].isoformat()) not in sent]
    _insert_many(session, NoticeSent, [{"kind": kind, "subject_id": row[0], "period": row[1].isoformat(),
                                        "sent_on": today} for row in fresh])
    return fresh


def _follow_ups_due(session: Session, today: date, people: dict[int, User], email: bool,
                    result: SweepResult) -> None:
    """An exception's follow-up whose due date has come tells its assignee,
    once per due date (a new due date is a new notice)."""
    candidates = session.execute(
        select(ReportItem.id, ReportItem.due_date, ReportItem.report_id, ReportItem.assignee_id,
               ReportItem.control_id, ReportItem.page, Vendor.name)
        .join(Report, Report.id == ReportItem.report_id).join(Vendor, Vendor.id == Report.vendor_id)
        .where(ReportItem.kind == ItemKind.EXCEPTION, ReportItem.triage_status == TriageStatus.FOLLOW_UP_REQUIRED,
               ReportItem.not_an_item.is_(False), ReportItem.found.is_(True),
               ReportItem.assignee_id.is_not(None), ReportItem.due_date <= today)
        .order_by(ReportItem.due_date, Vendor.name, ReportItem.id)
    ).all()
    by_recipient = defaultdict(list)
    for item_id, due, report_id, assignee_id, control_id, page, name in _unsent(
            session, NoticeKind.EXCEPTION_DUE, candidates, today):
        result.notices_sent += 1
        if assignee_id in people:
            what = f"exception {control_id}" if control_id else f"exception on page {page}"
            by_recipient[assignee_id].append((
                notifications.ITEM_PATH.format(report_id=report_id, item_id=item_id),
                f"Follow-up of {name}'s {what}: {_due_phrase(due, today)}",
                f"- {name}, {what}: follow-up {_due_phrase(due, today)}",
            ))
    _send_grouped(session, people, by_recipient, kind="exception_due",
                  intro="These exception follow-ups are assigned to you and have come due:",
                  many=lambda n: f"{n} exception follow-ups have come due", email=email, result=result)


def _contract_notices(session: Session, today: date, people: dict[int, User], window_days: int, email: bool,
                      result: SweepResult) -> None:
    """An active vendor's renewal-notice date within the window, or its
    contract ended, tells its business owner and every procurement user
    once per date."""
    procurement = [u for u in people.values() if u.role == Role.PROCUREMENT]
    active = Vendor.status == LifecycleStatus.ACTIVE
    renewals = session.execute(
        select(Vendor.id, Vendor.renewal_notice_date, Vendor.business_owner_id, Vendor.name)
        .where(active, Vendor.renewal_notice_date >= today,
               Vendor.renewal_notice_date <= today + timedelta(days=window_days))
        .order_by(Vendor.renewal_notice_date, Vendor.name)
    ).all()
    expired = session.execute(
        select(Vendor.id, Vendor.contract_end, Vendor.business_owner_id, Vendor.name)
        .where(active, Vendor.contract_end < today).order_by(Vendor.contract_end, Vendor.name)
    ).all()
    by_recipient = defaultdict(list)
    for kind, rows in ((NoticeKind.CONTRACT_EXPIRED, expired), (NoticeKind.RENEWAL_NOTICE, renewals)):
        for vendor_id, when, business_owner_id, name in _unsent(session, kind, rows, today):
            result.notices_sent += 1
            if kind == NoticeKind.CONTRACT_EXPIRED:
                text = f"{name}: contract ended {when.isoformat()} but the vendor is still active"
            else:
                days = (when - today).days
                text = f"{name}: renewal notice due {when.isoformat()} (in {days} day{'s' if days != 1 else ''})"
            owner = people.get(business_owner_id) if business_owner_id else None
            for person in {p.id: p for p in [*([owner] if owner else []), *procurement]}.values():
                by_recipient[person.id].append((notifications.VENDOR_PATH.format(vendor_id=vendor_id), text, f"- {text}"))
    _send_grouped(session, people, by_recipient, kind="contract_notice",
                  intro="These vendor contracts need a decision (renew, give notice, or end the relationship):",
                  many=lambda n: f"{n} vendor contracts need a decision", email=email, result=result)


def _send_grouped(session: Session, people: dict[int, User], by_recipient: dict[int, list[tuple[str, str, str]]], *,
                  kind: str, intro: str, many, email: bool, result: SweepResult) -> None:
    """One notification per recipient: about the one thing (linking to it),
    or listing several (linking to their home page, which lists them)."""
    for user_id, lines in by_recipient.items():
        link, subject = (lines[0][0], lines[0][1]) if len(lines) == 1 else (HOME_PATH, many(len(lines)))
        notifications.notify(session, people[user_id], kind=kind, subject=subject, body=_body(intro, lines),
                             link=link, email=email)
        result.notifications += 1
        result.recipients.add(user_id)


def _body(intro: str, lines: list) -> str:
    texts = [line[-1] if isinstance(line, tuple) else line for line in lines]
    shown = texts[:MAX_LINES_PER_MESSAGE]
    more = len(texts) - len(shown)
    return "\n".join([intro, "", *shown, *([f"… and {more} more in the review register."] if more else [])])
