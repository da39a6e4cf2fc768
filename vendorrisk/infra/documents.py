"""Files that both the pages and the API send: a register as CSV or XLSX, and
the vendor review packet rendered to PDF from the print view's template."""
from __future__ import annotations

import io
from pathlib import Path

from flask import Response, current_app, render_template

from models import User
from vendorrisk.infra import clock
from vendorrisk.infra.db import get_session
from vendorrisk.services import coverage, exports, packet, registers, vendors

PDF_MEDIA_TYPE = "application/pdf"


def register_download(name: str, fmt: str) -> Response:
    """The register as a file download."""
    register = registers.REGISTERS[name]
    body = exports.render(register.build(get_session(), clock.today()), fmt)
    filename = registers.export_filename(register, fmt, clock.today())
    return attachment(body, exports.MEDIA_TYPES[fmt], filename)


def attachment(body: bytes | str, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def render_packet(vendor_id: int, *, pdf: bool, generated_by: User | None) -> str:
    """The packet's HTML; raises services.errors.NotFound for an unknown vendor."""
    data = packet.build_packet(get_session(), vendor_id, generated_by=generated_by, today=clock.today())
    return render_template("packet/packet.html", packet=data, pdf=pdf, checklist_labels=vendors.CHECKLIST_LABELS,
                           report_label=coverage.report_label)


def packet_pdf(vendor_id: int, *, generated_by: User | None) -> Response:
    """The packet as PDF, from the very template of the print view."""
    from xhtml2pdf import pisa

    html = render_packet(vendor_id, pdf=True, generated_by=generated_by)
    buffer = io.BytesIO()
    # `path` places the document among the static files: xhtml2pdf's resource
    # policy lets a document read only files beside it.
    static = Path(current_app.static_folder).resolve()
    result = pisa.CreatePDF(html, dest=buffer, path=str(static / "packet.html"), link_callback=_static_file,
                            encoding="utf-8")
    if result.err:
        raise RuntimeError(f"the packet PDF could not be rendered ({result.err} errors)")
    vendor = vendors.get_vendor(get_session(), vendor_id)
    filename = f"review-packet-{_slug(vendor.name)}-{clock.today().isoformat()}.pdf"
    return attachment(buffer.getvalue(), PDF_MEDIA_TYPE, filename)


def _static_file(uri: str, _relative: str) -> str:
    """xhtml2pdf asks for linked files by URL; only our static files are served,
    from disk, so rendering never fetches anything over the network."""
    static = Path(current_app.static_folder).resolve()
    path = (static / uri.split("/static/", 1)[-1].split("?")[0]).resolve()
    return str(path) if path.is_relative_to(static) and path.is_file() else ""


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")[:60] or "vendor"
