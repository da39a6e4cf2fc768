"""Database engine, the per-request session, and schema migrations.

One engine and sessionmaker per app live in app.extensions; a request (or a
job's app context) gets one Session, closed at teardown. Services take that
Session and never commit: the route or job that called them does.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from sqlalchemy import Engine, Select, create_engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent.parent / "migrations"
T = TypeVar("T")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # The embedded server, its ingestion threads and the scheduler share
        # one file; WAL lets readers proceed while one writer works, and the
        # timeout makes a second writer wait instead of failing.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # PostgreSQL's JIT pays off for hours-long analytics, not for pages:
    # its cost model JIT-compiles any query it estimates as expensive, and at
    # 10,000 vendors a 15 ms dashboard query spent 470 ms compiling.
    connect_args = {"options": "-c jit=off"} if url.startswith("postgresql") else {}
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "before_cursor_execute", _note_write)
        event.listen(engine, "commit", _forget_writes)
        event.listen(engine, "rollback", _forget_writes)
    return engine


# Set on a connection (PostgreSQL) once its transaction has sent anything but a SELECT.
_WROTE = "vendorrisk_wrote"


def _note_write(connection, _cursor, statement: str, *_args) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        connection.info[_WROTE] = True


def _forget_writes(connection) -> None:
    connection.info.pop(_WROTE, None)


def _end_reading_transaction(session: Session) -> None:
    """End a transaction that only read with COMMIT, not with the ROLLBACK of
    Session.close(). For PostgreSQL the two are the same for such a
    transaction, but psycopg forgets its prepared statements on every
    ROLLBACK (a rolled-back DDL could leave them stale): every page view
    ended with one, so each of its statements was parsed and planned again,
    on every view. After a COMMIT, a statement a connection has run five
    times (psycopg's prepare_threshold) is prepared and only executed.
    The commit goes to the driver, not the Session: changes the Session
    holds but never flushed are still dropped by close(), as before."""
    # The dialect from the engine: session.connection() would begin a transaction
    # if none had reached the database yet (on SQLite taking the write lock).
    if not session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return
    connection = session.connection()
    if not connection.info.get(_WROTE):
        connection.connection.dbapi_connection.commit()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite's own transaction handling starts transactions late and turns
    # the release of an outermost SAVEPOINT into a COMMIT, which would break
    # all-or-nothing imports; SQLAlchemy emits BEGIN itself instead (see its
    # "pysqlite serializable isolation / savepoints" recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # IMMEDIATE takes the write lock up front (waiting up to busy_timeout).
    # A deferred transaction that reads and then writes fails at once with
    # SQLITE_BUSY when another connection (an ingestion thread, the
    # scheduler) committed in between; busy_timeout cannot help there.
    # The price: transactions run one at a time, so nothing may keep one
    # open while it waits on slow work. A transaction begun by
    # begin_read_only never writes, so it takes no lock (WAL readers and
    # writers do not wait on each other).
    read_only = connection.get_execution_options().get(READ_ONLY_OPTION)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


READ_ONLY_OPTION = "vendorrisk_read_only"


def begin_read_only(session: Session) -> None:
    """Begin the session's next transaction as a reader only: an export that
    reads its rows for seconds must not hold SQLite's write lock meanwhile,
    or every page that saves something would wait for it. Call it when the
    session has no transaction; no-op on PostgreSQL."""
    session.connection(execution_options={READ_ONLY_OPTION: True})


def init_app(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    app.extensions["vendorrisk.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)
    app.cli.add_command(db_cli)


def session_factory(app: Flask | None = None) -> sessionmaker[Session]:
    return (app or current_app).extensions["vendorrisk.sessionmaker"]


def get_session() -> Session:
    """The Session of the current app context (request, CLI command or job)."""
    if "db_session" not in g:
        g.db_session = session_factory()()
    return g.db_session


def _close_session(exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        if exc is None:
            _end_reading_transaction(session)
        session.close()  # rolls back whatever was not committed


def database_error_line(error: Exception) -> str:
    """The driver's own first line ("connection refused", "unable to open
    database file"): what an admin needs, without SQLAlchemy's traceback."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade_database(app: Flask | None = None) -> None:
    """Create the schema or bring it up to date; safe to run on every start."""
    engine = session_factory(app).kw["bind"]
    command.upgrade(alembic_config(engine), "head")


@click.group("db")
def db_cli() -> None:
    """Database schema commands."""


@db_cli.command("upgrade")
def upgrade_command() -> None:
    """Create the database schema or upgrade it to the latest revision."""
    upgrade_database()
    click.echo("Database is up to date.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def revision_command(message: str) -> None:
    """Write a new migration from the difference between models and database."""
    engine = session_factory().kw["bind"]
    command.revision(alembic_config(engine), message=message, autogenerate=True)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(session: Session, query: Select, page: int, per_page: int) -> Page:
    """One page of a query's rows, with the total count the pager needs.

    A page that is not full is the last one, so its rows give the total: the
    count query runs only when the page is full or empty (most vendor
    histories, notification lists and filtered lists fit on one page, and a
    statement costs about a millisecond of round trip)."""
    page = max(1, page)
    window = query.limit(per_page).offset((page - 1) * per_page)
    # One entity per row comes back as the entity; several columns as rows.
    result = session.scalars(window) if len(query.column_descriptions) == 1 else session.execute(window)
    items = list(result.unique())
    if 0 < len(items) < per_page:
        total = (page - 1) * per_page + len(items)
    else:
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return Page(items=items, page=page, per_page=per_page, total=total)
