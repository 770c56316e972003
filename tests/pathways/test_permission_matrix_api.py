"""The diagnostics and pathways API × every kind of caller, with the exact status expected.

Camille is followed by France Travail Lille (her referent's structure) and the Département du
Nord (a team member; also the structure of the territory's orientation officer); the CCAS of Lille
is in the territory but not in her team. Writes come after reads, with bodies valid for the team."""

import datetime

import pytest
from django.utils import timezone

from spie.pathways import services
from tests.diagnostics.helpers import actor, validated
from tests.matrix import API_CALLERS, api_headers, api_mismatches, api_operations, api_row
from tests.people.factories import PersonFactory

from .helpers import appointment, at

# A token reaches what its structure's counsellors reach; the territory's orientation work needs
# the orientation scope, given by the coordinator (`departement_nord_orientation`).
CALLERS = [*API_CALLERS, "departement_nord_orientation"]
TEAM = api_row(404, ft_lille=200, departement_nord=200, ministere=403, departement_nord_orientation=200)
TERRITORY = api_row(200, ministere=403, departement_nord_orientation=200)
ORIENTATION = api_row(403, departement_nord_orientation=200)

ENDPOINTS = {
    ("get", "/diagnostics/people/{person}"): TEAM,
    ("get", "/diagnostics/{diagnostic}"): TEAM,
    ("get", "/pathways/orientation/queue"): ORIENTATION,
    ("get", "/pathways/orientation/people/{person}/decisions"): TEAM,
    ("get", "/pathways/people/{person}/pathway"): TEAM,
    ("get", "/pathways/people/{person}/contracts"): TEAM,
    ("get", "/pathways/people/{person}/appointments"): TEAM,
    ("get", "/pathways/people/{person}/reviews"): TEAM,
    ("get", "/pathways/people/{person}/employment"): TEAM,
    ("get", "/pathways/alerts"): TERRITORY,
    # The author of a diagnostic must be a professional of the token's structure (France Travail
    # Lille here); an appointment may be planned with any professional of the follow-up team.
    ("post", "/diagnostics/"): TEAM | {"ft_lille": 201, "departement_nord": 422, "departement_nord_orientation": 422},
    ("post", "/pathways/appointments"): TEAM
    | {"ft_lille": 201, "departement_nord": 201, "departement_nord_orientation": 201},
    ("post", "/pathways/appointments/{appointment}/status"): TEAM,
    ("post", "/pathways/reviews"): TEAM
    | {"ft_lille": 201, "departement_nord": 201, "departement_nord_orientation": 201},
    ("post", "/pathways/employment/checkpoints/{checkpoint}"): TEAM,
    # Camille is already followed in employment (fixture): the team reaches that rule (400), the
    # others are stopped before it.
    ("post", "/pathways/employment"): TEAM
    | {"ft_lille": 400, "departement_nord": 400, "departement_nord_orientation": 400},
    # Deciding an orientation is for a structure that carries the territory's orientation.
    ("post", "/pathways/orientation/decisions"): ORIENTATION | {"departement_nord_orientation": 201},
}


def _tomorrow_at_nine():
    return f"{(timezone.localdate() + datetime.timedelta(days=1)).isoformat()}T09:00:00+01:00"


BODIES = {
    ("post", "/diagnostics/"): lambda o: {
        "personne": o["person"],
        "auteur_email": o["referent_email"],
        "specialite": "professionnel",
    },
    ("post", "/pathways/appointments"): lambda o: {
        "personne": o["person"],
        "professionnel_email": o["referent_email"],
        "debut": _tomorrow_at_nine(),
    },
    ("post", "/pathways/appointments/{appointment}/status"): lambda o: {"statut": "annule", "commentaire": "Empêché"},
    ("post", "/pathways/reviews"): lambda o: {
        "personne": o["person"],
        "date": timezone.localdate().isoformat(),
        "conclusion": "sans_changement",
    },
    ("post", "/pathways/employment/checkpoints/{checkpoint}"): lambda o: {
        "contact": "joint",
        "toujours_en_emploi": True,
    },
    ("post", "/pathways/employment"): lambda o: {
        "personne": o["person"],
        "employeur": "Boulangerie Martin",
        "siret": "73282932000074",
        "code_rome": "K1302",
        "type_contrat": "cdi",
        "temps_de_travail": "temps_plein",
        "date_debut": (timezone.localdate() - datetime.timedelta(days=5)).isoformat(),
    },
    ("post", "/pathways/orientation/decisions"): lambda o: {
        "personne": o["not_oriented"],
        "type_parcours": "social",
        "referent_email": o["team_member_email"],
        "date_notification": timezone.localdate().isoformat(),
    },
}


@pytest.fixture
def objects(pathway_referential, rome_jobs, pathway, camille, conseiller, other_structure, nord):
    diagnostic = validated(camille, conseiller)
    follow_up = services.record_return_to_work(
        person=camille,
        employer_name="Boulangerie",
        employer_siret="73282932000074",
        rome_job="K1302",
        contract_type="cdi",
        working_time="temps_plein",
        start_date=timezone.localdate() - datetime.timedelta(days=35),
        by=actor(conseiller),
    )
    planned = appointment(pathway, conseiller, at(timezone.localdate() + datetime.timedelta(days=2)))
    return {
        "person": str(camille.public_id),
        "diagnostic": diagnostic.public_id,
        "appointment": planned.public_id,
        "checkpoint": follow_up.checkpoints.order_by("due_on").first().public_id,
        "not_oriented": str(PersonFactory(territory=nord, birth_name="Durand").public_id),
        "referent_email": conseiller.email,
        "team_member_email": other_structure.email,
    }


@pytest.mark.parametrize("caller", CALLERS)
def test_pathways_api(caller, client, objects, orientation_officer, ml_ardennes, ministere, request):
    headers = api_headers(request, caller)
    wrong = api_mismatches(client, ENDPOINTS, objects, caller, headers, BODIES)
    assert not wrong, wrong


COVERED_API_OPERATIONS = api_operations("/api/v1", ENDPOINTS)
