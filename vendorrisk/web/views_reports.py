"""SOC report pages: upload, extraction progress, the report and its items,
the page view with the item highlighted, the review workflow and sign-off."""
from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from models import (
    CuecStatus,
    ItemKind,
    JobStatus,
    Report,
    ReportItem,
    ReviewOutcome,
    Severity,
    TriageStatus,
)
from vendorrisk.infra import clock, jobs, pdfpages
from models.base import MAX_ID
from vendorrisk.web.auth import require, user_can
from vendorrisk.infra.db import get_session, paginate
from vendorrisk.infra.documents import stored_pdf
from vendorrisk.infra.mailer import mail_enabled
from vendorrisk.web.forms import ConclusionForm, EnumSelectField, ReopenForm, SelectField, VersionedForm, choices
from vendorrisk.web.pages import committing, render_page, whole_number
from vendorrisk.services.permissions import Action
from vendorrisk.services import accounts, concurrency, report_details, reports, signoff, vendors
from vendorrisk.services.errors import ServiceError
from vendorrisk.infra.storage import get_store

bp = Blueprint("reports", __name__)

TABS = {
    "exceptions": ItemKind.EXCEPTION,
    "cuecs": ItemKind.CUEC,
    "subservices": ItemKind.SUBSERVICE,
    "csocs": ItemKind.CSOC,
}
TAB_OF_KIND = {kind: tab for tab, kind in TABS.items()}
# Items of each year-over-year list the report page shows until the user asks
# for all (?changes=all): two reports of 500 can differ by hundreds of CUECs.
CHANGES_SHOWN = 20


# ---------------------------------------------------------------- forms

def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class ItemFieldsForm(FlaskForm):
    """Every field of every kind of item; the page shows those of the item's kind."""

    description = TextAreaField("Exception (the auditor's description)", validators=[Optional(), Length(max=20000)])
    text = TextAreaField("Text", validators=[Optional(), Length(max=20000)])
    name = StringField("Organization name", validators=[Optional(), Length(max=300)])
    control_id = StringField("Control ID", validators=[Optional(), Length(max=100)])
    control = TextAreaField("Control activity", validators=[Optional(), Length(max=20000)])
    test = TextAreaField("Test performed", validators=[Optional(), Length(max=20000)])
    management_response = TextAreaField("Management response", validators=[Optional(), Length(max=20000)])
    subservice_organization = StringField("Subservice organization", validators=[Optional(), Length(max=300)])
    method = SelectField("Method", choices=choices([("", "Unknown"), ("carve-out", "Carve-out"), ("inclusive", "Inclusive")]),
                         validators=[Optional()])
    services = TextAreaField("Services", validators=[Optional(), Length(max=5000)])
    criteria = StringField("Criteria", validators=[Optional(), Length(max=1000)],
                           description="Separate with commas, e.g. CC6.1, CC6.2")
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1, max=MAX_ID)])

    def fill(self, values: dict) -> None:
        for name, value in values.items():
            field = getattr(self, name, None)
            if field is not None:
                field.data = ", ".join(value) if name == "criteria" else value

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("description", "text", "name", "control_id", "control", "test", "management_response",
                 "subservice_organization", "method", "services", "criteria", "page")}


class NewItemForm(ItemFieldsForm):
    kind = EnumSelectField("Kind", enum_cls=ItemKind)


class TriageForm(VersionedForm):
    triage_status = EnumSelectField("Status", enum_cls=TriageStatus)
    severity = EnumSelectField("Severity", enum_cls=Severity, blank="Not set")
    assignee_id = SelectField("Assignee", coerce=_int_or_none, validators=[Optional()])
    due_date = DateField("Follow-up due", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=10000)])


class CuecForm(VersionedForm):
    owner_id = SelectField("Internal owner", coerce=_int_or_none, validators=[Optional()])
    control_reference = StringField("Internal control reference", validators=[Optional(), Length(max=100)],
                                    description="The control in our own framework that covers it, e.g. AC-02.")
    cuec_status = EnumSelectField("Status", enum_cls=CuecStatus, blank="Not assessed")
    evidence = TextAreaField("Evidence", validators=[Optional(), Length(max=10000)])


