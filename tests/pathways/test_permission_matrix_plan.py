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
    ("remove_objective", "post"): row(302, {"referent"}),
    ("remove_objective", "get"): NOT_ALLOWED,
    ("remove_action", "post"): row(302, {"referent"}),
    ("remove_action", "get"): NOT_ALLOWED,
}


@pytest.fixture
def contract(pathway_referential, pathway, conseiller):
    return plan(pathway, conseiller)


@pytest.mark.parametrize(("key", "persona"), [(key, p) for key in ROUTES for p in PERSONAS], indirect=["persona"])
def test_plan_removals(key, persona, client_as, contract, camille, request):
    name, method = key
    objective = contract.objectives.first()
    item = objective if name == "remove_objective" else objective.actions.first()
    url = reverse(f"pathways:{name}", args=[camille.public_id, contract.public_id, item.public_id])
    expected = ROUTES[key][request.node.callspec.params["persona"]]
    assert getattr(client_as(persona), method)(url).status_code == expected


COVERED_URL_NAMES = url_names("pathways", (name for name, _ in ROUTES))
