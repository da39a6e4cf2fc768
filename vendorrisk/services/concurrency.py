"""Optimistic concurrency: an edit says which version of the row it was based
on, and a write based on an older version is refused with what changed,
never applied over someone else's change.

A form carries the row's version and a snapshot of the values it showed
(`snapshot`, sent back as hidden fields); the service calls `check` before
writing. Knowing what the user saw lets the message name exactly what someone
else changed, and lets a save go ahead when the other change touched nothing
this form writes (a vendor's lifecycle status under the vendor form). The
database enforces the rest: each UPDATE is conditional on the version read
(models.base.version_column), which catches two saves racing in the same
instant.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Iterable, Mapping

from sqlalchemy.orm import Session

from models import User
from vendorrisk.services.audit import jsonable
from vendorrisk.services.errors import StaleEdit

# Fields holding a user id, shown by the user's name in a conflict message.
USER_FIELDS = frozenset({"business_owner_id", "security_owner_id", "assignee_id", "owner_id"})


@dataclass(frozen=True)
class Loaded:
    """What an edit was based on: the row's version and, when known, the
    values the form showed then (as `snapshot` wrote them)."""

    version: int
    values: Mapping[str, Any] | None = None


def snapshot(row: object, names: Iterable[str]) -> Loaded:
    """The row's version and current values of `names`, for a form to carry."""
    return Loaded(row.version, {name: jsonable(getattr(row, name)) for name in names})


def encode(values: Mapping[str, Any] | None) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":")) if values is not None else ""


def decode(text: str | None) -> Mapping[str, Any] | None:
    """A snapshot back from a form; None when it is missing or not ours."""
    try:
        values = json.loads(text or "")
    except ValueError:
        return None
    return values if isinstance(values, dict) else None


def check(session: Session, row: object, loaded: Loaded | None, submitted: Mapping[str, Any], *, noun: str) -> None:
    """Refuse to write `submitted` over `row` if someone changed it since `loaded`.

    A field conflicts when its value changed since the user loaded the form
    and the user's value is not the new one: saving would put back what the
    user saw, or replace the other person's value unseen. Without a snapshot
    every field whose current value differs from the user's conflicts.
    `loaded` None means the caller sent no version (API clients use If-Match,
    checked by the API): no check.
    """
    if loaded is None or loaded.version == row.version:
        return
    seen = loaded.values
    changes = []
    for name, value in submitted.items():
        theirs = getattr(row, name)
        if jsonable(value) == jsonable(theirs):
            continue  # the user's value is the current one: nothing of theirs is lost
        if seen is not None and seen.get(name) == jsonable(theirs):
            continue  # nobody else touched this field
        changes.append((_label(name), _shown(session, name, theirs), _shown(session, name, value)))
    if changes:
        raise StaleEdit(noun, changes)


def _label(name: str) -> str:
    return name.removesuffix("_id").replace("_", " ")


def _shown(session: Session, name: str, value: Any) -> str:
    """A value as the message shows it: names for users, words for enums."""
    if value is None:
        return ""
    if name in USER_FIELDS:
        user = session.get(User, value)
        return user.display_name if user else f"user #{value}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return value.value.replace("_", " ")
    if isinstance(value, (set, frozenset, list, tuple)):
        return ", ".join(_shown(session, name, v) for v in sorted(value, key=jsonable))
    return jsonable(value) if isinstance(value, (date, datetime)) else str(value)
