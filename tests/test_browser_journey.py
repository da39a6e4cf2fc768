"""The security reviewer's journey in a real browser: sign in, upload a SOC
report, watch the progress bar, correct a report field the extractor
misread, open an exception on its highlighted page,
triage it, map a CUEC, sign off with the guardrails listed and a condition;
then compliance reopens the sign-off with a reason.

Chromium is Debian's (`apt-get install chromium`; `make test` installs it when
it can); Playwright's bundled driver runs it, and no browser is downloaded.
"""
from __future__ import annotations

import base64
import os
import re
import socket
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

import nlp.extract  # not skipped when missing: a broken extractor must fail this test
from models import (
    CuecStatus,
    ItemKind,
    JobStatus,
    Reopening,
    Report,
    ReportItem,
    Review,
    ReviewCondition,
    ReviewOutcome,
    ReviewStatus,
    Role,
    TriageStatus,
)
from tests.factories import DEFAULT_PASSWORD, make_user, make_vendor

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPORT_PDF = Path(__file__).parent / "corpus" / "r14-oakhurst.pdf"  # 18 pages, qualified opinion, 3 exceptions
pytestmark = pytest.mark.slow
TIMEOUT_MS = 30_000  # any one step; the extraction itself gets READ_TIMEOUT_MS
READ_TIMEOUT_MS = 300_000


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine without the browser; in CI (CI=true, set
    by .ci/run) a missing browser fails, so the journey is never silently untested."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


try:
    from playwright import sync_api
except ImportError:
    sync_api = None
    _unavailable("playwright is not installed (pip install -e '.[test]')")
