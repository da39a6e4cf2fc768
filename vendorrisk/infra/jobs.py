"""Background extraction of SOC reports, and background exports.

Embedded (the default): a thread pool inside the app process. With REDIS_URL
set: an RQ queue served by `rq worker` processes. Either way the job function
owns its app context, streams progress to the Report row, beats a heartbeat
while it works, and always ends in done or failed with a reason. A report
whose heartbeat stops (a killed worker) is turned to failed by fail_stale.
"""
from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import threading
import time
import uuid
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import select

from models import ExportJob, JobStatus, Report
from models.base import utcnow
from vendorrisk.infra import documents
from vendorrisk.infra.db import begin_read_only, get_session, session_factory
from vendorrisk.services import export_jobs, reports
from vendorrisk.infra.storage import export_files, get_store

log = logging.getLogger(__name__)

# Seconds between a job's signs of life, and how long without one before a
# running report counts as dead. Settable in tests via app.config.
HEARTBEAT_SECONDS = 10.0
STALE_SECONDS = 120.0
PROGRESS_COMMIT_SECONDS = 0.5  # write progress at most twice a second
DEFAULT_TIMEOUT_SECONDS = 600.0  # one extraction; the extractor kills its parser past this
DEFAULT_QUEUE = "vendorrisk"


def _setting(app: Flask, name: str, default):
    return app.config.get(name, default)


def stale_after(app: Flask | None = None) -> timedelta:
    return timedelta(seconds=_setting(app or current_app, "INGESTION_STALE_SECONDS", STALE_SECONDS))


# ---------------------------------------------------------------- enqueueing

class _Pool:
    """The embedded executor, created on first use."""

    def __init__(self, threads: int) -> None:
        self.executor = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="ingestion")
        self.futures: set[Future] = set()
        self.lock = threading.Lock()

    def submit(self, fn, *args) -> Future:
        with self.lock:
            future = self.executor.submit(fn, *args)
            self.futures.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future) -> None:
        with self.lock:
            self.futures.discard(future)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for every submitted job; True if all finished in time."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self.lock:
                pending = list(self.futures)
            if not pending:
                return True
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            pending[0].exception(timeout=remaining)


_pool_lock = threading.Lock()


def _pool(app: Flask) -> _Pool:
    with _pool_lock:
        pool = app.extensions.get("vendorrisk.ingestion_pool")
        if pool is None:
            pool = app.extensions["vendorrisk.ingestion_pool"] = _Pool(app.config["INGESTION_THREADS"])
        return pool


def rq_queue(app: Flask):
    from redis import Redis
    from rq import Queue

    return Queue(_setting(app, "RQ_QUEUE", DEFAULT_QUEUE), connection=Redis.from_url(app.config["REDIS_URL"]))


