"""Crafted PDFs that attack a reader, written as raw bytes (no PDF library
would write most of them): a huge page, a decompression bomb, deep nesting,
broken streams and circular references. Used by the limit tests, and by
``python -m tests.hostile_pdfs`` to write them and measure a reading (see the end)."""
from __future__ import annotations

import sys
import threading
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

MiB = 1024 * 1024


def pdf(objects: list[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF whose object n (1-based) is objects[n-1], with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page(content: bytes, *, media_box: bytes = b"[0 0 612 792]", content_extra: bytes = b"") -> bytes:
    """Catalog, pages, one page with the given content stream and a Helvetica font."""
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>" % media_box,
        stream(content, content_extra),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


TEXT = b"BT /F1 24 Tf 72 700 Td (A page of an ordinary looking report) Tj ET"


def huge_page(points: int = 14400) -> bytes:
    """One page of points x points (14400 pt = 200 in, the largest PDF 1.7 allows): 1.5 KB that asks
    a renderer at 1.5x for a 21600 x 21600 bitmap (1.8 GB)."""
    return one_page(TEXT, media_box=b"[0 0 %d %d]" % (points, points))


def flate_bomb(inflated_bytes: int = 1024 * MiB) -> bytes:
    """A page whose FlateDecode content stream inflates to `inflated_bytes` of zeros (1 GB -> ~1 MB)."""
    compressor = zlib.compressobj(9)
    chunk = bytes(16 * MiB)
    parts = [compressor.compress(TEXT + b"\n")]
    left = inflated_bytes
    while left > 0:
        parts.append(compressor.compress(chunk[:min(left, len(chunk))]))
        left -= len(chunk)
    parts.append(compressor.flush())
    return one_page(b"".join(parts), content_extra=b"/Filter /FlateDecode ")


def deep_nesting(depth: int = 100_000) -> bytes:
    """An array nested `depth` levels inside the page dictionary: recursion in naive parsers."""
    nested = b"[" * depth + b"]" * depth
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Deep " + nested + b" >>",
        stream(TEXT),
    ])


def broken_stream() -> bytes:
    """A content stream whose /Length lies and whose Flate data is cut off mid-way."""
    data = zlib.compress(TEXT * 200)[:40]
    body = b"<< /Length 999999 /Filter /FlateDecode >>\nstream\n" + data + b"\nendstream"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        body,
    ])


def truncated() -> bytes:
    """A normal one-page file cut off before its xref table."""
    whole = one_page(TEXT)
    return whole[: whole.index(b"xref")]


def circular() -> bytes:
    """A page tree whose Kids point back at itself, and a page whose Parent is the page."""
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox 5 0 R /Contents 4 0 R >>",
        stream(TEXT),
        b"5 0 R",
    ])


def text_bomb(inflated_bytes: int = 20 * MiB) -> bytes:
    """A page whose content stream inflates to `inflated_bytes` of text-showing operators: seconds of CPU."""
    line = b"BT /F1 12 Tf 72 700 Td (Tj bomb) Tj ET\n"
    data = zlib.compress(line * (inflated_bytes // len(line)), 9)
    return one_page(data, content_extra=b"/Filter /FlateDecode ")


def fork_then_spin() -> None:
    """A reader that forks a helper holding its pipe (as nlp.geometry's pool does), then spins past its CPU limit."""
    import os

    if os.fork() == 0:
        time.sleep(60)
        os._exit(0)
    while True:
        pass


# Each crafted file by name, built on demand (the 1 GB bomb takes a second or two to compress).
FILES = {"huge-page": huge_page, "flate-bomb": flate_bomb, "text-bomb": text_bomb, "deep-nesting": deep_nesting,
         "broken-stream": broken_stream, "truncated": truncated, "circular": circular}


def rss_bytes() -> int:
    """This process's resident set now."""
    with open("/proc/self/status") as status:
        return int(status.read().split("VmRSS:")[1].split()[0]) * 1024


class RssPeak:
    """The highest resident set this process reached while sampled, above where it started."""

    def __init__(self) -> None:
        self.start = self.peak = rss_bytes()
        self.seconds = 0.0

    @property
    def growth(self) -> int:
        return self.peak - self.start


@contextmanager
def sampled_rss(interval: float = 0.01):
    """Sample this process's RSS in a thread while the block runs (ru_maxrss only ever rises over a lifetime)."""
    peak = RssPeak()
    done = threading.Event()

    def sample() -> None:
        while not done.wait(interval):
            peak.peak = max(peak.peak, rss_bytes())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        yield peak
    finally:
        done.set()
        thread.join()
        peak.peak = max(peak.peak, rss_bytes())
        peak.seconds = time.monotonic() - started


def measure(path: Path, what: str) -> str:
    """One reading of `path` with the default limits ("extract" or "page" image), as a line of figures."""
    import resource

    from nlp.extract import extract_report
    from vendorrisk import create_app
    from vendorrisk.infra import pdfpages

    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "PAGE_CACHE_DIR": str(path.parent / "cache")})
    with app.app_context(), sampled_rss() as rss:
        if what == "extract":
            result = extract_report(path)
            outcome = f"{result.status}: {result.error}"
        else:
            try:
                outcome = f"{len(pdfpages.page_png(path, path.stem.ljust(64, '0'), 1))} bytes of PNG"
            except pdfpages.PageUnavailable as exc:
                outcome = str(exc)
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return (f"{path.name} {what}: {rss.seconds:.1f} s; caller RSS {rss.start // MiB} -> peak {rss.peak // MiB} MB; "
            f"reader peak RSS {child} MB; {outcome}")


if __name__ == "__main__":
    # python -m tests.hostile_pdfs OUT_DIR              writes the files
    # python -m tests.hostile_pdfs OUT_DIR/NAME.pdf extract|page   measures one reading of one
    out = Path(sys.argv[1])
    if len(sys.argv) > 2:
        print(measure(out, sys.argv[2]))
        sys.exit()
    out.mkdir(parents=True, exist_ok=True)
    for name, build in FILES.items():
        body = build()
        (out / f"{name}.pdf").write_bytes(body)
        print(f"{name}.pdf {len(body)} bytes")
