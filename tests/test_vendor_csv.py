"""CSV import (preview, row errors, all-or-nothing, idempotent) and export round trip."""
from __future__ import annotations

import io
import re
from datetime import date

from models import AuditEvent, DataCategory, LifecycleStatus, Review, ReviewStatus, Role, Tier, Vendor
from tests.factories import make_user, make_vendor

GOOD = (
    "name,tier,status,data_handled,has_production_access,contract_end,business_owner_email\n"
    "Acme Cloud,high,active,customer_pii;financial,yes,2027-06-30,owner@example.com\n"
    "Beta Mail,low,,,no,,\n"
)


def upload(client, text: str, filename="vendors.csv"):
    return client.post("/vendors/import", data={"file": (io.BytesIO(text.encode()), filename)},
                       content_type="multipart/form-data")


def confirm(client, preview_response):
    token = re.search(r'/vendors/import/([0-9a-f]{64})', preview_response.get_data(as_text=True)).group(1)
    return client.post(f"/vendors/import/{token}")


def test_preview_shows_what_will_happen_and_saves_nothing(client, db, auth):
    make_user(db, email="owner@example.com")
    auth.login_as(Role.PROCUREMENT)
    response = upload(client, GOOD)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 to create" in text and "Import 2 rows" in text
    assert db.query(Vendor).count() == 0


def test_confirmed_import_creates_vendors_and_a_second_run_changes_nothing(client, db, auth):
    owner = make_user(db, email="owner@example.com")
    auth.login_as(Role.PROCUREMENT)
    response = confirm(client, upload(client, GOOD))
    assert response.status_code == 302
    db.expire_all()
    acme = db.query(Vendor).filter_by(name="Acme Cloud").one()
    assert acme.tier == Tier.HIGH and acme.status == LifecycleStatus.ACTIVE
    assert acme.data_handled == {DataCategory.CUSTOMER_PII, DataCategory.FINANCIAL}
    assert acme.has_production_access and acme.business_owner_id == owner.id
    assert db.query(Vendor).filter_by(name="Beta Mail").one().status == LifecycleStatus.PROSPECT

    events = db.query(AuditEvent).count()
    second = upload(client, GOOD)
    assert "2 unchanged" in second.get_data(as_text=True)
    confirm(client, second)
    db.expire_all()
    assert db.query(Vendor).count() == 2
    assert db.query(AuditEvent).count() == events

    # Another spelling of a name is the same vendor, and it keeps its name as stored.
    preview = upload(client, GOOD.replace("Acme Cloud", "ACME CLOUD"))
    assert "2 unchanged" in preview.get_data(as_text=True)
    confirm(client, preview)
    db.expire_all()
    assert sorted(v.name for v in db.query(Vendor)) == ["Acme Cloud", "Beta Mail"]


def test_a_row_for_an_existing_vendor_updates_it_and_logs_the_change(client, db, auth):
    make_vendor(db, name="Acme Cloud", tier=Tier.LOW)
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    preview = upload(client, "name,tier\nAcme Cloud,critical\n")
    assert "1 to update" in preview.get_data(as_text=True)
    confirm(client, preview)
    db.expire_all()
    vendor = db.query(Vendor).one()
    assert vendor.tier == Tier.CRITICAL and vendor.name == "Acme Cloud"
    assert db.query(AuditEvent).filter_by(vendor_id=vendor.id, action="updated").one().changes["tier"] == ["low", "critical"]


def test_row_errors_are_listed_by_line_and_nothing_is_imported(client, db, auth):
    auth.login_as(Role.PROCUREMENT)
    text = (
        "name,tier,contract_start,business_owner_email,data_handled,has_production_access\n"
        "Good Vendor,low,,,,\n"
        "Bad Tier,extreme,,,,\n"
        "Bad Date,low,31/12/2026,,,\n"
        "Bad Owner,low,,nobody@example.com,,\n"
        "Bad Data,low,,,unicorns,\n"
        "Bad Flag,low,,,,maybe\n"
        "good vendor,low,,,,\n"
    )
    preview = upload(client, text)
    page = preview.get_data(as_text=True)
    assert "“extreme” is not one of critical, high, medium, low" in page
    assert "YYYY-MM-DD" in page
    assert "no user has the e-mail nobody@example.com" in page
    assert "“unicorns” is not known" in page
    assert "write yes or no" in page
    assert "also on line 2" in page
    assert "Nothing will be imported" in page and "Import " not in page.split("Nothing will be imported")[1]
    # Confirming anyway (a forged or stale request) imports nothing either.
    token = re.search(r"[0-9a-f]{64}", __import__("hashlib").sha256(text.encode()).hexdigest()).group(0)
    response = client.post(f"/vendors/import/{token}")
    assert response.status_code == 400
    assert db.query(Vendor).count() == 0


def test_a_file_that_is_not_a_vendor_csv_is_explained(client, auth):
    auth.login_as(Role.PROCUREMENT)
    for text, message in [
        ("", "The file is empty"),
        ("vendor,level\nAcme,high\n", "Missing column(s): name, tier"),
        ("name,tier,colour\nAcme,high,blue\n", "Unknown column(s): colour"),
        ("name,tier\n", "no vendor rows"),
        ('name,tier\n"Acme,high\n', "Acme"),
    ]:
        page = upload(client, text).get_data(as_text=True)
        assert message in page, text


