"""Every evaluation view × every persona, with the exact status expected."""

import pytest
from django.urls import reverse

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
