from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from spie.referentials.fields import CommuneField

from .enums import PathwayType

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QueueFilterForm(DsfrBaseForm):
    structure = forms.ChoiceField(label="Structure du référent", required=False)
    commune = CommuneField(label="Commune", required=False)
    late = forms.BooleanField(label="Seulement au-delà de l'objectif", required=False)
    diagnostic = forms.ChoiceField(
        label="Diagnostic validé",
        choices=[("", "Tous"), ("oui", "Avec diagnostic validé"), ("non", "Sans diagnostic validé")],
        required=False,
    )
    proposed = forms.ChoiceField(
        label="Orientation proposée", choices=[("", "Toutes"), *PathwayType.choices], required=False
    )

    def __init__(self, *args, structures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].choices = [("", "Toutes"), *structures]


class DecisionForm(DsfrBaseForm):
    pathway_type = forms.ChoiceField(label="Type de parcours", choices=PathwayType.choices, widget=forms.RadioSelect)
    structure = forms.ChoiceField(
        label="Structure référente", help_text="Entre parenthèses : nombre de personnes dont elle est référente."
    )
    referent = forms.ChoiceField(
        label="Professionnel·le référent·e",
        help_text="Entre parenthèses : nombre de personnes dont il ou elle est déjà référent·e.",
    )
    notified_on = forms.DateField(label="Date de notification", widget=DATE_WIDGET)
    comment = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def __init__(self, *args, structures=(), referents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].choices = [("", "Choisir une structure"), *structures]
        self.fields["referent"].choices = [
            ("", "Choisir d'abord une structure" if not referents else "Choisir un professionnel"),
            *referents,
        ]

    def clean_notified_on(self):
        value = self.cleaned_data["notified_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("La date de notification ne peut pas être dans le futur.")
        return value


class ReorientationRequestForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de la demande",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Expliquez pourquoi une réorientation est nécessaire."},
    )
    wished_pathway_type = forms.ChoiceField(
        label="Parcours souhaité", choices=[("", "Pas de préférence"), *PathwayType.choices], required=False
    )


class RefuseForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Expliquez votre réponse au référent."},
    )
