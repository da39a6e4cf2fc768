"""Fixtures for the extractor tests: SOC reports and bad inputs built with reportlab."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # socfixtures lives beside the tests

from socfixtures import Spec, Style, build_report  # noqa: E402

# Three firms' templates: numbering, rulings, list shapes and wording all differ.
STYLES: dict[str, tuple[Spec, Style]] = {
    "roman-ruled-bullets": (Spec(), Style()),
    "unnumbered-unruled-type1": (
        Spec(org="Contoso Payroll LLC", org_short="Contoso", type_="Type 1", auditor="Brightline CPAs, P.C.",
             categories=["security", "confidentiality", "privacy"], period_iso=(None, "2025-04-30")),
        Style(numbering="none", ruled=False, criteria_column=True, cuec_layout="table", csoc_layout="numbered",
              cuec_heading="User Entity Responsibilities", responses_inline=False, date_style="eu",
              results_header="Results of Testing"),
    ),
    "arabic-grouped-qualified": (
        Spec(opinion="qualified", basis="For 3 of 25 changes the approval was not documented, and management "
                                        "could not provide evidence of testing."),
        Style(numbering="arabic", cuec_layout="grouped", csoc_layout="bullets",
              cuec_heading="Complementary Controls at User Entities", date_style="numeric"),
    ),
}


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> dict[str, tuple[Path, Spec]]:
    """Each style rendered once per test session."""
    out = tmp_path_factory.mktemp("reports")
    return {name: (build_report(out / f"{name}.pdf", spec, style), spec) for name, (spec, style) in STYLES.items()}


@pytest.fixture(scope="session")
def extracted(reports):
    """Run the pipeline in-process on every style (the isolated API is tested separately)."""
    from nlp.pipeline import run
    from nlp.results import Source

    return {name: (run(str(path), Source(path.name, "0" * 64), 2000, lambda d, t: None), spec)
            for name, (path, spec) in reports.items()}
