"""Admin pages: people and the whole audit log."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from models import Role, User
from vendorrisk.web.auth import require
from vendorrisk.infra.db import get_session, paginate
from vendorrisk.web.forms import EnumSelectField, SelectField, choices
from vendorrisk.services.permissions import Action
from vendorrisk.services import accounts, audit
from vendorrisk.web.pages import committing, render_page, whole_number

bp = Blueprint("admin", __name__, url_prefix="/admin")


class NewUserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    role = EnumSelectField("Role", enum_cls=Role, default=Role.VIEWER)
    # The policy (length, common, e-mail-derived) is accounts.validate_password's.
    password = PasswordField("Initial password", validators=[Optional(), Length(max=200)])


class EditUserForm(FlaskForm):
    role = EnumSelectField("Role", enum_cls=Role)
    active = BooleanField("Active (may sign in)")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    actor = SelectField("Who", coerce=str, validators=[Optional()])
    entity_type = SelectField(
        "What",
        choices=choices([("", "Anything"), ("vendor", "Vendors"), ("user", "Users"), ("subservice_organization", "Fourth parties")]),
        validators=[Optional()],
    )
    since = DateField("From", validators=[Optional()])
    until = DateField("To", validators=[Optional()])


@bp.route("/users")
@require(Action.USER_MANAGE)
def users():
    session = get_session()
    people = session.scalars(select(User).order_by(User.active.desc(), User.email)).all()
    return render_page("admin/users.html", users=people, form=NewUserForm())


@bp.route("/users", methods=["POST"])
@require(Action.USER_MANAGE)
def create_user():
    session = get_session()
    form = NewUserForm()
    if form.validate_on_submit():
        password = form.password.data or accounts.generate_password()
        with committing(form) as outcome:
            user = accounts.create_user(
                session, email=form.email.data, name=form.name.data or "", role=form.role.data,
                password=password, actor=current_user, must_change_password=True,
            )
            message = f"Created {user.email} as {user.role.value}."
            if not form.password.data:
                message += f" Their initial password is {password} — pass it on privately; it is not shown again."
            message += " They will choose their own password when they first sign in."
            outcome.success(message)
        if outcome.ok:
            return redirect(url_for("admin.users"))
    people = session.scalars(select(User).order_by(User.active.desc(), User.email)).all()
    return render_page("admin/users.html", users=people, form=form), 400


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require(Action.USER_MANAGE)
def edit_user(user_id: int):
    session = get_session()
    user = accounts.get_user(session, user_id)
    form = EditUserForm(obj=user)
    if form.validate_on_submit():
        with committing() as outcome:
            accounts.update_user(session, user, role=form.role.data, active=form.active.data, actor=current_user)
            outcome.success(f"Saved {user.email}.")
        if outcome.ok:
            return redirect(url_for("admin.users"))
    return render_page("admin/edit_user.html", user=user, form=form), 400 if form.is_submitted() else 200


@bp.route("/users/<int:user_id>/sign-out", methods=["POST"])
@require(Action.USER_MANAGE)
def sign_out_user(user_id: int):
    session = get_session()
    user = accounts.get_user(session, user_id)
    if FlaskForm().validate_on_submit():
        with committing() as outcome:
            accounts.sign_out_everywhere(session, user, actor=current_user)
            outcome.success(f"Signed {user.email} out of every browser; they must sign in again.")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/audit")
@require(Action.AUDIT_VIEW_ALL)
def audit_log():
    session = get_session()
    form = AuditFilterForm(request.args)
    form.actor.choices = choices(
        [("", "Anyone")] + [(u.id, u.display_name) for u in session.scalars(select(User).order_by(User.email))]
    )
    valid = form.validate()
    query = audit.events_query(
        actor_id=int(form.actor.data) if form.actor.data and not form.actor.errors else None,
        entity_type=form.entity_type.data or None,
        since=form.since.data if not form.since.errors else None,
        until=form.until.data if not form.until.errors else None,
    )
    page = paginate(session, query, request.args.get("page", 1, type=whole_number), current_app.config["PER_PAGE"])
    # A filter that is not one of the choices (a hand-edited URL) is shown
    # next to its field and left out of the query.
    return render_page("admin/audit.html", page=page, form=form), 200 if valid else 400
