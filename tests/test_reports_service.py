"""The review workflow's rules: storing extractions, re-runs that keep decisions,
corrections, triage, CUEC mapping, fourth parties, year over year (sign-off: test_signoff.py)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import (
    AuditEvent,
    CuecStatus,
    ItemKind,
    ItemOrigin,
    JobStatus,
    Report,
    Role,
    Severity,
    TriageStatus,
)
from models.base import utcnow
from tests.factories import contract_document, make_extracted_report, make_report, make_user, make_vendor
from vendorrisk.infra.db import paginate
from vendorrisk.services import reports, subservices
from vendorrisk.services.errors import ValidationError


LEAVERS = {"control_id": "CC6.2", "description": "For 2 of 25 leavers sampled, access was removed 9 days late.",
           "page": 14, "bbox": [50.0, 100.0, 500.0, 140.0]}
BACKUPS = {"control_id": "A1.2", "description": "Backup restore testing was not performed in Q3.", "page": 18}
ACCESS_REVIEW = {"text": "User entities are responsible for reviewing their users' access quarterly.", "page": 9}
MFA = {"text": "User entities are responsible for enforcing multi-factor authentication for their users.", "page": 9}
AWS = {"name": "Amazon Web Services, Inc.", "services": "hosting", "page": 7}


def items(report, kind):
    return [i for i in report.items if i.kind == kind]


def test_an_extraction_fills_the_metadata_and_the_four_registers(db):
    report = make_extracted_report(db, document=contract_document(
        exceptions=[LEAVERS], cuecs=[ACCESS_REVIEW, MFA], subservices=[AWS],
        csocs=[{"text": "AWS is responsible for physical security.", "subservice_organization": "AWS"}],
        opinion="qualified", opinion_basis="Backups were not tested.",
    ))
    assert report.job_status == JobStatus.DONE
    assert (report.framework, report.report_type, report.opinion) == ("SOC 2", "Type 2", "qualified")
    assert report.period_end == date(2025, 3, 31) and report.modified_opinion
    exception = items(report, ItemKind.EXCEPTION)[0]
    assert exception.text == LEAVERS["description"] and exception.control_id == "CC6.2"
    assert exception.bbox == [50.0, 100.0, 500.0, 140.0] and exception.page == 14
    assert exception.triage_status == TriageStatus.NEW
    assert len(items(report, ItemKind.CUEC)) == 2 and items(report, ItemKind.SUBSERVICE)[0].text == AWS["name"]
    assert items(report, ItemKind.CSOC)[0].subservice_organization == "AWS"
    # The stored contract document keeps no geometry.
    assert "bbox" not in report.extraction["exceptions"][0]


def test_a_rerun_keeps_every_decision_on_items_still_found(db):
    reviewer = make_user(db, role=Role.SECURITY)
    report = make_extracted_report(db, document=contract_document(exceptions=[LEAVERS, BACKUPS], cuecs=[ACCESS_REVIEW, MFA]))
    leavers, backups = items(report, ItemKind.EXCEPTION)
    access, mfa = items(report, ItemKind.CUEC)
    reports.triage_exception(db, leavers, status=TriageStatus.FOLLOW_UP_REQUIRED, severity=Severity.HIGH,
                             assignee_id=reviewer.id, due_date=date(2026, 1, 31), notes="Ask for evidence", actor=reviewer)
    reports.triage_exception(db, backups, status=TriageStatus.ACCEPTED, severity=Severity.LOW, assignee_id=None,
                             due_date=None, notes=None, actor=reviewer)
    reports.map_cuec(db, access, owner_id=reviewer.id, control_reference="IAM-04", status=CuecStatus.IMPLEMENTED,
                     evidence="Quarterly review tickets", actor=reviewer)
    reports.correct_item(db, mfa, {"text": "User entities are responsible for enforcing MFA.", "criteria": "CC6.1",
                                   "page": 9}, actor=reviewer)
    db.flush()

    # The new extractor version wraps a line differently, drops the backup
    # exception and finds a new CUEC.
    report.job_status = JobStatus.QUEUED
    reports.store_result(db, report, contract_document(
        exceptions=[{**LEAVERS, "description": LEAVERS["description"].replace("late.", "late")}],
        cuecs=[ACCESS_REVIEW, MFA, {"text": "User entities are responsible for notifying changes of contacts.", "page": 10}],
    ))
    db.flush()
    db.expire_all()

    report = db.get(Report, report.id)
    leavers_again = next(i for i in items(report, ItemKind.EXCEPTION) if i.control_id == "CC6.2")
    assert leavers_again.id == leavers.id and leavers_again.found
    assert (leavers_again.triage_status, leavers_again.severity, leavers_again.due_date, leavers_again.notes) == (
        TriageStatus.FOLLOW_UP_REQUIRED, Severity.HIGH, date(2026, 1, 31), "Ask for evidence")
    gone = db.get(type(backups), backups.id)
    assert not gone.found and gone.triage_status == TriageStatus.ACCEPTED  # marked, not deleted with its decision
    access_again = db.get(type(access), access.id)
    assert access_again.owner_id == reviewer.id and access_again.control_reference == "IAM-04" and access_again.found
    mfa_again = db.get(type(mfa), mfa.id)
    assert mfa_again.text == "User entities are responsible for enforcing MFA."  # the correction survives
    assert mfa_again.original["text"] == MFA["text"]
    assert len(items(report, ItemKind.CUEC)) == 3


def test_a_refused_file_fails_the_job_with_its_reason_and_keeps_earlier_items(db):
    report = make_extracted_report(db, document=contract_document(exceptions=[LEAVERS]))
    report.job_status = JobStatus.RUNNING
    reason = "This PDF needs more memory than the limit allows to read (1024 MB)."
    reports.store_result(db, report, contract_document(status="rejected", error=reason, pages=None))
    db.flush()
    db.expire_all()
    report = db.get(Report, report.id)
    assert (report.job_status, report.job_error, report.extraction_status) == (JobStatus.FAILED, reason, "rejected")
    assert [i.found for i in items(report, ItemKind.EXCEPTION)] == [True]


def test_a_correction_keeps_the_original_and_is_logged_with_the_vendor(db):
    reviewer = make_user(db, role=Role.SECURITY)
    report = make_extracted_report(db, document=contract_document(exceptions=[LEAVERS]))
    item = items(report, ItemKind.EXCEPTION)[0]
    changes = reports.correct_item(db, item, {**reports.values_of(item), "control_id": "CC6.3", "criteria": "CC6.2, CC6.3"},
                                   actor=reviewer)
    db.flush()
    assert changes == {"control_id": ("CC6.2", "CC6.3"), "criteria": ([], ["CC6.2", "CC6.3"])}
    assert item.control_id == "CC6.3" and item.original["control_id"] == "CC6.2" and reports.is_corrected(item)
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "item_corrected"))
    assert event.vendor_id == report.vendor_id and event.entity_id == item.id
    assert event.changes["control_id"] == ["CC6.2", "CC6.3"]


@pytest.mark.parametrize("values, field", [
    ({"description": "  ", "page": 3}, "description"),
    ({"description": "Something", "page": 99}, "page"),
    ({"description": "Something", "page": None}, "page"),
])
def test_a_correction_must_leave_a_usable_item(db, values, field):
    reviewer = make_user(db, role=Role.SECURITY)
    report = make_extracted_report(db, document=contract_document(exceptions=[LEAVERS], pages=20))
    with pytest.raises(ValidationError) as error:
        reports.correct_item(db, items(report, ItemKind.EXCEPTION)[0], values, actor=reviewer)
    assert error.value.field == field


def test_not_an_item_hides_it_from_the_register_but_keeps_it(db):
    reviewer = make_user(db, role=Role.SECURITY)
    report = make_extracted_report(db, document=contract_document(cuecs=[ACCESS_REVIEW, MFA]))
    access = items(report, ItemKind.CUEC)[0]
    reports.set_not_an_item(db, access, True, actor=reviewer)
    db.flush()
    shown = paginate(db, reports.items_query(report, ItemKind.CUEC), 1, 25).items
    everything = paginate(db, reports.items_query(report, ItemKind.CUEC, include_dismissed=True), 1, 25).items
    assert [i.text for i in shown] == [MFA["text"]]
    assert len(everything) == 2 and reports.verdict(access) == "not_an_item"


def test_a_reviewer_adds_an_item_the_extractor_missed(db):
    reviewer = make_user(db, role=Role.SECURITY)
    report = make_extracted_report(db, document=contract_document(pages=30))
    item = reports.add_item(db, report, ItemKind.EXCEPTION,
                            {"control_id": "CC8.1", "description": "Two changes lacked approval.", "page": "22"},
                            actor=reviewer)
    assert item.origin == ItemOrigin.REVIEWER and item.triage_status == TriageStatus.NEW and item.page == 22
    assert reports.verdict(item) == "missed"
    # A re-run does not touch what a reviewer added.
    report.job_status = JobStatus.QUEUED
    reports.store_result(db, report, contract_document(pages=30))
    assert item in report.items and item.found


def test_a_follow_up_needs_a_due_date_and_a_conclusion_needs_a_severity(db):
    reviewer = make_user(db, role=Role.SECURITY)
    item = items(make_extracted_report(db, document=contract_document(exceptions=[LEAVERS])), ItemKind.EXCEPTION)[0]
    with pytest.raises(ValidationError) as error:
        reports.triage_exception(db, item, status=TriageStatus.FOLLOW_UP_REQUIRED, severity=Severity.HIGH,
                                 assignee_id=None, due_date=None, notes=None, actor=reviewer)
    assert error.value.field == "due_date"
    with pytest.raises(ValidationError) as error:
        reports.triage_exception(db, item, status=TriageStatus.RISK_ACCEPTED, severity=None, assignee_id=None,
                                 due_date=None, notes=None, actor=reviewer)
    assert error.value.field == "severity"
    reports.triage_exception(db, item, status=TriageStatus.IN_REVIEW, severity=None, assignee_id=reviewer.id,
                             due_date=date(2030, 1, 1), notes=None, actor=reviewer)
    assert item.triage_status == TriageStatus.IN_REVIEW and item.due_date is None  # only follow-ups have a due date


def test_the_unowned_cuec_list_spans_vendors_and_only_current_reports(db):
    reviewer = make_user(db, role=Role.SECURITY)
    acme, globex = make_vendor(db, name="Acme"), make_vendor(db, name="Globex")
    old = make_extracted_report(db, vendor=acme, document=contract_document(cuecs=[ACCESS_REVIEW], period_end="2024-03-31"))
    current = make_extracted_report(db, vendor=acme, document=contract_document(cuecs=[ACCESS_REVIEW, MFA]))
    other = make_extracted_report(db, vendor=globex, document=contract_document(cuecs=[MFA]))
    reports.map_cuec(db, items(current, ItemKind.CUEC)[1], owner_id=reviewer.id, control_reference=None, status=None,
                     evidence=None, actor=reviewer)
    db.flush()
    rows = db.execute(reports.unowned_cuecs_query()).all()
    assert [(vendor.name, item.report_id, item.text) for item, vendor in rows] == [
        ("Acme", current.id, ACCESS_REVIEW["text"]), ("Globex", other.id, MFA["text"])]
    assert old.id not in {item.report_id for item, _ in rows}
    only_globex = db.execute(reports.unowned_cuecs_query(vendor_id=globex.id)).all()
    assert [vendor.name for _, vendor in only_globex] == ["Globex"]


def test_an_implemented_cuec_needs_an_owner(db):
    reviewer = make_user(db, role=Role.SECURITY)
    item = items(make_extracted_report(db, document=contract_document(cuecs=[MFA])), ItemKind.CUEC)[0]
    with pytest.raises(ValidationError) as error:
        reports.map_cuec(db, item, owner_id=None, control_reference="IAM-1", status=CuecStatus.IMPLEMENTED,
                         evidence=None, actor=reviewer)
    assert error.value.field == "owner_id"


def test_a_subservice_organization_links_to_the_fourth_party_record_by_alias(db):
    reviewer = make_user(db, role=Role.SECURITY)
    aws = subservices.create_organization(db, "Amazon Web Services", actor=reviewer)
    subservices.add_alias(db, aws, "AWS", actor=reviewer)
    report = make_extracted_report(db, document=contract_document(subservices=[{"name": "AWS", "services": "hosting"},
                                                                               {"name": "Snowflake Inc."}]))
    by_alias, unknown = items(report, ItemKind.SUBSERVICE)
    # A name the inventory knows (here by an alias) is linked as soon as the report is read ...
    assert by_alias.organization is aws
    assert [link.organization.name for link in report.vendor.subservice_links] == ["Amazon Web Services"]
    # ... a new one waits for the reviewer.
    assert unknown.organization is None and reports.suggested_organization(db, unknown) is None

    reports.confirm_subservice(db, unknown, "Snowflake", actor=reviewer)  # the reviewer names the new record
    db.flush()
    vendor = report.vendor
    linked = {link.organization.name: link for link in vendor.subservice_links}
    assert set(linked) == {"Amazon Web Services", "Snowflake"}
    assert linked["Amazon Web Services"].method.value == "carve-out" and linked["Amazon Web Services"].services == "hosting"
    # The report's spelling became an alias, so next year's report matches by itself.
    assert subservices.find_organization(db, "Snowflake Inc.").name == "Snowflake"
    assert by_alias.organization is aws


def test_year_over_year_shows_what_changed(db):
    reviewer = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db)
    aws = subservices.create_organization(db, "Amazon Web Services", actor=reviewer)
    subservices.add_alias(db, aws, "AWS", actor=reviewer)
    last_year = make_extracted_report(db, vendor=vendor, document=contract_document(
        period_start="2023-04-01", period_end="2024-03-31", opinion="unqualified", criteria=["security"],
        exceptions=[LEAVERS, BACKUPS], cuecs=[ACCESS_REVIEW, MFA],
        subservices=[{"name": "AWS"}, {"name": "Rackspace"}],
    ))
    this_year = make_extracted_report(db, vendor=vendor, document=contract_document(
        opinion="qualified", criteria=["security", "availability"],
        exceptions=[{**LEAVERS, "description": "For 4 of 25 leavers sampled, access was removed 12 days late."},
                    {"control_id": "CC8.1", "description": "Emergency changes were not approved afterwards."}],
        cuecs=[ACCESS_REVIEW, {"text": "User entities are responsible for configuring SSO.", "page": 9}],
        subservices=[{"name": "Amazon Web Services, Inc."}, {"name": "Cloudflare"}],
    ))
    db.flush()
    change = reports.compare_with_previous(db, this_year)
    assert change.previous.id == last_year.id
    assert [(now.control_id, before.control_id) for now, before in change.recurring_exceptions] == [("CC6.2", "CC6.2")]
    assert [i.control_id for i in change.new_exceptions] == ["CC8.1"]
    assert [i.control_id for i in change.resolved_exceptions] == ["A1.2"]
    assert [i.text for i in change.added_cuecs] == ["User entities are responsible for configuring SSO."]
    assert [i.text for i in change.removed_cuecs] == [MFA["text"]]
    assert [i.text for i in change.new_subservices] == ["Cloudflare"]  # AWS under another spelling is not new
    assert [i.text for i in change.gone_subservices] == ["Rackspace"]
    assert change.opinion_change == ("unqualified", "qualified")
    assert change.scope_changes == ["Criteria added: availability"]
    assert reports.compare_with_previous(db, last_year) is None


def test_the_year_over_year_pairs_are_stored_when_the_extraction_ends_and_the_view_reads_them(db):
    vendor = make_vendor(db)
    last_year = make_extracted_report(db, vendor=vendor, document=contract_document(
        period_end="2024-03-31", exceptions=[LEAVERS, BACKUPS]))
    this_year = make_extracted_report(db, vendor=vendor, document=contract_document(
        exceptions=[{**LEAVERS, "description": "For 4 of 25 leavers sampled, access was removed 12 days late."},
                    {"control_id": "CC8.1", "description": "Emergency changes were not approved afterwards."}]))
    leavers_now, changes_now = items(this_year, ItemKind.EXCEPTION)
    leavers_then = items(last_year, ItemKind.EXCEPTION)[0]
    assert this_year.compared_with_id == last_year.id
    assert (leavers_now.previous_item_id, changes_now.previous_item_id) == (leavers_then.id, None)

    # The view reads what was stored: a pair taken apart in the table is no
    # longer shown, which a comparison recomputed on view would restore.
    leavers_now.previous_item_id = None
    db.flush()
    change = reports.compare_with_previous(db, this_year)
    assert change.recurring_exceptions == [] and {i.control_id for i in change.new_exceptions} == {"CC6.2", "CC8.1"}


def test_the_pairs_follow_a_predecessor_uploaded_later_a_rerun_and_a_correction(db):
    reviewer = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db)
    this_year = make_extracted_report(db, vendor=vendor, document=contract_document(exceptions=[LEAVERS]))
    assert this_year.compared_with_id is None
    last_year = make_extracted_report(db, vendor=vendor, document=contract_document(
        period_end="2024-03-31", exceptions=[LEAVERS, BACKUPS]))
    leavers_now = items(this_year, ItemKind.EXCEPTION)[0]
    leavers_then, backups_then = items(last_year, ItemKind.EXCEPTION)
    assert this_year.compared_with_id == last_year.id and leavers_now.previous_item_id == leavers_then.id

    # Re-extracted, this year's report also finds the backup exception again.
    this_year.job_status = JobStatus.QUEUED
    reports.store_result(db, this_year, contract_document(exceptions=[LEAVERS, BACKUPS]))
    db.flush()
    backups_now = next(i for i in items(this_year, ItemKind.EXCEPTION) if i.control_id == "A1.2")
    assert backups_now.previous_item_id == backups_then.id
    assert [(a.id, b.id) for a, b in reports.compare_with_previous(db, this_year).recurring_exceptions] == [
        (leavers_now.id, leavers_then.id), (backups_now.id, backups_then.id)]

    # A reviewer corrects last year's backup exception into another one: it no longer recurs.
    reports.correct_item(db, backups_then, {**reports.values_of(backups_then), "control_id": "PI1.1",
                                            "description": "Invoices were not reconciled."}, actor=reviewer)
    db.flush()
    assert backups_now.previous_item_id is None
    change = reports.compare_with_previous(db, this_year)
    assert [i.id for i in change.new_exceptions] == [backups_now.id]
    assert [i.id for i in change.resolved_exceptions] == [backups_then.id]


def test_labelled_rows_carry_the_original_the_truth_and_the_verdict(db):
    reviewer = make_user(db, role=Role.SECURITY)
    report = make_extracted_report(db, document=contract_document(exceptions=[LEAVERS], cuecs=[ACCESS_REVIEW, MFA]))
    exception = items(report, ItemKind.EXCEPTION)[0]
    access, mfa = items(report, ItemKind.CUEC)
    reports.correct_item(db, exception, {**reports.values_of(exception), "control_id": "CC6.3"}, actor=reviewer)
    reports.set_not_an_item(db, access, True, actor=reviewer)
    db.flush()
    rows = {row["item_id"]: row for row in reports.labelled_rows(db)}
    assert rows[exception.id]["verdict"] == "corrected"
    assert rows[exception.id]["original"]["control_id"] == "CC6.2" and rows[exception.id]["corrected"]["control_id"] == "CC6.3"
    assert rows[exception.id]["report_sha256"] == report.document.sha256 and rows[exception.id]["kind"] == "exceptions"
    assert rows[access.id]["verdict"] == "not_an_item" and rows[access.id]["corrected"] is None
    assert rows[mfa.id]["verdict"] == "unreviewed"
    assert set(rows) - {r["item_id"] for r in reports.labelled_rows(db, reviewed_only=True)} == {mfa.id}


def test_a_running_report_without_a_heartbeat_becomes_failed(db):
    alive, dead = make_report(db), make_report(db)
    for report in (alive, dead):
        report.job_status = JobStatus.RUNNING
    alive.heartbeat_at = utcnow()
    dead.heartbeat_at = utcnow() - timedelta(minutes=10)
    db.flush()
    assert reports.fail_stale(db, stale_after=timedelta(minutes=2)) == 1
    db.expire_all()
    assert db.get(Report, alive.id).job_status == JobStatus.RUNNING
    dead = db.get(Report, dead.id)
    assert dead.job_status == JobStatus.FAILED and "Re-run" in dead.job_error


def test_reports_recover_fails_a_dead_job_from_the_command_line(app, db):
    """What an operator runs after restarting the RQ workers (README, "Where extraction runs")."""
    dead = make_report(db)
    dead.job_status = JobStatus.RUNNING
    dead.heartbeat_at = utcnow() - timedelta(hours=1)
    db.commit()
    result = app.test_cli_runner().invoke(args=["reports", "recover"])
    assert result.exit_code == 0, result.output
    assert "Interrupted reports are marked failed" in result.output
    db.expire_all()
    assert db.get(Report, dead.id).job_status == JobStatus.FAILED


def test_a_job_delivered_twice_runs_once(db):
    report = make_report(db)
    db.commit()
    assert reports.claim(db, report.id) is True
    assert reports.claim(db, report.id) is False


def test_reports_extracted_before_the_pairs_were_stored_are_paired_by_the_command(app, db):
    vendor = make_vendor(db)
    last_year = make_extracted_report(db, vendor=vendor, document=contract_document(
        period_end="2024-03-31", exceptions=[LEAVERS]))
    this_year = make_extracted_report(db, vendor=vendor, document=contract_document(exceptions=[LEAVERS]))
    # As the upgrade leaves them: no stored pairs.
    for item in this_year.items:
        item.previous_item_id = None
    this_year.compared_with_id = None
    db.commit()
    result = app.test_cli_runner().invoke(args=["reports", "compare", "--all"])
    assert result.exit_code == 0 and "Compared 2 reports" in result.output, result.output
    db.expire_all()
    assert db.get(Report, this_year.id).compared_with_id == last_year.id
    assert items(db.get(Report, this_year.id), ItemKind.EXCEPTION)[0].previous_item_id == last_year.items[0].id
