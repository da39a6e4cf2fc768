"""VendorRisk: the Flask application factory."""
from __future__ import annotations

from importlib.resources import files
from typing import Any, Mapping

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    from vendorrisk import (
        account, admin, api, auth, cli, config, db, exports, notifications, reports, reviews, subservices, vendors,
        web,
    )

    # Templates, static files and migrations are found through the installed
    # packages, so a wheel runs from any folder, not only from a checkout.
    app = Flask(__name__, instance_path=config.instance_path(), template_folder=str(files("templates")))
    config.load_config(app, test_config)
    db.init_app(app)
    web.init_app(app)
    auth.init_app(app)
    for blueprint in (vendors.bp, subservices.bp, admin.bp, account.bp, reports.bp, reviews.bp, notifications.bp, api.bp,
                      exports.bp, exports.packet_bp):
        app.register_blueprint(blueprint)
    cli.init_app(app)
    return app
