import pytest

from spie.accounts.enums import OrganisationType, Role
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.diagnostics.conftest import pathway_referential, rome_jobs  # noqa: F401
from tests.pathways.conftest import oriented, pathway, sms_outbox  # noqa: F401
from tests.people.conftest import camille, colleague, former_member, referent, team_member  # noqa: F401

from .helpers import make_body

__all__ = [
    "camille",
    "colleague",
    "former_member",
    "oriented",
    "pathway",
    "pathway_referential",
    "referent",
    "rome_jobs",
    "sms_outbox",
    "team_member",
]


@pytest.fixture
def association(nord):
    return OrganisationFactory(name="Association Horizons", type=OrganisationType.ASSOCIATION, territory=nord)


@pytest.fixture
def external(association):
    """A representative of RSA recipients with an account, external member of the body."""
    return MembershipFactory(
        user=UserFactory(email="representant@horizons.fr"), organisation=association, role=Role.CONSEILLER
    ).user


@pytest.fixture
def body(nord, coordinator, colleague, gestionnaire, external):
    """A support group: `colleague` sees names, `gestionnaire` only the pseudonymised form,
    `external` is an external member."""
    return make_body(nord, coordinator, colleague=colleague, pseudonymous=gestionnaire, external=external)
