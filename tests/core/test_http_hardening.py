import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from spie.people.models import Person
from tests.people.factories import PersonFactory, seat

NOW = datetime.datetime(2027, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def followed(nord, conseiller):
    person = PersonFactory(territory=nord)
    seat(person, conseiller, is_referent=True)
    return person


# Cache-Control: no-store


@pytest.mark.parametrize(
    "route",
    ["people:detail", "people:team", "people:history", "diagnostics:person", "pathways:pathway"],
)
def test_person_file_pages_are_never_stored(client_as, conseiller, followed, route):
    kwarg = "public_id" if route.startswith("people:") else "person_id"
    response = client_as(conseiller).get(reverse(route, kwargs={kwarg: followed.public_id}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_exports_are_never_stored(client_as, conseiller, followed):
    client = client_as(conseiller)
    csv_export = client.get(reverse("people:caseload"), {"format": "csv"})
    assert csv_export["Cache-Control"] == "no-store"
    b"".join(csv_export.streaming_content)
    json_export = client.get(reverse("people:export_json", args=[followed.public_id]))
    assert json_export["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/v1/people/", "/api/v1/territories/", "/api/v1/nulle-part/"])
def test_the_whole_api_is_never_stored(client, db, path):
    assert client.get(path)["Cache-Control"] == "no-store"


def test_public_pages_may_be_cached(client, db):
    assert "Cache-Control" not in client.get(reverse("core:legal_notice"))


# API documentation


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_the_api_docs_need_a_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_a_signed_in_professional_reads_the_api_docs(client_as, conseiller, path):
    response = client_as(conseiller).get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


# Idle sessions


def test_an_idle_session_ends_with_a_french_message(client, conseiller):
    with time_machine.travel(NOW, tick=False):
        client.force_login(conseiller)
        assert client.get(reverse("people:caseload")).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(minutes=31), tick=False):
        response = client.get(reverse("people:caseload"), {"tri": "nom"})
        assert response.status_code == 302
        assert response.url == reverse("accounts:login") + "?next=/personnes/%3Ftri%3Dnom"
        page = client.get(response.url).content.decode()
        assert "Votre session a expiré après une période d&#x27;inactivité" in page
        assert client.get(reverse("accounts:home")).status_code == 302  # still signed out


def test_activity_keeps_the_session_alive(client, conseiller):
    with time_machine.travel(NOW, tick=False):
        client.force_login(conseiller)
        client.get(reverse("accounts:home"))
    for minutes in (25, 50, 75):  # never 30 minutes without a request
        with time_machine.travel(NOW + datetime.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("accounts:home")).status_code == 200


@override_settings(SESSION_IDLE_TIMEOUT_MINUTES=5)
def test_the_idle_delay_is_a_setting(client, conseiller):
    with time_machine.travel(NOW, tick=False):
        client.force_login(conseiller)
        client.get(reverse("accounts:home"))
    with time_machine.travel(NOW + datetime.timedelta(minutes=6), tick=False):
        assert client.get(reverse("accounts:home")).status_code == 302


def test_an_htmx_request_after_the_idle_delay_redirects_the_whole_page(client, conseiller):
    with time_machine.travel(NOW, tick=False):
        client.force_login(conseiller)
        client.get(reverse("accounts:home"))
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        response = client.get(reverse("people:caseload"), headers={"HX-Request": "true"})
        assert response["HX-Redirect"].startswith(reverse("accounts:login"))


# NUL characters


def test_a_nul_character_in_a_search_is_a_french_400(client_as, conseiller):
    response = client_as(conseiller).get(reverse("people:caseload"), {"q": "Mar\x00tin"})
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


def test_a_nul_character_in_an_autocomplete_query_is_a_400(client_as, conseiller):
    response = client_as(conseiller).get(reverse("referentials:commune_suggestions"), {"q": "Lil\x00le"})
    assert response.status_code == 400


def test_a_nul_character_in_a_posted_form_writes_nothing(client_as, conseiller):
    response = client_as(conseiller).post(
        reverse("people:create"),
        {"birth_name": "Dur\x00and", "first_names": "Léa", "birth_date": "1990-01-01", "entry_date": "2026-01-05"},
    )
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()
    assert not Person.objects.exists()
