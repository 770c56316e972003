"""Every person view × every relation to the person, with the exact outcome expected."""

import pytest
from django.urls import reverse

from tests.matrix import url_names

PERSONAS = [
    "anonymous",
    "referent",
    "team_member",
    "former_member",
    "colleague",
    "other_territory",
    "orientation_officer",
    "coordinator",
    "gestionnaire",
    "admin_national",
]

FULL_FILE = {
    "anonymous": 302,
    "referent": 200,
    "team_member": 200,
    "former_member": 404,
    "colleague": 404,
    "other_territory": 404,
    "orientation_officer": 200,
    "coordinator": 404,
    "gestionnaire": 404,
    "admin_national": 404,
}


def only(status_for_allowed, allowed, *, visible=("referent", "team_member", "orientation_officer"), refused=403):
    """Allowed personas get `status_for_allowed`; others who see the file get `refused`; the rest 404."""
    row = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            row[persona] = 302
        elif persona in allowed:
            row[persona] = status_for_allowed
        elif persona in visible:
            row[persona] = refused
        else:
            row[persona] = 404
    return row


PERSON_VIEWS = {
    "detail": FULL_FILE,
    "team": FULL_FILE,
    "history": FULL_FILE,
    "edit": only(200, {"referent", "team_member"}),
    "access_log": only(200, {"referent"}),
    "export": only(200, {"referent"}),
    "export_json": only(200, {"referent"}),
    "hand_over": only(200, {"referent", "orientation_officer"}),
    "limited": {
        "anonymous": 302,
        "referent": 302,
        "team_member": 302,
        "former_member": 404,
        "colleague": 404,
        "other_territory": 404,
        "orientation_officer": 302,
        "coordinator": 404,
        "gestionnaire": 404,
        "admin_national": 404,
    },
}

TERRITORY_MEMBERS = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302, "admin_national": 403}
GLOBAL_VIEWS = {
    "caseload": TERRITORY_MEMBERS,
    "search": TERRITORY_MEMBERS,
    "create": TERRITORY_MEMBERS,
    "import": dict.fromkeys(PERSONAS, 403)
    | {"anonymous": 302, "orientation_officer": 200, "coordinator": 200, "gestionnaire": 200},
}


def _cases(table):
    return [(view, persona, status) for view, row in table.items() for persona, status in row.items()]


@pytest.mark.parametrize(("view", "persona", "status"), _cases(PERSON_VIEWS), indirect=["persona"])
def test_person_views(view, persona, status, client_as, camille):
    response = client_as(persona).get(reverse(f"people:{view}", args=[camille.public_id]))
    assert response.status_code == status


@pytest.mark.parametrize(("view", "persona", "status"), _cases(GLOBAL_VIEWS), indirect=["persona"])
def test_global_people_views(view, persona, status, client_as, camille):
    assert client_as(persona).get(reverse(f"people:{view}")).status_code == status


POST_VIEWS = {
    "consent": only(302, {"referent", "team_member"}),
    "ask_to_join": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302},
}


@pytest.mark.parametrize(("view", "persona", "status"), _cases(POST_VIEWS), indirect=["persona"])
def test_person_post_views(view, persona, status, client_as, camille):
    response = client_as(persona).post(reverse(f"people:{view}", args=[camille.public_id]), {"given": "oui"})
    assert response.status_code == status


@pytest.mark.parametrize("persona", ["colleague", "coordinator", "gestionnaire", "former_member"], indirect=True)
def test_exact_search_opens_the_limited_view_only(persona, client_as, camille):
    client = client_as(persona)
    client.get(reverse("people:search"), {"last_name": "MARTIN", "first_name": "camille", "birth_date": "1985-05-14"})
    limited = client.get(reverse("people:limited", args=[camille.public_id]))
    assert limited.status_code == 200
    page = limited.content.decode()
    assert "Camille" in page and "France Travail Lille" in page
    assert camille.email not in page
    assert camille.address not in page
    assert client.get(reverse("people:detail", args=[camille.public_id])).status_code == 404


def test_search_from_another_territory_finds_nothing(client_as, other_territory, camille):
    client = client_as(other_territory)
    page = client.get(
        reverse("people:search"), {"last_name": "Martin", "first_name": "Camille", "birth_date": "1985-05-14"}
    ).content.decode()
    assert "Aucun dossier ne correspond" in page
    assert client.get(reverse("people:limited", args=[camille.public_id])).status_code == 404


COVERED_URL_NAMES = url_names("people", PERSON_VIEWS, GLOBAL_VIEWS, POST_VIEWS)
