"""Vendor inventory pages: list, vendor page, create/edit, lifecycle, intake, checklist."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_wtf.file import FileField, FileRequired
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    MultipleFileField,
    DateField,
    EmailField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, URL
from wtforms.widgets import CheckboxInput, ListWidget

from models import (
    BusinessCriticality,
    ChecklistItemKind,
    ChecklistItemState,
    DataCategory,
    DataVolume,
    DocumentKind,
    LifecycleStatus,
    Substitutability,
    Tier,
    User,
    Vendor,
)
from vendorrisk.infra import clock, documents, jobs
from vendorrisk.infra.storage import get_store, import_previews
from vendorrisk.web.auth import require
from vendorrisk.infra.db import get_session, paginate
from vendorrisk.infra.mailer import mail_enabled
from vendorrisk.web.forms import EnumSelectField, SelectField, VersionedForm, choices, enum_choices
from vendorrisk.web.pages import committing, render_page, whole_number
from vendorrisk.web.views_evidence import DocumentForm, RequestForm, evidence_section
from vendorrisk.web.views_reviews import review_section
from vendorrisk.services.permissions import Action
from vendorrisk.services import accounts, audit, concurrency, evidence, reports, subservices, vendor_csv, vendors
from vendorrisk.services.errors import ServiceError
from vendorrisk.services.coverage import EvidenceState
from vendorrisk.services.schedule import CoverageState
from vendorrisk.services.vendors import VendorFields

bp = Blueprint("vendors", __name__, url_prefix="/vendors")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VendorForm(VersionedForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    legal_name = StringField("Legal name", validators=[Optional(), Length(max=200)])
    website = URLField("Website", validators=[Optional(), URL(message="Enter a full address like https://example.com."), Length(max=500)])
    services = TextAreaField("Services provided", validators=[Optional(), Length(max=5000)])
    tier = EnumSelectField("Tier", enum_cls=Tier, default=Tier.MEDIUM)
    tier_override_reason = TextAreaField("Reason for a tier other than the intake's suggestion", validators=[Optional(), Length(max=2000)])
    data_handled = MultiCheckboxField("Data handled", choices=enum_choices(DataCategory))
    has_production_access = BooleanField("Has access to production systems or networks")
    business_owner_id = SelectField("Business owner", coerce=lambda v: int(v) if v else None, validators=[Optional()])
    security_owner_id = SelectField("Security owner", coerce=lambda v: int(v) if v else None, validators=[Optional()])
    contact_name = StringField("Vendor contact", validators=[Optional(), Length(max=200)])
    contact_email = EmailField("Contact e-mail", validators=[Optional(), Email(check_deliverability=False), Length(max=254)])
    contact_phone = StringField("Contact phone", validators=[Optional(), Length(max=50)])
    contract_start = DateField("Contract start", validators=[Optional()])
    contract_end = DateField("Contract end", validators=[Optional()])
    renewal_notice_date = DateField("Renewal notice date", validators=[Optional()], description="The last day to give notice before the contract renews.")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=10000)])

    def set_owner_choices(self, people: list[User]) -> None:
        owners = choices([("", "— nobody yet —")] + [(u.id, u.display_name) for u in people])
        self.business_owner_id.choices = owners
        self.security_owner_id.choices = owners

    def values(self) -> VendorFields:
        return VendorFields(
            name=self.name.data or "",
            legal_name=self.legal_name.data,
            website=self.website.data,
            services=self.services.data,
            tier=self.tier.data,
            tier_override_reason=self.tier_override_reason.data,
            data_handled={DataCategory(v) for v in self.data_handled.data or []},
            has_production_access=bool(self.has_production_access.data),
            business_owner_id=self.business_owner_id.data,
            security_owner_id=self.security_owner_id.data,
            contact_name=self.contact_name.data,
            contact_email=self.contact_email.data,
            contact_phone=self.contact_phone.data,
            contract_start=self.contract_start.data,
            contract_end=self.contract_end.data,
            renewal_notice_date=self.renewal_notice_date.data,
            notes=self.notes.data,
        )


class StatusForm(FlaskForm):
    status = EnumSelectField("New status", enum_cls=LifecycleStatus)


class IntakeForm(FlaskForm):
    volume = EnumSelectField("How many records of that data will the vendor hold?", enum_cls=DataVolume,
                             description="Low: under 1,000 · Medium: 1,000–100,000 · High: over 100,000")
    criticality = EnumSelectField("How critical is the service to the business?", enum_cls=BusinessCriticality,
                                  description="High: an outage stops a customer-facing or revenue process.")
    substitutability = EnumSelectField("How easily could the vendor be replaced?", enum_cls=Substitutability,
                                       description="Easy: weeks · Moderate: months · Difficult: no practical alternative")
    tier = EnumSelectField("Tier", enum_cls=Tier, blank="Use the suggested tier")
    override_reason = TextAreaField("Reason for overriding the suggestion", validators=[Optional(), Length(max=2000)])


class ChecklistForm(FlaskForm):
    state = EnumSelectField("State", enum_cls=ChecklistItemState)
    waiver_reason = StringField("Reason for waiving", validators=[Optional(), Length(max=2000)])


class SubserviceLinkForm(FlaskForm):
    organization = StringField("Organization", validators=[DataRequired(), Length(max=200)],
                               render_kw={"autocomplete": "off"},
                               description="An existing name or alias links to that organization; a new name creates one.")
    method = SelectField("Method", choices=choices([("", "Unknown"), ("carve-out", "Carve-out"), ("inclusive", "Inclusive")]),
                         validators=[Optional()])
    services = StringField("Services it provides to the vendor", validators=[Optional(), Length(max=1000)])


def _enum_args(name: str, enum_cls):
    """Query-string values of one filter that name members of enum_cls; unknown ones are ignored."""
    valid = {member.value for member in enum_cls}
    return [enum_cls(v) for v in request.args.getlist(name) if v in valid]


def _vendor_filters() -> dict:
    """The vendor list's filters from the query string (the list and its CSV export share them)."""
    return {
        "q": request.args.get("q", "").strip(),
        "tiers": _enum_args("tier", Tier),
        "statuses": _enum_args("status", LifecycleStatus),
        "data_handled": _enum_args("data", DataCategory),
        "owner_id": request.args.get("owner", type=whole_number),
        "review_due": request.args.get("review_due") if request.args.get("review_due") in ("overdue", "30", "90", "unscheduled") else None,
        "coverage_states": _enum_args("coverage", CoverageState),
        "evidence_states": _enum_args("evidence", EvidenceState),
    }


