"""The web pages: everything that knows a request.

auth (sign-in and the require() decorator), forms, pages (error pages,
security headers, template filters) and one views_<area> module per URL
prefix, each holding that prefix's one Blueprint.
"""
from __future__ import annotations

from flask import Flask

from vendorrisk.web.pages import csrf

__all__ = ["csrf", "init_app"]


def init_app(app: Flask) -> None:
    from vendorrisk.web import (
        auth, pages, views_account, views_admin, views_evidence, views_exports, views_home, views_notifications,
        views_portal, views_reports, views_reviews, views_subservices, views_vendors,
    )

    # Sign-in first: its checks run before pages' body checks and CSRF, so an
    # anonymous request to a page that needs a user is turned away unread.
    auth.init_app(app)
    pages.init_app(app)
    views_home.init_app(app)
    for module in (views_vendors, views_subservices, views_admin, views_account, views_reports, views_reviews,
                   views_notifications, views_exports, views_evidence, views_portal):
        app.register_blueprint(module.bp)
