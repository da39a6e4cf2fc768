"""How real reports word and set out complementary user entity controls.

Fixtures are hand-made pages of ``Line`` blocks (invented companies and
wording): lists grouped under criteria-series headings with no "user entity"
wording, headings wrapped over two lines, section titles and footers printed
inside the text area on every page, one bullet repeated under two headings,
and lists kept outside the system description (contents pages, the auditor's
report, an unaudited supplemental section).
"""

from __future__ import annotations

from nlp.cuecs import extract_cuecs, heading_criteria, is_criteria_heading
from nlp.layout import Line, PageLayout
from nlp.sections import Heading, Section, build_sections

BODY, HEAD = 10.0, 14.0
DESC_TITLE = "Section 3 – Description of the Halcyon Freight Platform"
RUNNING = ["Halcyon Freight Platform SOC 2 Report", DESC_TITLE]
FOOTER = "Confidential – Halcyon Freight Systems, Inc."


def page(number: int, spec: list[tuple[str, str]], running: bool = True) -> PageLayout:
    """A page from (kind, text): h heading, hw heading's wrapped tail, b bullet, w wrapped line, p paragraph.

    ``running`` prints the report title and the section title at the top of the
    text area and a confidentiality line after the text, as some firms do.
    """
    lines: list[Line] = []
    y = 60.0
    if running:
        spec = [("h", t) for t in RUNNING] + spec + [("p", FOOTER)]
    for kind, text in spec:
        bold = kind in ("h", "hw")
        size = HEAD if bold else BODY
        gap = {"h": 12.0, "hw": 3.0, "b": 6.0, "w": 3.0, "p": 8.0}[kind]
        x0 = 90.0 if kind == "w" else 72.0
        y += gap
        lines.append(Line(("• " if kind == "b" else "") + text, number, (x0, y, 520.0, y + size), bold, size))
        y += size
    return PageLayout(number, 792.0, lines)


def heading(label: str, page_no: int, line: int, text: str) -> Heading:
    return Heading(label, page_no, line, text)


def cuec_sections(*subs: tuple[str, int, int, str]) -> list[Section]:
    """Description on p1, the given headings, tests on p20 and supplemental information on p30."""
    hs = [heading("SEC_DESCRIPTION", 1, 0, DESC_TITLE), heading("SEC_TESTS", 20, 0, "Section 4 – Tests of Controls"),
          heading("SEC_OTHER", 30, 0, "Section 5 – Other Information Provided by Management")]
    hs += [heading(label, p, ln, text) for label, p, ln, text in subs]
    hs.sort(key=lambda h: (h.page, h.line))
    return build_sections(hs)


# --- A section title reprinted on every page of its section -----------------------------------

def test_section_title_reprinted_on_each_page_does_not_end_the_list() -> None:
    hs = [heading("SEC_DESCRIPTION", 3, 0, DESC_TITLE),
          heading("SUB_CUEC", 9, 14, "Complementary User Entity Controls"),
          heading("SEC_DESCRIPTION", 10, 1, DESC_TITLE.upper()),
          heading("SEC_TESTS", 12, 0, "Section 4 – Tests of Controls")]
    cuec = next(s for s in build_sections(hs) if s.label == "SUB_CUEC")
    assert cuec.end is not None and cuec.end.label == "SEC_TESTS"


# --- "Customers should" bullets under criteria-series headings ---------------------------------

