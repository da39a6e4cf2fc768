"""Correcting a report's own fields (the extractor's value kept beside the
correction) and flagging a report uploaded to the wrong vendor."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from markupsafe import escape
from sqlalchemy import select

from models import AuditEvent, Document, Report, ReviewOutcome, ReviewStatus, Role, Tier
from tests.factories import contract_document, make_api_token, make_extracted_report, make_review, make_user, make_vendor
from vendorrisk.services import coverage, report_details, reports, reviews, subservices
from vendorrisk.services.schedule import CoverageState

TODAY = date(2025, 6, 1)
# What the form posts when the reviewer leaves everything as contract_document() extracted it.
EXTRACTED = {
    "service_organization": "Acme Cloud, Inc.", "auditor": "Example & Co LLP", "framework": "SOC 2",
    "report_type": "Type 2", "period_start": "2024-04-01", "period_end": "2025-03-31", "opinion": "unqualified",
    "opinion_basis": "", "trust_services_criteria": "security",
}


def post_details(client, report, **changes):
    return client.post(f"/reports/{report.id}/details", data={**EXTRACTED, **changes})


def api_get(client, db, user, url):
    token = make_api_token(db, user)
    db.commit()
    return client.get(url, headers={"Authorization": f"Bearer {token}"}).get_json()


def events(db, action):
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# ---------------------------------------------------------------- corrections

def test_a_corrected_period_and_auditor_drive_coverage_the_due_date_and_the_packet(client, db, auth):
    vendor = make_vendor(db, name="Acme Cloud", tier=Tier.CRITICAL)
    # The extractor misread the period as the year before: the report looks stale.
    report = make_extracted_report(db, vendor=vendor, document=contract_document(
        period_start="2023-04-01", period_end="2024-03-31"))
    make_review(db, vendor, due_date=date(2025, 4, 15), status=ReviewStatus.COMPLETED, outcome=ReviewOutcome.APPROVED,
                completed_at=datetime(2025, 4, 15, tzinfo=timezone.utc), report_id=report.id)
    db.commit()
    assert coverage.vendor_coverage(db, vendor.id, TODAY).state == CoverageState.STALE
    due_before = reviews.derive_due(db, vendor, TODAY)
    reviewer = auth.login_as(Role.SECURITY)

    response = post_details(client, report, auditor="Real Auditors LLP", reason="Read from the opinion letter, p. 2")
    assert response.status_code == 302
    db.expire_all()

    report = db.get(Report, report.id)
    assert (report.period_start, report.period_end, report.auditor) == (
        date(2024, 4, 1), date(2025, 3, 31), "Real Auditors LLP")
    assert report_details.extracted_value(report, "period_end") == date(2024, 3, 31)
    assert report_details.extracted_value(report, "auditor") == "Example & Co LLP"
    assert coverage.vendor_coverage(db, vendor.id, TODAY).state == CoverageState.CURRENT
    due_after = reviews.derive_due(db, vendor, TODAY)
    # Next report expected 2026-03-31 + 42 days, after the 12-month cadence (2026-04-15).
    assert (due_before.due, due_after.due) == (date(2026, 4, 15), date(2026, 5, 12))

    [event] = events(db, "report_corrected")
    assert event.actor_id == reviewer.id and event.entity_id == report.id
    assert event.changes["period_end"] == ["2024-03-31", "2025-03-31"]
    assert "Read from the opinion letter" in event.summary

    note = (f"corrected by {reviewer.display_name} on {report.corrections[0].corrected_at.date().isoformat()}; "
            f"extracted: {escape('Example & Co LLP')}")
    packet = client.get(f"/vendors/{vendor.id}/packet").get_data(as_text=True)
    assert "Real Auditors LLP" in packet and note in packet and "extracted: 2024-03-31" in packet
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert note in page and "Edit report details" in page and "Read from the opinion letter" in page
    api = api_get(client, db, reviewer, f"/api/v1/reports/{report.id}")
    assert api["auditor"] == "Real Auditors LLP"
    assert {c["field"]: c["extracted_value"] for c in api["corrections"]} == {
        "auditor": "Example & Co LLP", "period_start": "2023-04-01", "period_end": "2024-03-31"}


def test_setting_a_field_back_to_the_extracted_value_ends_the_correction(client, db, auth):
    report = make_extracted_report(db, vendor=make_vendor(db, name="Acme Cloud"))
    db.commit()
    auth.login_as(Role.ADMIN)
    assert post_details(client, report, opinion="qualified", opinion_basis="Change management").status_code == 302
    db.expire_all()
    assert set(db.get(Report, report.id).corrected) == {"opinion", "opinion_basis"}
    assert post_details(client, report).status_code == 302
    db.expire_all()
    report = db.get(Report, report.id)
    assert report.corrected == {} and report.opinion == "unqualified"


def test_a_rerun_of_extraction_keeps_the_correction_and_updates_the_extracted_value(db):
    reviewer_vendor = make_vendor(db, name="Acme Cloud")
    report = make_extracted_report(db, vendor=reviewer_vendor)
    reviewer = make_user(db, role=Role.SECURITY)
    report_details.correct_report(db, report, {**EXTRACTED, "auditor": "Real Auditors LLP"}, reason=None,
                                  actor=reviewer)

    reports.store_result(db, report, contract_document(auditor="Example and Company LLP", opinion="qualified",
                                                       opinion_basis="Access reviews"))
    db.flush()
    assert report.auditor == "Real Auditors LLP"
    assert report_details.extracted_value(report, "auditor") == "Example and Company LLP"
    assert report.opinion == "qualified"  # not corrected: the new extraction's value


@pytest.mark.parametrize(("changes", "message"), [
    ({"period_start": "2025-04-01", "period_end": "2025-03-31"}, "The period cannot start after it ends."),
    ({"period_end": "31/03/2025"}, "Enter the period end (or &#39;as of&#39; date) as a date, e.g. 2025-03-31."),
    ({"opinion": "excellent"}, "Opinion must be one of: unqualified, qualified, adverse, disclaimer."),
    ({"trust_services_criteria": "security, speed"}, "Unknown criteria: speed."),
])
def test_invalid_corrections_are_refused_with_a_message(client, db, auth, changes, message):
    report = make_extracted_report(db, vendor=make_vendor(db, name="Acme Cloud"))
    db.commit()
    auth.login_as(Role.SECURITY)
    response = post_details(client, report, auditor="Real Auditors LLP", **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.expire_all()
    report = db.get(Report, report.id)
    assert report.auditor == "Example & Co LLP" and report.corrections == []
    assert events(db, "report_corrected") == []


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COMPLIANCE, Role.PROCUREMENT])
def test_only_reviewers_correct_confirm_or_move_a_report(client, db, auth, role):
    vendor = make_vendor(db, name="Acme Cloud")
    other = make_vendor(db, name="Globex")
    report = make_extracted_report(db, vendor=vendor, document=contract_document(service_organization="Globex"))
    db.commit()
    auth.login_as(role)
    assert post_details(client, report, auditor="Someone Else LLP").status_code == 403
    assert client.post(f"/reports/{report.id}/organization/confirm").status_code == 403
    assert client.post(f"/reports/{report.id}/move", data={"vendor_id": other.id}).status_code == 403
    db.expire_all()
    report = db.get(Report, report.id)
    assert report.auditor == "Example & Co LLP" and report.vendor_id == vendor.id and report.organization_flagged


# ---------------------------------------------------------------- does the report belong to the vendor?

@pytest.mark.parametrize(("a", "b", "same"), [
    ("Acme, Inc.", "ACME Inc", True),
    ("Acme Cloud Services, LLC", "Acme Cloud Services", True),
    ("Initech Ltd.", "Initech Limited", True),
    ("Globex Corporation", "Acme Cloud", False),
    ("Acme Cloud, Inc.", "Acme Payments", False),
])
def test_organization_names_match_ignoring_case_punctuation_and_legal_suffixes(a, b, same):
    assert report_details.same_organization(a, b) is same


def test_a_report_of_another_company_is_flagged_until_confirmed(client, db, auth):
    vendor = make_vendor(db, name="Acme Cloud")
    report = make_extracted_report(db, vendor=vendor, document=contract_document(service_organization="Globex Corporation"))
    db.commit()
    reviewer = auth.login_as(Role.SECURITY)

    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "This report is for <strong>Globex Corporation</strong>, and this vendor is <strong>Acme Cloud</strong>" in page
    assert "Other company?" in client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert api_get(client, db, reviewer, f"/api/v1/reports/{report.id}")["organization_flagged"] is True

    assert client.post(f"/reports/{report.id}/organization/confirm").status_code == 302
    db.expire_all()
    report = db.get(Report, report.id)
    assert not report.organization_flagged and report.organization_confirmed_by_id == reviewer.id
    [event] = events(db, "report_organization_confirmed")
    assert event.actor_id == reviewer.id and event.vendor_id == vendor.id
    assert "Other company?" not in client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    # Next year's report under the same name is recognised.
    next_year = make_extracted_report(db, vendor=db.get(type(vendor), vendor.id),
                                      document=contract_document(service_organization="Globex Corporation",
                                                                 sha256="1" * 64))
    assert not next_year.organization_flagged


@pytest.mark.parametrize(("fields", "organization"), [
    ({"name": "ACME Inc"}, "Acme, Inc."),
    ({"name": "Initrode", "legal_name": "Initech Holdings Corporation"}, "INITECH CORP."),
    ({"name": "AWS", "aliases": ["Amazon Web Services"]}, "Amazon Web Services, Inc."),
])
def test_a_report_of_the_vendor_itself_is_not_flagged(db, fields, organization):
    report = make_extracted_report(db, vendor=make_vendor(db, **fields),
                                   document=contract_document(service_organization=organization))
    assert report.organization_mismatch is False and not report.organization_flagged


def test_correcting_the_service_organization_reevaluates_the_flag(client, db, auth):
    vendor = make_vendor(db, name="Acme Cloud")
    report = make_extracted_report(db, vendor=vendor, document=contract_document(service_organization="Acme Payroll"))
    db.commit()
    assert report.organization_flagged
    auth.login_as(Role.SECURITY)
    assert post_details(client, report, service_organization="Acme Cloud, Inc.").status_code == 302
    db.expire_all()
    assert not db.get(Report, report.id).organization_flagged
    assert post_details(client, report, service_organization="Globex").status_code == 302
    db.expire_all()
    assert db.get(Report, report.id).organization_flagged


def test_a_report_is_moved_to_the_vendor_it_belongs_to(client, db, auth):
    vendor = make_vendor(db, name="Acme Cloud")
    globex = make_vendor(db, name="Globex", legal_name="Globex Corporation")
    make_vendor(db, name="Initech")
    report = make_extracted_report(db, vendor=vendor, document=contract_document(service_organization="Globex Corporation"))
    db.commit()
    reviewer = auth.login_as(Role.ADMIN)

    search = client.get(f"/reports/{report.id}/move?q=glob").get_data(as_text=True)
    assert "Globex" in search and "Initech" not in search
    assert client.post(f"/reports/{report.id}/move", data={"vendor_id": globex.id}).status_code == 302
    db.expire_all()
    report = db.get(Report, report.id)
    assert report.vendor_id == globex.id and db.get(Document, report.document_id).vendor_id == globex.id
    assert not report.organization_flagged
    moved = events(db, "report_moved")
    assert {e.vendor_id for e in moved} == {vendor.id, globex.id} and all(e.actor_id == reviewer.id for e in moved)
    assert "Other company?" not in client.get(f"/vendors/{globex.id}").get_data(as_text=True)


def test_a_moved_report_takes_its_subservice_organizations_along(client, db, auth):
    """The target comes to rely on the fourth parties the report names; the
    source keeps its links (one may have been made by hand), and the reviewer
    is told which of them no other report of the source names."""
    acme, globex = make_vendor(db, name="Acme Cloud"), make_vendor(db, name="Globex")
    for name in ("Amazon Web Services", "Snowflake", "Okta"):
        subservices.create_organization(db, name, actor=None)
    subservices.link_vendor(db, acme, "Okta", method="inclusive", services=None, actor=None)  # by hand
    make_extracted_report(db, vendor=acme, document=contract_document(subservices=[{"name": "Amazon Web Services"}]))
    wrong = make_extracted_report(db, vendor=acme, document=contract_document(
        service_organization="Globex", subservices=[{"name": "Amazon Web Services"}, {"name": "Snowflake"}]))
    db.commit()
    auth.login_as(Role.SECURITY)

    page = client.post(f"/reports/{wrong.id}/move", data={"vendor_id": globex.id}, follow_redirects=True)
    assert ("Acme Cloud still relies on Snowflake, which no other report of Acme Cloud names"
            in page.get_data(as_text=True))
    db.expire_all()
    linked = lambda vendor: sorted(link.organization.name for link in db.get(type(vendor), vendor.id).subservice_links)
    assert linked(globex) == ["Amazon Web Services", "Snowflake"]
    assert linked(acme) == ["Amazon Web Services", "Okta", "Snowflake"]
