"""Prove that the wheel runs without the checkout: build it, install it into a
fresh virtualenv, then from an empty folder run the README's production
recipe (`flask --app app db upgrade`, `create-user`, `gunicorn app:app`) on
SQLite in a temporary instance folder, sign in, upload a SOC report and GET
every page the installed app routes (200 or a redirect, never an error).

    python tools/check_wheel.py          # CI runs it after `make test`

Standard library only: it runs with any Python 3.11+. pip needs PyPI (the
build backend and the app's dependencies). Everything it writes goes to one
temporary folder, removed at the end (--keep leaves it for a post-mortem).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT_PDF = ROOT / "tests" / "corpus" / "r14-oakhurst.pdf"  # 18 pages, 3 exceptions, CUECs
ADMIN_EMAIL = "wheel-check@example.com"
ADMIN_PASSWORD = "wheel check password 1"
START_SECONDS = 120  # gunicorn booting the app (spaCy is imported lazily, but a busy CI machine is slow)
EXTRACTION_SECONDS = 600  # the extractor's own timeout (INGESTION_TIMEOUT_SECONDS)

# Pages whose URL carries a secret the check cannot know: asked with a wrong
# one, they must answer this status, not an error page.
# A made-up token: the calendar feed and the vendor portal refuse it with their plain pages. No evidence
# document is seeded (it needs a multipart upload through the page), so its file routes (page and API) must answer 404, not 500.
EXPECTED_STATUS = {"reviews.calendar_feed": 404, "portal.show": 404, "evidence.document_file": 404,
                   "api.evidence_document_file": 404}

# Lists the installed app's GET routes and static files, run by the venv's Python.
ROUTES_SCRIPT = """
import json
from pathlib import Path

import app as module

app = module.app
rules = [{"endpoint": r.endpoint, "rule": r.rule, "arguments": sorted(r.arguments)}
         for r in app.url_map.iter_rules() if "GET" in r.methods]
static = [str(p.relative_to(app.static_folder)) for p in Path(app.static_folder).rglob("*") if p.is_file()]
print(json.dumps({"rules": rules, "static": static, "app_file": module.__file__,
                  "template_folder": app.template_folder, "instance_path": app.instance_path}))
"""


class CheckFailed(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vendorrisk-wheel-"))
    gunicorn = None
    try:
        venv = build_and_install(work)
        gunicorn, base = serve(work, venv)
        check_pages(work, venv, base)
        print("wheel check passed")
        return 0
    except CheckFailed as error:
        print(f"wheel check FAILED: {error}", file=sys.stderr)
        if (work / "gunicorn.log").exists():
            print("--- gunicorn log (last 60 lines) ---", file=sys.stderr)
            print("\n".join((work / "gunicorn.log").read_text().splitlines()[-60:]), file=sys.stderr)
        return 1
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
                gunicorn.wait()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(command: list[str], **kwargs) -> str:
    print("+", " ".join("<script>" if "\n" in str(part) else str(part) for part in command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise CheckFailed(f"{command[0]} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def build_and_install(work: Path) -> Path:
    """Build from a copy of the files a clone would have, so that the build
    leaves nothing in the checkout and cannot see ignored files."""
    source = work / "source"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():  # a file deleted but not yet committed is listed too
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    run([*pip, "wheel", "--no-deps", "--wheel-dir", str(work / "dist"), str(source)])
    wheels = list((work / "dist").glob("vendorrisk-*.whl"))
    if len(wheels) != 1:
        raise CheckFailed(f"expected one vendorrisk wheel, found {wheels}")
    run([*pip, "install", str(wheels[0])])
    return venv


def environment(work: Path, venv: Path, **extra: str) -> dict[str, str]:
    """The shell of an operator: no checkout on the path, settings from the environment."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VENDORRISK_", "PYTHON", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "UPLOAD_DIR"))}
    env.update(PATH=f"{venv / 'bin'}:{env.get('PATH', '')}", VENDORRISK_INSTANCE=str(work / "instance"),
               SECRET_KEY="wheel-check-secret")
    env.update(extra)
    return env


