from django import forms
from dsfr.forms import DsfrBaseForm

from spie.territories.models import Departement

from .fields import AutocompleteInput
from .models import NafActivity, RomeDomain


class CommuneSearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Nom de la commune ou code postal",
        help_text="Par exemple : saint etienne, 59000. Les accents et les majuscules sont ignorés.",
        required=False,
        max_length=100,
        widget=AutocompleteInput("referentials:commune_suggestions", attrs={"type": "search"}),
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="Tous les départements",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].label_from_instance = lambda d: f"{d.code} — {d.name}"


class RomeSearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Métier ou code ROME",
        help_text="Par exemple : aide à domicile, plombier, K1302.",
        required=False,
        max_length=100,
        widget=AutocompleteInput("referentials:rome_suggestions", attrs={"type": "search"}),
    )
    domaine = forms.ModelChoiceField(
        label="Grand domaine",
        queryset=RomeDomain.objects.filter(parent__isnull=True).order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="Tous les domaines",
    )


class NafSearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Activité ou code NAF",
        help_text="Par exemple : restauration, 88.99B, 56.",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    section = forms.ChoiceField(label="Section", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = NafActivity.objects.order_by("section_code").values_list("section_code", "section_label")
        self.fields["section"].choices = [("", "Toutes les sections")] + [
            (code, f"{code} — {label.capitalize()}") for code, label in sections.distinct()
        ]
