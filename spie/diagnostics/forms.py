"""Input of the diagnostic, section by section (validation only; services do the writing)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from spie.referentials.fields import RomeJobField

from .enums import (
    BarrierLevel,
    ContractType,
    DrivingLicence,
    Readiness,
    Speciality,
    TrainingLevel,
    WorkingTime,
    WorkSituation,
)
from .sensitive import SENSITIVE_THEMES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_TARGET_JOBS = 3
MAX_RADIUS_KM = 300


def _blank(choices, label="Non renseigné"):
    return [("", label), *choices]


class StartForm(DsfrBaseForm):
    speciality = forms.ChoiceField(
        label="Votre spécialité dans ce diagnostic",
        choices=Speciality.choices,
        widget=forms.RadioSelect,
        help_text="Le diagnostic est mené en binôme : un regard social et un regard professionnel.",
    )


class CoauthorForm(DsfrBaseForm):
    member = forms.ChoiceField(label="Membre de l'équipe de suivi", required=False)
    email = forms.EmailField(
        label="Ou adresse e-mail d'un professionnel du territoire",
        required=False,
        help_text="S'il ne fait pas partie de l'équipe de suivi, il y entre pour co-rédiger le diagnostic.",
    )
    speciality = forms.ChoiceField(
        label="Spécialité du co-auteur", choices=Speciality.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "Choisir un membre de l'équipe"), *members]

    def clean(self):
        data = super().clean()
        if bool(data.get("member")) == bool(data.get("email")):
            raise ValidationError("Choisissez un membre de l'équipe ou indiquez une adresse e-mail (l'un des deux).")
        return data


class JoinForm(DsfrBaseForm):
    speciality = forms.ChoiceField(label="Votre spécialité", choices=Speciality.choices, widget=forms.RadioSelect)


class ProfessionalForm(DsfrBaseForm):
    work_situation = forms.ChoiceField(
        label="Situation de travail actuelle", choices=_blank(WorkSituation.choices), required=False
    )
    last_job_ended_on = forms.DateField(
        label="Date de fin du dernier emploi",
        widget=DATE_WIDGET,
        required=False,
        help_text="Laisser vide si la personne est en emploi ou n'a jamais travaillé.",
    )
    training_level = forms.ChoiceField(
        label="Niveau de formation",
        choices=_blank(TrainingLevel.choices),
        required=False,
        help_text="Nomenclature France Travail, de AFS à NV1.",
    )
    languages = forms.CharField(
        label="Langues parlées",
        max_length=255,
        required=False,
        help_text="Ex. : français (courant), arabe (maternelle)",
    )
    driving_licences = forms.MultipleChoiceField(
        label="Permis de conduire", choices=DrivingLicence.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    skills = forms.CharField(label="Compétences", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def clean_last_job_ended_on(self):
        value = self.cleaned_data["last_job_ended_on"]
        if value and value > timezone.localdate():
            raise ValidationError("La date de fin du dernier emploi ne peut pas être dans le futur.")
        return value

    def changes(self):
        return dict(self.cleaned_data)


class ProjectForm(DsfrBaseForm):
    target_job_1 = RomeJobField(label="Métier visé", required=False, help_text="Tapez un métier ou un code ROME.")
    target_job_2 = RomeJobField(label="Deuxième métier visé", required=False)
    target_job_3 = RomeJobField(label="Troisième métier visé", required=False)
    contract_types = forms.MultipleChoiceField(
        label="Types de contrat souhaités",
        choices=ContractType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    working_time = forms.ChoiceField(
        label="Temps de travail souhaité", choices=_blank(WorkingTime.choices), required=False
    )
    mobility_radius_km = forms.IntegerField(
        label="Rayon de mobilité (en km)",
        min_value=0,
        max_value=MAX_RADIUS_KM,
        required=False,
        error_messages={
            "min_value": "Le rayon de mobilité ne peut pas être négatif.",
            "max_value": f"Le rayon de mobilité ne peut pas dépasser {MAX_RADIUS_KM} km.",
            "invalid": "Le rayon de mobilité est un nombre entier de kilomètres.",
        },
    )
    readiness = forms.ChoiceField(
        label="Projection dans l'emploi",
        choices=Readiness.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    @classmethod
    def initial_from(cls, diagnostic, romes):
        initial = {
            "contract_types": diagnostic.contract_types,
            "working_time": diagnostic.working_time,
            "mobility_radius_km": diagnostic.mobility_radius_km,
            "readiness": diagnostic.readiness,
        }
        for index, code in enumerate(diagnostic.target_rome_codes[:MAX_TARGET_JOBS], start=1):
            initial[f"target_job_{index}"] = romes.get(code) or code
        return initial

    def changes(self):
        data = self.cleaned_data
        codes = []
        for index in range(1, MAX_TARGET_JOBS + 1):
            job = data[f"target_job_{index}"]
            if job and job.code not in codes:
                codes.append(job.code)
        return {
            "target_rome_codes": codes,
            "contract_types": data["contract_types"],
            "working_time": data["working_time"],
            "mobility_radius_km": data["mobility_radius_km"],
            "readiness": data["readiness"],
        }


def situation_field_names(code):
    key = code.replace(".", "__")
    return f"niveau__{key}", f"commentaire__{key}"


class SocialForm(DsfrBaseForm):
    """One level and one comment per situation of the social themes the user may see."""

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = []
        for theme in themes:
            rows = []
            for situation in theme.situations:
                level_name, comment_name = situation_field_names(situation.code)
                self.fields[level_name] = forms.ChoiceField(
                    label=f"{situation.label} — niveau",
                    choices=_blank(BarrierLevel.choices, "Non concerné·e"),
                    required=False,
                )
                self.fields[comment_name] = forms.CharField(
                    label=f"{situation.label} — commentaire", max_length=500, required=False
                )
                rows.append((situation, self[level_name], self[comment_name]))
            self.themes.append((theme, rows))

    @classmethod
    def initial_from(cls, situations):
        initial = {}
        for row in situations:
            level_name, comment_name = situation_field_names(row.situation_code)
            initial[level_name], initial[comment_name] = row.level, row.comment
        return initial

    def clean(self):
        data = super().clean()
        for theme, rows in self.themes:
            for situation, level, comment in rows:
                if data.get(comment.name) and not data.get(level.name):
                    self.add_error(
                        comment.name,
                        f"« {theme.label} — {situation.label} » : choisissez un niveau pour garder ce commentaire.",
                    )
        return data

    def answers(self):
        data = self.cleaned_data
        return {
            situation.code: (data[level.name], data[comment.name].strip())
            for _theme, rows in self.themes
            for situation, level, comment in rows
            if data.get(level.name)
        }


class PersonViewForm(DsfrBaseForm):
    priority_theme_codes = forms.MultipleChoiceField(
        label="Ses priorités",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Les thèmes que la personne veut traiter en premier.",
    )
    person_words = forms.CharField(
        label="Ses mots",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        required=False,
        help_text="Ce que la personne dit de sa situation et de ce qu'elle attend, avec ses mots.",
    )

    def __init__(self, *args, themes=(), show_sensitive=False, hidden_priorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.hidden_priorities = list(hidden_priorities)
        self.fields["priority_theme_codes"].choices = [
            (theme.code, theme.label) for theme in themes if show_sensitive or theme.code not in SENSITIVE_THEMES
        ]

    def changes(self):
        codes = list(self.cleaned_data["priority_theme_codes"])
        return {
            "priority_theme_codes": codes + [code for code in self.hidden_priorities if code not in codes],
            "person_words": self.cleaned_data["person_words"],
        }


class ValidateForm(DsfrBaseForm):
    confirm = forms.BooleanField(
        label="Le diagnostic a été relu avec la personne et ses auteurs l'approuvent",
        error_messages={"required": "Cochez la case pour confirmer la relecture avant de valider."},
    )


class CompareForm(DsfrBaseForm):
    de = forms.ChoiceField(label="Version de départ")
    a = forms.ChoiceField(label="Version d'arrivée")

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(diagnostic.public_id), str(diagnostic)) for diagnostic in versions]
        self.fields["de"].choices = choices
        self.fields["a"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("de") and data.get("de") == data.get("a"):
            raise ValidationError("Choisissez deux versions différentes à comparer.")
        return data
