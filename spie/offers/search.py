"""Search of the directory: thématiques, place and radius, publics, reception, fees, free text.

Place rules: a service received on site is kept when it lies within the radius of the commune's
centre (indexed bounding box first, then the exact distance); a remote service is always kept;
a service whose eligibility zone (communes, EPCI, départements, « france ») does not include the
place is left out. Free text is accent-insensitive: PostgreSQL French full-text search on a
normalised column, every word contained on SQLite.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.fields import FloatField

from spie.core.text import normalize_for_search

from .enums import SearchSort, TagKind
from .geo import bounding_box, distance_expression, place_keys
from .models import Offer, OfferLocation, OfferTag

DEFAULT_RADIUS_KM = 50
MAX_RADIUS_KM = 200
ALL_PUBLICS = "tous-publics"


@dataclass
class OfferSearch:
    thematiques: list = field(default_factory=list)
    commune: object = None  # territories.Commune
    radius_km: float = DEFAULT_RADIUS_KM
    publics: list = field(default_factory=list)
    modes_accueil: list = field(default_factory=list)
    frais: list = field(default_factory=list)
    text: str = ""
    sort: str = SearchSort.DISTANCE
    territory: object = None  # without a place: this territory's services and national remote ones

    @property
    def has_place(self):
        return self.commune is not None and self.commune.latitude is not None


def _tagged(kind, values, ref="pk"):
    return Exists(OfferTag.objects.filter(offer_id=OuterRef(ref), kind=kind, value__in=values))


def _narrow_filters(rows, params, ref):
    """Filters that live on the index tables (thématiques, publics, reception), on `rows`."""
    if params.thematiques:
        rows = rows.filter(_tagged(TagKind.THEMATIQUE, params.thematiques, ref))
    if params.publics:
        rows = rows.filter(_tagged(TagKind.PUBLIC, [*params.publics, ALL_PUBLICS], ref))
    modes = set(params.modes_accueil)
    if modes == {"a-distance"}:
        rows = rows.filter(remote=True)
    elif modes == {"en-presentiel"}:
        rows = rows.filter(on_site=True)
    return rows


def _near(params):
    """Ids of the services answering a place search, found on the narrow search rows only."""
    commune = params.commune
    radius = min(float(params.radius_km or DEFAULT_RADIUS_KM), MAX_RADIUS_KM)
    min_lat, max_lat, min_lon, max_lon = bounding_box(commune.latitude, commune.longitude, radius)
    in_box = Q(on_site=True, geo_lat__gte=min_lat, geo_lat__lte=max_lat, geo_lon__gte=min_lon, geo_lon__lte=max_lon)
    rows = OfferLocation.objects.filter(listed=True).filter(in_box | Q(remote=True))
    keys = place_keys(_place_of(commune))
    rows = rows.filter(Q(has_zone=False) | _tagged(TagKind.ZONE, keys, "offer_id"))
    rows = _narrow_filters(rows, params, "offer_id")
    rows = rows.annotate(distance=distance_expression(commune.latitude, commune.longitude))
    return rows.filter(Q(remote=True) | Q(distance__lte=radius)).values("offer_id")


def search_vector():
    return SearchVector("search_text", config="french")


def _text_filter(offers, text):
    needle = normalize_for_search(text)
    if not needle:
        return offers, False
    if connection.vendor == "postgresql":
        query = SearchQuery(needle, config="french", search_type="plain")
        offers = offers.annotate(fts=search_vector()).filter(fts=query)
        return offers.annotate(relevance=SearchRank(F("fts"), query)), True
    for word in needle.split():
        offers = offers.filter(search_text__contains=word)
    return offers.annotate(relevance=Value(1.0, output_field=FloatField())), True


def search_offers(params: OfferSearch, queryset=None):
    """The matching services, annotated with `distance` (km, or None) and ordered as asked."""
    offers = (queryset if queryset is not None else Offer.objects.all()).published()
    if params.frais:
        offers = offers.filter(fees__in=params.frais)
    if params.has_place:
        commune = params.commune
        offers = offers.filter(pk__in=_near(params))
        offers = offers.annotate(distance=distance_expression(commune.latitude, commune.longitude))
    else:
        offers = _narrow_filters(offers, params, "pk")
        offers = offers.annotate(distance=Value(None, output_field=FloatField()))
        if params.territory is not None:
            offers = offers.filter(Q(territory=params.territory) | Q(territory__isnull=True, remote=True))
    offers, has_text = _text_filter(offers, params.text)
    if params.sort == SearchSort.RELEVANCE and has_text:
        ordering = [F("relevance").desc(), F("distance").asc(nulls_last=True)]
    elif params.sort == SearchSort.UPDATED:
        ordering = [F("updated_on").desc()]
    else:
        ordering = [F("distance").asc(nulls_last=True)]
    return offers.select_related("structure").order_by(*ordering, "name", "pk")


def _place_of(commune):
    from .geo import Place

    return Place(
        commune.insee_code,
        commune.latitude,
        commune.longitude,
        commune.departement.code,
        commune.epci.siren if commune.epci_id else "",
    )
