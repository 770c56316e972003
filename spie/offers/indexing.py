"""What the directory derives from a service when it is written: place, territory, filters, text."""

from spie.core.text import normalize_for_search

from .enums import TagKind
from .geo import GeoIndex
from .models import OfferLocation, OfferTag

SEARCH_TEXT_LENGTH = 2000
REMOTE, ON_SITE = "a-distance", "en-presentiel"


def derive(offer, *, structure, geo: GeoIndex):
    """Fill the derived fields of `offer` (unsaved or not) from its data·inclusion values."""
    place = geo.place(offer.code_insee) or geo.place(structure.code_insee)
    if place is not None and place.latitude is not None:
        offer.geo_lat, offer.geo_lon = place.latitude, place.longitude
    else:
        offer.geo_lat, offer.geo_lon = offer.latitude, offer.longitude
    modes = offer.reception_modes or []
    offer.remote = REMOTE in modes
    offer.on_site = ON_SITE in modes or not modes
    offer.has_zone = bool(offer.eligibility_zone)
    territory_id = geo.territory_of_place(place)
    if territory_id is None and offer.eligibility_zone:
        territory_id = geo.territory_of_zone(offer.eligibility_zone)
    if territory_id is None and not offer.remote:
        territory_id = structure.territory_id
    offer.territory_id = territory_id
    offer.search_name = normalize_for_search(offer.name)[:150]
    offer.search_text = normalize_for_search(
        f"{offer.name} {structure.name} {offer.commune_name} {offer.description[:SEARCH_TEXT_LENGTH]}"
    )
    return offer


def derive_structure(structure, *, geo: GeoIndex, organisations_by_siret):
    structure.search_name = normalize_for_search(structure.name)[:150]
    structure.territory_id = geo.territory_of_place(geo.place(structure.code_insee))
    structure.organisation_id = organisations_by_siret.get(structure.siret) if structure.siret else None
    return structure


def tags_for(offer):
    """Index rows of one service: each thématique and its category, each public, each zone code."""
    thematiques = set(offer.thematiques or [])
    thematiques |= {value.split("--")[0] for value in thematiques}
    rows = [OfferTag(offer_id=offer.pk, kind=TagKind.THEMATIQUE, value=value) for value in sorted(thematiques)]
    rows += [OfferTag(offer_id=offer.pk, kind=TagKind.PUBLIC, value=value) for value in offer.publics or []]
    rows += [OfferTag(offer_id=offer.pk, kind=TagKind.ZONE, value=value) for value in offer.eligibility_zone or []]
    return rows


def location_values(offer):
    """The narrow search row of a service (as a dict of column values)."""
    return {
        "offer_id": offer.pk,
        "geo_lat": offer.geo_lat,
        "geo_lon": offer.geo_lon,
        "on_site": offer.on_site,
        "remote": offer.remote,
        "has_zone": offer.has_zone,
        "listed": getattr(offer, "duplicate_of_id", None) is None,
    }


def tag_values(offer):
    """Index rows of one service as (offer id, kind, value)."""
    return [(tag.offer_id, tag.kind, tag.value) for tag in tags_for(offer)]


def reindex(offers):
    """Replace the index rows (tags and search row) of these saved services (set-based)."""
    pks = [offer.pk for offer in offers]
    OfferTag.objects.filter(offer__in=pks).delete()
    OfferLocation.objects.filter(offer__in=pks).delete()
    OfferTag.objects.bulk_create([tag for offer in offers for tag in tags_for(offer)], batch_size=5000)
    OfferLocation.objects.bulk_create([OfferLocation(**location_values(offer)) for offer in offers], batch_size=5000)
