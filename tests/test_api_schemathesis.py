"""Property-based testing of the API against its own OpenAPI document:
schemathesis generates requests from the document, valid ones and invalid
ones, and sends them in-process (WSGI) with a valid token; no response may be
a server error, and every response must match what the document declares
(status code, content type, body schema)."""
from __future__ import annotations

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from models import ItemKind, Role, Tier
from tests.factories import contract_document, make_api_token, make_extracted_report, make_user, make_vendor
from vendorrisk.services import subservices

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Examples per operation and kind of data: enough to reach every field and
# error path without turning the suite into a fuzzing campaign on two cores.
EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 10}


def test_every_operation_conforms_to_the_document(app, db):
    admin = make_user(db, role=Role.ADMIN)
    token = make_api_token(db, admin)
    vendor = make_vendor(db, name="Seeded", tier=Tier.CRITICAL)
    subservices.link_vendor(db, vendor, "Seeded Cloud", method="carve-out", services=None, actor=admin)
    report = make_extracted_report(db, vendor=vendor, document=contract_document(
        exceptions=[{"control_id": "CC6.1", "description": "One of 25 leavers kept access."}],
        cuecs=[{"text": "User entities review user access."}],
    ))
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    # Valid requests go to things that exist, so their success responses are
    # checked too (unknown ids, i.e. 404s, come from the invalid requests).
    existing = {
        "vendor_id": vendor.id,
        "report_id": report.id,
        "exception_id": next(i.id for i in report.items if i.kind == ItemKind.EXCEPTION),
        "cuec_id": next(i.id for i in report.items if i.kind == ItemKind.CUEC),
    }

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    for operation, mode in itertools.product(operations, (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)):
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES[mode], deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            if mode == GenerationMode.POSITIVE and case.path_parameters:
                case.path_parameters = {k: existing.get(k, v) for k, v in case.path_parameters.items()}
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as error:  # name the operation in the failure
            pytest.fail(f"{operation.method.upper()} {operation.path} ({mode.value} data): {error}")
