from datetime import date

import pytest

from nlp.dates import find_as_of, find_period, parse_date


@pytest.mark.parametrize("text,start,end", [
    ("May 1, 2024, to April 30, 2025", date(2024, 5, 1), date(2025, 4, 30)),
    ("1 January 2025 through 31 December 2025", date(2025, 1, 1), date(2025, 12, 31)),
    ("01/01/2025 – 12/31/2025", date(2025, 1, 1), date(2025, 12, 31)),
    ("for the period from October 1st, 2023 to September 30th, 2024", date(2023, 10, 1), date(2024, 9, 30)),
    ("Jan. 1, 2024 - Dec. 31, 2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("throughout the period July 1,\n2024 to June 30, 2025", date(2024, 7, 1), date(2025, 6, 30)),
])
def test_periods(text, start, end):
    assert find_period(text) == (start, end)


def test_reversed_or_single_dates_are_not_periods():
    assert find_period("signed June 12, 2025 and issued May 1, 2025") is None
    assert find_period("as of December 31, 2024") is None


def test_as_of_and_as_at():
    assert find_as_of("suitably designed as of December 31, 2024.") == date(2024, 12, 31)
    assert find_as_of("as at 31 December 2025") == date(2025, 12, 31)


def test_numeric_dates_read_month_first_unless_impossible():
    assert parse_date("03/04/2025") == date(2025, 3, 4)
    assert parse_date("31/12/2025") == date(2025, 12, 31)
    assert parse_date("February 30, 2025") is None
