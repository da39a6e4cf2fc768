"""Reports through the API: upload, poll, read exceptions and CUECs, triage
and map them, and the registers and packet that come out of it."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import AuditEvent, ItemKind, Report, ReportItem, Role, Severity, TriageStatus
from tests.factories import contract_document, make_api_token, make_extracted_report, make_report, make_user, make_vendor
from vendorrisk.infra import jobs

CORPUS = Path(__file__).parent / "corpus"
SAMPLE = CORPUS / "r05-tessellate.pdf"  # 17 pages, two exceptions


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def token_for(db):
    def make(role: Role) -> dict[str, str]:
        user = make_user(db, role=role)
        headers = bearer(make_api_token(db, user))
        db.commit()
        return headers
    return make


def extracted(db, **document):
    vendor = make_vendor(db, name="Acme Cloud")
    report = make_extracted_report(db, vendor=vendor, document=contract_document(
        exceptions=[
            {"control_id": "CC6.1", "control": "Access is reviewed quarterly.", "test": "Inspected reviews.",
             "description": "Two of four quarterly access reviews were not performed.",
             "management_response": "Reviews are now scheduled.", "criteria": ["CC6.1"], "page": 12},
            {"control_id": "CC8.1", "description": "One change lacked approval.", "page": 14},
        ],
        cuecs=[{"text": "User entities review access to the portal.", "criteria": ["CC6.1"], "page": 6},
               {"text": "User entities report incidents promptly.", "page": 6}],
        **document,
    ))
    db.commit()
    return vendor, report


def test_the_walkthrough_upload_poll_read_triage_export(client, db, app, token_for):
    """The README's curl walkthrough, step by step, with a real report and the real extractor."""
    admin = token_for(Role.ADMIN)
    vendor = client.post("/api/v1/vendors", json={"name": "Tessellate", "tier": "high"}, headers=admin).json

    with SAMPLE.open("rb") as pdf:
        uploaded = client.post(f"/api/v1/vendors/{vendor['id']}/reports", headers=admin,
                               data={"file": (pdf, "tessellate-soc2.pdf")}, content_type="multipart/form-data")
    assert uploaded.status_code == 202
    assert uploaded.json["status"] == "queued" and uploaded.json["duplicate"] is False
    report_url = uploaded.json["url"]
    assert uploaded.headers["Location"].endswith(report_url)

    assert jobs.wait_for_jobs(app, timeout=300)
    report = client.get(report_url, headers=admin).json
    assert report["status"] == "done", report["error"]
    assert report["progress"]["page"] == report["progress"]["pages"] == 17
    assert report["extraction"]["status"] == "ok" and report["extraction_status"] == "ok"

    exceptions = client.get(f"{report_url}/exceptions", headers=admin).json["items"]
    assert len(exceptions) == len(report["extraction"]["exceptions"]) >= 1
    first = exceptions[0]
    assert first["id"] and first["triage_status"] == "new" and first["description"]

    triaged = client.patch(f"/api/v1/exceptions/{first['id']}", headers=admin, json={
        "triage_status": "follow_up_required", "severity": "high", "due_date": "2027-03-31",
        "notes": "Ask for the Q3 access review evidence."})
    assert triaged.status_code == 200, triaged.json
    assert triaged.json["triage_status"] == "follow_up_required" and triaged.json["severity"] == "high"

    register = client.get("/api/v1/exports/exceptions?format=xlsx", headers=admin)
    sheet = load_workbook(io.BytesIO(register.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    triaged_row = next(dict(zip(header, row)) for row in rows[1:] if row[header.index("control_id")] == first["control_id"])
    assert triaged_row["vendor"] == "Tessellate" and triaged_row["triage_status"] == "follow_up_required"
    assert triaged_row["severity"] == "high" and triaged_row["report"] == "tessellate-soc2.pdf"

    with SAMPLE.open("rb") as pdf:
        again = client.post(f"/api/v1/vendors/{vendor['id']}/reports", headers=admin,
                            data={"file": (pdf, "copy.pdf")}, content_type="multipart/form-data")
    assert again.status_code == 200 and again.json["duplicate"] is True and again.json["url"] == report_url


def test_an_upload_that_is_not_a_pdf_is_415_and_nothing_is_stored(client, db, token_for):
    headers = token_for(Role.SECURITY)
    vendor = make_vendor(db)
    db.commit()
    response = client.post(f"/api/v1/vendors/{vendor.id}/reports", headers=headers,
                           data={"file": (io.BytesIO(b"PK\x03\x04 a zip"), "report.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 415 and response.json["error"]["code"] == "unsupported_media_type"
    assert "not a PDF" in response.json["error"]["message"]
    assert db.scalar(select(Report.id)) is None


def test_an_upload_over_the_limit_is_413(app, client, db, token_for):
    headers = token_for(Role.SECURITY)
    vendor = make_vendor(db)
    db.commit()
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    big = io.BytesIO(b"%PDF-1.7\n" + b"0" * 20_000)
    response = client.post(f"/api/v1/vendors/{vendor.id}/reports", headers=headers,
                           data={"file": (big, "big.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 413 and response.mimetype == "application/json"
    assert db.scalar(select(Report.id)) is None


def test_an_upload_needs_the_file_field_as_multipart(client, db, token_for):
    headers = token_for(Role.SECURITY)
    vendor = make_vendor(db)
    db.commit()
    url = f"/api/v1/vendors/{vendor.id}/reports"
    missing = client.post(url, headers=headers, data={"other": "x"}, content_type="multipart/form-data")
    assert missing.status_code == 400 and missing.json["error"]["field"] == "file"
    assert client.post(url, headers=headers, json={"file": "x"}).status_code == 415
    assert client.post("/api/v1/vendors/999/reports", headers=headers, data={"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                       content_type="multipart/form-data").status_code == 404


def test_who_may_upload_and_triage_comes_from_the_permission_table(client, db, token_for):
    vendor, report = extracted(db)
    exception = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.EXCEPTION))
    cuec = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.CUEC))
    viewer, compliance, procurement = token_for(Role.VIEWER), token_for(Role.COMPLIANCE), token_for(Role.PROCUREMENT)
    pdf = {"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")}
    assert client.post(f"/api/v1/vendors/{vendor.id}/reports", headers=viewer, data=pdf,
                       content_type="multipart/form-data").status_code == 403
    for headers in (viewer, compliance, procurement):
        assert client.patch(f"/api/v1/exceptions/{exception.id}", headers=headers,
                            json={"triage_status": "in_review"}).status_code == 403
        assert client.patch(f"/api/v1/cuecs/{cuec.id}", headers=headers, json={"status": "not_applicable"}).status_code == 403
        assert client.get(f"/api/v1/reports/{report.id}/exceptions", headers=headers).status_code == 200


def test_a_report_reads_back_with_metadata_and_extraction(client, db, token_for):
    vendor, report = extracted(db, opinion="qualified", opinion_basis="Access reviews were not performed.")
    body = client.get(f"/api/v1/reports/{report.id}", headers=token_for(Role.VIEWER)).json
    assert body["status"] == "done" and body["vendor_id"] == vendor.id
    assert body["period_end"] == "2025-03-31" and body["opinion"] == "qualified" and body["modified_opinion"] is True
    assert [e["control_id"] for e in body["extraction"]["exceptions"]] == ["CC6.1", "CC8.1"]
    assert body["sign_off"] is None


def test_a_queued_report_has_no_extraction_yet(client, db, token_for):
    report = make_report(db)
    db.commit()
    body = client.get(f"/api/v1/reports/{report.id}", headers=token_for(Role.VIEWER)).json
    assert body["status"] == "queued" and body["extraction"] is None
    assert body["progress"] == {"page": 0, "pages": None}


def test_exceptions_list_and_triage_is_logged(client, db, token_for):
    vendor, report = extracted(db)
    headers = token_for(Role.SECURITY)
    items = client.get(f"/api/v1/reports/{report.id}/exceptions", headers=headers).json["items"]
    assert [(i["control_id"], i["page"], i["triage_status"]) for i in items] == [("CC6.1", 12, "new"), ("CC8.1", 14, "new")]
    assert items[0]["management_response"] == "Reviews are now scheduled." and items[0]["criteria"] == ["CC6.1"]

    assignee = make_user(db, role=Role.SECURITY)
    db.commit()
    response = client.patch(f"/api/v1/exceptions/{items[0]['id']}", headers=headers,
                            json={"severity": "medium", "assignee_id": assignee.id})
    assert response.status_code == 200
    assert response.json["severity"] == "medium" and response.json["triage_status"] == "new"
    response = client.patch(f"/api/v1/exceptions/{items[0]['id']}", headers=headers,
                            json={"triage_status": "risk_accepted", "notes": "Compensating control in place."})
    assert response.json["triage_status"] == "risk_accepted" and response.json["assignee_id"] == assignee.id
    db.expire_all()
    item = db.get(ReportItem, items[0]["id"])
    assert item.triage_status == TriageStatus.RISK_ACCEPTED and item.severity == Severity.MEDIUM
    events = db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "report_item")).all()
    assert len(events) == 2 and all(e.vendor_id == vendor.id for e in events)


@pytest.mark.parametrize("body, status, field", [
    ({"triage_status": "resolved"}, 400, "triage_status"),
    ({"severity": "critical"}, 400, "severity"),
    ({"triage_status": "accepted"}, 400, "severity"),
    ({"triage_status": "follow_up_required", "severity": "low"}, 400, "due_date"),
    ({"assignee_id": 999999}, 400, "assignee_id"),
    ({"notes": "x" * 10001}, 400, "notes"),
    ({"owner_id": 1}, 400, "owner_id"),
])
def test_invalid_triage_is_400_naming_the_field(client, db, token_for, body, status, field):
    _vendor, report = extracted(db)
    exception = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.EXCEPTION))
    response = client.patch(f"/api/v1/exceptions/{exception.id}", headers=token_for(Role.SECURITY), json=body)
    assert response.status_code == status and response.json["error"]["field"] == field
    db.expire_all()
    assert db.get(ReportItem, exception.id).triage_status == TriageStatus.NEW


def test_cuecs_list_and_mapping(client, db, token_for):
    _vendor, report = extracted(db)
    owner = make_user(db, role=Role.SECURITY, email="ops@example.com")
    db.commit()
    headers = token_for(Role.ADMIN)
    items = client.get(f"/api/v1/reports/{report.id}/cuecs", headers=headers).json["items"]
    assert [i["text"] for i in items] == ["User entities review access to the portal.",
                                          "User entities report incidents promptly."]
    assert items[0]["owner_id"] is None and items[0]["status"] is None

    refused = client.patch(f"/api/v1/cuecs/{items[0]['id']}", headers=headers, json={"status": "implemented"})
    assert refused.status_code == 400 and refused.json["error"]["field"] == "owner_id"
    mapped = client.patch(f"/api/v1/cuecs/{items[0]['id']}", headers=headers, json={
        "owner_id": owner.id, "internal_control": "AC-02", "status": "implemented",
        "evidence": "Quarterly access review tickets."})
    assert mapped.status_code == 200
    assert (mapped.json["owner_id"], mapped.json["internal_control"], mapped.json["status"]) == (
        owner.id, "AC-02", "implemented")

    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(
        client.get("/api/v1/exports/cuecs?format=xlsx", headers=headers).data)).active.iter_rows()]
    assert rows[0] == ["vendor", "report", "cuec", "criteria", "owner", "internal_control", "status", "evidence", "page"]
    assert rows[1][0] == "Acme Cloud" and rows[1][1] == report.document.filename
    assert rows[1][2:9] == ["User entities review access to the portal.", "CC6.1", "ops@example.com", "AC-02",
                            "implemented", "Quarterly access review tickets.", 6]
    assert rows[2][4:7] == [None, None, None]


