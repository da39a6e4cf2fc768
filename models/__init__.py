"""Typed SQLAlchemy 2.0 models, one module per aggregate.

Importing this package registers every table on Base.metadata, which
Alembic and the test fixtures rely on.
"""
from models.api_token import ApiToken
from models.audit import AuditEvent
from models.base import Base
from models.evidence import (
    EVIDENCE_LABELS,
    OPEN_EVIDENCE_STATUSES,
    EvidenceDocument,
    EvidenceKind,
    EvidenceLink,
    EvidenceRequest,
    EvidenceRequestStatus,
    EvidenceSubmission,
)
from models.export_job import ExportJob
from models.notification import CalendarFeed, EmailStatus, Notification
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
from models.review import (
    OPEN_REVIEW_STATUSES,
    BridgeLetter,
    BridgeLetterStatus,
    ReminderKind,
    Review,
    ReviewOutcome,
    ReviewPolicy,
    ReviewReminder,
    ReviewStatus,
    SweepRun,
)
from models.subservice import (
    SubserviceAlias,
    SubserviceInventoryLink,
    SubserviceMethod,
    SubserviceOrganization,
    VendorSubservice,
)
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
    "ApiToken",
    "AuditEvent",
    "Base",
    "BridgeLetter",
    "BridgeLetterStatus",
    "CalendarFeed",
    "EmailStatus",
    "EVIDENCE_LABELS",
    "EvidenceDocument",
    "EvidenceKind",
    "EvidenceLink",
    "EvidenceRequest",
    "EvidenceRequestStatus",
    "EvidenceSubmission",
    "OPEN_EVIDENCE_STATUSES",
    "ExportJob",
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
    "Notification",
    "OPEN_REVIEW_STATUSES",
    "OnboardingChecklistItem",
    "ReminderKind",
    "Report",
    "ReportItem",
    "Review",
    "ReviewOutcome",
    "ReviewPolicy",
    "ReviewReminder",
    "ReviewStatus",
    "Role",
    "Severity",
    "SubserviceAlias",
    "SubserviceInventoryLink",
    "SubserviceMethod",
    "SubserviceOrganization",
    "Substitutability",
    "SweepRun",
    "Tier",
    "TriageStatus",
    "User",
    "Vendor",
    "VendorDataCategory",
    "VendorSubservice",
]
