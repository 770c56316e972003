"""Case reviews API: bodies, sessions, cases (in the form the token's structure may see them),
decisions and actions, with the same services as the pages.

Scope of a structure's token: a structure where a coordinator works sees its territory's bodies,
sessions and cases (named). Another structure sees the bodies one of its professionals belongs
to, the sessions they are invited to, and their cases once the agenda is published: named when
the structure follows the person (active seat in the follow-up team), pseudonymised otherwise.
Every read of a case is logged in the person's access log."""

from datetime import date, datetime
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from spie.accounts.actors import Actor
from spie.accounts.models import Organisation
from spie.core.api import LimitOffsetPagination
from spie.people.enums import AccessKind
from spie.people.models import FollowUpMember, active_team_q
from spie.people.services import log_access

from . import services
from .enums import PUBLISHED_STATUSES, Form
from .models import Attendance, CaseAction, CaseDecision, ReviewBody, ReviewCase, ReviewSession
from .perms import api_can_manage
from .pseudonym import presentation

router = Router(tags=["Examens de situations"])


def _organisation(request):
    organisation = request.auth.organisation
    if organisation.territory_id is None:
        raise HttpError(403, "La structure de ce jeton n'appartient à aucun territoire.")
    return organisation


def _token(request):
    _organisation(request)
    return request.auth


def _bodies(token):
    organisation = token.organisation
    bodies = ReviewBody.objects.filter(territory_id=organisation.territory_id)
    if api_can_manage(token):
        return bodies
    return bodies.filter(members__membership__organisation=organisation, members__left_on__isnull=True).distinct()


def _sessions(token):
    organisation = token.organisation
    sessions = ReviewSession.objects.filter(territory_id=organisation.territory_id).select_related("body")
    if api_can_manage(token):
        return sessions
    invited = Attendance.objects.filter(session=OuterRef("pk"), member__membership__organisation=organisation)
    return sessions.filter(Exists(invited))


def _followed(organisation):
    return Exists(
        FollowUpMember.objects.filter(active_team_q(), person=OuterRef("person"), membership__organisation=organisation)
    )


def _cases(token):
    """Cases the token may see, annotated with `followed` (named form)."""
    organisation = token.organisation
    cases = (
        ReviewCase.objects.filter(territory_id=organisation.territory_id)
        .annotate(followed=_followed(organisation))
        .select_related(
            "person__territory",
            "person__commune__epci",
            "person__commune__departement",
            "session__body",
            "referred_by__organisation",
        )
        .prefetch_related(
            Prefetch("decisions", CaseDecision.objects.order_by("created_at", "pk")),
            Prefetch("actions", CaseAction.objects.select_related("owner_organisation").order_by("due_on", "pk")),
        )
    )
    if api_can_manage(token):
        return cases
    invited = Attendance.objects.filter(session=OuterRef("session"), member__membership__organisation=organisation)
    return cases.filter(Q(followed=True) | (Q(session__status__in=PUBLISHED_STATUSES) & Exists(invited)))


def _manages(request):
    """Whether the token's structure steers the territory (read once per request)."""
    if not hasattr(request, "_casereviews_manages"):
        request._casereviews_manages = api_can_manage(request.auth)
    return request._casereviews_manages


def _form(request, case):
    return Form.NAMED if _manages(request) or case.followed else Form.PSEUDONYMISED


# Schemas -----------------------------------------------------------------------------------


class MemberOut(Schema):
    id: UUID
    nom: str
    qualite: str
    exterieur: bool
    nominatif: bool


class BodyOut(Schema):
    id: UUID
    type: str
    type_libelle: str
    nom: str
    quorum: int | None
    active: bool
    membres: list[MemberOut]


class SessionOut(Schema):
    id: UUID
    instance: UUID
    debut: datetime
    lieu: str
    lien_visio: str
    statut: str
    statut_libelle: str
    ordre_du_jour_publie_le: datetime | None
    tenue_le: date | None
    quorum_atteint: bool | None
    compte_rendu_signe_le: datetime | None
    acces_nominatif_jusqu_au: date | None


class CaseReviewDecisionOut(Schema):
    id: UUID
    type: str
    type_libelle: str
    avis: str
    motivation: str
    demande_de_reorientation: bool


