"""seed_demo adds joint events with registrations, attendance and ratings."""

import pytest

from spie.exchanges.enums import EventStatus, RegistrationStatus
from spie.exchanges.models import EventRegistration, JointEvent

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_events_with_registrations_and_consistent_figures(nord):
    from spie.accounts import demo as accounts_demo
    from spie.core.demo import DemoContext
    from spie.exchanges import demo

    context = DemoContext(options={"territories": "59", "people": 10})
    accounts_demo.seed(context)
    summary = demo.seed(context)
    assert summary.startswith("8 temps communs, ")
    events = JointEvent.objects.filter(territory=nord)
    assert set(events.values_list("status", flat=True)) == set(EventStatus.values)
    for event in events:
        registrations = EventRegistration.objects.filter(event=event)
        attendees = registrations.filter(status=RegistrationStatus.REGISTERED, attended=True)
        assert event.registered_count == registrations.filter(status=RegistrationStatus.REGISTERED).count()
        assert event.registered_count <= event.capacity
        assert event.attendees_count == attendees.count()
        assert event.structures_count == attendees.values("organisation").distinct().count()
    assert events.filter(waitlist_count__gt=0, status=EventStatus.PUBLISHED).exists()
    assert EventRegistration.objects.filter(rating__isnull=False).exists()
    assert events.filter(status=EventStatus.HELD, structures_count__gt=1).exists()
