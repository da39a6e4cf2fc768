"""Uploading a SOC report and reviewing it through the web pages, with the
real extractor running in the app's background thread pool."""
from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from markupsafe import escape
from PIL import Image
from sqlalchemy import func, select

from models import (
    Document,
    DocumentKind,
    ItemKind,
    JobStatus,
    Report,
    ReportItem,
    Review,
    ReviewStatus,
    Role,
    TriageStatus,
)
from models.base import utcnow
from tests.factories import contract_document, make_extracted_report, make_report, make_user, make_vendor
from vendorrisk.infra import jobs, pdfpages
from vendorrisk.infra.storage import UploadStore

CORPUS = Path(__file__).parent / "corpus"
REPORT_PDF = CORPUS / "r05-tessellate.pdf"  # 17 pages, 2 exceptions, 10 CUECs, 2 subservice organizations


def upload(client, vendor, *paths: Path, kind: str = "soc_report"):
    files = [(io.BytesIO(path.read_bytes()), path.name) for path in paths]
    return client.post(f"/vendors/{vendor.id}/documents", data={"files": files, "kind": kind},
                       content_type="multipart/form-data")


def finish(app, db):
    assert jobs.wait_for_jobs(app, timeout=300)
    db.expire_all()


@pytest.fixture
def security(auth):
    return auth.login_as(Role.SECURITY)


def test_a_report_is_uploaded_read_in_the_background_and_shown(app, client, db, security):
    vendor = make_vendor(db, name="Tessellate")
    db.commit()
    response = upload(client, vendor, REPORT_PDF)
    report = db.scalar(select(Report))
    assert response.status_code == 302 and response.location.endswith(f"/reports/{report.id}")
    finish(app, db)

    report = db.get(Report, report.id)
    assert report.job_status == JobStatus.DONE and report.extraction_status == "ok"
    assert report.progress_page == report.progress_pages == 17
    assert report.service_organization == "Tessellate Payroll Services, Inc."
    status = client.get(f"/reports/{report.id}/status").get_json()
    assert status == {"status": "done", "page": 17, "pages": 17, "error": None, "extraction_status": "ok",
                      "extraction_error": None}
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Tessellate Payroll Services, Inc." in page and "Unqualified" in page
    exception = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.EXCEPTION).order_by(ReportItem.position))
    assert f"/reports/{report.id}/items/{exception.id}" in page
    cuecs = client.get(f"/reports/{report.id}?tab=cuecs").get_data(as_text=True)
    assert "Nobody yet" in cuecs
    # The file is stored once, under its hash, and its name is metadata.
    document = report.document
    assert document.filename == REPORT_PDF.name
    assert UploadStore(app.config["UPLOAD_DIR"]).path_for(document.sha256).read_bytes() == REPORT_PDF.read_bytes()


def test_the_same_file_uploaded_twice_is_recognised(app, client, db, security):
    vendor = make_vendor(db)
    db.commit()
    upload(client, vendor, REPORT_PDF)
    response = upload(client, vendor, REPORT_PDF)
    finish(app, db)
    assert db.scalar(select(func.count()).select_from(Document)) == 1
    page = client.get(response.location).get_data(as_text=True)
    assert "was already uploaded" in page


def test_several_files_and_a_bridge_letter_are_uploaded_together(app, client, db, security):
    vendor = make_vendor(db)
    db.commit()
    response = upload(client, vendor, CORPUS / "notsoc-bridge-letter.pdf", CORPUS / "notsoc-invoice.pdf",
                      kind="bridge_letter")
    assert response.status_code == 302 and "#reports" in response.location
    finish(app, db)
    documents = db.scalars(select(Document).order_by(Document.filename)).all()
    assert [(d.filename, d.kind, d.report) for d in documents] == [
        ("notsoc-bridge-letter.pdf", DocumentKind.BRIDGE_LETTER, None),
        ("notsoc-invoice.pdf", DocumentKind.BRIDGE_LETTER, None)]
    vendor_page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "notsoc-bridge-letter.pdf" in vendor_page and "Bridge letter" in vendor_page
    download = client.get(f"/documents/{documents[0].id}/file")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.data == (CORPUS / "notsoc-bridge-letter.pdf").read_bytes()


