"""Removing an objective or an action from a draft contract × every relation to the person.
`conseiller` is Camille's referent, the only one who writes the plan."""

import pytest
from django.urls import reverse

from tests.diagnostics.test_permission_matrix import PERSONAS, row
from tests.matrix import url_names

from .helpers import plan

NOT_ALLOWED = dict.fromkeys(PERSONAS, 405) | {"anonymous": 302}
ROUTES = {
    # (url name, method) -> expected
    # The action first: removing the objective removes its actions.
    ("remove_action", "post"): row(302, {"referent"}),
    ("remove_action", "get"): NOT_ALLOWED,
    ("remove_objective", "post"): row(302, {"referent"}),
    ("remove_objective", "get"): NOT_ALLOWED,
}


@pytest.fixture
def contract(pathway_referential, pathway, conseiller):
    return plan(pathway, conseiller)


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_plan_removals(persona, client_as, contract, camille, request):
    """One persona, every route in turn (one set of fixtures per persona keeps the matrix fast)."""
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    objective = contract.objectives.first()
    items = {"remove_objective": objective, "remove_action": objective.actions.first()}
    wrong = []
    for (name, method), expected in ROUTES.items():
        url = reverse(f"pathways:{name}", args=[camille.public_id, contract.public_id, items[name].public_id])
        status = getattr(client, method)(url).status_code
        if status != expected[who]:
            wrong.append(f"{method.upper()} {name}: {status}, expected {expected[who]}")
    assert not wrong, wrong


COVERED_URL_NAMES = url_names("pathways", (name for name, _ in ROUTES))
