"""The API's request and response bodies. They validate what comes in and,
through vendorrisk.api.spec, are the OpenAPI document's schemas."""
from __future__ import annotations

import json
from datetime import date, datetime
from importlib import resources
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from models import (
    CuecStatus,
    DataCategory,
    EvidenceDocument,
    EvidenceKind,
    EvidenceRequest,
    EvidenceRequestStatus,
    ItemOrigin,
    JobStatus,
    LifecycleStatus,
    Report,
    ReportItem,
    Review,
    ReviewOutcome,
    ReviewStatus,
    Role,
    Severity,
    SubserviceOrganization,
    Tier,
    TriageStatus,
    User,
    Vendor,
)
from models.base import MAX_ID
from vendorrisk.api.spec import PATTERN_HINTS
from vendorrisk.services.reports import JobState

T = TypeVar("T")
MAX_PER_PAGE = 100

TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
URL_PATTERN = r"^https?://[^\s/]+\S*$"
PATTERN_HINTS.update({
    TEXT_PATTERN: "must not contain control characters",
    EMAIL_PATTERN: "must be an e-mail address like name@example.com",
    URL_PATTERN: "must be a full address like https://example.com",
})


def Text(max_length: int, **kwargs):  # noqa: N802 - reads as a type in annotations
    """Free text up to `max_length` characters."""
    return Annotated[str, Field(max_length=max_length, pattern=TEXT_PATTERN, **kwargs)]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Email = Annotated[str, Field(max_length=254, pattern=EMAIL_PATTERN, examples=["security@acme.example"])]
Url = Annotated[str, Field(max_length=500, pattern=URL_PATTERN, examples=["https://acme.example"])]


