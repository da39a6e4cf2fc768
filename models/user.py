"""People who sign in, and the record of failed sign-ins used for throttling."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column, intpk, timestamp


class Role(enum.StrEnum):
    """What a user may do is decided by vendorrisk.services.permissions from this role."""

    ADMIN = "admin"
    PROCUREMENT = "procurement"
    SECURITY = "security"
    COMPLIANCE = "compliance"
    VIEWER = "viewer"


class User(Base):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: Mapped[intpk]
    # Stored lower-cased by the service layer, so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = enum_column(Role)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when someone else chose the password (an admin adding a person):
    # the user must pick their own before doing anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Part of the id every session and remember-me cookie carries (get_id):
    # raising it ends all of this user's signed-in browsers at once.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[timestamp]
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    # flask-login's protocol, written out so models need not import Flask.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """Flask-Login's "alternative id", stored in both cookies; see session_version."""
        return f"{self.id}:{self.session_version}"

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginFailure(Base):
    """One failed sign-in; recent rows per e-mail and per address throttle new tries."""

    __tablename__ = "login_failure"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[timestamp] = mapped_column(index=True)
