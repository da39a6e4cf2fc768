"""Shim: RQ stores each queued job's function as "vendorrisk.jobs.run_extraction_job"
(and "vendorrisk.jobs.run_export_job").

Jobs already waiting in Redis (and the ones infra.jobs enqueues) name that
path, and an `rq worker` imports it by name, so it must keep resolving. The
job code itself lives in vendorrisk.infra.jobs.
"""
from vendorrisk.infra.jobs import run_export_job, run_extraction_job

__all__ = ["run_export_job", "run_extraction_job"]
