"""The compliance dashboard's figures against a seeded data set, coverage
states in SQL (the same as the pure rule), bridge letters and carve-outs."""
from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from models import (
    BridgeLetterStatus,
    DocumentKind,
    EvidenceDocument,
    EvidenceKind,
    LifecycleStatus,
    ReviewOutcome,
    ReviewStatus,
    Role,
    SubserviceInventoryLink,
    Tier,
    Vendor,
)
from tests.factories import make_bridge_letter, make_document, make_report, make_review, make_user, make_vendor, today
from vendorrisk.services import coverage, reviews, subservices, vendors
from vendorrisk.services.schedule import CoverageState, add_months, coverage_state, month_end, quarter_start


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(hours=12)


def seed(db):
    """A small inventory whose figures are known by construction."""
    admin = make_user(db, role=Role.ADMIN)
    active = lambda name, tier=Tier.MEDIUM: make_vendor(db, name=name, tier=tier, status=LifecycleStatus.ACTIVE)
    # Reviews: 2 overdue, 1 due later this month (if the month has days left), 1 next year.
    overdue_a, overdue_b = active("Overdue A", Tier.CRITICAL), active("Overdue B")
    make_review(db, overdue_a, due_date=today() - timedelta(days=40))
    make_review(db, overdue_b, due_date=today() - timedelta(days=1))
    this_month = active("This Month")
    make_review(db, this_month, due_date=month_end(today()))
    next_year = active("Next Year", Tier.LOW)
    make_review(db, next_year, due_date=today() + timedelta(days=400))
    # Completed: 2 this quarter, 1 in the previous quarter.
    for day in (quarter_start(today()), today()):
        make_review(db, next_year, due_date=day, status=ReviewStatus.COMPLETED, outcome=ReviewOutcome.APPROVED,
                    completed_at=at(day))
    make_review(db, overdue_b, due_date=today(), status=ReviewStatus.COMPLETED, outcome=ReviewOutcome.APPROVED,
                completed_at=at(quarter_start(today()) - timedelta(days=1)))
    # Coverage of the active vendors:
    make_report(db, overdue_a, period_end=today() - timedelta(days=30))  # current
    make_report(db, overdue_b, period_end=add_months(today(), -5))  # bridge needed
    bridged = make_report(db, this_month, period_end=add_months(today(), -5))  # bridged: current
    make_bridge_letter(db, this_month, requested_on=today() - timedelta(days=20), report=bridged,
                       covered_through=today() - timedelta(days=20))
    make_report(db, next_year, period_end=add_months(today(), -13))  # stale
    make_report(db, next_year, period_end=today() - timedelta(days=10), usable=False)  # failed extraction: ignored
    active("No Report", Tier.HIGH)  # missing, and no review yet
    # Not in scope: a prospect with an overdue review and no report.
    prospect = make_vendor(db, name="Prospect", tier=Tier.CRITICAL, status=LifecycleStatus.PROSPECT)
    make_review(db, prospect, due_date=today() - timedelta(days=100))
    db.commit()
    return admin


def test_figures_match_the_seeded_data(db):
    seed(db)
    figures = reviews.dashboard_figures(db, today())
    assert figures.overdue == 2
    assert figures.due_this_month == 1
    assert figures.completed_this_quarter == 2
    assert figures.unscheduled == 1  # "No Report" has no review yet
    assert figures.by_tier_status[(Tier.MEDIUM, LifecycleStatus.ACTIVE)] == 2
    assert figures.by_tier_status[(Tier.CRITICAL, LifecycleStatus.PROSPECT)] == 1
    assert figures.vendor_total == 6 and figures.status_total(LifecycleStatus.ACTIVE) == 5
    assert coverage.coverage_counts(db, today()) == {
        CoverageState.CURRENT: 2, CoverageState.BRIDGE_NEEDED: 1, CoverageState.STALE: 1, CoverageState.MISSING: 1,
    }