SERIES_PAGES = [
    page(9, [("p", "Earlier description text about incident notification to affected parties."),
             ("h", "Complementary User Entity Controls"),
             ("p", "The platform relies on certain controls operated by the shippers that use it."),
             ("p", "Shippers choose which of the controls below apply to how they use the platform."),
             ("h", "Common Criteria Related to Control Environment"),
             ("h", "Common Criteria Related to Risk Assessment")], running=False),
    page(10, [("h", "CC6.0 – Common Criteria Related to Logical and Physical"),
              ("hw", "Access Controls"),
              ("b", "Customers should enforce multi-factor sign-in for every dispatcher account and"),
              ("w", "review dispatcher access each quarter."),
              ("b", "Manifest-Specific – Customers are responsible for restricting who may export manifests"),
              ("w", "from the shipping console."),
              ("h", "A – Availability Criteria"),
              ("b", "Customers should keep a local copy of routing tables needed during an outage."),
              ("b", "Customers should schedule exports of shipment history to their own storage")]),
    page(11, [("w", "at least weekly."),
              ("b", "Tracking-Specific – Data held in the tracking cache is kept in one region only, so customers"),
              ("w", "should replicate it if they need it elsewhere."),
              ("h", "P1 – Notice and Communication"),
              ("b", "Customers are responsible for telling their consignees how tracking data is used."),
              ("b", "Customers should review the published privacy terms for changes every month."),
              ("h", "P2 – Choice and Consent"),
              ("b", "Customers are responsible for telling their consignees how tracking data is used."),
              ("b", "Customers should review the published privacy terms for changes every month.")]),
    page(12, [("h", "P3 – Collection"),
              ("p", "These considerations are not a complete list of what a shipper needs; each shipper"),
              ("p", "remains responsible for its own control environment.")]),
]


def test_customers_should_bullets_under_series_headings() -> None:
    secs = cuec_sections(("SUB_CUEC", 9, 1, "Complementary User Entity Controls"))
    got = [(c.page, c.criteria, c.text) for c in extract_cuecs(SERIES_PAGES, secs)]
    assert [(p, crit) for p, crit, _ in got] == [
        (10, ["CC6.0"]), (10, ["CC6.0"]), (10, ["A"]), (10, ["A"]), (11, ["A"]),
        (11, ["P1"]), (11, ["P1"]), (11, ["P2"]), (11, ["P2"])]
    texts = [t for _, _, t in got]
    assert texts[0] == ("Customers should enforce multi-factor sign-in for every dispatcher account and "
                        "review dispatcher access each quarter.")
    assert texts[3].endswith("to their own storage at least weekly.")
    assert texts[4].startswith("Tracking-Specific – Data held")  # a bullet of the list, though not "Customers should"
    assert not any("Confidential" in t or "Section 3" in t or "not a complete list" in t or "relies on" in t
                   for t in texts)


def test_series_headings() -> None:
    assert heading_criteria("A – Availability Criteria") == ["A"]
    assert heading_criteria("P1 - Notice and Communication") == ["P1"]
    assert heading_criteria("CC6.0 – Common Criteria Related to Logical Access") == ["CC6.0"]
    assert heading_criteria("Logical Access (CC6.1 - CC6.2)") == ["CC6.1", "CC6.2"]
    assert is_criteria_heading("Common Criteria Related to Monitoring Activities")
    assert not is_criteria_heading("A user entity is responsible for its own network.")
    assert not is_criteria_heading("Customer Administrative Passwords")


# --- Where the list is kept -------------------------------------------------------------------

OWN_LIST_SPEC = [("h", "Complementary User Entity Controls"),
                 ("b", "Client administrators are responsible for approving new users of the console."),
                 ("b", "Client administrators should remove users who leave within one business day.")]
OWN_LIST = page(15, OWN_LIST_SPEC)
LATER_LIST = page(31, [("h", "User Entity Responsibilities"),
                       ("p", "The following responsibilities are assumed to be in place at user entities:"),
                       ("b", "User entities should protect the API keys issued to their integrations."),
                       ("b", "User entities must configure alerting for failed deliveries in their account.")])
NONE_NEEDED = page(15, [("h", "Complementary User Entity Controls"),
                        ("p", "The system was designed such that complementary user entity controls are not"),
                        ("p", "required to achieve the service commitments and system requirements.")])


def test_supplemental_list_is_not_counted_when_the_description_has_its_own() -> None:
    secs = cuec_sections(("SUB_CUEC", 15, 0, "Complementary User Entity Controls"),
                         ("SUB_CUEC", 31, 0, "User Entity Responsibilities"))
    got = extract_cuecs([OWN_LIST, LATER_LIST], secs)
    assert [c.page for c in got] == [15, 15]


