"""Companies API: scoped to the token's territory and structure, same services and rules."""

import pytest

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.companies.enums import ImmersionStatus
from spie.companies.models import Company
from spie.people.models import AccessLog
from tests.accounts.factories import next_valid_siret
from tests.companies.factories import TrainingFactory, immersion, shortage

pytestmark = pytest.mark.django_db


def _token(user, organisation):
    actor = Actor(user=user, membership=Membership.objects.get(user=user))
    return account_services.create_api_token(organisation=organisation, name="Logiciel", by=actor)[1]


@pytest.fixture
def ft_token(gestionnaire, ft_lille):
    return {"Authorization": f"Bearer {_token(gestionnaire, ft_lille)}"}


@pytest.fixture
def ardennes_token(other_territory, ml_ardennes):
    return {"Authorization": f"Bearer {_token(other_territory, ml_ardennes)}"}


@pytest.fixture
def departement_token(other_structure, departement_nord, coordinator):
    return {"Authorization": f"Bearer {_token(coordinator, departement_nord)}"}


def test_companies_are_scoped_to_the_tokens_territory_with_shortage_levels(
    client, ft_token, ardennes_token, ehpad, nord, jobs
):
    shortage(nord, jobs["J1501"], tension=4)
    body = client.get("/api/v1/companies/", headers=ft_token).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["nom"] == "EHPAD Les Tilleuls" and item["metiers"][0] == {
        "code_rome": "J1501",
        "libelle": "Soins d'hygiène, de confort du patient",
        "immersion": True,
        "recrute": True,
        "en_tension": 4,
    }
    assert client.get(f"/api/v1/companies/{ehpad.public_id}", headers=ft_token).status_code == 200
    assert client.get("/api/v1/companies/", headers=ardennes_token).json()["count"] == 0
    assert client.get(f"/api/v1/companies/{ehpad.public_id}", headers=ardennes_token).status_code == 404
    assert client.get("/api/v1/companies/", {"code_rome": "G1602"}, headers=ft_token).json()["count"] == 0
    assert client.get("/api/v1/companies/").status_code == 401


def test_creating_a_company_validates_the_siret_in_french(client, ft_token, lille, jobs):
    bad = client.post(
        "/api/v1/companies/",
        {"siret": "123", "nom": "X", "code_commune": "59350"},
        content_type="application/json",
        headers=ft_token,
    )
    assert bad.status_code == 422 and "siret : Le SIRET doit comporter exactement 14 chiffres." in bad.json()["message"]
    siret = next_valid_siret()
    created = client.post(
        "/api/v1/companies/",
        {"siret": siret, "nom": "Restaurant Le Beffroi", "code_commune": "59350", "code_naf": "56.10A"},
        content_type="application/json",
        headers=ft_token,
    )
    assert created.status_code == 201 and created.json()["code_naf"] == "56.10A"
    assert Company.objects.get(siret=siret).territory.code == "59"


def test_shortage_list(client, ft_token, nord, jobs):
    shortage(nord, jobs["G1602"], tension=5)
    assert [s["code_rome"] for s in client.get("/api/v1/companies/shortage-occupations", headers=ft_token).json()] == [
        "G1602"
    ]


def test_immersions_of_followed_people_and_their_status(
    client, ft_token, ardennes_token, camille, ehpad, tutor, prescriber
):
    signed = immersion(camille, ehpad, tutor, prescriber, status=ImmersionStatus.SIGNED_COMPANY)
    listed = client.get("/api/v1/companies/immersions", headers=ft_token).json()
    assert listed["count"] == 1 and listed["items"][0]["statut"] == "signed_company"
    detail = client.get(f"/api/v1/companies/immersions/{signed.public_id}", headers=ft_token)
    assert detail.status_code == 200 and AccessLog.objects.filter(person=camille, via_api=True).exists()
    assert client.get(f"/api/v1/companies/immersions/{signed.public_id}", headers=ardennes_token).status_code == 404
    moved = client.post(
        f"/api/v1/companies/immersions/{signed.public_id}/status",
        {"action": "valider"},
        content_type="application/json",
        headers=ft_token,
    )
    assert moved.status_code == 200 and moved.json()["statut"] == "validated"
    refused = client.post(
        f"/api/v1/companies/immersions/{signed.public_id}/status",
        {"action": "valider"},
        content_type="application/json",
        headers=ft_token,
    )
    assert refused.status_code == 400 and "ne peut pas passer" in refused.json()["message"]
    cancelled = client.post(
        f"/api/v1/companies/immersions/{signed.public_id}/status",
        {"action": "annuler", "motif": "company"},
        content_type="application/json",
        headers=ft_token,
    )
    assert cancelled.json()["statut"] == "cancelled"


def test_only_the_prescribing_structure_moves_an_immersion(
    client, departement_token, camille, ehpad, tutor, prescriber
):
    signed = immersion(camille, ehpad, tutor, prescriber, status=ImmersionStatus.SIGNED_COMPANY)
    # The Département follows Camille (team member) and reads the immersion, but did not prescribe it.
    assert client.get(f"/api/v1/companies/immersions/{signed.public_id}", headers=departement_token).status_code == 200
    response = client.post(
        f"/api/v1/companies/immersions/{signed.public_id}/status",
        {"action": "valider"},
        content_type="application/json",
        headers=departement_token,
    )
    assert response.status_code == 403


def test_trainings_and_positionings(client, ft_token, ardennes_token, camille, conseiller, nord, lille, jobs):
    from spie.companies.services_trainings import position_person
    from tests.companies.conftest import actor

    training = TrainingFactory(territory=nord, commune=lille, rome_jobs=[jobs["G1602"]])
    positioning = position_person(training=training, person=camille, by=actor(conseiller))
    trainings = client.get("/api/v1/companies/trainings", headers=ft_token).json()
    assert trainings["items"][0]["codes_rome"] == ["G1602"]
    assert client.get("/api/v1/companies/positionings", headers=ft_token).json()["count"] == 1
    assert client.get("/api/v1/companies/positionings", headers=ardennes_token).json()["count"] == 0
    moved = client.post(
        f"/api/v1/companies/positionings/{positioning.public_id}/status",
        {"etape": "enrolled"},
        content_type="application/json",
        headers=ft_token,
    )
    assert moved.json()["etape"] == "enrolled"
    dropped = client.post(
        f"/api/v1/companies/positionings/{positioning.public_id}/status",
        {"etape": "dropped_out"},
        content_type="application/json",
        headers=ft_token,
    )
    assert dropped.status_code == 400 and dropped.json()["champ"] == "note"
