import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from dsfr.forms import DsfrBaseForm

from spie.referentials.enums import Vocabulary
from spie.referentials.fields import CommuneField
from spie.referentials.models import Theme, VocabularyTerm

from .enums import ProposalStatus, SearchSort
from .schema import NATIONAL_ZONE, ZONE_RES
from .search import DEFAULT_RADIUS_KM, MAX_RADIUS_KM

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def vocabulary_choices(vocabulary):
    terms = VocabularyTerm.objects.filter(vocabulary=vocabulary).order_by("label")
    return [(term.value, term.label) for term in terms]


def thematique_choices(*, categories=True):
    """Categories then their sub-themes, grouped for a <select> (one query)."""
    terms = list(VocabularyTerm.objects.filter(vocabulary=Vocabulary.THEMATIQUES).order_by("label"))
    categories_list = [term for term in terms if not term.parent_value]
    groups = []
    for category in sorted(categories_list, key=lambda term: term.label):
        children = [(term.value, term.label) for term in terms if term.parent_value == category.value]
        options = ([(category.value, f"{category.label} (toute la catégorie)")] if categories else []) + children
        groups.append((category.label, options))
    return groups


def theme_labels(values):
    labels = dict(
        VocabularyTerm.objects.filter(vocabulary=Vocabulary.THEMATIQUES, value__in=values).values_list("value", "label")
    )
    return [labels.get(value, value) for value in values]


