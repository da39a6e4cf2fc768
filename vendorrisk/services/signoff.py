"""Concluding a vendor's review, with guardrails: a report sign-off or a review
completion (approve, approve with conditions, reject), the conditions that
become follow-ups, and reopening a conclusion.

A guardrail is a fact about the evidence that an auditor would question an
unexplained approval over (a modified opinion, exceptions still in triage,
unassessed CUECs, a stale report, no report at all). Any guardrail makes the
rationale required; the guardrails that applied are stored with the
conclusion so the packet can show why it was given.

A stale report (services.schedule.coverage_state) can still conclude a cycle,
with a rationale, but not as if it were current: the review records the
"stale_report" guardrail and the next review is due at once, for the report
that should replace it.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from models import (
    ConditionStatus,
    ItemKind,
    JobStatus,
    Reopening,
    Report,
    ReportItem,
    Review,
    ReviewCondition,
    ReviewOutcome,
    ReviewStatus,
    User,
    Vendor,
)
from models.base import utcnow
from vendorrisk.services import audit, reports, reviews
from vendorrisk.services.errors import Conflict, NotFound, ValidationError
from vendorrisk.services.schedule import CoverageState, coverage_state

MAX_CONDITION_LENGTH = 2000


class Guardrail(enum.StrEnum):
    MODIFIED_OPINION = "modified_opinion"
    UNTRIAGED_EXCEPTIONS = "untriaged_exceptions"
    UNASSESSED_CUECS = "unassessed_cuecs"
    STALE_REPORT = "stale_report"
    NO_REPORT = "no_report"

    @property
    def label(self) -> str:
        return {"modified_opinion": "Modified opinion", "untriaged_exceptions": "Exceptions not triaged",
                "unassessed_cuecs": "CUECs not assessed", "stale_report": "Stale report",
                "no_report": "No SOC report"}[self.value]


@dataclass(frozen=True)
class Finding:
    guardrail: Guardrail
    detail: str  # in words, with the numbers: "2 of 3 exceptions are new or in review"


@dataclass(frozen=True)
class ConditionInput:
    text: str | None
    owner_id: int | None
    due_date: date | None


def open_item_counts(session: Session, report: Report) -> tuple[int, int, int]:
    """(exceptions still new or in review, CUECs without a status, CUECs) of
    the report, ignoring dismissed and vanished items; one query."""
    untriaged, unassessed, cuecs = session.execute(
        select(func.count().filter(ReportItem.kind == ItemKind.EXCEPTION,
                                   ReportItem.triage_status.in_(reports.OPEN_TRIAGE)),
               func.count().filter(ReportItem.kind == ItemKind.CUEC, ReportItem.cuec_status.is_(None)),
               func.count().filter(ReportItem.kind == ItemKind.CUEC))
        .where(ReportItem.report_id == report.id, ReportItem.kind.in_((ItemKind.EXCEPTION, ItemKind.CUEC)),
               ReportItem.not_an_item.is_(False), ReportItem.found.is_(True))
    ).one()
    return untriaged or 0, unassessed or 0, cuecs or 0


def guardrails(session: Session, report: Report | None, today: date) -> list[Finding]:
    """What about this evidence requires a rationale for any conclusion."""
    if report is None:
        return [Finding(Guardrail.NO_REPORT, "No SOC report was reviewed.")]
    findings = []
    if report.modified_opinion:
        findings.append(Finding(Guardrail.MODIFIED_OPINION, f"The auditor's opinion is {report.opinion}."))
    untriaged, unassessed, cuecs = open_item_counts(session, report)
    if untriaged:
        findings.append(Finding(Guardrail.UNTRIAGED_EXCEPTIONS,
                                f"{untriaged} exception{'s are' if untriaged != 1 else ' is'} still new or in review."))
    if unassessed:
        findings.append(Finding(Guardrail.UNASSESSED_CUECS, f"{unassessed} of {cuecs} CUECs have no status yet."))
    if coverage_state(report.period_end, None, today) == CoverageState.STALE:
        findings.append(Finding(Guardrail.STALE_REPORT,
                                f"The report's period ended {report.period_end.isoformat()}: past the coverage rules, "
                                "the next review is due at once."))
    return findings


def _check_conclusion(findings: list[Finding], outcome: ReviewOutcome, rationale: str | None,
                      conditions: list[ConditionInput]) -> tuple[str | None, list[ConditionInput]]:
    rationale = (rationale or "").strip() or None
    if findings and not rationale:
        raise ValidationError("A rationale is required: " + " ".join(f.detail for f in findings), field="comment")
    if outcome != ReviewOutcome.APPROVED and not rationale:
        raise ValidationError("Explain the conditions or the reason for rejecting in the rationale.", field="comment")
    given = [c for c in conditions if (c.text or "").strip() or c.owner_id or c.due_date]
    if outcome == ReviewOutcome.APPROVED_WITH_CONDITIONS and not given:
        raise ValidationError("Approval with conditions needs at least one condition, with an owner and a due date.",
                              field="conditions")
    if outcome != ReviewOutcome.APPROVED_WITH_CONDITIONS and given:
        raise ValidationError("Conditions go with “approved with conditions”; choose that conclusion or clear them.",
                              field="conditions")
    for condition in given:
        if not (condition.text or "").strip() or condition.owner_id is None or condition.due_date is None:
            raise ValidationError("Each condition needs its text, an owner and a due date.", field="conditions")
        if len(condition.text.strip()) > MAX_CONDITION_LENGTH:
            raise ValidationError(f"A condition is at most {MAX_CONDITION_LENGTH} characters.", field="conditions")
    return rationale, given


def _add_conditions(session: Session, review: Review, conditions: list[ConditionInput], *, actor: User) -> None:
    for condition in conditions:
        owner = session.get(User, condition.owner_id)
        if owner is None or not owner.active:
            raise ValidationError("Choose an active user as each condition's owner.", field="conditions")
        row = ReviewCondition(review=review, vendor_id=review.vendor_id, text=condition.text.strip(),
                              owner_id=owner.id, due_date=condition.due_date, status=ConditionStatus.OPEN)
        session.add(row)
        session.flush()
        audit.record(session, actor, "condition_added",
                     f"Condition for {review.vendor.name}, {owner.display_name} by {condition.due_date.isoformat()}",
                     entity_type="review_condition", entity_id=row.id, vendor_id=review.vendor_id,
                     changes={"text": (None, row.text), "owner": (None, owner.display_name),
                              "due_date": (None, condition.due_date)})


def sign_off(session: Session, report: Report, *, outcome: ReviewOutcome, comment: str | None, actor: User,
             today: date, conditions: list[ConditionInput] = ()) -> Review:
    """Conclude the report's review; this completes the vendor's current review cycle."""
    if report.job_status != JobStatus.DONE or report.extraction_status != "ok":
        raise Conflict("Only a report that was read successfully can be signed off.")
    if report.signed_off_at is not None:
        raise Conflict(f"This report was already signed off by "
                       f"{report.signed_off_by.display_name if report.signed_off_by else 'someone'}.")
    findings = guardrails(session, report, today)
    comment, conditions = _check_conclusion(findings, outcome, comment, list(conditions))
    codes = [f.guardrail.value for f in findings]
    report.signoff_outcome = outcome
    report.signoff_comment = comment
    report.signoff_guardrails = codes
    report.signed_off_by_id = actor.id
    report.signed_off_at = utcnow()
    audit.record(session, actor, "report_signed_off", f"Signed off {report.document.filename}: {outcome.value.replace('_', ' ')}",
                 entity_type="report", entity_id=report.id, vendor_id=report.vendor_id,
                 changes={"signoff_outcome": (None, outcome), "guardrails": (None, codes)})
    review = reviews.complete_open_review(session, report.vendor, outcome=outcome, comment=comment, actor=actor,
                                          today=today, report=report, guardrails=codes)
    _add_conditions(session, review, conditions, actor=actor)
    return review


def complete_review(session: Session, review: Review, *, outcome: ReviewOutcome, comment: str | None, actor: User,
                    today: date, report: Report | None = None, conditions: list[ConditionInput] = ()) -> Review:
    """Complete the review with its conclusion; returns the next (scheduled) review."""
    reviews.require_open(review)
    if report is not None and report.vendor_id != review.vendor_id:
        raise ValidationError("That report belongs to another vendor.", field="report_id")
    findings = guardrails(session, report, today)
    comment, conditions = _check_conclusion(findings, outcome, comment, list(conditions))
    following = reviews.complete_review(session, review, outcome=outcome, comment=comment, actor=actor, today=today,
                                        report=report, guardrails=[f.guardrail.value for f in findings])
    _add_conditions(session, review, conditions, actor=actor)
    return following


# --- Reopening -------------------------------------------------------------------------

def _reopen(session: Session, review: Review | None, report: Report | None, vendor: Vendor, *, reason: str | None,
            actor: User) -> Reopening:
    """Keep the earlier conclusion in a Reopening row, then clear it: the
    review returns to in progress (its scheduled successor is withdrawn) and
    the report's sign-off is undone."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the conclusion is reopened; the auditor will read it.", field="reason")
    row = Reopening(
        vendor_id=vendor.id, review_id=review.id if review else None, report_id=report.id if report else None,
        outcome=review.outcome if review else report.signoff_outcome,
        rationale=review.comment if review else report.signoff_comment,
        guardrails=list(review.guardrails if review else report.signoff_guardrails),
        concluded_by_id=review.completed_by_id if review else report.signed_off_by_id,
        concluded_at=review.completed_at if review else report.signed_off_at,
        reason=reason, reopened_by_id=actor.id,
    )
    session.add(row)
    if review is not None:
        following = reviews.open_review(session, vendor)
        if following is not None:
            if following.status != ReviewStatus.SCHEDULED:
                raise Conflict("The next review of this vendor has already started; conclude or waive it instead.")
            audit.record(session, actor, "review_withdrawn",
                         f"Scheduled review of {vendor.name} (due {following.due_date.isoformat()}) withdrawn: "
                         "the previous one was reopened",
                         entity_type="review", entity_id=following.id, vendor_id=vendor.id,
                         changes={"status": (following.status, None)})
            session.delete(following)
            session.flush()  # the open-review index must see it gone before this one opens again
        audit.record(session, actor, "review_reopened", f"Review of {vendor.name} reopened: {reason}",
                     entity_type="review", entity_id=review.id, vendor_id=vendor.id,
                     changes={"status": (review.status, ReviewStatus.IN_PROGRESS), "outcome": (review.outcome, None),
                              "comment": (review.comment, None)})
        review.status = ReviewStatus.IN_PROGRESS
        review.outcome = None
        review.comment = None
        review.guardrails = []
        review.completed_at = None
        review.concluded_on = None
        review.completed_by_id = None
        review.started_at = review.started_at or utcnow()
    if report is not None and report.signed_off_at is not None:
        audit.record(session, actor, "report_signoff_reopened", f"Sign-off of {report.document.filename} reopened: {reason}",
                     entity_type="report", entity_id=report.id, vendor_id=vendor.id,
                     changes={"signoff_outcome": (report.signoff_outcome, None),
                              "signoff_comment": (report.signoff_comment, None)})
        report.signoff_outcome = None
        report.signoff_comment = None
        report.signoff_guardrails = []
        report.signed_off_at = None
        report.signed_off_by_id = None
    session.flush()
    return row


