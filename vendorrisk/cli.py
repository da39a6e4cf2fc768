"""Command-line entry points: `flask --app app serve | create-user | set-password | create-token | backup | restore |
db upgrade`.

Every command that touches data first creates or upgrades the schema, so each
works on a fresh, empty database.
"""
from __future__ import annotations

import functools
import os
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import make_url
from sqlalchemy.exc import InterfaceError, OperationalError

from models import Role
from vendorrisk.infra import backup, jobs
from vendorrisk.infra.db import database_error_line, get_session, session_factory, upgrade_database
from vendorrisk.infra.storage import get_store
from vendorrisk.services import accounts, api_tokens, reports
from vendorrisk.services.errors import ServiceError


def init_app(app: Flask) -> None:
    for command in (serve_command, create_user_command, set_password_command, create_token_command, scheduler_command,
                    sweep_command, backup_command, restore_command, reports_cli):
        app.cli.add_command(command)
    # Last, so the commands other modules added (db, reports) are covered too.
    _database_errors_as_one_line(app.cli, make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True))


def _database_errors_as_one_line(command: click.Command, url: str) -> None:
    """Every command: an unreachable database ends it with one line and exit
    status 1 instead of SQLAlchemy's traceback."""
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            _database_errors_as_one_line(subcommand, url)
        return
    callback = command.callback
    if callback is None or getattr(callback, "database_errors_handled", False):
        return

    @functools.wraps(callback)
    def wrapped(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (OperationalError, InterfaceError) as error:
            raise click.ClickException(
                f"The database at {url} cannot be reached ({database_error_line(error)}). "
                "Check DATABASE_URL and that the database server is running."
            ) from None

    wrapped.database_errors_handled = True
    command.callback = wrapped


def with_schema(command):
    """Run the command in an app context, after bringing the schema up to date."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        upgrade_database()
        return command(*args, **kwargs)

    return with_appcontext(wrapped)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.VIEWER.value, show_default=True)
@click.option("--name", default="", help="Display name; defaults to the e-mail.")
@click.option("--password", help="At least 12 characters, not common, not the e-mail; generated and printed when omitted.")
@with_schema
def create_user_command(email: str, role: str, name: str, password: str | None) -> None:
    """Create a user who can sign in."""
    generated = password is None
    password = password or accounts.generate_password()
    session = get_session()
    try:
        user = accounts.create_user(session, email=email, name=name, role=Role(role), password=password, actor=None)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")
    if generated:
        click.echo(f"Password: {password}")


@click.command("set-password")
@click.argument("email")
@click.option("--password", help="At least 12 characters, not common, not the e-mail; generated and printed when omitted.")
@with_schema
def set_password_command(email: str, password: str | None) -> None:
    """Set a user's password (e.g. a locked-out admin's)."""
    session = get_session()
    user = accounts.find_by_email(session, email)
    if user is None:
        raise click.ClickException(f"There is no user {email}.")
    generated = password is None
    password = password or accounts.generate_password()
    try:
        accounts.set_password(session, user, password, actor=None)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    session.commit()
    click.echo(f"Password set for {user.email}.")
    if generated:
        click.echo(f"Password: {password}")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="command line", show_default=True, help="What will use the token.")
@with_schema
def create_token_command(email: str, name: str) -> None:
    """Create a personal API token for a user and print it (as the last line)."""
    session = get_session()
    user = accounts.find_by_email(session, email)
    if user is None:
        raise click.ClickException(f"There is no user {email}. Create one with: flask --app app create-user {email} --role ROLE")
    if not user.active:
        raise click.ClickException(f"{user.email} is deactivated; a token would not work.")
    try:
        _, plaintext = api_tokens.create_token(session, user, name, actor=None)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    session.commit()
    click.echo(f"Created API token “{name}” for {user.email} ({user.role.value}). It is shown only now:")
    click.echo(plaintext)


def ensure_first_admin() -> None:
    """On an empty database, create the first admin from VENDORRISK_ADMIN_EMAIL /
    VENDORRISK_ADMIN_PASSWORD, generating the password (printed once) if unset.

    Uses a session of its own that is closed before the server starts: on
    SQLite an open transaction holds the write lock (see vendorrisk.infra.db), and
    the ingestion threads and scheduler started next need it.
    """
    with session_factory()() as session:
        if session.scalar(accounts.any_user_query()) is not None:
            return
        email = os.environ.get("VENDORRISK_ADMIN_EMAIL", "admin@example.com")
        password = os.environ.get("VENDORRISK_ADMIN_PASSWORD") or accounts.generate_password()
        accounts.create_user(session, email=email, name="Administrator", role=Role.ADMIN, password=password,
                             actor=None)
        session.commit()
    click.echo("=" * 60)
    click.echo("Created the first admin account. Sign in with:")
    click.echo(f"  e-mail:   {email}")
    if "VENDORRISK_ADMIN_PASSWORD" not in os.environ:
        click.echo(f"  password: {password}   (shown only this once)")
    click.echo("=" * 60)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--scheduler/--no-scheduler", "with_scheduler", default=True, show_default=True,
              help="Run the daily review sweep in this process (turn off when `flask scheduler` runs elsewhere).")
@with_schema
def serve_command(host: str, port: int, with_scheduler: bool) -> None:
    """Run the embedded server: one process with the web app and its background work."""
    from vendorrisk.infra import jobs, scheduler
    from vendorrisk.web.pages import compile_templates

    ensure_first_admin()
    app = current_app._get_current_object()
    jobs.start(app)  # settle reports a previous process left running or queued
    jobs.start_export_process(app)
    compile_templates(app)
    if app.config.get("REDIS_URL"):
        click.echo("Report extraction runs on the RQ queue: start `rq worker` processes (see README).")
    else:
        click.echo(f"Report extraction runs in this process ({app.config['INGESTION_THREADS']} threads).")
    if with_scheduler:
        # waitress has no reloader, so this process is the only one: the
        # scheduler starts exactly once.
        app.config["SCHEDULER_ENABLED"] = True
        scheduler.start(app)
    server = make_server(app, host, port)
    # Printed once the socket is bound, so whoever reads it can connect at once.
    click.echo(f"VendorRisk is serving on http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if with_scheduler:
            scheduler.shutdown()


def make_server(app: Flask, host: str, port: int):
    """The embedded server. waitress reads a request's whole body before the
    app sees it, so its own limit is what refuses an oversized upload (413 on
    the declared Content-Length) before any of it is read."""
    from waitress import create_server

    return create_server(app, host=host, port=port, threads=8, ident="VendorRisk",
                         max_request_body_size=app.config["MAX_CONTENT_LENGTH"])


@click.command("scheduler")
@with_schema
def scheduler_command() -> None:
    """Run the scheduler in the foreground (production: exactly one such process, beside gunicorn)."""
    from vendorrisk.infra import scheduler

    app = current_app._get_current_object()
    app.config["SCHEDULER_ENABLED"] = True
    try:
        scheduler.start(app)
    except scheduler.SchedulerError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Scheduler running: daily review sweep at {app.config['SWEEP_TIME']} {app.config['SWEEP_TIMEZONE']}. "
               "Ctrl+C to stop.")
    try:
        scheduler.wait_forever()
    finally:
        scheduler.shutdown()


@click.command("sweep")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="Sweep as if today were this day.")
@with_schema
def sweep_command(day) -> None:
    """Run the daily review sweep once now (it is safe to repeat)."""
    from vendorrisk.infra import scheduler

    app = current_app._get_current_object()
    result = scheduler.run_sweep(app, day.date() if day else None)
    click.echo(f"Swept {result.day}: {result.reviews_created} reviews scheduled, {result.reviews_rescheduled} rescheduled, "
               f"{result.reminders_sent} reminders, {result.escalations_sent} overdue escalations, "
               f"{result.notifications} notifications.")


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The archive to write; default vendorrisk-backup-<UTC time>.tar.gz in the current folder.")
@with_appcontext  # not with_schema: a backup taken before an upgrade must hold the schema as it was
def backup_command(output: Path | None) -> None:
    """Write the database and the uploaded files to one archive (safe while the app runs)."""
    output = output or Path(f"vendorrisk-backup-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.tar.gz")
    try:
        summary = backup.create_backup(session_factory().kw["bind"], get_store(), output)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up {summary.rows} rows in {summary.tables} tables and {summary.files} files "
               f"to {summary.path} ({summary.size_bytes / 1024 / 1024:.1f} MB).")
    if summary.missing_uploads:
        # The archive is still the best copy there is; the exit status tells cron something is wrong.
        raise click.ClickException(
            f"{len(summary.missing_uploads)} files the database refers to are missing or damaged in "
            f"{current_app.config['UPLOAD_DIR']} and are not in the backup: {', '.join(summary.missing_uploads)}"
        )


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the data of a database that is not empty.")
@with_appcontext
def restore_command(archive: Path, force: bool) -> None:
    """Restore an archive written by `backup` into an empty instance (database and UPLOAD_DIR)."""
    try:
        summary = backup.restore_backup(session_factory().kw["bind"], get_store(), archive, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {summary.rows} rows in {summary.tables} tables and {summary.files} files from {archive} "
               f"(made {summary.created_at} by VendorRisk {summary.app_version}, schema {summary.revision}); "
               "row counts and file checksums match the backup.")
    if summary.upgraded_to:
        click.echo(f"Upgraded the schema to {summary.upgraded_to}.")


@click.group("reports")
def reports_cli() -> None:
    """SOC report maintenance."""


@reports_cli.command("recover")
@with_schema
def recover_command() -> None:
    """Fail reports whose job died and re-enqueue queued ones (what `serve` does at start).

    For deployments without `serve` (gunicorn + RQ): run it after a restart of Redis or the workers.
    """
    jobs.start(current_app._get_current_object())
    click.echo("Interrupted reports are marked failed; queued reports are on their way.")


@reports_cli.command("compare")
@click.option("--all", "all_reports", is_flag=True, required=True,
              help="Every extracted report (once after upgrading to stored comparisons).")
@with_schema
def compare_command(all_reports: bool) -> None:
    """Pair every report's exceptions with last year's again and store the pairs.

    Extractions and reviewer edits keep the pairs up to date; reports extracted
    before the pairs were stored are paired on each view until this has run.
    """
    session = get_session()
    count = reports.refresh_all_comparisons(session)
    session.commit()
    click.echo(f"Compared {count} reports with their predecessors.")
