"""The vendor inventory: creating and editing vendors, their lifecycle,
inherent-risk intake and onboarding checklist."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import Select, case, func, literal_column, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    BusinessCriticality,
    ChecklistItemKind,
    ChecklistItemState,
    DataCategory,
    DataVolume,
    LifecycleStatus,
    OnboardingChecklistItem,
    Report,
    ReviewOutcome,
    Substitutability,
    Tier,
    User,
    Vendor,
    VendorDataCategory,
)
from models.base import utcnow
# coverage imports this module (resolve_name): reach it as a module, so the cycle resolves at call time.
from vendorrisk.services import audit, concurrency, coverage
from vendorrisk.services.errors import Conflict, Forbidden, NotFound, ValidationError
from vendorrisk.services.permissions import Action, can


@dataclass
class VendorFields:
    """Everything a person can type about a vendor (the form, the CSV row, the API body)."""

    name: str
    tier: Tier
    legal_name: str | None = None
    website: str | None = None
    services: str | None = None
    business_owner_id: int | None = None
    security_owner_id: int | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    data_handled: set[DataCategory] = field(default_factory=set)
    has_production_access: bool = False
    contract_start: date | None = None
    contract_end: date | None = None
    renewal_notice_date: date | None = None
    notes: str | None = None
    tier_override_reason: str | None = None

    @classmethod
    def of(cls, vendor: Vendor) -> VendorFields:
        values = {f.name: getattr(vendor, f.name) for f in fields(cls) if f.name != "data_handled"}
        return cls(**values, data_handled=vendor.data_handled)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


# The lifecycle: which status may follow which. Terminated vendors can be
# re-engaged, but only through onboarding again.
TRANSITIONS: dict[LifecycleStatus, frozenset[LifecycleStatus]] = {
    LifecycleStatus.PROSPECT: frozenset({LifecycleStatus.ONBOARDING, LifecycleStatus.TERMINATED}),
    LifecycleStatus.ONBOARDING: frozenset({LifecycleStatus.ACTIVE, LifecycleStatus.PROSPECT, LifecycleStatus.TERMINATED}),
    LifecycleStatus.ACTIVE: frozenset({LifecycleStatus.OFFBOARDING}),
    LifecycleStatus.OFFBOARDING: frozenset({LifecycleStatus.TERMINATED, LifecycleStatus.ACTIVE}),
    LifecycleStatus.TERMINATED: frozenset({LifecycleStatus.ONBOARDING}),
}

CHECKLIST_LABELS = {
    ChecklistItemKind.SOC_REPORT: "SOC 2 report or equivalent received",
    ChecklistItemKind.SECURITY_REVIEW: "Security review done",
    ChecklistItemKind.CONTRACT_DPA: "Contract and DPA signed",
    ChecklistItemKind.OWNER_ASSIGNED: "Business owner assigned",
}


def required_checklist_items(tier: Tier) -> frozenset[ChecklistItemKind]:
    """What must be done (or waived) before a vendor of this tier may go active.

    Every vendor needs a contract and an owner; assurance and a security
    review are proportionate to the risk, so low-tier vendors skip them.
    """
    required = {ChecklistItemKind.CONTRACT_DPA, ChecklistItemKind.OWNER_ASSIGNED}
    if tier in (Tier.CRITICAL, Tier.HIGH, Tier.MEDIUM):
        required.add(ChecklistItemKind.SOC_REPORT)
    if tier in (Tier.CRITICAL, Tier.HIGH):
        required.add(ChecklistItemKind.SECURITY_REVIEW)
    return frozenset(required)


# Inherent-risk points per intake answer; the sum picks the suggested tier.
SENSITIVITY_POINTS = {
    DataCategory.PHI: 3,
    DataCategory.PAYMENT_CARD: 3,
    DataCategory.CREDENTIALS_SECRETS: 3,
    DataCategory.CUSTOMER_PII: 2,
    DataCategory.FINANCIAL: 2,
    DataCategory.EMPLOYEE_PII: 1,
    DataCategory.CONFIDENTIAL_BUSINESS: 1,
    DataCategory.NONE: 0,
}
VOLUME_POINTS = {DataVolume.NONE: 0, DataVolume.LOW: 0, DataVolume.MEDIUM: 1, DataVolume.HIGH: 2}
CRITICALITY_POINTS = {BusinessCriticality.LOW: 0, BusinessCriticality.MEDIUM: 1, BusinessCriticality.HIGH: 3}
SUBSTITUTABILITY_POINTS = {Substitutability.EASY: 0, Substitutability.MODERATE: 1, Substitutability.DIFFICULT: 2}
PRODUCTION_ACCESS_POINTS = 2
TIER_THRESHOLDS = ((8, Tier.CRITICAL), (5, Tier.HIGH), (2, Tier.MEDIUM))


def suggest_tier(
    data_handled: set[DataCategory],
    volume: DataVolume,
    production_access: bool,
    criticality: BusinessCriticality,
    substitutability: Substitutability,
) -> Tier:
    """The tier the intake answers point to.

    The most sensitive data category counts (not their number), weighted up
    by volume; production access, criticality and lock-in add to it.
    Scores: 8+ critical, 5-7 high, 2-4 medium, 0-1 low.
    """
    sensitivity = max((SENSITIVITY_POINTS[c] for c in data_handled), default=0)
    score = (
        sensitivity
        + (VOLUME_POINTS[volume] if sensitivity else 0)
        + (PRODUCTION_ACCESS_POINTS if production_access else 0)
        + CRITICALITY_POINTS[criticality]
        + SUBSTITUTABILITY_POINTS[substitutability]
    )
    return next((tier for threshold, tier in TIER_THRESHOLDS if score >= threshold), Tier.LOW)


# What the vendor page shows of the vendor itself, loaded with it: its two
# owners and its few data categories would otherwise be three more queries
# (templates never query). Its checklist items stay a query of their own:
# joined too, they would multiply the rows by the categories.
PAGE_LOADS = (joinedload(Vendor.business_owner), joinedload(Vendor.security_owner),
              joinedload(Vendor.data_categories))


def get_vendor(session: Session, vendor_id: int, options=()) -> Vendor:
    vendor = session.get(Vendor, vendor_id, options=options)
    if vendor is None:
        raise NotFound(f"There is no vendor #{vendor_id}.")
    return vendor


def find_by_name(session: Session, name: str) -> Vendor | None:
    # The database's lower() on both sides, as in the unique index: SQLite's
    # lower() folds only ASCII, so Python's str.lower() would disagree with
    # the index on names like "Ärzte" and let a duplicate reach the database.
    return session.scalar(select(Vendor).where(func.lower(Vendor.name) == func.lower(name.strip())))


def name_suggestions(session: Session, text: str, *, limit: int = 20) -> list[str]:
    """Vendor names containing `text` in any case, those starting with it
    first: what search-as-you-type offers instead of a list of every vendor."""
    needle = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if not needle:
        return []
    # lower() in the database on both sides, as find_by_name does.
    name = func.lower(Vendor.name)
    starts = name.like(func.lower(f"{needle}%"), escape="\\")
    return list(session.scalars(
        select(Vendor.name).where(name.like(func.lower(f"%{needle}%"), escape="\\"))
        .order_by(case((starts, 0), else_=1), name).limit(limit)
    ))


def resolve_name(session: Session, text: str, *, field: str) -> Vendor:
    """The vendor a person typed: the name in any case, or else the only
    vendor whose name contains the text (the page works without the
    suggestions script). Several or none: a ValidationError saying which."""
    text = text.strip()
    vendor = find_by_name(session, text) if text else None
    if vendor is not None:
        return vendor
    candidates = name_suggestions(session, text, limit=6)
    if len(candidates) == 1:
        return find_by_name(session, candidates[0])
    if not candidates:
        raise ValidationError(f"There is no vendor named “{text}” in the inventory. Add it first, or check the spelling.",
                              field=field)
    shown = ", ".join(candidates[:5]) + (", …" if len(candidates) > 5 else "")
    raise ValidationError(f"“{text}” matches several vendors ({shown}); type more of the name.", field=field)


def _validate(session: Session, values: VendorFields, vendor: Vendor | None) -> None:
    """Normalise `values` in place (blank text becomes None) and refuse what cannot be saved."""
    for f in fields(VendorFields):
        value = getattr(values, f.name)
        if isinstance(value, str) and not isinstance(value, Enum):  # Tier is a str too
            setattr(values, f.name, value.strip() or (None if f.name != "name" else ""))
    if not values.name:
        raise ValidationError("Enter the vendor's name.", field="name")
    existing = find_by_name(session, values.name)
    if existing is not None and existing is not vendor:
        raise Conflict(f"A vendor named “{existing.name}” already exists.", field="name")
    if DataCategory.NONE in values.data_handled and len(values.data_handled) > 1:
        raise ValidationError("“None” cannot be combined with other kinds of data.", field="data_handled")
    if values.contract_start and values.contract_end and values.contract_end < values.contract_start:
        raise ValidationError("The contract cannot end before it starts.", field="contract_end")
    if values.renewal_notice_date and values.contract_end and values.renewal_notice_date > values.contract_end:
        raise ValidationError("The renewal notice date must be on or before the contract end.", field="renewal_notice_date")
    for owner_field in ("business_owner_id", "security_owner_id"):
        owner_id = getattr(values, owner_field)
        if owner_id is not None and session.get(User, owner_id) is None:
            raise ValidationError("Choose an existing user as owner.", field=owner_field)
    suggested = vendor.suggested_tier if vendor else None
    if suggested and values.tier != suggested and not (values.tier_override_reason or "").strip():
        raise ValidationError(
            f"The intake suggests tier “{suggested.value}”. Give a reason to use “{values.tier.value}” instead.",
            field="tier_override_reason",
        )


def create_vendor(
    session: Session, values: VendorFields, *, actor: User | None, status: LifecycleStatus = LifecycleStatus.PROSPECT,
    today: date | None = None,
) -> Vendor:
    """A new vendor; one created active (an import of an existing inventory)
    gets its first review scheduled at once, due by `today` at the latest."""
    if status == LifecycleStatus.ACTIVE and today is None:
        raise TypeError("create_vendor: an active vendor needs `today` to schedule its review")
    _validate(session, values, None)
    vendor = Vendor(status=status)
    _apply(vendor, values)
    session.add(vendor)
    session.flush()
    if status == LifecycleStatus.ONBOARDING:
        _ensure_checklist(vendor)
    audit.record(
        session, actor, "created", f"Created vendor {vendor.name}",
        entity_type="vendor", entity_id=vendor.id, vendor_id=vendor.id,
        changes={"tier": (None, vendor.tier), "status": (None, vendor.status)},
    )
    if status == LifecycleStatus.ACTIVE:
        _schedule_first_review(session, vendor, today, actor)
    return vendor


def update_vendor(session: Session, vendor: Vendor, values: VendorFields, *, actor: User | None,
                  loaded: concurrency.Loaded | None = None) -> dict[str, Any]:
    """Apply the values and log what changed; returns the changes (empty if none).

    `loaded` is what the user's form was based on: StaleEdit when someone else
    changed one of these fields since."""
    _validate(session, values, vendor)
    concurrency.check(session, vendor, loaded, {name: getattr(values, name) for name in VendorFields.names()},
                      noun="vendor")
    before = VendorFields.of(vendor)
    changes = {
        f.name: (getattr(before, f.name), getattr(values, f.name))
        for f in fields(VendorFields)
        if getattr(before, f.name) != getattr(values, f.name)
    }
    if not changes:
        return changes
    _apply(vendor, values)
    # The data categories are rows of their own: touching the vendor row makes
    # a change of them alone count up the vendor's version too.
    vendor.updated_at = utcnow()
    audit.record(
        session, actor, "updated", f"Updated vendor {vendor.name}",
        entity_type="vendor", entity_id=vendor.id, vendor_id=vendor.id, changes=changes,
    )
    return changes


def _apply(vendor: Vendor, values: VendorFields) -> None:
    for f in fields(VendorFields):
        if f.name != "data_handled":
            setattr(vendor, f.name, getattr(values, f.name))
    if vendor.data_handled != values.data_handled:
        vendor.data_categories = [VendorDataCategory(category=c) for c in sorted(values.data_handled)]


def tier_follows_intake(vendor: Vendor) -> bool:
    """Whether the tier is the intake's last suggestion. Any other tier was set
    by hand (when the vendor was created or edited, or by an override) and the
    intake may replace it only when the user picks the suggestion."""
    return vendor.suggested_tier is not None and vendor.tier == vendor.suggested_tier


def submit_intake(
    session: Session,
    vendor: Vendor,
    *,
    volume: DataVolume,
    criticality: BusinessCriticality,
    substitutability: Substitutability,
    tier: Tier | None,
    override_reason: str | None,
    actor: User,
) -> Tier:
    """Record the intake answers and set the tier: `tier` None takes the
    suggestion (the user's explicit choice), any other tier is an override
    that must come with a reason. Returns the suggested tier."""
    suggested = suggest_tier(vendor.data_handled, volume, vendor.has_production_access, criticality, substitutability)
    chosen = tier or suggested
    reason = (override_reason or "").strip() or None
    if chosen != suggested and not reason:
        keeping = chosen == vendor.tier and not tier_follows_intake(vendor)
        raise ValidationError(
            f"The answers suggest tier “{suggested.value}”"
            + (f"; the tier “{chosen.value}” was set by hand. Choose the suggested tier, or give a reason to keep "
               f"“{chosen.value}”." if keeping else f". Give a reason to use “{chosen.value}” instead."),
            field="override_reason",
        )
    updates = {
        "intake_data_volume": volume,
        "intake_criticality": criticality,
        "intake_substitutability": substitutability,
        "suggested_tier": suggested,
        "tier": chosen,
        "tier_override_reason": reason if chosen != suggested else None,
    }
    changes = audit.diff(vendor, updates)
    for name, value in updates.items():
        setattr(vendor, name, value)
    if changes:
        audit.record(
            session, actor, "intake", f"Risk intake for {vendor.name}: suggested {suggested.value}, tier {chosen.value}",
            entity_type="vendor", entity_id=vendor.id, vendor_id=vendor.id, changes=changes,
        )
    return suggested


def _ensure_checklist(vendor: Vendor) -> None:
    present = {item.kind for item in vendor.checklist_items}
    for kind in ChecklistItemKind:
        if kind not in present:
            vendor.checklist_items.append(OnboardingChecklistItem(kind=kind))


@dataclass(frozen=True)
class Evidence:
    """What the app itself knows that completes a checklist item: a summary
    and where it is, the report's page (`report_id`, at `anchor`) or, with no
    report, the vendor's own fields."""

    summary: str
    report_id: int | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class ChecklistEntry:
    """One onboarding item as shown: done when the app sees the evidence,
    else the state a person recorded (done by hand, waived or open)."""

    item: OnboardingChecklistItem
    required: bool
    evidence: Evidence | None

    @property
    def kind(self) -> ChecklistItemKind:
        return self.item.kind

    @property
    def state(self) -> ChecklistItemState:
        if self.evidence is not None:
            return ChecklistItemState.DONE
        if self.item.state == ChecklistItemState.DONE and self.kind not in DONE_BY_HAND:
            return ChecklistItemState.OPEN  # e.g. ticked before the owner was removed
        return self.item.state


# Items a person may tick done without the app seeing the evidence: an
# equivalent assurance report (ISO 27001), a security review or a DPA done
# outside the app. An owner is either set on the vendor or not.
DONE_BY_HAND = frozenset({ChecklistItemKind.SOC_REPORT, ChecklistItemKind.SECURITY_REVIEW, ChecklistItemKind.CONTRACT_DPA})
# A report sign-off that closes the security review; a rejection does not.
_ACCEPTING_OUTCOMES = (ReviewOutcome.APPROVED, ReviewOutcome.APPROVED_WITH_CONDITIONS)


def checklist_evidence(session: Session, vendor: Vendor,
                       usable: list[Report] | None = None) -> dict[ChecklistItemKind, Evidence]:
    """The evidence the app holds for each item, read now so it never drifts
    from the vendor's data (an owner removed, a report replaced). `usable`:
    the vendor's usable reports, newest period first, when the caller read
    them for many vendors at once (checklist_progress)."""
    evidence: dict[ChecklistItemKind, Evidence] = {}
    if vendor.business_owner is not None:
        evidence[ChecklistItemKind.OWNER_ASSIGNED] = Evidence(f"Business owner: {vendor.business_owner.display_name}")
    if vendor.contract_start and vendor.contract_end:
        evidence[ChecklistItemKind.CONTRACT_DPA] = Evidence(
            f"Contract {vendor.contract_start.isoformat()} to {vendor.contract_end.isoformat()}")
    if usable is None:
        usable = usable_reports(session, vendor.id)
    if usable:
        latest = usable[0]
        evidence[ChecklistItemKind.SOC_REPORT] = Evidence(
            f"{coverage.report_label(latest)}, period ending {latest.period_end.isoformat()}", report_id=latest.id)
    signed = next((r for r in usable if r.signoff_outcome in _ACCEPTING_OUTCOMES), None)
    if signed is not None:
        who = f" by {signed.signed_off_by.display_name}" if signed.signed_off_by else ""
        evidence[ChecklistItemKind.SECURITY_REVIEW] = Evidence(
            f"{coverage.report_label(signed)} signed off {signed.signoff_outcome.value.replace('_', ' ')}{who}",
            report_id=signed.id, anchor="sign-off")
    return evidence


def checklist(session: Session, vendor: Vendor, usable: list[Report] | None = None) -> list[ChecklistEntry]:
    """The vendor's checklist in a fixed order, each item with whether its
    tier requires it and the evidence that completes it; empty until the
    vendor starts onboarding. `usable`: usable_reports(), when the caller
    read them already."""
    return _entries(session, vendor, usable) if vendor.checklist_items else []


def blocking_checklist_items(session: Session, vendor: Vendor,
                             usable: list[Report] | None = None) -> list[ChecklistItemKind]:
    """Required items neither done nor waived: what stops the vendor going active."""
    return [entry.kind for entry in _entries(session, vendor, usable)
            if entry.required and entry.state == ChecklistItemState.OPEN]


def usable_reports(session: Session, vendor_id: int) -> list[Report]:
    """The vendor's usable reports, newest period first (the first is the
    current report), with who signed them off."""
    return list(session.scalars(_usable_reports([vendor_id]).options(joinedload(Report.signed_off_by))))


def checklist_progress(session: Session, vendors: list[Vendor]) -> dict[int, tuple[int, int]]:
    """(required items done or waived, required items) per vendor of a list,
    with their reports read in one query rather than one per vendor. Load
    the vendors' checklist items and business owners with them."""
    usable: dict[int, list[Report]] = {vendor.id: [] for vendor in vendors}
    if vendors:
        for report in session.scalars(_usable_reports(list(usable)).options(joinedload(Report.signed_off_by))):
            usable[report.vendor_id].append(report)
    progress = {}
    for vendor in vendors:
        required = [entry for entry in _entries(session, vendor, usable[vendor.id]) if entry.required]
        progress[vendor.id] = (sum(entry.state != ChecklistItemState.OPEN for entry in required), len(required))
    return progress


def _usable_reports(vendor_ids: list[int]) -> Select[tuple[Report]]:
    return (select(Report).where(Report.vendor_id.in_(vendor_ids), coverage.usable_report())
            .order_by(Report.period_end.desc(), Report.id.desc()))


def _entries(session: Session, vendor: Vendor, usable: list[Report] | None = None) -> list[ChecklistEntry]:
    required = required_checklist_items(vendor.tier)
    items = {item.kind: item for item in vendor.checklist_items}
    evidence = checklist_evidence(session, vendor, usable)
    # An item never stored (a vendor imported as active) is open, unless the app sees its evidence.
    return [
        ChecklistEntry(items.get(kind) or OnboardingChecklistItem(kind=kind, state=ChecklistItemState.OPEN),
                       kind in required, evidence.get(kind))
        for kind in ChecklistItemKind
    ]


def set_checklist_item(
    session: Session,
    vendor: Vendor,
    kind: ChecklistItemKind,
    state: ChecklistItemState,
    *,
    actor: User,
    waiver_reason: str | None = None,
) -> None:
    if kind == ChecklistItemKind.SECURITY_REVIEW and not can(actor.role, Action.CHECKLIST_SECURITY_REVIEW):
        raise Forbidden("Only security or an admin can record the security review.")
    _ensure_checklist(vendor)
    item = next(i for i in vendor.checklist_items if i.kind == kind)
    reason = (waiver_reason or "").strip() or None
    if state == ChecklistItemState.WAIVED and not reason:
        raise ValidationError("Say why this item is waived.", field="waiver_reason")
    if state == ChecklistItemState.DONE and kind not in DONE_BY_HAND:
        raise ValidationError("This item is done by itself once a business owner is set on the vendor.",
                              field="business_owner_id")
    changes = audit.diff(item, {"state": state, "waiver_reason": reason if state == ChecklistItemState.WAIVED else None})
    if not changes:
        return
    item.state = state
    item.waiver_reason = reason if state == ChecklistItemState.WAIVED else None
    item.completed_by_id = actor.id if state != ChecklistItemState.OPEN else None
    item.completed_at = utcnow() if state != ChecklistItemState.OPEN else None
    audit.record(
        session, actor, "checklist", f"{CHECKLIST_LABELS[kind]}: {state.value}",
        entity_type="vendor", entity_id=vendor.id, vendor_id=vendor.id, changes=changes,
    )


def change_status(session: Session, vendor: Vendor, new_status: LifecycleStatus, *, actor: User | None,
                  today: date) -> None:
    """Move the vendor along its lifecycle, refusing transitions that make no sense.

    `today` (the caller's clock) is the due date of the first review of a vendor
    that becomes active."""
    old = vendor.status
    if new_status == old:
        return
    if new_status not in TRANSITIONS[old]:
        allowed = ", ".join(s.value for s in sorted(TRANSITIONS[old], key=list(LifecycleStatus).index)) or "none"
        raise ValidationError(
            f"A vendor cannot go from {old.value} to {new_status.value}. From {old.value} it can go to: {allowed}.",
            field="status",
        )
    if new_status == LifecycleStatus.ONBOARDING:
        _ensure_checklist(vendor)
    if new_status == LifecycleStatus.ACTIVE:
        blocking = blocking_checklist_items(session, vendor)
        if blocking:
            names = "; ".join(CHECKLIST_LABELS[kind] for kind in blocking)
            raise ValidationError(
                f"{vendor.name} cannot become active until these onboarding items are done or waived: {names}.",
                field="status",
            )
    vendor.status = new_status
    audit.record(
        session, actor, "status_changed", f"{vendor.name}: {old.value} → {new_status.value}",
        entity_type="vendor", entity_id=vendor.id, vendor_id=vendor.id, changes={"status": (old, new_status)},
    )
    if new_status == LifecycleStatus.ACTIVE:
        _schedule_first_review(session, vendor, today, actor)


def _schedule_first_review(session: Session, vendor: Vendor, today: date, actor: User | None) -> None:
    """Schedule the open review of a vendor that has just become active, now
    rather than at the next daily sweep (which would do the same)."""
    from vendorrisk.services import reviews

    # A vendor that becomes active without a review is due for one now: it
    # was never reviewed, so no cadence can postpone the first review.
    reviews.ensure_open_review(session, vendor, today, actor=actor)


SORTS = {
    "name": func.lower(Vendor.name),
    "tier": Vendor.tier,  # mapped to rank below, so critical sorts first
    "status": Vendor.status,
    "contract_end": Vendor.contract_end,
    "updated": Vendor.updated_at,
}


def vendor_query(
    *,
    q: str | None = None,
    tiers: list[Tier] | None = None,
    statuses: list[LifecycleStatus] | None = None,
    data_handled: list[DataCategory] | None = None,
    owner_id: int | None = None,
    review_due: str | None = None,
    coverage_states: list | None = None,
    evidence_states: list | None = None,
    today: date | None = None,
    sort: str = "name",
    descending: bool = False,
) -> Select[tuple[Vendor]]:
    """Vendors matching the filters, sorted; the caller paginates.

    `q` matches name, legal name and services; several data categories match
    a vendor handling any of them; `owner_id` matches either owner.
    `review_due` (overdue / 30 / 90), `coverage_states` and `evidence_states`
    (vendors holding an expired or expiring document) compare dates with
    `today` in the query (services.reviews, services.coverage).
    """
    query = select(Vendor).options(
        selectinload(Vendor.data_categories), selectinload(Vendor.business_owner), selectinload(Vendor.security_owner)
    )
    if q and q.strip():
        pattern = f"%{q.strip().lower()}%"
        # The expressions of the trigram indexes (ix_vendor_*_trgm) exactly, the
        # empty string written out: as a bound parameter, a generic plan of the
        # prepared statement would no longer match them.
        empty = literal_column("''")
        query = query.where(
            func.lower(Vendor.name).like(pattern)
            | func.lower(func.coalesce(Vendor.legal_name, empty)).like(pattern)
            | func.lower(func.coalesce(Vendor.services, empty)).like(pattern)
        )
    if tiers:
        query = query.where(Vendor.tier.in_(tiers))
    if statuses:
        query = query.where(Vendor.status.in_(statuses))
    if data_handled:
        query = query.where(
            select(VendorDataCategory.vendor_id)
            .where(VendorDataCategory.vendor_id == Vendor.id, VendorDataCategory.category.in_(data_handled))
            .exists()
        )
    if owner_id:
        query = query.where((Vendor.business_owner_id == owner_id) | (Vendor.security_owner_id == owner_id))
    if review_due or coverage_states or evidence_states:
        from vendorrisk.services import reviews

        if today is None:
            raise TypeError("vendor_query: the review_due, coverage and evidence filters need `today`")
        if review_due in reviews.DUE_WINDOWS:
            query = query.where(reviews.review_due_condition(review_due, today))
        if coverage_states:
            query = query.where(coverage.has_coverage_in(coverage_states, Vendor.id, today))
        if evidence_states:
            query = query.where(coverage.has_evidence_in(evidence_states, Vendor.id, today))
    order = _tier_rank() if sort == "tier" else SORTS.get(sort, SORTS["name"])
    order = order.desc() if descending else order.asc()
    return query.order_by(order, func.lower(Vendor.name), Vendor.id)


def _tier_rank():
    return case({tier: tier.rank for tier in Tier}, value=Vendor.tier)