class CaseReviewActionOut(Schema):
    id: UUID
    situation: UUID
    action: str
    structure: UUID
    structure_nom: str
    echeance: date
    statut: str
    realisee_le: date | None
    dans_les_delais: bool | None
    dans_le_plan: bool


class CaseOut(Schema):
    id: UUID
    forme: str
    personne: UUID | None
    nom: str | None
    initiales_ou_nom: str
    tranche_age: str
    zone: str
    instance: str
    seance: UUID | None
    statut: str
    statut_libelle: str
    proposee_le: date
    examinee_le: date | None
    jours_avant_examen: int | None
    question: str
    resume: str
    notes: str
    avis: str
    decisions: list[CaseReviewDecisionOut]
    actions: list[CaseReviewActionOut]


class CaseReviewDecisionIn(Schema):
    type: str
    motivation: str
    avis: str = ""
    parcours_propose: str = ""


class ActionIn(Schema):
    action: str
    structure: UUID
    echeance: date
    objectif_du_plan: str = ""
    action_du_plan: str = ""


class DoneIn(Schema):
    realisee_le: date | None = None


# Read --------------------------------------------------------------------------------------


def _body_out(body):
    return BodyOut(
        id=body.public_id,
        type=body.kind,
        type_libelle=body.get_kind_display(),
        nom=body.name,
        quorum=body.quorum,
        active=body.is_active,
        membres=[
            MemberOut(
                id=m.public_id, nom=m.full_name, qualite=m.quality, exterieur=m.is_external, nominatif=m.sees_names
            )
            for m in body.members.all()
            if m.left_on is None
        ],
    )


def _session_out(session):
    return SessionOut(
        id=session.public_id,
        instance=session.body.public_id,
        debut=session.starts_at,
        lieu=session.place,
        lien_visio=session.video_link,
        statut=session.status,
        statut_libelle=session.get_status_display(),
        ordre_du_jour_publie_le=session.agenda_published_at,
        tenue_le=session.held_on,
        quorum_atteint=session.quorum_reached,
        compte_rendu_signe_le=session.minutes_signed_at,
        acces_nominatif_jusqu_au=session.named_access_until,
    )


def _action_out(action, case):
    return CaseReviewActionOut(
        id=action.public_id,
        situation=case.public_id,
        action=action.title,
        structure=action.owner_organisation.public_id,
        structure_nom=action.owner_organisation.name,
        echeance=action.due_on,
        statut=action.status,
        realisee_le=action.done_on,
        dans_les_delais=action.done_in_time,
        dans_le_plan=action.plan_action_id is not None,
    )


def _case_out(request, case):
    form = _form(request, case)
    person = presentation(case, form)
    log_access(
        person=case.person,
        by=Actor.from_token(request.auth),
        kind=AccessKind.READ,
        what="Instance : situation (API" + (", forme pseudonymisée)" if form == Form.PSEUDONYMISED else ")"),
    )
    return CaseOut(
        id=case.public_id,
        forme=form,
        personne=person.person_id,
        nom=person.label if person.named else None,
        initiales_ou_nom=person.label,
        tranche_age=person.age_band,
        zone=person.area,
        instance=case.body_kind,
        seance=case.session.public_id if case.session_id else None,
        statut=case.status,
        statut_libelle=case.get_status_display(),
        proposee_le=case.referred_on,
        examinee_le=case.discussed_on,
        jours_avant_examen=case.days_to_session,
        question=case.question,
        resume=case.summary,
        notes=case.notes,
        avis=case.opinion,
        decisions=[
            CaseReviewDecisionOut(
                id=d.public_id,
                type=d.kind,
                type_libelle=d.get_kind_display(),
                avis=d.opinion,
                motivation=d.detail,
                demande_de_reorientation=d.reorientation_request_id is not None,
            )
            for d in case.decisions.all()
        ],
        actions=[_action_out(a, case) for a in case.actions.all()],
    )


@router.get("/bodies", response=list[BodyOut], summary="Instances visibles du jeton")
@paginate(LimitOffsetPagination)
def list_bodies(request):
    bodies = _bodies(_token(request)).prefetch_related("members").order_by("name", "pk")
    return [_body_out(body) for body in bodies]


@router.get("/bodies/{uuid:body_id}", response=BodyOut, summary="Une instance et ses membres")
def get_body(request, body_id: UUID):
    body = get_object_or_404(_bodies(_token(request)).prefetch_related("members"), public_id=body_id)
    return _body_out(body)


