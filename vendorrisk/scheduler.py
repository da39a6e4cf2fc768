"""Shim: APScheduler's job store keeps the paths "vendorrisk.scheduler:daily_sweep_job"
and "vendorrisk.scheduler:send_mail_job".

Databases written by earlier releases hold these paths in their stored jobs,
and the scheduler still registers them (infra.scheduler.JOB_FUNCTION and
MAIL_JOB_FUNCTION), so they must keep resolving. The scheduler itself lives in vendorrisk.infra.scheduler.
"""
from vendorrisk.infra.scheduler import daily_sweep_job, send_mail_job

__all__ = ["daily_sweep_job", "send_mail_job"]
