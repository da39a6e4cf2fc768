"""Evidence requests on the vendor page: ask the vendor's contact for
documents through an e-mailed link, and withdraw a request."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from models import EvidenceDocument, EvidenceKind, EvidenceRequest, Vendor
from vendorrisk.infra import clock
from vendorrisk.infra.db import get_session
from vendorrisk.infra.documents import stored_pdf
from vendorrisk.infra.mailer import send_to_vendors
from vendorrisk.infra.storage import get_store
from vendorrisk.services import evidence, vendors
from vendorrisk.services.coverage import EvidenceState
from vendorrisk.services.errors import ServiceError
from vendorrisk.services.permissions import Action
from vendorrisk.web.auth import require
from vendorrisk.web.forms import SelectField, choices
from vendorrisk.web.pages import committing

bp = Blueprint("evidence", __name__, url_prefix="/vendors")

DEFAULT_DUE_DAYS = 14


class RequestForm(FlaskForm):
    kinds = SelectMultipleField("Documents to ask for", choices=choices((k.value, k.label) for k in EvidenceKind),
                                widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    # No DataRequired on the checkboxes: the browser would then require every one of them;
    # evidence.parse_kinds says "choose at least one" instead.
    due_date = DateField("Due date", validators=[DataRequired(message="Choose the day the documents are due.")])
    recipient_email = EmailField("Send to", validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
                                 description="Leave empty for the vendor's contact e-mail.")
    message = TextAreaField("Message", validators=[Optional(), Length(max=evidence.MAX_MESSAGE_LENGTH)])


class DocumentFields(FlaskForm):
    issued_on = DateField("Issued on", validators=[Optional()])
    expires_on = DateField("Valid until", validators=[Optional()])
    scope = TextAreaField("Scope", validators=[Optional(), Length(max=5000)],
                          description="What it covers: the certificate's scope, the policy's limits ...")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])


class DocumentForm(DocumentFields):
    file = FileField("PDF file")
    kind = SelectField("Kind", choices=choices((k.value, k.label) for k in evidence.OTHER_KINDS))


@dataclass
class EvidenceSection:
    """Everything evidence/_vendor_section.html shows on the vendor page."""

    requests: list[EvidenceRequest]
    documents: list[tuple[EvidenceDocument, EvidenceState | None]]
    form: RequestForm
    document_form: DocumentForm


def evidence_section(vendor: Vendor, documents: list[tuple[EvidenceDocument, EvidenceState | None]],
                     submitted: RequestForm | None = None, document_form: DocumentForm | None = None) -> EvidenceSection:
    """`documents`: evidence.vendor_documents, which the vendor page reads
    once for this table and the coverage."""
    form = submitted or RequestForm(formdata=None, kinds=[EvidenceKind.SOC_REPORT.value],
                                    due_date=clock.today() + timedelta(days=DEFAULT_DUE_DAYS))
    return EvidenceSection(requests=evidence.vendor_requests(get_session(), vendor), documents=documents, form=form,
                           document_form=document_form or DocumentForm(formdata=None))


@bp.route("/<int:vendor_id>/requests", methods=["POST"])
@require(Action.EVIDENCE_REQUEST)
def create(vendor_id: int):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    form = RequestForm()
    if form.validate_on_submit():
        with committing(form) as outcome:
            opened, mail = evidence.create_request(
                session, vendor, kinds=evidence.parse_kinds(form.kinds.data), due_date=form.due_date.data,
                message=form.message.data, recipient_email=form.recipient_email.data, actor=current_user,
                today=clock.today(), link_days=current_app.config["EVIDENCE_LINK_DAYS"],
            )
        if outcome.ok:
            _send(session, [mail], opened.recipient_email)
            return redirect(url_for("vendors.detail", vendor_id=vendor.id, _anchor="evidence"))
    from vendorrisk.web.views_vendors import vendor_page  # that module shows this one's section

    return vendor_page(vendor, evidence_form=form, status=400)


def _send(session, outgoing: list[evidence.Outgoing], recipient: str) -> None:
    """E-mail the link after the commit and say what happened; without a
    mail server the requester gets the link once, to pass on themselves."""
    states = send_to_vendors(current_app, outgoing, base_url=request.host_url)
    for mail in outgoing:
        state = states[mail.request_id]
        evidence.record_email_state(session, mail.request_id, state)
        if state == "sent":
            flash(f"Request e-mailed to {recipient}.", "success")
        else:
            flash(f"The request is saved but no e-mail went out ({state.replace('_', ' ')}). Send {recipient} "
                  f"this link yourself; it is shown only now: {mail.text(request.host_url)}", "warning")
    session.commit()


@bp.route("/<int:vendor_id>/requests/<int:request_id>/cancel", methods=["POST"])
@require(Action.EVIDENCE_REQUEST)
def cancel(vendor_id: int, request_id: int):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    with committing() as outcome:
        withdrawn = evidence.cancel_request(session, evidence.get_request(session, vendor, request_id),
                                            actor=current_user)
        outcome.success("Request withdrawn; its links no longer work." if withdrawn else "The request was already closed.",
                        "success" if withdrawn else "info")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id, _anchor="evidence"))


# --- Evidence other than SOC reports, with its validity -------------------------------------

@bp.route("/<int:vendor_id>/evidence", methods=["POST"])
@require(Action.EVIDENCE_RECORD)
def add_document(vendor_id: int):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    form = DocumentForm()
    file = form.file.data
    if form.validate_on_submit() and getattr(file, "filename", ""):
        try:
            stored = get_store().save_pdf(file.stream, max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
        except ServiceError as error:
            form.file.errors = [error.message]
        else:
            with committing(form) as outcome:
                document, created = evidence.record_document(
                    session, vendor, stored, kind=EvidenceKind(form.kind.data), filename=file.filename,
                    issued_on=form.issued_on.data, expires_on=form.expires_on.data, scope=form.scope.data,
                    notes=form.notes.data, actor=current_user)
                if created:
                    outcome.success(f"Added {document.filename}.")
                else:
                    outcome.success(f"This file is already recorded for {vendor.name} as {document.filename}; "
                                    "nothing was added. Edit its dates below.", "info")
            if outcome.ok:
                return redirect(url_for("vendors.detail", vendor_id=vendor.id, _anchor="evidence"))
    elif form.is_submitted() and not form.errors:
        form.file.errors = ["Choose a PDF file to upload."]
    from vendorrisk.web.views_vendors import vendor_page

    return vendor_page(vendor, evidence_document_form=form, status=400)


@bp.route("/<int:vendor_id>/evidence/<int:document_id>", methods=["POST"])
@require(Action.EVIDENCE_RECORD)
def edit_document(vendor_id: int, document_id: int):
    session = get_session()
    vendor = vendors.get_vendor(session, vendor_id)
    form = DocumentFields()
    if not form.validate_on_submit():
        flash("Enter dates as YYYY-MM-DD and keep texts under 5,000 characters.", "error")
        return redirect(url_for("vendors.detail", vendor_id=vendor.id, _anchor="evidence")), 400
    with committing() as outcome:
        changes = evidence.update_document(session, evidence.get_document(session, vendor, document_id),
                                           {name: getattr(form, name).data for name in evidence.DOCUMENT_FIELDS},
                                           actor=current_user)
        outcome.success("Saved." if changes else "Nothing changed.", "success" if changes else "info")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id, _anchor="evidence"))


@bp.route("/<int:vendor_id>/evidence/<int:document_id>/file")
@require(Action.VIEW)
def document_file(vendor_id: int, document_id: int):
    session = get_session()
    document = evidence.get_document(session, vendors.get_vendor(session, vendor_id), document_id)
    return stored_pdf(document.sha256, document.filename)
