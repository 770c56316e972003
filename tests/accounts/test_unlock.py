import datetime
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail, signing
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from spie.accounts import unlock
from spie.core.models import AuditEvent
from tests.conftest import PASSWORD

ANSWER = "Si un compte bloqué correspond à cette adresse, un lien de déblocage vient de lui être envoyé"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _lock(client, email, times=3):
    for _ in range(times):
        client.post(reverse("accounts:login"), {"username": email, "password": "faux"})


def _link_path():
    return re.search(r"https?://[^/\s]+(/connexion/deblocage/\S+/)", mail.outbox[-1].body).group(1)


def _page(response):
    return re.sub(r'nonce="[^"]*"', "", response.content.decode())


def _login(client, email):
    return client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_lockout_page_offers_an_unlock_link(client, conseiller):
    _lock(client, conseiller.email)
    page = _login(client, conseiller.email)
    assert page.status_code == 429
    assert reverse("accounts:unlock_request") in page.content.decode()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_locked_out_professional_unlocks_the_account_by_email(client, conseiller):
    _lock(client, conseiller.email.upper())  # axes keeps the address as typed
    assert _login(client, conseiller.email).status_code == 429
    response = client.post(reverse("accounts:unlock_request"), {"email": conseiller.email})
    assert ANSWER in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [conseiller.email]
    path = _link_path()
    assert "Débloquer mon compte" in client.get(path).content.decode()  # opening the link changes nothing
    assert AccessAttempt.objects.exists()
    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert not AccessAttempt.objects.exists()
    assert _login(client, conseiller.email).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.user.unlocked", target_id=conseiller.public_id).exists()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_unlock_link_works_once(client, conseiller):
    _lock(client, conseiller.email)
    client.post(reverse("accounts:unlock_request"), {"email": conseiller.email})
    path = _link_path()
    client.post(path)
    _lock(client, conseiller.email)  # locked again: the old link does not lift the new lockout
    response = client.post(path)
    assert response.status_code == 400
    assert "a expiré, a déjà servi" in response.content.decode()
    assert _login(client, conseiller.email).status_code == 429


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, ACCOUNT_UNLOCK_LINK_MINUTES=30)
def test_the_unlock_link_expires(client, conseiller):
    now = datetime.datetime(2027, 5, 3, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(now, tick=False):
        _lock(client, conseiller.email)
        client.post(reverse("accounts:unlock_request"), {"email": conseiller.email})
    with time_machine.travel(now + datetime.timedelta(minutes=31), tick=False):
        assert client.post(_link_path()).status_code == 400
    assert AccessAttempt.objects.exists()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_same_answer_and_no_mail_for_an_unknown_or_unlocked_address(client, conseiller):
    unknown = client.post(reverse("accounts:unlock_request"), {"email": "inconnu@exemple.fr"})
    not_locked = client.post(reverse("accounts:unlock_request"), {"email": conseiller.email})
    assert ANSWER in unknown.content.decode() and ANSWER in not_locked.content.decode()
    assert _page(unknown) == _page(not_locked)
    assert mail.outbox == []


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_requests_send_one_mail(client, conseiller):
    _lock(client, conseiller.email)
    for _ in range(3):
        client.post(reverse("accounts:unlock_request"), {"email": conseiller.email})
    assert len(mail.outbox) == 1


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_forged_or_tampered_link_unlocks_nothing(client, conseiller):
    _lock(client, conseiller.email)
    forged = signing.dumps({"u": str(conseiller.public_id), "f": "0" * 20}, salt=unlock.SALT)
    assert client.post(reverse("accounts:unlock", args=[forged])).status_code == 400
    other_salt = signing.dumps({"u": str(conseiller.public_id), "f": unlock._fingerprint(conseiller.email)})
    assert client.post(reverse("accounts:unlock", args=[other_salt])).status_code == 400
    assert AccessAttempt.objects.exists()
