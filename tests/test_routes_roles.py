"""Every route × every role: the permission table decides, and nothing is public
that should not be. A new route fails here until it names an Action (and, if
it takes a new URL argument, until ROUTE_ARGUMENTS can fill it)."""
from __future__ import annotations

import pytest

from models import Role
from tests.factories import contract_document, make_api_token, make_extracted_report, make_user, make_vendor
from vendorrisk.web.auth import PUBLIC_ENDPOINTS
from vendorrisk.services.permissions import PERMISSIONS

# Endpoints whose request would end the test's session; they run last.
SESSION_ENDING = {"auth.logout"}


def seed_world(db) -> dict[str, object]:
    """One of everything a URL can point at, keyed by URL argument name."""
    from datetime import date

    import models
    from models import ItemKind, LifecycleStatus, Tier
    from tests.factories import make_bridge_letter, make_notification, make_report, make_review
    from vendorrisk.services import api_tokens, export_jobs, subservices

    owner = make_user(db, role=Role.ADMIN, email="owner@example.com")
    vendor = make_vendor(db, name="Seeded Vendor", tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE)
    report = make_report(db, vendor, period_end=date(2025, 12, 31))
    review = make_review(db, vendor, due_date=date(2026, 6, 30), owner=owner)
    letter = make_bridge_letter(db, vendor, requested_on=date(2026, 4, 1), report=report)
    notification = make_notification(db, owner, link="/dashboard")
    organization = subservices.create_organization(db, "Seeded Cloud, Inc.", actor=owner)
    alias = subservices.add_alias(db, organization, "SeededCloud", actor=owner)
    subservices.link_vendor(db, vendor, "Seeded Cloud", method="carve-out", services=None, actor=owner)
    report = make_extracted_report(db, vendor=vendor, document=contract_document(
        exceptions=[{"control_id": "CC6.1", "description": "One of 25 leavers kept access."}],
        cuecs=[{"text": "User entities are responsible for reviewing user access."}],
        subservices=[{"name": "Seeded Cloud, Inc."}],
        csocs=[{"text": "Seeded Cloud is responsible for physical security."}],
    ))
    token, _plaintext = api_tokens.create_token(db, owner, "seeded", actor=owner)
    export = export_jobs.request_register(db, "vendors", "csv", user=owner, today=date(2026, 1, 1))
    exception = next(item for item in report.items if item.kind == ItemKind.EXCEPTION)
    from models import EvidenceDocument, EvidenceKind
    from vendorrisk.services import evidence

    db.add(EvidenceDocument(vendor=vendor, kind=EvidenceKind.ISO27001, sha256="e" * 64, filename="iso.pdf",
                            size_bytes=1000, expires_on=date(2026, 12, 31)))

    vendor.contact_email = "contact@seeded.example"
    request, _mail = evidence.create_request(db, vendor, kinds=[EvidenceKind.SOC_REPORT], due_date=date(2099, 1, 1),
                                             message="", actor=owner, today=date(2026, 1, 1), link_days=30)
    cuec = next(item for item in report.items if item.kind == ItemKind.CUEC)
    condition = models.ReviewCondition(review_id=review.id, vendor_id=vendor.id, text="Close the MFA gap.",
                                       owner_id=owner.id, due_date=date(2026, 9, 30))
    db.add(condition)
    db.flush()
    db.commit()
    return {
        "report_id": report.id,
        "document_id": report.document_id,
        "item_id": report.items[0].id,
        "page_number": 1,
        "vendor_id": vendor.id,
        "organization_id": organization.id,
        "alias_id": alias.id,
        "user_id": owner.id,
        "kind": "soc_report",
        "token": "0" * 64,
        "filename": "app.css",
        "review_id": review.id,
        "letter_id": letter.id,
        "notification_id": notification.id,
        "token_id": token.id,
        "register": "vendors",
        "fmt": "csv",
        "exception_id": exception.id,
        "cuec_id": cuec.id,
        "export_id": export.id,
        "condition_id": condition.id,
        "request_id": request.id,
        "evidence_token": _mail.token,
    }


def routes(app):
    for rule in app.url_map.iter_rules():
        methods = sorted(m for m in rule.methods if m in {"GET", "POST", "PUT", "PATCH", "DELETE"})
        for method in methods:
            yield rule, method


def build_url(app, rule, arguments):
    missing = [name for name in rule.arguments if name not in arguments]
    assert not missing, f"{rule.endpoint}: add a value for {missing} to seed_world() in {__file__}"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: arguments[name] for name in rule.arguments})


def test_every_route_names_an_action_or_is_public(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC_ENDPOINTS
        and not hasattr(app.view_functions[rule.endpoint], "required_action")
    ]
    assert undeclared == []


def test_anonymous_visitors_reach_only_public_routes(app, client, db):
    arguments = seed_world(db)
    for rule, method in routes(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = build_url(app, rule, arguments)
        response = client.open(url, method=method)
        if url.startswith("/api/"):
            assert response.status_code == 401, f"{method} {url}"
        else:
            assert response.status_code == 302 and "/login" in response.location, f"{method} {url}"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_route_role_matrix(app, client, db, role):
    arguments = seed_world(db)
    user = make_user(db, role=role)
    # The API reads no cookies: its requests carry the same user's token instead.
    api_headers = {"Authorization": f"Bearer {make_api_token(db, user)}"}
    db.commit()
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 302

    checked = 0
    ordered = sorted(routes(app), key=lambda pair: pair[0].endpoint in SESSION_ENDING)
    for rule, method in ordered:
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        action = app.view_functions[rule.endpoint].required_action
        url = build_url(app, rule, arguments)
        headers = api_headers if url.startswith("/api/") else {"Accept": "text/html"}
        response = client.open(url, method=method, headers=headers)
        allowed = role in PERMISSIONS[action]
        where = f"{role.value} {method} {url} ({action.value})"
        if allowed:
            assert response.status_code not in (401, 403), where
            assert response.status_code < 500, where
            if rule.endpoint not in SESSION_ENDING:  # signing out rightly ends at the sign-in page
                assert not (response.status_code == 302 and "/login" in (response.location or "")), where
        else:
            assert response.status_code == 403, where
        checked += 1
    assert checked >= 20
