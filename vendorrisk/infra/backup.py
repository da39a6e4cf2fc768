"""Backup and restore: the database and the uploads in one verified archive.

The archive is a .tar.gz holding
    database/<table>.jsonl   every row of every table, one JSON object a line
    uploads/<sha256>         each file a row of the snapshot refers to
    manifest.json            app version, Alembic revision, creation time, and
                             per table its row count and sha256, per upload its size
so a restore can check each piece before it changes anything.

Why a logical dump through SQLAlchemy rather than `pg_dump` and SQLite's
backup API: one format and one code path for both backends, so the tests
prove the very code that runs on either; a SQLite backup restores into
PostgreSQL (the way up from the embedded server); no client binary whose
major version must match the server's (pg_dump refuses a newer server); and
the manifest's per-table row counts are checked on restore. The cost is
speed on very large databases, where the manual recipe in the README
(pg_dump --format=custom) remains available.

Consistency: all tables are read in one transaction: REPEATABLE READ (read
only) on PostgreSQL; on SQLite a deferred read transaction, which in WAL mode
sees one snapshot while the running app keeps writing (the app's own
BEGIN IMMEDIATE would hold the write lock for the whole dump). Uploads are
stored under their sha256 and never rewritten, so copying the files the
snapshot refers to after it was taken gives exactly the snapshot's files.

Rows are read and written through reflected tables, not the models: a
backup made at an older schema revision is loaded into a database built to
that revision and then upgraded by the migrations. JSON columns travel as
their stored text, so SQL NULL and JSON null stay apart.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import warnings
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from decimal import Decimal
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any, Iterator

from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import (JSON, Connection, Engine, MetaData, Table, Text, bindparam, cast, create_engine, event, func,
                        inspect, select, text)
from sqlalchemy.exc import DBAPIError, SAWarning
from sqlalchemy.pool import NullPool

from vendorrisk.infra.db import alembic_config
from vendorrisk.infra.storage import CHUNK, UploadStore

FORMAT = "vendorrisk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Alembic's bookkeeping is restored by the migrations themselves; APScheduler
# rebuilds its job store when the scheduler starts (replace_existing).
NOT_BACKED_UP = {"alembic_version", "apscheduler_jobs"}
# Tables whose rows make a database "in use": restore refuses to mix into it.
IN_USE_TABLES = {"user_account": ("user", "users"), "vendor": ("vendor", "vendors")}
BATCH = 500  # rows per INSERT round trip
_TABLE_MEMBER = re.compile(r"database/([a-z_][a-z0-9_]*)\.jsonl")
_UPLOAD_MEMBER = re.compile(r"uploads/([0-9a-f]{64})")


class BackupError(Exception):
    """A one-line reason the backup or restore did not happen."""


@dataclass
class BackupSummary:
    path: Path
    tables: int
    rows: int
    files: int
    size_bytes: int
    missing_uploads: list[str] = field(default_factory=list)


@dataclass
class RestoreSummary:
    tables: int
    rows: int
    files: int
    revision: str
    created_at: str
    app_version: str
    upgraded_to: str | None


# --- backup ---------------------------------------------------------------

def create_backup(engine: Engine, store: UploadStore, output: Path) -> BackupSummary:
    """Write the archive to `output` (through a temporary file, so a failed
    backup never leaves a half archive under the real name)."""
    output = output.resolve()
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix=".vendorrisk-backup-", dir=output.parent) as work:
        work_dir = Path(work)
        manifest, references = _dump_database(engine, work_dir)
        partial = work_dir / "archive.tar.gz"
        missing: list[str] = []
        uploads: dict[str, int] = {}
        with tarfile.open(partial, "w:gz") as archive:
            for entry in manifest["tables"]:
                archive.add(work_dir / f"{entry['name']}.jsonl", arcname=f"database/{entry['name']}.jsonl")
            for sha256 in sorted(references):
                path = store.path_for(sha256)
                if not path.is_file() or _file_sha256(path) != sha256:
                    missing.append(sha256)
                    continue
                archive.add(path, arcname=f"uploads/{sha256}")
                uploads[sha256] = path.stat().st_size
            manifest["uploads"] = uploads
            manifest["missing_uploads"] = missing
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
        os.chmod(partial, 0o600)  # password hashes and vendors' confidential reports
        os.replace(partial, output)
    return BackupSummary(path=output, tables=len(manifest["tables"]),
                         rows=sum(entry["rows"] for entry in manifest["tables"]), files=len(uploads),
                         size_bytes=output.stat().st_size, missing_uploads=missing)


def _dump_database(engine: Engine, work_dir: Path) -> tuple[dict, set[str]]:
    created_at = datetime.now(timezone.utc)
    with _snapshot(engine) as connection, connection.begin():
        revision = MigrationContext.configure(connection).get_current_revision()
        if revision is None:
            raise BackupError("The database has no VendorRisk schema yet: there is nothing to back up.")
        tables = _reflected_tables(connection)
        entries = [_dump_table(connection, table, work_dir / f"{table.name}.jsonl") for table in tables]
        # Documents are the only rows that name a stored file.
        references = set(connection.scalars(select(_by_name(tables)["document"].c.sha256).distinct()))
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": _app_version(),
        "alembic_revision": revision,
        "created_at": created_at.isoformat(timespec="seconds"),
        "database": engine.dialect.name,
        "tables": entries,
    }
    return manifest, references


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose transaction reads one consistent snapshot without blocking writers."""
    if engine.dialect.name != "sqlite":
        with engine.connect().execution_options(isolation_level="REPEATABLE READ",
                                                postgresql_readonly=True) as connection:
            yield connection
        return
    snapshot = create_engine(engine.url, poolclass=NullPool, connect_args={"timeout": 30})

    @event.listens_for(snapshot, "connect")
    def _driver_transactions_off(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below, not pysqlite's

    @event.listens_for(snapshot, "begin")
    def _deferred_begin(connection):
        connection.exec_driver_sql("BEGIN DEFERRED")

    try:
        with snapshot.connect() as connection:
            yield connection
    finally:
        snapshot.dispose()


def _reflected_tables(connection: Connection) -> list[Table]:
    """Every table of the application, parents before children."""
    reflected = MetaData()
    with warnings.catch_warnings():
        # Indexes on expressions (lower(name)) cannot be reflected; only columns matter here.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
        reflected.reflect(connection)
    return [table for table in reflected.sorted_tables if table.name not in NOT_BACKED_UP]


def _by_name(tables: list[Table]) -> dict[str, Table]:
    return {table.name: table for table in tables}


def _dump_table(connection: Connection, table: Table, path: Path) -> dict:
    columns = [cast(column, Text).label(column.name) if _is_json(column) else column for column in table.columns]
    query = select(*columns).order_by(*table.primary_key.columns)
    digest = hashlib.sha256()
    rows = 0
    with path.open("wb") as out:
        for row in connection.execute(query).mappings():
            line = json.dumps({name: _encode(value) for name, value in row.items()}, ensure_ascii=False).encode() + b"\n"
            digest.update(line)
            out.write(line)
            rows += 1
    return {"name": table.name, "rows": rows, "sha256": digest.hexdigest()}


def _encode(value: Any) -> Any:
    """A column value as JSON; types JSON lacks become one-key tagged objects.
    (JSON columns arrive as text, so a dict here is always a tag.)"""
    if isinstance(value, datetime):
        # Every timestamp is UTC; SQLite returns them without the offset.
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return {"$datetime": aware.astimezone(timezone.utc).isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, (bytes, memoryview)):
        return {"$bytes": base64.b64encode(bytes(value)).decode()}
    return value


_DECODERS = {
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$time": time.fromisoformat,
    "$decimal": Decimal,
    "$bytes": base64.b64decode,
}


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        ((tag, raw),) = value.items()
        return _DECODERS[tag](raw)
    return value


def _is_json(column) -> bool:
    return isinstance(column.type, JSON)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(timezone.utc).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _app_version() -> str:
    try:
        return package_metadata.version("vendorrisk")
    except package_metadata.PackageNotFoundError:
        return "unknown"


# --- restore --------------------------------------------------------------

def restore_backup(engine: Engine, store: UploadStore, archive_path: Path, *, force: bool) -> RestoreSummary:
    """Restore the archive into this instance's database and upload folder.

    Nothing is changed until the whole archive has been read and checked
    against its manifest; the rows go in as one transaction, verified
    against the manifest's counts before it commits.
    """
    if not archive_path.is_file():
        raise BackupError(f"There is no backup file {archive_path}.")
    # Unpacked beside the upload folder, where there is room for the uploads anyway.
    upload_root = store.root.resolve()
    upload_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".vendorrisk-restore-", dir=upload_root.parent) as work:
        work_dir = Path(work)
        manifest = _unpack_and_verify(archive_path, work_dir)
        revision = manifest["alembic_revision"]
        config = alembic_config(engine)
        scripts = ScriptDirectory.from_config(config)
        try:
            scripts.get_revision(revision)
        except CommandError:
            raise BackupError(f"The backup is at schema revision {revision}, which this version of VendorRisk does "
                              f"not know; restore it with VendorRisk {manifest['app_version']} or newer.") from None
        _refuse_if_in_use(engine, force)
        _schema_at(engine, config, revision)
        for sha256, size in manifest["uploads"].items():
            with (work_dir / "uploads" / sha256).open("rb") as upload:
                store.save_pdf(upload, max_bytes=size)  # files go in before the rows that name them
        try:
            rows = _load_database(engine, manifest, work_dir / "database", replace=force)
        except DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0]
            raise BackupError(f"The database refused the backup's rows ({reason}); nothing was restored.") from None
    head = scripts.get_current_head()
    upgraded_to = None
    if revision != head:
        command.upgrade(config, "head")
        upgraded_to = head
    return RestoreSummary(tables=len(manifest["tables"]), rows=rows, files=len(manifest["uploads"]),
                          revision=revision, created_at=manifest["created_at"],
                          app_version=manifest["app_version"], upgraded_to=upgraded_to)


