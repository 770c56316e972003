"""Login to the person's space: a link by e-mail, a code by SMS; single use, expiring, hashed,
rate-limited, audited, and the same answer whether or not the identifier matches."""

import datetime
import html
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from spie.core.models import AuditEvent
from spie.personspace import policies
from spie.personspace.auth import SESSION_KEY
from spie.personspace.models import LoginAttempt, LoginSecret

LOGIN = reverse("personspace:login")


def _link_in(message):
    return re.search(r"https?://\S+/mon-espace/connexion/lien/(\S+)/", message.body).group(1)


def _code_in(sms_outbox):
    return re.search(r"\b(\d{6})\b", sms_outbox[-1][1]).group(1)


def _signed_in(client):
    return client.session.get(SESSION_KEY)


def test_an_email_gets_a_link_that_a_button_press_consumes(ask, client, camille):
    response = ask("  Camille.Martin@Exemple.fr ")
    assert response.status_code == 200
    assert "Si cette adresse correspond à un dossier" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["camille.martin@exemple.fr"]
    token = _link_in(mail.outbox[0])
    url = reverse("personspace:link", args=[token])

    assert client.get(url).status_code == 200  # opening the link (an e-mail scanner) spends nothing
    assert client.get(url).status_code == 200
    assert _signed_in(client) is None

    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("personspace:home")
    assert _signed_in(client) == str(camille.public_id)
    secret = LoginSecret.objects.get()
    assert secret.used_at is not None
    assert secret.secret_hash != token and token not in str(list(LoginSecret.objects.values()))
    actions = list(AuditEvent.objects.filter(subject_id=camille.public_id).values_list("action", flat=True))
    assert "personspace.login.requested" in actions and "personspace.login.link_used" in actions
    assert token not in str(list(AuditEvent.objects.values_list("data", flat=True)))


def test_the_answer_is_the_same_for_an_unknown_email_and_nothing_is_sent(ask, client, camille):
    known = ask("camille.martin@exemple.fr").content.decode()
    unknown = ask("personne@inconnu.fr").content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", known) == strip.sub("", unknown)
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(action="personspace.login.unknown")
    assert event.subject_id is None and "inconnu" not in str(event.data)


def test_a_link_serves_once_and_a_second_use_is_refused_and_audited(ask, client, camille):
    ask(camille.email)
    url = reverse("personspace:link", args=[_link_in(mail.outbox[0])])
    client.post(url)
    client.cookies.clear()
    response = client.post(url)
    assert response.status_code == 410
    assert "déjà été utilisé" in response.content.decode()
    assert _signed_in(client) is None
    assert AuditEvent.objects.filter(action="personspace.login.link_refused", subject_id=camille.public_id).exists()


def test_a_link_expires_after_twenty_minutes(ask, client, camille):
    ask(camille.email)
    url = reverse("personspace:link", args=[_link_in(mail.outbox[0])])
    later = timezone.now() + datetime.timedelta(minutes=policies.LINK_VALIDITY_MINUTES, seconds=1)
    with time_machine.travel(later, tick=False):
        response = client.post(url)
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    assert _signed_in(client) is None


def test_a_newer_link_replaces_the_older_one(ask, client, camille):
    ask(camille.email)
    ask(camille.email)
    first, second = (_link_in(message) for message in mail.outbox)
    assert client.post(reverse("personspace:link", args=[first])).status_code == 410
    assert client.post(reverse("personspace:link", args=[second])).status_code == 302


