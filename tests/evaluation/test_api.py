"""Indicators API: the token's structure within its territory, national value beside, the same
values as the pages; a national token reads any territory or the whole country."""

import pytest

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership

pytestmark = pytest.mark.django_db
URL = "/api/v1/evaluation/indicators"


def _token(user, organisation):
    actor = Actor(user=user, membership=Membership.objects.get(user=user))
    raw = account_services.create_api_token(organisation=organisation, name="Logiciel", by=actor)[1]
    return {"Authorization": f"Bearer {raw}"}


def _by_code(response):
    assert response.status_code == 200, response.content
    return {item["code"]: item for item in response.json()["indicateurs"]}


def test_a_structures_token_reads_its_structures_indicators_with_the_national_value(
    history, client, gestionnaire, ft_lille
):
    headers = _token(gestionnaire, ft_lille)
    response = client.get(URL, headers=headers)
    assert response.json()["perimetre"] == "France Travail Lille (Nord)"
    item = _by_code(response)["orientation_dans_le_delai"]
    assert (item["valeur"], item["numerateur"], item["denominateur"]) == ("100.0", 2, 2)
    assert item["valeur_nationale"] == "66.7" and item["cohortes_mures_jusqu_au"] == "2026-09-30"
    assert (
        _by_code(client.get(URL, {"type_parcours": "social"}, headers=headers))["delai_orientation"]["calculable"]
        is False
    )
    assert _by_code(response)["offres_a_jour"]["filtres_non_appliques"] == ["Structure"]
    assert client.get(URL, {"territoire": "08"}, headers=headers).status_code == 404


def test_a_national_token_reads_a_territory_or_the_country(history, client, admin_national, ministere):
    headers = _token(admin_national, ministere)
    nord = _by_code(client.get(URL, {"territoire": "59"}, headers=headers))
    assert nord["delai_orientation"]["valeur"] == "15.0" and nord["delai_orientation"]["cible"] == "30"
    assert nord["budget_alloue"]["valeur"] == "750000"
    national = _by_code(client.get(URL, headers=headers))
    assert (
        national["delai_orientation"]["valeur"] == "10.0" and national["delai_orientation"]["valeur_nationale"] is None
    )


def test_filters_are_validated_with_french_messages(history, client, gestionnaire, ft_lille):
    headers = _token(gestionnaire, ft_lille)
    response = client.get(URL, {"mois_entree": "2026-13"}, headers=headers)
    assert response.status_code == 400 and "mois_entree" in response.json()["message"]
    response = client.get(URL, {"type_parcours": "autre"}, headers=headers)
    assert response.status_code == 400 and "type_parcours" in response.json()["message"]
    response = client.get(URL, {"du": "2026-05-01", "au": "2026-01-01"}, headers=headers)
    assert response.status_code == 400


@pytest.mark.parametrize("path", [URL, "/api/v1/evaluation/definitions"])
def test_the_api_needs_a_token(client, db, path):
    assert client.get(path).status_code == 401


def test_definitions_are_listed(client, gestionnaire, ft_lille):
    response = client.get("/api/v1/evaluation/definitions", headers=_token(gestionnaire, ft_lille))
    codes = [item["code"] for item in response.json()]
    assert "delai_orientation" in codes and "emploi_m6" in codes


def test_the_indicators_api_is_documented(client_as, conseiller):  # the API docs need a login
    paths = client_as(conseiller).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/evaluation/indicators" in paths and "/api/v1/evaluation/definitions" in paths
    parameters = {item["name"] for item in paths["/api/v1/evaluation/indicators"]["get"]["parameters"]}
    assert {"territoire", "type_parcours", "mois_entree", "du", "au"} <= parameters
