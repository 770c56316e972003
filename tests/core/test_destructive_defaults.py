"""No destructive default anywhere: a drop-down list (select) of a form never opens on a cancel,
abandon, refuse, delete or close choice, so that one click on « Enregistrer » never destroys.
Radio buttons without an initial value have no default, so they are not concerned."""

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms

import spie

pytestmark = pytest.mark.django_db  # some choices are read from the database (years, territories)

DESTRUCTIVE = re.compile(r"annul|abandon|refus|supprim|retir|clos|clôtur|rejet|non_retenue|écart|ecart", re.I)


def _static_selects():
    for module_info in pkgutil.walk_packages(spie.__path__, "spie."):
        if not module_info.name.rsplit(".", 1)[-1].startswith("forms"):
            continue
        module = importlib.import_module(module_info.name)
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                continue
            for field_name, field in form.base_fields.items():
                if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.MultipleChoiceField):
                    continue
                if isinstance(field.widget, forms.RadioSelect | forms.HiddenInput):
                    continue
                if isinstance(field, forms.ModelChoiceField):  # rows of the database, not a fixed list
                    continue
                choices = [(str(value), str(label)) for value, label in field.choices]
                if choices:
                    yield f"{module.__name__}.{name}.{field_name}", field, choices


def test_the_scan_sees_the_forms():
    names = [name for name, _, _ in _static_selects()]
    assert "spie.pathways.forms.ActionStatusForm.status" in names and len(names) > 20


def test_no_select_of_a_form_opens_on_a_destructive_choice():
    offending = []
    for name, field, choices in _static_selects():
        default = str(field.initial) if field.initial not in (None, "") else choices[0][0]
        label = dict(choices).get(default, "")
        if DESTRUCTIVE.search(default) or DESTRUCTIVE.search(label):
            offending.append(f"{name} → {label or default}")
    assert offending == []


def test_the_scan_would_catch_a_destructive_default():
    class Bad(forms.Form):
        status = forms.ChoiceField(choices=[("abandonnee", "Abandonnée"), ("en_cours", "En cours")])

    field = Bad.base_fields["status"]
    assert DESTRUCTIVE.search(str(field.choices[0][1]))
