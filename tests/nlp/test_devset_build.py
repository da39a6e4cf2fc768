"""tools/devset/build.py: sources that are missing or changed are reported in one line and skipped."""
from __future__ import annotations

import json

from tools.devset import build as devset


def test_missing_mirrors_skip_their_reports_and_the_committed_copy_still_builds(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "azure_soc3.expected.json").write_text(json.dumps({"status": "ok", "source": {}}))
    out = tmp_path / "out"
    results = {b.id: b for b in devset.build(out, tmp_path / "no-mirrors", gold)}
    assert results["azure_soc3"].gold == out / "azure_soc3.expected.json" and results["azure_soc3"].problem is None
    assert (out / "azure_soc3.pdf").read_bytes()[:5] == b"%PDF-"
    skipped = results["azure_soc2_t2"]
    assert skipped.pdf is None and "mirror anna-dor-plumsail+documents-docs not found" in skipped.problem
    assert "\n" not in skipped.problem


def test_a_source_with_other_bytes_is_not_built(tmp_path, monkeypatch):
    src = dict(next(s for s in devset.sources() if s["id"] == "azure_soc3"), sha256="0" * 64)
    monkeypatch.setattr(devset, "sources", lambda: [src])
    (b,) = devset.build(tmp_path, tmp_path)
    assert b.pdf is None and b.problem.startswith("source sha256")
    assert not (tmp_path / "azure_soc3.pdf").exists()
