"""The dev-set Markdown renderer keeps what the extractor reads: page breaks, bullets, ruled tables."""

from __future__ import annotations

import pdfplumber

from tools.devset.render_md import first_copy, render_markdown, strip_front_matter

SNIPPET = """\
# Complementary User Entity Controls

Customers should apply the controls below &amp; review them **annually**.

- Customers should restrict access to their keys.
- Customers should review
  their logs.

---

## Controls

| Criteria | Control |
| --- | --- |
| CC6.1 | Access is reviewed <quarterly>. |
| CC7.2 | Alerts are _triaged_. |
"""


def test_pages_split_at_rule_and_lists_and_tables_survive(tmp_path):
    pdf_path = tmp_path / "snippet.pdf"
    assert render_markdown(SNIPPET, pdf_path) == 2
    with pdfplumber.open(pdf_path) as pdf:
        first, second = (p.extract_text() for p in pdf.pages)
        ruled = bool(pdf.pages[1].rects or pdf.pages[1].lines)
    assert "\u2022 Customers should restrict access to their keys." in first
    assert "\u2022 Customers should review their logs." in first
    assert "& review them annually." in first
    assert "CC6.1" not in first
    assert "CC6.1 Access is reviewed <quarterly>." in second
    assert "CC7.2 Alerts are triaged." in second
    assert ruled


def test_output_is_byte_identical_across_runs(tmp_path):
    # Gold records the PDF's sha256, so a re-render must not change it.
    render_markdown(SNIPPET, tmp_path / "a.pdf")
    render_markdown(SNIPPET, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_front_matter_and_second_copy_are_dropped():
    text = "---\ntitle: X\n---\n\nBody\n---\nPage two\n---\nBody\n---\nPage two\n"
    body = strip_front_matter(text)
    assert body.startswith("Body")
    assert first_copy(body) == "Body\n---\nPage two\n"
    assert strip_front_matter("---\nProse after a break\n") == "---\nProse after a break\n"
