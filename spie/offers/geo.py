"""Where a service is: commune centres of the COG, the territory they belong to, distances.

No external geocoding: a service is placed at the centre of its INSEE commune (or at the
coordinates its producer gave when the commune is unknown). Searches prefilter on an indexed
bounding box, then compute the exact great-circle distance in SQL (on SQLite too: Django
registers the math functions there).
"""

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from spie.territories.models import Commune, Territory

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.2


@dataclass(frozen=True)
class Place:
    insee_code: str
    latitude: float | None
    longitude: float | None
    departement: str
    epci: str


class GeoIndex:
    """Every commune (centre, département, EPCI) and the territory covering it, loaded once."""

    def __init__(self):
        self.places = {
            code: Place(code, lat, lon, dep, epci or "")
            for code, lat, lon, dep, epci in Commune.objects.values_list(
                "insee_code", "latitude", "longitude", "departement__code", "epci__siren"
            )
        }
        self.by_departement, self.by_epci = {}, {}
        # Later cohorts win: the Collectivité européenne d'Alsace (2021) follows Bas-Rhin (2020).
        territories = Territory.objects.prefetch_related("departements", "epcis").order_by("cohort__year", "pk")
        for territory in territories:
            for departement in territory.departements.all():
                self.by_departement[departement.code] = territory.pk
            for epci in territory.epcis.all():
                self.by_epci[epci.siren] = territory.pk

    def place(self, insee_code):
        return self.places.get(insee_code or "")

    def territory_of_place(self, place):
        if place is None:
            return None
        return self.by_epci.get(place.epci) or self.by_departement.get(place.departement)

    def territory_of_zone(self, zone):
        """The one territory an eligibility zone lies in, if it lies in exactly one."""
        found = set()
        for code in zone or []:
            if code in ("france", "99100"):
                return None
            if code in self.by_epci:
                found.add(self.by_epci[code])
            elif code in self.by_departement:
                found.add(self.by_departement[code])
            elif code in self.places:
                found.add(self.territory_of_place(self.places[code]))
            else:
                return None
        return found.pop() if len(found) == 1 else None


def place_keys(place):
    """The eligibility codes that include this place: its commune, EPCI, département, France."""
    keys = [place.insee_code, place.departement, "france", "99100"]
    if place.epci:
        keys.append(place.epci)
    return keys


def bounding_box(latitude, longitude, radius_km):
    """(min lat, max lat, min lon, max lon) of a box that contains the circle."""
    delta_lat = radius_km / KM_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    delta_lon = radius_km / (KM_PER_DEGREE_LAT * cos_lat)
    return latitude - delta_lat, latitude + delta_lat, longitude - delta_lon, longitude + delta_lon


def distance_expression(latitude, longitude, lat_field="geo_lat", lon_field="geo_lon"):
    """Haversine distance in km from (latitude, longitude) to the row's coordinates, in SQL."""
    lat1 = Radians(Value(latitude, output_field=FloatField()))
    lat2 = Radians(F(lat_field))
    dlat = Radians(F(lat_field) - Value(latitude, output_field=FloatField()))
    dlon = Radians(F(lon_field) - Value(longitude, output_field=FloatField()))
    a = Power(Sin(dlat / 2), 2) + Cos(lat1) * Cos(lat2) * Power(Sin(dlon / 2), 2)
    return Value(2 * EARTH_RADIUS_KM, output_field=FloatField()) * ASin(Sqrt(a))


def haversine_km(lat1, lon1, lat2, lon2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
