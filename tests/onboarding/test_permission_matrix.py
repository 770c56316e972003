"""Onboarding pages and API × every persona, with the exact outcome expected."""

import pytest
from django.urls import reverse

from spie.accounts.services import create_api_token
from spie.onboarding.perms import (
    can_edit_territory_settings,
    can_view_national_progress,
    can_view_territory_checklist,
)
from tests.matrix import api_operations, url_names

PERSONAS = [
    "anonymous",
    "conseiller",
    "gestionnaire",
    "other_structure",
    "coordinator",
    "orientation_officer",
    "other_territory",
    "admin_national",
]
EXPECTED = {
    ("index", ()): {
        "anonymous": 302,
        "conseiller": 403,
        "gestionnaire": 302,
        "other_structure": 403,
        "coordinator": 302,
        "orientation_officer": 302,
        "other_territory": 403,
        "admin_national": 302,
    },
    ("national", ()): dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "admin_national": 200},
    ("checklist", ("59",)): {
        "anonymous": 302,
        "conseiller": 403,
        "gestionnaire": 200,
        "other_structure": 403,
        "coordinator": 200,
        "orientation_officer": 200,
        "other_territory": 404,
        "admin_national": 200,
    },
    ("settings", ("59",)): {
        "anonymous": 302,
        "conseiller": 403,
        "gestionnaire": 403,
        "other_structure": 403,
        "coordinator": 200,
        "orientation_officer": 403,
        "other_territory": 404,
        "admin_national": 200,
    },
    ("guide", ()): dict.fromkeys(PERSONAS, 200),
    ("guide_page", ("premier-jour-conseiller",)): dict.fromkeys(PERSONAS, 200),
    ("example", ("personnes.csv",)): dict.fromkeys(PERSONAS, 200),
    ("example", ("inconnu.csv",)): dict.fromkeys(PERSONAS, 404),
}


@pytest.mark.parametrize(
    ("view", "args", "persona", "expected"),
    [(view, args, persona, row[persona]) for (view, args), row in EXPECTED.items() for persona in PERSONAS],
    indirect=["persona"],
)
def test_views(view, args, persona, expected, client_as, gestionnaire, ft_lille, ml_ardennes, ministere):
    assert client_as(persona).get(reverse(f"onboarding:{view}", args=args)).status_code == expected


def test_predicates_state_their_rule_in_french():
    for predicate in (can_view_national_progress, can_view_territory_checklist, can_edit_territory_settings):
        assert "territoire" in predicate.__doc__


def _token(organisation):
    return create_api_token(organisation=organisation, name="test", by=None)[1]


API_PATH = "/api/v1/onboarding"


def test_api_gives_the_tokens_territory(client, ft_lille, ml_ardennes):
    response = client.get(API_PATH, headers={"Authorization": f"Bearer {_token(ft_lille)}"})
    assert response.status_code == 200
    (checklist,) = response.json()
    assert checklist["territoire"] == "59"
    assert {"cle": "structures", "libelle": "Structures partenaires enregistrées"}.items() <= checklist["etapes"][
        1
    ].items()


def test_api_gives_every_territory_to_a_national_token(client, ministere, nord, ardennes):
    response = client.get(API_PATH, headers={"Authorization": f"Bearer {_token(ministere)}"})
    assert sorted(c["territoire"] for c in response.json()) == ["08", "59"]


def test_api_needs_a_token(client, nord):
    assert client.get(API_PATH).status_code == 401


COVERED_URL_NAMES = url_names("onboarding", (name for name, _ in EXPECTED))
COVERED_API_OPERATIONS = api_operations("", [("GET", API_PATH)])
