"""Run one function in a limited child process: ``run_limited(fn, *args, limits=...)``.

Every PDF the app opens is opened this way, because a PDF can be built to make
its reader allocate gigabytes (a 200-inch page, a stream that inflates to
1 GB) or spin for minutes. The child is a fresh interpreter, ``python -m
nlp.worker`` (not a fork of the caller, which may be a threaded web server,
and not a multiprocessing child, which would re-import the caller's main
script). It reads one pickled call on stdin, sets its own address-space
(RLIMIT_AS) and CPU-time (RLIMIT_CPU) limits before importing anything, and
writes base64 pickled message lines on stdout: ("progress", (done, total)),
then ("result", value), ("error", exception) or ("memory", None). The caller
kills the child's process group at the wall-clock limit.
"""

from __future__ import annotations

import base64
import os
import pickle
import resource
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

MiB = 1024 * 1024
# The directory holding the nlp package, so the child imports this same copy.
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# The CPU limit is soft: SIGXCPU ends the child; the hard limit a little later is SIGKILL's backstop.
_CPU_GRACE_SECONDS = 5
# A child that dies of a signal (PDFium aborts when an allocation fails) after using at least this
# share of its memory limit ran out of memory; below it, the reader crashed on a damaged file.
_NEAR_LIMIT = 0.5

LimitKind = Literal["memory", "cpu", "time"]


@dataclass(frozen=True)
class Limits:
    """What one child may use: address space in bytes, CPU seconds, wall-clock seconds."""

    memory_bytes: int = 1024 * MiB
    cpu_seconds: int = 120
    wall_seconds: float = 300.0


class LimitExceeded(Exception):
    """The child went over one of its limits and was stopped."""

    def __init__(self, kind: LimitKind, limits: Limits) -> None:
        super().__init__(kind)
        self.kind, self.limits = kind, limits

    def __str__(self) -> str:
        """What a user is told."""
        if self.kind == "memory":
            return (f"This PDF needs more memory than the limit allows to read ({self.limits.memory_bytes // MiB} "
                    "MB). It may be damaged or built to overload readers.")
        if self.kind == "cpu":
            return (f"Reading this PDF took more than the {self.limits.cpu_seconds} s processing-time limit, so it "
                    "was stopped. It may be damaged or built to overload readers.")
        return (f"Reading the file took longer than the {self.limits.wall_seconds:g} s limit, so it was stopped. "
                "The PDF may be damaged or unusually complex; try re-exporting it.")


class WorkerCrashed(Exception):
    """The child died without an answer, within its limits (a reader bug on a damaged file)."""


def run_limited(fn: Callable[..., Any], *args: Any, limits: Limits,
                progress: Callable[[int, int], None] | None = None) -> Any:
    """``fn(*args)`` in a limited child, returning its value or raising its exception.

    ``fn`` must be a module-level function (it is pickled by name). With
    ``progress`` it is also called with ``progress=`` a function that sends
    (done, total) to the caller's ``progress``. Raises LimitExceeded or
    WorkerCrashed when the child gives no answer.
    """
    if fn.__module__ == "__main__":
        raise ValueError(f"{fn.__qualname__} must be imported by its module's name: the child has another __main__")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
    # A new session makes the child lead a process group that also holds any pool it starts.
    child = subprocess.Popen([sys.executable, "-m", "nlp.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    assert child.stdin is not None and child.stdout is not None
    deadline = time.monotonic() + limits.wall_seconds
    message: tuple[str, Any] | None = None
    try:
        try:
            child.stdin.write(pickle.dumps(limits) + pickle.dumps((fn, args, progress is not None)))
            child.stdin.close()
        except BrokenPipeError:
            pass  # the child died at start-up; the exit status below says why
        message = _read_answer(child, deadline, progress)
    finally:
        maxrss_bytes = _stop(child)
    if message is None:
        if time.monotonic() >= deadline:
            raise LimitExceeded("time", limits)
        if -child.returncode in (signal.SIGXCPU, signal.SIGKILL):
            raise LimitExceeded("cpu", limits)
        if child.returncode < 0 and maxrss_bytes >= _NEAR_LIMIT * limits.memory_bytes:
            raise LimitExceeded("memory", limits)
        raise WorkerCrashed(f"the reader exited with status {child.returncode}")
    kind, payload = message
    if kind == "memory":
        raise LimitExceeded("memory", limits)
    if kind == "error":
        raise payload
    return payload


def _read_answer(child: subprocess.Popen[bytes], deadline: float,
                 progress: Callable[[int, int], None] | None) -> tuple[str, Any] | None:
    """Pass progress messages on; the final message, or None at the deadline or when the child died."""
    assert child.stdout is not None
    buffer = b""
    with selectors.DefaultSelector() as sel:
        sel.register(child.stdout, selectors.EVENT_READ)
        while (remaining := deadline - time.monotonic()) > 0:
            if not sel.select(min(remaining, 1.0)):
                # A pool the child forked holds the pipe open after the child died: no end of file comes.
                if os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                    return None
                continue
            chunk = os.read(child.stdout.fileno(), 1 << 20)
            if not chunk:
                return None
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                kind, payload = pickle.loads(base64.b64decode(line))
                if kind != "progress":
                    return kind, payload
                if progress:
                    progress(*payload)
    return None


def _stop(child: subprocess.Popen[bytes]) -> int:
    """Kill the child's process group if anything in it still runs; reap the child; its peak RSS in bytes."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.stdout:
        child.stdout.close()
    return usage.ru_maxrss * 1024  # kilobytes on Linux


# ---------------------------------------------------------------- the child

def _limit(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    cpu = max(1, int(limits.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + _CPU_GRACE_SECONDS))


def main() -> int:
    # Messages go to the original stdout; anything a library prints goes to stderr instead.
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)

    def send(kind: str, payload: object) -> None:
        channel.write(base64.b64encode(pickle.dumps((kind, payload))) + b"\n")
        channel.flush()

    # The limits come first and are set before the call is unpickled, which imports the function's module.
    _limit(pickle.load(sys.stdin.buffer))
    try:
        fn, args, wants_progress = pickle.load(sys.stdin.buffer)
        kwargs = {"progress": lambda done, total: send("progress", (done, total))} if wants_progress else {}
        send("result", fn(*args, **kwargs))
    except MemoryError:
        send("memory", None)
    except Exception as exc:  # noqa: BLE001 - the caller decides what a reader's failure means
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001 - an exception that cannot travel goes as its text
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        send("error", exc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
