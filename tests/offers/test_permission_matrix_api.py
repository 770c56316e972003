"""The offers API × every kind of caller, with the exact status expected. The directory is public
to every token; a referral is answered by the structure that receives it (Mission locale de Lille)
and is unknown to everyone else (404)."""

import pytest

from spie.accounts.actors import Actor
from spie.offers import services
from tests.matrix import API_CALLERS, api_headers, api_mismatches, api_operations, api_row
from tests.offers.factories import make_offer

CALLERS = [*API_CALLERS, "ml_lille"]
RECEIVER_ONLY = api_row(404, ml_lille=200)

ENDPOINTS = {
    ("get", "/offers"): api_row(200, ml_lille=200),
    ("get", "/offers/{offer}"): api_row(200, ml_lille=200),
    ("get", "/offers/export"): api_row(200, ministere=403, ml_lille=200),
    # The structure's own inbox: empty for the others, never someone else's.
    ("get", "/offers/referrals"): api_row(200, ml_lille=200),
    ("post", "/offers/referrals/{accepted}/accept"): RECEIVER_ONLY,
    ("post", "/offers/referrals/{refused}/refuse"): RECEIVER_ONLY,
}
BODIES = {("post", "/offers/referrals/{refused}/refuse"): lambda objects: {"motif": "Plus de place."}}


@pytest.mark.parametrize("caller", CALLERS)
def test_offers_api(
    caller, client, camille, conseiller, platform_offer, departement_nord, ml_ardennes, ministere, request
):
    by = Actor(user=conseiller, membership=conseiller.memberships.get())
    objects = {
        "offer": platform_offer.public_id,
        "accepted": services.refer_person(person=camille, offer=platform_offer, message="Mobilité.", by=by)[
            0
        ].public_id,
    }
    second_offer = make_offer(structure=platform_offer.structure, name="Atelier CV", email="cv@ml-lille.fr")
    objects["refused"] = services.refer_person(person=camille, offer=second_offer, message="CV.", by=by)[0].public_id
    headers = api_headers(request, caller)
    wrong = api_mismatches(client, ENDPOINTS, objects, caller, headers, BODIES)
    assert not wrong, wrong
    received = client.get("/api/v1/offers/referrals", headers=headers).json() if caller != "no_token" else {}
    assert (received.get("count", 0) > 0) == (caller == "ml_lille")


COVERED_API_OPERATIONS = api_operations("/api/v1", ENDPOINTS)
