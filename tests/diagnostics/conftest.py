import pytest

from spie.referentials.loaders import DEFAULT_DATA_DIR, load_pathway_referential
from spie.referentials.models import ReferentialVersion, RomeDomain, RomeJob
from tests.people.conftest import camille, colleague, former_member, referent, team_member  # noqa: F401

__all__ = ["camille", "colleague", "former_member", "referent", "team_member"]


@pytest.fixture
def pathway_referential(db):
    """The national pathway referential (themes, situations…), as loaded in production."""
    load_pathway_referential(DEFAULT_DATA_DIR)
    return ReferentialVersion.objects.current()


@pytest.fixture
def rome_jobs(db):
    domain = RomeDomain.objects.create(code="K", label="Services à la personne")
    sub = RomeDomain.objects.create(code="K13", label="Aide à la vie quotidienne", parent=domain)
    office = RomeDomain.objects.create(code="M", label="Support à l'entreprise")
    office_sub = RomeDomain.objects.create(code="M16", label="Secrétariat", parent=office)
    return [
        RomeJob.objects.create(code="K1302", label="Assistant / Assistante de vie dépendance", domain=sub),
        RomeJob.objects.create(code="M1607", label="Secrétaire", domain=office_sub),
    ]
