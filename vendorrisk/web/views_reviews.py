"""Reviews pages: the compliance dashboard, the review register (and its CSV
export), the review cycle and schedule on the vendor page, bridge letters,
the review policy, and the per-user iCalendar feed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from models import (
    BridgeLetter,
    Document,
    DocumentKind,
    EvidenceDocument,
    LifecycleStatus,
    Report,
    Review,
    ReviewOutcome,
    Tier,
    User,
    Vendor,
)
from vendorrisk.web.auth import require, user_can
from vendorrisk.infra.db import get_session, paginate
from vendorrisk.web.forms import ConclusionForm, EnumSelectField, ReopenForm, SelectField, VersionedForm, choices
from vendorrisk.web.pages import committing, render_page, whole_number
from vendorrisk.services.permissions import Action
from vendorrisk.infra import clock, documents
from vendorrisk.services import accounts, calendar, concurrency, coverage, evidence, reviews, signoff, subservices, vendors
from vendorrisk.services.schedule import (
    BRIDGE_AFTER_MONTHS, STALE_AFTER_MONTHS, CoverageState, DueDate, DueStatus, cadence_for, due_status,
)

bp = Blueprint("reviews", __name__)


# --- Forms ----------------------------------------------------------------------------

class CompleteForm(ConclusionForm):
    outcome = EnumSelectField("Outcome", enum_cls=ReviewOutcome, default=ReviewOutcome.APPROVED)
    report_id = SelectField("SOC report reviewed", coerce=lambda v: int(v) if v else None, validators=[Optional()])

    def set_reports(self, reports: list[Report]) -> None:
        self.report_id.choices = choices(
            [("", "— none —")] + [(r.id, f"{coverage.report_label(r)} · period end {r.period_end}") for r in reports]
        )


class WaiveForm(FlaskForm):
    waiver_reason = TextAreaField("Reason for waiving", validators=[DataRequired("Say why the review is waived."),
                                                                   Length(max=5000)])


class OwnerForm(VersionedForm):
    owner_id = SelectField("Owner", coerce=lambda v: int(v) if v else None, validators=[Optional()])

    def set_people(self, people: list[User]) -> None:
        self.owner_id.choices = choices([("", "— nobody —")] + [(u.id, u.display_name) for u in people])


class VendorScheduleForm(FlaskForm):
    cadence_months = IntegerField("Months between reviews", validators=[Optional(), NumberRange(1, 120)],
                                  description="Leave empty to use the tier's cadence.")
    due_override = DateField("Next review due on", validators=[Optional()],
                             description="Leave empty to derive it from the last review and the SOC report.")
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=2000)],
                           description="Required with either override; the auditor will read it.")


class PolicyForm(FlaskForm):
    critical_months = IntegerField("Critical", validators=[InputRequired(), NumberRange(1, 120)])
    high_months = IntegerField("High", validators=[InputRequired(), NumberRange(1, 120)])
    medium_months = IntegerField("Medium", validators=[InputRequired(), NumberRange(1, 120)])
    low_months = IntegerField("Low", validators=[InputRequired(), NumberRange(1, 120)])
    issuance_lag_days = IntegerField("Expected issuance lag (days)", validators=[InputRequired(), NumberRange(0, 365)],
                                     description="Days after period end + 12 months until the next SOC report is "
                                                 "usually in hand (6 weeks = 42).")


class BridgeRequestForm(FlaskForm):
    requested_on = DateField("Requested on", validators=[DataRequired("Enter the date of the request.")])
    notes = StringField("Notes", validators=[Optional(), Length(max=2000)])


class BridgeReceiveForm(FlaskForm):
    received_on = DateField("Received on", validators=[DataRequired("Enter the date it arrived.")])
    covered_through = DateField("Covers through", validators=[DataRequired("Enter the date the letter vouches up to.")])
    document_id = SelectField("Uploaded letter", coerce=lambda v: int(v) if v else None, validators=[Optional()])

    def set_documents(self, documents) -> None:
        self.document_id.choices = choices([("", "— not uploaded —")] + [(d.id, d.filename) for d in documents])


class InventoryLinkForm(FlaskForm):
    vendor_name = StringField("Inventory vendor", validators=[Optional(), Length(max=200)])



def _back_to_vendor(vendor_id: int, anchor: str = "reviews"):
    return redirect(url_for("vendors.detail", vendor_id=vendor_id, _anchor=anchor))


def _flash_form_errors(form: FlaskForm, fallback: str) -> None:
    messages = [m for name, errors in form.errors.items() if name != "csrf_token" for m in errors]
    flash(" ".join(messages) or fallback, "error")


# --- The vendor page's section -----------------------------------------------------------

@dataclass
class VendorReviewSection:
    today: date
    next_due: DueDate
    due: DueStatus | None
    cadence_months: int
    open_review: Review | None
    history: list[Review]
    coverage: coverage.Coverage
    bridge_letters: list[BridgeLetter]
    carve_outs: list[coverage.SubserviceCoverage] | None
    timeline: reviews.Timeline | None
    in_scope: bool
    complete_form: CompleteForm
    guardrails: list[signoff.Finding]  # for the current report (the form's default), or "no report"; shown when concluding
    conditions: list  # ReviewCondition, open first
    reopenings: list  # Reopening, newest first
    waive_form: WaiveForm
    owner_form: OwnerForm
    bridge_request_form: BridgeRequestForm
    bridge_receive_form: BridgeReceiveForm
    bridge_after_months: int = BRIDGE_AFTER_MONTHS
    stale_after_months: int = STALE_AFTER_MONTHS


def review_section(vendor: Vendor, submitted: VersionedForm | None = None, *, usable_reports: list[Report],
                   documents: list[Document], evidence_documents: list[EvidenceDocument]) -> VendorReviewSection:
    """Everything reviews/_vendor_section.html shows; the vendor page's view
    hands it to the template. `submitted` is a review form shown again with
    the user's input after a conflict. The vendor's usable reports
    (vendors.usable_reports), documents and evidence documents are those the
    rest of the page lists: the coverage, the forms and the timeline are
    made from them rather than from reading them again."""
    session = get_session()
    day = clock.today()
    policy = reviews.load_policy(session)
    all_reviews = reviews.vendor_reviews(session, vendor.id)  # due date descending
    open_review = next((r for r in reversed(all_reviews) if r.is_open), None)  # reviews.open_review: the one due first
    next_due = (
        DueDate(open_review.due_date, open_review.due_reason or "scheduled") if open_review
        else reviews.derive_due(session, vendor, day, policy=policy)
    )
    letters = coverage.bridge_letters(session, vendor.id)
    assurance = coverage.coverage_from(usable_reports, letters, evidence_documents, day)
    # The owner and completion forms, with the people to choose from and the
    # guardrails to list, show only on an open review to those who manage reviews.
    concluding = open_review is not None and user_can(Action.REVIEW_MANAGE)
    complete_form = CompleteForm(formdata=None, report_id=assurance.report.id if assurance.report else None)
    complete_form.set_reports(usable_reports)
    people = accounts.active_users(get_session()) if concluding else []
    complete_form.set_people(people)
    owner_form = submitted if isinstance(submitted, OwnerForm) else OwnerForm(
        formdata=None, owner_id=open_review.owner_id if open_review else None)
    owner_form.set_people(people)
    if open_review is not None:
        owner_form.carry(concurrency.snapshot(open_review, reviews.REVIEW_FIELDS))
    receive_form = BridgeReceiveForm(formdata=None, received_on=day)
    receive_form.set_documents(d for d in documents if d.kind == DocumentKind.BRIDGE_LETTER)  # newest first
    carve_outs = coverage.subservice_coverage(session, vendor, day) if coverage.carve_outs_need_checking(vendor) else None
    return VendorReviewSection(
        today=day,
        next_due=next_due,
        due=due_status(next_due.due, day, is_open=open_review is not None),
        cadence_months=cadence_for(vendor.tier, policy, vendor.review_cadence_months),
        open_review=open_review,
        history=[r for r in all_reviews if not r.is_open],
        coverage=assurance,
        bridge_letters=letters,
        carve_outs=carve_outs,
        timeline=reviews.timeline(usable_reports, letters, all_reviews, day),
        in_scope=vendor.status in coverage.IN_SCOPE_STATUSES,
        complete_form=complete_form,
        guardrails=signoff.guardrails(session, assurance.report, day) if concluding else [],
        conditions=list(session.scalars(signoff.conditions_query(vendor_id=vendor.id))),
        reopenings=signoff.reopenings(session, vendor.id),
        waive_form=WaiveForm(formdata=None),
        owner_form=owner_form,
        bridge_request_form=BridgeRequestForm(formdata=None, requested_on=day),
        bridge_receive_form=receive_form,
    )


# --- Dashboard and register --------------------------------------------------------------

@bp.route("/dashboard")
@require(Action.VIEW)
def dashboard():
    session = get_session()
    day = clock.today()
    from vendorrisk.infra import scheduler

    return render_page(
        "reviews/dashboard.html",
        figures=reviews.dashboard_figures(session, day),
        coverage_counts=coverage.coverage_counts(session, day),
        carve_out_counts=coverage.carve_out_counts(session, day),
        overdue_conditions=signoff.overdue_condition_count(session, day),
        evidence_counts=coverage.evidence_counts(session, day),
        open_evidence_requests=evidence.open_request_count(session),
        next_sweep=scheduler.next_run(current_app),
        Tier=Tier, LifecycleStatus=LifecycleStatus, CoverageState=CoverageState,
        month_name=day.strftime("%B"), quarter=(day.month - 1) // 3 + 1,
        bridge_after_months=BRIDGE_AFTER_MONTHS, stale_after_months=STALE_AFTER_MONTHS,
    )


@bp.route("/reviews/carve-outs")
@require(Action.VIEW)
def carve_outs():
    """The list behind the dashboard's carve-out chart."""
    states = [CoverageState(v) for v in request.args.getlist("state") if v in {s.value for s in CoverageState}]
    page = paginate(get_session(), coverage.carve_out_query(clock.today(), states), request.args.get("page", 1, type=whole_number),
                    current_app.config["PER_PAGE"])
    return render_page("reviews/carve_outs.html", page=page, states=states, CoverageState=CoverageState)


