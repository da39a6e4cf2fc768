"""A report's own fields (service organization, auditor, opinion, type,
period, scope): what the extractor read, a reviewer's corrections of it, and
whether the report belongs to the vendor it was uploaded for.

The report's columns always hold the effective value (the correction if there
is one), so coverage, due dates, the registers and the packet query them
unchanged; the extractor's value of a corrected field lives in its
ReportCorrection, and a re-run of extraction updates only that.
"""
from __future__ import annotations

from datetime import date
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from models import AuditEvent, Document, ItemKind, Report, ReportCorrection, ReportItem, User, Vendor
from models.base import utcnow
from vendorrisk.services import audit, subservices
from vendorrisk.services.errors import Conflict, ValidationError
from vendorrisk.services.subservices import name_key

# The report-level fields a reviewer corrects, in the order the form shows them.
FIELDS = ("service_organization", "auditor", "framework", "report_type", "period_start", "period_end",
          "opinion", "opinion_basis", "trust_services_criteria")
LABELS = {
    "service_organization": "Service organization", "auditor": "Service auditor", "framework": "Framework",
    "report_type": "Report type", "period_start": "Period start", "period_end": "Period end (or 'as of' date)",
    "opinion": "Opinion", "opinion_basis": "Basis for a modified opinion",
    "trust_services_criteria": "Trust services criteria",
}
# The extraction contract's allowed values (nlp/extraction.schema.json).
FRAMEWORKS = ("SOC 1", "SOC 2", "SOC 3")
REPORT_TYPES = ("Type 1", "Type 2")
OPINIONS = ("unqualified", "qualified", "adverse", "disclaimer")
CRITERIA = ("security", "availability", "processing_integrity", "confidentiality", "privacy")
_CHOICES = {"framework": FRAMEWORKS, "report_type": REPORT_TYPES, "opinion": OPINIONS}
_TEXT_LIMITS = {"service_organization": 300, "auditor": 300, "opinion_basis": 20000}
_DATES = ("period_start", "period_end")


# ---------------------------------------------------------------- values

def _stored(field: str, value: Any) -> Any:
    """A field's value in the JSON form a correction row keeps (ISO dates)."""
    if isinstance(value, date):
        return value.isoformat()
    if field == "trust_services_criteria":
        return list(value or [])
    return value


def _column(field: str, value: Any) -> Any:
    """The JSON form back as the report's column holds it."""
    if field in _DATES:
        try:
            return date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None
    if field == "trust_services_criteria":
        return list(value or [])
    if isinstance(value, str) and field in _TEXT_LIMITS:
        return value[:_TEXT_LIMITS[field]]
    return value


def current_values(report: Report) -> dict[str, Any]:
    return {field: getattr(report, field) for field in FIELDS}


def extracted_value(report: Report, field: str) -> Any:
    """What the extractor read for `field` (the column itself when nobody corrected it)."""
    correction = report.corrected.get(field)
    return _column(field, correction.extracted_value) if correction else getattr(report, field)


def apply_extraction(report: Report, meta: dict[str, Any]) -> None:
    """Copy an extraction's `report` object (contract names) onto the report;
    a corrected field keeps the reviewer's value and only its extracted value moves on."""
    read = {"framework": meta.get("framework"), "report_type": meta.get("type"),
            **{field: meta.get(field) for field in FIELDS if field not in ("framework", "report_type")}}
    corrected = report.corrected
    for field in FIELDS:
        if field in corrected:
            corrected[field].extracted_value = _stored(field, _column(field, read[field]))
        else:
            setattr(report, field, _column(field, read[field]))
    evaluate_organization(report)


# ---------------------------------------------------------------- corrections

