"""Dates and review periods as reports print them."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], 1)}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "May 1, 2024" / "May 1 2024" / "1 May 2024" / "01/31/2025" / "2025-01-31" / "1st of May, 2024".
DATE = (
    rf"(?:{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+\d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})"
)
_DATE_RE = re.compile(DATE, re.IGNORECASE)
_SEP = r"\s*,?\s*(?:to|through|thru|until|and ending(?: on)?|-|–|—)\s+"
_PERIOD_RE = re.compile(rf"({DATE}){_SEP}({DATE})", re.IGNORECASE)
_AS_OF_RE = re.compile(rf"\bas\s+(?:of|at)\s+({DATE})", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    """Parse one printed date; None when it is not a valid date.

    Numeric dates are read month first (US reports); a first field over 12
    is read as the day.
    """
    t = text.strip().rstrip(".")
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t):
            a, b, y = int(m[1]), int(m[2]), int(m[3])
            return date(y, b, a) if a > 12 else date(y, a, b)
        words = re.findall(r"[A-Za-z]+|\d+", t)
        nums = [int(w) for w in words if w.isdigit()]
        month = next((_MONTHS[w.lower()] for w in words if w.lower() in _MONTHS), None)
        if month is None or len(nums) != 2:
            return None
        day, year = (nums[0], nums[1]) if nums[1] > 31 else (nums[1], nums[0])
        return date(year, month, day)
    except ValueError:
        return None


def find_period(text: str) -> tuple[date, date] | None:
    """First "<date> to <date>" range in ``text`` whose end follows its start."""
    for m in _PERIOD_RE.finditer(_flatten(text)):
        start, end = parse_date(m.group(1)), parse_date(m.group(2))
        if start and end and start < end:
            return start, end
    return None


def find_as_of(text: str) -> date | None:
    """First "as of <date>" (British: "as at <date>") in ``text``."""
    m = _AS_OF_RE.search(_flatten(text))
    return parse_date(m.group(1)) if m else None


def _flatten(text: str) -> str:
    return re.sub(r"\s+", " ", text)
