"""Assurance coverage: how far a vendor's SOC reports (and bridge letters)
reach, and which of its other evidence (ISO certificates, DPAs, ...) has
lapsed, computed in SQL from dates so the pages are right without any job.

"Current report" is the vendor's usable report (extraction done and ok)
with the latest period end. Coverage states are defined by
services.schedule.coverage_state; the SQL here mirrors it exactly, with the
same cutoff dates computed once from `today`.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import ColumnElement, Select, and_, case, false, func, literal, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from models import (
    BridgeLetter,
    BridgeLetterStatus,
    Document,
    DocumentKind,
    EvidenceDocument,
    JobStatus,
    LifecycleStatus,
    Report,
    SubserviceInventoryLink,
    SubserviceMethod,
    SubserviceOrganization,
    Tier,
    User,
    Vendor,
    VendorSubservice,
)
from vendorrisk.services import audit, vendors
from vendorrisk.services.errors import Conflict, NotFound, ValidationError
from vendorrisk.services.schedule import CoverageCutoffs, CoverageState, coverage_gap_days, coverage_state

# Vendors whose assurance is tracked: the ones that hold data or run services now.
IN_SCOPE_STATUSES = (LifecycleStatus.ACTIVE,)


def usable_report():
    """A report whose extraction finished and produced a SOC report (the
    predicate of the partial index ix_report_usable)."""
    return and_(Report.job_status == JobStatus.DONE, Report.extraction_status == "ok", Report.period_end.is_not(None))


# current_reports() and bridged_through() are built once: the constructs never
# change, and building their column collections cost every page that joins them
# milliseconds of Python. (SQL constructs are immutable; sharing them is safe.)
@cache
def current_reports():
    """Each vendor's current report, one row per vendor that has one:
    (vendor_id, report_id, period_end). The one definition of "current";
    a query joins it once instead of recomputing it for every row.

    Current is the usable report no other usable report of the vendor comes
    after (a later period end, or the same one and a higher id). Written as
    NOT EXISTS, not as row_number() = 1: PostgreSQL estimates the window's
    `rank = 1` at 0.5% of the reports, and with that misestimate it rescanned
    every current report once per vendor; the anti-join it estimates sanely,
    and it can look a vendor's reports up in ix_report_usable. (The usable
    reports twice as three-column subqueries, which the databases flatten:
    aliasing all of Report's columns would cost milliseconds to build.)"""
    usable = select(Report.vendor_id, Report.id, Report.period_end).where(usable_report())
    report, later = usable.subquery("usable_report"), usable.subquery("later_report")
    superseded = (
        select(later.c.id)
        .where(later.c.vendor_id == report.c.vendor_id,
               or_(later.c.period_end > report.c.period_end,
                   and_(later.c.period_end == report.c.period_end, later.c.id > report.c.id)))
        .exists()
    )
    return (select(report.c.vendor_id, report.c.id.label("report_id"), report.c.period_end)
            .where(~superseded).subquery("current_report"))


@cache
def bridged_through():
    """Each vendor's latest covered-through date of a received bridge letter: (vendor_id, covered_through)."""
    return (
        select(BridgeLetter.vendor_id, func.max(BridgeLetter.covered_through).label("covered_through"))
        .where(BridgeLetter.status == BridgeLetterStatus.RECEIVED).group_by(BridgeLetter.vendor_id)
        .subquery("bridged_through")
    )


def state_expression(period_end: ColumnElement, bridged_through: ColumnElement, today: date) -> ColumnElement:
    """SQL twin of schedule.coverage_state (the cutoffs are bound parameters)."""
    cutoffs = CoverageCutoffs.on(today)
    return case(
        (period_end.is_(None), literal(CoverageState.MISSING.value)),
        (period_end < cutoffs.stale_before, literal(CoverageState.STALE.value)),
        (
            or_(period_end >= cutoffs.bridge_before, bridged_through >= cutoffs.bridge_before),
            literal(CoverageState.CURRENT.value),
        ),
        else_=literal(CoverageState.BRIDGE_NEEDED.value),
    )


