"""Two people editing the same thing: the later save of a stale form is
refused with what changed (409), never applied over the other's change; the
API's If-Match does the same for scripts (412)."""
from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest

from models import AuditEvent, ItemKind, Review, ReportItem, Role, Vendor
from tests.factories import (
    DEFAULT_PASSWORD,
    contract_document,
    make_api_token,
    make_extracted_report,
    make_review,
    make_user,
    make_vendor,
)


class _FormReader(HTMLParser):
    """The fields of the form posting to `action`, as a browser would send them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.values = action, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        if not self.inside or "name" not in attrs and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input":
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.setdefault(name, []).append(attrs.get("value", "on"))
            elif attrs.get("type") != "submit":
                self.values[name] = attrs.get("value", "")
        elif tag == "select":
            self._select = name
            self.values[name] = None
        elif tag == "option" and self._select:
            if self.values[self._select] is None or "selected" in attrs:
                self.values[self._select] = (attrs.get("value", ""), "selected" in attrs)
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            self.values[self._select] = self.values[self._select][0]
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that may open a textarea's content.
            text = self.values[self._textarea]
            self.values[self._textarea] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(page: str, action: str) -> dict:
    reader = _FormReader(action)
    reader.feed(page)
    assert reader.values, f"no form posting to {action}"
    # A selected option may follow the first one: keep the selected, else the first.
    return {k: (v[0] if isinstance(v, tuple) else v) for k, v in reader.values.items()}


def signed_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def open_form(client, page_url: str, action: str) -> dict:
    page = client.get(page_url)
    assert page.status_code == 200
    return form_values(page.get_data(as_text=True), action)


# ---- vendors ---------------------------------------------------------------

def test_a_stale_vendor_form_is_refused_and_the_other_users_notes_survive(app, db):
    vendor = make_vendor(db, name="Acme Cloud", notes="Renewal in spring.", contact_name="Ann Lee")
    alice, bob = make_user(db, role=Role.PROCUREMENT, name="Alice"), make_user(db, role=Role.PROCUREMENT, name="Bob")
    db.commit()
    as_alice, as_bob = signed_in(app, alice), signed_in(app, bob)
    action = f"/vendors/{vendor.id}/edit"
    alice_form, bob_form = open_form(as_alice, action, action), open_form(as_bob, action, action)
    assert alice_form["version"] and alice_form["notes"] == "Renewal in spring."

    alice_form.update(notes="Renewal in spring. Ask for the SOC 2 by March.", contact_name="Raj Patel")
    assert as_alice.post(action, data=alice_form).status_code == 302
    bob_form.update(website="https://acme.example")
    response = as_bob.post(action, data=bob_form)

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed this vendor since you opened it" in page
    assert "notes: &#39;Renewal in spring. Ask for the SOC 2 by March.&#39; (yours: &#39;Renewal in spring.&#39;)" in page
    assert "contact name: &#39;Raj Patel&#39; (yours: &#39;Ann Lee&#39;)" in page
    assert "Review and save again." in page
    kept = form_values(page, action)
    assert kept["website"] == "https://acme.example"  # Bob's input is still in the form
    db.expire_all()
    saved = db.get(Vendor, vendor.id)
    assert (saved.notes, saved.contact_name, saved.website) == (
        "Renewal in spring. Ask for the SOC 2 by March.", "Raj Patel", None)

    # The form now carries the current version: Bob saves what he sees, knowingly.
    assert as_bob.post(action, data=kept).status_code == 302
    db.expire_all()
    saved = db.get(Vendor, vendor.id)
    assert saved.website == "https://acme.example" and saved.contact_name == "Ann Lee"


def test_a_change_the_form_does_not_show_is_no_conflict(app, db):
    """Someone moved the vendor along its lifecycle: the edit form writes no
    status, so saving it loses nothing and goes ahead."""
    vendor = make_vendor(db, name="Acme Cloud")
    alice, bob = make_user(db, role=Role.PROCUREMENT), make_user(db, role=Role.PROCUREMENT)
    db.commit()
    as_alice, as_bob = signed_in(app, alice), signed_in(app, bob)
    action = f"/vendors/{vendor.id}/edit"
    bob_form = open_form(as_bob, action, action)
    assert as_alice.post(f"/vendors/{vendor.id}/status", data={"status": "onboarding"}).status_code == 302
    bob_form.update(notes="Checked.")
    assert as_bob.post(action, data=bob_form).status_code == 302
    db.expire_all()
    saved = db.get(Vendor, vendor.id)
    assert (saved.status.value, saved.notes) == ("onboarding", "Checked.")


# ---- exception triage and CUEC mapping ---------------------------------------

@pytest.fixture
def report_items(db):
    report = make_extracted_report(db, vendor=make_vendor(db, name="Acme Cloud"), document=contract_document(
        exceptions=[{"control_id": "CC6.1", "description": "One of 25 leavers kept access."}],
        cuecs=[{"text": "User entities review user access quarterly."}],
    ))
    db.commit()
    exception = next(i for i in report.items if i.kind == ItemKind.EXCEPTION)
    cuec = next(i for i in report.items if i.kind == ItemKind.CUEC)
    return report, exception, cuec


def test_a_stale_triage_form_does_not_replace_a_follow_up_decision(app, db, report_items):
    report, exception, _ = report_items
    alice, bob = make_user(db, role=Role.SECURITY, name="Alice"), make_user(db, role=Role.SECURITY, name="Bob")
    db.commit()
    as_alice, as_bob = signed_in(app, alice), signed_in(app, bob)
    page = f"/reports/{report.id}/items/{exception.id}"
    action = f"{page}/triage"
    alice_form, bob_form = open_form(as_alice, page, action), open_form(as_bob, page, action)

    alice_form.update(triage_status="follow_up_required", severity="high", due_date="2027-01-15",
                      notes="Vendor to confirm access removal.")
    assert as_alice.post(action, data=alice_form).status_code == 302
    bob_form.update(triage_status="accepted", severity="low", notes="Minor.")
    response = as_bob.post(action, data=bob_form)

    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert ("Someone else changed this exception since you opened it: triage status: &#39;follow up required&#39; "
            "(yours: &#39;accepted&#39;); severity: &#39;high&#39; (yours: &#39;low&#39;); due date: &#39;2027-01-15&#39; "
            "(yours: &#39;&#39;); notes: &#39;Vendor to confirm access removal.&#39; (yours: &#39;Minor.&#39;). "
            "Review and save again.") in text
    assert form_values(text, action)["notes"] == "Minor."
    db.expire_all()
    saved = db.get(ReportItem, exception.id)
    assert (saved.triage_status.value, saved.due_date, saved.notes) == (
        "follow_up_required", date(2027, 1, 15), "Vendor to confirm access removal.")


def test_a_stale_cuec_mapping_is_refused_and_the_first_mapping_survives(app, db, report_items):
    report, _, cuec = report_items
    alice, bob = make_user(db, role=Role.SECURITY, name="Alice"), make_user(db, role=Role.SECURITY, name="Bob")
    db.commit()
    as_alice, as_bob = signed_in(app, alice), signed_in(app, bob)
    page = f"/reports/{report.id}/items/{cuec.id}"
    action = f"{page}/cuec"
    alice_form, bob_form = open_form(as_alice, page, action), open_form(as_bob, page, action)

    alice_form.update(owner_id=str(alice.id), control_reference="AC-02", cuec_status="implemented")
    assert as_alice.post(action, data=alice_form).status_code == 302
    bob_form.update(control_reference="AC-07", evidence="Quarterly access review tickets.")
    response = as_bob.post(action, data=bob_form)

    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Someone else changed this CUEC since you opened it: owner: &#39;Alice&#39; (yours: &#39;&#39;)" in text
    assert "control reference: &#39;AC-02&#39; (yours: &#39;AC-07&#39;)" in text
    db.expire_all()
    saved = db.get(ReportItem, cuec.id)
    assert (saved.owner_id, saved.control_reference, saved.evidence) == (alice.id, "AC-02", None)


# ---- the vendor review ---------------------------------------------------------

@pytest.fixture
def open_review(db):
    vendor = make_vendor(db, name="Acme Cloud")
    review = make_review(db, vendor, due_date=date(2027, 3, 1))
    db.commit()
    return vendor, review


def test_a_stale_review_owner_form_does_not_replace_the_new_owner(app, db, open_review):
    vendor, review = open_review
    alice, bob = make_user(db, role=Role.COMPLIANCE, name="Alice"), make_user(db, role=Role.COMPLIANCE, name="Bob")
    db.commit()
    as_alice, as_bob = signed_in(app, alice), signed_in(app, bob)
    page, action = f"/vendors/{vendor.id}", f"/reviews/{review.id}/owner"
    alice_form, bob_form = open_form(as_alice, page, action), open_form(as_bob, page, action)

    assert as_alice.post(action, data={**alice_form, "owner_id": str(alice.id)}).status_code == 302
    response = as_bob.post(action, data={**bob_form, "owner_id": str(bob.id)})

    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert ("Someone else changed this review since you opened it: owner: &#39;Alice&#39; (yours: &#39;Bob&#39;). "
            "Review and save again.") in text
    assert form_values(text, action)["owner_id"] == str(bob.id)  # Bob's choice is still in the form
    db.expire_all()
    assert db.get(Review, review.id).owner_id == alice.id


def test_a_second_sign_off_of_a_review_says_who_concluded_it_and_keeps_their_conclusion(app, db, open_review):
    vendor, review = open_review
    alice, bob = make_user(db, role=Role.COMPLIANCE, name="Alice"), make_user(db, role=Role.COMPLIANCE, name="Bob")
    db.commit()
    as_alice, as_bob = signed_in(app, alice), signed_in(app, bob)
    page, action = f"/vendors/{vendor.id}", f"/reviews/{review.id}/complete"
    alice_form, bob_form = open_form(as_alice, page, action), open_form(as_bob, page, action)

    alice_form.update(outcome="rejected", comment="No MFA for admins.")
    assert as_alice.post(action, data=alice_form).status_code == 302
    bob_form.update(outcome="approved", comment="Fine.")
    response = as_bob.post(action, data=bob_form)

    assert response.status_code == 409
    assert ("This review was already completed by Alice: rejected (“No MFA for admins.”); "
            "it cannot change any more.") in response.get_data(as_text=True)
    db.expire_all()
    concluded = db.get(Review, review.id)
    assert (concluded.outcome.value, concluded.comment, concluded.completed_by_id) == (
        "rejected", "No MFA for admins.", alice.id)


# ---- the API: ETag and If-Match ------------------------------------------------

def bearer(db, role: Role) -> dict:
    token = make_api_token(db, make_user(db, role=role))
    db.commit()
    return {"Authorization": f"Bearer {token}"}


def test_api_update_with_a_stale_if_match_is_refused_and_changes_nothing(client, db):
    vendor = make_vendor(db, name="Acme Cloud", notes="Renewal in spring.")
    alice, bob = bearer(db, Role.PROCUREMENT), bearer(db, Role.PROCUREMENT)
    url = f"/api/v1/vendors/{vendor.id}"
    etag_alice = client.get(url, headers=alice).headers["ETag"]
    etag_bob = client.get(url, headers=bob).headers["ETag"]
    assert etag_alice == etag_bob == '"1"'

    first = client.patch(url, headers={**alice, "If-Match": etag_alice}, json={"notes": "Ask for the SOC 2."})
    assert first.status_code == 200 and first.json["notes"] == "Ask for the SOC 2."
    assert first.headers["ETag"] == '"2"' and first.json["version"] == 2
    stale = client.patch(url, headers={**bob, "If-Match": etag_bob}, json={"notes": "Nothing to add."})

    assert stale.status_code == 412
    assert stale.json["error"]["code"] == "precondition_failed"
    assert 'now at version 2 (ETag "2"), not "1"' in stale.json["error"]["message"]
    db.expire_all()
    assert db.get(Vendor, vendor.id).notes == "Ask for the SOC 2."
    assert db.query(AuditEvent).filter_by(entity_type="vendor", action="updated").count() == 1

    # With the current ETag the update goes through and answers the next one.
    current = client.get(url, headers=bob).headers["ETag"]
    retried = client.patch(url, headers={**bob, "If-Match": current}, json={"notes": "Nothing to add."})
    assert retried.status_code == 200 and retried.headers["ETag"] == '"3"'
    # The data categories are rows of their own; changing only them is a new version too.
    categories = client.patch(url, headers={**bob, "If-Match": '"3"'}, json={"data_handled": ["phi"]})
    assert categories.status_code == 200 and categories.headers["ETag"] == '"4"'


def test_api_triage_and_cuec_updates_honour_if_match(client, db, report_items):
    _, exception, cuec = report_items
    security = bearer(db, Role.SECURITY)
    for url, body, stale_body in (
        (f"/api/v1/exceptions/{exception.id}", {"severity": "high"}, {"severity": "low"}),
        (f"/api/v1/cuecs/{cuec.id}", {"internal_control": "AC-02"}, {"internal_control": "AC-07"}),
    ):
        read = client.get(url, headers=security)
        assert read.status_code == 200 and read.headers["ETag"] == f'"{read.json["version"]}"'
        updated = client.patch(url, headers={**security, "If-Match": read.headers["ETag"]}, json=body)
        assert updated.status_code == 200 and updated.headers["ETag"] != read.headers["ETag"]
        stale = client.patch(url, headers={**security, "If-Match": read.headers["ETag"]}, json=stale_body)
        assert stale.status_code == 412, url
        assert client.get(url, headers=security).json == updated.json


# ---- two saves in the same instant -----------------------------------------------

@pytest.mark.parametrize("model", ["vendor", "item", "review"])
def test_of_two_writes_based_on_one_version_the_second_fails_instead_of_overwriting(app, db, model, report_items):
    """The conditional UPDATE behind every check above: two requests that
    passed the version check together cannot both write."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    report, exception, _ = report_items
    row = {"vendor": report.vendor, "item": exception,
           "review": make_review(db, report.vendor, due_date=date(2027, 3, 1))}[model]
    db.commit()
    column = {"vendor": "notes", "item": "notes", "review": "comment"}[model]
    engine = create_engine(app.config["DATABASE_URL"])
    with Session(engine) as first, Session(engine) as second:
        mine, theirs = first.get(type(row), row.id), second.get(type(row), row.id)
        setattr(theirs, column, "theirs")
        second.commit()
        setattr(mine, column, "mine")
        with pytest.raises(StaleDataError):
            first.commit()
    engine.dispose()
    db.expire_all()
    assert getattr(db.get(type(row), row.id), column) == "theirs"
