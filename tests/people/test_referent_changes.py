"""Every referent change tells the previous referent; nobody makes themself referent: they ask
(a join request to become referent), and someone else decides."""

import html

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.people import services
from spie.people.bulk import assign_referent_bulk, hand_over_caseload
from spie.people.enums import JoinRequestStatus
from spie.people.models import FollowUpMember, JoinRequest
from tests.people.factories import PersonFactory, seat

REPLACED = "vous n'êtes plus référent·e"


def _actor(user):
    return Actor(user=user, membership=user.memberships.get())


def _referent(person):
    return FollowUpMember.objects.get(person=person, is_referent=True, ended_on__isnull=True).membership.user


def _told_replaced(user):
    return [m for m in mail.outbox if m.to == [user.email] and REPLACED in m.subject]


@pytest.fixture
def followed(nord, conseiller):
    """Two people of Nord whose referent is `conseiller`."""
    people = [PersonFactory(territory=nord, birth_name=f"Suivi{i}") for i in range(2)]
    for person in people:
        seat(person, conseiller, is_referent=True)
    return people


# --- Self-assignment goes through a join request ---------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "orientation_officer"])
def test_choosing_oneself_in_bulk_sends_join_requests_instead(request, role, followed, conseiller):
    author = request.getfixturevalue(role)
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = assign_referent_bulk(people=followed, membership=author.memberships.get(), by=_actor(author))
    assert result.changed == 0 and result.requested == 2
    assert all(_referent(person) == conseiller for person in followed)
    assert not FollowUpMember.objects.filter(membership__user=author).exists()
    requests = JoinRequest.objects.filter(membership__user=author, status=JoinRequestStatus.PENDING)
    assert requests.count() == 2 and all(r.as_referent for r in requests)
    # The current referent is asked to decide.
    assert any(m.to == [conseiller.email] and "rejoindre" in m.subject for m in mail.outbox)


def test_choosing_oneself_on_the_bulk_page_becomes_a_request(client_as, coordinator, followed, conseiller):
    client = client_as(coordinator)
    response = client.post(
        reverse("people:bulk_assign"),
        {"personnes": [str(p.public_id) for p in followed], "referent": str(coordinator.memberships.get().public_id)},
        follow=True,
    )
    assert "Vous ne pouvez pas vous désigner vous-même" in html.unescape(response.content.decode())
    assert all(_referent(person) == conseiller for person in followed)


def test_an_approved_request_makes_the_requester_referent_and_tells_the_previous_one(coordinator, followed, conseiller):
    person = followed[0]
    assign_referent_bulk(people=[person], membership=coordinator.memberships.get(), by=_actor(coordinator))
    join_request = JoinRequest.objects.get(person=person)
    with pytest.raises(DomainError, match="propre demande"):
        services.approve_join_request(join_request=join_request, by=_actor(coordinator))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.approve_join_request(join_request=join_request, by=_actor(conseiller))
    assert _referent(person) == coordinator
    assert len(_told_replaced(conseiller)) == 1


def test_a_manager_cannot_take_a_departing_colleagues_caseload_themself(gestionnaire, followed, conseiller):
    with pytest.raises(DomainError, match="vous désigner vous-même"):
        hand_over_caseload(
            departing=conseiller.memberships.get(),
            to_memberships=[gestionnaire.memberships.get()],
            by=_actor(gestionnaire),
        )
    assert all(_referent(person) == conseiller for person in followed)


def test_an_orientation_officer_cannot_hand_the_referent_role_to_their_own_seat(
    orientation_officer, followed, conseiller
):
    person = followed[0]
    own_seat = seat(person, orientation_officer)
    with pytest.raises(DomainError, match="vous désigner vous-même"):
        services.hand_over_referent(person=person, to_seat=own_seat, by=_actor(orientation_officer))
    assert _referent(person) == conseiller


def test_nobody_designates_themself_through_the_single_assignment(orientation_officer, followed, conseiller):
    person = followed[0]
    with pytest.raises(DomainError, match="vous désigner vous-même"):
        services.assign_referent(
            person=person, membership=orientation_officer.memberships.get(), by=_actor(orientation_officer)
        )
    assert _referent(person) == conseiller


# --- The previous referent is told ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "orientation_officer"])
def test_bulk_assignment_tells_each_previous_referent_once(request, role, followed, conseiller, colleague):
    author = request.getfixturevalue(role)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assign_referent_bulk(people=followed, membership=colleague.memberships.get(), by=_actor(author))
    told = _told_replaced(conseiller)
    assert len(told) == 1
    assert "2 personnes" in told[0].subject
    # No name, no situation of the people in it.
    for person in followed:
        assert person.birth_name not in told[0].body and person.first_names not in told[0].body


def test_caseload_hand_over_tells_the_departing_referent(gestionnaire, followed, conseiller, colleague):
    with TestCase.captureOnCommitCallbacks(execute=True):
        hand_over_caseload(
            departing=conseiller.memberships.get(),
            to_memberships=[colleague.memberships.get()],
            by=_actor(gestionnaire),
        )
    assert len(_told_replaced(conseiller)) == 1


def test_single_hand_over_tells_the_previous_referent(orientation_officer, followed, conseiller, colleague):
    person = followed[0]
    new_seat = seat(person, colleague)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.hand_over_referent(person=person, to_seat=new_seat, by=_actor(orientation_officer))
    told = _told_replaced(conseiller)
    assert len(told) == 1 and str(person.public_id) in told[0].body
    assert person.birth_name not in told[0].body


def test_single_assignment_tells_the_previous_referent(orientation_officer, followed, conseiller, colleague):
    person = followed[0]
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.assign_referent(person=person, membership=colleague.memberships.get(), by=_actor(orientation_officer))
    assert _referent(person) == colleague
    assert len(_told_replaced(conseiller)) == 1


def test_the_hand_over_page_by_the_referent_tells_them_too(client_as, followed, conseiller, colleague):
    person = followed[0]
    new_seat = seat(person, colleague)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_as(conseiller).post(
            reverse("people:hand_over", args=[person.public_id]), {"seat": str(new_seat.public_id)}
        )
    assert response.status_code == 302
    assert _referent(person) == colleague
    assert len(_told_replaced(conseiller)) == 1
