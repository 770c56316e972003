"""Forms of the shared pathway: input validation only (the rules live in the services)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from spie.core.validators import validate_siret
from spie.referentials.fields import RomeJobField
from spie.territories.models import TerritorySettings
from spie.territories.policies import NATIONAL_DEFAULTS

from .alerts import SPECS
from .enums import (
    AppointmentChannel,
    AppointmentKind,
    AppointmentStatus,
    CheckpointContact,
    ClosingReason,
    EmploymentContractType,
    ExemptionReason,
    PathwayType,
    PlanItemStatus,
    ReviewOutcome,
    WorkingTime,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _no_future(value, label):
    if value and value > timezone.localdate():
        raise ValidationError(f"{label} : la date ne peut pas être dans le futur.")
    return value


class ClosePathwayForm(DsfrBaseForm):
    closing_reason = forms.ChoiceField(
        label="Motif de clôture",
        choices=ClosingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Motif de clôture : choisissez un motif."},
    )
    on = forms.DateField(label="Date de clôture", widget=DATE_WIDGET)
    comment = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), max_length=500, required=False
    )

    def clean_on(self):
        return _no_future(self.cleaned_data["on"], "Date de clôture")


class StatusReviewForm(DsfrBaseForm):
    reviewed_on = forms.DateField(label="Date du point de situation", widget=DATE_WIDGET)
    outcome = forms.ChoiceField(label="Conclusion", choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Commentaire",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
        help_text="Obligatoire pour une présentation en équipe pluridisciplinaire, une réorientation ou une clôture.",
    )

    def clean_reviewed_on(self):
        return _no_future(self.cleaned_data["reviewed_on"], "Date du point de situation")


def _grouped(items):
    """Choices grouped by theme: [(theme label, [(code, label)…])…]."""
    groups = {}
    for item in items:
        groups.setdefault(item.theme.label, []).append((item.code, item.label))
    return list(groups.items())


class ObjectiveForm(DsfrBaseForm):
    objective_code = forms.ChoiceField(label="Objectif du référentiel")

    def __init__(self, *args, objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective_code"].choices = [("", "Choisir un objectif"), *_grouped(objectives)]


class ActionForm(DsfrBaseForm):
    action_code = forms.ChoiceField(label="Action du référentiel")
    weekly_hours = forms.DecimalField(
        label="Heures par semaine",
        min_value=0,
        max_value=60,
        decimal_places=1,
        help_text="Temps d'activité hebdomadaire consacré à cette action (par exemple 4,5).",
        error_messages={"invalid": "Heures par semaine : nombre attendu (par exemple 4,5)."},
    )
    starts_on = forms.DateField(label="Début", widget=DATE_WIDGET, required=False)
    ends_on = forms.DateField(label="Fin", widget=DATE_WIDGET, required=False)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_code"].choices = [("", "Choisir une action"), *_grouped(actions)]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Fin : elle ne peut pas précéder le début.")
        return data


class ExemptionForm(DsfrBaseForm):
    exemption_reason = forms.ChoiceField(
        label="Motif de dérogation aux 15 heures",
        choices=[("", "Pas de dérogation"), *ExemptionReason.choices],
        required=False,
    )
    exemption_detail = forms.CharField(
        label="Précisions sur la dérogation",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="La difficulté particulière avérée qui justifie moins de 15 heures d'activité par semaine.",
    )

    def clean(self):
        data = super().clean()
        if data.get("exemption_reason") and not (data.get("exemption_detail") or "").strip():
            self.add_error(
                "exemption_detail", "Précisions sur la dérogation : décrivez la difficulté particulière avérée."
            )
        return data


class SignForm(DsfrBaseForm):
    person_signed_on = forms.DateField(label="Date de signature par la personne", widget=DATE_WIDGET)
    referent_signed_on = forms.DateField(label="Date de signature par le ou la référent·e", widget=DATE_WIDGET)

    def clean_person_signed_on(self):
        return _no_future(self.cleaned_data["person_signed_on"], "Signature de la personne")

    def clean_referent_signed_on(self):
        return _no_future(self.cleaned_data["referent_signed_on"], "Signature du ou de la référent·e")


class ActionStatusForm(DsfrBaseForm):
    status = forms.ChoiceField(label="Nouveau statut", choices=PlanItemStatus.choices)


class AppointmentForm(DsfrBaseForm):
    professional = forms.ChoiceField(label="Avec")
    starts_at = forms.DateTimeField(
        label="Date et heure",
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        help_text="Heure du territoire de la personne.",
        error_messages={"invalid": "Date et heure : format attendu JJ/MM/AAAA HH:MM."},
    )
    duration_minutes = forms.IntegerField(label="Durée (minutes)", min_value=5, max_value=480, initial=45)
    kind = forms.ChoiceField(label="Nature", choices=AppointmentKind.choices, initial=AppointmentKind.FOLLOW_UP)
    channel = forms.ChoiceField(
        label="Modalité", choices=AppointmentChannel.choices, initial=AppointmentChannel.IN_PERSON
    )
    place = forms.CharField(
        label="Lieu ou lien",
        max_length=255,
        required=False,
        help_text="Adresse du rendez-vous, ou lien de la visioconférence.",
    )

    def __init__(self, *args, professionals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].choices = list(professionals)


class AppointmentStatusForm(DsfrBaseForm):
    status = forms.ChoiceField(
        label="Statut",
        choices=[(value, label) for value, label in AppointmentStatus.choices if value != AppointmentStatus.PLANNED],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Commentaire", max_length=500, required=False)


class ReturnToWorkForm(DsfrBaseForm):
    employer_name = forms.CharField(label="Employeur", max_length=255)
    employer_siret = forms.CharField(
        label="SIRET de l'employeur", max_length=17, help_text="14 chiffres, sur le contrat ou la fiche de paie."
    )
    rome_job = RomeJobField(label="Métier (ROME)")
    contract_type = forms.ChoiceField(label="Type de contrat", choices=EmploymentContractType.choices)
    working_time = forms.ChoiceField(label="Temps de travail", choices=WorkingTime.choices, widget=forms.RadioSelect)
    weekly_hours = forms.DecimalField(
        label="Heures par semaine", min_value=1, max_value=48, decimal_places=1, required=False
    )
    start_date = forms.DateField(label="Date de début", widget=DATE_WIDGET)

    def clean_employer_siret(self):
        siret = self.cleaned_data["employer_siret"].replace(" ", "")
        try:
            validate_siret(siret)
        except ValidationError as error:
            raise ValidationError(f"SIRET de l'employeur : {error.messages[0]}") from None
        return siret


class CheckpointForm(DsfrBaseForm):
    contact = forms.ChoiceField(label="Contact", choices=CheckpointContact.choices, widget=forms.RadioSelect)
    still_in_job = forms.ChoiceField(
        label="Toujours dans cet emploi",
        choices=[("oui", "Oui"), ("non", "Non")],
        widget=forms.RadioSelect,
        required=False,
        help_text="Si la personne a été jointe.",
    )
    comment = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("contact") == CheckpointContact.REACHED and not data.get("still_in_job"):
            self.add_error("still_in_job", "Toujours dans cet emploi : indiquez oui ou non.")
        return data

    @property
    def still_in_job_value(self):
        value = self.cleaned_data.get("still_in_job")
        return {"oui": True, "non": False}.get(value)


class SituationFilterForm(DsfrBaseForm):
    alerte = forms.ChoiceField(
        label="Alerte", choices=[("", "Toutes"), *[(spec.type.value, spec.label) for spec in SPECS]], required=False
    )
    referent = forms.ChoiceField(label="Référent·e", required=False)
    structure = forms.ChoiceField(label="Structure référente", required=False)
    type_parcours = forms.ChoiceField(
        label="Type de parcours", choices=[("", "Tous"), *PathwayType.choices], required=False
    )

    def __init__(self, *args, referents=(), structures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].choices = [("", "Tous"), *referents]
        self.fields["structure"].choices = [("", "Toutes"), *structures]
        if not referents:
            del self.fields["referent"]
        if not structures:
            del self.fields["structure"]


def _unit(field_name):
    return "mois" if field_name.endswith("_months") else "jours"


class TerritorySettingsForm(DsfrBaseForm):
    """One optional number per delay; empty means the national default (shown beside it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, default in NATIONAL_DEFAULTS.items():
            model_field = TerritorySettings._meta.get_field(name)
            self.fields[name] = forms.IntegerField(
                label=str(model_field.verbose_name).capitalize(),
                required=False,
                min_value=1,
                max_value=3650,
                help_text=f"Défaut national : {default} {_unit(name)}. Laisser vide pour l'appliquer.",
                error_messages={
                    "min_value": f"{str(model_field.verbose_name).capitalize()} : au moins 1.",
                    "max_value": f"{str(model_field.verbose_name).capitalize()} : au plus 3650.",
                    "invalid": f"{str(model_field.verbose_name).capitalize()} : nombre entier attendu.",
                },
            )