def _register_filters() -> reviews.RegisterFilters:
    args = request.args
    status = args.get("status", "open")
    due = args.get("due", "")
    return reviews.RegisterFilters(
        status=status if status in reviews.RegisterFilters.STATUSES else "open",
        due=due if due in reviews.RegisterFilters.DUES else "",
        completed="this_quarter" if args.get("completed") == "this_quarter" else "",
        tiers=[Tier(v) for v in args.getlist("tier") if v in {t.value for t in Tier}],
        owner_id=args.get("owner", type=whole_number),
        q=args.get("q", "").strip()[:200],
    )


@bp.route("/reviews/")
@require(Action.VIEW)
def register():
    session = get_session()
    filters = _register_filters()
    if filters.completed:
        filters.status = "completed"
    today = clock.today()
    page = paginate(session, reviews.register_query(filters, today), request.args.get("page", 1, type=whole_number),
                    current_app.config["PER_PAGE"])
    due = {review.id: due_status(review.due_date, today, is_open=True) if review.is_open else None
           for review in page.items}
    return render_page("reviews/register.html", page=page, filters=filters, people=accounts.active_users(session),
                       Tier=Tier, due=due)


@bp.route("/reviews/export.csv")
@require(Action.VIEW)
def export_csv():
    filters = _register_filters()
    if filters.completed:
        filters.status = "completed"
    query = reviews.register_query(filters, clock.today())
    return documents.csv_download(lambda session: reviews.export_lines(session, query),
                                  f"review-register-{clock.today().isoformat()}.csv")


