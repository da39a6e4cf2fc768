"""Score extracted documents against expected ones.

One :class:`ReportScore` per report; :class:`CorpusScore` adds them up
(micro-averaged: true/false positives and negatives are summed over the corpus
before precision and recall are computed). Reports whose expected status is
not ``ok`` count for status accuracy only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .hashing import expected_text, is_hashed
from .matching import (NAME_THRESHOLD, RESPONSE_THRESHOLD, TEXT_THRESHOLD, exception_similarity, greedy_match,
                       name_similarity, response_similarity, text_similarity)
from .normalize import canonical_criterion, criteria_set, normalize

LISTS = ("cuecs", "csocs", "exceptions", "subservice_organizations")
METADATA_FIELDS = ("framework", "type", "service_organization", "auditor", "period_start", "period_end", "opinion",
                   "trust_services_criteria", "opinion_basis")

# The quality bar the extractor must clear on tests/corpus
# (tests/nlp/test_corpus_quality.py asserts these).
FLOORS = {
    "f1.cuecs": 0.95,
    "f1.exceptions": 0.95,
    "f1.csocs": 0.90,
    "f1.subservice_organizations": 0.90,
    "metadata": 0.95,
    "status": 1.0,
    "page": 0.95,
}


@dataclass
class Ratio:
    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hit += bool(ok)
        self.total += 1

    def __iadd__(self, other: "Ratio") -> "Ratio":
        self.hit += other.hit
        self.total += other.total
        return self

    @property
    def value(self) -> float | None:
        return self.hit / self.total if self.total else None


@dataclass
class ListScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    matched: list = field(default_factory=list)  # (expected item, extracted item, similarity)
    missed: list = field(default_factory=list)
    spurious: list = field(default_factory=list)

    def __iadd__(self, other: "ListScore") -> "ListScore":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ReportScore:
    name: str
    expected_status: str
    extracted_status: str | None
    pages: int | None = None
    seconds: float = 0.0
    error: str | None = None
    lists: dict[str, ListScore] = field(default_factory=dict)
    metadata: dict[str, bool] = field(default_factory=dict)
    metadata_values: dict[str, tuple] = field(default_factory=dict)
    page: Ratio = field(default_factory=Ratio)
    page_misses: list = field(default_factory=list)  # (list name, expected item, extracted page)
    secondary: dict[str, Ratio] = field(default_factory=dict)

    @property
    def status_ok(self) -> bool:
        return self.expected_status == self.extracted_status

    @property
    def scored(self) -> bool:
        return self.expected_status == "ok"


def _items(doc: dict, name: str) -> list[dict]:
    items = doc.get(name) if isinstance(doc, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _aliases(expected_doc: dict) -> dict[str, list[str]]:
    """Expected subservice organisation name -> all names it goes by."""
    out = {}
    for s in _items(expected_doc, "subservice_organizations"):
        out[s.get("name")] = [s.get("name")] + list(s.get("aliases") or [])
    return out


def _scorers(expected_doc: dict):
    aliases = _aliases(expected_doc)
    return {
        "cuecs": (lambda e, x: text_similarity(expected_text(e, "text"), x.get("text")), TEXT_THRESHOLD),
        "csocs": (lambda e, x: text_similarity(expected_text(e, "text"), x.get("text")), TEXT_THRESHOLD),
        "exceptions": (lambda e, x: exception_similarity(expected_text(e, "description"), x.get("description")),
                       TEXT_THRESHOLD),
        "subservice_organizations": (
            lambda e, x: name_similarity(aliases.get(e.get("name"), [e.get("name")]), x.get("name")), NAME_THRESHOLD),
    }, aliases


def score_list(expected: list[dict], extracted: list[dict], score, threshold) -> ListScore:
    pairs = greedy_match(expected, extracted, score, threshold)
    ls = ListScore(tp=len(pairs), fp=len(extracted) - len(pairs), fn=len(expected) - len(pairs))
    mi, mx = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    ls.matched = [(expected[i], extracted[j], s) for i, j, s in pairs]
    ls.missed = [e for i, e in enumerate(expected) if i not in mi]
    ls.spurious = [x for j, x in enumerate(extracted) if j not in mx]
    return ls


def _same_org(expected: str | None, extracted: str | None, names: list[str] | None = None) -> bool:
    if not expected:
        return not extracted
    return name_similarity(names or [expected], extracted) >= NAME_THRESHOLD


def score_metadata(expected: dict, extracted: dict) -> tuple[dict[str, bool], dict[str, tuple]]:
    e, x = expected.get("report") or {}, (extracted.get("report") if isinstance(extracted, dict) else None) or {}
    if not isinstance(x, dict):
        x = {}
    out, values = {}, {}
    for f in METADATA_FIELDS:
        ev, xv = e.get(f), x.get(f)
        if f in ("service_organization", "auditor"):
            ok = _same_org(ev, xv)
        elif f == "trust_services_criteria":
            ok = set(ev or []) == set(xv or []) if isinstance(xv, (list, type(None))) else False
        elif f == "opinion_basis":
            ok = bool(ev) == bool(xv and str(xv).strip())  # present when expected, absent when not
        else:
            ok = ev == xv
        out[f] = ok
        values[f] = (ev, xv)
    return out, values


def score_report(name: str, expected: dict, extracted: dict | None, seconds: float = 0.0,
                 error: str | None = None) -> ReportScore:
    extracted = extracted if isinstance(extracted, dict) else {}
    rs = ReportScore(name=name, expected_status=expected["status"], extracted_status=extracted.get("status"),
                     pages=(expected.get("source") or {}).get("pages"), seconds=seconds, error=error)
    if not rs.scored:
        return rs
    scorers, aliases = _scorers(expected)
    for lst in LISTS:
        score, threshold = scorers[lst]
        rs.lists[lst] = score_list(_items(expected, lst), _items(extracted, lst), score, threshold)
    rs.metadata, rs.metadata_values = score_metadata(expected, extracted)

    for lst, ls in rs.lists.items():
        for e, x, _ in ls.matched:
            ok = e.get("page") == x.get("page")
            rs.page.add(ok)
            if not ok:
                rs.page_misses.append((lst, e, x.get("page")))

    sec = {k: Ratio() for k in ("exception control_id", "management_response", "cuec criteria",
                                "subservice method", "csoc organization", "opinion_basis text")}
    for e, x, _ in rs.lists["exceptions"].matched:
        sec["exception control_id"].add(normalize(e.get("control_id")).replace(" ", "") ==
                                        normalize(x.get("control_id")).replace(" ", ""))
        er, xr = expected_text(e, "management_response"), x.get("management_response")
        sec["management_response"].add((not er and not xr) or (bool(er) and bool(xr) and
                                                                response_similarity(er, xr) >= RESPONSE_THRESHOLD))
    for e, x, _ in rs.lists["cuecs"].matched:
        sec["cuec criteria"].add(criteria_set(e.get("criteria")) == criteria_set(x.get("criteria")))
    for e, x, _ in rs.lists["subservice_organizations"].matched:
        sec["subservice method"].add(e.get("method") == x.get("method"))
    for e, x, _ in rs.lists["csocs"].matched:
        org = e.get("subservice_organization")
        sec["csoc organization"].add(_same_org(org, x.get("subservice_organization"), aliases.get(org)))
    eb = (expected.get("report") or {}).get("opinion_basis")
    if isinstance(eb, str) and eb:  # hashed gold keeps only `"opinion_basis": true` (present, text not kept)
        xb = ((extracted.get("report") or {}) if isinstance(extracted.get("report"), dict) else {}).get("opinion_basis")
        sec["opinion_basis text"].add(text_similarity(eb, xb) >= TEXT_THRESHOLD)
    rs.secondary = sec
    return rs


@dataclass
class CorpusScore:
    reports: list[ReportScore]

    @property
    def scored(self) -> list[ReportScore]:
        return [r for r in self.reports if r.scored]

    def list_score(self, name: str) -> ListScore:
        total = ListScore()
        for r in self.scored:
            total += r.lists[name]
        return total

    def status(self) -> Ratio:
        r = Ratio()
        for rep in self.reports:
            r.add(rep.status_ok)
        return r

    def metadata_field(self, f: str) -> Ratio:
        r = Ratio()
        for rep in self.scored:
            r.add(rep.metadata[f])
        return r

    def metadata(self) -> Ratio:
        r = Ratio()
        for f in METADATA_FIELDS:
            r += self.metadata_field(f)
        return r

    def page(self) -> Ratio:
        r = Ratio()
        for rep in self.scored:
            r += rep.page
        return r

    def secondary(self) -> dict[str, Ratio]:
        out: dict[str, Ratio] = {}
        for rep in self.scored:
            for k, v in rep.secondary.items():
                out.setdefault(k, Ratio())
                out[k] += v
        return out

    def speed(self) -> tuple[int, float]:
        pages = sum(r.pages or 0 for r in self.reports)
        return pages, sum(r.seconds for r in self.reports)

    def headline(self) -> dict[str, float | None]:
        """The numbers FLOORS applies to."""
        out = {f"f1.{n}": self.list_score(n).f1 for n in LISTS}
        out["metadata"] = self.metadata().value
        out["status"] = self.status().value
        out["page"] = self.page().value
        return out

    def below_floors(self) -> dict[str, tuple[float | None, float]]:
        h = self.headline()
        return {k: (h[k], v) for k, v in FLOORS.items() if h[k] is not None and h[k] < v}

    def to_dict(self, verbose: bool = False) -> dict:
        pages, seconds = self.speed()
        d = {
            "reports": len(self.reports),
            "scored_reports": len(self.scored),
            "status_accuracy": self.status().value,
            "lists": {n: {"expected": ls.tp + ls.fn, "extracted": ls.tp + ls.fp, "tp": ls.tp,
                          "precision": ls.precision, "recall": ls.recall, "f1": ls.f1}
                      for n, ls in ((n, self.list_score(n)) for n in LISTS)},
            "metadata": {"overall": self.metadata().value,
                         **{f: self.metadata_field(f).value for f in METADATA_FIELDS}},
            "page_accuracy": self.page().value,
            "secondary": {k: v.value for k, v in self.secondary().items()},
            "pages": pages,
            "seconds": round(seconds, 3),
            "pages_per_second": round(pages / seconds, 2) if seconds else None,
            "floors": FLOORS,
            "below_floors": {k: v[0] for k, v in self.below_floors().items()},
        }
        if verbose:
            d["per_report"] = [report_detail(r) for r in self.reports]
        return d


def _brief(item: dict, lst: str) -> dict:
    key = {"cuecs": "text", "csocs": "text", "exceptions": "description", "subservice_organizations": "name"}[lst]
    out = {"page": item.get("page"), key: "(hashed)" if is_hashed(item) else item.get(key)}
    if is_hashed(item) and item.get("criteria"):
        out["criteria"] = item["criteria"]
    if lst == "exceptions":
        out["control_id"] = item.get("control_id")
    return out


def report_detail(r: ReportScore) -> dict:
    d = {"name": r.name, "expected_status": r.expected_status, "extracted_status": r.extracted_status,
         "seconds": round(r.seconds, 3)}
    if r.error:
        d["error"] = r.error
    if not r.scored:
        return d
    d["missed"] = {n: [_brief(i, n) for i in ls.missed] for n, ls in r.lists.items() if ls.missed}
    d["spurious"] = {n: [_brief(i, n) for i in ls.spurious] for n, ls in r.lists.items() if ls.spurious}
    d["metadata_wrong"] = {f: {"expected": r.metadata_values[f][0], "extracted": r.metadata_values[f][1]}
                           for f, ok in r.metadata.items() if not ok}
    d["wrong_pages"] = [{"list": lst, "expected_page": e.get("page"), "extracted_page": p, **_brief(e, lst)}
                        for lst, e, p in r.page_misses]
    return d


def score_corpus(reports: list[ReportScore]) -> CorpusScore:
    return CorpusScore(reports)


__all__ = ["FLOORS", "LISTS", "METADATA_FIELDS", "CorpusScore", "ListScore", "Ratio", "ReportScore", "score_corpus",
           "score_list", "score_metadata", "score_report", "canonical_criterion"]