class Request(BaseModel):
    """A body: unknown fields are an error, so a typo is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Query(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PageQuery(Query):
    page: Id = Field(1, description="Page number, from 1.")
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE, description=f"Items per page, at most {MAX_PER_PAGE}.")


class Page(BaseModel, Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int = Field(description="Items matching the filters, on all pages.")


# ---- account ------------------------------------------------------------

class Me(BaseModel):
    id: int
    email: str
    name: str
    role: Role

    @classmethod
    def of(cls, user: User) -> Me:
        return cls(id=user.id, email=user.email, name=user.display_name, role=user.role)


# ---- vendors ------------------------------------------------------------

class VendorListQuery(PageQuery):
    q: Text(200) | None = Field(None, description="Matches name, legal name and services (any case).")
    tier: list[Tier] = Field(default_factory=list, description="One or more tiers (repeat the parameter).")
    status: list[LifecycleStatus] = Field(default_factory=list, description="One or more lifecycle statuses.")


class VendorCreate(Request):
    """A new vendor; it starts as a prospect."""

    name: Text(200, min_length=1)
    tier: Tier = Tier.MEDIUM
    legal_name: Text(200) | None = None
    website: Url | None = None
    services: Text(5000) | None = None
    data_handled: list[DataCategory] = Field(default_factory=list, max_length=len(DataCategory))
    has_production_access: bool = False
    business_owner_id: Id | None = None
    security_owner_id: Id | None = None
    contact_name: Text(200) | None = None
    contact_email: Email | None = None
    contact_phone: Text(50) | None = None
    contract_start: date | None = None
    contract_end: date | None = None
    renewal_notice_date: date | None = None
    notes: Text(10000) | None = None
    tier_override_reason: Text(2000) | None = Field(None, description="Required when the tier differs from the intake's suggestion.")


class VendorUpdate(Request):
    """Only the fields sent change; `null` clears an optional field. A new
    `status` must be a valid lifecycle step (e.g. prospect → onboarding)."""

    name: Text(200, min_length=1) = None
    tier: Tier = None
    status: LifecycleStatus = None
    legal_name: Text(200) | None = None
    website: Url | None = None
    services: Text(5000) | None = None
    data_handled: list[DataCategory] = Field(None, max_length=len(DataCategory))
    has_production_access: bool = None
    business_owner_id: Id | None = None
    security_owner_id: Id | None = None
    contact_name: Text(200) | None = None
    contact_email: Email | None = None
    contact_phone: Text(50) | None = None
    contract_start: date | None = None
    contract_end: date | None = None
    renewal_notice_date: date | None = None
    notes: Text(10000) | None = None
    tier_override_reason: Text(2000) | None = None


Version = Annotated[int, Field(description="Counts the changes to the resource; its ETag is this number in quotes. "
                                          "Send that back as `If-Match` to update only if nobody changed it since.")]


class VendorOut(BaseModel):
    id: int
    version: Version
    name: str
    legal_name: str | None
    website: str | None
    services: str | None
    tier: Tier
    suggested_tier: Tier | None = Field(description="The risk intake's suggestion; null until the intake is done.")
    status: LifecycleStatus
    data_handled: list[DataCategory]
    has_production_access: bool
    business_owner_id: int | None
    security_owner_id: int | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    contract_start: date | None
    contract_end: date | None
    renewal_notice_date: date | None
    notes: str | None
    tier_override_reason: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, vendor: Vendor) -> VendorOut:
        values = {name: getattr(vendor, name) for name in cls.model_fields if name != "data_handled"}
        return cls(**values, data_handled=sorted(vendor.data_handled))


class VendorPage(Page[VendorOut]):
    pass


# ---- reviews ------------------------------------------------------------

class ReviewListQuery(PageQuery):
    status: list[ReviewStatus] = Field(default_factory=list, description="One or more review statuses.")
    due_before: date | None = Field(None, description="Only reviews due before this day (exclusive).")
    vendor_id: Id | None = None


class ReviewOut(BaseModel):
    id: int
    vendor_id: int
    vendor_name: str
    owner_id: int | None
    due_date: date
    status: ReviewStatus
    overdue: bool = Field(description="Still open and due before today.")
    outcome: ReviewOutcome | None
    comment: str | None
    waiver_reason: str | None
    report_id: int | None
    completed_by_id: int | None
    completed_at: datetime | None
    concluded_on: date | None = Field(description="The day the review concluded in the team's calendar "
                                                  "(SWEEP_TIMEZONE); the next review's due date counts from it.")

    @classmethod
    def of(cls, review: Review, today: date) -> ReviewOut:
        values = {name: getattr(review, name) for name in cls.model_fields if name not in {"vendor_name", "overdue"}}
        open_ = review.status in (ReviewStatus.SCHEDULED, ReviewStatus.IN_PROGRESS)
        return cls(**values, vendor_name=review.vendor.name, overdue=open_ and review.due_date < today)


class ReviewPage(Page[ReviewOut]):
    pass


# ---- subservice organizations -------------------------------------------

class SubserviceOrganizationOut(BaseModel):
    id: int
    name: str
    website: str | None
    aliases: list[str] = Field(description="Other spellings reports use for this organization.")
    vendor_count: int = Field(description="Vendors (not terminated) that rely on it.")
    critical_vendor_count: int = Field(description="Of those, critical-tier vendors.")
    carve_out_vendor_count: int = Field(description="Of those, vendors whose report carves it out.")

    @classmethod
    def of(cls, organization: SubserviceOrganization, vendors: int, critical: int, carve_out: int):
        return cls(
            id=organization.id, name=organization.name, website=organization.website,
            aliases=[a.alias for a in organization.aliases if a.alias != organization.name],
            vendor_count=vendors, critical_vendor_count=critical, carve_out_vendor_count=carve_out,
        )


class SubserviceOrganizationPage(Page[SubserviceOrganizationOut]):
    pass


# ---- exports ------------------------------------------------------------

class ExportQuery(Query):
    format: Literal["csv", "xlsx"] = Field("csv", description="csv, or xlsx for Excel.")


# ---- reports ------------------------------------------------------------

def _extraction_schema() -> dict:
    """The extractor's contract document, as the OpenAPI component `Extraction`."""
    schema = json.loads(resources.files("nlp").joinpath("extraction.schema.json").read_text("utf-8"))
    return {k: v for k, v in schema.items() if k not in ("$schema", "$id")}


EXTRACTION_SCHEMA = _extraction_schema()
Extraction = Annotated[dict[str, Any], WithJsonSchema({"$ref": "#/components/schemas/Extraction"})]


class ReportUploaded(BaseModel):
    id: int
    status: JobStatus
    duplicate: bool = Field(description="The vendor already had this exact file: nothing new was stored or queued.")
    url: str = Field(description="Poll this for the extraction's progress and result.")


class Progress(BaseModel):
    page: int = Field(description="Pages read so far.")
    pages: int | None = Field(description="Pages in the PDF; null until the extractor has opened it.")


