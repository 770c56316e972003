"""Bulk referent assignment and caseload hand-over: set-based, audited per person, one e-mail per referent."""

import html

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.people.bulk import assign_referent_bulk, hand_over_caseload, spread
from spie.people.enums import TeamEndReason
from spie.people.models import AccessLog, FollowUpMember
from tests.people.factories import PersonFactory, seat


def _people(territory, n, first="Alex"):
    return [PersonFactory(territory=territory, first_names=f"{first}{i}", birth_name=f"Nom{i:03d}") for i in range(n)]


def _actor(user):
    return Actor(user=user, membership=user.memberships.get())


def _referent(person):
    return FollowUpMember.objects.get(person=person, is_referent=True, ended_on__isnull=True).membership


def test_assigning_many_people_is_audited_per_person_and_notified_once(nord, coordinator, conseiller):
    people = _people(nord, 5)
    target = conseiller.memberships.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = assign_referent_bulk(people=people, membership=target, by=_actor(coordinator))
    assert result.changed == 5
    assert all(_referent(person) == target for person in people)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [conseiller.email]
    assert mail.outbox[0].subject == "Plateforme SPIE : 5 personnes vous sont confiées"
    events = AuditEvent.objects.filter(action="people.referent.changed")
    assert sorted(e.subject_id for e in events) == sorted(p.public_id for p in people)
    assert {e.data["operation"] for e in events} == {result.operation}
    assert AuditEvent.objects.filter(action="people.team_member.added").count() == 5
    assert AccessLog.objects.filter(what="Désignation du référent").count() == 5


def test_previous_referent_stays_a_member_and_existing_seat_is_promoted(nord, coordinator, conseiller, other_structure):
    person = PersonFactory(territory=nord)
    seat(person, conseiller, is_referent=True)
    seat(person, other_structure)
    result = assign_referent_bulk(people=[person], membership=other_structure.memberships.get(), by=_actor(coordinator))
    assert result.changed == 1
    assert _referent(person).user == other_structure
    assert FollowUpMember.objects.filter(person=person, ended_on__isnull=True).count() == 2
    assert not AuditEvent.objects.filter(action="people.team_member.added").exists()


