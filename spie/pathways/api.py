"""Orientation and pathway API: the territory's orientation queue and the orientation decisions;
the pathway, contracts with their plan, appointments, reviews, alerts and follow-ups in employment.
Access rules: `perms.api_can_read_queue` (a token with the orientation scope, see
`spie.accounts.api_auth.token_reaches_territory`) and, for reading a person's decisions, the token's
structure in the follow-up team."""

import datetime
from uuid import UUID

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from spie.accounts.actors import Actor
from spie.core.api import LimitOffsetPagination
from spie.people.enums import AccessKind
from spie.people.models import FollowUpMember, Person, active_team_q
from spie.people.services import log_access
from spie.territories.policies import policy_for

from . import perms, services, services_appointments, services_contracts, services_orientation, situation
from .alerts import alerts_of
from .orientation_queue import awaiting_orientation, waiting_days

router = Router(tags=["Orientation"])


class QueueItemOut(Schema):
    personne: UUID
    nom: str
    prenoms: str
    date_entree: datetime.date
    jours_attente: int
    objectif_jours: int
    hors_delai: bool
    code_commune: str | None
    structure_referente: str | None
    diagnostic_valide: bool
    orientation_proposee: str | None


class DecisionOut(Schema):
    id: UUID
    personne: UUID
    type_parcours: str
    structure_referente: str
    referent: str
    referent_email: str
    date_notification: datetime.date
    statut: str
    orientation_proposee: str
    commentaire: str
    decidee_le: datetime.datetime


class DecisionIn(Schema):
    personne: UUID
    type_parcours: str
    referent_email: str
    date_notification: datetime.date
    commentaire: str = ""


class _MappedPage:
    """A queryset whose sliced page is mapped to schemas (the paginator slices it: one query)."""

    def __init__(self, queryset, build):
        self.queryset, self.build = queryset, build

    def __len__(self):
        return self.queryset.count()

    def __getitem__(self, page):
        return [self.build(item) for item in self.queryset[page]]


def _territory_id(request):
    territory_id = request.auth.organisation.territory_id
    if territory_id is None:
        raise HttpError(403, "La structure de ce jeton n'appartient à aucun territoire.")
    return territory_id


def _require_orientation_structure(request):
    if not perms.api_can_read_queue(request.auth):
        raise HttpError(
            403,
            "Seul un jeton créé avec la portée « orientation » (donnée par le ou la coordinateur·rice du "
            "territoire) a accès à cette ressource.",
        )
    return _territory_id(request)


@router.get("/orientation/queue", response=list[QueueItemOut], summary="File d'attente d'orientation du territoire")
@paginate(LimitOffsetPagination)
def orientation_queue(request):
    territory_id = _require_orientation_structure(request)
    target = policy_for(request.auth.organisation.territory).orientation_target_days
    today = timezone.localdate()
    people = awaiting_orientation(territory_id).order_by("entry_date", "pk")
    return _MappedPage(
        people,
        lambda person: QueueItemOut(
            personne=person.public_id,
            nom=person.display_last_name,
            prenoms=person.first_names,
            date_entree=person.entry_date,
            jours_attente=waiting_days(person, today),
            objectif_jours=target,
            hors_delai=waiting_days(person, today) > target,
            code_commune=person.commune.insee_code if person.commune_id else None,
            structure_referente=person.referent_organisation_name,
            diagnostic_valide=person.has_diagnostic,
            orientation_proposee=person.proposed_pathway,
        ),
    )


def _decision_out(decision):
    return DecisionOut(
        id=decision.public_id,
        personne=decision.person.public_id,
        type_parcours=decision.pathway_type,
        structure_referente=decision.referent_organisation.name,
        referent=decision.referent.user.get_full_name(),
        referent_email=decision.referent.user.email,
        date_notification=decision.notified_on,
        statut=decision.status,
        orientation_proposee=decision.proposed_pathway,
        commentaire=decision.comment,
        decidee_le=decision.created_at,
    )


def _readable_people(request):
    """People whose decisions the token may read: the whole territory for an orientation structure,
    otherwise the people its structure follows."""
    territory_id = _territory_id(request)
    people = Person.objects.filter(territory_id=territory_id, anonymised_at__isnull=True)
    if perms.api_can_read_queue(request.auth):
        return people
    seats = FollowUpMember.objects.filter(
        active_team_q(), person=OuterRef("pk"), membership__organisation=request.auth.organisation
    )
    return people.filter(Exists(seats))


