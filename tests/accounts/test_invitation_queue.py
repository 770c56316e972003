"""The invitation e-mail queue: batches, failures and retries, re-sends with a new link."""

import html
import re
import smtplib

import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from spie.accounts import mailing
from spie.accounts.actors import Actor
from spie.accounts.enums import EmailStatus, Role
from spie.accounts.models import Invitation, Membership
from spie.accounts.services import find_usable_invitation, resend_invitation
from spie.core.models import AuditEvent


class RefusingBackend(EmailBackend):
    """Refuses every address at refuse.example, like an SMTP server rejecting a recipient."""

    def send_messages(self, messages):
        for message in messages:
            if any(address.endswith("@refuse.example") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


def _queue(organisation, *emails):
    from django.utils import timezone

    from spie.accounts.models import hash_secret

    return [
        Invitation.objects.create(
            email=email,
            organisation=organisation,
            role=Role.CONSEILLER,
            token_hash=hash_secret(Invitation.new_token()),
            expires_at=timezone.now() + timezone.timedelta(days=7),
        )
        for email in emails
    ]


def _link(message):
    return re.search(r"/invitation/(\S+)/", message.body).group(1)


def test_queue_sends_in_batches_and_counts(ft_lille, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(mailing, "BATCH", 2)
    _queue(ft_lille, *(f"p{n}@ft-lille.fr" for n in range(5)))
    assert mailing.queue_counts(Invitation.objects.all())["queued"] == 5
    progress = []
    sent, failed = mailing.send_queued_invitations(progress=progress.append)
    assert (sent, failed) == (5, 0)
    assert progress == [2, 2, 1]
    assert len(mail.outbox) == 5
    counts = mailing.queue_counts(Invitation.objects.all())
    assert counts["sent"] == 5 and counts["percent"] == 100 and counts["finished"]
    # Each e-mail carries a working link: the token is drawn at sending time.
    assert find_usable_invitation(_link(mail.outbox[0])).email == mail.outbox[0].to[0]


def test_refused_addresses_are_retried_then_marked_failed(ft_lille, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_invitation_queue.RefusingBackend"
    good, bad = _queue(ft_lille, "ok@ft-lille.fr", "ko@refuse.example")
    assert mailing.send_queued_invitations() == (1, 0)
    bad.refresh_from_db()
    assert bad.email_status == EmailStatus.QUEUED
    assert bad.email_attempts == 1
    assert bad.email_error == "Envoi refusé (SMTPRecipientsRefused)"
    for _ in range(mailing.MAX_ATTEMPTS - 1):
        mailing.send_queued_invitations()
    bad.refresh_from_db()
    assert bad.email_status == EmailStatus.FAILED
    assert mailing.queue_counts(Invitation.objects.all())["failed"] == 1
    assert len(mail.outbox) == 1


def test_resend_makes_a_new_link_and_the_old_one_stops_working(ft_lille, gestionnaire):
    (invitation,) = _queue(ft_lille, "nadia@ft-lille.fr")
    mailing.send_queued_invitations()
    first_link = _link(mail.outbox[-1])
    actor = Actor(user=gestionnaire, membership=Membership.objects.get(user=gestionnaire))
    with TestCase.captureOnCommitCallbacks(execute=True):
        resend_invitation(invitation=invitation, by=actor)
    assert len(mail.outbox) == 2
    assert find_usable_invitation(first_link) is None
    assert find_usable_invitation(_link(mail.outbox[-1])) == invitation
    assert AuditEvent.objects.filter(action="accounts.invitation.resent", target_id=invitation.public_id).exists()


def test_resend_renews_an_expired_link(ft_lille, gestionnaire, client_as):
    with time_machine.travel("2026-11-01 10:00 +0000"):
        (invitation,) = _queue(ft_lille, "nadia@ft-lille.fr")
        mailing.send_queued_invitations()
    with time_machine.travel("2026-11-20 10:00 +0000"):
        assert find_usable_invitation(_link(mail.outbox[-1])) is None
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client_as(gestionnaire).post(reverse("accounts:invitation_resend", args=[invitation.public_id]))
        assert response.status_code == 302
        assert find_usable_invitation(_link(mail.outbox[-1])) == invitation


def test_resending_an_accepted_or_queued_invitation_is_refused(ft_lille, gestionnaire, client_as):
    (invitation,) = _queue(ft_lille, "nadia@ft-lille.fr")
    client = client_as(gestionnaire)
    response = client.post(reverse("accounts:invitation_resend", args=[invitation.public_id]), follow=True)
    assert "déjà en attente d'envoi" in html.unescape(response.content.decode())
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at="2026-11-02T10:00Z", email_status="sent")
    response = client.post(reverse("accounts:invitation_resend", args=[invitation.public_id]), follow=True)
    assert "déjà été acceptée" in html.unescape(response.content.decode())


def test_resend_every_failed_invitation_at_once(ft_lille, coordinator, client_as):
    invitations = _queue(ft_lille, "a@ft-lille.fr", "b@ft-lille.fr", "c@ft-lille.fr")
    Invitation.objects.filter(pk__in=[i.pk for i in invitations[:2]]).update(
        email_status=EmailStatus.FAILED, email_attempts=3
    )
    Invitation.objects.filter(pk=invitations[2].pk).update(email_status=EmailStatus.SENT)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_as(coordinator).post(reverse("accounts:invitations_resend_failed"), follow=True)
    assert "2 invitation(s) en échec remise(s) en file d'envoi." in html.unescape(response.content.decode())
    assert sorted(m.to[0] for m in mail.outbox) == ["a@ft-lille.fr", "b@ft-lille.fr"]
    assert AuditEvent.objects.filter(action="accounts.invitation.resent").count() == 2


def test_a_stopped_worker_leaves_nothing_stuck(ft_lille):
    (invitation,) = _queue(ft_lille, "nadia@ft-lille.fr")
    with time_machine.travel("2026-11-01 10:00 +0000"):
        Invitation.objects.filter(pk=invitation.pk).update(
            email_status=EmailStatus.SENDING, updated_at="2026-11-01T10:00Z"
        )
    with time_machine.travel("2026-11-01 10:30 +0000"):
        call_command("send_queued_invitations")
    invitation.refresh_from_db()
    assert invitation.email_status == EmailStatus.SENT


def test_single_invitation_from_the_structure_page_is_sent_at_once(client_as, gestionnaire, ft_lille):
    with TestCase.captureOnCommitCallbacks(execute=True):
        client_as(gestionnaire).post(
            reverse("accounts:invite", args=[ft_lille.public_id]),
            {"email": "x@ft-lille.fr", "first_name": "X", "last_name": "Y", "role": Role.CONSEILLER},
        )
    assert Invitation.objects.get().email_status == EmailStatus.SENT
    assert len(mail.outbox) == 1
