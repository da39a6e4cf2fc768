"""Typed SQLAlchemy 2.0 models, one module per aggregate.

Importing this package registers every table on Base.metadata, which
Alembic and the test fixtures rely on.
"""
from models.audit import AuditEvent
from models.base import Base
from models.report import (
    CuecStatus,
    Document,
    DocumentKind,
    ItemKind,
    ItemOrigin,
    JobStatus,
    Report,
    ReportItem,
    Severity,
    TriageStatus,
)
from models.review import OPEN_REVIEW_STATUSES, Review, ReviewOutcome, ReviewStatus
from models.subservice import SubserviceAlias, SubserviceMethod, SubserviceOrganization, VendorSubservice
from models.user import LoginFailure, Role, User
from models.vendor import (
    BusinessCriticality,
    ChecklistItemKind,
    ChecklistItemState,
    DataCategory,
    DataVolume,
    LifecycleStatus,
    OnboardingChecklistItem,
    Substitutability,
    Tier,
    Vendor,
    VendorDataCategory,
)

__all__ = [
    "AuditEvent",
    "Base",
    "BusinessCriticality",
    "ChecklistItemKind",
    "ChecklistItemState",
    "CuecStatus",
    "DataCategory",
    "DataVolume",
    "Document",
    "DocumentKind",
    "ItemKind",
    "ItemOrigin",
    "JobStatus",
    "LifecycleStatus",
    "LoginFailure",
    "OPEN_REVIEW_STATUSES",
    "OnboardingChecklistItem",
    "Report",
    "ReportItem",
    "Review",
    "ReviewOutcome",
    "ReviewStatus",
    "Role",
    "Severity",
    "SubserviceAlias",
    "SubserviceMethod",
    "SubserviceOrganization",
    "Substitutability",
    "Tier",
    "TriageStatus",
    "User",
    "Vendor",
    "VendorDataCategory",
    "VendorSubservice",
]
