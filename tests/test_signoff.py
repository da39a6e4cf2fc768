"""Concluding a review through the pages: guardrails that require a rationale
(listed before submitting), a stale report that does not pass for current,
conditions that become follow-ups, reopening by admin or compliance, and the
packet that shows it all."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models import (
    AuditEvent,
    ConditionStatus,
    CuecStatus,
    ItemKind,
    LifecycleStatus,
    Reopening,
    Report,
    Review,
    ReviewCondition,
    ReviewOutcome,
    ReviewStatus,
    Role,
    Severity,
    Tier,
    TriageStatus,
    Vendor,
)
from models.base import utcnow
from tests.factories import (
    contract_document, make_extracted_report, make_report, make_review, make_user, make_vendor, today,
)
from vendorrisk.services import reports, reviews, signoff
from vendorrisk.services.schedule import add_months


def recent_end() -> str:
    return (today() - timedelta(days=30)).isoformat()


def stale_end() -> str:
    return add_months(today(), -19).isoformat()  # the issue's report: its period ended 19 months ago


def qualified_report(db, vendor, *, period_end=None):
    """The issue's report: a qualified opinion, an exception still new, three CUECs nobody assessed."""
    return make_extracted_report(db, vendor=vendor, document=contract_document(
        opinion="qualified", period_end=period_end or recent_end(), period_start=None,
        exceptions=[{"control_id": "CC6.2", "description": "Leavers kept access for 9 days."}],
        cuecs=[{"text": "Customers review access."}, {"text": "Customers use MFA."}, {"text": "Customers report incidents."}],
    ))


def clean_report(db, vendor):
    return make_extracted_report(db, vendor=vendor, document=contract_document(period_end=recent_end(), period_start=None))


def open_review_of(db, vendor):
    db.expire_all()
    return db.scalar(select(Review).where(Review.vendor_id == vendor.id,
                                          Review.status.in_([ReviewStatus.SCHEDULED, ReviewStatus.IN_PROGRESS])))


def test_the_sign_off_form_lists_the_guardrails_and_approval_needs_a_rationale(client, auth, db):
    auth.login_as(Role.SECURITY)
    vendor = make_vendor(db, name="Oakhurst", status=LifecycleStatus.ACTIVE)
    review = make_review(db, vendor, due_date=today())
    report = qualified_report(db, vendor)
    db.commit()

    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    for guardrail in ("modified_opinion", "untriaged_exceptions", "unassessed_cuecs"):
        assert f'data-guardrail="{guardrail}"' in page  # shown before anyone submits
    assert "3 of 3 CUECs have no status yet." in page and 'data-guardrail="stale_report"' not in page

    refused = client.post(f"/reports/{report.id}/sign-off", data={"outcome": "approved", "comment": " "})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "A rationale is required: The auditor&#39;s opinion is qualified. 1 exception is still new or in review." in text
    db.expire_all()
    assert db.get(Report, report.id).signed_off_at is None and open_review_of(db, vendor).id == review.id

    signed = client.post(f"/reports/{report.id}/sign-off", data={
        "outcome": "approved", "comment": "Qualification is about a control we do not rely on."})
    assert signed.status_code == 302
    db.expire_all()
    report, review = db.get(Report, report.id), db.get(Review, review.id)
    expected = ["modified_opinion", "untriaged_exceptions", "unassessed_cuecs"]
    assert report.signoff_guardrails == expected and review.guardrails == expected
    assert review.status == ReviewStatus.COMPLETED and review.comment.startswith("Qualification")


def test_a_clean_report_is_approved_without_a_rationale(client, auth, db):
    auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db, status=LifecycleStatus.ACTIVE)
    report = clean_report(db, vendor)
    db.commit()
    assert "A rationale is required" not in client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert client.post(f"/reports/{report.id}/sign-off", data={"outcome": "approved"}).status_code == 302
    db.expire_all()
    assert db.get(Report, report.id).signoff_outcome == ReviewOutcome.APPROVED


