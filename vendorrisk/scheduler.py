"""Shim: APScheduler's job store keeps the path "vendorrisk.scheduler:daily_sweep_job".

Databases written by earlier releases hold that path in their stored job, and
the scheduler still registers it (infra.scheduler.JOB_FUNCTION), so it must
keep resolving. The scheduler itself lives in vendorrisk.infra.scheduler.
"""
from vendorrisk.infra.scheduler import daily_sweep_job

__all__ = ["daily_sweep_job"]
