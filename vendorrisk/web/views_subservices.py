"""Fourth-party pages: the concentration ranking and one organization's page."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional, URL

from vendorrisk.web.auth import require
from vendorrisk.infra.db import get_session, paginate
from vendorrisk.web.forms import SelectField, choices
from vendorrisk.services.permissions import Action
from vendorrisk.services import subservices
from vendorrisk.web.pages import committing, render_page, whole_number

bp = Blueprint("subservices", __name__, url_prefix="/fourth-parties")


class OrganizationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    website = URLField("Website", validators=[Optional(), URL(), Length(max=500)])


class EditOrganizationForm(OrganizationForm):
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=10000)])


class AliasForm(FlaskForm):
    alias = StringField("Other name", validators=[DataRequired(), Length(max=200)])


class MergeForm(FlaskForm):
    duplicate_id = SelectField("Duplicate record", coerce=int)


@bp.route("/")
@require(Action.VIEW)
def concentration():
    session = get_session()
    page = paginate(session, subservices.concentration_query(), request.args.get("page", 1, type=whole_number),
                    current_app.config["PER_PAGE"])
    return render_page("subservices/concentration.html", page=page, form=OrganizationForm())


@bp.route("/names.json")
@require(Action.VIEW)
def names():
    """Search-as-you-type for organization name fields (static/app.js): at
    most 20 names and aliases containing ?q=, instead of a page listing all."""
    return jsonify(names=subservices.name_suggestions(get_session(), request.args.get("q", "")[:200]))


@bp.route("/", methods=["POST"])
@require(Action.SUBSERVICE_MANAGE)
def create():
    session = get_session()
    form = OrganizationForm()
    if form.validate_on_submit():
        with committing() as outcome:
            organization = subservices.create_organization(session, form.name.data, actor=current_user,
                                                           website=form.website.data)
            outcome.success(f"Added {organization.name}.")
        if outcome.ok:
            return redirect(url_for("subservices.detail", organization_id=organization.id))
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("subservices.concentration"))


@bp.route("/<int:organization_id>")
@require(Action.VIEW)
def detail(organization_id: int):
    session = get_session()
    organization = subservices.get_organization(session, organization_id, subservices.PAGE_LOADS)
    merge_form = MergeForm()
    merge_form.duplicate_id.choices = choices(subservices.merge_candidates(session, organization))
    links = sorted(organization.vendor_links, key=lambda l: (l.vendor.tier.rank, l.vendor.name.lower()))
    return render_page(
        "subservices/detail.html", organization=organization, links=links,
        edit_form=EditOrganizationForm(obj=organization), alias_form=AliasForm(), merge_form=merge_form,
    )


@bp.route("/<int:organization_id>/edit", methods=["POST"])
@require(Action.SUBSERVICE_MANAGE)
def edit(organization_id: int):
    session = get_session()
    organization = subservices.get_organization(session, organization_id)
    form = EditOrganizationForm()
    if form.validate_on_submit():
        with committing() as outcome:
            subservices.update_organization(session, organization, name=form.name.data, website=form.website.data,
                                            notes=form.notes.data, actor=current_user)
            outcome.success("Saved.")
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("subservices.detail", organization_id=organization_id))


@bp.route("/<int:organization_id>/aliases", methods=["POST"])
@require(Action.SUBSERVICE_MANAGE)
def add_alias(organization_id: int):
    session = get_session()
    organization = subservices.get_organization(session, organization_id)
    form = AliasForm()
    if form.validate_on_submit():
        with committing() as outcome:
            subservices.add_alias(session, organization, form.alias.data, actor=current_user)
            outcome.success(f"“{form.alias.data}” now names {organization.name}.")
    else:
        flash("Enter the other name.", "error")
    return redirect(url_for("subservices.detail", organization_id=organization_id))


@bp.route("/<int:organization_id>/aliases/<int:alias_id>/delete", methods=["POST"])
@require(Action.SUBSERVICE_MANAGE)
def remove_alias(organization_id: int, alias_id: int):
    session = get_session()
    organization = subservices.get_organization(session, organization_id)
    with committing() as outcome:
        subservices.remove_alias(session, organization, alias_id, actor=current_user)
        outcome.success("Alias removed.")
    return redirect(url_for("subservices.detail", organization_id=organization_id))


@bp.route("/<int:organization_id>/merge", methods=["POST"])
@require(Action.SUBSERVICE_MANAGE)
def merge(organization_id: int):
    session = get_session()
    organization = subservices.get_organization(session, organization_id)
    form = MergeForm()
    form.duplicate_id.choices = choices(subservices.merge_candidates(session, organization))
    if form.validate_on_submit():
        duplicate = subservices.get_organization(session, form.duplicate_id.data)
        with committing() as outcome:
            subservices.merge(session, organization, duplicate, actor=current_user)
            outcome.success(f"Merged into {organization.name}.")
    else:
        flash("Choose the duplicate record to merge.", "error")
    return redirect(url_for("subservices.detail", organization_id=organization_id))