def test_a_stale_report_closes_the_cycle_only_with_a_rationale_and_the_next_review_is_due_now(client, auth, db):
    auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db, tier=Tier.HIGH, status=LifecycleStatus.ACTIVE)
    make_review(db, vendor, due_date=today())
    report = make_extracted_report(db, vendor=vendor, document=contract_document(period_end=stale_end(), period_start=None))
    db.commit()
    assert 'data-guardrail="stale_report"' in client.get(f"/reports/{report.id}").get_data(as_text=True)

    refused = client.post(f"/reports/{report.id}/sign-off", data={"outcome": "approved"})
    assert refused.status_code == 400 and f"The report&#39;s period ended {stale_end()}" in refused.get_data(as_text=True)

    client.post(f"/reports/{report.id}/sign-off", data={"outcome": "approved",
                                                         "comment": "Vendor's new report is late; approved meanwhile."})
    db.expire_all()
    done = db.scalar(select(Review).where(Review.vendor_id == vendor.id, Review.status == ReviewStatus.COMPLETED))
    assert done.guardrails == ["stale_report"]
    following = open_review_of(db, vendor)
    # Not "a year from now" as if the report were current: due at once, saying why.
    concluded_on = done.concluded_on
    assert following.due_date == concluded_on and "stale report" in following.due_reason
    # and the next day's sweep, which re-derives every open review's date, keeps it so
    reviews.refresh_schedule(db, db.get(Vendor, vendor.id), concluded_on + timedelta(days=1))
    db.commit()
    assert open_review_of(db, vendor).due_date == concluded_on


def test_completing_a_critical_vendors_review_without_a_report_needs_a_rationale(client, auth, db):
    auth.login_as(Role.COMPLIANCE)
    vendor = make_vendor(db, tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE)
    review = make_review(db, vendor, due_date=today())
    db.commit()
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert 'data-guardrail="no_report"' in page  # listed on the completion form

    client.post(f"/reviews/{review.id}/complete", data={"outcome": "approved", "comment": ""})
    assert open_review_of(db, vendor).id == review.id  # refused
    client.post(f"/reviews/{review.id}/complete", data={"outcome": "approved",
                                                        "comment": "Reviewed their ISO 27001 certificate instead."})
    db.expire_all()
    done = db.get(Review, review.id)
    assert done.status == ReviewStatus.COMPLETED and done.guardrails == ["no_report"]


def test_conditions_become_follow_ups_on_the_vendor_page_the_owners_list_and_the_dashboard(client, auth, db):
    signer = auth.login_as(Role.SECURITY)
    owner = make_user(db, role=Role.PROCUREMENT, name="Priya Procurement")
    vendor = make_vendor(db, name="Borealis Payroll", status=LifecycleStatus.ACTIVE)
    report = clean_report(db, vendor)
    db.commit()
    yesterday, later = today() - timedelta(days=1), today() + timedelta(days=60)

    missing_owner = client.post(f"/reports/{report.id}/sign-off", data={
        "outcome": "approved_with_conditions", "comment": "Two gaps to close.",
        "conditions-0-text": "Contract addendum on breach notice", "conditions-0-due_date": later.isoformat()})
    assert missing_owner.status_code == 400
    assert "Each condition needs its text, an owner and a due date." in missing_owner.get_data(as_text=True)
    no_conditions = client.post(f"/reports/{report.id}/sign-off", data={
        "outcome": "approved_with_conditions", "comment": "Two gaps to close."})
    assert "needs at least one condition" in no_conditions.get_data(as_text=True)

    signed = client.post(f"/reports/{report.id}/sign-off", data={
        "outcome": "approved_with_conditions", "comment": "Two gaps to close.",
        "conditions-0-text": "Contract addendum on breach notice", "conditions-0-owner_id": owner.id,
        "conditions-0-due_date": later.isoformat(),
        "conditions-1-text": "Evidence of the leaver fix", "conditions-1-owner_id": owner.id,
        "conditions-1-due_date": yesterday.isoformat()})
    assert signed.status_code == 302
    db.expire_all()
    conditions = list(db.scalars(select(ReviewCondition).order_by(ReviewCondition.id)))
    assert [(c.text, c.owner_id, c.due_date, c.status) for c in conditions] == [
        ("Contract addendum on breach notice", owner.id, later, ConditionStatus.OPEN),
        ("Evidence of the leaver fix", owner.id, yesterday, ConditionStatus.OPEN)]
    assert conditions[0].review.report_id == report.id

    vendor_page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "Contract addendum on breach notice" in vendor_page and "Priya Procurement" in vendor_page
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert '<span class="figure-number">1</span><span class="figure-label">Conditions overdue</span>' in dashboard
    assert "Evidence of the leaver fix" in client.get("/reviews/conditions?owner=all&overdue=1").get_data(as_text=True)
    assert "Evidence of the leaver fix" not in client.get("/reviews/conditions").get_data(as_text=True)  # not mine

    auth.logout()
    auth.login(owner)
    mine = client.get("/reviews/conditions").get_data(as_text=True)
    assert "Contract addendum on breach notice" in mine and "Evidence of the leaver fix" in mine
    client.post(f"/reviews/conditions/{conditions[1].id}/done", data={"next": "conditions"})
    db.expire_all()
    met = db.get(ReviewCondition, conditions[1].id)
    assert (met.status, met.done_by_id) == (ConditionStatus.DONE, owner.id) and met.done_at is not None
    assert "Conditions overdue" not in client.get("/dashboard").get_data(as_text=True)
    assert signer.id != owner.id


