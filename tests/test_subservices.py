"""Fourth parties: one record however reports spell the name, and the concentration ranking."""
from __future__ import annotations

import re

import pytest

from models import LifecycleStatus, Role, SubserviceMethod, SubserviceOrganization, Tier
from tests.factories import make_user, make_vendor
from vendorrisk.services import subservices
from vendorrisk.services.errors import Conflict
from vendorrisk.services.subservices import name_key


@pytest.mark.parametrize(
    "a, b",
    [
        ("Amazon Web Services, Inc.", "amazon web services"),
        ("Amazon Web Services (AWS)", "Amazon Web Services Inc"),
        ("Microsoft Corporation", "MICROSOFT CORP."),
        ("The Rackspace Company, LLC", "Rackspace"),
        ("Equinix, Inc", "Equinix"),
        ("Salesforce.com, inc.", "salesforce com"),
    ],
)
def test_spellings_of_one_organization_share_a_key(a, b):
    assert name_key(a) == name_key(b)


def test_different_organizations_keep_different_keys():
    assert name_key("Amazon Web Services") != name_key("Amazon")
    assert name_key("Google Cloud Platform") != name_key("Google Workspace")


def test_a_vendor_link_by_alias_reuses_the_organization(db):
    actor = make_user(db, role=Role.SECURITY)
    first, second = make_vendor(db, name="First"), make_vendor(db, name="Second")
    aws = subservices.create_organization(db, "Amazon Web Services, Inc.", actor=actor)
    subservices.add_alias(db, aws, "AWS", actor=actor)
    subservices.link_vendor(db, first, "Amazon Web Services", method="carve-out", services="Hosting", actor=actor)
    subservices.link_vendor(db, second, "aws", method=None, services=None, actor=actor)
    db.flush()
    assert db.query(SubserviceOrganization).count() == 1
    assert sorted(link.vendor.name for link in aws.vendor_links) == ["First", "Second"]
    assert first.subservice_links[0].method == SubserviceMethod.CARVE_OUT


def test_an_alias_cannot_name_two_organizations(db):
    actor = make_user(db, role=Role.SECURITY)
    aws = subservices.create_organization(db, "Amazon Web Services", actor=actor)
    azure = subservices.create_organization(db, "Microsoft Azure", actor=actor)
    subservices.add_alias(db, aws, "AWS", actor=actor)
    with pytest.raises(Conflict, match="already names Amazon Web Services"):
        subservices.add_alias(db, azure, "aws", actor=actor)


def test_merging_moves_names_and_vendors(db):
    actor = make_user(db, role=Role.SECURITY)
    vendor = make_vendor(db, name="Vendor")
    keep = subservices.create_organization(db, "Google Cloud Platform", actor=actor)
    duplicate = subservices.create_organization(db, "GCP", actor=actor)
    subservices.link_vendor(db, vendor, "GCP", method="inclusive", services=None, actor=actor)
    db.flush()
    subservices.merge(db, keep, duplicate, actor=actor)
    db.flush()
    db.expire_all()
    assert db.query(SubserviceOrganization).count() == 1
    assert subservices.find_organization(db, "gcp").id == keep.id
    assert [link.vendor.name for link in keep.vendor_links] == ["Vendor"]


def test_concentration_ranks_by_critical_vendors_then_all_vendors(client, db, auth):
    actor = make_user(db, role=Role.SECURITY)
    critical_a = make_vendor(db, name="Crit A", tier=Tier.CRITICAL)
    critical_b = make_vendor(db, name="Crit B", tier=Tier.CRITICAL)
    lows = [make_vendor(db, name=f"Low {n}", tier=Tier.LOW) for n in range(3)]
    gone = make_vendor(db, name="Gone", tier=Tier.CRITICAL, status=LifecycleStatus.TERMINATED)
    for vendor in lows:
        subservices.link_vendor(db, vendor, "Stripe", method="carve-out", services=None, actor=actor)
    for vendor in (critical_a, critical_b):
        subservices.link_vendor(db, vendor, "Amazon Web Services", method="carve-out", services=None, actor=actor)
    subservices.link_vendor(db, critical_a, "Okta", method="inclusive", services=None, actor=actor)
    for vendor in (gone, *lows[:2]):
        subservices.link_vendor(db, vendor, "Okta", method="inclusive", services=None, actor=actor)
    db.commit()
    auth.login_as(Role.VIEWER)
    page = client.get("/fourth-parties/").get_data(as_text=True)
    rows = re.findall(r'/fourth-parties/\d+">([^<]+)</a></td>\s*<td class="num">(?:<strong>)?(\d+)(?:</strong>)?</td>\s*<td class="num">(\d+)', page)
    assert rows == [("Amazon Web Services", "2", "2"), ("Okta", "1", "3"), ("Stripe", "0", "3")]


def test_linking_from_the_vendor_page_creates_or_reuses_and_is_logged(client, db, auth):
    vendor = make_vendor(db, name="Acme")
    db.commit()
    auth.login_as(Role.SECURITY)
    client.post(f"/vendors/{vendor.id}/subservices", data={"organization": "Amazon Web Services, Inc.", "method": "carve-out"})
    client.post(f"/vendors/{vendor.id}/subservices", data={"organization": "amazon web services", "method": "inclusive"})
    db.expire_all()
    organization = db.query(SubserviceOrganization).one()
    assert organization.vendor_links[0].method == SubserviceMethod.INCLUSIVE
    history = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert "Acme relies on Amazon Web Services, Inc." in history
    assert "link to Amazon Web Services, Inc. updated" in history


def test_viewers_cannot_change_fourth_parties(client, db, auth):
    vendor = make_vendor(db, name="Acme")
    db.commit()
    auth.login_as(Role.VIEWER)
    assert client.post(f"/vendors/{vendor.id}/subservices", data={"organization": "AWS"}).status_code == 403
    assert client.post("/fourth-parties/", data={"name": "AWS"}).status_code == 403
    assert db.query(SubserviceOrganization).count() == 0


def test_name_search_suggests_names_and_aliases_starting_ones_first(client, db, auth):
    """The vendor page's "add a subservice organization" field and a report
    item's link field ask this as the user types, instead of carrying every name."""
    vendor = make_vendor(db, name="Acme")
    for name in ("Big Cloud Co", "Cloudflare", "Stripe", "100%_Hosting"):
        subservices.create_organization(db, name, actor=None)
    subservices.add_alias(db, subservices.find_organization(db, "Stripe"), "Cloud Payments", actor=None)
    db.commit()
    auth.login_as(Role.SECURITY)
    assert client.get("/fourth-parties/names.json?q=cloud").get_json() == {
        "names": ["Cloud Payments", "Cloudflare", "Big Cloud Co"]}
    assert client.get("/fourth-parties/names.json?q=%_").get_json() == {"names": ["100%_Hosting"]}  # no wildcards
    assert client.get("/fourth-parties/names.json?q=").get_json() == {"names": []}
    page = client.get(f"/vendors/{vendor.id}").get_data(as_text=True)
    assert 'data-suggest="/fourth-parties/names.json"' in page and "<datalist" not in page


def test_name_search_needs_sign_in(client, db):
    subservices.create_organization(db, "Cloudflare", actor=None)
    db.commit()
    answer = client.get("/fourth-parties/names.json?q=cloud")
    assert answer.status_code in (302, 401) and b"Cloudflare" not in answer.data