@pytest.mark.parametrize("name", ["bad-zip-renamed.pdf", "bad-not-a-pdf.pdf"])
def test_a_file_that_is_not_a_pdf_is_refused_with_a_reason(app, client, db, security, name):
    vendor = make_vendor(db)
    db.commit()
    response = upload(client, vendor, CORPUS / name)
    assert response.status_code == 422
    assert f"{name}: The file is not a PDF" in upload_error(response)
    assert db.scalar(select(func.count()).select_from(Document)) == 0


def upload_error(response) -> str:
    """The error shown at the upload box; the file input points to it and takes the focus."""
    import re

    page = response.get_data(as_text=True)
    file_input = re.search(r'<input type="file" id="upload-files"[^>]*>', page).group(0)
    assert 'aria-describedby="upload-error upload-help"' in file_input and "autofocus" in file_input
    # The error sits in the upload form, next to the input, not in the flash area at the top.
    upload_form = page[page.index('class="upload-form"'):]
    return re.search(r'<div id="upload-error"[^>]*>(.*?)</div>', upload_form, re.S).group(1)


def test_an_empty_file_is_called_empty_at_the_upload_box(app, client, db, security):
    vendor = make_vendor(db)
    db.commit()
    response = client.post(f"/vendors/{vendor.id}/documents", data={"files": [(io.BytesIO(b""), "report.pdf")]},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    error = upload_error(response)
    assert "report.pdf: The file is empty" in error and "not a PDF" not in error
    assert db.scalar(select(func.count()).select_from(Document)) == 0


def test_one_bad_file_among_good_ones_is_reported_at_the_box_and_the_good_ones_are_kept(app, client, db, security):
    vendor = make_vendor(db)
    db.commit()
    response = upload(client, vendor, CORPUS / "notsoc-invoice.pdf", CORPUS / "bad-not-a-pdf.pdf")
    assert response.status_code == 422
    assert "bad-not-a-pdf.pdf: The file is not a PDF" in upload_error(response)
    assert "Uploaded notsoc-invoice.pdf" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Document)) == 1
    finish(app, db)


@pytest.mark.parametrize("name, status, heading", [
    ("bad-encrypted.pdf", JobStatus.FAILED, "Extraction failed."),
    ("scan-image-only.pdf", JobStatus.DONE, "This PDF is a scan without readable text."),
    ("notsoc-invoice.pdf", JobStatus.DONE, "This does not look like a SOC report."),
])
def test_a_bad_file_shows_the_extractors_plain_language_status(app, client, db, security, name, status, heading):
    vendor = make_vendor(db)
    db.commit()
    response = upload(client, vendor, CORPUS / name)
    finish(app, db)
    report = db.scalar(select(Report))
    # A file that was refused (here: password-protected) was not read at all: the job failed, with its reason.
    assert report.job_status == status and report.extraction_status != "ok"
    expected = json.loads((CORPUS / name.replace(".pdf", ".expected.json")).read_text())
    assert report.extraction_status == expected["status"]
    page = client.get(response.location).get_data(as_text=True)
    assert heading in page and str(escape(report.extraction_error)) in page
    assert "Sign off the review" not in page
    assert client.get(f"/reports/{report.id}/status").get_json()["status"] == status.value


