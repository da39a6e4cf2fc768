"""The API's operations. Thin, like the pages: validate (spec), call a service, commit."""
from __future__ import annotations

from flask import Response, current_app, jsonify, url_for
from flask import request as flask_request
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from models import DocumentKind, EvidenceKind, ItemKind, Report, ReportItem, TriageStatus, Vendor
from vendorrisk.infra import jobs
from vendorrisk.api import bp, spec
from vendorrisk.api.schemas import (
    EXTRACTION_SCHEMA,
    CuecList,
    CuecOut,
    CuecUpdate,
    EvidenceDocumentList,
    EvidenceDocumentOut,
    EvidenceDocumentUpdate,
    EvidenceDocumentUploadQuery,
    EvidenceRequestCreate,
    EvidenceRequestList,
    EvidenceRequestOut,
    ExceptionList,
    ExceptionOut,
    ExceptionUpdate,
    ExportQuery,
    Me,
    PageQuery,
    ReportOut,
    ReportUploaded,
    ReviewListQuery,
    ReviewOut,
    ReviewPage,
    SubserviceOrganizationOut,
    SubserviceOrganizationPage,
    VendorCreate,
    VendorListQuery,
    VendorOut,
    VendorPage,
    VendorUpdate,
)
from vendorrisk.api.spec import Download, Upload, require_current
from vendorrisk.infra.db import get_session, paginate
from vendorrisk.infra import clock
from vendorrisk.infra.documents import packet_pdf, register_download, stored_pdf
from vendorrisk.infra.mailer import mail_enabled
from vendorrisk.services.permissions import Action
from vendorrisk.services import evidence, exports, registers, reports, subservices, vendors
from vendorrisk.infra.mailer import send_to_vendors
from vendorrisk.services.errors import Conflict, NotFound, ServiceError
from vendorrisk.services.vendors import VendorFields
from vendorrisk.infra.storage import StoredFile, get_store

spec.components["Extraction"] = EXTRACTION_SCHEMA



