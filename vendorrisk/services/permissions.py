"""The one table that decides who may do what.

Every route names an Action with @require(...) (vendorrisk.web.auth) and the API
checks the same table, so a role's rights are read here and nowhere else.
"""
from __future__ import annotations

import enum

from models.user import Role


class Action(enum.StrEnum):
    VIEW = "view"  # read the inventory, reports, reviews and dashboards
    VENDOR_CREATE = "vendor.create"
    VENDOR_EDIT = "vendor.edit"  # fields, contract data, tier, intake, lifecycle status
    VENDOR_IMPORT = "vendor.import"
    ONBOARDING_CHECKLIST = "vendor.checklist"  # tick or waive onboarding items
    # The checklist's security review item: recorded by those who review, not by procurement.
    CHECKLIST_SECURITY_REVIEW = "vendor.checklist.security_review"
    SUBSERVICE_MANAGE = "subservice.manage"  # fourth-party records, aliases, links to vendors
    USER_MANAGE = "user.manage"
    AUDIT_VIEW_ALL = "audit.view_all"  # the whole audit log; a vendor's history is VIEW
    ACCOUNT = "account"  # one's own profile, password, notifications and API tokens
    # Schedule, start, complete and waive reviews; vendor schedule overrides;
    # the per-tier cadence policy; bridge letters.
    REVIEW_MANAGE = "review.manage"
    REPORT_UPLOAD = "report.upload"  # upload SOC reports and bridge letters, re-run extraction
    REPORT_REVIEW = "report.review"  # triage, CUEC mapping, corrections, fourth-party confirmation
    REPORT_SIGN_OFF = "report.sign_off"  # conclude a report's review, completing the vendor's review cycle
    # Download an export another user asked for (everyone downloads their own):
    # a file holds what its requester could see when it was made.
    EXPORT_DOWNLOAD_ANY = "export.download_any"
    # Reopen a report sign-off or a completed review, with a reason: the
    # people an auditor holds to account for the record, not the reviewers.
    CONCLUSION_REOPEN = "conclusion.reopen"
    CONDITION_CLOSE = "condition.close"  # mark a condition of an approval met (audited, with who)
    # Ask a vendor's contact for documents through an e-mailed link, withdraw the request.
    EVIDENCE_REQUEST = "evidence.request"
    # Add evidence other than SOC reports (ISO certificates, DPAs ...) and record their validity and scope.
    EVIDENCE_RECORD = "evidence.record"


ADMIN, PROCUREMENT, SECURITY, COMPLIANCE, VIEWER = (
    Role.ADMIN,
    Role.PROCUREMENT,
    Role.SECURITY,
    Role.COMPLIANCE,
    Role.VIEWER,
)
EVERYONE = frozenset(Role)

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.VIEW: EVERYONE,
    Action.ACCOUNT: EVERYONE,
    Action.VENDOR_CREATE: frozenset({ADMIN, PROCUREMENT}),
    Action.VENDOR_EDIT: frozenset({ADMIN, PROCUREMENT}),
    Action.VENDOR_IMPORT: frozenset({ADMIN, PROCUREMENT}),
    Action.ONBOARDING_CHECKLIST: frozenset({ADMIN, PROCUREMENT, SECURITY}),
    Action.CHECKLIST_SECURITY_REVIEW: frozenset({ADMIN, SECURITY}),
    Action.SUBSERVICE_MANAGE: frozenset({ADMIN, PROCUREMENT, SECURITY}),
    Action.USER_MANAGE: frozenset({ADMIN}),
    Action.AUDIT_VIEW_ALL: frozenset({ADMIN}),
    Action.REVIEW_MANAGE: frozenset({ADMIN, COMPLIANCE}),
    Action.REPORT_UPLOAD: frozenset({ADMIN, PROCUREMENT, SECURITY}),
    Action.REPORT_REVIEW: frozenset({ADMIN, SECURITY}),
    Action.REPORT_SIGN_OFF: frozenset({ADMIN, SECURITY, COMPLIANCE}),
    Action.EXPORT_DOWNLOAD_ANY: frozenset({ADMIN}),
    Action.CONCLUSION_REOPEN: frozenset({ADMIN, COMPLIANCE}),
    # Condition owners come from every role that does the work; a viewer only reads.
    Action.CONDITION_CLOSE: frozenset({ADMIN, PROCUREMENT, SECURITY, COMPLIANCE}),
    Action.EVIDENCE_REQUEST: frozenset({ADMIN, PROCUREMENT, SECURITY, COMPLIANCE}),
    Action.EVIDENCE_RECORD: frozenset({ADMIN, PROCUREMENT, SECURITY, COMPLIANCE}),
}


def can(role: Role, action: Action) -> bool:
    return role in PERMISSIONS[action]
