"""A home page per role: `/` shows security its review queue, procurement its
onboarding and renewals, and sends compliance and admin to the dashboard;
lists page, say when they are empty, and cost the same number of queries
however many rows they show."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from models import (
    ChecklistItemKind,
    ChecklistItemState,
    CuecStatus,
    ItemKind,
    LifecycleStatus,
    OnboardingChecklistItem,
    ReportItem,
    ReviewOutcome,
    Role,
    Tier,
    TriageStatus,
)
from tests.factories import contract_document, make_extracted_report, make_report, make_user, make_vendor
from vendorrisk.infra import clock
from vendorrisk.infra.db import session_factory

NAV_PAGES = ("/dashboard", "/vendors/", "/cuecs/unowned", "/fourth-parties/", "/reviews/", "/exports/",
             "/notifications/")


def page_of(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}"')
    return html[start:html.index("</section>", start)]


@pytest.fixture
def count_queries(app):
    """A list that collects every SQL statement the app runs while it is filled."""
    engine = session_factory(app).kw["bind"]
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield statements
    event.remove(engine, "before_cursor_execute", record)


def exceptions_and_cuecs(db, vendor, *, exceptions=2, cuecs=3, **fields):
    return make_extracted_report(db, vendor=vendor, document=contract_document(
        exceptions=[{"control_id": f"CC{n}.1", "description": f"Exception {n}"} for n in range(exceptions)],
        cuecs=[{"text": f"User entities control {n}."} for n in range(cuecs)]), **fields)


# --- Security --------------------------------------------------------------------------

def test_security_sees_reports_awaiting_review_with_what_is_left_to_do(app, client, db, auth):
    auth.login_as(Role.SECURITY)
    waiting = exceptions_and_cuecs(db, make_vendor(db, name="Waiting Co"), filename="waiting-soc2.pdf")
    items = db.scalars(select(ReportItem).where(ReportItem.report_id == waiting.id)).all()
    next(i for i in items if i.kind == ItemKind.EXCEPTION).triage_status = TriageStatus.ACCEPTED
    next(i for i in items if i.kind == ItemKind.CUEC).cuec_status = CuecStatus.IMPLEMENTED
    exceptions_and_cuecs(db, make_vendor(db, name="Signed Co"), signoff_outcome=ReviewOutcome.APPROVED)
    make_report(db, make_vendor(db, name="Still Reading Co"))  # extraction not done
    db.commit()

    queue = section(page_of(client), "awaiting-review")

    assert "Waiting Co" in queue and f"/reports/{waiting.id}" in queue and "waiting-soc2.pdf" in queue
    assert '<span class="badge badge-warn">1</span>' in queue  # 1 of 2 exceptions untriaged
    assert '<span class="badge badge-warn">2</span>' in queue  # 2 of 3 CUECs unassessed
    assert "Signed Co" not in queue and "Still Reading Co" not in queue


def test_security_sees_its_own_exceptions_overdue_first(app, client, db, auth):
    me = auth.login_as(Role.SECURITY)
    colleague = make_user(db, role=Role.SECURITY)
    today = clock.today(app)
    report = exceptions_and_cuecs(db, make_vendor(db, name="Ledgerly"), exceptions=5, cuecs=0)
    first, second, third, theirs, done = db.scalars(
        select(ReportItem).where(ReportItem.report_id == report.id).order_by(ReportItem.position)).all()
    for item, due, status in ((first, None, TriageStatus.IN_REVIEW),
                              (second, today + timedelta(days=9), TriageStatus.FOLLOW_UP_REQUIRED),
                              (third, today - timedelta(days=2), TriageStatus.FOLLOW_UP_REQUIRED),
                              (done, None, TriageStatus.RISK_ACCEPTED)):
        item.assignee_id, item.due_date, item.triage_status = me.id, due, status
    theirs.assignee_id = colleague.id
    db.commit()

    mine = section(page_of(client), "my-exceptions")

    links = [f"/items/{item.id}" for item in (third, second, first)]
    positions = [mine.index(link) for link in links]
    assert positions == sorted(positions)  # overdue, then by due date, then no due date
    assert mine.count("Overdue") == 1 and (today - timedelta(days=2)).isoformat() in mine
    assert f"/items/{theirs.id}" not in mine and f"/items/{done.id}" not in mine


def test_security_home_says_when_there_is_nothing_to_do_and_keeps_the_nav(app, client, db, auth):
    auth.login_as(Role.SECURITY)
    html = page_of(client)
    assert "No report is waiting for review" in html and "No exception is assigned to you" in html
    for url in NAV_PAGES:
        assert f'href="{url}"' in html, url
        page_of(client, url)


def test_each_list_pages_on_its_own(app_config, db):
    from vendorrisk import create_app

    app_config.update(PER_PAGE=2)
    app = create_app(app_config)
    client = app.test_client()
    me = make_user(db, role=Role.SECURITY)
    for n in range(5):
        exceptions_and_cuecs(db, make_vendor(db, name=f"Vendor {n}"), filename=f"report-{n}.pdf", exceptions=1)
    db.commit()
    client.post("/login", data={"email": me.email, "password": "correct horse battery"})

    first = section(page_of(client), "awaiting-review")
    third = section(page_of(client, "/?reports_page=3"), "awaiting-review")
    assert "report-0.pdf" in first and "report-1.pdf" in first and "report-2.pdf" not in first
    assert "report-4.pdf" in third and "Page 3 of 3 · 5 in all" in third
    assert "reports_page=2" in first  # the link to the next page
    assert "No exception is assigned to you" in page_of(client, "/?reports_page=3")


def test_the_home_page_runs_the_same_queries_for_many_rows_as_for_one(app, client, db, auth, count_queries):
    """Eager loads, not a query per row (N+1)."""
    me = auth.login_as(Role.SECURITY)

    def add(n):
        exceptions_and_cuecs(db, make_vendor(db, name=f"Waiting {n}"), exceptions=1)
        # A signed-off report's exception: its report and vendor are not on the page otherwise.
        report = exceptions_and_cuecs(db, make_vendor(db, name=f"Signed {n}"), exceptions=1,
                                      signoff_outcome=ReviewOutcome.APPROVED)
        item = db.scalar(select(ReportItem).where(ReportItem.report_id == report.id, ReportItem.kind == ItemKind.EXCEPTION))
        item.assignee_id = me.id
        db.commit()

    add(0)
    page_of(client)
    count_queries.clear()
    page_of(client)
    with_one = len(count_queries)
    for n in range(1, 6):
        add(n)
    count_queries.clear()
    html = page_of(client)
    assert html.count("/items/") == 6 and html.count("Waiting ") == 6 and html.count("Signed ") == 6
    assert len(count_queries) == with_one


# --- Procurement -------------------------------------------------------------------------

def test_procurement_home_runs_the_same_queries_for_many_rows_as_for_one(app, client, db, auth, count_queries):
    auth.login_as(Role.PROCUREMENT)
    today = clock.today(app)

    def add(n):
        owner = make_user(db, role=Role.SECURITY, name=f"Owner {n}")
        # Evidence the checklist reads: an owner, a signed-off report (with who signed it).
        onboarding = make_vendor(db, name=f"Onboarding {n}", tier=Tier.HIGH, status=LifecycleStatus.ONBOARDING,
                                 business_owner_id=owner.id)
        db.add(OnboardingChecklistItem(vendor_id=onboarding.id, kind=ChecklistItemKind.OWNER_ASSIGNED))
        make_report(db, onboarding, period_end=today - timedelta(days=60), signoff_outcome=ReviewOutcome.APPROVED,
                    signed_off_by_id=owner.id)
        make_vendor(db, name=f"Renewing {n}", status=LifecycleStatus.ACTIVE, business_owner_id=owner.id,
                    contract_end=today + timedelta(days=n + 1))
        db.commit()

    add(0)
    page_of(client)
    count_queries.clear()
    page_of(client)
    with_one = len(count_queries)
    for n in range(1, 6):
        add(n)
    count_queries.clear()
    html = page_of(client)
    assert html.count("3 of 4 required items done") == 6 and html.count("Owner ") == 6
    assert len(count_queries) == with_one


def test_procurement_sees_onboarding_with_checklist_progress(app, client, db, auth):
    auth.login_as(Role.PROCUREMENT)
    vendor = make_vendor(db, name="Onboarding Co", tier=Tier.LOW, status=LifecycleStatus.ONBOARDING)
    db.add(OnboardingChecklistItem(vendor_id=vendor.id, kind=ChecklistItemKind.CONTRACT_DPA,
                                   state=ChecklistItemState.DONE))  # ticked by hand (a DPA signed on paper)
    owner = make_user(db, role=Role.SECURITY)
    # The app sees this one's owner and contract: both items done without anyone ticking them.
    seen = make_vendor(db, name="Evidenced Co", tier=Tier.LOW, status=LifecycleStatus.ONBOARDING,
                       business_owner_id=owner.id, contract_start=date(2026, 1, 1), contract_end=date(2027, 1, 1))
    db.add(OnboardingChecklistItem(vendor_id=seen.id, kind=ChecklistItemKind.CONTRACT_DPA))
    make_vendor(db, name="Active Co", status=LifecycleStatus.ACTIVE)
    db.commit()

    onboarding = section(page_of(client), "onboarding")
    assert "Evidenced Co" in onboarding and "2 of 2 required items done" in onboarding

    from vendorrisk.services.vendors import required_checklist_items

    required = len(required_checklist_items(Tier.LOW))
    assert "Onboarding Co" in onboarding and f"1 of {required} required items done" in onboarding
    assert f"/vendors/{vendor.id}#onboarding" in onboarding and "Active Co" not in onboarding


def test_procurement_sees_renewals_expired_while_active_first(app, client, db, auth):
    auth.login_as(Role.PROCUREMENT)
    today = clock.today(app)
    owner = make_user(db, role=Role.SECURITY, name="Bea Owner")
    notice = make_vendor(db, name="Notice Soon", status=LifecycleStatus.ACTIVE, business_owner_id=owner.id,
                         renewal_notice_date=today + timedelta(days=5), contract_end=today + timedelta(days=95))
    ending = make_vendor(db, name="Ending Soon", status=LifecycleStatus.ACTIVE, contract_end=today + timedelta(days=20))
    expired = make_vendor(db, name="Expired Co", status=LifecycleStatus.ACTIVE, contract_end=today - timedelta(days=1))
    make_vendor(db, name="Far Away", status=LifecycleStatus.ACTIVE, renewal_notice_date=today + timedelta(days=200))
    make_vendor(db, name="Terminated Co", status=LifecycleStatus.TERMINATED, contract_end=today - timedelta(days=1))
    db.commit()

    renewals = section(page_of(client), "renewals")

    positions = [renewals.index(f"/vendors/{v.id}\"") for v in (expired, notice, ending)]
    assert positions == sorted(positions)
    assert renewals.count("Expired, vendor still active") == 1 and "Bea Owner" in renewals
    assert "Far Away" not in renewals and "Terminated Co" not in renewals
    assert "No vendor is being onboarded" in page_of(client)


def test_procurement_home_says_when_there_is_nothing_to_do(app, client, db, auth):
    auth.login_as(Role.PROCUREMENT)
    html = page_of(client)
    assert "No vendor is being onboarded" in html and "No contract needs a decision in the next 30 days" in html
    assert 'href="/dashboard"' in html


# --- Everyone else -----------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.COMPLIANCE, Role.ADMIN, Role.VIEWER])
def test_compliance_admin_and_viewers_keep_the_dashboard(app, client, db, auth, role):
    auth.login_as(role)
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/dashboard")


def test_signing_in_lands_security_on_its_queue(app, client, db, auth):
    user = make_user(db, role=Role.SECURITY)
    db.commit()
    landed = client.post("/login", data={"email": user.email, "password": "correct horse battery"},
                         follow_redirects=True)
    assert "Reports awaiting review" in landed.get_data(as_text=True)


def test_home_queries_stay_correct_on_the_day(app, client, db, auth):
    """Overdue is computed from today's date on every visit, not stored."""
    me = auth.login_as(Role.SECURITY)
    report = exceptions_and_cuecs(db, make_vendor(db, name="Due Today"), exceptions=1, cuecs=0)
    item = db.scalar(select(ReportItem).where(ReportItem.report_id == report.id))
    item.assignee_id, item.due_date, item.triage_status = me.id, clock.today(app), TriageStatus.FOLLOW_UP_REQUIRED
    db.commit()
    assert "Overdue" not in section(page_of(client), "my-exceptions")  # due today is not overdue yet