def test_sql_coverage_agrees_with_the_rule(db):
    seed(db)
    for vendor in db.scalars(select(Vendor)):
        detail = coverage.vendor_coverage(db, vendor.id, today())
        query, state = coverage.with_coverage_state(select(Vendor.id).where(Vendor.id == vendor.id), Vendor.id, today())
        in_sql = db.execute(query.add_columns(state)).one()[1]
        assert in_sql == detail.state.value == coverage_state(detail.period_end, detail.bridged_through, today()).value


def test_the_coverage_filter_agrees_with_the_rule_for_every_choice_of_states(db):
    """has_coverage_in takes two routes (with MISSING among the states or without)."""
    seed(db)
    rule = {vendor.id: coverage.vendor_coverage(db, vendor.id, today()).state for vendor in db.scalars(select(Vendor))}
    for size in range(1, len(CoverageState) + 1):
        for states in itertools.combinations(CoverageState, size):
            chosen = set(db.scalars(select(Vendor.id).where(coverage.has_coverage_in(states, Vendor.id, today()))))
            assert chosen == {vendor_id for vendor_id, state in rule.items() if state in states}, states


def test_the_current_report_is_the_latest_period_then_the_latest_upload(db):
    vendor = make_vendor(db, name="Twice Audited", status=LifecycleStatus.ACTIVE)
    make_report(db, vendor, period_end=add_months(today(), -14))
    first = make_report(db, vendor, period_end=today() - timedelta(days=30))
    second = make_report(db, vendor, period_end=today() - timedelta(days=30))  # the same period, uploaded later
    make_report(db, vendor, period_end=today() - timedelta(days=5), usable=False)
    db.commit()
    assert second.id > first.id
    assert coverage.current_report(db, vendor.id).id == second.id
    current = coverage.current_reports()
    assert db.execute(select(current.c.report_id, current.c.period_end)).all() == [(second.id, second.period_end)]


def test_coverage_from_the_rows_a_page_holds_agrees_with_sql(db):
    """The vendor page makes its coverage from the reports, bridge letters and
    evidence documents it lists (coverage.coverage_from); coverages() reads them in SQL."""
    seed(db)
    bridged = db.scalar(select(Vendor).where(Vendor.name == "This Month"))
    report = make_report(db, bridged, period_end=add_months(today(), -6))
    make_bridge_letter(db, bridged, requested_on=today() - timedelta(days=3), report=report)  # requested: the open one
    make_bridge_letter(db, bridged, requested_on=today() - timedelta(days=9), report=report)
    make_bridge_letter(db, bridged, requested_on=today() - timedelta(days=90), report=report,
                       covered_through=today() - timedelta(days=60))  # received earlier, covering less
    for k, expires in enumerate((today() + timedelta(days=20), today() - timedelta(days=2), today() + timedelta(days=90), None)):
        db.add(EvidenceDocument(vendor_id=bridged.id, kind=EvidenceKind.ISO27001, filename=f"e{k}.pdf", size_bytes=1,
                                sha256=f"{k}" * 64, expires_on=expires))
    db.commit()
    for vendor in db.scalars(select(Vendor)).all():
        rows = coverage.coverage_from(vendors.usable_reports(db, vendor.id), coverage.bridge_letters(db, vendor.id),
                                      db.scalars(select(EvidenceDocument).where(EvidenceDocument.vendor_id == vendor.id)),
                                      today())
        assert rows == coverage.vendor_coverage(db, vendor.id, today()), vendor.name
    assert len(coverage.vendor_coverage(db, bridged.id, today()).lapsing_evidence) == 2


