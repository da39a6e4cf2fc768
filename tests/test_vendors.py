"""The vendor inventory as procurement, security and viewers use it."""
from __future__ import annotations

from datetime import date

import pytest

from models import (
    AuditEvent,
    BusinessCriticality,
    ChecklistItemState,
    DataCategory,
    DataVolume,
    LifecycleStatus,
    ReviewOutcome,
    Role,
    Substitutability,
    Tier,
    Vendor,
    VendorDataCategory,
)
from tests.factories import make_report, make_user, make_vendor
from vendorrisk.services.vendors import suggest_tier

VALID_FORM = {
    "name": "Acme Cloud",
    "tier": "high",
    "data_handled": ["customer_pii", "financial"],
    "has_production_access": "y",
    "contract_start": "2026-01-01",
    "contract_end": "2027-12-31",
    "renewal_notice_date": "2027-10-01",
    "services": "Hosting",
}


def vendor_named(db, name):
    db.expire_all()
    return db.query(Vendor).filter_by(name=name).one_or_none()


def test_procurement_adds_a_vendor_and_the_change_is_logged(client, db, auth):
    buyer = auth.login_as(Role.PROCUREMENT)
    response = client.post("/vendors/", data=VALID_FORM)
    assert response.status_code == 302
    vendor = vendor_named(db, "Acme Cloud")
    assert vendor.tier == Tier.HIGH
    assert vendor.status == LifecycleStatus.PROSPECT
    assert vendor.data_handled == {DataCategory.CUSTOMER_PII, DataCategory.FINANCIAL}
    assert vendor.has_production_access is True
    event = db.query(AuditEvent).filter_by(vendor_id=vendor.id).one()
    assert event.actor_id == buyer.id and event.action == "created"
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "Acme Cloud" in page and "Created vendor Acme Cloud" in page