@bp.route("/")
@require(Action.VIEW)
def list_vendors():
    session = get_session()
    sort = request.args.get("sort", "name")
    descending = request.args.get("dir") == "desc"
    filters = _vendor_filters()
    query = vendors.vendor_query(**filters, today=clock.today(),
                                 sort=sort if sort in vendors.SORTS else "name", descending=descending)
    page = paginate(session, query, request.args.get("page", 1, type=whole_number), current_app.config["PER_PAGE"])
    return render_page(
        "vendors/list.html", page=page, filters=filters, sort=sort, descending=descending,
        people=accounts.active_users(session),
        Tier=Tier, LifecycleStatus=LifecycleStatus, DataCategory=DataCategory, CoverageState=CoverageState,
        EvidenceState=EvidenceState,
    )


@bp.route("/names.json")
@require(Action.VIEW)
def names():
    """Search-as-you-type for vendor name fields (static/app.js): at most 20
    names containing ?q=, instead of a page listing every vendor."""
    return jsonify(names=vendors.name_suggestions(get_session(), request.args.get("q", "")[:200]))


@bp.route("/new")
@require(Action.VENDOR_CREATE)
def new_vendor():
    form = VendorForm()
    form.set_owner_choices(accounts.active_users(get_session()))
    return render_page("vendors/form.html", form=form, vendor=None)


