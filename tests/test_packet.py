"""The vendor review packet: what a compliance owner hands an auditor, as a
print view and as a PDF made from the same template."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

import pdfplumber

from models import LifecycleStatus, Review, ReviewOutcome, ReviewStatus, Role, Tier
from tests.factories import download_export, make_api_token, make_user, make_vendor
from vendorrisk.services import subservices


def seed(db):
    signer = make_user(db, role=Role.COMPLIANCE, name="Carla Compliance", email="carla@example.com")
    vendor = make_vendor(db, name="Acme Cloud", tier=Tier.CRITICAL, status=LifecycleStatus.ACTIVE,
                         services="Customer portal hosting", contract_end=date(2027, 12, 31))
    subservices.link_vendor(db, vendor, "Amazon Web Services", method="carve-out", services="Hosting", actor=signer)
    db.add_all([
        Review(vendor=vendor, due_date=date(2026, 1, 15), status=ReviewStatus.COMPLETED,
               outcome=ReviewOutcome.APPROVED_WITH_CONDITIONS, comment="Follow up on the change-management exception.",
               completed_by_id=signer.id, completed_at=datetime(2026, 1, 10, 9, 30, tzinfo=timezone.utc)),
        Review(vendor=vendor, due_date=date(2027, 1, 15), status=ReviewStatus.SCHEDULED, owner_id=signer.id),
    ])
    db.commit()
    return vendor


def test_the_print_view_has_every_section(client, db, auth):
    vendor = seed(db)
    auth.login_as(Role.VIEWER)
    page = client.get(f"/vendors/{vendor.id}/packet").get_data(as_text=True)
    for heading in ("1. Vendor profile", "2. Current SOC report", "3. Subservice organizations", "4. Review history",
                    "5. Sign-off"):
        assert heading in page
    assert "Customer portal hosting" in page and "Amazon Web Services" in page and "Carve-out" in page
    assert "Approved with conditions" in page and "Carla Compliance (carla@example.com)" in page
    assert "2026-01-10 09:30 UTC" in page and "Next review due 2027-01-15" in page
    assert "No SOC report has been extracted for this vendor yet." in page
    assert "Assurance coverage: No report" in page
    assert f"/exports/packet/{vendor.id}.pdf" in page
    assert "Review packet" in client.get(f"/vendors/{vendor.id}").get_data(as_text=True)


def test_the_pdf_is_the_same_packet(client, db, auth):
    vendor = seed(db)
    auth.login_as(Role.COMPLIANCE)
    response = download_export(client, f"/exports/packet/{vendor.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=review-packet-acme-cloud-")
    with pdfplumber.open(io.BytesIO(response.data)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Vendor review packet: Acme Cloud" in text
    assert "Amazon Web Services" in text and "Approved with conditions" in text
    assert "Follow up on the change-management exception." in text
    assert "page 1" in text  # the footer frame


def test_the_packet_of_an_unknown_vendor_is_404(client, auth):
    auth.login_as(Role.VIEWER)
    assert client.get("/vendors/999/packet").status_code == 404
    assert client.post("/exports/packet/999.pdf").status_code == 404


def test_the_api_serves_the_packet_pdf(client, db):
    vendor = seed(db)
    token = make_api_token(db, make_user(db, role=Role.VIEWER))
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    response = client.get(f"/api/v1/vendors/{vendor.id}/packet.pdf", headers=headers)
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert client.get("/api/v1/vendors/999/packet.pdf", headers=headers).json["error"]["code"] == "not_found"


def test_the_packet_carries_the_current_reports_exceptions_and_cuec_mapping(client, db, auth):
    from models import CuecStatus, ItemKind, Severity, TriageStatus
    from tests.factories import contract_document, make_extracted_report

    vendor = seed(db)
    owner = make_user(db, role=Role.SECURITY, name="Sam Security")
    report = make_extracted_report(db, vendor=vendor, document=contract_document(
        opinion="qualified", opinion_basis="Access reviews were not performed.", period_end="2025-12-31",
        exceptions=[{"control_id": "CC6.2", "description": "Two leavers kept access.",
                     "management_response": "Access removed."}],
        cuecs=[{"text": "User entities review access to the portal.", "criteria": ["CC6.1"]}],
    ))
    exception = next(i for i in report.items if i.kind == ItemKind.EXCEPTION)
    cuec = next(i for i in report.items if i.kind == ItemKind.CUEC)
    exception.triage_status, exception.severity, exception.notes = TriageStatus.RISK_ACCEPTED, Severity.MEDIUM, "MFA compensates."
    cuec.owner_id, cuec.control_reference, cuec.cuec_status = owner.id, "AC-02", CuecStatus.IMPLEMENTED
    db.commit()
    auth.login_as(Role.VIEWER)
    page = client.get(f"/vendors/{vendor.id}/packet").get_data(as_text=True)
    assert "3. Exceptions and triage decisions" in page and "4. Complementary user entity controls" in page
    assert "7. Sign-off" in page
    assert "Qualified opinion" in page and "Access reviews were not performed." in page
    assert "Two leavers kept access." in page and "Risk accepted" in page and "MFA compensates." in page
    assert "User entities review access to the portal." in page and "AC-02" in page and "Sam Security" in page
    with pdfplumber.open(io.BytesIO(download_export(client, f"/exports/packet/{vendor.id}.pdf").data)) as pdf:
        text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Two leavers" in text and "Risk accepted" in text and "Sam Security AC-02 Implemented" in text
