"""Shared data through the API × every kind of caller: referentials and the list of territories
are open to every token; structures are those of the token's territory (its own for a structure
without territory), anything else is unknown (404)."""

import pytest

from tests.matrix import API_CALLERS, api_headers, api_mismatches, api_operations, api_row

EVERY_TOKEN = api_row(200)
ENDPOINTS = {
    ("get", "/referentials/themes"): EVERY_TOKEN,
    ("get", "/referentials/situations"): EVERY_TOKEN,
    ("get", "/referentials/objectives"): EVERY_TOKEN,
    ("get", "/referentials/actions"): EVERY_TOKEN,
    ("get", "/referentials/rome?q=plombier"): EVERY_TOKEN,
    ("get", "/referentials/communes?q=lille"): EVERY_TOKEN,
    # The official list of SPIE territories, their perimeter and budget, is public information.
    ("get", "/territories"): EVERY_TOKEN,
    ("get", "/territories/{nord}"): EVERY_TOKEN,
    ("get", "/territories/inconnu"): api_row(404),
    ("get", "/organisations"): EVERY_TOKEN,
    ("get", "/organisations/{ft_lille}"): api_row(200, ml_ardennes=404, ministere=404),
    ("get", "/organisations/{ministere}"): api_row(404, ministere=200),
}


@pytest.mark.parametrize("caller", API_CALLERS)
def test_shared_data_api(
    caller, client, referentials, nord, ft_lille, departement_nord, ml_ardennes, ministere, request
):
    headers = api_headers(request, caller)
    objects = {"nord": nord.code, "ft_lille": ft_lille.public_id, "ministere": ministere.public_id}
    wrong = api_mismatches(client, ENDPOINTS, objects, caller, headers)
    assert not wrong, wrong


COVERED_API_OPERATIONS = api_operations("/api/v1", ENDPOINTS)
