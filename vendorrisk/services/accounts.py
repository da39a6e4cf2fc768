"""Users, passwords, sessions and sign-in throttling."""
from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from models import LoginFailure, Role, User
from models.base import utcnow
from vendorrisk.services import audit
from vendorrisk.services.errors import Conflict, NotFound, ServiceError, ValidationError

MIN_PASSWORD_LENGTH = 12
# zxcvbn's score 3 is "safely unguessable: moderate protection from an offline
# slow-hash scenario" (about 10^8 guesses); it finds common passwords, keyboard
# walks, repeats, dates and l33t spellings of dictionary words.
MIN_PASSWORD_SCORE = 3
# zxcvbn refuses (ValueError) more than 72 characters at once, its run time
# growing with length; longer passwords are scored in parts.
_SCORED_LENGTH = 72
# Compared against when the e-mail is unknown, so a wrong e-mail takes as
# long as a wrong password and response times do not reveal who has an account.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


class LoginThrottled(ServiceError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # whole seconds until the next attempt is checked (HTTP Retry-After)


class InvalidCredentials(ServiceError):
    status = 401


def normalize_email(email: str) -> str:
    return email.strip().lower()


def validate_password(password: str, *, email: str, name: str = "", field: str = "password") -> None:
    """Refuse passwords a guesser would try early: blank, short, common, or made from the e-mail."""
    if not password.strip():
        raise ValidationError("A password cannot be blank or only spaces.", field=field)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Use a password of at least {MIN_PASSWORD_LENGTH} characters.", field=field)
    if _derived_from_email(password, email):
        raise ValidationError("Do not use your e-mail address, or part of it, as your password.", field=field)
    local_part = normalize_email(email).partition("@")[0]
    user_inputs = [normalize_email(email), local_part, *name.split()]
    # A password is at least as hard to guess as its hardest part.
    results = [zxcvbn(password[start:start + _SCORED_LENGTH], user_inputs=user_inputs)
               for start in range(0, len(password), _SCORED_LENGTH)]
    if max(result["score"] for result in results) < MIN_PASSWORD_SCORE:
        warning = results[0]["feedback"]["warning"]
        raise ValidationError(
            "This password is too common or too easy to guess. "
            + (f"{warning} " if warning else "")
            + "Try a phrase of several uncommon words.",
            field=field,
        )


def _derived_from_email(password: str, email: str) -> bool:
    """The e-mail or its local part, in any case, perhaps with digits or
    punctuation added ("ann.smith@example.com", "Ann.Smith2024!", "annsmith1")."""
    email = normalize_email(email)
    local_part = email.partition("@")[0]
    candidates = {email, local_part, re.sub(r"[\W_]", "", local_part)} - {""}
    core = re.sub(r"[\d\W_]+$", "", password.strip().lower())
    return core in candidates or re.sub(r"[\W_]", "", core) in candidates


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user #{user_id}.")
    return user


def active_users(session: Session) -> list[User]:
    """The people a review, an item or a vendor can be given to, by name."""
    return list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.email)))


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    session: Session, *, email: str, name: str, role: Role, password: str, actor: User | None,
    must_change_password: bool = False,
) -> User:
    email = normalize_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise ValidationError("Enter an e-mail address like name@example.com.", field="email")
    if find_by_email(session, email) is not None:
        raise Conflict(f"A user with the e-mail {email} already exists.", field="email")
    validate_password(password, email=email, name=name)
    user = User(email=email, name=name.strip() or email, role=role, password_hash=generate_password_hash(password),
                must_change_password=must_change_password)
    session.add(user)
    session.flush()
    audit.record(
        session, actor, "created", f"Created user {email} as {role.value}",
        entity_type="user", entity_id=user.id, changes={"role": (None, role)},
    )
    return user