def with_coverage_state(query: Select, vendor_id_column, today: date) -> tuple[Select, ColumnElement]:
    """`query` outer-joined to the current report and bridge letters of the
    vendor in `vendor_id_column`, and the coverage state expression over them.

    Joins, not correlated subqueries: the planner hashes two small sets once
    instead of probing them per vendor (at 10,000 vendors the
    correlated form cost enough that PostgreSQL chose to JIT-compile it)."""
    current, bridged = current_reports(), bridged_through()
    query = (query.outerjoin(current, current.c.vendor_id == vendor_id_column)
             .outerjoin(bridged, bridged.c.vendor_id == vendor_id_column))
    return query, state_expression(current.c.period_end, bridged.c.covered_through, today)


def has_coverage_in(states: Iterable[CoverageState], vendor_id_column, today: date) -> ColumnElement[bool]:
    """The vendor in `vendor_id_column` has its coverage in one of `states`.

    Only a vendor with a current report needs the state expression (the rest
    are MISSING), so the subquery reads the current reports, not every vendor.
    When MISSING is wanted (most vendors, at scale) it is "not one of the
    reported vendors in another state", a NOT IN: PostgreSQL keeps that as a
    hashed set probed per vendor, so a page in name order walks the name index
    and stops when full. As an IN it would become a join estimated at 1% of the
    vendors (the planner cannot see through the CASE), answered by sorting
    thousands of them to show 25."""
    wanted = [state.value for state in states]
    current, bridged = current_reports(), bridged_through()
    state = state_expression(current.c.period_end, bridged.c.covered_through, today)
    # correlate(None): an outer query joining the same (shared) subqueries must not capture them.
    reported = (select(current.c.vendor_id).outerjoin(bridged, bridged.c.vendor_id == current.c.vendor_id)
                .correlate(None))
    if CoverageState.MISSING.value in wanted:
        return vendor_id_column.not_in(reported.where(state.not_in(wanted)))
    return vendor_id_column.in_(reported.where(state.in_(wanted)))


def coverage_counts(session: Session, today: date) -> dict[CoverageState, int]:
    """In-scope vendors per coverage state (all four keys present)."""
    query, state = with_coverage_state(select(Vendor.id).where(Vendor.status.in_(IN_SCOPE_STATUSES)), Vendor.id, today)
    states = query.add_columns(state.label("state")).subquery()
    rows = session.execute(select(states.c.state, func.count()).group_by(states.c.state))
    counts = {state: 0 for state in CoverageState}
    for state, count in rows:
        counts[CoverageState(state)] = count
    return counts


# --- Other evidence with a validity ---------------------------------------------------

class EvidenceState(enum.StrEnum):
    """Where an evidence document's validity stands; a valid one has no state."""

    EXPIRED = "expired"
    EXPIRING = "expiring"

    @property
    def label(self) -> str:
        return {"expired": "Expired", "expiring": f"Expiring within {EXPIRING_DAYS} days"}[self.value]


# An evidence document this close to its expiry counts as expiring (like a
# report due for renewal), and its vendor's owners are reminded once.
EXPIRING_DAYS = 30


def evidence_state(expires_on: date | None, today: date) -> EvidenceState | None:
    if expires_on is None:
        return None
    if expires_on < today:
        return EvidenceState.EXPIRED
    return EvidenceState.EXPIRING if expires_on <= today + timedelta(days=EXPIRING_DAYS) else None


def evidence_condition(states: Iterable[EvidenceState], today: date) -> ColumnElement[bool]:
    """SQL twin of evidence_state: the EvidenceDocument is in one of `states`."""
    states = set(states)
    conditions = []
    if EvidenceState.EXPIRED in states:
        conditions.append(EvidenceDocument.expires_on < today)
    if EvidenceState.EXPIRING in states:
        conditions.append(and_(EvidenceDocument.expires_on >= today,
                               EvidenceDocument.expires_on <= today + timedelta(days=EXPIRING_DAYS)))
    return or_(*conditions) if conditions else false()


