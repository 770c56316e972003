import re

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from .enums import RATING_CHOICES, EventKind

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class EventForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Type de temps commun", choices=EventKind.choices)
    topic = forms.CharField(label="Thème", max_length=255, help_text="Ex. : l'accompagnement des freins à la mobilité.")
    description = forms.CharField(
        label="Programme (facultatif)", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_at = forms.DateTimeField(label="Début", widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label="Fin", widget=DATETIME_WIDGET)
    place = forms.CharField(label="Lieu", max_length=255, help_text="Adresse, salle ou lien de visioconférence.")
    capacity = forms.IntegerField(label="Nombre de places", min_value=1, max_value=1000)
    registration_deadline = forms.DateTimeField(
        label="Inscriptions jusqu'au (facultatif)",
        widget=DATETIME_WIDGET,
        required=False,
        help_text="Laissez vide pour accepter les inscriptions jusqu'au début.",
    )

    def clean(self):
        data = super().clean()
        starts, ends, deadline = data.get("starts_at"), data.get("ends_at"), data.get("registration_deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "Dates incohérentes : la fin doit suivre le début.")
        if starts and deadline and deadline > starts:
            self.add_error("registration_deadline", "La date limite d'inscription doit précéder le début.")
        return data


class CancelEventForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de l'annulation",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Il est envoyé par e-mail aux professionnels inscrits ou en liste d'attente.",
    )


class RatingForm(DsfrBaseForm):
    rating = forms.TypedChoiceField(label="Votre note", choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce qui vous a été utile, ce qui manquait. Ne nommez aucune personne accompagnée.",
    )


class EventFilterForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Type", choices=[("", "Tous les types"), *EventKind.choices], required=False)
    mois = forms.CharField(
        label="Mois", required=False, widget=forms.DateInput(attrs={"type": "month"}), help_text="Format AAAA-MM."
    )
    structure = forms.ChoiceField(label="Structure organisatrice", required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].choices = [("", "Toutes les structures"), *organisations]

    def clean_mois(self):
        value = self.cleaned_data["mois"].strip()
        if value and not MONTH.match(value):
            raise ValidationError("Mois invalide : saisissez-le au format AAAA-MM, par exemple 2026-11.")
        return value
