import pytest

from spie.accounts import services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership


@pytest.fixture
def token(gestionnaire, ft_lille):
    actor = Actor(user=gestionnaire, membership=Membership.objects.get(user=gestionnaire))
    _, raw = services.create_api_token(organisation=ft_lille, name="test", by=actor)
    return raw


@pytest.fixture
def api(client, token):
    def get(path, **params):
        return client.get(f"/api/v1/referentials/{path}", params, headers={"Authorization": f"Bearer {token}"})

    return get


@pytest.mark.parametrize("path", ["themes", "situations", "objectives", "actions", "rome", "communes"])
def test_a_token_is_required(client, referentials, path):
    response = client.get(f"/api/v1/referentials/{path}")
    assert response.status_code == 401
    assert response.json() == {"message": "Jeton d'API absent, invalide ou révoqué."}


def test_themes_and_items_of_the_current_version(api, referentials):
    themes = api("themes").json()
    assert themes == [
        {
            "code": "logement",
            "libelle": "Logement",
            "famille": "social",
            "famille_libelle": "Social",
            "ordre": 1,
        },
        {
            "code": "emploi",
            "libelle": "Emploi",
            "famille": "professionnel",
            "famille_libelle": "Professionnel",
            "ordre": 2,
        },
    ]
    situations = api("situations", theme="logement").json()
    assert [s["code"] for s in situations] == ["logement.s01", "logement.s02"]
    assert situations[1] == {
        "code": "logement.s02",
        "libelle": "Hébergé chez un tiers",
        "theme": "logement",
        "ordre": 2,
    }
    assert [o["code"] for o in api("objectives").json()] == ["logement.o01", "logement.o02"]
    assert [a["code"] for a in api("actions", theme="emploi", version="2024").json()] == ["emploi.a01"]


def test_unknown_version_or_theme_is_a_french_400(api, referentials):
    response = api("themes", version="1999")
    assert response.status_code == 400
    assert response.json() == {"message": "Version du référentiel inconnue : « 1999 ».", "champ": "version"}
    response = api("actions", theme="sante")
    assert response.status_code == 400
    assert response.json()["champ"] == "theme"
    assert "Thème inconnu" in response.json()["message"]


def test_no_version_loaded_is_a_400_not_a_500(api, db):
    response = api("themes")
    assert response.status_code == 400
    assert response.json()["message"] == "Aucune version du référentiel n'est en vigueur."


def test_rome_search_is_paginated(api, referentials):
    body = api("rome", q="assistant").json()
    assert body["count"] == 2
    assert body["items"][0] == {
        "code": "K1302",
        "libelle": "Assistant / Assistante de vie dépendance",
        "domaine_professionnel": "K13",
        "domaine_professionnel_libelle": "Aide à la vie quotidienne",
        "grand_domaine": "K",
    }
    page = api("rome", limit=1, offset=1).json()
    assert page["count"] == 4
    assert [job["code"] for job in page["items"]] == ["K1302"]


def test_communes_search(api, referentials):
    body = api("communes", q="saint-etienne").json()
    assert body == {
        "count": 1,
        "items": [
            {
                "code_insee": "42218",
                "nom": "Saint-Étienne",
                "codes_postaux": ["42000", "42100", "42230"],
                "departement": "42",
                "epci": "244200770",
                "population": 173136,
                "latitude": 45.4302,
                "longitude": 4.37863,
            }
        ],
    }
    assert [c["code_insee"] for c in api("communes", q="5935").json()["items"]] == ["59527"]
    assert [c["code_insee"] for c in api("communes", departement="59").json()["items"]] == [
        "59350",
        "59527",
        "59009",
    ]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("communes", {"limit": "abc"}),
        ("communes", {"limit": 0}),
        ("rome", {"offset": -1}),
        ("rome", {"q": "x" * 101}),
    ],
)
def test_bad_input_is_a_french_json_error(api, referentials, path, params):
    response = api(path, **params)
    assert response.status_code == 422
    assert response.json()["message"] == "Certaines données envoyées ne sont pas valables."


def test_lists_run_a_bounded_number_of_queries(api, referentials, django_assert_max_num_queries):
    for path in ("communes", "rome", "situations", "themes"):
        with django_assert_max_num_queries(6):
            assert api(path, limit=100).status_code == 200
