"""Exports: the registers auditors ask for (CSV or XLSX downloads) and the
vendor review packet (a print view and the same page as PDF)."""
from __future__ import annotations

import io
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template
from flask_login import current_user

from models import Vendor
from models.base import utcnow
from vendorrisk.auth import require
from vendorrisk.db import get_session
from vendorrisk.permissions import Action
from vendorrisk.services import coverage, exports, packet, registers, vendors
from vendorrisk.services.errors import NotFound

bp = Blueprint("exports", __name__, url_prefix="/exports")
packet_bp = Blueprint("packet", __name__, url_prefix="/vendors")
PDF_MEDIA_TYPE = "application/pdf"


def download(name: str, fmt: str) -> Response:
    """The register as a file download (also what the API's export returns)."""
    register = registers.REGISTERS[name]
    body = exports.render(register.build(get_session()), fmt)
    filename = registers.export_filename(register, fmt, utcnow().date())
    return _attachment(body, exports.MEDIA_TYPES[fmt], filename)


def _attachment(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/")
@require(Action.VIEW)
def index():
    return render_template("exports/index.html", registers=registers.REGISTERS.values())


@bp.route(f"/<any({','.join(registers.REGISTERS)}):register>.<any(csv,xlsx):fmt>")
@require(Action.VIEW)
def register_file(register: str, fmt: str):
    return download(register, fmt)


# ---- the vendor review packet --------------------------------------------

def render_packet(vendor_id: int, *, pdf: bool) -> str:
    data = packet.build_packet(get_session(), vendor_id, generated_by=current_user)
    return render_template("packet/packet.html", packet=data, pdf=pdf, checklist_labels=vendors.CHECKLIST_LABELS,
                           report_label=coverage.report_label)


def packet_pdf(vendor_id: int) -> Response:
    """The packet as PDF, from the very template of the print view."""
    from xhtml2pdf import pisa

    html = render_packet(vendor_id, pdf=True)
    buffer = io.BytesIO()
    # `path` places the document among the static files: xhtml2pdf's resource
    # policy lets a document read only files beside it.
    static = Path(current_app.static_folder).resolve()
    result = pisa.CreatePDF(html, dest=buffer, path=str(static / "packet.html"), link_callback=_static_file,
                            encoding="utf-8")
    if result.err:
        raise RuntimeError(f"the packet PDF could not be rendered ({result.err} errors)")
    vendor = get_session().get(Vendor, vendor_id)
    filename = f"review-packet-{_slug(vendor.name)}-{utcnow().date().isoformat()}.pdf"
    return _attachment(buffer.getvalue(), PDF_MEDIA_TYPE, filename)


def _static_file(uri: str, _relative: str) -> str:
    """xhtml2pdf asks for linked files by URL; only our static files are served,
    from disk, so rendering never fetches anything over the network."""
    static = Path(current_app.static_folder).resolve()
    path = (static / uri.split("/static/", 1)[-1].split("?")[0]).resolve()
    return str(path) if path.is_relative_to(static) and path.is_file() else ""


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")[:60] or "vendor"


@packet_bp.route("/<int:vendor_id>/packet")
@require(Action.VIEW)
def view(vendor_id: int):
    try:
        return render_packet(vendor_id, pdf=False)
    except NotFound:
        abort(404)


@packet_bp.route("/<int:vendor_id>/packet.pdf")
@require(Action.VIEW)
def pdf(vendor_id: int):
    try:
        return packet_pdf(vendor_id)
    except NotFound:
        abort(404)
