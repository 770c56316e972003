"""The pathway API: what a structure's token may read and write, with the same rules as the pages."""

import datetime

import pytest

from spie.accounts.enums import OrganisationType, Role
from spie.pathways import services
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.diagnostics.helpers import actor

from .helpers import appointment, at, plan
from .test_api import _auth, _orientation_token, _token

pytestmark = pytest.mark.django_db
TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


@pytest.fixture
def ft_token(gestionnaire, ft_lille):
    return _token(gestionnaire, ft_lille)


@pytest.fixture
def ccas_token(nord):
    """A structure of Nord that does not follow Camille."""
    ccas = OrganisationFactory(name="CCAS de Roubaix", type=OrganisationType.CCAS, territory=nord)
    user = MembershipFactory(user=UserFactory(email="ccas@roubaix.fr"), organisation=ccas, role=Role.GESTIONNAIRE).user
    return _token(user, ccas)


@pytest.fixture
def coordination_token(coordinator, departement_nord):
    return _orientation_token(coordinator, departement_nord)


@pytest.fixture
def ardennes_token(other_territory, ml_ardennes):
    return _token(other_territory, ml_ardennes)


@pytest.mark.parametrize(("token", "status"), [("ft_token", 200), ("ccas_token", 404), ("ardennes_token", 404)])
@pytest.mark.parametrize("resource", ["pathway", "contracts", "appointments", "reviews", "employment"])
def test_reading_a_person_needs_the_team(request, client, pathway, camille, token, status, resource):
    headers = _auth(request.getfixturevalue(token))
    assert client.get(f"/api/v1/pathways/people/{camille.public_id}/{resource}", headers=headers).status_code == status


def test_pathway_with_alerts_and_stages(client, ft_token, pathway, camille):
    body = client.get(f"/api/v1/pathways/people/{camille.public_id}/pathway", headers=_auth(ft_token)).json()
    assert body["etape"] == "oriente" and body["contrat_a_signer_avant"] == "2026-11-01"
    assert "contrat_en_retard" in [alert["type"] for alert in body["alertes"]]
    assert [step["vers"] for step in body["etapes"]] == ["entree", "oriente"]


@pytest.mark.usefixtures("pathway_referential")
def test_contracts_with_their_plan(client, ft_token, pathway, camille, conseiller):
    plan(pathway, conseiller)
    body = client.get(f"/api/v1/pathways/people/{camille.public_id}/contracts", headers=_auth(ft_token)).json()
    assert body[0]["statut"] == "brouillon" and body[0]["heures_semaine"] == 16
    assert body[0]["plan"][0]["libelle"] == "Répondre à des offres d'emploi"
    assert [a["code"] for a in body[0]["plan"][0]["actions"]] == ["emploi.a01", "emploi.a02"]


def test_create_an_appointment_then_record_its_status(client, ft_token, ccas_token, pathway, camille, conseiller):
    payload = {
        "personne": str(camille.public_id),
        "professionnel_email": conseiller.email,
        "debut": f"{TOMORROW.isoformat()}T09:00:00+01:00",
    }
    assert (
        client.post(
            "/api/v1/pathways/appointments", payload, content_type="application/json", headers=_auth(ccas_token)
        ).status_code
        == 404
    )
    bad = client.post(
        "/api/v1/pathways/appointments",
        {**payload, "professionnel_email": "inconnu@exemple.fr"},
        content_type="application/json",
        headers=_auth(ft_token),
    )
    assert bad.status_code == 422 and "professionnel_email" in bad.json()["message"]
    created = client.post(
        "/api/v1/pathways/appointments", payload, content_type="application/json", headers=_auth(ft_token)
    )
    assert created.status_code == 201
    identifier = created.json()["id"]
    refused = client.post(
        f"/api/v1/pathways/appointments/{identifier}/status",
        {"statut": "honore"},
        content_type="application/json",
        headers=_auth(ft_token),
    )
    assert refused.status_code == 400 and refused.json()["champ"] == "status"
    done = client.post(
        f"/api/v1/pathways/appointments/{identifier}/status",
        {"statut": "annule", "commentaire": "Empêchement"},
        content_type="application/json",
        headers=_auth(ft_token),
    )
    assert done.status_code == 200 and done.json()["statut"] == "annule"


def test_reviews_by_api(client, ft_token, pathway, camille):
    response = client.post(
        "/api/v1/pathways/reviews",
        {
            "personne": str(camille.public_id),
            "date": datetime.date.today().isoformat(),
            "conclusion": "sans_changement",
        },
        content_type="application/json",
        headers=_auth(ft_token),
    )
    assert response.status_code == 201
    listed = client.get(f"/api/v1/pathways/people/{camille.public_id}/reviews", headers=_auth(ft_token)).json()
    assert [item["conclusion"] for item in listed] == ["sans_changement"]


@pytest.mark.usefixtures("rome_jobs")
def test_employment_follow_up_by_api(client, ft_token, pathway, camille):
    payload = {
        "personne": str(camille.public_id),
        "employeur": "Boulangerie Martin",
        "siret": "73282932000075",
        "code_rome": "K1302",
        "type_contrat": "cdi",
        "temps_de_travail": "temps_plein",
        "date_debut": (datetime.date.today() - datetime.timedelta(days=35)).isoformat(),
    }
    bad = client.post("/api/v1/pathways/employment", payload, content_type="application/json", headers=_auth(ft_token))
    assert bad.status_code == 400 and bad.json()["champ"] == "employer_siret"
    created = client.post(
        "/api/v1/pathways/employment",
        {**payload, "siret": "73282932000074"},
        content_type="application/json",
        headers=_auth(ft_token),
    )
    assert created.status_code == 201 and created.json()["durable"] is True
    checkpoint = created.json()["points"][0]["id"]
    recorded = client.post(
        f"/api/v1/pathways/employment/checkpoints/{checkpoint}",
        {"contact": "joint", "toujours_en_emploi": True},
        content_type="application/json",
        headers=_auth(ft_token),
    )
    assert recorded.status_code == 200 and recorded.json()["points"][0]["realise_le"] is not None


def test_alerts_of_the_territory_or_of_the_structure(
    client, ft_token, ccas_token, coordination_token, pathway, conseiller, nord
):
    from tests.people.factories import PersonFactory, seat

    other = PersonFactory(territory=nord, entry_date=datetime.date(2026, 7, 1))
    seat(other, conseiller, is_referent=False)
    services.open_pathway(person=other, by=actor(conseiller))
    territory = client.get("/api/v1/pathways/alerts", headers=_auth(coordination_token)).json()
    assert territory["count"] == 2
    assert client.get("/api/v1/pathways/alerts", headers=_auth(ccas_token)).json()["count"] == 0
    mine = client.get("/api/v1/pathways/alerts?type=contrat_en_retard", headers=_auth(ft_token)).json()
    assert [item["personne"] for item in mine["items"]] == [str(pathway.person.public_id)]
    assert client.get("/api/v1/pathways/alerts?type=inconnu", headers=_auth(ft_token)).status_code == 422


def test_appointments_list(client, ft_token, pathway, camille, conseiller):
    appointment(pathway, conseiller, at(TOMORROW))
    body = client.get(f"/api/v1/pathways/people/{camille.public_id}/appointments", headers=_auth(ft_token)).json()
    assert body[0]["statut"] == "prevu" and body[0]["professionnel_email"] == conseiller.email
