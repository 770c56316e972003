"""Bulk assignment and caseload hand-over × every persona (predicates in spie.people.bulk)."""

import pytest
from django.urls import reverse

from spie.accounts.models import Membership
from spie.people.bulk import can_bulk_assign, can_hand_over_caseload
from tests.matrix import url_names

PERSONAS = [
    "anonymous",
    "referent",
    "team_member",
    "colleague",
    "other_territory",
    "orientation_officer",
    "coordinator",
    "gestionnaire",
    "admin_national",
]
BULK_ASSIGN = {
    "anonymous": 302,
    "referent": 403,
    "team_member": 403,
    "colleague": 403,
    "other_territory": 403,
    "orientation_officer": 200,
    "coordinator": 200,
    "gestionnaire": 403,
    "admin_national": 403,
}
BULK_ASSIGN_URL, HAND_OVER_URL = "people:bulk_assign", "people:bulk_hand_over"
# Hand-over of the caseload of `referent` (a counsellor of France Travail Lille).
HAND_OVER = {
    "anonymous": 302,
    "referent": 403,
    "team_member": 403,
    "colleague": 403,
    "other_territory": 404,
    "orientation_officer": 200,
    "coordinator": 200,
    "gestionnaire": 200,
    "admin_national": 403,
}


@pytest.mark.parametrize(("persona", "expected"), list(BULK_ASSIGN.items()), indirect=["persona"])
def test_bulk_assign(persona, expected, client_as, camille, ml_ardennes, ministere):
    assert client_as(persona).get(reverse(BULK_ASSIGN_URL)).status_code == expected


@pytest.mark.parametrize(("persona", "expected"), list(HAND_OVER.items()), indirect=["persona"])
def test_hand_over(persona, expected, client_as, camille, referent, gestionnaire, ml_ardennes, ministere):
    url = reverse(HAND_OVER_URL, args=[Membership.objects.get(user=referent).public_id])
    assert client_as(persona).get(url).status_code == expected
    assert client_as(persona).post(url, {}).status_code == (200 if expected == 200 else expected)


def test_predicates_state_their_rule_in_french():
    for predicate in (can_bulk_assign, can_hand_over_caseload):
        assert "professionnel" in predicate.__doc__ or "référent" in predicate.__doc__


COVERED_URL_NAMES = url_names("people", [BULK_ASSIGN_URL, HAND_OVER_URL])
