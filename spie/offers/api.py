"""Offers API: search of the directory, a service's record, the territory's export, referrals received."""

from uuid import UUID

from django.db.models import Count, Window
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.core.api import MAX_OFFSET
from spie.territories.models import Commune

from . import services
from .enums import ReferralStatus, SearchSort
from .export import directory_json
from .models import Offer, Referral
from .schema import service_record
from .search import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, OfferSearch, search_offers

router = Router(tags=["Offre d'insertion"])
MAX_LIMIT = 200
THEMATIQUES = Query([], description="Catégories ou sous-thématiques data·inclusion (plusieurs possibles).")
PUBLICS = Query([], description="Publics data·inclusion (« tous-publics » toujours inclus).")
MODES = Query([], description="« en-presentiel » et/ou « a-distance ».")
FRAIS = Query([], description="« gratuit » et/ou « payant ».")
RADIUS = Query(DEFAULT_RADIUS_KM, gt=0, le=MAX_RADIUS_KM, description="Rayon autour de la commune, en km.")
TEXT = Query("", max_length=100, description="Texte libre (accents et majuscules ignorés).")


class OfferItemOut(Schema):
    id: UUID
    source: str
    id_source: str
    nom: str
    structure: str
    thematiques: list[str]
    code_commune: str | None
    commune: str | None
    distance_km: float | None
    a_distance: bool
    mis_a_jour_le: str


class OfferPageOut(Schema):
    items: list[OfferItemOut]
    count: int


class OfferDetailOut(Schema):
    id: UUID
    structure_nom: str
    service: dict


class ReferralOut(Schema):
    id: UUID
    statut: str
    statut_libelle: str
    service: str
    envoyee_le: str
    personne_nom: str
    personne_prenoms: str
    personne_date_naissance: str
    message: str
    besoins: list[str]
    orientee_par: str
    structure_orientatrice: str


class ReferralPageOut(Schema):
    items: list[ReferralOut]
    count: int


class AcceptIn(Schema):
    professionnel_email: str = ""


class RefuseIn(Schema):
    motif: str


def _item(offer):
    return OfferItemOut(
        id=offer.public_id,
        source=offer.source,
        id_source=offer.source_id,
        nom=offer.name,
        structure=offer.structure.name,
        thematiques=offer.thematiques,
        code_commune=offer.code_insee or None,
        commune=offer.commune_name or None,
        distance_km=round(offer.distance, 1) if offer.distance is not None else None,
        a_distance=offer.remote,
        mis_a_jour_le=offer.updated_on.isoformat(),
    )


def _limit(limit, offset):
    if limit < 1 or not 0 <= offset <= MAX_OFFSET:
        raise HttpError(
            422, f"« limit » doit être positif et « offset » compris entre 0 et {MAX_OFFSET} (tous deux entiers)."
        )
    return min(limit, MAX_LIMIT), offset


@router.get(
    "",
    response=OfferPageOut,
    summary="Rechercher dans l'annuaire de l'offre",
    description=(
        "Par thématiques (catégorie ou sous-thématique data·inclusion), par lieu (`code_commune` INSEE et "
        "`rayon_km`, 50 par défaut : services en présentiel dans le rayon, services à distance toujours, "
        "services dont la zone d'éligibilité exclut le lieu écartés), par publics, modes d'accueil, frais "
        "et texte libre (sans tenir compte des accents)."
    ),
)
def search(
    request,
    thematiques: list[str] = THEMATIQUES,
    code_commune: str = "",
    rayon_km: float = RADIUS,
    publics: list[str] = PUBLICS,
    modes_accueil: list[str] = MODES,
    frais: list[str] = FRAIS,
    q: str = TEXT,
    tri: SearchSort = SearchSort.DISTANCE,
    limit: int = 50,
    offset: int = 0,
):
    limit, offset = _limit(limit, offset)
    commune = None
    if code_commune:
        commune = Commune.objects.select_related("departement", "epci").filter(insee_code=code_commune).first()
        if commune is None:
            raise HttpError(400, f"code_commune : commune « {code_commune} » inconnue du COG.")
    params = OfferSearch(
        thematiques=thematiques,
        commune=commune,
        radius_km=rayon_km,
        publics=publics,
        modes_accueil=modes_accueil,
        frais=frais,
        text=q,
        sort=tri,
    )
    offers = search_offers(params)
    # The total comes with the page (COUNT(*) OVER ()): one query instead of two.
    page = list(offers.annotate(total=Window(Count("pk")))[offset : offset + limit])
    count = page[0].total if page else (0 if offset == 0 else offers.count())
    return OfferPageOut(items=[_item(offer) for offer in page], count=count)


