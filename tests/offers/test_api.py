"""Offers API: search answering {"items", "count"}, a service's record, the export, referrals received."""

import pytest

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.offers import services
from spie.offers.enums import ReferralStatus
from spie.people.models import FollowUpMember
from tests.offers.factories import make_offer

pytestmark = pytest.mark.usefixtures("vocabularies", "places")


def _token(user, organisation):
    actor = Actor(user=user, membership=Membership.objects.get(user=user, organisation=organisation))
    return account_services.create_api_token(organisation=organisation, name="Logiciel", by=actor)[1]


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def ft_token(gestionnaire, ft_lille):
    return _token(gestionnaire, ft_lille)


@pytest.fixture
def ml_token(ml_lille, receiver):
    from spie.accounts.enums import Role

    Membership.objects.filter(user=receiver).update(role=Role.GESTIONNAIRE)
    return _token(receiver, ml_lille)


def test_search_answers_items_and_count(client, ft_token):
    make_offer(name="Auto-école sociale", code_insee="59512")
    make_offer(name="Sur place à Dunkerque", code_insee="59183")
    make_offer(name="Logement", code_insee="59512", thematiques=["logement-hebergement--louer-un-logement"])
    response = client.get(
        "/api/v1/offers",
        {"code_commune": "59350", "thematiques": "mobilite", "rayon_km": 50},
        headers=_auth(ft_token),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert set(item) >= {"id", "source", "nom", "structure", "thematiques", "code_commune", "distance_km"}
    assert item["nom"] == "Auto-école sociale" and item["code_commune"] == "59512"
    assert 10 < item["distance_km"] < 11


def test_search_pages_and_counts(client, ft_token):
    for number in range(5):
        make_offer(name=f"Service {number}")
    body = client.get("/api/v1/offers", {"limit": 2, "offset": 2}, headers=_auth(ft_token)).json()
    assert body["count"] == 5 and len(body["items"]) == 2


def test_search_refuses_an_unknown_commune_in_french(client, ft_token):
    response = client.get("/api/v1/offers", {"code_commune": "99999"}, headers=_auth(ft_token))
    assert response.status_code == 400
    assert response.json()["message"] == "code_commune : commune « 99999 » inconnue du COG."


def test_search_needs_a_token(client):
    assert client.get("/api/v1/offers").status_code == 401


def test_service_record_and_export(client, ft_token):
    offer = make_offer(name="Auto-école sociale", code_insee="59512")
    make_offer(name="Ardennes", code_insee="08105")
    record = client.get(f"/api/v1/offers/{offer.public_id}", headers=_auth(ft_token)).json()
    assert record["service"]["nom"] == "Auto-école sociale" and record["service"]["id"] == offer.source_id
    export = client.get("/api/v1/offers/export", headers=_auth(ft_token)).json()
    assert [service["nom"] for service in export["services"]] == ["Auto-école sociale"]


def test_receiving_structure_lists_and_accepts_referrals(
    client, camille, conseiller, platform_offer, ml_token, ft_token
):
    referral, _ = services.refer_person(
        person=camille,
        offer=platform_offer,
        message="Besoin mobilité.",
        needs=["mobilite"],
        by=Actor(user=conseiller, membership=conseiller.memberships.get()),
    )
    listed = client.get("/api/v1/offers/referrals", headers=_auth(ml_token)).json()
    assert listed["count"] == 1 and listed["items"][0]["personne_nom"] == "Martin"
    assert "email" not in str(listed)
    assert client.get("/api/v1/offers/referrals", headers=_auth(ft_token)).json()["count"] == 0
    denied = client.post(
        f"/api/v1/offers/referrals/{referral.public_id}/accept", {}, "application/json", headers=_auth(ft_token)
    )
    assert denied.status_code == 404
    accepted = client.post(
        f"/api/v1/offers/referrals/{referral.public_id}/accept",
        {"professionnel_email": "conseillere@ml-lille.fr"},
        "application/json",
        headers=_auth(ml_token),
    )
    assert accepted.status_code == 200 and accepted.json()["statut"] == ReferralStatus.ACCEPTED
    assert FollowUpMember.objects.filter(person=camille, membership__user__email="conseillere@ml-lille.fr").exists()
    again = client.post(
        f"/api/v1/offers/referrals/{referral.public_id}/refuse",
        {"motif": "Trop tard"},
        "application/json",
        headers=_auth(ml_token),
    )
    assert again.status_code == 400 and "acceptée" in again.json()["message"]