def enqueue(report_id: int, app: Flask | None = None) -> str | None:
    """Run the report's extraction in the background. Call after committing
    the queued state, so the job finds it. Returns the RQ job id, if any."""
    app = app or current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        timeout = _setting(app, "INGESTION_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
        job = rq_queue(app).enqueue(
            "vendorrisk.jobs.run_extraction_job", report_id,
            job_id=f"report-{report_id}-{uuid.uuid4().hex[:12]}",
            job_timeout=int(timeout) + 120,  # the extractor stops itself first; this is the backstop
            result_ttl=3600, failure_ttl=7 * 24 * 3600,
        )
        return job.id
    _pool(app).submit(run_extraction, app, report_id)
    return None


EXPORT_TIMEOUT_SECONDS = 900  # RQ's backstop for one export; the largest takes seconds


def enqueue_export(export_id: int, app: Flask | None = None) -> None:
    """Make the export's file in the background, on the extraction's queue.
    Call after committing the queued export, so the job finds it."""
    app = app or current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        rq_queue(app).enqueue("vendorrisk.jobs.run_export_job", export_id,
                              job_id=f"export-{export_id}-{uuid.uuid4().hex[:12]}",
                              job_timeout=EXPORT_TIMEOUT_SECONDS, result_ttl=3600, failure_ttl=24 * 3600)
        return
    _pool(app).submit(_run_export_in_child, app, export_id)


# An export is seconds of pure Python. In a thread of the web process it would
# hold the GIL against every page that process serves: with three users
# exporting the CUEC register, the vendor page's p95 was 2.2 s in a thread and
# 0.25 s with the export in a child (bench/README.md, session 6). So the embedded pool hands exports to a child process,
# spawned on first use and kept, which runs at a lower CPU priority: pages first.
EXPORT_NICENESS = 5


def _run_export_in_child(app: Flask, export_id: int) -> None:
    for _attempt in range(2):
        process = _export_process(app)
        try:
            process.submit(_export_in_this_process, export_id).result()
            return
        except BrokenProcessPool:  # the child died (killed, out of memory): the next export starts another
            _forget_export_process(app, process)
            if not _export_queued(app, export_id):  # it died during this export
                log.error("The export process stopped during export %s", export_id)
                break
    _fail_export(app, export_id)


def start_export_process(app: Flask) -> None:
    """Start the embedded export process now, in the background, rather than
    at the first export, whose user would wait the second or more it takes a
    new interpreter to import the app. For server processes (gunicorn's
    workers, `flask serve`); with RQ the workers export."""
    if not app.config.get("REDIS_URL"):
        _export_process(app).submit(_ready)


def _ready() -> None:
    """A no-op the export process runs once it has started."""


def _export_queued(app: Flask, export_id: int) -> bool:
    session = session_factory(app)()
    try:
        return session.scalar(select(ExportJob.status).where(ExportJob.id == export_id)) == JobStatus.QUEUED
    finally:
        session.close()


def _forget_export_process(app: Flask, process: ProcessPoolExecutor) -> None:
    with _pool_lock:
        if app.extensions.get("vendorrisk.export_process") is process:
            del app.extensions["vendorrisk.export_process"]


def _export_process(app: Flask) -> ProcessPoolExecutor:
    with _pool_lock:
        process = app.extensions.get("vendorrisk.export_process")
        if process is None:
            # The child builds the same app from the parent's settings (those
            # that pickle: a test's overrides included). Spawned, not forked:
            # forking a process that runs threads can copy a lock held mid-use.
            settings = {name: value for name, value in app.config.items() if _picklable(value)}
            process = app.extensions["vendorrisk.export_process"] = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_export_process, initargs=(settings,))
        return process


def _picklable(value) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


_export_app: Flask | None = None


def _start_export_process(settings: dict) -> None:
    from vendorrisk import create_app

    global _export_app
    os.nice(EXPORT_NICENESS)
    threading.Thread(target=_exit_with_parent, name="exit-with-parent", daemon=True).start()
    _export_app = create_app(settings)


def _exit_with_parent() -> None:
    """End the export process when the server process that started it ends.
    A server stopped by a signal (gunicorn's workers at shutdown, `flask
    serve` on SIGTERM) runs no clean-up, and its export process lived on,
    orphaned, one more after every restart."""
    multiprocessing.connection.wait([multiprocessing.parent_process().sentinel])
    os._exit(0)


def _export_in_this_process(export_id: int) -> None:
    run_export(_export_app, export_id)


def wait_for_jobs(app: Flask, timeout: float | None = None) -> bool:
    """Wait for the embedded pool's jobs (tests, shutdown)."""
    pool = app.extensions.get("vendorrisk.ingestion_pool")
    return True if pool is None else pool.wait(timeout)


def stop(app: Flask, timeout: float | None = None) -> bool:
    """Wait for the embedded jobs, then end the export process (tests, shutdown)."""
    finished = wait_for_jobs(app, timeout)
    process = app.extensions.pop("vendorrisk.export_process", None)
    if process is not None:
        process.shutdown(wait=finished)
    return finished