class SignOff(BaseModel):
    outcome: ReviewOutcome
    comment: str | None
    signed_off_by_id: int | None
    signed_off_at: datetime


class Correction(BaseModel):
    field: str = Field(description="The report field a reviewer corrected; the report's own field holds the corrected value.")
    extracted_value: Any = Field(description="What the extractor read (dates as YYYY-MM-DD).")
    corrected_value: Any
    reason: str | None
    corrected_by_id: int | None
    corrected_at: datetime


class ReportOut(BaseModel):
    id: int
    vendor_id: int
    filename: str
    sha256: str
    status: JobStatus = Field(description="queued → running → done, or failed (see `error`). A job whose worker "
                                          "stopped responding reads failed at once.")
    progress: Progress
    error: str | None = Field(description="Why the job failed, or why the file could not be read as a SOC report.")
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    extraction_status: Literal["ok", "needs_ocr", "not_a_soc_report", "rejected"] | None
    framework: str | None
    report_type: str | None
    service_organization: str | None
    auditor: str | None
    period_start: date | None
    period_end: date | None
    opinion: str | None
    modified_opinion: bool = Field(description="Qualified, adverse or a disclaimer of opinion.")
    extraction: Extraction | None = Field(description="When done: the extractor's document (extraction.schema.json).")
    sign_off: SignOff | None
    corrections: list[Correction] = Field(
        description="Read only: the report fields a reviewer corrected, with the extractor's values.")
    organization_flagged: bool = Field(
        description="The service organization matches none of the vendor's names and nobody has confirmed it.")

    @classmethod
    def of(cls, report: Report, job: JobState) -> ReportOut:
        """`job`: services.reports.job_state, so a stalled job reads as failed."""
        done = job.status == JobStatus.DONE
        sign_off = None
        if report.signed_off_at is not None:
            sign_off = SignOff(outcome=report.signoff_outcome, comment=report.signoff_comment,
                               signed_off_by_id=report.signed_off_by_id, signed_off_at=report.signed_off_at)
        return cls(
            id=report.id, vendor_id=report.vendor_id, filename=report.document.filename,
            sha256=report.document.sha256, status=job.status,
            progress=Progress(page=report.progress_page, pages=report.progress_pages),
            error=job.error or report.extraction_error,
            queued_at=report.queued_at, started_at=report.started_at, finished_at=report.finished_at,
            extraction_status=report.extraction_status, framework=report.framework, report_type=report.report_type,
            service_organization=report.service_organization, auditor=report.auditor,
            period_start=report.period_start, period_end=report.period_end, opinion=report.opinion,
            modified_opinion=report.modified_opinion, extraction=report.extraction if done else None,
            sign_off=sign_off,
            corrections=[Correction(field=c.field, extracted_value=c.extracted_value, corrected_value=c.corrected_value,
                                    reason=c.reason, corrected_by_id=c.corrected_by_id, corrected_at=c.corrected_at)
                         for c in report.corrections],
            organization_flagged=report.organization_flagged,
        )


class ItemOut(BaseModel):
    id: int
    version: Version
    report_id: int
    vendor_id: int
    page: int | None
    criteria: list[str]
    origin: ItemOrigin = Field(description="extracted, or added by a reviewer.")
    found: bool = Field(description="False when a re-run of the extraction no longer finds the item.")
    updated_at: datetime


class ExceptionOut(ItemOut):
    control_id: str | None
    control: str | None
    test: str | None
    description: str
    management_response: str | None
    triage_status: TriageStatus | None
    severity: Severity | None
    assignee_id: int | None
    due_date: date | None = Field(description="When a follow-up is due (follow_up_required only).")
    notes: str | None

    @classmethod
    def of(cls, item: ReportItem) -> ExceptionOut:
        return cls(
            id=item.id, version=item.version, report_id=item.report_id, vendor_id=item.report.vendor_id, page=item.page,
            criteria=item.criteria or [], origin=item.origin, found=item.found, updated_at=item.updated_at,
            control_id=item.control_id, control=item.control, test=item.test, description=item.text,
            management_response=item.management_response, triage_status=item.triage_status, severity=item.severity,
            assignee_id=item.assignee_id, due_date=item.due_date, notes=item.notes,
        )


class ExceptionList(BaseModel):
    items: list[ExceptionOut]


