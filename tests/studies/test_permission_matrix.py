"""Every studies view and API endpoint × every persona, with the exact status expected."""

import pytest
from django.urls import reverse

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from tests.matrix import api_operations, url_names
from tests.studies.factories import evaluation, study

PERSONAS = [
    "anonymous",
    "conseiller",
    "gestionnaire",
    "other_structure",
    "orientation_officer",
    "coordinator",
    "other_territory",
    "admin_national",
]
NORD = ["conseiller", "gestionnaire", "other_structure", "orientation_officer", "coordinator"]


def row(ok, allowed, *, outside=404):
    """`ok` for the allowed personas, 403 for the other professionals of the Nord and national
    administrators, `outside` for the other territory, and the login page for anonymous visitors."""
    result = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "other_territory": outside}
    return result | dict.fromkeys(allowed, ok)


TERRITORY_READ = row(200, [*NORD, "admin_national"])
COORDINATOR_ONLY = row(200, ["coordinator"])
NATIONAL_ONLY = row(200, ["admin_national"], outside=403)

VIEWS = {
    # (method, url name, object key) -> expected
    ("get", "territory_evaluations", "territory"): TERRITORY_READ,
    ("get", "evaluation_create", "territory"): COORDINATOR_ONLY,
    ("get", "evaluation_detail", "published"): TERRITORY_READ,
    ("get", "evaluation_detail", "draft"): row(200, ["coordinator", "admin_national"]),
    ("get", "evaluation_edit", "draft"): COORDINATOR_ONLY,
    ("post", "evaluation_publish", "draft"): row(302, ["coordinator"]),
    ("post", "evaluation_unpublish", "published"): row(302, ["coordinator"]),
    ("get", "national_evaluations", None): NATIONAL_ONLY,
    ("get", "studies", None): NATIONAL_ONLY,
    ("get", "study_create", None): NATIONAL_ONLY,
    ("get", "study_detail", "study"): NATIONAL_ONLY,
    ("post", "study_extract", "study"): NATIONAL_ONLY,
}


@pytest.fixture
def objects(nord):
    return {
        "territory": nord.code,
        "published": evaluation(nord, 2024, published=True).public_id,
        "draft": evaluation(nord, 2025).public_id,
        "study": study(nord).public_id,
    }


CASES = [
    (method, name, key, persona, expected[persona])
    for (method, name, key), expected in VIEWS.items()
    for persona in PERSONAS
]


@pytest.mark.parametrize(("method", "name", "key", "persona", "expected"), CASES, indirect=["persona"])
def test_studies_views(client_as, persona, objects, method, name, key, expected):
    args = [objects[key]] if key else []
    response = getattr(client_as(persona), method)(reverse(f"studies:{name}", args=args))
    assert response.status_code == expected


@pytest.mark.parametrize(
    "name", ["evaluation_publish", "evaluation_unpublish", "study_extract"], ids=lambda name: f"{name}-GET"
)
def test_writes_refuse_get(client_as, coordinator, admin_national, objects, name):
    key = "study" if name == "study_extract" else "draft"
    user = admin_national if name == "study_extract" else coordinator
    assert client_as(user).get(reverse(f"studies:{name}", args=[objects[key]])).status_code == 405


def test_the_coordinator_of_another_territory_cannot_write_here(client_as, ml_ardennes, objects):
    from spie.accounts.enums import Role
    from tests.accounts.factories import MembershipFactory, UserFactory

    ardennes_coordinator = MembershipFactory(
        user=UserFactory(email="coordination@ardennes.fr"), organisation=ml_ardennes, role=Role.COORDINATEUR
    ).user
    client = client_as(ardennes_coordinator)
    assert client.get(reverse("studies:territory_evaluations", args=["59"])).status_code == 404
    assert client.get(reverse("studies:evaluation_edit", args=[objects["draft"]])).status_code == 404
    assert client.post(reverse("studies:evaluation_publish", args=[objects["draft"]])).status_code == 404


def test_main_menu_entries(coordinator, admin_national, conseiller, ml_ardennes):
    from django.apps import apps

    config = apps.get_app_config("studies")
    assert config.main_menu(admin_national.memberships.get()) == [(88, "Études", reverse("studies:studies"))]
    assert config.main_menu(coordinator.memberships.get()) == [
        (88, "Évaluation participative", reverse("studies:territory_evaluations", args=["59"]))
    ]
    assert config.main_menu(conseiller.memberships.get()) == []
    assert config.main_menu(None) == []


# API -------------------------------------------------------------------------------------


def _token(user, organisation):
    membership = Membership.objects.get(user=user)
    actor = Actor(user=user, membership=membership)
    raw = account_services.create_api_token(organisation=organisation, name="Logiciel", by=actor)[1]
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def tokens(gestionnaire, ft_lille, other_territory, ml_ardennes, ministere, admin_national):
    from spie.accounts.enums import Role
    from tests.accounts.factories import MembershipFactory, UserFactory

    ardennes_manager = MembershipFactory(
        user=UserFactory(email="gestion@ml-ardennes.fr"), organisation=ml_ardennes, role=Role.GESTIONNAIRE
    ).user
    ministry_manager = MembershipFactory(
        user=UserFactory(email="gestion@dgefp.fr"), organisation=ministere, role=Role.GESTIONNAIRE
    ).user
    return {
        "none": {},
        "nord": _token(gestionnaire, ft_lille),
        "ardennes": _token(ardennes_manager, ml_ardennes),
        "national": _token(ministry_manager, ministere),
    }


API = {
    # (path, object key) -> expected per token
    ("/api/v1/studies/evaluations", None): {"none": 401, "nord": 200, "ardennes": 200, "national": 403},
    ("/api/v1/studies/evaluations/{}", "published"): {"none": 401, "nord": 200, "ardennes": 404, "national": 403},
    ("/api/v1/studies/evaluations/{}", "draft"): {"none": 401, "nord": 404, "ardennes": 404, "national": 403},
}
API_CASES = [(path, key, token, expected[token]) for (path, key), expected in API.items() for token in expected]


@pytest.mark.parametrize(("path", "key", "token", "expected"), API_CASES)
def test_studies_api(client, tokens, objects, path, key, token, expected):
    url = path.format(objects[key]) if key else path
    assert client.get(url, headers=tokens[token]).status_code == expected


COVERED_URL_NAMES = url_names("studies", (name for _, name, _ in VIEWS))
COVERED_API_OPERATIONS = api_operations("", (("GET", path.format("{id}")) for path, _ in API))
