import pytest

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.people.models import AccessLog, Person
from tests.people.factories import valid_nir


def _token(user, organisation):
    actor = Actor(user=user, membership=Membership.objects.get(user=user))
    return account_services.create_api_token(organisation=organisation, name="Logiciel", by=actor)[1]


@pytest.fixture
def ft_token(gestionnaire, ft_lille):
    return _token(gestionnaire, ft_lille)


@pytest.fixture
def ardennes_token(other_territory, ml_ardennes):
    return _token(other_territory, ml_ardennes)


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_list_shows_the_people_followed_by_the_tokens_structure(client, ft_token, camille, nord):
    from tests.people.factories import PersonFactory

    PersonFactory(territory=nord, birth_name="Durand", first_names="Paul")  # followed by nobody
    response = client.get("/api/v1/people/", headers=_auth(ft_token))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["nom"] == "Martin"
    assert {member["structure"] for member in body["items"][0]["equipe"]} == {
        "France Travail Lille",
        "Département du Nord",
    }


def test_detail_is_full_for_a_team_structure_and_logged(client, ft_token, camille):
    response = client.get(f"/api/v1/people/{camille.public_id}", headers=_auth(ft_token))
    assert response.status_code == 200
    assert response.json()["email"] == camille.email
    assert "nir" not in response.json()
    log = AccessLog.objects.get(person=camille, via_api=True)
    assert log.kind == "read" and log.organisation.name == "France Travail Lille"


def test_other_territory_gets_404_and_search_finds_nothing(client, ardennes_token, camille):
    assert client.get(f"/api/v1/people/{camille.public_id}", headers=_auth(ardennes_token)).status_code == 404
    found = client.get(
        "/api/v1/people/search",
        {"nom": "Martin", "prenom": "Camille", "date_naissance": "1985-05-14"},
        headers=_auth(ardennes_token),
    )
    assert found.json() == []


def test_search_by_nir_returns_identity_and_team_only(client, ft_token, camille, nord):
    found = client.get("/api/v1/people/search", {"identifiant": valid_nir()}, headers=_auth(ft_token)).json()
    assert len(found) == 1
    assert set(found[0]) == {"id", "nom", "prenoms", "date_naissance", "equipe"}


def test_search_needs_identity_or_identifier(client, ft_token, camille):
    response = client.get("/api/v1/people/search", {"nom": "Martin"}, headers=_auth(ft_token))
    assert response.status_code == 400
    assert "Indiquez un identifiant" in response.json()["message"]


def test_create_through_the_api(client, ft_token, conseiller, nord):
    payload = {
        "nom_naissance": "Lemoine",
        "prenoms": "Sarah",
        "date_naissance": "1992-03-04",
        "date_entree": "2026-10-01",
        "referent_email": conseiller.email,
        "telephone": "06 11 22 33 44",
    }
    response = client.post("/api/v1/people/", payload, content_type="application/json", headers=_auth(ft_token))
    assert response.status_code == 201, response.content
    person = Person.objects.get(birth_name="Lemoine")
    assert person.phone == "+33611223344"
    assert person.referent.membership.user == conseiller
    again = client.post("/api/v1/people/", payload, content_type="application/json", headers=_auth(ft_token))
    assert again.status_code == 409
    assert "existe déjà" in again.json()["message"]


def test_create_rejects_bad_values_with_the_field_named(client, ft_token, conseiller, nord):
    payload = {
        "nom_naissance": "Lemoine",
        "prenoms": "Sarah",
        "date_naissance": "1992-03-04",
        "date_entree": "2026-10-01",
        "referent_email": conseiller.email,
        "nir": "185057800608400",
    }
    response = client.post("/api/v1/people/", payload, content_type="application/json", headers=_auth(ft_token))
    assert response.status_code == 422
    assert "nir" in response.json()["message"]
    assert not Person.objects.filter(birth_name="Lemoine").exists()
    payload["nir"], payload["referent_email"] = "", "inconnu@exemple.fr"
    response = client.post("/api/v1/people/", payload, content_type="application/json", headers=_auth(ft_token))
    assert response.status_code == 422
    assert "referent_email" in response.json()["message"]


def test_people_api_needs_a_token(client, camille):
    assert client.get("/api/v1/people/").status_code == 401
