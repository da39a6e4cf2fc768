"""`flask backup` and `flask restore`: the database and the uploads in one
archive, restored into an empty instance with every vendor, report, decision
and file; a non-empty instance or a damaged archive is refused untouched."""
from __future__ import annotations

import io
import itertools
import json
import tarfile
from contextlib import ExitStack
from pathlib import Path

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, make_url, select

import models
from models import AuditEvent, ItemKind, Report, Review, ReviewOutcome, ReviewStatus, Role, Severity, TriageStatus, Vendor
from models.base import utcnow
from tests.conftest import BACKENDS, new_database
from tests.factories import DEFAULT_PASSWORD, contract_document, make_extracted_report, make_user, make_vendor
from vendorrisk import create_app
from vendorrisk.infra.db import alembic_config, session_factory
from vendorrisk.infra.storage import get_store
from vendorrisk.services import audit, reports, signoff

REPORT_PDF = Path(__file__).parent / "corpus" / "r05-tessellate.pdf"
LEAVERS = {"control_id": "CC6.2", "description": "For 2 of 25 leavers sampled, access was removed 9 days late.",
           "page": 14, "bbox": [50.0, 100.0, 500.0, 140.0]}
MFA = {"text": "User entities are responsible for enforcing multi-factor authentication.", "page": 9}


@pytest.fixture
def reviewed(app, db):
    """Two vendors, one with a stored SOC report whose exception was triaged and
    which was signed off, plus the audit trail those decisions left."""
    security = make_user(db, role=Role.SECURITY, name="Sam Security")
    compliance = make_user(db, role=Role.COMPLIANCE)
    acme = make_vendor(db, name="Acme Cloud", notes="Hosts the “payroll” exports — ünïcode kept.")
    make_vendor(db, name="Borealis Payroll")
    stored = get_store(app).save_pdf(io.BytesIO(REPORT_PDF.read_bytes()), max_bytes=app.config["MAX_CONTENT_LENGTH"])
    report = make_extracted_report(db, vendor=acme, sha256=stored.sha256, filename="acme-soc2.pdf",
                                   document=contract_document(exceptions=[LEAVERS], cuecs=[MFA]))
    exception = next(item for item in report.items if item.kind == ItemKind.EXCEPTION)
    reports.triage_exception(db, exception, status=TriageStatus.ACCEPTED, severity=Severity.LOW, assignee_id=None,
                             due_date=None, notes="Quarterly access review compensates.", actor=security)
    signoff.sign_off(db, report, outcome=ReviewOutcome.APPROVED_WITH_CONDITIONS, comment="Fix leavers by Q2.",
                     conditions=[signoff.ConditionInput("Fix leavers", compliance.id, utcnow().date())],
                     actor=compliance, today=utcnow().date())
    audit.record(db, security, "vendor_updated", "Noted the payroll exports", entity_type="vendor",
                 entity_id=acme.id, vendor_id=acme.id, changes={"notes": (None, acme.notes)})
    db.commit()
    return {"security": security, "report": report, "exception": exception, "pdf": stored.path.read_bytes()}


@pytest.fixture
def new_instance(app_config, database_url, tmp_path):
    """Makes instances apart from `app`: each a new database (no schema) and a new
    upload folder, on the test's backend unless another is named."""
    numbers = itertools.count(1)
    with ExitStack() as cleanup:
        def make(backend: str = make_url(database_url).get_backend_name()):
            folder = tmp_path / f"instance-{next(numbers)}"
            folder.mkdir()
            url = cleanup.enter_context(new_database(backend, folder))
            instance = create_app({**app_config, "DATABASE_URL": url, "UPLOAD_DIR": str(folder / "uploads")})
            cleanup.callback(session_factory(instance).kw["bind"].dispose)
            return instance

        yield make


@pytest.fixture
def fresh_instance(new_instance):
    return new_instance()


