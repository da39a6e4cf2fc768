"""The REST API as a script uses it: JSON in and out, a Bearer token, the
permission table of the pages, and errors that say what is wrong."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, LifecycleStatus, Review, ReviewStatus, Role, Tier, Vendor
from models.base import utcnow
from tests.factories import make_api_token, make_user, make_vendor
from vendorrisk.services.permissions import PERMISSIONS, Action
from vendorrisk.services import subservices


class Api:
    """A test client that sends one user's token with every request."""

    def __init__(self, client, token: str, user) -> None:
        self.client = client
        self.user = user
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, url, **kwargs):
        return self.client.get(url, headers=self.headers, **kwargs)

    def post(self, url, **kwargs):
        return self.client.post(url, headers=self.headers, **kwargs)

    def patch(self, url, **kwargs):
        return self.client.patch(url, headers=self.headers, **kwargs)


@pytest.fixture
def api_as(client, db):
    def login(role: Role) -> Api:
        user = make_user(db, role=role)
        token = make_api_token(db, user)
        db.commit()
        return Api(client, token, user)

    return login


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert error["code"] == code and error["message"]
    assert error.get("field") == field
    return error


# ---- vendors ------------------------------------------------------------

def test_procurement_creates_a_vendor_and_the_change_is_logged(api_as, db):
    api = api_as(Role.PROCUREMENT)
    response = api.post("/api/v1/vendors", json={
        "name": "Acme Cloud", "tier": "high", "data_handled": ["customer_pii", "financial"],
        "website": "https://acme.example", "contract_start": "2026-01-01", "contract_end": "2027-12-31",
    })
    assert response.status_code == 201
    body = response.json
    assert body["name"] == "Acme Cloud" and body["tier"] == "high" and body["status"] == "prospect"
    assert body["data_handled"] == ["customer_pii", "financial"]
    assert body["contract_end"] == "2027-12-31"
    assert response.headers["Location"].endswith(f"/api/v1/vendors/{body['id']}")

    db.expire_all()
    vendor = db.get(Vendor, body["id"])
    assert vendor.tier == Tier.HIGH and vendor.contract_start == date(2026, 1, 1)
    event = db.scalar(select(AuditEvent).where(AuditEvent.vendor_id == vendor.id))
    assert event.action == "created" and event.actor_id == api.user.id
    assert api.get(response.headers["Location"]).json == body


def test_a_duplicate_vendor_name_in_any_case_is_409(api_as, db):
    make_vendor(db, name="Acme Cloud")
    db.commit()
    api = api_as(Role.PROCUREMENT)
    error = assert_error(api.post("/api/v1/vendors", json={"name": "ACME cloud"}), 409, "conflict", "name")
    assert "Acme Cloud" in error["message"]
    assert db.scalar(select(Vendor.id).where(Vendor.name == "ACME cloud")) is None


def test_a_duplicate_non_ascii_name_is_409_not_a_server_error(api_as, db):
    """Found by schemathesis: SQLite's lower() folds only ASCII, so the duplicate
    check must fold names the way the database's unique index does."""
    api = api_as(Role.PROCUREMENT)
    assert api.post("/api/v1/vendors", json={"name": "Ärzte Ökonom GmbH"}).status_code == 201
    assert_error(api.post("/api/v1/vendors", json={"name": "Ärzte Ökonom GmbH"}), 409, "conflict", "name")


@pytest.mark.parametrize("body, field, words", [
    ({}, "name", "name is required"),
    ({"name": ""}, "name", "at least 1 character"),
    ({"name": "   "}, "name", "Enter the vendor's name"),
    ({"name": "A", "tier": "extreme"}, "tier", "'critical', 'high', 'medium' or 'low'"),
    ({"name": "A", "contract_start": "next week"}, "contract_start", "valid date"),
    ({"name": "A", "contract_start": "2027-01-01", "contract_end": "2026-01-01"}, "contract_end", "cannot end before"),
    ({"name": "A", "website": "acme.example"}, "website", "full address like https://"),
    ({"name": "A", "contact_email": "ann"}, "contact_email", "e-mail address like"),
    ({"name": "A", "data_handled": ["none", "phi"]}, "data_handled", "cannot be combined"),
    ({"name": "A", "business_owner_id": 424242}, "business_owner_id", "existing user"),
    ({"name": "A", "colour": "blue"}, "colour", "not a field"),
    ({"name": "A\x00B"}, "name", "control characters"),
    ({"name": "x" * 201}, "name", "at most 200"),
])
def test_invalid_vendor_bodies_are_400_naming_the_field(api_as, db, body, field, words):
    api = api_as(Role.PROCUREMENT)
    error = assert_error(api.post("/api/v1/vendors", json=body), 400, "validation_error", field)
    assert words in error["message"]
    assert db.scalar(select(Vendor.id)) is None


def test_a_body_that_is_not_json_is_415_and_broken_json_is_400(api_as):
    api = api_as(Role.PROCUREMENT)
    assert_error(api.post("/api/v1/vendors", data="name=Acme"), 415, "unsupported_media_type")
    assert_error(api.post("/api/v1/vendors", data="{name", content_type="application/json"), 400, "validation_error")
    assert_error(api.post("/api/v1/vendors", json=["Acme"]), 400, "validation_error")


