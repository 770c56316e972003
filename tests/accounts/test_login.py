import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD


def test_login_with_email_and_password_lands_on_home(client, conseiller):
    response = client.post(reverse("accounts:login"), {"username": "CONSEILLER@ft-lille.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:home")


def test_wrong_password_gives_a_french_message(client, conseiller):
    response = client.post(reverse("accounts:login"), {"username": conseiller.email, "password": "faux"})
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account(client, conseiller):
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": conseiller.email, "password": "faux"})
    response = client.post(reverse("accounts:login"), {"username": conseiller.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Compte temporairement bloqué" in response.content.decode()


def test_logout_needs_a_post_and_ends_the_session(client_as, conseiller):
    client = client_as(conseiller)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:home")).status_code == 302


def test_password_reset_by_email(client, conseiller):
    client.post(reverse("accounts:password_reset"), {"email": conseiller.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Plateforme SPIE : choisir un nouveau mot de passe"
    path = re.search(r"https?://[^/]+(/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    assert "Choisir un nouveau mot de passe" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nouveau-secret-2026", "new_password2": "Nouveau-secret-2026"},
    )
    assert response.status_code == 302
    conseiller.refresh_from_db()
    assert conseiller.check_password("Nouveau-secret-2026")


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "inconnu@exemple.fr"})
    assert response.status_code == 302
    assert mail.outbox == []
