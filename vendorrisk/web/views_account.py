"""One's own account: password and personal API tokens; notifications join here."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from models import Role
from vendorrisk.web.auth import renew_login, require
from vendorrisk.web.forms import SelectField, choices
from vendorrisk.infra.db import get_session
from vendorrisk.services.permissions import Action
from vendorrisk.services import accounts, api_tokens, calendar
from vendorrisk.web.pages import committing, render_page

bp = Blueprint("account", __name__, url_prefix="/account")


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    # InputRequired, not DataRequired: a password of spaces reaches the policy
    # (accounts.validate_password), which says what is wrong with it.
    new_password = PasswordField("New password", validators=[InputRequired(), Length(max=200)])
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("new_password", "The two passwords differ.")])


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired("Name the token after what will use it."),
                                                 Length(max=api_tokens.MAX_NAME_LENGTH)],
                       render_kw={"placeholder": "e.g. procurement sync", "autocomplete": "off"})


def _profile(form: PasswordForm | None = None, token_form: TokenForm | None = None, new_token: str | None = None,
             status: int = 200):
    tokens = get_session().scalars(api_tokens.tokens_query(current_user)).all()
    return render_page(
        "account/profile.html", form=form or PasswordForm(formdata=None), token_form=token_form or TokenForm(formdata=None),
        tokens=tokens, new_token=new_token, revoke_form=FlaskForm(),
        calendar_feed=calendar.feed_of(get_session(), current_user),
    ), status


@bp.route("/", methods=["GET"])
@require(Action.ACCOUNT)
def profile():
    return _profile()


@bp.route("/password", methods=["POST"])
@require(Action.ACCOUNT)
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        session = get_session()
        with committing(form) as outcome:
            accounts.change_own_password(session, current_user, form.current_password.data, form.new_password.data)
            outcome.success("Your password is changed, and every other browser signed in as you is signed out.")
        if outcome.ok:
            renew_login(current_user)
            return redirect(url_for("account.profile"))
    return _profile(form=form, status=400)


@bp.route("/tokens", methods=["POST"])
@require(Action.ACCOUNT)
def create_token():
    """Shows the new token in this response only: it is never stored in
    plaintext, so it cannot travel through a redirect or a flash message."""
    form = TokenForm()
    if form.validate_on_submit():
        session = get_session()
        with committing(form) as outcome:
            token, plaintext = api_tokens.create_token(session, current_user, form.name.data, actor=current_user)
        if outcome.ok:
            response, _ = _profile(new_token=plaintext)
            return response, 201
    return _profile(token_form=form, status=400)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@require(Action.ACCOUNT)
def revoke_token(token_id: int):
    session = get_session()
    token = api_tokens.get_own_token(session, current_user, token_id)
    if FlaskForm().validate_on_submit() and api_tokens.revoke_token(session, token, actor=current_user):
        session.commit()
        flash(f"Revoked the token “{token.name}”. Scripts using it now get 401.", "success")
    return redirect(url_for("account.profile", _anchor="api-tokens"))


@bp.route("/api")
@require(Action.ACCOUNT)
def api_reference():
    """The API's operations for people, from the same declarations as the OpenAPI document."""
    from vendorrisk.api import spec
    from vendorrisk.services.permissions import PERMISSIONS

    operations = [(op, spec.path(op)) for op in spec.operations]
    return render_page("account/api.html", operations=operations, permissions=PERMISSIONS, everyone=len(Role))


class CalendarForm(FlaskForm):
    scope = SelectField("Show", choices=choices(calendar.SCOPES.items()), default="mine")


# --- Calendar link ------------------------------------------------------------------------------

@bp.route("/calendar", methods=["POST"])
@require(Action.ACCOUNT)
def create_calendar_feed():
    form = CalendarForm()
    if not form.validate_on_submit():
        flash("Choose which reviews the calendar shows.", "error")
        return redirect(url_for("account.profile", _anchor="calendar"))
    session = get_session()
    token = calendar.create_feed(session, current_user, form.scope.data)
    session.commit()
    # Shown once, in this response only: the database keeps just its hash.
    feed_url = url_for("reviews.calendar_feed", token=token, _external=True)
    return render_page("reviews/calendar_created.html", feed_url=feed_url, scope=calendar.SCOPES[form.scope.data])


@bp.route("/calendar/revoke", methods=["POST"])
@require(Action.ACCOUNT)
def revoke_calendar_feed():
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = get_session()
    revoked = calendar.revoke_feed(session, current_user)
    session.commit()
    flash("Your calendar link no longer works." if revoked else "You had no calendar link.", "success")
    return redirect(url_for("account.profile", _anchor="calendar"))