def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """A reviewer's values for the report's fields, validated; ValidationError names the field."""
    cleaned: dict[str, Any] = {}
    for field in FIELDS:
        value = values.get(field)
        if field == "trust_services_criteria":
            if isinstance(value, str):
                value = value.replace(";", ",").split(",")
            criteria = [str(c).strip().lower().replace(" ", "_") for c in (value or []) if str(c).strip()]
            unknown = [c for c in criteria if c not in CRITERIA]
            if unknown:
                raise ValidationError(f"Unknown criteria: {', '.join(unknown)}. Choose from "
                                      f"{', '.join(c.replace('_', ' ') for c in CRITERIA)}.", field=field)
            cleaned[field] = [c for c in CRITERIA if c in criteria]
            continue
        if isinstance(value, date):
            cleaned[field] = value
            continue
        text = str(value).strip() if value is not None else ""
        if field in _DATES:
            try:
                cleaned[field] = date.fromisoformat(text) if text else None
            except ValueError:
                raise ValidationError(f"Enter the {LABELS[field].lower()} as a date, e.g. 2025-03-31.",
                                      field=field) from None
        elif field in _CHOICES:
            if text and text not in _CHOICES[field]:
                raise ValidationError(f"{LABELS[field]} must be one of: {', '.join(_CHOICES[field])}.", field=field)
            cleaned[field] = text or None
        else:
            if len(text) > _TEXT_LIMITS[field]:
                raise ValidationError(f"{LABELS[field]} is at most {_TEXT_LIMITS[field]} characters.", field=field)
            cleaned[field] = text or None
    if cleaned["period_start"] and cleaned["period_end"] and cleaned["period_start"] > cleaned["period_end"]:
        raise ValidationError("The period cannot start after it ends.", field="period_start")
    return cleaned


def correct_report(session: Session, report: Report, values: dict[str, Any], *, reason: str | None,
                   actor: User) -> dict[str, tuple[Any, Any]]:
    """Set the reviewer's values of the report's fields; returns what changed (old, new).

    A field set back to what the extractor read is no longer a correction.
    Changing the service organization re-evaluates the vendor-mismatch flag.
    """
    if report.extraction is None:
        raise Conflict("Wait for the extraction to finish before correcting the report's details.")
    cleaned = _clean(values)
    changes = {field: (getattr(report, field), value) for field, value in cleaned.items()
               if getattr(report, field) != value}
    if not changes:
        return {}
    reason = (reason or "").strip() or None
    corrected = report.corrected
    for field, (old, new) in changes.items():
        correction = corrected.get(field)
        extracted = correction.extracted_value if correction else _stored(field, old)
        setattr(report, field, new)
        if _stored(field, new) == extracted:
            if correction is not None:
                report.corrections.remove(correction)
            continue
        if correction is None:
            correction = ReportCorrection(field=field, extracted_value=extracted)
            report.corrections.append(correction)
        correction.corrected_value = _stored(field, new)
        correction.reason = reason
        correction.corrected_by_id = actor.id
        correction.corrected_by = actor
        correction.corrected_at = utcnow()
    if "service_organization" in changes:
        report.organization_confirmed_at = None
        report.organization_confirmed_by_id = None
        evaluate_organization(report)
    audit.record(session, actor, "report_corrected",
                 f"Corrected {', '.join(LABELS[f].lower() for f in changes)} of {report.document.filename}"
                 + (f": {reason}" if reason else ""),
                 entity_type="report", entity_id=report.id, vendor_id=report.vendor_id, changes=changes)
    return changes


def history_query(report: Report) -> Select[tuple[AuditEvent]]:
    """The report's own history (corrections, confirmation, moves, sign-off), newest first."""
    return audit.events_query(entity_type="report", entity_id=report.id)


# ---------------------------------------------------------------- does the report belong to the vendor?

def _tokens(name: str | None) -> set[str]:
    return set(name_key(name or "").split())


def same_organization(a: str | None, b: str | None) -> bool:
    """Two spellings of one company, ignoring case, punctuation and legal
    suffixes: "Acme, Inc." is "ACME Inc", and "Acme Cloud Services LLC" is
    "Acme Cloud" (a token-set match: one name's words contain the other's)."""
    left, right = _tokens(a), _tokens(b)
    if not left or not right:
        return False
    if left <= right or right <= left:
        return True
    # A typo or a joined word: near-identical once the words are sorted.
    return SequenceMatcher(None, " ".join(sorted(left)), " ".join(sorted(right)), autojunk=False).ratio() >= 0.9