def test_reopening_a_sign_off_is_for_admin_and_compliance_with_a_reason_and_keeps_the_conclusion(client, auth, db):
    security = make_user(db, role=Role.SECURITY, name="Sam Security")
    compliance = make_user(db, role=Role.COMPLIANCE, name="Cora Compliance")
    vendor = make_vendor(db, name="Oakhurst", status=LifecycleStatus.ACTIVE)
    make_review(db, vendor, due_date=today())
    report = qualified_report(db, vendor)
    db.commit()
    auth.login(security)
    client.post(f"/reports/{report.id}/sign-off", data={"outcome": "approved", "comment": "Accepted as is."})
    db.expire_all()
    review = db.scalar(select(Review).where(Review.vendor_id == vendor.id, Review.status == ReviewStatus.COMPLETED))
    scheduled_next_id = open_review_of(db, vendor).id
    assert client.post(f"/reports/{report.id}/reopen", data={"reason": "Mine"}).status_code == 403
    assert "Reopen sign-off" not in client.get(f"/reports/{report.id}").get_data(as_text=True)

    auth.logout()
    auth.login(compliance)
    assert "Reopen sign-off" in client.get(f"/reports/{report.id}").get_data(as_text=True)
    no_reason = client.post(f"/reports/{report.id}/reopen", data={"reason": "  "})
    assert no_reason.status_code == 400 and "Say why the conclusion is reopened" in no_reason.get_data(as_text=True)
    db.expire_all()
    assert db.get(Report, report.id).signed_off_at is not None

    assert client.post(f"/reports/{report.id}/reopen",
                       data={"reason": "The qualification covers payroll, which we use."}).status_code == 302
    db.expire_all()
    report, review = db.get(Report, report.id), db.get(Review, review.id)
    assert report.signed_off_at is None and report.signoff_outcome is None
    assert (review.status, review.outcome, review.completed_at) == (ReviewStatus.IN_PROGRESS, None, None)
    assert open_review_of(db, vendor).id == review.id and db.get(Review, scheduled_next_id) is None
    kept = db.scalar(select(Reopening))
    assert (kept.outcome, kept.rationale, kept.concluded_by_id, kept.reopened_by_id, kept.review_id, kept.report_id) == (
        ReviewOutcome.APPROVED, "Accepted as is.", security.id, compliance.id, review.id, report.id)
    assert kept.guardrails == ["modified_opinion", "untriaged_exceptions", "unassessed_cuecs"]
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.vendor_id == vendor.id)))
    assert {"report_signoff_reopened", "review_reopened", "review_withdrawn"} <= actions
    history = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "The qualification covers payroll, which we use." in history and "Accepted as is." in history

    # It can be concluded again, on the same review.
    client.post(f"/reports/{report.id}/sign-off", data={"outcome": "rejected", "comment": "Payroll is in scope."})
    db.expire_all()
    assert db.get(Review, review.id).outcome == ReviewOutcome.REJECTED