def test_people_who_already_have_this_referent_are_unchanged(nord, coordinator, conseiller):
    people = _people(nord, 2)
    seat(people[0], conseiller, is_referent=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = assign_referent_bulk(people=people, membership=conseiller.memberships.get(), by=_actor(coordinator))
    assert (result.changed, result.unchanged) == (1, 1)
    assert mail.outbox[0].subject == "Plateforme SPIE : une personne vous est confiée"


def test_the_number_of_queries_does_not_grow_with_the_number_of_people(nord, coordinator, conseiller):
    target = conseiller.memberships.get()

    def queries(n):
        people = _people(nord, n, first=f"Lot{n}-")
        with CaptureQueriesContext(connection) as captured:
            assign_referent_bulk(people=people, membership=target, by=_actor(coordinator))
        return len(captured)

    queries(1)  # warm-up (cached lookups)
    assert queries(3) == queries(40)


def test_referent_must_be_an_active_professional_of_the_territory(nord, coordinator, other_territory, admin_national):
    people = _people(nord, 1)
    for user in (other_territory, admin_national):
        with pytest.raises(DomainError, match="ne peut pas être référent"):
            assign_referent_bulk(people=people, membership=user.memberships.get(), by=_actor(coordinator))
    with pytest.raises(DomainError, match="Cochez au moins une personne"):
        assign_referent_bulk(people=[], membership=coordinator.memberships.get(), by=_actor(coordinator))


def test_spread_balances_the_colleagues_caseloads():
    class M:
        def __init__(self, pk):
            self.pk = pk

    a, b = M(1), M(2)
    pairs = spread(list(range(6)), [a, b], {1: 3, 2: 0})
    counts = {1: 0, 2: 0}
    for _, target in pairs:
        counts[target.pk] += 1
    assert counts == {1: 2, 2: 4}


def test_hand_over_spreads_the_caseload_and_sends_one_email_per_colleague(
    nord, gestionnaire, conseiller, colleague, other_structure
):
    people = _people(nord, 4)
    for person in people:
        seat(person, conseiller, is_referent=True)
    other_team = PersonFactory(territory=nord)
    seat(other_team, other_structure, is_referent=True)
    departing_seat = seat(other_team, conseiller)
    departing = conseiller.memberships.get()
    # The manager entrusts the people to two colleagues (never to themself: see test_referent_changes).
    targets = [colleague.memberships.get(), other_structure.memberships.get()]
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = hand_over_caseload(
            departing=departing, to_memberships=targets, by=_actor(gestionnaire), leave_all_teams=True
        )
    assert result.changed == 4
    # `other_structure` is already referent of one person: the loads end balanced (3 and 3).
    assert sorted(result.by_referent.values()) == [1, 3]
    entrusted = [m for m in mail.outbox if "confiée" in m.subject]
    assert sorted(m.to[0] for m in entrusted) == sorted([colleague.email, other_structure.email])
    assert not FollowUpMember.objects.active().filter(membership=departing).exists()
    departing_seat.refresh_from_db()
    assert departing_seat.end_reason == TeamEndReason.PROFESSIONAL_LEFT
    assert AuditEvent.objects.filter(action="people.team_member.left").count() == 5
    assert AuditEvent.objects.filter(action="people.referent.changed").count() == 4


def test_hand_over_needs_a_colleague(nord, gestionnaire, conseiller):
    with pytest.raises(DomainError, match="au moins un collègue"):
        hand_over_caseload(departing=conseiller.memberships.get(), to_memberships=[], by=_actor(gestionnaire))


def test_bulk_page_lists_people_without_referent_and_assigns_them(client_as, orientation_officer, nord, conseiller):
    waiting = _people(nord, 3)
    followed = PersonFactory(territory=nord, birth_name="Suivi")
    seat(followed, conseiller, is_referent=True)
    client = client_as(orientation_officer)
    page = html.unescape(client.get(reverse("people:bulk_assign")).content.decode())
    assert "Personnes sans référent·e (3)" in page
    assert "SUIVI" not in page
    target = conseiller.memberships.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("people:bulk_assign"),
            {"personnes": [str(p.public_id) for p in waiting[:2]], "referent": str(target.public_id)},
            follow=True,
        )
    assert "est désormais référent·e de 2 personne(s)" in html.unescape(response.content.decode())
    assert len(mail.outbox) == 1
    assert "Personnes sans référent·e (1)" in html.unescape(response.content.decode())


def test_people_outside_the_territory_are_ignored(client_as, orientation_officer, ardennes, nord, conseiller):
    outsider = PersonFactory(territory=ardennes)
    client = client_as(orientation_officer)
    page = client.get(reverse("people:bulk_assign") + f"?personnes={outsider.public_id}").content.decode()
    assert "Aucune des personnes choisies n" in html.unescape(page)
    response = client.post(
        reverse("people:bulk_assign"),
        {"personnes": [str(outsider.public_id)], "referent": str(conseiller.memberships.get().public_id)},
    )
    assert "Cochez au moins une personne." in html.unescape(response.content.decode())
    assert not FollowUpMember.objects.filter(person=outsider).exists()


def test_caseload_offers_the_selection_to_coordinators_only(client_as, coordinator, conseiller, nord):
    person = PersonFactory(territory=nord)
    seat(person, coordinator)
    seat(person, conseiller, is_referent=True)
    page = client_as(coordinator).get(reverse("people:caseload")).content.decode()
    assert "Attribuer un référent aux personnes cochées" in page
    assert f'value="{person.public_id}"' in page
    page = client_as(conseiller).get(reverse("people:caseload")).content.decode()
    assert "Attribuer un référent aux personnes cochées" not in page


def test_membership_fixture_sanity(conseiller):
    assert Membership.objects.filter(user=conseiller).count() == 1
