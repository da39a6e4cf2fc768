"""Seven "CPA firm" templates. Each firm is consistent with itself, as real firms
are, and differs from the others in fonts, page size, section numbering and
wording, running headers/footers, testing-matrix columns and orientation, how
results and exceptions are worded, and where management responds.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    role: str  # "id" | "control" | "test" | "result" | "criteria"
    title: str
    width: float  # share of the frame width


@dataclass(frozen=True)
class FirmStyle:
    key: str
    body_font: str
    bold_font: str
    italic_font: str
    heading_font: str
    body_size: float
    table_size: float
    page: str  # "letter" | "A4"
    numbering: str  # "roman" | "arabic" | "section_roman" | "section_arabic" | "none"
    section_titles: tuple[str, str, str, str, str]
    toc: bool
    toc_leader: str  # "dots" | "spaced_dots"
    header: str  # header layout id
    footer: str  # footer layout id
    matrix_landscape: bool
    columns: tuple[Column, ...]
    grouping: str  # "span_row" | "heading" | "criteria_column" | "series_heading"
    id_format: str  # "crit_seq" | "area" | "num" | "prefix"
    pass_results: str  # key into vocab.PASS_RESULTS
    exception_labels: tuple[str, ...]
    label_separate_para: bool
    test_style: str  # "that" | "whether" | "labelled" | "uk"
    response_placement: str
    response_label: str
    date_style: str
    cuec_formats: tuple[str, ...]
    cuec_headings: tuple[str, ...]
    csoc_format: str
    carveout_wording: str  # "explicit" | "implicit"
    accent: tuple[float, float, float]
    header_fill: tuple[float, float, float]
    grid: str  # "full" | "horizontal" | "box"
    extra: dict = field(default_factory=dict)


SOC2_COLS_CLASSIC = (
    Column("id", "Control #", 0.11), Column("control", "Control Activity", 0.30),
    Column("test", "Test Applied by the Service Auditor", 0.37), Column("result", "Test Results", 0.22),
)

FIRMS: dict[str, FirmStyle] = {
    "harrow": FirmStyle(
        key="harrow", body_font="Helvetica", bold_font="Helvetica-Bold", italic_font="Helvetica-Oblique",
        heading_font="Helvetica-Bold", body_size=10, table_size=8.5, page="letter", numbering="section_roman",
        section_titles=("Independent Service Auditor's Report", "Management's Assertion", "Description of the System",
                        "Trust Services Criteria, Related Controls and Tests of Controls", "Other Information Provided by Management"),
        toc=True, toc_leader="dots", header="company_left_conf_right", footer="page_x_of_y_center",
        matrix_landscape=False, columns=SOC2_COLS_CLASSIC, grouping="span_row", id_format="crit_seq",
        pass_results="no_exceptions", exception_labels=("Exception noted.",), label_separate_para=False,
        test_style="that", response_placement="section", response_label="Management's Response:",
        date_style="us_long_comma", cuec_formats=("bullets", "table"),
        cuec_headings=("Complementary User Entity Controls",), csoc_format="numbered", carveout_wording="explicit",
        accent=(0.05, 0.2, 0.45), header_fill=(0.85, 0.89, 0.95), grid="full",
    ),
    "kestrel": FirmStyle(
        key="kestrel", body_font="Times-Roman", bold_font="Times-Bold", italic_font="Times-Italic",
        heading_font="Times-Bold", body_size=11, table_size=9, page="letter", numbering="arabic",
        section_titles=("Report of Independent Service Auditors", "Assertion of {co} Management",
                        "{co}'s Description of Its {system}", "Testing Matrices", "Other Information Provided by {co}"),
        toc=True, toc_leader="spaced_dots", header="conf_center", footer="company_left_page_right",
        matrix_landscape=True,
        columns=(Column("criteria", "Criteria", 0.09), Column("id", "Control No.", 0.08),
                 Column("control", "Controls Specified by {co}", 0.28), Column("test", "Testing Performed by the Service Auditor", 0.33),
                 Column("result", "Results of Testing", 0.22)),
        grouping="series_heading", id_format="area", pass_results="no_deviations",
        exception_labels=("Deviation noted:", "Deviations noted:"), label_separate_para=False,
        test_style="whether", response_placement="cell", response_label="Management's Response:",
        date_style="numeric", cuec_formats=("table", "numbered"),
        cuec_headings=("Complementary Controls at User Entities", "Complementary User Entity Controls"),
        csoc_format="table", carveout_wording="implicit",
        accent=(0.35, 0.1, 0.1), header_fill=(0.92, 0.88, 0.86), grid="full",
    ),
    "marlowe": FirmStyle(
        key="marlowe", body_font="Vera", bold_font="VeraBd", italic_font="VeraIt", heading_font="VeraBd",
        body_size=9.5, table_size=8, page="letter", numbering="none",
        section_titles=("Report of Independent Service Auditors", "Assertion of {co} Management",
                        "Description of {system} Provided by {co}",
                        "Description of Criteria, Controls, Tests and Results of Tests", "Other Information Provided by {co}"),
        toc=True, toc_leader="dots", header="none", footer="conf_pipe_page",
        matrix_landscape=False,
        columns=(Column("id", "Ref", 0.08), Column("control", "Control Description", 0.33),
                 Column("test", "Tests of Controls", 0.36), Column("result", "Results", 0.23)),
        grouping="heading", id_format="prefix", pass_results="no_relevant",
        exception_labels=("The following exception was identified:", "Exception identified:"), label_separate_para=True,
        test_style="that", response_placement="section", response_label="Management's response:",
        date_style="us_long_through", cuec_formats=("numbered", "grouped", "bullets"),
        cuec_headings=("User Entity Responsibilities", "Complementary User Entity Controls"),
        csoc_format="bullets", carveout_wording="implicit",
        accent=(0.1, 0.35, 0.3), header_fill=(0.88, 0.94, 0.92), grid="horizontal",
    ),
    "orchard": FirmStyle(
        key="orchard", body_font="Helvetica", bold_font="Helvetica-Bold", italic_font="Helvetica-Oblique",
        heading_font="Helvetica-Bold", body_size=9.5, table_size=8, page="letter", numbering="section_arabic",
        section_titles=("Independent Service Auditor's Report", "{co}'s Management Assertion",
                        "{co}'s Description of the {system}",
                        "Information Provided by the Service Auditor", "Other Information Provided by Management"),
        toc=True, toc_leader="dots", header="bar_company_report", footer="page_x_of_y_right",
        matrix_landscape=True,
        columns=(Column("id", "Control Number", 0.09), Column("control", "Description of Control", 0.29),
                 Column("test", "Service Auditor's Test Procedures", 0.31), Column("result", "Results of Tests", 0.21),
                 Column("criteria", "TSC Reference", 0.10)),
        grouping="criteria_column", id_format="num", pass_results="mixed",
        exception_labels=("Exceptions noted.", "", "Exception noted."), label_separate_para=False,
        test_style="labelled", response_placement="row", response_label="Management Response:",
        date_style="us_long_through", cuec_formats=("grouped", "table"),
        cuec_headings=("Complementary User Entity Controls", "Client Responsibilities"),
        csoc_format="table", carveout_wording="explicit",
        accent=(0.8, 0.4, 0.05), header_fill=(0.98, 0.9, 0.8), grid="full",
    ),
    "stonebridge": FirmStyle(
        key="stonebridge", body_font="Times-Roman", bold_font="Times-Bold", italic_font="Times-Italic",
        heading_font="Helvetica-Bold", body_size=10.5, table_size=8.5, page="letter", numbering="roman",
        section_titles=("Independent Service Auditor's Report", "Management's Assertion", "Description of the System",
                        "Description of Tests of Controls and Results", "Other Information Provided by Management"),
        toc=True, toc_leader="spaced_dots", header="company_system_left", footer="page_center_conf_left",
        matrix_landscape=False,
        columns=(Column("id", "No.", 0.08), Column("control", "Control Activity Specified by the Service Organization", 0.32),
                 Column("test", "Test of Controls", 0.36), Column("result", "Test Results", 0.24)),
        grouping="heading", id_format="area", pass_results="no_exceptions",
        exception_labels=("Exception noted:",), label_separate_para=True,
        test_style="whether", response_placement="section", response_label="Management's Response:",
        date_style="abbrev", cuec_formats=("numbered", "table", "grouped"),
        cuec_headings=("Complementary User Entity Controls", "Complementary Controls at User Entities"),
        csoc_format="numbered", carveout_wording="implicit",
        accent=(0.2, 0.2, 0.2), header_fill=(0.9, 0.9, 0.9), grid="box",
    ),
    "brightwater": FirmStyle(
        key="brightwater", body_font="Vera", bold_font="VeraBd", italic_font="VeraIt", heading_font="VeraBd",
        body_size=9, table_size=7.5, page="letter", numbering="none",
        section_titles=("Independent Service Auditor's Report", "Management's Assertion", "Description of {co}'s {system}",
                        "Trust Services Criteria, Related Controls, and Tests of Controls", "Other Information Provided by Management"),
        toc=False, toc_leader="dots", header="report_title_right", footer="company_center_page_right",
        matrix_landscape=False,
        columns=(Column("id", "Control ID", 0.12), Column("control", "Control Activity", 0.30),
                 Column("test", "Test Procedures", 0.36), Column("result", "Results", 0.22)),
        grouping="span_row", id_format="crit_seq", pass_results="no_exceptions",
        exception_labels=("Exception noted.", "Exceptions noted."), label_separate_para=True,
        test_style="that", response_placement="section", response_label="Management's response:",
        date_style="us_long_comma", cuec_formats=("bullets", "numbered"),
        cuec_headings=("Complementary User Entity Controls", "User Entity Responsibilities"),
        csoc_format="bullets", carveout_wording="explicit",
        accent=(0.0, 0.35, 0.55), header_fill=(0.85, 0.93, 0.97), grid="horizontal",
    ),
    "alderkane": FirmStyle(
        key="alderkane", body_font="Helvetica", bold_font="Helvetica-Bold", italic_font="Helvetica-Oblique",
        heading_font="Times-Bold", body_size=10, table_size=8.5, page="A4", numbering="arabic_plain",
        section_titles=("Independent Service Auditor's Assurance Report", "Statement by the Management of {co}",
                        "Description of the {system}", "Control Objectives, Controls, Tests and Results",
                        "Other Information Provided by the Service Organisation"),
        toc=True, toc_leader="dots", header="company_right_small", footer="page_x_of_y_left_conf_right",
        matrix_landscape=True,
        columns=(Column("id", "Control ref", 0.09), Column("control", "Control activity", 0.29),
                 Column("criteria", "Criteria", 0.10), Column("test", "Tests performed by the service auditor", 0.32),
                 Column("result", "Results", 0.20)),
        grouping="criteria_column", id_format="prefix", pass_results="uk",
        exception_labels=("Exception noted \u2013", "Exception noted."), label_separate_para=False,
        test_style="uk", response_placement="cell", response_label="Management response:",
        date_style="uk", cuec_formats=("table", "bullets"),
        cuec_headings=("Complementary User Entity Controls", "Client Responsibilities"),
        csoc_format="table", carveout_wording="explicit",
        accent=(0.3, 0.1, 0.4), header_fill=(0.93, 0.9, 0.96), grid="full",
    ),
}