def test_a_failed_job_shows_its_reason_and_the_upload_can_be_rerun(app, client, db, security):
    vendor = make_vendor(db)
    db.commit()
    upload(client, vendor, REPORT_PDF)
    finish(app, db)
    report = db.scalar(select(Report))
    stored = UploadStore(app.config["UPLOAD_DIR"]).path_for(report.document.sha256)
    kept = stored.read_bytes()
    stored.unlink()  # the file disappears from the store: the job must fail, visibly

    client.post(f"/reports/{report.id}/rerun")
    finish(app, db)
    report = db.get(Report, report.id)
    assert report.job_status == JobStatus.FAILED and "missing" in report.job_error
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Extraction failed." in page and report.job_error in page and "Re-run extraction" in page

    stored.write_bytes(kept)
    client.post(f"/reports/{report.id}/rerun")
    finish(app, db)
    assert db.get(Report, report.id).job_status == JobStatus.DONE


def test_a_rerun_keeps_triage_done_through_the_pages(app, client, db, security):
    vendor = make_vendor(db)
    db.commit()
    upload(client, vendor, REPORT_PDF)
    finish(app, db)
    report = db.scalar(select(Report))
    exception = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.EXCEPTION).order_by(ReportItem.position))
    response = client.post(f"/reports/{report.id}/items/{exception.id}/triage",
                           data={"triage_status": "risk_accepted", "severity": "medium", "notes": "Compensating control"})
    assert response.status_code == 302
    count = select(func.count()).select_from(ReportItem)
    before = db.scalar(count)
    client.post(f"/reports/{report.id}/rerun")
    finish(app, db)
    again = db.get(ReportItem, exception.id)
    assert again.found and again.triage_status == TriageStatus.RISK_ACCEPTED and again.notes == "Compensating control"
    assert db.scalar(count) == before  # every item found again, none duplicated