class LinkForm(FlaskForm):
    organization = StringField("Fourth-party record", validators=[Optional(), Length(max=200)],
                               render_kw={"autocomplete": "off"},
                               description="An existing name or alias links to that record; a new name creates one.")


class SignOffForm(ConclusionForm):
    outcome = EnumSelectField("Conclusion", enum_cls=ReviewOutcome)


def _blank_and(values) -> list:
    return choices([("", "Not stated"), *((v, v) for v in values)])


class ReportDetailsForm(FlaskForm):
    """The report's own fields; the service validates them (validate_choice=False: its messages are clearer)."""

    service_organization = StringField("Service organization", validators=[Optional()])
    auditor = StringField("Service auditor", validators=[Optional()])
    framework = SelectField("Framework", choices=_blank_and(report_details.FRAMEWORKS), validate_choice=False)
    report_type = SelectField("Report type", choices=_blank_and(report_details.REPORT_TYPES), validate_choice=False)
    period_start = StringField("Period start", render_kw={"type": "date"}, description="Type 2 only; YYYY-MM-DD.")
    period_end = StringField("Period end (or 'as of' date)", render_kw={"type": "date"}, description="YYYY-MM-DD.")
    opinion = SelectField("Opinion", choices=choices([("", "Not stated"), *((o, o.title()) for o in report_details.OPINIONS)]),
                          validate_choice=False)
    opinion_basis = TextAreaField("Basis for a modified opinion", validators=[Optional()])
    trust_services_criteria = StringField(
        "Trust services criteria", description="Separate with commas: " + ", ".join(
            c.replace("_", " ") for c in report_details.CRITERIA) + ".")
    reason = TextAreaField("Reason for the correction", validators=[Optional(), Length(max=2000)],
                           description="Kept in the report's history, e.g. “read from page 3”.")

    def fill(self, report: Report) -> None:
        for name, value in report_details.current_values(report).items():
            getattr(self, name).data = _shown(name, value)

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in report_details.FIELDS}


def _shown(field: str, value) -> str:
    """A report field's value as the form and "extracted: …" show it."""
    if field == "trust_services_criteria":
        return ", ".join(c.replace("_", " ") for c in value or [])
    return "" if value is None else str(value)


class MoveForm(FlaskForm):
    vendor_id = IntegerField("Vendor", validators=[Optional(), NumberRange(1, MAX_ID)])


class DismissForm(FlaskForm):
    not_an_item = SelectField("Not an item", choices=choices([("1", "Not an item"), ("0", "An item")]))


def _people_choices(blank: str, people: list | None = None) -> list:
    people = accounts.active_users(get_session()) if people is None else people
    return choices([("", blank)] + [(u.id, u.display_name) for u in people])


def _item_url(item: ReportItem, **kwargs) -> str:
    return url_for("reports.item", report_id=item.report_id, item_id=item.id, **kwargs)



@bp.route("/documents/<int:document_id>/file")
@require(Action.VIEW)
def download(document_id: int):
    document = reports.get_document(get_session(), document_id)
    return stored_pdf(document.sha256, document.filename)


# ---------------------------------------------------------------- the report

@bp.route("/reports/<int:report_id>")
@require(Action.VIEW)
def detail(report_id: int):
    return _render_detail(reports.get_report(get_session(), report_id))


