"""The types of structure that may hold a territorial role, set per territory × every persona,
with the exact status expected and the setting unchanged when refused.

Rule (`perms.can_designate_role_types`): the territory's coordinator or a national administrator.
A territory one does not belong to is unknown (404, `Territory.objects.visible_to`); in one's own
territory anyone else gets 403, a structure manager included (`manager_company`)."""

import pytest
from django.urls import reverse

from spie.accounts.enums import OrganisationType, Role
from spie.core.models import AuditEvent
from spie.territories.models import TerritorySettings
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.matrix import url_names

PERSONAS = [
    "anonymous",
    "conseiller",
    "gestionnaire",
    "manager_company",
    "other_structure",
    "orientation_officer",
    "other_territory",
    "coordinator",
    "admin_national",
]
NORD = ["conseiller", "gestionnaire", "manager_company", "other_structure", "orientation_officer", "coordinator"]


def row(nord, other_territory, *, coordinator, admin):
    """By territory of the persona: the Nord ones, the Ardennes one, then the two who may designate."""
    return (
        {"anonymous": 302, "other_territory": other_territory}
        | dict.fromkeys(NORD, nord)
        | {"coordinator": coordinator, "admin_national": admin}
    )


ROUTES = {
    # (url name, territory, method) -> expected
    ("role_types", "59", "get"): row(403, 404, coordinator=200, admin=200),
    ("role_types", "59", "post"): row(403, 404, coordinator=302, admin=302),
    ("role_types", "08", "get"): row(404, 403, coordinator=404, admin=200),
    ("role_types", "08", "post"): row(404, 403, coordinator=404, admin=302),
}
TYPES = [OrganisationType.PLIE, OrganisationType.MISSION_LOCALE]


@pytest.fixture
def manager_company(nord):
    company = OrganisationFactory(name="Entreprise Dupont", type=OrganisationType.ENTREPRISE, territory=nord)
    return MembershipFactory(
        user=UserFactory(email="gestion@dupont.fr"), organisation=company, role=Role.GESTIONNAIRE
    ).user


@pytest.fixture
def territories(nord, ardennes, ft_lille, departement_nord, ml_ardennes, ministere):
    return {"59": nord, "08": ardennes}


def _types(territory):
    return (
        TerritorySettings.objects.filter(territory=territory).values_list("territorial_role_types", flat=True).first()
    )


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_role_types_routes(persona, client_as, territories, request):
    """One persona, every route in turn (one set of fixtures per persona keeps the matrix fast)."""
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    wrong = []
    for (name, code, method), expected in ROUTES.items():
        url = reverse(f"territories:{name}", args=[code])
        events = AuditEvent.objects.filter(action="territories.settings.role_types_changed").count()
        response = client.post(url, {"types": TYPES}) if method == "post" else client.get(url)
        if response.status_code != expected[who]:
            wrong.append(f"{method.upper()} {name} {code}: {response.status_code}, expected {expected[who]}")
        if method != "post":
            continue
        written = sorted(_types(territories[code]) or [])
        if response.status_code == 302 and persona is not None:
            if written != sorted(TYPES):
                wrong.append(f"POST {name} {code}: types {written}")
        elif written or AuditEvent.objects.filter(action="territories.settings.role_types_changed").count() != events:
            wrong.append(f"POST {name} {code}: refused with {response.status_code} yet {written} was written")
    assert not wrong, wrong


COVERED_URL_NAMES = url_names("territories", (name for name, _, _ in ROUTES))
