"""Evidence requests: the e-mailed link, the vendor's page behind it, and the sweep that chases."""
from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import (
    AuditEvent,
    EvidenceDocument,
    EvidenceKind,
    EvidenceLink,
    EvidenceRequest,
    EvidenceRequestStatus,
    EvidenceSubmission,
    JobStatus,
    LifecycleStatus,
    Notification,
    Report,
    Role,
)
from models.base import utcnow
from tests.factories import make_report, make_user, make_vendor
from tests.test_sweep import Inbox, free_port
from vendorrisk.infra import jobs
from vendorrisk.services import coverage, evidence
from vendorrisk.services.coverage import EvidenceState
from vendorrisk.services.sweep import run_daily_sweep

REPORT_PDF = Path(__file__).parent / "corpus" / "r05-tessellate.pdf"
LINK = re.compile(r"https?://[^\s]+/portal/([A-Za-z0-9_-]+)")


@pytest.fixture
def mailing(app_config):
    """The app sends through a real SMTP server (aiosmtpd) on a free port."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app_config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, MAIL_FROM="vendorrisk@example.test")
    yield inbox
    controller.stop()


def _request(db, vendor, *, actor=None, kinds=(EvidenceKind.SOC_REPORT,), due=None, link_days=30):
    request, mail = evidence.create_request(db, vendor, kinds=list(kinds), due_date=due or date.today() + timedelta(days=14),
                                            message="Please send your latest report.", actor=actor,
                                            today=date.today(), link_days=link_days)
    db.commit()
    return request, mail.token


def _upload(client, token, *, data: bytes | None = None, kind="soc_report", note="", name="report.pdf"):
    return client.post(f"/portal/{token}", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data if data is not None else REPORT_PDF.read_bytes()), name),
                             "kind": kind, "note": note})


def test_a_request_is_mailed_and_the_vendor_answers_through_the_link(mailing, app, client, db, auth):
    buyer = auth.login_as(Role.PROCUREMENT)
    vendor = make_vendor(db, name="Tessellate", status=LifecycleStatus.ACTIVE, contact_name="Dana Vendor",
                         contact_email="dana@tessellate.example", notes="Internal: price negotiation pending")
    db.commit()
    response = client.post(f"/vendors/{vendor.id}/requests", data={
        "kinds": ["soc_report", "iso27001"], "due_date": "2099-03-31", "message": "For the annual review."})
    assert response.status_code == 302

    assert len(mailing.messages) == 1
    message = mailing.messages[0]
    assert message["To"] == "dana@tessellate.example"
    body = message.get_payload(decode=True).decode()
    assert "SOC report, ISO/IEC 27001 certificate" in body and "2099-03-31" in body
    token = LINK.search(body).group(1)
    request = db.scalar(select(EvidenceRequest))
    assert request.email_state == "sent"
    # Only the hash is kept.
    link = db.scalar(select(EvidenceLink))
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in repr(link.__dict__)

    auth.logout()
    page = client.get(f"/portal/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for shown in ("Tessellate", buyer.display_name, "SOC report", "ISO/IEC 27001 certificate", "2099-03-31",
                  "For the annual review."):
        assert shown in html
    assert "price negotiation" not in html and "Sign out" not in html and "/vendors/" not in html
    assert page.headers["Referrer-Policy"] == "no-referrer"

    answer = _upload(client, token, note="Our 2026 report; the bridge letter follows.")
    assert answer.status_code == 200 and "was received" in answer.get_data(as_text=True)
    assert jobs.wait_for_jobs(app, timeout=300)
    db.expire_all()
    report = db.scalar(select(Report).where(Report.vendor_id == vendor.id))
    assert report.job_status == JobStatus.DONE and report.period_end is not None  # extracted like any upload
    submission = db.scalar(select(EvidenceSubmission))
    assert submission.document.report.id == report.id
    assert db.get(EvidenceRequest, request.id).status == EvidenceRequestStatus.ANSWERED
    told = db.scalar(select(Notification).where(Notification.user_id == buyer.id))
    assert told.kind == "evidence_answered" and "bridge letter follows" in told.body
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.vendor_id == vendor.id)))
    assert {"evidence_requested", "evidence_submitted", "document_uploaded"} <= actions

    auth.login(buyer)
    vendor_page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "report.pdf" in vendor_page and "bridge letter follows" in vendor_page


def test_without_a_mail_server_the_requester_gets_the_link_once(app, client, db, auth):
    auth.login_as(Role.SECURITY)
    vendor = make_vendor(db, contact_email="c@vendor.example")
    db.commit()
    response = client.post(f"/vendors/{vendor.id}/requests", data={"kinds": ["dpa"], "due_date": "2099-01-01"},
                           follow_redirects=True)
    token = LINK.search(response.get_data(as_text=True)).group(1)
    assert db.scalar(select(EvidenceRequest.email_state)) == "not_sent"
    assert client.get(f"/portal/{token}").status_code == 200


def test_a_request_needs_a_contact_and_a_future_due_date(app, client, db, auth):
    auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db)  # no contact e-mail
    db.commit()
    response = client.post(f"/vendors/{vendor.id}/requests", data={"kinds": ["soc_report"], "due_date": "2099-01-01"})
    assert response.status_code == 400 and "has no contact e-mail" in response.get_data(as_text=True)
    response = client.post(f"/vendors/{vendor.id}/requests", data={
        "kinds": ["soc_report"], "due_date": "2001-01-01", "recipient_email": "x@vendor.example"})
    assert response.status_code == 400 and "in the past" in response.get_data(as_text=True)
    response = client.post(f"/vendors/{vendor.id}/requests", data={"due_date": "2099-01-01",
                                                                   "recipient_email": "x@vendor.example"})
    assert response.status_code == 400 and "Choose at least one document" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(EvidenceRequest)) == 0


@pytest.mark.parametrize("spoil", ["tampered", "expired", "revoked", "lapsed"])
def test_a_dead_link_gets_a_plain_page_and_no_data(app, client, db, spoil):
    owner = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db, name="Hidden Vendor Ltd", contact_email="c@hidden.example")
    request, token = _request(db, vendor, actor=owner)
    if spoil == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif spoil == "expired":
        request.links[0].expires_at = utcnow() - timedelta(seconds=1)
    elif spoil == "revoked":
        evidence.cancel_request(db, request, actor=owner)
    else:
        request.status = EvidenceRequestStatus.LAPSED
    db.commit()
    for response in (client.get(f"/portal/{token}"), _upload(client, token)):
        html = response.get_data(as_text=True)
        assert response.status_code == 404 and "This link cannot be used" in html
        assert "Hidden Vendor" not in html and "c@hidden.example" not in html and "<nav" not in html
    assert db.scalar(select(func.count()).select_from(EvidenceSubmission)) == 0


def test_the_link_reaches_only_its_own_request(app, client, db):
    owner = make_user(db, role=Role.SECURITY)
    mine = make_vendor(db, name="Mine Co", contact_email="a@mine.example")
    other = make_vendor(db, name="Other Co", contact_email="b@other.example")
    other_report = make_report(db, other, period_end=date(2025, 12, 31))
    _, token = _request(db, mine, actor=owner)
    _request(db, other, actor=owner, kinds=(EvidenceKind.DPA,))
    assert "Other Co" not in client.get(f"/portal/{token}").get_data(as_text=True)
    # Holding a link opens nothing else: every app page still wants a sign-in.
    for path in ("/vendors/", f"/vendors/{other.id}", f"/reports/{other_report.id}",
                 f"/reports/documents/{other_report.document_id}", "/dashboard", "/api/v1/vendors"):
        response = client.get(path)
        assert response.status_code in (302, 401, 404), path
        if response.status_code == 302:
            assert "/login" in response.location
    assert client.get(f"/portal/{token}/../vendors/").status_code in (302, 404)
    # A kind the request does not ask for is refused.
    response = _upload(client, token, kind="dpa")
    assert response.status_code == 400 and "Other Co" not in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(EvidenceSubmission)) == 0


def test_wrong_links_from_one_address_are_throttled(app, client, db):
    vendor = make_vendor(db, contact_email="c@vendor.example")
    _, token = _request(db, vendor)
    for attempt in range(evidence.LINK_FAILURES_ALLOWED):
        assert client.get(f"/portal/guess{attempt:030d}").status_code == 404
    refused = client.get(f"/portal/{token}")
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_the_portal_takes_only_pdfs_and_keeps_other_evidence_apart(app, client, db):
    owner = make_user(db, role=Role.PROCUREMENT)
    vendor = make_vendor(db, contact_email="c@vendor.example")
    _, token = _request(db, vendor, actor=owner, kinds=(EvidenceKind.ISO27001,))
    refused = _upload(client, token, data=b"<html>not a pdf</html>", kind="iso27001")
    assert refused.status_code == 415 and "not a PDF" in refused.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(EvidenceSubmission)) == 0
    assert _upload(client, token, kind="iso27001", name="iso-cert.pdf").status_code == 200
    db.expire_all()
    document = db.scalar(select(EvidenceDocument))
    assert document.kind == EvidenceKind.ISO27001 and document.filename == "iso-cert.pdf"
    assert db.scalar(select(func.count()).select_from(Report)) == 0  # a certificate is not read as a SOC report


# ---------------------------------------------------------------- the daily sweep

def test_the_sweep_opens_a_next_report_request_on_the_day_and_never_twice(app, db):
    owner = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db, name="Yearly", status=LifecycleStatus.ACTIVE, contact_email="c@yearly.example",
                         security_owner_id=owner.id)
    make_report(db, vendor, period_end=date(2025, 12, 31))
    make_vendor(db, name="No contact", status=LifecycleStatus.ACTIVE)
    db.commit()
    # The next report is expected 12 months after the period end plus the 42-day issuance lag.
    due = date(2026, 12, 31) + timedelta(days=42)
    assert run_daily_sweep(db, due - timedelta(days=1)).vendor_mail == []
    opened = run_daily_sweep(db, due).vendor_mail
    assert [mail.to for mail in opened] == ["c@yearly.example"]
    assert run_daily_sweep(db, due).vendor_mail == [] and run_daily_sweep(db, due + timedelta(days=1)).vendor_mail == []
    db.commit()
    request = db.scalar(select(EvidenceRequest))
    assert db.scalar(select(func.count()).select_from(EvidenceRequest)) == 1
    assert request.kinds == ["soc_report", "bridge_letter"] and request.requested_by_id is None
    assert request.due_date == due + timedelta(days=evidence.SWEEP_ANSWER_DAYS)


def test_reminders_are_bounded_and_an_unanswered_request_lapses(app, db):
    owner = make_user(db, role=Role.COMPLIANCE)
    vendor = make_vendor(db, name="Silent", contact_email="c@silent.example")
    due = date.today() + timedelta(days=60)
    request, first_token = _request(db, vendor, actor=owner, due=due)

    def reminders_on(day):
        return [m for m in run_daily_sweep(db, day).vendor_mail if m.request_id == request.id]

    assert reminders_on(due - timedelta(days=8)) == []
    sent = [len(reminders_on(due + timedelta(days=offset))) for offset in (-7, -7, 0, 7, 8, 14, 20)]
    assert sent == [1, 0, 0, 1, 0, 1, 0]  # three reminders, each once
    db.commit()
    assert len(request.links) == 4  # every reminder carries a new link; earlier ones keep working
    assert request.status == EvidenceRequestStatus.OPEN
    run_daily_sweep(db, due + timedelta(days=evidence.LAPSE_AFTER_DAYS))
    db.commit()
    db.expire_all()
    assert db.get(EvidenceRequest, request.id).status == EvidenceRequestStatus.LAPSED
    lapse = db.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
    assert [n.kind for n in lapse] == ["evidence_lapsed"]
    run_daily_sweep(db, due + timedelta(days=evidence.LAPSE_AFTER_DAYS + 1))
    db.commit()
    assert db.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == owner.id)) == 1


def test_the_scheduled_sweep_mails_the_vendor_contact_a_working_link(mailing, app_config, db, client):
    from vendorrisk import create_app
    from vendorrisk.infra import scheduler

    app_config.update(BASE_URL="https://vr.example.test")
    app = create_app(app_config)
    vendor = make_vendor(db, name="Yearly", status=LifecycleStatus.ACTIVE, contact_email="c@yearly.example")
    make_report(db, vendor, period_end=date(2025, 12, 31))
    db.commit()
    day = date(2026, 12, 31) + timedelta(days=42)
    scheduler.run_sweep(app, day)
    scheduler.run_sweep(app, day)
    to_vendor = [m for m in mailing.messages if m["To"] == "c@yearly.example"]
    assert len(to_vendor) == 1
    body = to_vendor[0].get_payload(decode=True).decode()
    assert "https://vr.example.test/portal/" in body and "2025-12-31" in body
    token = LINK.search(body).group(1)
    assert app.test_client().get(f"/portal/{token}").status_code == 200
    db.expire_all()
    assert db.scalar(select(EvidenceRequest.email_state)) == "sent"


# ---------------------------------------------------------------- other evidence with expiry

def test_expiring_evidence_is_counted_listed_and_its_owner_reminded_once(app, client, db, auth):
    viewer = auth.login_as(Role.VIEWER)
    owner = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db, name="Certified", status=LifecycleStatus.ACTIVE, security_owner_id=owner.id,
                         contact_email="c@certified.example")
    today = date.today()
    for kind, expires, name in ((EvidenceKind.ISO27001, today + timedelta(days=10), "iso.pdf"),
                                (EvidenceKind.INSURANCE, today - timedelta(days=1), "insurance.pdf"),
                                (EvidenceKind.DPA, today + timedelta(days=400), "dpa.pdf")):
        db.add(EvidenceDocument(vendor=vendor, kind=kind, sha256=hashlib.sha256(name.encode()).hexdigest(),
                                filename=name, size_bytes=10, expires_on=expires, scope=f"scope of {name}"))
    _request(db, vendor, actor=owner)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Evidence requests in progress</dt><dd><strong>1</strong>" in dashboard
    packet = client.get(f"/vendors/{vendor.id}/packet").get_data(as_text=True)
    assert "iso.pdf" in packet and "(expiring)" in packet and "(expired)" in packet and "scope of dpa.pdf" in packet
    assert "c@certified.example" in packet  # the request in progress
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "insurance.pdf" in page and "Add a document" not in page  # a viewer sees, does not record

    from tests.factories import download_export

    register = download_export(client, "/exports/evidence.csv").data.decode("utf-8-sig")
    assert "insurance.pdf" in register and ",expired," in register and "scope of iso.pdf" in register

    run_daily_sweep(db, today)
    run_daily_sweep(db, today + timedelta(days=1))
    db.commit()
    reminders = db.scalars(select(Notification).where(Notification.kind == "evidence_expiring")).all()
    assert [(n.user_id, "ISO/IEC 27001" in n.subject) for n in reminders] == [(owner.id, True)]
    assert viewer.id not in {n.user_id for n in reminders}


def test_lapsing_evidence_is_a_coverage_gap_like_a_stale_report(app, client, db, auth):
    """A vendor holding an expired or expiring document is counted on the
    dashboard, found by the vendor list's filter and named in its coverage."""
    auth.login_as(Role.VIEWER)
    today = date.today()

    def vendor_with(name, expires, status=LifecycleStatus.ACTIVE):
        vendor = make_vendor(db, name=name, status=status)
        if expires is not None:
            db.add(EvidenceDocument(vendor=vendor, kind=EvidenceKind.ISO27001, filename=f"{name}.pdf", size_bytes=1,
                                    sha256=hashlib.sha256(name.encode()).hexdigest(), expires_on=expires))
        return vendor

    lapsed = vendor_with("Lapsed", today - timedelta(days=1))
    expiring = vendor_with("Expiring", today + timedelta(days=30))
    valid = vendor_with("Valid", today + timedelta(days=31))
    vendor_with("Undated", None)
    vendor_with("Terminated", today - timedelta(days=90), status=LifecycleStatus.TERMINATED)
    db.commit()

    assert coverage.evidence_counts(db, today) == {EvidenceState.EXPIRED: 1, EvidenceState.EXPIRING: 1}
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "/vendors/?status=active&amp;evidence=expired" in dashboard

    def listed(query):
        page = client.get(f"/vendors/?{query}").get_data(as_text=True)
        return {name for name in ("Lapsed", "Expiring", "Valid", "Undated", "Terminated") if f">{name}</a>" in page}

    assert listed("status=active&evidence=expired") == {"Lapsed"}
    assert listed("evidence=expired") == {"Lapsed", "Terminated"}
    assert listed("evidence=expired&evidence=expiring&status=active") == {"Lapsed", "Expiring"}
    assert listed("evidence=nonsense") == {"Lapsed", "Expiring", "Valid", "Undated", "Terminated"}  # ignored
    exported = client.get("/vendors/export.csv?evidence=expiring").get_data(as_text=True)
    assert "Expiring" in exported and "Lapsed" not in exported

    page = client.get(f"/vendors/{lapsed.id}").get_data(as_text=True)
    panel = page[page.index('id="coverage"'):]
    assert "Other evidence to renew" in panel and "Lapsed.pdf" in panel and "Expired</span>" in panel
    assert "Other evidence to renew" not in client.get(f"/vendors/{valid.id}").get_data(as_text=True)
    packet = client.get(f"/vendors/{expiring.id}/packet").get_data(as_text=True)
    assert "other evidence to renew: ISO/IEC 27001 certificate expiring" in packet


