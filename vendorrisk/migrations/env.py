"""Alembic environment: the engine comes from vendorrisk.infra.db, never from an ini file."""
from alembic import context

import models
from models.base import UTCDateTime


def render_item(type_, obj, autogen_context):
    """Write UTCDateTime as the plain column type it stores, so migrations
    do not import model code that may change after they are written."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_name(name, type_, parent_names):
    """APScheduler's job store table lives in the same database but belongs
    to APScheduler (vendorrisk.infra.scheduler); autogenerate must not drop it."""
    return not (type_ == "table" and name == "apscheduler_jobs")


config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode copies a table and drops the original; with foreign keys
        # on, that drop would cascade-delete every child row. The pragma only
        # works outside a transaction, so it goes straight to the driver
        # before SQLAlchemy begins one.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=models.Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=sqlite,
        compare_type=True,
        render_item=render_item,
        include_name=include_name,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
