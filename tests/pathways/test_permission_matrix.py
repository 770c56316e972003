"""Every orientation view × every relation to the person, with the exact status expected.
`conseiller` is the referent (and, in `oriented`, named by the decision)."""

import pytest
from django.urls import reverse

from spie.pathways import services_orientation
from tests.diagnostics.helpers import actor
from tests.diagnostics.test_permission_matrix import PERSONAS, row
from tests.matrix import url_names

OFFICER_ONLY = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "orientation_officer": 200}
GLOBAL_VIEWS = {
    "pathways:queue": OFFICER_ONLY,
    "pathways:reorientations": OFFICER_ONLY,
    "pathways:referents": OFFICER_ONLY,
}
PERSON_VIEWS = {
    "pathways:orientation": row(200, {"referent", "team_member", "orientation_officer"}),
    "pathways:decide": row(200, {"orientation_officer"}),
    "pathways:request_reorientation": row(200, {"referent"}),
}


def _cases(table):
    return [(view, persona, status) for view, statuses in table.items() for persona, status in statuses.items()]


@pytest.mark.parametrize(("view", "persona", "status"), _cases(GLOBAL_VIEWS), indirect=["persona"])
def test_global_views(view, persona, status, client_as, camille):
    assert client_as(persona).get(reverse(view)).status_code == status


@pytest.mark.parametrize(("view", "persona", "status"), _cases(PERSON_VIEWS), indirect=["persona"])
def test_person_views(view, persona, status, client_as, oriented, camille):
    assert client_as(persona).get(reverse(view, args=[camille.public_id])).status_code == status


@pytest.fixture
def pending(oriented, camille, conseiller):
    return services_orientation.request_reorientation(person=camille, reason="Motif", by=actor(conseiller))


REQUEST_VIEWS = {
    "pathways:accept_reorientation": row(200, {"orientation_officer"}),
    "pathways:refuse_reorientation": row(200, {"orientation_officer"}),
}


@pytest.mark.parametrize(("view", "persona", "status"), _cases(REQUEST_VIEWS), indirect=["persona"])
def test_request_views(view, persona, status, client_as, pending, camille):
    assert client_as(persona).get(reverse(view, args=[camille.public_id, pending.public_id])).status_code == status


CANCEL_URL = "pathways:cancel_reorientation"


@pytest.mark.parametrize(("persona", "status"), row(302, {"referent"}).items(), indirect=["persona"])
def test_cancel_is_for_the_requester(persona, status, client_as, pending, camille):
    url = reverse(CANCEL_URL, args=[camille.public_id, pending.public_id])
    assert client_as(persona).post(url).status_code == status


COVERED_URL_NAMES = url_names("pathways", GLOBAL_VIEWS, PERSON_VIEWS, REQUEST_VIEWS, [CANCEL_URL])