def has_evidence_in(states: Iterable[EvidenceState], vendor_id_column, today: date) -> ColumnElement[bool]:
    """The vendor in `vendor_id_column` holds a document in one of `states`."""
    return (select(EvidenceDocument.id)
            .where(EvidenceDocument.vendor_id == vendor_id_column, evidence_condition(states, today)).exists())


def evidence_counts(session: Session, today: date) -> dict[EvidenceState, int]:
    """In-scope vendors holding an expired document, and those holding one
    that expires soon (a vendor can be in both), counted like coverage states."""
    in_scope = Vendor.status.in_(IN_SCOPE_STATUSES)
    counts = [select(func.count()).select_from(Vendor).where(in_scope, has_evidence_in([state], Vendor.id, today))
              .scalar_subquery() for state in EvidenceState]
    return dict(zip(EvidenceState, session.execute(select(*counts)).one()))  # one statement for both


def report_label(report: Report | None) -> str:
    """'SOC 2 Type 2': the extraction's framework and type, as the contract spells them."""
    if report is None:
        return "—"
    return " ".join(part for part in (report.framework or "SOC", report.report_type) if part)


@dataclass(frozen=True)
class Coverage:
    state: CoverageState
    report: Report | None
    bridged_through: date | None
    gap_days: int | None
    open_request: BridgeLetter | None
    # Other evidence that has expired or expires soon, soonest first: a gap like a stale report.
    lapsing_evidence: tuple[tuple[EvidenceDocument, EvidenceState], ...] = ()

    @property
    def period_end(self) -> date | None:
        return self.report.period_end if self.report else None


def current_report(session: Session, vendor_id: int) -> Report | None:
    current = current_reports()
    return session.scalar(select(Report).join(current, current.c.report_id == Report.id)
                          .where(current.c.vendor_id == vendor_id))


def coverages(session: Session, vendor_ids: Iterable[int], today: date) -> dict[int, Coverage]:
    """The coverage of each vendor in `vendor_ids`, in three queries however many there are."""
    ids = sorted(set(vendor_ids))
    if not ids:
        return {}
    current = current_reports()
    reports = {report.vendor_id: report for report in session.scalars(
        select(Report).join(current, current.c.report_id == Report.id).where(current.c.vendor_id.in_(ids)))}
    bridged = dict(session.execute(
        select(BridgeLetter.vendor_id, func.max(BridgeLetter.covered_through))
        .where(BridgeLetter.vendor_id.in_(ids), BridgeLetter.status == BridgeLetterStatus.RECEIVED)
        .group_by(BridgeLetter.vendor_id)
    ).all())
    open_requests: dict[int, BridgeLetter] = {}
    for letter in session.scalars(
        select(BridgeLetter).where(BridgeLetter.vendor_id.in_(ids), BridgeLetter.status == BridgeLetterStatus.REQUESTED)
        .order_by(BridgeLetter.requested_on.desc(), BridgeLetter.id.desc())
    ):
        open_requests.setdefault(letter.vendor_id, letter)  # the latest request of each vendor
    lapsing: dict[int, list[tuple[EvidenceDocument, EvidenceState]]] = {}
    for document in session.scalars(
        select(EvidenceDocument).where(EvidenceDocument.vendor_id.in_(ids), evidence_condition(EvidenceState, today))
        .order_by(EvidenceDocument.expires_on, EvidenceDocument.id)
    ):
        lapsing.setdefault(document.vendor_id, []).append((document, evidence_state(document.expires_on, today)))
    result = {}
    for vendor_id in ids:
        report = reports.get(vendor_id)
        period_end = report.period_end if report else None
        result[vendor_id] = Coverage(
            state=coverage_state(period_end, bridged.get(vendor_id), today),
            report=report,
            bridged_through=bridged.get(vendor_id),
            gap_days=coverage_gap_days(period_end, today),
            open_request=open_requests.get(vendor_id),
            lapsing_evidence=tuple(lapsing.get(vendor_id, ())),
        )
    return result


