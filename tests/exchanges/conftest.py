import datetime

import pytest
from django.utils import timezone

from spie.exchanges import services
from tests.exchanges.factories import actor


def event_data(**changes):
    starts_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    data = {
        "kind": "practice_exchange",
        "topic": "Lever les freins à la mobilité",
        "description": "Retours d'expérience des structures.",
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=2),
        "place": "Maison de l'emploi, Lille",
        "capacity": 2,
        "registration_deadline": None,
    }
    return data | changes


@pytest.fixture
def event(coordinator):
    """Published by the Nord coordinator (Département du Nord): 2 places, in ten days."""
    return services.publish_event(data=event_data(), by=actor(coordinator))
