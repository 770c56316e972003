"""A professional changes the person's e-mail or number: the old contact is told, and the new one
opens the person's space only once confirmed (by a secret sent to the old contact, or by the
referent from the file)."""

import html
import re

from django.core import mail
from django.urls import reverse

from spie.core.models import AuditEvent
from spie.people import services as people_services
from spie.personspace.auth import SESSION_KEY
from spie.personspace.models import ContactChange
from tests.diagnostics.helpers import actor

NEW_EMAIL = "nouvelle.adresse@exemple.fr"
NEW_PHONE = "+33700000001"


def _link_in(message):
    return re.search(r"https?://\S+/mon-espace/connexion/lien/(\S+)/", message.body).group(1)


def _signed_in(client):
    return client.session.get(SESSION_KEY)


def _change(person, by, committed, **changes):
    with committed():
        people_services.update_person(person=person, changes=changes, by=actor(by))


def test_changing_the_email_tells_the_old_address_without_the_new_one(camille, team_member, committed):
    _change(camille, team_member, committed, email=NEW_EMAIL)
    assert [m.to for m in mail.outbox] == [["camille.martin@exemple.fr"]]
    assert "changée" in mail.outbox[0].subject and NEW_EMAIL not in mail.outbox[0].body
    event = AuditEvent.objects.get(action="personspace.contact.changed")
    assert NEW_EMAIL not in str(event.data) and "camille" not in str(event.data)


def test_changing_the_phone_tells_the_old_number(camille, team_member, committed, sms_outbox):
    _change(camille, team_member, committed, phone=NEW_PHONE)
    assert sms_outbox[-1][0] == "+33612345678"
    assert "changé" in sms_outbox[-1][1]


def test_a_login_with_the_new_email_sends_nothing_to_it_until_the_old_address_confirms(
    ask, client, camille, team_member, committed
):
    _change(camille, team_member, committed, email=NEW_EMAIL)
    mail.outbox.clear()
    response = ask(NEW_EMAIL)
    assert response.status_code == 200  # the same answer as ever
    assert [m.to for m in mail.outbox] == [["camille.martin@exemple.fr"]]
    assert AuditEvent.objects.filter(action="personspace.login.held", subject_id=camille.public_id).exists()
    # Whoever holds the new address got nothing and cannot sign in; the old address's link confirms.
    client.post(reverse("personspace:link", args=[_link_in(mail.outbox[0])]))
    assert _signed_in(client) == str(camille.public_id)
    assert ContactChange.objects.get().confirmed_at is not None
    client.logout()
    mail.outbox.clear()
    ask(NEW_EMAIL)
    assert [m.to for m in mail.outbox] == [[NEW_EMAIL]]


def test_a_login_with_the_new_number_needs_the_code_sent_to_the_old_number(
    ask, client, camille, team_member, committed, sms_outbox
):
    _change(camille, team_member, committed, phone=NEW_PHONE)
    sms_outbox.clear()
    ask("07 00 00 00 01")
    assert [phone for phone, _ in sms_outbox] == ["+33612345678"]
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1][1]).group(1)
    client.post(reverse("personspace:code"), {"code": code})
    assert _signed_in(client) == str(camille.public_id)
    assert ContactChange.objects.get().confirmed_at is not None


def test_without_an_old_contact_the_login_waits_for_the_referent(
    ask, client, client_as, camille, team_member, referent, committed
):
    camille.email = ""
    camille.save()
    _change(camille, team_member, committed, email=NEW_EMAIL)
    assert mail.outbox == []
    ask(NEW_EMAIL)
    assert mail.outbox == [] and _signed_in(client) is None
    change = ContactChange.objects.get()
    url = reverse("personspace:confirm_contact", args=[camille.public_id, change.public_id])
    # The member who made the change cannot confirm it.
    assert client_as(team_member).post(url).status_code == 403
    tab = client_as(referent).get(reverse("personspace:file_tab", args=[camille.public_id]))
    assert "Confirmer ce changement" in html.unescape(tab.content.decode())
    assert client_as(referent).post(url).status_code == 302
    change.refresh_from_db()
    assert change.confirmed_at is not None and change.confirmed_by.user == referent
    assert AuditEvent.objects.filter(
        action="personspace.contact.confirmed", subject_id=camille.public_id, actor=referent
    ).exists()
    client.logout()
    ask(NEW_EMAIL)
    assert [m.to for m in mail.outbox] == [[NEW_EMAIL]]


def test_no_invitation_goes_to_an_unconfirmed_contact(client_as, camille, team_member, committed):
    _change(camille, team_member, committed, email=NEW_EMAIL)
    mail.outbox.clear()
    response = client_as(team_member).post(
        reverse("personspace:invite", args=[camille.public_id]), {"channel": "email"}, follow=True
    )
    assert "pas encore confirmé" in html.unescape(response.content.decode())
    assert mail.outbox == []


def test_a_confirmation_outside_the_scope_is_not_found(client_as, camille, other_territory, team_member, committed):
    _change(camille, team_member, committed, email=NEW_EMAIL)
    change = ContactChange.objects.get()
    url = reverse("personspace:confirm_contact", args=[camille.public_id, change.public_id])
    assert client_as(other_territory).post(url).status_code == 404
