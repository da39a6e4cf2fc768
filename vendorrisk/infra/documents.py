"""Files that both the pages and the API send: a register as CSV or XLSX, and
the vendor review packet rendered to PDF from the print view's template. The
pages get them from a background export (write_export, run by infra.jobs);
the API sends them at once."""
from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from flask import Response, current_app, render_template, send_file
from sqlalchemy.orm import Session

from models import ExportJob, User
from vendorrisk.infra import clock
from vendorrisk.infra.db import begin_read_only, get_session, session_factory
from vendorrisk.infra.storage import get_store
from vendorrisk.services import coverage, export_jobs, exports, packet, registers, vendors
from vendorrisk.services.errors import NotFound

PDF_MEDIA_TYPE = "application/pdf"
MEDIA_TYPES = {**exports.MEDIA_TYPES, "pdf": PDF_MEDIA_TYPE}
PROGRESS_ROWS = 1000  # rows between two progress reports of a background export


def register_download(name: str, fmt: str) -> Response:
    """The register as a file download."""
    register = registers.REGISTERS[name]
    body = exports.render(register.build(get_session(), clock.today()), fmt)
    filename = registers.export_filename(register, fmt, clock.today())
    return attachment(body, exports.MEDIA_TYPES[fmt], filename)


def csv_download(lines_from: Callable[[Session], Iterable[str]], filename: str) -> Response:
    """CSV lines sent as they are made. They are read from a session of their
    own, closed after the last line: the request's session is closed when the
    view returns, before the response body is sent."""
    session = session_factory()()

    def body() -> Iterator[bytes]:
        try:
            begin_read_only(session)
            for line in lines_from(session):
                yield line.encode("utf-8")
        finally:
            session.close()

    return attachment(body(), "text/csv", filename)


def stored_pdf(sha256: str, filename: str) -> Response:
    """An uploaded PDF from the store, as an attachment under its original name."""
    path = get_store().path_for(sha256)
    if not path.is_file():
        raise NotFound(f"The file {filename} is no longer in the store; upload it again.")
    return send_file(path, mimetype=PDF_MEDIA_TYPE, as_attachment=True, download_name=filename, max_age=0,
                     etag=sha256)


def attachment(body: bytes | str | Iterable[bytes], mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def render_packet(vendor_id: int, *, pdf: bool, generated_by: User | None) -> str:
    """The packet's HTML; raises services.errors.NotFound for an unknown vendor."""
    data = packet.build_packet(get_session(), vendor_id, generated_by=generated_by, today=clock.today())
    return render_template("packet/packet.html", packet=data, pdf=pdf, checklist_labels=vendors.CHECKLIST_LABELS,
                           report_label=coverage.report_label)


def packet_pdf(vendor_id: int, *, generated_by: User | None) -> Response:
    """The packet as a PDF download (the API's; the pages export it in the background)."""
    body = packet_pdf_bytes(vendor_id, generated_by=generated_by)
    vendor = vendors.get_vendor(get_session(), vendor_id)
    filename = f"review-packet-{export_jobs.slug(vendor.name)}-{clock.today().isoformat()}.pdf"
    return attachment(body, PDF_MEDIA_TYPE, filename)


def packet_pdf_bytes(vendor_id: int, *, generated_by: User | None) -> bytes:
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
    return buffer.getvalue()


def write_export(job: ExportJob, out: BinaryIO, progress: Callable[[int], None]) -> int:
    """Write a background export's file, calling `progress` with the rows
    written every PROGRESS_ROWS; returns how many rows (0 for a packet).
    Needs a request context: the packet's template builds URLs."""
    if job.kind == export_jobs.PACKET:
        out.write(packet_pdf_bytes(job.vendor_id, generated_by=job.requested_by))
        return 0
    table = registers.REGISTERS[job.kind].build(get_session(), clock.today())
    count = 0

    def counted(rows: Iterable) -> Iterable:
        nonlocal count
        for count, row in enumerate(rows, start=1):
            yield row
            if count % PROGRESS_ROWS == 0:
                progress(count)

    exports.write(replace(table, rows=counted(table.rows)), job.fmt, out)
    return count


def _static_file(uri: str, _relative: str) -> str:
    """xhtml2pdf asks for linked files by URL; only our static files are served,
    from disk, so rendering never fetches anything over the network."""
    static = Path(current_app.static_folder).resolve()
    path = (static / uri.split("/static/", 1)[-1].split("?")[0]).resolve()
    return str(path) if path.is_relative_to(static) and path.is_file() else ""
