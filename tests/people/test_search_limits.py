"""The exact identity search is rate-limited per account and per structure, with rows in the
database, an audit event per search, a French message when limited, and one alert per window to
the territory's coordinators."""

import datetime
import html

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from spie.core.models import AuditEvent
from tests.people.factories import valid_nir
from tests.people.test_api import _auth, _token

SEARCH = reverse("people:search")
START = datetime.datetime(2031, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def limits(settings):
    settings.IDENTITY_SEARCH_WINDOW_MINUTES = 60
    settings.IDENTITY_SEARCHES_PER_ACCOUNT = 5
    settings.IDENTITY_SEARCHES_PER_STRUCTURE = 8
    settings.IDENTITY_SEARCH_ALERT_THRESHOLD = 4
    # The clock jumps an hour between two searches: the session must outlive that idle time.
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    return settings


def _search(client, number):
    return client.get(SEARCH, {"identifier": f"{number:07d}A"})


def test_the_defaults_are_thirty_an_hour_per_account_and_two_hundred_per_structure():
    from django.conf import settings

    assert settings.IDENTITY_SEARCHES_PER_ACCOUNT == 30
    assert settings.IDENTITY_SEARCHES_PER_STRUCTURE == 200
    assert settings.IDENTITY_SEARCH_WINDOW_MINUTES == 60


def test_searches_are_limited_per_account_over_the_window(client_as, limits, colleague, coordinator, camille):
    with time_machine.travel(START, tick=False) as clock:
        client = client_as(colleague)
        for number in range(5):
            assert _search(client, number).status_code == 200
        response = client.get(SEARCH, {"identifier": valid_nir()})
        assert response.status_code == 429
        page = html.unescape(response.content.decode())
        assert "Trop de recherches d'identité en peu de temps" in page and "votre compte" in page
        # The refused search disclosed nothing.
        assert "Martin" not in page
        assert AuditEvent.objects.filter(action="people.search.identity").count() == 5
        assert AuditEvent.objects.filter(action="people.search.limited", data__scope="compte").count() == 1
        # One second before the first search leaves the window, still refused; at the edge, allowed.
        clock.move_to(START + datetime.timedelta(minutes=59, seconds=59))
        assert _search(client, 99).status_code == 429
        clock.move_to(START + datetime.timedelta(minutes=60, seconds=1))
        assert _search(client, 99).status_code == 200


def test_each_search_is_audited_without_what_was_searched(client_as, limits, colleague, camille):
    nir = valid_nir()
    with time_machine.travel(START, tick=False):
        client_as(colleague).get(SEARCH, {"identifier": nir})
    event = AuditEvent.objects.get(action="people.search.identity")
    assert event.data == {"mode": "identifiant", "results": 1}
    assert nir not in str(event.data)


def test_searches_are_limited_per_structure(client, limits, conseiller, colleague, gestionnaire):
    # Three professionals of France Travail Lille share the structure's 8 searches.
    with time_machine.travel(START, tick=False):
        for user, count in ((conseiller, 4), (colleague, 4)):
            client.force_login(user)
            for number in range(count):
                assert _search(client, number).status_code == 200
        client.force_login(gestionnaire)
        response = _search(client, 50)
        assert response.status_code == 429
        assert "votre structure" in response.content.decode()


def test_coordinators_are_alerted_once_per_window(
    client_as, limits, colleague, coordinator, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False) as clock:
        client = client_as(colleague)
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(3):
                _search(client, number)
        assert mail.outbox == []
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(3, 8):
                _search(client, number)
        alerts = [message for message in mail.outbox if "recherches d'identité" in message.subject]
        assert len(alerts) == 1
        assert alerts[0].to == ["coordination@nord.fr"]
        assert "4 recherches exactes" in alerts[0].body
        assert AuditEvent.objects.filter(action="people.search.alerted").count() == 1
        # A new window, a new alert.
        clock.move_to(START + datetime.timedelta(minutes=61))
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(4):
                _search(client, 100 + number)
        assert len([m for m in mail.outbox if "recherches d'identité" in m.subject]) == 2


def test_the_api_search_is_limited_per_token(client, limits, gestionnaire, ft_lille, camille):
    token = _token(gestionnaire, ft_lille)
    with time_machine.travel(START, tick=False):
        for number in range(5):
            response = client.get("/api/v1/people/search", {"identifiant": f"{number:07d}A"}, headers=_auth(token))
            assert response.status_code == 200
        response = client.get("/api/v1/people/search", {"identifiant": valid_nir()}, headers=_auth(token))
    assert response.status_code == 429
    assert "Trop de recherches" in response.json()["message"]
    assert AuditEvent.objects.filter(action="people.search.identity", api_token__isnull=False).count() == 5
