"""Benchmark: every page and export as users feel it, at 10,000 vendors.

Seeds a PostgreSQL database (created fresh, schema by the Alembic migrations,
rows by bulk inserts of the project's tables) with 10,000 vendors, 1,000 SOC
reports (many with last year's predecessor), about 99,000 extracted items
(20 reports of about 500), subservice organizations with aliases and
carve-outs, reviews, bridge letters and audit events. Then it starts the app
under gunicorn, signs in as a browser does (GET the form, read the CSRF
token, POST) and requests every page and export with a bounded load: one
client, then 20 concurrent clients, a fixed number of requests each. It
prints p50/p95/p99 and requests/s per page with the peak memory (RSS) of the
workers, and can write the table into bench/README.md.

    .venv/bin/python bench/bench_web.py                        # seed, then measure
    .venv/bin/python bench/bench_web.py --reuse                # measure the seeded database again
    .venv/bin/python bench/bench_web.py --vendors 300 --requests 5 --concurrent-requests 2   # a quick run
    .venv/bin/python bench/bench_web.py --reuse --readme "after"   # also record the table in bench/README.md

--code DIR runs gunicorn on another checkout (e.g. the commit before a fix)
with the same data, for before/after figures.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import requests
from sqlalchemy import create_engine, insert, make_url, text
from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import (  # noqa: E402
    AuditEvent,
    BridgeLetter,
    BridgeLetterStatus,
    ChecklistItemKind,
    ChecklistItemState,
    CuecStatus,
    DataCategory,
    Document,
    DocumentKind,
    ItemKind,
    ItemOrigin,
    JobStatus,
    LifecycleStatus,
    Notification,
    OnboardingChecklistItem,
    Report,
    ReportItem,
    Review,
    ReviewOutcome,
    ReviewStatus,
    Role,
    Severity,
    SubserviceAlias,
    SubserviceInventoryLink,
    SubserviceMethod,
    SubserviceOrganization,
    SweepRun,
    Tier,
    TriageStatus,
    User,
    Vendor,
    VendorDataCategory,
    VendorSubservice,
)
from vendorrisk import create_app  # noqa: E402
from vendorrisk.infra.db import session_factory, upgrade_database  # noqa: E402
from vendorrisk.services.subservices import name_key  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/vr_bench"
EMAIL, PASSWORD = "bench-admin@bench.test", "bench-password-1"
NOW = datetime.now(timezone.utc).replace(microsecond=0)
TODAY = NOW.date()
BATCH = 2000

WORDS = ("Acme Apex Blue Bright Cedar Cloud Core Delta Echo Falcon Granite Harbor Iris Juniper Keystone Lumen "
         "Maple Nimbus Orbit Pioneer Quartz Ridge Summit Tidal Unity Vector Willow Zenith Northwind Silver").split()
TRADES = ("Analytics Payments Logistics Hosting Security Software Data Health Payroll Marketing Networks "
          "Storage Identity Messaging Consulting Labs Systems Cloud Support Printing").split()
VOCABULARY = ("access user review quarterly terminated sample inspected control management responsible entity "
              "password change ticket approval backup restore incident monitoring firewall encryption key vendor "
              "report exception noted removed timely within days policy procedure system production database "
              "privileged account logging alert configuration baseline deviation remediated").split()
SUFFIXES = ("Inc.", "LLC", "Ltd", "GmbH", "Corp.", "S.A.", "plc", "B.V.")
FOURTH_PARTIES = ("Amazon Web Services", "Microsoft Azure", "Google Cloud Platform", "Equinix", "Digital Realty",
                  "Cloudflare", "Salesforce", "Okta", "Stripe", "Twilio", "Snowflake", "Datadog", "MongoDB Atlas",
                  "Oracle Cloud", "IBM Cloud", "Rackspace", "Akamai", "Fastly", "Zendesk", "Workday")


def _chunks(rows: list[dict], size: int = BATCH):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _insert(connection, model, rows: list[dict]) -> None:
    # Core executemany batches: the ORM's bulk path is several times slower
    # for tens of thousands of rows (see the sweep benchmark above).
    # executemany needs one set of keys: a key some rows lack is None in them.
    keys = list(dict.fromkeys(key for row in rows for key in row))
    for chunk in _chunks(rows):
        connection.execute(insert(model.__table__), [{key: row.get(key) for key in keys} for row in chunk])


def _day(offset_days: int) -> date:
    return TODAY + timedelta(days=offset_days)


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(hours=9)


@dataclass
class Seeded:
    """The ids the load needs: the interesting rows of each kind."""

    vendor: int = 0
    critical_vendor: int = 0
    large_report: int = 0
    report: int = 0
    item: int = 0
    organization: int = 0
    search: str = "acme"
    counts: dict = field(default_factory=dict)


def seed(url: str, vendors: int, rng: random.Random) -> Seeded:
    """Create the database afresh and fill it at the given scale (all counts scale with `vendors`)."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    upgrade_database(app)
    engine = session_factory(app).kw["bind"]
    seeded = Seeded()
    with engine.begin() as connection:
        seeded = _fill(connection, vendors, rng)
        for table in ("user_account", "vendor", "document", "report", "report_item", "subservice_organization",
                      "subservice_alias", "review", "bridge_letter", "audit_event", "notification", "sweep_run"):
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return seeded


