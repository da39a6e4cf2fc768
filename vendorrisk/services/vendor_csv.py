"""CSV import and export of the vendor inventory.

An import is all or nothing and idempotent: a row whose name (any case)
matches an existing vendor updates it, so a second run of the same file
changes nothing. The preview is the real import run inside a transaction
that is rolled back, so it can never disagree with what the import does.

An import never loses data by accident: a blank cell keeps the stored value
(spreadsheets leave cells blank for "unknown", not for "erase"), only the
cell text CLEAR empties a field, and a matched vendor keeps its name as
stored (the match ignores case, so the row's spelling says nothing new).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Iterable, Iterator

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from models import DataCategory, LifecycleStatus, Tier, User, Vendor, VendorDataCategory
from vendorrisk.services import exports, vendors
from vendorrisk.services.errors import ServiceError, ValidationError
from vendorrisk.services.vendors import VendorFields

COLUMNS = [
    "name", "legal_name", "website", "services", "tier", "status", "data_handled", "has_production_access",
    "business_owner_email", "security_owner_email", "contact_name", "contact_email", "contact_phone",
    "contract_start", "contract_end", "renewal_notice_date", "notes", "tier_override_reason",
]
REQUIRED_COLUMNS = {"name", "tier"}
# The cell text that empties a field; a blank cell leaves it as it is.
CLEAR = "(clear)"
# Columns whose cell names a user by e-mail; the vendor holds the user's id.
OWNER_COLUMNS = {"business_owner_email": "business_owner_id", "security_owner_email": "security_owner_id"}
DATE_COLUMNS = ("contract_start", "contract_end", "renewal_notice_date")
MAX_ROWS = 10_000
# Exported cells starting with a formula character get a leading apostrophe
# (see services/exports.py), which the import strips again.
_unescape = exports.unescape_formula
TRUE_WORDS, FALSE_WORDS = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


@dataclass(frozen=True)
class Change:
    """One field of one row as the preview shows it, in the file's terms
    (column names, owners by e-mail); `old` is "" for a new vendor."""

    column: str
    old: str
    new: str


@dataclass
class RowResult:
    line: int  # line number in the file, counting the header as 1
    name: str
    action: str = ""  # "create", "update" or "unchanged"
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[RowResult]
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(not row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)


def decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else Windows-1252,
    which is what Excel's plain "CSV" writes on Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def run_import(session: Session, data: bytes, *, actor: User, today: date) -> ImportResult:
    """Apply the file in the caller's transaction. Each row runs in a savepoint
    so every row's errors are reported; the caller commits only if `ok`."""
    try:
        reader = csv.DictReader(io.StringIO(decode(data), newline=""))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as error:
        return ImportResult(rows=[], file_errors=[f"The file is not valid CSV: {error}."])
    file_errors = _check_header(header)
    if file_errors:
        return ImportResult(rows=[], file_errors=file_errors)
    reader.fieldnames = header

    owners = {u.email: u.id for u in session.scalars(select(User))}
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    try:
        for raw in reader:
            if len(results) >= MAX_ROWS:
                return ImportResult(rows=[], file_errors=[f"The file has more than {MAX_ROWS:,} rows; split it."])
            line = reader.line_num
            row = {k: _unescape((v or "").strip()) for k, v in raw.items() if k is not None}
            if not any(row.values()):
                continue
            result = RowResult(line=line, name=row.get("name", ""))
            results.append(result)
            if None in raw:
                result.errors.append("The row has more cells than the header has columns.")
                continue
            key = result.name.lower()
            if key in seen:
                result.errors.append(f"The same vendor is also on line {seen[key]}.")
                continue
            seen[key] = line
            _import_row(session, row, result, owners, actor, today)
    except csv.Error as error:
        return ImportResult(rows=results, file_errors=[f"The file is not valid CSV near line {reader.line_num}: {error}."])
    if not results:
        return ImportResult(rows=[], file_errors=["The file has a header but no vendor rows."])
    return ImportResult(rows=results)


def _check_header(header: list[str]) -> list[str]:
    if not header:
        return ["The file is empty. The first line must name the columns, e.g. name,tier,status."]
    errors = []
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        errors.append(f"Missing column(s): {', '.join(sorted(missing))}. The first line must name the columns.")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        errors.append(f"Unknown column(s): {', '.join(unknown)}. Known columns: {', '.join(COLUMNS)}.")
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        errors.append(f"Column(s) named twice: {', '.join(duplicates)}.")
    return errors


def _import_row(session: Session, row: dict[str, str], result: RowResult, owners: dict[str, int], actor: User,
                today: date) -> None:
    existing = vendors.find_by_name(session, result.name) if result.name else None
    try:
        values, status = _parse_row(row, owners, existing)
    except ValidationError as error:
        result.errors.append(error.message)
        return
    emails = {user_id: email for email, user_id in owners.items()}
    savepoint = session.begin_nested()
    try:
        if existing is None:
            vendors.create_vendor(session, values, actor=actor, status=status or LifecycleStatus.PROSPECT, today=today)
            result.action = "create"
            changes = {f.name: (None, getattr(values, f.name)) for f in fields(VendorFields)
                       if f.name == "tier" or getattr(values, f.name) not in (None, "", False, set())}
            changes["status"] = (None, status or LifecycleStatus.PROSPECT)
        else:
            old_status = existing.status
            changes = vendors.update_vendor(session, existing, values, actor=actor)
            if status is not None and status != old_status:
                vendors.change_status(session, existing, status, actor=actor, today=today)
                changes["status"] = (old_status, status)
            result.action = "update" if changes else "unchanged"
        result.changes = [Change(_column(name), _cell(old, emails), _cell(new, emails))
                          for name, (old, new) in changes.items() if name != "name"]
        session.flush()
    except ServiceError as error:
        savepoint.rollback()
        result.errors.append(error.message)
    else:
        savepoint.commit()