def test_reopening_a_completed_review_restores_it_to_in_progress(client, auth, db):
    auth.login_as(Role.ADMIN)
    vendor = make_vendor(db, tier=Tier.LOW, status=LifecycleStatus.ACTIVE)
    older = make_review(db, vendor, due_date=today() - timedelta(days=800), status=ReviewStatus.COMPLETED,
                        outcome=ReviewOutcome.APPROVED, completed_at=utcnow() - timedelta(days=790))
    review = make_review(db, vendor, due_date=today())
    report = make_report(db, vendor, period_end=today() - timedelta(days=20))
    db.commit()
    client.post(f"/reviews/{review.id}/complete", data={"outcome": "approved", "report_id": report.id})
    db.expire_all()
    assert db.get(Review, review.id).status == ReviewStatus.COMPLETED

    refused = client.post(f"/reviews/{older.id}/reopen", data={"reason": "Typo"}, follow_redirects=True)
    assert "Only the vendor&#39;s latest concluded review can be reopened." in refused.get_data(as_text=True)
    no_reason = client.post(f"/reviews/{review.id}/reopen", data={"reason": ""}, follow_redirects=True)
    assert "Say why the conclusion is reopened" in no_reason.get_data(as_text=True)
    client.post(f"/reviews/{review.id}/reopen", data={"reason": "Wrong report chosen"})
    db.expire_all()
    reopened = db.get(Review, review.id)
    assert reopened.status == ReviewStatus.IN_PROGRESS and reopened.outcome is None
    assert open_review_of(db, vendor).id == review.id
    assert db.scalar(select(Reopening.reason).where(Reopening.review_id == review.id)) == "Wrong report chosen"


def test_the_packet_shows_conclusion_rationale_guardrails_conditions_and_reopenings(client, auth, db):
    compliance = auth.login_as(Role.COMPLIANCE)
    owner = make_user(db, role=Role.SECURITY, name="Casey Controls")
    vendor = make_vendor(db, name="Oakhurst", status=LifecycleStatus.ACTIVE)
    report = qualified_report(db, vendor)
    db.commit()
    client.post(f"/reports/{report.id}/sign-off", data={"outcome": "approved", "comment": "First look."})
    client.post(f"/reports/{report.id}/reopen", data={"reason": "Conditions were agreed after all."})
    client.post(f"/reports/{report.id}/sign-off", data={
        "outcome": "approved_with_conditions", "comment": "Approved once the leaver fix is evidenced.",
        "conditions-0-text": "Evidence of the leaver fix", "conditions-0-owner_id": owner.id,
        "conditions-0-due_date": (today() + timedelta(days=30)).isoformat()})
    packet = client.get(f"/vendors/{vendor.id}/packet").get_data(as_text=True)
    assert "<strong>Approved with conditions</strong>" in packet
    assert "Approved once the leaver fix is evidenced." in packet
    assert "Modified opinion; Exceptions not triaged; CUECs not assessed" in packet
    assert "Evidence of the leaver fix" in packet and "Casey Controls" in packet
    assert (today() + timedelta(days=30)).isoformat() in packet
    assert "Conditions were agreed after all." in packet and "First look." in packet
    assert compliance.display_name in packet


def test_guardrails_count_only_live_items(db):
    """Dismissed ("not an item") and assessed CUECs, and triaged exceptions, raise no guardrail."""
    user = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db)
    report = qualified_report(db, vendor)
    exception = next(i for i in report.items if i.kind == ItemKind.EXCEPTION)
    cuecs = [i for i in report.items if i.kind == ItemKind.CUEC]
    reports.triage_exception(db, exception, status=TriageStatus.ACCEPTED, severity=Severity.LOW, assignee_id=None,
                             due_date=None, notes=None, actor=user)
    reports.map_cuec(db, cuecs[0], owner_id=user.id, control_reference=None, status=CuecStatus.IMPLEMENTED, evidence=None,
                     actor=user)
    reports.set_not_an_item(db, cuecs[1], True, actor=user)
    db.flush()
    findings = signoff.guardrails(db, report, today())
    assert [(f.guardrail.value, f.detail) for f in findings] == [
        ("modified_opinion", "The auditor's opinion is qualified."),
        ("unassessed_cuecs", "1 of 2 CUECs have no status yet."),
    ]

