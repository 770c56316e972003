import pytest

from tests.diagnostics.conftest import pathway_referential, rome_jobs  # noqa: F401
from tests.people.conftest import camille, colleague, former_member, referent, team_member  # noqa: F401

__all__ = ["camille", "colleague", "former_member", "pathway_referential", "referent", "rome_jobs", "team_member"]


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS are kept in memory (the console backend would print them)."""
    from spie.pathways import sms

    settings.SPIE_SMS_BACKEND = "spie.pathways.sms.LocMemSmsBackend"
    sms.outbox.clear()
    return sms.outbox