def _parse_row(row: dict[str, str], owners: dict[str, int], existing: Vendor | None) -> tuple[VendorFields, LifecycleStatus | None]:
    """The row as VendorFields over the existing vendor's values: a blank
    cell, like a column absent from the file, keeps the stored value, and
    CLEAR empties the field."""
    values = VendorFields.of(existing) if existing else VendorFields(name="", tier=Tier.MEDIUM)
    name = row.get("name", "")
    if not name or name == CLEAR:
        raise ValidationError("The name is empty.")
    if existing is None:
        if not row.get("tier"):
            raise ValidationError("tier: a new vendor needs a tier (critical, high, medium or low).")
        values.name = name
    empty = VendorFields(name="", tier=Tier.MEDIUM)
    for column, text in row.items():
        if column in ("name", "status") or not text:
            continue
        attribute = OWNER_COLUMNS.get(column, column)
        if text == CLEAR:
            if column == "tier":
                raise ValidationError("tier: a vendor always has a tier; it cannot be cleared.")
            setattr(values, attribute, getattr(empty, attribute))
        else:
            setattr(values, attribute, _parse_cell(column, text, owners))
    status = row.get("status")
    if status == CLEAR:
        raise ValidationError("status: a vendor always has a lifecycle status; it cannot be cleared.")
    return values, _enum(LifecycleStatus, status, "status") if status else None


def _parse_cell(column: str, text: str, owners: dict[str, int]) -> object:
    if column == "tier":
        return _enum(Tier, text, column)
    if column == "data_handled":
        return _categories(text)
    if column == "has_production_access":
        return _boolean(text, column)
    if column in DATE_COLUMNS:
        return _date(text, column)
    if column in OWNER_COLUMNS:
        if text.lower() not in owners:
            raise ValidationError(f"{column}: no user has the e-mail {text}.")
        return owners[text.lower()]
    return text


def _column(attribute: str) -> str:
    """The file's column for a VendorFields attribute."""
    return next((column for column, target in OWNER_COLUMNS.items() if target == attribute), attribute)


def _cell(value: object, emails: dict[int, str]) -> str:
    """A stored value as the file would spell it ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):  # an owner's user id
        return emails.get(value, f"user #{value}")
    if isinstance(value, (set, frozenset)):
        return ";".join(sorted(c.value for c in value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value.value if hasattr(value, "value") else value)


def _enum(enum_cls, text: str, column: str):
    wanted = text.strip().lower().replace(" ", "_").replace("-", "_")
    for member in enum_cls:
        if member.value == wanted:
            return member
    allowed = ", ".join(m.value for m in enum_cls)
    raise ValidationError(f"{column}: “{text}” is not one of {allowed}.")


def _categories(text: str) -> set[DataCategory]:
    by_name = {c.value: c for c in DataCategory} | {c.label.lower(): c for c in DataCategory}
    result = set()
    for part in (p.strip().lower() for p in text.replace(",", ";").split(";")):
        if not part:
            continue
        category = by_name.get(part) or by_name.get(part.replace(" ", "_"))
        if category is None:
            raise ValidationError(
                f"data_handled: “{part}” is not known; use {', '.join(c.value for c in DataCategory)}, separated by ;"
            )
        result.add(category)
    return result


def _boolean(text: str, column: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError(f"{column}: write yes or no, not “{text}”.")


def _date(text: str, column: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{column}: “{text}” is not a date; write it as YYYY-MM-DD.") from None


def export_rows(session: Session, vendor_select: Select[tuple[Vendor]]) -> Iterator[list[object]]:
    """The vendors `vendor_select` picks, in its order, as cells in COLUMNS
    order (the CSV row, the XLSX row), streamed.

    Plain columns, with the owners' e-mails and the data categories joined
    in: loading Vendor objects with their categories cost more than writing
    the file (10,000 vendors: 28,000 objects and a query per batch)."""
    business, security = aliased(User), aliased(User)
    categories = (select(VendorDataCategory.vendor_id,
                         func.aggregate_strings(VendorDataCategory.category, ";").label("data_handled"))
                  .group_by(VendorDataCategory.vendor_id).subquery())
    cells = {
        "data_handled": categories.c.data_handled,
        "business_owner_email": business.email,
        "security_owner_email": security.email,
    }
    query = (vendor_select.with_only_columns(*(cells.get(name, getattr(Vendor, name, None)) for name in COLUMNS))
             .outerjoin(business, business.id == Vendor.business_owner_id)
             .outerjoin(security, security.id == Vendor.security_owner_id)
             .outerjoin(categories, categories.c.vendor_id == Vendor.id))
    data_handled = COLUMNS.index("data_handled")
    for row in exports.stream(session, query):
        row = list(row)
        # The database joins them in any order; the import's format sorts them.
        row[data_handled] = ";".join(sorted((row[data_handled] or "").split(";"))).strip(";")
        yield row


def export_lines(session: Session, vendor_select: Select[tuple[Vendor]]) -> Iterable[str]:
    """The CSV, line by line, in the import's format."""
    return exports.csv_lines(COLUMNS, export_rows(session, vendor_select))
