"""Work comes to the person: a new SOC report tells the vendor's security
owner, an assigned exception its assignee (at once), and the daily sweep
tells assignees of follow-ups come due and business owners and procurement
of renewal-notice dates and expired contracts, each once, in the app and
by e-mail at a real SMTP server."""
from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from models import EmailStatus, ItemKind, LifecycleStatus, Notification, ReportItem, Role, TriageStatus
from tests.factories import contract_document, make_extracted_report, make_user, make_vendor
from vendorrisk.infra import jobs
from vendorrisk.infra.db import session_factory
from vendorrisk.services.sweep import run_daily_sweep

SMALL_PDF = Path(__file__).parent / "corpus" / "notsoc-invoice.pdf"  # a real 1-page PDF: quick to read


def notifications_of(db, user, kind=None):
    db.expire_all()
    query = select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.scalars(query.order_by(Notification.id)))


def sweep(app, today, **options):
    """One sweep in its own session, committed, as the scheduler's job does."""
    with session_factory(app)() as session:
        result = run_daily_sweep(session, today, **options)
        session.commit()
    return result


def with_exception(db, **item):
    report = make_extracted_report(db, vendor=make_vendor(db, name="Ledgerly", status=LifecycleStatus.ACTIVE),
                                   document=contract_document(exceptions=[
                                       {"control_id": "CC6.2", "description": "Leavers kept access.", **item}]))
    return report, db.scalar(select(ReportItem).where(ReportItem.report_id == report.id,
                                                      ReportItem.kind == ItemKind.EXCEPTION))


# --- At the moment it happens ------------------------------------------------------------

def test_an_uploaded_report_tells_the_security_owner_in_the_app_and_by_mail(app_config, db, smtp_server):
    from vendorrisk import create_app
    from vendorrisk.infra import mailer

    controller, inbox = smtp_server
    app_config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, MAIL_FROM="vendorrisk@example.test",
                      BASE_URL="https://vr.example.test")
    app = create_app(app_config)
    client = app.test_client()
    owner = make_user(db, role=Role.SECURITY, email="sec-owner@example.test")
    uploader = make_user(db, role=Role.PROCUREMENT)
    vendor = make_vendor(db, name="Northwind", security_owner_id=owner.id)
    db.commit()
    client.post("/login", data={"email": uploader.email, "password": "correct horse battery"})

    response = client.post(f"/vendors/{vendor.id}/documents", content_type="multipart/form-data",
                           data={"files": [(io.BytesIO(SMALL_PDF.read_bytes()), "northwind-soc2.pdf")],
                                 "kind": "soc_report"})
    assert response.status_code == 302
    assert jobs.wait_for_jobs(app, timeout=300)

    [notice] = notifications_of(db, owner, "report_uploaded")
    report_id = int(response.location.rstrip("/").rsplit("/", 1)[-1])
    assert notice.link == f"/reports/{report_id}"
    assert "Northwind" in notice.subject and "northwind-soc2.pdf" in notice.body
    assert notice.email_status == EmailStatus.PENDING
    assert notifications_of(db, uploader) == []  # the uploader knows already

    assert mailer.send_pending(app) == (1, 0)
    [message] = inbox.messages
    assert message["To"] == owner.email and message["Subject"] == "New SOC report for Northwind"
    assert f"https://vr.example.test/reports/{report_id}" in message.get_payload()

    # The owner opens the bell and follows the link.
    client.post("/logout")
    client.post("/login", data={"email": owner.email, "password": "correct horse battery"})
    assert "New SOC report for Northwind" in client.get("/notifications/").get_data(as_text=True)
    opened = client.post(f"/notifications/{notice.id}/open")
    assert opened.status_code == 302 and opened.location.endswith(f"/reports/{report_id}")


def test_an_upload_without_a_security_owner_tells_nobody(app, client, db, auth):
    auth.login_as(Role.SECURITY)
    vendor = make_vendor(db, name="Ownerless")
    db.commit()
    client.post(f"/vendors/{vendor.id}/documents", content_type="multipart/form-data",
                data={"files": [(io.BytesIO(SMALL_PDF.read_bytes()), "r.pdf")], "kind": "soc_report"})
    assert jobs.wait_for_jobs(app, timeout=300)
    db.expire_all()
    assert db.scalar(select(Notification)) is None


def test_assigning_an_exception_tells_the_assignee_at_once_and_only_then(app, client, db, auth):
    reviewer = auth.login_as(Role.SECURITY)
    colleague = make_user(db, role=Role.SECURITY)
    report, item = with_exception(db)
    db.commit()
    triage = f"/reports/{report.id}/items/{item.id}/triage"

    response = client.post(triage, data={"triage_status": "in_review", "assignee_id": colleague.id})
    assert response.status_code == 302

    [notice] = notifications_of(db, colleague, "exception_assigned")
    assert notice.link == f"/reports/{report.id}/items/{item.id}"
    assert notice.subject == "Exception assigned to you: Ledgerly"
    assert reviewer.display_name in notice.body and "CC6.2" in notice.body
    assert notice.email_status == EmailStatus.NOT_SENT  # no SMTP server configured: in the app only

    # Saving the triage again, same assignee: not assigned anew, no second notice.
    client.post(triage, data={"triage_status": "follow_up_required", "severity": "high", "due_date": "2026-05-01",
                              "assignee_id": colleague.id})
    assert len(notifications_of(db, colleague)) == 1
    # Taking it over oneself tells nobody.
    client.post(triage, data={"triage_status": "in_review", "assignee_id": reviewer.id})
    assert notifications_of(db, reviewer) == [] and len(notifications_of(db, colleague)) == 1


