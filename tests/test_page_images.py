"""Page images of hostile PDFs: drawn in a limited child process at a bounded
size, cached on disk, and a file over the limits gets a plain placeholder,
never a 500 and never a web process holding the PDF."""
from __future__ import annotations

import io
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image

from models import JobStatus, Role
from tests import hostile_pdfs
from tests.factories import make_report
from vendorrisk.infra import pdfpages, scheduler
from vendorrisk.infra.storage import UploadStore

MiB = 1024 * 1024
MAX_PIXELS = 1_000_000
# What the web process may grow by while a page is drawn: the PNG and bookkeeping, never the page's bitmap.
WEB_GROWTH = 60 * MiB


@pytest.fixture
def app_config(app_config):
    app_config.update(PDF_MEMORY_MB=400, PAGE_IMAGE_CPU_SECONDS=3, PAGE_IMAGE_TIMEOUT_SECONDS=20,
                      PAGE_IMAGE_MAX_PIXELS=MAX_PIXELS)
    return app_config


@pytest.fixture
def viewer(auth):
    return auth.login_as(Role.VIEWER)  # the least privileged role can ask for page images


def _report_of(app, db, body: bytes):
    stored = UploadStore(app.config["UPLOAD_DIR"]).save_pdf(io.BytesIO(body), max_bytes=100 * MiB)
    report = make_report(db, sha256=stored.sha256, job_status=JobStatus.DONE)
    db.commit()
    return report


def _upload_path(app, report):
    return UploadStore(app.config["UPLOAD_DIR"]).path_for(report.document.sha256)


def _get_page(client, report, page: int = 1):
    with hostile_pdfs.sampled_rss() as rss:
        response = client.get(f"/reports/{report.id}/pages/{page}.png")
    return response, rss


def test_a_huge_page_is_drawn_small_and_cached(app, client, db, viewer):
    report = _report_of(app, db, hostile_pdfs.huge_page())
    response, rss = _get_page(client, report)
    assert response.status_code == 200 and response.mimetype == "image/png"
    width, height = Image.open(io.BytesIO(response.data)).size
    # 14400 pt square at the usual 1.5 scale would be 21600 px square (1.8 GB as a bitmap).
    assert width == height and width * height <= MAX_PIXELS and width > 900
    assert rss.growth < WEB_GROWTH and rss.seconds < 15
    cached = list(Path(app.config["PAGE_CACHE_DIR"]).rglob("*.png"))
    assert [path.read_bytes() for path in cached] == [response.data]
    # Drawn once: with other bytes behind the hash, the cached image still answers.
    _upload_path(app, report).write_bytes(hostile_pdfs.one_page(hostile_pdfs.TEXT))
    assert client.get(f"/reports/{report.id}/pages/1.png").data == response.data


def test_a_page_over_the_memory_limit_gets_a_placeholder_not_a_500(app, client, db, viewer):
    report = _report_of(app, db, hostile_pdfs.flate_bomb(512 * MiB))
    response, rss = _get_page(client, report)
    assert response.status_code == 422 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "no-store"
    Image.open(io.BytesIO(response.data)).verify()  # a readable image with the reason, where the page would be
    assert rss.growth < WEB_GROWTH and rss.seconds < 15
    # The failure is remembered: asking again does not start another reader.
    _upload_path(app, report).write_bytes(hostile_pdfs.one_page(hostile_pdfs.TEXT))
    assert client.get(f"/reports/{report.id}/pages/1.png").status_code == 422


def test_a_damaged_file_gets_a_placeholder(app, client, db, viewer):
    report = _report_of(app, db, hostile_pdfs.truncated())
    response, _ = _get_page(client, report)
    assert response.status_code == 422 and response.mimetype == "image/png"


def test_the_placeholder_says_why(app):
    with app.app_context():
        with pytest.raises(pdfpages.PageUnavailable, match="needs more memory than the limit allows to read"):
            pdfpages.page_png(_stored(app, hostile_pdfs.flate_bomb(512 * MiB)), "0" * 64, 1)


def _stored(app, body: bytes):
    store = UploadStore(app.config["UPLOAD_DIR"])
    return store.path_for(store.save_pdf(io.BytesIO(body), max_bytes=100 * MiB).sha256)


@pytest.mark.slow
@pytest.mark.parametrize("name", hostile_pdfs.FILES)
def test_every_crafted_file_gets_an_image_or_a_placeholder_within_the_limits(app, client, db, viewer, name):
    report = _report_of(app, db, hostile_pdfs.FILES[name]())
    response, rss = _get_page(client, report)
    assert response.status_code in (200, 404, 422)  # 404: a file whose page tree holds no page
    assert response.status_code == 404 or response.mimetype == "image/png"
    assert rss.seconds < app.config["PAGE_IMAGE_TIMEOUT_SECONDS"] + 5
    assert rss.growth < WEB_GROWTH


def test_page_images_nobody_looked_at_for_the_set_days_are_deleted_by_the_housekeeping(app, client, db, viewer):
    """Each item's box is an image of its own, so the cache grows with every
    review: the daily housekeeping deletes what nobody asked for in
    PAGE_CACHE_DAYS, goes by the last time an image was asked for (not drawn),
    and a deleted page is drawn again on demand."""
    viewed, forgotten = (_report_of(app, db, hostile_pdfs.one_page(b"BT /F1 24 Tf 72 700 Td (%s) Tj ET" % text))
                         for text in (b"Looked at again", b"Forgotten"))
    damaged = _report_of(app, db, hostile_pdfs.truncated())
    for report in (viewed, forgotten, damaged):
        client.get(f"/reports/{report.id}/pages/1.png")
    cache = Path(app.config["PAGE_CACHE_DIR"])
    drawn = [path for path in cache.rglob("*") if path.is_file()]
    assert sorted(path.suffix for path in drawn) == [".failed", ".png", ".png"]
    long_ago = (datetime.now(timezone.utc) - timedelta(days=app.config["PAGE_CACHE_DAYS"] + 1)).timestamp()
    for path in drawn:  # all drawn more than PAGE_CACHE_DAYS ago ...
        os.utime(path, (long_ago, long_ago))
    looked_at = client.get(f"/reports/{viewed.id}/pages/1.png").data  # ... one of them asked for since

    scheduler.run_sweep(app)
    assert [path.read_bytes() for path in cache.rglob("*") if path.is_file()] == [looked_at]
    again = client.get(f"/reports/{forgotten.id}/pages/1.png")
    assert again.status_code == 200 and len(list(cache.rglob("*.png"))) == 2
