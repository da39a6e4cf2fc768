"""Parse criteria references ("CC6.1 - CC6.3, A1.2", "CO 3") into normalised ids."""

from __future__ import annotations

import re

# The 2017 Trust Services Criteria ids (TSP section 100, revised points of
# focus 2022), in order. Needed to expand ranges that cross a group, e.g.
# "CC6.8 - CC7.2" -> CC6.8, CC7.1, CC7.2.
_TSC_GROUPS: dict[str, int] = {
    "CC1": 5, "CC2": 3, "CC3": 4, "CC4": 2, "CC5": 3, "CC6": 8, "CC7": 5, "CC8": 1, "CC9": 2,
    "A1": 3, "C1": 2, "PI1": 5,
    "P1": 1, "P2": 1, "P3": 2, "P4": 3, "P5": 2, "P6": 7, "P7": 1, "P8": 1,
}
TSC_IDS: list[str] = [f"{group}.{n}" for group, count in _TSC_GROUPS.items() for n in range(1, count + 1)]
_TSC_INDEX = {cid: i for i, cid in enumerate(TSC_IDS)}

CATEGORY_OF_PREFIX = {"CC": "security", "A": "availability", "C": "confidentiality",
                      "PI": "processing_integrity", "P": "privacy"}

_DASH = r"\s*(?:-|–|—|to|through)\s*"
# A TSC id: prefix, optional space, group number, dot, item number ("CC 6.1").
_TSC = r"(?<![A-Za-z])(CC|PI|A|C|P)\s?(\d{1,2})\.(\d{1,2})(?![\d.]*\d)"
_TSC_RANGE = re.compile(_TSC + rf"(?:{_DASH}(?:(CC|PI|A|C|P)\s?)?(\d{{1,2}})\.(\d{{1,2}})(?!\.\d))?")
# SOC 1 control objectives: "CO 3", "CO3", "Control Objective 5", "Control Objectives 1 - 3".
_CO_RANGE = re.compile(
    r"\b(?:CO|Control\s+Objectives?)\s?#?\s?(\d{1,2})(?:" + _DASH + r"(?:CO\s?|Control\s+Objective\s+)?(\d{1,2}))?\b"
)


def parse_criteria(text: str) -> list[str]:
    """Return criteria ids cited in ``text`` in printed order, ranges expanded, duplicates dropped.

    >>> parse_criteria("CC6.1 - CC6.3, CC 6.6; A1.2")
    ['CC6.1', 'CC6.2', 'CC6.3', 'CC6.6', 'A1.2']
    """
    found: list[tuple[int, list[str]]] = []
    for m in _TSC_RANGE.finditer(text):
        prefix, group, item, prefix2, group2, item2 = m.groups()
        start = f"{prefix}{group}.{item}"
        if group2 is None:
            found.append((m.start(), [start]))
            continue
        end = f"{prefix2 or prefix}{group2}.{item2}"
        found.append((m.start(), _expand_tsc(start, end)))
    for m in _CO_RANGE.finditer(text):
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first or last - first > 30:
            last = first
        found.append((m.start(), [f"CO {n}" for n in range(first, last + 1)]))
    ordered = [cid for _, ids in sorted(found, key=lambda f: f[0]) for cid in ids]
    return list(dict.fromkeys(ordered))


def _expand_tsc(start: str, end: str) -> list[str]:
    """Expand a range of TSC ids; unknown or reversed ends give just the printed ids."""
    if start in _TSC_INDEX and end in _TSC_INDEX and _TSC_INDEX[start] <= _TSC_INDEX[end]:
        return TSC_IDS[_TSC_INDEX[start]:_TSC_INDEX[end] + 1]
    # Ids outside the 2017 list (older or custom criteria): expand within one group only.
    sp, sn = start.rsplit(".", 1)
    ep, en = end.rsplit(".", 1)
    if sp == ep and int(sn) <= int(en):
        return [f"{sp}.{n}" for n in range(int(sn), int(en) + 1)]
    return [start, end]


def category_of(criterion: str) -> str | None:
    """Map a TSC id to its category ("A1.2" -> "availability"); None for control objectives."""
    m = re.match(r"(CC|PI|A|C|P)\d", criterion)
    return CATEGORY_OF_PREFIX[m.group(1)] if m else None