def test_a_body_over_the_size_limit_is_413(app, client, db):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    token = make_api_token(db, make_user(db, role=Role.PROCUREMENT))
    db.commit()
    response = client.post("/api/v1/vendors", json={"name": "A", "notes": "x" * 5000},
                           headers={"Authorization": f"Bearer {token}"})
    error = assert_error(response, 413, "request_entity_too_large")
    assert "limit" in error["message"]


def test_a_viewer_token_cannot_create_or_change_vendors(api_as, db):
    vendor = make_vendor(db, name="Acme")
    db.commit()
    api = api_as(Role.VIEWER)
    assert_error(api.post("/api/v1/vendors", json={"name": "Other"}), 403, "forbidden")
    assert_error(api.patch(f"/api/v1/vendors/{vendor.id}", json={"tier": "low"}), 403, "forbidden")
    assert api.get(f"/api/v1/vendors/{vendor.id}").status_code == 200
    db.expire_all()
    assert db.get(Vendor, vendor.id).tier == Tier.MEDIUM


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_api_permissions_come_from_the_one_permission_table(api_as, role):
    """Every role gets exactly what PERMISSIONS grants, through the API as through the pages."""
    api = api_as(role)
    created = api.post("/api/v1/vendors", json={"name": f"By {role.value}"})
    assert (created.status_code == 201) == (role in PERMISSIONS[Action.VENDOR_CREATE])
    assert (created.status_code == 403) == (role not in PERMISSIONS[Action.VENDOR_CREATE])
    assert api.get("/api/v1/vendors").status_code == 200  # VIEW: everyone


def test_the_list_filters_and_pages(api_as, db):
    make_vendor(db, name="Alpha Payroll", tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE)
    make_vendor(db, name="Beta Mail", tier=Tier.LOW, services="payroll e-mails")
    for n in range(5):
        make_vendor(db, name=f"Gamma {n}", tier=Tier.MEDIUM)
    db.commit()
    api = api_as(Role.VIEWER)

    everything = api.get("/api/v1/vendors").json
    assert everything["total"] == 7 and everything["page"] == 1 and everything["per_page"] == 25
    assert [v["name"] for v in everything["items"]][:2] == ["Alpha Payroll", "Beta Mail"]

    assert [v["name"] for v in api.get("/api/v1/vendors?q=PAYROLL").json["items"]] == ["Alpha Payroll", "Beta Mail"]
    assert [v["name"] for v in api.get("/api/v1/vendors?tier=critical&tier=low").json["items"]] == [
        "Alpha Payroll", "Beta Mail"]
    assert [v["name"] for v in api.get("/api/v1/vendors?status=active").json["items"]] == ["Alpha Payroll"]

    second = api.get("/api/v1/vendors?per_page=3&page=2").json
    assert second["total"] == 7 and second["page"] == 2 and len(second["items"]) == 3
    assert api.get("/api/v1/vendors?per_page=3&page=9").json["items"] == []
    assert_error(api.get("/api/v1/vendors?per_page=1000"), 400, "validation_error", "per_page")
    assert_error(api.get("/api/v1/vendors?tier=huge"), 400, "validation_error", "tier.0")
    assert_error(api.get("/api/v1/vendors?page=0"), 400, "validation_error", "page")


def test_patch_changes_only_the_fields_sent_and_logs_them(api_as, db):
    vendor = make_vendor(db, name="Acme", tier=Tier.MEDIUM, notes="keep me", contact_name="Ann")
    db.commit()
    api = api_as(Role.PROCUREMENT)
    response = api.patch(f"/api/v1/vendors/{vendor.id}", json={"tier": "high", "contact_name": None})
    assert response.status_code == 200
    assert response.json["tier"] == "high" and response.json["contact_name"] is None
    assert response.json["notes"] == "keep me" and response.json["name"] == "Acme"
    db.expire_all()
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "updated"))
    assert event.changes == {"tier": ["medium", "high"], "contact_name": ["Ann", None]}


def test_patch_moves_the_lifecycle_by_its_rules(api_as, db):
    vendor = make_vendor(db, name="Acme")
    db.commit()
    api = api_as(Role.PROCUREMENT)
    error = assert_error(api.patch(f"/api/v1/vendors/{vendor.id}", json={"status": "active", "tier": "low"}),
                         400, "validation_error", "status")
    assert "From prospect it can go to: onboarding, terminated" in error["message"]
    db.expire_all()
    assert db.get(Vendor, vendor.id).tier == Tier.MEDIUM  # all or nothing

    assert api.patch(f"/api/v1/vendors/{vendor.id}", json={"status": "onboarding"}).json["status"] == "onboarding"


