"""Diagnostics API: read the diagnostics of the people the token's structure follows (sensitive
themes always masked: the sensitive habilitation is personal, a structure's token does not carry
it), and create a draft."""

import datetime
from uuid import UUID

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.people.enums import AccessKind
from spie.people.models import FollowUpMember, Person, active_team_q
from spie.people.services import log_access

from . import services
from .forms import ProfessionalForm, ProjectForm
from .models import Diagnostic
from .sensitive import MASKED, is_sensitive

router = Router(tags=["Diagnostics"])


class AuthorOut(Schema):
    professionnel: str
    structure: str
    specialite: str
    signe_le: datetime.datetime | None


class SituationOut(Schema):
    theme: str
    situation: str
    niveau: str
    commentaire: str


class DiagnosticOut(Schema):
    id: UUID
    personne: UUID
    numero: int
    statut: str
    version_referentiel: str
    auteurs: list[AuthorOut]
    cree_le: datetime.datetime
    valide_le: datetime.datetime | None
    situation_travail: str
    date_fin_dernier_emploi: datetime.date | None
    niveau_formation: str
    langues: str
    permis: list[str]
    competences: str
    metiers_rome: list[str]
    types_contrat: list[str]
    temps_travail: str
    rayon_mobilite_km: int | None
    projection_emploi: str
    situations: list[SituationOut]
    priorites: list[str]
    parole: str
    themes_sensibles: str | None
    orientation_proposee: str
    regle: str
    motifs: list[str]


class SituationIn(Schema):
    situation: str
    niveau: str
    commentaire: str = ""


class DiagnosticIn(Schema):
    personne: UUID
    auteur_email: str
    specialite: str
    situation_travail: str = ""
    date_fin_dernier_emploi: datetime.date | None = None
    niveau_formation: str = ""
    langues: str = ""
    permis: list[str] = []
    competences: str = ""
    metiers_rome: list[str] = []
    types_contrat: list[str] = []
    temps_travail: str = ""
    rayon_mobilite_km: int | None = None
    projection_emploi: str = ""
    situations: list[SituationIn] = []
    priorites: list[str] = []
    parole: str = ""


def _followed(request):
    organisation = request.auth.organisation
    if organisation.territory_id is None:
        raise HttpError(403, "La structure de ce jeton n'appartient à aucun territoire.")
    seats = FollowUpMember.objects.filter(active_team_q(), person=OuterRef("pk"), membership__organisation=organisation)
    return Person.objects.filter(territory_id=organisation.territory_id, anonymised_at__isnull=True).filter(
        Exists(seats)
    )


def _out(diagnostic):
    situations = list(diagnostic.situations.all())
    masked = any(is_sensitive(row.theme_code, row.situation_code) for row in situations) or any(
        is_sensitive(code) for code in diagnostic.priority_theme_codes
    )
    return DiagnosticOut(
        id=diagnostic.public_id,
        personne=diagnostic.person.public_id,
        numero=diagnostic.number,
        statut=diagnostic.status,
        version_referentiel=diagnostic.referential_version.code,
        auteurs=[
            AuthorOut(
                professionnel=author.membership.user.get_full_name(),
                structure=author.membership.organisation.name,
                specialite=author.speciality,
                signe_le=author.signed_at,
            )
            for author in diagnostic.authors.all()
        ],
        cree_le=diagnostic.created_at,
        valide_le=diagnostic.validated_at,
        situation_travail=diagnostic.work_situation,
        date_fin_dernier_emploi=diagnostic.last_job_ended_on,
        niveau_formation=diagnostic.training_level,
        langues=diagnostic.languages,
        permis=diagnostic.driving_licences,
        competences=diagnostic.skills,
        metiers_rome=diagnostic.target_rome_codes,
        types_contrat=diagnostic.contract_types,
        temps_travail=diagnostic.working_time,
        rayon_mobilite_km=diagnostic.mobility_radius_km,
        projection_emploi=diagnostic.readiness,
        situations=[
            SituationOut(theme=row.theme_code, situation=row.situation_code, niveau=row.level, commentaire=row.comment)
            for row in situations
            if not is_sensitive(row.theme_code, row.situation_code)
        ],
        priorites=[code for code in diagnostic.priority_theme_codes if not is_sensitive(code)],
        parole=diagnostic.person_words,
        themes_sensibles=MASKED if masked else None,
        orientation_proposee=diagnostic.proposed_pathway,
        regle=diagnostic.proposal_rule,
        motifs=diagnostic.proposal_reasons,
    )