def vendor_names(vendor: Vendor) -> list[str]:
    return [name for name in (vendor.name, vendor.legal_name, *(vendor.aliases or [])) if name]


def evaluate_organization(report: Report) -> None:
    """Flag a report whose service organization is none of the vendor's names.
    An unread organization is not flagged: there is nothing to compare."""
    organization = report.service_organization
    report.organization_mismatch = bool(organization) and not any(
        same_organization(organization, name) for name in vendor_names(report.vendor))


def confirm_organization(session: Session, report: Report, *, actor: User) -> None:
    """The reviewer says the report belongs to this vendor: the flag clears,
    and the report's spelling becomes an alias so next year's report matches."""
    if not report.organization_flagged:
        raise Conflict("This report is not flagged as another company's.")
    report.organization_confirmed_by_id = actor.id
    report.organization_confirmed_by = actor
    report.organization_confirmed_at = utcnow()
    vendor = report.vendor
    vendor.aliases = [*(vendor.aliases or []), report.service_organization]
    audit.record(session, actor, "report_organization_confirmed",
                 f"Confirmed that {report.document.filename} ({report.service_organization}) belongs to {vendor.name}",
                 entity_type="report", entity_id=report.id, vendor_id=vendor.id,
                 changes={"aliases": (None, report.service_organization)})


def find_vendors(session: Session, text: str | None, *, limit: int = 20) -> list[Vendor]:
    """Vendors whose name or legal name contains `text`, for the move form's search."""
    text = (text or "").strip().lower()
    if not text:
        return []
    pattern = f"%{text}%"
    return list(session.scalars(
        select(Vendor).where(or_(func.lower(Vendor.name).like(pattern), func.lower(Vendor.legal_name).like(pattern)))
        .order_by(func.lower(Vendor.name)).limit(limit)
    ))


def move_to_vendor(session: Session, report: Report, target: Vendor, *, actor: User) -> list[str]:
    """Reassign the report and its document to the vendor it belongs to.

    The subservice organizations the report names go with it: the target is
    linked to each. The source keeps its links, since a link records no
    source and may have been made by hand; the names of those that no other
    report of the source names are returned, for the reviewer to judge."""
    source = report.vendor
    if target.id == source.id:
        raise ValidationError(f"The report is already {source.name}'s.", field="vendor")
    if report.signed_off_at is not None:
        raise Conflict("A signed-off report completed this vendor's review; it cannot be moved.")
    document = report.document
    if session.scalar(select(Document.id).where(Document.vendor_id == target.id, Document.sha256 == document.sha256)):
        raise Conflict(f"{target.name} already has this file.")
    document.vendor = target
    report.vendor = target
    report.organization_confirmed_at = None
    report.organization_confirmed_by_id = None
    evaluate_organization(report)
    named = {item.organization: item for item in report.items
             if item.kind == ItemKind.SUBSERVICE and item.organization is not None and item.found and not item.not_an_item}
    for organization, item in named.items():
        subservices.link_named_organization(session, target, organization, method=item.method, services=item.services,
                                            actor=actor)
    named_elsewhere = set(session.scalars(
        select(ReportItem.organization_id).join(Report, Report.id == ReportItem.report_id)
        .where(Report.vendor_id == source.id, Report.id != report.id, ReportItem.kind == ItemKind.SUBSERVICE,
               ReportItem.organization_id.in_([organization.id for organization in named]))
    ))
    left_behind = sorted(link.organization.name for link in source.subservice_links
                         if link.organization in named and link.organization_id not in named_elsewhere)
    summary = f"Moved {document.filename} from {source.name} to {target.name}"
    for vendor in (source, target):  # each vendor's history shows the move
        audit.record(session, actor, "report_moved", summary, entity_type="report", entity_id=report.id,
                     vendor_id=vendor.id, changes={"vendor_id": (source.id, target.id)})
    return left_behind