def test_a_reviewer_records_validity_and_bad_dates_lose_nothing(app, client, db, auth):
    auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db)
    db.commit()
    response = client.post(f"/vendors/{vendor.id}/evidence", content_type="multipart/form-data", data={
        "file": (io.BytesIO(REPORT_PDF.read_bytes()), "pentest.pdf"), "kind": "pentest",
        "issued_on": "2026-05-01", "expires_on": "2026-04-01", "scope": "External web apps"})
    assert response.status_code == 400 and "before the issue date" in response.get_data(as_text=True)
    assert "External web apps" in response.get_data(as_text=True)  # the input is shown again
    assert db.scalar(select(func.count()).select_from(EvidenceDocument)) == 0
    response = client.post(f"/vendors/{vendor.id}/evidence", content_type="multipart/form-data", data={
        "file": (io.BytesIO(REPORT_PDF.read_bytes()), "pentest.pdf"), "kind": "pentest",
        "issued_on": "2026-05-01", "expires_on": "2027-05-01", "scope": "External web apps"})
    assert response.status_code == 302
    document = db.scalar(select(EvidenceDocument))
    assert (document.kind, document.expires_on, document.scope) == (EvidenceKind.PENTEST, date(2027, 5, 1),
                                                                   "External web apps")
    download = client.get(f"/vendors/{vendor.id}/evidence/{document.id}/file")
    assert download.status_code == 200 and download.data == REPORT_PDF.read_bytes()
    other = make_vendor(db)
    db.commit()
    assert client.get(f"/vendors/{other.id}/evidence/{document.id}/file").status_code == 404


