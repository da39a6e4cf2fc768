"""A matrix of how reports give subservice organizations, their method and their CSOCs
(generated reports, invented names and wording; builder in ``var_subservice_matrix.py``).

Dimensions:
- method wording, in the auditor's report or the description: the words "carve-out" /
  "inclusive method"; carve-out without the word (did not include the services provided by X,
  did not extend to the controls of X, the description excludes the controls of X, X's controls
  are not included in the scope); inclusive without the word (includes the relevant controls
  of X, our examination included the controls of X, presents X's controls together with);
  one sentence giving each organization its own method; "the subservice organizations listed
  below are carved out"; a method column; nothing said (null, never guessed);
- how organizations are given: a table, bullets "X – provides ...", a legal name then a
  short one, prose naming a group; tools merely listed are no organizations;
- CSOCs: id tables with an organization column, one header naming several organizations,
  short names in an organization column, row groups, a heading per organization over
  bullets, and prose paragraphs. In prose, each sentence stating what the providers are
  expected to do (or are responsible for) is one CSOC, given to the first organization the
  sentence names, or, when it names none ("They are also expected to ..."), to the one the
  sentence before gave.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from var_subservice_matrix import Case, build_case

K, P, F, O, B = ("Kestrel Hosting, LLC", "Pinecrest Data Centers, Inc.", "Fenmore Payments Ltd.",
                 "Orchard Mail Corp.", "Brightwater Cloud Services, Inc.")
K_BULLET = f"{K} – provides colocation space and power for the production servers"
F_BULLET = f"{F} – processes card settlement for customer invoices"
CTRL = {  # invented control statements
    "badge": "Physical access to the data halls is restricted to badge holders approved by site security.",
    "power": "Generators and cooling units are maintained under service contracts and tested each month.",
    "visit": "Visitors to the facility are escorted and their visits are logged and kept for review.",
    "keys": "Encryption keys protecting settlement files are rotated at least once a year.",
}

CASES: dict[str, Case] = {
    # --- method wording ---------------------------------------------------------------------
    "carve-out-word-in-auditor-report-only": Case(
        auditor=["Quarry uses two subservice organizations, which are presented using the carve-out method."],
        sub_paras=["Quarry uses the following subservice organizations:"], sub_bullets=[K_BULLET, F_BULLET],
        orgs=[(K, "carve-out", True), (F, "carve-out", True)]),
    "inclusive-word-in-description": Case(
        sub_paras=[f"{F} (Fenmore) provides card settlement services to Quarry. This description uses the "
                   "inclusive method with respect to Fenmore."],
        orgs=[(F, "inclusive", True)]),
    "not-include-services-provided-by": Case(
        auditor=[f"Quarry uses {K} to host its production servers. Our examination did not include the "
                 f"services provided by {K}."],
        sub_bullets=[K_BULLET], orgs=[(K, "carve-out", True)]),
    "did-not-extend-to-controls-of": Case(
        auditor=[f"Our examination did not extend to the controls of {P}."],
        sub_paras=[f"{P} provides data center space and power for the production servers."],
        orgs=[(P, "carve-out", True)]),
    "description-excludes-controls-of": Case(
        sub_paras=[f"Quarry relies on {O} to deliver notification emails to its customers. The description "
                   f"excludes the controls of {O}."],
        orgs=[(O, "carve-out", True)]),
    "controls-not-included-in-scope": Case(
        sub_paras=[f"{K} (Kestrel) hosts the production servers in its data halls. Kestrel's controls are not "
                   "included in the scope of this examination."],
        orgs=[(K, "carve-out", True)]),
    "description-includes-relevant-controls-of": Case(
        sub_paras=[f"{F} provides card settlement for customer invoices. The description includes the relevant "
                   f"controls of {F}."],
        orgs=[(F, "inclusive", True)]),
    "examination-included-controls-of": Case(
        auditor=[f"Quarry uses {F} for card settlement. Our examination included the controls of {F}."],
        sub_bullets=[F_BULLET], orgs=[(F, "inclusive", True)]),
    "presents-controls-together-with": Case(
        sub_paras=[f"{P} (Pinecrest) provides data center space for the production servers. The description "
                   "presents Pinecrest's controls together with the related controls of Quarry."],
        orgs=[(P, "inclusive", True)]),
    "one-sentence-two-methods": Case(
        auditor=[f"Quarry uses {K} for hosting and {F} for card settlement. The description uses the carve-out "
                 f"method for {K} and the inclusive method for {F}."],
        sub_bullets=[K_BULLET, F_BULLET], orgs=[(K, "carve-out", True), (F, "inclusive", True)]),
    "one-sentence-two-methods-short-names": Case(
        sub_paras=[f"Quarry uses {K} (Kestrel) for hosting and {F} (Fenmore) for card settlement. Kestrel is "
                   "presented using the carve-out method and Fenmore using the inclusive method."],
        orgs=[(K, "carve-out", True), (F, "inclusive", True)]),
    "listed-below-are-carved-out": Case(
        sub_paras=["The subservice organizations listed below are carved out of this report:"],
        sub_bullets=[K_BULLET, f"{O} – delivers notification emails"],
        orgs=[(K, "carve-out", True), (O, "carve-out", True)]),
    "method-column": Case(
        sub_table=[["Subservice Organization", "Services Provided", "Method"],
                   [K, "Colocation space and power for the production servers", "Carve-out"],
                   [F, "Card settlement for customer invoices", "Inclusive"]],
        orgs=[(K, "carve-out", True), (F, "inclusive", True)]),
    "method-column-in-other-words": Case(
        sub_table=[["Subservice Organization", "Services Provided", "Treatment in this Report"],
                   [K, "Colocation space and power for the production servers", "Carved out"],
                   [F, "Card settlement for customer invoices", "Included"]],
        orgs=[(K, "carve-out", True), (F, "inclusive", True)]),
    "method-after-each-bullet": Case(
        sub_paras=["Quarry uses the following subservice organizations:"],
        sub_bullets=[f"{K} – colocation space and power for the production servers (carve-out method)",
                     f"{F} – card settlement for customer invoices (inclusive method)"],
        orgs=[(K, "carve-out", True), (F, "inclusive", True)]),
    "auditor-carves-out-one-description-includes-another": Case(
        auditor=[f"Quarry uses subservice organizations; the carve-out method is used for {K}, and the "
                 f"description includes the relevant controls of {F}."],
        sub_bullets=[K_BULLET, F_BULLET], orgs=[(K, "carve-out", True), (F, "inclusive", True)]),
    "carve-out-word-in-auditor-report-without-subservice": Case(
        auditor=["Quarry presents the hosting and settlement vendors described in Section III using the carve-out "
                 "method."],
        sub_bullets=[K_BULLET, F_BULLET], orgs=[(K, "carve-out", True), (F, "carve-out", True)]),
    "does-not-include-any-of-the-controls": Case(
        sub_paras=[f"{F} provides card settlement for customer invoices. The description does not include any of "
                   f"the controls performed by {F}."],
        orgs=[(F, "carve-out", True)]),
    "method-stated-on-an-unintroduced-short-name": Case(
        sub_paras=[f"{K} provides colocation space and power for the production servers. {F} provides card "
                   "settlement. Kestrel is carved out of this report, while Fenmore's controls are included in the "
                   "description."],
        orgs=[(K, "carve-out", True), (F, "inclusive", True)]),
    "one-sentence-names-two-states-one": Case(
        sub_paras=[f"Quarry uses {K} for hosting and {F} for card settlement; the controls of {K} are excluded from "
                   f"the description (carve-out method). The description includes the relevant controls of {F}."],
        orgs=[(K, "carve-out", True), (F, "inclusive", True)]),
    "method-in-a-column-named-otherwise": Case(
        sub_table=[["Subservice Organization", "Services Provided", "Scope of Examination"],
                   [K, "Colocation space and power for the production servers", "Carved out"],
                   [F, "Card settlement for customer invoices", "Inclusive"]],
        orgs=[(K, "carve-out", True), (F, "inclusive", True)]),
    "method-stated-above-each-list": Case(
        sub_paras=["The following subservice organizations are carved out:"], sub_bullets=[K_BULLET],
        after_sub=["The following subservice organization is presented using the inclusive method:",
                   f"• {F_BULLET}"],
        orgs=[(K, "carve-out", True), (F, "inclusive", True)]),
    "method-never-stated": Case(
        sub_paras=["Quarry uses the following subservice organizations:"], sub_bullets=[K_BULLET, F_BULLET],
        csoc_heading=None, orgs=[(K, None, True), (F, None, True)]),
    # --- how organizations are given -----------------------------------------------------------
    "legal-name-then-short-name": Case(
        sub_paras=[f"{B} (BCS) provides the cloud infrastructure on which the ledger runs. The controls of BCS "
                   "are excluded from the description (carve-out method)."],
        csoc_paras=["Quarry expects BCS to operate the following controls:"],
        csoc_groups=[("BCS", [CTRL["badge"] + " (CC6.4)", CTRL["power"] + " (A1.2)"])],
        orgs=[(B, "carve-out", True)], csocs=[(B, ["CC6.4"]), (B, ["A1.2"])]),
    "prose-naming-a-group": Case(
        sub_paras=[f"{K} and {P} (together, the Facility Providers) provide colocation space, power and physical "
                   "security for the production servers. The description excludes the controls of the Facility "
                   "Providers."],
        orgs=[(K, "carve-out", True), (P, "carve-out", True)]),
    "service-organization-short-name-is-no-subservice-organization": Case(
        sub_paras=[f"{F} provides card settlement for customer invoices. Quarry Ledger's controls are included in "
                   f"the description together with the relevant controls of {F}, which the description includes."],
        orgs=[(F, "inclusive", True)]),
    "tools-listed-in-the-subsection": Case(
        sub_paras=["Quarry uses the following subservice organizations, whose controls are carved out:"],
        sub_bullets=[K_BULLET, F_BULLET],
        after_sub=["Quarry also uses software tools such as Trellis Tickets, Beacon Chat and Lumen Logs, which are "
                   "not considered subservice organizations."],
        orgs=[(K, "carve-out", True), (F, "carve-out", True)]),
    # --- CSOC layouts ---------------------------------------------------------------------------
    "csoc-id-table-with-organization-column": Case(
        sub_paras=["The subservice organizations below are carved out of the description:"],
        sub_bullets=[K_BULLET, F_BULLET],
        csoc_table=[["ID", "Subservice Organization", "Control", "Criteria"],
                    ["CSOC1", K, CTRL["badge"], "CC 6.4"],
                    ["CSOC2", K, CTRL["power"], "A1.2, A1.3"],
                    ["CSOC3", F, CTRL["keys"], "CC6.1 - CC6.3"]],
        orgs=[(K, "carve-out", True), (F, "carve-out", True)],
        csocs=[(K, ["CC6.4"]), (K, ["A1.2", "A1.3"]), (F, ["CC6.1", "CC6.2", "CC6.3"])]),
    "csoc-header-naming-several-organizations": Case(
        sub_paras=[f"{K} and {P} provide colocation space for the production servers. Their controls are "
                   "excluded from the description (carve-out method)."],
        csoc_table=[["#", f"Controls Expected to be Implemented by {K} and {P}", "Criteria"],
                    ["1", CTRL["badge"], "CC6.4"],
                    ["2", CTRL["visit"], "CC6.4"],
                    ["3", CTRL["power"], "A1.2"]],
        orgs=[(K, "carve-out", True), (P, "carve-out", True)],
        csocs=[(K, ["CC6.4"]), (K, ["CC6.4"]), (K, ["A1.2"])]),
    "csoc-short-names-in-organization-column": Case(
        sub_paras=[f"{K} (Kestrel) provides colocation space and {F} (Fenmore) provides card settlement. The "
                   "controls of both are excluded from the description (carve-out method)."],
        csoc_table=[["Subservice Organization", "Complementary Control", "Related Criteria"],
                    ["Kestrel", CTRL["badge"], "CC6 Series"],
                    ["Fenmore", CTRL["keys"], "CC 6.1, CC 6.7"]],
        orgs=[(K, "carve-out", True), (F, "carve-out", True)],
        csocs=[(K, ["CC6"]), (F, ["CC6.1", "CC6.7"])]),
    "csoc-lead-in-naming-several-rows-naming-one": Case(
        sub_paras=[f"{K} (Kestrel) provides colocation space and {F} (Fenmore) provides card settlement. The "
                   "controls of both are excluded from the description (carve-out method)."],
        csoc_paras=["The controls expected to be implemented by Kestrel and Fenmore are listed below."],
        csoc_table=[["Control", "Criteria"],
                    ["Fenmore is expected to rotate the keys protecting settlement files at least once a year.",
                     "CC6.1"],
                    ["Kestrel is expected to restrict physical access to the data halls to approved badge holders.",
                     "CC6.4"]],
        orgs=[(K, "carve-out", True), (F, "carve-out", True)],
        csocs=[(F, ["CC6.1"]), (K, ["CC6.4"])]),
    "csoc-row-groups": Case(
        sub_paras=["The subservice organizations listed below are carved out of the description."],
        sub_bullets=[K_BULLET, F_BULLET],
        csoc_table=[["Complementary Subservice Organization Control", "Criteria"],
                    [K], [CTRL["badge"], "CC6.4"], [CTRL["power"], "A1.2"],
                    [F], [CTRL["keys"], "CC6.1"]],
        orgs=[(K, "carve-out", True), (F, "carve-out", True)],
        csocs=[(K, ["CC6.4"]), (K, ["A1.2"]), (F, ["CC6.1"])]),
    "csoc-heading-per-organization-bullets": Case(
        sub_paras=["The subservice organizations listed below are carved out of the description."],
        sub_bullets=[K_BULLET, F_BULLET],
        csoc_paras=["Quarry expects its subservice organizations to implement the following controls."],
        csoc_groups=[(K, [CTRL["badge"] + " (CC 6.4)", CTRL["visit"] + " (CC 6.4)"]),
                     (F, [CTRL["keys"] + " (CC6.1 - CC6.3)"])],
        orgs=[(K, "carve-out", True), (F, "carve-out", True)],
        csocs=[(K, ["CC6.4"]), (K, ["CC6.4"]), (F, ["CC6.1", "CC6.2", "CC6.3"])]),
    "csoc-table-names-organizations-found-nowhere-else": Case(
        sub_paras=["Quarry carves out the subservice organizations named in the table of complementary "
                   "subservice organization controls below."],
        csoc_table=[["Subservice Organization", "Control", "Criteria"],
                    [K, CTRL["badge"], "CC6.4"],
                    [F, CTRL["keys"], "CC6.1"]],
        orgs=[(K, "carve-out", False), (F, "carve-out", False)],
        csocs=[(K, ["CC6.4"]), (F, ["CC6.1"])]),
    "csoc-heading-per-organization-tables": Case(
        sub_paras=["Quarry carves out the subservice organizations named below."],
        csoc_group_tables=[(f"{K} (Kestrel)", [["Control", "Criteria"], [CTRL["badge"], "CC6.4"],
                                                [CTRL["visit"], "CC6.4"]]),
                           (f"{F} (Fenmore)", [["Control", "Criteria"], [CTRL["keys"], "CC6.1"]])],
        orgs=[(K, "carve-out", False), (F, "carve-out", False)],
        csocs=[(K, ["CC6.4"]), (K, ["CC6.4"]), (F, ["CC6.1"])]),
    "csoc-prose-about-a-named-group": Case(
        sub_paras=[f"{K} and {P} provide colocation space for the production servers. The description excludes "
                   f"the controls of {K} and {P}."],
        csoc_paras=[f"{K} and {P} are expected to implement controls over physical access to the data halls that "
                    "house the production servers. They are also expected to maintain environmental protections, "
                    f"including fire suppression and uninterruptible power. {P} is expected to notify Quarry of "
                    "security incidents affecting the hosted environment."],
        orgs=[(K, "carve-out", True), (P, "carve-out", True)],
        csocs=[(K, []), (K, []), (P, [])]),
    "csoc-prose-without-a-heading": Case(
        sub_paras=[f"{P} provides data center space for the production servers. Our examination did not extend to "
                   f"the controls of {P}. {P} is responsible for restricting physical access to the data center to "
                   "authorized personnel. It is also responsible for maintaining fire suppression and backup power "
                   "at the data center."],
        csoc_heading=None,
        orgs=[(P, "carve-out", True)], csocs=[(P, []), (P, [])]),
}


@pytest.fixture(scope="module")
def matrix_results(tmp_path_factory):
    from nlp.pipeline import run
    from nlp.results import Source

    out = tmp_path_factory.mktemp("sub_matrix")
    done = {}
    for name, case in CASES.items():
        path = build_case(Path(out / f"{name}.pdf"), case)
        done[name] = (run(str(path), Source(path.name, "0" * 64), 200, lambda d, t: None), case)
    return done


@pytest.mark.parametrize("name", list(CASES))
def test_organizations_and_method(matrix_results, name):
    result, case = matrix_results[name]
    got = [(o.name, o.method) for o in result.subservice_organizations]
    assert got == [(n, m) for n, m, _ in case.orgs]


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if any(s for _, _, s in c.orgs)])
def test_services_of_each_organization(matrix_results, name):
    result, case = matrix_results[name]
    assert [bool(o.services) for o in result.subservice_organizations] == [s for _, _, s in case.orgs]


@pytest.mark.parametrize("name", list(CASES))
def test_csocs_organization_and_criteria(matrix_results, name):
    result, case = matrix_results[name]
    assert [(c.subservice_organization, c.criteria) for c in result.csocs] == case.csocs
