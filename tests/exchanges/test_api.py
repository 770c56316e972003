"""Joint events API: scoped to the token's territory; registrations of its own professionals, all
of them for the events it organises; same services and rules as the pages."""

import pytest

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.core.models import AuditEvent
from tests.exchanges.factories import JointEventFactory, past, register

pytestmark = pytest.mark.django_db


def _token(user, organisation):
    actor = Actor(user=user, membership=Membership.objects.get(user=user))
    raw = account_services.create_api_token(organisation=organisation, name="Logiciel", by=actor)[1]
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def ft_token(gestionnaire, ft_lille):
    return _token(gestionnaire, ft_lille)


@pytest.fixture
def organiser_token(coordinator, departement_nord):
    return _token(coordinator, departement_nord)


@pytest.fixture
def ardennes_token(other_territory, ml_ardennes):
    return _token(other_territory, ml_ardennes)


def test_events_are_scoped_to_the_tokens_territory(client, event, ft_token, ardennes_token, ml_ardennes):
    JointEventFactory(organiser=ml_ardennes)
    body = client.get("/api/v1/exchanges/events", headers=ft_token).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["theme"] == "Lever les freins à la mobilité" and item["places_restantes"] == 2
    assert item["structure_organisatrice"] == "Département du Nord" and item["statut"] == "published"
    assert client.get(f"/api/v1/exchanges/events/{event.public_id}", headers=ardennes_token).status_code == 404
    assert client.get("/api/v1/exchanges/events", {"type": "inconnu"}, headers=ft_token).status_code == 422
    assert client.get("/api/v1/exchanges/events").status_code == 401


def test_a_structure_registers_its_own_professionals_by_email(
    client, event, ft_token, conseiller, gestionnaire, other_structure
):
    url = f"/api/v1/exchanges/events/{event.public_id}/registrations"
    response = client.post(url, {"email": conseiller.email.upper()}, content_type="application/json", headers=ft_token)
    assert response.status_code == 201 and response.json()["statut"] == "registered"
    assert AuditEvent.objects.filter(action="exchanges.registration.created", api_token__isnull=False).exists()
    refused = client.post(url, {"email": other_structure.email}, content_type="application/json", headers=ft_token)
    assert refused.status_code == 422 and "aucun professionnel actif de la structure" in refused.json()["message"]
    twice = client.post(url, {"email": conseiller.email}, content_type="application/json", headers=ft_token)
    assert twice.status_code == 400 and "déjà" in twice.json()["message"]


def test_registrations_read_by_the_organiser_and_by_the_structures(
    client, event, ft_token, organiser_token, conseiller, other_structure
):
    register(event, conseiller)
    register(event, other_structure)
    url = f"/api/v1/exchanges/events/{event.public_id}/registrations"
    assert client.get(url, headers=organiser_token).json()["count"] == 2
    mine = client.get(url, headers=ft_token).json()
    assert mine["count"] == 1 and mine["items"][0]["email"] == conseiller.email
    assert client.get("/api/v1/exchanges/registrations", headers=ft_token).json()["count"] == 1


def test_only_the_organiser_records_attendance_once_the_event_started(
    client, event, ft_token, organiser_token, conseiller
):
    registration = register(event, conseiller)
    url = f"/api/v1/exchanges/registrations/{registration.public_id}/attendance"
    payload = {"present": True}
    assert client.post(url, payload, content_type="application/json", headers=ft_token).status_code == 403
    early = client.post(url, payload, content_type="application/json", headers=organiser_token)
    assert early.status_code == 400 and "à partir du début" in early.json()["message"]
    past(event)
    response = client.post(url, payload, content_type="application/json", headers=organiser_token)
    assert response.status_code == 200 and response.json()["present"] is True
    event.refresh_from_db()
    assert (event.status, event.structures_count) == ("held", 1)


def test_a_structure_withdraws_its_professional(client, event, ft_token, organiser_token, conseiller):
    registration = register(event, conseiller)
    url = f"/api/v1/exchanges/registrations/{registration.public_id}/cancel"
    assert client.post(url, headers=organiser_token).status_code == 404
    response = client.post(url, headers=ft_token)
    assert response.status_code == 200 and response.json()["statut"] == "cancelled"