def _reopenable(session: Session, review: Review) -> None:
    if review.status != ReviewStatus.COMPLETED:
        raise Conflict("Only a completed review can be reopened.")
    latest = reviews.latest_concluded(session, review.vendor_id)
    if latest is not None and latest.id != review.id:
        raise Conflict("Only the vendor's latest concluded review can be reopened.")


def reopen_review(session: Session, review: Review, *, reason: str | None, actor: User) -> Reopening:
    """Put a completed review back in progress (and undo the report sign-off that completed it)."""
    _reopenable(session, review)
    report = review.report if review.report is not None and review.report.signed_off_at is not None else None
    return _reopen(session, review, report, review.vendor, reason=reason, actor=actor)


def reopen_sign_off(session: Session, report: Report, *, reason: str | None, actor: User) -> Reopening:
    """Undo a report's sign-off, and reopen the review cycle it completed."""
    if report.signed_off_at is None:
        raise Conflict("This report is not signed off.")
    review = session.scalar(
        select(Review).where(Review.report_id == report.id, Review.status == ReviewStatus.COMPLETED)
        .order_by(Review.completed_at.desc(), Review.id.desc()).limit(1)
    )
    if review is not None:
        _reopenable(session, review)
    return _reopen(session, review, report, report.vendor, reason=reason, actor=actor)


