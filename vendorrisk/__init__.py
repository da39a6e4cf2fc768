"""VendorRisk: the Flask application factory."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    from vendorrisk import (
        account, admin, api, auth, cli, config, db, exports, notifications, reports, reviews, subservices, vendors,
        web,
    )

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    config.load_config(app, test_config)
    db.init_app(app)
    web.init_app(app)
    auth.init_app(app)
    for blueprint in (vendors.bp, subservices.bp, admin.bp, account.bp, reports.bp, reviews.bp, notifications.bp, api.bp,
                      exports.bp, exports.packet_bp):
        app.register_blueprint(blueprint)
    cli.init_app(app)
    return app
