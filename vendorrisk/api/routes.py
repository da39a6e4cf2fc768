"""The API's operations. Thin, like the pages: validate (spec), call a service, commit."""
from __future__ import annotations

from flask import Response, jsonify, url_for
from flask_login import current_user

from models import Vendor
from models.base import utcnow
from vendorrisk.api import bp, spec
from vendorrisk.api.schemas import (
    ExportQuery,
    Me,
    PageQuery,
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
from vendorrisk.api.spec import Download
from vendorrisk.db import get_session, paginate
from vendorrisk.exports import download, packet_pdf
from vendorrisk.permissions import Action
from vendorrisk.services import exports, registers, subservices, vendors
from vendorrisk.services.vendors import VendorFields
from vendorrisk.web import csrf

# Safe: the API reads no cookies (vendorrisk.auth._authenticate_api_request),
# so a cross-site request cannot act as anyone.
csrf.exempt(bp)


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
                body=VendorCreate, response=VendorOut, status=201, errors=(409,))
def create_vendor(body: VendorCreate):
    """A new vendor, as a prospect. 409 when a vendor of that name (any case) exists."""
    session = get_session()
    values = VendorFields(**body.model_dump(exclude={"data_handled"}), data_handled=set(body.data_handled))
    vendor = vendors.create_vendor(session, values, actor=current_user)
    session.commit()
    return VendorOut.of(vendor), {"Location": url_for("api.get_vendor", vendor_id=vendor.id)}


@spec.operation("/vendors/<int:vendor_id>", "GET", summary="Get a vendor", action=Action.VIEW, tag="vendors",
                response=VendorOut)
def get_vendor(vendor_id: int) -> VendorOut:
    return VendorOut.of(_vendor(vendor_id))


@spec.operation("/vendors/<int:vendor_id>", "PATCH", summary="Change a vendor", action=Action.VENDOR_EDIT,
                tag="vendors", body=VendorUpdate, response=VendorOut, errors=(409,))
def update_vendor(vendor_id: int, body: VendorUpdate) -> VendorOut:
    """Change the fields sent, with the same rules as the vendor form; `status`
    moves the vendor along its lifecycle (all or nothing)."""
    session = get_session()
    vendor = _vendor(vendor_id)
    sent = body.model_dump(include=body.model_fields_set)
    status = sent.pop("status", None)
    values = VendorFields.of(vendor)
    for name, value in sent.items():
        setattr(values, name, set(value) if name == "data_handled" else value)
    vendors.update_vendor(session, vendor, values, actor=current_user)
    if status is not None:
        vendors.change_status(session, vendor, status, actor=current_user)
    session.commit()
    return VendorOut.of(vendor)


@spec.operation("/vendors/<int:vendor_id>/packet.pdf", "GET", summary="Download the review packet",
                action=Action.VIEW, tag="vendors", response=Download(("application/pdf",), "The packet as PDF."))
def vendor_packet(vendor_id: int) -> Response:
    """The vendor review packet an auditor receives: profile, current report,
    exceptions and their triage, CUEC mapping, fourth parties, review history
    and sign-off."""
    _vendor(vendor_id)
    return packet_pdf(vendor_id)


# ---- reviews and fourth parties -----------------------------------------

@spec.operation("/reviews", "GET", summary="List reviews", action=Action.VIEW, tag="reviews",
                query=ReviewListQuery, response=ReviewPage)
def list_reviews(query: ReviewListQuery) -> ReviewPage:
    """Vendor reviews by due date: e.g. `status=scheduled&due_before=2027-01-01` for what is coming up."""
    select_ = registers.review_query(statuses=query.status, due_before=query.due_before, vendor_id=query.vendor_id)
    page = paginate(get_session(), select_, query.page, query.per_page)
    today = utcnow().date()
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


# ---- exports ------------------------------------------------------------

@spec.operation(f"/exports/<any({','.join(registers.REGISTERS)}):register>", "GET", summary="Export a register",
                action=Action.VIEW, tag="exports", query=ExportQuery,
                response=Download(tuple(exports.MEDIA_TYPES.values()), "The register as CSV or XLSX."))
def export_register(register: str, query: ExportQuery) -> Response:
    """A register as a spreadsheet file: `vendors` (the inventory), `reviews`
    (the review register), and with the report reviews `exceptions` (open
    exceptions across vendors) and `cuecs` (the CUEC register)."""
    return download(register, query.format)