@bp.route("/", methods=["POST"])
@require(Action.VENDOR_CREATE)
def create_vendor():
    session = get_session()
    form = VendorForm()
    form.set_owner_choices(accounts.active_users(get_session()))
    if form.validate_on_submit():
        with committing(form) as outcome:
            vendor = vendors.create_vendor(session, form.values(), actor=current_user)
            outcome.success(f"Added {vendor.name}. Start onboarding when procurement begins.")
        if outcome.ok:
            return redirect(url_for("vendors.detail", vendor_id=vendor.id))
    return render_page("vendors/form.html", form=form, vendor=None), 400


@bp.route("/<int:vendor_id>")
@require(Action.VIEW)
def detail(vendor_id: int):
    return vendor_page(vendors.get_vendor(get_session(), vendor_id, vendors.PAGE_LOADS))


def vendor_page(vendor: Vendor, *, review_form: FlaskForm | None = None, upload_errors: list[str] | None = None,
                evidence_form: RequestForm | None = None, evidence_document_form: DocumentForm | None = None,
                status: int = 200):
    """The vendor page; `review_form` is a review form the user sent, shown
    again with their input (views_reviews, after a conflict); `upload_errors`
    are shown at the upload box, where the user is looking."""
    session = get_session()
    history = paginate(session, audit.events_query(vendor_id=vendor.id), request.args.get("page", 1, type=whole_number), 15)
    # Rows several sections show, read once: the usable reports make the
    # checklist's evidence, the review form's choices, the coverage and the
    # timeline; the documents list also offers the bridge letters to attach;
    # the evidence documents' table also says which lapse (the coverage).
    usable = vendors.usable_reports(session, vendor.id)
    documents = reports.vendor_documents(session, vendor)
    evidence_documents = evidence.vendor_documents(session, vendor.id, clock.today())
    return render_page(
        "vendors/detail.html",
        vendor=vendor,
        history=history,
        checklist=vendors.checklist(session, vendor, usable),
        blocking=vendors.blocking_checklist_items(session, vendor, usable),
        checklist_labels=vendors.CHECKLIST_LABELS,
        done_by_hand=vendors.DONE_BY_HAND,
        next_statuses=sorted(vendors.TRANSITIONS[vendor.status], key=list(LifecycleStatus).index),
        link_form=SubserviceLinkForm(),
        subservice_links=subservices.vendor_links(session, vendor.id),
        documents=documents,
        review_section=review_section(vendor, review_form, usable_reports=usable, documents=documents,
                                      evidence_documents=[document for document, _ in evidence_documents]),
        evidence=evidence_section(vendor, evidence_documents, evidence_form, evidence_document_form),
        upload_errors=upload_errors or [],
    ), status


@bp.route("/<int:vendor_id>/edit", methods=["GET", "POST"])
@require(Action.VENDOR_EDIT)
def edit(vendor_id: int):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    form = VendorForm(obj=vendor)
    form.set_owner_choices(accounts.active_users(get_session()))
    if not form.is_submitted():
        form.data_handled.data = [c.value for c in vendor.data_handled]
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        with committing(form) as outcome:
            changes = vendors.update_vendor(session, vendor, form.values(), actor=current_user, loaded=form.based_on())
            outcome.success(f"Saved {vendor.name}." if changes else "Nothing changed.", "success" if changes else "info")
        if outcome.ok:
            return redirect(url_for("vendors.detail", vendor_id=vendor.id))
        status = outcome.failed_status
    if status != 400:  # shown fresh, or after a conflict: the user's input stays, based on what they now see
        form.carry(concurrency.snapshot(vendor, VendorFields.names()))
    return render_page("vendors/form.html", form=form, vendor=vendor), status


@bp.route("/<int:vendor_id>/status", methods=["POST"])
@require(Action.VENDOR_EDIT)
def change_status(vendor_id: int):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    form = StatusForm()
    if not form.validate_on_submit():
        flash("Choose a lifecycle status.", "error")
        return redirect(url_for("vendors.detail", vendor_id=vendor.id)), 400
    with committing() as outcome:
        vendors.change_status(session, vendor, form.status.data, actor=current_user, today=clock.today())
        outcome.success(f"{vendor.name} is now {vendor.status.value}.")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id))


