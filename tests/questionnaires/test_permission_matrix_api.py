"""The questionnaires API × every kind of caller, with the exact status expected: results are the
territory's (aggregated), a person's invitations only for a structure of her follow-up team."""

import pytest

from tests.matrix import API_CALLERS, api_headers, api_mismatches, api_operations, api_row
from tests.questionnaires.factories import invitation

ENDPOINTS = {
    ("get", "/questionnaires/results"): api_row(200, ministere=403),
    ("get", "/questionnaires/people/{person}/invitations"): api_row(
        404, ft_lille=200, departement_nord=200, ministere=403
    ),
}


@pytest.mark.parametrize("caller", API_CALLERS)
def test_questionnaires_api(caller, client, camille, departement_nord, ml_ardennes, ministere, request):
    invitation(camille)
    headers = api_headers(request, caller)
    wrong = api_mismatches(client, ENDPOINTS, {"person": camille.public_id}, caller, headers)
    assert not wrong, wrong


COVERED_API_OPERATIONS = api_operations("/api/v1", ENDPOINTS)
