"""The person's space: Camille (followed in Nord, oriented, with a plan and an appointment) and
Dominique (another person of Nord, with her own appointment)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.personspace.auth import SESSION_KEY
from tests.diagnostics.conftest import pathway_referential  # noqa: F401
from tests.pathways.conftest import oriented, pathway, sms_outbox  # noqa: F401
from tests.pathways.helpers import appointment, plan
from tests.people.conftest import camille, colleague, former_member, referent, team_member  # noqa: F401
from tests.people.factories import PersonFactory, seat

__all__ = [
    "camille",
    "colleague",
    "former_member",
    "oriented",
    "pathway",
    "pathway_referential",
    "referent",
    "sms_outbox",
    "team_member",
]


def sign_in(client, person):
    """Put `person` in the client's space session, as a verified link or code does."""
    session = client.session
    session[SESSION_KEY] = str(person.public_id)
    session.save()
    return client


@pytest.fixture
def space_as(client):
    """`space_as(person)`: the test client signed in to `person`'s space (None: nobody)."""

    def login(person):
        return sign_in(client, person) if person is not None else client

    return login


@pytest.fixture
def next_week():
    return timezone.now() + datetime.timedelta(days=7)


@pytest.fixture
def rdv(pathway, conseiller, next_week):
    """Camille's appointment next week with her referent."""
    return appointment(pathway, conseiller, next_week)


@pytest.fixture
def draft_contract(pathway, conseiller, pathway_referential):
    return plan(pathway, conseiller)


@pytest.fixture
def dominique(nord, conseiller, orientation_officer):
    """Another person of Nord, followed by the same referent, with her own appointment."""
    from spie.pathways import services_orientation
    from spie.pathways.services import open_pathway_of
    from tests.diagnostics.helpers import actor

    person = PersonFactory(
        territory=nord, birth_name="Durand", first_names="Dominique", email="dominique@exemple.fr", phone="+33698765432"
    )
    seat(person, conseiller, is_referent=True)
    services_orientation.decide_orientation(
        person=person,
        pathway_type="social",
        referent=conseiller.memberships.get(),
        notified_on=datetime.date(2026, 10, 1),
        by=actor(orientation_officer),
    )
    appointment(open_pathway_of(person), conseiller, timezone.now() + datetime.timedelta(days=3))
    return person


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the e-mails and SMS left for after the commit (tests run inside a
    transaction that never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def ask(client, committed):
    """`ask(identifier, ip=…)`: the login form posted, its e-mails and SMS sent."""

    def post(identifier, ip="10.0.0.1"):
        with committed():
            return client.post(reverse("personspace:login"), {"identifiant": identifier}, REMOTE_ADDR=ip)

    return post
