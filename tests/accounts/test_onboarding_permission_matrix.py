"""Imports and invitation follow-up views × every persona, with the exact outcome expected."""

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.accounts.enums import EmailStatus, ImportKind, Role
from spie.accounts.models import AccountImport, Invitation, Membership, hash_secret
from spie.core.staging import seal
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


def row(default, **overrides):
    return {persona: overrides.get(persona, default) for persona in PERSONAS} | {
        "anonymous": overrides.get("anonymous", 302)
    }


GET_VIEWS = {
    "import_organisations": row(403, coordinator=200, admin_national=200),
    "import_professionals": row(403, coordinator=200, admin_national=200),
    "invitations": row(403, gestionnaire=200, coordinator=200, admin_national=200),
}
POST_VIEWS = {
    "invitation_resend": row(403, gestionnaire=302, coordinator=302, admin_national=302, other_territory=404),
    "invitations_resend_failed": row(403, gestionnaire=302, coordinator=302, admin_national=302),
}
IMPORT_DETAIL = row(404, coordinator=200)
IMPORT_DETAIL_URL = "accounts:import_detail"


@pytest.fixture
def invitation(ft_lille):
    return Invitation.objects.create(
        email="x@ft-lille.fr",
        organisation=ft_lille,
        role=Role.CONSEILLER,
        token_hash=hash_secret("x"),
        expires_at=timezone.now() + timezone.timedelta(days=7),
        email_status=EmailStatus.SENT,
    )


@pytest.mark.parametrize(
    ("view", "persona", "expected"),
    [(view, persona, expected[persona]) for view, expected in GET_VIEWS.items() for persona in PERSONAS],
    indirect=["persona"],
)
def test_get_views(view, persona, expected, client_as, ft_lille, departement_nord, ml_ardennes, ministere):
    assert client_as(persona).get(reverse(f"accounts:{view}")).status_code == expected


@pytest.mark.parametrize(
    ("view", "persona", "expected"),
    [(view, persona, expected[persona]) for view, expected in POST_VIEWS.items() for persona in PERSONAS],
    indirect=["persona"],
)
def test_post_views(view, persona, expected, client_as, invitation, departement_nord, ml_ardennes, ministere):
    args = [invitation.public_id] if view == "invitation_resend" else []
    assert client_as(persona).post(reverse(f"accounts:{view}", args=args)).status_code == expected


@pytest.mark.parametrize(("persona", "expected"), list(IMPORT_DETAIL.items()), indirect=["persona"])
def test_an_import_is_seen_only_by_its_sender(
    persona, expected, client_as, coordinator, ft_lille, ml_ardennes, ministere
):
    account_import = AccountImport.objects.create(
        kind=ImportKind.ORGANISATIONS,
        territory=ft_lille.territory,
        membership=Membership.objects.get(user=coordinator),
        filename="s.csv",
        content=seal(b"siret;nom;type\n"),
    )
    url = reverse(IMPORT_DETAIL_URL, args=[account_import.public_id])
    assert client_as(persona).get(url).status_code == expected


COVERED_URL_NAMES = url_names("accounts", GET_VIEWS, POST_VIEWS, [IMPORT_DETAIL_URL])
