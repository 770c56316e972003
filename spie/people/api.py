"""People API: what the token's structure may see, with the same rules and logs as the pages."""

from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.core.api import ErreurApi, LimitOffsetPagination
from spie.core.errors import DomainError
from spie.core.text import normalize_for_search
from spie.core.validators import PlausibleDate

from . import search_limits, services
from .enums import AccessKind
from .forms import PersonForm
from .identifiers import clean_nir, lookup_hash
from .models import FollowUpMember, Person, active_team_q

router = Router(tags=["Personnes"])

# API field (French) → form field.
FIELDS = {
    "nom_naissance": "birth_name",
    "nom_usage": "usage_name",
    "prenoms": "first_names",
    "date_naissance": "birth_date",
    "sexe": "sex",
    "lieu_naissance": "birth_place",
    "email": "email",
    "telephone": "phone",
    "adresse": "address",
    "code_postal": "postal_code",
    "code_commune": "commune",
    "identifiant_si": "si_id",
    "numero_france_travail": "france_travail_id",
    "numero_caf": "caf_number",
    "nir": "nir",
    "date_entree": "entry_date",
    "rsa": "rsa_status",
    "allocation_chomage": "unemployment_benefit",
}


class TeamMemberOut(Schema):
    id: UUID
    professionnel: str
    structure: str
    referent: bool
    depuis: date


class PersonSummaryOut(Schema):
    id: UUID
    nom: str
    prenoms: str
    date_naissance: date
    equipe: list[TeamMemberOut]


class PersonOut(PersonSummaryOut):
    nom_naissance: str
    nom_usage: str
    sexe: str
    email: str
    telephone: str
    adresse: str
    code_postal: str
    code_commune: str | None
    identifiant_si: str
    numero_france_travail: str
    numero_caf: str
    date_entree: date
    rsa: str
    allocation_chomage: str
    consentement_partage: bool


class PersonIn(Schema):
    nom_naissance: str
    prenoms: str
    date_naissance: PlausibleDate
    date_entree: PlausibleDate
    referent_email: str
    nom_usage: str = ""
    sexe: str = ""
    lieu_naissance: str = ""
    email: str = ""
    telephone: str = ""
    adresse: str = ""
    code_postal: str = ""
    code_commune: str = ""
    identifiant_si: str = ""
    numero_france_travail: str = ""
    numero_caf: str = ""
    nir: str = ""
    rsa: str = ""
    allocation_chomage: str = ""
    consentement_partage: bool = False


def _team(person):
    return [
        TeamMemberOut(
            id=seat.public_id,
            professionnel=seat.membership.user.get_full_name(),
            structure=seat.membership.organisation.name,
            referent=seat.is_referent,
            depuis=seat.started_on,
        )
        for seat in person.active_team
    ]


def _summary(person):
    return PersonSummaryOut(
        id=person.public_id,
        nom=person.display_last_name,
        prenoms=person.first_names,
        date_naissance=person.birth_date,
        equipe=_team(person),
    )


def _full(person):
    return PersonOut(
        **_summary(person).dict(),
        nom_naissance=person.birth_name,
        nom_usage=person.usage_name,
        sexe=person.sex,
        email=person.email,
        telephone=person.phone,
        adresse=person.address,
        code_postal=person.postal_code,
        code_commune=person.commune.insee_code if person.commune_id else None,
        identifiant_si=person.si_id,
        numero_france_travail=person.france_travail_id,
        numero_caf=person.caf_number,
        date_entree=person.entry_date,
        rsa=person.rsa_status,
        allocation_chomage=person.unemployment_benefit,
        consentement_partage=person.consent_given,
    )


def _territory_people(request):
    territory_id = request.auth.organisation.territory_id
    if territory_id is None:
        raise HttpError(403, "La structure de ce jeton n'appartient à aucun territoire.")
    return Person.objects.filter(territory_id=territory_id, anonymised_at__isnull=True)


def _followed_by_token(request):
    seats = FollowUpMember.objects.filter(
        active_team_q(), person=OuterRef("pk"), membership__organisation=request.auth.organisation
    )
    return _territory_people(request).filter(Exists(seats))


def _with_team(people):
    return people.prefetch_related("team__membership__user", "team__membership__organisation")


