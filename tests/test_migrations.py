"""The Alembic migrations build exactly the schema the models describe, on every backend."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import pytest
from sqlalchemy.exc import IntegrityError

import models
from vendorrisk.infra.db import session_factory


# SQLite cannot reflect expression indexes; the next test checks them by behaviour.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migrations_match_the_models(app):
    engine = session_factory(app).kw["bind"]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, models.Base.metadata)
    assert differences == []


def test_the_database_refuses_two_vendors_differing_only_in_case(db):
    """The migration's expression index, not just the service, guards the rule
    (two requests racing past the service's check still cannot both insert)."""
    db.add(models.Vendor(name="Acme Cloud", tier=models.Tier.LOW))
    db.commit()
    db.add(models.Vendor(name="ACME CLOUD", tier=models.Tier.LOW))
    with pytest.raises(IntegrityError):
        db.commit()