def start(app: Flask) -> None:
    """At server start: settle what a previous process left behind.

    Embedded, nothing else can be running a job, so running reports were
    interrupted, and queued ones are enqueued again; unfinished exports are
    failed (asking again is quicker than a queue of stale files). With RQ,
    workers may still hold jobs: only reports whose heartbeat stopped are
    failed, and queued reports whose RQ job is gone are enqueued again.
    """
    session = session_factory(app)()
    try:
        if app.config.get("REDIS_URL"):
            reports.fail_stale(session, stale_after=stale_after(app))
        else:
            reports.fail_interrupted(session)
            export_jobs.fail_stale(session, older_than=timedelta(0))
        session.commit()
        queued = reports.queued_report_ids(session)
        if app.config.get("REDIS_URL"):
            queued = [report_id for report_id in queued if not _rq_job_pending(app, session.get(Report, report_id))]
    finally:
        session.close()
    for report_id in queued:
        enqueue(report_id, app)
    if queued:
        log.info("Re-enqueued %d queued report(s)", len(queued))


def _rq_job_pending(app: Flask, report: Report | None) -> bool:
    from rq.job import Job, JobStatus as RQStatus
    from rq.exceptions import NoSuchJobError

    if report is None or not report.job_id:
        return False
    queue = rq_queue(app)
    try:
        job = Job.fetch(report.job_id, connection=queue.connection)
    except NoSuchJobError:
        return False
    return job.get_status() in (RQStatus.QUEUED, RQStatus.STARTED, RQStatus.DEFERRED, RQStatus.SCHEDULED)


# ---------------------------------------------------------------- the job

def run_extraction_job(report_id: int) -> None:
    """The RQ entry point: build the app from the environment (DATABASE_URL,
    UPLOAD_DIR, … as the web server has them) and run the job."""
    from vendorrisk import create_app

    app = create_app()
    try:
        run_extraction(app, report_id)
    finally:
        session_factory(app).kw["bind"].dispose()


def run_export_job(export_id: int) -> None:
    """The RQ entry point of an export (see run_extraction_job)."""
    from vendorrisk import create_app

    app = create_app()
    try:
        run_export(app, export_id)
    finally:
        session_factory(app).kw["bind"].dispose()


def run_export(app: Flask, export_id: int) -> None:
    """Write one queued export's file. Never leaves the export running: any
    failure ends in the failed state with a plain reason."""
    files = export_files(app)
    # The packet's template builds URLs, which needs a request; BASE_URL (when
    # set) makes them the ones users see.
    with app.test_request_context(base_url=app.config.get("BASE_URL") or None):
        session = get_session()
        finished = False
        part = None
        try:
            if not export_jobs.claim(session, export_id):
                session.commit()
                finished = True  # done already, or taken by another worker
                return
            session.commit()
            begin_read_only(session)
            job = session.get(ExportJob, export_id)
            part = files.temporary_path_for(job.id, job.fmt)
            with part.open("wb") as out:
                rows = documents.write_export(job, out, lambda done: _record_rows(app, export_id, done))
            size = part.stat().st_size
            part.replace(files.path_for(job.id, job.fmt))
            session.rollback()  # end the read (and its server-side cursor) before writing the state
            export_jobs.finish(session, export_id, rows_done=rows, size_bytes=size)
            session.commit()
            finished = True
        except Exception:
            log.exception("Export %s failed", export_id)
            session.rollback()
        finally:
            if not finished:
                if part is not None:
                    part.unlink(missing_ok=True)
                _fail_export(app, export_id)


def _record_rows(app: Flask, export_id: int, rows_done: int) -> None:
    """Progress from a session of its own: the export's session is in the
    middle of reading its rows (a server-side cursor that a commit would close)."""
    session = session_factory(app)()
    try:
        export_jobs.record_rows(session, export_id, rows_done)
        session.commit()
    except Exception:  # progress is only shown; the export goes on
        log.warning("Progress of export %s not recorded", export_id, exc_info=True)
    finally:
        session.close()


def _fail_export(app: Flask, export_id: int) -> None:
    session = session_factory(app)()
    try:
        export_jobs.fail(session, export_id, EXPORT_FAILED)
        session.commit()
    except Exception:
        log.exception("Could not mark export %s failed", export_id)
    finally:
        session.close()


