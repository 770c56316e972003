"""Case reviews API: scoped like the pages, cases in the form the structure may see, reads logged,
decisions and actions by the coordinator's structure, actions done by their owner."""

import datetime

import pytest

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.enums import ApiTokenScope, Role
from spie.casereviews import services
from spie.casereviews.models import CaseAction
from spie.people.models import AccessLog
from tests.casereviews.helpers import full_case
from tests.diagnostics.helpers import actor

pytestmark = pytest.mark.django_db

CASES = "/api/v1/case-reviews/cases"


def _headers(user, organisation):
    """A token of `organisation`; the coordinator's structure gets the orientation scope (given by
    the coordinator), which lets it steer the territory's case reviews."""
    membership = user.memberships.get()
    scope = ApiTokenScope.ORIENTATION if membership.role == Role.COORDINATEUR else ApiTokenScope.STRUCTURE
    token = account_services.create_api_token(
        organisation=organisation,
        name="Logiciel",
        by=Actor(user=user, membership=membership),
        scope=scope,
        reason="Pilotage des instances",
    )[1]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def decided(body, camille, pathway, conseiller, coordinator, ft_lille):
    session, case = full_case(body, camille, conseiller, coordinator)
    action = services.add_action(
        case=case,
        title="Proposer une immersion",
        owner_organisation=ft_lille,
        due_on=case.discussed_on + datetime.timedelta(days=15),
        by=actor(coordinator),
    )
    return session, case, action


@pytest.fixture
def tokens(coordinator, departement_nord, gestionnaire, ft_lille, external, association, other_territory, ml_ardennes):
    return {
        "coordination": _headers(coordinator, departement_nord),
        "ft": _headers(gestionnaire, ft_lille),
        "association": _headers(external, association),
        "ardennes": _headers(other_territory, ml_ardennes),
    }


MATRIX = {
    # endpoint: {token: status}
    "/bodies": {"coordination": 200, "ft": 200, "association": 200, "ardennes": 200},
    "/bodies/{body}": {"coordination": 200, "ft": 200, "association": 200, "ardennes": 404},
    "/sessions": {"coordination": 200, "ft": 200, "association": 200, "ardennes": 200},
    "/sessions/{session}": {"coordination": 200, "ft": 200, "association": 200, "ardennes": 404},
    "/cases": {"coordination": 200, "ft": 200, "association": 200, "ardennes": 200},
    "/cases/{case}": {"coordination": 200, "ft": 200, "association": 200, "ardennes": 404},
    "/actions": {"coordination": 200, "ft": 200, "association": 200, "ardennes": 200},
}


def test_read_endpoints_by_token(client, decided, tokens, body):
    session, case, _ = decided
    ids = {"body": body.public_id, "session": session.public_id, "case": case.public_id}
    found = {}
    for path, expected in MATRIX.items():
        for token, status in expected.items():
            code = client.get(f"/api/v1/case-reviews{path.format(**ids)}", headers=tokens[token]).status_code
            if code != status:
                found[(path, token)] = code
    assert found == {}
    assert client.get(CASES).status_code == 401
    assert client.get(CASES, headers=tokens["ardennes"]).json()["count"] == 0


def test_cases_come_in_the_form_of_the_structure_and_each_read_is_logged(client, decided, tokens, camille):
    _, case, _ = decided
    named = client.get(f"{CASES}/{case.public_id}", headers=tokens["ft"]).json()
    assert named["forme"] == "nominative" and named["nom"] == camille.full_name
    assert named["personne"] == str(camille.public_id) and named["actions"][0]["action"] == "Proposer une immersion"
    pseudonymised = client.get(CASES, headers=tokens["association"]).json()["items"][0]
    assert pseudonymised["forme"] == "pseudonymisee" and pseudonymised["nom"] is None
    assert pseudonymised["initiales_ou_nom"] == "C. M." and pseudonymised["jours_avant_examen"] == 0
    logs = list(AccessLog.objects.filter(person=camille, via_api=True).values_list("what", flat=True))
    assert "Instance : situation (API)" in logs and "Instance : situation (API, forme pseudonymisée)" in logs


def test_only_the_coordinators_structure_records_decisions_and_actions(client, decided, tokens, ft_lille):
    _, case, _ = decided
    decision = {"type": "preconisation", "motivation": "Aide à la mobilité."}
    assert (
        client.post(
            f"{CASES}/{case.public_id}/decisions", decision, "application/json", headers=tokens["ft"]
        ).status_code
        == 403
    )
    response = client.post(
        f"{CASES}/{case.public_id}/decisions", decision, "application/json", headers=tokens["coordination"]
    )
    assert response.status_code == 201 and response.json()["decisions"][0]["type"] == "preconisation"
    bad = client.post(
        f"{CASES}/{case.public_id}/decisions",
        {"type": "avis_suspension", "motivation": "x"},
        "application/json",
        headers=tokens["coordination"],
    )
    assert bad.status_code == 400 and "Type de décision" in bad.json()["message"]
    action = {
        "action": "Rechercher une place en crèche",
        "structure": str(ft_lille.public_id),
        "echeance": str(case.discussed_on),
    }
    response = client.post(
        f"{CASES}/{case.public_id}/actions", action, "application/json", headers=tokens["coordination"]
    )
    assert response.status_code == 201 and len(response.json()["actions"]) == 2


def test_the_owner_structure_marks_its_action_done(client, decided, tokens):
    _, _, action = decided
    url = f"/api/v1/case-reviews/actions/{action.public_id}/done"
    assert client.post(url, {}, "application/json", headers=tokens["association"]).status_code == 404
    owned = client.get("/api/v1/case-reviews/actions", headers=tokens["ft"]).json()
    assert [item["id"] for item in owned["items"]] == [str(action.public_id)]
    response = client.post(url, {}, "application/json", headers=tokens["ft"])
    assert response.status_code == 200 and response.json()["statut"] == "realisee"
    assert response.json()["dans_les_delais"] is True
    assert CaseAction.objects.get(pk=action.pk).done_on is not None


def test_write_endpoints_by_token(client, decided, tokens, ft_lille):
    _, case, action = decided
    writes = {
        f"{CASES}/{case.public_id}/decisions": {"type": "preconisation", "motivation": "Mobilité."},
        f"{CASES}/{case.public_id}/actions": {
            "action": "Atelier numérique",
            "structure": str(ft_lille.public_id),
            "echeance": str(case.discussed_on),
        },
        f"/api/v1/case-reviews/actions/{action.public_id}/done": {},
    }
    expected = {
        "association": [403, 403, 404],
        "ardennes": [404, 404, 404],
        "ft": [403, 403, 200],
        "coordination": [201, 201, 400],
    }
    found = {
        token: [
            client.post(url, data, "application/json", headers=tokens[token]).status_code
            for url, data in writes.items()
        ]
        for token in expected
    }
    assert found == expected
