"""The per-user calendar feed (token-protected, valid RFC 5545) and the
notification bell."""
from __future__ import annotations

import re
from datetime import date

import icalendar

from models import CalendarFeed, LifecycleStatus, Notification, Role
from tests.factories import make_notification, make_review, make_user, make_vendor
from vendorrisk.services.calendar import hash_token


def create_feed(client, scope="mine") -> str:
    response = client.post("/account/calendar", data={"scope": scope})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    url = re.search(r'value="(http[^"]+\.ics)"', response.get_data(as_text=True)).group(1)
    return url.removeprefix("http://localhost")


def test_feed_is_valid_icalendar_with_the_users_reviews(client, auth, db):
    user = auth.login_as(Role.SECURITY)
    other = make_user(db, role=Role.SECURITY)
    mine = make_vendor(db, name="Mine, Inc; with \\ specials", status=LifecycleStatus.ACTIVE)
    review = make_review(db, mine, due_date=date(2028, 2, 29), owner=user, due_reason="a reason long enough " * 5)
    theirs = make_vendor(db, name="Theirs", status=LifecycleStatus.ACTIVE)
    make_review(db, theirs, due_date=date(2027, 1, 31), owner=other)
    db.commit()
    path = create_feed(client)
    auth.logout()

    response = client.get(path)  # no session: calendar apps cannot sign in
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    raw = response.get_data()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded as RFC 5545 requires
    parsed = icalendar.Calendar.from_ical(raw)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Vendor review due: Mine, Inc; with \\ specials"
    assert event.decoded("DTSTART") == date(2028, 2, 29)
    assert event.decoded("DTEND") == date(2028, 3, 1)
    assert str(event["UID"]).startswith(f"review-{review.id}@")
    assert "a reason long enough" in str(event["DESCRIPTION"])


def test_all_scope_shows_every_open_review_of_active_vendors(client, auth, db):
    auth.login_as(Role.VIEWER)
    other = make_user(db, role=Role.SECURITY)
    for n in range(3):
        make_review(db, make_vendor(db, status=LifecycleStatus.ACTIVE), due_date=date(2027, 1, n + 1), owner=other)
    make_review(db, make_vendor(db, status=LifecycleStatus.TERMINATED), due_date=date(2027, 1, 9))
    db.commit()
    path = create_feed(client, scope="all")
    events = list(icalendar.Calendar.from_ical(client.get(path).get_data()).walk("VEVENT"))
    assert len(events) == 3


def test_token_is_stored_hashed_and_can_be_replaced_or_revoked(client, auth, db):
    user = auth.login_as(Role.VIEWER)
    first = create_feed(client)
    token = first.removeprefix("/calendar/").removesuffix(".ics")
    db.expire_all()
    assert db.get(CalendarFeed, user.id).token_sha256 == hash_token(token) != token
    assert token not in client.get("/account/").get_data(as_text=True)  # shown once only

    second = create_feed(client)
    assert client.get(first).status_code == 404  # replaced
    assert client.get(second).status_code == 200
    client.post("/account/calendar/revoke")
    assert client.get(second).status_code == 404
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404


def test_a_deactivated_users_feed_stops_working(client, auth, db):
    user = auth.login_as(Role.VIEWER)
    path = create_feed(client)
    assert client.get(path).status_code == 200
    db.expire_all()
    db.get(type(user), user.id).active = False
    db.commit()
    assert client.get(path).status_code == 404


def test_bell_shows_the_unread_count_and_marking_read_clears_it(client, auth, db):
    user = auth.login_as(Role.VIEWER)
    first = make_notification(db, user, subject="Review of Acme due", link="/vendors/")
    make_notification(db, user, subject="Second")
    stranger = make_notification(db, make_user(db), subject="Not yours")
    db.commit()
    page = client.get("/notifications/").get_data(as_text=True)
    assert 'aria-label="Notifications, 2 unread"' in page
    assert "Review of Acme due" in page and "Not yours" not in page

    response = client.post(f"/notifications/{first.id}/open")
    assert response.status_code == 302 and response.location.endswith("/vendors/")
    assert client.post(f"/notifications/{stranger.id}/read").status_code == 404
    assert 'aria-label="Notifications, 1 unread"' in client.get("/notifications/").get_data(as_text=True)
    client.post("/notifications/read-all")
    page = client.get("/notifications/?show=unread").get_data(as_text=True)
    assert "Nothing unread" in page and 'aria-label="Notifications"' in page
    db.expire_all()
    assert db.get(Notification, stranger.id).read_at is None


def test_a_notification_never_redirects_off_site(client, auth, db):
    user = auth.login_as(Role.VIEWER)
    evil = make_notification(db, user, link="https://evil.example/")
    db.commit()
    assert client.post(f"/notifications/{evil.id}/open").location.endswith("/notifications/")