@router.get("/sessions", response=list[SessionOut], summary="Séances visibles du jeton")
@paginate(LimitOffsetPagination)
def list_sessions(request, instance: UUID | None = None):
    sessions = _sessions(_token(request))
    if instance:
        sessions = sessions.filter(body__public_id=instance)
    return [_session_out(s) for s in sessions.order_by("-starts_at", "pk")]


@router.get("/sessions/{uuid:session_id}", response=SessionOut, summary="Une séance")
def get_session(request, session_id: UUID):
    return _session_out(get_object_or_404(_sessions(_token(request)), public_id=session_id))


@router.get("/cases", response=list[CaseOut], summary="Situations, sous la forme permise (lecture journalisée)")
@paginate(LimitOffsetPagination, page_size=50)
def list_cases(request, seance: UUID | None = None):
    cases = _cases(_token(request))
    if seance:
        cases = cases.filter(session__public_id=seance)
    return _LoggedCases(request, cases.order_by("-referred_on", "pk"))


class _LoggedCases:
    """A sliceable list whose rows are turned into answers (and logged) only for the page sent."""

    def __init__(self, request, queryset):
        self.request, self.queryset = request, queryset

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return [_case_out(self.request, case) for case in self.queryset[item]]


@router.get("/cases/{uuid:case_id}", response=CaseOut, summary="Une situation, sous la forme permise")
def get_case(request, case_id: UUID):
    case = get_object_or_404(_cases(_token(request)), public_id=case_id)
    return _case_out(request, case)


def _managed_case(request, case_id):
    case = get_object_or_404(_cases(_token(request)), public_id=case_id)
    if not api_can_manage(request.auth):
        raise HttpError(403, "Seule la structure du ou de la coordinateur·rice saisit les décisions et actions.")
    return case


@router.post("/cases/{uuid:case_id}/decisions", response={201: CaseOut}, summary="Enregistrer une décision")
def create_decision(request, case_id: UUID, payload: CaseReviewDecisionIn):
    case = _managed_case(request, case_id)
    services.add_decision(
        case=case,
        kind=payload.type,
        detail=payload.motivation,
        opinion=payload.avis,
        wished_pathway_type=payload.parcours_propose,
        by=Actor.from_token(request.auth),
    )
    return Status(201, get_case(request, case_id))


@router.post("/cases/{uuid:case_id}/actions", response={201: CaseOut}, summary="Enregistrer une action de suivi")
def create_action(request, case_id: UUID, payload: ActionIn):
    case = _managed_case(request, case_id)
    owner = Organisation.objects.filter(public_id=payload.structure, territory_id=case.territory_id).first()
    services.add_action(
        case=case,
        title=payload.action,
        owner_organisation=owner,
        due_on=payload.echeance,
        objective_code=payload.objectif_du_plan,
        action_code=payload.action_du_plan,
        by=Actor.from_token(request.auth),
    )
    return Status(201, get_case(request, case_id))


@router.get("/actions", response=list[CaseReviewActionOut], summary="Actions dont la structure du jeton est chargée")
@paginate(LimitOffsetPagination)
def list_actions(request, statut: str = ""):
    organisation = _organisation(request)
    actions = CaseAction.objects.filter(territory_id=organisation.territory_id).select_related(
        "owner_organisation", "case"
    )
    if not api_can_manage(request.auth):
        actions = actions.filter(owner_organisation=organisation)
    if statut:
        actions = actions.filter(status=statut)
    return [_action_out(a, a.case) for a in actions.order_by("due_on", "pk")]


@router.post("/actions/{uuid:action_id}/done", response=CaseReviewActionOut, summary="Marquer une action réalisée")
def complete_action(request, action_id: UUID, payload: DoneIn):
    organisation = _organisation(request)
    actions = CaseAction.objects.filter(territory_id=organisation.territory_id).select_related(
        "owner_organisation", "case"
    )
    if not api_can_manage(request.auth):
        actions = actions.filter(owner_organisation=organisation)
    action = get_object_or_404(actions, public_id=action_id)
    action = services.complete_action(action=action, done_on=payload.realisee_le, by=Actor.from_token(request.auth))
    return _action_out(action, action.case)