EXPORT_FAILED = "The export could not be made. Ask for it again; tell an admin if it keeps failing."


class _Heartbeat(threading.Thread):
    """Marks the report alive every few seconds from a session of its own,
    even while one long page keeps the progress from moving."""

    def __init__(self, app: Flask, report_id: int) -> None:
        super().__init__(name=f"heartbeat-{report_id}", daemon=True)
        self.app, self.report_id = app, report_id
        self.interval = _setting(app, "INGESTION_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)
        self.stopped = threading.Event()

    def run(self) -> None:
        from sqlalchemy import update

        from models import JobStatus

        while not self.stopped.wait(self.interval):
            session = session_factory(self.app)()
            try:
                session.execute(update(Report).where(Report.id == self.report_id, Report.job_status == JobStatus.RUNNING)
                                .values(heartbeat_at=utcnow()))
                session.commit()
            except Exception:  # a missed beat is harmless; the next one retries
                log.warning("Heartbeat of report %s failed", self.report_id, exc_info=True)
            finally:
                session.close()

    def stop(self) -> None:
        self.stopped.set()


def run_extraction(app: Flask, report_id: int) -> None:
    """Extract one queued report and store what was found. Never leaves the
    report running: any failure ends in the failed state with a reason."""
    reason = "The extraction stopped unexpectedly. Re-run it; tell an admin if it keeps failing."
    finished = False
    heartbeat: _Heartbeat | None = None
    with app.app_context():
        session = session_factory(app)()
        try:
            job_id = _current_rq_job_id()
            if not reports.claim(session, report_id, job_id=job_id):
                session.commit()
                finished = True  # not ours to run: done already, or taken by another worker
                return
            session.commit()
            heartbeat = _Heartbeat(app, report_id)
            heartbeat.start()
            report = session.get(Report, report_id)
            path = get_store(app).path_for(report.document.sha256)
            if not path.is_file():
                reason = "The uploaded file is missing from the upload folder. Upload it again."
                raise FileNotFoundError(path)
            try:
                from nlp.extract import ExtractionLimits, extract_report
            except ImportError:
                reason = "The report extractor is not installed on this server. Ask an admin."
                raise
            # End the read transaction before the long extraction: on SQLite an
            # open transaction holds the database's write lock (see vendorrisk.infra.db).
            session.commit()

            last_commit = 0.0

            def progress(pages_done: int, pages_total: int) -> None:
                nonlocal last_commit
                now = time.monotonic()
                if now - last_commit < PROGRESS_COMMIT_SECONDS and pages_done < pages_total:
                    return
                last_commit = now
                reports.record_progress(report, pages_done, pages_total)
                session.commit()

            limits = ExtractionLimits(
                max_bytes=app.config["MAX_CONTENT_LENGTH"],
                timeout_seconds=_setting(app, "INGESTION_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS),
                memory_bytes=app.config["PDF_MEMORY_MB"] * 1024 * 1024,
                cpu_seconds=app.config["EXTRACTION_CPU_SECONDS"],
            )
            result = extract_report(path, filename=report.document.filename, progress=progress, limits=limits)
            reason = "The extraction finished but its results could not be saved. Re-run it."
            reports.store_result(session, report, result.to_dict(include_geometry=True))
            session.commit()
            finished = True
        except Exception:
            log.exception("Extraction of report %s failed", report_id)
            session.rollback()
        finally:
            if heartbeat is not None:
                heartbeat.stop()
            if not finished:
                _fail(app, session, report_id, reason)
            session.close()


def _fail(app: Flask, session, report_id: int, reason: str) -> None:
    try:
        session.rollback()
        reports.fail(session, report_id, reason)
        session.commit()
    except Exception:
        log.exception("Could not mark report %s failed; trying a fresh session", report_id)
        fresh = session_factory(app)()
        try:
            reports.fail(fresh, report_id, reason)
            fresh.commit()
        finally:
            fresh.close()


def _current_rq_job_id() -> str | None:
    try:
        from rq import get_current_job
    except ImportError:
        return None
    job = get_current_job()
    return job.id if job is not None else None
