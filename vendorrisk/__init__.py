"""VendorRisk: the Flask application factory."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    from vendorrisk import api, cli, config, web
    from vendorrisk.infra import db

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    config.load_config(app, test_config)
    db.init_app(app)
    web.init_app(app)
    # Safe: the API reads no cookies (vendorrisk.web.auth._authenticate_api_request),
    # so a cross-site request cannot act as anyone.
    web.csrf.exempt(api.bp)
    app.register_blueprint(api.bp)
    cli.init_app(app)
    return app