@router.get(
    "/orientation/people/{person_id}/decisions",
    response=list[DecisionOut],
    summary="Décisions d'orientation d'une personne",
)
def person_decisions(request, person_id: UUID):
    person = get_object_or_404(_readable_people(request), public_id=person_id)
    log_access(person=person, by=Actor.from_token(request.auth), kind=AccessKind.READ, what="Orientation par l'API")
    decisions = person.orientation_decisions.select_related("person", "referent__user", "referent_organisation")
    return [_decision_out(decision) for decision in decisions]


@router.post("/orientation/decisions", response={201: DecisionOut}, summary="Enregistrer une décision d'orientation")
def create_decision(request, payload: DecisionIn):
    territory_id = _require_orientation_structure(request)
    person = get_object_or_404(
        Person.objects.filter(territory_id=territory_id, anonymised_at__isnull=True).select_related("territory"),
        public_id=payload.personne,
    )
    referent = (
        services_orientation.eligible_referents(territory_id)
        .filter(user__email=payload.referent_email.strip().lower())
        .select_related("user", "organisation")
        .order_by("organisation__name")
        .first()
    )
    if referent is None:
        raise HttpError(
            422,
            f"referent_email : {payload.referent_email} n'est pas un·e conseiller·ère actif·ve d'une structure "
            "du territoire.",
        )
    decision = services_orientation.decide_orientation(
        person=person,
        pathway_type=payload.type_parcours,
        referent=referent,
        notified_on=payload.date_notification,
        comment=payload.commentaire,
        by=Actor.from_token(request.auth),
    )
    return Status(201, _decision_out(decision))


# --- The shared pathway --------------------------------------------------------------------
# Reads: people the token's structure follows (the whole territory for a structure carrying the
# orientation); writes: only people the token's structure follows. Alerts: the whole territory for
# a structure with a coordinator or an orientation officer, otherwise the structure's caseload.


class AlertOut(Schema):
    type: str
    libelle: str
    depuis: datetime.date
    severite: int


class TransitionOut(Schema):
    de: str
    vers: str
    date: datetime.date
    motif: str
    motif_cloture: str


class PathwayOut(Schema):
    id: UUID
    personne: UUID
    etape: str
    depuis: datetime.date
    type_parcours: str
    date_entree: datetime.date
    date_orientation: datetime.date | None
    contrat_signe_le: datetime.date | None
    contrat_a_signer_avant: datetime.date | None
    prochain_point_avant: datetime.date | None
    dernier_rdv_honore: datetime.date | None
    clos_le: datetime.date | None
    motif_cloture: str
    alertes: list[AlertOut]
    etapes: list[TransitionOut]


class PlanActionOut(Schema):
    id: UUID
    code: str
    libelle: str
    statut: str
    heures_semaine: float
    debut: datetime.date | None
    fin: datetime.date | None


class PlanObjectiveOut(Schema):
    id: UUID
    code: str
    libelle: str
    actions: list[PlanActionOut]


class ContractOut(Schema):
    id: UUID
    version: int
    statut: str
    version_referentiel: str
    a_signer_avant: datetime.date | None
    heures_semaine: float
    derogation: str
    derogation_precisions: str
    signe_personne_le: datetime.date | None
    signe_referent_le: datetime.date | None
    plan: list[PlanObjectiveOut]


class AppointmentOut(Schema):
    id: UUID
    personne: UUID
    professionnel: str
    professionnel_email: str
    debut: datetime.datetime
    duree_minutes: int
    nature: str
    modalite: str
    lieu: str
    statut: str


class AppointmentIn(Schema):
    personne: UUID
    professionnel_email: str
    debut: datetime.datetime
    duree_minutes: int = 45
    nature: str = "suivi"
    modalite: str = "presentiel"
    lieu: str = ""


class AppointmentStatusIn(Schema):
    statut: str
    commentaire: str = ""


class ReviewOut(Schema):
    id: UUID
    date: datetime.date
    conclusion: str
    commentaire: str
    prochain_point: datetime.date | None


