import pytest

from tests.diagnostics.conftest import pathway_referential, rome_jobs  # noqa: F401
from tests.people.conftest import camille, colleague, former_member, referent, team_member  # noqa: F401

__all__ = ["camille", "colleague", "former_member", "pathway_referential", "referent", "rome_jobs", "team_member"]


@pytest.fixture
def oriented(camille, conseiller, orientation_officer):
    """Camille oriented towards a professional pathway, `conseiller` her referent."""
    import datetime

    from spie.pathways import services_orientation
    from tests.diagnostics.helpers import actor

    return services_orientation.decide_orientation(
        person=camille,
        pathway_type="professionnel",
        referent=conseiller.memberships.get(),
        notified_on=datetime.date(2026, 10, 1),
        by=actor(orientation_officer),
    )


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS are kept in memory (the console backend would print them)."""
    from spie.pathways import sms

    settings.SPIE_SMS_BACKEND = "spie.pathways.sms.LocMemSmsBackend"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture
def pathway(oriented, camille):
    """Camille's open pathway, at « orienté » since 01/10/2026."""
    from spie.pathways.services import open_pathway_of

    return open_pathway_of(camille)
