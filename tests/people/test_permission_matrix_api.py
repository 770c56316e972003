"""The people API × every kind of caller, with the exact status expected: a token acts for its
structure, sees the full file only when the structure is in the follow-up team, and nothing of
another territory (404); a structure without territory gets 403."""

import pytest

from tests.matrix import API_CALLERS, api_headers, api_mismatches, api_operations, api_row

TEAM = api_row(404, ft_lille=200, departement_nord=200, ministere=403)
TERRITORY = api_row(200, ministere=403)

ENDPOINTS = {
    ("get", "/people/"): TERRITORY,
    ("get", "/people/search?nom=Martin&prenom=Camille&date_naissance=1985-05-14"): TERRITORY,
    ("get", "/people/{person}"): TEAM,
    ("get", "/people/{person}/team"): TEAM,
    # The referent named must be an active member of the token's structure (France Travail Lille).
    ("post", "/people/"): api_row(422, ft_lille=201),
}
BODIES = {
    ("post", "/people/"): lambda objects: {
        "nom_naissance": "Lemoine",
        "prenoms": "Sarah",
        "date_naissance": "1992-03-04",
        "date_entree": "2026-10-01",
        "referent_email": objects["referent_email"],
    }
}


@pytest.mark.parametrize("caller", API_CALLERS)
def test_people_api(caller, client, camille, conseiller, ml_ardennes, ministere, request):
    headers = api_headers(request, caller)
    objects = {"person": camille.public_id, "referent_email": conseiller.email}
    wrong = api_mismatches(client, ENDPOINTS, objects, caller, headers, BODIES)
    assert not wrong, wrong


COVERED_API_OPERATIONS = api_operations("/api/v1", ENDPOINTS)
