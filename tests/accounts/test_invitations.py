import re

import time_machine
from django.core import mail
from django.urls import reverse

from spie.accounts.enums import Role
from spie.accounts.models import Invitation, Membership, User
from spie.core.models import AuditEvent


def _invite(client, organisation, email="nouvelle@ft-lille.fr", role=Role.CONSEILLER):
    """Post the invitation form; the e-mail leaves once the transaction commits."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("accounts:invite", args=[organisation.public_id]),
            {"email": email, "first_name": "Inès", "last_name": "Moreau", "role": role},
        )


def _link_from_last_mail():
    return re.search(r"http://\S+/invitation/(\S+)/", mail.outbox[-1].body).group(0)


def test_manager_invites_and_the_professional_sets_a_password(client_as, gestionnaire, ft_lille, client):
    response = _invite(client_as(gestionnaire), ft_lille)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle@ft-lille.fr"]
    assert AuditEvent.objects.filter(action="accounts.invitation.created").count() == 1

    client.logout()
    link = _link_from_last_mail().replace("http://127.0.0.1:8000", "")
    page = client.get(link)
    assert "Rejoindre France Travail Lille" in page.content.decode()
    response = client.post(
        link,
        {
            "first_name": "Inès",
            "last_name": "Moreau",
            "password1": "Un-mot-de-passe-2026!",
            "password2": "Un-mot-de-passe-2026!",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@ft-lille.fr")
    assert user.check_password("Un-mot-de-passe-2026!")
    assert Membership.objects.get(user=user).organisation == ft_lille
    assert client.get(reverse("accounts:home")).status_code == 200
    # The link is single-use.
    assert client.get(link).status_code == 404


def test_weak_or_mismatched_passwords_are_refused_in_french(client_as, gestionnaire, ft_lille, client):
    _invite(client_as(gestionnaire), ft_lille)
    client.logout()
    link = _link_from_last_mail().replace("http://127.0.0.1:8000", "")
    response = client.post(link, {"first_name": "A", "last_name": "B", "password1": "123", "password2": "456"})
    assert response.status_code == 200
    assert "Les deux mots de passe ne sont pas identiques." in response.content.decode()
    response = client.post(
        link, {"first_name": "A", "last_name": "B", "password1": "12345678", "password2": "12345678"}
    )
    assert "trop court" in response.content.decode()
    assert not User.objects.filter(email="nouvelle@ft-lille.fr").exists()


def test_invitation_expires_after_seven_days(client_as, gestionnaire, ft_lille, client):
    with time_machine.travel("2026-11-28 10:00 +0000"):
        _invite(client_as(gestionnaire), ft_lille)
    client.logout()
    link = _link_from_last_mail().replace("http://127.0.0.1:8000", "")
    with time_machine.travel("2026-12-05 09:59 +0000"):
        assert client.get(link).status_code == 200
    with time_machine.travel("2026-12-05 10:01 +0000"):
        response = client.get(link)
        assert response.status_code == 404
        assert "Invitation non valable" in response.content.decode()


def test_existing_account_gets_a_second_membership_not_a_second_account(
    client_as, gestionnaire, ft_lille, other_structure, client
):
    _invite(client_as(gestionnaire), ft_lille, email=other_structure.email)
    client.logout()
    link = _link_from_last_mail().replace("http://127.0.0.1:8000", "")
    assert "Vous avez déjà un compte" in client.get(link).content.decode()
    client.post(link)
    assert User.objects.filter(email=other_structure.email).count() == 1
    assert other_structure.memberships.count() == 2


def test_a_new_invitation_replaces_the_pending_one(client_as, gestionnaire, ft_lille):
    client = client_as(gestionnaire)
    _invite(client, ft_lille)
    _invite(client, ft_lille)
    assert Invitation.objects.pending().count() == 1


def test_active_members_cannot_be_invited_again(client_as, gestionnaire, conseiller, ft_lille):
    response = _invite(client_as(gestionnaire), ft_lille, email=conseiller.email)
    assert response.status_code == 200
    assert "déjà membre active" in response.content.decode()
    assert mail.outbox == []


def test_only_national_admins_grant_the_national_admin_role(client_as, gestionnaire, ft_lille):
    response = _invite(client_as(gestionnaire), ft_lille, role=Role.ADMIN_NATIONAL)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invalid_email_is_named(client_as, gestionnaire, ft_lille):
    response = _invite(client_as(gestionnaire), ft_lille, email="pas-un-email")
    assert "Saisissez une adresse de courriel valide" in response.content.decode()
