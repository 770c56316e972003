"""Who may grant what (issue 15): every role-granting path, for every role × type of structure.

Paths: role change, invitation and its acceptance, import of professionals, the coordinator's
grant page, and an API token with the orientation scope. Each case asserts the HTTP status and
that nothing was written when the grant is refused.
"""

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from spie.accounts.enums import TERRITORIAL_ROLES, ApiTokenScope, OrganisationType, Role
from spie.accounts.models import AccountImport, ApiToken, Invitation, Membership, hash_secret
from spie.core.models import AuditEvent
from spie.core.staging import seal
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory

# persona -> (structure key, role)
PERSONAS = {
    "manager_company": ("entreprise", Role.GESTIONNAIRE),
    "manager_association": ("association", Role.GESTIONNAIRE),
    "manager_france_travail": ("france_travail", Role.GESTIONNAIRE),
    "manager_departement": ("departement", Role.GESTIONNAIRE),
    "coordinator": ("departement", Role.COORDINATEUR),
    "orientation_officer": ("departement", Role.CHARGE_ORIENTATION),
    "national_admin": ("ministere", Role.ADMIN_NATIONAL),
    "counsellor": ("france_travail", Role.CONSEILLER),
}
STRUCTURES = ["entreprise", "association", "france_travail", "departement"]
MANAGERS = {
    "manager_company": "entreprise",
    "manager_association": "association",
    "manager_france_travail": "france_travail",
    "manager_departement": "departement",
}


@pytest.fixture
def world(nord, ft_lille, departement_nord, ministere):
    organisations = {
        "entreprise": OrganisationFactory(name="Entreprise Dupont", type=OrganisationType.ENTREPRISE, territory=nord),
        "association": OrganisationFactory(
            name="Association Relais", type=OrganisationType.ASSOCIATION, territory=nord
        ),
        "france_travail": ft_lille,
        "departement": departement_nord,
        "ministere": ministere,
    }
    people = {
        name: MembershipFactory(
            user=UserFactory(email=f"{name}@exemple.fr"), organisation=organisations[key], role=role
        )
        for name, (key, role) in PERSONAS.items()
    }
    # A counsellor in each structure of the territory: the member a grant would promote.
    targets = {
        key: MembershipFactory(
            user=UserFactory(email=f"cible-{key}@exemple.fr"), organisation=organisations[key], role=Role.CONSEILLER
        )
        for key in STRUCTURES
    }
    # A second manager, so that a manager may change their own role without leaving none.
    for key in STRUCTURES:
        MembershipFactory(organisation=organisations[key], role=Role.GESTIONNAIRE)
    return {"organisations": organisations, "people": people, "targets": targets}


def _client(client, world, persona):
    client.force_login(world["people"][persona].user)
    return client


def _territorial_count():
    return Membership.objects.filter(role__in=TERRITORIAL_ROLES).count()


def _expected_grant(persona, structure, role):
    """The rule: the coordinator gives the orientation role, a national administrator both roles,
    only in the Département or France Travail (no designation here); never a structure manager."""
    if structure not in ("departement", "france_travail"):
        return False
    if role == Role.COORDINATEUR:
        return persona == "national_admin"
    return persona in ("national_admin", "coordinator")


CASES = [
    (persona, structure, role)
    for persona in PERSONAS
    for structure in STRUCTURES
    for role in (Role.CHARGE_ORIENTATION, Role.COORDINATEUR)
]


# --- Role change (the structure's member page) ------------------------------------------------------


def _role_change_status(persona, structure, role):
    manages = persona == "national_admin" or MANAGERS.get(persona) == structure
    if not manages:
        # Only the structure's manager or a national administrator reaches a member's role page.
        return 403
    return 302 if _expected_grant(persona, structure, role) else 200


@pytest.mark.parametrize(("persona", "structure", "role"), CASES)
def test_role_change(client, world, persona, structure, role):
    target = world["targets"][structure]
    before = _territorial_count()
    response = _client(client, world, persona).post(
        reverse("accounts:member_role", args=[target.public_id]), {"role": role, "reason": "Renfort du territoire"}
    )
    assert response.status_code == _role_change_status(persona, structure, role)
    target.refresh_from_db()
    if response.status_code == 302:
        assert target.role == role
        assert _territorial_count() == before + 1
    else:
        assert target.role == Role.CONSEILLER
        assert _territorial_count() == before
        assert not AuditEvent.objects.filter(action__startswith="accounts.membership").exists()


