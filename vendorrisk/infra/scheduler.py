"""APScheduler setup for the daily review sweep, and for sending queued
e-mail every few minutes (a new upload or an assignment is mailed soon, not
with the next day's sweep). It runs in exactly ONE process.

Who starts it: `flask --app app serve` (the embedded server, in the same
process as the web app) or `flask --app app scheduler` (a dedicated
foreground process for production). Never at import, never in create_app,
never in gunicorn workers: each worker would run its own copy of the sweep.

The job store is APScheduler's SQLAlchemyJobStore on the app's database, so
the next run time survives restarts; with coalesce=True and no misfire
limit, runs missed while the process was down are caught up once on start.
On the very first start, or when SWEEP_TIME changed, a one-off catch-up run
is added if today's sweep time has passed without a sweep. The sweep is
idempotent by data (services.sweep), and a SweepRun row per day plus a
lock keep the process from sweeping the same day twice.
"""
from __future__ import annotations

import logging
import re
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask
from sqlalchemy import select

from models import SweepRun
from vendorrisk.infra import clock, jobs, pdfpages
from vendorrisk.infra.db import get_session
from vendorrisk.infra.mailer import mail_enabled, send_pending, send_to_vendors
from vendorrisk.infra.storage import export_files, import_previews
from vendorrisk.services import evidence, export_jobs, reports
from vendorrisk.services.sweep import SweepResult, run_daily_sweep

log = logging.getLogger(__name__)

JOB_ID = "daily_review_sweep"
CATCH_UP_JOB_ID = "daily_review_sweep_catch_up"
# The function the job store names; keep this path stable across releases.
JOB_FUNCTION = "vendorrisk.scheduler:daily_sweep_job"
MAIL_JOB_ID = "send_queued_mail"
MAIL_JOB_FUNCTION = "vendorrisk.scheduler:send_mail_job"
MAIL_INTERVAL_MINUTES = 5

_app: Flask | None = None
_scheduler: BackgroundScheduler | None = None
_start_lock = threading.Lock()
_run_lock = threading.Lock()
# One sender at a time: two would both read a message as pending and send it twice.
_mail_lock = threading.Lock()


class SchedulerError(RuntimeError):
    pass


def sweep_time(app: Flask) -> tuple[int, int]:
    """SWEEP_TIME ("06:00") as (hour, minute); a clear error if malformed."""
    value = str(app.config["SWEEP_TIME"]).strip()
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value)
    if not match:
        raise SchedulerError(f"SWEEP_TIME must be HH:MM (24-hour), like 06:00; it is {value!r}.")
    return int(match.group(1)), int(match.group(2))


def zone(app: Flask) -> ZoneInfo:
    try:
        return clock.zone(app)
    except clock.ClockError as error:
        raise SchedulerError(str(error)) from error


def run_sweep(app: Flask, today: date | None = None, *, skip_if_done: bool = False) -> SweepResult | None:
    """One sweep in its own app context: commit, then send the queued e-mail.
    With skip_if_done, a day that already has a finished sweep is left alone."""
    with _run_lock, app.app_context():
        session = get_session()
        today = today or clock.today(app)
        if skip_if_done and session.scalar(
            select(SweepRun.id).where(SweepRun.day == today, SweepRun.finished_at.is_not(None)).limit(1)
        ):
            log.info("Review sweep for %s already ran; skipping.", today)
            return None
        try:
            result = run_daily_sweep(session, today, email=mail_enabled(app),
                                     renewal_window_days=int(app.config["RENEWAL_NOTICE_WINDOW_DAYS"]),
                                     evidence_link_days=app.config["EVIDENCE_LINK_DAYS"])
            session.commit()
        except Exception as error:
            session.rollback()
            log.exception("Review sweep for %s failed; nothing was sent and it will run again.", today)
            # Say so where admins look (the dashboard), in a transaction of its own.
            session.add(SweepRun(day=today, error=f"{type(error).__name__}: {error}"[:2000]))
            session.commit()
            raise
        for request_id, state in send_to_vendors(app, result.vendor_mail).items():
            evidence.record_email_state(session, request_id, state)
        session.commit()
    with _mail_lock:
        sent, failed = send_pending(app)
    _housekeeping(app)
    log.info("Review sweep for %s: %d reviews created, %d reminders, %d escalations, %d e-mails sent, %d failed.",
             today, result.reviews_created, result.reminders_sent, result.escalations_sent, sent, failed)
    return result


