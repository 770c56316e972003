"""Search of the directory: radius, remote services, eligibility zones, every filter, free text."""

import pytest

from spie.offers.enums import SearchSort
from spie.offers.geo import haversine_km
from spie.offers.indexing import reindex
from spie.offers.search import OfferSearch, search_offers
from tests.offers.factories import make_offer

pytestmark = pytest.mark.usefixtures("vocabularies")


def _names(params):
    return [offer.name for offer in search_offers(params)]


def _near(places, **fields):
    return OfferSearch(commune=places["lille"], **fields)


def test_on_site_services_within_the_radius_nearest_first(places):
    make_offer(name="Auto-école sociale Roubaix", code_insee="59512")
    make_offer(name="Garage solidaire Lille", code_insee="59350")
    make_offer(name="Plateforme mobilité Dunkerque", code_insee="59183")
    results = list(search_offers(_near(places)))
    assert [offer.name for offer in results] == ["Garage solidaire Lille", "Auto-école sociale Roubaix"]
    assert results[0].distance == pytest.approx(0, abs=0.01)
    assert results[1].distance == pytest.approx(10.5, abs=0.5)


def test_a_service_just_inside_and_just_outside_the_radius(places):
    make_offer(name="Roubaix", code_insee="59512")
    lille, roubaix = places["lille"], places["roubaix"]
    distance = haversine_km(lille.latitude, lille.longitude, roubaix.latitude, roubaix.longitude)
    assert _names(_near(places, radius_km=distance + 0.05)) == ["Roubaix"]
    assert _names(_near(places, radius_km=distance - 0.05)) == []


def test_remote_services_are_always_found(places):
    make_offer(name="Permis en ligne", code_insee="08105", reception_modes=["a-distance"])
    make_offer(name="Sur place à Charleville", code_insee="08105")
    results = list(search_offers(_near(places, radius_km=10)))
    assert [offer.name for offer in results] == ["Permis en ligne"]
    assert results[0].distance > 150


@pytest.mark.parametrize(
    ("zone", "found"),
    [
        (["59350"], True),  # the commune itself
        (["200093201"], True),  # its EPCI (Métropole européenne de Lille)
        (["59"], True),  # its département
        (["france"], True),
        (["59512"], False),  # another commune only
        (["08", "62"], False),  # other départements
    ],
)
def test_eligibility_zone_that_excludes_the_place_is_left_out(places, zone, found):
    make_offer(name="Service zoné", code_insee="59512", zone=zone)
    make_offer(name="Service à distance zoné", code_insee="08105", reception_modes=["a-distance"], zone=zone)
    expected = ["Service zoné", "Service à distance zoné"] if found else []
    assert _names(_near(places)) == expected


def test_thematique_by_sub_theme_or_by_category(places):
    make_offer(name="Permis", thematiques=["mobilite--preparer-un-permis"])
    make_offer(name="Vélo", thematiques=["mobilite--mobilite-douce-partagee-collective"])
    make_offer(name="Logement", thematiques=["logement-hebergement--louer-un-logement"])
    assert _names(_near(places, thematiques=["mobilite--preparer-un-permis"])) == ["Permis"]
    assert _names(_near(places, thematiques=["mobilite"])) == ["Permis", "Vélo"]
    assert _names(_near(places, thematiques=["mobilite--preparer-un-permis", "logement-hebergement"])) == [
        "Logement",
        "Permis",
    ]


def test_publics_filter_keeps_services_for_everyone(places):
    make_offer(name="Jeunes", publics=["jeunes"])
    make_offer(name="Tous", publics=["tous-publics"])
    make_offer(name="Seniors", publics=["seniors"])
    assert _names(_near(places, publics=["jeunes"])) == ["Jeunes", "Tous"]


def test_reception_mode_and_fees_filters(places):
    make_offer(name="Sur place gratuit", fees="gratuit")
    make_offer(name="À distance payant", reception_modes=["a-distance"], fees="payant")
    make_offer(name="Mixte gratuit", reception_modes=["a-distance", "en-presentiel"], fees="gratuit")
    assert _names(_near(places, modes_accueil=["a-distance"])) == ["Mixte gratuit", "À distance payant"]
    assert _names(_near(places, modes_accueil=["en-presentiel"])) == ["Mixte gratuit", "Sur place gratuit"]
    assert _names(_near(places, frais=["gratuit"])) == ["Mixte gratuit", "Sur place gratuit"]


@pytest.mark.parametrize("text", ["numérique", "NUMERIQUE", "debutants", "Débutant", "atelier numerique"])
def test_free_text_ignores_accents_and_case(places, text):
    make_offer(name="Atelier numérique pour débutants", description="Prendre en main un ordinateur.")
    make_offer(name="Garage solidaire", description="Réparer sa voiture à moindre coût.")
    assert _names(_near(places, text=text)) == ["Atelier numérique pour débutants"]


def test_relevance_sort_needs_text_and_falls_back_to_distance(places):
    make_offer(name="Roubaix numérique", code_insee="59512")
    make_offer(name="Lille numérique", code_insee="59350")
    assert _names(_near(places, text="numerique", sort=SearchSort.RELEVANCE))[0] in {
        "Roubaix numérique",
        "Lille numérique",
    }
    assert _names(_near(places, sort=SearchSort.RELEVANCE)) == ["Lille numérique", "Roubaix numérique"]


def test_without_a_place_the_territory_and_national_remote_services(places, nord):
    make_offer(name="Nord sur place", code_insee="59183")
    make_offer(name="Ardennes sur place", code_insee="08105")
    make_offer(name="National à distance", code_insee="", reception_modes=["a-distance"])
    assert sorted(_names(OfferSearch(territory=nord))) == ["National à distance", "Nord sur place"]


def test_a_confirmed_duplicate_is_hidden(places):
    original = make_offer(name="Original")
    copy = make_offer(name="Copie", source="cd59")
    copy.duplicate_of = original
    copy.save()
    reindex([copy])
    assert _names(_near(places)) == ["Original"]
