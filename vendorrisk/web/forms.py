"""Small pieces shared by the WTForms forms of several areas."""
from __future__ import annotations

import enum
from typing import Iterable

import wtforms.widgets
import wtforms.widgets.core
from flask import flash
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, FieldList, Form, FormField, HiddenField, SelectChoice, TextAreaField
from wtforms import SelectField as _SelectField
from wtforms.validators import Length, Optional
from wtforms.widgets import Select
from wtforms.widgets.core import clean_key

from vendorrisk.services import concurrency
from vendorrisk.services.errors import ServiceError
from vendorrisk.services.signoff import ConditionInput

CONDITION_ROWS = 3  # blank rows offered on a conclusion form; a row left blank is ignored


def html_params(**kwargs) -> Markup:
    """wtforms.widgets.html_params with the same output, built from f-strings:
    WTForms 3.3 formats each attribute through Markup.format, a string.Formatter
    (~25 µs an attribute, ~150 µs a field and its label), and a vendor page
    renders forty fields, most of them in closed <details>. Markup values
    keep their tags but a '"' still cannot end the attribute, as in WTForms
    (tests/test_forms.py compares the two)."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = escape(clean_key(key))
        if value is True:
            params.append(key)
        elif value is not False:
            text = str(escape(value)).replace('"', "&quot;")
            params.append(f'{key}="{text}"')
    return Markup(" ".join(params))


# Where WTForms looks it up: its widgets module (textarea, select, lists), the
# re-export that labels use, and the attribute of the input and button widgets.
wtforms.widgets.core.html_params = wtforms.widgets.html_params = html_params
wtforms.widgets.core.Input.html_params = wtforms.widgets.core.Button.html_params = staticmethod(html_params)


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms wants."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def enum_choices(enum_cls: type[enum.Enum], blank: str | None = None) -> list[SelectChoice]:
    from vendorrisk.web.pages import label

    pairs = [(member.value, label(member)) for member in enum_cls]
    return choices([("", blank), *pairs] if blank is not None else pairs)


class FastSelect(Select):
    """WTForms' Select, with the same markup, for the common case of plain
    choices (as choices() makes them): WTForms normalizes every choice twice
    per render (has_groups, then iter_choices) into new objects; a list of
    the sixty active people, four times on a vendor page, made that count."""

    def __call__(self, field, **kwargs):
        plain = all(type(c) is SelectChoice and c.optgroup is None and not c.render_kw for c in field.choices or ())
        if not plain or self.multiple:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        for flag in self.validation_attrs:
            if flag not in kwargs and flag in vars(field.flags):  # a flag a validator set
                kwargs[flag] = getattr(field.flags, flag)
        coerce, data = field.coerce, field.data
        options = "".join(
            f'<option {"selected " if coerce(c.value) == data else ""}value="{escape(c.value)}">'
            f"{escape(c.label or c.value)}</option>"
            for c in field.choices
        )
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class SelectField(_SelectField):
    """wtforms.SelectField rendered by FastSelect: every select of the pages is one."""

    widget = FastSelect()


class EnumSelectField(SelectField):
    """A select whose data is the enum member (or None for the blank choice)."""

    def __init__(self, label=None, validators=None, *, enum_cls: type[enum.Enum], blank: str | None = None, **kwargs):
        def coerce(value):
            if value is None or value == "" or isinstance(value, enum_cls):
                return value or None
            try:
                return enum_cls(value)
            except ValueError:
                return value  # left as text, so validation reports "Not a valid choice"

        super().__init__(label, validators, choices=enum_choices(enum_cls, blank), coerce=coerce, **kwargs)


def attach_error(form: FlaskForm, error: ServiceError) -> None:
    """Show a service's message next to the field it names (or above the form)."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        flash(error.message, "error")


class VersionedForm(FlaskForm):
    """A form that edits a versioned row: it carries the row's version and the
    values it showed (hidden fields; render them with form.hidden_tag()), so
    the service can refuse a save based on a stale page (services.concurrency)."""

    version = HiddenField()
    loaded = HiddenField()

    def carry(self, loaded: concurrency.Loaded) -> None:
        """Base the form on this version: when it is shown, and after a
        conflict, so that saving again applies the user's values knowingly."""
        self.version.data = str(loaded.version)
        self.loaded.data = concurrency.encode(loaded.values)

    def based_on(self) -> concurrency.Loaded | None:
        """What the submitted form was based on; None when it carried no version."""
        try:
            version = int(self.version.data or "")
        except ValueError:
            return None
        return concurrency.Loaded(version, concurrency.decode(self.loaded.data))


class ConditionForm(Form):
    """One condition of an approval with conditions (a row of ConclusionForm)."""

    text = TextAreaField("Condition", validators=[Optional(), Length(max=2000)])
    owner_id = SelectField("Owner", coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                           validators=[Optional()])
    due_date = DateField("Due", validators=[Optional()])


class ConclusionForm(FlaskForm):
    """What a report sign-off and a review completion share: the conclusion,
    its rationale and the conditions (services.signoff checks them)."""

    comment = TextAreaField("Rationale", validators=[Optional(), Length(max=10000)],
                            description="Required for approval with conditions, for rejection, and whenever a "
                                        "guardrail applies (listed above the form).")
    conditions = FieldList(FormField(ConditionForm), min_entries=CONDITION_ROWS, max_entries=20)

    def set_people(self, people) -> None:
        owners = choices([("", "— choose —")] + [(u.id, u.display_name) for u in people])  # one list for every row
        for entry in self.conditions:
            entry.form.owner_id.choices = owners

    def condition_inputs(self) -> list[ConditionInput]:
        return [ConditionInput(entry.form.text.data, entry.form.owner_id.data, entry.form.due_date.data)
                for entry in self.conditions]


class ReopenForm(FlaskForm):
    # Not DataRequired: the service's message (which says why a reason matters) is the one shown.
    reason = TextAreaField("Reason for reopening", validators=[Optional(), Length(max=5000)])
