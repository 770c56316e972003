"""Every exchanges page and action × every persona, with the exact status expected."""

import pytest
from django.urls import reverse

from spie.exchanges import services
from spie.exchanges.models import EventRegistration
from tests.exchanges.factories import actor, past, register
from tests.matrix import url_names

PERSONAS = [
    "anonymous",
    "conseiller",
    "gestionnaire",
    "other_structure",
    "coordinator",
    "orientation_officer",
    "other_territory",
    "admin_national",
]
EVERYONE = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302}
SHARED_EVENT = EVERYONE | {"other_territory": 404}


def row(allowed, *, default=403, **special):
    return (
        dict.fromkeys(PERSONAS, default)
        | {"anonymous": 302, "other_territory": 404}
        | dict.fromkeys(allowed, 200)
        | special
    )


VIEWS = {
    ("list", None): EVERYONE,
    ("mine", None): EVERYONE,
    ("create", None): row({"gestionnaire", "coordinator"}, other_territory=403, admin_national=403),
    ("detail", "event"): SHARED_EVENT,
    ("ics", "event"): SHARED_EVENT,
    ("edit", "event"): row({"coordinator"}),
    ("cancel", "event"): row({"coordinator"}),
    ("participants", "event"): row({"coordinator", "admin_national"}),
    # The rating page is the attendee's own: anyone else has no registration there.
    ("rate", "held"): row({"conseiller"}, default=404),
}


@pytest.fixture
def objects(coordinator, conseiller, gestionnaire):
    """An upcoming event published by the Nord coordinator, and a held one `conseiller` attended."""
    from tests.exchanges.conftest import event_data

    upcoming = services.publish_event(data=event_data(), by=actor(coordinator))
    held = services.publish_event(data=event_data(topic="Accueil des publics"), by=actor(coordinator))
    registration = register(held, conseiller)
    past(held)
    services.record_attendance(event=held, marks={str(registration.public_id): True}, by=actor(coordinator))
    return {"event": upcoming.public_id, "held": held.public_id}


CASES = [(name, key, persona, expected[persona]) for (name, key), expected in VIEWS.items() for persona in PERSONAS]


@pytest.mark.parametrize(("name", "key", "persona", "expected"), CASES, indirect=["persona"])
def test_exchanges_views(client_as, persona, objects, name, key, expected):
    args = [objects[key]] if key else []
    response = client_as(persona).get(reverse(f"exchanges:{name}", args=args))
    assert response.status_code == expected


ACTIONS = ("register", "unregister", "attendance")
REGISTERING = dict.fromkeys(PERSONAS, 302) | {"other_territory": 404, "admin_national": 403}


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_registering(client_as, persona, objects, request):
    url = reverse("exchanges:register", args=[objects["event"]])
    response = client_as(persona).post(url)
    assert response.status_code == REGISTERING[request.node.callspec.params["persona"]]
    registered = EventRegistration.objects.filter(event__public_id=objects["event"], membership__user=persona)
    assert registered.exists() == (persona is not None and response.status_code == 302)


UNREGISTERING = dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "conseiller": 302}


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_withdrawing_is_only_for_ones_own_registration(client_as, persona, objects, conseiller, request):
    from spie.exchanges.models import JointEvent

    register(JointEvent.objects.get(public_id=objects["event"]), conseiller)
    response = client_as(persona).post(reverse("exchanges:unregister", args=[objects["event"]]))
    assert response.status_code == UNREGISTERING[request.node.callspec.params["persona"]]


ATTENDANCE = row({"coordinator"}) | {"coordinator": 302}


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_recording_attendance(client_as, persona, objects, request):
    response = client_as(persona).post(reverse("exchanges:attendance", args=[objects["held"]]))
    assert response.status_code == ATTENDANCE[request.node.callspec.params["persona"]]


def test_get_is_not_allowed_on_actions(client_as, conseiller, objects):
    client = client_as(conseiller)
    for name in ACTIONS:
        assert client.get(reverse(f"exchanges:{name}", args=[objects["event"]])).status_code == 405


COVERED_URL_NAMES = url_names("exchanges", (name for name, _ in VIEWS), ACTIONS)