def _housekeeping(app: Flask) -> None:
    """Daily clean-up beside the sweep: record reports and exports whose job
    stopped responding as failed (pages already show such reports so), delete
    exports older than a day with their files, CSV import previews nobody
    confirmed and page images nobody looked at for PAGE_CACHE_DAYS. A failure
    here is logged, never raised: the sweep itself has committed."""
    try:
        with app.app_context():
            session = get_session()
            failed = reports.fail_stale(session, stale_after=jobs.stale_after(app))
            failed_exports = export_jobs.fail_stale(session)
            expired_exports = export_jobs.expire(session)
            session.commit()
        expired = import_previews(app).expire()
        export_files(app).expire()
        pages = pdfpages.expire_cache(app)
        log.info("Housekeeping: %d stalled report(s) and %d export(s) marked failed, %d export(s), %d import "
                 "preview(s) and %d cached page image(s) expired.", failed, failed_exports, expired_exports, expired,
                 pages)
    except Exception:
        log.exception("Housekeeping after the review sweep failed; it runs again with the next sweep.")


def daily_sweep_job() -> None:
    """What APScheduler runs (by the name in JOB_FUNCTION)."""
    if _app is None:
        raise SchedulerError("The scheduler job ran without an app; start it with vendorrisk.infra.scheduler.start().")
    run_sweep(_app, skip_if_done=True)


def send_mail_job() -> None:
    """What APScheduler runs every MAIL_INTERVAL_MINUTES (by MAIL_JOB_FUNCTION)."""
    if _app is None:
        raise SchedulerError("The mail job ran without an app; start it with vendorrisk.infra.scheduler.start().")
    with _mail_lock:
        send_pending(_app)


def build_scheduler(app: Flask) -> BackgroundScheduler:
    url = app.config.get("SCHEDULER_JOBSTORE_URL") or app.config["DATABASE_URL"]
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=url, engine_options={"pool_pre_ping": True})},
        job_defaults={
            "coalesce": True,  # several missed runs become one
            "max_instances": 1,
            "misfire_grace_time": None,  # however late: a missed daily run still runs on start
        },
        timezone=zone(app),
    )


def start(app: Flask) -> BackgroundScheduler:
    """Start the scheduler in this process (once; later calls return it)."""
    global _app, _scheduler
    with _start_lock:
        if _scheduler is not None:
            return _scheduler
        if not app.config.get("SCHEDULER_ENABLED"):
            raise SchedulerError("SCHEDULER_ENABLED is off; only `serve` and `scheduler` turn it on.")
        hour, minute = sweep_time(app)
        _app = app
        scheduler = build_scheduler(app)
        scheduler.start(paused=True)  # look at the stored job before anything runs
        trigger = CronTrigger(hour=hour, minute=minute, timezone=zone(app))
        job = scheduler.get_job(JOB_ID)
        changed = job is None or str(job.trigger) != str(trigger)
        if job is None:
            scheduler.add_job(JOB_FUNCTION, trigger, id=JOB_ID, name="Daily review sweep")
        elif changed:
            scheduler.reschedule_job(JOB_ID, trigger=trigger)
        if changed and _missed_today(app, hour, minute):
            scheduler.add_job(JOB_FUNCTION, "date", run_date=datetime.now(zone(app)), id=CATCH_UP_JOB_ID,
                              replace_existing=True, name="Catch-up review sweep")
        if mail_enabled(app):
            scheduler.add_job(MAIL_JOB_FUNCTION, "interval", minutes=MAIL_INTERVAL_MINUTES, id=MAIL_JOB_ID,
                              replace_existing=True, name="Send queued e-mail")
        elif scheduler.get_job(MAIL_JOB_ID):
            scheduler.remove_job(MAIL_JOB_ID)
        scheduler.resume()
        _scheduler = scheduler
        log.info("Scheduler started; daily review sweep at %02d:%02d %s.", hour, minute, app.config["SWEEP_TIMEZONE"])
        return scheduler


def _missed_today(app: Flask, hour: int, minute: int) -> bool:
    now = clock.now(app)
    if (now.hour, now.minute) < (hour, minute):
        return False
    with app.app_context():
        return get_session().scalar(
            select(SweepRun.id).where(SweepRun.day == now.date(), SweepRun.finished_at.is_not(None)).limit(1)
        ) is None


def shutdown(wait: bool = True) -> None:
    global _scheduler, _app
    with _start_lock:
        if _scheduler is not None:
            _scheduler.shutdown(wait=wait)
        _scheduler = None
        _app = None


def next_run(app: Flask) -> datetime | None:
    """When the running scheduler will sweep next (None if not running here)."""
    job = _scheduler.get_job(JOB_ID) if _scheduler is not None else None
    return job.next_run_time if job else None


def wait_forever(stop: threading.Event | None = None) -> None:
    """Block the foreground `scheduler` command until Ctrl+C or SIGTERM."""
    import signal

    stop = stop or threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(timeout=timedelta(hours=1).total_seconds()):
        pass
