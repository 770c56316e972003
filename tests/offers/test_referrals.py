"""Referrals: consent, inbox or e-mailed link, every transition, reminders and expiry on a frozen clock."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.offers import services
from spie.offers.enums import REFERRAL_TRANSITIONS, ReferralStatus
from spie.offers.models import Referral
from spie.people.models import FollowUpMember

SENT_AT = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
THE_NEXT_DAY = SENT_AT + datetime.timedelta(days=1)


def actor(user):
    return Actor(user=user, membership=user.memberships.get())


@pytest.fixture
def refer(camille, conseiller, django_capture_on_commit_callbacks):
    def send(offer, **extra):
        with django_capture_on_commit_callbacks(execute=True), time_machine.travel(SENT_AT, tick=False):
            return services.refer_person(
                person=camille,
                offer=offer,
                message="Camille cherche à passer son permis B pour un poste d'aide à domicile.",
                needs=["mobilite"],
                by=actor(conseiller),
                **extra,
            )

    return send


def test_platform_referral_goes_to_the_inbox_and_the_timeline(refer, platform_offer, camille, ml_lille):
    referral, token = refer(platform_offer)
    assert token is None
    assert referral.status == ReferralStatus.SENT and referral.receiving_organisation == ml_lille
    assert mail.outbox[-1].to == ["conseillere@ml-lille.fr"]
    assert "orientations/" in mail.outbox[-1].body
    event = AuditEvent.objects.get(action="offers.referral.sent")
    assert event.subject_id == camille.public_id and "message" not in event.data


def test_consent_is_checked_before_a_referral(refer, platform_offer, camille):
    camille.consent_given = False
    camille.save()
    with pytest.raises(DomainError, match="n'a pas consenti au partage"):
        refer(platform_offer)


def test_only_the_team_refers_and_never_twice_to_the_same_service(refer, platform_offer, camille, colleague):
    with pytest.raises(DomainError, match="équipe de suivi"):
        services.refer_person(person=camille, offer=platform_offer, message="…", by=actor(colleague))
    refer(platform_offer)
    with pytest.raises(DomainError, match="déjà en cours"):
        refer(platform_offer)


def test_a_service_neither_on_the_platform_nor_with_an_email_cannot_be_reached(refer, email_offer):
    email_offer.email = ""
    email_offer.save()
    with pytest.raises(DomainError, match="contactez-le directement"):
        refer(email_offer)


def test_accepting_seats_the_professional_as_a_non_referent_member(
    refer, platform_offer, camille, receiver, django_capture_on_commit_callbacks
):
    referral, _ = refer(platform_offer)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(SENT_AT + datetime.timedelta(hours=30)):
        services.accept_referral(referral=referral, by=actor(receiver))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.response_delay_hours == 30
    seat = FollowUpMember.objects.get(person=camille, membership__user=receiver)
    assert not seat.is_referent and seat.ended_on is None
    assert mail.outbox[-1].to == ["conseiller@ft-lille.fr"] and "acceptée" in mail.outbox[-1].body


def test_every_transition_of_the_table(refer, platform_offer, receiver, conseiller):
    referral, _ = refer(platform_offer)
    services.accept_referral(referral=referral, by=actor(receiver))
    services.start_referral(referral=referral, by=actor(receiver))
    referral = services.end_referral(referral=referral, note="Permis obtenu.", by=actor(conseiller))
    assert referral.status == ReferralStatus.ENDED and referral.closing_note == "Permis obtenu."
    assert referral.started_at and referral.closed_at
    actions = set(AuditEvent.objects.for_target(referral).values_list("action", flat=True))
    assert actions == {
        "offers.referral.sent",
        "offers.referral.accepted",
        "offers.referral.started",
        "offers.referral.ended",
    }
    with pytest.raises(DomainError, match="« terminée » : elle ne peut pas passer à « démarrée »"):
        services.start_referral(referral=referral, by=actor(receiver))


@pytest.mark.parametrize(
    ("path", "final"),
    [
        (["refuse"], ReferralStatus.REFUSED),
        (["expire"], ReferralStatus.EXPIRED),
        (["accept", "abandon"], ReferralStatus.ABANDONED),
        (["accept", "start", "abandon"], ReferralStatus.ABANDONED),
    ],
)
def test_other_paths_end_where_the_table_says(refer, platform_offer, receiver, path, final):
    referral, _ = refer(platform_offer)
    steps = {
        "refuse": lambda r: services.refuse_referral(referral=r, reason="Public trop âgé.", by=actor(receiver)),
        "expire": lambda r: services.expire_referral(referral=r),
        "accept": lambda r: services.accept_referral(referral=r, by=actor(receiver)),
        "start": lambda r: services.start_referral(referral=r, by=actor(receiver)),
        "abandon": lambda r: services.abandon_referral(referral=r, note="Plus de nouvelles.", by=actor(receiver)),
    }
    for step in path:
        referral = steps[step](referral)
    assert referral.status == final
    assert REFERRAL_TRANSITIONS[final] == set()


def test_refusing_needs_a_reason(refer, platform_offer, receiver):
    referral, _ = refer(platform_offer)
    with pytest.raises(DomainError, match="motif du refus"):
        services.refuse_referral(referral=referral, reason="  ", by=actor(receiver))


def test_a_started_referral_links_to_a_contract_action(refer, platform_offer, receiver, conseiller):
    import uuid

    referral, _ = refer(platform_offer)
    with pytest.raises(DomainError, match="démarrée"):
        services.link_referral_action(referral=referral, action_id=uuid.uuid4(), by=actor(conseiller))
    services.accept_referral(referral=referral, by=actor(receiver))
    services.start_referral(referral=referral, by=actor(receiver))
    action_id = uuid.uuid4()
    referral = services.link_referral_action(referral=referral, action_id=action_id, by=actor(conseiller))
    assert Referral.objects.get(pk=referral.pk).contract_action_id == action_id


# The e-mailed link ------------------------------------------------------------------------------


def _link(message):
    return re.search(r"https?://\S+?(/offre/reponse/\S+/)", message.body).group(1)


def test_off_platform_service_answers_through_a_single_use_link(refer, email_offer, client, camille):
    referral, token = refer(email_offer)
    assert mail.outbox[-1].to == ["contact@garage-solidaire.fr"]
    link = _link(mail.outbox[-1])
    assert referral.token_hash and token not in referral.token_hash
    with time_machine.travel(THE_NEXT_DAY):
        page = client.get(link)
        assert page.status_code == 200
        content = page.content.decode()
        assert "MARTIN Camille Louise" in content and "permis B" in content and "Mobilité" in content
        assert camille.email not in content and camille.phone not in content and camille.address not in content
        response = client.post(link, {"responder_name": "Paul Garagiste", "decision": "accepter"})
        assert response.status_code == 200 and "votre réponse est enregistrée" in response.content.decode()
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.ACCEPTED and referral.responder_name == "Paul Garagiste"
        assert client.get(link).status_code == 404  # used


def test_refusal_through_the_link_requires_a_reason(refer, email_offer, client):
    refer(email_offer)
    link = _link(mail.outbox[-1])
    with time_machine.travel(THE_NEXT_DAY):
        response = client.post(link, {"responder_name": "Paul", "decision": "refuser", "reason": ""})
        assert "Indiquez le motif du refus." in response.content.decode()
        client.post(link, {"responder_name": "Paul", "decision": "refuser", "reason": "Complet jusqu'en mars."})
    assert Referral.objects.get().refusal_reason == "Complet jusqu'en mars."


def test_the_link_is_refused_once_expired(refer, email_offer, client):
    refer(email_offer)
    link = _link(mail.outbox[-1])
    with time_machine.travel(SENT_AT + datetime.timedelta(days=29, hours=23)):
        assert client.get(link).status_code == 200
    with time_machine.travel(SENT_AT + datetime.timedelta(days=30, minutes=1)):
        assert client.get(link).status_code == 404
    assert client.get(reverse("offers:referral_answer", args=["jeton-inventé"])).status_code == 404


# Reminders and expiry ---------------------------------------------------------------------------


def test_reminders_every_ten_days_then_expiry_at_thirty(
    refer, email_offer, platform_offer, capsys, django_capture_on_commit_callbacks
):
    refer(email_offer)
    refer(platform_offer)
    first_link = _link(mail.outbox[0])
    sent = len(mail.outbox)

    def run(days, wet=True):
        moment = SENT_AT + datetime.timedelta(days=days, minutes=5)
        with django_capture_on_commit_callbacks(execute=True), time_machine.travel(moment, tick=False):
            call_command("send_referral_reminders", *(["--wet-run"] if wet else []))
        return capsys.readouterr().out

    assert "0 relance(s) envoyée(s), 0 orientation(s) expirée(s)" in run(9)
    assert "Simulation : 2 relance(s) à envoyer" in run(10, wet=False)
    assert len(mail.outbox) == sent
    assert "2 relance(s) envoyée(s)" in run(10)
    assert len(mail.outbox) == sent + 2 and "Rappel" in mail.outbox[-1].body
    assert "0 relance(s)" in run(15)
    assert "2 relance(s) envoyée(s)" in run(20)
    assert "2 orientation(s) expirée(s)" in run(30)
    assert set(Referral.objects.values_list("status", "reminder_count")) == {(ReferralStatus.EXPIRED, 2)}
    assert "expirée" in mail.outbox[-1].body
    # The e-mailed link of the first message was replaced by the reminder's.
    from django.test import Client

    assert Client().get(first_link).status_code == 404
