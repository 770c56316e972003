"""The case reviews API × every kind of caller, with the exact status expected.

The body's members come from France Travail Lille and an association; the Département du Nord is
the coordinator's structure (it manages the territory's bodies); France Travail Lille also follows
Camille and owns the action decided on her case."""

import datetime

import pytest

from spie.casereviews import services
from tests.casereviews.helpers import full_case
from tests.diagnostics.helpers import actor
from tests.matrix import API_CALLERS, api_headers, api_mismatches, api_operations, api_row

# The coordinator's structure coordinates through a token with the orientation scope only.
CALLERS = [*API_CALLERS, "association", "departement_nord_orientation"]
TERRITORY = api_row(200, ministere=403, association=200, departement_nord_orientation=200)
SEEN = api_row(
    404, ft_lille=200, departement_nord=200, association=200, ministere=403, departement_nord_orientation=200
)
COORDINATION = api_row(
    404, ft_lille=403, association=403, ministere=403, departement_nord=403, departement_nord_orientation=201
)

ENDPOINTS = {
    ("get", "/case-reviews/bodies"): TERRITORY,
    ("get", "/case-reviews/bodies/{body}"): SEEN,
    ("get", "/case-reviews/sessions"): TERRITORY,
    ("get", "/case-reviews/sessions/{session}"): SEEN,
    ("get", "/case-reviews/cases"): TERRITORY,
    ("get", "/case-reviews/cases/{case}"): SEEN,
    ("get", "/case-reviews/actions"): TERRITORY,
    ("post", "/case-reviews/cases/{case}/decisions"): COORDINATION,
    ("post", "/case-reviews/cases/{case}/actions"): COORDINATION,
    # The structure in charge of the action marks it done, or the coordinator's structure through its
    # orientation-scoped token.
    ("post", "/case-reviews/actions/{action}/done"): api_row(
        404, ft_lille=200, departement_nord=404, association=404, ministere=403, departement_nord_orientation=200
    ),
}
BODIES = {
    ("post", "/case-reviews/cases/{case}/decisions"): lambda o: {"type": "preconisation", "motivation": "Mobilité."},
    ("post", "/case-reviews/cases/{case}/actions"): lambda o: {
        "action": "Rechercher une place en crèche",
        "structure": o["ft_lille"],
        "echeance": o["due_on"],
    },
}


@pytest.fixture
def objects(body, camille, pathway, conseiller, coordinator, ft_lille):
    session, case = full_case(body, camille, conseiller, coordinator)
    action = services.add_action(
        case=case,
        title="Proposer une immersion",
        owner_organisation=ft_lille,
        due_on=case.discussed_on + datetime.timedelta(days=15),
        by=actor(coordinator),
    )
    return {
        "body": body.public_id,
        "session": session.public_id,
        "case": case.public_id,
        "action": action.public_id,
        "ft_lille": str(ft_lille.public_id),
        "due_on": str(case.discussed_on + datetime.timedelta(days=20)),
    }


@pytest.mark.parametrize("caller", CALLERS)
def test_casereviews_api(caller, client, objects, departement_nord, coordinator, ml_ardennes, ministere, request):
    headers = api_headers(request, caller)
    wrong = api_mismatches(client, ENDPOINTS, objects, caller, headers, BODIES)
    assert not wrong, wrong


COVERED_API_OPERATIONS = api_operations("/api/v1", ENDPOINTS)