def test_a_duplicate_name_in_any_case_is_refused_and_nothing_is_added(client, db, auth):
    auth.login_as(Role.PROCUREMENT)
    make_vendor(db, name="Acme Cloud")
    db.commit()
    response = client.post("/vendors/", data={**VALID_FORM, "name": "  ACME cloud "})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)
    assert db.query(Vendor).count() == 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "", "This field is required"),
        ("tier", "extreme", "Not a valid choice"),
        ("contract_end", "2025-01-01", "cannot end before it starts"),
        ("contract_start", "31/12/2026", "Not a valid date"),
        ("website", "not a url", "full address"),
        ("data_handled", ["none", "phi"], "cannot be combined"),
    ],
)
def test_invalid_fields_are_explained_and_nothing_is_saved(client, db, auth, field, value, message):
    auth.login_as(Role.PROCUREMENT)
    response = client.post("/vendors/", data={**VALID_FORM, field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.query(Vendor).count() == 0


def test_a_viewer_cannot_edit_and_the_vendor_is_unchanged(client, db, auth):
    vendor = make_vendor(db, name="Acme Cloud", tier=Tier.LOW)
    db.commit()
    auth.login_as(Role.VIEWER)
    response = client.post(f"/vendors/{vendor.id}/edit", data={**VALID_FORM, "tier": "critical"})
    assert response.status_code == 403
    assert vendor_named(db, "Acme Cloud").tier == Tier.LOW
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "Edit</a>" not in page  # no button the viewer cannot use


def test_editing_logs_each_changed_field_with_old_and_new_value(client, db, auth):
    vendor = make_vendor(db, name="Acme Cloud", tier=Tier.LOW)
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    response = client.post(f"/vendors/{vendor.id}/edit", data={**VALID_FORM, "tier": "critical", "name": "Acme Cloud"})
    assert response.status_code == 302
    event = db.query(AuditEvent).filter_by(vendor_id=vendor.id, action="updated").one()
    assert event.changes["tier"] == ["low", "critical"]
    assert event.changes["data_handled"] == [[], ["customer_pii", "financial"]]
    assert "name" not in event.changes


def test_saving_an_unchanged_vendor_logs_nothing(client, db, auth):
    auth.login_as(Role.PROCUREMENT)
    client.post("/vendors/", data=VALID_FORM)
    vendor = vendor_named(db, "Acme Cloud")
    client.post(f"/vendors/{vendor.id}/edit", data=VALID_FORM)
    assert db.query(AuditEvent).filter_by(vendor_id=vendor.id, action="updated").count() == 0


def test_an_illegal_status_change_is_refused_with_the_allowed_ones(client, db, auth):
    vendor = make_vendor(db, name="Acme Cloud")
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    response = client.post(f"/vendors/{vendor.id}/status", data={"status": "offboarding"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "cannot go from prospect to offboarding" in text
    assert "onboarding, terminated" in text
    assert vendor_named(db, "Acme Cloud").status == LifecycleStatus.PROSPECT


def test_a_vendor_goes_active_only_when_required_onboarding_items_are_done_or_waived(client, db, auth):
    owner = make_user(db, role=Role.PROCUREMENT)
    vendor = make_vendor(db, name="Acme Cloud", tier=Tier.HIGH)
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    client.post(f"/vendors/{vendor.id}/status", data={"status": "onboarding"})
    refused = client.post(f"/vendors/{vendor.id}/status", data={"status": "active"}, follow_redirects=True)
    assert "cannot become active until" in refused.get_data(as_text=True)
    assert vendor_named(db, "Acme Cloud").status == LifecycleStatus.ONBOARDING

    # Waiving needs a reason.
    response = client.post(f"/vendors/{vendor.id}/checklist/soc_report", data={"state": "waived"}, follow_redirects=True)
    assert "Say why" in response.get_data(as_text=True)
    # The owner item is done by the owner being set on the vendor, not by a tick.
    response = client.post(f"/vendors/{vendor.id}/checklist/owner_assigned", data={"state": "done"}, follow_redirects=True)
    assert "done by itself once a business owner is set" in response.get_data(as_text=True)

    client.post(f"/vendors/{vendor.id}/checklist/soc_report", data={"state": "waived", "waiver_reason": "ISO 27001 instead"})
    client.post(f"/vendors/{vendor.id}/checklist/contract_dpa", data={"state": "done"})
    db.get(Vendor, vendor.id).business_owner_id = owner.id
    db.commit()
    auth.logout()
    auth.login_as(Role.SECURITY)
    client.post(f"/vendors/{vendor.id}/checklist/security_review", data={"state": "done"})
    auth.logout()
    auth.login_as(Role.PROCUREMENT)
    response = client.post(f"/vendors/{vendor.id}/status", data={"status": "active"})
    assert response.status_code == 302
    vendor = vendor_named(db, "Acme Cloud")
    assert vendor.status == LifecycleStatus.ACTIVE
    waived = next(i for i in vendor.checklist_items if i.kind.value == "soc_report")
    assert waived.state == ChecklistItemState.WAIVED and waived.waiver_reason == "ISO 27001 instead"
    transitions = db.query(AuditEvent).filter_by(vendor_id=vendor.id, action="status_changed").all()
    assert [e.changes["status"] for e in transitions] == [["prospect", "onboarding"], ["onboarding", "active"]]


def test_low_tier_vendors_need_no_soc_report_to_go_active(client, db, auth):
    owner = make_user(db)
    vendor = make_vendor(db, name="Stationery Co", tier=Tier.LOW, business_owner_id=owner.id)
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    client.post(f"/vendors/{vendor.id}/status", data={"status": "onboarding"})
    client.post(f"/vendors/{vendor.id}/checklist/contract_dpa", data={"state": "done"})
    client.post(f"/vendors/{vendor.id}/status", data={"status": "active"})
    assert vendor_named(db, "Stationery Co").status == LifecycleStatus.ACTIVE


def _checklist_item(page: str, kind: str) -> str:
    import re

    items = re.search(r'<ul class="checklist">(.*?)</ul>\s*(?:{% else %})?', page, re.S).group(1)
    label = {"soc_report": "SOC 2 report", "security_review": "Security review", "contract_dpa": "Contract and DPA",
             "owner_assigned": "Business owner assigned"}[kind]
    return next(li for li in re.findall(r"<li class=\"checklist-.*?</li>\s*(?=<li class=\"checklist-|$)", items, re.S)
                if label in li)


def test_checklist_items_complete_themselves_from_what_the_app_knows(client, db, auth):
    reviewer = make_user(db, role=Role.SECURITY, name="Sam Reviewer")
    owner = make_user(db, name="Olive Owner")
    vendor = make_vendor(db, name="Acme Cloud", tier=Tier.HIGH)
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    client.post(f"/vendors/{vendor.id}/status", data={"status": "onboarding"})
    make_report(db, vendor)  # still being read: not evidence yet
    db.commit()
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert all("checklist-open" in _checklist_item(page, kind)
               for kind in ("soc_report", "security_review", "contract_dpa", "owner_assigned"))

    db.expire_all()  # the status change above gave the row a new version
    vendor = db.get(Vendor, vendor.id)
    vendor.business_owner_id = owner.id
    vendor.contract_start, vendor.contract_end = date(2026, 1, 1), date(2027, 12, 31)
    report = make_report(db, vendor, period_end=date(2026, 3, 31), signoff_outcome=ReviewOutcome.APPROVED,
                         signed_off_by_id=reviewer.id)
    db.commit()
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    owner_item = _checklist_item(page, "owner_assigned")
    assert "checklist-done" in owner_item and "Olive Owner" in owner_item
    assert f'href="/vendors/{vendor.id}/edit"' in owner_item
    contract = _checklist_item(page, "contract_dpa")
    assert "checklist-done" in contract and "2026-01-01 to 2027-12-31" in contract
    soc = _checklist_item(page, "soc_report")
    assert "checklist-done" in soc and f'href="/reports/{report.id}"' in soc and "2026-03-31" in soc
    review = _checklist_item(page, "security_review")
    assert "checklist-done" in review and f'href="/reports/{report.id}#sign-off"' in review and "Sam Reviewer" in review
    assert "Mark done" not in page  # nothing left to tick by hand

    # Nothing was ticked, yet nothing blocks going active.
    assert client.post(f"/vendors/{vendor.id}/status", data={"status": "active"}).status_code == 302
    assert vendor_named(db, "Acme Cloud").status == LifecycleStatus.ACTIVE

    # Computed when shown: an owner removed reopens the item, no stale tick survives.
    vendor_named(db, "Acme Cloud").business_owner_id = None
    db.commit()
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "checklist-open" in _checklist_item(page, "owner_assigned")


def test_only_security_or_an_admin_complete_the_security_review_item(client, db, auth):
    vendor = make_vendor(db, name="Acme Cloud", tier=Tier.HIGH)
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    client.post(f"/vendors/{vendor.id}/status", data={"status": "onboarding"})
    action = f"/vendors/{vendor.id}/checklist/security_review"
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert action not in page and f"/vendors/{vendor.id}/checklist/contract_dpa" in page
    for state in ("done", "waived"):
        refused = client.post(action, data={"state": state, "waiver_reason": "Trust me"}, follow_redirects=True)
        assert "Only security or an admin can record the security review" in refused.get_data(as_text=True)
    item = next(i for i in vendor_named(db, "Acme Cloud").checklist_items if i.kind.value == "security_review")
    assert item.state == ChecklistItemState.OPEN

    for role in (Role.SECURITY, Role.ADMIN):
        auth.logout()
        auth.login_as(role)
        assert action in client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    client.post(action, data={"state": "done"})
    item = next(i for i in vendor_named(db, "Acme Cloud").checklist_items if i.kind.value == "security_review")
    assert item.state == ChecklistItemState.DONE


@pytest.mark.parametrize(
    "data, volume, production, criticality, substitutability, expected",
    [
        ({DataCategory.NONE}, DataVolume.NONE, False, BusinessCriticality.LOW, Substitutability.EASY, Tier.LOW),
        ({DataCategory.EMPLOYEE_PII}, DataVolume.LOW, False, BusinessCriticality.MEDIUM, Substitutability.EASY, Tier.MEDIUM),
        ({DataCategory.CUSTOMER_PII}, DataVolume.HIGH, False, BusinessCriticality.MEDIUM, Substitutability.EASY, Tier.HIGH),
        ({DataCategory.PHI}, DataVolume.HIGH, True, BusinessCriticality.HIGH, Substitutability.DIFFICULT, Tier.CRITICAL),
        # Volume only weighs data that is sensitive: none of it, however much, stays low.
        (set(), DataVolume.HIGH, False, BusinessCriticality.LOW, Substitutability.MODERATE, Tier.LOW),
        # No data at all, but production access and a hard-to-replace critical service.
        ({DataCategory.NONE}, DataVolume.NONE, True, BusinessCriticality.HIGH, Substitutability.DIFFICULT, Tier.HIGH),
    ],
)
def test_intake_suggests_a_tier(data, volume, production, criticality, substitutability, expected):
    assert suggest_tier(data, volume, production, criticality, substitutability) == expected


def test_intake_sets_the_suggested_tier_and_an_override_needs_a_reason(client, db, auth):
    vendor = make_vendor(db, name="Acme Cloud", tier=Tier.LOW, has_production_access=True)
    vendor.data_categories = [VendorDataCategory(category=DataCategory.PHI)]
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    answers = {"volume": "high", "criticality": "high", "substitutability": "difficult"}
    assert client.post(f"/vendors/{vendor.id}/intake", data={**answers, "tier": ""}).status_code == 302
    vendor = vendor_named(db, "Acme Cloud")
    assert vendor.suggested_tier == Tier.CRITICAL and vendor.tier == Tier.CRITICAL

    refused = client.post(f"/vendors/{vendor.id}/intake", data={**answers, "tier": "medium"})
    assert refused.status_code == 400 and "Give a reason" in refused.get_data(as_text=True)
    assert vendor_named(db, "Acme Cloud").tier == Tier.CRITICAL

    client.post(f"/vendors/{vendor.id}/intake", data={**answers, "tier": "medium", "override_reason": "Test data only"})
    vendor = vendor_named(db, "Acme Cloud")
    assert vendor.tier == Tier.MEDIUM and vendor.tier_override_reason == "Test data only"
    # The edit form keeps the override honest too.
    response = client.post(f"/vendors/{vendor.id}/edit",
                           data={"name": "Acme Cloud", "tier": "low", "tier_override_reason": ""})
    assert response.status_code == 400 and "suggests tier" in response.get_data(as_text=True)


def _selected_tier(page: str) -> str:
    import re

    select = re.search(r'<select[^>]*id="tier".*?</select>', page, re.S).group(0)
    return re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select).group(1)


def test_the_intake_never_replaces_a_tier_set_by_hand_unless_the_user_picks_the_suggestion(client, db, auth):
    vendor = make_vendor(db, name="Acme Cloud", tier=Tier.LOW, has_production_access=True)
    vendor.data_categories = [VendorDataCategory(category=DataCategory.PHI)]
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    form = client.get(f"/vendors/{vendor.id}/intake").get_data(as_text=True)
    assert _selected_tier(form) == "low"  # the hand-set tier, not "use the suggestion"
    assert "Use the suggested tier instead of low" in form

    # Submitting the form as shown keeps the tier and asks the user to choose.
    answers = {"volume": "high", "criticality": "high", "substitutability": "difficult"}
    refused = client.post(f"/vendors/{vendor.id}/intake", data={**answers, "tier": "low"})
    assert refused.status_code == 400
    assert "was set by hand. Choose the suggested tier, or give a reason" in refused.get_data(as_text=True)
    assert vendor_named(db, "Acme Cloud").tier == Tier.LOW

    # Picking the suggestion applies it; from then on the tier follows the intake.
    assert client.post(f"/vendors/{vendor.id}/intake", data={**answers, "tier": ""}).status_code == 302
    assert vendor_named(db, "Acme Cloud").tier == Tier.CRITICAL
    assert _selected_tier(client.get(f"/vendors/{vendor.id}/intake").get_data(as_text=True)) == ""


def _names(response) -> list[str]:
    import re

    return re.findall(r'<td><a href="/vendors/\d+">([^<]+)</a></td>', response.get_data(as_text=True))


def test_the_list_searches_filters_and_sorts(client, db, auth):
    owner = make_user(db, role=Role.SECURITY, name="Sam Security")
    make_vendor(db, name="Beta Payroll", tier=Tier.HIGH, services="Payroll processing",
                security_owner_id=owner.id).data_categories = [VendorDataCategory(category=DataCategory.EMPLOYEE_PII)]
    make_vendor(db, name="Alpha Hosting", tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE)
    make_vendor(db, name="Gamma Pens", tier=Tier.LOW)
    db.commit()
    auth.login_as(Role.VIEWER)
    assert _names(client.get("/vendors/")) == ["Alpha Hosting", "Beta Payroll", "Gamma Pens"]
    assert _names(client.get("/vendors/?q=payroll")) == ["Beta Payroll"]
    assert _names(client.get("/vendors/?tier=low&tier=critical")) == ["Alpha Hosting", "Gamma Pens"]
    assert _names(client.get("/vendors/?status=active")) == ["Alpha Hosting"]
    assert _names(client.get("/vendors/?data=employee_pii")) == ["Beta Payroll"]
    assert _names(client.get(f"/vendors/?owner={owner.id}")) == ["Beta Payroll"]
    assert _names(client.get("/vendors/?sort=tier")) == ["Alpha Hosting", "Beta Payroll", "Gamma Pens"]
    assert _names(client.get("/vendors/?sort=tier&dir=desc")) == ["Gamma Pens", "Beta Payroll", "Alpha Hosting"]
    assert _names(client.get("/vendors/?tier=bogus")) == ["Alpha Hosting", "Beta Payroll", "Gamma Pens"]
    empty = client.get("/vendors/?q=nothing-like-this").get_data(as_text=True)
    assert "No vendor matches these filters" in empty


def test_the_list_pages_through_many_vendors(client, db, auth, app):
    per_page = app.config["PER_PAGE"]
    for n in range(per_page + 3):
        make_vendor(db, name=f"Vendor {n:03d}")
    db.commit()
    auth.login_as(Role.VIEWER)
    first = client.get("/vendors/")
    assert len(_names(first)) == per_page
    assert f"Page 1 of 2 · {per_page + 3} in all" in first.get_data(as_text=True)
    second = client.get("/vendors/?page=2")
    assert _names(second) == [f"Vendor {n:03d}" for n in range(per_page, per_page + 3)]


def test_an_empty_inventory_explains_what_to_do(client, auth):
    auth.login_as(Role.PROCUREMENT)
    page = client.get("/vendors/").get_data(as_text=True)
    assert "No vendors yet" in page and "Add the first vendor" in page


def test_vendor_output_is_escaped(client, db, auth):
    vendor = make_vendor(db, name="<script>alert(1)</script>", notes="<img src=x onerror=alert(1)>")
    db.commit()
    auth.login_as(Role.VIEWER)
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_an_unknown_vendor_is_a_404(client, auth):
    auth.login_as(Role.VIEWER)
    response = client.get("/vendors/999999")
    assert response.status_code == 404
    assert "nothing here" in response.get_data(as_text=True)


def test_name_search_suggests_matching_names_starting_ones_first(client, db, auth):
    auth.login_as(Role.VIEWER)
    for name in ("Big Acme", "Acme Cloud", "Globex", "100%_Pure"):
        make_vendor(db, name=name)
    db.commit()
    assert client.get("/vendors/names.json?q=acme").get_json() == {"names": ["Acme Cloud", "Big Acme"]}
    assert client.get("/vendors/names.json?q=%_").get_json() == {"names": ["100%_Pure"]}  # no wildcards
    assert client.get("/vendors/names.json?q=").get_json() == {"names": []}


def test_name_search_needs_sign_in(client, db):
    make_vendor(db, name="Acme Cloud")
    db.commit()
    answer = client.get("/vendors/names.json?q=acme")
    assert answer.status_code in (302, 401) and b"Acme Cloud" not in answer.data


def test_every_page_of_a_list_knows_the_total_and_its_neighbours(db):
    """The pager's figures whether the page is full (counted), the last and
    partly full (known from its rows), or past the end (counted)."""
    from sqlalchemy import select

    from models import Vendor
    from vendorrisk.infra.db import paginate

    for k in range(7):
        make_vendor(db, name=f"Paged {k}")
    db.flush()
    query = select(Vendor).where(Vendor.name.like("Paged %")).order_by(Vendor.name)
    first, last, beyond = (paginate(db, query, page, 3) for page in (1, 3, 9))
    assert [v.name for v in first.items] == ["Paged 0", "Paged 1", "Paged 2"]
    assert (first.total, first.pages, first.has_next) == (7, 3, True)
    assert [v.name for v in last.items] == ["Paged 6"]
    assert (last.total, last.pages, last.has_next, last.has_prev) == (7, 3, False, True)
    assert (beyond.items, beyond.total, beyond.pages) == ([], 7, 3)
    alone = paginate(db, select(Vendor).where(Vendor.name == "Paged 4"), 1, 3)
    assert (alone.total, alone.pages, alone.has_next) == (1, 1, False)