if not CHROMIUM.exists():
    _unavailable("Chromium is not installed: apt-get install -y --no-install-recommends chromium "
                 "(make test does this when run as root)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_server(app_config):
    """A free port, and the app configured for it with CSRF on (request before `app`)."""
    port = _free_port()
    app_config.update(SERVER_NAME=f"127.0.0.1:{port}", WTF_CSRF_ENABLED=True)
    yield port


@pytest.fixture
def server(live_server, app):
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=live_server, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{live_server}"
    server.close()
    thread.join(5)


@pytest.fixture
def extraction_held_at_first_progress(monkeypatch):
    """Holds the background extraction after its first progress is stored, until
    the test sets the returned event (having seen that progress in the page).

    Without it, seeing the bar move would be a race: a fast machine reads the
    report before the page first polls, and a slow one leaves the test guessing
    how long to look. The first progress call always commits (only later ones
    are throttled, see vendorrisk.jobs), so the page can show it while held."""
    shown = threading.Event()
    extract_report = nlp.extract.extract_report

    def held(path, *args, progress=None, **kwargs):
        def progress_then_hold(pages_done: int, pages_total: int) -> None:
            progress(pages_done, pages_total)
            if pages_done < pages_total:
                shown.wait(timeout=120)  # bounded, so a failed test still lets the job end

        return extract_report(path, *args, progress=progress_then_hold if progress else None, **kwargs)

    monkeypatch.setattr(nlp.extract, "extract_report", held)
    yield shown
    shown.set()


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def test_security_reviews_a_report_from_upload_to_sign_off(server, app, db, browser, tmp_path,
                                                           extraction_held_at_first_progress):
    expect = sync_api.expect
    shots = Path(os.environ.get("VENDORRISK_SCREENSHOTS") or tmp_path)  # set it to look at the pages afterwards
    shots.mkdir(parents=True, exist_ok=True)
    reviewer = make_user(db, role=Role.SECURITY, email="sam@example.com", name="Sam Security")
    colleague = make_user(db, role=Role.SECURITY, name="Casey Controls")
    compliance = make_user(db, role=Role.COMPLIANCE, email="cora@example.com", name="Cora Compliance")
    vendor = make_vendor(db, name="Oakhurst Benefits")
    db.commit()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # Every step waits for a state of the page (Playwright's auto-waiting
    # locators and expect), never for an amount of time.
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"{message.text} {message.location.get('url')}")
            if message.type == "error" else None)

    # Sign in.
    page.goto(f"{server}/login")
    page.get_by_label("E-mail").fill(reviewer.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server}/")  # security lands on its own queue
    expect(page.get_by_role("heading", name="Reports awaiting review")).to_be_visible()

    # Find the vendor from the main navigation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Vendors").click()
    page.get_by_role("link", name=vendor.name).click()
    page.wait_for_url(f"{server}/vendors/{vendor.id}")

    # Upload the report on the vendor's page.
    # Drag the file onto the drop zone, as from a file manager.
    transfer = page.evaluate_handle(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "r14-oakhurst.pdf", { type: "application/pdf" }));
            return transfer;
        }""",
        base64.b64encode(REPORT_PDF.read_bytes()).decode(),
    )
    page.dispatch_event("[data-dropzone]", "dragenter", {"dataTransfer": transfer})
    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": transfer})
    expect(page.locator("[data-dropzone-list]")).to_contain_text("Selected: r14-oakhurst.pdf")
    page.locator("#reports").screenshot(path=str(shots / "vendor-upload.png"))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(f"{server}/reports/*")

    # The progress bar shows the page count while the report is read (held
    # there until seen), then the page reloads itself with the results.
    expect(page.locator("[data-job-progress-text]")).to_have_text(re.compile(r"Page \d+ of 18\."))
    extraction_held_at_first_progress.set()
    expect(page.get_by_role("heading", name="Sign-off")).to_be_visible(timeout=READ_TIMEOUT_MS)
    page.screenshot(path=str(shots / "report.png"), full_page=True)

    # A modified opinion is impossible to miss.
    expect(page.get_by_role("alert").first).to_contain_text("Modified opinion: Qualified.")

    # Correct a field the extractor read from the letterhead: the opinion is
    # signed by the firm's LLP. The extracted value stays beside the correction.
    page.locator("summary", has_text="Edit report details").click()
    page.get_by_label("Service auditor").fill("Alder Kane Assurance LLP")
    page.get_by_label("Reason for the correction").fill("The opinion on page 3 is signed by the LLP.")
    page.get_by_role("button", name="Save corrections").click()
    expect(page.locator(".flash")).to_contain_text("Report details corrected")
    details = page.locator("#details")
    expect(details).to_contain_text("Alder Kane Assurance LLP")
    expect(details).to_contain_text("corrected by Sam Security")
    expect(details).to_contain_text("extracted: Alder Kane Assurance Ltd")

    # Open an exception: its page is shown with the item highlighted.
    page.locator("table.items tbody tr").first.locator("a").first.click()
    page.wait_for_url(f"{server}/reports/*/items/*")
    image = page.locator("#page-image")
    image.wait_for()
    page.wait_for_function("document.querySelector('#page-image').complete && "
                           "document.querySelector('#page-image').naturalWidth > 0")
    page.screenshot(path=str(shots / "exception.png"), full_page=True)

    # Triage it.
    page.get_by_label("Status").select_option("follow_up_required")
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Assignee").select_option(label="Casey Controls")
    page.get_by_label("Follow-up due").fill("2030-03-31")
    page.get_by_label("Notes").fill("Ask for the remediation evidence.")
    page.get_by_role("button", name="Save triage").click()
    expect(page.locator(".flash")).to_contain_text("Exception triaged: follow up required.")

    # Map a CUEC to its owner and our control.
    page.get_by_role("link", name=page.locator("nav[aria-label=breadcrumb] li").nth(1).inner_text()).click()
    page.locator("nav.tabs").get_by_role("link", name="CUECs").click()
    page.wait_for_url(re.compile(r"/reports/\d+\?tab=cuecs$"))
    page.locator("table.items tbody tr").first.locator("a").first.click()
    page.get_by_label("Internal owner").select_option(label="Sam Security")
    page.get_by_label("Internal control reference").fill("HR-03")
    page.get_by_label("Status").select_option("implemented")
    page.get_by_label("Evidence").fill("Quarterly HR access review")
    page.get_by_role("button", name="Save mapping").click()
    expect(page.locator(".flash")).to_contain_text("CUEC mapping saved.")

    # Sign off the review. The guardrails are listed before anything is
    # submitted: a qualified opinion, two exceptions left in triage, CUECs
    # nobody assessed, and a period that ended in March 2025 (stale); so the
    # approval takes a rationale, and its condition becomes a follow-up with
    # an owner and a due date.
    page.get_by_role("link", name="r14-oakhurst.pdf").click()
    guardrails = page.locator("#signoff-guardrails")
    expect(guardrails).to_contain_text("A rationale is required")
    expect(guardrails.locator("[data-guardrail]")).to_have_count(4)
    expect(guardrails).to_contain_text("Modified opinion")
    expect(guardrails).to_contain_text("Stale report")
    expect(guardrails).to_contain_text("2 exceptions are still new or in review.")
    page.get_by_label("Conclusion").select_option("approved_with_conditions")
    page.get_by_label("Rationale").fill("Qualified on change management; approved once the follow-up is evidenced.")
    page.get_by_label("Condition 1", exact=True).fill("Evidence that change approvals are enforced")
    page.get_by_label("Owner of condition 1", exact=True).select_option(label="Casey Controls")
    page.get_by_label("Due date of condition 1", exact=True).fill("2030-06-30")
    page.get_by_role("button", name="Sign off the review").click()
    expect(page.locator(".flash")).to_contain_text("Review concluded")
    page.screenshot(path=str(shots / "signed.png"), full_page=True)
    assert [e for e in errors if "favicon.ico" not in e] == []  # no script errors, no broken links or images

    # Compliance (a second user) reopens the sign-off, with a reason.
    page.context.clear_cookies()
    page.goto(f"{server}/login")
    page.get_by_label("E-mail").fill(compliance.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server}/dashboard")
    page.goto(f"{server}/vendors/{vendor.id}")
    expect(page.locator("#conditions ~ .table-wrap")).to_contain_text("Evidence that change approvals are enforced")
    page.get_by_role("link", name="r14-oakhurst.pdf").first.click()
    page.get_by_text("Reopen this sign-off…").click()
    page.get_by_label("Reason for reopening").fill("The qualification covers the change process we rely on.")
    page.get_by_role("button", name="Reopen sign-off").click()
    expect(page.locator(".flash")).to_contain_text("Sign-off reopened")
    expect(page.locator("#sign-off")).to_contain_text("The qualification covers the change process we rely on.")
    expect(page.get_by_role("button", name="Sign off the review")).to_be_visible()
    page.screenshot(path=str(shots / "reopened.png"), full_page=True)
    assert [e for e in errors if "favicon.ico" not in e] == []

    db.expire_all()
    report = db.scalar(select(Report))
    assert report.job_status == JobStatus.DONE
    assert report.auditor == "Alder Kane Assurance LLP"  # the correction is the value the app uses
    triaged = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.EXCEPTION,
                                                 ReportItem.triage_status == TriageStatus.FOLLOW_UP_REQUIRED))
    assert triaged.assignee_id == colleague.id and str(triaged.due_date) == "2030-03-31"
    mapped = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.CUEC, ReportItem.owner_id == reviewer.id))
    assert mapped.control_reference == "HR-03" and mapped.cuec_status == CuecStatus.IMPLEMENTED
    assert report.signed_off_at is None  # reopened
    review = db.scalar(select(Review).where(Review.report_id == report.id))
    assert review.status == ReviewStatus.IN_PROGRESS
    earlier = db.scalar(select(Reopening))
    assert (earlier.outcome, earlier.concluded_by_id, earlier.reopened_by_id) == (
        ReviewOutcome.APPROVED_WITH_CONDITIONS, reviewer.id, compliance.id)
    condition = db.scalar(select(ReviewCondition))
    assert (condition.owner_id, str(condition.due_date)) == (colleague.id, "2030-06-30")
