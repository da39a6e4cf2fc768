"""The evidence loop in a real browser: a requester asks a vendor for their
SOC report, the request arrives at a real SMTP server, the vendor opens the
link without an account and uploads the report, and the requester sees it
read. Uses the journey test's live server and Chromium (skipped, or failed
in CI, the same way when the browser is missing)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from models import JobStatus, LifecycleStatus, Report, Role
from tests.factories import DEFAULT_PASSWORD, make_user, make_vendor
from tests.test_browser_journey import READ_TIMEOUT_MS, TIMEOUT_MS, browser, live_server, server, sync_api  # noqa: F401
from tests.test_evidence import LINK, mailing  # noqa: F401
from vendorrisk.infra import jobs

REPORT_PDF = Path(__file__).parent / "corpus" / "r05-tessellate.pdf"
pytestmark = pytest.mark.slow


def test_a_vendor_answers_a_mailed_request_in_the_browser(mailing, live_server, server, app, db, browser):  # noqa: F811
    expect = sync_api.expect
    expect.set_options(timeout=TIMEOUT_MS)
    buyer = make_user(db, role=Role.PROCUREMENT, email="pat@example.com", name="Pat Procurement")
    vendor = make_vendor(db, name="Tessellate Data", status=LifecycleStatus.ACTIVE, contact_name="Dana",
                         contact_email="dana@tessellate.example", notes="Internal: renewal leverage")
    make_vendor(db, name="Some Other Vendor")
    db.commit()

    # The requester asks from the vendor's page.
    staff = browser.new_page()
    staff.set_default_timeout(TIMEOUT_MS)
    staff.goto(f"{server}/login")
    staff.get_by_label("E-mail").fill(buyer.email)
    staff.get_by_label("Password").fill(DEFAULT_PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.goto(f"{server}/vendors/{vendor.id}")
    staff.get_by_text("Request documents from dana@tessellate.example").click()
    staff.get_by_label("Due date").fill("2099-06-30")
    staff.get_by_label("Message").fill("For our annual review, please.")
    staff.get_by_role("button", name="Send request").click()
    expect(staff.locator(".flash")).to_contain_text("Request e-mailed to dana@tessellate.example")

    # The e-mail arrives at the SMTP server with the link.
    [message] = mailing.messages
    assert message["To"] == "dana@tessellate.example"
    link = LINK.search(message.get_payload(decode=True).decode()).group(0)
    assert link.startswith(server)

    # The vendor opens it in a browser of their own: no account, no cookies.
    outside = browser.new_context().new_page()
    outside.set_default_timeout(TIMEOUT_MS)
    outside.goto(link)
    expect(outside.get_by_role("heading", name="Documents requested from Tessellate Data")).to_be_visible()
    expect(outside.locator("body")).to_contain_text("Pat Procurement")
    expect(outside.locator("body")).to_contain_text("2099-06-30")
    body = outside.locator("body").inner_text()
    assert "Some Other Vendor" not in body and "renewal leverage" not in body and "Sign out" not in body
    assert outside.locator("nav").count() == 0
    outside.set_input_files("#file", str(REPORT_PDF))
    outside.get_by_label("Note (optional)").fill("The 2026 report; bridge letter to follow.")
    outside.get_by_role("button", name="Upload").click()
    expect(outside.get_by_role("status")).to_contain_text("r05-tessellate.pdf was received")
    # The link opens nothing else of the app.
    outside.goto(f"{server}/vendors/{vendor.id}")
    assert "/login" in outside.url

    # The report is read like any upload, and the requester sees it.
    assert jobs.wait_for_jobs(app, timeout=READ_TIMEOUT_MS / 1000)
    db.expire_all()
    assert db.scalar(select(Report.job_status).where(Report.vendor_id == vendor.id)) == JobStatus.DONE
    staff.goto(f"{server}/notifications/")
    expect(staff.locator("main")).to_contain_text("Tessellate Data sent SOC report: r05-tessellate.pdf")
    staff.goto(f"{server}/vendors/{vendor.id}")
    expect(staff.locator("#evidence")).to_contain_text("bridge letter to follow")
    staff.locator("#evidence").get_by_role("link", name="r05-tessellate.pdf").click()
    expect(staff.get_by_role("heading", name="Sign-off")).to_be_visible()
