"""Register exports: CSV and XLSX from one writer, values that round-trip,
and cells that a spreadsheet shows as text rather than runs as formulas."""
from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from models import (DataCategory, ExportJob, JobStatus, LifecycleStatus, Review, ReviewOutcome, ReviewStatus, Role, Tier,
                    Vendor, VendorDataCategory)
from tests.factories import download_export, make_api_token, make_user, make_vendor
from vendorrisk.infra import scheduler
from vendorrisk.infra.db import begin_read_only, session_factory
from vendorrisk.infra.jobs import wait_for_jobs
from vendorrisk.infra.storage import export_files
from vendorrisk.services import exports, reviews, vendor_csv
from vendorrisk.services.exports import Table


def read_xlsx(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_xlsx_keeps_types_and_shows_formula_like_text_as_text():
    table = Table("Test", ["text", "day", "when", "count", "flag", "tier", "empty"], [
        ["=HYPERLINK(\"http://evil.example\",\"click\")", date(2026, 3, 1),
         datetime(2026, 3, 1, 14, 30, tzinfo=timezone(timedelta(hours=2))), 7, True, Tier.HIGH, None],
        ["plain\x07bell", date(2027, 1, 2), None, 0, False, Tier.LOW, "x"],
    ])
    workbook = load_workbook(io.BytesIO(exports.render(table, "xlsx")))
    sheet = workbook.active
    assert sheet.title == "Test" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G3"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.column_dimensions["A"].width == 43  # the widest cell (41 characters) and a margin
    formula_like = sheet["A2"]
    assert formula_like.data_type == "s" and formula_like.value == "=HYPERLINK(\"http://evil.example\",\"click\")"
    assert read_xlsx(exports.render(table, "xlsx")) == [
        ["text", "day", "when", "count", "flag", "tier", "empty"],
        ["=HYPERLINK(\"http://evil.example\",\"click\")", datetime(2026, 3, 1), datetime(2026, 3, 1, 12, 30), 7,
         "yes", "high", None],
        ["plainbell", datetime(2027, 1, 2), None, 0, "no", "low", "x"],
    ]


def test_csv_escapes_formula_like_cells_and_formats_values():
    table = Table("Test", ["a", "b", "c"], [["=1+1", date(2026, 1, 31), None], ["-5", True, ReviewStatus.WAIVED]])
    data = exports.render(table, "csv")
    assert data.startswith("\ufeff".encode())  # Excel then reads UTF-8
    assert read_csv(data) == [["a", "b", "c"], ["'=1+1", "2026-01-31", ""], ["'-5", "yes", "waived"]]


def seed_inventory(db):
    owner = make_user(db, role=Role.PROCUREMENT, email="owner@example.com")
    acme = make_vendor(db, name="Acme Cloud", tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE,
                       contract_end=date(2027, 6, 30), business_owner_id=owner.id, has_production_access=True,
                       notes="=cmd|' /C calc'!A0")
    acme.data_categories = [VendorDataCategory(category=DataCategory.PHI)]
    beta = make_vendor(db, name="Beta Mail", tier=Tier.LOW)
    db.add_all([
        Review(vendor=acme, due_date=date(2026, 1, 15), status=ReviewStatus.COMPLETED,
               outcome=ReviewOutcome.APPROVED, completed_by_id=owner.id,
               completed_at=datetime(2026, 1, 10, 9, 0, tzinfo=timezone.utc), comment="All good"),
        Review(vendor=beta, due_date=date(2027, 1, 15), status=ReviewStatus.SCHEDULED, owner_id=owner.id),
    ])
    db.commit()


def test_the_vendor_inventory_xlsx_has_the_csv_columns_and_values(client, db, auth):
    seed_inventory(db)
    auth.login_as(Role.VIEWER)
    response = download_export(client, "/exports/vendors.xlsx")
    assert response.status_code == 200
    assert response.mimetype == exports.MEDIA_TYPES["xlsx"]
    assert response.headers["Content-Disposition"].startswith("attachment; filename=vendors-")
    rows = read_xlsx(response.data)
    assert rows[0] == vendor_csv.COLUMNS
    acme = dict(zip(rows[0], rows[1]))
    assert acme["name"] == "Acme Cloud" and acme["tier"] == "critical" and acme["status"] == "active"
    assert acme["data_handled"] == "phi" and acme["has_production_access"] == "yes"
    assert acme["business_owner_email"] == "owner@example.com"
    assert acme["contract_end"] == datetime(2027, 6, 30)
    assert acme["notes"] == "=cmd|' /C calc'!A0"  # text, not a formula
    assert [row[0] for row in rows[1:]] == ["Acme Cloud", "Beta Mail"]

    as_csv = read_csv(download_export(client, "/exports/vendors.csv").data)
    assert as_csv[0] == vendor_csv.COLUMNS
    assert dict(zip(as_csv[0], as_csv[1]))["notes"] == "'=cmd|' /C calc'!A0"
    assert dict(zip(as_csv[0], as_csv[1]))["contract_end"] == "2027-06-30"


def test_the_vendor_csv_export_still_imports(client, db, auth):
    """The inventory CSV is the import's format, through the shared writer."""
    seed_inventory(db)
    auth.login_as(Role.ADMIN)
    data = client.get("/vendors/export.csv").data
    from vendorrisk.infra.db import session_factory

    session = session_factory(client.application)()
    from models import User

    result = vendor_csv.run_import(session, data, actor=session.query(User).first(), today=date.today())
    assert result.ok and result.count("unchanged") == 2
    session.rollback()
    session.close()


def test_the_review_register(client, db, auth):
    seed_inventory(db)
    auth.login_as(Role.COMPLIANCE)
    rows = read_xlsx(download_export(client, "/exports/reviews.xlsx").data)
    assert rows[0] == reviews.EXPORT_COLUMNS
    by_vendor = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    acme = by_vendor["Acme Cloud"]
    assert (acme["tier"], acme["due_date"], acme["status"], acme["outcome"]) == (
        "critical", datetime(2026, 1, 15), "completed", "approved")
    assert acme["completed_at"] == datetime(2026, 1, 10, 9, 0) and acme["completed_by"] == "owner@example.com"
    assert acme["comment"] == "All good"
    assert (by_vendor["Beta Mail"]["status"], by_vendor["Beta Mail"]["owner"]) == ("scheduled", "owner@example.com")
    as_csv = read_csv(download_export(client, "/exports/reviews.csv").data)
    assert dict(zip(as_csv[0], as_csv[1]))["completed_at"] == "2026-01-10 09:00 UTC"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_api_exports_the_same_files(client, db, fmt):
    seed_inventory(db)
    token = make_api_token(db, make_user(db, role=Role.VIEWER))
    db.commit()
    response = client.get(f"/api/v1/exports/vendors?format={fmt}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.mimetype == exports.MEDIA_TYPES[fmt].split(";")[0]
    rows = read_xlsx(response.data) if fmt == "xlsx" else read_csv(response.data)
    assert [row[0] for row in rows] == ["name", "Acme Cloud", "Beta Mail"]
    assert client.get("/api/v1/exports/secrets", headers={"Authorization": f"Bearer {token}"}).status_code == 404
    assert client.get("/api/v1/exports/vendors?format=pdf",
                      headers={"Authorization": f"Bearer {token}"}).json["error"]["field"] == "format"


def test_the_exports_page_lists_every_register(client, auth):
    auth.login_as(Role.VIEWER)
    page = client.get("/exports/").get_data(as_text=True)
    assert "Vendor inventory" in page and "Review register" in page
    assert "/exports/vendors.xlsx" in page and "/exports/reviews.csv" in page


def test_an_export_is_made_in_the_background_and_only_its_requester_or_an_admin_downloads_it(client, db, auth):
    seed_inventory(db)
    asker = make_user(db, role=Role.VIEWER, email="asker@example.com")
    other = make_user(db, role=Role.COMPLIANCE, email="other@example.com")
    admin = make_user(db, role=Role.ADMIN, email="admin@example.com")
    db.commit()
    auth.login(asker)
    response = download_export(client, "/exports/vendors.csv")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert [row[0] for row in read_csv(response.data)] == ["name", "Acme Cloud", "Beta Mail"]
    job = db.scalars(select(ExportJob)).one()
    assert (job.requested_by_id, job.kind, job.fmt, job.status, job.rows_done) == (
        asker.id, "vendors", "csv", JobStatus.DONE, 2)
    assert "Vendor inventory (CSV)" in client.get("/exports/").get_data(as_text=True)  # the asker's list

    auth.logout()
    auth.login(other)
    assert client.get(f"/exports/jobs/{job.id}").status_code == 404
    assert client.get(f"/exports/jobs/{job.id}/file").status_code == 404
    assert "Vendor inventory (CSV)" not in client.get("/exports/").get_data(as_text=True)
    auth.logout()
    auth.login(admin)
    assert client.get(f"/exports/jobs/{job.id}/file").data == response.data


def test_a_failed_export_ends_failed_with_a_plain_message(client, db, auth, app):
    seed_inventory(db)
    auth.login_as(Role.VIEWER)
    # The export folder cannot be created: a file is in its place.
    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)
    Path(app.config["UPLOAD_DIR"], "exports").write_text("not a folder")
    job_page = client.post("/exports/cuecs.xlsx").headers["Location"]
    assert wait_for_jobs(app, timeout=60)
    page = client.get(job_page).get_data(as_text=True)
    assert "The export could not be made. Ask for it again" in page and "Download" not in page
    job = db.scalars(select(ExportJob)).one()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert client.get(job_page + "/file").status_code == 404


def test_exports_run_outside_the_web_process_and_survive_its_child_dying(client, db, auth, app):
    """An export is made by a child process (so it cannot hold the web
    process's GIL against its pages); if that child is killed, the next
    export starts a new one and is made all the same."""
    import signal

    seed_inventory(db)
    auth.login_as(Role.VIEWER)
    assert download_export(client, "/exports/vendors.csv").status_code == 200
    child = app.extensions["vendorrisk.export_process"]
    [pid] = child._processes  # the one process of the executor
    assert pid != os.getpid()
    os.kill(pid, signal.SIGKILL)
    response = download_export(client, "/exports/vendors.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert [job.status for job in db.scalars(select(ExportJob).order_by(ExportJob.id))] == [JobStatus.DONE] * 2


PARENT_KILLED_MID_RUN = """
import json, os, sys
from vendorrisk import create_app
from vendorrisk.infra import jobs

app = create_app(json.loads(sys.argv[1]))
jobs.start_export_process(app)
print(app.extensions["vendorrisk.export_process"].submit(os.getpid).result(), flush=True)
os._exit(0)  # as a server stopped by a signal: no clean-up runs
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_the_export_process_ends_with_the_server_process_that_started_it(app_config):
    """A server process that is killed (gunicorn stopping its workers, `flask
    serve` on SIGTERM) leaves no export process behind."""
    import json
    import subprocess
    import sys
    import time

    settings = {k: v for k, v in app_config.items() if isinstance(v, (str, int, float, bool, type(None)))}
    parent = subprocess.run([sys.executable, "-c", PARENT_KILLED_MID_RUN, json.dumps(settings)],
                            capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert parent.returncode == 0, parent.stderr
    child = int(parent.stdout.split()[-1])

    def running(pid: int) -> bool:
        try:  # a zombie (exited, not yet reaped by whoever adopted it) has ended
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 30
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(child)


def test_housekeeping_fails_stalled_exports_and_deletes_exports_after_a_day(client, db, auth, app):
    seed_inventory(db)
    auth.login_as(Role.VIEWER)
    assert download_export(client, "/exports/reviews.csv").status_code == 200
    job = db.scalars(select(ExportJob)).one()
    # A worker killed 31 minutes ago, in the middle of an export.
    stalled = ExportJob(kind="cuecs", fmt="csv", requested_by_id=job.requested_by_id, filename="cuecs.csv",
                        status=JobStatus.RUNNING, created_at=datetime.now(timezone.utc) - timedelta(minutes=31))
    db.add(stalled)
    path = export_files(app).path_for(job.id, job.fmt)
    assert path.is_file()
    day_ago = datetime.now(timezone.utc) - timedelta(hours=25)
    job.created_at = day_ago
    db.commit()
    os.utime(path, (day_ago.timestamp(), day_ago.timestamp()))
    scheduler.run_sweep(app)
    db.expire_all()
    assert db.scalars(select(ExportJob)).all() == [stalled] and not path.exists()
    assert stalled.status == JobStatus.FAILED and "Ask for it again" in stalled.error


def test_the_registers_never_read_the_extraction_document(app, db):
    """A register reads the items' columns: loading each report's whole
    extraction (megabytes of JSON each) made the CUEC register take minutes."""
    from tests.factories import contract_document, make_extracted_report
    from vendorrisk.services import registers

    make_extracted_report(db, document=contract_document(
        exceptions=[{"control_id": "CC6.2", "description": "Two leavers kept access."}],
        cuecs=[{"text": "User entities review access.", "criteria": ["CC6.1"]}]))
    db.commit()
    statements = []
    engine = db.get_bind()

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        tables = {name: register.build(db, date.today()) for name, register in registers.REGISTERS.items()}
        rows = {name: [list(row) for row in table.rows] for name, table in tables.items()}
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert rows["cuecs"][0][2:4] == ["User entities review access.", "CC6.1"]
    assert rows["exceptions"][0][3:5] == ["CC6.2", "Two leavers kept access."]
    assert statements and not [s for s in statements if re.search(r"report\.extraction\b(?!_)", s)]
    assert not [s for s in statements if "report_item.original" in s]


def test_an_export_reading_its_rows_does_not_hold_up_writers(app, db):
    """On SQLite every transaction takes the write lock (BEGIN IMMEDIATE);
    an export reads for seconds, so its transaction must not."""
    url = app.config["DATABASE_URL"]
    if not url.startswith("sqlite"):
        pytest.skip("PostgreSQL readers never block writers")
    make_vendor(db, name="Acme Cloud")
    db.commit()
    reader = session_factory(app)()
    begin_read_only(reader)
    assert reader.scalars(select(Vendor.name)).all() == ["Acme Cloud"]  # the reader's transaction is open
    writer = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0.2, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # "database is locked" after 0.2 s if the reader held the lock
        writer.execute("UPDATE vendor SET notes = 'written meanwhile'")
        writer.execute("COMMIT")
    finally:
        writer.close()
        reader.close()