def test_the_page_image_highlights_the_item(app, client, db, security):
    vendor = make_vendor(db)
    db.commit()
    upload(client, vendor, REPORT_PDF)
    finish(app, db)
    report = db.scalar(select(Report))
    item = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.EXCEPTION, ReportItem.bbox.is_not(None))
                     .order_by(ReportItem.position))
    item_page = client.get(f"/reports/{report.id}/items/{item.id}").get_data(as_text=True)
    image_url = f"/reports/{report.id}/pages/{item.page}.png?item={item.id}"
    assert image_url.replace("&", "&amp;") in item_page

    response = client.get(image_url)
    assert response.status_code == 200 and response.mimetype == "image/png"
    # A vendor's NDA pages stay out of browser and proxy caches.
    assert response.headers["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    x0, top, x1, bottom = (v * pdfpages.RENDER_SCALE for v in item.bbox)
    pad = pdfpages.PADDING_POINTS * pdfpages.RENDER_SCALE
    # The outline is drawn around the item's box, and the plain page has none.
    assert image.getpixel((int((x0 + x1) / 2), int(top - pad) + 1)) == pdfpages.HIGHLIGHT_OUTLINE[:3]
    plain = Image.open(io.BytesIO(client.get(f"/reports/{report.id}/pages/{item.page}.png").data)).convert("RGB")
    assert plain.getpixel((int((x0 + x1) / 2), int(top - pad) + 1)) != pdfpages.HIGHLIGHT_OUTLINE[:3]
    assert client.get(f"/reports/{report.id}/pages/0.png").status_code == 404
    assert client.get(f"/reports/{report.id}/pages/18.png").status_code == 404


def test_an_item_without_a_box_is_found_on_its_page_by_its_text(app, client, db, security):
    vendor = make_vendor(db)
    db.commit()
    upload(client, vendor, REPORT_PDF)
    finish(app, db)
    report = db.scalar(select(Report))
    cuec = db.scalar(select(ReportItem).where(ReportItem.kind == ItemKind.CUEC).order_by(ReportItem.position))
    cuec.bbox = None
    db.commit()
    image = Image.open(io.BytesIO(client.get(f"/reports/{report.id}/pages/{cuec.page}.png?item={cuec.id}").data))
    assert pdfpages.HIGHLIGHT_OUTLINE[:3] in {colour for _, colour in image.convert("RGB").getcolors(1 << 20)}


def test_the_review_workflow_through_the_pages(app, client, db, security):
    owner = make_user(db, role=Role.SECURITY, name="Olive Owner")
    vendor = make_vendor(db)
    report = make_extracted_report(db, vendor=vendor, document=contract_document(
        exceptions=[{"control_id": "CC6.2", "description": "Leavers kept access."}],
        cuecs=[{"text": "User entities are responsible for MFA."}],
        subservices=[{"name": "Cloudflare, Inc.", "services": "CDN"}],
    ))
    db.commit()
    exception, cuec, subservice = (next(i for i in report.items if i.kind == kind)
                                   for kind in (ItemKind.EXCEPTION, ItemKind.CUEC, ItemKind.SUBSERVICE))

    bad = client.post(f"/reports/{report.id}/items/{exception.id}/triage",
                      data={"triage_status": "follow_up_required", "severity": "high"})
    assert bad.status_code == 400 and "A follow-up needs a due date." in bad.get_data(as_text=True)
    client.post(f"/reports/{report.id}/items/{exception.id}/triage",
                data={"triage_status": "follow_up_required", "severity": "high", "assignee_id": str(owner.id),
                      "due_date": "2030-06-30"})
    client.post(f"/reports/{report.id}/items/{cuec.id}/cuec",
                data={"owner_id": str(owner.id), "control_reference": "IAM-07", "cuec_status": "implemented",
                      "evidence": "Okta policy"})
    client.post(f"/reports/{report.id}/items/{subservice.id}/link", data={"organization": ""})
    client.post(f"/reports/{report.id}/items/{exception.id}/correct",
                data={"control_id": "CC6.3", "description": "Leavers kept access.", "page": "5", "criteria": "CC6.3"})
    db.expire_all()
    exception, cuec, subservice = (db.get(ReportItem, i.id) for i in (exception, cuec, subservice))
    assert (exception.triage_status, exception.assignee_id, str(exception.due_date)) == (
        TriageStatus.FOLLOW_UP_REQUIRED, owner.id, "2030-06-30")
    assert exception.control_id == "CC6.3" and exception.original["control_id"] == "CC6.2"
    assert (cuec.owner_id, cuec.control_reference) == (owner.id, "IAM-07")
    assert subservice.organization.name == "Cloudflare, Inc."
    assert "Cloudflare, Inc." in client.get(f"/vendors/{vendor.id}").get_data(as_text=True)

    export = client.get(f"/reports/labelled-data.jsonl?report={report.id}")
    rows = [json.loads(line) for line in export.get_data(as_text=True).splitlines()]
    assert export.headers["Content-Disposition"].startswith("attachment;")
    assert {row["verdict"] for row in rows if row["item_id"] == exception.id} == {"corrected"}

    signed = client.post(f"/reports/{report.id}/sign-off", data={"outcome": "approved", "comment": "Fine"})
    assert signed.status_code == 302
    db.expire_all()
    review = db.scalar(select(Review).where(Review.status == ReviewStatus.COMPLETED))
    assert review.report_id == report.id and review.vendor_id == vendor.id
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Approved" in page and "Sign off the review" not in page


def test_the_unowned_cuec_list_links_each_cuec_to_its_mapping(app, client, db, auth):
    auth.login_as(Role.VIEWER)
    acme, globex = make_vendor(db, name="Acme"), make_vendor(db, name="Globex")
    acme_report = make_extracted_report(db, vendor=acme, document=contract_document(
        cuecs=[{"text": "Acme's customers review access."}]))
    make_extracted_report(db, vendor=globex, document=contract_document(cuecs=[{"text": "Globex's customers use MFA."}]))
    db.commit()
    page = client.get("/cuecs/unowned").get_data(as_text=True)
    assert "Acme&#39;s customers review access." in page and "Globex&#39;s customers use MFA." in page
    assert f"/reports/{acme_report.id}/items/{acme_report.items[0].id}" in page
    filtered = client.get(f"/cuecs/unowned?vendor={acme.id}").get_data(as_text=True)
    assert "Globex&#39;s customers" not in filtered
    assert "Unowned CUECs" in page  # the nav link


def test_the_unowned_cuec_list_is_filtered_by_a_typed_vendor_name(client, db, auth):
    """No list of every vendor: the filter is a text field the server resolves,
    with or without the suggestions script."""
    auth.login_as(Role.VIEWER)
    for name in ("Acme Cloud", "Acme Payroll", "Globex"):
        make_extracted_report(db, vendor=make_vendor(db, name=name),
                              document=contract_document(cuecs=[{"text": f"{name} customers review access."}]))
    db.commit()
    page = client.get("/cuecs/unowned").get_data(as_text=True)
    assert "<option" not in page and 'name="vendor_name"' in page
    by_part = client.get("/cuecs/unowned?vendor_name=payroll").get_data(as_text=True)
    assert "Acme Payroll customers" in by_part and "Acme Cloud customers" not in by_part
    by_name = client.get("/cuecs/unowned?vendor_name=GLOBEX").get_data(as_text=True)
    assert "Globex customers" in by_name and "Acme Cloud customers" not in by_name
    ambiguous = client.get("/cuecs/unowned?vendor_name=acme").get_data(as_text=True)
    assert "matches several vendors (Acme Cloud, Acme Payroll)" in ambiguous and 'aria-invalid="true"' in ambiguous
    missing = client.get("/cuecs/unowned?vendor_name=Initech").get_data(as_text=True)
    assert "There is no vendor named “Initech”" in missing


def test_a_modified_opinion_is_impossible_to_miss(client, db, auth):
    auth.login_as(Role.VIEWER)
    report = make_extracted_report(db, document=contract_document(opinion="adverse", opinion_basis="Controls failed."))
    db.commit()
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'class="opinion-alert" role="alert"' in page and "Modified opinion: Adverse." in page
    assert "Controls failed." in page


def test_what_the_extractor_was_unsure_of_is_shown_first(client, db, auth):
    """Warnings sit above the report's facts; unsure items carry a 'check' flag until a reviewer decides."""
    auth.login_as(Role.VIEWER)
    document = contract_document(cuecs=[
        {"text": "Customers should review their administrators' access every quarter.", "confidence": 0.9},
        {"text": "Section IV 22", "confidence": 0.35}])
    document["warnings"] = ["The service auditor (CPA firm) was not found: it may be named only in a signature image."]
    report = make_extracted_report(db, document=document)
    db.commit()
    page = client.get(f"/reports/{report.id}?tab=cuecs").get_data(as_text=True)
    assert "Check by hand" in page and "named only in a signature image" in page
    assert page.index("Check by hand") < page.index('id="meta-heading"')
    assert page.count('title="The extractor was unsure of this item') == 1
    unsure = db.scalar(select(ReportItem).where(ReportItem.text == "Section IV 22"))
    assert unsure.confidence == 0.35


def test_a_report_the_extractor_was_sure_of_shows_no_warning_box(client, db, auth):
    auth.login_as(Role.VIEWER)
    report = make_extracted_report(db, document=contract_document(cuecs=[{"text": "Customers should rotate keys."}]))
    db.commit()
    page = client.get(f"/reports/{report.id}?tab=cuecs").get_data(as_text=True)
    assert "Check by hand" not in page and "The extractor was unsure" not in page


def test_server_start_fails_interrupted_reports_and_resumes_queued_ones(app, db):
    vendor = make_vendor(db)
    interrupted = make_report(db, vendor=vendor)
    interrupted.job_status = JobStatus.RUNNING
    queued = make_report(db, vendor=vendor)
    db.commit()
    store = UploadStore(app.config["UPLOAD_DIR"])
    with REPORT_PDF.open("rb") as stream:
        stored = store.save_pdf(stream, max_bytes=10**8)
    queued.document.sha256 = stored.sha256
    db.commit()

    jobs.start(app)
    finish(app, db)
    interrupted, queued = db.get(Report, interrupted.id), db.get(Report, queued.id)
    assert interrupted.job_status == JobStatus.FAILED and "interrupted" in interrupted.job_error
    assert queued.job_status == JobStatus.DONE and queued.extraction_status == "ok"


def test_a_report_whose_worker_died_shows_failed_when_polled(client, db, auth):
    auth.login_as(Role.VIEWER)
    report = make_report(db)
    report.job_status = JobStatus.RUNNING
    report.heartbeat_at = utcnow() - timedelta(hours=1)
    db.commit()
    status = client.get(f"/reports/{report.id}/status").get_json()
    assert status["status"] == "failed" and "stopped responding" in status["error"]
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Extraction failed." in page and "stopped responding" in page
    # Shown from the heartbeat's age, not written: a GET changes nothing.
    db.expire_all()
    assert db.get(Report, report.id).job_status == JobStatus.RUNNING


def test_every_kind_of_item_page_renders_with_its_review_form(client, db, auth):
    auth.login_as(Role.SECURITY)
    report = make_extracted_report(db, document=contract_document(
        exceptions=[{"control_id": "CC6.2", "description": "Leavers kept access."}],
        cuecs=[{"text": "User entities are responsible for MFA.", "criteria": ["CC6.1"]}],
        subservices=[{"name": "Cloudflare, Inc.", "services": "CDN"}],
        csocs=[{"text": "Cloudflare is responsible for DDoS protection.", "subservice_organization": "Cloudflare"}],
    ))
    db.commit()
    expected = {ItemKind.EXCEPTION: "Save triage", ItemKind.CUEC: "Save mapping",
                ItemKind.SUBSERVICE: "Confirm and link", ItemKind.CSOC: "Save correction"}
    for item in report.items:
        page = client.get(f"/reports/{report.id}/items/{item.id}").get_data(as_text=True)
        assert expected[item.kind] in page and f"pages/{item.page}.png?item={item.id}" in page, item.kind
    for tab in ("exceptions", "cuecs", "subservices", "csocs"):
        assert client.get(f"/reports/{report.id}?tab={tab}").status_code == 200


def test_a_reviewer_steps_from_one_exception_to_the_next(client, db, auth):
    auth.login_as(Role.SECURITY)
    report = make_extracted_report(db, document=contract_document(exceptions=[
        {"control_id": "CC6.2", "description": "Leavers kept access."},
        {"control_id": "CC8.1", "description": "Changes lacked approval."}], cuecs=[{"text": "Use MFA."}]))
    db.commit()
    first, second = (i for i in report.items if i.kind == ItemKind.EXCEPTION)
    page = client.get(f"/reports/{report.id}/items/{first.id}").get_data(as_text=True)
    assert f'href="/reports/{report.id}/items/{second.id}" rel="next"' in page and 'rel="prev"' not in page
    page = client.get(f"/reports/{report.id}/items/{second.id}").get_data(as_text=True)
    assert f'href="/reports/{report.id}/items/{first.id}" rel="prev"' in page and 'rel="next"' not in page


def test_a_reviewer_adds_a_missed_item_and_dismisses_a_false_one(client, db, auth):
    auth.login_as(Role.SECURITY)
    report = make_extracted_report(db, document=contract_document(
        pages=30, cuecs=[{"text": "Page 3 of 30 — confidential"}]))
    db.commit()
    false_item = report.items[0]
    assert client.get(f"/reports/{report.id}/items/new?kind=cuec").status_code == 200
    refused = client.post(f"/reports/{report.id}/items/new", data={"kind": "cuec", "text": "", "page": "4"})
    assert refused.status_code == 400 and "Enter the item&#39;s text." in refused.get_data(as_text=True)
    added = client.post(f"/reports/{report.id}/items/new",
                        data={"kind": "cuec", "text": "User entities are responsible for SSO.", "page": "12"})
    assert added.status_code == 302
    client.post(f"/reports/{report.id}/items/{false_item.id}/dismiss", data={"not_an_item": "1"})
    page = client.get(f"/reports/{report.id}?tab=cuecs").get_data(as_text=True)
    assert "User entities are responsible for SSO." in page and "added by reviewer" in page
    assert "Page 3 of 30" not in page
    assert "Page 3 of 30" in client.get(f"/reports/{report.id}?tab=cuecs&dismissed=1").get_data(as_text=True)


def test_the_newer_reports_page_shows_what_changed_since_last_year(client, db, auth):
    auth.login_as(Role.VIEWER)
    vendor = make_vendor(db)
    make_extracted_report(db, vendor=vendor, document=contract_document(
        period_end="2024-03-31", opinion="unqualified",
        exceptions=[{"control_id": "A1.2", "description": "Backups were not tested."}]))
    newer = make_extracted_report(db, vendor=vendor, document=contract_document(
        opinion="qualified", exceptions=[{"control_id": "CC8.1", "description": "Changes lacked approval."}]))
    db.commit()
    page = client.get(f"/reports/{newer.id}").get_data(as_text=True)
    assert "Changes since the previous report" in page
    assert "Opinion changed from <strong>Unqualified</strong> to <strong>Qualified</strong>" in page
    new_block = page.split("New exceptions")[1].split("Recurring exceptions")[0]
    resolved_block = page.split("Resolved exceptions")[1].split("CUECs added")[0]
    assert "CC8.1" in new_block and "A1.2" in resolved_block


def test_a_long_list_of_changes_shows_its_first_items_its_whole_count_and_a_link_to_all(client, db, auth):
    auth.login_as(Role.VIEWER)
    vendor = make_vendor(db)
    make_extracted_report(db, vendor=vendor, document=contract_document(
        period_end="2024-03-31", cuecs=[{"text": f"Last year's CUEC number {k}."} for k in range(25)]))
    newer = make_extracted_report(db, vendor=vendor, document=contract_document(
        cuecs=[{"text": f"This year's CUEC number {k}."} for k in range(23)]))
    db.commit()

    def blocks(page):
        added = page.split("CUECs added")[1].split("CUECs removed")[0]
        return added, page.split("CUECs removed")[1].split("Subservice organizations that came")[0]

    added, removed = blocks(client.get(f"/reports/{newer.id}").get_data(as_text=True))
    assert "<small>(23)</small>" in added and "number 19." in added and "number 20." not in added
    assert "… and 3 more." in added and f'href="/reports/{newer.id}?changes=all#changes">Show all 23</a>' in added
    assert "<small>(25)</small>" in removed and "… and 5 more." in removed

    added, removed = blocks(client.get(f"/reports/{newer.id}?changes=all").get_data(as_text=True))
    assert "number 22." in added and "number 24." in removed and "more." not in added + removed


def test_reviewer_actions_are_refused_to_roles_without_them(client, db, auth):
    auth.login_as(Role.PROCUREMENT)
    report = make_extracted_report(db, document=contract_document(exceptions=[{"description": "Late review."}]))
    db.commit()
    item = report.items[0]
    assert client.post(f"/reports/{report.id}/items/{item.id}/triage", data={"triage_status": "accepted"}).status_code == 403
    assert client.post(f"/reports/{report.id}/sign-off", data={"outcome": "approved"}).status_code == 403
    page = client.get(f"/reports/{report.id}/items/{item.id}").get_data(as_text=True)
    assert "Save triage" not in page and "Correct the extraction" not in page  # a read-only view
    assert "Re-run extraction" in client.get(f"/reports/{report.id}").get_data(as_text=True)  # procurement may re-run
