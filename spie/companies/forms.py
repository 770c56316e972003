import re

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from spie.core.validators import validate_siret
from spie.referentials.fields import CommuneField, RomeJobField
from spie.referentials.models import NafActivity

from .enums import (
    AssessmentOutcome,
    Availability,
    CancelReason,
    ContactPurpose,
    ContractType,
    EventKind,
    ImmersionObjective,
    OpeningKind,
    SizeBand,
    TrainingFunding,
)
from .policies import IMMERSION_MAX_WEEKLY_HOURS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def clean_siret_value(value):
    siret = re.sub(r"\s", "", value or "")
    validate_siret(siret)
    return siret


class NafField(forms.CharField):
    """A NAF sub-class typed as its code (« 56.10A » or « 5610A »)."""

    def to_python(self, value):
        value = super().to_python(value).strip().upper().replace(" ", "")
        if not value:
            return None
        if len(value) == 5 and value[:2].isdigit() and "." not in value:
            value = f"{value[:2]}.{value[2:]}"
        naf = NafActivity.objects.filter(code=value).first()
        if naf is None:
            raise ValidationError("Code NAF inconnu : saisissez un code de la nomenclature, par exemple 56.10A.")
        return naf


class CompanyForm(DsfrBaseForm):
    siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres, espaces acceptés.")
    name = forms.CharField(label="Raison sociale ou enseigne", max_length=255)
    naf = NafField(label="Code NAF (activité principale)", required=False, help_text="Ex. : 56.10A, 87.10A.")
    address = forms.CharField(label="Adresse", max_length=255, required=False)
    postal_code = forms.CharField(label="Code postal", max_length=5, required=False)
    commune = CommuneField(label="Commune")
    size_band = forms.ChoiceField(label="Effectif", choices=[("", "Non renseigné"), *SizeBand.choices], required=False)
    immersion_capacity = forms.IntegerField(
        label="Immersions accueillies par mois", min_value=0, max_value=50, initial=1
    )
    availability = forms.ChoiceField(label="Disponibilité", choices=Availability.choices)
    availability_note = forms.CharField(
        label="Précisions sur la disponibilité",
        max_length=255,
        required=False,
        help_text="Ex. : pas d'accueil en août.",
    )
    monthly_contact_cap = forms.IntegerField(
        label="Sollicitations acceptées par mois",
        min_value=1,
        max_value=50,
        required=False,
        help_text="Laissez vide pour le plafond par défaut du territoire.",
    )
    email = forms.EmailField(label="E-mail de l'entreprise", max_length=254, required=False)
    phone = forms.CharField(label="Téléphone", max_length=20, required=False)
    website = forms.URLField(label="Site internet", max_length=200, required=False, assume_scheme="https")

    def clean_siret(self):
        return clean_siret_value(self.cleaned_data["siret"])

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if value and not re.fullmatch(r"\d{5}", value):
            raise ValidationError("Le code postal compte 5 chiffres.")
        return value

    @classmethod
    def initial_from(cls, company):
        return {name: getattr(company, name) for name in cls.base_fields}