class ExceptionUpdate(Request):
    """Triage: send any of the fields; the others keep their values.
    Concluding (accepted, follow_up_required, risk_accepted) needs a severity;
    follow_up_required needs a due_date."""

    triage_status: TriageStatus = None
    severity: Severity | None = None
    assignee_id: Id | None = None
    due_date: date | None = None
    notes: Text(10000) | None = None


class CuecOut(ItemOut):
    text: str
    owner_id: int | None = Field(description="Who operates the control on our side.")
    internal_control: str | None = Field(description="Our control that covers the CUEC, e.g. AC-02.")
    status: CuecStatus | None
    evidence: str | None

    @classmethod
    def of(cls, item: ReportItem) -> CuecOut:
        return cls(
            id=item.id, version=item.version, report_id=item.report_id, vendor_id=item.report.vendor_id, page=item.page,
            criteria=item.criteria or [], origin=item.origin, found=item.found, updated_at=item.updated_at,
            text=item.text, owner_id=item.owner_id, internal_control=item.control_reference, status=item.cuec_status,
            evidence=item.evidence,
        )


class CuecList(BaseModel):
    items: list[CuecOut]


class CuecUpdate(Request):
    """CUEC mapping: send any of the fields; the others keep their values.
    A control that is implemented or partially implemented needs an owner."""

    owner_id: Id | None = None
    internal_control: Text(100) | None = None
    status: CuecStatus | None = None
    evidence: Text(10000) | None = None


# ---- evidence requests and documents (issue 15) ---------------------------

class EvidenceRequestCreate(Request):
    """Ask the vendor's contact for documents; they get an e-mail with a link."""

    kinds: list[EvidenceKind] = Field(min_length=1, max_length=len(EvidenceKind))
    due_date: date = Field(description="Today or later.")
    message: Text(5000) = ""
    recipient_email: Email | None = Field(None, description="Default: the vendor's contact e-mail.")


class EvidenceRequestOut(BaseModel):
    id: int
    vendor_id: int
    kinds: list[EvidenceKind]
    recipient_email: str
    due_date: date
    status: EvidenceRequestStatus
    requested_by_id: int | None = Field(description="null: opened by the daily sweep.")
    reminders_sent: int
    email_state: str | None = Field(description="sent, not_sent (no mail server) or the delivery error.")
    created_at: datetime
    answered_at: datetime | None
    submissions: list[str] = Field(description="Files the vendor sent, by name.")
    link: str | None = Field(None, description="Only in the answer that creates the request: the vendor's link, "
                                               "for when no e-mail went out. It is never shown again.")

    @classmethod
    def of(cls, request: EvidenceRequest, link: str | None = None) -> EvidenceRequestOut:
        values = {name: getattr(request, name) for name in cls.model_fields if name not in {"submissions", "link"}}
        return cls(**values, submissions=[s.filename for s in request.submissions], link=link)


class EvidenceRequestList(BaseModel):
    items: list[EvidenceRequestOut]


class EvidenceDocumentOut(BaseModel):
    id: int
    vendor_id: int
    kind: EvidenceKind
    filename: str
    issued_on: date | None
    expires_on: date | None
    state: Literal["expired", "expiring"] | None = Field(description="expired, expiring (soon) or null.")
    scope: str
    notes: str

    @classmethod
    def of(cls, document: EvidenceDocument, today: date) -> EvidenceDocumentOut:
        from vendorrisk.services.coverage import evidence_state

        values = {name: getattr(document, name) for name in cls.model_fields if name != "state"}
        return cls(**values, state=evidence_state(document.expires_on, today))


class EvidenceDocumentList(BaseModel):
    items: list[EvidenceDocumentOut]


class EvidenceDocumentUploadQuery(Query):
    """What the uploaded file is; the dates can also be recorded later (PATCH)."""

    kind: Literal[tuple(kind.value for kind in EvidenceKind
                        if kind not in (EvidenceKind.SOC_REPORT, EvidenceKind.BRIDGE_LETTER))] = Field(
        description="SOC reports and bridge letters are uploaded as reports (POST /vendors/{id}/reports).")
    issued_on: date | None = None
    expires_on: date | None = Field(None, description="The end of its validity; on or after issued_on.")


class EvidenceDocumentUpdate(Request):
    """Only the fields sent change; `null` clears a date."""

    issued_on: date | None = None
    expires_on: date | None = None
    scope: Text(5000) = None
    notes: Text(5000) = None
