"""Every evaluation view × every persona, with the exact status expected."""

import pytest
from django.urls import reverse

from tests.matrix import api_operations, url_names

PERSONAS = [
    "anonymous",
    "conseiller",
    "other_structure",
    "orientation_officer",
    "gestionnaire",
    "coordinator",
    "other_territory",
    "admin_national",
]
ALL = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302}
READERS = dict.fromkeys(PERSONAS, 403) | {
    "anonymous": 302,
    "gestionnaire": 200,
    "coordinator": 200,
    "admin_national": 200,
}
NATIONAL = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "admin_national": 200}

VIEWS = {
    ("indicators", None, ""): READERS,
    ("indicators", None, "?territoire=08"): READERS,  # ignored outside the national scope
    ("export", None, ""): READERS,
    ("national", None, ""): NATIONAL,
    ("national", None, "?format=csv"): NATIONAL,
    ("definitions", None, ""): ALL,
    ("definition", "delai_orientation", ""): ALL,
}
CASES = [
    (name, arg, query, persona, expected[persona])
    for (name, arg, query), expected in VIEWS.items()
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "arg", "query", "persona", "expected"), CASES, indirect=["persona"])
def test_evaluation_views(client_as, persona, ardennes, name, arg, query, expected):
    url = reverse(f"evaluation:{name}", args=[arg] if arg else [])
    response = client_as(persona).get(url + query)
    assert response.status_code == expected


def test_a_coordinator_cannot_read_another_territory(client_as, coordinator, ardennes):
    page = client_as(coordinator).get(reverse("evaluation:indicators") + "?territoire=08").content.decode()
    assert "Indicateurs — Nord" in page and "Ardennes" not in page


API_PATHS = ("/api/v1/evaluation/indicators", "/api/v1/evaluation/definitions")
TOKENS = {
    # token's structure -> (query, expected status)
    "ft_lille": [("", 200), ("?territoire=59", 200), ("?territoire=08", 404)],
    "ml_ardennes": [("", 200), ("?territoire=59", 404)],
    "ministere": [("", 200), ("?territoire=59", 200), ("?territoire=inconnu", 404)],
}
TOKEN_CASES = [(organisation, query, expected) for organisation, rows in TOKENS.items() for query, expected in rows]


@pytest.mark.parametrize(("organisation", "query", "expected"), TOKEN_CASES)
def test_evaluation_api(client, request, nord, organisation, query, expected):
    from spie.accounts import services as account_services
    from spie.accounts.actors import Actor
    from tests.accounts.factories import MembershipFactory, UserFactory

    structure = request.getfixturevalue(organisation)
    membership = MembershipFactory(user=UserFactory(), organisation=structure, role="gestionnaire")
    raw = account_services.create_api_token(
        organisation=structure, name="Logiciel", by=Actor(user=membership.user, membership=membership)
    )[1]
    headers = {"Authorization": f"Bearer {raw}"}
    for path in API_PATHS:
        assert client.get(path).status_code == 401
    assert client.get("/api/v1/evaluation/definitions", headers=headers).status_code == 200
    assert client.get("/api/v1/evaluation/indicators" + query, headers=headers).status_code == expected


COVERED_URL_NAMES = url_names("evaluation", (name for name, _, _ in VIEWS))
COVERED_API_OPERATIONS = api_operations("", (("GET", path) for path in API_PATHS))