@pytest.mark.parametrize("persona", list(MANAGERS))
def test_a_manager_cannot_promote_themself(client, world, persona):
    own = world["people"][persona]
    response = _client(client, world, persona).post(
        reverse("accounts:member_role", args=[own.public_id]),
        {"role": Role.CHARGE_ORIENTATION, "reason": "Moi-même"},
    )
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.role == Role.GESTIONNAIRE


def test_a_manager_gives_the_structure_roles(client, world):
    target = world["targets"]["entreprise"]
    response = _client(client, world, "manager_company").post(
        reverse("accounts:member_role", args=[target.public_id]), {"role": Role.GESTIONNAIRE}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.GESTIONNAIRE


def test_a_manager_cannot_demote_the_orientation_officer_of_their_structure(client, world):
    officer = world["people"]["orientation_officer"]
    response = _client(client, world, "manager_departement").post(
        reverse("accounts:member_role", args=[officer.public_id]), {"role": Role.CONSEILLER}
    )
    assert response.status_code == 403
    officer.refresh_from_db()
    assert officer.role == Role.CHARGE_ORIENTATION


def test_a_territorial_role_needs_a_reason(client, world):
    target = world["targets"]["departement"]
    response = _client(client, world, "national_admin").post(
        reverse("accounts:member_role", args=[target.public_id]), {"role": Role.CHARGE_ORIENTATION, "reason": " "}
    )
    assert response.status_code == 200
    assert "motif" in response.content.decode()
    target.refresh_from_db()
    assert target.role == Role.CONSEILLER


# --- Invitation ---------------------------------------------------------------------------------


def _invite_status(persona, structure, role):
    manages = persona == "national_admin" or MANAGERS.get(persona) == structure
    if not manages:
        return 403
    return 302 if _expected_grant(persona, structure, role) else 200


@pytest.mark.parametrize(("persona", "structure", "role"), CASES)
def test_invitation(client, world, persona, structure, role):
    organisation = world["organisations"][structure]
    response = _client(client, world, persona).post(
        reverse("accounts:invite", args=[organisation.public_id]),
        {"email": "second-compte@exemple.fr", "role": role, "reason": "Renfort du territoire"},
    )
    assert response.status_code == _invite_status(persona, structure, role)
    written = Invitation.objects.filter(email="second-compte@exemple.fr")
    if response.status_code == 302:
        assert written.get().role == role
    else:
        assert not written.exists()


def _forged_invitation(organisation, role, invited_by, reason="Renfort"):
    """An invitation as the original code let a structure manager write it."""
    return Invitation.objects.create(
        email="second-compte@exemple.fr",
        organisation=organisation,
        role=role,
        grant_reason=reason,
        token_hash=hash_secret("jeton-de-test"),
        invited_by=invited_by,
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )


@pytest.mark.parametrize(("persona", "structure", "role"), CASES)
def test_invitation_acceptance(client, world, persona, structure, role):
    organisation = world["organisations"][structure]
    _forged_invitation(organisation, role, world["people"][persona].user)
    before = Membership.objects.count()
    response = client.post(
        reverse("accounts:invitation_accept", args=["jeton-de-test"]),
        {
            "first_name": "Inès",
            "last_name": "Moreau",
            "password1": "Un-mot-de-passe-2026!",
            "password2": "Un-mot-de-passe-2026!",
        },
    )
    if _expected_grant(persona, structure, role):
        assert response.status_code == 302
        assert Membership.objects.get(user__email="second-compte@exemple.fr").role == role
    else:
        assert response.status_code == 403
        assert "plus valable" in response.content.decode()
        assert Membership.objects.count() == before


def test_a_territorial_invitation_without_reason_grants_nothing(client, world):
    _forged_invitation(
        world["organisations"]["departement"], Role.CHARGE_ORIENTATION, world["people"]["coordinator"].user, reason=""
    )
    response = client.post(
        reverse("accounts:invitation_accept", args=["jeton-de-test"]),
        {
            "first_name": "I",
            "last_name": "M",
            "password1": "Un-mot-de-passe-2026!",
            "password2": "Un-mot-de-passe-2026!",
        },
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__email="second-compte@exemple.fr").exists()


# --- Import of professionals ----------------------------------------------------------------------


def _import_status(persona):
    return 200 if persona in ("coordinator", "national_admin") else 403


@pytest.mark.parametrize(("persona", "structure", "role"), CASES)
def test_import_of_professionals(client, world, nord, persona, structure, role):
    organisation = world["organisations"][structure]
    label = "chargé d'orientation" if role == Role.CHARGE_ORIENTATION else "coordinateur"
    content = (
        "email;nom;prenom;siret_structure;role;motif\n"
        f"second-compte@exemple.fr;Moreau;Inès;{organisation.siret};{label};Renfort du territoire\n"
    ).encode()
    client = _client(client, world, persona)
    account_import = AccountImport.objects.create(
        kind="professionals",
        territory=nord,
        membership=world["people"][persona],
        filename="pros.csv",
        content=seal(content),
    )
    url = reverse("accounts:import_detail", args=[account_import.public_id])
    assert client.get(url).status_code == _import_status(persona)
    response = client.post(url)
    assert response.status_code == (302 if _expected_grant(persona, structure, role) else _import_status(persona))
    written = Invitation.objects.filter(email="second-compte@exemple.fr")
    if _expected_grant(persona, structure, role):
        assert written.get().role == role
        assert written.get().grant_reason == "Renfort du territoire"
    else:
        assert not written.exists()


def test_import_upload_is_refused_to_structure_managers(client, world):
    for persona in MANAGERS:
        response = _client(client, world, persona).get(reverse("accounts:import_professionals"))
        assert response.status_code == 403


def test_import_role_change_to_a_territorial_role_needs_a_reason(world, nord):
    from spie.accounts.imports import plan_professionals

    target = world["targets"]["departement"]
    content = (
        "email;nom;prenom;siret_structure;role\n"
        f"{target.user.email};Nom;Prénom;{target.organisation.siret};chargé d'orientation\n"
    ).encode()
    report = plan_professionals(content, territory=nord, membership=world["people"]["coordinator"])
    assert report.results[0].rejected
    assert any("motif" in error for error in report.results[0].errors)


def test_import_from_the_command_line_gives_no_territorial_role(world, nord):
    from spie.accounts.imports import plan_professionals

    content = (
        "email;nom;prenom;siret_structure;role;motif\n"
        f"x@exemple.fr;Nom;Prénom;{world['organisations']['departement'].siret};chargé d'orientation;Renfort\n"
    ).encode()
    report = plan_professionals(content, territory=nord)
    assert report.results[0].rejected


def test_import_by_the_coordinator_changes_a_role_with_history_and_e_mail(world, nord):
    from spie.accounts.actors import Actor
    from spie.accounts.imports import apply_professionals, plan_professionals

    coordinator = world["people"]["coordinator"]
    target = world["targets"]["france_travail"]
    content = (
        "email;nom;prenom;siret_structure;role;motif\n"
        f"{target.user.email};Nom;Prénom;{target.organisation.siret};chargé d'orientation;Orientation FT\n"
    ).encode()
    report = plan_professionals(content, territory=nord, membership=coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        apply_professionals(report, territory=nord, by=Actor(user=coordinator.user, membership=coordinator))
    target.refresh_from_db()
    assert target.role == Role.CHARGE_ORIENTATION
    assert target.role_grant_reason == "Orientation FT" and target.role_granted_by == coordinator.user
    assert target.role_grants.get().reason == "Orientation FT"
    assert AuditEvent.objects.filter(action="accounts.membership.territorial_role_granted").count() == 1
    assert [m.to for m in mail.outbox if "import" in m.subject] == [[coordinator.user.email]]


# --- The coordinator's grant page -----------------------------------------------------------------


def _grant_page_status(persona, structure, role):
    if persona not in ("coordinator", "national_admin"):
        return 403
    if role == Role.COORDINATEUR and persona == "coordinator":
        return 200  # the role is not offered to the coordinator
    return 302 if _expected_grant(persona, structure, role) else 200


@pytest.mark.parametrize(("persona", "structure", "role"), CASES)
def test_grant_page(client, world, persona, structure, role):
    target = world["targets"][structure]
    suffix = "?territoire=59" if persona == "national_admin" else ""
    before = _territorial_count()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = _client(client, world, persona).post(
            reverse("accounts:territorial_role_grant") + suffix,
            {"membership": str(target.public_id), "role": role, "reason": "Renfort du territoire"},
        )
    assert response.status_code == _grant_page_status(persona, structure, role)
    target.refresh_from_db()
    if response.status_code == 302:
        assert target.role == role
        assert target.role_grant_reason == "Renfort du territoire"
        assert target.role_granted_by == world["people"][persona].user
        assert AuditEvent.objects.filter(
            action="accounts.membership.territorial_role_granted", target_id=target.public_id
        ).exists()
        coordinator_mail = [m for m in mail.outbox if "Rôle territorial donné" in m.subject]
        assert coordinator_mail and world["people"]["coordinator"].user.email in coordinator_mail[0].to
        assert "Renfort du territoire" in coordinator_mail[0].body
    else:
        assert target.role == Role.CONSEILLER
        assert _territorial_count() == before


def test_a_designated_type_may_then_hold_the_orientation_role(client, world, nord):
    from spie.territories.models import TerritorySettings

    TerritorySettings.objects.create(territory=nord, territorial_role_types=[OrganisationType.ASSOCIATION])
    target = world["targets"]["association"]
    response = _client(client, world, "coordinator").post(
        reverse("accounts:territorial_role_grant"),
        {"membership": str(target.public_id), "role": Role.CHARGE_ORIENTATION, "reason": "PLIE porteur"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.CHARGE_ORIENTATION


# --- API token with the orientation scope ---------------------------------------------------------


def _token_status(persona, structure):
    manages_tokens = MANAGERS.get(persona) == structure
    grants_scope = persona == "coordinator" and structure in ("departement", "france_travail")
    return 200 if manages_tokens or grants_scope else 403


@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize("structure", STRUCTURES)
def test_api_token_with_the_orientation_scope(client, world, persona, structure):
    organisation = world["organisations"][structure]
    response = _client(client, world, persona).post(
        reverse("accounts:api_tokens", args=[organisation.public_id]),
        {"name": "Logiciel", "scope": ApiTokenScope.ORIENTATION, "reason": "Logiciel d'orientation"},
    )
    assert response.status_code == _token_status(persona, structure)
    written = ApiToken.objects.filter(organisation=organisation, scope=ApiTokenScope.ORIENTATION)
    if persona == "coordinator" and structure in ("departement", "france_travail"):
        token = written.get()
        assert token.scope_reason == "Logiciel d'orientation"
        assert AuditEvent.objects.get(action="accounts.api_token.created").data["scope"] == "orientation"
    else:
        assert not written.exists()
        assert (
            not Membership.objects.filter(organisation=organisation, role__in=TERRITORIAL_ROLES)
            .exclude(pk__in=[p.pk for p in world["people"].values()])
            .exists()
        )


def test_the_orientation_scope_needs_a_reason(client, world):
    organisation = world["organisations"]["departement"]
    response = _client(client, world, "coordinator").post(
        reverse("accounts:api_tokens", args=[organisation.public_id]),
        {"name": "Logiciel", "scope": ApiTokenScope.ORIENTATION, "reason": ""},
    )
    assert response.status_code == 200
    assert "motif" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_no_api_endpoint_writes_memberships(world):
    """The API has no route that creates or changes a membership (the structures' routes only read):
    a token never grants a role."""
    from config.api import api

    paths = api.get_openapi_schema()["paths"]
    assert not [p for p in paths if any(word in p for word in ("membership", "member", "role", "professionnel"))]
    organisations = [p for p in paths if p.startswith("/api/v1/organisations")]
    assert organisations and all(set(paths[p]) == {"get"} for p in organisations)
