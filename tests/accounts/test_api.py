import pytest
from django.core.management import call_command
from django.urls import reverse

from spie.accounts import services
from spie.accounts.actors import Actor
from spie.accounts.models import ApiToken, Membership
from spie.core.models import AuditEvent


@pytest.fixture
def token(gestionnaire, ft_lille):
    actor = Actor(user=gestionnaire, membership=Membership.objects.get(user=gestionnaire))
    _, raw = services.create_api_token(organisation=ft_lille, name="Logiciel métier", by=actor)
    return raw


def _get(client, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers)


def test_api_refuses_requests_without_a_valid_token(client, db):
    response = _get(client, "/api/v1/organisations")
    assert response.status_code == 401
    assert response.json() == {"message": "Jeton d'API absent, invalide ou révoqué."}
    assert _get(client, "/api/v1/organisations", "spie_faux").status_code == 401


def test_token_sees_the_structures_of_its_territory_only(client, token, ft_lille, departement_nord, ml_ardennes):
    response = _get(client, "/api/v1/organisations", token)
    assert response.status_code == 200
    names = [item["nom"] for item in response.json()["items"]]
    assert names == ["Département du Nord", "France Travail Lille"]
    assert _get(client, f"/api/v1/organisations/{ml_ardennes.public_id}", token).status_code == 404
    detail = _get(client, f"/api/v1/organisations/{ft_lille.public_id}", token).json()
    assert detail["siret"] == ft_lille.siret
    assert detail["territoire"] == "59"


def test_bad_input_gets_a_french_json_error(client, token):
    response = _get(client, "/api/v1/organisations/pas-un-uuid", token)
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["message"] == "Identifiant invalide (UUID attendu)."
    response = _get(client, "/api/v1/organisations?type=inconnu", token)
    assert response.status_code == 422


def test_revoked_token_stops_working(client, token, gestionnaire, ft_lille):
    client.force_login(gestionnaire)
    api_token = ApiToken.objects.get()
    client.post(reverse("accounts:api_token_revoke", args=[ft_lille.public_id, api_token.public_id]))
    client.logout()
    assert _get(client, "/api/v1/organisations", token).status_code == 401
    assert AuditEvent.objects.filter(action="accounts.api_token.revoked").exists()


def test_manager_creates_a_token_shown_once_and_stored_hashed(client_as, gestionnaire, ft_lille):
    client = client_as(gestionnaire)
    page = client.post(reverse("accounts:api_tokens", args=[ft_lille.public_id]), {"name": "Interface CAF"})
    content = page.content.decode()
    assert "Copiez-le maintenant" in content
    token = ApiToken.objects.get(name="Interface CAF")
    raw = content.split('id="nouveau-jeton">')[1].split("<")[0]
    assert raw.startswith("spie_")
    assert raw not in token.key_hash
    assert raw not in client.get(reverse("accounts:api_tokens", args=[ft_lille.public_id])).content.decode()


def test_create_api_token_command_prints_the_token_once(ft_lille, capsys, client):
    call_command("create_api_token", "--organisation", ft_lille.siret, "--name", "Script")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert _get(client, "/api/v1/organisations", raw).status_code == 200


def test_create_api_token_command_names_an_unknown_siret(db, capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Aucune structure active avec le SIRET 12345678901234"):
        call_command("create_api_token", "--organisation", "12345678901234", "--name", "Script")


def test_openapi_schema_and_docs_are_published(client_as, conseiller):  # the API docs need a login
    schema = client_as(conseiller).get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/organisations" in schema.json()["paths"]
    assert client_as(conseiller).get("/api/v1/docs").status_code == 200