def serve(work: Path, venv: Path) -> tuple[subprocess.Popen, str]:
    elsewhere = work / "elsewhere"  # not the checkout, not the source copy
    elsewhere.mkdir()
    env = environment(work, venv)
    bin_ = venv / "bin"

    # Without VENDORRISK_INSTANCE an installed app keeps its instance under the venv's prefix.
    described = json.loads(run([str(bin_ / "python"), "-c", ROUTES_SCRIPT], cwd=elsewhere,
                               env={k: v for k, v in env.items() if k != "VENDORRISK_INSTANCE"}).splitlines()[-1])
    expected = str(venv / "var" / "vendorrisk-instance")
    if described["instance_path"] != expected:
        raise CheckFailed(f"default instance folder is {described['instance_path']}, expected {expected}")
    for name in ("app_file", "template_folder"):
        if str(ROOT) in described[name] or str(work / "source") in described[name]:
            raise CheckFailed(f"{name} {described[name]} is not in the installed package")

    run([str(bin_ / "flask"), "--app", "app", "db", "upgrade"], cwd=elsewhere, env=env)
    run([str(bin_ / "flask"), "--app", "app", "create-user", ADMIN_EMAIL, "--role", "admin",
         "--password", ADMIN_PASSWORD], cwd=elsewhere, env=env)
    if not (work / "instance" / "vendorrisk.sqlite3").is_file():
        raise CheckFailed("the SQLite file is not in VENDORRISK_INSTANCE")

    port = free_port()
    print(f"+ gunicorn --workers 2 --bind 127.0.0.1:{port} app:app", flush=True)
    with open(work / "gunicorn.log", "w") as log:
        process = subprocess.Popen([str(bin_ / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:app"],
                                   cwd=elsewhere, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            raise CheckFailed(f"gunicorn exited {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=10) as response:
                if response.status == 200:
                    return process, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            process.terminate()
            raise CheckFailed(f"gunicorn did not answer on {base}/login within {START_SECONDS} s")
        time.sleep(0.5)  # the server is not up yet; nothing else to wait on


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Cookies, CSRF tokens and no automatic redirects, so that every status is seen."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  self._NoRedirect())

    def request(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            response = self.opener.open(request, timeout=120)
        except urllib.error.HTTPError as error:  # 3xx (redirects not followed), 4xx, 5xx
            return error.code, error.headers, error.read()
        with response:
            return response.status, response.headers, response.read()

    def csrf_token(self, path: str) -> str:
        status, _headers, body = self.request(path)
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
        if status != 200 or not match:
            raise CheckFailed(f"no CSRF token on {path} ({status})")
        return match.group(1).decode()

    def post_form(self, path: str, fields: dict[str, str], token_from: str) -> tuple[int, str]:
        data = urllib.parse.urlencode({"csrf_token": self.csrf_token(token_from), **fields}).encode()
        status, headers, body = self.request(path, data=data)
        return status, headers.get("Location", "")


def api(base: str, token: str, method: str, path: str, body: bytes | None = None, content_type: str | None = None):
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(f"{base}/api/v1{path}", data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raise CheckFailed(f"{method} /api/v1{path}: {error.code} {error.read()[:500]!r}") from None


def multipart(field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def seed(work: Path, venv: Path, base: str, browser: Browser) -> tuple[str, dict[str, object]]:
    """One of everything a page's URL can name, made through the app's own
    command line, API and forms; returns an API token and the URL arguments."""
    output = run([str(venv / "bin" / "flask"), "--app", "app", "create-token", ADMIN_EMAIL, "--name", "wheel check"],
                 cwd=work / "elsewhere", env=environment(work, venv))
    token = output.strip().splitlines()[-1]
    _status, vendor = api(base, token, "POST", "/vendors", json.dumps({"name": "Oakhurst Benefits", "tier": "high"})
                          .encode(), "application/json")
    body, content_type = multipart("file", REPORT_PDF.name, REPORT_PDF.read_bytes())
    _status, upload = api(base, token, "POST", f"/vendors/{vendor['id']}/reports", body, content_type)
    deadline = time.monotonic() + EXTRACTION_SECONDS
    while True:
        _status, report = api(base, token, "GET", f"/reports/{upload['id']}")
        if report["status"] in ("done", "failed"):
            break
        if time.monotonic() > deadline:
            raise CheckFailed(f"the extraction did not finish within {EXTRACTION_SECONDS} s: {report}")
        time.sleep(1)  # the API offers no way to wait; the UI polls the same way
    if report["status"] != "done" or not report["extraction"]["exceptions"]:
        raise CheckFailed(f"the installed extractor did not read the report: {report.get('error')}")
    status, location = browser.post_form("/fourth-parties/", {"name": "Wheel Cloud, Inc."}, "/fourth-parties/")
    if status != 302 or not re.search(r"/fourth-parties/\d+$", location):
        raise CheckFailed(f"creating a fourth party answered {status} {location}")

    # An export is a background job: ask for one as the Exports page does and wait for its file.
    status, job_page = browser.post_form("/exports/exceptions.xlsx", {}, "/exports/")
    if status != 302 or not re.search(r"/exports/jobs/\d+$", job_page):
        raise CheckFailed(f"asking for an export answered {status} {job_page}")
    deadline = time.monotonic() + EXTRACTION_SECONDS
    while b"Download" not in browser.request(urllib.parse.urlsplit(job_page).path)[2]:
        if time.monotonic() > deadline:
            raise CheckFailed(f"the export at {job_page} was not ready within {EXTRACTION_SECONDS} s")
        time.sleep(0.5)

    database = sqlite3.connect(work / "instance" / "vendorrisk.sqlite3")
    try:
        def one(query: str, *parameters) -> int:
            row = database.execute(query, parameters).fetchone()
            if row is None or row[0] is None:
                raise CheckFailed(f"nothing for {query}")
            return row[0]

        arguments = {
            "vendor_id": vendor["id"],
            "report_id": upload["id"],
            "document_id": one("SELECT document_id FROM report WHERE id = ?", upload["id"]),
            "item_id": one("SELECT min(id) FROM report_item WHERE report_id = ?", upload["id"]),
            "page_number": 1,
            "organization_id": one("SELECT min(id) FROM subservice_organization"),
            "user_id": one("SELECT id FROM user_account WHERE email = ?", ADMIN_EMAIL),
            "token": "0" * 64,
            "exception_id": one("SELECT min(id) FROM report_item WHERE report_id = ? AND kind = 'exception'", upload["id"]),
            "cuec_id": one("SELECT min(id) FROM report_item WHERE report_id = ? AND kind = 'cuec'", upload["id"]),
            "export_id": int(job_page.rsplit("/", 1)[1]),
            "register": "exceptions",
            "fmt": "xlsx",
        }
    finally:
        database.close()
    return token, arguments


def check_pages(work: Path, venv: Path, base: str) -> None:
    browser = Browser(base)
    status, location = browser.post_form("/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, "/login")
    if status != 302 or "/login" in location:
        raise CheckFailed(f"signing in answered {status} {location}")
    token, arguments = seed(work, venv, base, browser)
    described = json.loads(run([str(venv / "bin" / "python"), "-c", ROUTES_SCRIPT], cwd=work / "elsewhere",
                               env=environment(work, venv)).splitlines()[-1])

    failures, visited = [], 0
    for rule in described["rules"]:
        endpoint = rule["endpoint"]
        if endpoint == "static":
            paths = [f"/static/{name}" for name in described["static"]]
        else:
            missing = [name for name in rule["arguments"] if name not in arguments]
            if missing:
                failures.append(f"{rule['rule']}: no value for {missing}; add one in seed() of {__file__}")
                continue
            path = rule["rule"]
            for name in rule["arguments"]:
                path = re.sub(rf"<[^>]*\b{name}>", str(arguments[name]), path)
            paths = [path]
        for path in paths:
            headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
            status, response_headers, _body = browser.request(path, headers=headers)
            visited += 1
            expected = EXPECTED_STATUS.get(endpoint)
            good = status == expected if expected else status in (200, 302)
            if status == 302 and "/login" in response_headers.get("Location", ""):
                good = False  # the session was lost: the page was never really seen
            print(f"  {status} {path}", flush=True)
            if not good:
                failures.append(f"GET {path} ({endpoint}): {status}")
    if failures:
        raise CheckFailed("\n".join(failures))
    print(f"{visited} pages answered as expected")


if __name__ == "__main__":
    sys.exit(main())
