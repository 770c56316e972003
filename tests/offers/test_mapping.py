"""The readable mapping from referential themes to data·inclusion thématiques, and suggestions."""

import pytest

from spie.offers.mapping import THEME_TO_THEMATIQUES, suggest_offers, thematiques_for
from spie.referentials.enums import Vocabulary
from spie.referentials.models import Theme, VocabularyTerm
from tests.offers.factories import make_offer

pytestmark = pytest.mark.usefixtures("vocabularies", "places")


def test_every_referential_theme_maps_to_existing_thematiques():
    themes = set(Theme.objects.filter(version__is_current=True).values_list("code", flat=True))
    assert themes == set(THEME_TO_THEMATIQUES)
    known = set(VocabularyTerm.objects.filter(vocabulary=Vocabulary.THEMATIQUES).values_list("value", flat=True))
    assert {value for values in THEME_TO_THEMATIQUES.values() for value in values} <= known


def test_thematiques_for_merges_without_repeats():
    assert thematiques_for(["formation", "se_former", "inconnu"]) == ["se-former"]


def test_suggestions_by_theme_nearest_first(camille, places):
    camille.commune = places["lille"]
    camille.save()
    make_offer(name="Garage Roubaix", code_insee="59512", thematiques=["mobilite--entretenir-reparer-son-vehicule"])
    make_offer(name="Garage Lille", code_insee="59350", thematiques=["mobilite--acceder-a-un-vehicule"])
    make_offer(name="Garage Dunkerque", code_insee="59183", thematiques=["mobilite--acceder-a-un-vehicule"])
    make_offer(name="Logement Lille", thematiques=["logement-hebergement--louer-un-logement"])
    suggestions = suggest_offers(camille, ["mobilite", "logement", "numerique"])
    assert [(s.theme, [o.name for o in s.offers]) for s in suggestions] == [
        ("mobilite", ["Garage Lille", "Garage Roubaix"]),
        ("logement", ["Logement Lille"]),
        ("numerique", []),
    ]
    assert suggestions[0].label == "Mobilité"
    wider = suggest_offers(camille, ["mobilite"], radius_km=80)
    assert [o.name for o in wider[0].offers] == ["Garage Lille", "Garage Roubaix", "Garage Dunkerque"]