@router.get("/", response=list[PersonSummaryOut], summary="Personnes suivies par la structure du jeton")
@paginate(LimitOffsetPagination)
def list_people(request, q: str = ""):
    people = _followed_by_token(request).select_related("commune").order_by("search_birth_name", "pk")
    if q.strip():
        people = people.filter(search_birth_name__startswith=normalize_for_search(q))
    return [_summary(person) for person in people]


@router.get(
    "/search",
    response=list[PersonSummaryOut],
    summary="Recherche exacte (identité et équipe seulement)",
    description=(
        "Soit `identifiant` (NIR, numéro France Travail ou identifiant SI), soit nom + prénom + date de naissance."
    ),
)
def search_people(
    request, nom: str = "", prenom: str = "", date_naissance: PlausibleDate | None = None, identifiant: str = ""
):
    people = _territory_people(request)
    identifier = identifiant.replace(" ", "").upper()
    actor = Actor.from_token(request.auth)
    if identifier or (nom and prenom and date_naissance):
        mode = "identifiant" if identifier else "identite"
        territory = request.auth.organisation.territory
        try:
            search_limits.check_identity_search(by=actor, territory=territory, mode=mode)
        except search_limits.SearchLimited as error:
            raise HttpError(429, error.message) from None
    if identifier:
        try:
            keys = {"nir_hash": lookup_hash(clean_nir(identifier))}
        except ValidationError:
            keys = {"france_travail_id": identifier}
        found = list(people.filter(**keys)) or list(people.filter(si_id=identifiant.strip()))
    elif nom and prenom and date_naissance:
        found = list(people.matching_identity(last_name=nom, first_name=prenom, birth_date=date_naissance))
    else:
        raise HttpError(400, "Indiquez un identifiant, ou le nom, le prénom et la date de naissance.")
    search_limits.record_identity_search(by=actor, territory=territory, mode=mode, results=len(found))
    for person in found:
        services.log_access(person=person, by=actor, kind=AccessKind.LIMITED, what="Recherche par l'API")
    return [_summary(person) for person in found]


@router.get("/{person_id}", response=PersonOut, summary="Dossier complet (si la structure est dans l'équipe)")
def get_person(request, person_id: UUID):
    person = get_object_or_404(_followed_by_token(request).select_related("commune"), public_id=person_id)
    services.log_access(
        person=person, by=Actor.from_token(request.auth), kind=AccessKind.READ, what="Lecture par l'API"
    )
    return _full(person)


@router.get("/{person_id}/team", response=list[TeamMemberOut], summary="Équipe de suivi")
def get_team(request, person_id: UUID):
    person = get_object_or_404(_followed_by_token(request), public_id=person_id)
    services.log_access(
        person=person, by=Actor.from_token(request.auth), kind=AccessKind.READ, what="Lecture de l'équipe par l'API"
    )
    return _team(person)


@router.post("/", response={201: PersonOut, 409: ErreurApi}, summary="Créer un dossier")
def create_person(request, payload: PersonIn):
    organisation = request.auth.organisation
    member = (
        Membership.objects.active()
        .filter(organisation=organisation, user__email=payload.referent_email.strip().lower())
        .select_related("organisation__territory")
        .first()
    )
    if member is None:
        raise HttpError(
            422, f"referent_email : {payload.referent_email} n'est pas membre actif de {organisation.name}."
        )
    raw = payload.dict()
    form = PersonForm({FIELDS[key]: value for key, value in raw.items() if key in FIELDS}, show_sensitive=False)
    if not form.is_valid():
        reverse = {form_field: api_field for api_field, form_field in FIELDS.items()}
        details = "; ".join(
            f"{reverse.get(field, field)} : {' '.join(errors)}" for field, errors in form.errors.items()
        )
        raise HttpError(422, f"Données invalides — {details}")
    data = form.person_data()
    data["consent_given"] = payload.consentement_partage
    try:
        person = services.create_person(
            territory=member.organisation.territory,
            data=data,
            nir=form.cleaned_data["nir"],
            member=member,
            by=Actor.from_token(request.auth),
        )
    except DomainError as error:
        raise HttpError(409, error.message) from None
    return Status(201, _full(Person.objects.select_related("commune").get(pk=person.pk)))
