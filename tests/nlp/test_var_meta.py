"""Report metadata as firms vary it: the auditor's name wherever the report gives it, the service
organization as the auditor's report names it, the type a report implies, the opinion read from
the opinion paragraph only, the categories of the scope sentence.

All wording below is invented (companies, firms, places).
"""

from __future__ import annotations

from nlp.metadata import extract_metadata
from nlp.pdftext import TextPage
from nlp.sections import build_sections, find_headings, find_opinion

SCOPE = ("We have examined the description of the system of Quillon Ledger and Quillon vaults (the "
         "\u201cService Organization\u201d or \u201cQuillon\u201d) for the period March 1, 2024 to February 28, 2025 "
         "based on the criteria for the security, availability, and confidentiality principles (\u201capplicable "
         "trust services criteria\u201d) set forth in TSP section 100A, Trust Services Principles and Criteria for "
         "Security, Availability, Processing Integrity, Confidentiality, and Privacy, throughout the period "
         "March 1, 2024 to February 28, 2025.")
OPINION_T2 = [
    "Opinion",
    "In our opinion, in all material respects:",
    "a. The description fairly presents the system that was designed and implemented throughout the period",
    "March 1, 2024 to February 28, 2025.",
    "b. The controls operated effectively throughout the period March 1, 2024 to February 28, 2025.",
]


def _meta(*pages: list[str]):
    tp = [TextPage(i, lines) for i, lines in enumerate(pages, 1)]
    return extract_metadata(tp, build_sections(find_headings(tp), find_opinion(tp)), [])


def _report(top: list[str], scope: str = SCOPE, opinion: list[str] = OPINION_T2, tail: list[str] | None = None,
            cover: list[str] | None = None, to: list[str] | None = None):
    return _meta(cover or ["Quillon Corporation", "Service Organization Controls Report", "March 1, 2024 - February 28, 2025"],
                 top + ["Independent Service Auditor's Report"] + (to or []) + ["Scope", scope] + opinion
                 + (tail if tail is not None else ["Restricted Use", "This report is intended solely for the "
                                                   "specified parties.", "April 2, 2025"]),
                 ["Management's Assertion", "We have prepared the description of the system of Quillon."])


# ---------------------------------------------------------------- auditor

def test_letterhead_over_the_report_names_the_auditor_when_the_signature_is_an_image():
    r = _report(["Marlow & Tenby LLP", "400 Harbor Street, Suite 12", "Portland, OR 97201",
                 "Tel: +1 503 555 0100", "www.marlowtenby.example"])
    assert r.auditor == "Marlow & Tenby LLP"


def test_addressee_block_without_contact_lines_is_not_a_letterhead():
    r = _report([], to=["Quillon Corporation", "12 Quill Way", "Salem, OR 97301"])
    assert r.auditor is None


def test_letterhead_printed_at_the_foot_with_logo_initials():
    r = _report([], tail=["Restricted Use", "Intended solely for the specified parties.",
                          "Page prepared by GB Garrow Birch LLP", "90 Elm Avenue, Boise, ID 83702",
                          "Phone: +1 208 555 0101"])
    assert r.auditor == "Garrow Birch LLP"


def test_firm_named_in_a_notice_before_the_report():
    notice = ["Readers outside the intended audience gain no claim by reading it and do not acquire any rights",
              "against Penhallow & Company, LLC."]
    r = _meta(["Quillon, LLC", "SOC 2 Type 2 Report"] + notice,
              ["Independent Service Auditor's Report", "To Quillon, LLC:", "Scope", SCOPE] + OPINION_T2
              + ["Tampa, Florida", "April 2, 2025"])
    assert r.auditor == "Penhallow & Company, LLC"


def test_firm_named_in_a_distribution_notice_next_to_the_service_organization():
    r = _report([], cover=["A list of everyone given this document shall be sent to Quillon or Ostrander Voss LLP",
                           "upon request.", "Quillon Corporation", "SOC 2 Report"])
    assert r.auditor == "Ostrander Voss LLP"


def test_signature_block_run_onto_one_line_without_a_legal_form():
    r = _report([], tail=["Harlow Advisors Boise, Idaho April 2, 2025"])
    assert r.auditor == "Harlow Advisors"


def test_service_organization_in_a_notice_is_never_the_auditor():
    r = _meta(["Quillon, LLC", "Readers do not acquire any rights against Quillon, LLC in any case."],
              ["Independent Service Auditor's Report", "To Quillon, LLC:", "Scope", SCOPE] + OPINION_T2)
    assert r.auditor is None


# ---------------------------------------------------------------- service organization

def test_defined_term_of_the_scope_paragraph_over_an_address_block():
    r = _report([], to=["Quillon Corporation", "12 Quill Way", "Salem, OR 97301"])
    assert r.service_organization == "Quillon Ledger and Quillon vaults"


def test_addressee_without_a_role():
    scope = "We have examined Fenwick Tally, LLC\u2019s (\u201cFenwick\u201d or the \u201cservice organization\u201d) description."
    r = _report([], to=["To Fenwick Tally, LLC:"], scope=scope)
    assert r.service_organization == "Fenwick Tally, LLC"


def test_addressee_with_the_city_run_onto_its_line():
    r = _report([], to=["To the Management of Dovecote Inc. Wilmington, Delaware"])
    assert r.service_organization == "Dovecote Inc."


def test_address_block_when_nothing_else_names_the_organization():
    scope = "We have examined the controls described in Section III for the period March 1, 2024 to February 28, 2025."
    r = _report([], to=["Tarrow Freight Corp.", "8 Canal Road", "Albany, NY 12207"], scope=scope)
    assert r.service_organization == "Tarrow Freight Corp."


