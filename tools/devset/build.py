"""Assemble the development set of real SOC reports and score the extractor on it.

The restricted-use PDFs (and any plain gold of them) are only ever written to
``--out``, by default instance/devset (gitignored); the repository keeps the
list of sources (sources.json) and the hashed gold (tests/corpus_real).
This tool imports nlp.evaluation (the one scorer and hashing) but not the
extractor itself, until ``score`` runs nlp.evaluate.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = Path(__file__).with_name("sources.json")
COMMITTED_GOLD = ROOT / "tests" / "corpus_real"


@dataclass
class Built:
    id: str
    pdf: Path | None = None
    gold: Path | None = None
    problem: str | None = None  # why the report is left out (one line)


def sources() -> list[dict]:
    return json.loads(SOURCES.read_text(encoding="utf-8"))["reports"]


def source_bytes(src: dict, mirrors: Path) -> bytes:
    """The source file's bytes, or OSError/LookupError with a one-line reason."""
    for local in (src.get("copy"), None if src["mirror"] else src["path"]):
        if local and (ROOT / local).exists():
            return (ROOT / local).read_bytes()
    if not src["mirror"]:
        raise LookupError(f"{src['path']} is not in this checkout")
    git_dir = mirrors / src["mirror"] / "repo"
    if not git_dir.is_dir():
        raise LookupError(f"mirror {src['mirror']} not found under {mirrors}")
    ref = f"{src['commit'] or 'HEAD'}:{src['path']}"
    run = subprocess.run(["git", f"--git-dir={git_dir}", "show", ref], capture_output=True)
    if run.returncode:
        raise LookupError(f"git show {ref} in {src['mirror']}: {run.stderr.decode(errors='replace').strip()}")
    return run.stdout


def write_pdf(src: dict, data: bytes, pdf: Path) -> None:
    if src["kind"] == "pdf":
        pdf.write_bytes(data)
        return
    # Imported here: reportlab is needed only for the Markdown sources.
    from tools.devset import render_md

    text = getattr(render_md, src["prepare"])(data.decode("utf-8"))
    render_md.render_markdown(text, pdf)


def build(out: Path, mirrors: Path, gold_dir: Path | None = None, only: list[str] | None = None) -> list[Built]:
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for src in sources():
        if only and src["id"] not in only:
            continue
        b = Built(src["id"])
        results.append(b)
        pdf, gold = out / f"{b.id}.pdf", out / f"{b.id}.expected.json"
        for stale in (pdf, gold):  # a report that fails now must not be scored on last run's files
            stale.unlink(missing_ok=True)
        try:
            data = source_bytes(src, mirrors)
        except (OSError, LookupError) as exc:
            b.problem = str(exc)
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != src["sha256"]:
            b.problem = f"source sha256 {digest[:12]}... is not the listed {src['sha256'][:12]}..."
            continue
        write_pdf(src, data, pdf)
        b.pdf = pdf
        gold_src = (gold_dir or COMMITTED_GOLD) / f"{b.id}.expected.json"
        if not gold_src.exists():
            b.problem = f"no gold at {gold_src}"
            continue
        shutil.copyfile(gold_src, gold)
        b.gold = gold
        expected_sha = (json.loads(gold.read_text(encoding="utf-8")).get("source") or {}).get("sha256")
        if expected_sha and expected_sha != hashlib.sha256(pdf.read_bytes()).hexdigest():
            # Pages in the gold were read from another rendering: item pages may be off.
            b.problem = "built PDF differs from the gold's source.sha256 (scored anyway)"
    return results
