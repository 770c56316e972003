"""The rules of perms.py beyond the persona matrix: several managers of the organiser structure,
rating eligibility."""

import pytest

from spie.accounts.enums import Role
from spie.exchanges import perms, services
from tests.accounts.factories import MembershipFactory
from tests.exchanges.conftest import event_data
from tests.exchanges.factories import actor, past, register

pytestmark = pytest.mark.django_db


def test_every_manager_of_the_organiser_structure_and_the_coordinator_manage_the_event(
    gestionnaire, coordinator, conseiller, ft_lille
):
    event = services.publish_event(data=event_data(), by=actor(gestionnaire))
    second_manager = MembershipFactory(organisation=ft_lille, role=Role.GESTIONNAIRE)
    assert perms.can_manage_event(second_manager, event)
    assert perms.can_manage_event(coordinator.memberships.get(), event)
    assert not perms.can_manage_event(conseiller.memberships.get(), event)


def test_only_the_present_attendee_rates_once_after_the_event(event, coordinator, conseiller, gestionnaire):
    present, absent = register(event, conseiller), register(event, gestionnaire)
    mine = conseiller.memberships.get()
    assert not perms.can_rate_event(mine, present)
    past(event)
    marks = {str(present.public_id): True, str(absent.public_id): False}
    services.record_attendance(event=event, marks=marks, by=actor(coordinator))
    present.refresh_from_db()
    absent.refresh_from_db()
    assert perms.can_rate_event(mine, present)
    assert not perms.can_rate_event(gestionnaire.memberships.get(), present)
    assert not perms.can_rate_event(gestionnaire.memberships.get(), absent)
    services.rate_event(registration=present, rating=3, by=actor(conseiller))
    present.refresh_from_db()
    assert not perms.can_rate_event(mine, present)