def test_a_generic_role_is_not_a_name():
    scope = "We have examined a service organization's accompanying description of its platform."
    r = _meta(["Cover"], ["Independent Service Auditor's Report", "Scope", scope] + OPINION_T2)
    assert r.service_organization != "a service organization"


# ---------------------------------------------------------------- type and opinion

def test_type_2_implied_by_operating_effectiveness_throughout_a_period():
    assert _report([]).type == "Type 2"


def test_type_1_implied_by_design_as_of_a_date():
    opinion = ["Opinion", "In our opinion, in all material respects, the controls were suitably designed as of",
               "March 31, 2025."]
    scope = "We have examined the description of the system of Quillon (the \"Service Organization\") as of March 31, 2025."
    assert _report([], scope=scope, opinion=opinion).type == "Type 1"


def test_no_opinion_on_other_information_is_not_a_disclaimer():
    scope = SCOPE + (" The information in Section V is presented by management and, accordingly, we do not "
                     "express an opinion on it.")
    assert _report([], scope=scope).opinion == "unqualified"


def test_except_for_outside_the_opinion_paragraph_is_not_a_qualification():
    scope = SCOPE + (" Section V, all information except for the matters described in the description, is "
                     "presented by management.")
    assert _report([], scope=scope).opinion == "unqualified"


def test_qualified_opinion_with_its_basis_heading():
    opinion = ["Basis for Qualified Opinion", "The controls over backups did not operate effectively.",
               "Qualified Opinion", "In our opinion, except for the matter described in the basis for qualified "
               "opinion paragraph, in all material respects the controls operated effectively throughout the "
               "period March 1, 2024 to February 28, 2025."]
    assert _report([], opinion=opinion).opinion == "qualified"


# ---------------------------------------------------------------- categories

def test_principles_wording_of_the_scope_and_the_older_tsp_title():
    assert _report([]).trust_services_criteria == ["security", "availability", "confidentiality"]


# ---------------------------------------------------------------- text layer holes

def test_report_whose_auditor_pages_are_images_is_still_read(tmp_path):
    import pypdfium2 as pdfium

    from nlp.pdftext import read_text_pages
    from nlp.pipeline import run, unreadable_pages
    from nlp.results import Source
    from var_meta import ORG, build_image_auditor_report

    path = build_image_auditor_report(tmp_path / "image-auditor.pdf")
    result = run(str(path), Source(filename=path.name, sha256="0" * 64), 500, lambda done, total: None)
    assert result.status == "ok"
    assert result.report.service_organization == ORG
    assert result.report.trust_services_criteria == ["security", "availability"]
    assert str(result.report.period_end) == "2025-05-31"
    # The reviewer is told which pages could not be read.
    assert "2 page(s) have no readable text (images only) and were not read: 2, 3." in result.warnings
    doc = pdfium.PdfDocument(str(path))
    assert unreadable_pages(read_text_pages(doc)) == [2, 3]
    doc.close()


def test_divider_and_cover_pages_with_pictures_are_not_unreadable():
    from nlp.pdftext import RawText
    from nlp.pipeline import unreadable_pages

    body = ["Some description of the platform and how it is operated by the team every day."] * 3
    raw = [RawText(["Wrenfield Corp.", "SOC 3 Report"], [], True),
           RawText(["Section II: Management's Assertion"], [], True),
           RawText(["Wrenfield | SOC 3", "4"], ["Wrenfield | SOC 3", "4"], True),
           RawText(["Wrenfield | SOC 3", "5"] + body, ["Wrenfield | SOC 3", "5"], False),
           RawText(["Wrenfield | SOC 3", "6"] + body, ["Wrenfield | SOC 3", "6"], False)]
    assert unreadable_pages(raw) == [3]


# ---------------------------------------------------------------- more layouts of the same facts

def test_addressee_wrapped_after_of():
    r = _report([], to=["To the Board of Directors and Management of", "Pemberly Cask Systems, Inc.:"])
    assert r.service_organization == "Pemberly Cask Systems, Inc."


def test_designation_on_its_own_line_under_the_firm_name():
    r = _report([], tail=["Restricted Use", "Intended solely for the specified parties.",
                          "Reyes Hollis", "Certified Public Accountants", "Austin, Texas", "April 2, 2025"])
    assert r.auditor == "Reyes Hollis"


def test_type_1_saying_no_opinion_on_operating_effectiveness_is_clean():
    opinion = ["Opinion", "In our opinion, in all material respects, the controls were suitably designed as of",
               "March 31, 2025. We were not engaged to test operating effectiveness and, accordingly, we do not",
               "express an opinion on the operating effectiveness of any controls."]
    scope = "We have examined the description of the system of Quillon (the \"Service Organization\") as of March 31, 2025."
    assert _report([], scope=scope, opinion=opinion).opinion == "unqualified"


def test_disclaimer_is_still_a_disclaimer():
    opinion = ["Disclaimer of Opinion", "Because of the significance of the matter described, we do not express an",
               "opinion on the description or on the suitability of the design of the controls."]
    assert _report([], opinion=opinion).opinion == "disclaimer"


def test_firm_named_on_the_cover_by_its_report():
    cover = ["Quillon Corporation", "SOC 2 Type 2 Report", "together with the independent service auditor's report of",
             "Ashgrove Pell LLP"]
    assert _report([], cover=cover).auditor == "Ashgrove Pell LLP"


def test_firm_named_where_the_tests_were_performed():
    r = _meta(["Quillon Corporation", "SOC 2 Type 2 Report"],
              ["Independent Service Auditor's Report", "Scope", SCOPE] + OPINION_T2,
              ["Tests of Controls", "The tests of operating effectiveness were performed by Brandt Okafor, P.C. on a",
               "sample basis."])
    assert r.auditor == "Brandt Okafor, P.C."
