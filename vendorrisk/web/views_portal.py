"""The page a vendor's contact opens from an evidence request e-mail.

Public (auth.PUBLIC_ENDPOINTS): the token in the URL is the only credential
and reaches one request. The pages extend portal/base.html, never the app's
base.html, so nothing of the app (its navigation, other vendors, flashed
messages of a signed-in user) is shown; every failure is the same plain page.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.exceptions import HTTPException
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from models import EvidenceKind
from vendorrisk.infra import jobs
from vendorrisk.infra.db import get_session
from vendorrisk.infra.mailer import mail_enabled, send_pending
from vendorrisk.infra.storage import get_store
from vendorrisk.web.forms import SelectField
from vendorrisk.services import evidence
from vendorrisk.services.errors import ServiceError

bp = Blueprint("portal", __name__, url_prefix="/portal")


class PortalUploadForm(FlaskForm):
    file = FileField("PDF file")
    kind = SelectField("This document is")
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=evidence.MAX_NOTE_LENGTH)])


@bp.after_request
def _private(response):
    # The token is in the URL: never send it on to another site (Referer) or keep the page.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.url_value_preprocessor
def _check_link(_endpoint: str | None, values: dict | None) -> None:
    """Check the link before anything reads the body (url_value_preprocessors
    run before every before_request). Only a live link lifts the size limit
    pages._limit_body puts on visitors who have not signed in, so a stranger
    cannot make the app parse a 100 MB upload (CSRFProtect reads the form
    before the view runs)."""
    g.portal_link, g.portal_refusal = _link((values or {}).get("token", ""))
    if g.portal_link is not None:
        g.body_limit_lifted = True


# By code as well: the app's handlers registered for a code (e.g. its CSRF
# page for 400) would otherwise win over a class handler here.
@bp.errorhandler(400)
@bp.errorhandler(404)
@bp.errorhandler(405)
@bp.errorhandler(413)
@bp.errorhandler(HTTPException)
def _plain_error(error: HTTPException):
    """A 413 (file over MAX_CONTENT_LENGTH), 400 or 405 here gets the portal's page, not the app's."""
    message = ("The file is larger than the upload limit. Split or compress it."
               if error.code == 413 else "The request could not be handled. Open the link from the e-mail again.")
    return render_template("portal/invalid.html", message=message), error.code


def _link(token: str):
    session = get_session()
    try:
        return evidence.open_link(session, token, remote_addr=request.remote_addr or "unknown"), None
    except ServiceError as error:
        session.commit()  # keep the counted failure
        headers = {"Retry-After": str(int(evidence.LINK_FAILURE_WINDOW.total_seconds()))} \
            if error.status == 429 else {}
        return None, (render_template("portal/invalid.html", message=error.message), error.status, headers)


def _form(link, *, fresh: bool = False) -> PortalUploadForm:
    form = PortalUploadForm(formdata=None) if fresh else PortalUploadForm()
    form.kind.choices = [(kind, EvidenceKind(kind).label) for kind in link.request.kinds]
    return form


def _page(link, form, *, status: int = 200, errors: list[str] | None = None, done: str | None = None):
    return render_template("portal/request.html", request_=link.request, form=form, errors=errors or [], done=done,
                           max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)), status


@bp.route("/<token>")
def show(token: str):
    link, refused = g.portal_link, g.portal_refusal
    if refused:
        return refused
    get_session().commit()  # the link's last use
    return _page(link, _form(link))


@bp.route("/<token>", methods=["POST"])
def upload(token: str):
    link, refused = g.portal_link, g.portal_refusal
    if refused:
        return refused
    session = get_session()
    form = _form(link)
    file = form.file.data
    if not form.validate_on_submit() or not getattr(file, "filename", ""):
        errors = [e for errors in form.errors.values() for e in errors] or ["Choose a PDF file to upload."]
        return _page(link, form, status=400, errors=errors)
    try:
        stored = get_store().save_pdf(file.stream, max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
        result = evidence.submit(session, link, stored, filename=file.filename, kind=EvidenceKind(form.kind.data),
                                 note=form.note.data, email=mail_enabled(current_app))
    except ServiceError as error:
        session.rollback()
        return _page(link, form, status=error.status if error.status != 404 else 400, errors=[error.message])
    session.commit()
    if result.report is not None:
        jobs.enqueue(result.report.id)
    send_pending(current_app)
    return _page(link, _form(link, fresh=True), done=f"Thank you: {result.submission.filename} was received.")