def update_user(session: Session, user: User, *, role: Role, active: bool, actor: User) -> None:
    """Change a user's role or deactivate them; an admin cannot lock themself out."""
    if user.id == actor.id and (role != user.role or not active):
        raise ValidationError("You cannot change your own role or deactivate yourself; ask another admin.")
    changes = audit.diff(user, {"role": role, "active": active})
    if not changes:
        return
    if user.role == Role.ADMIN and (role != Role.ADMIN or not active) and _active_admin_count(session) <= 1:
        raise ValidationError("This is the last active admin; make someone else an admin first.")
    if active != user.active:
        # Deactivation signs them out; reactivation must not revive the cookies
        # they held before.
        end_sessions(user)
    user.role, user.active = role, active
    audit.record(
        session, actor, "updated", f"Updated user {user.email}",
        entity_type="user", entity_id=user.id, changes=changes,
    )


def set_password(session: Session, user: User, password: str, *, actor: User | None,
                 field: str = "password") -> None:
    """Set a new password and end every session of the user: whoever held the old one is out."""
    validate_password(password, email=user.email, name=user.name, field=field)
    user.password_hash = generate_password_hash(password)
    user.must_change_password = False
    end_sessions(user)
    audit.record(session, actor, "password_changed", f"Changed the password of {user.email}",
                 entity_type="user", entity_id=user.id)


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise ValidationError("The current password is not correct.", field="current_password")
    set_password(session, user, new, actor=user, field="new_password")


def end_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie of the user (they carry the old version)."""
    user.session_version += 1


def sign_out_everywhere(session: Session, user: User, *, actor: User) -> None:
    """An admin's answer to a lost laptop or a shared password."""
    end_sessions(user)
    audit.record(session, actor, "signed_out", f"Signed {user.email} out everywhere",
                 entity_type="user", entity_id=user.id)


def _active_admin_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(User.role == Role.ADMIN, User.active.is_(True))) or 0


@dataclass(frozen=True)
class Backoff:
    """How failed sign-ins slow the next attempts.

    After `free_failures` recent failures for one e-mail (or
    `address_free_failures` from one address), each attempt must wait
    `base_seconds`, doubling with every further failure up to `max_seconds`,
    after the latest failure. Refused attempts are not counted, and a
    correct password after the wait always gets in: a stranger can slow an
    account down, never lock its owner out.
    """

    free_failures: int
    address_free_failures: int
    base_seconds: float
    max_seconds: float
    window: timedelta  # failures older than this are forgotten


def authenticate(
    session: Session, email: str, password: str, *, remote_addr: str, backoff: Backoff, now: datetime | None = None,
) -> User:
    """The active user with these credentials, or an error a sign-in page can show."""
    now = now or utcnow()
    email = normalize_email(email)
    wait = max(
        _wait(session, LoginFailure.email == email, backoff.free_failures, backoff, now),
        _wait(session, LoginFailure.remote_addr == remote_addr, backoff.address_free_failures, backoff, now),
    )
    if wait > 0:
        seconds = math.ceil(wait)
        raise LoginThrottled(f"Too many failed sign-ins. Wait {_duration(seconds)} and try again.", retry_after=seconds)

    user = find_by_email(session, email)
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if not (user and valid and user.active):
        # Forget old failures as new ones come, so an attack cannot grow the table without bound.
        session.execute(delete(LoginFailure).where(LoginFailure.at < now - backoff.window))
        session.add(LoginFailure(email=email, remote_addr=remote_addr, at=now))
        raise InvalidCredentials("Wrong e-mail or password, or the account is deactivated.")
    session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    user.last_login_at = now
    return user


def _wait(session: Session, key, free: int, backoff: Backoff, now: datetime) -> float:
    """Seconds until the failures matching `key` let another attempt through."""
    count, latest = session.execute(
        select(func.count(), func.max(LoginFailure.at)).where(key, LoginFailure.at >= now - backoff.window)
    ).one()
    if count < free:
        return 0.0
    # The exponent's cap only keeps 2**n a float; max_seconds is the real bound.
    delay = min(backoff.base_seconds * 2 ** min(count - free, 32), backoff.max_seconds)
    return max(0.0, (latest - now).total_seconds() + delay)


def _duration(seconds: int) -> str:
    return f"{seconds} second{'s' if seconds != 1 else ''}" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"


def any_user_query():
    return select(User.id).limit(1)
