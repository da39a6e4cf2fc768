"""In-app notifications (the bell) and their e-mail delivery state.

A notification is written in the caller's transaction with email_status
PENDING when it should also be mailed; vendorrisk.infra.mailer sends pending
mail only after that transaction has committed and marks each one sent,
so a rolled-back or retried transaction never sends anything twice.
"""
from __future__ import annotations

from sqlalchemy import ScalarSelect, Select, func, select, update
from sqlalchemy.orm import Session

from models import EmailStatus, Notification, Report, ReportItem, User
from models.base import utcnow
from vendorrisk.services.errors import NotFound


def notify(
    session: Session, user: User, *, kind: str, subject: str, body: str, link: str | None = None, email: bool = False
) -> Notification:
    """Add a notification for `user`; `email` queues it for the mailer too."""
    notification = Notification(
        user_id=user.id, kind=kind, subject=subject[:300], body=body, link=link,
        email_status=EmailStatus.PENDING if email and user.email else EmailStatus.NOT_SENT,
    )
    session.add(notification)
    return notification


# Paths on this site that notifications link to (services build no URLs from requests).
REPORT_PATH = "/reports/{report_id}"
ITEM_PATH = "/reports/{report_id}/items/{item_id}"
VENDOR_PATH = "/vendors/{vendor_id}"


def report_uploaded(session: Session, report: Report, *, actor: User | None, email: bool = False) -> Notification | None:
    """Tell the vendor's security owner a new SOC report is waiting (not when
    they uploaded it themselves: they know)."""
    owner = report.vendor.security_owner
    if owner is None or not owner.active or (actor is not None and owner.id == actor.id):
        return None
    who = actor.display_name if actor else "Someone"
    return notify(
        session, owner, kind="report_uploaded", subject=f"New SOC report for {report.vendor.name}",
        body=f"{who} uploaded {report.document.filename} for {report.vendor.name}, a vendor whose security owner "
             "you are. Review it once its extraction is done.",
        link=REPORT_PATH.format(report_id=report.id), email=email,
    )


def exception_assigned(session: Session, item: ReportItem, assignee: User, *, actor: User,
                       email: bool = False) -> Notification | None:
    """Tell the new assignee of an exception (not someone assigning it to themselves)."""
    if assignee.id == actor.id:
        return None
    vendor = item.report.vendor
    due = f" Follow-up due {item.due_date.isoformat()}." if item.due_date else ""
    label = f"exception {item.control_id}" if item.control_id else f"an exception on page {item.page}"
    return notify(
        session, assignee, kind="exception_assigned", subject=f"Exception assigned to you: {vendor.name}",
        body=f"{actor.display_name} assigned you {label} of {vendor.name}'s SOC report.{due}",
        link=ITEM_PATH.format(report_id=item.report_id, item_id=item.id), email=email,
    )


def unread_count_of(user_id_column) -> ScalarSelect[int]:
    """The unread notifications of the user in `user_id_column`, as a scalar
    subquery: the sign-in of each request reads it with the user (web.auth),
    a statement fewer on every page."""
    return (select(func.count()).select_from(Notification)
            .where(Notification.user_id == user_id_column, Notification.read_at.is_(None)).scalar_subquery())


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(unread_count_of(user.id))) or 0


def notifications_query(user: User, *, unread_only: bool = False) -> Select[tuple[Notification]]:
    """The user's notifications, newest first; the caller paginates."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def get_own(session: Session, user: User, notification_id: int) -> Notification:
    """One of the user's own notifications; another user's is as good as absent."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound("There is no such notification.")
    return notification


def mark_read(session: Session, user: User, notification_id: int) -> Notification:
    notification = get_own(session, user, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
    return notification


def mark_all_read(session: Session, user: User) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0


def pending_email_ids(session: Session, limit: int = 500) -> list[int]:
    return list(
        session.scalars(
            select(Notification.id).where(Notification.email_status == EmailStatus.PENDING).order_by(Notification.id).limit(limit)
        )
    )
