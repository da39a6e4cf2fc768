"""Factories for test data: make_user(session, ...), make_vendor(session, ...).

They add to the session and flush; the test commits when requests must see the rows.
"""
from __future__ import annotations

import itertools

from werkzeug.security import generate_password_hash

from models import LifecycleStatus, Role, Tier, User, Vendor

DEFAULT_PASSWORD = "correct horse battery"
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


def make_vendor(session, *, name: str | None = None, tier: Tier = Tier.MEDIUM,
                status: LifecycleStatus = LifecycleStatus.PROSPECT, **fields) -> Vendor:
    vendor = Vendor(name=name or f"Vendor {next(_counter)}", tier=tier, status=status, **fields)
    session.add(vendor)
    session.flush()
    return vendor


def make_report(session, *, vendor: Vendor | None = None, filename: str | None = None, sha256: str | None = None,
                kind=None, job_status=None, uploaded_by: User | None = None):
    """A document and its report row, queued for extraction (no file in the store)."""
    import hashlib

    from models import Document, DocumentKind, JobStatus, Report

    n = next(_counter)
    vendor = vendor or make_vendor(session)
    document = Document(vendor=vendor, kind=kind or DocumentKind.SOC_REPORT,
                        sha256=sha256 or hashlib.sha256(f"report {n}".encode()).hexdigest(),
                        filename=filename or f"soc2-{n}.pdf", size_bytes=1000,
                        uploaded_by_id=uploaded_by.id if uploaded_by else None)
    session.add(document)
    report = Report(document=document, vendor=vendor, job_status=job_status or JobStatus.QUEUED)
    session.add(report)
    session.flush()
    return report


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
