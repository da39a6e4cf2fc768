"""The review cycle through the pages people use: schedule, start,
complete, waive; overrides and the policy; the register, its CSV and the
vendor list's "review due" filter."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import event, select

from models import (
    AuditEvent,
    LifecycleStatus,
    Review,
    ReviewOutcome,
    ReviewPolicy,
    ReviewStatus,
    Role,
    Tier,
)
from models.base import utcnow
from tests.factories import make_extracted_report, make_report, make_review, make_user, make_vendor, today
from vendorrisk.infra.db import session_factory
from vendorrisk.services import reviews
from vendorrisk.services.schedule import add_months, expected_next_report


def open_review_of(db, vendor):
    db.expire_all()
    return db.scalar(select(Review).where(Review.vendor_id == vendor.id,
                                          Review.status.in_([ReviewStatus.SCHEDULED, ReviewStatus.IN_PROGRESS])))


def test_completing_a_review_schedules_the_next_by_the_rules(client, auth, db):
    user = auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db, name="Acme", tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE)
    review = make_review(db, vendor, due_date=today())
    recent = make_report(db, vendor, period_end=today() - timedelta(days=30))
    db.commit()

    response = client.post(f"/reviews/{review.id}/start")
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Review, review.id).status == ReviewStatus.IN_PROGRESS
    assert db.get(Review, review.id).owner_id == user.id  # nobody owned it: the starter does

    response = client.post(f"/reviews/{review.id}/complete", data={
        "outcome": "approved_with_conditions", "comment": "MFA gap to close by Q3", "report_id": recent.id,
        "conditions-0-text": "Close the MFA gap", "conditions-0-owner_id": user.id,
        "conditions-0-due_date": (today() + timedelta(days=90)).isoformat()})
    assert response.status_code == 302
    db.expire_all()
    done = db.get(Review, review.id)
    assert (done.status, done.outcome, done.report_id, done.completed_by_id) == (
        ReviewStatus.COMPLETED, ReviewOutcome.APPROVED_WITH_CONDITIONS, recent.id, user.id)
    following = open_review_of(db, vendor)
    # later of the day it concluded + 12 months and the next report (period end + 12 months + 42 days)
    assert following.due_date == max(add_months(done.concluded_on, 12), expected_next_report(recent.period_end, 42))
    assert following.owner_id == user.id
    assert "next SOC report expected" in following.due_reason


def test_conditions_or_rejection_need_a_comment(client, auth, db):
    auth.login_as(Role.ADMIN)
    vendor = make_vendor(db, status=LifecycleStatus.ACTIVE)
    review = make_review(db, vendor, due_date=today())
    db.commit()
    response = client.post(f"/reviews/{review.id}/complete", data={"outcome": "rejected", "comment": " "},
                           follow_redirects=True)
    # no report was reviewed: a guardrail, so the message says why a rationale is needed
    assert "A rationale is required: No SOC report was reviewed." in response.get_data(as_text=True)
    assert open_review_of(db, vendor).id == review.id


def test_waiving_needs_a_reason_and_schedules_the_next(client, auth, db):
    auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db, tier=Tier.LOW, status=LifecycleStatus.ACTIVE)
    review = make_review(db, vendor, due_date=today())
    db.commit()
    page = client.post(f"/reviews/{review.id}/waive", data={"waiver_reason": ""}, follow_redirects=True)
    assert "Say why the review is waived" in page.get_data(as_text=True)
    client.post(f"/reviews/{review.id}/waive", data={"waiver_reason": "Vendor being replaced in March"})
    db.expire_all()
    waived = db.get(Review, review.id)
    assert waived.status == ReviewStatus.WAIVED
    # the low tier's cadence counts from the day the waiver concluded the cycle (not when this test module loaded)
    assert open_review_of(db, vendor).due_date == add_months(waived.concluded_on, 36)
    # a concluded review cannot be completed afterwards
    page = client.post(f"/reviews/{review.id}/complete", data={"outcome": "approved"}, follow_redirects=True)
    assert "already waived" in page.get_data(as_text=True)


def test_report_sign_off_contract_is_kept(db):
    """services.reports.sign_off calls complete_open_review with exactly this signature."""
    actor = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db, tier=Tier.MEDIUM, status=LifecycleStatus.ACTIVE)
    make_review(db, vendor, due_date=today() - timedelta(days=3))
    completed = reviews.complete_open_review(db, vendor, outcome=ReviewOutcome.APPROVED, comment=" ok ", actor=actor,
                                             today=today(), report=None)
    db.flush()
    assert (completed.status, completed.comment) == (ReviewStatus.COMPLETED, "ok")
    assert completed.concluded_on == today()  # the caller's day, whatever the UTC date of completed_at
    assert reviews.open_review(db, vendor).due_date == add_months(today(), 24)
    # and with no review open it records one and still schedules the next
    other = make_vendor(db, status=LifecycleStatus.ACTIVE)
    reviews.complete_open_review(db, other, outcome=ReviewOutcome.APPROVED, comment=None, actor=actor, today=today())
    assert reviews.open_review(db, other) is not None


def a_zone_on_another_day_than_utc() -> str:
    """UTC+14 is a day ahead of UTC from 10:00 UTC, UTC-12 a day behind until
    12:00 UTC: one of them is always on another calendar day."""
    for name in ("Pacific/Kiritimati", "Etc/GMT+12"):
        if datetime.now(ZoneInfo(name)).date() != utcnow().date():
            return name
    raise AssertionError("both zones on UTC's day: the clock moved past a boundary mid-check")


def test_the_next_review_counts_from_the_teams_day_not_the_utc_date(app, client, auth, db):
    """SWEEP_TIMEZONE decides what day it is. A review concluded there counts
    its cadence from that day, even while UTC is on another one, and the
    daily sweep, which re-derives every open review's date, agrees."""
    zone = a_zone_on_another_day_than_utc()
    app.config["SWEEP_TIMEZONE"] = zone
    auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db, tier=Tier.LOW, status=LifecycleStatus.ACTIVE)
    review = make_review(db, vendor, due_date=today())
    db.commit()
    before = datetime.now(ZoneInfo(zone)).date()
    client.post(f"/reviews/{review.id}/waive", data={"waiver_reason": "Vendor being replaced in March"})
    after = datetime.now(ZoneInfo(zone)).date()
    db.expire_all()
    waived = db.get(Review, review.id)
    assert before <= waived.concluded_on <= after and waived.concluded_on != waived.completed_at.date()
    assert open_review_of(db, vendor).due_date == add_months(waived.concluded_on, 36)

    from vendorrisk.services.sweep import run_daily_sweep

    run_daily_sweep(db, waived.concluded_on + timedelta(days=1))
    db.commit()
    assert open_review_of(db, vendor).due_date == add_months(waived.concluded_on, 36)