# --- Review cycle ----------------------------------------------------------------------------

def _apply(service_call, success, vendor_id: int, form: FlaskForm | None = None):
    """Run a service call, commit, flash `success` (or success(result)), back to
    the vendor. When the review changed under a `form` (409), the vendor page
    answers at once with what changed, and the form keeps the user's input if
    the review can still take it."""
    # The one-open-review index catches a race (the sweep, or a colleague).
    with committing(race_message="This vendor's reviews changed at the same moment elsewhere. "
                                 "Reload the page and try again.") as outcome:
        result = service_call(get_session())
        outcome.success(success(result) if callable(success) else success)
    if form is not None and outcome.error is not None and outcome.error.status == 409:
        from vendorrisk.web.views_vendors import vendor_page  # that module shows this one's section

        kept = form if outcome.failed_status == 409 else None
        return vendor_page(vendors.get_vendor(get_session(), vendor_id), review_form=kept, status=409)
    return _back_to_vendor(vendor_id)


@bp.route("/reviews/vendors/<int:vendor_id>/schedule", methods=["POST"])
@require(Action.REVIEW_MANAGE)
def schedule(vendor_id: int):
    vendor = vendors.get_vendor(get_session(), vendor_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    return _apply(lambda s: reviews.ensure_open_review(s, vendor, clock.today(), actor=current_user),
                  f"A review of {vendor.name} is scheduled.", vendor.id)


@bp.route("/reviews/<int:review_id>/start", methods=["POST"])
@require(Action.REVIEW_MANAGE)
def start(review_id: int):
    review = reviews.get_review(get_session(), review_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    return _apply(lambda s: reviews.start_review(s, review, actor=current_user),
                  f"Review of {review.vendor.name} is in progress.", review.vendor_id)


@bp.route("/reviews/<int:review_id>/complete", methods=["POST"])
@require(Action.REVIEW_MANAGE)
def complete(review_id: int):
    review = reviews.get_review(get_session(), review_id)
    form = CompleteForm()
    form.set_reports(vendors.usable_reports(get_session(), review.vendor_id))
    form.set_people(accounts.active_users(get_session()))
    if not form.validate_on_submit():
        _flash_form_errors(form, "Choose the review's outcome.")
        return _back_to_vendor(review.vendor_id)
    report = get_session().get(Report, form.report_id.data) if form.report_id.data else None

    name = review.vendor.name
    return _apply(
        lambda session: signoff.complete_review(session, review, outcome=form.outcome.data, comment=form.comment.data,
                                                actor=current_user, report=report, today=clock.today(),
                                                conditions=form.condition_inputs()),
        lambda following: f"Review of {name} completed. The next one is due {following.due_date.isoformat()}.",
        review.vendor_id, form,
    )


@bp.route("/reviews/<int:review_id>/reopen", methods=["POST"])
@require(Action.CONCLUSION_REOPEN)
def reopen(review_id: int):
    review = reviews.get_review(get_session(), review_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        _flash_form_errors(form, "The form has expired; reload the page and try again.")
        return _back_to_vendor(review.vendor_id)
    return _apply(lambda s: signoff.reopen_review(s, review, reason=form.reason.data, actor=current_user),
                  f"Review of {review.vendor.name} reopened; it is in progress again.", review.vendor_id)


@bp.route("/reviews/conditions")
@require(Action.VIEW)
def conditions():
    """Conditions of approvals: one's own by default (?owner=all for everyone's), overdue ones with ?overdue=1."""
    today = clock.today()
    mine = request.args.get("owner") != "all"
    overdue = request.args.get("overdue") == "1"
    query = signoff.conditions_query(owner_id=current_user.id if mine else None, open_only=True,
                                     overdue_on=today if overdue else None)
    page = paginate(get_session(), query, request.args.get("page", 1, type=whole_number), current_app.config["PER_PAGE"])
    return render_page("reviews/conditions.html", page=page, mine=mine, overdue=overdue, today=today)


@bp.route("/reviews/conditions/<int:condition_id>/done", methods=["POST"])
@require(Action.CONDITION_CLOSE)
def condition_done(condition_id: int):
    condition = signoff.get_condition(get_session(), condition_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    with committing() as outcome:
        signoff.complete_condition(get_session(), condition, actor=current_user)
        outcome.success("Condition marked as met.")
    target = request.form.get("next")
    if target == "conditions":
        return redirect(url_for("reviews.conditions"))
    return _back_to_vendor(condition.vendor_id, "conditions")


@bp.route("/reviews/<int:review_id>/waive", methods=["POST"])
@require(Action.REVIEW_MANAGE)
def waive(review_id: int):
    review = reviews.get_review(get_session(), review_id)
    form = WaiveForm()
    if not form.validate_on_submit():
        _flash_form_errors(form, "Say why the review is waived.")
        return _back_to_vendor(review.vendor_id)
    return _apply(lambda s: reviews.waive_review(s, review, reason=form.waiver_reason.data, actor=current_user,
                                                 today=clock.today()),
                  f"Review of {review.vendor.name} waived; the next one is scheduled.", review.vendor_id, form)


@bp.route("/reviews/<int:review_id>/owner", methods=["POST"])
@require(Action.REVIEW_MANAGE)
def assign(review_id: int):
    review = reviews.get_review(get_session(), review_id)
    form = OwnerForm()
    form.set_people(accounts.active_users(get_session()))
    if not form.validate_on_submit():
        _flash_form_errors(form, "Choose an owner.")
        return _back_to_vendor(review.vendor_id)
    return _apply(lambda s: reviews.assign_owner(s, review, form.owner_id.data, actor=current_user,
                                                 loaded=form.based_on()),
                  "Owner saved.", review.vendor_id, form)


@bp.route("/reviews/vendors/<int:vendor_id>/schedule-settings", methods=["GET", "POST"])
@require(Action.REVIEW_MANAGE)
def vendor_schedule(vendor_id: int):
    session = get_session()
    vendor = vendors.get_vendor(get_session(), vendor_id)
    form = VendorScheduleForm(cadence_months=vendor.review_cadence_months, due_override=vendor.review_due_override,
                              reason=vendor.review_override_reason)
    if form.validate_on_submit():
        with committing(form) as outcome:
            changes = reviews.set_vendor_schedule(
                session, vendor, cadence_months=form.cadence_months.data, due_override=form.due_override.data,
                reason=form.reason.data, actor=current_user, today=clock.today(),
            )
            outcome.success("Review schedule saved." if changes else "Nothing changed.", "success" if changes else "info")
        if outcome.ok:
            return _back_to_vendor(vendor.id)
    policy = reviews.load_policy(session)
    status = 400 if form.is_submitted() else 200
    return render_page("reviews/vendor_schedule.html", form=form, vendor=vendor,
                           tier_months=policy.cadence_months[vendor.tier]), status


@bp.route("/reviews/policy", methods=["GET", "POST"])
@require(Action.REVIEW_MANAGE)
def policy():
    session = get_session()
    current = reviews.load_policy(session)
    form = PolicyForm(data={f"{tier.value}_months": current.cadence_months[tier] for tier in Tier}
                      | {"issuance_lag_days": current.issuance_lag_days})
    if form.validate_on_submit():
        with committing() as outcome:
            changes = reviews.update_policy(
                session, cadence_months={tier: getattr(form, f"{tier.value}_months").data for tier in Tier},
                issuance_lag_days=form.issuance_lag_days.data, actor=current_user, today=clock.today(),
            )
            outcome.success("Review policy saved; open reviews were rescheduled by it." if changes else "Nothing changed.",
                            "success" if changes else "info")
        if outcome.ok:
            return redirect(url_for("reviews.policy"))
    status = 400 if form.is_submitted() else 200
    return render_page("reviews/policy.html", form=form, defaults=reviews.DEFAULT_CADENCE_MONTHS, Tier=Tier), status


# --- Bridge letters ---------------------------------------------------------------------------

@bp.route("/reviews/vendors/<int:vendor_id>/bridge-letters", methods=["POST"])
@require(Action.REVIEW_MANAGE)
def request_bridge_letter(vendor_id: int):
    vendor = vendors.get_vendor(get_session(), vendor_id)
    form = BridgeRequestForm()
    if not form.validate_on_submit():
        _flash_form_errors(form, "Enter the date of the request.")
        return _back_to_vendor(vendor.id, "coverage")
    if form.requested_on.data > clock.today():
        flash("The request date cannot be in the future.", "error")
        return _back_to_vendor(vendor.id, "coverage")
    session = get_session()
    with committing() as outcome:
        coverage.request_bridge_letter(session, vendor, requested_on=form.requested_on.data, notes=form.notes.data,
                                       actor=current_user)
        outcome.success(f"Bridge letter request to {vendor.name} recorded.")
    return _back_to_vendor(vendor.id, "coverage")


@bp.route("/reviews/vendors/<int:vendor_id>/bridge-letters/<int:letter_id>/receive", methods=["POST"])
@require(Action.REVIEW_MANAGE)
def receive_bridge_letter(vendor_id: int, letter_id: int):
    session = get_session()
    vendor = vendors.get_vendor(get_session(), vendor_id)
    letter = coverage.get_bridge_letter(get_session(), vendor, letter_id)
    form = BridgeReceiveForm()
    form.set_documents(coverage.bridge_letter_documents(session, vendor.id))
    if not form.validate_on_submit():
        _flash_form_errors(form, "Enter when the letter arrived and the date it covers through.")
        return _back_to_vendor(vendor.id, "coverage")
    with committing() as outcome:
        coverage.receive_bridge_letter(session, vendor, letter, received_on=form.received_on.data,
                                       covered_through=form.covered_through.data, document_id=form.document_id.data,
                                       actor=current_user, today=clock.today())
        outcome.success(f"Bridge letter received; {vendor.name} is covered through {letter.covered_through.isoformat()}.")
    return _back_to_vendor(vendor.id, "coverage")


@bp.route("/reviews/vendors/<int:vendor_id>/bridge-letters/<int:letter_id>/delete", methods=["POST"])
@require(Action.REVIEW_MANAGE)
def delete_bridge_letter(vendor_id: int, letter_id: int):
    session = get_session()
    vendor = vendors.get_vendor(get_session(), vendor_id)
    letter = coverage.get_bridge_letter(get_session(), vendor, letter_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    coverage.delete_bridge_letter(session, vendor, letter, actor=current_user)
    session.commit()
    flash("Bridge letter record deleted.", "success")
    return _back_to_vendor(vendor.id, "coverage")


@bp.route("/reviews/vendors/<int:vendor_id>/subservices/<int:organization_id>/inventory-vendor", methods=["POST"])
@require(Action.SUBSERVICE_MANAGE)
def link_inventory_vendor(vendor_id: int, organization_id: int):
    session = get_session()
    vendor = vendors.get_vendor(get_session(), vendor_id)
    organization = subservices.get_organization(session, organization_id)
    form = InventoryLinkForm()
    if not form.validate_on_submit():
        _flash_form_errors(form, "Enter the inventory vendor's name.")
        return _back_to_vendor(vendor.id, "coverage")
    with committing() as outcome:
        linked = coverage.link_inventory_vendor(session, organization, form.vendor_name.data, actor=current_user)
        outcome.success(f"{organization.name} is now the inventory vendor {linked.name}; its reports count for coverage."
                        if linked else f"{organization.name} is no longer tied to an inventory vendor.")
    return _back_to_vendor(vendor.id, "coverage")


# --- Calendar feed ------------------------------------------------------------------------------

@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str):
    """Public (see auth.PUBLIC_ENDPOINTS): the token is the credential."""
    session = get_session()
    feed = calendar.find_feed(session, token)
    if feed is None:
        abort(404)
    from models.base import utcnow

    feed.last_used_at = utcnow()
    items = calendar.feed_reviews(session, feed)
    session.commit()
    base_url = current_app.config.get("BASE_URL") or request.host_url
    body = calendar.render_ics(items, calendar_name="VendorRisk reviews", base_url=base_url,
                               domain=request.host.split(":")[0] or "vendorrisk")
    return Response(body, mimetype="text/calendar")