@router.get("/export", summary="Annuaire du territoire de la structure (JSON data·inclusion)")
def export(request):
    territory_id = request.auth.organisation.territory_id
    if territory_id is None:
        raise HttpError(403, "La structure de ce jeton n'appartient à aucun territoire.")
    return directory_json(Offer.objects.filter(territory_id=territory_id))


def _received(request):
    organisation = request.auth.organisation
    return Referral.objects.received_by(organisation).select_related(
        "offer", "person", "sender__user", "sender__organisation"
    )


def _referral(referral):
    person = referral.person
    return ReferralOut(
        id=referral.public_id,
        statut=referral.status,
        statut_libelle=referral.get_status_display(),
        service=referral.offer.name,
        envoyee_le=referral.sent_at.isoformat(),
        personne_nom=person.display_last_name,
        personne_prenoms=person.first_names,
        personne_date_naissance=person.birth_date.isoformat(),
        message=referral.message,
        besoins=referral.needs,
        orientee_par=referral.sender.user.get_full_name(),
        structure_orientatrice=referral.sender.organisation.name,
    )


@router.get("/referrals", response=ReferralPageOut, summary="Orientations reçues par la structure du jeton")
def referrals(request, statut: ReferralStatus | None = None, limit: int = 50, offset: int = 0):
    limit, offset = _limit(limit, offset)
    items = _received(request).order_by("-sent_at", "pk")
    if statut:
        items = items.filter(status=statut)
    return ReferralPageOut(items=[_referral(r) for r in items[offset : offset + limit]], count=items.count())


@router.post("/referrals/{uuid:referral_id}/accept", response=ReferralOut, summary="Accepter une orientation reçue")
def accept(request, referral_id: UUID, payload: AcceptIn):
    referral = get_object_or_404(_received(request), public_id=referral_id)
    membership = None
    if payload.professionnel_email:
        membership = (
            Membership.objects.active()
            .filter(organisation=request.auth.organisation, user__email=payload.professionnel_email.strip().lower())
            .select_related("user", "organisation")
            .first()
        )
        if membership is None:
            raise HttpError(
                422, f"professionnel_email : {payload.professionnel_email} n'est pas membre actif de la structure."
            )
    by = Actor(user=membership.user if membership else None, membership=membership, api_token=request.auth)
    return _referral(services.accept_referral(referral=referral, by=by))


@router.post("/referrals/{uuid:referral_id}/refuse", response=ReferralOut, summary="Refuser une orientation reçue")
def refuse(request, referral_id: UUID, payload: RefuseIn):
    referral = get_object_or_404(_received(request), public_id=referral_id)
    return _referral(
        services.refuse_referral(referral=referral, reason=payload.motif, by=Actor.from_token(request.auth))
    )


@router.get("/{uuid:offer_id}", response=OfferDetailOut, summary="Fiche d'un service (schéma data·inclusion)")
def detail(request, offer_id: UUID):
    offer = get_object_or_404(Offer.objects.published().select_related("structure"), public_id=offer_id)
    return OfferDetailOut(id=offer.public_id, structure_nom=offer.structure.name, service=service_record(offer))
