"""Entry point the Flask CLI and gunicorn find: `flask --app app ...`, `gunicorn app:app`."""
import gc

from vendorrisk import create_app
from vendorrisk.config import ConfigurationError

try:
    app = create_app()
except ConfigurationError as error:  # an operator's mistake: say what to fix, not a traceback
    raise SystemExit(f"VendorRisk cannot start: {error}") from None

# What start-up made (modules, SQLAlchemy's mappers, the app: about 200,000
# objects) lives as long as the process. Frozen, the cyclic collector stops
# walking it on every full collection, which paused requests for 100-260 ms on
# the 2-core bench host. A request allocates thousands of short-lived objects:
# a first threshold of 7,000 (700 by default) runs the young collections a
# tenth as often. Together they cut the collector's time per request from 3.3
# to 0.7 ms (bench/README.md, "Web pages, session 7").
gc.freeze()
gc.set_threshold(7000, 10, 10)
