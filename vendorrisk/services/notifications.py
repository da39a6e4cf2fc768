"""In-app notifications (the bell) and their e-mail delivery state.

A notification is written in the caller's transaction with email_status
PENDING when it should also be mailed; vendorrisk.infra.mailer sends pending
mail only after that transaction has committed and marks each one sent,
so a rolled-back or retried transaction never sends anything twice.
"""
from __future__ import annotations

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from models import EmailStatus, Notification, User
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


def unread_count(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count()).select_from(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


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
