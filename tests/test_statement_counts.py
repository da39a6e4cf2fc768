"""Every list and detail page runs the same number of SQL statements
whatever the amount of data: a page whose count grows with its rows (an
N+1, a template lazy-loading a relationship) fails here long before a
customer with 10,000 vendors notices (bench/bench_web.py measures the time).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from models import ItemKind, LifecycleStatus, ReviewOutcome, ReviewStatus, Role, Tier
from tests.factories import (
    contract_document,
    make_bridge_letter,
    make_extracted_report,
    make_notification,
    make_report,
    make_review,
    make_user,
    make_vendor,
    today,
)
from vendorrisk.infra.db import session_factory
from vendorrisk.services import coverage, subservices


@dataclass
class World:
    """The pages of one set of data of a given size."""

    urls: dict[str, str]


def build_world(db, n: int, prefix: str, admin) -> World:
    """`n` of everything a page lists: vendors, items of each kind, carve-outs
    (each an inventory vendor with its own report and bridge letter), reviews,
    audit events, notifications, people."""
    for k in range(n):
        make_user(db, role=Role.SECURITY, email=f"{prefix}-person{k}@example.com", name=f"{prefix} Person {k}")
        make_notification(db, admin, subject=f"{prefix} notice {k}")
    critical = make_vendor(db, name=f"{prefix} Critical", tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE)
    for k in range(0, n, 2):  # half the reports' subservice organizations are known: their items link to them
        subservices.link_vendor(db, critical, f"{prefix} Cloud {k}", method="inclusive", services=None, actor=admin)
    lists = {
        "exceptions": [{"description": f"{prefix} exception {k} in access reviews", "control_id": f"CC6.{k}"}
                       for k in range(n)],
        "cuecs": [{"text": f"{prefix} customers review access {k}"} for k in range(n)],
        "subservices": [{"name": f"{prefix} Cloud {k}"} for k in range(n)],
        "csocs": [{"text": f"{prefix} the cloud keeps logs {k}", "subservice_organization": f"{prefix} Cloud {k}"}
                  for k in range(n)],
    }
    # Last year's report: the same exceptions (they recur), other CUECs and
    # subservice organizations (the year-over-year lists of added and removed,
    # longer than the page shows at 30).
    make_extracted_report(db, vendor=critical, document=contract_document(
        period_start="2024-04-01", period_end="2025-03-31", **{
            **lists, "cuecs": [{"text": f"{prefix} customers rotate keys {k}"} for k in range(n)],
            "subservices": [{"name": f"{prefix} Former Cloud {k}"} for k in range(n)]}))
    report = make_extracted_report(db, vendor=critical, document=contract_document(
        period_start="2025-04-01", period_end="2026-03-31", **lists))
    for k in range(n):
        inventory = make_vendor(db, name=f"{prefix} Inventory {k}", status=LifecycleStatus.ACTIVE)
        other = make_extracted_report(db, vendor=inventory, document=contract_document(
            cuecs=[{"text": f"{prefix} inventory {k} CUEC"}]))
        make_bridge_letter(db, inventory, requested_on=today() - timedelta(days=10), report=other)
        link = subservices.link_vendor(db, critical, f"{prefix} Carved {k}", method="carve-out", services="hosting",
                                       actor=admin)
        subservices.add_alias(db, link.organization, f"{prefix} Carving Partner {k}", actor=admin)
        coverage.link_inventory_vendor(db, link.organization, inventory.name, actor=admin)
        make_review(db, critical, due_date=today() - timedelta(days=400 + k), status=ReviewStatus.COMPLETED,
                    owner=admin, outcome=ReviewOutcome.APPROVED, completed_at=None, completed_by_id=admin.id,
                    report_id=report.id)
        make_review(db, inventory, due_date=today() + timedelta(days=k), owner=admin)
        make_bridge_letter(db, critical, requested_on=today() - timedelta(days=k + 1), report=report,
                           covered_through=today() - timedelta(days=k + 1))
    make_review(db, critical, due_date=today() + timedelta(days=30), owner=admin)
    make_report(db, critical, period_end=date(2023, 3, 31))
    db.commit()
    exception = next(item for item in report.items if item.kind == ItemKind.EXCEPTION)
    organization = subservices.find_organization(db, f"{prefix} Carved 0")
    return World({
        "dashboard": "/dashboard",
        "vendor list": "/vendors/",
        "vendor search": f"/vendors/?q={prefix}",
        "vendor list by coverage and review due": "/vendors/?coverage=current&coverage=missing&review_due=90",
        "critical vendor page": f"/vendors/{critical.id}",
        "vendor packet": f"/vendors/{critical.id}/packet",
        "report exceptions": f"/reports/{report.id}",
        "report CUECs": f"/reports/{report.id}?tab=cuecs",
        "report subservice organizations": f"/reports/{report.id}?tab=subservices",
        "report CSOCs": f"/reports/{report.id}?tab=csocs",
        "report with every year-over-year change": f"/reports/{report.id}?changes=all",
        "report item": f"/reports/{report.id}/items/{exception.id}",
        "unowned CUECs": "/cuecs/unowned",
        "review register": "/reviews/?status=all",
        "carve-out list": "/reviews/carve-outs",
        "fourth parties": "/fourth-parties/",
        "fourth party": f"/fourth-parties/{organization.id}",
        "exports": "/exports/",
        "audit log": "/admin/audit",
        "users": "/admin/users",
        "notifications": "/notifications/",
        "account": "/account/",
        "vendor name search": f"/vendors/names.json?q={prefix}",
    })


def statements(app, client, url: str) -> int:
    engine = session_factory(app).kw["bind"]
    count = 0

    def counted(*_args) -> None:
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    return count


@pytest.mark.slow
def test_no_page_runs_more_statements_for_more_data(app, client, db, auth):
    admin = auth.login_as(Role.ADMIN)
    small = build_world(db, 3, "small", admin)
    counts = {name: statements(app, client, url) for name, url in small.urls.items()}
    large = build_world(db, 30, "large", admin)
    grown = {name: (counts[name], statements(app, client, url)) for name, url in large.urls.items()}
    # One more is the pager's count: a page that is not full is the last, so
    # infra.db.paginate knows the total without it. An N+1 adds dozens.
    grown = {name: pair for name, pair in grown.items() if not pair[0] <= pair[1] <= pair[0] + 1}
    assert not grown, "statements per page (3 of each → 30 of each): " + ", ".join(
        f"{name} {before} → {after}" for name, (before, after) in grown.items())
