"""The daily sweep: schedules, reminders, escalations; idempotent across
runs and restarts; reminders really arrive at a local SMTP server."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from models import (
    AuditEvent,
    EmailStatus,
    LifecycleStatus,
    Notification,
    ReminderKind,
    Review,
    ReviewReminder,
    ReviewStatus,
    Role,
    SweepRun,
    Tier,
    Vendor,
)
from tests.factories import make_report, make_review, make_user, make_vendor
from tests.mailbox import Inbox, free_port
from vendorrisk.services.sweep import run_daily_sweep


def count(db, model, *where):
    return db.scalar(select(func.count()).select_from(model).where(*where))


def sweep(app, today, *, email=False):
    """One sweep in its own session, committed, as the scheduler's job does."""
    from vendorrisk.infra.db import session_factory

    with session_factory(app)() as session:
        result = run_daily_sweep(session, today, email=email)
        session.commit()
    return result


def test_first_sweep_schedules_active_vendors_by_the_rules(app, db):
    owner = make_user(db, role=Role.SECURITY)
    fresh = make_vendor(db, name="Fresh", status=LifecycleStatus.ACTIVE, business_owner_id=owner.id)
    reviewed = make_vendor(db, name="Reviewed", tier=Tier.HIGH, status=LifecycleStatus.ACTIVE)
    make_report(db, reviewed, period_end=date(2024, 12, 31), queued_at=datetime(2025, 1, 15, tzinfo=timezone.utc))
    make_review(db, reviewed, due_date=date(2025, 1, 1), status=ReviewStatus.COMPLETED,
                completed_at=datetime(2025, 1, 20, 12, tzinfo=timezone.utc), owner=owner)
    # Arrived after that review: the next review is for this one, it must not postpone it.
    make_report(db, reviewed, period_end=date(2025, 12, 31))
    make_vendor(db, name="Prospect", status=LifecycleStatus.PROSPECT)
    db.commit()

    result = sweep(app, date(2026, 1, 15))

    db.expire_all()
    assert result.reviews_created == 2
    fresh_review = db.scalar(select(Review).where(Review.vendor_id == fresh.id))
    assert (fresh_review.due_date, fresh_review.owner_id) == (date(2026, 1, 15), owner.id)  # due now, business owner
    open_review = db.scalar(select(Review).where(Review.vendor_id == reviewed.id, Review.status == ReviewStatus.SCHEDULED))
    # later of 2025-01-20 + 12 months and 2024-12-31 (the report current then) + 12 months + 42 days
    assert open_review.due_date == date(2026, 2, 11)
    assert open_review.owner_id == owner.id  # the previous review's owner
    assert count(db, AuditEvent, AuditEvent.action == "review_scheduled") == 2
    assert count(db, SweepRun, SweepRun.finished_at.is_not(None)) == 1


def test_running_twice_and_after_a_restart_sends_nothing_new(app_config, db):
    from vendorrisk import create_app

    owner = make_user(db, role=Role.SECURITY)
    make_user(db, role=Role.COMPLIANCE)
    soon = make_vendor(db, name="Soon", status=LifecycleStatus.ACTIVE)
    make_review(db, soon, due_date=date(2026, 2, 1), owner=owner)
    late = make_vendor(db, name="Late", status=LifecycleStatus.ACTIVE)
    make_review(db, late, due_date=date(2026, 1, 1), owner=owner)
    db.commit()

    first_app = create_app(app_config)
    first = sweep(first_app, date(2026, 1, 10))
    assert first.reminders_sent == 2 and first.escalations_sent == 1
    notifications_after_first = count(db, Notification)
    assert notifications_after_first == 2  # one digest for the owner, one escalation for compliance

    assert not sweep(first_app, date(2026, 1, 10)).sent_anything
    restarted = create_app(app_config)  # a new process: nothing in memory survives
    again = sweep(restarted, date(2026, 1, 10))
    assert not again.sent_anything and again.reviews_created == 0
    db.expire_all()
    assert count(db, Notification) == notifications_after_first
    assert count(db, ReviewReminder) == 3


def test_after_downtime_only_the_latest_threshold_is_sent(app, db):
    owner = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db, name="Acme", status=LifecycleStatus.ACTIVE)
    review = make_review(db, vendor, due_date=date(2026, 3, 31), owner=owner)
    db.commit()

    sweep(app, date(2026, 1, 30))  # 60 days before
    sweep(app, date(2026, 3, 27))  # down for two months: 4 days before, 30 and 7 crossed meanwhile
    sweep(app, date(2026, 3, 28))

    db.expire_all()
    kinds = sorted(r.kind for r in db.scalars(select(ReviewReminder).where(ReviewReminder.review_id == review.id)))
    assert kinds == [ReminderKind.DUE_60, ReminderKind.DUE_7]
    subjects = [n.subject for n in db.scalars(select(Notification).where(Notification.user_id == owner.id)
                                              .order_by(Notification.id))]
    assert subjects == ["Review of Acme: due 2026-03-31 (in 60 days)", "Review of Acme: due 2026-03-31 (in 4 days)"]


def test_overdue_reviews_escalate_to_compliance_once_per_iso_week(app, db):
    compliance = [make_user(db, role=Role.COMPLIANCE), make_user(db, role=Role.COMPLIANCE)]
    make_user(db, role=Role.COMPLIANCE, active=False)
    vendor = make_vendor(db, name="Overdue Inc", status=LifecycleStatus.ACTIVE)
    make_review(db, vendor, due_date=date(2026, 1, 5))  # no owner: reminders go to compliance too
    db.commit()

    for day in (6, 7, 8, 11):  # Tue, Wed, Thu, Sun of ISO week 2
        sweep(app, date(2026, 1, day))
    db.expire_all()
    assert count(db, ReviewReminder, ReviewReminder.kind == ReminderKind.OVERDUE) == 1
    sweep(app, date(2026, 1, 12))  # Monday: week 3
    db.expire_all()
    assert count(db, ReviewReminder, ReviewReminder.kind == ReminderKind.OVERDUE) == 2
    for person in compliance:
        escalations = count(db, Notification, Notification.user_id == person.id, Notification.kind == "review_overdue")
        assert escalations == 2
    assert count(db, Notification, Notification.kind == "review_overdue") == 4  # not the deactivated one


