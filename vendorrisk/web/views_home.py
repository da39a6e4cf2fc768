"""The home page, `/`: each role lands on its own work queue.

Security: SOC reports awaiting review and the exceptions assigned to them.
Procurement: vendors in onboarding and contracts coming up for renewal.
Everyone else (compliance, admin, viewers) the compliance dashboard, which
stays one click away in the nav for every role.

An app-wide rule rather than a Blueprint: the endpoint keeps the name
`home` that every "back to the start" link uses.
"""
from __future__ import annotations

from flask import Flask, current_app, redirect, request, url_for
from flask_login import current_user

from models import Role
from vendorrisk.infra import clock
from vendorrisk.infra.db import get_session, paginate
from vendorrisk.services import queues, vendors
from vendorrisk.services.permissions import Action
from vendorrisk.web.auth import require
from vendorrisk.web.pages import render_page


def init_app(app: Flask) -> None:
    app.add_url_rule("/", "home", home)


@require(Action.VIEW)
def home():
    if current_user.role == Role.SECURITY:
        return _security_home()
    if current_user.role == Role.PROCUREMENT:
        return _procurement_home()
    # The compliance dashboard answers "are we on time?" at a glance; the
    # vendor list is one click away from every figure on it.
    return redirect(url_for("reviews.dashboard"))


def _page_of(query, param: str):
    return paginate(get_session(), query, request.args.get(param, 1, type=int), current_app.config["PER_PAGE"])


def _security_home():
    return render_page(
        "home/security.html",
        reports=_page_of(queues.reports_awaiting_review(), "reports_page"),
        exceptions=_page_of(queues.exceptions_assigned_to(current_user), "exceptions_page"),
        today=clock.today(),
    )


def _procurement_home():
    window = int(current_app.config["RENEWAL_NOTICE_WINDOW_DAYS"])
    today = clock.today()
    onboarding = _page_of(queues.onboarding_vendors(), "onboarding_page")
    return render_page(
        "home/procurement.html",
        onboarding=onboarding,
        progress=vendors.checklist_progress(get_session(), onboarding.items),
        renewals=_page_of(queues.renewals(today, window), "renewals_page"),
        today=today, window_days=window,
    )
