"""Entry point the Flask CLI and gunicorn find: `flask --app app ...`, `gunicorn app:app`."""
from vendorrisk import create_app
from vendorrisk.config import ConfigurationError

try:
    app = create_app()
except ConfigurationError as error:  # an operator's mistake: say what to fix, not a traceback
    raise SystemExit(f"VendorRisk cannot start: {error}") from None