class OfferSearchForm(DsfrBaseForm):
    thematique = forms.ChoiceField(label="Thématique", required=False)
    commune = CommuneField(label="Commune", required=False, help_text="Nom, code postal ou code INSEE.")
    rayon_km = forms.IntegerField(
        label="Rayon (km)", min_value=1, max_value=MAX_RADIUS_KM, required=False, initial=DEFAULT_RADIUS_KM
    )
    public = forms.ChoiceField(label="Public", required=False)
    mode_accueil = forms.ChoiceField(label="Mode d'accueil", required=False)
    frais = forms.ChoiceField(label="Frais", required=False)
    q = forms.CharField(label="Mots-clés", required=False, max_length=100)
    tri = forms.ChoiceField(label="Trier par", required=False, choices=SearchSort.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematique"].choices = [("", "Toutes les thématiques"), *thematique_choices()]
        self.fields["public"].choices = [("", "Tous les publics"), *vocabulary_choices(Vocabulary.PUBLICS)]
        self.fields["mode_accueil"].choices = [("", "Tous"), *vocabulary_choices(Vocabulary.MODES_ACCUEIL)]
        self.fields["frais"].choices = [("", "Tous"), *vocabulary_choices(Vocabulary.FRAIS)]


def _zone_codes(value):
    codes = [code.strip() for code in re.split(r"[\s,;|]+", value or "") if code.strip()]
    for code in codes:
        if code.lower() not in NATIONAL_ZONE and not any(pattern.match(code) for pattern in ZONE_RES):
            raise ValidationError(f"Code « {code} » invalide : code commune, département, EPCI ou « france ».")
    return [code.lower() if code.lower() == "france" else code.upper() for code in codes]


class OfferForm(DsfrBaseForm):
    """A service of the structure, in the data·inclusion schema's terms."""

    name = forms.CharField(label="Nom du service", min_length=3, max_length=150)
    description = forms.CharField(
        label="Description",
        min_length=5,
        max_length=10000,
        widget=TEXTAREA,
        help_text="Idéalement entre 200 et 2 000 caractères, en phrases courtes.",
    )
    kind = forms.ChoiceField(label="Type de service", required=False)
    thematiques = forms.MultipleChoiceField(
        label="Thématiques", widget=forms.SelectMultiple(attrs={"size": 10}), help_text="Une ou plusieurs."
    )
    publics = forms.MultipleChoiceField(label="Publics", required=False, widget=forms.CheckboxSelectMultiple)
    publics_details = forms.CharField(label="Précisions sur les publics", required=False, widget=TEXTAREA)
    fees = forms.ChoiceField(label="Frais", required=False)
    fees_details = forms.CharField(label="Précisions sur les frais", required=False)
    access_conditions = forms.CharField(label="Conditions d'accès", required=False, widget=TEXTAREA)
    reception_modes = forms.MultipleChoiceField(
        label="Modes d'accueil", required=False, widget=forms.CheckboxSelectMultiple
    )
    mobilisation_modes = forms.MultipleChoiceField(
        label="Modes de mobilisation", required=False, widget=forms.CheckboxSelectMultiple
    )
    mobilisable_by = forms.MultipleChoiceField(
        label="Mobilisable par", required=False, widget=forms.CheckboxSelectMultiple
    )
    mobilisation_details = forms.CharField(label="Précisions sur la mobilisation", required=False)
    mobilisation_link = forms.URLField(
        label="Lien de mobilisation", required=False, max_length=2083, assume_scheme="https"
    )
    phone = forms.CharField(label="Téléphone", required=False, max_length=50)
    email = forms.EmailField(
        label="Courriel",
        max_length=254,
        required=False,
        help_text="Reçoit les orientations si la structure n'utilise pas la plateforme.",
    )
    contact_name = forms.CharField(label="Contact (nom et prénom)", required=False, max_length=255)
    address = forms.CharField(label="Adresse", required=False, max_length=255)
    commune = CommuneField(label="Commune du lieu d'accueil", required=False)
    opening_hours = forms.CharField(
        label="Horaires d'accueil", required=False, max_length=500, help_text="Ex. : Mo-Fr 08:30-12:30"
    )
    eligibility_zone = forms.CharField(
        label="Zone d'éligibilité",
        required=False,
        help_text="Codes INSEE de communes, départements (59), EPCI (SIREN) ou « france », séparés par des virgules.",
    )
    weekly_hours = forms.FloatField(label="Volume horaire hebdomadaire", required=False, min_value=0)
    weeks = forms.IntegerField(label="Nombre de semaines", required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Non précisé"), *vocabulary_choices(Vocabulary.TYPES_DE_SERVICES)]
        self.fields["thematiques"].choices = thematique_choices(categories=False)
        self.fields["publics"].choices = vocabulary_choices(Vocabulary.PUBLICS)
        self.fields["fees"].choices = [("", "Non précisé"), *vocabulary_choices(Vocabulary.FRAIS)]
        self.fields["reception_modes"].choices = vocabulary_choices(Vocabulary.MODES_ACCUEIL)
        self.fields["mobilisation_modes"].choices = vocabulary_choices(Vocabulary.MODES_MOBILISATION)
        self.fields["mobilisable_by"].choices = vocabulary_choices(Vocabulary.PERSONNE_MOBILISATRICE)

    def clean_eligibility_zone(self):
        return _zone_codes(self.cleaned_data["eligibility_zone"])

    def clean(self):
        data = super().clean()
        modes = data.get("reception_modes") or []
        if "en-presentiel" in modes and not data.get("commune"):
            self.add_error("commune", "Indiquez la commune du lieu d'accueil d'un service en présentiel.")
        return data

    @classmethod
    def initial_for(cls, offer):
        from spie.territories.models import Commune

        initial = {name: getattr(offer, name) for name in cls.base_fields if hasattr(offer, name)}
        initial["eligibility_zone"] = ", ".join(offer.eligibility_zone or [])
        initial["commune"] = Commune.objects.filter(insee_code=offer.code_insee).first()
        return initial

    def offer_data(self):
        data = dict(self.cleaned_data)
        commune = data.pop("commune")
        data["code_insee"] = commune.insee_code if commune else ""
        data["commune_name"] = commune.name if commune else ""
        data["postal_code"] = (commune.postal_code_list or [""])[0] if commune else ""
        data["eligibility_zone"] = data["eligibility_zone"] or None
        for name in ("publics_details", "fees_details", "access_conditions", "mobilisation_details"):
            data[name] = data[name].strip()
        return data


class ImportUploadForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier data·inclusion",
        help_text="JSON (objet avec « structures » et « services ») ou CSV (une ligne par structure ou par service).",
    )
    source = forms.SlugField(
        label="Source",
        required=False,
        max_length=100,
        help_text="Producteur des données (ex. « dora », « cd59 »), pour les enregistrements qui ne l'indiquent pas.",
    )
    skip_invalid = forms.BooleanField(
        label="Importer les enregistrements valides même si d'autres sont rejetés", required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.OFFERS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"Le fichier dépasse {filesizeformat(limit)} : découpez-le ou utilisez la commande import_offers."
            )
        return upload


def need_choices():
    version_themes = Theme.objects.filter(version__is_current=True).order_by("position")
    return [(theme.code, theme.label) for theme in version_themes]


class ReferralForm(DsfrBaseForm):
    message = forms.CharField(
        label="Message au service",
        max_length=3000,
        widget=TEXTAREA,
        help_text="Ce que le service doit savoir pour recevoir la personne. N'y mettez pas d'information de santé.",
    )
    needs = forms.MultipleChoiceField(
        label="Besoins concernés",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Seuls ces besoins sont montrés au service.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = need_choices()


class RefuseReferralForm(DsfrBaseForm):
    reason = forms.CharField(label="Motif du refus", max_length=2000, widget=TEXTAREA)


class ExternalAnswerForm(DsfrBaseForm):
    DECISIONS = [("accepter", "J'accepte d'accueillir la personne"), ("refuser", "Je refuse cette orientation")]

    responder_name = forms.CharField(label="Vos nom et prénom", max_length=255)
    decision = forms.ChoiceField(label="Votre réponse", choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(label="Motif du refus", required=False, max_length=2000, widget=TEXTAREA)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuser" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Indiquez le motif du refus.")
        return data


class CloseReferralForm(DsfrBaseForm):
    note = forms.CharField(label="Commentaire", required=False, max_length=2000, widget=TEXTAREA)


class LinkActionForm(DsfrBaseForm):
    action_id = forms.UUIDField(label="Identifiant de l'action du contrat d'engagement", required=False)


class ProposalForm(DsfrBaseForm):
    title = forms.CharField(label="Intitulé de l'offre", max_length=150, min_length=3)
    need = forms.CharField(label="Besoin auquel elle répond", max_length=3000, widget=TEXTAREA)
    public = forms.CharField(label="Public visé", max_length=1000, widget=TEXTAREA)
    capacity = forms.IntegerField(label="Capacité attendue (personnes par an)", required=False, min_value=1)
    description = forms.CharField(label="Description", required=False, max_length=5000, widget=TEXTAREA)
    thematiques = forms.MultipleChoiceField(
        label="Thématiques", required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    commune = CommuneField(label="Commune principale", required=False)
    partners = forms.ModelMultipleChoiceField(
        label="Structures partenaires",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematiques"].choices = thematique_choices(categories=False)
        self.fields["partners"].queryset = organisations

    def proposal_data(self):
        data = dict(self.cleaned_data)
        data.pop("partners")
        return data


class ProposalMoveForm(DsfrBaseForm):
    status = forms.ChoiceField(label="Nouvelle étape", choices=ProposalStatus.choices)
    note = forms.CharField(label="Commentaire de la décision", required=False, widget=TEXTAREA, max_length=3000)

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(status.value, status.label) for status in allowed]


class CommentForm(DsfrBaseForm):
    text = forms.CharField(label="Votre commentaire", max_length=3000, widget=TEXTAREA)