def _with_details(queryset):
    return queryset.select_related("person", "referential_version").prefetch_related(
        "situations", "authors__membership__user", "authors__membership__organisation"
    )


@router.get(
    "/people/{person_id}",
    response=list[DiagnosticOut],
    summary="Diagnostics d'une personne suivie par la structure du jeton",
)
def list_diagnostics(request, person_id: UUID):
    person = get_object_or_404(_followed(request), public_id=person_id)
    log_access(person=person, by=Actor.from_token(request.auth), kind=AccessKind.READ, what="Diagnostics par l'API")
    return [_out(diagnostic) for diagnostic in _with_details(person.diagnostics.order_by("-number"))]


@router.get("/{diagnostic_id}", response=DiagnosticOut, summary="Un diagnostic (thèmes sensibles masqués)")
def get_diagnostic(request, diagnostic_id: UUID):
    diagnostic = get_object_or_404(
        _with_details(Diagnostic.objects.filter(person__in=_followed(request))), public_id=diagnostic_id
    )
    log_access(
        person=diagnostic.person, by=Actor.from_token(request.auth), kind=AccessKind.READ, what="Diagnostic par l'API"
    )
    return _out(diagnostic)


def _form_errors(form, names):
    return "; ".join(f"{names.get(field, field)} : {' '.join(errors)}" for field, errors in form.errors.items())


@router.post("/", response={201: DiagnosticOut}, summary="Commencer un brouillon de diagnostic")
def create_draft(request, payload: DiagnosticIn):
    person = get_object_or_404(_followed(request), public_id=payload.personne)
    organisation = request.auth.organisation
    author = (
        Membership.objects.active()
        .filter(organisation=organisation, user__email=payload.auteur_email.strip().lower())
        .select_related("organisation", "user")
        .first()
    )
    if author is None:
        raise HttpError(422, f"auteur_email : {payload.auteur_email} n'est pas membre actif de {organisation.name}.")
    professional = ProfessionalForm(
        {
            "work_situation": payload.situation_travail,
            "last_job_ended_on": payload.date_fin_dernier_emploi,
            "training_level": payload.niveau_formation,
            "languages": payload.langues,
            "driving_licences": payload.permis,
            "skills": payload.competences,
        }
    )
    jobs = {f"target_job_{index}": code for index, code in enumerate(payload.metiers_rome[:3], start=1)}
    project = ProjectForm(
        {
            **jobs,
            "contract_types": payload.types_contrat,
            "working_time": payload.temps_travail,
            "mobility_radius_km": payload.rayon_mobilite_km,
            "readiness": payload.projection_emploi,
        }
    )
    names = {
        "work_situation": "situation_travail",
        "last_job_ended_on": "date_fin_dernier_emploi",
        "training_level": "niveau_formation",
        "languages": "langues",
        "driving_licences": "permis",
        "skills": "competences",
        "target_job_1": "metiers_rome",
        "target_job_2": "metiers_rome",
        "target_job_3": "metiers_rome",
        "contract_types": "types_contrat",
        "working_time": "temps_travail",
        "mobility_radius_km": "rayon_mobilite_km",
        "readiness": "projection_emploi",
    }
    errors = [_form_errors(form, names) for form in (professional, project) if not form.is_valid()]
    if errors:
        raise HttpError(422, "Données invalides — " + "; ".join(errors))
    by = Actor.from_token(request.auth)
    with transaction.atomic():  # all or nothing: a refused situation leaves no half-written draft
        diagnostic = services.start_diagnostic(person=person, speciality=payload.specialite, author=author, by=by)
        changes = {
            **professional.changes(),
            **project.changes(),
            "priority_theme_codes": payload.priorites,
            "person_words": payload.parole,
        }
        services.update_diagnostic(diagnostic=diagnostic, changes=changes, by=by, section="api")
        answers = {item.situation: (item.niveau, item.commentaire) for item in payload.situations}
        if answers:
            services.update_situations(diagnostic=diagnostic, answers=answers, by=by, include_sensitive=False)
    return Status(201, _out(_with_details(Diagnostic.objects.all()).get(pk=diagnostic.pk)))
