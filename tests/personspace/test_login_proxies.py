"""Login limits behind the production proxy: counted per identifier and per client address, the
address coming from X-Forwarded-For only when the proxy is trusted."""

import pytest
from django.urls import reverse

from spie.core.models import AuditEvent
from spie.personspace import policies

LOGIN = reverse("personspace:login")
PROXY = "10.1.2.3"


@pytest.fixture
def ask_via(client, committed):
    def post(identifier, *, peer, forwarded=None):
        extra = {"REMOTE_ADDR": peer}
        if forwarded:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        with committed():
            return client.post(LOGIN, {"identifiant": identifier}, **extra)

    return post


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_does_not_escape_the_limit(ask_via, settings, db):
    settings.TRUSTED_PROXIES = [PROXY]
    for number in range(policies.REQUESTS_PER_IP):
        ask_via(f"personne{number}@exemple.fr", peer="203.0.113.9", forwarded=f"198.51.100.{number}")
    response = ask_via("encore@exemple.fr", peer="203.0.113.9", forwarded="198.51.100.250")
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="personspace.login.throttled", data__scope="adresse IP").exists()


def test_people_behind_the_trusted_proxy_are_counted_apart(ask_via, settings, db):
    settings.TRUSTED_PROXIES = [PROXY]
    for number in range(policies.REQUESTS_PER_IP):
        ask_via(f"personne{number}@exemple.fr", peer=PROXY, forwarded="198.51.100.1")
    assert ask_via("encore@exemple.fr", peer=PROXY, forwarded="1.1.1.1, 198.51.100.1").status_code == 429
    # Someone else behind the same proxy is not blocked by the first one's requests.
    assert ask_via("autre@exemple.fr", peer=PROXY, forwarded="198.51.100.2").status_code == 200


def test_the_rightmost_untrusted_address_is_the_one_counted(ask_via, settings, db):
    settings.TRUSTED_PROXIES = [PROXY]
    # A client varying a fake first hop is still counted at its real address.
    for number in range(policies.REQUESTS_PER_IP):
        ask_via(f"personne{number}@exemple.fr", peer=PROXY, forwarded=f"5.5.5.{number}, 198.51.100.7")
    assert ask_via("encore@exemple.fr", peer=PROXY, forwarded="6.6.6.6, 198.51.100.7").status_code == 429


def test_wrong_codes_are_limited_per_identifier_whatever_the_address(client, camille, ask_via, sms_outbox, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    ask_via(camille.phone, peer=PROXY, forwarded="198.51.100.1")
    code_page = reverse("personspace:code")
    for number in range(policies.FAILURES_PER_IDENTIFIER):
        if number % 4 == 3:
            # A new code (a code is revoked after a few wrong tries), from another address.
            ask_via(camille.phone, peer=PROXY, forwarded=f"198.51.100.{number + 2}")
        client.post(code_page, {"code": "000000"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    response = client.post(code_page, {"code": "000000"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="personspace.login.throttled", data__scope="identifiant").exists()
