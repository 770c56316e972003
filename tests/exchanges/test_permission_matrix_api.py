"""The exchanges API × every kind of caller, with the exact status expected. The Département du
Nord organises the event; `conseiller` (France Travail Lille) registered to it: her structure
registers and withdraws its own professionals, the organiser records attendance."""

import pytest

from spie.exchanges import services
from tests.exchanges.conftest import event_data
from tests.exchanges.factories import actor, past, register
from tests.matrix import API_CALLERS, api_headers, api_mismatches, api_operations, api_row

TERRITORY = api_row(200, ministere=403)
NORD_EVENT = TERRITORY | {"ml_ardennes": 404}

ENDPOINTS = {
    ("get", "/exchanges/events"): TERRITORY,
    ("get", "/exchanges/events/{event}"): NORD_EVENT,
    ("get", "/exchanges/events/{event}/registrations"): NORD_EVENT,
    ("get", "/exchanges/registrations"): TERRITORY,
    # The e-mail must be that of an active professional of the token's structure.
    ("post", "/exchanges/events/{event}/registrations"): NORD_EVENT
    | {"ft_lille": 201, "departement_nord": 422, "ccas_lille": 422},
    ("post", "/exchanges/registrations/{attended}/attendance"): api_row(
        404, ft_lille=403, departement_nord=200, ministere=403
    ),
    ("post", "/exchanges/registrations/{registration}/cancel"): api_row(404, ft_lille=200, ministere=403),
}
BODIES = {
    ("post", "/exchanges/events/{event}/registrations"): lambda o: {"email": o["email"]},
    ("post", "/exchanges/registrations/{attended}/attendance"): lambda o: {"present": True},
}


@pytest.fixture
def objects(coordinator, conseiller, gestionnaire):
    upcoming = services.publish_event(data=event_data(), by=actor(coordinator))
    held = services.publish_event(data=event_data(topic="Accueil des publics"), by=actor(coordinator))
    attended = register(held, conseiller)
    past(held)
    return {
        "event": upcoming.public_id,
        "registration": register(upcoming, conseiller).public_id,
        "attended": attended.public_id,
        "email": gestionnaire.email,
    }


@pytest.mark.parametrize("caller", API_CALLERS)
def test_exchanges_api(caller, client, objects, departement_nord, ml_ardennes, ministere, request):
    headers = api_headers(request, caller)
    wrong = api_mismatches(client, ENDPOINTS, objects, caller, headers, BODIES)
    assert not wrong, wrong


COVERED_API_OPERATIONS = api_operations("/api/v1", ENDPOINTS)
