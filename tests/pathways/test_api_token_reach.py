"""A token's reach (issue 15): never more than the web gives its structure's counsellors, unless
the territory's coordinator gave it the orientation scope, with a reason."""

import pytest

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.enums import ApiTokenScope, OrganisationType, Role
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory

from .test_api import _auth, _orientation_token, _token

RESOURCES = ["pathway", "contracts", "appointments", "reviews", "employment"]


@pytest.fixture
def association_with_an_officer(nord):
    """An association of Nord that does not follow Camille but where someone holds, from before the
    rule, the orientation officer's role."""
    association = OrganisationFactory(name="Association Tremplin", type=OrganisationType.ASSOCIATION, territory=nord)
    manager = MembershipFactory(
        user=UserFactory(email="direction@tremplin.fr"), organisation=association, role=Role.GESTIONNAIRE
    ).user
    MembershipFactory(
        user=UserFactory(email="orientation@tremplin.fr"), organisation=association, role=Role.CHARGE_ORIENTATION
    )
    return association, manager


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_officer_in_the_structure_does_not_widen_its_token(
    client, pathway, camille, association_with_an_officer, resource
):
    association, manager = association_with_an_officer
    headers = _auth(_token(manager, association))
    url = f"/api/v1/pathways/people/{camille.public_id}/{resource}"
    assert client.get(url, headers=headers).status_code == 404


def test_a_structure_token_of_the_departement_reads_only_what_it_follows(
    client, pathway, camille, departement_nord, orientation_officer, nord
):
    """The Département has an orientation officer: its manager's token still reads only the people
    the Département follows, not a person of the territory it does not follow."""
    from tests.people.factories import PersonFactory

    manager = MembershipFactory(
        user=UserFactory(email="direction@nord.fr"), organisation=departement_nord, role=Role.GESTIONNAIRE
    ).user
    headers = _auth(_token(manager, departement_nord))
    stranger = PersonFactory(territory=nord, birth_name="Zola")
    assert client.get("/api/v1/pathways/orientation/queue", headers=headers).status_code == 403
    url = f"/api/v1/pathways/orientation/people/{stranger.public_id}/decisions"
    assert client.get(url, headers=headers).status_code == 404
    followed = f"/api/v1/pathways/orientation/people/{camille.public_id}/decisions"
    assert client.get(followed, headers=headers).status_code == 200


def test_the_orientation_scope_reaches_the_territory(client, pathway, camille, departement_nord, coordinator):
    headers = _auth(_orientation_token(coordinator, departement_nord))
    assert client.get("/api/v1/pathways/orientation/queue", headers=headers).status_code == 200
    url = f"/api/v1/pathways/orientation/people/{camille.public_id}/decisions"
    assert client.get(url, headers=headers).status_code == 200


def test_only_the_coordinator_gives_the_orientation_scope(departement_nord, orientation_officer, coordinator):
    officer = orientation_officer.memberships.get()
    with pytest.raises(DomainError):
        account_services.create_api_token(
            organisation=departement_nord,
            name="Logiciel",
            by=Actor(user=orientation_officer, membership=officer),
            scope=ApiTokenScope.ORIENTATION,
            reason="Essai",
        )
    with pytest.raises(DomainError):
        account_services.create_api_token(
            organisation=departement_nord, name="Logiciel", by=None, scope=ApiTokenScope.ORIENTATION, reason="Essai"
        )
    token, _ = account_services.create_api_token(
        organisation=departement_nord,
        name="Logiciel",
        by=Actor(user=coordinator, membership=coordinator.memberships.get()),
        scope=ApiTokenScope.ORIENTATION,
        reason="Logiciel d'orientation du Département",
    )
    assert token.scope == ApiTokenScope.ORIENTATION
    event = AuditEvent.objects.get(action="accounts.api_token.created")
    assert event.data == {"name": "Logiciel", "scope": "orientation"}
    assert "Département" not in str(event.data)
