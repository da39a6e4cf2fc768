"""Every form of the app, submitted as a user would: open the page that holds
the form, keep what the page filled in (hidden fields, current values, the
selected options), type the few values a person would, send it, and check
that the change happened.

The list is complete by construction: test_every_form_route_has_a_case fails
when a route that accepts POST has no case here. Because the data comes from
the rendered form, fields a form gains (a hidden version, a CSRF token) are
sent without changing this file.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import lxml.html
import pytest
from sqlalchemy import func, select
from werkzeug.routing import RequestRedirect

from models import (
    ApiToken,
    AuditEvent,
    BridgeLetter,
    BridgeLetterStatus,
    CalendarFeed,
    ChecklistItemState,
    ConditionStatus,
    CuecStatus,
    Document,
    ExportJob,
    EvidenceDocument,
    EvidenceRequest,
    EvidenceRequestStatus,
    EvidenceSubmission,
    LifecycleStatus,
    Notification,
    OnboardingChecklistItem,
    Report,
    ReportItem,
    Review,
    ReviewCondition,
    ReviewOutcome,
    ReviewPolicy,
    ReviewStatus,
    Role,
    SubserviceAlias,
    SubserviceOrganization,
    TriageStatus,
    User,
    Vendor,
    VendorSubservice,
)
from tests.factories import DEFAULT_PASSWORD, make_user, make_vendor
from tests.test_routes_roles import seed_world
from vendorrisk.services import calendar, signoff, subservices

REPORT_PDF = Path(__file__).parent / "corpus" / "r05-tessellate.pdf"
CSV = "name,tier,status\nFrom The Sheet Ltd,low,prospect\n"


@dataclass
class Case:
    """One form: where it is, what a person types into it, and what it changes."""

    page: Callable[[dict], str]
    effect: Callable[[object, dict], bool]
    typed: dict[str, str | Callable[[dict], str]] = field(default_factory=dict)  # a callable reads the world
    setup: Callable[[object, dict], None] | None = None
    files: Callable[[], dict] | None = None
    signed_in: bool = True
    # The page's form is submitted as is when the route answers 200 (a page
    # that shows the result, e.g. a new token) rather than a redirect.
    success_status: tuple[int, ...] = (302, 303)


def _one(db, query):
    return db.scalar(query)


def _audited(action: str) -> Callable[[object, dict], bool]:
    return lambda db, w: _one(db, select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)) > 0


def _vendor(db, w) -> Vendor:
    return db.get(Vendor, w["vendor_id"])


def _item(db, w, key: str) -> ReportItem:
    return db.get(ReportItem, w[key])


def _second_organization(db, w) -> None:
    duplicate = subservices.create_organization(db, "Seeded Cloud Duplicate", actor=None)
    subservices.link_vendor(db, make_vendor(db, name="Other Vendor"), "Seeded Cloud Duplicate", method="inclusive",
                            services=None, actor=None)
    db.flush()
    w["duplicate_id"] = duplicate.id


def _calendar_feed(db, w) -> None:
    calendar.create_feed(db, db.get(User, w["user_id"]), "mine")


def _onboarding_vendor(db, w) -> None:
    from vendorrisk.services import vendors

    vendor = make_vendor(db, name="Onboarding Vendor")
    vendors.change_status(db, vendor, LifecycleStatus.ONBOARDING, actor=None, today=date.today())
    w["vendor_id"] = vendor.id


def _unscheduled_vendor(db, w) -> None:
    w["vendor_id"] = make_vendor(db, name="Unscheduled Vendor", status=LifecycleStatus.ACTIVE).id


def _import_preview(db, w) -> None:
    w["import_preview"] = True  # the page is the answer to uploading the CSV; see _page_of


def _signed_off(db, w) -> None:
    signoff.sign_off(db, db.get(Report, w["report_id"]), outcome=ReviewOutcome.APPROVED, comment="Checked by hand.",
                     actor=db.get(User, w["user_id"]), today=date.today())


def _review_completed(db, w) -> None:
    signoff.complete_review(db, db.get(Review, w["review_id"]), outcome=ReviewOutcome.APPROVED,
                            comment="Checked by hand.", actor=db.get(User, w["user_id"]), today=date.today())


def _other_company(db, w) -> None:
    report = db.get(Report, w["report_id"])
    report.service_organization, report.organization_mismatch = "Unrelated Holdings Inc.", True


def _move_target(db, w) -> None:
    w["target_vendor_id"] = make_vendor(db, name="Move Target Vendor").id


def _vendor_page(w) -> str:
    return f"/vendors/{w['vendor_id']}"


def _item_page(key: str) -> Callable[[dict], str]:
    return lambda w: f"/reports/{w['report_id']}/items/{w[key]}"


CASES: dict[str, Case] = {
    "auth.login": Case(
        page=lambda w: "/login", signed_in=False, typed={"email": "owner@example.com", "password": DEFAULT_PASSWORD},
        effect=lambda db, w: db.get(User, w["user_id"]).last_login_at is not None),
    "auth.logout": Case(
        page=_vendor_page, effect=lambda db, w: True),  # checked by the next request below
    "account.change_password": Case(
        page=lambda w: "/account/", typed={"current_password": DEFAULT_PASSWORD, "new_password": "a new passphrase 42",
                                          "confirm": "a new passphrase 42"},
        effect=_audited("password_changed")),
    "account.create_token": Case(
        page=lambda w: "/account/", typed={"name": "nightly sync"}, success_status=(201,),
        effect=lambda db, w: _one(db, select(ApiToken).where(ApiToken.name == "nightly sync")) is not None),
    "account.revoke_token": Case(
        page=lambda w: "/account/",
        effect=lambda db, w: db.get(ApiToken, w["token_id"]).revoked_at is not None),
    "account.create_calendar_feed": Case(
        page=lambda w: "/account/", success_status=(200,),
        effect=lambda db, w: _one(db, select(CalendarFeed).where(CalendarFeed.user_id == w["user_id"])) is not None),
    "account.revoke_calendar_feed": Case(
        page=lambda w: "/account/", setup=_calendar_feed,
        effect=lambda db, w: _one(db, select(CalendarFeed).where(CalendarFeed.user_id == w["user_id"])) is None),
    "admin.create_user": Case(
        page=lambda w: "/admin/users", typed={"email": "new.hire@example.com", "name": "New Hire",
                                              "password": "a first passphrase 7"},
        effect=lambda db, w: _one(db, select(User).where(User.email == "new.hire@example.com")) is not None),
    "admin.edit_user": Case(
        page=lambda w: f"/admin/users/{w['other_user_id']}", typed={"role": "compliance"},
        effect=lambda db, w: db.get(User, w["other_user_id"]).role == Role.COMPLIANCE),
    "admin.sign_out_user": Case(
        page=lambda w: f"/admin/users/{w['other_user_id']}",
        effect=lambda db, w: db.get(User, w["other_user_id"]).session_version > 0),
    "notifications.open_notification": Case(
        page=lambda w: "/notifications/",
        effect=lambda db, w: db.get(Notification, w["notification_id"]).read_at is not None),
    "notifications.mark_read": Case(
        page=lambda w: "/notifications/",
        effect=lambda db, w: db.get(Notification, w["notification_id"]).read_at is not None),
    "notifications.mark_all_read": Case(
        page=lambda w: "/notifications/",
        effect=lambda db, w: db.get(Notification, w["notification_id"]).read_at is not None),
    "subservices.create": Case(
        page=lambda w: "/fourth-parties/", typed={"name": "Brand New Cloud"},
        effect=lambda db, w: subservices.find_organization(db, "Brand New Cloud") is not None),
    "subservices.edit": Case(
        page=lambda w: f"/fourth-parties/{w['organization_id']}", typed={"notes": "Primary hosting."},
        effect=lambda db, w: db.get(SubserviceOrganization, w["organization_id"]).notes == "Primary hosting."),
    "subservices.add_alias": Case(
        page=lambda w: f"/fourth-parties/{w['organization_id']}", typed={"alias": "SCI"},
        effect=lambda db, w: subservices.find_organization(db, "SCI").id == w["organization_id"]),
    "subservices.remove_alias": Case(
        page=lambda w: f"/fourth-parties/{w['organization_id']}",
        effect=lambda db, w: db.get(SubserviceAlias, w["alias_id"]) is None),
    "subservices.merge": Case(
        page=lambda w: f"/fourth-parties/{w['organization_id']}", setup=_second_organization,
        effect=lambda db, w: (db.get(SubserviceOrganization, w["duplicate_id"]) is None
                              and subservices.find_organization(db, "Seeded Cloud Duplicate").id == w["organization_id"]
                              and len(db.get(SubserviceOrganization, w["organization_id"]).vendor_links) == 2)),
    "reports.correct": Case(
        page=_item_page("exception_id"), typed={"description": "Two of 25 leavers kept access."},
        effect=lambda db, w: _item(db, w, "exception_id").text == "Two of 25 leavers kept access."),
    "reports.triage": Case(
        page=_item_page("exception_id"), typed={"triage_status": "accepted", "severity": "low"},
        effect=lambda db, w: _item(db, w, "exception_id").triage_status == TriageStatus.ACCEPTED),
    "reports.dismiss": Case(
        page=_item_page("csoc_id"),
        effect=lambda db, w: _item(db, w, "csoc_id").not_an_item),
    "reports.map_cuec": Case(
        page=_item_page("cuec_id"), typed={"cuec_status": "implemented", "control_reference": "AC-2",
                                             "owner_id": lambda w: str(w["user_id"])},
        effect=lambda db, w: _item(db, w, "cuec_id").cuec_status == CuecStatus.IMPLEMENTED),
    "reports.link": Case(
        page=_item_page("subservice_item_id"),
        effect=lambda db, w: _item(db, w, "subservice_item_id").organization_id == w["organization_id"]),
    "reports.new_item": Case(
        page=lambda w: f"/reports/{w['report_id']}/items/new", typed={"description": "A missed exception.", "page": "3"},
        effect=lambda db, w: _one(db, select(ReportItem).where(ReportItem.text == "A missed exception.")) is not None),
    "reports.rerun": Case(
        page=lambda w: f"/reports/{w['report_id']}", effect=_audited("extraction_rerun")),
    "reports.sign_off": Case(
        page=lambda w: f"/reports/{w['report_id']}", typed={"comment": "The exception is mitigated by our own review."},
        effect=lambda db, w: db.get(Report, w["report_id"]).signed_off_at is not None),
    "reports.correct_details": Case(
        page=lambda w: f"/reports/{w['report_id']}",
        typed={"auditor": "Corrected Auditors LLP", "reason": "Read from page 3."},
        effect=lambda db, w: db.get(Report, w["report_id"]).auditor == "Corrected Auditors LLP"),
    "reports.confirm_organization": Case(
        page=lambda w: f"/reports/{w['report_id']}", setup=_other_company,
        effect=lambda db, w: db.get(Report, w["report_id"]).organization_confirmed_at is not None),
    "reports.move": Case(
        page=lambda w: f"/reports/{w['report_id']}/move?q=Move+Target", setup=_move_target,
        effect=lambda db, w: db.get(Report, w["report_id"]).vendor_id == w["target_vendor_id"]),
    "reports.reopen": Case(
        page=lambda w: f"/reports/{w['report_id']}", setup=_signed_off, typed={"reason": "The wrong report was signed."},
        effect=lambda db, w: db.get(Report, w["report_id"]).signed_off_at is None),
    "reviews.reopen": Case(
        page=_vendor_page, setup=_review_completed, typed={"reason": "Concluded on the wrong report."},
        effect=lambda db, w: db.get(Review, w["review_id"]).status == ReviewStatus.IN_PROGRESS),
    "reviews.condition_done": Case(
        page=_vendor_page,
        effect=lambda db, w: db.get(ReviewCondition, w["condition_id"]).status == ConditionStatus.DONE),
    "reviews.assign": Case(
        page=_vendor_page, effect=lambda db, w: db.get(Review, w["review_id"]).owner_id is not None),
    "reviews.start": Case(
        page=_vendor_page, effect=lambda db, w: db.get(Review, w["review_id"]).status == ReviewStatus.IN_PROGRESS),
    "reviews.complete": Case(
        page=_vendor_page, typed={"comment": "Reviewed."},
        effect=lambda db, w: db.get(Review, w["review_id"]).status == ReviewStatus.COMPLETED),
    "reviews.waive": Case(
        page=_vendor_page, typed={"waiver_reason": "Contract ends next month."},
        effect=lambda db, w: db.get(Review, w["review_id"]).status == ReviewStatus.WAIVED),
    "reviews.schedule": Case(
        page=_vendor_page, setup=_unscheduled_vendor,
        effect=lambda db, w: _one(db, select(Review).where(Review.vendor_id == w["vendor_id"])) is not None),
    "reviews.policy": Case(
        page=lambda w: "/reviews/policy", typed={"low_months": "30"},
        effect=lambda db, w: _one(db, select(ReviewPolicy.low_months)) == 30),
    "reviews.vendor_schedule": Case(
        page=lambda w: f"/reviews/vendors/{w['vendor_id']}/schedule-settings", typed={"cadence_months": "6", "reason": "Processes our payroll."},
        effect=lambda db, w: _vendor(db, w).review_cadence_months == 6),
    "exports.register_file": Case(
        page=lambda w: "/exports/",
        effect=lambda db, w: _one(db, select(ExportJob).where(ExportJob.kind == "vendors")) is not None),
    "exports.packet_file": Case(
        page=lambda w: f"/vendors/{w['vendor_id']}/packet",
        effect=lambda db, w: _one(db, select(ExportJob).where(ExportJob.vendor_id == w["vendor_id"])) is not None),
    "reviews.request_bridge_letter": Case(
        page=_vendor_page, typed={"notes": "Asked the account manager."},
        effect=lambda db, w: _one(db, select(func.count()).select_from(BridgeLetter)) == 2),
    "reviews.receive_bridge_letter": Case(
        page=_vendor_page, typed={"covered_through": "2026-06-30"},
        effect=lambda db, w: db.get(BridgeLetter, w["letter_id"]).status == BridgeLetterStatus.RECEIVED),
    "reviews.delete_bridge_letter": Case(
        page=_vendor_page, effect=lambda db, w: db.get(BridgeLetter, w["letter_id"]) is None),
    "reviews.link_inventory_vendor": Case(
        page=_vendor_page, setup=lambda db, w: make_vendor(db, name="Seeded Cloud Inventory"),
        typed={"vendor_name": "Seeded Cloud Inventory"}, effect=_audited("subservice_linked")),
    "vendors.create_vendor": Case(
        page=lambda w: "/vendors/new", typed={"name": "Fresh Vendor"},
        effect=lambda db, w: _one(db, select(Vendor).where(Vendor.name == "Fresh Vendor")) is not None),
    "vendors.edit": Case(
        page=lambda w: f"/vendors/{w['vendor_id']}/edit", typed={"notes": "Renewal in May."},
        effect=lambda db, w: _vendor(db, w).notes == "Renewal in May."),
    "vendors.intake": Case(
        page=lambda w: f"/vendors/{w['vendor_id']}/intake", typed={"volume": "high", "criticality": "high",
                                                                   "override_reason": "Kept as critical."},
        effect=lambda db, w: _vendor(db, w).suggested_tier is not None),
    "vendors.change_status": Case(
        page=_vendor_page, effect=lambda db, w: _vendor(db, w).status == LifecycleStatus.OFFBOARDING),
    "vendors.checklist_item": Case(
        page=_vendor_page, setup=_onboarding_vendor,
        effect=lambda db, w: _one(db, select(OnboardingChecklistItem).where(
            OnboardingChecklistItem.vendor_id == w["vendor_id"],
            OnboardingChecklistItem.state != ChecklistItemState.OPEN)) is not None),
    "vendors.link_subservice": Case(
        page=_vendor_page, typed={"organization": "Another Cloud", "method": "carve-out"},
        effect=lambda db, w: subservices.find_organization(db, "Another Cloud") is not None),
    "vendors.unlink_subservice": Case(
        page=_vendor_page,
        effect=lambda db, w: db.get(VendorSubservice, (w["vendor_id"], w["organization_id"])) is None),
    "vendors.upload": Case(
        page=_vendor_page, files=lambda: {"files": (REPORT_PDF.open("rb"), "report.pdf")},
        effect=lambda db, w: _one(db, select(Document).where(Document.filename == "report.pdf")) is not None),
    "evidence.create": Case(
        page=_vendor_page, typed={"message": "Please send this year's report."},
        effect=lambda db, w: _one(db, select(func.count()).select_from(EvidenceRequest)) == 2),
    "evidence.cancel": Case(
        page=_vendor_page,
        effect=lambda db, w: db.get(EvidenceRequest, w["request_id"]).status == EvidenceRequestStatus.CANCELLED),
    "evidence.add_document": Case(
        page=_vendor_page, files=lambda: {"file": (REPORT_PDF.open("rb"), "dpa.pdf")},
        typed={"kind": "dpa", "expires_on": "2027-06-30", "scope": "All EU processing."},
        effect=lambda db, w: _one(db, select(EvidenceDocument.scope).where(EvidenceDocument.filename == "dpa.pdf"))
        == "All EU processing."),
    "evidence.edit_document": Case(
        page=_vendor_page, typed={"expires_on": "2028-01-31"},
        effect=lambda db, w: _one(db, select(EvidenceDocument.expires_on).where(EvidenceDocument.filename == "iso.pdf"))
        == date(2028, 1, 31)),
    "portal.upload": Case(
        page=lambda w: f"/portal/{w['evidence_token']}", signed_in=False, success_status=(200,),
        files=lambda: {"file": (REPORT_PDF.open("rb"), "report.pdf")}, typed={"note": "Our 2026 report."},
        effect=lambda db, w: _one(db, select(EvidenceSubmission.note)) == "Our 2026 report."),
    "vendors.import_csv": Case(
        page=lambda w: "/vendors/import", files=lambda: {"file": (io.BytesIO(CSV.encode()), "vendors.csv")},
        success_status=(200,), effect=lambda db, w: True),  # a preview only; confirm_import saves
    "vendors.confirm_import": Case(
        page=lambda w: "/vendors/import", setup=_import_preview,
        effect=lambda db, w: _one(db, select(Vendor).where(Vendor.name == "From The Sheet Ltd")) is not None),
}


def _form_routes(app) -> set[str]:
    """Every endpoint of the pages (not the JSON API) that accepts POST."""
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and not rule.endpoint.startswith("api.")}


def test_every_form_route_has_a_case(app):
    assert _form_routes(app) - set(CASES) == set(), "add a Case for each new form route"
    assert set(CASES) - _form_routes(app) == set(), "remove the Case of a route that is gone"


def _world(db) -> dict:
    world = seed_world(db)
    report_items = db.scalars(select(ReportItem).where(ReportItem.report_id == world["report_id"])).all()
    world["csoc_id"] = next(item.id for item in report_items if item.kind.value == "csoc")
    world["subservice_item_id"] = next(item.id for item in report_items if item.kind.value == "subservice_organization")
    world["other_user_id"] = make_user(db, role=Role.VIEWER).id
    return world


def _form_for(app, html: str, page_url: str, endpoint: str):
    """The first form on the page that posts to `endpoint`."""
    adapter = app.url_map.bind("localhost")
    for form in lxml.html.fromstring(html).forms:
        if (form.method or "GET").upper() != "POST":
            continue
        action = (form.action or page_url).removeprefix("http://localhost")
        try:
            target, _ = adapter.match(action.split("?")[0], method="POST")
        except RequestRedirect:
            continue
        except Exception:
            continue
        if target == endpoint:
            return form, action
    return None, None


def _problems(html: str) -> list[str]:
    """What the page says went wrong: field errors and flashed messages."""
    page = lxml.html.fromstring(html)
    return [element.text_content().strip() for element in page.xpath("//*[contains(@class, 'field-error')]"
                                                                      "|//*[contains(@class, 'flash')]")]


def _pressed_button(form) -> dict[str, str]:
    """A named submit button sends its value, as the browser does."""
    for button in form.xpath(".//button[@name]|.//input[@type='submit'][@name]"):
        return {button.get("name"): button.get("value", "")}
    return {}


def _page_of(case: Case, client, world: dict) -> tuple[str, str]:
    url = case.page(world)
    if world.get("import_preview"):
        # The confirm form is the answer to uploading the sheet.
        response = client.post("/vendors/import", data={"file": (io.BytesIO(CSV.encode()), "vendors.csv")},
                               content_type="multipart/form-data")
        return url, response.get_data(as_text=True)
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return url, response.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_every_form_submits_and_does_what_it_says(app, client, db, endpoint):
    case = CASES[endpoint]
    world = _world(db)
    if case.setup:
        case.setup(db, world)
    db.commit()
    if case.signed_in:
        owner = db.get(User, world["user_id"])  # an admin: every form is open to them
        assert client.post("/login", data={"email": owner.email, "password": DEFAULT_PASSWORD}).status_code == 302

    page_url, html = _page_of(case, client, world)
    form, action = _form_for(app, html, page_url, endpoint)
    assert form is not None, f"no form on {page_url} posts to {endpoint}"
    typed = {name: value(world) if callable(value) else value for name, value in case.typed.items()}
    data = {**dict(form.form_values()), **_pressed_button(form), **typed}
    if case.files:
        data.update(case.files())
    response = client.post(action, data=data, content_type="multipart/form-data" if case.files else None)

    assert response.status_code < 500, f"{endpoint}: {response.status_code}"
    assert response.status_code in case.success_status, (
        f"{endpoint}: {response.status_code} {_problems(response.get_data(as_text=True))}")
    with client.session_transaction() as session:
        errors = [message for category, message in session.get("_flashes", []) if category == "error"]
    assert errors == [], f"{endpoint}: {errors}"
    db.expire_all()
    assert case.effect(db, world), f"{endpoint} did not do what it says"
    if endpoint == "auth.logout":
        assert client.get("/vendors/").status_code == 302