# ---------------------------------------------------------------- the API

def test_the_api_requests_lists_withdraws_and_records_validity(app, client, db):
    from tests.factories import make_api_token

    buyer = make_user(db, role=Role.PROCUREMENT)
    viewer = make_user(db, role=Role.VIEWER)
    vendor = make_vendor(db, contact_email="c@api.example")
    document = EvidenceDocument(vendor=vendor, kind=EvidenceKind.ISO27001, sha256="a" * 64, filename="iso.pdf",
                                size_bytes=10)
    db.add(document)
    buyer_auth = {"Authorization": f"Bearer {make_api_token(db, buyer)}"}
    viewer_auth = {"Authorization": f"Bearer {make_api_token(db, viewer)}"}
    db.commit()
    base = f"/api/v1/vendors/{vendor.id}"
    body = {"kinds": ["soc_report", "dpa"], "due_date": "2099-01-31", "message": "Annual review"}
    assert client.post(f"{base}/evidence-requests", json=body, headers=viewer_auth).status_code == 403
    created = client.post(f"{base}/evidence-requests", json=body, headers=buyer_auth)
    assert created.status_code == 201
    answer = created.get_json()
    assert answer["kinds"] == ["soc_report", "dpa"] and answer["email_state"] == "not_sent"
    token = LINK.search(answer["link"]).group(1)
    assert client.get(f"/portal/{token}").status_code == 200
    listed = client.get(f"{base}/evidence-requests", headers=viewer_auth).get_json()["items"]
    assert [r["id"] for r in listed] == [answer["id"]] and listed[0]["link"] is None  # the link is shown once
    past = client.post(f"{base}/evidence-requests", json={**body, "due_date": "2001-01-01"}, headers=buyer_auth)
    assert past.status_code == 400

    withdrawn = client.post(f"{base}/evidence-requests/{answer['id']}/withdraw", headers=buyer_auth)
    assert withdrawn.get_json()["status"] == "cancelled"
    assert client.get(f"/portal/{token}").status_code == 404

    changed = client.patch(f"{base}/evidence-documents/{document.id}", headers=buyer_auth,
                           json={"expires_on": "2000-01-01", "scope": "HQ only"})
    assert changed.status_code == 200 and changed.get_json()["state"] == "expired"
    listed = client.get(f"{base}/evidence-documents", headers=viewer_auth).get_json()["items"]
    assert [(d["filename"], d["scope"], d["expires_on"]) for d in listed] == [("iso.pdf", "HQ only", "2000-01-01")]

    pdf = REPORT_PDF.read_bytes()

    def upload(query, data=pdf, name="pentest.pdf", auth=buyer_auth):
        return client.post(f"{base}/evidence-documents?{query}", headers=auth, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), name)})

    assert upload("kind=pentest", auth=viewer_auth).status_code == 403
    assert upload("kind=soc_report").status_code == 400  # reports go through /reports, to be extracted
    assert upload("kind=pentest&issued_on=2026-05-01&expires_on=2026-04-01").status_code == 400
    assert upload("kind=pentest", data=b"not a pdf", name="pentest.txt").status_code == 415
    added = upload("kind=pentest&issued_on=2026-05-01&expires_on=2099-05-01")
    assert added.status_code == 201 and added.get_json()["kind"] == "pentest"
    assert upload("kind=pentest").status_code == 200  # the same bytes again: the same document, unchanged
    assert db.scalar(select(func.count()).select_from(EvidenceDocument)) == 2
    downloaded = client.get(added.headers["Location"], headers=viewer_auth)
    assert downloaded.status_code == 200 and downloaded.data == pdf
    assert client.get(f"/api/v1/vendors/{vendor.id}/evidence-documents/{document.id}/file",
                      headers=viewer_auth).status_code == 404  # recorded, but its file is not in the store