def _render_detail(report: Report, *, signoff_form: SignOffForm | None = None, reopen_form: ReopenForm | None = None,
                   details_form: ReportDetailsForm | None = None, status: int = 200):
    session = get_session()
    job = reports.job_state(report, stale_after=jobs.stale_after())
    tab = request.args.get("tab", "exceptions")
    if tab not in TABS:
        tab = "exceptions"
    page = None
    if tab in TABS and job.status == JobStatus.DONE:
        query = reports.items_query(report, TABS[tab], include_dismissed=request.args.get("dismissed") == "1")
        page = paginate(session, query, request.args.get("page", 1, type=whole_number), current_app.config["PER_PAGE"])
    done = job.status == JobStatus.DONE
    comparison = reports.compare_with_previous(session, report) if done else None
    if signoff_form is None:
        signoff_form = SignOffForm(formdata=None)
    can_sign_off = done and not report.signed_off_at and user_can(Action.REPORT_SIGN_OFF)
    if can_sign_off:  # the only case the page shows the form
        signoff_form.set_people(accounts.active_users(session))
    if details_form is None:
        details_form = ReportDetailsForm(formdata=None)
        details_form.fill(report)
    return render_page(
        "reports/detail.html", report=report, job=job, tab=tab, tabs=TABS, page=page,
        counts=reports.item_counts(session, report), comparison=comparison,
        warnings=reports.extraction_warnings(session, report) if done else [],
        changes_shown=None if request.args.get("changes") == "all" else CHANGES_SHOWN,
        guardrails=signoff.guardrails(session, report, clock.today()) if done and not report.signed_off_at else [],
        reopenings=[r for r in signoff.reopenings(session, report.vendor_id) if r.report_id == report.id],
        signoff_form=signoff_form, reopen_form=reopen_form or ReopenForm(formdata=None), rerun_form=FlaskForm(),
        details_form=details_form,
        extracted={field: _shown(field, report_details.extracted_value(report, field)) for field in report.corrected},
        history=list(session.scalars(report_details.history_query(report).limit(20))),
        suggestions=reports.suggested_organizations(
            session, [item for item in (page.items if page else []) if item.kind == ItemKind.SUBSERVICE]),
        ItemKind=ItemKind,
    ), status


