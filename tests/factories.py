"""Factories for test data: make_user(session, ...), make_vendor(session, ...).

They add to the session and flush; the test commits when requests must see the rows.
"""
from __future__ import annotations

import hashlib
import itertools
from datetime import date, timedelta

from werkzeug.security import generate_password_hash

from models import LifecycleStatus, Role, Tier, User, Vendor
from models.base import utcnow

DEFAULT_PASSWORD = "correct horse battery"


def today() -> date:
    """The app's day (SWEEP_TIMEZONE is UTC in tests) when this runs. Read it
    where a test needs it, never once per module: a run that passes midnight
    would otherwise seed yesterday's dates against today's pages."""
    return utcnow().date()
# Hashing is deliberately slow; one precomputed hash keeps factories fast.
_DEFAULT_HASH = generate_password_hash(DEFAULT_PASSWORD)
_counter = itertools.count(1)


def make_user(session, *, role: Role = Role.VIEWER, email: str | None = None, name: str | None = None,
              active: bool = True) -> User:
    n = next(_counter)
    user = User(
        email=email or f"{role.value}{n}@example.com",
        name=name or f"{role.value.title()} User {n}",
        role=role,
        password_hash=_DEFAULT_HASH,
        active=active,
    )
    session.add(user)
    session.flush()
    return user


def make_api_token(session, user: User, *, name: str = "test script") -> str:
    """A new API token for `user`; returns the plaintext to send as Bearer."""
    from vendorrisk.services import api_tokens

    _token, plaintext = api_tokens.create_token(session, user, name, actor=None)
    return plaintext


def make_vendor(session, *, name: str | None = None, tier: Tier = Tier.MEDIUM,
                status: LifecycleStatus = LifecycleStatus.PROSPECT, **fields) -> Vendor:
    vendor = Vendor(name=name or f"Vendor {next(_counter)}", tier=tier, status=status, **fields)
    session.add(vendor)
    session.flush()
    return vendor


def make_document(session, vendor, *, kind=None, filename: str | None = None, sha256: str | None = None,
                  uploaded_by: User | None = None):
    """A document row (no file in the store)."""
    from models import Document, DocumentKind

    n = next(_counter)
    document = Document(vendor_id=vendor.id, kind=kind or DocumentKind.SOC_REPORT,
                        sha256=sha256 or hashlib.sha256(f"document {n}".encode()).hexdigest(),
                        filename=filename or f"document-{n}.pdf", size_bytes=1000,
                        uploaded_by_id=uploaded_by.id if uploaded_by else None)
    session.add(document)
    session.flush()
    return document


def make_report(session, vendor: Vendor | None = None, *, period_end=None, period_start=None,
                report_type: str = "Type 2", usable: bool = True, job_status=None, filename: str | None = None,
                sha256: str | None = None, kind=None, uploaded_by: User | None = None, **fields):
    """A report row for `vendor` (a new vendor if none).

    With `period_end` it is a finished SOC 2 report (usable: extraction done
    and ok; `queued_at`, when it was uploaded, defaults to now); without, it
    is queued for extraction (or in `job_status`).
    """
    from models import JobStatus, Report

    vendor = vendor or make_vendor(session)
    document = make_document(session, vendor, kind=kind, filename=filename, sha256=sha256, uploaded_by=uploaded_by)
    if period_end is not None:
        fields.update(
            job_status=JobStatus.DONE if usable else JobStatus.FAILED, extraction_status="ok" if usable else None,
            framework="SOC 2", report_type=report_type, period_end=period_end,
            period_start=period_start or (period_end - timedelta(days=364)),
        )
    else:
        fields.setdefault("job_status", job_status or JobStatus.QUEUED)
    report = Report(document_id=document.id, vendor_id=vendor.id, **fields)
    session.add(report)
    session.flush()
    return report


def make_review(session, vendor, *, due_date, status=None, owner=None, outcome=None, completed_at=None, **fields):
    from models import Review, ReviewStatus

    if completed_at is not None:
        fields.setdefault("concluded_on", completed_at.date())  # as the app records it with the zone at UTC
    review = Review(vendor_id=vendor.id, due_date=due_date, status=status or ReviewStatus.SCHEDULED,
                    owner_id=owner.id if owner else None, outcome=outcome, completed_at=completed_at, **fields)
    session.add(review)
    session.flush()
    return review


def make_bridge_letter(session, vendor, *, requested_on, report=None, covered_through=None, received_on=None):
    from models import BridgeLetter, BridgeLetterStatus

    letter = BridgeLetter(
        vendor_id=vendor.id, requested_on=requested_on, report_id=report.id if report else None,
        status=BridgeLetterStatus.RECEIVED if covered_through else BridgeLetterStatus.REQUESTED,
        covered_through=covered_through, received_on=received_on or (covered_through and requested_on),
    )
    session.add(letter)
    session.flush()
    return letter


def make_notification(session, user, *, subject: str = "Something happened", body: str = "Details.", link=None):
    from models import Notification

    notification = Notification(user_id=user.id, kind="test", subject=subject, body=body, link=link)
    session.add(notification)
    session.flush()
    return notification


def contract_document(*, exceptions=(), cuecs=(), subservices=(), csocs=(), pages: int = 20,
                      opinion: str = "unqualified", period_start: str | None = "2024-04-01",
                      period_end: str | None = "2025-03-31", criteria=("security",), status: str = "ok",
                      error: str | None = None, service_organization: str = "Acme Cloud, Inc.",
                      auditor: str = "Example & Co LLP", framework: str = "SOC 2", report_type: str = "Type 2",
                      opinion_basis: str | None = None, sha256: str = "0" * 64) -> dict:
    """An extraction document as nlp.extract produces it (extraction.schema.json,
    with geometry): test data for the app's side of the contract."""

    def with_defaults(items, defaults):
        return [{**defaults, **item} for item in items]

    return {
        "schema_version": 1,
        "status": status,
        "error": error,
        "source": {"filename": "report.pdf", "sha256": sha256, "pages": pages},
        "report": {
            "framework": framework, "type": report_type, "service_organization": service_organization,
            "auditor": auditor, "period_start": period_start, "period_end": period_end, "opinion": opinion,
            "opinion_basis": opinion_basis, "trust_services_criteria": list(criteria),
        },
        "exceptions": with_defaults(exceptions, {"control_id": None, "control": None, "test": None,
                                                 "management_response": None, "criteria": [], "page": 5,
                                                 "bbox": None}),
        "cuecs": with_defaults(cuecs, {"criteria": [], "page": 3, "bbox": None}),
        "subservice_organizations": with_defaults(subservices, {"method": "carve-out", "services": None, "page": 2,
                                                                "bbox": None}),
        "csocs": with_defaults(csocs, {"subservice_organization": None, "criteria": [], "page": 2, "bbox": None}),
    }


def make_extracted_report(session, *, vendor: Vendor | None = None, document: dict | None = None, **fields):
    """A report whose extraction finished with `document` (see contract_document)."""
    from vendorrisk.services import reports

    report = make_report(session, vendor=vendor, **fields)
    reports.store_result(session, report, document or contract_document())
    session.flush()
    return report


def download_export(client, url: str):
    """Ask for an export the way the page does (POST), let the background
    job run, and download the file from the export's page."""
    from vendorrisk.infra.jobs import wait_for_jobs

    asked = client.post(url)
    assert asked.status_code == 302, asked.status_code
    job_page = asked.headers["Location"]
    assert wait_for_jobs(client.application, timeout=60)
    page = client.get(job_page)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Download" in page.get_data(as_text=True), page.get_data(as_text=True)
    return client.get(job_page + "/file")
