"""Questionnaires API: the aggregated results of the token's territory (pseudonymised like the
results page), and which questionnaires a person the structure follows was sent and answered —
never the answers."""

import datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from spie.accounts.actors import Actor
from spie.people.enums import AccessKind
from spie.people.models import FollowUpMember, Person, active_team_q
from spie.people.services import log_access

from .enums import Step
from .policies import MIN_GROUP_SIZE
from .results import step_results

router = Router(tags=["Questionnaires"])


class QuestionOut(Schema):
    code: str
    libelle: str
    reponses: int
    moyenne: Decimal | None
    repartition: list[int]


class StepResultOut(Schema):
    etape: str
    libelle: str
    version: int
    envoyes: int
    reponses: int
    taux_reponse: int | None
    masque: bool
    note_globale: Decimal | None
    questions: list[QuestionOut]


class ResultsFilter(Schema):
    etape: Step | None = None
    du: datetime.date | None = None
    au: datetime.date | None = None


class InvitationOut(Schema):
    id: UUID
    etape: str
    libelle: str
    canal: str
    envoye_le: datetime.datetime
    relance_le: datetime.datetime | None
    repondu: bool
    repondu_le: datetime.datetime | None
    expire_le: datetime.datetime


def _territory_id(request):
    territory_id = request.auth.organisation.territory_id
    if territory_id is None:
        raise HttpError(403, "La structure de ce jeton n'appartient à aucun territoire.")
    return territory_id


@router.get(
    "/results",
    response=list[StepResultOut],
    summary="Résultats agrégés par étape du territoire",
    description=f"Sans aucune réponse individuelle ; une étape de moins de {MIN_GROUP_SIZE} réponses est masquée.",
)
def results(request, filters: Query[ResultsFilter]):
    items = step_results(
        territory_id=_territory_id(request),
        step=filters.etape,
        start=filters.du,
        end=filters.au,
        with_comments=False,
    )
    return [
        StepResultOut(
            etape=item.step,
            libelle=item.label,
            version=item.version,
            envoyes=item.sent,
            reponses=item.answered,
            taux_reponse=item.response_rate,
            masque=item.hidden,
            note_globale=None if item.hidden else item.mean,
            questions=[]
            if item.hidden
            else [
                QuestionOut(
                    code=question.code,
                    libelle=question.text,
                    reponses=question.answers,
                    moyenne=question.mean,
                    repartition=question.distribution,
                )
                for question in item.questions
            ],
        )
        for item in items
    ]


@router.get(
    "/people/{person_id}/invitations",
    response=list[InvitationOut],
    summary="Questionnaires envoyés à une personne suivie (sans les réponses)",
)
def person_invitations(request, person_id: UUID):
    seats = FollowUpMember.objects.filter(
        active_team_q(), person=OuterRef("pk"), membership__organisation=request.auth.organisation
    )
    person = get_object_or_404(
        Person.objects.filter(territory_id=_territory_id(request), anonymised_at__isnull=True).filter(Exists(seats)),
        public_id=person_id,
    )
    log_access(person=person, by=Actor.from_token(request.auth), kind=AccessKind.READ, what="Questionnaires par l'API")
    return [
        InvitationOut(
            id=invitation.public_id,
            etape=invitation.step,
            libelle=invitation.get_step_display(),
            canal=invitation.channel,
            envoye_le=invitation.sent_at,
            relance_le=invitation.reminded_at,
            repondu=invitation.answered_at is not None,
            repondu_le=invitation.answered_at,
            expire_le=invitation.expires_at,
        )
        for invitation in person.questionnaire_invitations.order_by("sent_at", "pk")
    ]
