"""Personas shared by every test: two territories, several structures, one user per role."""

import datetime
import os

import pytest
import time_machine

from spie.accounts.enums import OrganisationType, Role
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.territories.factories import (
    CohortFactory,
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
    TerritoryFactory,
)

PASSWORD = "mot-de-passe-solide-2026"


def pytest_addoption(parser):
    parser.addoption(
        "--years-ahead",
        type=int,
        default=0,
        help="Run the whole suite with the wall clock moved this many years ahead (the clock keeps ticking).",
    )


def pytest_configure(config):
    """With --years-ahead N, every test runs N years from today: a test that hides a date rots here first."""
    years = config.getoption("--years-ahead")
    if years:
        traveller = time_machine.travel(_years_from_now(years), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def _years_from_now(years):
    now = datetime.datetime.now(tz=datetime.UTC)
    try:
        return now.replace(year=now.year + years)
    except ValueError:  # 29 February
        return now.replace(year=now.year + years, day=28)


def pytest_report_header(config):
    years = config.getoption("--years-ahead")
    today = datetime.datetime.now(tz=datetime.UTC).date()
    return f"horloge des tests : {today:%d/%m/%Y}" + (f" ({years} ans d'avance)" if years else "")


def pytest_collection_modifyitems(config, items):
    """In CI a skipped test is a failure: nothing may be silently left out."""
    if os.environ.get("CI") == "true":
        config.pluginmanager.register(_FailOnSkip(), "fail-on-skip")


class _FailOnSkip:
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.skipped:
            report.outcome = "failed"
            report.longrepr = f"Skipped in CI (CI=true forbids skips): {report.longrepr}"


@pytest.fixture
def nord(db):
    departement = DepartementFactory(code="59", name="Nord", region=RegionFactory())
    CommuneFactory(departement=departement)
    return TerritoryFactory(code="59", name="Nord", departements=[departement])


@pytest.fixture
def ardennes(db):
    region = RegionFactory(code="44", name="Grand Est")
    departement = DepartementFactory(code="08", name="Ardennes", region=region)
    CommuneFactory(
        insee_code="08105",
        name="Charleville-Mézières",
        departement=departement,
        postal_codes="08000",
        latitude=49.77,
        longitude=4.72,
    )
    cohort = CohortFactory(code="2021-appel-a-projets", name="2021 — appel à projets", year=2021)
    return TerritoryFactory(code="08", name="Ardennes", cohort=cohort, departements=[departement])


@pytest.fixture
def ft_lille(nord):
    return OrganisationFactory(name="France Travail Lille", type=OrganisationType.FRANCE_TRAVAIL, territory=nord)


@pytest.fixture
def departement_nord(nord):
    return OrganisationFactory(name="Département du Nord", type=OrganisationType.DEPARTEMENT, territory=nord)


@pytest.fixture
def ml_ardennes(ardennes):
    return OrganisationFactory(
        name="Mission locale de Charleville", type=OrganisationType.MISSION_LOCALE, territory=ardennes
    )


@pytest.fixture
def ministere(db):
    return OrganisationFactory(name="DGEFP", type=OrganisationType.AUTRE, territory=None)


def _member(organisation, role, email):
    return MembershipFactory(user=UserFactory(email=email), organisation=organisation, role=role).user


@pytest.fixture
def conseiller(ft_lille):
    """A counsellor of France Travail Lille (Nord)."""
    return _member(ft_lille, Role.CONSEILLER, "conseiller@ft-lille.fr")


@pytest.fixture
def gestionnaire(ft_lille):
    """The manager of France Travail Lille (Nord)."""
    return _member(ft_lille, Role.GESTIONNAIRE, "gestionnaire@ft-lille.fr")


@pytest.fixture
def other_structure(departement_nord):
    """A counsellor of another structure of the same territory."""
    return _member(departement_nord, Role.CONSEILLER, "conseiller@nord.fr")


@pytest.fixture
def coordinator(departement_nord):
    return _member(departement_nord, Role.COORDINATEUR, "coordination@nord.fr")


@pytest.fixture
def orientation_officer(departement_nord):
    return _member(departement_nord, Role.CHARGE_ORIENTATION, "orientation@nord.fr")


@pytest.fixture
def other_territory(ml_ardennes):
    """A counsellor of a structure of another territory."""
    return _member(ml_ardennes, Role.CONSEILLER, "conseiller@ml-ardennes.fr")


@pytest.fixture
def admin_national(ministere):
    return _member(ministere, Role.ADMIN_NATIONAL, "admin@travail.gouv.fr")


@pytest.fixture
def persona(request):
    """Indirect parametrisation: `persona` names one of the fixtures above (or 'anonymous')."""
    if request.param == "anonymous":
        return None
    return request.getfixturevalue(request.param)


@pytest.fixture
def client_as(client):
    """`client_as(user)` logs the test client in as `user` (or stays anonymous for None)."""

    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login