class CompanyContactForm(DsfrBaseForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    job_title = forms.CharField(label="Fonction", max_length=150, required=False)
    email = forms.EmailField(
        label="E-mail", max_length=254, help_text="Les liens de réponse et de signature y sont envoyés."
    )
    phone = forms.CharField(label="Téléphone", max_length=20, required=False)
    is_tutor = forms.BooleanField(label="Peut être tuteur ou tutrice d'immersion", required=False, initial=True)
    is_main = forms.BooleanField(label="Contact principal", required=False)


class CompanyJobForm(DsfrBaseForm):
    rome_job = RomeJobField(
        label="Métier (ROME)", help_text="Tapez un intitulé ou un code, par exemple « aide-soignant » ou J1501."
    )
    hosts_immersion = forms.BooleanField(label="Accueille en immersion", required=False, initial=True)
    hires = forms.BooleanField(label="Recrute sur ce métier", required=False)


class OpeningForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Nature du besoin", choices=OpeningKind.choices)
    rome_job = RomeJobField(label="Métier (ROME)")
    title = forms.CharField(label="Intitulé", max_length=255)
    positions = forms.IntegerField(label="Nombre de postes ou de places", min_value=1, max_value=500, initial=1)
    contract_type = forms.ChoiceField(
        label="Type de contrat", choices=[("", "Sans objet"), *ContractType.choices], required=False
    )
    starts_on = forms.DateField(label="À pourvoir à partir du", widget=DATE_WIDGET, required=False)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ContactRequestForm(DsfrBaseForm):
    contact = forms.ChoiceField(label="Destinataire")
    purpose = forms.ChoiceField(label="Objet de la demande", choices=ContactPurpose.choices)
    rome_job = RomeJobField(label="Métier concerné (ROME)", required=False)
    person = forms.ChoiceField(
        label="Personne concernée (facultatif)",
        required=False,
        help_text="Parmi les personnes que vous suivez et qui ont consenti au partage. Elle n'est pas nommée à "
        "l'entreprise dans la demande.",
    )
    message = forms.CharField(
        label="Message à l'entreprise",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ne mentionnez pas de donnée personnelle (santé, situation sociale).",
    )

    def __init__(self, *args, contacts=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [("", "Choisir un contact"), *contacts]
        self.fields["person"].choices = [("", "Aucune en particulier"), *people]


class ContactAnswerForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label="Votre réponse",
        choices=[("accepter", "J'accepte d'échanger avec la structure"), ("refuser", "Je ne peux pas donner suite")],
        widget=forms.RadioSelect,
    )
    responder_name = forms.CharField(label="Vos prénom et nom", max_length=150)
    answer = forms.CharField(
        label="Message (facultatif)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Disponibilités, personne à contacter, raison du refus…",
    )


class ShortageForm(DsfrBaseForm):
    rome_job = RomeJobField(label="Métier (ROME)")
    tension = forms.TypedChoiceField(
        label="Niveau de tension",
        coerce=int,
        choices=[
            (level, f"{level} — {label}")
            for level, label in enumerate(["faible", "modérée", "marquée", "forte", "très forte"], start=1)
        ],
    )
    starts_on = forms.DateField(label="Début de la période", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Fin de la période", widget=DATE_WIDGET, required=False)
    source = forms.CharField(
        label="Source", max_length=255, help_text="Ex. : enquête Besoins en main-d'œuvre 2026, France Travail."
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "La fin de la période doit suivre son début.")
        return data


class ImportForm(DsfrBaseForm):
    file = forms.FileField(label="Fichier CSV", help_text="Séparateur « ; » ou « , », encodage UTF-8 ou Windows-1252.")
    skip_invalid = forms.BooleanField(
        label="Importer les lignes valides même si d'autres sont en erreur", required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError("Le fichier dépasse 20 Mo : découpez-le.")
        return upload


class ImmersionForm(DsfrBaseForm):
    siret = forms.CharField(
        label="Entreprise d'accueil (SIRET)", max_length=20, help_text="L'entreprise doit figurer dans l'annuaire."
    )
    tutor = forms.ChoiceField(label="Tuteur ou tutrice", required=False)
    objective = forms.ChoiceField(label="Objectif de l'immersion", choices=ImmersionObjective.choices)
    rome_job = RomeJobField(label="Métier observé (ROME)")
    activities = forms.CharField(label="Activités confiées", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label="Date de début", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Date de fin", widget=DATE_WIDGET)
    weekly_hours = forms.DecimalField(
        label="Durée hebdomadaire (heures)",
        max_digits=4,
        decimal_places=1,
        min_value=0.5,
        help_text=f"Au plus {IMMERSION_MAX_WEEKLY_HOURS} heures par semaine.",
    )
    schedule = forms.CharField(
        label="Horaires",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ex. : du lundi au vendredi, 9 h – 12 h et 13 h 30 – 16 h 30.",
    )
    place_address = forms.CharField(label="Adresse du lieu d'immersion", max_length=255)
    place_commune = CommuneField(label="Commune du lieu d'immersion")

    def __init__(self, *args, tutors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tutor"].choices = [("", "Choisir après avoir indiqué l'entreprise"), *tutors]

    def clean_siret(self):
        return clean_siret_value(self.cleaned_data["siret"])

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Dates incohérentes : la date de fin précède la date de début.")
        hours = data.get("weekly_hours")
        if hours is not None and hours > IMMERSION_MAX_WEEKLY_HOURS:
            self.add_error(
                "weekly_hours", f"La durée hebdomadaire ne peut pas dépasser {IMMERSION_MAX_WEEKLY_HOURS} heures."
            )
        return data


class CancelImmersionForm(DsfrBaseForm):
    reason = forms.ChoiceField(label="Motif de l'annulation", choices=CancelReason.choices)
    details = forms.CharField(label="Précisions", max_length=500, required=False)


class PersonSignatureForm(DsfrBaseForm):
    agree = forms.BooleanField(
        label="J'ai lu la convention et j'accepte d'effectuer cette immersion dans les conditions décrites.",
        error_messages={"required": "Cochez la case pour signer la convention."},
    )


class CompanySignatureForm(DsfrBaseForm):
    signatory_name = forms.CharField(label="Prénom et nom du signataire pour l'entreprise", max_length=150)
    agree = forms.BooleanField(
        label="J'ai lu la convention et l'entreprise s'engage à accueillir la personne dans ces conditions.",
        error_messages={"required": "Cochez la case pour signer la convention."},
    )


class AssessmentForm(DsfrBaseForm):
    outcome = forms.ChoiceField(label="Déroulement", choices=AssessmentOutcome.choices, widget=forms.RadioSelect)
    skills_observed = forms.CharField(
        label="Compétences observées", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    tutor_comment = forms.CharField(
        label="Appréciation du tuteur ou de la tutrice",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    hired = forms.BooleanField(label="L'immersion débouche sur une embauche", required=False)
    contract_type = forms.ChoiceField(
        label="Type de contrat", choices=[("", "Sans objet"), *ContractType.choices], required=False
    )
    contract_start = forms.DateField(label="Début du contrat", widget=DATE_WIDGET, required=False)
    weekly_hours = forms.DecimalField(
        label="Durée hebdomadaire du contrat (heures)", max_digits=4, decimal_places=1, required=False, min_value=1
    )
    person_agrees = forms.BooleanField(label="La personne approuve ce bilan", required=False)
    person_comment = forms.CharField(
        label="Commentaire de la personne", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("hired"):
            if not data.get("contract_type"):
                self.add_error("contract_type", "Indiquez le type de contrat de l'embauche.")
            if not data.get("contract_start"):
                self.add_error("contract_start", "Indiquez la date de début du contrat.")
        return data


class TrainingForm(DsfrBaseForm):
    organisation_name = forms.CharField(label="Organisme de formation", max_length=255)
    title = forms.CharField(label="Intitulé de la formation", max_length=255)
    rome_codes = forms.CharField(
        label="Métiers visés (codes ROME)",
        max_length=200,
        help_text="Un ou plusieurs codes séparés par des espaces ou des virgules, par exemple J1501 J1301.",
    )
    starts_on = forms.DateField(label="Début de la session", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Fin de la session", widget=DATE_WIDGET)
    places = forms.IntegerField(label="Nombre de places", min_value=1, max_value=500)
    commune = CommuneField(label="Commune")
    funding = forms.ChoiceField(label="Financement", choices=TrainingFunding.choices)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_rome_codes(self):
        from spie.referentials.models import RomeJob

        codes = [code.upper() for code in re.split(r"[\s,;|]+", self.cleaned_data["rome_codes"]) if code]
        jobs = list(RomeJob.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {job.code for job in jobs})
        if unknown:
            raise ValidationError("Code(s) ROME inconnu(s) : " + ", ".join(unknown) + ".")
        if not jobs:
            raise ValidationError("Indiquez au moins un code ROME.")
        return jobs

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Dates incohérentes : la fin de la session précède son début.")
        return data


class PositionForm(DsfrBaseForm):
    training = forms.ChoiceField(label="Session de formation")
    note = forms.CharField(label="Commentaire", max_length=500, required=False)

    def __init__(self, *args, trainings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].choices = [("", "Choisir une session"), *trainings]


class PositioningStepForm(DsfrBaseForm):
    note = forms.CharField(label="Commentaire", max_length=500, required=False)


class EventForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Type d'événement", choices=EventKind.choices)
    title = forms.CharField(label="Intitulé", max_length=255)
    starts_at = forms.DateTimeField(label="Date et heure", widget=DATETIME_WIDGET)
    commune = CommuneField(label="Commune")
    place = forms.CharField(label="Lieu", max_length=255)
    sirets = forms.CharField(
        label="Entreprises participantes (SIRET)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un SIRET par ligne ; les entreprises doivent figurer dans l'annuaire.",
    )
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_sirets(self):
        values = [re.sub(r"\s", "", line) for line in self.cleaned_data["sirets"].splitlines()]
        sirets = [value for value in values if value]
        bad = []
        for siret in sirets:
            try:
                validate_siret(siret)
            except ValidationError:
                bad.append(siret)
        if bad:
            raise ValidationError("SIRET invalide(s) : " + ", ".join(bad) + ".")
        return sirets


class InviteForm(DsfrBaseForm):
    person = forms.ChoiceField(label="Personne à inviter")

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Choisir parmi les personnes que vous suivez"), *people]


class ParticipationForm(DsfrBaseForm):
    present = forms.ChoiceField(label="Présence", choices=[("oui", "Présent·e"), ("non", "Absent·e")])
    outcome = forms.CharField(
        label="Suite donnée", max_length=255, required=False, help_text="Ex. : entretien prévu, immersion proposée."
    )


class EventOutcomesForm(DsfrBaseForm):
    outcomes = forms.CharField(label="Bilan de l'événement", widget=forms.Textarea(attrs={"rows": 4}))
    hires_count = forms.IntegerField(label="Embauches annoncées", min_value=0, max_value=1000, initial=0)


class CompanyFilterForm(DsfrBaseForm):
    q = forms.CharField(label="Nom ou SIRET", required=False)
    commune = CommuneField(label="Commune", required=False)
    rome_job = RomeJobField(label="Métier (ROME)", required=False)
    shortage = forms.BooleanField(label="Uniquement les métiers en tension", required=False)
