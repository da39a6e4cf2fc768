"""The scheduler: never started by the app factory; a persistent job store
in a database; a missed daily run is caught up once when it starts again."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, inspect, select

from models import LifecycleStatus, Notification, Review, SweepRun
from tests.factories import make_vendor
from vendorrisk.infra import scheduler


@pytest.fixture
def scheduled_app(app_config, tmp_path):
    from vendorrisk import create_app

    app_config.update(SCHEDULER_JOBSTORE_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}", SCHEDULER_ENABLED=True,
                      SWEEP_TIME="00:00", SWEEP_TIMEZONE="UTC")
    app = create_app(app_config)
    yield app
    scheduler.shutdown()


def wait_for_sweeps(db, n: int, limit_seconds: float = 60) -> int:
    """Wait for the scheduler's thread to finish `n` sweeps (or give up)."""
    deadline = time.monotonic() + limit_seconds
    while True:
        db.expire_all()
        done = db.scalar(select(func.count()).select_from(SweepRun).where(SweepRun.finished_at.is_not(None)))
        if done >= n or time.monotonic() > deadline:
            return done
        time.sleep(0.2)


def test_the_app_factory_never_starts_a_scheduler(app_config, tmp_path):
    from vendorrisk import create_app

    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    app_config.update(SCHEDULER_JOBSTORE_URL=url)
    create_app(app_config)
    assert scheduler._scheduler is None
    assert "apscheduler_jobs" not in inspect(create_engine(url)).get_table_names()


def test_start_requires_the_scheduler_to_be_enabled(app):
    with pytest.raises(scheduler.SchedulerError):
        scheduler.start(app)


def test_first_start_after_the_sweep_time_sweeps_today_once(scheduled_app, db):
    vendor = make_vendor(db, status=LifecycleStatus.ACTIVE)
    db.commit()
    running = scheduler.start(scheduled_app)
    assert scheduler.start(scheduled_app) is running  # a second start in the process is a no-op
    assert wait_for_sweeps(db, 1) == 1
    assert db.scalar(select(Review).where(Review.vendor_id == vendor.id)) is not None
    job = running.get_job(scheduler.JOB_ID)
    assert job.coalesce is True and job.misfire_grace_time is None
    assert job.next_run_time > datetime.now(job.next_run_time.tzinfo)  # tomorrow 00:00


def test_missed_runs_are_caught_up_once_on_restart(scheduled_app, db):
    from apscheduler.job import Job
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger

    # A previous process stored the job, then the machine was down for three
    # days: the stored next run time is three days in the past.
    store = SQLAlchemyJobStore(url=scheduled_app.config["SCHEDULER_JOBSTORE_URL"])
    holder = BackgroundScheduler(timezone="UTC")  # never started: it only lends the store its clock
    store.start(holder, "default")
    store.add_job(Job(
        holder, id=scheduler.JOB_ID, func=scheduler.JOB_FUNCTION, trigger=CronTrigger(hour=0, minute=0, timezone="UTC"),
        executor="default", args=(), kwargs={}, name="Daily review sweep", misfire_grace_time=None, coalesce=True,
        max_instances=1, next_run_time=datetime.now(holder.timezone) - timedelta(days=3),
    ))
    store.shutdown()

    running = scheduler.start(scheduled_app)
    assert wait_for_sweeps(db, 1) == 1
    time.sleep(1)  # room for a wrong second run to show up
    assert wait_for_sweeps(db, 2, limit_seconds=0) == 1  # three missed days coalesce into one run
    assert running.get_job(scheduler.JOB_ID).next_run_time > datetime.now(running.timezone)


def test_malformed_sweep_time_is_refused_with_a_clear_message(scheduled_app):
    scheduled_app.config["SWEEP_TIME"] = "6am"
    with pytest.raises(scheduler.SchedulerError, match="HH:MM"):
        scheduler.start(scheduled_app)


def test_sweep_command_runs_once_for_a_given_day(runner, db):
    make_vendor(db, status=LifecycleStatus.ACTIVE)
    db.commit()
    result = runner.invoke(args=["sweep", "--date", "2026-03-02"])
    assert result.exit_code == 0, result.output
    assert "1 reviews scheduled" in result.output
    again = runner.invoke(args=["sweep", "--date", "2026-03-02"])
    assert "0 reviews scheduled" in again.output and "0 notifications" in again.output


def test_a_failed_sweep_is_recorded_for_the_dashboard(app, db, client, auth):
    from datetime import date, timezone

    from models import ReviewPolicy, ReviewStatus, Role
    from tests.factories import make_review

    vendor = make_vendor(db, status=LifecycleStatus.ACTIVE)
    make_review(db, vendor, due_date=date(2025, 1, 1), status=ReviewStatus.COMPLETED,
                completed_at=datetime(2025, 1, 2, tzinfo=timezone.utc))
    # A policy row edited by hand into nonsense: the date arithmetic fails, so the whole sweep does.
    db.add(ReviewPolicy(id=1, critical_months=12, high_months=12, medium_months=-100_000, low_months=36,
                        issuance_lag_days=42))
    db.commit()
    with pytest.raises(ValueError):
        scheduler.run_sweep(app, date(2026, 3, 2))
    db.expire_all()
    run = db.scalar(select(SweepRun))
    assert run.finished_at is None and "ValueError" in run.error
    assert db.scalar(select(func.count()).select_from(Review).where(Review.status == ReviewStatus.SCHEDULED)) == 0
    auth.login_as(Role.ADMIN)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "failed" in page and "ValueError" in page


def test_queued_mail_goes_out_every_few_minutes_not_only_with_the_sweep(scheduled_app, db, smtp_server):
    """An upload or an assignment is mailed within minutes of being queued."""
    from models import EmailStatus, Role
    from tests.factories import make_user
    from vendorrisk.services import notifications

    controller, inbox = smtp_server
    scheduled_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    running = scheduler.start(scheduled_app)
    job = running.get_job(scheduler.MAIL_JOB_ID)
    assert job.trigger.interval == timedelta(minutes=scheduler.MAIL_INTERVAL_MINUTES)
    wait_for_sweeps(db, 1)  # today's catch-up sweep, which sends what is queued then

    user = make_user(db, role=Role.SECURITY, email="queued@example.test")
    notifications.notify(db, user, kind="test", subject="Queued after the sweep", body="...", email=True)
    db.commit()
    scheduler.send_mail_job()  # what the job runs
    assert [m["Subject"] for m in inbox.messages] == ["Queued after the sweep"]
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Notification)
                     .where(Notification.email_status == EmailStatus.SENT)) == 1


def test_without_smtp_there_is_no_mail_job(scheduled_app, db):
    assert scheduler.start(scheduled_app).get_job(scheduler.MAIL_JOB_ID) is None
    wait_for_sweeps(db, 1)  # let today's catch-up sweep finish before the scheduler stops