def test_dashboard_page_links_each_figure_to_its_list(client, auth, db):
    seed(db)
    auth.login_as(Role.VIEWER)
    assert client.get("/").location.endswith("/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r'href="/reviews/\?due=overdue">\s*<span class="figure-number">2<', page)
    assert re.search(r'href="/reviews/\?due=this_month">\s*<span class="figure-number">1<', page)
    assert re.search(r'completed=this_quarter[^"]*">\s*<span class="figure-number">2<', page)
    assert 'href="/vendors/?status=active&amp;coverage=stale"' in page
    assert "<svg" in page and "style=" not in page
    # the list behind "overdue" shows exactly those two
    overdue_page = client.get("/reviews/?due=overdue").get_data(as_text=True)
    assert "Overdue A" in overdue_page and "Overdue B" in overdue_page and "Prospect" not in overdue_page
    stale_page = client.get("/vendors/?status=active&coverage=stale").get_data(as_text=True)
    assert "Next Year" in stale_page and "Overdue A" not in stale_page


def test_empty_dashboard_has_an_empty_state(client, auth):
    auth.login_as(Role.VIEWER)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "No vendors yet" in page and "has not run yet" in page


def test_bridge_letter_request_and_receipt(client, auth, db):
    auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db, name="Bridgeable", status=LifecycleStatus.ACTIVE)
    report = make_report(db, vendor, period_end=add_months(today(), -4))
    letter_file = make_document(db, vendor, kind=DocumentKind.BRIDGE_LETTER, filename="bridge.pdf")
    db.commit()
    assert coverage.vendor_coverage(db, vendor.id, today()).state == CoverageState.BRIDGE_NEEDED

    client.post(f"/reviews/vendors/{vendor.id}/bridge-letters", data={"requested_on": today().isoformat(), "notes": "asked"})
    letter = coverage.bridge_letters(db, vendor.id)[0]
    assert (letter.status, letter.report_id) == (BridgeLetterStatus.REQUESTED, report.id)

    url = f"/reviews/vendors/{vendor.id}/bridge-letters/{letter.id}/receive"
    page = client.post(url, data={"received_on": today().isoformat(), "covered_through": report.period_end.isoformat()},
                       follow_redirects=True).get_data(as_text=True)
    assert "must cover past the report" in page
    client.post(url, data={"received_on": today().isoformat(), "covered_through": today().isoformat(),
                           "document_id": letter_file.id})
    db.expire_all()
    assert coverage.vendor_coverage(db, vendor.id, today()).state == CoverageState.CURRENT
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "bridge.pdf" in page and "Bridge letter covers through" in page


def test_carved_out_organizations_of_critical_vendors_count_their_own_reports(client, auth, db):
    user = auth.login_as(Role.SECURITY)
    critical = make_vendor(db, name="Critical SaaS", tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE)
    make_report(db, critical, period_end=today() - timedelta(days=10))
    cloud = make_vendor(db, name="Big Cloud", tier=Tier.HIGH, status=LifecycleStatus.ACTIVE)
    make_report(db, cloud, period_end=add_months(today(), -14))
    subservices.link_vendor(db, critical, "Big Cloud Inc.", method="carve-out", services="hosting", actor=user)
    subservices.link_vendor(db, critical, "Tiny CDN", method="carve-out", services=None, actor=user)
    subservices.link_vendor(db, critical, "Payroll Co", method="inclusive", services=None, actor=user)
    db.commit()
    assert coverage.carve_out_counts(db, today())[CoverageState.MISSING] == 2

    organization = subservices.find_organization(db, "Big Cloud Inc.")
    page = client.post(f"/reviews/vendors/{critical.id}/subservices/{organization.id}/inventory-vendor",
                       data={"vendor_name": "no such vendor"}, follow_redirects=True).get_data(as_text=True)
    assert "There is no vendor named" in page
    client.post(f"/reviews/vendors/{critical.id}/subservices/{organization.id}/inventory-vendor",
                data={"vendor_name": "big cloud"})
    db.expire_all()
    assert db.get(SubserviceInventoryLink, organization.id).vendor_id == cloud.id
    assert coverage.carve_out_counts(db, today()) == {
        CoverageState.CURRENT: 0, CoverageState.BRIDGE_NEEDED: 0, CoverageState.STALE: 1, CoverageState.MISSING: 1,
    }
    section = {item.organization.name: item.state for item in coverage.subservice_coverage(db, critical, today())}
    assert section == {"Big Cloud Inc.": CoverageState.STALE, "Tiny CDN": CoverageState.MISSING}
    page = client.get(f"/vendors/{critical.id}").get_data(as_text=True)
    assert "Carved-out subservice organizations" in page and "Payroll Co" not in page.split('id="coverage"')[1].split('id="timeline"')[0]
    # The link field suggests names as you type (app.js) instead of carrying every vendor's name.
    assert "<datalist" not in page.split('id="coverage"')[1] and 'data-suggest="/vendors/names.json"' in page