class ReviewIn(Schema):
    personne: UUID
    date: datetime.date
    conclusion: str
    commentaire: str = ""


class CheckpointOut(Schema):
    id: UUID
    mois: int
    prevu_le: datetime.date
    realise_le: datetime.date | None
    contact: str
    toujours_en_emploi: bool | None


class FollowUpOut(Schema):
    id: UUID
    employeur: str
    siret: str
    code_rome: str
    type_contrat: str
    temps_de_travail: str
    date_debut: datetime.date
    durable: bool
    statut: str
    points: list[CheckpointOut]


class ReturnToWorkIn(Schema):
    personne: UUID
    employeur: str
    siret: str
    code_rome: str
    type_contrat: str
    temps_de_travail: str
    heures_semaine: float | None = None
    date_debut: datetime.date


class CheckpointIn(Schema):
    contact: str
    toujours_en_emploi: bool | None = None
    commentaire: str = ""


class SituationRowOut(Schema):
    parcours: UUID
    personne: UUID
    nom: str
    prenoms: str
    etape: str
    type_parcours: str
    referent: str | None
    structure_referente: str | None
    alertes: list[AlertOut]


def _followed_people(request):
    territory_id = _territory_id(request)
    seats = FollowUpMember.objects.filter(
        active_team_q(), person=OuterRef("pk"), membership__organisation=request.auth.organisation
    )
    return Person.objects.filter(territory_id=territory_id, anonymised_at__isnull=True).filter(Exists(seats))


def _read_person(request, person_id, what):
    person = get_object_or_404(_readable_people(request).select_related("territory"), public_id=person_id)
    log_access(person=person, by=Actor.from_token(request.auth), kind=AccessKind.READ, what=what)
    return person


def _write_person(request, person_id):
    return get_object_or_404(_followed_people(request).select_related("territory"), public_id=person_id)


def _alerts_out(pathway, today):
    return [
        AlertOut(type=a.type.value, libelle=a.label, depuis=a.since, severite=int(a.severity))
        for a in alerts_of(pathway, today)
    ]


def _pathway_of(person):
    from .models import Pathway

    pathway = services.open_pathway_of(person) or Pathway.objects.filter(person=person).order_by("-created_at").first()
    if pathway is None:
        raise HttpError(404, "Pas de parcours pour cette personne.")
    return pathway


@router.get("/people/{person_id}/pathway", response=PathwayOut, summary="Parcours d'une personne", tags=["Parcours"])
def person_pathway(request, person_id: UUID):
    person = _read_person(request, person_id, "Parcours par l'API")
    pathway = _pathway_of(person)
    return PathwayOut(
        id=pathway.public_id,
        personne=person.public_id,
        etape=pathway.stage,
        depuis=pathway.stage_since,
        type_parcours=pathway.pathway_type,
        date_entree=pathway.entered_on,
        date_orientation=pathway.oriented_on,
        contrat_signe_le=pathway.contract_signed_on,
        contrat_a_signer_avant=pathway.contract_due_on,
        prochain_point_avant=pathway.next_review_due_on,
        dernier_rdv_honore=pathway.last_seen_appointment_on,
        clos_le=pathway.closed_on,
        motif_cloture=pathway.closing_reason,
        alertes=_alerts_out(pathway, timezone.localdate()),
        etapes=[
            TransitionOut(de=t.from_stage, vers=t.to_stage, date=t.on, motif=t.reason, motif_cloture=t.closing_reason)
            for t in pathway.transitions.all()
        ],
    )


@router.get(
    "/people/{person_id}/contracts",
    response=list[ContractOut],
    summary="Contrats d'engagement d'une personne et leur plan",
    tags=["Parcours"],
)
def person_contracts(request, person_id: UUID):
    from .models import EngagementContract
    from .presenters import plan_rows

    person = _read_person(request, person_id, "Contrat d'engagement par l'API")
    contracts = EngagementContract.objects.filter(person=person).select_related("referential_version")
    return [
        ContractOut(
            id=c.public_id,
            version=c.version,
            statut=c.status,
            version_referentiel=c.referential_version.code,
            a_signer_avant=c.due_on,
            heures_semaine=float(c.weekly_hours if c.status != "brouillon" else services_contracts.plan_hours(c)),
            derogation=c.exemption_reason,
            derogation_precisions=c.exemption_detail,
            signe_personne_le=c.person_signed_on,
            signe_referent_le=c.referent_signed_on,
            plan=[
                PlanObjectiveOut(
                    id=row.item.public_id,
                    code=row.item.objective_code,
                    libelle=row.label,
                    actions=[
                        PlanActionOut(
                            id=a.item.public_id,
                            code=a.item.action_code,
                            libelle=a.label,
                            statut=a.item.status,
                            heures_semaine=float(a.item.weekly_hours),
                            debut=a.item.starts_on,
                            fin=a.item.ends_on,
                        )
                        for a in row.actions
                    ],
                )
                for row in plan_rows(c)
            ],
        )
        for c in contracts
    ]


