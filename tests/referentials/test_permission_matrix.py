"""The shared referentials (communes, ROME, NAF, pathway referential, data·inclusion vocabularies)
× every persona: reference data, open to every signed-in professional whatever their territory."""

import pytest
from django.urls import reverse

from tests.matrix import url_names

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
SIGNED_IN = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302}

ROUTES = {
    # (url name, args, query parameters) -> expected
    ("index", (), ()): SIGNED_IN,
    ("communes", (), ()): SIGNED_IN,
    ("commune_suggestions", (), (("q", "lil"),)): SIGNED_IN,
    ("rome", (), ()): SIGNED_IN,
    ("rome_suggestions", (), (("q", "plomb"),)): SIGNED_IN,
    ("rome_detail", ("LOADED",), ()): SIGNED_IN,
    ("rome_detail", ("Z9999",), ()): dict.fromkeys(PERSONAS, 404) | {"anonymous": 302},
    ("naf", (), ()): SIGNED_IN,
    ("pathway", (), ()): SIGNED_IN,
    ("vocabularies", (), ()): SIGNED_IN,
}


@pytest.fixture
def rome_code(referentials):
    from spie.referentials.models import RomeJob

    return RomeJob.objects.order_by("code").first().code


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_referentials_routes(
    persona, client_as, rome_code, ft_lille, departement_nord, ml_ardennes, ministere, request
):
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    wrong = []
    for (name, args, query), expected in ROUTES.items():
        args = [rome_code if arg == "LOADED" else arg for arg in args]
        status = client.get(reverse(f"referentials:{name}", args=args), dict(query)).status_code
        if status != expected[who]:
            wrong.append(f"{name} {args}: {status}, expected {expected[who]}")
    assert not wrong, wrong


COVERED_URL_NAMES = url_names("referentials", (name for name, _, _ in ROUTES))