@bp.route("/reports/<int:report_id>/details", methods=["POST"])
@require(Action.REPORT_REVIEW)
def correct_details(report_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    form = ReportDetailsForm()
    if form.validate_on_submit():
        with committing(form) as outcome:
            changes = report_details.correct_report(session, report, form.values(), reason=form.reason.data,
                                                    actor=current_user)
            outcome.success("Report details corrected; the extractor's values are kept beside them." if changes
                            else "Nothing changed.", "success" if changes else "info")
        if outcome.ok:
            return redirect(url_for("reports.detail", report_id=report.id, _anchor="details"))
    return _render_detail(report, details_form=form, status=400)


@bp.route("/reports/<int:report_id>/organization/confirm", methods=["POST"])
@require(Action.REPORT_REVIEW)
def confirm_organization(report_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    if FlaskForm().validate_on_submit():
        with committing() as outcome:
            report_details.confirm_organization(session, report, actor=current_user)
            outcome.success(f"Confirmed: this report belongs to {report.vendor.name}. "
                            f"“{report.service_organization}” is now one of its names.", "success")
    else:
        flash("The form expired; try again.", "error")
    return redirect(url_for("reports.detail", report_id=report.id))


@bp.route("/reports/<int:report_id>/move", methods=["GET", "POST"])
@require(Action.REPORT_REVIEW)
def move(report_id: int):
    """Search vendors by name (GET ?q=), then move the report to the one chosen (POST)."""
    session = get_session()
    report = reports.get_report(session, report_id)
    form = MoveForm()
    if form.validate_on_submit() and form.vendor_id.data is not None:
        with committing() as outcome:
            target = vendors.get_vendor(session, form.vendor_id.data)
            source = report.vendor.name
            left_behind = report_details.move_to_vendor(session, report, target, actor=current_user)
            if left_behind:
                outcome.success(f"Moved {report.document.filename} to {target.name}. {source} still relies on "
                                f"{', '.join(left_behind)}, which no other report of {source} names: unlink them on "
                                f"its page if they do not apply.", "warning")
            else:
                outcome.success(f"Moved {report.document.filename} to {target.name}.", "success")
        if outcome.ok:
            return redirect(url_for("reports.detail", report_id=report.id))
    q = request.args.get("q", report.service_organization or "").strip()
    return render_page("reports/move.html", report=report, q=q, form=MoveForm(formdata=None),
                       candidates=report_details.find_vendors(session, q)), 400 if form.is_submitted() else 200


@bp.route("/reports/<int:report_id>/status")
@require(Action.VIEW)
def status(report_id: int):
    report = reports.get_report(get_session(), report_id)
    job = reports.job_state(report, stale_after=jobs.stale_after())
    return jsonify(
        status=job.status.value, page=report.progress_page, pages=report.progress_pages,
        error=job.error, extraction_status=report.extraction_status,
        extraction_error=report.extraction_error,
    )


@bp.route("/reports/<int:report_id>/rerun", methods=["POST"])
@require(Action.REPORT_UPLOAD)
def rerun(report_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    reports.fail_stale(session, stale_after=jobs.stale_after(), report_id=report.id)
    session.refresh(report)
    with committing() as outcome:
        reports.request_rerun(session, report, actor=current_user)
    if outcome.ok:
        jobs.enqueue(report.id)
        flash("Reading the report again. Your decisions on items that are found again are kept.", "success")
    return redirect(url_for("reports.detail", report_id=report.id))


@bp.route("/reports/<int:report_id>/pages/<int:page_number>.png")
@require(Action.VIEW)
def page_image(report_id: int, page_number: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    pages = report.progress_pages or (report.extraction or {}).get("source", {}).get("pages")
    if page_number < 1 or (pages and page_number > pages):
        abort(404)
    path = get_store().path_for(report.document.sha256)
    if not path.is_file():
        abort(404)
    box = text = None
    item_id = request.args.get("item", type=whole_number)
    if item_id is not None:
        item = reports.get_item(session, report, item_id)
        if item.page == page_number:
            box, text = item.bbox, item.text
    try:
        png = pdfpages.page_png(path, report.document.sha256, page_number, box, text)
    except pdfpages.PageOutOfRange:
        abort(404)
    except pdfpages.PageUnavailable as exc:
        # An image, so the page shows the reason where the page would be; 422: this file cannot be drawn.
        return Response(pdfpages.placeholder_png(str(exc)), status=422, mimetype="image/png")
    # No ETag: like every signed-in response it is no-store (pages.py), so no browser would revalidate;
    # the drawn page is cached on disk (pdfpages) instead.
    return Response(png, mimetype="image/png")


# ---------------------------------------------------------------- items

@bp.route("/reports/<int:report_id>/items/<int:item_id>")
@require(Action.VIEW)
def item(report_id: int, item_id: int):
    report = reports.get_report(get_session(), report_id)
    item = reports.get_item(get_session(), report, item_id)
    return _render_item(report, item)


def _render_item(report: Report, item: ReportItem, *, correction_form=None, triage_form=None, cuec_form=None,
                 link_form=None, status: int = 200):
    session = get_session()
    if correction_form is None:
        correction_form = ItemFieldsForm(formdata=None)
        correction_form.fill(reports.values_of(item))
    if triage_form is None or status == 409:  # after a conflict the user's input stays, based on the current item
        triage_form = triage_form or TriageForm(formdata=None, obj=item)
        triage_form.carry(concurrency.snapshot(item, reports.TRIAGE_FIELDS))
    people = accounts.active_users(session)
    triage_form.assignee_id.choices = _people_choices("— nobody —", people)
    if cuec_form is None or status == 409:
        cuec_form = cuec_form or CuecForm(formdata=None, obj=item)
        cuec_form.carry(concurrency.snapshot(item, reports.CUEC_FIELDS))
    cuec_form.owner_id.choices = _people_choices("— nobody yet —", people)
    suggestion = reports.suggested_organization(session, item) if item.kind == ItemKind.SUBSERVICE else None
    link_form = link_form or LinkForm(formdata=None, organization=suggestion.name if suggestion else item.text)
    history = paginate(session, reports.item_history_query(item), request.args.get("page", 1, type=whole_number), 10)

    return render_page(
        "reports/item.html", report=report, item=item, fields=reports.FIELDS[item.kind], current=reports.values_of(item),
        text_field=reports.TEXT_FIELD[item.kind], corrected=reports.is_corrected(item),
        correction_form=correction_form, triage_form=triage_form, cuec_form=cuec_form, link_form=link_form,
        dismiss_form=DismissForm(formdata=None), suggestion=suggestion, history=history,
        tab=TAB_OF_KIND[item.kind], ItemKind=ItemKind, neighbours=reports.neighbours(session, item),
        pages=report.progress_pages,
    ), status


@bp.route("/reports/<int:report_id>/items/<int:item_id>/correct", methods=["POST"])
@require(Action.REPORT_REVIEW)
def correct(report_id: int, item_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    item = reports.get_item(get_session(), report, item_id)
    form = ItemFieldsForm()
    if form.validate_on_submit():
        with committing(form) as outcome:
            changes = reports.correct_item(session, item, form.values(), actor=current_user)
            outcome.success("Correction saved; the extractor's original is kept." if changes else "Nothing changed.",
                            "success" if changes else "info")
        if outcome.ok:
            return redirect(_item_url(item))
    return _render_item(report, item, correction_form=form, status=400)


@bp.route("/reports/<int:report_id>/items/<int:item_id>/dismiss", methods=["POST"])
@require(Action.REPORT_REVIEW)
def dismiss(report_id: int, item_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    item = reports.get_item(get_session(), report, item_id)
    form = DismissForm()
    if not form.validate_on_submit():
        flash("Say whether this is an item or not.", "error")
        return redirect(_item_url(item))
    with committing() as outcome:
        reports.set_not_an_item(session, item, form.not_an_item.data == "1", actor=current_user)
        outcome.success("Marked as not an item: it is hidden from the registers but kept." if item.not_an_item
                        else "Restored as an item.")
    return redirect(_item_url(item))


@bp.route("/reports/<int:report_id>/items/new", methods=["GET", "POST"])
@require(Action.REPORT_REVIEW)
def new_item(report_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    kind = request.args.get("kind", "exception")
    form = NewItemForm(kind=kind if kind in {k.value for k in ItemKind} else "exception")
    if form.validate_on_submit():
        with committing(form) as outcome:
            item = reports.add_item(session, report, form.kind.data, form.values(), actor=current_user)
            outcome.success("Item added and marked as found by a reviewer.")
        if outcome.ok:
            return redirect(_item_url(item))
    status = 400 if form.is_submitted() else 200
    return render_page("reports/new_item.html", report=report, form=form, fields=reports.FIELDS,
                           text_field=reports.TEXT_FIELD, ItemKind=ItemKind), status


@bp.route("/reports/<int:report_id>/items/<int:item_id>/triage", methods=["POST"])
@require(Action.REPORT_REVIEW)
def triage(report_id: int, item_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    item = reports.get_item(get_session(), report, item_id)
    form = TriageForm()
    form.assignee_id.choices = _people_choices("— nobody —")
    if form.validate_on_submit():
        with committing(form) as outcome:
            changes = reports.triage_exception(
                session, item, status=form.triage_status.data, severity=form.severity.data,
                assignee_id=form.assignee_id.data, due_date=form.due_date.data, notes=form.notes.data,
                actor=current_user, loaded=form.based_on(), email=mail_enabled(current_app),
            )
            outcome.success(f"Exception triaged: {item.triage_status.value.replace('_', ' ')}." if changes else "Nothing changed.",
                            "success" if changes else "info")
        if outcome.ok:
            return redirect(_item_url(item))
        return _render_item(report, item, triage_form=form, status=outcome.failed_status)
    return _render_item(report, item, triage_form=form, status=400)


@bp.route("/reports/<int:report_id>/items/<int:item_id>/cuec", methods=["POST"])
@require(Action.REPORT_REVIEW)
def map_cuec(report_id: int, item_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    item = reports.get_item(get_session(), report, item_id)
    form = CuecForm()
    form.owner_id.choices = _people_choices("— nobody yet —")
    if form.validate_on_submit():
        with committing(form) as outcome:
            changes = reports.map_cuec(
                session, item, owner_id=form.owner_id.data, control_reference=form.control_reference.data,
                status=form.cuec_status.data, evidence=form.evidence.data, actor=current_user,
                loaded=form.based_on(),
            )
            outcome.success("CUEC mapping saved." if changes else "Nothing changed.", "success" if changes else "info")
        if outcome.ok:
            target = request.args.get("next")
            if target == "unowned":
                return redirect(url_for("reports.unowned_cuecs"))
            return redirect(_item_url(item))
        return _render_item(report, item, cuec_form=form, status=outcome.failed_status)
    return _render_item(report, item, cuec_form=form, status=400)


@bp.route("/reports/<int:report_id>/items/<int:item_id>/link", methods=["POST"])
@require(Action.REPORT_REVIEW)
def link(report_id: int, item_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    item = reports.get_item(get_session(), report, item_id)
    form = LinkForm()
    if form.validate_on_submit():
        with committing(form) as outcome:
            organization = reports.confirm_subservice(session, item, form.organization.data, actor=current_user)
            outcome.success(f"{report.vendor.name} relies on {organization.name} (fourth party).")
        if outcome.ok:
            return redirect(_item_url(item))
    return _render_item(report, item, link_form=form, status=400)


@bp.route("/reports/<int:report_id>/sign-off", methods=["POST"])
@require(Action.REPORT_SIGN_OFF)
def sign_off(report_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    form = SignOffForm()
    form.set_people(accounts.active_users(session))
    if form.validate_on_submit():
        with committing(form) as outcome:
            signoff.sign_off(session, report, outcome=form.outcome.data, comment=form.comment.data,
                             conditions=form.condition_inputs(), actor=current_user, today=clock.today())
            outcome.success(f"Review concluded: {form.outcome.data.value.replace('_', ' ')}. "
                            "The vendor's review cycle is complete.")
        if outcome.ok:
            return redirect(url_for("reports.detail", report_id=report.id, _anchor="sign-off"))
    return _render_detail(report, signoff_form=form, status=400)


@bp.route("/reports/<int:report_id>/reopen", methods=["POST"])
@require(Action.CONCLUSION_REOPEN)
def reopen(report_id: int):
    session = get_session()
    report = reports.get_report(session, report_id)
    form = ReopenForm()
    if form.validate_on_submit():
        with committing(form) as outcome:
            signoff.reopen_sign_off(session, report, reason=form.reason.data, actor=current_user)
            outcome.success("Sign-off reopened; the vendor's review is in progress again.")
        if outcome.ok:
            return redirect(url_for("reports.detail", report_id=report.id, _anchor="sign-off"))
    return _render_detail(report, reopen_form=form, status=400)



# ---------------------------------------------------------------- registers and export

@bp.route("/cuecs/unowned")
@require(Action.VIEW)
def unowned_cuecs():
    """Filtered by a vendor's name as typed (app.js suggests names as you
    type; ?vendor=<id> from a link works too)."""
    session = get_session()
    vendor_name = request.args.get("vendor_name", "").strip()[:200]
    vendor_id, error = request.args.get("vendor", type=whole_number), None
    if vendor_name:
        try:
            vendor_id = vendors.resolve_name(session, vendor_name, field="vendor_name").id
        except ServiceError as problem:
            vendor_id, error = None, problem.message
    elif vendor_id is not None:
        vendor_name = vendors.get_vendor(session, vendor_id).name
    page = paginate(session, reports.unowned_cuecs_query(vendor_id=vendor_id), request.args.get("page", 1, type=whole_number),
                    current_app.config["PER_PAGE"])
    return render_page("reports/unowned_cuecs.html", page=page, vendor_id=vendor_id, vendor_name=vendor_name,
                       error=error)


@bp.route("/reports/labelled-data.jsonl")
@require(Action.REPORT_REVIEW)
def labelled_data():
    """Reviewer decisions as training data for the extractor, one JSON object a line."""
    session = get_session()
    report_id = request.args.get("report", type=whole_number)
    reviewed_only = request.args.get("reviewed") == "1"

    # Built whole rather than streamed: the session then closes with the request.
    body = "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"
                   for row in reports.labelled_rows(session, report_id=report_id, reviewed_only=reviewed_only))
    filename = f"vendorrisk-labelled-{clock.today().isoformat()}.jsonl"
    return Response(body, mimetype="application/x-ndjson",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
