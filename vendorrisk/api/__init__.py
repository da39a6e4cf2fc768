"""The REST API under /api/v1: JSON in and out, Bearer tokens, the same
permission table as the pages, and an OpenAPI document generated from the
very schemas that validate requests (vendorrisk.api.spec)."""
from __future__ import annotations

from flask import Blueprint

from vendorrisk.api.spec import ApiSpec

bp = Blueprint("api", __name__, url_prefix="/api/v1")
spec = ApiSpec(
    bp,
    title="VendorRisk API",
    version="1.0.0",
    description=(
        "Automate the vendor inventory, SOC report reviews and registers. Authenticate every request with "
        "`Authorization: Bearer TOKEN` (a personal token from your account page); a token acts with its "
        "user's role. Errors are `{\"error\": {\"code\", \"message\"[, \"field\"]}}`. Vendors, exceptions and "
        "CUECs carry a `version` and answer with an `ETag`; send it back as `If-Match` with an update to have it "
        "refused (412, nothing changed) if someone changed the resource since you read it."
    ),
)

from vendorrisk.api import routes  # noqa: E402,F401  (declares the operations on bp)
