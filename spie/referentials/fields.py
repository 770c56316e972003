"""Form fields for choosing a commune or a ROME job, with suggestions refreshed by htmx.

The widget is a text input tied to a `<datalist>`; as the user types, htmx replaces the
datalist's options with those of a small endpoint (`referentials:commune_suggestions`,
`referentials:rome_suggestions`). The field accepts an option's text (« Lille (59000) — 59350 »,
« Secrétaire — M1607 ») or a bare code, and cleans to the model instance.
"""

import re

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from spie.territories.models import Commune

from .models import RomeJob

INSEE_CODE = r"\d[\dAB]\d{3}"
ROME_CODE = r"[A-N]\d{4}"
SEPARATOR = "—"


def commune_option(commune, postal_prefix=""):
    """The text of a suggestion: « Lille (59000) — 59350 », showing the postal code being typed."""
    codes = commune.postal_code_list
    matching = [code for code in codes if postal_prefix and code.startswith(postal_prefix)]
    if not codes:  # a few overseas communes have no postal code
        return f"{commune.name} {SEPARATOR} {commune.insee_code}"
    return f"{commune.name} ({(matching or codes)[0]}) {SEPARATOR} {commune.insee_code}"


def rome_option(job, title=None):
    """The text of a suggestion: « Secrétaire — M1607 », or the matched job title instead."""
    return f"{title or job.label} {SEPARATOR} {job.code}"


def _code_from_text(text, pattern):
    """The code at the end of an option's text, or the text itself when it is a bare code."""
    text = (text or "").strip().upper()
    match = re.search(rf"{SEPARATOR}\s*({pattern})$", text) or re.fullmatch(rf"({pattern})", text)
    return match.group(1) if match else None


def commune_code_from_text(text):
    return _code_from_text(text, INSEE_CODE)


def rome_code_from_text(text):
    return _code_from_text(text, ROME_CODE)


class AutocompleteInput(forms.TextInput):
    """A text input whose `<datalist>` is refreshed by htmx from `suggestions_url` as one types."""

    def __init__(self, suggestions_url_name, attrs=None):
        self.suggestions_url_name = suggestions_url_name
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Commune):
            return commune_option(value)
        if isinstance(value, RomeJob):
            return rome_option(value)
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        input_id = attrs.get("id") or self.attrs.get("id") or f"id_{name}"
        datalist_id = f"{input_id}-suggestions"
        attrs.update(
            {
                "id": input_id,
                "list": datalist_id,
                "hx-get": f"{reverse(self.suggestions_url_name)}?champ={name}",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{datalist_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        field = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', field, datalist_id)


class _ReferenceField(forms.Field):
    suggestions_url_name = None
    not_found = None

    def __init__(self, *, attrs=None, **kwargs):
        kwargs.setdefault("widget", AutocompleteInput(self.suggestions_url_name, attrs=attrs))
        super().__init__(**kwargs)

    def code_from_text(self, text):
        raise NotImplementedError

    def lookup(self, code):
        raise NotImplementedError

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, self.model):
            return value or None
        code = self.code_from_text(str(value))
        instance = self.lookup(code) if code else None
        if instance is None:
            raise forms.ValidationError(self.not_found, code="not_found")
        return instance


class CommuneField(_ReferenceField):
    """A commune, typed with suggestions; cleans to a `territories.Commune`."""

    model = Commune
    suggestions_url_name = "referentials:commune_suggestions"
    not_found = "Commune introuvable : choisissez-la dans la liste."

    def code_from_text(self, text):
        return commune_code_from_text(text)

    def lookup(self, code):
        return Commune.objects.select_related("departement").filter(insee_code=code).first()


class RomeJobField(_ReferenceField):
    """A ROME job sheet, typed with suggestions (by title or code); cleans to a `RomeJob`."""

    model = RomeJob
    suggestions_url_name = "referentials:rome_suggestions"
    not_found = "Métier ROME introuvable : choisissez-le dans la liste."

    def code_from_text(self, text):
        return rome_code_from_text(text)

    def lookup(self, code):
        return RomeJob.objects.select_related("domain").filter(code=code).first()
