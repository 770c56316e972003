"""A manager deactivating a referent is asked to hand over their caseload first."""

import html

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.accounts.services import deactivate_member
from spie.core.errors import DomainError
from spie.people.models import FollowUpMember
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.people.factories import PersonFactory, seat


@pytest.fixture
def colleague(ft_lille):
    return MembershipFactory(user=UserFactory(email="collegue@ft-lille.fr"), organisation=ft_lille).user


def _text(response):
    return html.unescape(response.content.decode())


def test_deactivation_waits_for_the_hand_over_then_completes(client_as, gestionnaire, conseiller, colleague, nord):
    people = [PersonFactory(territory=nord, birth_name=f"Nom{i}") for i in range(3)]
    for person in people:
        seat(person, conseiller, is_referent=True)
    departing = Membership.objects.get(user=conseiller)
    client = client_as(gestionnaire)
    deactivate_url = reverse("accounts:member_deactivate", args=[departing.public_id])

    page = _text(client.get(deactivate_url))
    assert "Une passation est nécessaire avant la désactivation" in page
    assert "est référent·e de 3 personnes" in page
    assert "Confirmer la désactivation" not in page
    client.post(deactivate_url)
    departing.refresh_from_db()
    assert departing.is_active

    hand_over_url = reverse("people:bulk_hand_over", args=[departing.public_id]) + f"?suite={deactivate_url}"
    assert hand_over_url in page.replace("&amp;", "&")
    form = _text(client.get(hand_over_url))
    assert "est référent·e de 3 personnes" in form
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            hand_over_url,
            {
                "collegues": [str(colleague.memberships.get().public_id)],
                "quitter_equipes": "on",
                "suite": deactivate_url,
            },
        )
    assert response.url == deactivate_url
    # The colleague is told once; the departing referent is told too (tests/people/test_referent_changes.py).
    entrusted = [m for m in mail.outbox if "confiée" in m.subject]
    assert len(entrusted) == 1 and entrusted[0].to == [colleague.email]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([colleague.email, conseiller.email])
    assert all(
        FollowUpMember.objects.get(person=p, is_referent=True, ended_on__isnull=True).membership.user == colleague
        for p in people
    )

    assert "Confirmer la désactivation" in _text(client.get(deactivate_url))
    client.post(deactivate_url)
    departing.refresh_from_db()
    assert not departing.is_active


def test_the_service_refuses_while_people_are_left_without_referent(gestionnaire, conseiller, nord):
    seat(PersonFactory(territory=nord), conseiller, is_referent=True)
    with pytest.raises(DomainError, match="Avant la désactivation : référent·e de 1 personne"):
        deactivate_member(
            membership=Membership.objects.get(user=conseiller),
            by=Actor(user=gestionnaire, membership=Membership.objects.get(user=gestionnaire)),
        )


def test_a_member_without_caseload_is_deactivated_directly(client_as, gestionnaire, conseiller):
    membership = Membership.objects.get(user=conseiller)
    page = _text(client_as(gestionnaire).get(reverse("accounts:member_deactivate", args=[membership.public_id])))
    assert "Confirmer la désactivation" in page
    assert "passation" not in page
