"""The companies API × every kind of caller, with the exact status expected. Companies, shortage
occupations and trainings are the territory's; immersions and positionings are those of the people
the token's structure follows (or prescribed), and only the prescribing structure moves an
immersion."""

import pytest

from spie.companies import services_trainings
from spie.companies.enums import ImmersionStatus
from tests.companies.conftest import actor
from tests.companies.factories import TrainingFactory, immersion
from tests.matrix import API_CALLERS, api_headers, api_mismatches, api_operations, api_row

TERRITORY = api_row(200, ministere=403)
TEAM = api_row(404, ft_lille=200, departement_nord=200, ministere=403)

ENDPOINTS = {
    ("get", "/companies/"): TERRITORY,
    ("get", "/companies/{company}"): TERRITORY | {"ml_ardennes": 404},
    ("get", "/companies/shortage-occupations"): TERRITORY,
    ("get", "/companies/trainings"): TERRITORY,
    ("get", "/companies/immersions"): TERRITORY,
    ("get", "/companies/immersions/{immersion}"): TEAM,
    ("get", "/companies/positionings"): TERRITORY,
    ("post", "/companies/positionings/{positioning}/status"): TEAM,
    ("post", "/companies/immersions/{immersion}/status"): TEAM | {"departement_nord": 403},
    # Every structure of a territory adds companies to its own territory.
    ("post", "/companies/"): api_row(201, ministere=403),
}
BODIES = {
    ("post", "/companies/positionings/{positioning}/status"): lambda o: {"etape": "enrolled"},
    ("post", "/companies/immersions/{immersion}/status"): lambda o: {"action": "annuler", "motif": "person"},
    ("post", "/companies/"): lambda o: {"siret": "73282932000074", "nom": "Boulangerie", "code_commune": o["commune"]},
}


@pytest.fixture
def objects(camille, ehpad, tutor, prescriber, nord, jobs, lille, conseiller):
    camille.commune = lille
    camille.save()
    training = TrainingFactory(territory=nord, commune=lille, rome_jobs=[jobs["G1602"]], places=2)
    return {
        "company": ehpad.public_id,
        "commune": lille.insee_code,
        "immersion": immersion(camille, ehpad, tutor, prescriber, status=ImmersionStatus.DRAFT).public_id,
        "positioning": services_trainings.position_person(
            training=training, person=camille, by=actor(conseiller)
        ).public_id,
    }


@pytest.mark.parametrize("caller", API_CALLERS)
def test_companies_api(caller, client, objects, departement_nord, ml_ardennes, ministere, request):
    headers = api_headers(request, caller)
    wrong = api_mismatches(client, ENDPOINTS, objects, caller, headers, BODIES)
    assert not wrong, wrong


COVERED_API_OPERATIONS = api_operations("/api/v1", ENDPOINTS)
