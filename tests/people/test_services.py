import pytest

from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.core.errors import DomainError
from spie.people import services


def _actor(user):
    return Actor(user=user, membership=Membership.objects.get(user=user))


def test_assign_referent_seats_the_professional_and_keeps_the_previous_one(camille, conseiller, colleague):
    seat = services.assign_referent(person=camille, membership=colleague.memberships.get(), by=_actor(conseiller))
    camille.refresh_from_db()
    assert seat.is_referent
    assert camille.referent.membership.user == colleague
    assert any(s.membership.user == conseiller and not s.is_referent for s in camille.active_team)


def test_add_team_member_refuses_another_territory(camille, conseiller, other_territory):
    with pytest.raises(DomainError, match="territoire"):
        services.add_team_member(person=camille, membership=other_territory.memberships.get(), by=_actor(conseiller))


def test_oriented_person_keeps_a_referent(camille, conseiller):

    from django.utils import timezone

    services.assign_referent(
        person=camille, membership=conseiller.memberships.get(), by=_actor(conseiller), oriented_at=timezone.now()
    )
    camille.refresh_from_db()
    for seat in camille.active_team:
        if not seat.is_referent:
            services.leave_team(seat=seat, by=_actor(conseiller))
    camille.__dict__.pop("active_team", None)
    with pytest.raises(DomainError, match="Transmettez d'abord"):
        services.leave_team(seat=camille.referent, by=_actor(conseiller))
