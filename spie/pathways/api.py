"""Orientation API: the territory's orientation queue and the orientation decisions.
Access rules: `perms.api_can_read_queue` (structures that carry orientation) and, for reading a
person's decisions, the token's structure in the follow-up team."""

import datetime
from uuid import UUID

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from spie.accounts.actors import Actor
from spie.people.enums import AccessKind
from spie.people.models import FollowUpMember, Person, active_team_q
from spie.people.services import log_access
from spie.territories.policies import policy_for

from . import perms, services_orientation
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
    if not perms.api_can_read_queue(request.auth.organisation):
        raise HttpError(403, "Seule une structure qui porte l'orientation du territoire a accès à cette ressource.")
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
    if perms.api_can_read_queue(request.auth.organisation):
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
