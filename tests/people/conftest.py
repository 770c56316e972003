import datetime

import pytest

from spie.accounts.enums import Role
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.people.factories import PersonFactory, seat, valid_nir


@pytest.fixture
def colleague(ft_lille):
    """A counsellor of the referent's structure who is not in the team."""
    return MembershipFactory(
        user=UserFactory(email="collegue@ft-lille.fr"), organisation=ft_lille, role=Role.CONSEILLER
    ).user


@pytest.fixture
def former_member(departement_nord):
    return MembershipFactory(
        user=UserFactory(email="ancien@nord.fr"), organisation=departement_nord, role=Role.CONSEILLER
    ).user


@pytest.fixture
def camille(nord, conseiller, other_structure, former_member):
    """Camille, followed in Nord: `conseiller` is her referent, `other_structure` a member."""
    person = PersonFactory(territory=nord, nir=valid_nir())
    seat(person, conseiller, is_referent=True, sensitive=True)
    seat(person, other_structure)
    seat(person, former_member, ended_on=datetime.date(2026, 1, 1), end_reason="left")
    return person


@pytest.fixture
def referent(conseiller):
    return conseiller


@pytest.fixture
def team_member(other_structure):
    return other_structure