def _appointment_out(item):
    return AppointmentOut(
        id=item.public_id,
        personne=item.person.public_id,
        professionnel=item.professional.user.get_full_name(),
        professionnel_email=item.professional.user.email,
        debut=item.starts_at,
        duree_minutes=item.duration_minutes,
        nature=item.kind,
        modalite=item.channel,
        lieu=item.place,
        statut=item.status,
    )


@router.get(
    "/people/{person_id}/appointments",
    response=list[AppointmentOut],
    summary="Rendez-vous d'une personne",
    tags=["Parcours"],
)
def person_appointments(request, person_id: UUID):
    from .models import Appointment

    person = _read_person(request, person_id, "Rendez-vous par l'API")
    items = Appointment.objects.filter(person=person).select_related("person", "professional__user")
    return [_appointment_out(item) for item in items.order_by("-starts_at")[:500]]


@router.post("/appointments", response={201: AppointmentOut}, summary="Planifier un rendez-vous", tags=["Parcours"])
def create_appointment(request, payload: AppointmentIn):
    person = _write_person(request, payload.personne)
    professional = (
        services_appointments.team_memberships(person)
        .filter(user__email=payload.professionnel_email.strip().lower())
        .first()
    )
    if professional is None:
        raise HttpError(422, "professionnel_email : ce professionnel n'est pas membre actif de l'équipe de suivi.")
    pathway = services.open_pathway_of(person)
    if pathway is None:
        raise HttpError(400, "Pas de parcours ouvert pour cette personne.")
    appointment = services_appointments.plan_appointment(
        pathway=pathway,
        professional=professional,
        starts_at=payload.debut,
        duration_minutes=payload.duree_minutes,
        kind=payload.nature,
        channel=payload.modalite,
        place=payload.lieu,
        by=Actor.from_token(request.auth),
    )
    return Status(201, _appointment_out(appointment))


@router.post(
    "/appointments/{appointment_id}/status",
    response=AppointmentOut,
    summary="Enregistrer le statut d'un rendez-vous",
    tags=["Parcours"],
)
def appointment_status(request, appointment_id: UUID, payload: AppointmentStatusIn):
    from .models import Appointment

    item = get_object_or_404(
        Appointment.objects.filter(person__in=_followed_people(request)).select_related("person", "professional__user"),
        public_id=appointment_id,
    )
    item = services_appointments.record_appointment_status(
        appointment=item, status=payload.statut, note=payload.commentaire, by=Actor.from_token(request.auth)
    )
    return _appointment_out(item)


def _review_out(review):
    return ReviewOut(
        id=review.public_id,
        date=review.reviewed_on,
        conclusion=review.outcome,
        commentaire=review.comment,
        prochain_point=review.next_due_on,
    )


@router.get("/people/{person_id}/reviews", response=list[ReviewOut], summary="Points de situation", tags=["Parcours"])
def person_reviews(request, person_id: UUID):
    from .models import StatusReview

    person = _read_person(request, person_id, "Points de situation par l'API")
    return [_review_out(item) for item in StatusReview.objects.filter(person=person)]


@router.post("/reviews", response={201: ReviewOut}, summary="Enregistrer un point de situation", tags=["Parcours"])
def create_review(request, payload: ReviewIn):
    person = _write_person(request, payload.personne)
    pathway = services.open_pathway_of(person)
    if pathway is None:
        raise HttpError(400, "Pas de parcours ouvert pour cette personne.")
    review = services.record_status_review(
        pathway=pathway,
        reviewed_on=payload.date,
        outcome=payload.conclusion,
        comment=payload.commentaire,
        by=Actor.from_token(request.auth),
    )
    return Status(201, _review_out(review))


