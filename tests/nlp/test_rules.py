import pytest

from nlp.metadata import _opinion
from nlp.rules import classify_result


@pytest.mark.parametrize("text", [
    "Exception noted. For 2 of 25 terminated users sampled, access was not removed timely.",
    "Deviation noted.",
    "The following exception was identified: one change lacked approval.",
    "For 3 of 40 changes sampled, approval was not documented.",
    "Exceptions were identified in 1 of 12 quarterly reviews.",
    "No exceptions noted for the first half. Exception noted: the Q3 review was not performed.",
])
def test_exception_results(text):
    assert classify_result(text) == "exception"


@pytest.mark.parametrize("text", [
    "No exceptions noted.", "No deviations noted.", "No relevant exceptions noted.",
    "No exceptions were noted.", "Tested without exception.",
])
def test_clean_results(text):
    assert classify_result(text) == "clean"


@pytest.mark.parametrize("text", [
    "The control did not operate during the period because no security incidents occurred; therefore, no testing "
    "was performed.",
    "No new hires occurred during the period; therefore, the control was not tested.",
])
def test_non_occurrence_is_not_an_exception(text):
    assert classify_result(text) == "nonoccurrence"


def test_result_matching_no_rule_is_unclear():
    assert classify_result("Refer to CC6.1.") == "unclear"


@pytest.mark.parametrize("lines,kind", [
    (["Opinion", "In our opinion, in all material respects, the controls operated effectively."], "unqualified"),
    (["Basis for Qualified Opinion", "The control over changes was not performed for two months.",
      "Qualified Opinion", "In our opinion, except for the effects of the matter described in the Basis for "
      "Qualified Opinion paragraph, in all material respects, the controls operated effectively."], "qualified"),
    (["Basis for Adverse Opinion", "Logical access controls did not operate effectively.", "Adverse Opinion",
      "In our opinion, because of the significance of the matters, the controls were not suitably designed."],
     "adverse"),
    (["Basis for Disclaimer of Opinion", "Management could not provide populations.", "Disclaimer of Opinion",
      "Accordingly, we do not express an opinion on the description."], "disclaimer"),
])
def test_opinion_classification(lines, kind):
    found, basis = _opinion(lines)
    assert found == kind
    if kind == "unqualified":
        assert basis is None
    else:
        assert basis == lines[1]


def test_qualified_basis_mentioning_ineffective_controls_stays_qualified():
    lines = ["Basis for Qualified Opinion",
             "As a result, controls did not operate effectively to achieve criterion CC6.2.",
             "Qualified Opinion",
             "In our opinion, except for the matter described in the preceding paragraph, in all material respects, "
             "the controls operated effectively."]
    assert _opinion(lines)[0] == "qualified"


def test_trained_classifier_reads_cells_no_rule_reads():
    from nlp.rules import model_says_exception

    unclear_exception = "Administrative access for one departed engineer persisted for nine days."
    assert classify_result(unclear_exception) == "unclear"
    assert model_says_exception(unclear_exception)
    assert not model_says_exception("Refer to control CC7.1 for testing.")


@pytest.mark.parametrize("cell", [
    "Deviation noted: 2 of 25 changes lacked approval. Management's Response: Approvals are now enforced.",
    "Deviation noted: 2 of 25 changes lacked approval. Management' s Response: Approvals are now enforced.",
    "Deviation noted: 2 of 25 changes lacked approval. Man agement's Response: Approvals are now enforced.",
    "Deviation noted: 2 of 25 changes lacked approval. Response from management - Approvals are now enforced.",
])
def test_a_response_in_the_results_cell_is_split_from_the_exception(cell):
    from nlp.exceptions import split_response

    assert split_response(cell) == ("Deviation noted: 2 of 25 changes lacked approval.",
                                    "Approvals are now enforced.")
