"""Declarative base and the column types every model shares.

Models import only SQLAlchemy (and each other): the web layer, jobs and the
extractor build on them, never the other way round.
"""
from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Annotated

from sqlalchemy import DateTime, Enum, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, mapped_column

# Named constraints let Alembic alter them later, which SQLite's batch mode
# needs: unnamed constraints cannot be dropped or recreated.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp that reads back aware on SQLite as well.

    SQLite stores no offset, so values come back naive; everything is written
    in UTC, so the offset can be restored on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: store timezone-aware UTC values")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


intpk = Annotated[int, mapped_column(primary_key=True)]
# The largest id an intpk holds (PostgreSQL INTEGER is 32-bit): a larger
# number in a URL, form or query can name no row, and PostgreSQL raises on
# the out-of-range parameter instead of finding nothing.
MAX_ID = 2**31 - 1
timestamp = Annotated[datetime, mapped_column(UTCDateTime(), default=utcnow)]
short_text = Annotated[str, mapped_column(String(200))]


def version_column():
    """A row's version for optimistic concurrency.

    Name it in the model's __mapper_args__ as "version_id_col": SQLAlchemy
    counts it up on every UPDATE and makes the UPDATE conditional on the
    version it read ("WHERE version = 3"), so a write based on a stale read
    fails (StaleDataError) instead of overwriting. Forms and API clients send
    the version they read (vendorrisk.services.concurrency).
    """
    return mapped_column(Integer, server_default="1")


def enum_column(enum_cls: type[enum.Enum], **kwargs):
    """A VARCHAR column holding an enum's values (not its names).

    native_enum=False and no CHECK constraint keep SQLite and PostgreSQL
    identical and let a release add a value without a migration; SQLAlchemy
    still refuses unknown values on write (validate_strings).
    """
    return mapped_column(
        Enum(
            enum_cls,
            native_enum=False,
            length=40,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
            create_constraint=False,
        ),
        **kwargs,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
