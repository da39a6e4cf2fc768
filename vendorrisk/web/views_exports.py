"""Exports: the registers auditors ask for (CSV or XLSX) and the vendor review
packet (PDF), each made in the background and downloaded when ready."""
from __future__ import annotations

from flask import Blueprint, make_response, redirect, send_file, url_for
from flask_login import current_user

from models import JobStatus
from vendorrisk.infra import clock, jobs
from vendorrisk.infra.db import get_session
from vendorrisk.infra.documents import MEDIA_TYPES
from vendorrisk.infra.storage import export_files
from vendorrisk.services import export_jobs, registers
from vendorrisk.services.errors import NotFound
from vendorrisk.services.permissions import Action
from vendorrisk.web.auth import require
from vendorrisk.web.pages import render_page

bp = Blueprint("exports", __name__, url_prefix="/exports")


@bp.route("/")
@require(Action.VIEW)
def index():
    return render_page("exports/index.html", registers=registers.REGISTERS.values(),
                       recent=export_jobs.recent_exports(get_session(), current_user), title=export_jobs.title)


@bp.route(f"/<any({','.join(registers.REGISTERS)}):register>.<any(csv,xlsx):fmt>", methods=["POST"])
@require(Action.VIEW)
def register_file(register: str, fmt: str):
    return _started(export_jobs.request_register(get_session(), register, fmt, user=current_user,
                                                 today=clock.today()))


@bp.route("/packet/<int:vendor_id>.pdf", methods=["POST"])
@require(Action.VIEW)
def packet_file(vendor_id: int):
    return _started(export_jobs.request_packet(get_session(), vendor_id, user=current_user, today=clock.today()))


def _started(job):
    """Commit the queued export, then enqueue it (so the worker finds the row) and show its page.
    An unknown vendor never gets here: its NotFound is the 404 page."""
    get_session().commit()
    jobs.enqueue_export(job.id)
    return redirect(url_for("exports.job", export_id=job.id))


@bp.route("/jobs/<int:export_id>")
@require(Action.VIEW)
def job(export_id: int):
    export = export_jobs.get_export(get_session(), export_id, current_user)
    response = make_response(render_page("exports/job.html", export=export, title=export_jobs.title(export),
                                            JobStatus=JobStatus))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/jobs/<int:export_id>/file")
@require(Action.VIEW)
def download(export_id: int):
    export = export_jobs.get_export(get_session(), export_id, current_user)
    path = export_files().path_for(export.id, export.fmt)
    if export.status != JobStatus.DONE or not path.is_file():
        raise NotFound(f"Export #{export.id} has no file (not ready yet, failed, or expired).")
    response = send_file(path, mimetype=MEDIA_TYPES[export.fmt], as_attachment=True, download_name=export.filename,
                         max_age=0, etag=False, conditional=False)
    response.headers["Cache-Control"] = "no-store"  # a register's rows are not for shared caches or history
    return response
