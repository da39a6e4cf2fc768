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
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from nlp.results import ExtractionResult, Source

Progress = Callable[[int, int], None]

MiB = 1024 * 1024


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


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: safe to start from a threaded web server (fork is not) and,
    # after the first call, much cheaper than spawn.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["nlp.pipeline"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_isolated(path: Path, source: Source, progress: Progress | None,
                  limits: ExtractionLimits) -> ExtractionResult:
    """Run the parse in a child process; kill it (and its pool) at the time limit."""
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child_main, args=(str(path), source, limits, send), daemon=False)
    child.start()
    send.close()
    deadline = time.monotonic() + limits.timeout_seconds
    result: ExtractionResult | None = None
    try:
        while result is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return ExtractionResult("rejected", source, f"Reading the file took longer than the "
                                        f"{limits.timeout_seconds:g} s limit, so it was stopped. The PDF may be "
                                        "damaged or unusually complex; try re-exporting it.")
            if not receive.poll(min(remaining, 0.5)):
                if not child.is_alive() and not receive.poll(0):
                    break
                continue
            try:
                kind, payload = receive.recv()
            except EOFError:
                break
            if kind == "progress" and progress:
                progress(*payload)
            elif kind == "result":
                result = payload
    finally:
        _stop(child)
        receive.close()
    if result is None:
        return ExtractionResult("rejected", source, "The PDF reader stopped unexpectedly on this file, which is "
                                "probably damaged. Try re-exporting or re-downloading the report.")
    return result


def _stop(child: multiprocessing.process.BaseProcess) -> None:
    """Kill the child's process group (it leads one, holding its page-reader pool)."""
    if child.is_alive() and child.pid:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            child.kill()
    child.join(5)


def _child_main(path: str, source: Source, limits: ExtractionLimits, conn: Connection) -> None:
    """Entry point of the isolated process: run the pipeline, send progress and the result."""
    os.setpgrp()  # lets the parent kill this process and its pool in one call
    from nlp.pipeline import run  # imported here: the parent never loads spaCy or the PDF libraries

    def report(done: int, total: int) -> None:
        conn.send(("progress", (done, total)))

    try:
        result = run(path, source, limits.max_pages, report)
    except Exception:  # noqa: BLE001 - any parser failure on a hostile file is a rejection, not a crash
        traceback.print_exc(file=sys.stderr)
        result = ExtractionResult("rejected", source, "The PDF could not be parsed; it appears to be damaged. "
                                  "Try re-exporting or re-downloading the report.")
    conn.send(("result", result))
    conn.close()


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
