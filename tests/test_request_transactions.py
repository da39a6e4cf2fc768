"""How a request's transaction ends (vendorrisk.infra.db): whatever the
request did not commit is gone afterwards, whether it was sent to the
database or only held by the Session; and on PostgreSQL a request that only
read ends with COMMIT, so psycopg keeps the statements it prepared (it
forgets them on every ROLLBACK, and pages would be planned again on every
view)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from models import Role, Vendor
from tests.factories import make_vendor
from vendorrisk.infra.db import get_session


def _add_view(app, rule: str, view) -> None:
    """A view of the test's own (signed-in users only, like every route)."""
    app.add_url_rule(rule, view.__name__, view)


@pytest.mark.parametrize("sent", [True, False], ids=["flushed", "held-by-the-session"])
def test_what_a_request_did_not_commit_is_gone_afterwards(app, client, auth, db, sent):
    vendor = make_vendor(db, name="Acme")
    db.commit()

    def changes_without_commit():
        session = get_session()
        session.get(Vendor, vendor.id).name = "Changed"
        session.add(Vendor(name="Half-written", tier=vendor.tier, status=vendor.status))
        if sent:
            session.flush()  # the UPDATE and the INSERT reach the database
        return "done"

    _add_view(app, "/test/changes", changes_without_commit)
    auth.login_as(Role.ADMIN)

    assert client.get("/test/changes").status_code == 200

    db.expire_all()
    assert db.get(Vendor, vendor.id).name == "Acme"
    assert db.query(Vendor).filter_by(name="Half-written").count() == 0


def test_a_page_viewed_again_runs_statements_postgresql_has_prepared(app, client, auth, db):
    if not app.config["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("psycopg prepares statements on PostgreSQL only")
    make_vendor(db, name="Acme")
    db.commit()

    def prepared_statements():
        # pg_prepared_statements lists this connection's: the one the views
        # before ran on (the test client makes one request at a time).
        return str(get_session().scalar(text("SELECT count(*) FROM pg_prepared_statements")))

    _add_view(app, "/test/prepared", prepared_statements)
    auth.login_as(Role.VIEWER)

    for _ in range(6):  # psycopg prepares a statement on its 5th run on a connection
        assert client.get("/vendors/").status_code == 200

    assert int(client.get("/test/prepared").get_data(as_text=True)) > 0