@bp.route("/<int:vendor_id>/intake", methods=["GET", "POST"])
@require(Action.VENDOR_EDIT)
def intake(vendor_id: int):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    form = IntakeForm(
        volume=vendor.intake_data_volume, criticality=vendor.intake_criticality,
        substitutability=vendor.intake_substitutability, override_reason=vendor.tier_override_reason,
        # A tier set by hand stays chosen; following the suggestion must be picked.
        tier=None if vendors.tier_follows_intake(vendor) else vendor.tier,
    )
    if not vendors.tier_follows_intake(vendor):
        keep_or_follow = choices([("", f"Use the suggested tier instead of {vendor.tier.value}")])
        form.tier.choices = [*keep_or_follow, *form.tier.choices[1:]]
    if form.validate_on_submit():
        with committing(form) as outcome:
            suggested = vendors.submit_intake(
                session, vendor, volume=form.volume.data, criticality=form.criticality.data,
                substitutability=form.substitutability.data, tier=form.tier.data,
                override_reason=form.override_reason.data, actor=current_user,
            )
            outcome.success(f"Intake saved. Suggested tier: {suggested.value}; tier: {vendor.tier.value}.")
        if outcome.ok:
            return redirect(url_for("vendors.detail", vendor_id=vendor.id))
    status = 400 if form.is_submitted() else 200
    return render_page("vendors/intake.html", form=form, vendor=vendor), status


@bp.route("/<int:vendor_id>/checklist/<kind>", methods=["POST"])
@require(Action.ONBOARDING_CHECKLIST)
def checklist_item(vendor_id: int, kind: str):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    try:
        item_kind = ChecklistItemKind(kind)
    except ValueError:
        abort(404)
    form = ChecklistForm()
    if not form.validate_on_submit():
        flash("Choose done, waived or open.", "error")
    else:
        with committing() as outcome:
            vendors.set_checklist_item(session, vendor, item_kind, form.state.data, actor=current_user,
                                       waiver_reason=form.waiver_reason.data)
            outcome.success(f"{vendors.CHECKLIST_LABELS[item_kind]}: {form.state.data.value}.")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id, _anchor="onboarding"))


@bp.route("/<int:vendor_id>/subservices", methods=["POST"])
@require(Action.SUBSERVICE_MANAGE)
def link_subservice(vendor_id: int):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    form = SubserviceLinkForm()
    if not form.validate_on_submit():
        flash("Enter the subservice organization's name.", "error")
    else:
        with committing() as outcome:
            link = subservices.link_vendor(
                session, vendor, form.organization.data, method=form.method.data or None,
                services=form.services.data, actor=current_user,
            )
            outcome.success(f"{vendor.name} relies on {link.organization.name}.")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id, _anchor="subservices"))


@bp.route("/<int:vendor_id>/subservices/<int:organization_id>/unlink", methods=["POST"])
@require(Action.SUBSERVICE_MANAGE)
def unlink_subservice(vendor_id: int, organization_id: int):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    with committing() as outcome:
        name = subservices.unlink_vendor(session, vendor, organization_id, actor=current_user)
        outcome.success(f"{vendor.name} no longer relies on {name}.")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id, _anchor="subservices"))



class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file.")])


MAX_IMPORT_BYTES = 5 * 1024 * 1024


