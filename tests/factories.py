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


def make_document(session, vendor, *, kind=None, filename: str | None = None):
    from models import Document, DocumentKind

    n = next(_counter)
    document = Document(vendor_id=vendor.id, kind=kind or DocumentKind.SOC_REPORT, sha256=f"{n:064x}",
                        filename=filename or f"document-{n}.pdf", size_bytes=1000)
    session.add(document)
    session.flush()
    return document


def make_report(session, vendor, *, period_end, period_start=None, report_type: str = "type2", usable: bool = True,
                **fields):
    """A finished SOC report for `vendor` (usable: extraction done and ok);
    `queued_at` (when it was uploaded) defaults to now."""
    from datetime import timedelta

    from models import JobStatus, Report

    report = Report(
        document_id=make_document(session, vendor).id, vendor_id=vendor.id,
        job_status=JobStatus.DONE if usable else JobStatus.FAILED, extraction_status="ok" if usable else None,
        framework="soc2", report_type=report_type, period_end=period_end,
        period_start=period_start or (period_end - timedelta(days=364)), **fields,
    )
    session.add(report)
    session.flush()
    return report


def make_review(session, vendor, *, due_date, status=None, owner=None, outcome=None, completed_at=None, **fields):
    from models import Review, ReviewStatus

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