def _unpack_and_verify(archive_path: Path, work_dir: Path) -> dict:
    """Unpack the archive's known members into work_dir and check every one
    against the manifest; any surprise is a BackupError."""
    (work_dir / "database").mkdir()
    (work_dir / "uploads").mkdir()
    found: dict[str, str] = {}  # member name -> sha256 of its bytes
    manifest_bytes = None
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive:
                name = member.name
                if not member.isfile():
                    raise BackupError(f"{archive_path} is not a VendorRisk backup: unexpected entry {name}.")
                if name == MANIFEST:
                    manifest_bytes = archive.extractfile(member).read()
                    continue
                if table := _TABLE_MEMBER.fullmatch(name):
                    target = work_dir / "database" / f"{table.group(1)}.jsonl"
                elif upload := _UPLOAD_MEMBER.fullmatch(name):
                    target = work_dir / "uploads" / upload.group(1)
                else:
                    raise BackupError(f"{archive_path} is not a VendorRisk backup: unexpected entry {name}.")
                found[name] = _extract(archive.extractfile(member), target)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"{archive_path} is not a readable backup archive (damaged or truncated?): {error}.") from None
    if manifest_bytes is None:
        raise BackupError(f"{archive_path} is not a VendorRisk backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(manifest_bytes)
        if manifest.get("format") != FORMAT:
            raise ValueError("not a VendorRisk backup")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"format version {manifest.get('format_version')} is not {FORMAT_VERSION}")
        expected = {f"database/{entry['name']}.jsonl": entry["sha256"] for entry in manifest["tables"]}
        expected.update({f"uploads/{sha256}": sha256 for sha256 in manifest["uploads"]})
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{archive_path} has an unreadable manifest: {error}.") from None
    for name, sha256 in expected.items():
        if name not in found:
            raise BackupError(f"{archive_path} is incomplete: {name} is missing.")
        if found[name] != sha256:
            raise BackupError(f"{archive_path} is damaged: {name} does not match its checksum.")
    if extra := sorted(set(found) - set(expected)):
        raise BackupError(f"{archive_path} is damaged: {extra[0]} is not in its manifest.")
    return manifest