@bp.route("/import", methods=["GET", "POST"])
@require(Action.VENDOR_IMPORT)
def import_csv():
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(form, 400 if form.is_submitted() else 200)
    data = form.file.data.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        form.file.errors.append(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split it.")
        return _import_page(form, 413)
    session = get_session()
    result = vendor_csv.run_import(session, data, actor=current_user, today=clock.today())
    session.rollback()  # a preview changes nothing
    if result.file_errors:
        # The file as a whole is unusable: say so at the file input, where the user is looking.
        form.file.errors.extend(result.file_errors)
        return _import_page(form, 422)
    token = import_previews().save(data)
    return render_page("vendors/import_preview.html", result=result, token=token,
                       filename=form.file.data.filename, confirm_form=FlaskForm())


def _import_page(form: ImportForm, status: int):
    return render_page("vendors/import.html", form=form, columns=vendor_csv.COLUMNS, clear=vendor_csv.CLEAR), status


@bp.route("/import/<token>", methods=["POST"])
@require(Action.VENDOR_IMPORT)
def confirm_import(token: str):
    previews = import_previews()
    if not previews.is_token(token):
        abort(404)
    data = previews.load(token)
    if data is None:
        flash("That upload is no longer waiting for confirmation; upload the file again.", "error")
        return redirect(url_for("vendors.import_csv"))
    session = get_session()
    result = vendor_csv.run_import(session, data, actor=current_user, today=clock.today())
    if not result.ok:
        session.rollback()
        flash("Nothing was imported: the file has errors (the inventory may have changed since the preview).", "error")
        return render_page("vendors/import_preview.html", result=result, token=token, filename="",
                               confirm_form=FlaskForm()), 400
    session.commit()
    previews.discard(token)
    flash(
        f"Imported: {result.count('create')} created, {result.count('update')} updated, "
        f"{result.count('unchanged')} unchanged.",
        "success",
    )
    return redirect(url_for("vendors.list_vendors"))


@bp.route("/export.csv")
@require(Action.VIEW)
def export_csv():
    query = vendors.vendor_query(**_vendor_filters(), today=clock.today())
    return documents.csv_download(lambda session: vendor_csv.export_lines(session, query),
                                  f"vendors-{clock.today().isoformat()}.csv")


class UploadForm(FlaskForm):
    files = MultipleFileField("PDF files")
    kind = EnumSelectField("Kind of document", enum_cls=DocumentKind, default=DocumentKind.SOC_REPORT)


# --- SOC reports and bridge letters, uploaded from the vendor page ------------------------

@bp.route("/<int:vendor_id>/documents", methods=["POST"])
@require(Action.REPORT_UPLOAD)
def upload(vendor_id: int):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    back = url_for("vendors.detail", vendor_id=vendor.id, _anchor="reports")
    form = UploadForm()
    files = [f for f in (form.files.data or []) if getattr(f, "filename", "")]
    if not form.validate_on_submit() or not files:
        return vendor_page(vendor, upload_errors=["Choose one or more PDF files to upload."], status=400)
    store = get_store()
    created, repeated, queued, errors = [], [], [], []
    for file in files:
        try:
            stored = store.save_pdf(file.stream, max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
            result = reports.record_upload(session, vendor, stored, filename=file.filename, kind=form.kind.data,
                                           actor=current_user, email=mail_enabled(current_app))
        except ServiceError as error:
            errors.append(f"{file.filename}: {error.message}")
            continue
        (created if result.created else repeated).append(result)
        if result.created and result.report is not None:
            queued.append(result.report)
    session.commit()
    for report in queued:
        jobs.enqueue(report.id)
    if created:
        names = ", ".join(r.document.filename for r in created)
        flash(f"Uploaded {names}." + (" Reading the report now." if queued else ""), "success")
    for result in repeated:
        flash(f"{result.document.filename} was already uploaded for {vendor.name} "
              f"({result.document.uploaded_at:%Y-%m-%d}); it was not stored again.", "info")
    if errors:
        return vendor_page(vendor, upload_errors=errors, status=422)
    single = (created or repeated)[0] if len(created) + len(repeated) == 1 else None
    if single is not None and single.report is not None:
        return redirect(url_for("reports.detail", report_id=single.report.id))
    return redirect(back)


# --- The vendor review packet ---------------------------------------------------------------

@bp.route("/<int:vendor_id>/packet")
@require(Action.VIEW)
def packet(vendor_id: int):
    return documents.render_packet(vendor_id, pdf=False, generated_by=current_user)
