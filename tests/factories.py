"""Factories for test data: make_user(session, ...), make_vendor(session, ...).

They add to the session and flush; the test commits when requests must see the rows.
"""
from __future__ import annotations

import itertools

from werkzeug.security import generate_password_hash

from models import LifecycleStatus, Role, Tier, User, Vendor

DEFAULT_PASSWORD = "correct horse battery"
# Hashing is deliberately slow; one precomputed hash keeps factories fast.
_DEFAULT_HASH = generate_password_hash(DEFAULT_PASSWORD)
_counter = itertools.count(1)


def make_user(session, *, role: Role = Role.VIEWER, email: str | None = None, name: str | None = None,
              active: bool = True) -> User:
    n = next(_counter)
    user = User(
        email=email or f"{role.value}{n}@example.com",
        name=name or f"{role.value.title()} User {n}",
        role=role,
        password_hash=_DEFAULT_HASH,
        active=active,
    )
    session.add(user)
    session.flush()
    return user


def make_api_token(session, user: User, *, name: str = "test script") -> str:
    """A new API token for `user`; returns the plaintext to send as Bearer."""
    from vendorrisk.services import api_tokens

    _token, plaintext = api_tokens.create_token(session, user, name, actor=None)
    return plaintext


def make_vendor(session, *, name: str | None = None, tier: Tier = Tier.MEDIUM,
                status: LifecycleStatus = LifecycleStatus.PROSPECT, **fields) -> Vendor:
    vendor = Vendor(name=name or f"Vendor {next(_counter)}", tier=tier, status=status, **fields)
    session.add(vendor)
    session.flush()
    return vendor
