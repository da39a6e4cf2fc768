"""What every page shares: CSRF, security headers, error pages, the answer to a
service call, template helpers."""
from __future__ import annotations

import enum
from contextlib import contextmanager
from datetime import date, datetime
from typing import Iterator

from flask import Flask, abort, current_app, flash, g, jsonify, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from models.base import MAX_ID
from vendorrisk.web.auth import user_can
from vendorrisk.infra import jobs
from vendorrisk.infra.db import database_error_line, get_session
from vendorrisk.services import coverage, reports, signoff
from vendorrisk.services.errors import NotFound, ServiceError, StaleEdit
from vendorrisk.services.permissions import Action

csrf = CSRFProtect()

# Scripts and styles only from our own static files: an injected <script> or
# style attribute does nothing even if escaping were ever missed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

ERROR_MESSAGES = {
    400: "The request could not be understood. Check the form and try again.",
    403: "Your role does not allow this. Ask an admin if you need access.",
    404: "There is nothing here. It may have been removed, or the link is wrong.",
    405: "This address does not accept that kind of request.",
    413: "The upload is larger than the limit.",
    415: "This kind of content is not accepted here.",
    429: "Too many requests. Wait a few minutes and try again.",
    500: "Something went wrong on our side. Nothing was saved; try again, and tell an admin if it keeps happening.",
    503: "VendorRisk is temporarily unavailable: its database cannot be reached. Try again in a few minutes; "
         "tell an admin if it lasts.",
}


# Bytes a visitor who has not signed in may send (the sign-in form is a few
# hundred): anything larger is refused before the body is read.
ANONYMOUS_MAX_BYTES = 64 * 1024


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_refuse_impossible_ids)
    # In this order, and before CSRFProtect's own check, which reads the form:
    # nothing reads a body before its size has been checked.
    app.before_request(_limit_body)
    app.before_request(_refuse_nul)
    csrf.init_app(app)
    app.after_request(_security_headers)
    app.after_request(_no_store)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(Exception, _unexpected_error)
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["day"] = day
    # Template globals are pure functions of what the view passed: none queries.
    app.jinja_env.globals.update(user_can=user_can, Action=Action, url_with=url_with, enum_options=enum_options,
                                 report_label=coverage.report_label, item_is_corrected=reports.is_corrected,
                                 item_needs_check=reports.needs_check, job_state=job_state,
                                 Guardrail=signoff.Guardrail)


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def _refuse_impossible_ids(_endpoint: str | None, values: dict | None) -> None:
    """An `<int:…>` in the URL that no row can have (0, or past MAX_ID) names
    nothing: a 404 for every method, before PostgreSQL would raise on it."""
    if values and any(isinstance(value, int) and not 1 <= value <= MAX_ID for value in values.values()):
        abort(404)


def _limit_body():
    """Refuse a body by its declared size, before anything reads it.

    Werkzeug would refuse a body above MAX_CONTENT_LENGTH only once a form is
    parsed; checking Content-Length here answers at once. A visitor who has
    not signed in may only send a sign-in form's worth (sign-in is checked
    before this runs, so only the public endpoints see anonymous bodies).
    """
    length = request.content_length
    if not length:
        return None
    limit = request.max_content_length
    # body_limit_lifted: a public endpoint checked another credential first
    # (views_portal: a vendor's evidence link, whose uploads are reports).
    if not current_user.is_authenticated and not g.get("body_limit_lifted"):
        limit = min(limit or ANONYMOUS_MAX_BYTES, ANONYMOUS_MAX_BYTES)
    if limit is not None and length > limit:
        raise RequestEntityTooLarge()
    return None


def _refuse_nul():
    """A NUL character is in no name, note or search anyone types; PostgreSQL
    refuses it in text, and a form would otherwise end in a 500."""
    values = [value for _, value in request.args.items(multi=True)]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [value for _, value in request.form.items(multi=True)]
    if any("\x00" in value for value in values):
        return error_response(400, "The request contains a NUL character (\\0), which no field accepts. "
                                   "Remove it and try again.", "bad_request")
    return None


def whole_number(text: str) -> int:
    """`type=` for numbers in query strings (ids, page numbers): a value no
    id can have is not a number, so `request.args.get(..., type=whole_number)`
    falls back to its default as for any other garbage."""
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"{value} is out of range")
    return value


def _no_store(response):
    """Nothing a signed-in user sees may stay in a browser's or proxy's cache
    (a shared computer, the back button after sign-out): every answer but the
    static files, which are the same for everyone, is marked no-store."""
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def error_response(status: int, message: str | None = None, code: str | None = None, field: str | None = None):
    """The one error page path: JSON under /api/, HTML everywhere else.

    `field` names the request field a validation error is about (API only;
    a form shows the message next to the field instead).
    """
    message = message or ERROR_MESSAGES.get(status, "The request failed.")
    if request.path.startswith("/api/"):
        error = {"code": code or _code(status), "message": message}
        if field:
            error["field"] = field
        return jsonify(error=error), status
    return render_page("error.html", status=status, message=message), status


def _code(status: int) -> str:
    from werkzeug.http import HTTP_STATUS_CODES

    return HTTP_STATUS_CODES.get(status, "error").lower().replace(" ", "_").replace("'", "")


