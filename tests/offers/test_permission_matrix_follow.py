"""Following a referral, the answer link, proposals, imports and duplicates × every persona.

Camille (referent `conseiller`, team member `other_structure`) is referred to a service of
Mission locale de Lille (`receiver`); `other_structure` (Département du Nord, like the
orientation officer and the coordinator) proposed a new offer."""

import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from spie.accounts.actors import Actor
from spie.offers import services
from spie.offers.models import DuplicateCandidate
from tests.matrix import url_names
from tests.offers.factories import make_offer, make_structure

from .test_permission_matrix import PERSONAS, row

NOT_ALLOWED = row(405)
ANSWER = row(404, referent=403, team_member=403, receiver=302)
FOLLOW = row(404, referent=302, team_member=302, receiver=302)
DEPARTEMENT_NORD = {"team_member", "orientation_officer", "coordinator"}

ROUTES = {
    # (url name, object key, method) -> expected
    ("referral_refuse", "referral", "post"): ANSWER,
    ("referral_refuse", "referral", "get"): NOT_ALLOWED,
    ("referral_start", "referral", "post"): FOLLOW,
    ("referral_end", "referral", "post"): FOLLOW,
    ("referral_end", "referral", "get"): NOT_ALLOWED,
    # Linking to an action of the contract is the team's: the receiving structure sees no contract.
    ("referral_link", "referral", "post"): row(404, referent=302, team_member=302, receiver=403),
    # The e-mailed link is the credential: it answers whoever holds it, and nothing else.
    ("referral_answer", "answer_token", "get"): dict.fromkeys(PERSONAS, 200),
    ("referral_answer", "unknown_token", "get"): dict.fromkeys(PERSONAS, 404),
    # Only the structure that carries the service says it is up to date.
    ("offer_confirm", "own_offer", "post"): row(403, gestionnaire=302),
    ("offer_confirm", "own_offer", "get"): NOT_ALLOWED,
    # Proposals are designed by the whole territory; the coordinator steers them.
    ("proposal_detail", "proposal", "get"): row(200, other_territory=404, admin_national=403),
    ("proposal_comment", "proposal", "post"): row(403, other_territory=404) | dict.fromkeys(DEPARTEMENT_NORD, 302),
    ("proposal_move", "proposal", "post"): row(403, other_territory=404, coordinator=302),
    ("proposal_move", "proposal", "get"): NOT_ALLOWED,
    # An import preview belongs to the membership that uploaded it (the coordinator).
    ("import_preview", "import", "get"): row(403, coordinator=200, admin_national=404),
    ("duplicate_decide", "duplicate", "post"): row(403, coordinator=302, admin_national=302),
    ("duplicate_decide", "duplicate", "get"): NOT_ALLOWED,
}


@pytest.fixture
def objects(
    camille, conseiller, other_structure, coordinator, gestionnaire, receiver, platform_offer, email_offer, nord
):
    by = Actor(user=conseiller, membership=conseiller.memberships.get())
    referral = services.refer_person(person=camille, offer=platform_offer, message="Mobilité.", by=by)[0]
    answer_token = services.refer_person(person=camille, offer=email_offer, message="Logement.", by=by)[1]
    member = other_structure.memberships.get()
    proposal = services.propose_offer(
        data={"title": "Repair café", "need": "…", "public": "Tous"}, by=Actor(user=other_structure, membership=member)
    )
    content = io.BytesIO(json.dumps({"structures": [], "services": []}).encode())
    content.name = "dora.json"
    uploader = Client()
    uploader.force_login(coordinator)
    preview_url = uploader.post(reverse("offers:import"), {"file": content, "source": "dora"}).url
    first = make_offer(name="Épicerie solidaire", address="3 rue Solférino")
    second = make_offer(name="Épicerie solidaire", address="3 rue Solférino", source="cd59")
    duplicate = DuplicateCandidate.objects.create(territory=nord, reason="nom_adresse", offer_a=first, offer_b=second)
    return {
        "referral": referral.public_id,
        "answer_token": answer_token,
        "unknown_token": "inconnu",
        "own_offer": make_offer(
            structure=make_structure(organisation=gestionnaire.memberships.get().organisation)
        ).public_id,
        "proposal": proposal.public_id,
        "import": preview_url.rstrip("/").split("/")[-1],
        "duplicate": duplicate.public_id,
    }


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_offers_follow_up_routes(persona, client_as, objects, request):
    """One persona, every route in turn (one set of fixtures per persona keeps the matrix fast)."""
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    wrong = []
    for (name, key, method), expected in ROUTES.items():
        status = getattr(client, method)(reverse(f"offers:{name}", args=[objects[key]])).status_code
        if status != expected[who]:
            wrong.append(f"{method.upper()} {name}: {status}, expected {expected[who]}")
    assert not wrong, wrong


COVERED_URL_NAMES = url_names("offers", (name for name, _, _ in ROUTES))
