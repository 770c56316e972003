"""Session, invitation, password and API-token routes × every persona, with the exact outcome
expected. Public pages answer everyone alike; the rest follow the current membership."""

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.accounts import services
from spie.accounts.enums import EmailStatus, Role
from spie.accounts.models import Invitation, hash_secret
from tests.matrix import url_names

PERSONAS = [
    "anonymous",
    "conseiller",
    "gestionnaire",
    "other_structure",
    "coordinator",
    "orientation_officer",
    "other_territory",
    "admin_national",
]
EVERYONE = dict.fromkeys(PERSONAS, 200)
SIGNED_IN_REDIRECT = dict.fromkeys(PERSONAS, 302)
NOT_ALLOWED = dict.fromkeys(PERSONAS, 405) | {"anonymous": 302}

ROUTES = {
    # (url name, object key, method) -> expected
    ("core:privacy", None, "get"): EVERYONE,
    ("password_reset_done", None, "get"): EVERYONE,
    ("password_reset_complete", None, "get"): EVERYONE,
    # A wrong or expired link shows the "link no longer valid" page, to everyone alike.
    ("password_reset_confirm", "reset_link", "get"): EVERYONE,
    ("invitation_accept", "invitation_token", "get"): EVERYONE,
    ("invitation_accept", "unknown_token", "get"): dict.fromkeys(PERSONAS, 404),
    # Everyone signed in is sent to their own structure's page.
    ("my_organisation", None, "get"): SIGNED_IN_REDIRECT,
    # One chooses among one's own memberships only: an unknown one is refused with a message.
    ("switch_membership", None, "post"): SIGNED_IN_REDIRECT,
    ("switch_membership", None, "get"): NOT_ALLOWED,
    # Revoking a token of France Travail Lille: its manager only; other territories do not see it.
    ("api_token_revoke", "token", "post"): dict.fromkeys(PERSONAS, 403)
    | {"anonymous": 302, "gestionnaire": 302, "other_territory": 404},
    ("api_token_revoke", "token", "get"): NOT_ALLOWED,
    # Last, as it ends the session.
    ("logout", None, "get"): NOT_ALLOWED,
    ("logout", None, "post"): SIGNED_IN_REDIRECT,
}


@pytest.fixture
def objects(ft_lille, gestionnaire, ml_ardennes, ministere):
    token = services.create_api_token(organisation=ft_lille, name="Logiciel métier", by=None)[0]
    Invitation.objects.create(
        email="nouvelle@ft-lille.fr",
        organisation=ft_lille,
        role=Role.CONSEILLER,
        token_hash=hash_secret("jeton-invitation"),
        expires_at=timezone.now() + timezone.timedelta(days=7),
        email_status=EmailStatus.SENT,
    )
    return {
        "token": [ft_lille.public_id, token.public_id],
        "reset_link": ["MQ", "mauvais-jeton"],
        "invitation_token": ["jeton-invitation"],
        "unknown_token": ["inconnu"],
    }


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_session_and_public_routes(persona, client_as, objects, request):
    """One persona, every route in turn (one set of fixtures per persona keeps the matrix fast)."""
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    wrong = []
    for (name, object_key, method), expected in ROUTES.items():
        url = reverse(name if ":" in name else f"accounts:{name}", args=objects[object_key] if object_key else [])
        response = getattr(client, method)(url)
        if response.status_code != expected[who]:
            wrong.append(f"{method.upper()} {name} {object_key}: {response.status_code}, expected {expected[who]}")
        if name == "my_organisation" and persona is not None:
            organisation = persona.memberships.get().organisation
            assert response.url == reverse("accounts:organisation_detail", args=[organisation.public_id])
    assert not wrong, wrong


COVERED_URL_NAMES = url_names("accounts", (name for name, _, _ in ROUTES))