def test_becoming_active_schedules_a_review_due_now(client, auth, db):
    auth.login_as(Role.PROCUREMENT)
    vendor = make_vendor(db, tier=Tier.LOW, status=LifecycleStatus.ONBOARDING)
    db.commit()
    from vendorrisk.services import vendors as vendor_service

    vendor_service._ensure_checklist(vendor)
    for item in vendor.checklist_items:
        item.state = "waived"
        item.waiver_reason = "test"
    db.commit()
    before = utcnow().date()
    response = client.post(f"/vendors/{vendor.id}/status", data={"status": "active"})
    after = utcnow().date()
    assert response.status_code == 302
    # due the day it became active; the bounds hold even if midnight passes during the request
    assert before <= open_review_of(db, vendor).due_date <= after


def test_vendor_override_needs_a_reason_and_moves_the_open_review(client, auth, db):
    auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db, status=LifecycleStatus.ACTIVE)
    make_review(db, vendor, due_date=today())
    db.commit()
    response = client.post(f"/reviews/vendors/{vendor.id}/schedule-settings",
                           data={"due_override": "2030-02-28", "reason": ""})
    assert response.status_code == 400
    assert "Say why" in response.get_data(as_text=True)
    response = client.post(f"/reviews/vendors/{vendor.id}/schedule-settings",
                           data={"due_override": "2030-02-28", "cadence_months": "6", "reason": "Contract renewal"})
    assert response.status_code == 302
    assert open_review_of(db, vendor).due_date == date(2030, 2, 28)
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "review_rescheduled")) is not None


def test_policy_changes_cadence_and_reschedules(client, auth, db):
    auth.login_as(Role.ADMIN)
    vendor = make_vendor(db, tier=Tier.MEDIUM, status=LifecycleStatus.ACTIVE)
    make_review(db, vendor, due_date=date(2020, 1, 1), status=ReviewStatus.COMPLETED,
                completed_at=datetime(2026, 1, 31, tzinfo=timezone.utc))
    make_review(db, vendor, due_date=date(2028, 1, 31))
    db.commit()
    assert client.get("/reviews/policy").status_code == 200
    bad = client.post("/reviews/policy", data={"critical_months": "0", "high_months": "12", "medium_months": "18",
                                               "low_months": "36", "issuance_lag_days": "42"})
    assert bad.status_code == 400
    client.post("/reviews/policy", data={"critical_months": "6", "high_months": "12", "medium_months": "13",
                                         "low_months": "36", "issuance_lag_days": "30"})
    db.expire_all()
    assert db.get(ReviewPolicy, 1).medium_months == 13
    assert open_review_of(db, vendor).due_date == date(2027, 2, 28)  # Jan 31 + 13 months, clamped


def test_viewers_see_reviews_but_cannot_manage_them(app, client, auth, db):
    auth.login_as(Role.VIEWER)
    vendor = make_vendor(db, name="Seen", status=LifecycleStatus.ACTIVE)
    make_extracted_report(db, vendor=vendor)
    review = make_review(db, vendor, due_date=today())
    db.commit()
    statements = []
    engine = session_factory(app).kw["bind"]
    record = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", record)
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    event.remove(engine, "before_cursor_execute", record)
    assert "Next review due" in page and "Complete review" not in page
    # Nor is what only the completion form shows read: the people to choose, the report's open items.
    assert not [s for s in statements if "report_item" in s or "ORDER BY user_account.name" in s]
    assert client.post(f"/reviews/{review.id}/complete", data={"outcome": "approved"}).status_code == 403


