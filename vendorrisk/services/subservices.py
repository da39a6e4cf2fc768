"""Subservice organizations (fourth parties): one record however reports spell
the name, aliases, links to vendors and the concentration ranking."""
from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import Select, and_, case, func, select, union
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    LifecycleStatus,
    SubserviceAlias,
    SubserviceMethod,
    SubserviceOrganization,
    Tier,
    User,
    Vendor,
    VendorSubservice,
)
from vendorrisk.services import audit
from vendorrisk.services.errors import Conflict, NotFound, ValidationError

# Legal-form words that do not tell two organizations apart:
# "Amazon Web Services, Inc." and "Amazon Web Services" are one.
_LEGAL_SUFFIXES = {
    "inc", "incorporated", "llc", "l l c", "ltd", "limited", "corp", "corporation", "co", "company",
    "plc", "gmbh", "ag", "sa", "s a", "bv", "b v", "lp", "l p", "llp", "pty", "holdings",
}
_SUFFIX_RE = re.compile(r"(?:\s+(?:" + "|".join(sorted((re.escape(s) for s in _LEGAL_SUFFIXES), key=len, reverse=True)) + r"))+$")


def name_key(name: str) -> str:
    """The form two spellings of one organization share: lower case, no
    punctuation, no legal suffix, no leading "the"."""
    key = re.sub(r"\(.*?\)", " ", name.lower())  # "Amazon Web Services (AWS)" -> the long name
    key = key.replace("&", " and ")
    key = re.sub(r"[^\w\s]", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    key = re.sub(r"^the ", "", key)
    key = _SUFFIX_RE.sub("", key).strip()
    return key


def find_organization(session: Session, name: str) -> SubserviceOrganization | None:
    """The organization this name or alias belongs to, if any."""
    return find_organizations(session, [name]).get(name)


def find_organizations(session: Session, names: Iterable[str]) -> dict[str, SubserviceOrganization]:
    """The organization each name or alias belongs to (names of none left out), in one query."""
    keys = {name: name_key(name) for name in names}
    if not any(keys.values()):
        return {}
    # Every organization carries its own name as an alias, so one lookup covers both.
    aliases = session.scalars(
        select(SubserviceAlias).where(SubserviceAlias.key.in_({key for key in keys.values() if key}))
        .options(joinedload(SubserviceAlias.organization))
    )
    by_key = {alias.key: alias.organization for alias in aliases}
    return {name: by_key[key] for name, key in keys.items() if key in by_key}


# What an organization's page shows of it, loaded with it (templates never
# query): its names, and the vendors that rely on it, one query each rather
# than one per vendor.
PAGE_LOADS = (selectinload(SubserviceOrganization.aliases),
              selectinload(SubserviceOrganization.vendor_links).joinedload(VendorSubservice.vendor))


def get_organization(session: Session, organization_id: int, options=()) -> SubserviceOrganization:
    organization = session.get(SubserviceOrganization, organization_id, options=options)
    if organization is None:
        raise NotFound(f"There is no subservice organization #{organization_id}.")
    return organization


def merge_candidates(session: Session, organization: SubserviceOrganization) -> list[tuple[int, str]]:
    """(id, name) of every other organization, by name: what can be merged
    into this one. Two columns, not whole records: there are hundreds."""
    return list(session.execute(
        select(SubserviceOrganization.id, SubserviceOrganization.name)
        .where(SubserviceOrganization.id != organization.id).order_by(SubserviceOrganization.name)
    ).tuples())


def name_suggestions(session: Session, text: str, *, limit: int = 20) -> list[str]:
    """Organization names and aliases containing `text` in any case, those
    starting with it first: what search-as-you-type offers instead of a page
    carrying every name (as vendors.name_suggestions does for vendors)."""
    needle = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if not needle:
        return []
    # A renamed organization keeps its old name as an alias, but a rename
    # that only changes case adds none: its current name is read too.
    names = union(select(SubserviceOrganization.name.label("name")), select(SubserviceAlias.alias.label("name"))).subquery()
    name = func.lower(names.c.name)
    starts = name.like(func.lower(f"{needle}%"), escape="\\")
    return list(session.scalars(
        select(names.c.name).where(name.like(func.lower(f"%{needle}%"), escape="\\"))
        .order_by(case((starts, 0), else_=1), name, names.c.name).limit(limit)
    ))


def create_organization(session: Session, name: str, *, actor: User | None, website: str | None = None) -> SubserviceOrganization:
    name = name.strip()
    if not name_key(name):
        raise ValidationError("Enter the organization's name.", field="name")
    existing = find_organization(session, name)
    if existing is not None:
        raise Conflict(f"“{name}” is already recorded as {existing.name}.", field="name")
    organization = SubserviceOrganization(name=name, website=(website or "").strip() or None)
    organization.aliases.append(SubserviceAlias(alias=name, key=name_key(name)))
    session.add(organization)
    session.flush()
    audit.record(session, actor, "created", f"Created subservice organization {name}",
                 entity_type="subservice_organization", entity_id=organization.id)
    return organization


def add_alias(session: Session, organization: SubserviceOrganization, alias: str, *, actor: User | None) -> SubserviceAlias:
    alias = alias.strip()
    key = name_key(alias)
    if not key:
        raise ValidationError("Enter the other name.", field="alias")
    other = find_organization(session, alias)
    if other is not None:
        if other.id == organization.id:
            raise Conflict(f"“{alias}” already names {organization.name}.", field="alias")
        raise Conflict(f"“{alias}” already names {other.name}. Merge the two organizations instead.", field="alias")
    record = SubserviceAlias(alias=alias, key=key)
    organization.aliases.append(record)
    audit.record(session, actor, "alias_added", f"{organization.name} is also called {alias}",
                 entity_type="subservice_organization", entity_id=organization.id)
    return record


def remove_alias(session: Session, organization: SubserviceOrganization, alias_id: int, *, actor: User | None) -> None:
    alias = next((a for a in organization.aliases if a.id == alias_id), None)
    if alias is None:
        raise NotFound("That alias does not belong to this organization.")
    if alias.key == name_key(organization.name):
        raise ValidationError("The organization's own name cannot be removed; rename it instead.")
    organization.aliases.remove(alias)
    audit.record(session, actor, "alias_removed", f"{organization.name} is no longer called {alias.alias}",
                 entity_type="subservice_organization", entity_id=organization.id)


def merge(session: Session, keep: SubserviceOrganization, duplicate: SubserviceOrganization, *, actor: User | None) -> None:
    """Fold `duplicate` into `keep`: its aliases and vendor links move over."""
    if keep.id == duplicate.id:
        raise ValidationError("Choose a different organization to merge.")
    for alias in list(duplicate.aliases):
        # Re-parent the alias in one step. Removing it from `duplicate` first
        # made it an orphan, and loading keep.aliases autoflushed, which
        # deleted it (delete-orphan) before it could be appended: a 500.
        alias.organization = keep
    linked = {link.vendor_id for link in keep.vendor_links}
    for link in list(duplicate.vendor_links):
        if link.vendor_id not in linked:
            keep.vendor_links.append(VendorSubservice(
                vendor_id=link.vendor_id, method=link.method, services=link.services,
            ))
    session.flush()
    session.delete(duplicate)
    audit.record(session, actor, "merged", f"Merged {duplicate.name} into {keep.name}",
                 entity_type="subservice_organization", entity_id=keep.id)


def link_vendor(
    session: Session,
    vendor: Vendor,
    organization_name: str,
    *,
    method: SubserviceMethod | str | None,
    services: str | None,
    actor: User | None,
) -> VendorSubservice:
    """Record that the vendor relies on the organization, creating the
    organization when no name or alias matches; relinking updates the method."""
    method = SubserviceMethod(method) if method else None
    organization = find_organization(session, organization_name) or create_organization(
        session, organization_name, actor=actor
    )
    link = next((l for l in vendor.subservice_links if l.organization_id == organization.id), None)
    services = (services or "").strip() or None
    if link is None:
        link = VendorSubservice(organization=organization, method=method, services=services)
        vendor.subservice_links.append(link)
        action, summary = "subservice_linked", f"{vendor.name} relies on {organization.name}"
        changes = {"method": (None, method)}
    else:
        changes = audit.diff(link, {"method": method, "services": services})
        link.method, link.services = method, services
        action, summary = "subservice_updated", f"{vendor.name}'s link to {organization.name} updated"
    if changes:
        audit.record(session, actor, action, summary, entity_type="vendor", entity_id=vendor.id,
                     vendor_id=vendor.id, changes=changes)
    return link


def link_named_organization(session: Session, vendor: Vendor, organization: SubserviceOrganization, *,
                            method: SubserviceMethod | str | None, services: str | None, actor: User | None) -> None:
    """Link the vendor to an organization one of its reports names, unless it
    already relies on it: a link someone edited keeps its method and services."""
    if not any(link.organization_id == organization.id for link in vendor.subservice_links):
        link_vendor(session, vendor, organization.name, method=method, services=services, actor=actor)


def unlink_vendor(session: Session, vendor: Vendor, organization_id: int, *, actor: User | None) -> str:
    link = next((l for l in vendor.subservice_links if l.organization_id == organization_id), None)
    if link is None:
        raise NotFound("The vendor is not linked to that organization.")
    name = link.organization.name
    vendor.subservice_links.remove(link)
    audit.record(session, actor, "subservice_unlinked", f"{vendor.name} no longer relies on {name}",
                 entity_type="vendor", entity_id=vendor.id, vendor_id=vendor.id)
    return name


def vendor_links(session: Session, vendor_id: int) -> list[VendorSubservice]:
    """The organizations a vendor relies on, with their records, by name."""
    links = session.scalars(
        select(VendorSubservice).where(VendorSubservice.vendor_id == vendor_id)
        .options(joinedload(VendorSubservice.organization))
    )
    return sorted(links, key=lambda link: link.organization.name.lower())


def concentration_query() -> Select:
    """Organizations ranked by how many critical vendors, then how many vendors,
    depend on them. Terminated vendors no longer count.

    Rows: (SubserviceOrganization, vendor_count, critical_count, carve_out_count).
    """
    # One join of the live vendors, not a subquery over every vendor per count
    # (each `vendor_id IN (SELECT ...)` hashed all 10,000 vendors again).
    vendor_count = func.count(Vendor.id)
    critical_count = func.count(Vendor.id).filter(Vendor.tier == Tier.CRITICAL)
    carve_out_count = func.count(Vendor.id).filter(VendorSubservice.method == SubserviceMethod.CARVE_OUT)
    return (
        select(SubserviceOrganization, vendor_count.label("vendors"), critical_count.label("critical"),
               carve_out_count.label("carve_out"))
        .outerjoin(VendorSubservice, VendorSubservice.organization_id == SubserviceOrganization.id)
        .outerjoin(Vendor, and_(Vendor.id == VendorSubservice.vendor_id, Vendor.status != LifecycleStatus.TERMINATED))
        .group_by(SubserviceOrganization.id)
        .order_by(critical_count.desc(), vendor_count.desc(), func.lower(SubserviceOrganization.name))
        .options(selectinload(SubserviceOrganization.aliases))
    )


def update_organization(
    session: Session, organization: SubserviceOrganization, *, name: str, website: str | None, notes: str | None,
    actor: User | None,
) -> None:
    """Rename (the new name becomes an alias too) or edit website and notes."""
    name = name.strip()
    if not name_key(name):
        raise ValidationError("Enter the organization's name.", field="name")
    owner = find_organization(session, name)
    if owner is not None and owner.id != organization.id:
        raise Conflict(f"“{name}” already names {owner.name}.", field="name")
    updates = {"name": name, "website": (website or "").strip() or None, "notes": (notes or "").strip() or None}
    changes = audit.diff(organization, updates)
    if not changes:
        return
    for field, value in updates.items():
        setattr(organization, field, value)
    if owner is None:
        organization.aliases.append(SubserviceAlias(alias=name, key=name_key(name)))
    audit.record(session, actor, "updated", f"Updated subservice organization {name}",
                 entity_type="subservice_organization", entity_id=organization.id, changes=changes)
