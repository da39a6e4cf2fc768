"""Fixtures: every database test runs on SQLite and, when TEST_DATABASE_URL
names a PostgreSQL server, on PostgreSQL too (a fresh database per run).

The schema is built once per backend by the real Alembic migrations; each
test gets a new app and finds every table empty.
"""
from __future__ import annotations

import os
import uuid
from collections import Counter
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, inspect, make_url, text
from sqlalchemy.orm import Session

from tests.factories import DEFAULT_PASSWORD

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_report_header(config):
    target = os.environ.get("TEST_DATABASE_URL")
    shown = make_url(target).render_as_string(hide_password=True) if target else "not set (SQLite only)"
    return f"database backends: {', '.join(BACKENDS)}; TEST_DATABASE_URL: {shown}"


_backend_counts: Counter[str] = Counter()


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed:
        for backend in BACKENDS:
            if f"[{backend}" in report.nodeid or f"-{backend}]" in report.nodeid or f"-{backend}-" in report.nodeid:
                _backend_counts[backend] += 1


def pytest_terminal_summary(terminalreporter):
    if _backend_counts:
        counts = ", ".join(f"{backend}: {_backend_counts[backend]}" for backend in BACKENDS)
        terminalreporter.write_line(f"database tests passed per backend: {counts}")


def _upgrade(url: str) -> None:
    from vendorrisk import create_app
    from vendorrisk.infra.db import session_factory, upgrade_database

    app = create_app(_test_config(url, "/nonexistent"))
    upgrade_database(app)
    session_factory(app).kw["bind"].dispose()


@contextmanager
def new_database(backend: str, folder):
    """The URL of a database with nothing in it (not even a schema), dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'vendorrisk.sqlite3'}"
        return
    base = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"vr_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    with new_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        _upgrade(url)
        yield url


def _test_config(url: str, upload_dir: str, **overrides):
    return {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_DIR": upload_dir,
        "PAGE_CACHE_DIR": f"{upload_dir}-page-cache",
        "SERVER_NAME": "localhost",
        **overrides,
    }


@pytest.fixture
def app_config(database_url, tmp_path):
    """Settings for the `app` fixture; a test may update it before using `app`."""
    return _test_config(database_url, str(tmp_path / "uploads"))


@pytest.fixture
def app(app_config):
    from vendorrisk import create_app
    from vendorrisk.infra.db import session_factory

    app = create_app(app_config)
    yield app
    from vendorrisk.infra import jobs

    jobs.stop(app, timeout=120)  # background jobs a test started end before its tables are emptied
    engine = session_factory(app).kw["bind"]
    _empty_all_tables(engine)
    engine.dispose()


def _empty_all_tables(engine) -> None:
    """Delete every row, children before parents, leaving the schema.

    Tables the models do not own (e.g. the scheduler's job store) go first.
    """
    import models

    known = [t for t in reversed(models.Base.metadata.sorted_tables)]
    names = {t.name for t in known}
    others = [n for n in inspect(engine).get_table_names() if n not in names and n != "alembic_version"]
    # DELETE rather than TRUNCATE: on a handful of rows it is several times faster.
    with engine.begin() as connection:
        for name in others:
            connection.execute(text(f'DELETE FROM "{name}"'))
        for table in known:
            connection.execute(table.delete())


@pytest.fixture
def db(app) -> Session:
    """A session of the test's own, apart from the requests' sessions: set up
    data with it (and commit), then expire_all() before asserting.

    On SQLite it uses the driver's own transaction handling, in which a
    SELECT opens no transaction: the app's engine begins one for every
    statement (see vendorrisk.infra.db), and a snapshot held open by the test
    would hide what the requests commit.
    """
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", lambda connection, _: connection.execute("PRAGMA foreign_keys=ON"))
    else:
        engine = create_engine(url)
    session = Session(engine, expire_on_commit=False)
    yield session
    session.close()
    engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    def __init__(self, client, db):
        self.client = client
        self.db = db

    def login(self, user, password: str = DEFAULT_PASSWORD):
        return self.client.post("/login", data={"email": user.email, "password": password})

    def login_as(self, role):
        """Create a user with this role and sign in as them."""
        from tests.factories import make_user

        user = make_user(self.db, role=role)
        self.db.commit()
        response = self.login(user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client, db):
    return Auth(client, db)


@pytest.fixture
def smtp_server():
    """A local SMTP server: (controller, inbox); point SMTP_PORT at controller.port."""
    from aiosmtpd.controller import Controller

    from tests.mailbox import Inbox, free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()
