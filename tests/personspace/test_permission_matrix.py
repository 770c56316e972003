"""Every page and endpoint of the person's space × every persona, with the exact status expected.

The space belongs to the person alone: no professional reaches it (they are sent to the space's
login page), and a person never reaches another person's data (404)."""

import pytest
from django.urls import reverse

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.people import services as people_services
from spie.personspace.login import open_api_session
from spie.personspace.models import ContactChange
from tests.diagnostics.helpers import actor
from tests.matrix import api_operations, url_names

PROFESSIONALS = [
    "referent",
    "team_member",
    "colleague",
    "other_territory",
    "orientation_officer",
    "coordinator",
    "gestionnaire",
    "admin_national",
]
VISITORS = ["anonymous", *PROFESSIONALS, "the_person", "another_person"]

# Everybody but the person is sent to the space's login page.
PAGE = dict.fromkeys(VISITORS, 302) | {"the_person": 200, "another_person": 200}
OWN_OBJECT = PAGE | {"another_person": 404}
ACTION = dict.fromkeys(VISITORS, 302) | {"another_person": 404}

SPACE = {
    # (url name, object key, method) -> expected
    ("home", None, "get"): PAGE,
    ("appointments", None, "get"): PAGE,
    ("contract", None, "get"): PAGE,
    ("referrals", None, "get"): PAGE,
    ("immersions", None, "get"): PAGE,
    ("access_log", None, "get"): PAGE,
    ("consent", None, "get"): PAGE,
    ("data", None, "get"): PAGE,
    ("download_data", None, "get"): PAGE,
    ("move_appointment", "appointment", "get"): OWN_OBJECT,
    ("confirm_appointment", "appointment", "post"): ACTION,
    ("approve_contract", "contract", "post"): ACTION,
    # Login pages are open to all; the code page needs a request first, an unknown link is unknown.
    ("login", None, "get"): dict.fromkeys(VISITORS, 200) | {"the_person": 302, "another_person": 302},
    ("code", None, "get"): dict.fromkeys(VISITORS, 302),
    ("link", "unknown_link", "get"): dict.fromkeys(VISITORS, 404),
}

PERSON_FILE = dict.fromkeys(VISITORS, 404) | {
    "anonymous": 302,
    "the_person": 302,
    "another_person": 302,
    "referent": 200,
    "team_member": 200,
    "orientation_officer": 403,
}
FILE = {
    ("file_tab", "person", "get"): PERSON_FILE,
    ("invite", "person", "post"): PERSON_FILE | {"referent": 302, "team_member": 302},
    # Only the referent confirms a change of the person's contact (the team member made it).
    ("confirm_contact", "contact_change", "post"): PERSON_FILE | {"referent": 302, "team_member": 403},
}
# Last, as it ends the person's session.
LAST = {("logout", None, "post"): dict.fromkeys(VISITORS, 302)}


@pytest.fixture
def visitor(request, client, camille, dominique):
    """Indirect parametrisation: a professional persona, nobody, or a person signed in to their space."""
    from tests.personspace.conftest import sign_in

    name = request.param
    if name == "the_person":
        return sign_in(client, camille)
    if name == "another_person":
        return sign_in(client, dominique)
    if name != "anonymous":
        client.force_login(request.getfixturevalue(name))
    return client


@pytest.fixture
def contact_change(camille, team_member, committed):
    with committed():
        people_services.update_person(
            person=camille, changes={"email": "nouvelle.adresse@exemple.fr"}, by=actor(team_member)
        )
    return ContactChange.objects.get(person=camille)


@pytest.fixture
def objects(camille, rdv, draft_contract, contact_change):
    return {
        "appointment": rdv.public_id,
        "contract": draft_contract.public_id,
        "person": camille.public_id,
        "contact_change": contact_change.public_id,
        "unknown_link": "inconnu",
    }


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
def test_person_space_views(visitor, objects, request):
    """One visitor, every view in turn (one set of fixtures per visitor keeps the matrix fast)."""
    who = request.node.callspec.params["visitor"]
    wrong = []
    for (name, key, method), expected in (SPACE | FILE | LAST).items():
        args = [objects["person"], objects[key]] if name == "confirm_contact" else [objects[key]] if key else []
        url = reverse(f"personspace:{name}", args=args)
        data = {"channel": "email"} if name == "invite" else {}
        status = getattr(visitor, method)(url, data).status_code
        if status != expected[who]:
            wrong.append(f"{method.upper()} {name}: {status}, expected {expected[who]}")
    assert not wrong, wrong


