"""Extract a SOC report: the API the web app calls and the ``python -m nlp.extract`` CLI.

The PDF is parsed in a separate process that is killed at the time limit, so
a hostile or broken file can neither hang nor crash the caller. Inside it a
fast text pass reads every page, sections are found, and only the pages that
hold lists and exception rows are read again with geometry.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nlp.results import ExtractionResult, Source
from nlp.worker import decode

Progress = Callable[[int, int], None]

MiB = 1024 * 1024
# The directory holding the nlp package, so the worker imports this same copy.
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ExtractionLimits:
    """Bounds on what one extraction may consume."""

    max_bytes: int = 100 * MiB
    max_pages: int = 2000
    timeout_seconds: float = 300.0


class Rejected(Exception):
    """The input cannot be processed; the message is shown to the user."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(MiB), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _precheck(path: Path, limits: ExtractionLimits) -> None:
    """Checks that need no PDF parser: readable, within the size limit, starts like a PDF."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise Rejected("rejected", f"The file is {size / MiB:.0f} MiB, over the {limits.max_bytes / MiB:.0f} MiB "
                                   "limit. Upload a smaller file or ask an administrator to raise the limit.")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise Rejected("rejected", "The file is not a PDF. Upload the SOC report as a PDF document.")


def extract_report(path: str | os.PathLike[str], filename: str | None = None, progress: Progress | None = None,
                   limits: ExtractionLimits = ExtractionLimits()) -> ExtractionResult:
    """Extract one report; always returns a result, never raises for a bad file.

    ``progress(pages_done, pages_total)`` is called as work advances;
    ``pages_total`` is the report's page count.
    """
    p = Path(path)
    source = Source(filename or p.name, hashlib.sha256(b"").hexdigest())
    try:
        source.sha256 = _sha256(p)
        _precheck(p, limits)
    except OSError as exc:
        return ExtractionResult("rejected", source, f"The file could not be read ({exc.strerror or exc}).")
    except Rejected as exc:
        return ExtractionResult(exc.status, source, str(exc))
    return _run_isolated(p, source, progress, limits)


def _run_isolated(path: Path, source: Source, progress: Progress | None,
                  limits: ExtractionLimits) -> ExtractionResult:
    """Run the parse in ``python -m nlp.worker``; kill its process group at the time limit."""
    cmd = [sys.executable, "-m", "nlp.worker", str(path), source.filename, source.sha256, str(limits.max_pages)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
    # A new session makes the worker lead a process group that also holds its page-reader pool.
    child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env, start_new_session=True)
    assert child.stdout is not None
    deadline = time.monotonic() + limits.timeout_seconds
    result: ExtractionResult | None = None
    buffer = b""
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(child.stdout, selectors.EVENT_READ)
            while result is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return ExtractionResult("rejected", source, f"Reading the file took longer than the "
                                            f"{limits.timeout_seconds:g} s limit, so it was stopped. The PDF may be "
                                            "damaged or unusually complex; try re-exporting it.")
                if not sel.select(min(remaining, 1.0)):
                    continue
                chunk = os.read(child.stdout.fileno(), 1 << 20)
                if not chunk:
                    break  # the worker exited (or crashed) without a result
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    kind, payload = decode(line)
                    if kind == "progress" and progress:
                        progress(*payload)
                    elif kind == "result":
                        result = payload
    finally:
        _stop(child)
    if result is None:
        return ExtractionResult("rejected", source, "The PDF reader stopped unexpectedly on this file, which is "
                                "probably damaged. Try re-exporting or re-downloading the report.")
    return result


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Kill the worker's process group if anything in it is still running, and reap the worker."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    child.wait()
    if child.stdout:
        child.stdout.close()


def main(argv: list[str] | None = None) -> int:
    """CLI: print the extraction JSON; exit 0 when status is ok, 2 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m nlp.extract", description=__doc__.splitlines()[0])
    parser.add_argument("report", help="path to the SOC report PDF")
    parser.add_argument("--pretty", action="store_true", help="indent the JSON")
    parser.add_argument("--geometry", action="store_true", help="add each item's bbox")
    parser.add_argument("--timeout", type=float, default=ExtractionLimits.timeout_seconds, help="seconds")
    args = parser.parse_args(argv)
    result = extract_report(args.report, limits=ExtractionLimits(timeout_seconds=args.timeout))
    json.dump(result.to_dict(include_geometry=args.geometry), sys.stdout, indent=2 if args.pretty else None,
              ensure_ascii=False)
    sys.stdout.write("\n")
    return 0 if result.status == "ok" else 2


if __name__ == "__main__":
    sys.exit(main())
