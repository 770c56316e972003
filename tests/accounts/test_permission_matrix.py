"""Every accounts view against every persona, with the exact outcome expected."""

import pytest
from django.urls import reverse

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from tests.matrix import url_names

PERSONAS = ["anonymous", "conseiller", "gestionnaire", "other_structure", "other_territory", "admin_national"]

# Views about France Travail Lille (the structure of `conseiller` and `gestionnaire`).
EXPECTED = {
    "organisation_detail": {
        "anonymous": 302,
        "conseiller": 200,
        "gestionnaire": 200,
        "other_structure": 200,
        "other_territory": 404,
        "admin_national": 200,
    },
    "organisation_members_csv": {
        "anonymous": 302,
        "conseiller": 200,
        "gestionnaire": 200,
        "other_structure": 200,
        "other_territory": 404,
        "admin_national": 200,
    },
    "invite": {
        "anonymous": 302,
        "conseiller": 403,
        "gestionnaire": 200,
        "other_structure": 403,
        "other_territory": 404,
        "admin_national": 200,
    },
    "api_tokens": {
        "anonymous": 302,
        "conseiller": 403,
        "gestionnaire": 200,
        "other_structure": 403,
        "other_territory": 404,
        "admin_national": 403,
    },
}

MEMBER_VIEWS = {
    "member_role": {
        "anonymous": 302,
        "conseiller": 403,
        "gestionnaire": 200,
        "other_structure": 403,
        "other_territory": 404,
        "admin_national": 200,
    },
    "member_deactivate": {
        "anonymous": 302,
        "conseiller": 403,
        "gestionnaire": 200,
        "other_structure": 403,
        "other_territory": 404,
        "admin_national": 200,
    },
}

GLOBAL_VIEWS = {
    "home": {p: (302 if p == "anonymous" else 200) for p in PERSONAS},
    "profile": {p: (302 if p == "anonymous" else 200) for p in PERSONAS},
    "audit_log": {
        "anonymous": 302,
        "conseiller": 403,
        "gestionnaire": 403,
        "other_structure": 403,
        "other_territory": 403,
        "admin_national": 200,
    },
}


def _cases(table):
    return [(view, persona, status) for view, row in table.items() for persona, status in row.items()]


@pytest.mark.parametrize(("view", "persona", "status"), _cases(EXPECTED), indirect=["persona"])
def test_organisation_views(view, persona, status, client_as, ft_lille, gestionnaire):
    response = client_as(persona).get(reverse(f"accounts:{view}", args=[ft_lille.public_id]))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("view", "persona", "status"), _cases(MEMBER_VIEWS), indirect=["persona"])
def test_member_views(view, persona, status, client_as, conseiller, gestionnaire):
    membership = Membership.objects.get(user=conseiller)
    response = client_as(persona).get(reverse(f"accounts:{view}", args=[membership.public_id]))
    assert response.status_code == status


@pytest.mark.parametrize(("view", "persona", "status"), _cases(GLOBAL_VIEWS), indirect=["persona"])
def test_global_views(view, persona, status, client_as):
    response = client_as(persona).get(reverse(f"accounts:{view}"))
    assert response.status_code == status


PUBLIC_PAGES = ["accounts:login", "accounts:password_reset", "core:accessibility", "core:legal_notice"]


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_public_pages_need_no_login(client, url_name, db):
    assert client.get(reverse(url_name)).status_code == 200


def test_coordinator_sees_structures_of_the_territory_but_cannot_manage(client_as, coordinator, ft_lille):
    client = client_as(coordinator)
    assert client.get(reverse("accounts:organisation_detail", args=[ft_lille.public_id])).status_code == 200
    assert client.get(reverse("accounts:invite", args=[ft_lille.public_id])).status_code == 403


def test_role_is_that_of_the_current_membership(client_as, conseiller, departement_nord):
    Membership.objects.create(user=conseiller, organisation=departement_nord, role=Role.GESTIONNAIRE)
    client = client_as(conseiller)
    invite_url = reverse("accounts:invite", args=[departement_nord.public_id])
    # The first membership in alphabetical order is current: Département du Nord (gestionnaire).
    assert client.get(invite_url).status_code == 200
    ft_membership = Membership.objects.get(user=conseiller, role=Role.CONSEILLER)
    client.post(reverse("accounts:switch_membership"), {"membership": ft_membership.public_id})
    assert client.get(invite_url).status_code == 403


COVERED_URL_NAMES = url_names("accounts", EXPECTED, MEMBER_VIEWS, GLOBAL_VIEWS, PUBLIC_PAGES)
