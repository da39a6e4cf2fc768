"""One's own account: password now; notifications and API tokens join here."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from vendorrisk.auth import require
from vendorrisk.db import get_session
from vendorrisk.permissions import Action
from vendorrisk.services import accounts
from vendorrisk.services.errors import ServiceError

bp = Blueprint("account", __name__, url_prefix="/account")


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField(
        "New password", validators=[DataRequired(), Length(min=accounts.MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("new_password", "The two passwords differ.")])


@bp.route("/", methods=["GET"])
@require(Action.ACCOUNT)
def profile():
    return render_template("account/profile.html", form=PasswordForm())


@bp.route("/password", methods=["POST"])
@require(Action.ACCOUNT)
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            accounts.change_own_password(session, current_user, form.current_password.data, form.new_password.data)
        except ServiceError as error:
            form.current_password.errors.append(error.message)
        else:
            session.commit()
            flash("Your password is changed.", "success")
            return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form), 400