def _follow_up_out(item):
    return FollowUpOut(
        id=item.public_id,
        employeur=item.employer_name,
        siret=item.employer_siret,
        code_rome=item.rome_job.code,
        type_contrat=item.contract_type,
        temps_de_travail=item.working_time,
        date_debut=item.start_date,
        durable=item.is_durable,
        statut=item.status,
        points=[
            CheckpointOut(
                id=c.public_id,
                mois=c.months,
                prevu_le=c.due_on,
                realise_le=c.recorded_on,
                contact=c.contact,
                toujours_en_emploi=c.still_in_job,
            )
            for c in item.checkpoints.all()
        ],
    )


@router.get(
    "/people/{person_id}/employment",
    response=list[FollowUpOut],
    summary="Suivis dans l'emploi d'une personne",
    tags=["Parcours"],
)
def person_employment(request, person_id: UUID):
    from .models import EmploymentFollowUp

    person = _read_person(request, person_id, "Suivi dans l'emploi par l'API")
    items = EmploymentFollowUp.objects.filter(person=person).select_related("rome_job").prefetch_related("checkpoints")
    return [_follow_up_out(item) for item in items]


@router.post("/employment", response={201: FollowUpOut}, summary="Enregistrer une reprise d'emploi", tags=["Parcours"])
def create_follow_up(request, payload: ReturnToWorkIn):
    person = _write_person(request, payload.personne)
    item = services.record_return_to_work(
        person=person,
        employer_name=payload.employeur,
        employer_siret=payload.siret,
        rome_job=payload.code_rome,
        contract_type=payload.type_contrat,
        working_time=payload.temps_de_travail,
        weekly_hours=payload.heures_semaine,
        start_date=payload.date_debut,
        by=Actor.from_token(request.auth),
    )
    return Status(201, _follow_up_out(item))


@router.post(
    "/employment/checkpoints/{checkpoint_id}",
    response=FollowUpOut,
    summary="Enregistrer un point de suivi dans l'emploi",
    tags=["Parcours"],
)
def record_checkpoint(request, checkpoint_id: UUID, payload: CheckpointIn):
    from .models import EmploymentCheckpoint

    item = get_object_or_404(
        EmploymentCheckpoint.objects.filter(follow_up__person__in=_followed_people(request)).select_related(
            "follow_up"
        ),
        public_id=checkpoint_id,
    )
    services.record_checkpoint(
        checkpoint=item,
        contact=payload.contact,
        still_in_job=payload.toujours_en_emploi,
        comment=payload.commentaire,
        by=Actor.from_token(request.auth),
    )
    follow_up = type(item.follow_up).objects.select_related("rome_job").get(pk=item.follow_up_id)
    return _follow_up_out(follow_up)


@router.get("/alerts", response=list[SituationRowOut], summary="Alertes du point de situation", tags=["Parcours"])
@paginate(LimitOffsetPagination)
def situation_alerts(request, type: str = ""):
    from .enums import OPEN_STAGES, AlertType
    from .models import Pathway

    territory_id = _territory_id(request)
    today = timezone.localdate()
    pathways = Pathway.objects.filter(territory_id=territory_id, stage__in=OPEN_STAGES)
    if not perms.api_can_read_territory_alerts(request.auth):
        seats = FollowUpMember.objects.filter(
            active_team_q(), person=OuterRef("person_id"), membership__organisation=request.auth.organisation
        )
        pathways = pathways.filter(Exists(seats))
    if type and type not in AlertType.values:
        raise HttpError(422, f"type : valeur inconnue ; valeurs possibles : {', '.join(AlertType.values)}.")
    listed = situation.rows(pathways, today, type)
    return _MappedPage(
        listed,
        lambda item: SituationRowOut(
            parcours=item.public_id,
            personne=item.person.public_id,
            nom=item.person.display_last_name,
            prenoms=item.person.first_names,
            etape=item.stage,
            type_parcours=item.pathway_type,
            referent=item.referent.user.get_full_name() if item.referent_id else None,
            structure_referente=item.referent_organisation.name if item.referent_organisation_id else None,
            alertes=_alerts_out(item, today),
        ),
    )
