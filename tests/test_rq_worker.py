"""With REDIS_URL set, uploads go to an RQ queue and real `rq worker`
processes read them, against the same database and upload folder."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from models import JobStatus, Report, ReportItem, Role
from tests.factories import make_vendor

pytestmark = pytest.mark.slow
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REPORT_PDF = Path(__file__).parent / "corpus" / "r05-tessellate.pdf"
RQ = Path(sys.executable).with_name("rq")


def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as error:
        pytest.skip(f"no Redis server at {REDIS_URL} ({error}); start one to run the RQ tests")
    return connection


@pytest.fixture
def queue_name(app_config, tmp_path):
    """A queue of this test's own, and the app configured to use it (request it before `app`)."""
    connection = _redis_or_skip()
    name = f"vendorrisk-test-{uuid.uuid4().hex[:10]}"
    app_config.update(REDIS_URL=REDIS_URL, RQ_QUEUE=name, INGESTION_STALE_SECONDS=3)
    yield name
    from rq import Queue

    Queue(name, connection=connection).delete(delete_jobs=True)


def start_worker(app, queue_name: str, tmp_path: Path, *, burst: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "UPLOAD_DIR": app.config["UPLOAD_DIR"],
        "SECRET_KEY": "rq-test-secret",
        "REDIS_URL": REDIS_URL,
    }
    log = (tmp_path / "worker.log").open("wb")
    command = [str(RQ), "worker", queue_name, "--url", REDIS_URL, *(["--burst"] if burst else [])]
    # Its own session, so the test can stop the worker and its job process together.
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def kill_tree(pid: int) -> None:
    """SIGKILL a process and every descendant (RQ runs each job in a work horse
    of its own session, and the extractor forks again), as a crash would."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    doomed, pending = [], [pid]
    while pending:
        current = pending.pop()
        doomed.append(current)
        pending.extend(children.get(current, []))
    for victim in doomed:
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            pass


def upload(client, vendor):
    return client.post(f"/vendors/{vendor.id}/documents",
                       data={"files": [(io.BytesIO(REPORT_PDF.read_bytes()), REPORT_PDF.name)], "kind": "soc_report"},
                       content_type="multipart/form-data")


def test_a_real_rq_worker_reads_an_uploaded_report(queue_name, app, client, db, auth, tmp_path):
    auth.login_as(Role.SECURITY)
    vendor = make_vendor(db)
    db.commit()
    upload(client, vendor)
    report = db.scalar(select(Report))
    assert report.job_status == JobStatus.QUEUED  # nothing runs it in the web process

    worker = start_worker(app, queue_name, tmp_path, burst=True)
    try:
        assert worker.wait(timeout=300) == 0, (tmp_path / "worker.log").read_text()
    finally:
        if worker.poll() is None:
            kill_tree(worker.pid)
            worker.wait()
    db.expire_all()
    report = db.get(Report, report.id)
    assert report.job_status == JobStatus.DONE, (tmp_path / "worker.log").read_text()
    assert report.extraction_status == "ok" and report.progress_page == report.progress_pages == 17
    assert report.job_id and report.job_id.startswith(f"report-{report.id}-")
    assert db.scalars(select(ReportItem).where(ReportItem.report_id == report.id)).first() is not None


def test_a_killed_worker_leaves_a_failed_report_not_a_running_one(queue_name, app, client, db, auth, tmp_path):
    auth.login_as(Role.SECURITY)
    vendor = make_vendor(db)
    db.commit()
    upload(client, vendor)
    report_id = db.scalar(select(Report.id))

    worker = start_worker(app, queue_name, tmp_path, burst=False)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            db.expire_all()
            if db.get(Report, report_id).job_status == JobStatus.RUNNING:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the worker never started the job:\n" + (tmp_path / "worker.log").read_text())
    finally:
        kill_tree(worker.pid)  # the worker and its job processes, mid-extraction
        worker.wait()

    time.sleep(3.5)  # past INGESTION_STALE_SECONDS without a heartbeat
    status = client.get(f"/reports/{report_id}/status").get_json()
    assert status["status"] == "failed" and "Re-run" in status["error"]
    page = client.get(f"/reports/{report_id}").get_data(as_text=True)
    assert "Extraction failed." in page and "Re-run extraction" in page
