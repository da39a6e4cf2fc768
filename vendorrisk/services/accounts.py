"""Users, passwords and sign-in throttling."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from models import LoginFailure, Role, User
from models.base import utcnow
from vendorrisk.services import audit
from vendorrisk.services.errors import Conflict, NotFound, ServiceError, ValidationError

MIN_PASSWORD_LENGTH = 12
# Compared against when the e-mail is unknown, so a wrong e-mail takes as
# long as a wrong password and response times do not reveal who has an account.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


class LoginThrottled(ServiceError):
    status = 429


class InvalidCredentials(ServiceError):
    status = 401


def normalize_email(email: str) -> str:
    return email.strip().lower()


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Use a password of at least {MIN_PASSWORD_LENGTH} characters.", field="password")


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user #{user_id}.")
    return user


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
    validate_password(password)
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
    user.role, user.active = role, active
    audit.record(
        session, actor, "updated", f"Updated user {user.email}",
        entity_type="user", entity_id=user.id, changes=changes,
    )


def set_password(session: Session, user: User, password: str, *, actor: User | None) -> None:
    validate_password(password)
    user.password_hash = generate_password_hash(password)
    user.must_change_password = False
    audit.record(session, actor, "password_changed", f"Changed the password of {user.email}",
                 entity_type="user", entity_id=user.id)


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise ValidationError("The current password is not correct.", field="current_password")
    set_password(session, user, new, actor=user)


def _active_admin_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(User.role == Role.ADMIN, User.active.is_(True))) or 0


def authenticate(
    session: Session, email: str, password: str, *, remote_addr: str, max_failures: int, window: timedelta,
    now: datetime | None = None,
) -> User:
    """The active user with these credentials, or an error a sign-in page can show.

    Failures are recorded per e-mail and per address; after `max_failures`
    for one e-mail (or four times as many from one address) within `window`,
    further attempts are refused without checking the password, which stops
    guessing without letting a stranger lock an account out for good.
    """
    now = now or utcnow()
    email = normalize_email(email)
    since = now - window
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.at >= since)
    by_email = session.scalar(recent.where(LoginFailure.email == email)) or 0
    by_addr = session.scalar(recent.where(LoginFailure.remote_addr == remote_addr)) or 0
    if by_email >= max_failures or by_addr >= 4 * max_failures:
        minutes = int(window.total_seconds() // 60)
        raise LoginThrottled(f"Too many failed sign-ins. Wait {minutes} minutes and try again.")

    user = find_by_email(session, email)
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if not (user and valid and user.active):
        session.add(LoginFailure(email=email, remote_addr=remote_addr, at=now))
        raise InvalidCredentials("Wrong e-mail or password, or the account is deactivated.")
    session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    user.last_login_at = now
    return user


def any_user_query():
    return select(User.id).limit(1)