def every_row(url: str) -> dict[str, list[tuple]]:
    """All rows of every model table, read through the models' column types."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table.name: [tuple(row) for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns))]
                    for table in models.Base.metadata.sorted_tables}
    finally:
        engine.dispose()


def backup_to(runner, path: Path) -> Path:
    result = runner.invoke(args=["backup", "--output", str(path)])
    assert result.exit_code == 0, result.output
    assert f"to {path}" in result.output
    return path


def test_restore_into_an_empty_instance_brings_back_every_vendor_report_decision_and_file(
        app, runner, reviewed, fresh_instance, tmp_path):
    archive = backup_to(runner, tmp_path / "nightly.tar.gz")
    assert archive.stat().st_mode & 0o077 == 0  # password hashes and confidential reports: the owner's eyes only

    result = fresh_instance.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "1 files" in result.output and "row counts and file checksums match" in result.output

    original = every_row(app.config["DATABASE_URL"])
    restored = every_row(fresh_instance.config["DATABASE_URL"])
    assert restored == original  # every table, every column
    assert all(original[name] for name in ("vendor", "report", "report_item", "audit_event", "review"))

    with session_factory(fresh_instance)() as session:
        assert {v.name for v in session.scalars(select(Vendor))} == {"Acme Cloud", "Borealis Payroll"}
        report = session.get(Report, reviewed["report"].id)
        assert report.signoff_outcome == ReviewOutcome.APPROVED_WITH_CONDITIONS
        assert report.signoff_comment == "Fix leavers by Q2."
        exception = next(item for item in report.items if item.kind == ItemKind.EXCEPTION)
        assert exception.triage_status == TriageStatus.ACCEPTED and exception.severity == Severity.LOW
        assert session.scalar(select(Review).where(Review.report_id == report.id)).status == ReviewStatus.COMPLETED
        actions = {event.action for event in session.scalars(select(AuditEvent))}
        assert {"exception_triaged", "report_signed_off", "vendor_updated"} <= actions
        # New rows continue after the restored ids (PostgreSQL's sequences were moved on).
        newcomer = Vendor(name="After the restore", tier=report.vendor.tier, status=report.vendor.status)
        session.add(newcomer)
        session.commit()
        assert newcomer.id > max(row[0] for row in original["vendor"])

    # The restored instance serves the very same file to the same user and password.
    client = fresh_instance.test_client()
    login = client.post("/login", data={"email": reviewed["security"].email, "password": DEFAULT_PASSWORD})
    assert login.status_code == 302
    download = client.get(f"/documents/{report.document_id}/file")
    assert download.status_code == 200 and download.data == reviewed["pdf"]


def test_restore_refuses_an_instance_that_holds_data_unless_forced(app, db, runner, reviewed, tmp_path):
    archive = backup_to(runner, tmp_path / "backup.tar.gz")
    vendor = db.scalar(select(Vendor).where(Vendor.name == "Borealis Payroll"))
    vendor.name = "Borealis Payroll (renamed after the backup)"
    db.commit()

    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0
    assert refused.output.strip().splitlines() == [
        "Error: The database already holds data (2 users, 2 vendors); restore into a new, empty database, "
        "or pass --force to replace everything in it."]
    db.expire_all()
    assert db.get(Vendor, vendor.id).name == "Borealis Payroll (renamed after the backup)"

    forced = runner.invoke(args=["restore", str(archive), "--force"])
    assert forced.exit_code == 0, forced.output
    db.expire_all()
    assert db.get(Vendor, vendor.id).name == "Borealis Payroll"


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with each member's bytes passed through change(name, data)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def _flip_a_byte(name: str, data: bytes) -> bytes:
    return data[:1000] + bytes([data[1000] ^ 1]) + data[1001:] if name.startswith("uploads/") else data


def _change_a_row(name: str, data: bytes) -> bytes:
    return data.replace(b"Borealis", b"Xorealis") if name == "database/vendor.jsonl" else data


def _from_the_future(name: str, data: bytes) -> bytes:
    if name != "manifest.json":
        return data
    return json.dumps({**json.loads(data), "alembic_revision": "9999_future"}).encode()


@pytest.mark.parametrize("damage, message", [
    ("missing", "There is no backup file"),
    ("truncated", "is not a readable backup archive (damaged or truncated?)"),
    ("not an archive", "is not a readable backup archive"),
    ("upload altered", "does not match its checksum"),
    ("row altered", "database/vendor.jsonl does not match its checksum"),
    ("upload removed", "is incomplete: uploads/"),
    ("from a newer version", "is at schema revision 9999_future, which this version of VendorRisk does not know"),
])
def test_a_damaged_archive_is_refused_and_nothing_changes(runner, reviewed, fresh_instance, tmp_path, damage, message):
    good = backup_to(runner, tmp_path / "good.tar.gz")
    damaged = tmp_path / "damaged.tar.gz"
    if damage == "truncated":
        damaged.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "not an archive":
        damaged.write_bytes(b"%PDF-1.4 this is a report, not a backup")
    elif damage == "upload altered":
        _rewrite(good, damaged, _flip_a_byte)
    elif damage == "row altered":
        _rewrite(good, damaged, _change_a_row)
    elif damage == "upload removed":
        _rewrite(good, damaged, lambda name, data: None if name.startswith("uploads/") else data)
    elif damage == "from a newer version":
        _rewrite(good, damaged, _from_the_future)

    result = fresh_instance.test_cli_runner().invoke(args=["restore", str(damaged)])
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1 and message in result.output, result.output
    engine = session_factory(fresh_instance).kw["bind"]
    assert inspect(engine).get_table_names() == []  # not even a schema was made
    assert not Path(fresh_instance.config["UPLOAD_DIR"]).exists()


def test_a_backup_holds_only_committed_rows_and_waits_for_no_writer(app, db, runner, fresh_instance, tmp_path):
    make_vendor(db, name="Committed")
    db.commit()
    make_vendor(db, name="Still being written")
    db.flush()  # another connection holds an open write transaction (on SQLite, the write lock)

    archive = backup_to(runner, tmp_path / "during-a-write.tar.gz")
    db.rollback()

    assert fresh_instance.test_cli_runner().invoke(args=["restore", str(archive)]).exit_code == 0
    with session_factory(fresh_instance)() as session:
        assert list(session.scalars(select(Vendor.name))) == ["Committed"]


def test_a_missing_upload_is_reported_but_the_rest_is_backed_up(app, runner, reviewed, fresh_instance, tmp_path):
    get_store(app).path_for(reviewed["report"].document.sha256).unlink()

    result = runner.invoke(args=["backup", "--output", str(tmp_path / "partial.tar.gz")])
    assert result.exit_code != 0  # cron notices
    assert "1 files the database refers to are missing or damaged" in result.output
    restored = fresh_instance.test_cli_runner().invoke(args=["restore", str(tmp_path / "partial.tar.gz")])
    assert restored.exit_code == 0 and "and 0 files" in restored.output


def test_a_backup_of_an_older_schema_is_restored_then_upgraded(new_instance, fresh_instance, tmp_path):
    old = new_instance()
    engine = session_factory(old).kw["bind"]
    config = alembic_config(engine)
    command.upgrade(config, "0001")  # the first release's schema
    with engine.begin() as connection:
        connection.execute(Vendor.__table__.insert(), {"name": "From the first release", "tier": "high",
                                                       "status": "active"})
    backup_to(old.test_cli_runner(), tmp_path / "old.tar.gz")
    with engine.connect() as connection:  # a backup before an upgrade leaves the schema as it was
        assert MigrationContext.configure(connection).get_current_revision() == "0001"

    result = fresh_instance.test_cli_runner().invoke(args=["restore", str(tmp_path / "old.tar.gz")])
    assert result.exit_code == 0, result.output
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head != "0001" and f"Upgraded the schema to {head}." in result.output
    with session_factory(fresh_instance)() as session:
        assert list(session.scalars(select(Vendor.name))) == ["From the first release"]
        assert MigrationContext.configure(session.connection()).get_current_revision() == head


@pytest.fixture
def other_backend_instance(new_instance, database_url):
    """A new, empty instance on the other backend: PostgreSQL for a SQLite test and the reverse."""
    if len(BACKENDS) < 2:
        pytest.skip("moving between backends needs TEST_DATABASE_URL")
    return new_instance(next(backend for backend in BACKENDS if backend != make_url(database_url).get_backend_name()))


def test_a_backup_moves_between_sqlite_and_postgresql(app, runner, reviewed, other_backend_instance, tmp_path):
    archive = backup_to(runner, tmp_path / "move.tar.gz")
    result = other_backend_instance.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert every_row(other_backend_instance.config["DATABASE_URL"]) == every_row(app.config["DATABASE_URL"])