def test_an_inventory_vendor_is_found_by_part_of_its_name_unless_several_match(client, auth, db):
    user = auth.login_as(Role.SECURITY)
    critical = make_vendor(db, name="Critical SaaS", tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE)
    make_vendor(db, name="Big Cloud Hosting")
    make_vendor(db, name="Big Data Hosting")
    organization = subservices.link_vendor(db, critical, "Big Cloud Inc.", method="carve-out", services=None,
                                           actor=user).organization
    db.commit()
    url = f"/reviews/vendors/{critical.id}/subservices/{organization.id}/inventory-vendor"
    page = client.post(url, data={"vendor_name": "hosting"}, follow_redirects=True).get_data(as_text=True)
    assert "matches several vendors (Big Cloud Hosting, Big Data Hosting)" in page
    assert db.get(SubserviceInventoryLink, organization.id) is None
    page = client.post(url, data={"vendor_name": "cloud host"}, follow_redirects=True).get_data(as_text=True)
    assert "is now the inventory vendor Big Cloud Hosting" in page


def test_the_apps_postgresql_connections_never_jit_compile(app):
    """At 10,000 vendors PostgreSQL's JIT spent 470 ms compiling a 15 ms dashboard query."""
    from vendorrisk.infra.db import session_factory

    if not app.config["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("a PostgreSQL setting")
    with session_factory(app)() as session:
        assert session.execute(text("SHOW jit")).scalar() == "off"


def test_vendor_timeline_shows_reports_letters_and_reviews(client, auth, db):
    auth.login_as(Role.VIEWER)
    vendor = make_vendor(db, name="Timed", status=LifecycleStatus.ACTIVE)
    report = make_report(db, vendor, period_end=date(2025, 6, 30))
    make_bridge_letter(db, vendor, requested_on=date(2025, 11, 1), report=report, covered_through=date(2025, 10, 31))
    make_review(db, vendor, due_date=date(2025, 8, 1), status=ReviewStatus.COMPLETED,
                outcome=ReviewOutcome.APPROVED, completed_at=at(date(2025, 8, 5)))
    make_review(db, vendor, due_date=today() - timedelta(days=3))
    db.commit()
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    timeline = page.split('id="timeline"')[1]
    assert "Period 2024-07-01 to 2025-06-30" in timeline
    assert "Covers through 2025-10-31" in timeline
    assert "Approved on 2025-08-05" in timeline
    assert 'class="tl-review tl-overdue"' in timeline


def test_carve_out_list_behind_the_chart(client, auth, db):
    user = auth.login_as(Role.VIEWER)
    critical = make_vendor(db, name="Critical One", tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE)
    subservices.link_vendor(db, critical, "Orphan Hosting", method="carve-out", services=None, actor=user)
    db.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/reviews/carve-outs?state=missing"' in page
    listed = client.get("/reviews/carve-outs?state=missing").get_data(as_text=True)
    assert "Critical One" in listed and "Orphan Hosting" in listed
    assert "Orphan Hosting" not in client.get("/reviews/carve-outs?state=current").get_data(as_text=True)
