"""What the extractor says it is unsure of: warnings for the reviewer and a confidence per item."""

from datetime import date

from nlp.confidence import LOW_CONFIDENCE, assess, cuec_confidence, exception_confidence, subservice_confidence
from nlp.pdftext import TextPage
from nlp.results import ControlException, Cuec, ExtractionResult, Report, Source, SubserviceOrganization
from nlp.sections import Heading, Section


def _result(**lists) -> ExtractionResult:
    report = Report(framework="SOC 2", type="Type 2", service_organization="Fernhill Labs, Inc.",
                    auditor="Birch & Vale LLP", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
                    opinion="unqualified")
    return ExtractionResult("ok", Source("r.pdf", "0" * 64, 3), None, report, **lists)


def _section(label: str, page: int, end_page: int | None = None) -> Section:
    end = Heading("SEC_TESTS", end_page, 0, "Tests of Controls") if end_page else None
    return Section(label, Heading(label, page, 0, label), end)


AUDITOR_PAGE = TextPage(1, ["Independent Service Auditor's Report", "The description indicates that complementary "
                            "user entity controls are necessary.", "In our opinion, in all material respects, ..."])


def test_items_of_their_kinds_usual_shape_are_sure_and_fragments_are_not():
    assert cuec_confidence(Cuec("Customers should enable multi-factor authentication for administrators.", 4)) >= 0.9
    assert cuec_confidence(Cuec("User entities are responsible for reviewing access quarterly.", 4)) >= 0.9
    assert cuec_confidence(Cuec("Section IV 22", 4)) < LOW_CONFIDENCE
    assert exception_confidence(ControlException("For 2 of 25 terminated users sampled, access was not removed "
                                                 "within one business day.", 9, "CC6.2.1")) >= 0.9
    assert exception_confidence(ControlException("Exception noted: CC6.2.1:", 9)) < LOW_CONFIDENCE
    assert subservice_confidence(SubserviceOrganization("CSOC2", 5, "carve-out")) < LOW_CONFIDENCE
    assert subservice_confidence(SubserviceOrganization("Amazon Web Services, Inc.", 5, "carve-out")) >= 0.9


def test_a_clean_extraction_has_no_warnings_and_every_item_a_confidence():
    result = _result(cuecs=[Cuec("Customers should review their users' access each quarter.", 2)])
    pages = [AUDITOR_PAGE, TextPage(2, ["Complementary User Entity Controls", "Customers should review ..."])]
    assess(result, pages, [_section("SEC_AUDITOR", 1, 2), _section("SUB_CUEC", 2)])
    assert result.warnings == []
    assert result.to_dict()["cuecs"][0]["confidence"] == 0.9
    assert result.to_dict()["warnings"] == []


def test_missing_facts_and_an_empty_cuec_section_are_warned_of():
    result = _result()
    result.report.auditor = None
    result.report.opinion = None
    pages = [AUDITOR_PAGE, TextPage(2, ["Complementary User Entity Controls", "(a table drawn as an image)"])]
    assess(result, pages, [_section("SEC_AUDITOR", 1, 2), _section("SUB_CUEC", 2)], unreadable=[2])
    text = " ".join(result.warnings)
    assert "opinion was not found" in text and "auditor (CPA firm) was not found" in text
    assert "found (page 2) but no items were read" in text
    assert "1 page(s) have no readable text" in text and ": 2." in text


def test_a_cuec_section_that_says_none_are_required_is_no_warning():
    pages = [AUDITOR_PAGE, TextPage(2, ["Complementary User Entity Controls", "Complementary user entity controls "
                                        "are not required to achieve the service commitments."])]
    result = _result()
    assess(result, pages, [_section("SEC_AUDITOR", 1, 2), _section("SUB_CUEC", 2)])
    assert result.warnings == []


def test_cuecs_promised_by_the_opinion_but_no_section_found():
    result = _result()
    assess(result, [AUDITOR_PAGE], [_section("SEC_AUDITOR", 1)])
    assert any("refers to complementary user entity controls" in w for w in result.warnings)