def test_the_sweep_asks_for_a_bridge_letter_once_when_coverage_needs_one(app, db):
    from tests.factories import make_bridge_letter

    vendor = make_vendor(db, name="Bridged", status=LifecycleStatus.ACTIVE, contact_email="c@bridged.example")
    report = make_report(db, vendor, period_end=date(2025, 12, 31))
    db.commit()
    assert run_daily_sweep(db, date(2026, 3, 31)).vendor_mail == []  # the report still covers
    [asked] = run_daily_sweep(db, date(2026, 4, 1)).vendor_mail  # three months after the period end
    assert "bridge letter covering the time since" in asked.body and "2025-12-31" in asked.body
    assert run_daily_sweep(db, date(2026, 4, 2)).vendor_mail == []
    db.commit()
    assert db.scalar(select(EvidenceRequest.kinds)) == ["bridge_letter"]
    # A received letter covering to March: when that runs out too, a new letter is asked for, once.
    make_bridge_letter(db, vendor, requested_on=date(2026, 4, 1), report=report, covered_through=date(2026, 3, 31),
                       received_on=date(2026, 4, 10))
    db.commit()
    assert run_daily_sweep(db, date(2026, 6, 30)).vendor_mail == []
    assert len(run_daily_sweep(db, date(2026, 7, 1)).vendor_mail) == 1
    assert run_daily_sweep(db, date(2026, 7, 2)).vendor_mail == []


def test_a_live_link_takes_a_real_sized_report_and_a_dead_one_does_not(app, client, db):
    """Visitors without an account may send only a sign-in form's worth; a live link lifts that."""
    vendor = make_vendor(db, contact_email="c@vendor.example")
    _, token = _request(db, vendor, kinds=(EvidenceKind.PENTEST,))
    big = REPORT_PDF.read_bytes() + b"%" + b"x" * (200 * 1024) + b"\n"
    assert _upload(client, token, data=big, kind="pentest").status_code == 200
    refused = _upload(client, "not-a-live-link-" + "x" * 30, data=big, kind="pentest")
    assert refused.status_code == 413 and "This link cannot be used" in refused.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(EvidenceSubmission)) == 1


def test_the_sweep_does_not_repeat_a_request_a_colleague_already_sent(app, db):
    owner = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db, status=LifecycleStatus.ACTIVE, contact_email="c@asked.example")
    make_report(db, vendor, period_end=date(2025, 12, 31))
    db.commit()
    _request(db, vendor, actor=owner, kinds=(EvidenceKind.BRIDGE_LETTER,), due=date(2099, 1, 1))
    assert run_daily_sweep(db, date(2026, 4, 1)).vendor_mail == []