def _http_error(error: HTTPException):
    if error.code == 413:
        limit_mb = (request.max_content_length or 0) // (1024 * 1024)
        return error_response(413, f"The upload is larger than the {limit_mb} MB limit. Split or compress the file.")
    message = ERROR_MESSAGES.get(error.code or 500) if error.description == type(error).description else error.description
    return error_response(error.code or 500, message)


def _not_found(error: NotFound):
    """The one 404 path: a service getter that finds nothing raises NotFound.

    A page shows the standard 404 page (the service's message names ids the
    visitor did not ask about by name); the API says what was not found.
    """
    session = g.get("db_session")
    if session is not None:
        session.rollback()
    return error_response(404, error.message if request.path.startswith("/api/") else None, "not_found")


def _csrf_error(error: CSRFError):
    return error_response(
        400, "The form was not sent by this site or has expired. Reload the page and try again.", "csrf_failed"
    )


def _database_unavailable(error: SQLAlchemyError):
    """The database is down or unreachable: a plain 503 that needs no database.

    Nothing here may touch it again, so for this one page the user counts as
    signed out: Flask-Login would load them from the database, and the page
    header would ask for their unread notifications.
    """
    _discard_session()
    current_app.logger.error("Database unavailable on %s %s: %s", request.method, request.path,
                             database_error_line(error))
    g._login_user = current_app.login_manager.anonymous_user()
    response, status = error_response(503, code="service_unavailable")
    return response, status, {"Retry-After": "60"}


def _discard_session() -> None:
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except SQLAlchemyError:  # the connection is already gone; nothing was kept
            pass


def _unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    session = g.get("db_session")
    if session is not None:
        session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(500)


class Outcome:
    """What committing() hands the block: set the message to flash on success."""

    def __init__(self) -> None:
        self.ok = False
        self.message: str | None = None
        self.category = "success"
        self.error: ServiceError | None = None

    @property
    def failed_status(self) -> int:
        """The status of the page that shows the form again: 409 when it was
        based on a stale version, 400 for anything else the user can fix."""
        return 409 if isinstance(self.error, StaleEdit) else 400

    def success(self, message: str, category: str = "success") -> None:
        self.message, self.category = message, category


@contextmanager
def committing(form: FlaskForm | None = None, *, race_message: str | None = None) -> Iterator[Outcome]:
    """The one way a page answers a service call.

    The block calls services on the request's session. If it finishes, the
    change is committed, `outcome.ok` is True and its success message (if set)
    is flashed. If a service raises ServiceError, nothing is kept (rollback),
    and the error is shown next to the form field it names (with `form`) or
    flashed; the exception stops there and `outcome.ok` stays False. With
    `race_message`, a unique index that caught a concurrent change
    (IntegrityError) is answered the same way with that message. Two saves of
    one versioned row racing in the same instant (StaleDataError, from the
    conditional UPDATE) end as a StaleEdit for the one that lost.
    """
    session = get_session()
    outcome = Outcome()
    try:
        yield outcome
        session.flush()
    except StaleDataError:
        session.rollback()
        outcome.error = StaleEdit("record", [])
        flash(outcome.error.message, "error")
        return
    except ServiceError as error:
        session.rollback()
        outcome.error = error
        if form is not None:
            from vendorrisk.web.forms import attach_error

            attach_error(form, error)
        else:
            flash(error.message, "error")
        return
    except IntegrityError:
        if race_message is None:
            raise
        session.rollback()
        flash(race_message, "error")
        return
    session.commit()
    outcome.ok = True
    if outcome.message:
        flash(outcome.message, outcome.category)


def compile_templates(app: Flask) -> int:
    """Compile every template into the app's Jinja cache; returns how many.

    A worker otherwise compiles a page's templates on its first view of that
    page: 200-600 ms for the vendor page at 10,000 vendors (bench/README.md),
    paid by a user after every restart, once per page and worker. Done as a
    process starts to serve (gunicorn.conf.py, `flask serve`), about 0.5 s."""
    names = app.jinja_env.list_templates(extensions=("html", "txt"))
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def render_page(template: str, **context) -> str:
    """render_template for a page with the site header: the view hands the
    template everything, including the bell's unread count, so no template
    runs a query while it renders."""
    from flask_login import current_user

    from vendorrisk.services import notifications

    unread = 0
    if current_user.is_authenticated:
        # Read with the user as the request began (web.auth); counted here when
        # this request signed the user in instead.
        unread = g.get("unread_notifications")
        if unread is None:
            unread = notifications.unread_count(get_session(), current_user)
    return render_template(template, unread_notifications=unread, **context)


def job_state(report) -> reports.JobState:
    """A report's job as every page shows it: a stalled job reads as failed."""
    return reports.job_state(report, stale_after=jobs.stale_after())


def url_with(**overrides) -> str:
    """This page's URL with some query arguments replaced (pager, sort links).

    Multi-valued arguments (data_handled=phi&data_handled=pii) survive.
    """
    args = request.args.to_dict(flat=False)
    for key, value in overrides.items():
        args[key] = value if isinstance(value, list) else [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def enum_options(enum_cls: type[enum.Enum]) -> list[tuple[str, str]]:
    """(value, label) for each member, for filters in templates."""
    return [(member.value, label(member)) for member in enum_cls]


def label(value) -> str:
    """'follow_up_required' -> 'Follow up required'; enums by their value."""
    if value is None:
        return "—"
    if isinstance(value, enum.Enum):
        value = getattr(value, "label", value.value)
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()
