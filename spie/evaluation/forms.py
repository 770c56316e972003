import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from spie.core.validators import validate_plausible_date
from spie.pathways.dates import add_months
from spie.pathways.enums import PathwayType

from . import catalogue

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def default_period(today):
    """Twelve months back from today (the first day of the month a year ago to today)."""
    return add_months(today.replace(day=1), -12), today


class IndicatorFilterForm(DsfrBaseForm):
    """Filters of the indicator pages (GET). Territories and structures are offered only within
    what the reader may see; the choices are given by the view."""

    territoire = forms.ChoiceField(label="Territoire", required=False)
    structure = forms.ChoiceField(label="Structure référente", required=False)
    type_parcours = forms.ChoiceField(
        label="Type de parcours", choices=[("", "Tous"), *PathwayType.choices], required=False
    )
    mois_entree = forms.CharField(
        label="Mois d'entrée (cohorte)",
        required=False,
        help_text="Format AAAA-MM, par exemple 2026-03.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "AAAA-MM"}),
    )
    du = forms.DateField(
        label="Période : du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Période : du — date invalide (JJ/MM/AAAA)."},
        validators=[validate_plausible_date],
    )
    au = forms.DateField(
        label="Période : au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Période : au — date invalide (JJ/MM/AAAA)."},
        validators=[validate_plausible_date],
    )

    def __init__(self, *args, territories=None, structures=None, with_theme=False, **kwargs):
        super().__init__(*args, **kwargs)
        if territories is None:
            del self.fields["territoire"]
        else:
            self.fields["territoire"].choices = [("", "Ensemble national"), *territories]
        if structures is None:
            del self.fields["structure"]
        else:
            self.fields["structure"].choices = [("", "Toutes"), *structures]
        if with_theme:
            self.fields["theme"] = forms.ChoiceField(
                label="Thème", choices=list(enumerate(catalogue.THEMES)), required=False
            )

    def clean_mois_entree(self):
        value = (self.cleaned_data.get("mois_entree") or "").strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError("Mois d'entrée : indiquez l'année et le mois au format AAAA-MM, par exemple 2026-03.")
        month = datetime.date(int(match.group(1)), int(match.group(2)), 1)
        validate_plausible_date(month)
        return month

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            self.add_error("au", "Période : au — la fin de la période doit suivre son début.")
        return cleaned
