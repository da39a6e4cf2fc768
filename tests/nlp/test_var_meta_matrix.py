"""The metadata matrix of ``var_meta_matrix``: each generated report's auditor, opinion, type and
service organization are read whatever the firm's name form, where the report names the firm and
how the opinion is worded. All wording is invented."""

from __future__ import annotations

import pytest

from var_meta_matrix import CASES, ORG, Case, build_case


def _extract(tmp_path, case: Case):
    from nlp.pipeline import run
    from nlp.results import Source

    path = build_case(tmp_path / f"{case.id}.pdf", case)
    result = run(str(path), Source(filename=path.name, sha256="0" * 64), 50, lambda done, total: None)
    assert result.status == "ok"
    return result.report


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matrix_report_metadata(tmp_path, case: Case):
    r = _extract(tmp_path, case)
    got = {"auditor": r.auditor, "opinion": r.opinion, "service_organization": r.service_organization,
           "framework": r.framework, "type": r.type}
    want = {"auditor": case.firm, "opinion": case.want_opinion, "service_organization": ORG,
            "framework": "SOC 3" if case.opinion == "soc3" else "SOC 2",
            "type": None if case.opinion == "soc3" else ("Type 1" if case.opinion == "type1" else "Type 2")}
    assert got == want


# ---------------------------------------------------------------- hand-made pages

COVER = ["Quillon Corporation", "SOC 2 Type 2 Report", "March 1, 2024 - February 28, 2025"]
# The firm's signature is a picture: only the place and the date are text.
IMAGE_SIGNED = ["Restricted Use", "Intended solely for the specified parties.", "Tampa, Florida", "April 2, 2025"]


def _signed_by(*block: str):
    from test_var_meta import _report
    return _report([], tail=IMAGE_SIGNED[:2] + list(block))


@pytest.mark.parametrize("credit, firm", [
    (["Service Auditor: Meridian Attest"], "Meridian Attest"),
    (["Issued by:", "Meridian"], "Meridian"),
    (["Examination performed by Harbor Assurance"], "Harbor Assurance"),
])
def test_cover_credit_as_a_label_or_over_the_name(credit, firm):
    from test_var_meta import _report
    assert _report([], cover=COVER + credit, tail=IMAGE_SIGNED).auditor == firm


def test_a_task_performed_by_a_team_is_not_a_credit():
    from test_var_meta import _report
    cover = COVER + ["Backups are performed by", "Platform Operations"]
    assert _report([], cover=cover, tail=IMAGE_SIGNED).auditor is None


@pytest.mark.parametrize("block, firm", [
    (["Jane Doe, Partner", "for and on behalf of Brackley Stone LLP", "Tampa, Florida", "April 2, 2025"],
     "Brackley Stone LLP"),
    (["Jane Q. Doe", "Certified Public Accountant", "Tampa, Florida", "April 2, 2025"], "Jane Q. Doe"),
    (["/s/ Meridian", "April 2, 2025"], "Meridian"),
    (["By: Harbor Assurance", "Tampa, Florida", "April 2, 2025"], "Harbor Assurance"),
])
def test_signature_block_forms(block, firm):
    assert _signed_by(*block).auditor == firm


def test_a_sentence_wrapped_onto_a_professional_body_is_no_signature():
    r = _signed_by("We performed our procedures under the attestation standards established by the American",
                   "Institute of Certified Public Accountants", "Tampa, Florida", "April 2, 2025")
    assert r.auditor is None


def test_letterhead_with_a_designation_line_between_name_and_address():
    from test_var_meta import _report
    top = ["Brackley Stone", "Certified Public Accountants", "12 Main Street", "Tampa, FL 33602", "www.brackley.example"]
    assert _report(top, tail=IMAGE_SIGNED).auditor == "Brackley Stone"


def test_letterhead_above_the_title_without_telephone_or_web():
    from test_var_meta import _report
    top = ["Brackley Stone LLP", "12 Main Street", "Tampa, Florida 33602"]
    assert _report(top, tail=IMAGE_SIGNED).auditor == "Brackley Stone LLP"


def test_firm_the_organization_engaged_to_examine():
    from test_var_meta import OPINION_T2, SCOPE, _meta
    r = _meta(COVER, ["Independent Service Auditor's Report", "Scope", SCOPE] + OPINION_T2 + IMAGE_SIGNED,
              ["Quillon engaged Harbor Assurance to examine its system and report on it."])
    assert r.auditor == "Harbor Assurance"


def test_firm_that_names_itself_we_in_its_report():
    r = _signed_by("Tampa, Florida", "April 2, 2025",
                   "Brackley Stone LLP (\u201cwe\u201d or \u201cus\u201d) has no duty to update this report.")
    assert r.auditor == "Brackley Stone LLP"


def _tests_section(*lines: str):
    from test_var_meta import OPINION_T2, SCOPE, _meta
    return _meta(COVER, ["Independent Service Auditor's Report", "Scope", SCOPE] + OPINION_T2 + IMAGE_SIGNED,
                 ["Section IV", *lines])


@pytest.mark.parametrize("lines, firm", [
    (["The matrix below lists each control with its test, and management reviewed every result. Harbor",
      "Assurance performed the tests on a sample basis."], "Harbor Assurance"),
    (["The tests of controls were performed by Harbor Assurance, an independent firm, on a sample basis."],
     "Harbor Assurance"),
])
def test_sentence_naming_who_tested_read_over_line_ends(lines, firm):
    assert _tests_section(*lines).auditor == firm


def test_cover_label_over_the_firm_name():
    from test_var_meta import _report
    assert _report([], cover=COVER + ["Service Auditor", "Harbor Assurance"], tail=IMAGE_SIGNED).auditor == \
        "Harbor Assurance"


def test_a_subservice_organizations_report_that_management_reviews_is_not_the_auditor():
    r = _tests_section("Management reviewed the independent auditor's report of Cloudhaven Hosting LLC for the period.")
    assert r.auditor is None


def test_letterhead_with_a_tagline_under_the_name():
    from test_var_meta import _report
    top = ["Meridian Attest LLP", "Assurance | Advisory | Tax", "12 Main Street", "Tampa, FL 33602",
           "www.meridian.example"]
    assert _report(top, tail=IMAGE_SIGNED).auditor == "Meridian Attest LLP"


def test_signing_partner_under_a_firm_name_without_a_legal_form():
    assert _signed_by("Meridian", "Jane Doe, Partner", "Tampa, Florida", "April 2, 2025").auditor == "Meridian"
