"""What a careless user, a dead worker or a dead database must not turn into a
500 or a lie: job status read from the heartbeat, a plain 503 when the
database is down, no-store on everything signed-in, bodies refused by size
before they are read, and malformed parameters answered with a 400."""
from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest

from models import JobStatus, Report, Role
from models.base import utcnow
from tests.factories import DEFAULT_PASSWORD, download_export, make_api_token, make_report, make_user, make_vendor
from tests.test_routes_roles import build_url, seed_world
from vendorrisk import create_app
from vendorrisk.infra import scheduler
from vendorrisk.infra.storage import UploadStore

REPORT_PDF = Path(__file__).parent / "corpus" / "r05-tessellate.pdf"
# Nothing listens on port 1: connecting is refused at once.
UNREACHABLE_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/vendorrisk"


# ---------------------------------------------------------------- job status

def test_a_job_whose_worker_died_reads_failed_everywhere_without_a_recover(app, client, db, auth):
    vendor = make_vendor(db, name="Stalled Vendor")
    report = make_report(db, vendor, job_status=JobStatus.RUNNING)
    report.started_at = report.heartbeat_at = utcnow() - timedelta(hours=1)
    token = make_api_token(db, make_user(db, role=Role.VIEWER))
    db.commit()

    api = client.get(f"/api/v1/reports/{report.id}", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert api["status"] == "failed" and "stopped responding" in api["error"]
    auth.login_as(Role.VIEWER)
    vendor_page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert '<span class="badge job-failed">Failed</span>' in vendor_page
    db.expire_all()
    assert db.get(Report, report.id).job_status == JobStatus.RUNNING  # read, not written

    # The scheduler's housekeeping records it, so re-runs and exports agree.
    scheduler.run_sweep(app)
    db.expire_all()
    recorded = db.get(Report, report.id)
    assert recorded.job_status == JobStatus.FAILED and "stopped responding" in recorded.job_error


def test_a_job_that_beats_its_heartbeat_stays_running(client, db):
    report = make_report(db, job_status=JobStatus.RUNNING)
    report.started_at = utcnow() - timedelta(hours=1)
    report.heartbeat_at = utcnow()
    token = make_api_token(db, make_user(db, role=Role.VIEWER))
    db.commit()
    api = client.get(f"/api/v1/reports/{report.id}", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert api["status"] == "running" and api["error"] is None


# ---------------------------------------------------------------- database outage

@pytest.fixture
def database_down(app_config):
    """The same app, settings and secret key, on a database nobody answers."""
    down = create_app({**app_config, "DATABASE_URL": UNREACHABLE_DATABASE})
    yield down


def test_with_the_database_down_a_signed_in_user_gets_a_plain_503(client, db, auth, database_down):
    user = auth.login_as(Role.SECURITY)
    token = make_api_token(db, user)
    db.commit()
    session_cookie = client.get_cookie("session")
    outage = database_down.test_client()
    outage.set_cookie("session", session_cookie.value, domain=session_cookie.domain)

    page = outage.get("/vendors/")
    assert page.status_code == 503
    assert "temporarily unavailable" in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == "60"
    api = outage.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "service_unavailable"


@pytest.mark.parametrize("command", [["create-user", "ops@example.com"], ["reports", "recover"]], ids=lambda c: c[0])
def test_with_the_database_down_a_command_exits_with_one_line(database_down, command):
    result = database_down.test_cli_runner().invoke(args=command)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot be reached" in lines[0] and "Connection refused" in lines[0], result.output


# ---------------------------------------------------------------- caching

def test_everything_signed_in_is_no_store_and_static_files_are_not(app, client, db, auth):
    vendor = make_vendor(db)
    report = make_report(db, vendor)
    with REPORT_PDF.open("rb") as stream:
        stored = UploadStore(app.config["UPLOAD_DIR"]).save_pdf(stream, max_bytes=10**8)
    report.document.sha256 = stored.sha256
    report.progress_pages = 17
    token = make_api_token(db, make_user(db, role=Role.VIEWER))
    db.commit()
    auth.login_as(Role.VIEWER)

    responses = {
        "page": client.get(f"/vendors/{vendor.id}"),
        "file": client.get(f"/documents/{report.document_id}/file"),
        "page image": client.get(f"/reports/{report.id}/pages/1.png"),
        "export": client.get("/vendors/export.csv"),
        "export job file": download_export(client, "/exports/vendors.csv"),
        "api": client.get(f"/api/v1/vendors/{vendor.id}", headers={"Authorization": f"Bearer {token}"}),
    }
    for what, response in responses.items():
        assert response.status_code == 200, what
        assert response.headers["Cache-Control"] == "no-store", what
        assert "Expires" not in response.headers, what
    assert "no-store" not in client.get("/static/app.css").headers.get("Cache-Control", "")


# ---------------------------------------------------------------- body size

class Unreadable(io.RawIOBase):
    """A request body of `length` bytes that notes any attempt to read it."""

    def __init__(self, length: int) -> None:
        super().__init__()
        self.length, self.position, self.read_attempted = length, 0, False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures the body by seeking
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = self.length + offset if whence == io.SEEK_END else offset
        return self.position

    def readinto(self, buffer) -> int:
        self.read_attempted = True
        raise AssertionError("the request body was read")


def _post_unread(client, url: str, length: int):
    body = Unreadable(length)
    response = client.post(url, input_stream=body, content_type="multipart/form-data; boundary=x")
    assert not body.read_attempted, url
    return response


@pytest.fixture
def csrf_on(app_config):
    # CSRFProtect reads the form; with it on, the order of the checks matters.
    app_config["WTF_CSRF_ENABLED"] = True


def test_an_oversized_or_anonymous_body_is_refused_before_it_is_read(csrf_on, app, client, db, auth):
    vendor = make_vendor(db)
    db.commit()
    upload = f"/vendors/{vendor.id}/documents"
    huge = 150 * 1024 * 1024

    anonymous = _post_unread(client, upload, huge)
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    sign_in = _post_unread(client, "/login", 1024 * 1024)
    assert sign_in.status_code == 413

    user = make_user(db, role=Role.SECURITY)
    db.commit()
    csrf_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    client.post("/login", data={"csrf_token": csrf_token.group(1), "email": user.email, "password": DEFAULT_PASSWORD})
    signed_in = _post_unread(client, upload, huge)
    assert signed_in.status_code == 413
    assert "larger than the 100 MB limit" in signed_in.get_data(as_text=True)


# ---------------------------------------------------------------- malformed input

MALFORMED = {
    "nul": "a\x00b",
    "huge": "99999999999999999999",
    "negative": "-1",
    "text": "abc",
    "past_id": str(2**31),
}


def _get_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            yield rule


@pytest.mark.slow
def test_every_get_route_answers_malformed_parameters_without_a_5xx(app, client, db):
    arguments = seed_world(db)
    admin = make_user(db, role=Role.ADMIN)
    token = make_api_token(db, admin)
    db.commit()
    assert client.post("/login", data={"email": admin.email, "password": "correct horse battery"}).status_code == 302
    parameters = ("q", "page", "per_page", "owner", "vendor", "report", "item", "actor", "since", "tier", "status",
                  "state", "sort", "tab", "kind", "format", "due_before", "vendor_id", "show", "review_due")
    failures = []
    checked = 0
    for rule in _get_routes(app):
        base = build_url(app, rule, arguments)
        headers = {"Authorization": f"Bearer {token}"} if base.startswith("/api/") else {}
        for name, value in MALFORMED.items():
            query = {parameter: value for parameter in parameters}
            response = client.get(base, query_string=query, headers=headers)
            checked += 1
            if response.status_code >= 500:
                failures.append(f"{base} with {name}: {response.status_code}")
            if name == "nul":
                assert response.status_code == 400, base
                body = response.get_data(as_text=True)
                assert "NUL" in body, base
        # Every id in the path too, one past what any row can have.
        for argument in rule.arguments:
            if isinstance(arguments.get(argument), int):
                response = client.get(build_url(app, rule, {**arguments, argument: 2**31}), headers=headers)
                checked += 1
                if response.status_code >= 500:
                    failures.append(f"{rule.rule} with {argument}=2**31: {response.status_code}")
    assert failures == []
    assert checked > 200


def test_malformed_values_get_a_400_with_a_message(app, client, db, auth):
    vendor = make_vendor(db, name="Acme")
    token = make_api_token(db, make_user(db, role=Role.ADMIN))
    db.commit()
    auth.login_as(Role.ADMIN)

    search = client.get("/vendors/?q=acme%00")
    assert search.status_code == 400 and "NUL" in search.get_data(as_text=True)
    form = client.post(f"/vendors/{vendor.id}/edit", data={"name": "Acme\x00", "tier": "medium"})
    assert form.status_code == 400 and "NUL" in form.get_data(as_text=True)
    api = client.get("/api/v1/vendors?q=a%00", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 400 and "NUL" in api.get_json()["error"]["message"]

    assert client.get("/vendors/?page=99999999999999999999").status_code == 200
    assert client.get("/vendors/99999999999999999999").status_code == 404
    audit = client.get("/admin/audit?actor=abc")
    assert audit.status_code == 400 and "Not a valid choice" in audit.get_data(as_text=True)

    nested = '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    deep = client.post("/api/v1/vendors", data=nested, content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})
    assert deep.status_code == 400 and "nested too deeply" in deep.get_json()["error"]["message"]


# ---------------------------------------------------------------- templates

def test_every_template_compiles_before_the_first_request(app):
    """A worker compiles all templates as it starts (gunicorn.conf.py, `flask
    serve`): a syntax error in a rarely seen page fails here, not in front of
    the user who opens it, and no first view pays for compiling."""
    from vendorrisk.web.pages import compile_templates

    on_disk = {path.relative_to(app.template_folder).as_posix() for path in Path(app.template_folder).rglob("*.html")}
    assert compile_templates(app) == len(on_disk) > 40
    cached = {template.name for template in app.jinja_env.cache.values()}
    assert on_disk <= cached