def test_the_api_assigning_an_exception_tells_the_assignee(app, client, db):
    from tests.factories import make_api_token

    reviewer = make_user(db, role=Role.SECURITY)
    colleague = make_user(db, role=Role.SECURITY)
    report, item = with_exception(db)
    token = make_api_token(db, reviewer)
    db.commit()
    response = client.patch(f"/api/v1/exceptions/{item.id}", json={"assignee_id": colleague.id},
                            headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [n.link for n in notifications_of(db, colleague, "exception_assigned")] == [
        f"/reports/{report.id}/items/{item.id}"]


# --- From the daily sweep ----------------------------------------------------------------

def test_a_follow_up_come_due_tells_its_assignee_once_per_due_date(app, db):
    assignee = make_user(db, role=Role.SECURITY)
    report, item = with_exception(db)
    item.triage_status, item.severity = TriageStatus.FOLLOW_UP_REQUIRED, "high"
    item.assignee_id, item.due_date = assignee.id, date(2026, 5, 1)
    db.commit()

    sweep(app, date(2026, 4, 30))
    assert notifications_of(db, assignee) == []  # not due yet

    sweep(app, date(2026, 5, 1))
    [notice] = notifications_of(db, assignee, "exception_due")
    assert notice.link == f"/reports/{report.id}/items/{item.id}"
    assert notice.subject == "Follow-up of Ledgerly's exception CC6.2: due today (2026-05-01)"

    sweep(app, date(2026, 5, 1))  # the same day again (a restart)
    sweep(app, date(2026, 5, 9))  # still overdue a week later
    assert len(notifications_of(db, assignee)) == 1

    # A new due date is a new notice, once.
    item = db.get(ReportItem, item.id)
    item.due_date = date(2026, 6, 1)
    db.commit()
    sweep(app, date(2026, 6, 2))
    sweep(app, date(2026, 6, 3))
    assert [n.subject for n in notifications_of(db, assignee)][1:] == [
        "Follow-up of Ledgerly's exception CC6.2: overdue since 2026-06-01 (1 day)"]


def test_a_concluded_or_unassigned_follow_up_tells_nobody(app, db):
    assignee = make_user(db, role=Role.SECURITY)
    _, item = with_exception(db)
    item.triage_status, item.assignee_id, item.due_date = TriageStatus.RISK_ACCEPTED, assignee.id, date(2026, 5, 1)
    db.commit()
    sweep(app, date(2026, 5, 2))
    assert notifications_of(db, assignee) == []


def test_renewal_notice_and_expired_contracts_tell_the_business_owner_and_procurement_once(app, db):
    today = date(2026, 3, 1)
    owner = make_user(db, role=Role.SECURITY, name="Bea Owner")
    buyer = make_user(db, role=Role.PROCUREMENT)
    other = make_user(db, role=Role.COMPLIANCE)
    renewing = make_vendor(db, name="Renewing", status=LifecycleStatus.ACTIVE, business_owner_id=owner.id,
                           renewal_notice_date=today + timedelta(days=20), contract_end=today + timedelta(days=110))
    make_vendor(db, name="Lapsed", status=LifecycleStatus.ACTIVE, contract_end=today - timedelta(days=3))
    make_vendor(db, name="Far off", status=LifecycleStatus.ACTIVE, renewal_notice_date=today + timedelta(days=45))
    make_vendor(db, name="Gone", status=LifecycleStatus.TERMINATED, contract_end=today - timedelta(days=3))
    db.commit()

    sweep(app, today)

    [to_owner] = notifications_of(db, owner, "contract_notice")  # (they also own the review the sweep schedules)
    assert to_owner.kind == "contract_notice" and to_owner.link == f"/vendors/{renewing.id}"
    assert to_owner.subject == "Renewing: renewal notice due 2026-03-21 (in 20 days)"
    [to_buyer] = notifications_of(db, buyer)
    assert to_buyer.subject == "2 vendor contracts need a decision" and to_buyer.link == "/"
    assert to_buyer.body.splitlines()[2:] == [  # the expired one first
        "- Lapsed: contract ended 2026-02-26 but the vendor is still active",
        "- Renewing: renewal notice due 2026-03-21 (in 20 days)",
    ]
    assert notifications_of(db, other, "contract_notice") == []

    sweep(app, today)
    sweep(app, today + timedelta(days=1))
    assert len(notifications_of(db, owner, "contract_notice")) == 1 and len(notifications_of(db, buyer)) == 1


def test_the_renewal_window_is_configurable(app, db):
    today = date(2026, 3, 1)
    buyer = make_user(db, role=Role.PROCUREMENT)
    make_vendor(db, name="Soon", status=LifecycleStatus.ACTIVE, renewal_notice_date=today + timedelta(days=20))
    db.commit()
    sweep(app, today, renewal_window_days=10)
    assert notifications_of(db, buyer) == []
    sweep(app, today, renewal_window_days=60)
    assert [n.subject for n in notifications_of(db, buyer)] == ["Soon: renewal notice due 2026-03-21 (in 20 days)"]


def test_the_scheduler_reads_the_renewal_window_setting(app_config, db):
    from vendorrisk import create_app
    from vendorrisk.infra import scheduler

    app_config.update(RENEWAL_NOTICE_WINDOW_DAYS=90)
    app = create_app(app_config)
    buyer = make_user(db, role=Role.PROCUREMENT)
    make_vendor(db, name="Quarter away", status=LifecycleStatus.ACTIVE,
                renewal_notice_date=date(2026, 3, 1) + timedelta(days=80))
    db.commit()
    scheduler.run_sweep(app, date(2026, 3, 1))
    assert len(notifications_of(db, buyer)) == 1
