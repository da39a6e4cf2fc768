"""The one clock: what "today" and "now" are.

"Today" is the date where the compliance team works (SWEEP_TIMEZONE), so a
page, an export's file name and the daily sweep agree on it even near
midnight UTC. Stored timestamps stay UTC (models.base.utcnow); this module
decides only which calendar day it is.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask, current_app


class ClockError(RuntimeError):
    pass


def zone(app: Flask | None = None) -> ZoneInfo:
    """SWEEP_TIMEZONE as a ZoneInfo; a clear error if it is not an IANA name."""
    app = app or current_app
    try:
        return ZoneInfo(app.config["SWEEP_TIMEZONE"])
    except Exception as error:  # ZoneInfoNotFoundError, ValueError
        raise ClockError(f"SWEEP_TIMEZONE must be an IANA zone like Europe/Berlin; {error}") from error


def now(app: Flask | None = None) -> datetime:
    """The current moment, aware, in the configured zone."""
    return datetime.now(timezone.utc).astimezone(zone(app))


def today(app: Flask | None = None, at: datetime | None = None) -> date:
    """Today's date in the configured zone (or the date of `at` there)."""
    return (at or now(app)).astimezone(zone(app)).date()
