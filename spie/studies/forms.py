from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from spie.core.validators import validate_plausible_date
from spie.territories.models import Territory

from .enums import EvaluationStatus
from .services import FIRST_YEAR

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_WIDGET = forms.Textarea(attrs={"rows": 6})


def _year_choices():
    return [(year, str(year)) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class EvaluationForm(DsfrBaseForm):
    structures_said = forms.CharField(
        label="Ce qu'en disent les structures",
        required=False,
        max_length=6000,
        widget=TEXT_WIDGET,
        help_text="Ce que les structures du territoire retiennent de l'année : ce qui marche, ce qui coince.",
    )
    mirror_group_said = forms.CharField(
        label="Ce qu'en dit le groupe miroir",
        required=False,
        max_length=6000,
        widget=TEXT_WIDGET,
        help_text="La parole des personnes accompagnées réunies en groupe miroir (sans nom ni détail permettant "
        "de reconnaître une personne).",
    )
    what_changed = forms.CharField(label="Ce qui a changé", required=False, max_length=6000, widget=TEXT_WIDGET)
    next_steps = forms.CharField(label="Prochaines étapes", required=False, max_length=6000, widget=TEXT_WIDGET)


class NewEvaluationForm(EvaluationForm):
    year = forms.TypedChoiceField(label="Année évaluée", coerce=int, choices=_year_choices)

    field_order = ["year"]


class UnpublishForm(DsfrBaseForm):
    reason = forms.CharField(label="Motif", max_length=500, help_text="Ex. : correction d'un chiffre.")


class NationalFilterForm(DsfrBaseForm):
    year = forms.TypedChoiceField(
        label="Année", coerce=int, required=False, empty_value=None, choices=lambda: [("", "Toutes"), *_year_choices()]
    )
    status = forms.ChoiceField(label="Statut", required=False, choices=[("", "Tous"), *EvaluationStatus.choices])


class StudyForm(DsfrBaseForm):
    name = forms.CharField(label="Nom de l'étude", max_length=200)
    purpose = forms.CharField(
        label="Finalité",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que l'étude cherche à mesurer, et qui la conduit (registre des traitements).",
    )
    territory = forms.ModelChoiceField(
        label="Territoire",
        queryset=Territory.objects.order_by("name"),
        required=False,
        empty_label="National (tous les territoires)",
        to_field_name="code",
    )
    period_from = forms.DateField(
        label="Entrées dans le parcours à partir du", widget=DATE_WIDGET, validators=[validate_plausible_date]
    )
    period_to = forms.DateField(label="Jusqu'au (inclus)", widget=DATE_WIDGET, validators=[validate_plausible_date])

    def clean(self):
        data = super().clean()
        if data.get("period_from") and data.get("period_to") and data["period_to"] < data["period_from"]:
            self.add_error("period_to", "La fin de la période doit suivre son début.")
        return data
