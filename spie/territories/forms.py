import re

from django import forms
from dsfr.forms import DsfrBaseForm

from .enums import BudgetPurpose, TerritoryStatus, TimeZone
from .models import Cohort, Departement, Epci, Territory


def _split_codes(value):
    return [code for code in re.split(r"[\s,;]+", value.strip()) if code]


class TerritoryFilterForm(DsfrBaseForm):
    q = forms.CharField(label="Rechercher (nom ou code)", required=False, max_length=100)
    cohort = forms.ModelChoiceField(
        label="Cohorte",
        queryset=Cohort.objects.all(),
        required=False,
        empty_label="Toutes",
        to_field_name="code",
    )
    status = forms.ChoiceField(label="Statut", choices=[("", "Tous"), *TerritoryStatus.choices], required=False)


class TerritoryForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code court",
        max_length=30,
        help_text="Code du département s'il n'y en a qu'un (« 08 », « 974 »), sinon un nom court (« cea »).",
    )
    name = forms.CharField(label="Nom", max_length=150)
    cohort = forms.ModelChoiceField(
        label="Cohorte", queryset=Cohort.objects.all(), empty_label=None, to_field_name="code"
    )
    status = forms.ChoiceField(label="Statut", choices=TerritoryStatus.choices)
    departements = forms.CharField(
        label="Départements couverts",
        required=False,
        help_text="Codes officiels géographiques séparés par des virgules, par exemple : 67, 68.",
    )
    epcis = forms.CharField(
        label="EPCI couverts",
        required=False,
        help_text="Numéros SIREN des EPCI (9 chiffres) séparés par des virgules, par exemple : 200046977.",
    )
    time_zone = forms.ChoiceField(label="Fuseau horaire", choices=TimeZone.choices)
    started_on = forms.DateField(
        label="Date de lancement",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @classmethod
    def initial_for(cls, territory):
        return {
            "code": territory.code,
            "name": territory.name,
            "cohort": territory.cohort.code,
            "status": territory.status,
            "departements": ", ".join(d.code for d in territory.departements.all()),
            "epcis": ", ".join(e.siren for e in territory.epcis.all()),
            "time_zone": territory.time_zone,
            "started_on": territory.started_on,
        }

    def _resolve(self, field, model, key, label):
        codes = _split_codes(self.cleaned_data.get(field, ""))
        found = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": codes})}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                f"{label} inconnu(s) dans le Code officiel géographique : {', '.join(unknown)}."
            )
        return [found[code] for code in dict.fromkeys(codes)]

    def clean_departements(self):
        return self._resolve("departements", Departement, "code", "Département")

    def clean_epcis(self):
        return self._resolve("epcis", Epci, "siren", "EPCI")

    def clean_code(self):
        return self.cleaned_data["code"].strip().lower()


class CohortForm(DsfrBaseForm):
    code = forms.SlugField(
        label="Code",
        max_length=50,
        help_text="Lettres minuscules, chiffres et tirets : « 2021-second-appel ».",
    )
    name = forms.CharField(label="Nom", max_length=150, help_text="Par exemple : « 2021 — second appel à projets »")
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TerritoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class BudgetLineForm(DsfrBaseForm):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    purpose = forms.ChoiceField(label="Objet", choices=BudgetPurpose.choices)
    territory = TerritoryChoiceField(
        label="Territoire",
        queryset=Territory.objects.order_by("name"),
        required=False,
        to_field_name="code",
        empty_label="Aucun (appui technique national)",
        help_text="Obligatoire pour le projet d'un territoire ; vide pour l'appui technique national.",
    )
    amount = forms.DecimalField(
        label="Montant (€)",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text="En euros, centimes compris : 483870,97",
        error_messages={"min_value": "Le montant doit être positif ou nul."},
    )
    label = forms.CharField(label="Libellé", max_length=255, required=False)

    @classmethod
    def initial_for(cls, line):
        return {
            "year": line.year,
            "purpose": line.purpose,
            "territory": line.territory.code if line.territory else None,
            "amount": line.amount,
            "label": line.label,
        }

    def clean(self):
        cleaned = super().clean()
        purpose, territory = cleaned.get("purpose"), cleaned.get("territory")
        if purpose == BudgetPurpose.NATIONAL_SUPPORT and territory is not None:
            self.add_error(
                "territory",
                "L'appui technique national n'est rattaché à aucun territoire : laissez le territoire vide.",
            )
        elif purpose == BudgetPurpose.TERRITORY_PROJECT and territory is None:
            self.add_error("territory", "Choisissez le territoire dont le projet est financé.")
        return cleaned


class TerritorialRoleTypesForm(DsfrBaseForm):
    types = forms.MultipleChoiceField(
        label="Autres types de structures pouvant porter un rôle territorial",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Le Département et France Travail le peuvent toujours.",
    )

    def __init__(self, *args, **kwargs):
        from spie.accounts.enums import ALWAYS_TERRITORIAL_TYPES, OrganisationType

        super().__init__(*args, **kwargs)
        self.fields["types"].choices = [
            (value, label) for value, label in OrganisationType.choices if value not in ALWAYS_TERRITORIAL_TYPES
        ]