def _extract(source, target: Path) -> str:
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _refuse_if_in_use(engine: Engine, force: bool) -> None:
    if force:
        return
    with engine.connect() as connection:
        existing = set(inspect(connection).get_table_names())
        counts = {labels: connection.scalar(text(f'SELECT COUNT(*) FROM "{name}"'))
                  for name, labels in IN_USE_TABLES.items() if name in existing}
    if held := ", ".join(f"{count} {labels[count != 1]}" for labels, count in counts.items() if count):
        raise BackupError(f"The database already holds data ({held}); restore into a new, empty database, "
                          "or pass --force to replace everything in it.")


def _schema_at(engine: Engine, config, revision: str) -> None:
    """Bring the schema to the backup's revision: built from nothing on a new
    database, or moved there on an existing (empty or --force) one."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current == revision:
        return
    if current is None:
        command.upgrade(config, revision)
        return
    command.upgrade(config, "head")
    if revision != ScriptDirectory.from_config(config).get_current_head():
        command.downgrade(config, revision)


def _load_database(engine: Engine, manifest: dict, folder: Path, *, replace: bool) -> int:
    with engine.begin() as connection:
        tables = _by_name(_reflected_tables(connection))
        if replace:
            for table in reversed(list(tables.values())):
                connection.execute(table.delete())
        for entry in manifest["tables"]:
            table = tables.get(entry["name"])
            if table is None:
                raise BackupError(f"The schema at revision {manifest['alembic_revision']} has no table {entry['name']}.")
            _load_table(connection, table, folder / f"{entry['name']}.jsonl")
        total = 0
        for entry in manifest["tables"]:
            rows = connection.scalar(select(func.count()).select_from(tables[entry["name"]]))
            if rows != entry["rows"]:
                raise BackupError(f"Table {entry['name']} has {rows} rows after the restore, "
                                  f"the backup {entry['rows']}; nothing was restored.")
            total += rows
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, tables.values())
    return total


def _load_table(connection: Connection, table: Table, path: Path) -> None:
    json_columns = [column for column in table.columns if _is_json(column)]
    # JSON columns receive their stored text as is: cast on PostgreSQL, plain
    # text on SQLite (which keeps JSON as text), never encoded a second time.
    as_json = (lambda param, column: cast(param, column.type)) if connection.dialect.name == "postgresql" \
        else (lambda param, column: param)
    statement = table.insert().values({
        column.name: as_json(bindparam(f"{column.name}__json", type_=Text), column) for column in json_columns
    })
    for batch in _batches(path):
        rows = []
        for raw in batch:
            unknown = set(raw) - set(table.columns.keys())
            if unknown:
                raise BackupError(f"Table {table.name} has no column {sorted(unknown)[0]}; "
                                  "the backup does not fit this schema.")
            row = {name: _decode(value) for name, value in raw.items()}
            for column in json_columns:
                row[f"{column.name}__json"] = row.pop(column.name, None)
            rows.append(row)
        connection.execute(statement, rows)


def _batches(path: Path) -> Iterator[list[dict]]:
    batch: list[dict] = []
    with path.open("rb") as lines:
        for line in lines:
            batch.append(json.loads(line))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _reset_sequences(connection: Connection, tables) -> None:
    """Rows went in with their ids; the id sequences must continue after them."""
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                         {"table": f'"{table.name}"', "column": column.name})
            if sequence:
                connection.execute(text(f'SELECT setval(:sequence, COALESCE((SELECT MAX("{column.name}") FROM '
                                        f'"{table.name}"), 0) + 1, false)'), {"sequence": sequence})
