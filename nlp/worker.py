"""The isolated extraction process: ``python -m nlp.worker PATH MAX_PAGES``.

Started by ``nlp.extract`` as a fresh interpreter (not a fork of the caller,
which may be a threaded web server, and not a multiprocessing child, which
would re-import the caller's main script). Each stdout line is one base64
pickled message: ("progress", (done, total)) or ("result", ExtractionResult).
"""

from __future__ import annotations

import base64
import pickle
import sys
import traceback

from nlp.results import ExtractionResult, Source


def send(kind: str, payload: object) -> None:
    """Write one message line to stdout."""
    sys.stdout.write(base64.b64encode(pickle.dumps((kind, payload))).decode("ascii") + "\n")
    sys.stdout.flush()


def decode(line: bytes) -> tuple[str, object]:
    """Read one message line written by ``send``."""
    return pickle.loads(base64.b64decode(line))


def main(argv: list[str]) -> int:
    path, filename, sha256, max_pages = argv[0], argv[1], argv[2], int(argv[3])
    source = Source(filename, sha256)
    try:
        from nlp.pipeline import run  # imported after start-up so the parent stays light

        result = run(path, source, max_pages, lambda done, total: send("progress", (done, total)))
    except Exception:  # noqa: BLE001 - any parser failure on a hostile file is a rejection, not a crash
        traceback.print_exc(file=sys.stderr)
        result = ExtractionResult("rejected", source, "The PDF could not be parsed; it appears to be damaged. "
                                  "Try re-exporting or re-downloading the report.")
    send("result", result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