def test_an_unknown_link_is_not_found_and_counts_against_the_address(client, db):
    response = client.get(reverse("personspace:link", args=["nimporte-quoi"]), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 404
    assert LoginAttempt.objects.filter(kind="echec").count() == 1
    assert AuditEvent.objects.filter(action="personspace.login.link_unknown").exists()


def test_a_mobile_number_gets_a_code_by_sms(ask, client, camille, sms_outbox):
    response = ask("06 12 34 56 78")
    assert response.status_code == 302 and response.url == reverse("personspace:code")
    assert sms_outbox[-1][0] == "+33612345678"
    code = _code_in(sms_outbox)
    assert code not in str(list(LoginSecret.objects.values()))
    response = client.post(reverse("personspace:code"), {"code": code})
    assert response.status_code == 302
    assert _signed_in(client) == str(camille.public_id)
    assert client.get(reverse("personspace:home")).status_code == 200


def test_a_code_is_refused_after_five_wrong_tries(ask, client, camille, sms_outbox):
    ask(camille.phone)
    code = _code_in(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(policies.CODE_MAX_ATTEMPTS):
        response = client.post(reverse("personspace:code"), {"code": wrong})
        assert response.status_code == 400
        assert "pas valable" in response.content.decode()
    response = client.post(reverse("personspace:code"), {"code": code})
    assert response.status_code == 400
    assert _signed_in(client) is None
    assert LoginSecret.objects.get().revoked_at is not None
    refused = AuditEvent.objects.filter(action="personspace.login.code_refused")
    assert refused.filter(subject_id=camille.public_id).count() == policies.CODE_MAX_ATTEMPTS
    assert refused.filter(subject_id__isnull=True, data__pending=False).count() == 1


def test_a_code_page_without_a_request_goes_back_to_the_login_page(client, db):
    assert client.get(reverse("personspace:code")).url == LOGIN


def test_a_malformed_identifier_gets_a_french_message_naming_the_field(ask, client, db):
    response = ask("pas un numéro")
    assert response.status_code == 400
    assert "Saisissez votre adresse e-mail" in response.content.decode()
    response = client.post(reverse("personspace:login"), {"identifiant": ""})
    assert response.status_code == 400


def test_requests_are_limited_per_identifier(ask, client, camille):
    for _ in range(policies.REQUESTS_PER_IDENTIFIER):
        assert ask(camille.email).status_code == 200
    response = ask(camille.email, ip="10.0.0.2")
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert len(mail.outbox) == policies.REQUESTS_PER_IDENTIFIER
    assert AuditEvent.objects.filter(action="personspace.login.throttled", data__scope="identifiant").exists()


def test_requests_are_limited_per_address_whatever_the_identifier(ask, client, db):
    for number in range(policies.REQUESTS_PER_IP):
        ask(f"personne{number}@exemple.fr")
    assert ask("encore@exemple.fr").status_code == 429
    assert ask("encore@exemple.fr", ip="10.0.0.2").status_code == 200


def test_the_limits_are_counted_over_the_window_only(ask, client, camille):
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=policies.WINDOW_MINUTES + 1), tick=False):
        for _ in range(policies.REQUESTS_PER_IDENTIFIER):
            ask(camille.email)
    assert ask(camille.email).status_code == 200


def test_an_anonymised_file_cannot_log_in(ask, client, camille):
    ask(camille.email)
    url = reverse("personspace:link", args=[_link_in(mail.outbox[0])])
    camille.anonymised_at = timezone.now()
    camille.save(update_fields=["anonymised_at"])
    assert client.post(url).status_code == 410
    assert ask(camille.email).status_code == 200
    assert len(mail.outbox) == 1


def test_logout_ends_the_session_and_is_audited(ask, client, camille):
    ask(camille.email)
    client.post(reverse("personspace:link", args=[_link_in(mail.outbox[0])]))
    response = client.post(reverse("personspace:logout"))
    assert response.url == LOGIN
    assert _signed_in(client) is None
    assert client.get(reverse("personspace:home")).url == LOGIN
    assert AuditEvent.objects.filter(action="personspace.logout", subject_id=camille.public_id).exists()


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_a_team_member_invites_the_person(client_as, committed, camille, referent, sms_outbox, channel):
    client = client_as(referent)
    with committed():
        response = client.post(reverse("personspace:invite", args=[camille.public_id]), {"channel": channel})
    assert response.status_code == 302
    if channel == "email":
        assert mail.outbox[-1].to == [camille.email]
        token = _link_in(mail.outbox[-1])
        secret = LoginSecret.objects.get(kind="invitation")
        assert secret.expires_at - timezone.now() > datetime.timedelta(hours=policies.INVITATION_VALIDITY_HOURS - 1)
        client.logout()
        assert client.post(reverse("personspace:link", args=[token])).status_code == 302
        assert _signed_in(client) == str(camille.public_id)
    else:
        assert sms_outbox[-1][0] == camille.phone and "/mon-espace/connexion/" in sms_outbox[-1][1]
    event = AuditEvent.objects.get(action="personspace.invitation.sent")
    assert event.subject_id == camille.public_id and event.data["channel"] == channel


def test_an_invitation_needs_the_contact_on_file(client_as, camille, referent):
    camille.email = ""
    camille.save(update_fields=["email"])
    client = client_as(referent)
    response = client.post(reverse("personspace:invite", args=[camille.public_id]), {"channel": "email"}, follow=True)
    assert "pas d'adresse e-mail" in html.unescape(response.content.decode())
    assert not AuditEvent.objects.filter(action="personspace.invitation.sent").exists()