def vendor_coverage(session: Session, vendor_id: int, today: date) -> Coverage:
    return coverages(session, [vendor_id], today)[vendor_id]


def coverage_from(usable_reports: Iterable[Report], letters: Iterable[BridgeLetter],
                  documents: Iterable[EvidenceDocument], today: date) -> Coverage:
    """One vendor's coverage from its rows a page has loaded anyway (the
    vendor page lists its reports, bridge letters and evidence documents):
    what coverages() answers, without reading them again. `usable_reports`
    are the vendor's reports that pass usable_report()."""
    report = max(usable_reports, key=lambda r: (r.period_end, r.id), default=None)
    letters = list(letters)
    bridged = max((letter.covered_through for letter in letters
                   if letter.status == BridgeLetterStatus.RECEIVED and letter.covered_through), default=None)
    open_request = max((letter for letter in letters if letter.status == BridgeLetterStatus.REQUESTED),
                       key=lambda letter: (letter.requested_on, letter.id), default=None)
    lapsing = sorted(((document, evidence_state(document.expires_on, today)) for document in documents
                      if evidence_state(document.expires_on, today) is not None),
                     key=lambda pair: (pair[0].expires_on, pair[0].id))
    period_end = report.period_end if report else None
    return Coverage(state=coverage_state(period_end, bridged, today), report=report, bridged_through=bridged,
                    gap_days=coverage_gap_days(period_end, today), open_request=open_request,
                    lapsing_evidence=tuple(lapsing))


# --- Carved-out subservice organizations --------------------------------------------

@dataclass(frozen=True)
class SubserviceCoverage:
    organization: SubserviceOrganization
    services: str | None
    inventory_vendor: Vendor | None
    state: CoverageState  # MISSING when the inventory holds no record of the organization
    period_end: date | None  # of the inventory vendor's current report


def carve_outs_need_checking(vendor: Vendor) -> bool:
    """Only a critical vendor's carved-out organizations are checked: for the
    others the vendor's own report is the assurance the review relies on."""
    return vendor.tier == Tier.CRITICAL


def subservice_coverage(session: Session, vendor: Vendor, today: date) -> list[SubserviceCoverage]:
    """Each carved-out organization of the vendor with its own coverage,
    when the inventory holds that organization as a vendor with reports.
    One query: a critical vendor carves out dozens."""
    link, inventory = SubserviceInventoryLink, _inventory_vendor
    query = (
        select(VendorSubservice.services, SubserviceOrganization, inventory)
        .select_from(VendorSubservice)
        .join(SubserviceOrganization, SubserviceOrganization.id == VendorSubservice.organization_id)
        .outerjoin(link, link.organization_id == VendorSubservice.organization_id)
        .outerjoin(inventory, inventory.id == link.vendor_id)
        .where(VendorSubservice.vendor_id == vendor.id, VendorSubservice.method == SubserviceMethod.CARVE_OUT)
        .order_by(func.lower(SubserviceOrganization.name), SubserviceOrganization.id)
    )
    query, state = with_coverage_state(query, link.vendor_id, today)
    # current_reports() is the one (cached) subquery with_coverage_state joined;
    # an organization with no inventory vendor joins no report, so it is MISSING.
    query = query.add_columns(state.label("state"), current_reports().c.period_end)
    return [
        SubserviceCoverage(organization=organization, services=services, inventory_vendor=inventory_vendor,
                           state=CoverageState(state), period_end=period_end)
        for services, organization, inventory_vendor, state, period_end in session.execute(query)
    ]


# Made once, like a table: an alias builds proxies of all of Vendor's columns,
# several milliseconds of Python that carve_out_query spent on every request.
_inventory_vendor = aliased(Vendor, name="inventory_vendor")


