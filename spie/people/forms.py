import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from spie.core.validators import validate_plausible_date
from spie.referentials.fields import CommuneField

from .enums import RsaStatus, Sex, TeamEndReason, UnemploymentBenefit
from .identifiers import clean_nir, format_phone, normalize_phone

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _no_future(value, label):
    if value and value > timezone.localdate():
        raise ValidationError(f"La {label} ne peut pas être dans le futur.")
    return value


class PersonForm(DsfrBaseForm):
    """Identity, contacts, identifiers and rights of a person's file (creation and edition)."""

    birth_name = forms.CharField(label="Nom de naissance", max_length=150)
    usage_name = forms.CharField(label="Nom d'usage", max_length=150, required=False)
    first_names = forms.CharField(label="Prénoms", max_length=255, help_text="Dans l'ordre de l'état civil.")
    birth_date = forms.DateField(label="Date de naissance", widget=DATE_WIDGET, validators=[validate_plausible_date])
    sex = forms.ChoiceField(label="Sexe", choices=[("", "Non renseigné"), *Sex.choices], required=False)
    birth_place = forms.CharField(
        label="Lieu de naissance",
        max_length=255,
        required=False,
        help_text="Commune, ou pays si à l'étranger.",
    )
    email = forms.EmailField(label="E-mail", max_length=254, required=False)
    phone = forms.CharField(label="Téléphone", max_length=30, required=False, help_text="Ex. : 06 12 34 56 78")
    address = forms.CharField(label="Adresse", max_length=255, required=False)
    postal_code = forms.CharField(label="Code postal", max_length=5, required=False)
    commune = CommuneField(label="Commune de résidence", required=False)
    si_id = forms.CharField(label="Identifiant SI du Département", max_length=50, required=False)
    france_travail_id = forms.CharField(
        label="Identifiant France Travail",
        max_length=20,
        required=False,
        help_text="7 chiffres suivis d'une lettre ou d'un chiffre.",
    )
    caf_number = forms.CharField(label="Numéro CAF / MSA", max_length=20, required=False)
    nir = forms.CharField(
        label="NIR (numéro de sécurité sociale)",
        max_length=21,
        required=False,
        help_text="15 caractères, clé comprise. Jamais affiché en entier.",
    )
    entry_date = forms.DateField(
        label="Date d'entrée (T0)",
        widget=DATE_WIDGET,
        help_text="Ouverture des droits ou inscription.",
        validators=[validate_plausible_date],
    )
    rsa_status = forms.ChoiceField(label="RSA", choices=RsaStatus.choices, required=False)
    unemployment_benefit = forms.ChoiceField(
        label="Allocation chômage", choices=UnemploymentBenefit.choices, required=False
    )
    rqth = forms.BooleanField(
        label="RQTH (reconnaissance de la qualité de travailleur handicapé) — information sensible",
        required=False,
    )

    def __init__(self, *args, show_sensitive=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_sensitive:
            del self.fields["rqth"]

    def clean_birth_date(self):
        return _no_future(self.cleaned_data["birth_date"], "date de naissance")

    def clean_entry_date(self):
        return _no_future(self.cleaned_data["entry_date"], "date d'entrée")

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"]
        if value and not re.fullmatch(r"\d{5}", value):
            raise ValidationError("Le code postal comporte 5 chiffres.")
        return value

    def clean_france_travail_id(self):
        value = self.cleaned_data["france_travail_id"].replace(" ", "").upper()
        if value and not re.fullmatch(r"\d{7}[0-9A-Z]", value):
            raise ValidationError(
                "L'identifiant France Travail comporte 7 chiffres suivis d'une lettre ou d'un chiffre."
            )
        return value

    def clean_caf_number(self):
        value = self.cleaned_data["caf_number"].replace(" ", "")
        if value and not re.fullmatch(r"\d{7,13}", value):
            raise ValidationError("Le numéro CAF / MSA ne contient que des chiffres (7 à 13).")
        return value

    def clean_nir(self):
        value = self.cleaned_data["nir"]
        return clean_nir(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        commune, postal_code = cleaned.get("commune"), cleaned.get("postal_code")
        if commune and postal_code and postal_code not in commune.postal_code_list:
            self.add_error("postal_code", f"Ce code postal n'est pas celui de {commune.name}.")
        return cleaned

    def person_data(self):
        """The cleaned values that are Person fields (the NIR is stored apart)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "nir"}

    @staticmethod
    def initial_from(person):
        initial = {name: getattr(person, name) for name in PersonForm.base_fields if name not in ("nir",)}
        initial["phone"] = format_phone(person.phone)
        return initial


class PersonCreateForm(PersonForm):
    consent_given = forms.BooleanField(
        label="La personne accepte que les structures qui l'accompagnent partagent son dossier",
        required=False,
    )
    as_referent = forms.BooleanField(label="Je deviens référent·e de cette personne", required=False, initial=True)


class IdentitySearchForm(DsfrBaseForm):
    """Exact search: either an identifier, or last name + first name + birth date."""

    last_name = forms.CharField(label="Nom (de naissance ou d'usage)", max_length=150, required=False)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    birth_date = forms.DateField(
        label="Date de naissance", widget=DATE_WIDGET, required=False, validators=[validate_plausible_date]
    )
    identifier = forms.CharField(
        label="Ou un identifiant : NIR, identifiant France Travail ou SI du Département",
        max_length=50,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        identity = [cleaned.get("last_name"), cleaned.get("first_name"), cleaned.get("birth_date")]
        if not cleaned.get("identifier") and not all(identity):
            raise ValidationError("Indiquez le nom, le prénom et la date de naissance, ou un identifiant.")
        return cleaned


class JoinRequestForm(DsfrBaseForm):
    message = forms.CharField(
        label="Pourquoi souhaitez-vous rejoindre l'équipe de suivi ?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefuseForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif du refus (transmis au demandeur)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandOverForm(DsfrBaseForm):
    seat = forms.ChoiceField(label="Nouveau ou nouvelle référent·e")

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = {str(seat.public_id): seat for seat in seats}
        self.fields["seat"].choices = [
            (key, f"{seat.membership.user.get_full_name()} — {seat.membership.organisation.name}")
            for key, seat in self.seats.items()
        ]

    def clean_seat(self):
        return self.seats[self.cleaned_data["seat"]]


class LeaveForm(DsfrBaseForm):
    reason = forms.ChoiceField(label="Motif", choices=TeamEndReason.choices, initial=TeamEndReason.LEFT)


class CaseloadFilterForm(DsfrBaseForm):
    q = forms.CharField(label="Rechercher un nom", required=False)
    referent = forms.ChoiceField(label="Référent·e", required=False)
    consent = forms.ChoiceField(
        label="Consentement",
        required=False,
        choices=[("", "Tous"), ("oui", "Donné"), ("non", "Non donné ou retiré")],
    )
    entry_from = forms.DateField(
        label="Entrée depuis le", required=False, widget=DATE_WIDGET, validators=[validate_plausible_date]
    )
    entry_to = forms.DateField(
        label="Entrée jusqu'au", required=False, widget=DATE_WIDGET, validators=[validate_plausible_date]
    )
    commune = CommuneField(label="Commune", required=False)

    def __init__(self, *args, referents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].choices = [("", "Tous"), *referents]


class ImportUploadForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier CSV", help_text="Séparateur « ; » ou « , », UTF-8 ou Windows-1252. 20 Mo au plus."
    )
    skip_invalid = forms.BooleanField(
        label="Importer les lignes valides même si d'autres sont rejetées", required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError("Le fichier dépasse 20 Mo : découpez-le ou utilisez la commande import_people.")
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError("Le fichier doit être un CSV (.csv).")
        return upload
