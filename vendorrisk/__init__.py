"""VendorRisk: the Flask application factory."""
from __future__ import annotations

from importlib.resources import files
from typing import Any, Mapping

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    from vendorrisk import api, cli, config, web
    from vendorrisk.infra import db

    # Templates, static files and migrations are found through the installed
    # packages, so a wheel runs from any folder, not only from a checkout.
    app = Flask(__name__, instance_path=config.instance_path(), template_folder=str(files("templates")))
    config.load_config(app, test_config)
    if app.config["TRUSTED_PROXY_COUNT"] > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only as many hops as the operator says: each trusted proxy appends
        # the address it saw, and anything further left the client could forge.
        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    db.init_app(app)
    web.init_app(app)
    # Safe: the API reads no cookies (vendorrisk.web.auth._authenticate_api_request),
    # so a cross-site request cannot act as anyone.
    web.csrf.exempt(api.bp)
    app.register_blueprint(api.bp)
    cli.init_app(app)
    return app
