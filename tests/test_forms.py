"""web/forms.py: the app's replacements for slow WTForms helpers render the same markup."""
from __future__ import annotations

import importlib.util

import pytest
import wtforms.widgets.core
from markupsafe import Markup
from wtforms import Form
from wtforms.validators import DataRequired

from vendorrisk.web import forms
from vendorrisk.web.forms import SelectField, choices


def _wtforms_html_params():
    """WTForms' own html_params, loaded afresh from its source (forms.py replaced it)."""
    spec = importlib.util.spec_from_file_location("_wtforms_widgets_core", wtforms.widgets.core.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.html_params


@pytest.mark.parametrize("attributes", [
    {"name": "a", "id": "a", "type": "text", "value": "", "required": True, "maxlength": 200},
    {"value": 'say "hi" & <b>bye</b>', "class_": "x", "for_": "y", "readonly": False},
    {"data_suggest": "/fourth-parties/names.json?q=a&b", "aria_describedby": "f-help", "autofocus": False},
    {"value": Markup('<a href="#">link</a>'), "title": Markup("a &amp; b"), "rows": 2, "step": 0.5},
    {"value": "l'apostrophe", "placeholder": "— nobody —"},
    {},
])
def test_html_params_renders_as_wtforms_does(attributes):
    assert forms.html_params(**attributes) == _wtforms_html_params()(**attributes)
    assert isinstance(forms.html_params(**attributes), Markup)


def test_widgets_use_the_fast_html_params():
    assert wtforms.widgets.core.html_params is forms.html_params
    assert wtforms.widgets.html_params is forms.html_params
    assert wtforms.widgets.core.TextInput.html_params is forms.html_params


@pytest.mark.parametrize("validators", [[], [DataRequired()]])
def test_select_renders_as_wtforms_does(validators):
    class Pair(Form):
        ours = SelectField("Owner", coerce=lambda v: int(v) if v else None, validators=validators)
        theirs = wtforms.SelectField("Owner", coerce=lambda v: int(v) if v else None, validators=validators)

    pair = Pair()
    pair.ours.choices = pair.theirs.choices = choices([("", "— nobody —"), (1, 'Ann "A" <Admin>'), (2, "Bob & Co")])
    pair.ours.data = pair.theirs.data = 2
    for attributes in ({}, {"aria_describedby": "owner-help"}, {"required": False}):
        ours, theirs = pair.ours(**attributes), pair.theirs(**attributes)
        assert ours.replace('"ours"', '"x"') == theirs.replace('"theirs"', '"x"')
    assert '<option selected value="2">Bob &amp; Co</option>' in ours
