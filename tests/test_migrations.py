"""The Alembic migrations build exactly the schema the models describe, on every backend."""
from datetime import date, datetime, timezone

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import pytest
from sqlalchemy import create_engine, make_url, select
from sqlalchemy.exc import IntegrityError

import models
from tests.conftest import new_database
from vendorrisk.infra.db import alembic_config, session_factory


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


def test_upgrading_keeps_every_concluded_review_on_the_day_its_schedule_counted_from(database_url, tmp_path):
    """0011 adds review.concluded_on (the team's day); reviews concluded before
    it get the UTC date of completed_at, the day their schedule counted from,
    so an upgrade moves no due date."""
    review = models.Review.__table__
    with new_database(make_url(database_url).get_backend_name(), tmp_path) as url:
        engine = create_engine(url)
        try:
            command.upgrade(alembic_config(engine), "0010")
            with engine.begin() as connection:
                vendor_id = connection.execute(
                    models.Vendor.__table__.insert().returning(models.Vendor.__table__.c.id),
                    {"name": "Upgraded", "tier": models.Tier.LOW, "status": models.LifecycleStatus.ACTIVE}).scalar_one()
                connection.execute(review.insert(), [
                    {"vendor_id": vendor_id, "due_date": date(2026, 3, 1), "status": models.ReviewStatus.COMPLETED,
                     "completed_at": datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)},
                    {"vendor_id": vendor_id, "due_date": date(2027, 3, 1), "status": models.ReviewStatus.SCHEDULED,
                     "completed_at": None},
                ])
            command.upgrade(alembic_config(engine), "head")
            with engine.connect() as connection:
                rows = connection.execute(select(review.c.status, review.c.concluded_on).order_by(review.c.id)).all()
            assert rows == [(models.ReviewStatus.COMPLETED, date(2026, 3, 1)), (models.ReviewStatus.SCHEDULED, None)]
        finally:
            engine.dispose()