def _carve_out_pairs(select_from: Select, today: date) -> tuple[Select, ColumnElement]:
    """Carved-out (critical in-scope vendor, organization) pairs joined to the
    organization's inventory record and its coverage; and the state (MISSING
    when the inventory holds no record of the organization)."""
    link = SubserviceInventoryLink
    query = (
        select_from.select_from(VendorSubservice)
        .join(Vendor, Vendor.id == VendorSubservice.vendor_id)
        .outerjoin(link, link.organization_id == VendorSubservice.organization_id)
        .where(
            VendorSubservice.method == SubserviceMethod.CARVE_OUT,
            Vendor.tier == Tier.CRITICAL,
            Vendor.status.in_(IN_SCOPE_STATUSES),
        )
    )
    query, state = with_coverage_state(query, link.vendor_id, today)
    return query, case((link.vendor_id.is_(None), literal(CoverageState.MISSING.value)), else_=state)


def carve_out_counts(session: Session, today: date) -> dict[CoverageState, int]:
    """Carved-out (critical vendor, organization) pairs per coverage state of
    the organization's own inventory record (MISSING when there is none)."""
    query, state = _carve_out_pairs(select(VendorSubservice.vendor_id), today)
    pairs = query.add_columns(state.label("state")).subquery()
    counts = {s: 0 for s in CoverageState}
    for value, count in session.execute(select(pairs.c.state, func.count()).group_by(pairs.c.state)):
        counts[CoverageState(value)] = count
    return counts


def carve_out_query(today: date, states: list[CoverageState] | None = None) -> Select:
    """Rows (critical vendor, organization, inventory vendor or None, state)
    behind carve_out_counts; the caller paginates."""
    inventory = _inventory_vendor
    query, state = _carve_out_pairs(select(Vendor, SubserviceOrganization, inventory), today)
    query = (
        query.add_columns(state.label("state"))
        .join(SubserviceOrganization, SubserviceOrganization.id == VendorSubservice.organization_id)
        .outerjoin(inventory, inventory.id == SubserviceInventoryLink.vendor_id)
        .order_by(func.lower(Vendor.name), func.lower(SubserviceOrganization.name))
    )
    if states:
        query = query.where(state.in_([s.value for s in states]))
    return query


def link_inventory_vendor(
    session: Session, organization: SubserviceOrganization, vendor_name: str | None, *, actor: User
) -> Vendor | None:
    """Record which inventory vendor is this organization (blank name: unlink)."""
    name = (vendor_name or "").strip()
    current = organization.inventory_link
    if not name:
        if current is not None:
            audit.record(session, actor, "subservice_unlinked", f"{organization.name} is no longer tied to an inventory vendor",
                         entity_type="subservice_organization", entity_id=organization.id,
                         changes={"inventory_vendor": (current.vendor.name, None)})
            organization.inventory_link = None
        return None
    vendor = vendors.resolve_name(session, name, field="vendor_name")
    taken = session.scalar(select(SubserviceInventoryLink).where(SubserviceInventoryLink.vendor_id == vendor.id))
    if taken is not None and taken.organization_id != organization.id:
        raise Conflict(f"{vendor.name} already stands for the organization “{taken.organization.name}”.", field="vendor_name")
    if current is not None and current.vendor_id == vendor.id:
        return vendor
    old = current.vendor.name if current else None
    organization.inventory_link = None
    session.flush()
    organization.inventory_link = SubserviceInventoryLink(vendor_id=vendor.id)
    audit.record(session, actor, "subservice_linked", f"{organization.name} is the inventory vendor {vendor.name}",
                 entity_type="subservice_organization", entity_id=organization.id, vendor_id=vendor.id,
                 changes={"inventory_vendor": (old, vendor.name)})
    return vendor


# --- Bridge letters ------------------------------------------------------------------

