"""The report specification: everything a report says, before it is drawn.

Items that the expected JSON lists carry a ``key``; the renderer records the
page on which the flowable bearing that key is first drawn.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class SubOrg:
    key: str
    name: str  # legal name, as introduced once
    aliases: list[str]
    services: str
    method: str  # "carve-out" | "inclusive"
    kind: str

    @property
    def short(self) -> str:
        return self.aliases[0]


@dataclass
class Csoc:
    key: str
    text: str
    sub: SubOrg
    criteria: list[str]
    printed_criteria: str


@dataclass
class Cuec:
    key: str
    text: str
    criteria: list[str]  # expected, expanded
    printed_criteria: str  # as printed in a table or heading ("" if not printed)


@dataclass
class Row:
    """One row of the testing matrix (one control and its tests)."""
    control_id: str
    control: str
    tests: list[str]
    criteria: list[str]  # expected criteria for the control (printed in a column or its group)
    printed_criteria: str
    result: list[str] = field(default_factory=list)  # result cell paragraphs (without response)
    exception_key: str | None = None
    response: str | None = None
    cross_ref: bool = False

    @property
    def description(self) -> str:
        return " ".join(self.result)


@dataclass
class Group:
    """A criterion or control objective heading in the testing matrix."""
    ref: str  # "CC6.1" or "Control Objective 3"
    title: str  # description of the criterion / objective statement
    rows: list[Row]
    criteria: list[str]  # what the group stands for in the expected JSON


@dataclass
class ReportSpec:
    name: str
    seed: int
    firm: str
    framework: str  # "SOC 1" | "SOC 2" | "SOC 3"
    type: str | None  # "Type 1" | "Type 2" | None (SOC 3)
    legal_name: str
    short_name: str
    system: str
    system_summary: str
    auditor: str
    auditor_city: str
    period_start: dt.date | None
    period_end: dt.date
    report_date: dt.date
    period_text: str  # as printed in the opinion
    cover_period_text: str
    opinion: str
    opinion_basis: str | None
    categories: list[str]  # trust services categories in scope
    objectives: list[tuple[int, str]]  # SOC 1: (number, statement)
    tools: dict[str, str]
    third_party: list[tuple[str, str, str]]
    subs: list[SubOrg]
    csocs: list[Csoc]
    csoc_format: str
    cuecs: list[Cuec]
    cuec_format: str
    cuec_heading: str
    cuec_subject: str
    groups: list[Group]
    response_placement: str  # "cell" | "row" | "section"
    exception_label: str
    verbosity: int
    watermark: str | None
    people: list[tuple[str, str]]
    large_products: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]

    @property
    def exception_rows(self) -> list[Row]:
        return [r for r in self.rows if r.exception_key]
