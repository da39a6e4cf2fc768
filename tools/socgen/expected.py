"""The expected extraction for a rendered report, per ``extraction.schema.json``.

Subservice organisations carry one key beyond the contract, ``aliases`` (the
short names the report uses after introducing the legal name). The schema
allows extra keys; the evaluator uses them to accept "AWS" for "Amazon Web
Services, Inc.".
"""
from __future__ import annotations

import hashlib

from .model import ReportSpec


def report_block(spec: ReportSpec | None) -> dict:
    if spec is None:
        return {"framework": None, "type": None, "service_organization": None, "auditor": None, "period_start": None,
                "period_end": None, "opinion": None, "opinion_basis": None, "trust_services_criteria": []}
    return {
        "framework": spec.framework,
        "type": spec.type,
        "service_organization": spec.legal_name,
        "auditor": spec.auditor,
        "period_start": spec.period_start.isoformat() if spec.period_start else None,
        "period_end": spec.period_end.isoformat(),
        "opinion": spec.opinion,
        "opinion_basis": spec.opinion_basis,
        "trust_services_criteria": list(spec.categories),
    }


def source_block(filename: str, data: bytes, pages: int | None) -> dict:
    return {"filename": filename, "sha256": hashlib.sha256(data).hexdigest(), "pages": pages}


def expected_ok(spec: ReportSpec, filename: str, data: bytes, pages: dict[str, int], total: int) -> dict:
    def page(key: str) -> int:
        if key not in pages:
            raise RuntimeError(f"{spec.name}: item {key} was never drawn")
        return pages[key]

    subs = [{"name": s.name, "method": s.method, "services": s.services, "page": page(s.key), "aliases": s.aliases}
            for s in spec.subs]
    csocs = [{"text": c.text, "subservice_organization": c.sub.name, "criteria": c.criteria, "page": page(c.key)}
             for c in spec.csocs]
    cuecs = [{"text": c.text, "criteria": c.criteria, "page": page(c.key)} for c in spec.cuecs]
    exceptions = [{"control_id": r.control_id, "control": r.control, "test": " ".join(r.tests),
                   "description": r.description, "management_response": r.response, "criteria": r.criteria,
                   "page": page(r.exception_key)} for r in spec.exception_rows]
    return {
        "schema_version": 1,
        "status": "ok",
        "error": None,
        "source": source_block(filename, data, total),
        "report": report_block(spec),
        "subservice_organizations": subs,
        "csocs": csocs,
        "cuecs": cuecs,
        "exceptions": exceptions,
    }


def expected_status(filename: str, data: bytes, status: str, error: str, pages: int | None) -> dict:
    return {
        "schema_version": 1,
        "status": status,
        "error": error,
        "source": source_block(filename, data, pages),
        "report": report_block(None),
        "subservice_organizations": [],
        "csocs": [],
        "cuecs": [],
        "exceptions": [],
    }
