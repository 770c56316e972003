from django import forms
from dsfr.forms import DsfrBaseForm

from spie.territories.models import Territory

from .enums import FeedbackTheme, Step
from .questions import COMMENT_MAX_LENGTH

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AnswerForm(forms.Form):
    """One radio group per question of the step's questionnaire, and the optional comment. The
    template draws the DSFR fieldsets itself (legend, radios, error tied to the group)."""

    def __init__(self, questionnaire, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for question in questionnaire.questions:
            self.fields[question.code] = forms.TypedChoiceField(
                label=question.text,
                choices=[(value, label) for value, label in question.scale],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choisissez une réponse pour cette question."},
            )
        self.fields["comment"] = forms.CharField(
            label="Voulez-vous ajouter quelque chose ? (facultatif)",
            help_text=(
                "N'écrivez pas votre nom ni celui d'une autre personne. Vos mots peuvent être lus, "
                "sans votre nom, par l'équipe qui organise le service."
            ),
            required=False,
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={
                "max_length": f"Votre commentaire dépasse {COMMENT_MAX_LENGTH} caractères : raccourcissez-le."
            },
        )

    def groups(self):
        """For the template: each question with its bound field and its choices."""
        items = []
        for question in self.questionnaire.questions:
            bound = self[question.code]
            current = str(bound.value() or "")
            items.append(
                {
                    "question": question,
                    "field": bound,
                    "choices": [
                        {"value": value, "label": label, "smiley": smiley, "checked": str(value) == current}
                        for value, label, smiley in question.choices()
                    ],
                }
            )
        return items

    def answers(self):
        return {question.code: self.cleaned_data[question.code] for question in self.questionnaire.questions}


class ResultsFilterForm(DsfrBaseForm):
    territory = forms.ModelChoiceField(
        label="Territoire",
        queryset=Territory.objects.order_by("name"),
        required=False,
        empty_label="Tous les territoires",
        to_field_name="code",
    )
    step = forms.ChoiceField(label="Étape", choices=[("", "Toutes les étapes"), *Step.choices], required=False)
    start = forms.DateField(label="Envoyés à partir du", required=False, widget=DATE_WIDGET)
    end = forms.DateField(label="Envoyés jusqu'au", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, national=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not national:
            del self.fields["territory"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "La date de fin doit être après la date de début.")
        return data


class PublishCommentForm(DsfrBaseForm):
    text = forms.CharField(
        label="Texte publié",
        help_text="Retirez les noms, lieux précis ou détails qui permettraient de reconnaître quelqu'un.",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )


class VolunteerForm(DsfrBaseForm):
    display_name = forms.CharField(
        label="Nom affiché", max_length=100, help_text="Un prénom ou un pseudonyme choisi par la personne."
    )
    consent_on = forms.DateField(
        label="Accord recueilli le", widget=DATE_WIDGET, error_messages={"invalid": "Date invalide (jj/mm/aaaa)."}
    )


class MirrorConsentForm(DsfrBaseForm):
    consent_on = forms.DateField(
        label="Accord de la personne recueilli le",
        widget=DATE_WIDGET,
        error_messages={"invalid": "Date invalide (jj/mm/aaaa)."},
    )


class SessionForm(DsfrBaseForm):
    held_on = forms.DateField(
        label="Date", widget=DATE_WIDGET, error_messages={"invalid": "Date invalide (jj/mm/aaaa)."}
    )
    topic = forms.CharField(label="Thème de la séance", max_length=200)
    place = forms.CharField(label="Lieu", max_length=200, help_text="Adresse, ou « à distance ».")


class AttendanceForm(DsfrBaseForm):
    members = forms.ModelMultipleChoiceField(
        label="Membres présents", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].to_field_name = "public_id"


class FeedbackForm(DsfrBaseForm):
    summary = forms.CharField(
        label="Synthèse des échanges",
        help_text="Ce que le groupe a exprimé, sans nom de personne.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    themes = forms.MultipleChoiceField(
        label="Thèmes abordés", choices=FeedbackTheme.choices, widget=forms.CheckboxSelectMultiple
    )
