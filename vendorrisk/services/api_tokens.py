"""Personal API tokens: created and revoked by their owner, shown once, stored hashed."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from models import ApiToken, User
from models.base import utcnow
from vendorrisk.services import audit
from vendorrisk.services.errors import NotFound, ValidationError

# "vrk_" marks the string as a VendorRisk token, so secret scanners and people
# recognise one pasted in the wrong place; 32 random bytes follow.
TOKEN_PREFIX = "vrk_"
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6
MAX_NAME_LENGTH = 100
MAX_ACTIVE_TOKENS = 20  # per user; old scripts' tokens should be revoked, not piled up
# last_used_at is written at most this often, so a busy script does not turn
# every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(plaintext: str) -> str:
    """sha256, unsalted: the token is 256 random bits, so unlike a password it
    cannot be guessed from a dictionary, and a fast hash allows a direct lookup."""
    return hashlib.sha256(plaintext.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(session: Session, user: User, name: str, *, actor: User | None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the plaintext, which is never stored."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Name the token after what will use it, e.g. “procurement sync”.", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(f"Keep the name under {MAX_NAME_LENGTH} characters.", field="name")
    active = session.scalar(
        select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ) or 0
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            f"You already have {MAX_ACTIVE_TOKENS} active tokens. Revoke ones no longer in use first.", field="name"
        )
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(plaintext), prefix=plaintext[:SHOWN_PREFIX_LENGTH])
    session.add(token)
    session.flush()
    audit.record(session, actor, "token_created", f"Created API token “{name}” for {user.email}",
                 entity_type="api_token", entity_id=token.id)
    return token, plaintext


def get_own_token(session: Session, user: User, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("You have no such API token.")
    return token


def revoke_token(session: Session, token: ApiToken, *, actor: User | None) -> bool:
    """Revoke the token; returns False when it already was."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record(session, actor, "token_revoked", f"Revoked API token “{token.name}” of {token.user.email}",
                 entity_type="api_token", entity_id=token.id, changes={"revoked_at": (None, token.revoked_at)})
    return True


def tokens_query(user: User) -> Select[tuple[ApiToken]]:
    """The user's tokens, active ones first, newest first."""
    return (
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    )


def authenticate(session: Session, plaintext: str, *, now: datetime | None = None) -> User | None:
    """The active user an unrevoked token belongs to, or None. Notes the use."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    token = session.scalar(
        select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == hash_token(plaintext))
    )
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token.user
