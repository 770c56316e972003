"""Joint events for tests: published by a structure of the territory, registrations through the
services (so counters stay true)."""

import datetime

import factory
from django.utils import timezone

from spie.accounts.actors import Actor
from spie.exchanges import services
from spie.exchanges.enums import EventKind
from spie.exchanges.models import JointEvent


def actor(user):
    membership = user.memberships.select_related("organisation__territory").get()
    return Actor(user=user, membership=membership)


class JointEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JointEvent

    kind = EventKind.PRACTICE_EXCHANGE
    topic = factory.Sequence(lambda n: f"Échange de pratiques n° {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    registration_deadline = factory.LazyAttribute(lambda o: o.starts_at)
    place = "Maison de l'emploi, salle 2"
    capacity = 10
    territory = factory.LazyAttribute(lambda o: o.organiser.territory)
    created_by = None


def register(event, user):
    """`user` registers (place or waiting list) through the service."""
    by = actor(user)
    return services.register_for_event(event=event, membership=by.membership, by=by)


def past(event, *, days=1):
    """Move an event into the past (it started `days` ago and is over)."""
    event.starts_at = timezone.now() - datetime.timedelta(days=days, hours=3)
    event.ends_at = event.starts_at + datetime.timedelta(hours=2)
    event.registration_deadline = event.starts_at
    event.save(update_fields=["starts_at", "ends_at", "registration_deadline"])
    return event
