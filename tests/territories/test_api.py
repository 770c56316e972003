from decimal import Decimal

import pytest

from spie.accounts.actors import Actor
from spie.accounts.services import create_api_token
from spie.territories.enums import BudgetPurpose
from tests.territories.factories import BudgetLineFactory, EpciFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/territories"


@pytest.fixture
def token(gestionnaire):
    membership = gestionnaire.memberships.get()
    _, raw_key = create_api_token(
        organisation=membership.organisation, name="t", by=Actor(user=gestionnaire, membership=membership)
    )
    return raw_key


@pytest.fixture
def api(client, token):
    def get(path, **params):
        return client.get(f"{BASE}{path}", params, headers={"Authorization": f"Bearer {token}"})

    return get


@pytest.mark.parametrize("path", ["", "/59"])
def test_a_token_is_required(client, nord, path):
    response = client.get(f"{BASE}{path}")

    assert response.status_code == 401
    assert response.json()["message"] == "Jeton d'API absent, invalide ou révoqué."


def test_a_wrong_token_is_refused(client, nord):
    response = client.get(BASE, headers={"Authorization": "Bearer spie_faux"})

    assert response.status_code == 401


def test_list_is_public_reference_for_any_token(api, nord, ardennes):
    """A token of a Nord structure also reads the other territories: they are public reference."""
    response = api("")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [t["code"] for t in body["items"]] == ["08", "59"]
    ardennes_json = body["items"][0]
    assert ardennes_json["nom"] == "Ardennes"
    assert ardennes_json["cohorte"] == {
        "code": "2021-appel-a-projets",
        "nom": "2021 — appel à projets",
        "annee": 2021,
    }
    assert ardennes_json["statut"] == "deployed"
    assert ardennes_json["statut_libelle"] == "Déployé"
    assert ardennes_json["fuseau_horaire"] == "Europe/Paris"
    assert ardennes_json["departements"] == [{"code": "08", "nom": "Ardennes"}]


def test_list_filters_by_cohort_and_paginates(api, nord, ardennes):
    by_cohort = api("", cohorte="2021-appel-a-projets").json()
    page = api("", limit=1, offset=1).json()

    assert [t["code"] for t in by_cohort["items"]] == ["08"]
    assert page["count"] == 2
    assert [t["code"] for t in page["items"]] == ["59"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"cohorte": "inconnue"}, 400),
        ({"statut": "nimporte"}, 422),
        ({"limit": "abc"}, 422),
        ({"limit": -1}, 422),
        ({"offset": -5}, 422),
    ],
)
def test_bad_input_is_a_json_4xx(api, nord, params, status):
    response = api("", **params)

    assert response.status_code == status
    assert "message" in response.json()


def test_unknown_cohort_is_named(api, nord):
    body = api("", cohorte="inconnue").json()

    assert body == {"message": "Cohorte inconnue : « inconnue ».", "champ": "cohorte"}


def test_detail_with_perimeter_and_budget(api, ardennes):
    ardennes.epcis.add(EpciFactory(siren="200041630", name="CA Ardenne Métropole", kind="CA"))
    BudgetLineFactory(territory=ardennes, amount=Decimal("483870.97"), label="Répartition indicative")
    BudgetLineFactory(territory=ardennes, amount=Decimal("0.03"), year=2022)

    response = api("/08")

    assert response.status_code == 200
    body = response.json()
    assert body["epcis"] == [{"siren": "200041630", "nom": "CA Ardenne Métropole"}]
    assert [line["annee"] for line in body["lignes_budgetaires"]] == [2021, 2022]
    line = body["lignes_budgetaires"][0]
    assert line["objet"] == BudgetPurpose.TERRITORY_PROJECT
    assert line["objet_libelle"] == "Projet du territoire"
    assert Decimal(line["montant"]) == Decimal("483870.97")
    assert line["libelle"] == "Répartition indicative"
    assert Decimal(body["budget_total"]) == Decimal("483871.00")


def test_unknown_territory_is_a_json_404(api, nord):
    response = api("/99")

    assert response.status_code == 404
    assert response.json() == {"message": "Ressource introuvable."}


def test_list_runs_a_bounded_number_of_queries(api, nord, ardennes, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = api("")

    assert response.status_code == 200


def test_the_openapi_schema_documents_the_territories(client_as, conseiller):  # the API docs need a login
    paths = client_as(conseiller).get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/territories" in paths
    assert "/api/v1/territories/{code}" in paths