def test_a_professional_is_sent_to_the_space_login_never_into_the_space(client_as, referent, camille):
    response = client_as(referent).get(reverse("personspace:home"))
    assert response.url == reverse("personspace:login")


def test_a_person_signed_in_to_their_space_reaches_no_professional_page(client, camille):
    from tests.personspace.conftest import sign_in

    response = sign_in(client, camille).get(reverse("people:detail", args=[camille.public_id]))
    assert response.status_code == 302 and "/connexion/" in response.url and "/mon-espace/" not in response.url


# API -----------------------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/pathway", None),
    ("get", "/appointments", None),
    ("post", "/appointments/{appointment}/confirm", None),
    ("post", "/appointments/{appointment}/move", {"message": "Je suis en formation ce jour-là."}),
    ("get", "/contract", None),
    ("post", "/contract/{contract}/approve", None),
    ("get", "/referrals", None),
    ("get", "/immersions", None),
    ("get", "/access-log", None),
    ("get", "/consent", None),
    ("post", "/consent", {"consentement_partage": False}),
    ("get", "/data", None),
    ("post", "/logout", None),
]
OWN = {"/appointments/{appointment}/confirm", "/appointments/{appointment}/move", "/contract/{contract}/approve"}
API_CALLERS = ["no_token", "structure_token", "expired_token", "the_person", "another_person"]


@pytest.fixture
def bearer(request, camille, dominique, gestionnaire, ft_lille):
    name = request.param
    if name == "no_token":
        return {}
    if name == "structure_token":
        actor = Actor(user=gestionnaire, membership=Membership.objects.get(user=gestionnaire))
        raw = account_services.create_api_token(organisation=ft_lille, name="Logiciel", by=actor)[1]
    elif name == "expired_token":
        session, raw = open_api_session(camille)
        session.expires_at = session.created_at
        session.save(update_fields=["expires_at"])
    else:
        raw = open_api_session(camille if name == "the_person" else dominique)[1]
    return {"Authorization": f"Bearer {raw}"}


def _expected(path, caller):
    if caller in ("no_token", "structure_token", "expired_token"):
        return 401
    if path in OWN and caller == "another_person":
        return 404
    if path == "/contract" and caller == "another_person":
        return 404  # her own contract, which she does not have yet
    if path == "/logout":
        return 204
    return 200


@pytest.mark.parametrize("bearer", API_CALLERS, indirect=True)
def test_person_api(client, bearer, objects, request):
    """One caller, every endpoint in turn (logout last)."""
    caller = request.node.callspec.params["bearer"]
    wrong = []
    for method, path, body in ENDPOINTS:
        url = "/api/v1/me" + path.format(**objects)
        if method == "get":
            response = client.get(url, headers=bearer)
        else:
            response = client.post(url, body or {}, content_type="application/json", headers=bearer)
        if response.status_code != _expected(path, caller):
            wrong.append(f"{method.upper()} {path}: {response.status_code}, expected {_expected(path, caller)}")
    assert not wrong, wrong


LOGIN_ENDPOINTS = ["/login/request", "/login/verify"]


@pytest.mark.parametrize("path", LOGIN_ENDPOINTS)
def test_the_login_endpoints_need_no_token(client, db, path):
    body = {"identifiant": "personne@exemple.fr", "code": "123456"}
    response = client.post("/api/v1/me" + path, body, content_type="application/json")
    assert response.status_code == (202 if path == "/login/request" else 400)


COVERED_URL_NAMES = url_names("personspace", (name for name, _, _ in SPACE | FILE | LAST))
COVERED_API_OPERATIONS = api_operations(
    "/api/v1/me", ((method, path) for method, path, _ in ENDPOINTS), (("post", path) for path in LOGIN_ENDPOINTS)
)
