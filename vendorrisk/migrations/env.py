"""Alembic environment: the engine comes from vendorrisk.db, never from an ini file."""
from alembic import context

import models
from models.base import UTCDateTime


def render_item(type_, obj, autogen_context):
    """Write UTCDateTime as the plain column type it stores, so migrations
    do not import model code that may change after they are written."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=models.Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
