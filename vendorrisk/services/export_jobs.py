"""Exports made in the background: asking for one, its state as the worker
moves it on, who may download it, and expiry. The files themselves are
written by infra.jobs (through services.exports) under the export folder."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models import ExportJob, JobStatus, User
from models.base import utcnow
from vendorrisk.services import registers, vendors
from vendorrisk.services.errors import NotFound, ValidationError
from vendorrisk.services.permissions import Action, can

PACKET = "packet"  # the vendor review packet, as PDF
# How long a finished export can be downloaded before housekeeping deletes it.
EXPORT_LIFETIME = timedelta(hours=24)
# A job queued or running this long has lost its worker (a killed process):
# the largest register takes seconds, so this is generous.
STALE_AFTER = timedelta(minutes=30)
FINAL = (JobStatus.DONE, JobStatus.FAILED)


def request_register(session: Session, name: str, fmt: str, *, user: User, today: date) -> ExportJob:
    """A queued export of one register; the caller commits, then enqueues it."""
    register = registers.REGISTERS.get(name)
    if register is None:
        raise NotFound(f"There is no register called {name!r}.")
    if fmt not in ("csv", "xlsx"):
        raise ValidationError("Choose CSV or XLSX.", field="format")
    return _queue(session, ExportJob(kind=name, fmt=fmt, requested_by_id=user.id,
                                     filename=registers.export_filename(register, fmt, today)))


def request_packet(session: Session, vendor_id: int, *, user: User, today: date) -> ExportJob:
    vendor = vendors.get_vendor(session, vendor_id)
    return _queue(session, ExportJob(kind=PACKET, fmt="pdf", vendor_id=vendor.id, requested_by_id=user.id,
                                     filename=f"review-packet-{slug(vendor.name)}-{today.isoformat()}.pdf"))


def _queue(session: Session, job: ExportJob) -> ExportJob:
    job.status = JobStatus.QUEUED
    session.add(job)
    session.flush()
    return job


def title(job: ExportJob) -> str:
    if job.kind == PACKET:
        return "Review packet"
    register = registers.REGISTERS.get(job.kind)
    return register.title if register else job.kind


def get_export(session: Session, export_id: int, user: User) -> ExportJob:
    """The export, if `user` asked for it or may see everyone's; another
    user's export is NotFound, so its existence is not revealed either."""
    job = session.get(ExportJob, export_id)
    if job is None or (job.requested_by_id != user.id and not can(user.role, Action.EXPORT_DOWNLOAD_ANY)):
        raise NotFound(f"There is no export #{export_id}.")
    return job


def recent_exports(session: Session, user: User) -> list[ExportJob]:
    """The user's own exports that can still be downloaded, newest first."""
    return list(session.scalars(
        select(ExportJob).where(ExportJob.requested_by_id == user.id, ExportJob.created_at >= utcnow() - EXPORT_LIFETIME)
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc()).limit(20)
    ))


# ---------------------------------------------------------------- the worker's side

def claim(session: Session, export_id: int) -> bool:
    """Take a queued export; False if another worker has it or it is over."""
    result = session.execute(
        update(ExportJob).where(ExportJob.id == export_id, ExportJob.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow(), rows_done=0)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def record_rows(session: Session, export_id: int, rows_done: int) -> None:
    session.execute(update(ExportJob).where(ExportJob.id == export_id, ExportJob.status == JobStatus.RUNNING)
                    .values(rows_done=rows_done).execution_options(synchronize_session=False))


def finish(session: Session, export_id: int, *, rows_done: int, size_bytes: int) -> None:
    session.execute(update(ExportJob).where(ExportJob.id == export_id)
                    .values(status=JobStatus.DONE, rows_done=rows_done, size_bytes=size_bytes, error=None,
                            finished_at=utcnow()).execution_options(synchronize_session=False))


def fail(session: Session, export_id: int, reason: str) -> None:
    """End the export in the failed state with a reason the user can act on."""
    session.execute(update(ExportJob).where(ExportJob.id == export_id)
                    .values(status=JobStatus.FAILED, error=reason, finished_at=utcnow())
                    .execution_options(synchronize_session=False))


STALE_ERROR = "The export stopped (its worker was stopped or crashed). Ask for it again."


def fail_stale(session: Session, *, older_than: timedelta = STALE_AFTER, now: datetime | None = None) -> int:
    """Exports queued or running for longer than `older_than` lost their
    worker and become failed; returns how many. At the start of the embedded
    server every unfinished one did (older_than=0)."""
    result = session.execute(
        update(ExportJob).where(ExportJob.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)),
                                ExportJob.created_at <= (now or utcnow()) - older_than)
        .values(status=JobStatus.FAILED, error=STALE_ERROR, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def expire(session: Session, *, now: datetime | None = None) -> int:
    """Delete the rows of exports older than EXPORT_LIFETIME (their files
    expire by age in the export folder, infra.storage.ExportFiles)."""
    cutoff = (now or utcnow()) - EXPORT_LIFETIME
    return session.execute(delete(ExportJob).where(ExportJob.created_at < cutoff)).rowcount


def slug(name: str) -> str:
    """A vendor name as part of a file name."""
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")[:60] or "vendor"
