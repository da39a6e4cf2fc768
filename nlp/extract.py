"""Extract a SOC report: the API the web app calls and the ``python -m nlp.extract`` CLI.

The PDF is parsed in a child process with memory, CPU-time and wall-clock
limits (nlp.worker), so a hostile or broken file can neither hang, exhaust nor
crash the caller. Inside it a
fast text pass reads every page, sections are found, and only the pages that
hold lists and exception rows are read again with geometry.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nlp.results import ExtractionResult, Source
from nlp.worker import LimitExceeded, Limits, WorkerCrashed, run_limited

Progress = Callable[[int, int], None]

MiB = 1024 * 1024


@dataclass(frozen=True)
class ExtractionLimits:
    """Bounds on what one extraction may consume; memory is the reader process's address space."""

    max_bytes: int = 100 * MiB
    max_pages: int = 2000
    timeout_seconds: float = 300.0
    memory_bytes: int = Limits.memory_bytes
    cpu_seconds: int = 240

    def child(self) -> Limits:
        return Limits(self.memory_bytes, self.cpu_seconds, self.timeout_seconds)


class Rejected(Exception):
    """The input is refused before parsing; the message is shown to the user."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(MiB), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n / 1024:.0f} KiB"


def _precheck(path: Path, limits: ExtractionLimits) -> None:
    """Checks that need no PDF parser: readable, within the size limit, starts like a PDF."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise Rejected(f"The file is {_size(size)}, over the {_size(limits.max_bytes)} limit. Upload a smaller "
                       "file or ask an administrator to raise the limit.")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise Rejected("The file is not a PDF. Upload the SOC report as a PDF document.")


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
        return ExtractionResult("rejected", source, str(exc))
    return _run_isolated(p, source, progress, limits)


def _run_isolated(path: Path, source: Source, progress: Progress | None,
                  limits: ExtractionLimits) -> ExtractionResult:
    """Run the pipeline in a limited child process; any failure there is a rejection with its reason."""
    # By its module's real name: run as ``python -m nlp.extract`` this module is __main__, which the child lacks.
    from nlp.extract import _read

    try:
        return run_limited(_read, str(path), source, limits.max_pages, limits=limits.child(), progress=progress)
    except LimitExceeded as exc:
        return ExtractionResult("rejected", source, str(exc))
    except WorkerCrashed:
        return ExtractionResult("rejected", source, "The PDF reader stopped unexpectedly on this file, which is "
                                "probably damaged. Try re-exporting or re-downloading the report.")
    except Exception:  # noqa: BLE001 - any parser failure on a hostile file is a rejection, not a crash
        return ExtractionResult("rejected", source, "The PDF could not be parsed; it appears to be damaged. "
                                "Try re-exporting or re-downloading the report.")


def _read(path: str, source: Source, max_pages: int, progress: Progress | None = None) -> ExtractionResult:
    """The child's side: the pipeline is imported there only, so the caller stays light."""
    from nlp.pipeline import run

    return run(path, source, max_pages, progress or (lambda done, total: None))


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
