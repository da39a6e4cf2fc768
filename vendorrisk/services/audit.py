"""Writing and reading the audit log."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from models import AuditEvent, User


def record(
    session: Session,
    actor: User | None,
    action: str,
    summary: str,
    *,
    entity_type: str,
    entity_id: int | None = None,
    vendor_id: int | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> AuditEvent:
    """Add one event in the caller's transaction, so it lands if and only if the change does."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        summary=summary,
        entity_type=entity_type,
        entity_id=entity_id,
        vendor_id=vendor_id,
        changes={field: [jsonable(old), jsonable(new)] for field, (old, new) in (changes or {}).items()},
    )
    session.add(event)
    return event


def diff(obj: object, updates: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields of `updates` whose value differs from `obj`'s, as (old, new)."""
    return {
        field: (getattr(obj, field), value) for field, value in updates.items() if getattr(obj, field) != value
    }


def jsonable(value: Any) -> Any:
    """A value as JSON keeps it (enums by value, dates in ISO, sets sorted):
    for the log, and for comparing with a form's snapshot (services.concurrency)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, list, tuple)):
        return sorted(jsonable(v) for v in value)
    return value


def events_query(
    *,
    vendor_id: int | None = None,
    actor_id: int | None = None,
    entity_type: str | None = None,
    entity_id: int | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Select[tuple[AuditEvent]]:
    """Newest first; the caller paginates."""
    query = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if vendor_id is not None:
        query = query.where(AuditEvent.vendor_id == vendor_id)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if entity_type:
        query = query.where(AuditEvent.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min, timezone.utc))
    if until:  # inclusive: everything before the start of the next day
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min, timezone.utc))
    return query
