"""Joint events API: the token's territory's events, the registrations of its structure's
professionals (all of them for the events it organises), registration and attendance through the
same services as the pages."""

from datetime import datetime
from uuid import UUID

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from spie.accounts.actors import Actor
from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core.api import LimitOffsetPagination

from . import services
from .enums import EventKind
from .models import EventRegistration, JointEvent

router = Router(tags=["Temps d'échange et de formation"])


def _territory_id(request):
    territory_id = request.auth.organisation.territory_id
    if territory_id is None:
        raise HttpError(403, "La structure de ce jeton n'appartient à aucun territoire.")
    return territory_id


class EventOut(Schema):
    id: UUID
    type: str
    type_libelle: str
    theme: str
    programme: str
    debut: datetime
    fin: datetime
    lieu: str
    places: int
    inscrits: int
    liste_attente: int
    places_restantes: int
    inscriptions_jusqu_au: datetime
    statut: str
    structure_organisatrice: str
    presents: int
    structures_representees: int


class RegistrationOut(Schema):
    id: UUID
    temps_commun: UUID
    professionnel: str
    email: str
    structure: str
    statut: str
    inscrit_le: datetime
    present: bool | None
    note: int | None


class RegistrationIn(Schema):
    email: str


class AttendanceIn(Schema):
    present: bool


def _event_out(event):
    return EventOut(
        id=event.public_id,
        type=event.kind,
        type_libelle=event.get_kind_display(),
        theme=event.topic,
        programme=event.description,
        debut=event.starts_at,
        fin=event.ends_at,
        lieu=event.place,
        places=event.capacity,
        inscrits=event.registered_count,
        liste_attente=event.waitlist_count,
        places_restantes=event.places_left,
        inscriptions_jusqu_au=event.registration_deadline,
        statut=event.status,
        structure_organisatrice=event.organiser.name,
        presents=event.attendees_count,
        structures_representees=event.structures_count,
    )


def _registration_out(registration):
    user = registration.membership.user
    return RegistrationOut(
        id=registration.public_id,
        temps_commun=registration.event.public_id,
        professionnel=user.get_full_name(),
        email=user.email,
        structure=registration.organisation.name,
        statut=registration.status,
        inscrit_le=registration.registered_at,
        present=registration.attended,
        note=registration.rating,
    )


def _events(request):
    return JointEvent.objects.filter(territory_id=_territory_id(request)).select_related("organiser")


def _registrations(request):
    """The token's structure sees its own professionals' registrations, and every registration to
    the events it organises."""
    organisation = request.auth.organisation
    return (
        EventRegistration.objects.filter(territory_id=_territory_id(request))
        .filter(Q(organisation=organisation) | Q(event__organiser=organisation))
        .select_related("event", "membership__user", "organisation")
    )


@router.get("/events", response=list[EventOut], summary="Temps communs du territoire du jeton")
@paginate(LimitOffsetPagination)
def list_events(request, a_venir: bool = True, type: str = ""):
    events = _events(request)
    if a_venir:
        events = events.upcoming()
    if type:
        if type not in EventKind.values:
            raise HttpError(422, f"type : valeur attendue parmi {', '.join(EventKind.values)}.")
        events = events.filter(kind=type)
    return [_event_out(event) for event in events.order_by("starts_at", "pk")]


@router.get("/events/{uuid:event_id}", response=EventOut, summary="Un temps commun")
def get_event(request, event_id: UUID):
    return _event_out(get_object_or_404(_events(request), public_id=event_id))


@router.get(
    "/events/{uuid:event_id}/registrations",
    response=list[RegistrationOut],
    summary="Inscriptions à un temps commun (toutes pour la structure organisatrice, sinon les siennes)",
)
@paginate(LimitOffsetPagination)
def list_event_registrations(request, event_id: UUID):
    event = get_object_or_404(_events(request), public_id=event_id)
    registrations = _registrations(request).filter(event=event).active().order_by("registered_at", "pk")
    return [_registration_out(registration) for registration in registrations]


@router.post(
    "/events/{uuid:event_id}/registrations",
    response={201: RegistrationOut},
    summary="Inscrire un professionnel de la structure du jeton",
    description="`email` : l'adresse d'un professionnel actif de la structure. Complet : liste d'attente.",
)
def create_registration(request, event_id: UUID, payload: RegistrationIn):
    event = get_object_or_404(_events(request), public_id=event_id)
    membership = (
        Membership.objects.active()
        .exclude(role=Role.ADMIN_NATIONAL)
        .select_related("organisation__territory", "user")
        .filter(organisation=request.auth.organisation, user__email__iexact=payload.email.strip())
        .first()
    )
    if membership is None:
        raise HttpError(422, "email : aucun professionnel actif de la structure n'a cette adresse.")
    registration = services.register_for_event(event=event, membership=membership, by=Actor.from_token(request.auth))
    return Status(201, _registration_out(get_object_or_404(_registrations(request), pk=registration.pk)))


@router.get("/registrations", response=list[RegistrationOut], summary="Inscriptions des professionnels du jeton")
@paginate(LimitOffsetPagination)
def list_registrations(request):
    registrations = _registrations(request).filter(organisation=request.auth.organisation)
    return [_registration_out(r) for r in registrations.order_by("-registered_at", "pk")]


@router.post(
    "/registrations/{uuid:registration_id}/attendance",
    response=RegistrationOut,
    summary="Noter la présence (structure organisatrice)",
)
def record_attendance(request, registration_id: UUID, payload: AttendanceIn):
    registration = get_object_or_404(_registrations(request), public_id=registration_id)
    if registration.event.organiser_id != request.auth.organisation_id:
        raise HttpError(403, "Seule la structure organisatrice note les présences.")
    marks = {str(registration.public_id): payload.present}
    services.record_attendance(event=registration.event, marks=marks, by=Actor.from_token(request.auth))
    return _registration_out(get_object_or_404(_registrations(request), pk=registration.pk))


@router.post(
    "/registrations/{uuid:registration_id}/cancel",
    response=RegistrationOut,
    summary="Désinscrire un professionnel de la structure du jeton",
)
def cancel_registration(request, registration_id: UUID):
    registration = get_object_or_404(
        _registrations(request).filter(organisation=request.auth.organisation), public_id=registration_id
    )
    services.cancel_registration(registration=registration, by=Actor.from_token(request.auth))
    return _registration_out(get_object_or_404(_registrations(request), pk=registration.pk))
