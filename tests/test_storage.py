"""The upload store: content-addressed, PDF-only, size-limited, crash-safe."""
import hashlib
import io

import pytest

from vendorrisk.services.errors import ValidationError
from vendorrisk.infra.storage import UploadStore

PDF = b"%PDF-1.7\n" + b"x" * 5000 + b"\n%%EOF\n"


def test_a_pdf_is_stored_under_its_sha256_outside_any_web_folder(tmp_path):
    store = UploadStore(tmp_path / "uploads")
    stored = store.save_pdf(io.BytesIO(PDF), max_bytes=10_000)
    digest = hashlib.sha256(PDF).hexdigest()
    assert stored.sha256 == digest and stored.size_bytes == len(PDF) and stored.created
    assert stored.path == tmp_path / "uploads" / digest[:2] / f"{digest}.pdf"
    assert stored.path.read_bytes() == PDF
    assert store.exists(digest)


def test_the_same_bytes_are_stored_once(tmp_path):
    store = UploadStore(tmp_path)
    first = store.save_pdf(io.BytesIO(PDF), max_bytes=10_000)
    second = store.save_pdf(io.BytesIO(PDF), max_bytes=10_000)
    assert second.path == first.path and not second.created
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [first.path.name]


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04 a zip file", "not a PDF"), (b"PK\x03\x04 report.pdf %PDF-1.4", "not a PDF"), (b"hello", "not a PDF"),
    (b"", "The file is empty"),
])
def test_anything_but_a_pdf_is_refused_and_nothing_is_left_behind(tmp_path, data, message):
    store = UploadStore(tmp_path)
    with pytest.raises(ValidationError, match=message):
        store.save_pdf(io.BytesIO(data), max_bytes=10_000)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_file_over_the_limit_is_refused_and_nothing_is_left_behind(tmp_path):
    store = UploadStore(tmp_path)
    with pytest.raises(ValidationError, match="larger than"):
        store.save_pdf(io.BytesIO(PDF), max_bytes=1000)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "A" * 64, "0" * 63, ""])
def test_only_a_hex_digest_names_a_stored_file(tmp_path, name):
    with pytest.raises(ValueError):
        UploadStore(tmp_path).path_for(name)


def test_import_previews_expire_after_an_hour(tmp_path):
    from datetime import datetime, timedelta, timezone

    from vendorrisk.infra.storage import IMPORT_PREVIEW_LIFETIME, ImportPreviews

    previews = ImportPreviews(tmp_path / "import-previews")
    old = previews.save(b"name\nOld Vendor\n")
    assert previews.load(old) == b"name\nOld Vendor\n"
    later = datetime.now(timezone.utc) + IMPORT_PREVIEW_LIFETIME + timedelta(minutes=1)
    new = previews.save(b"name\nNew Vendor\n", now=later)  # making a preview expires the stale ones
    assert previews.load(old) is None and previews.load(new) is not None
    assert previews.expire(now=later + IMPORT_PREVIEW_LIFETIME + timedelta(minutes=1)) == 1
    assert previews.load(new) is None
    assert not previews.is_token("../../config") and previews.load("../../config") is None
