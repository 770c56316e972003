"""Questionnaires API: aggregated results of the token's territory, invitation status of a
person the structure follows — never the answers."""

import pytest

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.people.models import AccessLog
from spie.questionnaires import services
from tests.accounts.factories import MembershipFactory
from tests.people.factories import PersonFactory
from tests.questionnaires.factories import all_answers, invitation

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
def national_token(admin_national, ministere):
    manager = MembershipFactory(organisation=ministere, role="gestionnaire").user
    return {"Authorization": f"Bearer {_token(manager, ministere)}"}


def _answered(territory, count, value):
    for index in range(count):
        item, _ = invitation(PersonFactory(territory=territory, birth_name=f"Api{index}"))
        services.answer_questionnaire(invitation=item, answers=all_answers(value=value))


def test_results_are_aggregated_for_the_tokens_territory_and_small_groups_hidden(
    client, ft_token, ardennes_token, nord, ardennes
):
    _answered(nord, 5, 4)
    _answered(ardennes, 2, 1)
    body = client.get("/api/v1/questionnaires/results", headers=ft_token).json()
    diagnostic = next(item for item in body if item["etape"] == "apres_diagnostic")
    assert diagnostic["envoyes"] == 5 and diagnostic["reponses"] == 5 and diagnostic["taux_reponse"] == 100
    assert diagnostic["masque"] is False and float(diagnostic["note_globale"]) == 4.0
    assert diagnostic["questions"][0]["repartition"] == [0, 0, 0, 5, 0]
    ardennes_body = client.get("/api/v1/questionnaires/results", headers=ardennes_token).json()
    hidden = next(item for item in ardennes_body if item["etape"] == "apres_diagnostic")
    assert hidden["masque"] is True and hidden["note_globale"] is None and hidden["questions"] == []
    only = client.get("/api/v1/questionnaires/results", {"etape": "sortie"}, headers=ft_token).json()
    assert [item["etape"] for item in only] == ["sortie"]
    bad = client.get("/api/v1/questionnaires/results", {"du": "hier"}, headers=ft_token)
    assert bad.status_code == 422 and bad.json()["erreurs"][0]["champ"] == "du"
    assert client.get("/api/v1/questionnaires/results").status_code == 401


def test_a_token_without_territory_is_refused(client, national_token):
    response = client.get("/api/v1/questionnaires/results", headers=national_token)
    assert response.status_code == 403


def test_invitation_status_of_a_followed_person_without_the_answers(
    client, ft_token, ardennes_token, departement_nord, camille, gestionnaire
):
    item, _ = invitation(camille)
    services.answer_questionnaire(invitation=item, answers=all_answers(value=2), comment="Privé")
    url = f"/api/v1/questionnaires/people/{camille.public_id}/invitations"
    response = client.get(url, headers=ft_token)
    assert response.status_code == 200
    (row,) = response.json()
    assert row["etape"] == "apres_diagnostic" and row["repondu"] is True and row["canal"] == "email"
    assert "score" not in row and "Privé" not in response.content.decode()
    assert AccessLog.objects.filter(person=camille, via_api=True, what="Questionnaires par l'API").exists()
    assert client.get(url, headers=ardennes_token).status_code == 404
    unfollowed = PersonFactory(territory=camille.territory, birth_name="Inconnu")
    assert (
        client.get(f"/api/v1/questionnaires/people/{unfollowed.public_id}/invitations", headers=ft_token).status_code
        == 404
    )


def test_the_endpoints_are_documented(client_as, conseiller):  # the API docs need a login
    paths = client_as(conseiller).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/questionnaires/results" in paths
    assert "/api/v1/questionnaires/people/{person_id}/invitations" in paths
    parameters = {parameter["name"] for parameter in paths["/api/v1/questionnaires/results"]["get"]["parameters"]}
    assert parameters == {"etape", "du", "au"}
