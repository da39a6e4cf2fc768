"""E-mail delivery of notifications over SMTP (smtplib), after the commit.

send_pending() takes the PENDING notifications, sends each and marks it
SENT (or FAILED with the error) in its own small transaction. A crash
between sending and marking can at worst repeat that one message; a
rolled-back sweep sends none, because nothing is PENDING until it commits.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask
from sqlalchemy import select

from models import EmailStatus, Notification
from models.base import utcnow
from vendorrisk.infra.db import session_factory
from vendorrisk.services import notifications


def mail_enabled(app: Flask) -> bool:
    return bool(app.config.get("SMTP_HOST"))


def build_message(app: Flask, notification: Notification) -> EmailMessage:
    message = EmailMessage()
    message["From"] = app.config["MAIL_FROM"]
    message["To"] = notification.user.email
    message["Subject"] = notification.subject
    message["Message-ID"] = make_msgid(domain="vendorrisk")
    base_url = (app.config.get("BASE_URL") or "").rstrip("/")
    link = f"\n\nOpen in VendorRisk: {base_url}{notification.link}" if notification.link and base_url else ""
    message.set_content(
        f"{notification.body}{link}\n\n-- \nVendorRisk. You get this because reviews are assigned to you "
        "or you hold the compliance role; see your notifications in the app."
    )
    return message


def send_pending(app: Flask) -> tuple[int, int]:
    """Send every queued e-mail; returns (sent, failed). Without SMTP_HOST,
    queued mail stays queued (and the in-app notification is still there)."""
    if not mail_enabled(app):
        return 0, 0
    make_session = session_factory(app)
    sent = failed = 0
    with make_session() as session:
        ids = notifications.pending_email_ids(session)
    if not ids:
        return 0, 0
    try:
        smtp = _connect(app)
    except (OSError, smtplib.SMTPException) as error:
        app.logger.warning("SMTP server unavailable, %d e-mails stay queued: %s", len(ids), error)
        return 0, 0
    with smtp:
        for notification_id in ids:
            # Each message is read, sent and marked in separate steps so no
            # transaction stays open while the SMTP server answers: on SQLite
            # that transaction would hold the write lock and stall the app.
            with make_session() as session:
                notification = session.scalar(
                    select(Notification).where(Notification.id == notification_id,
                                               Notification.email_status == EmailStatus.PENDING)
                )
                if notification is None:  # another process sent it meanwhile
                    continue
                message = build_message(app, notification)
            try:
                smtp.send_message(message)
                error = None
            except (OSError, smtplib.SMTPException) as smtp_error:
                error = str(smtp_error)[:2000]
            with make_session() as session:
                notification = session.get(Notification, notification_id)
                if error is None:
                    notification.email_status = EmailStatus.SENT
                    notification.email_sent_at = utcnow()
                    sent += 1
                else:
                    notification.email_status = EmailStatus.FAILED
                    notification.email_error = error
                    failed += 1
                session.commit()
    return sent, failed


def _connect(app: Flask) -> smtplib.SMTP:
    smtp = smtplib.SMTP(app.config["SMTP_HOST"], int(app.config["SMTP_PORT"]), timeout=30)
    if app.config.get("SMTP_STARTTLS"):
        smtp.starttls()
    if app.config.get("SMTP_USERNAME"):
        smtp.login(app.config["SMTP_USERNAME"], app.config.get("SMTP_PASSWORD") or "")
    return smtp


def send_to_vendors(app: Flask, outgoing: list, base_url: str | None = None) -> dict[int, str]:
    """Send e-mails to vendor contacts (services.evidence.Outgoing) right
    after the caller's commit; returns each request's delivery state.

    Not queued like notifications: a queued message would have to keep the
    link's token, and only its hash is ever stored. An e-mail that fails is
    not retried; the next reminder carries a new link.
    """
    base_url = base_url or app.config.get("BASE_URL") or ""  # a web request knows its own address
    if not outgoing:
        return {}
    if not mail_enabled(app) or not base_url:
        return {mail.request_id: "not_sent" for mail in outgoing}
    states: dict[int, str] = {}
    try:
        smtp = _connect(app)
    except (OSError, smtplib.SMTPException) as error:
        app.logger.warning("SMTP server unavailable, %d e-mails to vendors not sent: %s", len(outgoing), error)
        return {mail.request_id: f"failed: {error}" for mail in outgoing}
    with smtp:
        for mail in outgoing:
            message = EmailMessage()
            message["From"] = app.config["MAIL_FROM"]
            message["To"] = mail.to
            message["Subject"] = mail.subject
            message["Message-ID"] = make_msgid(domain="vendorrisk")
            message.set_content(mail.text(base_url))
            try:
                smtp.send_message(message)
                states[mail.request_id] = "sent"
            except (OSError, smtplib.SMTPException) as error:
                states[mail.request_id] = f"failed: {error}"
    return states
