"""The command line: each command works on a fresh, empty database, and
`serve` (what `make run` runs) answers and lets the first admin sign in."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from vendorrisk import create_app

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "app"]


@pytest.fixture
def fresh_app(tmp_path):
    """An app on a brand-new SQLite file that no migration has touched."""
    return create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}",
                       "UPLOAD_DIR": str(tmp_path / "uploads")})


def test_create_user_works_on_an_empty_database_and_prints_a_generated_password(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["create-user", "Ops@Example.com", "--role", "security"])
    assert result.exit_code == 0, result.output
    assert "Created ops@example.com (security)." in result.output
    assert re.search(r"^Password: \S{12,}$", result.output, re.M)


def test_create_user_refuses_a_short_password_and_a_duplicate(fresh_app):
    runner = fresh_app.test_cli_runner()
    short = runner.invoke(args=["create-user", "a@example.com", "--password", "short"])
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    runner.invoke(args=["create-user", "a@example.com", "--password", "long enough password"])
    again = runner.invoke(args=["create-user", "A@example.com", "--password", "long enough password"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_create_user_and_set_password_refuse_common_and_email_derived_passwords(fresh_app):
    runner = fresh_app.test_cli_runner()
    common = runner.invoke(args=["create-user", "ops@example.com", "--password", "password1234"])
    assert common.exit_code != 0 and "too common or too easy to guess" in common.output
    runner.invoke(args=["create-user", "ops@example.com", "--password", "long enough password"])
    derived = runner.invoke(args=["set-password", "ops@example.com", "--password", "ops@example.com1"])
    assert derived.exit_code != 0 and "Do not use your e-mail address" in derived.output


def test_set_password_resets_a_forgotten_password(fresh_app):
    runner = fresh_app.test_cli_runner()
    runner.invoke(args=["create-user", "a@example.com", "--role", "admin", "--password", "first password 1"])
    result = runner.invoke(args=["set-password", "a@example.com", "--password", "second password 2"])
    assert result.exit_code == 0
    client = fresh_app.test_client()
    assert client.post("/login", data={"email": "a@example.com", "password": "second password 2"}).status_code == 302
    missing = runner.invoke(args=["set-password", "nobody@example.com"])
    assert missing.exit_code != 0 and "no user nobody@example.com" in missing.output


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VENDORRISK_", "DATABASE_URL", "SECRET_KEY"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}", "UPLOAD_DIR": str(tmp_path / "uploads"),
                "VENDORRISK_INSTANCE": str(tmp_path / "instance")})
    env.update(extra)
    return env


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, capture_output=True, text=True,
                            env=_environment(tmp_path, VENDORRISK_ENV="production"))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_setting_in_the_environment_is_named(tmp_path):
    result = subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, capture_output=True, text=True,
                            env=_environment(tmp_path, SMTP_PORT="twenty-five"))
    assert result.returncode != 0
    assert "SMTP_PORT='twenty-five' in the environment is not a valid int" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(tmp_path: Path, port: int) -> tuple[subprocess.Popen, str]:
    """Start `flask serve` and return it with its output up to 'serving on'."""
    process = subprocess.Popen(
        [*FLASK, "serve", "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=_environment(tmp_path, SECRET_KEY="served-secret", VENDORRISK_ADMIN_EMAIL="boss@example.com"),
    )
    output = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if "is serving on" in line:
            break
    return process, "".join(output)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)


def _sign_in(port: int, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"http://127.0.0.1:{port}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": "boss@example.com", "password": password}).encode()
    page = opener.open(f"http://127.0.0.1:{port}/login", data=data, timeout=10)
    assert page.status == 200
    return page.read().decode()


def test_serve_creates_the_first_admin_answers_and_starts_again(tmp_path):
    port = _free_port()
    process, text = _serve(tmp_path, port)
    try:
        assert f"serving on http://127.0.0.1:{port}/" in text, text
        password = re.search(r"password: (\S+)", text).group(1)
        body = _sign_in(port, password)
        assert "<h1>Compliance dashboard</h1>" in body and "Sign out" in body
    finally:
        _stop(process)

    # A restart on the same database finds the admin and serves at once.
    process, text = _serve(tmp_path, port)
    try:
        assert f"serving on http://127.0.0.1:{port}/" in text, text
        assert "Created the first admin" not in text
        assert "Sign out" in _sign_in(port, password)
    finally:
        _stop(process)


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["db", "upgrade"]], ids=lambda c: c[0])
def test_a_command_with_the_database_down_exits_with_one_line(tmp_path, command):
    # Nothing listens on port 1: the connection is refused at once.
    result = subprocess.run([*FLASK, *command], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=_environment(tmp_path, DATABASE_URL="postgresql+psycopg://vr:secret@127.0.0.1:1/vr"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        'Error: The database at postgresql+psycopg://vr:***@127.0.0.1:1/vr cannot be reached (connection failed: '
        'connection to server at "127.0.0.1", port 1 failed: Connection refused). '
        "Check DATABASE_URL and that the database server is running."
    ]


def test_serve_refuses_an_oversized_upload_before_reading_it(tmp_path):
    port = _free_port()
    process, text = _serve(tmp_path, port)
    try:
        assert "is serving on" in text, text
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            # Headers only: a server that waited for the 150 MB would never answer.
            connection.sendall(b"POST /vendors/1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               b"Content-Type: multipart/form-data; boundary=x\r\n"
                               b"Content-Length: 157286400\r\n\r\n")
            status_line = connection.makefile("rb").readline()
        assert status_line.startswith(b"HTTP/1.1 413"), status_line
    finally:
        _stop(process)
