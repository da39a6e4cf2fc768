"""Per-user iCalendar feeds of review due dates (RFC 5545, written by hand).

A feed URL carries a random token; only its sha256 is stored, so the URL is
shown once and can be regenerated (which revokes the old one) or revoked.
Calendar apps cannot sign in, so the token is the credential: the feed
checks on every fetch that its user is still active and may view reviews.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import OPEN_REVIEW_STATUSES, CalendarFeed, Review, User, Vendor
from models.base import utcnow
from vendorrisk.services.permissions import Action, can
from vendorrisk.services.coverage import IN_SCOPE_STATUSES
from vendorrisk.services.errors import ValidationError

SCOPES = {"mine": "Reviews I own", "all": "All open reviews"}
PRODUCT_ID = "-//VendorRisk//Review due dates//EN"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(session: Session, user: User) -> CalendarFeed | None:
    return session.get(CalendarFeed, user.id)


def create_feed(session: Session, user: User, scope: str) -> str:
    """A new secret token for the user's feed (replacing any old one); returns the token."""
    if scope not in SCOPES:
        raise ValidationError("Choose which reviews the calendar shows.", field="scope")
    token = secrets.token_urlsafe(32)
    feed = session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        session.add(feed)
    feed.token_sha256 = hash_token(token)
    feed.scope = scope
    feed.created_at = utcnow()
    feed.last_used_at = None
    return token


def revoke_feed(session: Session, user: User) -> bool:
    feed = session.get(CalendarFeed, user.id)
    if feed is None:
        return False
    session.delete(feed)
    return True


def find_feed(session: Session, token: str) -> CalendarFeed | None:
    """The feed for a token, if its user is active and may view reviews."""
    if not token or len(token) > 100:
        return None
    feed = session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_sha256 == hash_token(token)).options(joinedload(CalendarFeed.user))
    )
    if feed is None or not feed.user.active or not can(feed.user.role, Action.VIEW):
        return None
    return feed


def feed_reviews(session: Session, feed: CalendarFeed) -> list[Review]:
    query = (
        select(Review).join(Vendor, Vendor.id == Review.vendor_id)
        .where(Review.status.in_(OPEN_REVIEW_STATUSES), Vendor.status.in_(IN_SCOPE_STATUSES))
        .options(joinedload(Review.vendor), joinedload(Review.owner))
        .order_by(Review.due_date, Review.id)
    )
    if feed.scope != "all":
        query = query.where(Review.owner_id == feed.user_id)
    return list(session.scalars(query))


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF + space (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def render_ics(reviews: Iterable[Review], *, calendar_name: str, base_url: str, domain: str,
               now: datetime | None = None) -> str:
    """An all-day event on each review's due date. UIDs are stable per
    review, so a calendar app moves the event when the due date changes."""
    stamp = (now or utcnow()).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_escape(calendar_name)}"]
    for review in reviews:
        vendor = review.vendor
        due: date = review.due_date
        owner = review.owner.display_name if review.owner else "nobody yet"
        description = (f"{vendor.tier.value.capitalize()}-tier vendor. Status: {review.status.value.replace('_', ' ')}. "
                       f"Owner: {owner}.")
        if review.due_reason:
            description += f" Why this date: {review.due_reason}."
        lines += [
            "BEGIN:VEVENT",
            f"UID:review-{review.id}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(due + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(f'Vendor review due: {vendor.name}')}",
            f"DESCRIPTION:{_escape(description)}",
            "TRANSP:TRANSPARENT",
        ]
        if base_url:
            lines.append(f"URL:{base_url.rstrip('/')}/vendors/{vendor.id}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
