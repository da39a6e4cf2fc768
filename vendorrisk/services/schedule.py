"""The review schedule's rules as small pure functions: no session, no
clock. The services and the daily sweep feed them dates; tests call them
directly (leap years, month ends)."""
from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

from models import ReminderKind, Tier

# Months between reviews by tier, unless the admin-edited policy says otherwise.
DEFAULT_CADENCE_MONTHS = {Tier.CRITICAL: 12, Tier.HIGH: 12, Tier.MEDIUM: 24, Tier.LOW: 36}
# A SOC 2 Type 2 report is usually issued about six weeks after its period ends.
DEFAULT_ISSUANCE_LAG_DAYS = 42
# Owner reminders, in days before the due date (0: on the day).
REMINDER_DAYS = (60, 30, 7, 0)
# Coverage: a report older than this many months needs a bridge letter...
BRIDGE_AFTER_MONTHS = 3
# ...and older than this it is stale, bridge letter or not.
STALE_AFTER_MONTHS = 12


# A due date this close (in days) is shown as coming up.
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class DueStatus:
    """How a due date stands today, for the badge beside it."""

    kind: str  # "overdue", "today" or "soon"
    days: int  # days overdue, or days left

    @property
    def text(self) -> str:
        if self.kind == "overdue":
            return f"{self.days} days overdue"
        if self.kind == "today":
            return "due today"
        return f"in {self.days} day{'s' if self.days != 1 else ''}"


def due_status(due: date, today: date, *, is_open: bool) -> DueStatus | None:
    """Overdue (only a review that is open can be), due today, due within
    DUE_SOON_DAYS, or nothing to flag (None)."""
    days = (due - today).days
    if days < 0:
        return DueStatus("overdue", -days) if is_open else None
    if days == 0:
        return DueStatus("today", 0)
    return DueStatus("soon", days) if days <= DUE_SOON_DAYS else None


@dataclass(frozen=True)
class Policy:
    """The review policy in force (ReviewPolicy row or the defaults)."""

    cadence_months: dict[Tier, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE_MONTHS))
    issuance_lag_days: int = DEFAULT_ISSUANCE_LAG_DAYS


@dataclass(frozen=True)
class DueDate:
    due: date
    reason: str  # for people: why this date, in one line


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier, if negative), clamped to the
    month's end: Jan 31 + 1 -> Feb 28 (Feb 29 in a leap year); Feb 29 + 12 -> Feb 28."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cadence_for(tier: Tier, policy: Policy, vendor_months: int | None = None) -> int:
    """Months between reviews: the vendor's own cadence if set, else its tier's."""
    return vendor_months if vendor_months else policy.cadence_months[tier]


def expected_next_report(period_end: date, issuance_lag_days: int) -> date:
    """When the report after the one ending `period_end` should be in hand:
    its period ends 12 months later and it is issued `issuance_lag_days` after."""
    return add_months(period_end, 12) + timedelta(days=issuance_lag_days)


def next_review_due(
    *,
    today: date,
    override: date | None,
    last_concluded: date | None,
    cadence_months: int,
    report_period_end: date | None,
    issuance_lag_days: int,
    scheduled_due: date | None = None,
) -> DueDate:
    """The next review's due date, by these rules in this order:

    1. the vendor's due-date override;
    2. never reviewed: due now (the date it was first scheduled, else today);
    3. the later of the last concluded review + cadence and the date the
       next SOC report is expected (current report's period end + 12 months
       + issuance lag), so the review can look at that report.

    `report_period_end` is the period end of the report that was current
    when the last review concluded (the callers look it up that way): a
    report arriving later is the one the next review examines, and must not
    push that review another year out.
    """
    if override is not None:
        return DueDate(override, f"set by hand to {override.isoformat()}")
    if last_concluded is None:
        due = scheduled_due or today
        return DueDate(due, "first review: due when the vendor became active")
    by_cadence = add_months(last_concluded, cadence_months)
    reason = f"last review {last_concluded.isoformat()} + {cadence_months} months"
    if report_period_end is not None:
        by_report = expected_next_report(report_period_end, issuance_lag_days)
        if by_report > by_cadence:
            return DueDate(
                by_report,
                f"next SOC report expected (period end {report_period_end.isoformat()} + 12 months "
                f"+ {issuance_lag_days} days); {reason} would be {by_cadence.isoformat()}",
            )
    return DueDate(by_cadence, reason)


def reminder_due(due: date, today: date) -> ReminderKind | None:
    """The owner reminder to send today for a review due on `due`: the most
    recent threshold crossed (60, 30, 7 or 0 days before), or None if the
    first is still ahead. After downtime only the latest one is sent: three
    stale reminders at once help nobody. Overdue reviews get DUE_0 once
    ("was due on ..."); compliance gets the weekly escalation."""
    days_left = (due - today).days
    crossed = [days for days in REMINDER_DAYS if days_left <= days]
    return ReminderKind(f"due_{min(crossed)}") if crossed else None


def iso_week(day: date) -> str:
    """'2026-W48': the period of a weekly escalation (ISO 8601 weeks, so the
    week of Dec 31 may belong to the next year)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class CoverageState(enum.StrEnum):
    CURRENT = "current"
    BRIDGE_NEEDED = "bridge_needed"
    STALE = "stale"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return {"current": "Current", "bridge_needed": "Bridge letter needed", "stale": "Stale",
                "missing": "No report"}[self.value]


@dataclass(frozen=True)
class CoverageCutoffs:
    """Period ends before `stale_before` are stale; coverage ending before
    `bridge_before` needs a bridge letter. Computed once from today so
    Python and SQL compare the same dates."""

    bridge_before: date
    stale_before: date

    @classmethod
    def on(cls, today: date) -> CoverageCutoffs:
        return cls(add_months(today, -BRIDGE_AFTER_MONTHS), add_months(today, -STALE_AFTER_MONTHS))


def coverage_state(period_end: date | None, bridged_through: date | None, today: date) -> CoverageState:
    """Where a vendor's assurance stands today.

    missing: no usable SOC report; stale: the current report's period ended
    more than 12 months ago (a bridge letter does not help); current: the
    report, or a received bridge letter, covers up to less than 3 months
    ago; otherwise a bridge letter is needed.
    """
    if period_end is None:
        return CoverageState.MISSING
    cutoffs = CoverageCutoffs.on(today)
    if period_end < cutoffs.stale_before:
        return CoverageState.STALE
    if period_end >= cutoffs.bridge_before or (bridged_through is not None and bridged_through >= cutoffs.bridge_before):
        return CoverageState.CURRENT
    return CoverageState.BRIDGE_NEEDED


def coverage_gap_days(period_end: date | None, today: date) -> int | None:
    """Days between the current report's period end and today (None without a report)."""
    return None if period_end is None else max(0, (today - period_end).days)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
