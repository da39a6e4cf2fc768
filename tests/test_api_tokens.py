"""Personal API tokens: created on the account page or the command line, shown
once, stored hashed, revocable, and the only credential the API accepts."""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import create_engine, make_url, select, text

from models import ApiToken, AuditEvent, Role
from tests.factories import DEFAULT_PASSWORD, make_api_token, make_user
from vendorrisk.services import api_tokens

TOKEN_RE = re.compile(r"vrk_[A-Za-z0-9_-]{40,}")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_created_on_the_account_page_is_shown_once_and_works(client, db, auth):
    user = auth.login_as(Role.SECURITY)
    response = client.post("/account/tokens", data={"name": "ticketing sync"})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    token = TOKEN_RE.search(page).group(0)
    assert "shown only this once" in page

    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json == {"id": user.id, "email": user.email, "name": user.name, "role": "security"}

    listing = client.get("/account/").get_data(as_text=True)
    assert token not in listing  # never shown again
    assert "ticketing sync" in listing and token[:10] in listing
    db.expire_all()
    assert db.scalar(select(AuditEvent.action).where(AuditEvent.entity_type == "api_token")) == "token_created"


def test_the_database_holds_only_a_hash_of_the_token(db, app):
    user = make_user(db)
    token = make_api_token(db, user)
    db.commit()
    row = db.scalar(select(ApiToken))
    assert row.token_hash == api_tokens.hash_token(token) and len(row.token_hash) == 64
    stored = [value for value in db.execute(text("SELECT * FROM api_token")).one() if isinstance(value, str)]
    assert all(token not in value for value in stored)
    assert row.prefix == token[: api_tokens.SHOWN_PREFIX_LENGTH]


def test_a_token_needs_a_name(client, auth):
    auth.login_as(Role.VIEWER)
    response = client.post("/account/tokens", data={"name": "   "})
    assert response.status_code == 400
    assert "Name the token" in response.get_data(as_text=True)


def test_a_revoked_token_is_refused(client, db, auth):
    user = auth.login_as(Role.PROCUREMENT)
    token = make_api_token(db, user, name="old script")
    db.commit()
    token_id = db.scalar(select(ApiToken.id))
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200

    response = client.post(f"/account/tokens/{token_id}/revoke", follow_redirects=True)
    assert "Revoked the token “old script”" in response.get_data(as_text=True)
    refused = client.get("/api/v1/me", headers=bearer(token))
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "invalid_token"


def test_nobody_can_revoke_someone_elses_token(client, db, auth):
    other = make_user(db)
    token = make_api_token(db, other)
    db.commit()
    auth.login_as(Role.ADMIN)
    token_id = db.scalar(select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_a_deactivated_users_tokens_stop_working(client, db):
    user = make_user(db)
    token = make_api_token(db, user)
    db.commit()
    user.active = False
    db.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_use_is_recorded_as_last_used(client, db):
    user = make_user(db)
    token = make_api_token(db, user)
    db.commit()
    assert db.scalar(select(ApiToken.last_used_at)) is None
    client.get("/api/v1/vendors", headers=bearer(token))
    db.expire_all()
    assert db.scalar(select(ApiToken.last_used_at)) is not None


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer vrk_guessed"])
def test_requests_without_a_valid_token_get_401_json(client, header):
    response = client.get("/api/v1/vendors", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json["error"]) == {"code", "message"}
    assert "Authorization: Bearer" in response.json["error"]["message"] or "token" in response.json["error"]["message"]


def test_the_api_ignores_the_session_cookie(client, auth):
    """A signed-in browser has no authority over the API, so another site
    cannot make it call the API (which is why the API skips CSRF checks)."""
    auth.login_as(Role.ADMIN)
    assert client.get("/vendors/").status_code == 200
    response = client.post("/api/v1/vendors", json={"name": "Forged"})
    assert response.status_code == 401


def test_api_responses_set_no_cookie(client, db):
    token = make_api_token(db, make_user(db))
    db.commit()
    response = client.get("/api/v1/vendors", headers=bearer(token))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_token_carries_its_users_current_role(client, db):
    user = make_user(db, role=Role.VIEWER)
    token = make_api_token(db, user)
    db.commit()
    assert client.post("/api/v1/vendors", json={"name": "Acme"}, headers=bearer(token)).status_code == 403
    user.role = Role.PROCUREMENT
    db.commit()
    assert client.post("/api/v1/vendors", json={"name": "Acme"}, headers=bearer(token)).status_code == 201


# ---- the command line, on a database that has no schema yet ---------------

@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A database with no tables at all, on the same backend."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    base = make_url(database_url)
    name = f"vr_empty_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def fresh_app(empty_database_url, tmp_path):
    from vendorrisk import create_app
    from vendorrisk.infra.db import session_factory

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": empty_database_url,
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    yield app
    session_factory(app).kw["bind"].dispose()


def test_create_user_and_create_token_work_on_an_empty_database(fresh_app):
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["create-user", "bot@example.com", "--role", "procurement",
                                 "--password", DEFAULT_PASSWORD])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-token", "bot@example.com", "--name", "procurement sync"])
    assert result.exit_code == 0, result.output
    assert "Created API token “procurement sync” for bot@example.com (procurement)" in result.output
    token = result.output.strip().splitlines()[-1]
    assert TOKEN_RE.fullmatch(token)

    response = fresh_app.test_client().post("/api/v1/vendors", json={"name": "Acme"},
                                            headers=bearer(token))
    assert response.status_code == 201


def test_create_token_explains_a_missing_user(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["create-token", "nobody@example.com"])
    assert result.exit_code != 0
    assert "There is no user nobody@example.com" in result.output


def test_the_api_reference_lists_every_operation_with_who_may_call_it(client, auth):
    from vendorrisk.api import spec

    auth.login_as(Role.VIEWER)
    page = client.get("/account/api").get_data(as_text=True)
    for op in spec.operations:
        assert f"{op.method} {spec.path(op)}" in page
    assert "POST /api/v1/vendors" in page and "Not allowed" in page  # a viewer may not create vendors
