from tests.diagnostics.conftest import pathway_referential, rome_jobs  # noqa: F401
from tests.pathways.conftest import oriented, pathway, sms_outbox  # noqa: F401
from tests.people.conftest import camille, colleague, former_member, referent, team_member  # noqa: F401
from tests.personspace.conftest import draft_contract, next_week, rdv  # noqa: F401

__all__ = [
    "camille",
    "colleague",
    "draft_contract",
    "former_member",
    "next_week",
    "oriented",
    "pathway",
    "pathway_referential",
    "rdv",
    "referent",
    "rome_jobs",
    "sms_outbox",
    "team_member",
]