def test_rescheduled_due_date_gets_fresh_reminders(app, db):
    owner = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db, name="Moving", status=LifecycleStatus.ACTIVE)
    review = make_review(db, vendor, due_date=date(2026, 2, 1), owner=owner)
    db.commit()
    sweep(app, date(2026, 1, 30))
    db.expire_all()
    review = db.get(Review, review.id)
    review.due_date = date(2026, 3, 1)
    vendor.review_due_override = date(2026, 3, 1)  # so the sweep keeps it
    db.commit()
    sweep(app, date(2026, 1, 30))
    db.expire_all()
    assert sorted((r.kind, r.period) for r in db.scalars(select(ReviewReminder))) == [
        (ReminderKind.DUE_30, "2026-03-01"), (ReminderKind.DUE_7, "2026-02-01"),
    ]


def test_terminated_vendors_are_left_alone(app, db):
    owner = make_user(db, role=Role.SECURITY)
    gone = make_vendor(db, name="Gone", status=LifecycleStatus.TERMINATED)
    make_review(db, gone, due_date=date(2026, 1, 1), owner=owner)
    db.commit()
    result = sweep(app, date(2026, 2, 1))
    assert not result.sent_anything and result.reviews_created == 0


# --- E-mail through a real SMTP server ------------------------------------------------

def test_reminders_arrive_at_the_smtp_server_once(app_config, db, smtp_server):
    from vendorrisk import create_app
    from vendorrisk.infra import scheduler

    controller, inbox = smtp_server
    app_config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, MAIL_FROM="vendorrisk@example.test",
                      BASE_URL="https://vr.example.test")
    app = create_app(app_config)
    owner = make_user(db, role=Role.SECURITY, email="owner@example.test")
    compliance = make_user(db, role=Role.COMPLIANCE, email="compliance@example.test")
    vendor = make_vendor(db, name="Mailed Vendor", status=LifecycleStatus.ACTIVE)
    make_review(db, vendor, due_date=date(2026, 4, 7), owner=owner)
    late = make_vendor(db, name="Late Vendor", status=LifecycleStatus.ACTIVE)
    make_review(db, late, due_date=date(2026, 3, 1), owner=owner)
    db.commit()

    scheduler.run_sweep(app, date(2026, 3, 31))
    scheduler.run_sweep(app, date(2026, 3, 31))  # again: nothing more arrives

    by_recipient = {message["To"]: message for message in inbox.messages}
    assert len(inbox.messages) == 2 and set(by_recipient) == {owner.email, compliance.email}
    to_owner = by_recipient[owner.email]
    assert to_owner["From"] == "vendorrisk@example.test"
    assert to_owner["Subject"] == "2 vendor reviews need your attention"
    body = to_owner.get_payload(decode=True).decode()
    assert "Mailed Vendor (medium): due 2026-04-07 (in 7 days)" in body
    assert "Late Vendor (medium): overdue since 2026-03-01 (30 days)" in body
    assert "https://vr.example.test/reviews/?owner=" in body
    assert by_recipient[compliance.email]["Subject"] == "Overdue review: Late Vendor"
    db.expire_all()
    assert {n.email_status for n in db.scalars(select(Notification))} == {EmailStatus.SENT}


def test_mail_waits_in_the_queue_while_the_server_is_down(app_config, db):
    from vendorrisk import create_app
    from vendorrisk.infra import scheduler

    app_config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())  # nothing listens there
    app = create_app(app_config)
    owner = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db, name="Queued", status=LifecycleStatus.ACTIVE)
    make_review(db, vendor, due_date=date(2026, 4, 7), owner=owner)
    db.commit()
    scheduler.run_sweep(app, date(2026, 3, 31))
    db.expire_all()
    notification = db.scalar(select(Notification))
    assert notification.email_status == EmailStatus.PENDING  # sent by the next sweep once the server is back


class InboxThatSavesAVendor(Inbox):
    """While a message is being delivered, someone saves a vendor in the app."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    async def handle_DATA(self, server, session, envelope):
        from vendorrisk.infra.db import session_factory

        with session_factory(self.app)() as app_session:
            make_vendor(app_session, name=f"Saved during delivery {len(self.messages)}")
            app_session.commit()
        return await super().handle_DATA(server, session, envelope)


def test_the_app_can_write_while_mail_is_being_delivered(app_config, db):
    """No transaction is held open while the SMTP server answers (on SQLite it
    would hold the write lock and stall every form in the app)."""
    from aiosmtpd.controller import Controller

    from vendorrisk import create_app
    from vendorrisk.infra import scheduler

    port = free_port()
    app_config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="vendorrisk@example.test")
    app = create_app(app_config)
    inbox = InboxThatSavesAVendor(app)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        owner = make_user(db, role=Role.SECURITY)
        make_review(db, make_vendor(db, name="Reminded", status=LifecycleStatus.ACTIVE),
                    due_date=date(2026, 4, 7), owner=owner)
        db.commit()
        scheduler.run_sweep(app, date(2026, 3, 31))
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    db.expire_all()
    assert db.scalar(select(Notification)).email_status == EmailStatus.SENT
    assert count(db, Vendor, Vendor.name.like("Saved during delivery%")) == 1
