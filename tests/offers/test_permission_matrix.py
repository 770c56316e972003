"""Every offers view × every persona, with the exact status expected."""

import pytest
from django.urls import reverse

from spie.accounts.actors import Actor
from spie.offers import services
from tests.matrix import url_names
from tests.offers.factories import make_offer

PERSONAS = [
    "anonymous",
    "referent",
    "team_member",
    "colleague",
    "other_territory",
    "orientation_officer",
    "coordinator",
    "gestionnaire",
    "receiver",
    "admin_national",
]


def row(default, **overrides):
    return dict.fromkeys(PERSONAS, default) | {"anonymous": 302} | overrides


TERRITORY = row(200, admin_national=403)
GLOBAL_VIEWS = {
    "search": row(200),
    "manage": row(403, gestionnaire=200),
    "offer_create": row(403, gestionnaire=200),
    "export_json": TERRITORY,
    "export_csv": TERRITORY,
    "import": row(403, coordinator=200, admin_national=200),
    "duplicates": row(403, coordinator=200, admin_national=200),
    "inbox": TERRITORY,
    "proposals": TERRITORY,
    "proposal_create": TERRITORY,
}

# The person's file: the team (and the orientation officer) only; referring needs a seat.
FILE = row(404, referent=200, team_member=200, orientation_officer=200)
PERSON_VIEWS = {
    "person_referrals": FILE,
    "person_suggestions": FILE,
    "refer": row(404, referent=200, team_member=200, orientation_officer=403),
}

# A referral: the receiving structure and the person's team; nobody else even knows it exists.
REFERRAL = row(404, referent=200, team_member=200, receiver=200)
REFERRAL_URL = "offers:referral_detail"


@pytest.fixture
def gestionnaire_offer(vocabularies, places, gestionnaire, ft_lille):
    from tests.offers.factories import make_structure

    return make_offer(structure=make_structure(organisation=ft_lille), name="Atelier de France Travail")


@pytest.fixture
def referral(camille, conseiller, platform_offer):
    return services.refer_person(
        person=camille,
        offer=platform_offer,
        message="Besoin d'un accompagnement mobilité.",
        by=Actor(user=conseiller, membership=conseiller.memberships.get()),
    )[0]


def _cases(table):
    return [(view, persona, status) for view, row_ in table.items() for persona, status in row_.items()]


@pytest.mark.parametrize(("view", "persona", "status"), _cases(GLOBAL_VIEWS), indirect=["persona"])
def test_global_views(view, persona, status, client_as, vocabularies, camille, receiver):
    assert client_as(persona).get(reverse(f"offers:{view}")).status_code == status


@pytest.mark.parametrize(("view", "persona", "status"), _cases(PERSON_VIEWS), indirect=["persona"])
def test_person_views(view, persona, status, client_as, camille, platform_offer):
    args = [camille.public_id] + ([platform_offer.public_id] if view == "refer" else [])
    assert client_as(persona).get(reverse(f"offers:{view}", args=args)).status_code == status


@pytest.mark.parametrize(("persona", "status"), REFERRAL.items(), indirect=["persona"])
def test_referral_detail(persona, status, client_as, referral):
    assert client_as(persona).get(reverse(REFERRAL_URL, args=[referral.public_id])).status_code == status


ANSWER = row(404, referent=403, team_member=403, receiver=302)
FOLLOW = row(404, referent=302, team_member=302, receiver=302)
ACCEPT_URL, ABANDON_URL = "offers:referral_accept", "offers:referral_abandon"


@pytest.mark.parametrize(("persona", "status"), ANSWER.items(), indirect=["persona"])
def test_only_the_receiving_structure_answers(persona, status, client_as, referral):
    response = client_as(persona).post(reverse(ACCEPT_URL, args=[referral.public_id]))
    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), FOLLOW.items(), indirect=["persona"])
def test_receiving_structure_or_team_follow_the_referral(persona, status, client_as, referral):
    response = client_as(persona).post(reverse(ABANDON_URL, args=[referral.public_id]))
    assert response.status_code == status


EDIT = row(403, gestionnaire=200)
EDIT_URL, SERVICE_URL = "offers:offer_edit", "offers:detail"


@pytest.mark.parametrize(("persona", "status"), EDIT.items(), indirect=["persona"])
def test_a_structure_only_edits_its_own_services(persona, status, client_as, gestionnaire_offer, receiver):
    assert client_as(persona).get(reverse(EDIT_URL, args=[gestionnaire_offer.public_id])).status_code == status


def test_a_manager_of_another_structure_cannot_edit(client_as, platform_offer, gestionnaire):
    assert client_as(gestionnaire).get(reverse("offers:offer_edit", args=[platform_offer.public_id])).status_code == 403


@pytest.mark.parametrize(("persona", "status"), row(200).items(), indirect=["persona"])
def test_service_page(persona, status, client_as, platform_offer, camille):
    assert client_as(persona).get(reverse(SERVICE_URL, args=[platform_offer.public_id])).status_code == status


COVERED_URL_NAMES = url_names(
    "offers", GLOBAL_VIEWS, PERSON_VIEWS, [REFERRAL_URL, ACCEPT_URL, ABANDON_URL, EDIT_URL, SERVICE_URL]
)