def test_binary_garbage_gets_a_clear_error_not_a_crash(client, auth):
    auth.login_as(Role.PROCUREMENT)
    response = client.post("/vendors/import", data={"file": (io.BytesIO(b"%PDF-1.7\x00\xff\xfe binary"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Missing column(s)" in _file_error(response)


def _file_error(response) -> str:
    """The error shown at the file input: its text, checking the input points to it and takes the focus."""
    page = response.get_data(as_text=True)
    file_input = re.search(r'<input[^>]*id="file"[^>]*>', page).group(0)
    assert 'aria-describedby="file-error"' in file_input and "autofocus" in file_input
    return re.search(r'<small id="file-error"[^>]*>(.*?)</small>', page, re.S).group(1)


def test_an_unusable_file_is_explained_at_the_file_input(client, db, auth):
    auth.login_as(Role.PROCUREMENT)
    empty = upload(client, "")
    assert empty.status_code == 422
    assert "The file is empty" in _file_error(empty)
    no_rows = upload(client, "name,tier\n")
    assert no_rows.status_code == 422 and "no vendor rows" in _file_error(no_rows)
    assert db.query(Vendor).count() == 0


def test_export_round_trips_through_import(client, db, auth):
    owner = make_user(db, email="owner@example.com")
    auth.login_as(Role.PROCUREMENT)
    confirm(client, upload(client, GOOD))
    make_vendor(db, name="=HYPERLINK(\"http://evil\")", tier=Tier.LOW, notes="line one\nline two, with comma",
                business_owner_id=owner.id)
    db.commit()
    exported = client.get("/vendors/export.csv")
    assert exported.headers["Content-Type"].startswith("text/csv")
    body = exported.get_data(as_text=True)
    assert "'=HYPERLINK" in body  # a spreadsheet will not run it as a formula
    preview = upload(client, body).get_data(as_text=True)
    assert "3 unchanged" in preview and "with errors" not in preview


def test_export_follows_the_list_filters(client, db, auth):
    make_vendor(db, name="Alpha", tier=Tier.CRITICAL)
    make_vendor(db, name="Beta", tier=Tier.LOW)
    db.commit()
    auth.login_as(Role.VIEWER)
    body = client.get("/vendors/export.csv?tier=critical").get_data(as_text=True)
    assert "Alpha" in body and "Beta" not in body


def test_viewers_cannot_import(client, db, auth):
    auth.login_as(Role.VIEWER)
    assert upload(client, GOOD).status_code == 403
    assert db.query(Vendor).count() == 0


def test_blank_cells_keep_stored_values_and_the_clear_marker_empties_a_field(client, db, auth):
    owner = make_user(db, email="owner@example.com")
    make_vendor(db, name="Acme Cloud", tier=Tier.HIGH, contact_name="Dana Reyes", contact_email="dana@acme.example",
                contact_phone="+1 555 0100", contract_start=date(2025, 1, 1), contract_end=date(2027, 6, 30),
                business_owner_id=owner.id, has_production_access=True, notes="Keep me")
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    text = ("name,tier,contact_name,contact_email,contact_phone,contract_start,contract_end,business_owner_email,"
            "has_production_access,notes\n"
            "acme cloud,,,,,,,,,(clear)\n")
    preview = upload(client, text)
    assert "1 to update" in preview.get_data(as_text=True)
    confirm(client, preview)
    db.expire_all()
    vendor = db.query(Vendor).one()
    assert vendor.name == "Acme Cloud" and vendor.tier == Tier.HIGH
    assert (vendor.contact_name, vendor.contact_email, vendor.contact_phone) == (
        "Dana Reyes", "dana@acme.example", "+1 555 0100")
    assert (vendor.contract_start, vendor.contract_end) == (date(2025, 1, 1), date(2027, 6, 30))
    assert vendor.business_owner_id == owner.id and vendor.has_production_access
    assert vendor.notes is None
    assert db.query(AuditEvent).filter_by(vendor_id=vendor.id, action="updated").one().changes == {
        "notes": ["Keep me", None]}


def test_the_preview_shows_old_and_new_value_of_each_changed_field(client, db, auth):
    make_user(db, email="owner@example.com")
    make_vendor(db, name="Acme Cloud", tier=Tier.LOW, contract_end=date(2026, 6, 30), contact_name="Dana Reyes")
    db.commit()
    auth.login_as(Role.PROCUREMENT)
    page = upload(client, "name,tier,contract_end,contact_name,business_owner_email\n"
                          "Acme Cloud,high,2027-06-30,,owner@example.com\n"
                          "New Vendor,medium,,Sam Lee,\n").get_data(as_text=True)
    changes = {" ".join(re.sub(r"<[^>]+>", "", li).split()) for li in re.findall(r"<li><code>(.*?)</li>", page, re.S)}
    assert "tier: low → high" in changes
    assert "contract_end: 2026-06-30 → 2027-06-30" in changes
    assert "business_owner_email: (blank) → owner@example.com" in changes
    assert not any(c.startswith("contact_name: Dana") for c in changes)  # the blank cell changes nothing
    # A new vendor's row lists the values it will get.
    assert "contact_name: Sam Lee" in changes and "tier: medium" in changes
    assert db.query(Vendor).count() == 1


def test_an_active_vendor_created_by_import_has_its_review_scheduled_at_once(client, db, auth):
    auth.login_as(Role.PROCUREMENT)
    confirm(client, upload(client, "name,tier,status\nAcme Cloud,high,active\nBeta Mail,low,\n"))
    db.expire_all()
    acme = db.query(Vendor).filter_by(name="Acme Cloud").one()
    review = db.query(Review).filter_by(vendor_id=acme.id).one()
    assert review.status == ReviewStatus.SCHEDULED and review.due_date is not None
    assert db.query(Review).count() == 1  # the prospect has none