def _fill(connection, vendors: int, rng: random.Random) -> Seeded:
    counts: dict[str, int] = {}
    # People: one admin who drives the load, owners, compliance.
    password_hash = generate_password_hash(PASSWORD)
    users = [{"id": 1, "email": EMAIL, "name": "Bench Admin", "role": Role.ADMIN, "password_hash": password_hash,
              "active": True, "must_change_password": False, "created_at": NOW}]
    roles = [Role.SECURITY] * 30 + [Role.PROCUREMENT] * 15 + [Role.COMPLIANCE] * 5 + [Role.VIEWER] * 10
    users += [{"id": n + 2, "email": f"person{n}@bench.test", "name": f"{rng.choice(WORDS)} Person {n}", "role": role,
               "password_hash": "x", "active": rng.random() < 0.95, "must_change_password": False,
               "created_at": NOW} for n, role in enumerate(roles)]
    _insert(connection, User, users)
    owners = [u["id"] for u in users[1:46]]
    counts["users"] = len(users)

    # Vendors: tiers 5/15/40/40 %, mostly active, owners, contracts, intake.
    tiers = rng.choices(list(Tier), weights=[5, 15, 40, 40], k=vendors)
    statuses = rng.choices(list(LifecycleStatus), weights=[4, 4, 84, 3, 5], k=vendors)
    vendor_rows, category_rows, checklist_rows = [], [], []
    for n in range(vendors):
        vid = n + 1
        name = f"{rng.choice(WORDS)} {rng.choice(TRADES)} {n:05d} {rng.choice(SUFFIXES)}"
        start = _day(-rng.randint(30, 2000))
        end = start + timedelta(days=365 * rng.randint(1, 3))
        vendor_rows.append({
            "id": vid, "name": name, "legal_name": name.upper(), "website": f"https://vendor{n}.example.com",
            "services": f"{rng.choice(TRADES)} services for {rng.choice(TRADES).lower()}",
            "business_owner_id": rng.choice(owners) if rng.random() < 0.85 else None,
            "security_owner_id": rng.choice(owners) if rng.random() < 0.7 else None,
            "contact_name": f"Contact {n}", "contact_email": f"contact{n}@vendor{n}.example.com",
            "tier": tiers[n], "has_production_access": rng.random() < 0.2, "contract_start": start,
            "contract_end": end, "renewal_notice_date": end - timedelta(days=60), "status": statuses[n],
            "notes": "Imported from the procurement system." if rng.random() < 0.3 else None,
            "suggested_tier": tiers[n], "created_at": _at(start), "updated_at": NOW,
        })
        for category in rng.sample(list(DataCategory)[:-1], rng.randint(0, 3)) or [DataCategory.NONE]:
            category_rows.append({"vendor_id": vid, "category": category})
        for kind in ChecklistItemKind:
            checklist_rows.append({"vendor_id": vid, "kind": kind, "state": ChecklistItemState.DONE
                                   if statuses[n] == LifecycleStatus.ACTIVE else ChecklistItemState.OPEN})
    _insert(connection, Vendor, vendor_rows)
    _insert(connection, VendorDataCategory, category_rows)
    _insert(connection, OnboardingChecklistItem, checklist_rows)
    counts["vendors"] = vendors

    # Reports: about 76 % of 1 in 10 vendors hold a current report; about a
    # third of those also hold last year's (1,000 reports at 10,000 vendors).
    active = [v["id"] for v in vendor_rows if v["status"] == LifecycleStatus.ACTIVE]
    critical = [v["id"] for v in vendor_rows if v["tier"] == Tier.CRITICAL and v["status"] == LifecycleStatus.ACTIVE]
    n_current = max(3, round(vendors * 0.076))
    reported = list(dict.fromkeys(critical[:40] + rng.sample(active, min(len(active), n_current))))[:n_current]
    with_previous = set(reported[:20]) | set(rng.sample(reported, round(len(reported) * 0.3)))
    large = reported[:max(1, min(20, vendors // 500))]
    document_rows, report_rows = [], []
    plan: list[tuple[int, int, bool]] = []  # (report id, vendor id, large)
    for vid in reported:
        current_end = _day(-rng.randint(20, 500))
        periods = [current_end] + ([current_end - timedelta(days=365)] if vid in with_previous else [])
        for period_end in periods:
            rid = len(report_rows) + 1
            document_rows.append({"id": rid, "vendor_id": vid, "kind": DocumentKind.SOC_REPORT, "sha256": uuid.uuid4().hex * 2,
                                  "filename": f"soc2-{period_end.year}.pdf", "size_bytes": 2_500_000,
                                  "uploaded_by_id": rng.choice(owners), "uploaded_at": _at(period_end + timedelta(days=50))})
            report_rows.append({
                "id": rid, "document_id": rid, "vendor_id": vid, "job_status": JobStatus.DONE, "extraction_status": "ok",
                "framework": "SOC 2", "report_type": "Type 2", "service_organization": f"Vendor {vid}",
                "auditor": "Example & Co LLP", "period_start": period_end - timedelta(days=364), "period_end": period_end,
                "opinion": "unqualified" if rng.random() < 0.9 else "qualified", "trust_services_criteria": ["security"],
                "queued_at": _at(period_end + timedelta(days=50)), "finished_at": _at(period_end + timedelta(days=50)),
                "progress_page": 120, "progress_pages": 120, "runs": 1,
                "signoff_outcome": ReviewOutcome.APPROVED if period_end != current_end else None,
            })
            plan.append((rid, vid, vid in large))
    # A few queued and failed uploads, as a live system has.
    for vid in rng.sample(active, max(1, vendors // 500)):
        rid = len(report_rows) + 1
        document_rows.append({"id": rid, "vendor_id": vid, "kind": DocumentKind.SOC_REPORT, "sha256": uuid.uuid4().hex * 2,
                              "filename": "scan.pdf", "size_bytes": 900_000, "uploaded_at": NOW})
        report_rows.append({"id": rid, "document_id": rid, "vendor_id": vid, "job_status": JobStatus.FAILED,
                            "job_error": "not a SOC report", "queued_at": NOW, "trust_services_criteria": [],
                            "progress_page": 0, "runs": 1})

    # Subservice organizations with aliases; vendors rely on 2-6 of them,
    # critical vendors carve most out; a third of them are inventory vendors.
    n_orgs = max(len(FOURTH_PARTIES), vendors // 30)
    org_rows, alias_rows = [], []
    for n in range(n_orgs):
        name = FOURTH_PARTIES[n] if n < len(FOURTH_PARTIES) else f"{rng.choice(WORDS)} {rng.choice(TRADES)} Hosting {n}"
        org_rows.append({"id": n + 1, "name": name, "website": None, "created_at": NOW})
        keys = {name_key(spelling): spelling for spelling in (name, f"{name}, Inc.", f"{name} Holdings")}
        alias_rows += [{"id": len(alias_rows) + k + 1, "organization_id": n + 1, "alias": spelling, "key": key}
                       for k, (key, spelling) in enumerate(keys.items())]
    _insert(connection, SubserviceOrganization, org_rows)
    _insert(connection, SubserviceAlias, alias_rows)
    not_reported = [v for v in active if v not in set(reported)]
    inventory_rows = [{"organization_id": org, "vendor_id": vid, "created_at": NOW}
                      for org, vid in zip(range(1, n_orgs + 1, 3), rng.sample(reported + not_reported, len(range(1, n_orgs + 1, 3))))]
    _insert(connection, SubserviceInventoryLink, inventory_rows)
    carve_out_vendor = critical[0] if critical else reported[0]
    link_rows = []
    for vid in reported:
        many = vid == carve_out_vendor
        for org in rng.sample(range(1, n_orgs + 1), min(n_orgs, 36 if many else rng.randint(2, 6))):
            method = SubserviceMethod.CARVE_OUT if many or rng.random() < 0.7 else SubserviceMethod.INCLUSIVE
            link_rows.append({"vendor_id": vid, "organization_id": org, "method": method,
                              "services": "Hosting of the production environment" if rng.random() < 0.5 else None,
                              "created_at": NOW})
    _insert(connection, VendorSubservice, link_rows)

    # Items: 20 reports of about 500, the rest about 91 each (99,000 at 10,000
    # vendors); a third of CUECs owned, exceptions triaged; last year's
    # report repeats most of this year's exceptions in other words.
    item_rows = []
    for rid, vid, is_large in plan:
        per_kind = ({ItemKind.EXCEPTION: 15, ItemKind.CUEC: 280, ItemKind.SUBSERVICE: 40, ItemKind.CSOC: 165}
                    if is_large else {ItemKind.EXCEPTION: 3, ItemKind.CUEC: 58, ItemKind.SUBSERVICE: 5, ItemKind.CSOC: 25})
        position = 0
        for kind, number in per_kind.items():
            for k in range(number):
                control = f"CC{rng.randint(1, 9)}.{rng.randint(1, 9)}"
                # Varied wording, as real reports have: the year-over-year
                # comparison's text similarity is sensitive to it.
                body = " ".join(rng.choices(VOCABULARY, k=rng.randint(15, 45))).capitalize() + f" ({control})."
                row = {
                    "report_id": rid, "kind": kind, "origin": ItemOrigin.EXTRACTED, "position": position,
                    "key": f"{kind.value}:{k}:{control}".lower(), "found": True, "not_an_item": False,
                    "page": rng.randint(10, 110), "bbox": [72.0, 100.0, 540.0, 160.0], "criteria": [control],
                    "text": FOURTH_PARTIES[k % len(FOURTH_PARTIES)] if kind == ItemKind.SUBSERVICE else body,
                    "confidence": round(rng.uniform(0.5, 1.0), 2), "created_at": NOW, "updated_at": NOW,
                    "control_id": control if kind == ItemKind.EXCEPTION else None,
                    "control": "Access is reviewed quarterly." if kind == ItemKind.EXCEPTION else None,
                    "test": "Inspected a sample of 25 access reviews." if kind == ItemKind.EXCEPTION else None,
                    "triage_status": rng.choice(list(TriageStatus)) if kind == ItemKind.EXCEPTION else None,
                    "severity": rng.choice(list(Severity)) if kind == ItemKind.EXCEPTION and rng.random() < 0.6 else None,
                    "assignee_id": rng.choice(owners) if kind == ItemKind.EXCEPTION and rng.random() < 0.5 else None,
                    "owner_id": rng.choice(owners) if kind == ItemKind.CUEC and rng.random() < 0.35 else None,
                    "cuec_status": rng.choice(list(CuecStatus)) if kind == ItemKind.CUEC and rng.random() < 0.3 else None,
                    "method": "carve-out" if kind == ItemKind.SUBSERVICE else None,
                    "organization_id": (k % len(FOURTH_PARTIES)) + 1 if kind == ItemKind.SUBSERVICE and rng.random() < 0.7 else None,
                }
                row["original"] = {"text": row["text"], "criteria": row["criteria"], "page": row["page"]}
                item_rows.append(row)
                position += 1
    for n, row in enumerate(item_rows):
        row["id"] = n + 1
    # The extraction document as the extractor stores it (without geometry).
    by_report: dict[int, dict[str, list]] = {}
    lists = {ItemKind.EXCEPTION: "exceptions", ItemKind.CUEC: "cuecs", ItemKind.SUBSERVICE: "subservice_organizations",
             ItemKind.CSOC: "csocs"}
    for row in item_rows:
        by_report.setdefault(row["report_id"], {name: [] for name in lists.values()})[lists[row["kind"]]].append(
            {"text": row["text"], "criteria": row["criteria"], "page": row["page"], "confidence": row["confidence"],
             "control_id": row["control_id"], "control": row["control"], "test": row["test"]})
    for report in report_rows:
        if report["job_status"] == JobStatus.DONE:
            report["extraction"] = {"schema_version": 1, "status": "ok", "error": None, "warnings": [],
                                    "source": {"filename": "soc2.pdf", "sha256": "0" * 64, "pages": 120},
                                    "report": {"framework": "SOC 2", "type": "Type 2", "period_end": report["period_end"].isoformat()},
                                    **by_report.get(report["id"], {})}
    _insert(connection, Document, document_rows)
    _insert(connection, Report, report_rows)
    _insert(connection, ReportItem, item_rows)
    counts.update(reports=len(report_rows), items=len(item_rows), organizations=n_orgs, links=len(link_rows))

    # Reviews: a completed history for most, an open review for active vendors.
    review_rows, letter_rows = [], []
    current_report = {vid: rid for rid, vid, _ in reversed(plan)}
    for vid in range(1, vendors + 1):
        for back in range(rng.randint(0, 3)):
            due = _day(-365 * (back + 1) + rng.randint(-60, 60))
            review_rows.append({"vendor_id": vid, "owner_id": rng.choice(owners), "due_date": due, "status": ReviewStatus.COMPLETED,
                                "outcome": rng.choice(list(ReviewOutcome)), "comment": "Reviewed the SOC report and the open exceptions.",
                                "completed_by_id": rng.choice(owners), "completed_at": _at(due), "concluded_on": due, "created_at": _at(due - timedelta(days=90)),
                                "report_id": current_report.get(vid) if back == 0 else None, "due_reason": "tier cadence"})
        if vid in set(active) and rng.random() < 0.9:
            review_rows.append({"vendor_id": vid, "owner_id": rng.choice(owners) if rng.random() < 0.8 else None,
                                "due_date": _day(rng.randint(-90, 400)), "status": rng.choice([ReviewStatus.SCHEDULED] * 3 + [ReviewStatus.IN_PROGRESS]),
                                "created_at": NOW, "due_reason": "last review + 12 months"})
        if vid in current_report and rng.random() < 0.15:
            received = rng.random() < 0.6
            letter_rows.append({"vendor_id": vid, "report_id": current_report[vid], "requested_on": _day(-60),
                                "status": BridgeLetterStatus.RECEIVED if received else BridgeLetterStatus.REQUESTED,
                                "received_on": _day(-30) if received else None, "covered_through": _day(-31) if received else None,
                                "created_at": NOW})
    for n, row in enumerate(review_rows):
        row["id"] = n + 1
    for n, row in enumerate(letter_rows):
        row["id"] = n + 1
    _insert(connection, Review, review_rows)
    _insert(connection, BridgeLetter, letter_rows)
    counts.update(reviews=len(review_rows), bridge_letters=len(letter_rows))

    # Audit events: about 6 per vendor; notifications for the admin.
    audit_rows = []
    for vid in range(1, vendors + 1):
        for k in range(rng.randint(3, 9)):
            audit_rows.append({"id": len(audit_rows) + 1, "at": NOW - timedelta(days=rng.randint(0, 900), minutes=k),
                               "actor_id": rng.choice(owners), "vendor_id": vid, "entity_type": "vendor", "entity_id": vid,
                               "action": rng.choice(["vendor_updated", "review_completed", "report_uploaded"]),
                               "summary": f"Changed vendor {vid}", "changes": {"tier": ["medium", "high"]}})
    _insert(connection, AuditEvent, audit_rows)
    _insert(connection, Notification, [
        {"id": n + 1, "user_id": 1, "created_at": NOW - timedelta(hours=n), "kind": "review_due", "subject": f"Review {n} due",
         "body": "A review is due.", "link": "/reviews/", "read_at": NOW if n > 10 else None} for n in range(60)])
    _insert(connection, SweepRun, [{"id": 1, "day": TODAY, "started_at": NOW, "finished_at": NOW}])
    counts.update(audit_events=len(audit_rows))

    return Seeded(
        vendor=next(v for v in active if v not in set(reported)), critical_vendor=carve_out_vendor,
        large_report=next(rid for rid, _, is_large in plan if is_large),
        report=next(rid for rid, vid, is_large in plan if not is_large and vid in with_previous),
        item=next(row["id"] for row in item_rows if row["kind"] == ItemKind.EXCEPTION and row["report_id"] == plan[0][0]),
        organization=1, counts=counts,
    )


def find_ids(url: str) -> Seeded:
    """The same interesting rows, read back from an already seeded database
    (--reuse), after bringing its schema up to this checkout's migrations."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    upgrade_database(app)
    session_factory(app).kw["bind"].dispose()
    engine = create_engine(url)
    with engine.connect() as connection:
        scalar = lambda sql: connection.execute(text(sql)).scalar()  # noqa: E731
        critical = scalar("SELECT vendor_id FROM vendor_subservice WHERE method = 'carve-out' "
                          "GROUP BY vendor_id ORDER BY count(*) DESC LIMIT 1")
        # Current reports with last year's (so the page shows the comparison), as seed() picks them.
        with_previous = ("FROM report r WHERE r.job_status = 'done' AND EXISTS (SELECT 1 FROM report p "
                         "WHERE p.vendor_id = r.vendor_id AND p.period_end < r.period_end)")
        items = "(SELECT count(*) FROM report_item i WHERE i.report_id = r.id)"
        large = scalar(f"SELECT r.id {with_previous} ORDER BY {items} DESC, r.id LIMIT 1")
        seeded = Seeded(
            vendor=scalar("SELECT min(v.id) FROM vendor v WHERE v.status = 'active' "
                          "AND NOT EXISTS (SELECT 1 FROM report r WHERE r.vendor_id = v.id)"),
            critical_vendor=critical, large_report=large,
            report=scalar(f"SELECT min(r.id) {with_previous} AND {items} < 200"),
            item=scalar(f"SELECT min(id) FROM report_item WHERE report_id = {large} AND kind = 'exception'"),
            organization=1,
            counts={"vendors": scalar("SELECT count(*) FROM vendor"), "reports": scalar("SELECT count(*) FROM report"),
                    "items": scalar("SELECT count(*) FROM report_item")},
        )
    engine.dispose()
    return seeded


# --- The load ------------------------------------------------------------------------------

def pages(ids: Seeded) -> dict[str, str]:
    return {
        "dashboard": "/dashboard",
        "vendor list": "/vendors/",
        "vendor search": f"/vendors/?q={ids.search}",
        "vendor list, coverage filter": "/vendors/?coverage=stale&coverage=missing",
        "vendor detail": f"/vendors/{ids.vendor}",
        "critical vendor with carve-outs": f"/vendors/{ids.critical_vendor}",
        "report page (~500 items)": f"/reports/{ids.large_report}",
        "report page (~90 items)": f"/reports/{ids.report}",
        "report item": f"/reports/{ids.large_report}/items/{ids.item}",
        "unowned CUECs": "/cuecs/unowned",
        "review register": "/reviews/",
        "carve-out list": "/reviews/carve-outs",
        "fourth parties": "/fourth-parties/",
        "fourth party detail": f"/fourth-parties/{ids.organization}",
        "exports page": "/exports/",
        "audit log": "/admin/audit",
        "notifications": "/notifications/",
        "vendor name search (JSON)": "/vendors/names.json?q=acme",
    }


def exports(ids: Seeded) -> dict[str, str]:
    """Registers and the packet are background jobs ("POST ..."): asked for, waited on, downloaded;
    the filtered review register streams from a plain GET."""
    return {
        "vendors CSV": "POST /exports/vendors.csv",
        "vendors XLSX": "POST /exports/vendors.xlsx",
        "exceptions XLSX": "POST /exports/exceptions.xlsx",
        "CUEC register CSV": "POST /exports/cuecs.csv",
        "CUEC register XLSX": "POST /exports/cuecs.xlsx",
        "review register CSV": "/reviews/export.csv",
        "review packet PDF": f"POST /exports/packet/{ids.critical_vendor}.pdf",
    }


def fetch_export(client: requests.Session, base: str, path: str, timeout: int) -> requests.Response:
    """What a user waits for: the page's button (POST with its CSRF token), the
    export's page until the file is ready, then the download."""
    page = client.get(base + "/exports/", timeout=timeout)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    asked = client.post(base + path, data={"csrf_token": token}, allow_redirects=False, timeout=timeout)
    job = requests.compat.urljoin(base, asked.headers["Location"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(job, timeout=timeout)
        if 'role="alert"' in status.text:
            return status  # failed: counted as an error (the page is not the file)
        if "Download" in status.text:
            return client.get(job + "/file", timeout=timeout)
        time.sleep(0.05)
    raise requests.Timeout(f"{path} not ready in {timeout} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on the app, with a sampler of its workers' resident memory."""

    def __init__(self, url: str, code: Path, workers: int, timeout: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.instance = tempfile.TemporaryDirectory(prefix="vr-bench-")
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret", "VENDORRISK_INSTANCE": self.instance.name,
               "PYTHONPATH": str(code)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", str(timeout), "--chdir", str(code), "--log-level", "warning", "app:app"],
            env=env, cwd=code,  # the interpreter puts the cwd first on sys.path: it must be `code`
        )
        self.peak_kib = 0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                requests.get(self.base + "/login", timeout=30)
                return
            except requests.RequestException:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not answer within 120 s")

    def workers(self) -> list[int]:
        """The workers and their children (each worker's export process, which
        makes the embedded exports' files)."""
        workers = self.children(self.process.pid)
        return workers + [child for pid in workers for child in self.children(pid)]

    @staticmethod
    def children(pid: int) -> list[int]:
        try:
            return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    @staticmethod
    def rss_kib(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_kib = max([self.peak_kib] + [self.rss_kib(pid) for pid in self.workers()])

    def take_peak(self) -> int:
        """The highest worker RSS seen since the last call, in MiB."""
        peak, self.peak_kib = self.peak_kib, 0
        return round(peak / 1024)

    def drain(self, limit_s: float = 120) -> None:
        """Wait until the workers have worked off requests whose clients gave
        up (timeouts): they would otherwise be charged to the next page."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                requests.get(self.base + "/login", timeout=limit_s)
            except requests.RequestException:
                pass
            if time.perf_counter() - started < 1.0:
                return

    def stop(self) -> None:
        self._stop.set()
        self.process.terminate()
        self.process.wait(30)
        self.instance.cleanup()


def signed_in(base: str) -> requests.Session:
    """A browser's session: the login form's CSRF token, then the POST."""
    client = requests.Session()
    form = client.get(base + "/login", timeout=30)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text) or \
        re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', form.text)
    if token is None:
        raise SystemExit("no CSRF token in the login form")
    answer = client.post(base + "/login", data={"csrf_token": token.group(1), "email": EMAIL, "password": PASSWORD},
                         timeout=30, allow_redirects=False)
    if answer.status_code != 302:
        raise SystemExit(f"sign-in failed: HTTP {answer.status_code}")
    return client


@dataclass
class Result:
    name: str
    clients: int
    times_ms: list[float]
    wall_s: float
    errors: int
    kib: float
    peak_mib: int

    def pct(self, q: float) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def rate(self) -> float:
        return len(self.times_ms) / self.wall_s if self.wall_s else 0.0


def run_load(server: Server, clients: list[requests.Session], name: str, path: str, per_client: int,
             timeout: int) -> Result:
    def one_client(client: requests.Session) -> tuple[list[float], int, int]:
        times, errors, size = [], 0, 0
        for _ in range(per_client):
            started = time.perf_counter()
            try:
                if path.startswith("POST "):
                    answer = fetch_export(client, server.base, path.removeprefix("POST "), timeout)
                    ok = answer.status_code == 200 and answer.url.endswith("/file")
                else:
                    answer = client.get(server.base + path, timeout=timeout)
                    ok = answer.status_code == 200 and "/login" not in answer.url
                size = len(answer.content)
            except requests.RequestException:
                ok = False
            times.append((time.perf_counter() - started) * 1000)
            errors += not ok
        return times, errors, size

    server.take_peak()
    started = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        outcomes = list(pool.map(one_client, clients))
    wall = time.perf_counter() - started
    server.drain()
    time.sleep(0.15)  # one more memory sample after the last answer
    return Result(name, len(clients), [t for times, _, _ in outcomes for t in times], wall,
                  sum(e for _, e, _ in outcomes), outcomes[0][2] / 1024, server.take_peak())


def pages_while_exporting(server: Server, client: requests.Session, name: str, path: str, export: str,
                          exporters: int, timeout: int) -> Result:
    """`path` requested again and again by one client for as long as
    `exporters` other users each wait for `export`: whether exports, which
    run beside the pages, slow them."""
    sessions = [signed_in(server.base) for _ in range(exporters)]
    times, errors, size = [], 0, 0
    server.take_peak()
    started = time.perf_counter()
    with ThreadPoolExecutor(exporters) as pool:
        waiting = [pool.submit(fetch_export, session, server.base, export, timeout) for session in sessions]
        time.sleep(0.2)  # the exports are asked for and running
        while not all(future.done() for future in waiting):
            begun = time.perf_counter()
            try:
                answer = client.get(server.base + path, timeout=timeout)
                errors += answer.status_code != 200
                size = len(answer.content)
            except requests.RequestException:
                errors += 1
            times.append((time.perf_counter() - begun) * 1000)
        errors += sum(future.exception() is not None or future.result().status_code != 200 for future in waiting)
    wall = time.perf_counter() - started
    server.drain()
    return Result(f"{name} while {exporters} users export {export}", 1, times, wall, errors, size / 1024,
                  server.take_peak())


def table(results: list[Result]) -> str:
    lines = ["| page | clients | requests | p50 ms | p95 ms | p99 ms | req/s | errors | KiB | peak RSS of a worker or export process, MiB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.name} | {r.clients} | {len(r.times_ms)} | {r.pct(0.5):.0f} | {r.pct(0.95):.0f} | "
                     f"{r.pct(0.99):.0f} | {r.rate:.1f} | {r.errors} | {r.kib:.0f} | {r.peak_mib} |")
    return "\n".join(lines)


def host_speed(url: str) -> str:
    """Two figures that say how fast this machine was, so runs on different
    hosts (which differ by 2-3x here) can be compared: a fixed piece of pure
    Python (template rendering's kind of work: string building, dict lookups)
    and a PostgreSQL round trip (SELECT 1), each the median of several tries."""
    def python_workload() -> float:
        started = time.perf_counter()
        parts = {}
        for n in range(200_000):
            parts[n % 1000] = f"<td>{n}</td>".replace("td", "th")
        return (time.perf_counter() - started) * 1000

    python_ms = statistics.median(python_workload() for _ in range(5))
    engine = create_engine(url)
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        trips = []
        for _ in range(300):
            started = time.perf_counter()
            raw.execute("SELECT 1").fetchone()
            trips.append((time.perf_counter() - started) * 1_000_000)
    engine.dispose()
    return f"fixed Python workload {python_ms:.0f} ms, PostgreSQL round trip {statistics.median(trips):.0f} µs"


def write_readme(label: str, command: str, ids: Seeded, results: list[Result], speed: str) -> None:
    readme = ROOT / "bench" / "README.md"
    body = readme.read_text()
    start, end = f"<!-- bench_web:{label} -->", f"<!-- /bench_web:{label} -->"
    load = os.getloadavg()
    block = (f"{start}\n### {label}\n\nRecorded {NOW:%Y-%m-%d %H:%M} UTC, {ids.counts}, load average "
             f"{load[0]:.1f} on {os.cpu_count()} cores at the end; host speed before the run: {speed}:"
             f"\n\n    {command}\n\n{table(results)}\n{end}")
    if start in body:
        body = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, body, flags=re.S)
    else:
        body = body.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(body)


def main() -> None:
    # A plain `kill` of the benchmark still stops its gunicorn (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL, help="the PostgreSQL database to (re)create and use")
    parser.add_argument("--vendors", type=int, default=10_000, help="scale of the seeded data (all counts follow it)")
    parser.add_argument("--reuse", action="store_true", help="skip seeding; use the database as it is")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout gunicorn serves")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=30, help="gunicorn's worker timeout, in seconds")
    # 50, not 20: of 20 samples the p95 is the second slowest, one hiccup of the host.
    parser.add_argument("--requests", type=int, default=50, help="requests per page with one client")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--concurrent-requests", type=int, default=3, help="requests per client and page with --clients")
    parser.add_argument("--export-requests", type=int, default=3, help="requests per export (one client)")
    parser.add_argument("--no-exports", action="store_true")
    parser.add_argument("--only", help="a regular expression: measure only the pages whose name matches")
    parser.add_argument("--readme", metavar="LABEL", help="write the table into bench/README.md under this heading")
    args = parser.parse_args()

    if args.reuse:
        ids = find_ids(args.url)
    else:
        started = time.perf_counter()
        ids = seed(args.url, args.vendors, random.Random(14))
        print(f"seeded {ids.counts} in {time.perf_counter() - started:.1f} s", flush=True)
        # As after an upgrade: store the year-over-year pairs that extraction stores for new reports.
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", "reports", "compare", "--all"], cwd=ROOT,
                       env={**os.environ, "DATABASE_URL": args.url, "SECRET_KEY": "bench-secret"}, check=True)
    print(f"interesting rows: {ids}", flush=True)
    speed = host_speed(args.url)
    print(f"host speed: {speed}", flush=True)

    server = Server(args.url, args.code.resolve(), args.workers, args.timeout)
    results: list[Result] = []
    try:
        one = [signed_in(server.base)]
        many = [signed_in(server.base) for _ in range(args.clients)]
        selected = {name: path for name, path in pages(ids).items() if not args.only or re.search(args.only, name)}
        for name, path in selected.items():  # warm each worker's caches (templates, compiled SQL)
            run_load(server, one, name, path, args.workers, args.timeout + 5)
        for name, path in selected.items():
            results.append(run_load(server, one, name, path, args.requests, args.timeout + 5))
            print(table(results[-1:]).splitlines()[-1], flush=True)
        if not args.no_exports:
            for name, path in exports(ids).items():
                if not args.only or re.search(args.only, name):
                    results.append(run_load(server, one, name, path, args.export_requests, args.timeout + 5))
                    print(table(results[-1:]).splitlines()[-1], flush=True)
            for name in ("vendor list", "vendor detail"):
                results.append(pages_while_exporting(server, one[0], name, pages(ids)[name], "/exports/cuecs.xlsx", 3,
                                                     args.timeout + 5))
                print(table(results[-1:]).splitlines()[-1], flush=True)
        for name, path in selected.items():
            results.append(run_load(server, many, name, path, args.concurrent_requests, args.timeout + 5))
            print(table(results[-1:]).splitlines()[-1], flush=True)
    finally:
        server.stop()
    print()
    print(table(results))
    if args.readme:
        write_readme(args.readme, shlex.join(["bench/bench_web.py", *sys.argv[1:]]), ids, results, speed)


if __name__ == "__main__":
    main()
