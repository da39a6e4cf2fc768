"""Signing in and out, throttling, session safety, CSRF and security headers."""
from __future__ import annotations

from models import LoginFailure, Role, Vendor
from tests.factories import DEFAULT_PASSWORD, make_user


def test_sign_in_with_the_right_password_reaches_the_app(client, db):
    user = make_user(db, role=Role.VIEWER, email="ann@example.com")
    db.commit()
    response = client.post("/login", data={"email": "ANN@example.com ", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get("/vendors/").status_code == 200
    db.expire_all()
    assert db.get(type(user), user.id).last_login_at is not None


def test_wrong_password_is_refused_with_a_message(client, db):
    make_user(db, email="ann@example.com")
    db.commit()
    response = client.post("/login", data={"email": "ann@example.com", "password": "wrong password!"})
    assert response.status_code == 401
    assert "Wrong e-mail or password" in response.get_data(as_text=True)
    assert client.get("/vendors/").status_code == 302


def test_deactivated_users_cannot_sign_in(client, db):
    make_user(db, email="gone@example.com", active=False)
    db.commit()
    response = client.post("/login", data={"email": "gone@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 401


def test_deactivating_a_user_ends_their_open_session(client, db, auth):
    user = auth.login_as(Role.VIEWER)
    assert client.get("/vendors/").status_code == 200
    db.get(type(user), user.id).active = False
    db.commit()
    assert client.get("/vendors/").status_code == 302


def test_repeated_failures_throttle_even_the_right_password(client, db, app):
    make_user(db, email="ann@example.com")
    db.commit()
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        client.post("/login", data={"email": "ann@example.com", "password": "guess guess guess"})
    response = client.post("/login", data={"email": "ann@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    assert client.get("/vendors/").status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, db):
    make_user(db, email="ann@example.com")
    db.commit()
    client.post("/login", data={"email": "ann@example.com", "password": "guess guess guess"})
    client.post("/login", data={"email": "ann@example.com", "password": DEFAULT_PASSWORD})
    db.expire_all()
    assert db.query(LoginFailure).filter_by(email="ann@example.com").count() == 0


def test_next_parameter_stays_on_this_site(client, db):
    make_user(db, email="ann@example.com")
    db.commit()
    credentials = {"email": "ann@example.com", "password": DEFAULT_PASSWORD}
    response = client.post("/login?next=https://evil.example/steal", data=credentials)
    assert response.location == "/"
    client.post("/logout")
    response = client.post("/login?next=/fourth-parties/", data=credentials)
    assert response.location == "/fourth-parties/"


def test_sign_out_needs_a_post_and_ends_the_session(client, auth):
    auth.login_as(Role.VIEWER)
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/vendors/").status_code == 302


def test_pages_send_security_headers(client, auth):
    auth.login_as(Role.VIEWER)
    response = client.get("/vendors/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_forms_without_a_csrf_token_are_refused_and_change_nothing(app_config, db):
    from vendorrisk import create_app

    app_config["WTF_CSRF_ENABLED"] = True
    app = create_app(app_config)
    client = app.test_client()
    user = make_user(db, role=Role.PROCUREMENT, email="buyer@example.com")
    db.commit()
    # Signing in needs the token too: fetch the form first, like a browser.
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                       "csrf_token": token}).status_code == 302

    forged = client.post("/vendors/", data={"name": "Forged Vendor", "tier": "low"})
    assert forged.status_code == 400
    assert "not sent by this site" in forged.get_data(as_text=True)
    assert db.query(Vendor).filter_by(name="Forged Vendor").count() == 0


def test_login_page_needs_no_sign_in_but_everything_else_does(client):
    assert client.get("/login").status_code == 200
    assert client.get("/static/app.css").status_code == 200
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.location
