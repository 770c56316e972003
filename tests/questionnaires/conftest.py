import pytest

from spie.accounts.actors import Actor
from spie.personspace.auth import SESSION_KEY
from tests.people.conftest import camille, colleague, former_member, referent, team_member  # noqa: F401

__all__ = ["camille", "colleague", "former_member", "referent", "team_member"]


def actor(user):
    membership = user.memberships.select_related("organisation__territory").get()
    return Actor(user=user, membership=membership)


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS are kept in memory (the console backend would print them)."""
    from spie.pathways import sms

    settings.SPIE_SMS_BACKEND = "spie.pathways.sms.LocMemSmsBackend"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture
def space_client(client):
    """`space_client(person)`: the test client signed in to the person's own space."""

    def sign_in(person):
        session = client.session
        session[SESSION_KEY] = str(person.public_id)
        session.save()
        return client

    return sign_in