@bp.route("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document; public, so tools can read it before they hold a token."""
    return jsonify(spec.document())


@spec.operation("/me", "GET", summary="The token's user", action=Action.ACCOUNT, tag="account", response=Me)
def me() -> Me:
    """Who the token acts as, and with which role."""
    return Me.of(current_user)


# ---- vendors ------------------------------------------------------------

def _vendor(vendor_id: int) -> Vendor:
    return vendors.get_vendor(get_session(), vendor_id)


@spec.operation("/vendors", "GET", summary="List vendors", action=Action.VIEW, tag="vendors",
                query=VendorListQuery, response=VendorPage)
def list_vendors(query: VendorListQuery) -> VendorPage:
    """Vendors by name, filtered by text, tiers and statuses, one page at a time."""
    select_ = vendors.vendor_query(q=query.q, tiers=query.tier, statuses=query.status)
    page = paginate(get_session(), select_, query.page, query.per_page)
    return VendorPage(items=[VendorOut.of(v) for v in page.items], page=page.page, per_page=page.per_page,
                      total=page.total)


@spec.operation("/vendors", "POST", summary="Create a vendor", action=Action.VENDOR_CREATE, tag="vendors",
                body=VendorCreate, response=VendorOut, status=201, errors=(409,), versioned=True)
def create_vendor(body: VendorCreate):
    """A new vendor, as a prospect. 409 when a vendor of that name (any case) exists."""
    session = get_session()
    values = VendorFields(**body.model_dump(exclude={"data_handled"}), data_handled=set(body.data_handled))
    vendor = vendors.create_vendor(session, values, actor=current_user)
    session.commit()
    return VendorOut.of(vendor), {"Location": url_for("api.get_vendor", vendor_id=vendor.id)}


@spec.operation("/vendors/<int:vendor_id>", "GET", summary="Get a vendor", action=Action.VIEW, tag="vendors",
                response=VendorOut, versioned=True)
def get_vendor(vendor_id: int) -> VendorOut:
    """The vendor, with its ETag for a conditional update."""
    return VendorOut.of(_vendor(vendor_id))


@spec.operation("/vendors/<int:vendor_id>", "PATCH", summary="Change a vendor", action=Action.VENDOR_EDIT,
                tag="vendors", body=VendorUpdate, response=VendorOut, errors=(409,), versioned=True)
def update_vendor(vendor_id: int, body: VendorUpdate) -> VendorOut:
    """Change the fields sent, with the same rules as the vendor form; `status`
    moves the vendor along its lifecycle (all or nothing). With `If-Match`,
    only if the vendor is still at that version (else 412)."""
    session = get_session()
    vendor = _vendor(vendor_id)
    require_current(vendor, "vendor")
    sent = body.model_dump(include=body.model_fields_set)
    status = sent.pop("status", None)
    values = VendorFields.of(vendor)
    for name, value in sent.items():
        setattr(values, name, set(value) if name == "data_handled" else value)
    vendors.update_vendor(session, vendor, values, actor=current_user)
    if status is not None:
        vendors.change_status(session, vendor, status, actor=current_user, today=clock.today())
    session.commit()
    return VendorOut.of(vendor)


@spec.operation("/vendors/<int:vendor_id>/packet.pdf", "GET", summary="Download the review packet",
                action=Action.VIEW, tag="vendors", response=Download(("application/pdf",), "The packet as PDF."))
def vendor_packet(vendor_id: int) -> Response:
    """The vendor review packet an auditor receives: profile, current report,
    exceptions and their triage, CUEC mapping, fourth parties, review history
    and sign-off."""
    _vendor(vendor_id)
    return packet_pdf(vendor_id, generated_by=current_user)


# ---- reviews and fourth parties -----------------------------------------

@spec.operation("/reviews", "GET", summary="List reviews", action=Action.VIEW, tag="reviews",
                query=ReviewListQuery, response=ReviewPage)
def list_reviews(query: ReviewListQuery) -> ReviewPage:
    """Vendor reviews by due date: e.g. `status=scheduled&due_before=2027-01-01` for what is coming up."""
    select_ = registers.review_query(statuses=query.status, due_before=query.due_before, vendor_id=query.vendor_id)
    page = paginate(get_session(), select_, query.page, query.per_page)
    today = clock.today()
    return ReviewPage(items=[ReviewOut.of(r, today) for r in page.items], page=page.page,
                      per_page=page.per_page, total=page.total)


@spec.operation("/subservice-organizations", "GET", summary="List subservice organizations", action=Action.VIEW,
                tag="fourth parties", query=PageQuery, response=SubserviceOrganizationPage)
def list_subservice_organizations(query: PageQuery) -> SubserviceOrganizationPage:
    """Fourth parties ranked by how many (critical) vendors depend on them."""
    page = paginate(get_session(), subservices.concentration_query(), query.page, query.per_page)
    return SubserviceOrganizationPage(
        items=[SubserviceOrganizationOut.of(*row) for row in page.items],
        page=page.page, per_page=page.per_page, total=page.total,
    )


# ---- reports and their items --------------------------------------------

def _report(report_id: int) -> Report:
    return reports.get_report(get_session(), report_id)


def _item(item_id: int, kind: ItemKind) -> ReportItem:
    item = get_session().get(ReportItem, item_id)
    if item is None or item.kind != kind or item.not_an_item:
        raise NotFound(f"There is no {'exception' if kind == ItemKind.EXCEPTION else 'CUEC'} #{item_id}.")
    return item


def _store_pdf(upload: FileStorage) -> StoredFile:
    try:
        return get_store().save_pdf(upload.stream, max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    except ServiceError as error:
        error.field = "file"  # the store names the upload form's field
        raise


@spec.operation("/vendors/<int:vendor_id>/reports", "POST", summary="Upload a SOC report", action=Action.REPORT_UPLOAD,
                tag="reports", upload=Upload("file", "The vendor's SOC report, as a PDF."), response=ReportUploaded,
                status=202, also=(200,), errors=(409,))
def upload_report(vendor_id: int, upload: FileStorage):
    """Store the PDF and queue its extraction (202); poll the report's URL until
    `status` is done or failed. The same file uploaded again for the vendor is
    recognised (200, `duplicate: true`) and not read twice. 415 when the file is
    not a PDF, 413 when it is larger than the server's limit."""
    session = get_session()
    vendor = _vendor(vendor_id)
    stored = _store_pdf(upload)
    result = reports.record_upload(session, vendor, stored, filename=upload.filename, kind=DocumentKind.SOC_REPORT,
                                   actor=current_user, email=mail_enabled(current_app))
    if result.report is None:
        raise Conflict(f"This file is already stored for {vendor.name} as a bridge letter.", field="file")
    session.commit()
    if result.created:
        jobs.enqueue(result.report.id)
    url = url_for("api.get_report", report_id=result.report.id)
    body = ReportUploaded(id=result.report.id, status=result.report.job_status, duplicate=not result.created, url=url)
    return body, {"Location": url}, 202 if result.created else 200


@spec.operation("/reports/<int:report_id>", "GET", summary="Get a report and its extraction", action=Action.VIEW,
                tag="reports", response=ReportOut)
def get_report(report_id: int) -> ReportOut:
    """The extraction's progress (`status`, `progress`), then the report's
    metadata and, once done, the whole extraction document."""
    report = _report(report_id)
    return ReportOut.of(report, reports.job_state(report, stale_after=jobs.stale_after()))


@spec.operation("/reports/<int:report_id>/exceptions", "GET", summary="List a report's exceptions",
                action=Action.VIEW, tag="reports", response=ExceptionList)
def list_exceptions(report_id: int) -> ExceptionList:
    """The exceptions the auditor noted, in report order, with their triage.
    Items a reviewer marked as not an exception are left out."""
    report = _report(report_id)
    items = get_session().scalars(reports.items_query(report, ItemKind.EXCEPTION))
    return ExceptionList(items=[ExceptionOut.of(item) for item in items])


@spec.operation("/exceptions/<int:exception_id>", "GET", summary="Get an exception", action=Action.VIEW,
                tag="reports", response=ExceptionOut, versioned=True)
def get_exception(exception_id: int) -> ExceptionOut:
    """One exception and its triage, with its ETag for a conditional update."""
    return ExceptionOut.of(_item(exception_id, ItemKind.EXCEPTION))


@spec.operation("/exceptions/<int:exception_id>", "PATCH", summary="Triage an exception", action=Action.REPORT_REVIEW,
                tag="reports", body=ExceptionUpdate, response=ExceptionOut, errors=(409,), versioned=True)
def triage_exception(exception_id: int, body: ExceptionUpdate) -> ExceptionOut:
    """Set any of triage status, severity, assignee, due date and notes; the
    change is logged on the vendor's history. 409 while the extraction is
    running. With `If-Match`, only if the exception is still at that version
    (else 412)."""
    session = get_session()
    item = _item(exception_id, ItemKind.EXCEPTION)
    require_current(item, "exception")
    sent = body.model_fields_set
    values = {
        "status": body.triage_status if "triage_status" in sent else (item.triage_status or TriageStatus.NEW),
        "severity": body.severity if "severity" in sent else item.severity,
        "assignee_id": body.assignee_id if "assignee_id" in sent else item.assignee_id,
        "due_date": body.due_date if "due_date" in sent else item.due_date,
        "notes": body.notes if "notes" in sent else item.notes,
    }
    reports.triage_exception(session, item, **values, actor=current_user, email=mail_enabled(current_app))
    session.commit()
    return ExceptionOut.of(item)


@spec.operation("/reports/<int:report_id>/cuecs", "GET", summary="List a report's CUECs", action=Action.VIEW,
                tag="reports", response=CuecList)
def list_cuecs(report_id: int) -> CuecList:
    """Complementary user entity controls, with how we cover each."""
    report = _report(report_id)
    items = get_session().scalars(reports.items_query(report, ItemKind.CUEC))
    return CuecList(items=[CuecOut.of(item) for item in items])


@spec.operation("/cuecs/<int:cuec_id>", "GET", summary="Get a CUEC", action=Action.VIEW, tag="reports",
                response=CuecOut, versioned=True)
def get_cuec(cuec_id: int) -> CuecOut:
    """One CUEC and how we cover it, with its ETag for a conditional update."""
    return CuecOut.of(_item(cuec_id, ItemKind.CUEC))


@spec.operation("/cuecs/<int:cuec_id>", "PATCH", summary="Map a CUEC to an internal control",
                action=Action.REPORT_REVIEW, tag="reports", body=CuecUpdate, response=CuecOut, errors=(409,),
                versioned=True)
def map_cuec(cuec_id: int, body: CuecUpdate) -> CuecOut:
    """Set any of owner, internal control, status and evidence note. With
    `If-Match`, only if the CUEC is still at that version (else 412)."""
    session = get_session()
    item = _item(cuec_id, ItemKind.CUEC)
    require_current(item, "CUEC")
    sent = body.model_fields_set
    reports.map_cuec(
        session, item,
        owner_id=body.owner_id if "owner_id" in sent else item.owner_id,
        control_reference=body.internal_control if "internal_control" in sent else item.control_reference,
        status=body.status if "status" in sent else item.cuec_status,
        evidence=body.evidence if "evidence" in sent else item.evidence,
        actor=current_user,
    )
    session.commit()
    return CuecOut.of(item)


# ---- exports ------------------------------------------------------------

@spec.operation(f"/exports/<any({','.join(registers.REGISTERS)}):register>", "GET", summary="Export a register",
                action=Action.VIEW, tag="exports", query=ExportQuery,
                response=Download(tuple(exports.MEDIA_TYPES.values()), "The register as CSV or XLSX."))
def export_register(register: str, query: ExportQuery) -> Response:
    """A register as a spreadsheet file: `vendors` (the inventory), `reviews`
    (the review register), and with the report reviews `exceptions` (open
    exceptions across vendors) and `cuecs` (the CUEC register)."""
    return register_download(register, query.format)



# ---- evidence requests and documents (issue 15) ---------------------------

@spec.operation("/vendors/<int:vendor_id>/evidence-requests", "GET", summary="List a vendor's evidence requests",
                action=Action.VIEW, tag="evidence", response=EvidenceRequestList)
def list_evidence_requests(vendor_id: int) -> EvidenceRequestList:
    """The vendor's requests for documents, newest first (the last 100)."""
    requests = evidence.vendor_requests(get_session(), _vendor(vendor_id), limit=100)
    return EvidenceRequestList(items=[EvidenceRequestOut.of(r) for r in requests])


@spec.operation("/vendors/<int:vendor_id>/evidence-requests", "POST", summary="Request documents from a vendor",
                action=Action.EVIDENCE_REQUEST, tag="evidence", body=EvidenceRequestCreate,
                response=EvidenceRequestOut, status=201)
def create_evidence_request(vendor_id: int, body: EvidenceRequestCreate):
    """E-mails the vendor's contact (or `recipient_email`) a link to upload the
    documents. The answer holds that link once, for when no e-mail went out."""
    session = get_session()
    request, mail = evidence.create_request(
        session, _vendor(vendor_id), kinds=body.kinds, due_date=body.due_date, message=body.message,
        recipient_email=body.recipient_email, actor=current_user, today=clock.today(),
        link_days=current_app.config["EVIDENCE_LINK_DAYS"])
    session.commit()
    base_url = current_app.config.get("BASE_URL") or flask_request.host_url
    for request_id, state in send_to_vendors(current_app, [mail], base_url=base_url).items():
        evidence.record_email_state(session, request_id, state)
    session.commit()
    return EvidenceRequestOut.of(request, link=mail.text(base_url))


@spec.operation("/vendors/<int:vendor_id>/evidence-requests/<int:request_id>/withdraw", "POST",
                summary="Withdraw an evidence request", action=Action.EVIDENCE_REQUEST, tag="evidence",
                response=EvidenceRequestOut)
def withdraw_evidence_request(vendor_id: int, request_id: int) -> EvidenceRequestOut:
    """Closes the request and revokes its links; a closed request is returned unchanged."""
    session = get_session()
    request = evidence.get_request(session, _vendor(vendor_id), request_id)
    evidence.cancel_request(session, request, actor=current_user)
    session.commit()
    return EvidenceRequestOut.of(request)


@spec.operation("/vendors/<int:vendor_id>/evidence-documents", "GET", summary="List a vendor's evidence documents",
                action=Action.VIEW, tag="evidence", response=EvidenceDocumentList)
def list_evidence_documents(vendor_id: int) -> EvidenceDocumentList:
    """ISO certificates, penetration tests, DPAs, insurance certificates: soonest expiry first."""
    session = get_session()
    documents = session.scalars(evidence.documents_query(_vendor(vendor_id).id))
    today = clock.today()
    return EvidenceDocumentList(items=[EvidenceDocumentOut.of(d, today) for d in documents])


@spec.operation("/vendors/<int:vendor_id>/evidence-documents", "POST", summary="Upload an evidence document",
                action=Action.EVIDENCE_RECORD, tag="evidence", query=EvidenceDocumentUploadQuery,
                upload=Upload("file", "The document, as a PDF."), response=EvidenceDocumentOut, status=201, also=(200,))
def upload_evidence_document(vendor_id: int, query: EvidenceDocumentUploadQuery, upload: FileStorage):
    """An ISO certificate, penetration-test summary, DPA, insurance certificate
    or other document, with its validity (201). The same file uploaded again
    for the vendor is the same document, returned unchanged (200). 415 when the
    file is not a PDF, 413 when it is larger than the server's limit."""
    session = get_session()
    vendor = _vendor(vendor_id)
    stored = _store_pdf(upload)
    document, created = evidence.record_document(
        session, vendor, stored, kind=EvidenceKind(query.kind), filename=upload.filename,
        issued_on=query.issued_on, expires_on=query.expires_on, actor=current_user)
    session.commit()
    url = url_for("api.evidence_document_file", vendor_id=vendor.id, document_id=document.id)
    return EvidenceDocumentOut.of(document, clock.today()), {"Location": url}, 201 if created else 200


@spec.operation("/vendors/<int:vendor_id>/evidence-documents/<int:document_id>/file", "GET",
                summary="Download an evidence document", action=Action.VIEW, tag="evidence",
                response=Download(("application/pdf",), "The document as uploaded."))
def evidence_document_file(vendor_id: int, document_id: int) -> Response:
    session = get_session()
    document = evidence.get_document(session, _vendor(vendor_id), document_id)
    return stored_pdf(document.sha256, document.filename)


@spec.operation("/vendors/<int:vendor_id>/evidence-documents/<int:document_id>", "PATCH",
                summary="Record a document's validity", action=Action.EVIDENCE_RECORD, tag="evidence",
                body=EvidenceDocumentUpdate, response=EvidenceDocumentOut)
def update_evidence_document(vendor_id: int, document_id: int, body: EvidenceDocumentUpdate) -> EvidenceDocumentOut:
    """Issue and expiry dates, scope and notes as a reviewer read them."""
    session = get_session()
    document = evidence.get_document(session, _vendor(vendor_id), document_id)
    sent = body.model_dump(include=body.model_fields_set)
    values = {name: sent.get(name, getattr(document, name)) for name in evidence.DOCUMENT_FIELDS}
    evidence.update_document(session, document, values, actor=current_user)
    session.commit()
    return EvidenceDocumentOut.of(document, clock.today())