def bridge_letters(session: Session, vendor_id: int) -> list[BridgeLetter]:
    return list(session.scalars(
        select(BridgeLetter).where(BridgeLetter.vendor_id == vendor_id)
        .options(selectinload(BridgeLetter.document), selectinload(BridgeLetter.report))
        .order_by(BridgeLetter.requested_on.desc(), BridgeLetter.id.desc())
    ))


def bridge_letter_documents(session: Session, vendor_id: int) -> list[Document]:
    return list(session.scalars(
        select(Document).where(Document.vendor_id == vendor_id, Document.kind == DocumentKind.BRIDGE_LETTER)
        .order_by(Document.uploaded_at.desc())
    ))


def get_bridge_letter(session: Session, vendor: Vendor, letter_id: int) -> BridgeLetter:
    letter = session.get(BridgeLetter, letter_id)
    if letter is None or letter.vendor_id != vendor.id:
        raise NotFound("There is no such bridge letter for this vendor.")
    return letter


def request_bridge_letter(session: Session, vendor: Vendor, *, requested_on: date, notes: str | None, actor: User) -> BridgeLetter:
    """Record that a bridge letter was asked of the vendor (for its current report)."""
    report = current_report(session, vendor.id)
    if report is None:
        raise ValidationError(f"{vendor.name} has no SOC report yet; a bridge letter extends a report, so request the report first.")
    letter = BridgeLetter(vendor_id=vendor.id, requested_on=requested_on, report_id=report.id,
                          notes=(notes or "").strip() or None, created_by_id=actor.id)
    session.add(letter)
    session.flush()
    audit.record(session, actor, "bridge_requested", f"Bridge letter requested from {vendor.name}",
                 entity_type="bridge_letter", entity_id=letter.id, vendor_id=vendor.id,
                 changes={"status": (None, BridgeLetterStatus.REQUESTED)})
    return letter


def receive_bridge_letter(
    session: Session, vendor: Vendor, letter: BridgeLetter, *, received_on: date, covered_through: date,
    document_id: int | None, actor: User, today: date,
) -> BridgeLetter:
    """Mark the letter received, with the date it vouches up to."""
    if received_on > today:
        raise ValidationError("The letter cannot have been received in the future.", field="received_on")
    if received_on < letter.requested_on:
        raise ValidationError(f"It was requested on {letter.requested_on.isoformat()}; it cannot arrive before that.",
                              field="received_on")
    period_end = letter.report.period_end if letter.report else None
    if period_end is not None and covered_through <= period_end:
        raise ValidationError(
            f"The letter must cover past the report's period end ({period_end.isoformat()}).", field="covered_through")
    if covered_through > received_on:
        raise ValidationError("A letter can only vouch for the time up to when it was written (on or before received).",
                              field="covered_through")
    if document_id is not None:
        document = session.get(Document, document_id)
        if document is None or document.vendor_id != vendor.id or document.kind != DocumentKind.BRIDGE_LETTER:
            raise ValidationError("Choose one of this vendor's uploaded bridge letters.", field="document_id")
    changes = audit.diff(letter, {"status": BridgeLetterStatus.RECEIVED, "received_on": received_on,
                                  "covered_through": covered_through, "document_id": document_id})
    letter.status = BridgeLetterStatus.RECEIVED
    letter.received_on = received_on
    letter.covered_through = covered_through
    letter.document_id = document_id
    if changes:
        audit.record(session, actor, "bridge_received",
                     f"Bridge letter from {vendor.name} received, covering through {covered_through.isoformat()}",
                     entity_type="bridge_letter", entity_id=letter.id, vendor_id=vendor.id, changes=changes)
    return letter


def delete_bridge_letter(session: Session, vendor: Vendor, letter: BridgeLetter, *, actor: User) -> None:
    audit.record(session, actor, "bridge_deleted", f"Bridge letter record of {vendor.name} deleted",
                 entity_type="bridge_letter", entity_id=letter.id, vendor_id=vendor.id,
                 changes={"status": (letter.status, None), "covered_through": (letter.covered_through, None)})
    session.delete(letter)
