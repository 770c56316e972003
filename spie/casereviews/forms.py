"""Forms of the case reviews: input validation only (the rules live in the services)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from spie.accounts.models import Membership, Organisation
from spie.pathways.enums import PathwayType

from .enums import DECISION_KINDS, AttendanceStatus, BodyKind, Opinion

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.get_full_name()} — {obj.organisation.name} ({obj.get_role_display()})"


def territory_memberships(territory_id):
    return (
        Membership.objects.active()
        .filter(organisation__territory_id=territory_id)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "pk")
    )


class BodyForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Type d'instance", choices=BodyKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label="Nom", max_length=200)
    description = forms.CharField(label="Rôle et périmètre", widget=_textarea(3), max_length=2000, required=False)
    quorum = forms.IntegerField(
        label="Quorum (membres présents)",
        min_value=1,
        max_value=100,
        required=False,
        help_text="Obligatoire pour l'équipe pluridisciplinaire : nombre de membres présents pour rendre un avis.",
    )


class MemberForm(DsfrBaseForm):
    membership = MembershipChoiceField(
        label="Professionnel·le du territoire",
        queryset=Membership.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    is_external = forms.BooleanField(
        label="Membre extérieur (sans accès aux dossiers)",
        required=False,
        help_text="Par exemple un·e représentant·e des bénéficiaires du RSA : "
        "ne voit que les situations pseudonymisées.",
    )
    full_name = forms.CharField(label="Nom du membre extérieur", max_length=200, required=False)
    quality = forms.CharField(label="Qualité", max_length=200, required=False)
    sees_names = forms.BooleanField(
        label="Voit les situations de façon nominative",
        required=False,
        initial=True,
        help_text="Sans effet pour un membre extérieur, qui ne voit que la forme pseudonymisée.",
    )

    def __init__(self, *args, territory_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = territory_memberships(territory_id)


class SessionForm(DsfrBaseForm):
    starts_at = forms.DateTimeField(label="Date et heure", widget=DATETIME_WIDGET)
    place = forms.CharField(label="Lieu", max_length=255, required=False)
    video_link = forms.URLField(
        assume_scheme="https",
        label="Lien de visioconférence",
        max_length=200,
        required=False,
        error_messages={"invalid": "Lien de visioconférence : adresse web attendue (https://…)."},
    )
    agenda = forms.CharField(
        label="Ordre du jour (points généraux)", widget=_textarea(3), max_length=3000, required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_link") and "video_link" not in self.errors:
            self.add_error("place", "Lieu : indiquez un lieu ou un lien de visioconférence.")
        return data


class ReferForm(DsfrBaseForm):
    body_kind = forms.ChoiceField(label="Instance", choices=BodyKind.choices, widget=forms.RadioSelect)
    question = forms.CharField(
        label="Question posée à l'instance",
        widget=_textarea(3),
        max_length=2000,
        help_text="Sans nom, date de naissance, adresse ni identifiant : elle figure à l'ordre du jour.",
    )
    consent = forms.BooleanField(
        label="La personne est d'accord pour que sa situation soit présentée",
        error_messages={"required": "Accord de la personne : la situation n'est présentée qu'avec son accord."},
    )
    consent_on = forms.DateField(label="Accord recueilli le", widget=DATE_WIDGET)
    summary = forms.CharField(
        label="Résumé de la situation pour les membres",
        widget=_textarea(5),
        max_length=3000,
        required=False,
        help_text="Sans donnée identifiante : il est lu par des membres qui ne voient pas le dossier.",
    )

    def clean_consent_on(self):
        value = self.cleaned_data["consent_on"]
        if value and value > timezone.localdate():
            raise ValidationError("Accord recueilli le : la date ne peut pas être dans le futur.")
        return value


class PresentationForm(DsfrBaseForm):
    question = forms.CharField(label="Question posée à l'instance", widget=_textarea(3), max_length=2000)
    summary = forms.CharField(
        label="Résumé de la situation pour les membres",
        widget=_textarea(6),
        max_length=3000,
        help_text="Situation, freins, démarches déjà faites — sans nom, date de naissance, adresse ni identifiant.",
    )


class ScheduleForm(DsfrBaseForm):
    case = forms.ChoiceField(label="Situation à inscrire")

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "Choisir une situation"), *cases]


class AttendanceForm(DsfrBaseForm):
    def __init__(self, *args, attendances=(), **kwargs):
        super().__init__(*args, **kwargs)
        for row in attendances:
            self.fields[str(row.member.public_id)] = forms.ChoiceField(
                label=row.member.display_name, choices=AttendanceStatus.choices, initial=row.status
            )


class MinutesForm(DsfrBaseForm):
    minutes = forms.CharField(
        label="Compte rendu (points généraux)",
        widget=_textarea(4),
        max_length=5000,
        required=False,
        help_text="Les avis, décisions et actions de chaque situation figurent déjà au compte rendu.",
    )


class ReasonForm(DsfrBaseForm):
    reason = forms.CharField(label="Motif", widget=_textarea(2), max_length=500)


class DiscussionForm(DsfrBaseForm):
    notes = forms.CharField(label="Notes de séance", widget=_textarea(5), max_length=5000, required=False)
    opinion = forms.CharField(label="Avis de l'instance", widget=_textarea(3), max_length=3000)


class DecisionForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Type de décision")
    opinion = forms.ChoiceField(
        label="Avis",
        choices=[("", "Sans objet"), *Opinion.choices],
        required=False,
        help_text="Obligatoire pour un avis sur une réorientation, une réduction ou une suspension.",
    )
    detail = forms.CharField(label="Motivation", widget=_textarea(3), max_length=3000)
    wished_pathway_type = forms.ChoiceField(
        label="Parcours proposé (réorientation)", choices=[("", "Non précisé"), *PathwayType.choices], required=False
    )

    def __init__(self, *args, body_kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in DECISION_KINDS.get(body_kind, [])]


class CaseActionForm(DsfrBaseForm):
    title = forms.CharField(label="Action décidée", max_length=300)
    owner_organisation = forms.ModelChoiceField(
        label="Structure chargée de l'action", queryset=Organisation.objects.none(), to_field_name="public_id"
    )
    owner_membership = MembershipChoiceField(
        label="Professionnel·le chargé·e (facultatif)",
        queryset=Membership.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    due_on = forms.DateField(label="Échéance", widget=DATE_WIDGET)
    objective_code = forms.ChoiceField(label="Objectif du contrat (si l'action entre dans le plan)", required=False)
    action_code = forms.ChoiceField(label="Action du référentiel à ajouter au plan", required=False)

    def __init__(self, *args, territory_id=None, objectives=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            territory_id=territory_id, is_active=True
        ).order_by("name")
        self.fields["owner_membership"].queryset = territory_memberships(territory_id)
        self.fields["objective_code"].choices = [("", "Ne concerne pas le plan"), *_grouped(objectives)]
        self.fields["action_code"].choices = [("", "Ne concerne pas le plan"), *_grouped(actions)]

    def clean(self):
        data = super().clean()
        if data.get("action_code") and not data.get("objective_code"):
            self.add_error("objective_code", "Objectif du contrat : choisissez l'objectif de l'action du plan.")
        return data


def _grouped(items):
    groups = {}
    for item in items:
        groups.setdefault(item.theme.label, []).append((item.code, item.label))
    return list(groups.items())


class DoneForm(DsfrBaseForm):
    done_on = forms.DateField(label="Réalisée le", widget=DATE_WIDGET)


class WaitingFilterForm(DsfrBaseForm):
    instance = forms.ChoiceField(label="Instance", choices=[("", "Toutes"), *BodyKind.choices], required=False)


class CandidateFilterForm(DsfrBaseForm):
    motif = forms.ChoiceField(label="Motif", required=False)

    def __init__(self, *args, **kwargs):
        from .selectors import REASONS

        super().__init__(*args, **kwargs)
        self.fields["motif"].choices = [("", "Tous les motifs"), *REASONS.items()]
