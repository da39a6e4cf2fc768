"""The due-date and coverage rules, as pure functions (no app, no database)."""
from datetime import date

import pytest

from models import ReminderKind, Tier
from vendorrisk.services.schedule import (
    CoverageState,
    Policy,
    add_months,
    cadence_for,
    coverage_gap_days,
    coverage_state,
    expected_next_report,
    iso_week,
    month_end,
    next_review_due,
    quarter_start,
    reminder_due,
)


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # month end clamps
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # ...to Feb 29 in a leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # a leap day a year on
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # and four years on
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),  # backwards too
        (date(2025, 12, 15), 1, date(2026, 1, 15)),  # across the year end
        (date(2025, 1, 15), -13, date(2023, 12, 15)),
        (date(2025, 5, 31), 0, date(2025, 5, 31)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_cadence_defaults_by_tier_and_vendor_override():
    policy = Policy()
    assert [cadence_for(t, policy) for t in Tier] == [12, 12, 24, 36]
    assert cadence_for(Tier.LOW, policy, 6) == 6
    custom = Policy(cadence_months={Tier.CRITICAL: 6, Tier.HIGH: 12, Tier.MEDIUM: 18, Tier.LOW: 24})
    assert cadence_for(Tier.CRITICAL, custom) == 6


def rule(**kwargs):
    defaults = dict(today=date(2026, 6, 1), override=None, last_concluded=None, cadence_months=12,
                    report_period_end=None, issuance_lag_days=42)
    return next_review_due(**(defaults | kwargs))


def test_override_wins_over_everything():
    due = rule(override=date(2026, 9, 1), last_concluded=date(2026, 1, 1), report_period_end=date(2026, 3, 31))
    assert due.due == date(2026, 9, 1)
    assert "by hand" in due.reason


def test_never_reviewed_is_due_now_and_stays_on_its_first_date():
    assert rule().due == date(2026, 6, 1)
    # the next day it is still the date it became due, not "today" again (so it turns overdue)
    assert rule(today=date(2026, 6, 2), scheduled_due=date(2026, 6, 1)).due == date(2026, 6, 1)


def test_last_review_plus_cadence_when_no_report():
    due = rule(last_concluded=date(2025, 7, 15), cadence_months=24)
    assert due.due == date(2027, 7, 15)
    assert "2025-07-15 + 24 months" in due.reason


def test_later_of_cadence_and_expected_report():
    # Report period ends Dec 31: next report expected Dec 31 next year + 42 days = Feb 11.
    assert expected_next_report(date(2025, 12, 31), 42) == date(2027, 2, 11)
    due = rule(last_concluded=date(2026, 1, 20), report_period_end=date(2025, 12, 31))
    assert due.due == date(2027, 2, 11)  # later than 2027-01-20
    assert "next SOC report expected" in due.reason
    # An old report expected long ago: the cadence decides.
    due = rule(last_concluded=date(2026, 1, 20), report_period_end=date(2024, 6, 30))
    assert due.due == date(2027, 1, 20)


def test_leap_day_review_and_leap_day_period_end():
    assert rule(last_concluded=date(2024, 2, 29)).due == date(2025, 2, 28)
    # Period end Feb 29, 2024 + 12 months = Feb 28, 2025, + 0 days lag.
    assert rule(last_concluded=date(2024, 1, 1), report_period_end=date(2024, 2, 29),
                issuance_lag_days=0).due == date(2025, 2, 28)
    # A month-end report + 12 months + 6 weeks.
    assert expected_next_report(date(2025, 6, 30), 42) == date(2026, 8, 11)


def test_reminder_is_the_most_recent_threshold_crossed():
    due = date(2026, 7, 31)
    assert reminder_due(due, date(2026, 5, 31)) is None  # 61 days ahead
    assert reminder_due(due, date(2026, 6, 1)) == ReminderKind.DUE_60
    assert reminder_due(due, date(2026, 7, 1)) == ReminderKind.DUE_30
    assert reminder_due(due, date(2026, 7, 20)) == ReminderKind.DUE_30  # 11 days: still the 30-day one
    assert reminder_due(due, date(2026, 7, 24)) == ReminderKind.DUE_7
    assert reminder_due(due, date(2026, 7, 31)) == ReminderKind.DUE_0
    assert reminder_due(due, date(2026, 9, 1)) == ReminderKind.DUE_0  # overdue: the owner hears once


def test_iso_week_belongs_to_the_iso_year():
    assert iso_week(date(2026, 11, 28)) == "2026-W48"
    assert iso_week(date(2024, 12, 30)) == "2025-W01"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"


@pytest.mark.parametrize(
    "period_end, bridged, today, expected",
    [
        (None, None, date(2026, 6, 1), CoverageState.MISSING),
        (date(2026, 3, 1), None, date(2026, 6, 1), CoverageState.CURRENT),  # exactly 3 months
        (date(2026, 2, 28), None, date(2026, 6, 1), CoverageState.BRIDGE_NEEDED),
        (date(2026, 2, 28), date(2026, 5, 15), date(2026, 6, 1), CoverageState.CURRENT),  # bridged
        (date(2026, 2, 28), date(2026, 2, 27), date(2026, 6, 1), CoverageState.BRIDGE_NEEDED),  # old letter
        (date(2025, 6, 1), None, date(2026, 6, 1), CoverageState.BRIDGE_NEEDED),  # exactly 12 months
        (date(2025, 5, 31), date(2026, 5, 31), date(2026, 6, 1), CoverageState.STALE),  # a letter cannot save it
        (date(2025, 11, 30), None, date(2026, 2, 28), CoverageState.CURRENT),  # month ends: Nov 30 + 3 = Feb 28
        (date(2024, 2, 29), None, date(2025, 2, 28), CoverageState.BRIDGE_NEEDED),  # leap day + 12 = Feb 28
        (date(2024, 2, 28), None, date(2025, 3, 1), CoverageState.STALE),
    ],
)
def test_coverage_state(period_end, bridged, today, expected):
    assert coverage_state(period_end, bridged, today) == expected


def test_gap_days_and_calendar_helpers():
    assert coverage_gap_days(date(2026, 1, 1), date(2026, 3, 1)) == 59
    assert coverage_gap_days(None, date(2026, 3, 1)) is None
    assert quarter_start(date(2026, 11, 28)) == date(2026, 10, 1)
    assert month_end(date(2028, 2, 10)) == date(2028, 2, 29)
