"""Admins manage people; everyone's changes are in the audit log."""
from __future__ import annotations

import re

from models import AuditEvent, Role, User
from tests.factories import make_user


def test_an_admin_adds_a_person_with_a_generated_password_who_can_then_sign_in(client, db, auth, app):
    auth.login_as(Role.ADMIN)
    response = client.post("/admin/users", data={"email": "New.Person@Example.com", "name": "New Person",
                                                 "role": "security"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    password = re.search(r"initial password is (\S+) ", text).group(1)
    db.expire_all()
    person = db.query(User).filter_by(email="new.person@example.com").one()
    assert person.role == Role.SECURITY
    assert password not in person.password_hash
    other = app.test_client()
    assert other.post("/login", data={"email": "new.person@example.com", "password": password}).status_code == 302

    # The admin knows that password, so the person must choose their own first.
    blocked = other.get("/vendors/")
    assert blocked.status_code == 302 and blocked.location == "/account/"
    other.post("/account/password", data={"current_password": password, "new_password": "only I know this one",
                                          "confirm": "only I know this one"})
    assert other.get("/vendors/").status_code == 200


def test_a_second_account_with_the_same_email_is_refused(client, db, auth):
    make_user(db, email="taken@example.com")
    auth.login_as(Role.ADMIN)
    response = client.post("/admin/users", data={"email": "TAKEN@example.com", "role": "viewer"})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)
    assert db.query(User).filter_by(email="taken@example.com").count() == 1


def test_an_admin_changes_a_role_and_deactivates_a_person(client, db, auth):
    person = make_user(db, role=Role.VIEWER)
    auth.login_as(Role.ADMIN)
    client.post(f"/admin/users/{person.id}", data={"role": "compliance", "active": "y"})
    db.expire_all()
    assert db.get(User, person.id).role == Role.COMPLIANCE
    client.post(f"/admin/users/{person.id}", data={"role": "compliance"})
    db.expire_all()
    assert db.get(User, person.id).active is False
    changes = [e.changes for e in db.query(AuditEvent).filter_by(entity_type="user", entity_id=person.id, action="updated")]
    assert changes == [{"role": ["viewer", "compliance"]}, {"active": [True, False]}]


def test_an_admin_cannot_lock_themself_out(client, db, auth):
    admin = auth.login_as(Role.ADMIN)
    response = client.post(f"/admin/users/{admin.id}", data={"role": "viewer", "active": "y"}, follow_redirects=True)
    assert "cannot change your own role" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(User, admin.id).role == Role.ADMIN


def test_the_audit_log_filters_by_person_and_kind(client, db, auth):
    admin = auth.login_as(Role.ADMIN)
    buyer = make_user(db, role=Role.PROCUREMENT, email="buyer@example.com")
    db.commit()
    other = client.application.test_client()
    other.post("/login", data={"email": "buyer@example.com", "password": "correct horse battery"})
    other.post("/vendors/", data={"name": "Bought Vendor", "tier": "low"})
    client.post("/admin/users", data={"email": "x@example.com", "role": "viewer"})

    everything = client.get("/admin/audit").get_data(as_text=True)
    assert "Created vendor Bought Vendor" in everything and "Created user x@example.com" in everything
    by_buyer = client.get(f"/admin/audit?actor={buyer.id}").get_data(as_text=True)
    assert "Created vendor Bought Vendor" in by_buyer and "Created user x@example.com" not in by_buyer
    users_only = client.get("/admin/audit?entity_type=user").get_data(as_text=True)
    assert "Created user x@example.com" in users_only and "Bought Vendor" not in users_only
    assert admin.id  # the admin acted too


def test_only_admins_see_people_and_the_full_audit_log(client, db, auth):
    auth.login_as(Role.COMPLIANCE)
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert "Admin</a>" not in client.get("/vendors/").get_data(as_text=True)


def test_changing_ones_own_password_needs_the_current_one(client, db, auth, app):
    user = auth.login_as(Role.VIEWER)
    wrong = client.post("/account/password", data={"current_password": "nope", "new_password": "a much longer secret",
                                                   "confirm": "a much longer secret"})
    assert wrong.status_code == 400 and "not correct" in wrong.get_data(as_text=True)
    client.post("/account/password", data={"current_password": "correct horse battery",
                                           "new_password": "a much longer secret", "confirm": "a much longer secret"})
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": user.email, "password": "a much longer secret"}).status_code == 302


WEAK_PASSWORDS = {
    " " * 12: "cannot be blank or only spaces",
    "password1234": "too common or too easy to guess",
    "ann.smith@example.com": "Do not use your e-mail address",
    "Ann.Smith2024!": "Do not use your e-mail address",
}


def test_weak_new_passwords_are_refused_with_a_reason_and_the_old_one_still_works(client, db, auth, app):
    user = make_user(db, email="ann.smith@example.com")
    db.commit()
    auth.login(user)
    for weak, reason in WEAK_PASSWORDS.items():
        response = client.post("/account/password", data={"current_password": "correct horse battery",
                                                          "new_password": weak, "confirm": weak})
        assert response.status_code == 400, weak
        assert reason in response.get_data(as_text=True), weak
    assert app.test_client().post("/login", data={"email": user.email, "password": "correct horse battery"}).status_code == 302


def test_a_long_passphrase_is_accepted(client, auth, app):
    user = auth.login_as(Role.VIEWER)
    # 100 characters: past the 72 zxcvbn scores at once, and strong only as a whole.
    passphrase = "heron " * 12 + "lantern quarry velvet mosaic"
    response = client.post("/account/password", data={"current_password": "correct horse battery",
                                                      "new_password": passphrase, "confirm": passphrase})
    assert response.status_code == 302
    assert app.test_client().post("/login", data={"email": user.email, "password": passphrase}).status_code == 302


def test_an_admin_cannot_give_a_new_person_a_weak_password(client, db, auth):
    auth.login_as(Role.ADMIN)
    for weak, reason in WEAK_PASSWORDS.items():
        response = client.post("/admin/users", data={"email": "ann.smith@example.com", "role": "viewer", "password": weak})
        assert response.status_code == 400, weak
        assert reason in response.get_data(as_text=True), weak
    assert db.query(User).filter_by(email="ann.smith@example.com").count() == 0
