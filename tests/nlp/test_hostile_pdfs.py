"""Extraction of crafted PDFs stays within its memory, CPU-time and wall-clock
limits and ends in a plain-language rejection; the caller never grows."""

from __future__ import annotations

import time

import pytest

from nlp.extract import ExtractionLimits, extract_report
from nlp.worker import LimitExceeded, Limits, run_limited
from tests import hostile_pdfs

MiB = 1024 * 1024
# Low enough that every crafted file hits a limit within seconds; a real report needs ~250 MB.
LIMITS = ExtractionLimits(memory_bytes=400 * MiB, cpu_seconds=3, timeout_seconds=20)
# What the caller (the web server's ingestion thread) may grow by: results and bookkeeping, never the PDF.
CALLER_GROWTH = 60 * MiB


def _extract(tmp_path, name: str, body: bytes, limits: ExtractionLimits = LIMITS):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(body)
    with hostile_pdfs.sampled_rss() as rss:
        result = extract_report(path, limits=limits)
    return result, rss


def test_a_decompression_bomb_stops_at_the_memory_limit_with_a_plain_reason(tmp_path):
    result, rss = _extract(tmp_path, "bomb", hostile_pdfs.flate_bomb(512 * MiB))
    assert result.status == "rejected"
    assert result.error.startswith("This PDF needs more memory than the limit allows to read (400 MB).")
    assert rss.seconds < 15 and rss.growth < CALLER_GROWTH


def test_a_stream_that_keeps_the_reader_busy_stops_at_the_cpu_limit(tmp_path):
    limits = ExtractionLimits(memory_bytes=2048 * MiB, cpu_seconds=1, timeout_seconds=60)
    result, rss = _extract(tmp_path, "busy", hostile_pdfs.text_bomb(40 * MiB), limits)
    assert result.status == "rejected" and "1 s processing-time limit" in result.error
    assert rss.seconds < 20


def test_a_reader_that_dies_while_its_pool_lives_is_not_waited_for_until_the_wall_clock_limit():
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as stopped:
        run_limited(hostile_pdfs.fork_then_spin, limits=Limits(cpu_seconds=1, wall_seconds=60))
    assert stopped.value.kind == "cpu" and time.monotonic() - started < 20


@pytest.mark.slow
@pytest.mark.parametrize("name", hostile_pdfs.FILES)
def test_every_crafted_file_ends_within_the_limits(tmp_path, name):
    result, rss = _extract(tmp_path, name, hostile_pdfs.FILES[name]())
    assert result.status in ("rejected", "needs_ocr", "not_a_soc_report")
    assert result.error and "Traceback" not in result.error
    assert rss.seconds < LIMITS.timeout_seconds + 5
    assert rss.growth < CALLER_GROWTH