def test_supplemental_list_counts_when_it_is_the_only_list() -> None:
    secs = cuec_sections(("SUB_CUEC", 31, 0, "User Entity Responsibilities"))
    got = extract_cuecs([LATER_LIST], secs)
    assert [c.text for c in got] == ["User entities should protect the API keys issued to their integrations.",
                                     "User entities must configure alerting for failed deliveries in their account."]


def test_description_stating_none_required_outweighs_a_supplemental_list() -> None:
    secs = cuec_sections(("SUB_CUEC", 15, 0, "Complementary User Entity Controls"),
                         ("SUB_CUEC", 31, 0, "User Entity Responsibilities"))
    assert extract_cuecs([NONE_NEEDED, LATER_LIST], secs) == []


def test_contents_or_auditor_mention_is_not_the_list() -> None:
    contents = page(2, [("h", "Section 2 – Independent Service Auditor's Report"),
                        ("h", "Complementary User Entity Controls"),
                        ("p", "Details of the controls expected at user entities are given in section 3."),
                        ("h", "Section 3 – Description of the Halcyon Freight Platform")], running=False)
    hs = [heading("SEC_AUDITOR", 2, 0, "Section 2 – Independent Service Auditor's Report"),
          heading("SUB_CUEC", 2, 1, "Complementary User Entity Controls"),
          heading("SEC_DESCRIPTION", 2, 3, DESC_TITLE), heading("SUB_CUEC", 15, 0, "Complementary User Entity Controls"),
          heading("SEC_TESTS", 20, 0, "Section 4 – Tests of Controls")]
    got = extract_cuecs([contents, OWN_LIST], build_sections(hs))
    assert [c.page for c in got] == [15, 15]


def test_list_counts_when_no_description_heading_was_found() -> None:
    hs = [heading("SEC_ASSERTION", 4, 0, "Management's Assertion"),
          heading("SUB_CUEC", 15, 0, "Complementary User Entity Controls"),
          heading("SEC_TESTS", 20, 0, "Section 4 – Tests of Controls")]
    assert len(extract_cuecs([OWN_LIST], build_sections(hs))) == 2


def test_heading_after_the_list_ends_it_even_when_repeated_on_later_pages() -> None:
    tests_title = "Section 4 – Tests of Controls"
    own = page(15, [*OWN_LIST_SPEC, ("h", tests_title),
                    ("b", "Inspected the quarterly access review for a sample of two quarters.")], running=False)
    more = [page(n, [("h", tests_title), ("b", "Inspected the change tickets for a sample of ten changes.")],
                 running=False) for n in (16, 17)]
    hs = [heading("SEC_DESCRIPTION", 3, 0, DESC_TITLE), heading("SUB_CUEC", 15, 0, "Complementary User Entity Controls"),
          heading("SEC_TESTS", 15, 3, tests_title)]
    got = extract_cuecs([own, *more], build_sections(hs))
    assert [c.text.split()[0] for c in got] == ["Client", "Client"]


def test_topic_headings_over_responsibility_bullets_group_the_list() -> None:
    topics = page(15, [("h", "Complementary User Entity Controls"),
                       ("h", "Logical and Physical Access to the Console"),
                       ("b", "User organizations should limit console administrator rights to named staff."),
                       ("h", "Backup and Recovery of Shipment Records"),
                       ("b", "User organizations are responsible for restoring their own exported records."),
                       ("h", "Attachment B: Glossary of Freight Terms"),
                       ("b", "Bill of lading: the receipt a carrier issues for goods it accepts.")], running=False)
    secs = cuec_sections(("SUB_CUEC", 15, 0, "Complementary User Entity Controls"))
    got = extract_cuecs([topics], secs)
    assert [c.text.split()[2] for c in got] == ["should", "are"]