def test_patch_refuses_null_for_required_fields_and_renames_onto_others(api_as, db):
    make_vendor(db, name="Taken")
    vendor = make_vendor(db, name="Acme")
    db.commit()
    api = api_as(Role.PROCUREMENT)
    assert_error(api.patch(f"/api/v1/vendors/{vendor.id}", json={"name": None}), 400, "validation_error", "name")
    assert_error(api.patch(f"/api/v1/vendors/{vendor.id}", json={"tier": None}), 400, "validation_error", "tier")
    assert_error(api.patch(f"/api/v1/vendors/{vendor.id}", json={"name": "taken"}), 409, "conflict", "name")


def test_unknown_things_are_404_json(api_as):
    api = api_as(Role.ADMIN)
    assert_error(api.get("/api/v1/vendors/999"), 404, "not_found")
    assert_error(api.patch("/api/v1/vendors/999", json={"tier": "low"}), 404, "not_found")
    assert_error(api.get(f"/api/v1/vendors/{2**40}"), 404, "not_found")
    assert_error(api.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(api.client.delete("/api/v1/vendors", headers=api.headers), 405, "method_not_allowed")


# ---- reviews and fourth parties -----------------------------------------

def test_reviews_filter_by_status_due_date_and_vendor(api_as, db):
    today = utcnow().date()
    acme, beta = make_vendor(db, name="Acme"), make_vendor(db, name="Beta")
    db.add_all([
        Review(vendor=acme, due_date=today - timedelta(days=3), status=ReviewStatus.SCHEDULED),
        Review(vendor=acme, due_date=today - timedelta(days=400), status=ReviewStatus.COMPLETED,
               completed_at=utcnow() - timedelta(days=399), concluded_on=today - timedelta(days=399)),
        Review(vendor=beta, due_date=today + timedelta(days=30), status=ReviewStatus.IN_PROGRESS),
    ])
    db.commit()
    api = api_as(Role.COMPLIANCE)

    everything = api.get("/api/v1/reviews").json
    assert everything["total"] == 3
    assert [(r["vendor_name"], r["status"], r["overdue"]) for r in everything["items"]] == [
        ("Acme", "completed", False), ("Acme", "scheduled", True), ("Beta", "in_progress", False)]
    # the day the next review counted from, beside the UTC moment
    assert [r["concluded_on"] for r in everything["items"]] == [(today - timedelta(days=399)).isoformat(), None, None]

    open_ = api.get("/api/v1/reviews?status=scheduled&status=in_progress").json["items"]
    assert [r["vendor_name"] for r in open_] == ["Acme", "Beta"]
    due_soon = api.get(f"/api/v1/reviews?due_before={(today + timedelta(days=1)).isoformat()}&status=scheduled")
    assert [r["due_date"] for r in due_soon.json["items"]] == [(today - timedelta(days=3)).isoformat()]
    assert [r["vendor_id"] for r in api.get(f"/api/v1/reviews?vendor_id={beta.id}").json["items"]] == [beta.id]
    assert_error(api.get("/api/v1/reviews?status=done"), 400, "validation_error", "status.0")


def test_subservice_organizations_come_with_their_dependent_vendor_counts(api_as, db):
    admin = make_user(db, role=Role.ADMIN)
    critical = make_vendor(db, name="Payments", tier=Tier.CRITICAL)
    other = make_vendor(db, name="Mail", tier=Tier.LOW)
    gone = make_vendor(db, name="Old", tier=Tier.CRITICAL, status=LifecycleStatus.TERMINATED)
    for vendor in (critical, other, gone):
        subservices.link_vendor(db, vendor, "Amazon Web Services, Inc.", method="carve-out", services=None, actor=admin)
    subservices.add_alias(db, subservices.find_organization(db, "AWS") or subservices.find_organization(
        db, "Amazon Web Services"), "AWS", actor=admin)
    subservices.link_vendor(db, other, "Twilio", method="inclusive", services=None, actor=admin)
    db.commit()

    body = api_as(Role.VIEWER).get("/api/v1/subservice-organizations").json
    assert body["total"] == 2
    aws, twilio = body["items"]
    assert aws["name"] == "Amazon Web Services, Inc." and aws["aliases"] == ["AWS"]
    assert (aws["vendor_count"], aws["critical_vendor_count"], aws["carve_out_vendor_count"]) == (2, 1, 2)
    assert (twilio["vendor_count"], twilio["critical_vendor_count"], twilio["carve_out_vendor_count"]) == (1, 0, 0)


# ---- the OpenAPI document -----------------------------------------------

def test_the_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").json  # public: no token needed
    assert document["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    import re

    routes = {
        (re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/") and rule.endpoint != "api.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == documented
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "401" in operation["responses"], f"{method} {path}"
            assert operation["x-required-action"] in {a.value for a in Action}


def test_the_document_uses_the_validation_schemas(client):
    document = client.get("/api/v1/openapi.json").json
    create = document["components"]["schemas"]["VendorCreate"]
    assert create["required"] == ["name"] and create["additionalProperties"] is False
    assert create["properties"]["name"]["maxLength"] == 200
    assert document["components"]["schemas"]["Tier"]["enum"] == [t.value for t in Tier]
    parameters = document["paths"]["/api/v1/vendors"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == {"q", "tier", "status", "page", "per_page"}