def test_items_of_the_wrong_kind_or_unknown_are_404(client, db, token_for):
    _vendor, report = extracted(db)
    exception = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.EXCEPTION))
    cuec = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.CUEC))
    headers = token_for(Role.ADMIN)
    assert client.patch(f"/api/v1/exceptions/{cuec.id}", headers=headers, json={"notes": "x"}).status_code == 404
    assert client.patch(f"/api/v1/cuecs/{exception.id}", headers=headers, json={"evidence": "x"}).status_code == 404
    assert client.get("/api/v1/reports/999", headers=headers).json["error"]["code"] == "not_found"
    assert client.get("/api/v1/reports/999/exceptions", headers=headers).status_code == 404


def test_the_open_exceptions_register_holds_only_open_ones_of_current_reports(client, db, token_for):
    vendor, report = extracted(db)
    exception, other = db.scalars(select(ReportItem).where(ReportItem.kind == ItemKind.EXCEPTION)
                                  .order_by(ReportItem.position)).all()
    exception.triage_status, exception.severity = TriageStatus.ACCEPTED, Severity.LOW
    db.commit()
    headers = token_for(Role.VIEWER)
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(
        client.get("/api/v1/exports/exceptions?format=xlsx", headers=headers).data)).active.iter_rows()]
    assert rows[0] == ["vendor", "report", "period_end", "control_id", "description", "management_response",
                       "triage_status", "severity", "assignee", "follow_up_due", "page"]
    assert [row[3] for row in rows[1:]] == ["CC8.1"]
    assert rows[1][0] == "Acme Cloud" and rows[1][6] == "new" and rows[1][10] == 14
