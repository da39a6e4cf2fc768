"""Settings: defaults here, then instance/config.py, then the environment,
then a test's mapping. This is the only place settings are read from."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

DEFAULTS: dict[str, Any] = {
    # "embedded": one process, SQLite, in-process scheduler and ingestion.
    # "production": refuses to start without SECRET_KEY from the environment.
    "VENDORRISK_ENV": "embedded",
    "DATABASE_URL": None,  # None -> SQLite file in the instance folder
    "REDIS_URL": None,  # set -> ingestion runs on an RQ queue instead of threads
    "SECRET_KEY": None,
    "MAX_CONTENT_LENGTH": 100 * 1024 * 1024,  # bytes per request; uploads above get a 413
    "UPLOAD_DIR": None,  # None -> instance/uploads
    "INGESTION_THREADS": 2,
    # Sign-in back-off (vendorrisk.services.accounts.Backoff): after this many
    # failures for one e-mail, or from one address, within the window, each
    # attempt waits LOGIN_BACKOFF_SECONDS, doubling per failure up to the maximum.
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_ADDRESS_FREE_FAILURES": 20,
    "LOGIN_BACKOFF_SECONDS": 1.0,
    "LOGIN_MAX_BACKOFF_SECONDS": 60.0,
    "LOGIN_FAILURE_WINDOW_MINUTES": 15,
    # Every process that opens a PDF (extraction, page images) runs with these limits; see nlp.worker.
    "PDF_MEMORY_MB": 1024,  # address space of the reading process, MB
    "EXTRACTION_CPU_SECONDS": 240,  # CPU time of one extraction; its wall-clock limit is INGESTION_TIMEOUT_SECONDS
    "PAGE_IMAGE_CPU_SECONDS": 15,  # CPU time to draw one page image
    "PAGE_IMAGE_TIMEOUT_SECONDS": 30,  # wall-clock time to draw one page image
    "PAGE_IMAGE_MAX_PIXELS": 4_000_000,  # width × height of a page image; larger pages are drawn smaller
    "PAGE_CACHE_DIR": None,  # None -> instance/page-cache
    "PAGE_CACHE_DAYS": 30,  # a page image nobody asked for in this many days is deleted (drawn again on demand)
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host
    # headers are believed. 0: none, so a client cannot forge its address.
    "TRUSTED_PROXY_COUNT": 0,
    "PER_PAGE": 25,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # token valid for the session, so long forms don't expire
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "MAIL_FROM": "vendorrisk@localhost",
    "SCHEDULER_ENABLED": False,  # the `serve` and `scheduler` commands turn it on
    "SWEEP_TIME": "06:00",  # HH:MM of the daily review sweep, in SWEEP_TIMEZONE
    "SWEEP_TIMEZONE": "UTC",  # an IANA name, e.g. Europe/Berlin; also decides what "today" is
    "SCHEDULER_JOBSTORE_URL": None,  # None -> DATABASE_URL (APScheduler's table lives beside ours)
    "BASE_URL": None,  # e.g. https://vendorrisk.example.com: links in e-mails and calendar events
    # Days ahead of a contract's renewal-notice date that the sweep tells its
    # business owner and procurement, and that procurement's home lists it.
    "RENEWAL_NOTICE_WINDOW_DAYS": 30,
    "EVIDENCE_LINK_DAYS": 30,  # how long a link e-mailed to a vendor contact works
}

# Settings that may come from the environment, and how to parse each.
ENVIRONMENT = {
    "VENDORRISK_ENV": str,
    "DATABASE_URL": str,
    "REDIS_URL": str,
    "SECRET_KEY": str,
    "MAX_CONTENT_LENGTH": int,
    "UPLOAD_DIR": str,
    "INGESTION_THREADS": int,
    "TRUSTED_PROXY_COUNT": int,
    "PDF_MEMORY_MB": int,
    "EXTRACTION_CPU_SECONDS": int,
    "PAGE_IMAGE_CPU_SECONDS": int,
    "PAGE_IMAGE_TIMEOUT_SECONDS": int,
    "PAGE_IMAGE_MAX_PIXELS": int,
    "PAGE_CACHE_DIR": str,
    "PAGE_CACHE_DAYS": int,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "SMTP_USERNAME": str,
    "SMTP_PASSWORD": str,
    "SMTP_STARTTLS": lambda value: value.lower() in {"1", "true", "yes"},
    "MAIL_FROM": str,
    "SWEEP_TIME": str,
    "SWEEP_TIMEZONE": str,
    "SCHEDULER_JOBSTORE_URL": str,
    "BASE_URL": str,
    "RENEWAL_NOTICE_WINDOW_DAYS": int,
    "EVIDENCE_LINK_DAYS": int,
}


class ConfigurationError(RuntimeError):
    pass


def instance_path() -> str | None:
    """The instance folder (config.py, the SQLite file, uploads): VENDORRISK_INSTANCE
    when set; otherwise Flask's choice, which is ./instance in a checkout (or an
    editable install) and <sys.prefix>/var/vendorrisk-instance for an installed wheel."""
    folder = os.environ.get("VENDORRISK_INSTANCE")
    return os.path.abspath(folder) if folder else None


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for name, parse in ENVIRONMENT.items():
            if os.environ.get(name):
                try:
                    app.config[name] = parse(os.environ[name])
                except ValueError:
                    raise ConfigurationError(
                        f"{name}={os.environ[name]!r} in the environment is not a valid {parse.__name__}; "
                        f"fix or unset it."
                    ) from None
    else:
        # A test sees only its own settings, never the developer's instance or shell.
        app.config.from_mapping(test_config)

    instance = Path(app.instance_path)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'vendorrisk.sqlite3'}"
    if not app.config["UPLOAD_DIR"]:
        app.config["UPLOAD_DIR"] = str(instance / "uploads")
    if not app.config["PAGE_CACHE_DIR"]:
        app.config["PAGE_CACHE_DIR"] = str(instance / "page-cache")

    production = app.config["VENDORRISK_ENV"] == "production"
    if production:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if not app.config["SECRET_KEY"]:
        if production:
            raise ConfigurationError(
                "SECRET_KEY is not set. In production mode the key must come from the "
                "environment, e.g. SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        app.config["SECRET_KEY"] = _embedded_secret_key(instance)


def _embedded_secret_key(instance: Path) -> str:
    """A key generated once and kept in the instance folder, so sessions
    survive restarts of the embedded server without any setup."""
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process (the scheduler, a CLI) won the race
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
