"""The bell: one's own notifications, read and unread."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from vendorrisk.web.auth import is_safe_redirect, require
from vendorrisk.web.pages import render_page, whole_number
from vendorrisk.infra.db import get_session, paginate
from vendorrisk.services.permissions import Action
from vendorrisk.services import notifications

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@require(Action.ACCOUNT)
def index():
    unread_only = request.args.get("show") == "unread"
    page = paginate(get_session(), notifications.notifications_query(current_user, unread_only=unread_only),
                    request.args.get("page", 1, type=whole_number), current_app.config["PER_PAGE"])
    return render_page("notifications/index.html", page=page, unread_only=unread_only, form=FlaskForm())


@bp.route("/<int:notification_id>/read", methods=["POST"])
@require(Action.ACCOUNT)
def mark_read(notification_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = get_session()
    notifications.mark_read(session, current_user, notification_id)
    session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/<int:notification_id>/open", methods=["POST"])
@require(Action.ACCOUNT)
def open_notification(notification_id: int):
    """Mark read and go where the notification points."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = get_session()
    notification = notifications.mark_read(session, current_user, notification_id)
    session.commit()
    target = notification.link if is_safe_redirect(notification.link) else url_for("notifications.index")
    return redirect(target)


@bp.route("/read-all", methods=["POST"])
@require(Action.ACCOUNT)
def mark_all_read():
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = get_session()
    count = notifications.mark_all_read(session, current_user)
    session.commit()
    flash(f"Marked {count} notification{'s' if count != 1 else ''} as read." if count else "Nothing was unread.", "success")
    return redirect(url_for("notifications.index"))