def test_register_filters_and_csv_export_escape_formulas(client, auth, db):
    auth.login_as(Role.VIEWER)
    late = make_vendor(db, name="=HYPERLINK(evil)", tier=Tier.HIGH, status=LifecycleStatus.ACTIVE)
    make_review(db, late, due_date=today() - timedelta(days=10), comment="@SUM(1)")
    soon = make_vendor(db, name="Soon Ltd", status=LifecycleStatus.ACTIVE)
    make_review(db, soon, due_date=today() + timedelta(days=20))
    later = make_vendor(db, name="Later Ltd", status=LifecycleStatus.ACTIVE)
    make_review(db, later, due_date=today() + timedelta(days=80))
    gone = make_vendor(db, name="Gone Ltd", status=LifecycleStatus.TERMINATED)
    make_review(db, gone, due_date=today() - timedelta(days=10))
    db.commit()

    def names(query):
        page = client.get(f"/reviews/?{query}").get_data(as_text=True)
        return [n for n in ("HYPERLINK", "Soon Ltd", "Later Ltd", "Gone Ltd") if n in page]

    assert names("due=overdue") == ["HYPERLINK"]  # a terminated vendor's leftover review is not overdue
    assert names("due=30") == ["Soon Ltd"]
    assert names("due=90") == ["Soon Ltd", "Later Ltd"]
    assert names("status=open") == ["HYPERLINK", "Soon Ltd", "Later Ltd", "Gone Ltd"]

    response = client.get("/reviews/export.csv?status=all")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == reviews.EXPORT_COLUMNS
    first = next(row for row in rows if "HYPERLINK" in row["vendor"])
    assert first["vendor"] == "'=HYPERLINK(evil)" and first["comment"] == "'@SUM(1)"
    assert first["tier"] == "high" and first["status"] == "scheduled"


def test_vendor_list_review_due_filter(client, auth, db):
    auth.login_as(Role.VIEWER)
    overdue = make_vendor(db, name="Overdue Co", status=LifecycleStatus.ACTIVE)
    make_review(db, overdue, due_date=today() - timedelta(days=1))
    make_vendor(db, name="Never Swept Co", status=LifecycleStatus.ACTIVE)  # no review yet: due now
    later = make_vendor(db, name="Later Co", status=LifecycleStatus.ACTIVE)
    make_review(db, later, due_date=today() + timedelta(days=60))
    make_vendor(db, name="Prospect Co", status=LifecycleStatus.PROSPECT)
    db.commit()

    def names(window):
        page = client.get(f"/vendors/?review_due={window}").get_data(as_text=True)
        return [n for n in ("Overdue Co", "Never Swept Co", "Later Co", "Prospect Co") if n in page]

    assert names("overdue") == ["Overdue Co"]
    assert names("30") == ["Never Swept Co"]
    assert names("90") == ["Never Swept Co", "Later Co"]
    assert names("unscheduled") == ["Never Swept Co", "Prospect Co"]


def test_vendor_page_explains_the_due_date(client, auth, db):
    auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db, name="Explained", tier=Tier.HIGH, status=LifecycleStatus.ACTIVE)
    make_review(db, vendor, due_date=date(2025, 5, 1), status=ReviewStatus.COMPLETED, outcome=ReviewOutcome.APPROVED,
                completed_at=datetime(2025, 5, 2, tzinfo=timezone.utc))
    db.commit()
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "2026-05-02" in page and "last review 2025-05-02 + 12 months" in page
    assert "not scheduled yet" in page and "Schedule a review now" in page
    client.post(f"/reviews/vendors/{vendor.id}/schedule")
    assert open_review_of(db, vendor).due_date == date(2026, 5, 2)


def test_a_report_arriving_after_the_review_does_not_postpone_the_next(db):
    vendor = make_vendor(db, tier=Tier.HIGH, status=LifecycleStatus.ACTIVE)
    reviewed = make_report(db, vendor, period_end=date(2024, 12, 31), queued_at=datetime(2025, 1, 15, tzinfo=timezone.utc))
    make_review(db, vendor, due_date=date(2025, 1, 1), status=ReviewStatus.COMPLETED, report_id=reviewed.id,
                completed_at=datetime(2025, 1, 20, tzinfo=timezone.utc))
    due = reviews.derive_due(db, vendor, date(2025, 6, 1))
    assert due.due == date(2026, 2, 11)  # waits for the next report: 2024-12-31 + 12 months + 42 days
    make_report(db, vendor, period_end=date(2025, 12, 31))  # that report arrives (uploaded now)
    assert reviews.derive_due(db, vendor, date(2026, 2, 1)).due == date(2026, 2, 11)  # still due: review it
