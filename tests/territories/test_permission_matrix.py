"""Territories, cohorts and budget lines × every persona, with the exact status expected.
Pages are about the Nord territory; only national administrators manage territories and budgets."""

from decimal import Decimal

import pytest
from django.urls import reverse

from spie.territories.enums import BudgetPurpose
from tests.matrix import url_names
from tests.territories.factories import BudgetLineFactory

PERSONAS = [
    "anonymous",
    "conseiller",
    "gestionnaire",
    "other_structure",
    "coordinator",
    "orientation_officer",
    "other_territory",
    "admin_national",
]
NORD = ["conseiller", "gestionnaire", "other_structure", "coordinator", "orientation_officer"]


def row(nord, other_territory, admin=200):
    return {"anonymous": 302, "other_territory": other_territory, "admin_national": admin} | dict.fromkeys(NORD, nord)


ROUTES = {
    # (url name, object key, method) -> expected
    ("list", None, "get"): row(403, 403),
    ("create", None, "get"): row(403, 403),
    ("cohort_create", None, "get"): row(403, 403),
    ("budget_line_create", None, "get"): row(403, 403),
    ("detail", "nord", "get"): row(200, 404),
    ("edit", "nord", "get"): row(403, 404),
    ("budget_line_edit", "nord_line", "get"): row(403, 404),
    ("budget_line_delete", "nord_line", "get"): row(403, 404),
    # A national line belongs to no territory: nobody but national administrators knows it.
    ("budget_line_edit", "national_line", "get"): row(404, 404),
    ("budget_line_delete", "national_line", "post"): row(404, 404, admin=302),
}


@pytest.fixture
def objects(nord, ardennes, ft_lille, departement_nord, ml_ardennes, ministere):
    return {
        "nord": nord.code,
        "nord_line": BudgetLineFactory(territory=nord, amount=Decimal("1000.00")).public_id,
        "national_line": BudgetLineFactory(
            territory=None, purpose=BudgetPurpose.NATIONAL_SUPPORT, amount=Decimal("15000000.00")
        ).public_id,
    }


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_territories_routes(persona, client_as, objects, request):
    """One persona, every route in turn (one set of fixtures per persona keeps the matrix fast)."""
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    wrong = []
    for (name, key, method), expected in ROUTES.items():
        status = getattr(client, method)(reverse(f"territories:{name}", args=[objects[key]] if key else [])).status_code
        if status != expected[who]:
            wrong.append(f"{method.upper()} {name} {key}: {status}, expected {expected[who]}")
    assert not wrong, wrong


COVERED_URL_NAMES = url_names("territories", (name for name, _, _ in ROUTES))
