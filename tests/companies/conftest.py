import pytest

from spie.accounts.actors import Actor
from tests.companies.factories import CompanyFactory, ContactFactory, add_job, commune, rome_referential
from tests.people.conftest import camille, colleague, former_member, referent, team_member  # noqa: F401

__all__ = ["camille", "colleague", "former_member", "referent", "team_member"]


def actor(user):
    membership = user.memberships.select_related("organisation__territory").get()
    return Actor(user=user, membership=membership)


@pytest.fixture
def jobs(db):
    return rome_referential()


@pytest.fixture
def lille(nord):
    return commune("lille")


@pytest.fixture
def ehpad(nord, jobs, lille, conseiller):
    """An EHPAD in Lille, added by France Travail Lille, hosting care assistants in immersion."""
    company = CompanyFactory(
        territory=nord, commune=lille, name="EHPAD Les Tilleuls", created_by=conseiller.memberships.get()
    )
    add_job(company, jobs["J1501"], hires=True)
    return company


@pytest.fixture
def tutor(ehpad):
    return ContactFactory(company=ehpad, first_name="Sophie", last_name="Lambert", email="sophie.lambert@ehpad.fr")


@pytest.fixture
def camille_lille(camille, lille):
    """Camille lives in Lille and has an email: ready for immersions."""
    camille.commune = lille
    camille.save(update_fields=["commune"])
    return camille


@pytest.fixture
def prescriber(conseiller):
    return conseiller.memberships.select_related("organisation__territory").get()
