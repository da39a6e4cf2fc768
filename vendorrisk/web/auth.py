"""Sign-in, sign-out and the permission check every route goes through."""
from __future__ import annotations

import functools
from datetime import timedelta
from typing import Callable, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, flash, g, redirect, request, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_login.config import COOKIE_NAME
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from models import User
from vendorrisk.infra.db import get_session
from vendorrisk.services.permissions import Action, can
from vendorrisk.services import accounts, api_tokens, notifications
from vendorrisk.services.errors import ServiceError

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
# "strong": a session cookie replayed from another address or browser is dropped.
login_manager.session_protection = "strong"

# Endpoints reachable without signing in. Everything else needs a user, and
# the route × role test checks that every other endpoint names an Action.
# The API's OpenAPI document is public: client generators and API tools read it
# before anyone holds a token, and it describes no data.
# reviews.calendar_feed: calendar apps cannot sign in; the secret token in
# its URL is the credential, checked against an active user on every fetch.
# portal.*: a vendor's contact has no account; the random token in the link's
# URL is the credential, good for one evidence request only (services.evidence).
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "api.openapi", "reviews.calendar_feed",
                              "portal.show", "portal.upload"})

View = TypeVar("View", bound=Callable)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)
    app.before_request(_authenticate_api_request)
    app.before_request(_require_login)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


@login_manager.user_loader
def _load_user(alternative_id: str) -> User | None:
    """The user a session or remember-me cookie names, if that cookie is still valid.

    Both cookies carry User.get_id(), "<id>:<session version>"; once the
    version moves on (sign-out, new password, deactivation, an admin's
    "sign out everywhere"), every cookie issued before names no one.
    """
    if is_api_request():
        return None  # the API never accepts the session cookie; see _authenticate_api_request
    user_id, _, version = alternative_id.partition(":")
    if not (user_id.isdecimal() and version.isdecimal()):
        return None  # a cookie from before session versions, or not ours
    # The bell's unread count comes with the user: every page shows it (pages.render_page).
    user, unread = get_session().execute(
        select(User, notifications.unread_count_of(User.id)).where(User.id == int(user_id))).first() or (None, 0)
    if user is None or not user.active or user.session_version != int(version):
        return None
    g.unread_notifications = unread
    return user


def renew_login(user: User) -> None:
    """Sign this browser in again after the user's own change ended all their
    sessions (a new password), keeping its "keep me signed in" choice."""
    login_user(user, remember=current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies)


def _authenticate_api_request() -> None:
    """Under /api/ the one credential is `Authorization: Bearer TOKEN`.

    Cookies (session or remember-me) are never read there, so a request another
    site makes the browser send carries no authority, which is why the API may
    be exempt from CSRF protection. Setting g._login_user is how Flask-Login's
    own loaders hand it the user; doing it here, before anything asks for
    current_user, keeps its cookie loaders out of API requests entirely.
    """
    if not is_api_request():
        return
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    user = None
    if scheme.lower() == "bearer" and credential.strip():
        session = get_session()
        user = api_tokens.authenticate(session, credential.strip())
        g.api_token_rejected = user is None
        if user is not None and session.dirty:
            session.commit()  # the token's last use; nothing else has happened yet
    g._login_user = user or login_manager.anonymous_user()


@login_manager.unauthorized_handler
def _unauthorized():
    if is_api_request():
        from vendorrisk.web.pages import error_response

        if g.get("api_token_rejected"):
            message = "The API token is wrong, revoked, or its user is deactivated. Create a new one on your account page."
            response, status = error_response(401, message, "invalid_token")
        else:
            response, status = error_response(401, "Send an API token in the header Authorization: Bearer TOKEN. "
                                                   "Create one on your account page.", "unauthorized")
        response.headers["WWW-Authenticate"] = 'Bearer realm="VendorRisk API"'  # RFC 6750
        return response, status
    flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


# What a user whose password someone else chose may still do: set their own.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"account.profile", "account.change_password", "auth.logout"})


def _require_login():
    """Deny by default: a route someone forgot to decorate is still not public."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS and not is_api_request():
        flash("Choose your own password before you continue: the one you signed in with was set by an admin.", "warning")
        return redirect(url_for("account.profile"))
    return None


def require(action: Action) -> Callable[[View], View]:
    """Allow the view only to signed-in users whose role may perform `action`."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user.role, action):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_action = action  # read by the route × role test
        return wrapped  # type: ignore[return-value]

    return decorator


def user_can(action: Action) -> bool:
    """For templates: show a button only to those who may press it."""
    return current_user.is_authenticated and can(current_user.role, action)


def is_safe_redirect(target: str | None) -> bool:
    """Only a path on this site: never an absolute URL another site could use."""
    if not target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me signed in on this device")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    form = LoginForm()
    status = 200
    headers: dict[str, str] = {}
    if form.validate_on_submit():
        session = get_session()
        try:
            user = accounts.authenticate(
                session,
                form.email.data,
                form.password.data,
                remote_addr=request.remote_addr or "unknown",
                backoff=_backoff(),
            )
        except ServiceError as error:
            session.commit()  # keep the recorded failure
            flash(error.message, "error")
            status = error.status
            if isinstance(error, accounts.LoginThrottled):
                headers["Retry-After"] = str(error.retry_after)
        else:
            session.commit()
            login_user(user, remember=form.remember.data)
            target = request.args.get("next")
            return redirect(target if is_safe_redirect(target) else url_for("home"))
    elif form.is_submitted():
        status = 400
    from vendorrisk.web.pages import render_page  # pages imports this module

    return render_page("auth/login.html", form=form), status, headers


def _backoff() -> accounts.Backoff:
    config = current_app.config
    return accounts.Backoff(
        free_failures=config["LOGIN_FREE_FAILURES"],
        address_free_failures=config["LOGIN_ADDRESS_FREE_FAILURES"],
        base_seconds=config["LOGIN_BACKOFF_SECONDS"],
        max_seconds=config["LOGIN_MAX_BACKOFF_SECONDS"],
        window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
    )


@bp.route("/logout", methods=["POST"])
@require(Action.ACCOUNT)
def logout():
    """Signs out every browser of the user, so a copied or forgotten cookie dies too."""
    session = get_session()
    accounts.end_sessions(current_user)
    session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
