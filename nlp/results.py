"""Typed results of one extraction and their single JSON serializer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Status = Literal["ok", "needs_ocr", "not_a_soc_report", "rejected"]
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, top-left origin

SCHEMA_VERSION = 1
# Items whose confidence (nlp.confidence) is below this are marked for a reviewer's check.
LOW_CONFIDENCE = 0.7


@dataclass
class Source:
    """The file that was read."""

    filename: str
    sha256: str
    pages: int | None = None


@dataclass
class Report:
    """Report-level metadata; None means the report does not say (or we could not tell)."""

    framework: str | None = None
    type: str | None = None
    service_organization: str | None = None
    auditor: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    opinion: str | None = None
    opinion_basis: str | None = None
    trust_services_criteria: list[str] = field(default_factory=list)


@dataclass
class SubserviceOrganization:
    """A subservice organization the report names, with the method used for it."""

    name: str
    page: int
    method: str | None = None
    services: str | None = None
    bbox: BBox | None = None
    confidence: float | None = None


@dataclass
class Csoc:
    """A complementary subservice organization control."""

    text: str
    page: int
    subservice_organization: str | None = None
    criteria: list[str] = field(default_factory=list)
    bbox: BBox | None = None
    confidence: float | None = None


@dataclass
class Cuec:
    """A complementary user entity control."""

    text: str
    page: int
    criteria: list[str] = field(default_factory=list)
    bbox: BBox | None = None
    confidence: float | None = None


@dataclass
class ControlException:
    """A control test whose result reports an exception (deviation)."""

    description: str
    page: int
    control_id: str | None = None
    control: str | None = None
    test: str | None = None
    management_response: str | None = None
    criteria: list[str] = field(default_factory=list)
    bbox: BBox | None = None
    confidence: float | None = None


@dataclass
class ExtractionResult:
    """Everything extracted from one file; ``to_dict`` is the contract document."""

    status: Status
    source: Source
    error: str | None = None
    report: Report = field(default_factory=Report)
    subservice_organizations: list[SubserviceOrganization] = field(default_factory=list)
    csocs: list[Csoc] = field(default_factory=list)
    cuecs: list[Cuec] = field(default_factory=list)
    exceptions: list[ControlException] = field(default_factory=list)
    # What the reviewer should check by hand (nlp.confidence); an optional field of the contract.
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, include_geometry: bool = False) -> dict[str, Any]:
        """Return the document described by extraction.schema.json.

        With ``include_geometry`` every item also carries ``bbox`` (or null) so
        the web app can highlight it on a rendered page.
        """
        r = self.report

        def item(fields: dict[str, Any], bbox: BBox | None, confidence: float | None) -> dict[str, Any]:
            if confidence is not None:
                fields["confidence"] = confidence
            if include_geometry:
                fields["bbox"] = [round(v, 2) for v in bbox] if bbox else None
            return fields

        return {
            "schema_version": SCHEMA_VERSION,
            "status": self.status,
            "error": self.error,
            "source": {"filename": self.source.filename, "sha256": self.source.sha256, "pages": self.source.pages},
            "report": {
                "framework": r.framework,
                "type": r.type,
                "service_organization": r.service_organization,
                "auditor": r.auditor,
                "period_start": r.period_start.isoformat() if r.period_start else None,
                "period_end": r.period_end.isoformat() if r.period_end else None,
                "opinion": r.opinion,
                "opinion_basis": r.opinion_basis,
                "trust_services_criteria": list(r.trust_services_criteria),
            },
            "subservice_organizations": [
                item({"name": s.name, "method": s.method, "services": s.services, "page": s.page}, s.bbox, s.confidence)
                for s in self.subservice_organizations
            ],
            "csocs": [
                item({"text": c.text, "subservice_organization": c.subservice_organization,
                      "criteria": list(c.criteria), "page": c.page}, c.bbox, c.confidence)
                for c in self.csocs
            ],
            "cuecs": [item({"text": c.text, "criteria": list(c.criteria), "page": c.page}, c.bbox, c.confidence)
                      for c in self.cuecs],
            "exceptions": [
                item({"control_id": e.control_id, "control": e.control, "test": e.test,
                      "description": e.description, "management_response": e.management_response,
                      "criteria": list(e.criteria), "page": e.page}, e.bbox, e.confidence)
                for e in self.exceptions
            ],
            "warnings": list(self.warnings),
        }