def reopenings(session: Session, vendor_id: int) -> list[Reopening]:
    """The vendor's reopened conclusions, newest first."""
    return list(session.scalars(
        select(Reopening).where(Reopening.vendor_id == vendor_id)
        .options(joinedload(Reopening.concluded_by), joinedload(Reopening.reopened_by), joinedload(Reopening.report))
        .order_by(Reopening.reopened_at.desc(), Reopening.id.desc())
    ))


# --- Conditions --------------------------------------------------------------------------

def conditions_query(*, vendor_id: int | None = None, owner_id: int | None = None, open_only: bool = False,
                     overdue_on: date | None = None) -> Select[tuple[ReviewCondition]]:
    """Conditions, soonest due first; `overdue_on` keeps the open ones due before that day."""
    query = (select(ReviewCondition)
             .options(joinedload(ReviewCondition.owner), joinedload(ReviewCondition.vendor),
                      joinedload(ReviewCondition.done_by))
             .order_by(ReviewCondition.status, ReviewCondition.due_date, ReviewCondition.id))
    if vendor_id is not None:
        query = query.where(ReviewCondition.vendor_id == vendor_id)
    if owner_id is not None:
        query = query.where(ReviewCondition.owner_id == owner_id)
    if open_only or overdue_on is not None:
        query = query.where(ReviewCondition.status == ConditionStatus.OPEN)
    if overdue_on is not None:
        query = query.where(ReviewCondition.due_date < overdue_on)
    return query


def overdue_condition_count(session: Session, today: date) -> int:
    return session.scalar(select(func.count()).select_from(conditions_query(overdue_on=today).subquery())) or 0


def get_condition(session: Session, condition_id: int) -> ReviewCondition:
    condition = session.get(ReviewCondition, condition_id)
    if condition is None:
        raise NotFound(f"There is no condition #{condition_id}.")
    return condition


def complete_condition(session: Session, condition: ReviewCondition, *, actor: User) -> None:
    if condition.status == ConditionStatus.DONE:
        return
    condition.status = ConditionStatus.DONE
    condition.done_at = utcnow()
    condition.done_by_id = actor.id
    audit.record(session, actor, "condition_done", f"Condition for {condition.vendor.name} met: {condition.text[:120]}",
                 entity_type="review_condition", entity_id=condition.id, vendor_id=condition.vendor_id,
                 changes={"status": (ConditionStatus.OPEN, ConditionStatus.DONE)})
