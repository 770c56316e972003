"""Offers fixtures: data·inclusion vocabularies, real communes of Nord and Pas-de-Calais, a person."""

import pytest

from spie.referentials.loaders import load_pathway_referential, load_vocabularies
from tests.people.conftest import camille, colleague, former_member, referent, team_member  # noqa: F401
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory

# Commune centres from the COG data shipped with the referentials.
LILLE = {"insee_code": "59350", "name": "Lille", "latitude": 50.63194, "longitude": 3.0575}
ROUBAIX = {"insee_code": "59512", "name": "Roubaix", "latitude": 50.6903, "longitude": 3.1817, "postal_codes": "59100"}
DUNKERQUE = {"insee_code": "59183", "name": "Dunkerque", "latitude": 51.0307, "longitude": 2.3375}
ARRAS = {"insee_code": "62041", "name": "Arras", "latitude": 50.2898, "longitude": 2.7655, "postal_codes": "62000"}


@pytest.fixture
def vocabularies(db):
    load_vocabularies()
    load_pathway_referential()


@pytest.fixture
def places(nord, ardennes):
    """Lille and Roubaix (Métropole européenne de Lille), Dunkerque, Arras (Pas-de-Calais, no territory)."""
    nord_dep = nord.departements.get()
    mel = EpciFactory()
    communes = {
        "lille": CommuneFactory(**LILLE, departement=nord_dep, epci=mel),
        "roubaix": CommuneFactory(**ROUBAIX, departement=nord_dep, epci=mel),
        "dunkerque": CommuneFactory(**DUNKERQUE, departement=nord_dep),
        "arras": CommuneFactory(
            **ARRAS, departement=DepartementFactory(code="62", name="Pas-de-Calais", region=RegionFactory())
        ),
    }
    from spie.territories.models import Commune

    communes["charleville"] = Commune.objects.get(insee_code="08105")
    communes["lille"].epci = mel  # the `nord` fixture created Lille without its EPCI
    communes["lille"].save(update_fields=["epci"])
    return communes


@pytest.fixture
def ml_lille(nord):
    from spie.accounts.enums import OrganisationType
    from tests.accounts.factories import OrganisationFactory

    return OrganisationFactory(name="Mission locale de Lille", type=OrganisationType.MISSION_LOCALE, territory=nord)


@pytest.fixture
def receiver(ml_lille):
    """A counsellor of the receiving structure (on the platform)."""
    from spie.accounts.enums import Role
    from tests.accounts.factories import MembershipFactory, UserFactory

    return MembershipFactory(
        user=UserFactory(email="conseillere@ml-lille.fr", first_name="Inès", last_name="Roussel"),
        organisation=ml_lille,
        role=Role.CONSEILLER,
    ).user


@pytest.fixture
def platform_offer(vocabularies, places, ml_lille, receiver):
    from tests.offers.factories import make_offer, make_structure

    structure = make_structure(name="Mission locale de Lille", organisation=ml_lille)
    return make_offer(structure=structure, name="Garantie jeunes mobilité", email="accueil@ml-lille.fr")


@pytest.fixture
def email_offer(vocabularies, places):
    from tests.offers.factories import make_offer

    return make_offer(name="Garage solidaire", email="contact@garage-solidaire.fr")


@pytest.fixture
def receiving(receiver):
    return receiver
