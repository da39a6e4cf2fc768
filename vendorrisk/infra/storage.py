"""A content-addressed file store for uploads: each file lives once, under its sha256.

Files go to `<UPLOAD_DIR>/ab/abcdef….pdf`, outside the static folder; they are
only ever sent through a permission-checked route. A file is streamed to a
temporary file in the same directory while it is hashed, flushed to disk and
renamed into place, so a crash never leaves half a file under a real hash.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO

from vendorrisk.services.errors import ValidationError
from vendorrisk.services.export_jobs import EXPORT_LIFETIME

PDF_MAGIC = b"%PDF-"
# Readers tolerate junk before the header, but a real report starts with it;
# a ZIP or HTML page with "%PDF-" somewhere inside is refused at the door.
MAGIC_WINDOW = 1024
CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class NotAPdf(ValidationError):
    status = 415  # what the API answers; the upload page shows the message


class FileTooLarge(ValidationError):
    status = 413


class EmptyFile(ValidationError):
    """A 0-byte upload (a failed download, a placeholder): 400, as the API documents for bad input."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size_bytes: int
    path: Path
    created: bool  # False: the same bytes were already stored


class UploadStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        """Where a file with this hash lives; refuses anything but a hex digest."""
        if not _SHA256.fullmatch(sha256 or ""):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / f"{sha256}.pdf"

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def save_pdf(self, stream: BinaryIO, *, max_bytes: int) -> StoredFile:
        """Check that the stream is a PDF of at most max_bytes, and store it."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, temp_name = tempfile.mkstemp(prefix=".upload-", dir=self.root)
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                head = stream.read(MAGIC_WINDOW)
                if not head:
                    raise EmptyFile("The file is empty (0 bytes). Upload the report's PDF again.", field="files")
                if not head.lstrip(b"\x00\t\n\r\x0c ").startswith(PDF_MAGIC):
                    raise NotAPdf("The file is not a PDF. Upload the report as a PDF document.", field="files")
                chunk = head
                while chunk:
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLarge(
                            f"The file is larger than the {max_bytes // (1024 * 1024)} MB limit. "
                            "Split or compress it.", field="files",
                        )
                    digest.update(chunk)
                    out.write(chunk)
                    chunk = stream.read(CHUNK)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            target = self.path_for(sha256)
            if target.is_file():
                temp.unlink()
                return StoredFile(sha256, size, target, created=False)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
            os.chmod(target, 0o640)
            return StoredFile(sha256, size, target, created=True)
        finally:
            temp.unlink(missing_ok=True)


def get_store(app=None) -> UploadStore:
    from flask import current_app

    return UploadStore((app or current_app).config["UPLOAD_DIR"])


# A CSV waits here between its preview and the confirmation. Nobody confirms
# some previews: they are deleted after this long (when the next preview is
# made, and by the daily sweep).
IMPORT_PREVIEW_LIFETIME = timedelta(hours=1)


class ImportPreviews:
    """Uploaded CSV files waiting for confirmation, each named by its sha256.

    They live in `<UPLOAD_DIR>/import-previews/`, beside the uploads, so every
    web server process (and host) that shares the uploads sees them.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    @staticmethod
    def is_token(token: str) -> bool:
        """The token comes from a URL: only a sha256 hex digest may name a file."""
        return bool(_SHA256.fullmatch(token or ""))

    def _path(self, token: str) -> Path | None:
        return self.root / f"{token}.csv" if self.is_token(token) else None

    def save(self, data: bytes, *, now: datetime | None = None) -> str:
        """Keep the file and return its token; older previews expire first."""
        self.expire(now=now)
        token = hashlib.sha256(data).hexdigest()
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.joinpath(f"{token}.csv").write_bytes(data)
        return token

    def load(self, token: str) -> bytes | None:
        path = self._path(token)
        return path.read_bytes() if path is not None and path.is_file() else None

    def discard(self, token: str) -> None:
        path = self._path(token)
        if path is not None:
            path.unlink(missing_ok=True)

    def expire(self, *, now: datetime | None = None) -> int:
        """Delete previews older than IMPORT_PREVIEW_LIFETIME; returns how many."""
        return expire_files(self.root, "*.csv", IMPORT_PREVIEW_LIFETIME, now)


def expire_files(root: Path, pattern: str, lifetime: timedelta, now: datetime | None) -> int:
    """Delete the files in `root` last written more than `lifetime` ago; returns how many."""
    if not root.is_dir():
        return 0
    cutoff = (now or datetime.now(timezone.utc)).timestamp() - lifetime.total_seconds()
    removed = 0
    for path in root.glob(pattern):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another process expired it first
            pass
    return removed


def import_previews(app=None) -> ImportPreviews:
    from flask import current_app

    return ImportPreviews(Path((app or current_app).config["UPLOAD_DIR"]) / "import-previews")


class ExportFiles:
    """Finished exports, `<UPLOAD_DIR>/exports/<id>.<format>`.

    Beside the uploads rather than in the web root: every web process and RQ
    worker (on any host) that shares the uploads sees them, and only the
    download route, which checks who asks, serves them.
    """

    def __init__(self, root: str | os.PathLike[str], lifetime: timedelta) -> None:
        self.root = Path(root)
        self.lifetime = lifetime

    def path_for(self, export_id: int, fmt: str) -> Path:
        return self.root / f"{int(export_id)}.{fmt}"

    def temporary_path_for(self, export_id: int, fmt: str) -> Path:
        """Where the worker writes; renamed into place only when complete, so a
        download never sees half a file."""
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root / f"{int(export_id)}.{fmt}.part"

    def expire(self, *, now: datetime | None = None) -> int:
        return expire_files(self.root, "*", self.lifetime, now)


def export_files(app=None) -> ExportFiles:
    from flask import current_app

    return ExportFiles(Path((app or current_app).config["UPLOAD_DIR"]) / "exports", EXPORT_LIFETIME)
