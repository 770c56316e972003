"""The follow-up team's own routes (leaving, sensitive access, join requests) and the import
preview × every relation to the person, with the exact status expected.

`conseiller` is Camille's referent, `other_structure` (team_member) holds the other active seat,
`colleague` (France Travail Lille, outside the team) asked to join."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spie.accounts.actors import Actor
from spie.people import services
from spie.people.models import FollowUpMember
from tests.matrix import url_names

from .test_permission_matrix import PERSONAS, only

MANAGERS = {"referent", "orientation_officer"}  # perms.can_manage_team

SEAT_VIEWS = {
    # (url name, seat, method) -> expected; the seat is the team member's or the referent's.
    ("leave", "member_seat", "get"): only(200, {"team_member", *MANAGERS}),
    ("leave", "referent_seat", "get"): only(200, MANAGERS),
    ("sensitive_access", "member_seat", "post"): only(302, MANAGERS),
    ("sensitive_access", "member_seat", "get"): only(405, set(PERSONAS), visible=()) | {"anonymous": 302},
}
REQUEST_VIEWS = {
    ("approve_request", "post"): only(302, MANAGERS),
    ("approve_request", "get"): only(405, set(PERSONAS), visible=()) | {"anonymous": 302},
    ("refuse_request", "get"): only(200, MANAGERS),
}
# The preview of an import belongs to the membership that uploaded it (here `gestionnaire`).
IMPORT_PREVIEW = dict.fromkeys(PERSONAS, 403) | {
    "anonymous": 302,
    "gestionnaire": 200,
    "orientation_officer": 404,
    "coordinator": 404,
}


@pytest.fixture
def seats(camille, conseiller, other_structure):
    active = FollowUpMember.objects.active().filter(person=camille)
    return {
        "member_seat": active.get(membership__user=other_structure).public_id,
        "referent_seat": active.get(membership__user=conseiller).public_id,
    }


@pytest.fixture
def join_request(camille, colleague):
    membership = colleague.memberships.get()
    return services.request_to_join(
        person=camille, message="Je la reçois aussi.", by=Actor(user=colleague, membership=membership)
    )


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_team_routes(persona, client_as, camille, seats, join_request, request):
    """One persona, every route in turn (one set of fixtures per persona keeps the matrix fast)."""
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    wrong = []
    for (name, seat, method), expected in SEAT_VIEWS.items():
        url = reverse(f"people:{name}", args=[camille.public_id, seats[seat]])
        status = getattr(client, method)(url, {"allowed": "oui"}).status_code
        if status != expected[who]:
            wrong.append(f"{method.upper()} {name} {seat}: {status}, expected {expected[who]}")
    for (name, method), expected in REQUEST_VIEWS.items():
        url = reverse(f"people:{name}", args=[camille.public_id, join_request.public_id])
        status = getattr(client, method)(url).status_code
        if status != expected[who]:
            wrong.append(f"{method.upper()} {name}: {status}, expected {expected[who]}")
    assert not wrong, wrong


@pytest.mark.parametrize(("persona", "status"), IMPORT_PREVIEW.items(), indirect=["persona"])
def test_import_preview(persona, status, client, client_as, gestionnaire, nord, camille):
    upload = SimpleUploadedFile("personnes.csv", b"nom;prenom;date_naissance\nDurand;L\xc3\xa9a;03/04/1991\n")
    client.force_login(gestionnaire)
    preview_url = client.post(reverse("people:import"), {"file": upload}).url
    assert preview_url.startswith("/personnes/import/")
    client.logout()
    assert client_as(persona).get(preview_url).status_code == status


COVERED_URL_NAMES = url_names(
    "people", (name for name, _, _ in SEAT_VIEWS), (name for name, _ in REQUEST_VIEWS), ["import_preview"]
)
