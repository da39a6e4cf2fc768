"""Signing in and out, throttling, session safety, CSRF and security headers."""
from __future__ import annotations

import time

import pytest

from models import AuditEvent, LoginFailure, Role, User, Vendor
from models.base import utcnow
from tests.factories import DEFAULT_PASSWORD, make_user

NEW_PASSWORD = "a much longer secret"


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


def _sign_in(client, email, password, address="127.0.0.1", **extra):
    return client.post("/login", data={"email": email, "password": password, **extra},
                       environ_base={"REMOTE_ADDR": address})


def _signed_in(client) -> bool:
    return client.get("/vendors/").status_code == 200


def _browser_with_cookie(app, name: str, value: str):
    browser = app.test_client()
    browser.set_cookie(name, value, domain="localhost")
    return browser


def test_a_copied_session_cookie_stops_working_when_its_user_signs_out(app, client, auth):
    auth.login_as(Role.VIEWER)
    stolen = client.get_cookie("session").value
    assert _signed_in(_browser_with_cookie(app, "session", stolen))
    auth.logout()
    assert not _signed_in(_browser_with_cookie(app, "session", stolen))


def test_a_new_password_ends_remember_me_cookies_but_keeps_the_changer_signed_in(app, client, db):
    user = make_user(db, email="ann@example.com")
    db.commit()
    assert _sign_in(client, user.email, DEFAULT_PASSWORD, remember="y").status_code == 302
    remembered = client.get_cookie("remember_token").value
    other_device = _browser_with_cookie(app, "remember_token", remembered)
    assert _signed_in(other_device)

    changed = client.post("/account/password", data={"current_password": DEFAULT_PASSWORD,
                                                     "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(other_device)
    assert not _signed_in(_browser_with_cookie(app, "remember_token", remembered))


def test_a_password_set_on_the_command_line_ends_the_users_sessions(client, auth, runner):
    user = auth.login_as(Role.ADMIN)
    result = runner.invoke(args=["set-password", user.email, "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert not _signed_in(client)
    assert auth.login(user, NEW_PASSWORD).status_code == 302


def test_an_admin_signs_a_person_out_everywhere(app, client, db, auth):
    person = make_user(db, email="laptop.lost@example.com")
    db.commit()
    laptop = app.test_client()
    _sign_in(laptop, person.email, DEFAULT_PASSWORD, remember="y")
    remembered = laptop.get_cookie("remember_token").value
    admin = auth.login_as(Role.ADMIN)

    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Sign out everywhere" in page
    response = client.post(f"/admin/users/{person.id}/sign-out", follow_redirects=True)
    assert "Signed laptop.lost@example.com out of every browser" in response.get_data(as_text=True)
    assert not _signed_in(laptop)
    assert not _signed_in(_browser_with_cookie(app, "remember_token", remembered))
    assert _signed_in(client)  # the admin's own session is untouched
    db.expire_all()
    event = db.query(AuditEvent).filter_by(entity_type="user", entity_id=person.id, action="signed_out").one()
    assert event.actor_id == admin.id
    assert _sign_in(app.test_client(), person.email, DEFAULT_PASSWORD).status_code == 302


def test_reactivating_a_person_does_not_revive_their_old_sessions(app, client, db, auth):
    person = make_user(db, email="back@example.com")
    db.commit()
    browser = app.test_client()
    _sign_in(browser, person.email, DEFAULT_PASSWORD)
    auth.login_as(Role.ADMIN)
    client.post(f"/admin/users/{person.id}", data={"role": "viewer"})  # deactivate
    client.post(f"/admin/users/{person.id}", data={"role": "viewer", "active": "y"})
    db.expire_all()
    assert db.get(User, person.id).active
    assert not _signed_in(browser)


@pytest.fixture
def fast_backoff(app_config):
    """A back-off of two seconds at most, so a test can wait it out."""
    app_config.update(LOGIN_BACKOFF_SECONDS=2.0, LOGIN_MAX_BACKOFF_SECONDS=2.0)
    return app_config


def test_failures_slow_an_account_down_but_the_owner_gets_in_after_the_wait(fast_backoff, client, db, app):
    make_user(db, email="ann@example.com")
    db.commit()
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        assert _sign_in(client, "ann@example.com", "guess guess guess", address="192.0.2.66").status_code == 401
    throttled = _sign_in(client, "ann@example.com", DEFAULT_PASSWORD)
    assert throttled.status_code == 429
    retry_after = int(throttled.headers["Retry-After"])
    assert 1 <= retry_after <= 2
    assert f"Too many failed sign-ins. Wait {retry_after} second" in throttled.get_data(as_text=True)
    assert not _signed_in(client)
    time.sleep(retry_after)
    assert _sign_in(client, "ann@example.com", DEFAULT_PASSWORD).status_code == 302


def test_failures_from_many_addresses_delay_the_owner_only_for_a_bounded_time(fast_backoff, client, db):
    make_user(db, email="ann@example.com")
    db.add_all(LoginFailure(email="ann@example.com", remote_addr=f"198.51.100.{n}", at=utcnow()) for n in range(200))
    db.commit()
    throttled = _sign_in(client, "ann@example.com", DEFAULT_PASSWORD)
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) <= 2  # LOGIN_MAX_BACKOFF_SECONDS, however many failures
    time.sleep(int(throttled.headers["Retry-After"]))
    assert _sign_in(client, "ann@example.com", DEFAULT_PASSWORD).status_code == 302


@pytest.mark.slow  # twenty password checks (scrypt) on purpose
def test_failures_from_one_address_behind_the_proxy_do_not_block_other_people(app_config, db):
    from vendorrisk import create_app

    app_config["TRUSTED_PROXY_COUNT"] = 1
    client = create_app(app_config).test_client()
    make_user(db, email="bob@example.com")
    db.commit()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request reaches the app from the proxy

    def attempt(email, password, client_address):
        return client.post("/login", data={"email": email, "password": password}, environ_base=proxy,
                           headers={"X-Forwarded-For": client_address})

    for n in range(20):
        assert attempt(f"guess{n}@example.com", "guess guess guess", "198.51.100.66").status_code == 401
    assert attempt("bob@example.com", DEFAULT_PASSWORD, "198.51.100.66").status_code == 429
    assert attempt("bob@example.com", DEFAULT_PASSWORD, "203.0.113.7").status_code == 302


@pytest.mark.parametrize(("trusted_proxies", "recorded"), [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_forwarded_for_is_believed_only_from_a_trusted_proxy(app_config, db, trusted_proxies, recorded):
    from vendorrisk import create_app

    app_config["TRUSTED_PROXY_COUNT"] = trusted_proxies
    client = create_app(app_config).test_client()
    client.post("/login", data={"email": "ann@example.com", "password": "guess guess guess"},
                headers={"X-Forwarded-For": "203.0.113.9"})
    db.expire_all()
    assert [f.remote_addr for f in db.query(LoginFailure)] == [recorded]


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
